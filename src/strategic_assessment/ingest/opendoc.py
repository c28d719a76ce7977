"""OpenDocument (.ods, LibreOffice's own format) and Excel 97-2003 (.xls) workbooks, read with python-calamine.

python-calamine reads both formats fast and gives cells as Python values
(numbers, text, dates, times, durations, booleans). What it does not give is
checked here first:

- an .ods is a zip: its XML parts are size-checked before anything inflates
  them (``package``), and ``content.xml`` is scanned once with expat (no
  document type allowed) for the extent of the cells that hold values,
  counting ``number-rows-repeated`` and ``number-columns-repeated``. calamine
  reads every sheet of an .ods when it opens it and sizes each grid by its
  first and last value (up to its own limit of 100 million cells, some 3 GB),
  so a workbook with a sheet whose values reach past Excel's 1,048,576 rows x
  16,384 columns, pass ``MAX_DATA_ROWS`` rows or ``MAX_VALUES`` values, or
  whose grid would pass ``MAX_GRID`` cells, is refused before calamine opens
  it (a row of 5,000 x 10,000 repeated values is 2 KB of XML). The
  same scan gives the merged ranges (``number-rows-spanned``), which
  calamine does not report for .ods;
- an .xls holds at most 65,536 x 256 cells, so its grid is bounded by the
  format; a grid past ``MAX_GRID`` is refused before it becomes Python lists.

OpenDocument always stores a formula's value, so there is no formula
without a saved value to report.
"""

from __future__ import annotations

import datetime as dt
import xml.parsers.expat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from .package import Package, Refused
from .sheetxml import (
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    MAX_ROWS,
    MAX_VALUES,
    ParsedSheet,
    cell_reference,
    feed,
    refuse_doctype,
    too_many,
)

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
MAX_GRID = 20_000_000
MAX_REPEAT = MAX_ROWS * MAX_COLUMNS
_DAMAGED = "replace it with a good copy, or open it in LibreOffice and save it again"


@dataclass
class _Extent:
    """Per sheet: last row and column holding a value, values counted, merged ranges."""

    rows: int = 0
    columns: int = 0
    values: int = 0
    value_rows: int = 0
    counted: int = -1
    merged: list[str] = field(default_factory=list)


@dataclass
class CalamineBook:
    """An .ods or .xls workbook: sheet names in order, the hidden ones, and sheets read on demand."""

    path: Path
    sheet_names: tuple[str, ...]
    hidden: frozenset[str]
    extents: dict[str, _Extent] | None = None

    def parse(self, name: str) -> ParsedSheet:
        extent = self.extents.get(name) if self.extents is not None else None
        with python_calamine.CalamineWorkbook.from_path(str(self.path)) as book:
            sheet = book.get_sheet_by_name(name)
            if sheet.height * sheet.width > MAX_GRID:
                raise _too_large(sheet.height, sheet.width)
            merged = extent.merged if extent is not None else _merges(sheet.merged_cell_ranges)
            return ParsedSheet(_rows(sheet), {}, merged)


def read_calamine_book(path: Path, opendocument: bool) -> CalamineBook:
    """Open an .ods (``opendocument``) or .xls. Raises Refused past a bound, calamine's errors when damaged."""
    extents = _scan_opendocument(path) if opendocument else None
    for name, extent in (extents or {}).items():
        try:  # calamine reads every sheet of an .ods when it opens it, so every sheet is bounded first
            _check_extent(extent)
        except Refused as refused:
            raise Refused(f"its sheet '{name}' cannot be read: {refused.what}", refused.fix) from None
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise Refused(
            "is password-protected",
            "open it with the password, remove the password and save it (Excel: File › Info › Protect Workbook)",
        ) from None
    with book:
        names = tuple(book.sheet_names)
        if not names:
            raise ValueError("a workbook with no sheets")
        hidden = frozenset(
            meta.name for meta in book.sheets_metadata if meta.visible != python_calamine.SheetVisibleEnum.Visible
        )
    return CalamineBook(path, names, hidden, extents)


def _rows(sheet: Any) -> tuple[tuple[Any, ...], ...]:
    """The sheet's rows from row 1 and column A, empty cells None and trailing ones dropped."""
    top, left = sheet.start if sheet.start else (0, 0)
    rows: list[tuple[Any, ...]] = [()] * top
    pad = (None,) * left
    for values in sheet.to_python(skip_empty_area=True):
        cells = [_value(value) for value in values]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append((*pad, *cells) if cells else ())
    while rows and not rows[-1]:
        rows.pop()
    return tuple(rows)


def _value(value: Any) -> Any:
    """A calamine value as the .xlsx pass gives it: empty is None, a date is a date-time at midnight."""
    if value == "":
        return None
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _merges(ranges: Any) -> list[str]:
    """calamine's merged ranges (0-based ((row, column), (row, column)) pairs) as ``A1:B2``."""
    out = []
    for (top, left), (bottom, right) in ranges or ():
        out.append(f"{cell_reference(top + 1, left + 1)}:{cell_reference(bottom + 1, right + 1)}")
    return out


def _check_extent(extent: _Extent) -> None:
    if extent.rows > MAX_ROWS or extent.columns > MAX_COLUMNS:
        raise Refused(
            f"its values reach row {extent.rows:,}, column {extent.columns:,}, beyond the last cell a "
            f"spreadsheet can hold (row {MAX_ROWS:,}, column {MAX_COLUMNS:,})",
            _DAMAGED,
        )
    if extent.value_rows > MAX_DATA_ROWS:
        raise too_many(f"more than {MAX_DATA_ROWS:,} rows of values")
    if extent.values > MAX_VALUES:
        raise too_many(f"more than {MAX_VALUES:,} values")
    if extent.rows * extent.columns > MAX_GRID:
        raise _too_large(extent.rows, extent.columns)


def _too_large(rows: int, columns: int) -> Refused:
    return Refused(
        f"the sheet spans {rows:,} rows x {columns:,} columns ({rows * columns:,} cells, more than the "
        f"{MAX_GRID:,} this program reads)",
        "delete the rows and columns beyond the data, or move other data to another sheet",
    )


def _scan_opendocument(path: Path) -> dict[str, _Extent]:
    """Each sheet's extent and merges from ``content.xml``, after the package's XML parts were size-checked."""
    with zipfile.ZipFile(path) as archive:
        package = Package(archive)
        if package.has("META-INF/manifest.xml") and b"encryption-data" in package.read("META-INF/manifest.xml"):
            raise Refused(
                "is password-protected",
                "open it with the password, remove the password (File › Properties › Security, or save "
                "without 'Save with password') and save it",
            )
        for info in archive.infolist():
            if info.filename.lower().endswith(".xml"):
                package.open(info.filename).close()
        with package.open("content.xml") as handle:
            return _ContentScan().read(handle)


class _ContentScan:
    """Expat handlers over ``content.xml`` that place rows and cells as OpenDocument repeats them."""

    def __init__(self) -> None:
        self.sheets: dict[str, _Extent] = {}
        self.sheet = _Extent()
        self.row = self.column = 0
        self.row_repeat = 1

    def read(self, handle: Any) -> dict[str, _Extent]:

        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.StartDoctypeDeclHandler = refuse_doctype
        parser.EntityDeclHandler = refuse_doctype
        feed(parser, handle)
        return self.sheets

    def start(self, name: str, attrs: dict[str, str]) -> None:
        namespace, _, local = name.partition(" ")
        if namespace != TABLE:
            return
        if local == "table":
            self.sheet = self.sheets.setdefault(attrs.get(f"{TABLE} name", ""), _Extent())
            self.row = 0
        elif local == "table-row":
            self.row_repeat = _repeat(attrs.get(f"{TABLE} number-rows-repeated"))
            self.column = 0
        elif local in ("table-cell", "covered-table-cell"):
            self.cell(attrs)

    def cell(self, attrs: dict[str, str]) -> None:
        repeat = _repeat(attrs.get(f"{TABLE} number-columns-repeated"))
        first = self.column + 1
        self.column += repeat
        if f"{OFFICE} value-type" in attrs:
            sheet = self.sheet
            sheet.rows = max(sheet.rows, self.row + self.row_repeat)
            sheet.columns = max(sheet.columns, self.column)
            sheet.values += repeat * self.row_repeat
            if sheet.counted != self.row:
                sheet.counted = self.row
                sheet.value_rows += self.row_repeat
        down = _repeat(attrs.get(f"{TABLE} number-rows-spanned"))
        across = _repeat(attrs.get(f"{TABLE} number-columns-spanned"))
        if (down > 1 or across > 1) and first <= MAX_COLUMNS and self.row < MAX_ROWS:
            top = self.row + 1
            self.sheet.merged.append(
                f"{cell_reference(top, first)}:{cell_reference(top + down - 1, first + across - 1)}"
            )

    def end(self, name: str) -> None:
        if name == f"{TABLE} table-row":
            self.row += self.row_repeat
            self.row_repeat = 1


def _repeat(text: str | None) -> int:
    if not text:
        return 1
    try:
        return min(max(int(text), 1), MAX_REPEAT)
    except ValueError:
        return 1
