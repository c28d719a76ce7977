"""One streaming pass over an .xlsx worksheet: values, formulas without a saved value, merged ranges.

Why this pass and not python-calamine for .xlsx too (``opendoc`` uses it for
.ods and .xls): calamine is faster, but for .xlsx it cannot tell a formula
with no saved value from one that saved ``""`` (both come back as ``""``),
and it sizes a sheet's grid from its first to its last cell before giving
any of it: a 10 KB workbook with cells at A1 and XFD1048576 makes it
allocate 17 billion cells, and the process aborts (SIGABRT, not a Python
exception) under a 1 GiB limit. Bounding that needs a pass over the XML
first, which is most of the cost of this one. This pass keeps memory and
time bounded as it reads: cells beyond Excel's 1,048,576 rows x 16,384
columns, text beyond its 32,767 characters a cell, more than
``MAX_DATA_ROWS`` rows of values or ``MAX_VALUES`` values are refused at the
point they are met, and parts are size-checked before they inflate
(``package``).

Measured by ``make bench`` (``scripts/bench_sheets.py``: 50,000 rows x 4
columns written by openpyxl, 200,004 cells, median CPU seconds of 3 and of 5
runs on the shared 2-core development machine, under load): this pass 0.77
to 1.06 s, python-calamine 0.13 to 0.14 s, openpyxl read-only 2.59 to
2.70 s: calamine is 6 to 8 times faster, openpyxl 3 times slower. The
example's largest sheet reads in a few milliseconds, so the difference is
not one a user can notice, and this pass reads the same cells as openpyxl
(tests/test_spreadsheets.py).

The XML is read with expat directly (the parser defusedxml wraps), with a
document type declaration refused outright, so no entity can be declared
or expanded. Cells are placed exactly as openpyxl places them: by their
``r`` attribute when present, else one column after the cell before; a row
without ``r`` is the row after the one before. Nothing is removed before
cells are placed. Both the Transitional and the Strict (ISO/IEC 29500)
SpreadsheetML namespaces are read. Strings have Excel's ``_xHHHH_`` escapes
decoded (``_x000D_`` is a carriage return) and line ends made ``\\n``; ISO
8601 cells (``t="d"``) give dates, date-times or times; numbers formatted as
durations (``[h]:mm:ss``) give durations, as dates and times give those.

Which number formats show a date or a duration, and Excel's serial dates,
follow openpyxl's rules (``openpyxl.styles.numbers``, ``openpyxl.utils.datetime``)
in a few lines of this module's own, as are cell names and merged ranges
(``cell_reference``, ``range_bounds``): importing openpyxl for them cost 0.14
to 0.21 s in every run that reads a workbook, a regenerate after a workshop
change among them (``python -X importtime``, 5 runs; 0.29 s of CPU, median of
7), most of it the numpy openpyxl imports where it is installed.
tests/test_sheet_formats.py checks these lines against openpyxl's.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.parsers.expat
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from defusedxml import ElementTree

from .package import Package, Refused

MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_TEXT = 32_767
MAX_VALUES = 2_000_000
MAX_DATA_ROWS = 100_000
MAX_STRINGS = 4_000_000
CHUNK = 1 << 20
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
REFERENCE = re.compile(r"^([A-Za-z]{1,3})([0-9]{1,10})$")
WHOLE = re.compile(r"^-?\d+$")
_DAMAGED = "replace it with a good copy, or open it in Excel (which offers to repair it) and save it again"


@dataclass(frozen=True)
class ParsedSheet:
    """A sheet's cell values by row (row 1 first; blank rows kept as empty tuples), formulas and merges.

    ``formulas`` holds only the formulas that have no saved value, by cell name.
    """

    rows: tuple[tuple[Any, ...], ...]
    formulas: dict[str, str]
    merged: list[str]


@dataclass(frozen=True)
class BookSheet:
    name: str
    part: str
    hidden: bool


@dataclass
class Book:
    """The workbook part read: its sheets in order, and the parts every sheet shares (read when first needed)."""

    package: Package
    sheets: tuple[BookSheet, ...]
    strings_part: str
    styles_part: str
    epoch: dt.datetime
    _shared: tuple[list[str], frozenset[int], frozenset[int]] | None = field(default=None, repr=False)

    def shared(self) -> tuple[list[str], frozenset[int], frozenset[int]]:
        """(shared strings, date styles, duration styles)."""
        if self._shared is None:
            strings = read_strings(self.package, self.strings_part) if self.strings_part else []
            dates, durations = _date_styles(self.package, self.styles_part) if self.styles_part else (set(), set())
            self._shared = (strings, frozenset(dates), frozenset(durations))
        return self._shared

    def parse(self, name: str) -> ParsedSheet:
        """Read one sheet. Raises KeyError when it or a part it needs is missing, Refused past a bound."""
        sheet = next(sheet for sheet in self.sheets if sheet.name == name)
        strings, dates, durations = self.shared()
        reader = _SheetReader(strings, dates, durations, self.epoch)
        with self.package.open(sheet.part) as handle:
            return reader.read(handle)


def read_book(package: Package) -> Book:
    """The workbook part found through the package's relationships, whatever its name.

    Raises KeyError when the package has no workbook part, and XML errors when it is damaged.
    """
    root_rels = package.relationships("")
    part = next((rel.part for rel in root_rels.values() if rel.kind == "officeDocument"), "xl/workbook.xml")
    root = ElementTree.fromstring(package.read(part))
    if _local(root.tag) != "workbook" or _namespace(root.tag) not in MAIN_NAMESPACES:
        raise KeyError(part)
    rels = package.relationships(part)
    sheets = []
    for element in root.iter():
        if _local(element.tag) == "sheet" and _namespace(element.tag) in MAIN_NAMESPACES:
            rel_id = next((value for key, value in element.attrib.items() if key.endswith("}id")), "")
            target = rels.get(rel_id)
            sheets.append(
                BookSheet(
                    name=element.get("name", ""),
                    part=target.part if target else "",
                    hidden=element.get("state", "visible") != "visible",
                )
            )
    properties = next((e for e in root.iter() if _local(e.tag) == "workbookPr"), None)
    mac = properties is not None and properties.get("date1904") in ("1", "true")
    kinds = {rel.kind: rel.part for rel in rels.values()}
    return Book(
        package=package,
        sheets=tuple(sheets),
        strings_part=_present(package, kinds.get("sharedStrings")),
        styles_part=_present(package, kinds.get("styles")),
        epoch=MAC_EPOCH if mac else WINDOWS_EPOCH,
    )


def _present(package: Package, part: str | None) -> str:
    return part if part and package.has(part) else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def unescape(text: str) -> str:
    """Excel's ``_xHHHH_`` escapes decoded (control characters other than line ends dropped); line ends ``\\n``."""
    if "_x" in text:
        text = ESCAPE.sub(_escaped, text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _escaped(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    if code in (9, 10, 13) or 0x20 <= code < 0xD800 or 0xE000 <= code < 0xFFFE:
        return chr(code)
    return ""


def _expat(starts: dict[str, Callable[[dict[str, str]], None]], ends: dict[str, Callable[[], None]]) -> Any:
    """An expat parser for a SpreadsheetML part (either namespace) that refuses any document type declaration."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    start_by_name = {
        f"{namespace} {local}": handler for namespace in MAIN_NAMESPACES for local, handler in starts.items()
    }
    end_by_name = {f"{namespace} {local}": handler for namespace in MAIN_NAMESPACES for local, handler in ends.items()}
    find_start, find_end = start_by_name.get, end_by_name.get

    def start(name: str, attrs: dict[str, str]) -> None:
        handler = find_start(name)
        if handler is not None:
            handler(attrs)

    def end(name: str) -> None:
        handler = find_end(name)
        if handler is not None:
            handler()

    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    return parser


def refuse_doctype(*_: Any) -> None:
    raise Refused(
        "its XML declares a document type or entities, which are refused for safety "
        "(a workbook saved by Excel or LibreOffice never does)",
        _DAMAGED,
    )


def feed(parser: Any, handle: IO[bytes]) -> None:
    while chunk := handle.read(CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


class _Text:
    """Text gathered for one cell or string item, bounded by Excel's 32,767 characters a cell."""

    def __init__(self) -> None:
        self.parts: list[str] | None = None
        self.size = 0

    def begin(self) -> None:
        self.parts, self.size = [], 0

    def add(self, data: str) -> None:
        if self.parts is None:
            return
        self.size += len(data)
        if self.size > MAX_TEXT:
            raise Refused(
                f"a cell holds more than Excel's limit of {MAX_TEXT:,} characters, so no spreadsheet "
                "application wrote it; it was not read",
                _DAMAGED,
            )
        self.parts.append(data)

    def take(self) -> str:
        text = "".join(self.parts or ())
        self.parts = None
        return text


def read_strings(package: Package, part: str) -> list[str]:
    """The shared strings part: each item's text (rich-text runs joined, phonetic runs left out)."""
    strings: list[str] = []
    text = _Text()
    state = {"phonetic": False}

    def begin_item(_: dict[str, str]) -> None:
        text.begin()

    def end_item() -> None:
        strings.append(unescape(text.take()))
        if len(strings) > MAX_STRINGS:
            raise Refused(
                f"it holds more than {MAX_STRINGS:,} different texts, more than this program reads from a workbook",
                "keep the workbook to the sheets the assessment needs (move other data to another workbook)",
            )

    def begin_t(_: dict[str, str]) -> None:
        state["capture"] = not state["phonetic"]

    def end_t() -> None:
        state["capture"] = False

    def phonetic(flag: bool) -> Callable[..., None]:
        return lambda *_: state.__setitem__("phonetic", flag)

    parser = _expat(
        {"si": begin_item, "t": begin_t, "rPh": phonetic(True)},
        {"si": end_item, "t": end_t, "rPh": phonetic(False)},
    )
    parser.CharacterDataHandler = lambda data: text.add(data) if state.get("capture") else None
    with package.open(part) as handle:
        feed(parser, handle)
    return strings


class _SheetReader:
    """Expat handlers for one worksheet part; see the module docstring for how cells are placed."""

    def __init__(self, strings: list[str], dates: frozenset[int], durations: frozenset[int], epoch: dt.datetime):
        self.strings, self.dates, self.durations, self.epoch = strings, dates, durations, epoch
        self.rows: dict[int, dict[int, Any]] = {}
        self.formulas: dict[str, str] = {}
        self.merged: list[str] = []
        self.row = self.column = self.values = 0
        self.kind, self.style = "n", 0
        self.value: str | None = None
        self.formula: str | None = None
        self.inline: list[str] | None = None
        self.phonetic = False
        self.text = _Text()
        self.at = (0, 0)
        self.field = "v"

    def read(self, handle: IO[bytes]) -> ParsedSheet:
        parser = _expat(
            {
                "row": self.start_row,
                "c": self.start_cell,
                "v": self.start_value,
                "f": self.start_formula,
                "is": self.start_inline,
                "t": self.start_t,
                "rPh": self.start_phonetic,
                "mergeCell": self.merge,
                "dimension": self.dimension,
            },
            {"c": self.end_cell, "v": self.end_text, "f": self.end_text, "t": self.end_t, "rPh": self.end_phonetic},
        )
        parser.CharacterDataHandler = self.text.add
        feed(parser, handle)
        return ParsedSheet(_rows(self.rows), self.formulas, self.merged)

    def start_row(self, attrs: dict[str, str]) -> None:
        given = attrs.get("r")
        self.row = _number(given, "row") if given else self.row + 1
        if self.row > MAX_ROWS:
            raise _beyond(f"row {self.row:,}")
        self.column = 0

    def start_cell(self, attrs: dict[str, str]) -> None:
        reference = attrs.get("r")
        if reference:
            row, self.column = _reference(reference)
        else:
            row, self.column = self.row, self.column + 1
            if self.column > MAX_COLUMNS:
                raise _beyond(f"column {self.column:,} of row {row:,}")
        self.at = (row, self.column)
        self.kind, self.style = attrs.get("t", "n"), _style(attrs.get("s"))
        self.value = self.formula = self.inline = None

    def start_value(self, _: dict[str, str]) -> None:
        self.text.begin()
        self.field = "v"

    def start_formula(self, _: dict[str, str]) -> None:
        self.text.begin()
        self.field = "f"

    def end_text(self) -> None:
        text = self.text.take()
        if self.field == "f":
            self.formula = "=" + text
        else:
            self.value = text

    def start_inline(self, _: dict[str, str]) -> None:
        self.inline = []

    def start_t(self, _: dict[str, str]) -> None:
        if self.inline is not None and not self.phonetic:
            self.text.begin()

    def end_t(self) -> None:
        if self.inline is not None and not self.phonetic:
            self.inline.append(self.text.take())

    def start_phonetic(self, _: dict[str, str]) -> None:
        self.phonetic = True

    def end_phonetic(self) -> None:
        self.phonetic = False

    def end_cell(self) -> None:
        row, column = self.at
        value = self.cell_value()
        if self.formula is not None and self.inline is None and not self.saved():
            self.formulas[cell_reference(row, column)] = self.formula
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        self.values += 1
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
            if len(self.rows) > MAX_DATA_ROWS:
                raise too_many(f"more than {MAX_DATA_ROWS:,} rows of values")
        if self.values > MAX_VALUES:
            raise too_many(f"more than {MAX_VALUES:,} values")
        cells[column] = value

    def saved(self) -> bool:
        """Whether a formula cell has a saved value: any text, or the empty text of a formula giving ``""``."""
        return bool(self.value) or (self.value is not None and self.kind == "str")

    def cell_value(self) -> Any:
        if self.kind == "inlineStr":
            return unescape("".join(self.inline)) if self.inline is not None else None
        text = self.value
        if not text:
            return None
        return _VALUES.get(self.kind, _number_value)(self, text)

    def merge(self, attrs: dict[str, str]) -> None:
        self.merged.append(attrs.get("ref", ""))

    def dimension(self, attrs: dict[str, str]) -> None:
        for reference in attrs.get("ref", "").split(":"):
            if reference:
                _reference(reference)


def too_many(what: str) -> Refused:
    """A sheet larger than the program reads (a bound on memory and time, far above any assessment's tables)."""
    return Refused(
        f"the sheet holds {what}, more than this program reads from a sheet; it was not read",
        "keep the sheet to the rows and columns the assessment needs (move other data to another sheet)",
    )


def _shared_string(reader: _SheetReader, text: str) -> Any:
    index = _number(text, "shared string")
    if index >= len(reader.strings):
        raise KeyError(f"shared string {index}")
    return reader.strings[index]


def _iso(_: _SheetReader, text: str) -> Any:
    """An ISO 8601 date, date-time or time (``t="d"``); anything else is kept as the text it is."""
    text = text.strip()
    for kind in (dt.datetime, dt.time):
        try:
            return kind.fromisoformat(text.replace("Z", "+00:00") if kind is dt.datetime else text)
        except ValueError:
            continue
    return text


def _number_value(reader: _SheetReader, text: str) -> Any:
    try:
        number: float = int(text) if WHOLE.match(text) else float(text)
    except ValueError:
        return text.strip()
    if reader.style in reader.durations:
        return from_excel(number, reader.epoch, timedelta=True)
    if reader.style in reader.dates:
        try:
            return from_excel(number, reader.epoch)
        except (OverflowError, ValueError):
            return number
    return number


_VALUES: dict[str, Callable[[_SheetReader, str], Any]] = {
    "s": _shared_string,
    "str": lambda _, text: unescape(text),
    "e": lambda _, text: text,
    "b": lambda _, text: text.strip() in ("1", "true"),
    "d": _iso,
}


def _rows(cells: dict[int, dict[int, Any]]) -> tuple[tuple[Any, ...], ...]:
    if not cells:
        return ()
    rows: list[tuple[Any, ...]] = [()] * max(cells)
    for number, row in cells.items():
        rows[number - 1] = tuple(row.get(column) for column in range(1, max(row) + 1))
    return tuple(rows)


def _number(text: str, what: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise KeyError(f"{what} {text!r}") from None
    if not value.is_integer() or value < (1 if what == "row" else 0):
        raise KeyError(f"{what} {text!r}")
    return int(value)


def _style(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _reference(reference: str) -> tuple[int, int]:
    """(row, column) of a cell name such as ``F7``; refused past Excel's last row or column."""
    match = REFERENCE.match(reference)
    if match is None:
        match = REFERENCE.match(reference.strip())
        if match is None:
            raise _beyond(f"the cell reference '{reference[:20]}'")
    letters, digits = match.groups()
    column = _COLUMNS.get(letters) or _column(letters)
    row = int(digits)
    if row > MAX_ROWS or column > MAX_COLUMNS or row < 1:
        raise _beyond(f"cell {reference}")
    return row, column


def _column(letters: str) -> int:
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    if len(_COLUMNS) < 20_000:
        _COLUMNS[letters] = column
    return column


_COLUMNS: dict[str, int] = {}


RANGE = re.compile(r"^[$]?([A-Za-z]{1,3})?[$]?(\d+)?(:[$]?([A-Za-z]{1,3})?[$]?(\d+)?)?$")
LAST_LETTERS_COLUMN = 18_278  # ZZZ


def range_bounds(reference: str) -> tuple[int | None, int | None, int | None, int | None]:
    """(first column, first row, last column, last row) of a range such as ``B2:D4``, ``C:C`` or ``3:5``.

    As openpyxl's ``range_boundaries``: a cell is a range of one, a whole column or row leaves the
    rows or columns None. Raises ValueError for anything else.
    """
    match = RANGE.match(reference)
    if match is None:
        raise ValueError(f"{reference} is not a valid coordinate or range")
    first_letters, first_row, colon, last_letters, last_row = match.groups()
    if colon:
        ends = (first_letters, last_letters, first_row, last_row)
        whole_columns = first_letters and last_letters and not first_row and not last_row
        whole_rows = first_row and last_row and not first_letters and not last_letters
        if not (all(ends) or whole_columns or whole_rows):
            raise ValueError(f"{reference} is not a valid coordinate or range")
    first_column = None if first_letters is None else _column(first_letters)
    last_column = first_column if last_letters is None else _column(last_letters)
    if any(column is not None and not 0 < column <= LAST_LETTERS_COLUMN for column in (first_column, last_column)):
        raise ValueError(f"{reference} is not a valid coordinate or range")
    top = None if first_row is None else int(first_row)
    return first_column, top, last_column, top if last_row is None else int(last_row)


def cell_reference(row: int, column: int) -> str:
    """Excel's name for a cell: (7, 6) -> ``F7``."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}{row}"


def _beyond(what: str) -> Refused:
    return Refused(
        f"{what} is beyond Excel's last cell (row {MAX_ROWS:,}, column {MAX_COLUMNS:,}), "
        "so no spreadsheet application wrote it",
        _DAMAGED,
    )


def _date_styles(package: Package, part: str) -> tuple[set[int], set[int]]:
    """Indexes of the cell formats that show a number as a date or time, and those that show a duration."""
    root = ElementTree.fromstring(package.read(part))
    custom = {
        int(item.get("numFmtId", "0")): item.get("formatCode", "")
        for item in root.iter()
        if _local(item.tag) == "numFmt"
    }
    cell_formats = next((e for e in root.iter() if _local(e.tag) == "cellXfs"), None)
    dates, durations = set(), set()
    for index, style in enumerate(cell_formats if cell_formats is not None else []):
        number_format = int(style.get("numFmtId", "0"))
        code = custom.get(number_format)
        if code:
            duration, date = is_duration_format(code), is_date_format(code)
        else:  # a built-in format, known by its number
            duration, date = number_format in BUILTIN_DURATIONS, number_format in BUILTIN_DATES
        if duration:
            durations.add(index)
        elif date:
            dates.add(index)
    return dates, durations


WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
BUILTIN_DATES = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
"""The built-in number formats (ECMA-376 18.8.30) that show a date, a time or a duration."""
BUILTIN_DURATIONS = frozenset({46})
"""The built-in number formats that show a duration: ``[h]:mm:ss``."""
_UNSHOWN = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # quoted text, and brackets but [h] [m] [s]
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")


def is_date_format(code: str) -> bool:
    """True when a number format shows a date or time: a d, m, h, y or s outside quotes and brackets."""
    return _DATE_PART.search(_UNSHOWN.sub("", code.split(";")[0])) is not None


def is_duration_format(code: str) -> bool:
    """True when a number format shows a duration: ``[h]``, ``[mm]:ss`` and the like."""
    return _DURATION.search(code.split(";")[0]) is not None


def from_excel(value: float, epoch: dt.datetime, timedelta: bool = False) -> dt.datetime | dt.time | dt.timedelta:
    """An Excel serial number as a date-time, a time (under one day) or a duration, to the millisecond.

    Serials below 60 count from 31 December 1899 in the 1900 system (Excel's 29 February 1900 never was).
    """
    if timedelta:
        duration = dt.timedelta(days=value)
        if duration.microseconds:
            duration = dt.timedelta(
                seconds=duration.total_seconds() // 1, microseconds=round(duration.microseconds, -3)
            )
        return duration
    day, fraction = divmod(value, 1)
    within = dt.timedelta(milliseconds=round(fraction * 86_400 * 1000))
    if 0 <= value < 1 and within.days == 0:
        minutes, seconds = divmod(within.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, within.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + within
