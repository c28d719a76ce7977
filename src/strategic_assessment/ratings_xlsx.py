"""``ratings.xlsx`` written part by part with the standard library: the package openpyxl writes, to the byte.

Every run writes the ratings workbook (in the process forked beside the
documents), and openpyxl's import alone took 0.19-0.22 s of CPU there (0.11 s
with numpy kept out), against 0.016 s for its save: on the second core, beside
the drawing process that is the critical path of a regenerate. The workbook is
one sheet of plain values with a styled header, coloured rating cells, column
widths, a frozen header and a filter, so its nine parts are written here
directly (about 0.01 s): the same parts, in the same order, with the same
bytes openpyxl 3.1 writes for them (its theme is read from openpyxl's own
file, without importing the package), but for the times the workbook records.
``tests/test_ratings_xlsx.py`` holds the two writers to that.

A table this writer does not know how to write exactly as openpyxl would (a
value that is not text, a whole or decimal number, True/False or empty; text
openpyxl refuses or shortens; an error code; a colour that is not ``RRGGBB``)
is written by openpyxl, so nothing a workbook says depends on the writer.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import re
import zipfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .neutral import neutralise

SHEET = "ratings"
HEADER_FILL = "12436D"
MAX_TEXT = 32767
"""openpyxl shortens longer text: such a table is left to it (it says what it does)."""
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
PLAIN_TEXT = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
"""Text XML can hold as it is and openpyxl accepts (it refuses the control characters XML cannot hold)."""
COLOUR = re.compile("[0-9A-Fa-f]{6}")


def write_ratings_xlsx(
    path: Path, columns: Sequence[str], records: Sequence[dict[str, Any]], colours: dict[str, str]
) -> bool:
    """Write the workbook: the header, then one row per record (missing values blank), rating cells filled.

    ``colours`` maps a rating's name to its fill (``RRGGBB``). Returns False, having written nothing, when the
    table holds something this writer leaves to openpyxl (see the module).
    """
    rows = [[neutralise(column) for column in columns]]
    rows.extend(
        [None if _missing(value := record.get(column)) else neutralise(value) for column in columns]
        for record in records
    )
    if not all(_plain(value) for row in rows for value in row) or not all(
        COLOUR.fullmatch(c) for c in colours.values()
    ):
        return False
    coloured = [columns.index(name) for name in ("rating", "final_rating")]
    fills = [HEADER_FILL]  # openpyxl's fill ids: in the order the cells were given them, column by column
    for index in coloured:
        for row in rows[1:]:
            colour = colours.get(row[index]) if isinstance(row[index], str) else None
            if colour is not None and colour not in fills:
                fills.append(colour)
    styles: list[tuple[int, int]] = [(1, 2)]  # (font, fill) of each cell style after the default, in order of use
    sheet = _sheet(rows, columns, coloured, colours, fills, styles)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        archive.writestr("docProps/app.xml", _app())
        archive.writestr("docProps/core.xml", _core())
        archive.writestr("xl/theme/theme1.xml", _theme())
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/styles.xml", _styles(fills, styles))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(ref=_filter_name(len(columns), len(rows))))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    return True


def _missing(value: Any) -> bool:
    return value is None or (type(value) is float and math.isnan(value))


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is str:
        return len(value) <= MAX_TEXT and value not in ERROR_CODES and PLAIN_TEXT.fullmatch(value) is not None
    return kind in (int, float, bool) or value is None


def column_letter(number: int) -> str:
    """``1`` -> ``A``, ``27`` -> ``AA``."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sheet(
    rows: list[list[Any]],
    columns: Sequence[str],
    coloured: list[int],
    colours: dict[str, str],
    fills: list[str],
    styles: list[tuple[int, int]],
) -> str:
    letters = [column_letter(number) for number in range(1, len(columns) + 1)]
    widths = []
    for index, name in enumerate(columns):
        longest = max([len(name)] + [len(str(row[index] or "")) for row in rows[1:]])
        widths.append(min(max(10, longest + 2), 50))
    parts = [SHEET_START.format(dimension=f"A1:{letters[-1]}{len(rows)}")]
    parts.extend(f'<col width="{width}" customWidth="1" min="{n}" max="{n}"/>' for n, width in enumerate(widths, 1))
    parts.append("</cols><sheetData>")
    for number, row in enumerate(rows, start=1):
        parts.append(f'<row r="{number}">')
        for index, value in enumerate(row):
            style = 1 if number == 1 else 0
            if number > 1 and index in coloured and isinstance(value, str) and value in colours:
                key = (0, fills.index(colours[value]) + 2)
                if key not in styles:
                    styles.append(key)
                style = styles.index(key) + 1
            if value is None and not style:
                continue
            parts.append(_cell(f"{letters[index]}{number}", value, style))
        parts.append("</row>")
    parts.append(SHEET_END.format(ref=f"A1:{letters[-1]}{len(rows)}"))
    return "".join(parts)


def _cell(reference: str, value: Any, style: int) -> str:
    styled = f' s="{style}"' if style else ""
    if type(value) is str:
        if not value:
            return f'<c r="{reference}"{styled} t="inlineStr"></c>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{reference}"{styled} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
    if value is None:
        return f'<c r="{reference}"{styled} t="n"></c>'
    kind = "b" if type(value) is bool else "n"
    number = "" if math.isnan(value) or math.isinf(value) else f"{value:.16g}"
    return f'<c r="{reference}"{styled} t="{kind}"><v>{number}</v></c>'


def _escape(text: str) -> str:
    """Text as openpyxl's writer (lxml, writing ASCII) puts it: markup escaped, the rest beyond ASCII as ``&#n;``."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _filter_name(count: int, rows: int) -> str:
    return f"'{SHEET}'!$A$1:${column_letter(count)}${rows}"


def _styles(fills: list[str], styles: list[tuple[int, int]]) -> str:
    fill_parts = "".join(
        f'<fill><patternFill patternType="solid"><fgColor rgb="00{c}"/></patternFill></fill>' for c in fills
    )
    xfs = [STYLE_DEFAULT]
    for font, fill in styles:
        if (font, fill) == (1, 2) and len(xfs) == 1:
            xfs.append(STYLE_HEADER)
        else:
            xfs.append(
                f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" pivotButton="0" '
                'quotePrefix="0" xfId="0"/>'
            )
    return STYLES.format(fill_count=len(fills) + 2, fills=fill_parts, xf_count=len(xfs), xfs="".join(xfs))


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _core() -> str:
    now = _now()
    return CORE.format(created=now, modified=now)


@cache
def _app() -> str:
    from importlib.metadata import version

    return APP.format(version=version("openpyxl"))


@cache
def _theme() -> str:
    """openpyxl's theme, read from its file without importing openpyxl (the file is one string)."""
    spec = importlib.util.find_spec("openpyxl")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).parent / "writer" / "theme.py"
    loaded = importlib.util.spec_from_file_location("_openpyxl_theme", source)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return str(module.theme_xml)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = "application/vnd.openxmlformats-"
APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Microsoft Excel Compatible / Openpyxl {version}</Application><AppVersion>3.1</AppVersion>"
    "</Properties>"
)
_TERMS = (
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:type="dcterms:W3CDTF"'
)
CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">'
    '<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">openpyxl</dc:creator>'
    f"<dcterms:created {_TERMS}>{{created}}</dcterms:created>"
    f"<dcterms:modified {_TERMS}>{{modified}}</dcterms:modified></cp:coreProperties>"
)
ROOT_RELS = (
    f'<Relationships xmlns="{_RELS}">'
    f'<Relationship Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml" Id="rId1"/>'
    f'<Relationship Type="{_RELS}/metadata/core-properties" Target="docProps/core.xml" Id="rId2"/>'
    f'<Relationship Type="{_DOC_RELS}/extended-properties" Target="docProps/app.xml" Id="rId3"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<workbook xmlns="{_MAIN}"><workbookPr/><workbookProtection/><bookViews>'
    '<workbookView visibility="visible" minimized="0" showHorizontalScroll="1" showVerticalScroll="1" '
    'showSheetTabs="1" tabRatio="600" firstSheet="0" activeTab="0" autoFilterDateGrouping="1"/></bookViews>'
    f'<sheets><sheet xmlns:r="{_DOC_RELS}" name="{SHEET}" sheetId="1" state="visible" r:id="rId1"/></sheets>'
    '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">{ref}</definedName>'
    '</definedNames><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{_RELS}">'
    f'<Relationship Type="{_DOC_RELS}/worksheet" Target="/xl/worksheets/sheet1.xml" Id="rId1"/>'
    f'<Relationship Type="{_DOC_RELS}/styles" Target="styles.xml" Id="rId2"/>'
    f'<Relationship Type="{_DOC_RELS}/theme" Target="theme/theme1.xml" Id="rId3"/>'
    "</Relationships>"
)
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_TYPES}package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}officedocument.spreadsheetml.styles+xml"/>'
    f'<Override PartName="/xl/theme/theme1.xml" ContentType="{_TYPES}officedocument.theme+xml"/>'
    f'<Override PartName="/docProps/core.xml" ContentType="{_TYPES}package.core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_TYPES}officedocument.extended-properties+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPES}officedocument.spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
SHEET_START = (
    f'<worksheet xmlns="{_MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/></sheetPr>'
    '<dimension ref="{dimension}"/><sheetViews><sheetView workbookViewId="0">'
    '<pane xSplit="2" ySplit="1" topLeftCell="C2" activePane="bottomRight" state="frozen"/>'
    '<selection pane="topRight"/><selection pane="bottomLeft"/>'
    '<selection pane="bottomRight" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
    '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/><cols>'
)
SHEET_END = (
    '</sheetData><autoFilter ref="{ref}"/>'
    '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'
)
STYLE_DEFAULT = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" pivotButton="0" quotePrefix="0" xfId="0"/>'
STYLE_HEADER = (
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" applyAlignment="1" pivotButton="0" quotePrefix="0" '
    'xfId="0"><alignment vertical="top" wrapText="1"/></xf>'
)
_PALETTE = (
    "0000000000FFFFFF00FF00000000FF00000000FF00FFFF0000FF00FF0000FFFF0000000000FFFFFF00FF00000000FF00"
    "000000FF00FFFF0000FF00FF0000FFFF00800000000080000000008000808000008000800000808000C0C0C000808080"
    "009999FF0099336600FFFFCC00CCFFFF0066006600FF8080000066CC00CCCCFF0000008000FF00FF00FFFF000000FFFF"
    "008000800080000000008080000000FF0000CCFF00CCFFFF00CCFFCC00FFFF990099CCFF00FF99CC00CC99FF00FFCC99"
    "003366FF0033CCCC0099CC0000FFCC0000FF990000FF6600006666990096969600003366003399660000330000333300"
    "00993300009933660033339900333333"
)
"""openpyxl's indexed colours, eight hex digits each, as it writes them."""
_INDEXED = [_PALETTE[start : start + 8] for start in range(0, len(_PALETTE), 8)]
STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><numFmts count="0"/><fonts count="2"><font><name val="Calibri"/>'
    '<family val="2"/><color theme="1"/><sz val="11"/><scheme val="minor"/></font><font><b val="1"/>'
    '<color rgb="00FFFFFF"/></font></fonts><fills count="{fill_count}"><fill><patternFill/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>{fills}</fills><borders count="1"><border><left/><right/>'
    '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs><cellXfs count="{xf_count}">{xfs}</cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0" hidden="0"/></cellStyles><tableStyles count="0" '
    'defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/><colors><indexedColors>'
    + "".join(f'<rgbColor rgb="{colour}"/>' for colour in _INDEXED)
    + "</indexedColors></colors></styleSheet>"
)
