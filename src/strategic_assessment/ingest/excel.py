"""Opening workbooks safely, whatever application saved them, and reading sheets as located cells.

The only code that opens workbooks: ``.xlsx`` and ``.xlsm`` (read by the
streaming pass in ``sheetxml``), ``.ods`` and ``.xls`` (read with
python-calamine in ``opendoc``), recognised by their content rather than
their name. All give the same ``Workbook``: sheet names, hidden sheets, each
sheet's rows from A1 with cell addresses for messages, formulas with no
saved value and merged ranges. It also recognises what is not a usable
workbook (a CSV renamed, a damaged or password-protected file) and says so
in words, and finds a workbook by its name whatever its extension. Cell
names come from ``sheetxml`` rather than openpyxl, whose import cost 0.14 to
0.21 s a run (``sheetxml`` says how it was measured).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from defusedxml import DefusedXmlException

from ..errors import InputError, Problem, ProblemLog, closest
from ..errors import shown as clip
from .opendoc import read_calamine_book
from .package import Package, Refused
from .sheetxml import ParsedSheet, cell_reference, read_book

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")
OPENDOCUMENT = b"application/vnd.oasis.opendocument.spreadsheet"
WHOLE_TOLERANCE = 1e-9
GROUPED_TEXT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def cell_name(row: int, column: int) -> str:
    """Excel's name for a cell: (7, 6) -> ``F7``."""
    return cell_reference(row, column)


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


class SheetReader(Protocol):
    """What reads a workbook's sheets: the .xlsx pass or python-calamine."""

    def parse(self, name: str) -> ParsedSheet: ...


@dataclass
class Workbook:
    """An opened workbook: its sheet names and lazily read sheets."""

    path: Path
    label: str
    sheet_names: tuple[str, ...]
    hidden: frozenset[str] = frozenset()
    reader: SheetReader | None = None
    notes: tuple[Problem, ...] = ()
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

        Raises InputError, naming the file and sheet, when the sheet's data is damaged or past a bound.
        """
        title = self.sheet_named(name) or name
        if title not in self._parsed:
            if self.reader is None:
                raise InputError([Problem(self.label, "sheet cannot be read", _REPAIR, sheet=title)])
            try:
                self._parsed[title] = self.reader.parse(title)
            except Refused as exc:
                raise InputError(
                    [Problem(self.label, f"sheet cannot be read: {exc.what}", exc.fix, sheet=title)]
                ) from exc
            except Exception as exc:  # zip, XML, calamine and missing-part errors all mean a damaged file here
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
        """A sheet the program needs, with warnings when its name was matched loosely or it is hidden."""
        for note in self.notes:
            if note not in log.warnings:
                log.warn(note)
        warning = self.sheet_warning(name)
        if warning:
            log.warn(warning)
        sheet = self.sheet(name)
        if sheet.hidden:
            log.warn(
                Problem(
                    self.label,
                    "sheet is hidden in the workbook; it was read",
                    "unhide it so readers see it too",
                    sheet=sheet.name,
                )
            )
        return sheet

    def formulas(self, name: str) -> dict[str, str]:
        """Cells of a sheet holding a formula with no saved value, by cell name: to explain a blank."""
        return self._parse(name).formulas

    def merged_ranges(self, name: str) -> list[str]:
        """The merged cell ranges of a sheet (``A1:B1``)."""
        return self._parse(name).merged


def _reason(error: Exception) -> str:
    """Why a workbook part could not be read, in words rather than an exception's name."""
    if isinstance(error, DefusedXmlException) or "entit" in str(error).lower():
        return "its XML declares entities, which are refused for safety (a workbook saved by Excel never does)"
    return "the file is damaged or incomplete"


def find_workbook(folder: Path, name: str) -> tuple[Path, str]:
    """The workbook ``folder/name`` (``name`` like ``crime_data.xlsx``) saved as any format read, and its label.

    Raises InputError when there is none (naming a file of the same name in a format not read, if any)
    or when there are two (``crime_data.xlsx`` and ``crime_data.ods``: which is meant is not known).
    """
    stem = Path(name).stem
    found = sorted(
        path
        for path in (folder.iterdir() if folder.is_dir() else ())
        if path.stem.casefold() == stem.casefold() and not path.name.startswith(LOCK_PREFIXES)
    )
    readable = [path for path in found if path.suffix.lower() in WORKBOOK_SUFFIXES]
    if len(readable) > 1:
        names = " and ".join(path.name for path in readable)
        raise InputError([Problem(name, f"{names} are both in the inputs folder", "keep one of them")])
    if readable:
        return readable[0], readable[0].name
    if found:
        other = found[0]
        raise InputError([Problem(other.name, f"is not read: {unread_reason(other)}", _SAVE_AS)])
    raise InputError([Problem(name, "file not found", f"put the workbook at {name} or check its name")])


def lock_files(folder: Path, name: str) -> list[Problem]:
    """Warnings for lock files beside a workbook (``~$crime_data.xlsx``, ``.~lock.crime_data.xlsx#``): it is open."""
    stem = Path(name).stem.casefold()
    locks = sorted(
        path
        for path in (folder.iterdir() if folder.is_dir() else ())
        if path.name.startswith(LOCK_PREFIXES) and stem[2:] in path.name.casefold()
    )
    return [
        Problem(
            path.name,
            "not read: a lock file, left by Excel or LibreOffice while a workbook is open",
            "save and close the workbook before the run so its latest figures are read "
            "(delete the lock file if nothing is open)",
        )
        for path in locks
    ]


LOCK_PREFIXES = ("~$", ".~lock.")
_SAVE_AS = (
    "open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx) or an OpenDocument Spreadsheet (.ods)"
)


def unread_reason(path: Path) -> str:
    """Why a file beside the workbooks is not read, in words."""
    suffix = path.suffix.lower()
    if path.is_symlink() and not path.exists():
        return "it is a link to a file that no longer exists"
    if path.is_dir():
        return "it is a folder, not a file"
    kinds = {
        ".csv": "a CSV file",
        ".xlsb": "an Excel Binary Workbook",
        ".numbers": "a Numbers spreadsheet",
        ".xltx": "an Excel template",
        ".ots": "an OpenDocument template",
        ".fods": "a flat OpenDocument spreadsheet",
    }
    what = kinds.get(suffix, f"a {suffix} file" if suffix else "a file with no extension")
    return f"it is {what}, and only .xlsx, .xlsm, .ods and .xls workbooks are read"


SPREADSHEET_LIKE = (".csv", ".tsv", ".xlsb", ".xlt", ".xltx", ".xltm", ".numbers", ".ots", ".fods", ".gsheet")
SYSTEM_FILES = (".ds_store", "thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class FolderWorkbooks:
    """The workbooks of a folder, in name order, and what was said about every other entry in it."""

    paths: tuple[Path, ...]
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


def folder_workbooks(folder: Path, prefix: str) -> FolderWorkbooks:
    """Every workbook in ``folder`` (labels ``prefix/name``); nothing else in it passes without a word.

    A file that looks like a spreadsheet in a format not read (CSV, .xlsb,
    Numbers), a folder or a broken link named like a workbook is a problem: its
    scores would otherwise be left out of the ratings. Lock files, system
    files and other documents are named in a warning, with why they were not read.
    """
    if not folder.is_dir():
        return FolderWorkbooks(())
    paths: list[Path] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for path in sorted(folder.iterdir()):
        label, suffix = f"{prefix}/{path.name}", path.suffix.lower()
        if path.name.startswith(LOCK_PREFIXES):
            warnings.append(
                Problem(
                    label,
                    "not read: a lock file, left by Excel or LibreOffice while a workbook is open",
                    "save and close the workbook before the run so its latest scores are read "
                    "(delete the lock file if nothing is open)",
                )
            )
        elif path.name.lower() in SYSTEM_FILES:
            warnings.append(Problem(label, "not read: a file the operating system keeps", ""))
        elif suffix in WORKBOOK_SUFFIXES and path.is_file():
            paths.append(path)
        elif suffix in WORKBOOK_SUFFIXES or suffix in SPREADSHEET_LIKE:
            problems.append(Problem(label, f"is not read: {unread_reason(path)}", _MOVE_OR_SAVE))
        else:
            warnings.append(
                Problem(label, f"not read: {unread_reason(path)}", "move it out of the folder to silence this")
            )
    return FolderWorkbooks(tuple(paths), tuple(problems), tuple(warnings))


_MOVE_OR_SAVE = (
    "save it as an Excel Workbook (.xlsx) or an OpenDocument Spreadsheet (.ods), or move it out of the folder"
)


def open_workbook(path: Path, label: str) -> Workbook:
    """Open a workbook for reading: .xlsx, .xlsm, .ods or .xls, recognised by its content.

    Raises InputError, naming the file, when it is missing, a text/CSV file,
    password-protected, damaged, Strict Open XML that cannot be read, or past a bound.
    """
    problem = _unusable(path, label)
    if problem:
        raise InputError([problem])
    try:
        return _open(path, label)
    except Refused as exc:
        raise InputError([Problem(label, exc.what, exc.fix)]) from exc
    except InputError:
        raise
    except Exception as exc:  # zip, XML, calamine and missing-part errors all mean the file is not a workbook
        raise InputError([Problem(label, f"cannot be read as {_kind(path)}: {_reason(exc)}", _RESAVE)]) from exc


def _kind(path: Path) -> str:
    with path.open("rb") as handle:
        return "an Excel 97-2003 workbook" if handle.read(8).startswith(OLE_SIGNATURE) else "an Excel workbook"


def _open(path: Path, label: str) -> Workbook:
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_SIGNATURE):
        xls = read_calamine_book(path, opendocument=False)
        notes = () if path.suffix.lower() == ".xls" else (_renamed(label, "an Excel 97-2003 (.xls) workbook", ".xls"),)
        return Workbook(path, label, xls.sheet_names, xls.hidden, xls, notes)
    with zipfile.ZipFile(path) as archive:
        package = Package(archive)
        opendocument = package.has("mimetype") and package.read("mimetype").strip() == OPENDOCUMENT
        book = None if opendocument else read_book(package)
    if book is None:
        ods = read_calamine_book(path, opendocument=True)
        notes = () if path.suffix.lower() == ".ods" else (_renamed(label, "an OpenDocument spreadsheet", ".ods"),)
        return Workbook(path, label, ods.sheet_names, ods.hidden, ods, notes)
    names = tuple(sheet.name for sheet in book.sheets)
    hidden = frozenset(sheet.name for sheet in book.sheets if sheet.hidden)
    excel = path.suffix.lower() in (".xlsx", ".xlsm")
    notes = () if excel else (_renamed(label, "an Excel workbook", ".xlsx"),)
    return Workbook(path, label, names, hidden, _Reopening(path, book), notes)


def _renamed(label: str, what: str, suffix: str) -> Problem:
    return Problem(label, f"is {what} named as another format; it was read as such", f"rename it to end {suffix}")


@dataclass
class _Reopening:
    """The .xlsx pass over a package opened again for each sheet read (the file is not held open)."""

    path: Path
    book: Any

    def parse(self, name: str) -> ParsedSheet:
        with zipfile.ZipFile(self.path) as archive:
            self.book.package = Package(archive)
            parsed: ParsedSheet = self.book.parse(name)
            return parsed


_RESAVE = "open it in Excel or LibreOffice and save it again as an Excel Workbook (.xlsx)"
_REPAIR = "replace it with a good copy, or open it in Excel (which offers to repair it) and save it again"


def _unusable(path: Path, label: str) -> Problem | None:
    if not path.is_file():
        return Problem(label, "file not found", f"put the workbook at {label} or check its name")
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
        return None
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
    """A cell value as a number: numbers stored as text are accepted, words are not.

    A number within 1e-9 of a whole number is that whole number: the floating
    error a formula leaves (``=0.1*30`` saves 3.0000000000000004) is not a fraction.
    """
    if _blank(value):
        return Number(None)
    if isinstance(value, bool):
        return Number(None, f"{value} is not a number")
    if isinstance(value, int | float):
        return _number(float(value))
    if isinstance(value, dt.datetime | dt.date):
        return Number(None, f"the date {value:%d/%m/%Y} is not a number")
    if isinstance(value, dt.time | dt.timedelta):
        what = "time" if isinstance(value, dt.time) else "duration"
        return Number(None, f"the {what} {as_text(value)} is not a number")
    text = str(value).strip()
    if NUMBER_TEXT.match(text) or GROUPED_TEXT.match(text):
        return _number(float(text.replace(",", "")))
    if "," in text and NUMBER_TEXT.match(text.replace(",", ".", 1)):
        point = text.replace(",", ".", 1)
        return Number(
            None,
            f"'{clip(text)}' is ambiguous: a comma is a thousands separator here, never a decimal point "
            f"(write {clip(point)} for the decimal, or {clip(text.replace(',', ''))} for the whole number)",
        )
    return Number(None, f"'{clip(text)}' is not a number")


def _number(value: float) -> Number:
    if not math.isfinite(value):
        return Number(None, f"{value} is not a number a spreadsheet can hold")
    whole = round(value)
    return Number(float(whole) if abs(value - whole) <= WHOLE_TOLERANCE else value)


def shown(value: float) -> str:
    """A number as Excel shows it in the formula bar: up to 15 significant digits, no trailing zeros."""
    return f"{value:.15g}"


def as_text(value: Any) -> str:
    """A cell value as trimmed text (numbers without a trailing .0; times and durations as Excel shows them)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    return str(value).strip()
