"""A blank workshop scoring workbook for the model in use (``workshop-template``; docs/commands.md).

One row per threat; one column per factor with a dropdown of its allowed
values and the level labels as an input message; values the model can
suggest from the crime data pre-filled, shaded and annotated; header, theme
and threat cells locked (no password) so a facilitator cannot break the
layout; an ``instructions`` sheet written from the model and a ``themes``
sheet for the narratives.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .errors import InputError, Problem
from .facts import RowFigures, fold
from .ingest.workshops import SCORE_OPTIONAL, THEME_COLUMNS
from .model import Model
from .neutral import neutralise
from .scoring import suggested_value

HEADER_FILL = PatternFill("solid", start_color="12436D")
SUGGESTED_FILL = PatternFill("solid", start_color="DCEBF5")
SPARE_ROWS = 20
AUTHOR = "strategic-assessment"


@dataclass(frozen=True)
class TemplateThreat:
    """A row of the template: the threat, its theme and the crime table row behind it."""

    theme: str
    threat: str
    data_row: str = ""


def threats_from_file(path: Path) -> list[TemplateThreat]:
    """Threats from a CSV with ``theme`` and ``threat`` columns (``data_row`` optional), e.g. a ratings.csv.

    Raises InputError naming the file when it cannot be read or lacks a column.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError([Problem(str(path), f"cannot be read as CSV ({exc})", "save it as UTF-8 CSV")]) from exc
    if not rows or "threat" not in rows[0] or "theme" not in rows[0]:
        raise InputError(
            [Problem(str(path), "needs columns theme and threat", "give one row per threat", cell="row 1")]
        )
    return [
        TemplateThreat(row["theme"].strip(), row["threat"].strip(), (row.get("data_row") or "").strip())
        for row in rows
        if (row.get("threat") or "").strip()
    ]


def write_workshop_template(
    path: Path,
    model: Model,
    threats: Sequence[TemplateThreat],
    figures: Mapping[str, RowFigures],
    year: str,
    partnership: str,
) -> None:
    """Write the scoring workbook to ``path``."""
    book = Workbook()
    scores = book.active
    assert scores is not None
    scores.title = "scores"
    columns = ["theme", "threat", "data_row", *model.factor_keys, *SCORE_OPTIONAL[1:]]
    _header(scores, columns)
    for row, threat in enumerate(threats, start=2):
        _threat_row(
            scores, row, threat, model, columns, figures.get(fold(threat.data_row)) if threat.data_row else None
        )
    last = len(threats) + 1 + SPARE_ROWS
    _validations(scores, model, columns, last)
    _protect(scores, columns, len(threats) + 1, last)
    _instructions(book, model, year, partnership)
    _themes(book, list(dict.fromkeys(threat.theme for threat in threats)))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _header(sheet: object, columns: Sequence[str]) -> None:
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=neutralise(name))  # type: ignore[attr-defined]
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = 34 if name in ("threat", "override_reason") else 26 if name == "theme" else 14
        sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]
    sheet.freeze_panes = "D2"  # type: ignore[attr-defined]


def _threat_row(
    sheet: object, row: int, threat: TemplateThreat, model: Model, columns: list[str], figures: RowFigures | None
) -> None:
    cell = sheet.cell  # type: ignore[attr-defined]
    cell(row=row, column=1, value=neutralise(threat.theme))
    cell(row=row, column=2, value=neutralise(threat.threat))
    cell(row=row, column=3, value=neutralise(threat.data_row) or None)
    for factor in model.factors:
        value, how = suggested_value(factor, figures)
        if value is None:
            continue
        target = cell(row=row, column=columns.index(factor.key) + 1, value=value)
        target.fill = SUGGESTED_FILL
        target.comment = Comment(f"{how[0].upper()}{how[1:]}. Keep it, or enter the value the workshop agrees.", AUTHOR)


def _validations(sheet: object, model: Model, columns: list[str], last: int) -> None:
    for factor in model.factors:
        letter = get_column_letter(columns.index(factor.key) + 1)
        allowed = ",".join(str(value) for value in factor.allowed)
        levels = "; ".join(f"{value} {label}" for value, label in sorted(factor.levels.items()))
        validation = DataValidation(
            type="list",
            formula1=f'"{allowed}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"{factor.label}"[:32],
            error=f"Enter a whole number {factor.low}-{factor.high}.",
            showInputMessage=True,
            promptTitle=factor.label[:32],
            prompt=(levels or f"{factor.low} to {factor.high}")[:255],
        )
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)  # type: ignore[attr-defined]
    ratings = ",".join(rating.name for rating in model.ratings)
    override = DataValidation(type="list", formula1=f'"{ratings}"', allow_blank=True, showErrorMessage=True)
    letter = get_column_letter(columns.index("override_rating") + 1)
    override.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(override)  # type: ignore[attr-defined]


def _protect(sheet: object, columns: list[str], filled: int, last: int) -> None:
    """Lock the header and the listed threats' theme, threat and data row; everything else stays editable."""
    for row in range(2, last + 1):
        for column in range(1, len(columns) + 1):
            locked = row <= filled and column <= 3
            sheet.cell(row=row, column=column).protection = Protection(locked=locked)  # type: ignore[attr-defined]
    protection = sheet.protection  # type: ignore[attr-defined]
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.sort = False
    protection.autoFilter = False


def _instructions(book: Workbook, model: Model, year: str, partnership: str) -> None:
    sheet = book.create_sheet("instructions")
    low, high = model.score_range()
    lines: list[tuple[str, ...]] = [
        (f"{partnership}: workshop scoring, {year}",),
        (f"Model: {model.title}",),
        (model.summary,),
        ("",),
        ("How to score",),
        ("Enter one whole number per factor for each threat on the scores sheet; each cell offers a dropdown.",),
        ("Shaded cells hold values suggested from the crime data; keep them or enter what the workshop agrees.",),
        (
            "Leave override_rating blank unless the partnership agrees to treat a threat at another level; "
            "then give the reason in override_reason.",
        ),
        ("scored_year: leave blank for this year; an earlier year means last year's scores were carried forward.",),
        ("Add new threats in the empty rows below the list.",),
        ("",),
        ("Factor", "Column", "Scale", "Levels", "What it measures"),
    ]
    for factor in model.factors:
        levels = "; ".join(f"{value} {label}" for value, label in sorted(factor.levels.items()))
        lines.append((factor.label, factor.key, f"{factor.low}-{factor.high}", levels, factor.description))
    lines.extend(
        [
            ("",),
            (f"Score = {model.formula()} (from {low:g} to {high:g}).",),
            ("Ratings: " + ", ".join(f"{rating.name} from {rating.min_score:g}" for rating in model.ratings) + ".",),
        ]
    )
    for line in lines:
        sheet.append([neutralise(text) for text in line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A5"].font = Font(bold=True)
    for cell in sheet[12]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (34, 20, 8, 50, 80), strict=True):
        sheet.column_dimensions[letter].width = width


def _themes(book: Workbook, themes: Sequence[str]) -> None:
    sheet = book.create_sheet("themes")
    sheet.append([neutralise(name) for name in THEME_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    for order, theme in enumerate(themes, start=1):
        sheet.append([neutralise(theme), order])
    for index in range(1, len(THEME_COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 30 if index != 2 else 8
