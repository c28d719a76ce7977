"""A workbook cell read as the kind of value its column holds, with the decision for each other kind.

Every text and count cell of the crime and workshop workbooks is read through
here, so the decision for a value of the wrong kind is made once, per kind of
field, and tested:

=====================  ==========================================  ==========================
cell holds             in a name cell (crime type, theme, threat)   in a narrative cell
=====================  ==========================================  ==========================
text                   accepted (spaces tidied)                     accepted
a number               accepted as its text, with a warning         accepted as its text
a date                 refused (Excel turned the typing into one)   refused
TRUE / FALSE           refused                                      refused
a formula, no value    refused (it would read as blank)             refused
over-long text         refused over MAX_NAME_CHARACTERS             refused over MAX_TEXT_CHARACTERS
a control character    refused (Word cannot hold it)                refused
=====================  ==========================================  ==========================

A count is a whole number from 0 to ``MAX_COUNT`` (a population from 1 to
``MAX_POPULATION``); anything larger is refused naming the cell and the range
before it reaches pandas, where it would overflow an integer column.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from ..errors import Problem, ProblemLog, shown
from ..limits import MAX_NAME_CHARACTERS, MAX_TEXT_CHARACTERS
from .excel import Sheet, Workbook, as_text, cell_name, is_blank

RESAVE = "open the workbook in Excel or LibreOffice, let it calculate, and save it"


def text_cell(
    book: Workbook,
    sheet: Sheet,
    row: int,
    column: int,
    raw: Any,
    field: str,
    log: ProblemLog,
    name: bool = True,
) -> str:
    """The text of a cell; ``name`` cells have their runs of spaces tidied and are bounded tighter.

    A problem (or, for a number in a name cell, a warning) is added to ``log``
    naming the cell; a refused cell reads as blank.
    """
    where = cell_name(row, column)

    def refuse(problem: str, fix: str) -> str:
        log.add(Problem(sheet.file, f"{field} {problem}", fix, sheet=sheet.name, cell=where))
        return ""

    if is_blank(raw):
        formula = book.formulas(sheet.name).get(where)
        return refuse(f"formula {shown(formula)} has no saved value", RESAVE) if formula else ""
    if isinstance(raw, bool):
        return refuse(f"is {str(raw).upper()}, not text", f"type the {field} as text")
    if isinstance(raw, dt.datetime | dt.date):
        return refuse(
            f"holds the date {raw:%d/%m/%Y}, not text",
            f"type the {field}; if a date is meant, format the cell as Text first so Excel keeps it as typed",
        )
    text = " ".join(as_text(raw).split()) if name else as_text(raw)
    limit = MAX_NAME_CHARACTERS if name else MAX_TEXT_CHARACTERS
    if len(text) > limit:
        return refuse(f"is {len(text):,} characters long (at most {limit:,}): '{shown(text, 40)}'", "shorten it")
    control = next((ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"), None)
    if control is not None:
        return refuse(
            f"holds the control character U+{ord(control):04X}: '{shown(text, 40)}'",
            "delete it (it is invisible; retype the text if unsure)",
        )
    if name and isinstance(raw, int | float):
        log.warn(
            Problem(
                sheet.file,
                f"{field} is the number {text}; read as the name '{text}'",
                f"check that the {field} is meant to be a number",
                sheet=sheet.name,
                cell=where,
            )
        )
    return text
