"""Opening Excel workbooks safely and reading sheets as located cells.

The only code that opens ``.xlsx`` files. It recognises what is not a usable
workbook (an old ``.xls``, a CSV renamed to ``.xlsx``, a damaged or
password-protected file) and says so in words, reads each sheet in one
streaming pass (fast on sheets with thousands of formatted empty rows),
keeps each value's cell address for error messages, and finds formulas with
no saved value and merged header cells.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..errors import InputError, Problem, ProblemLog, closest
from .sheetxml import ParsedSheet, parse_sheet

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def cell_name(row: int, column: int) -> str:
    """Excel's name for a cell: (7, 6) -> ``F7``."""
    return f"{get_column_letter(column)}{row}"


def normalise(text: str) -> str:
    """A name folded for matching: case and runs of spaces or underscores ignored."""
    return " ".join(text.replace("_", " ").split()).casefold()


@dataclass(frozen=True)
class Sheet:
    """A sheet's values row by row (row 1 first, blank rows kept as empty tuples), with where it came from."""

    file: str
    name: str
    rows: tuple[tuple[Any, ...], ...]
    hidden: bool = False


@dataclass
class Workbook:
    """An opened workbook: its sheet names and lazily read sheets."""

    path: Path
    label: str
    sheet_names: tuple[str, ...]
    hidden: frozenset[str] = frozenset()
    _parsed: dict[str, ParsedSheet] = field(default_factory=dict)

    def has_sheet(self, name: str) -> bool:
        return self.sheet_named(name) is not None

    def sheet_named(self, name: str) -> str | None:
        """The workbook's own spelling of a sheet: exact, else matched ignoring case and spaces."""
        if name in self.sheet_names:
            return name
        wanted = normalise(name)
        return next((title for title in self.sheet_names if normalise(title) == wanted), None)

    def sheet_warning(self, name: str) -> Problem | None:
        """A warning when the sheet was found only by ignoring case and spaces."""
        actual = self.sheet_named(name)
        if actual is None or actual == name:
            return None
        return Problem(
            self.label,
            f"sheet '{actual}' read as '{name}'",
            f"rename it '{name}' to silence this",
            sheet=actual,
        )

    def sheet_problem(self, name: str) -> Problem:
        """The problem of a required sheet that is not there, suggesting a near name."""
        near = closest(name, self.sheet_names)
        fix = f"rename sheet '{near}' to '{name}'" if near else f"add a sheet named '{name}'"
        return Problem(self.label, f"sheet '{name}' not found", fix, sheet=name)

    def _parse(self, name: str) -> ParsedSheet:
        """The sheet read once (values, formulas, merged ranges), then kept.

        Raises InputError, naming the file and sheet, when the sheet's data is damaged.
        """
        title = self.sheet_named(name) or name
        if title not in self._parsed:
            try:
                with zipfile.ZipFile(self.path) as archive:
                    self._parsed[title] = parse_sheet(archive, title)
            except Exception as exc:  # zip, XML and missing-part errors all mean a damaged file here
                raise InputError(
                    [Problem(self.label, f"sheet cannot be read: {_reason(exc)}", _REPAIR, sheet=title)]
                ) from exc
        return self._parsed[title]

    def sheet(self, name: str) -> Sheet:
        """Every row of a sheet as values (formulas give their saved values).

        ``name`` may differ from the sheet's title in case and spaces. Raises
        InputError, naming the file and sheet, when the sheet's data is damaged.
        """
        title = self.sheet_named(name) or name
        return Sheet(self.label, title, self._parse(title).rows, hidden=title in self.hidden)

    def read_sheet(self, name: str, log: ProblemLog) -> Sheet:
        """A sheet the program needs, with warnings when its name was matched loosely or it is hidden in Excel."""
        warning = self.sheet_warning(name)
        if warning:
            log.warn(warning)
        sheet = self.sheet(name)
        if sheet.hidden:
            log.warn(
                Problem(
                    self.label,
                    "sheet is hidden in Excel; it was read",
                    "unhide it so readers see it too",
                    sheet=sheet.name,
                )
            )
        return sheet

    def formulas(self, name: str) -> dict[str, str]:
        """Cells of a sheet that hold formulas, by cell name: to explain a blank saved value."""
        return self._parse(name).formulas

    def merged_ranges(self, name: str) -> list[str]:
        """The merged cell ranges of a sheet (``A1:B1``)."""
        return self._parse(name).merged


def _reason(error: Exception) -> str:
    """Why a workbook part could not be read, in words rather than an exception's name."""
    if isinstance(error, DefusedXmlException) or "entit" in str(error).lower():
        return "its XML declares entities, which are refused for safety (a workbook saved by Excel never does)"
    return "the file is damaged or incomplete"


def open_workbook(path: Path, label: str) -> Workbook:
    """Open an ``.xlsx`` workbook for reading.

    Raises InputError, naming the file, when it is missing, an old ``.xls``,
    a text/CSV file, password-protected, or damaged.
    """
    problem = _unusable(path, label)
    if problem:
        raise InputError([problem])
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputError([Problem(label, f"cannot be read as an Excel workbook: {_reason(exc)}", _RESAVE)]) from exc
    try:
        names = tuple(book.sheetnames)
        hidden = frozenset(ws.title for ws in book.worksheets if ws.sheet_state != "visible")
    finally:
        book.close()
    return Workbook(path=path, label=label, sheet_names=names, hidden=hidden)


_RESAVE = "open it in Excel or LibreOffice and save it again as an Excel Workbook (.xlsx)"
_REPAIR = "replace it with a good copy, or open it in Excel (which offers to repair it) and save it again"


def _unusable(path: Path, label: str) -> Problem | None:
    if not path.is_file():
        old = path.with_suffix(".xls")
        if old.is_file():
            return Problem(label, f"file not found, but there is an old Excel 97-2003 file {old.name}", _RESAVE)
        return Problem(label, "file not found", f"put the workbook at {label} or check its name")
    if path.suffix.lower() == ".xls":
        return Problem(label, "is an old Excel 97-2003 (.xls) workbook", _RESAVE)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_SIGNATURE):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00" in path.read_bytes():
            return Problem(
                label,
                "is password-protected",
                "open it with the password, clear the password "
                "(File › Info › Protect Workbook › Encrypt with Password) and save it",
            )
        return Problem(label, "is an old Excel 97-2003 (.xls) workbook renamed to .xlsx", _RESAVE)
    if not head.startswith(ZIP_SIGNATURE):
        if not head:
            return Problem(label, "is empty (0 bytes)", "replace it with the real workbook")
        return Problem(label, "is a text or CSV file, not an Excel workbook", _RESAVE)
    if not zipfile.is_zipfile(path):
        return Problem(label, "is damaged (incomplete or corrupt)", _REPAIR)
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank(value: Any) -> bool:
    """True for an empty cell or one holding only spaces."""
    return _blank(value)


def located_rows(sheet: Sheet, start: int = 2) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel row number, values) for the data rows of a sheet, skipping blank rows."""
    for index, row in enumerate(sheet.rows[start - 1 :], start=start):
        if any(not _blank(value) for value in row):
            yield index, row


@dataclass(frozen=True)
class Number:
    """A cell read as a number, or the reason it is not one."""

    value: float | None
    error: str = ""


def as_number(value: Any) -> Number:
    """A cell value as a number: numbers stored as text are accepted, words are not."""
    if _blank(value):
        return Number(None)
    if isinstance(value, bool):
        return Number(None, f"{value} is not a number")
    if isinstance(value, int | float):
        return Number(float(value))
    if isinstance(value, dt.datetime | dt.date):
        return Number(None, f"the date {value:%d/%m/%Y} is not a number")
    text = str(value).strip().replace(",", "")
    if NUMBER_TEXT.match(text):
        return Number(float(text))
    return Number(None, f"'{str(value).strip()}' is not a number")


def as_text(value: Any) -> str:
    """A cell value as trimmed text (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
