"""One pass over a worksheet's XML: values, formulas and merged ranges together.

Reading a sheet with a general-purpose library walks every formatted cell;
a sheet with 200,000 formatted empty rows then takes seconds. This reader
streams the sheet's XML once with the standard library's expat parser (via
defusedxml), keeps only cells that hold something, and resolves shared
strings, booleans, errors and dates (from the cell's number format) the way
Excel shows them. Formulas keep their saved value; their text is kept apart,
so a formula with no saved value can be named.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from defusedxml import ElementTree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_REFERENCE = re.compile(r"^([A-Z]+)(\d+)$")
WHOLE = re.compile(r"^-?\d+$")
EMPTY_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?(?:/>|>\s*</(?:\w+:)?c>)")
EMPTY_ROW = re.compile(rb"<(?:\w+:)?row\s[^>]*?(?:/>|>\s*</(?:\w+:)?row>)")


@dataclass(frozen=True)
class ParsedSheet:
    """A sheet's cell values by row (row 1 first; blank rows kept as empty tuples), formulas and merges."""

    rows: tuple[tuple[Any, ...], ...]
    formulas: dict[str, str]
    merged: list[str]


@dataclass(frozen=True)
class _BookParts:
    sheets: dict[str, str]
    strings: list[str]
    date_styles: frozenset[int]
    epoch: dt.datetime


def parse_sheet(archive: zipfile.ZipFile, sheet_name: str) -> ParsedSheet:
    """Read one sheet of an open .xlsx archive.

    Raises KeyError when the sheet or a part it needs is missing, and the XML
    parser's errors when the XML is damaged: the caller names the file.
    """
    parts = _book_parts(archive)
    data = _without_empty_cells(archive.read(parts.sheets[sheet_name]))
    return _read_cells(io.BytesIO(data), parts)


def _without_empty_cells(data: bytes) -> bytes:
    """The sheet XML less its empty cells and rows (formatting only), which carry nothing to read."""
    data = EMPTY_CELL.sub(b"", data)
    return EMPTY_ROW.sub(b"", data)


def _read_cells(handle: IO[bytes], parts: _BookParts) -> ParsedSheet:
    cells: dict[int, dict[int, Any]] = {}
    formulas: dict[str, str] = {}
    merged: list[str] = []
    row_number, column_number = 0, 0
    for event, element in ElementTree.iterparse(handle, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{MAIN}row":
                row_number = int(element.get("r") or row_number + 1)
                column_number = 0
            continue
        if tag == f"{MAIN}c":
            row_number, column_number = _position(element.get("r"), row_number, column_number)
            value, formula = _cell(element, parts)
            if formula is not None:
                formulas[f"{_letters(element.get('r'), column_number)}{row_number}"] = formula
            if value is not None and not (isinstance(value, str) and not value.strip()):
                cells.setdefault(row_number, {})[column_number] = value
            element.clear()
        elif tag == f"{MAIN}row":
            element.clear()
        elif tag == f"{MAIN}mergeCell":
            merged.append(element.get("ref", ""))
    return ParsedSheet(_rows(cells), formulas, merged)


def _rows(cells: dict[int, dict[int, Any]]) -> tuple[tuple[Any, ...], ...]:
    if not cells:
        return ()
    rows: list[tuple[Any, ...]] = []
    for number in range(1, max(cells) + 1):
        row = cells.get(number)
        if not row:
            rows.append(())
            continue
        rows.append(tuple(row.get(column) for column in range(1, max(row) + 1)))
    return tuple(rows)


def _position(reference: str | None, row: int, column: int) -> tuple[int, int]:
    match = CELL_REFERENCE.match(reference or "")
    if match:
        return int(match.group(2)), column_index_from_string(match.group(1))
    return row, column + 1


def _letters(reference: str | None, column: int) -> str:
    match = CELL_REFERENCE.match(reference or "")
    if match:
        return match.group(1)
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _cell(element: Any, parts: _BookParts) -> tuple[Any, str | None]:
    kind = element.get("t", "n")
    formula_element = element.find(f"{MAIN}f")
    formula = None if formula_element is None else "=" + (formula_element.text or "")
    value_element = element.find(f"{MAIN}v")
    text = value_element.text if value_element is not None else None
    if kind == "inlineStr":
        inline = element.find(f"{MAIN}is")
        return ("".join(_texts(inline)) if inline is not None else None), formula
    if text is None:
        return None, formula
    if kind == "s":
        return parts.strings[int(text)], formula
    if kind in ("str", "e"):
        return text, formula
    if kind == "b":
        return text.strip() == "1", formula
    if kind == "d":
        return dt.datetime.fromisoformat(text), formula
    number: float = int(text) if WHOLE.match(text) else float(text)
    if int(element.get("s") or 0) in parts.date_styles:
        return from_excel(number, parts.epoch), formula
    return number, formula


def _texts(element: Any) -> list[str]:
    """The text of a string item: its own <t>, or its rich-text runs' <t>; phonetic runs left out."""
    texts = []
    for child in element:
        if child.tag == f"{MAIN}t":
            texts.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            texts.extend(t.text or "" for t in child.iter(f"{MAIN}t"))
    return texts


def _book_parts(archive: zipfile.ZipFile) -> _BookParts:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = _relations(archive, "xl/_rels/workbook.xml.rels")
    sheets = {
        sheet.get("name", ""): relations.get(sheet.get(f"{REL}id", ""), ("", ""))[1]
        for sheet in workbook.iter(f"{MAIN}sheet")
    }
    properties = workbook.find(f"{MAIN}workbookPr")
    mac = properties is not None and properties.get("date1904") in ("1", "true")
    targets = {kind: target for kind, target in relations.values()}
    strings_part = targets.get("sharedStrings", "xl/sharedStrings.xml")
    styles_part = targets.get("styles", "xl/styles.xml")
    names = set(archive.namelist())
    return _BookParts(
        sheets=sheets,
        strings=_shared_strings(archive, strings_part) if strings_part in names else [],
        date_styles=_date_styles(archive, styles_part) if styles_part in names else frozenset(),
        epoch=CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900,
    )


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (kind, target part path)."""
    root = ElementTree.fromstring(archive.read(part))
    out = {}
    for item in root.iter(f"{PACKAGE_REL}Relationship"):
        target = item.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[item.get("Id", "")] = (item.get("Type", "").rsplit("/", 1)[-1], path)
    return out


def _shared_strings(archive: zipfile.ZipFile, part: str) -> list[str]:
    strings: list[str] = []
    with archive.open(part) as handle:
        for _, element in ElementTree.iterparse(handle, events=("end",)):
            if element.tag == f"{MAIN}si":
                strings.append("".join(_texts(element)))
                element.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile, part: str) -> frozenset[int]:
    root = ElementTree.fromstring(archive.read(part))
    custom = {int(item.get("numFmtId", "0")): item.get("formatCode", "") for item in root.iter(f"{MAIN}numFmt")}
    cell_formats = root.find(f"{MAIN}cellXfs")
    dates = set()
    for index, style in enumerate(cell_formats if cell_formats is not None else []):
        number_format = int(style.get("numFmtId", "0"))
        code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format, "General")
        if is_date_format(code):
            dates.add(index)
    return frozenset(dates)
