"""Workbooks as partnerships save them: other formats, title rows, merged cells, other package layouts.

Each case is built the way the application that makes it does: LibreOffice
(the one kept running for the tests) saves the example's workbooks as .ods
and .xls (skipped, with the reason, where LibreOffice is absent); package
cases are zip-level edits of a workbook openpyxl wrote, the way other
generators lay parts out. Expected ratings are the published ones (tests/published.py) or Testshire's worked by
hand (tests/builders.py EXPECTED).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook

from strategic_assessment.cli import cli
from strategic_assessment.errors import ProblemLog
from strategic_assessment.ingest.excel import as_number, as_text, open_workbook
from strategic_assessment.ingest.header import read_header

from .builders import (
    ANNUAL_HEADER,
    ANNUAL_ROWS,
    EXPECTED,
    SCORE_HEADER,
    SCORE_ROWS,
    write_crime,
    write_workbook,
)
from .kept_office import KeptOffice
from .messages import problem_lines, rewrite_zip, warning_lines
from .published import PUBLISHED

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs"
WORKSHOP = "workshops/workshop-1.xlsx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
Run = Callable[..., Result]


def ratings(outputs: Path) -> dict[str, str]:
    with (outputs / "2018-19" / "ratings.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["threat"]: row["rating"] for row in csv.DictReader(handle)}


def scores(outputs: Path) -> dict[str, tuple[int, str]]:
    with (outputs / "2018-19" / "ratings.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["threat"]: (int(float(row["score"])), row["rating"]) for row in csv.DictReader(handle)}


def score_folder(inputs: Path, outputs: Path) -> Result:
    return CliRunner().invoke(
        cli, ["score", "--inputs", str(inputs), "--outputs", str(outputs)], catch_exceptions=False
    )


def merged_workbook(path: Path) -> Path:
    """A scores sheet whose theme cell A2:A4 is merged, and a hidden notes sheet, as openpyxl writes them."""
    book = OpenpyxlWorkbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "scores"
    sheet.append(["theme", "threat"])
    for row in (["Drugs", "County lines"], [None, "Possession"], [None, "Supply"]):
        sheet.append(row)
    sheet.merge_cells("A2:A4")
    book.create_sheet("notes").sheet_state = "hidden"
    book.save(path)
    return path


@dataclass(frozen=True)
class Saved:
    inputs: Path  # a copy of the worked example, its workbooks saved by LibreOffice
    merged: Path  # merged_workbook saved by LibreOffice in the same run


def example_as(target: str, folder: Path, office: KeptOffice) -> Saved:
    """A copy of the worked example with its crime workbook and every workshop saved by LibreOffice as ``target``.

    The merged workbook is saved with them, by the LibreOffice kept for the tests (the one that saves the
    other format too).
    """
    inputs = folder / "inputs"
    shutil.copytree(EXAMPLE, inputs, ignore=shutil.ignore_patterns("examples"))
    books = [inputs / "crime_data.xlsx", *sorted((inputs / "workshops").glob("*.xlsx"))]
    merged = merged_workbook(folder / "merged.xlsx")
    *saved_books, saved_merged = office.save_as([*books, merged], target, folder / "converted")
    for path, saved in zip(books, saved_books, strict=True):
        path.unlink()
        shutil.move(saved, path.with_suffix(f".{target}"))
    return Saved(inputs, saved_merged)


# --- .ods and .xls --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_saved_as(tmp_path_factory: pytest.TempPathFactory, kept_office: KeptOffice) -> Callable[[str], Saved]:
    """The example saved by LibreOffice as .ods or .xls, converted once per format for this module."""
    saved: dict[str, Saved] = {}

    def files(target: str) -> Saved:
        if target not in saved:
            saved[target] = example_as(target, tmp_path_factory.mktemp(target), kept_office)
        return saved[target]

    return files


@needs_soffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("target", ["ods", "xls"])
def test_example_saved_by_libreoffice_gives_the_published_ratings(
    tmp_path: Path, example_saved_as: Callable[[str], Saved], target: str
) -> None:
    inputs = example_saved_as(target).inputs
    assert not list(inputs.rglob("*.xlsx")), "only the converted workbooks are left"
    result = score_folder(inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    assert ratings(tmp_path / "outputs") == PUBLISHED
    assert not [line for line in warning_lines(result.output) if "not read" in line]


@needs_soffice
@pytest.mark.libreoffice
def test_ods_workbook_cells_are_the_xlsx_cells(example_saved_as: Callable[[str], Saved]) -> None:
    """The same sheets through python-calamine (.ods) and the .xlsx pass: same rows, same cell addresses."""
    source = EXAMPLE / "crime_data.xlsx"
    ods = example_saved_as("ods").inputs / "crime_data.ods"
    xlsx_book, ods_book = open_workbook(source, "crime_data.xlsx"), open_workbook(ods, "crime_data.ods")
    assert ods_book.sheet_names == xlsx_book.sheet_names
    for name in ("annual", "monthly", "neighbourhoods", "comparators"):
        expected = [tuple(as_text(value) for value in row) for row in xlsx_book.sheet(name).rows]
        assert [tuple(as_text(value) for value in row) for row in ods_book.sheet(name).rows] == expected, name


@needs_soffice
@pytest.mark.libreoffice
def test_merged_and_hidden_sheets_in_ods_and_xls_are_found(example_saved_as: Callable[[str], Saved]) -> None:
    for target in ("ods", "xls"):
        saved = example_saved_as(target).merged
        assert saved.suffix == f".{target}"
        opened = open_workbook(saved, saved.name)
        assert opened.merged_ranges("scores") == ["A2:A4"], target
        assert (opened.sheet_names, opened.hidden) == (("scores", "notes"), frozenset({"notes"})), target
        assert opened.sheet("scores").rows[1:] == (("Drugs", "County lines"), (None, "Possession"), (None, "Supply"))


def test_a_workbook_is_read_by_its_content_whatever_its_extension(inputs: Path, run: Run) -> None:
    (inputs / "crime_data.xlsx").rename(inputs / "crime_data.ods")
    result = run("score")
    assert result.exit_code == 0, result.output
    assert scores(inputs.parent / "outputs") == EXPECTED
    assert (
        "crime_data.ods: is an Excel workbook named as another format; it was read as such; rename it to end .xlsx"
    ) in warning_lines(result.output)


def test_macro_enabled_workbooks_are_read(inputs: Path, run: Run) -> None:
    """An .xlsm is an .xlsx package whose workbook part has the macro-enabled content type."""

    def macro_enabled(parts: dict[str, bytes]) -> None:
        types = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = types.replace(
            "spreadsheetml.sheet.main+xml", "sheet.macroEnabled.main+xml"
        ).encode()

    for name in ("crime_data.xlsx", WORKSHOP):
        rewrite_zip(inputs / name, macro_enabled)
        (inputs / name).rename((inputs / name).with_suffix(".xlsm"))
    result = run("score")
    assert result.exit_code == 0, result.output
    assert scores(inputs.parent / "outputs") == EXPECTED
    assert not warning_lines(result.output) or all(".xlsm" not in line for line in warning_lines(result.output))


def test_a_lock_file_beside_the_crime_workbook_is_named(inputs: Path, run: Run) -> None:
    (inputs / ".~lock.crime_data.xlsx#").write_text(",Analyst,host,02.12.2026 09:00,file:///home;", encoding="utf-8")
    result = run("score")
    assert result.exit_code == 0, result.output
    assert (
        ".~lock.crime_data.xlsx#: not read: a lock file, left by Excel or LibreOffice while a workbook is open; "
        "save and close the workbook before the run so its latest figures are read "
        "(delete the lock file if nothing is open)"
    ) in warning_lines(result.output)


def test_two_crime_workbooks_are_a_problem(inputs: Path, run: Run) -> None:
    shutil.copy(inputs / "crime_data.xlsx", inputs / "crime_data.ods")
    result = run("validate")
    assert result.exit_code == 2, result.output
    assert problem_lines(result.output) == [
        "crime_data.xlsx: crime_data.ods and crime_data.xlsx are both in the inputs folder; keep one of them"
    ]


def test_crime_data_in_a_format_not_read_is_named(inputs: Path, run: Run) -> None:
    (inputs / "crime_data.xlsx").unlink()
    (inputs / "crime_data.csv").write_text("crime_type,2017/18,2018/19\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 2, result.output
    assert problem_lines(result.output) == [
        "crime_data.csv: is not read: it is a CSV file, and only .xlsx, .xlsm, .ods and .xls workbooks are read; "
        "open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx) or an OpenDocument Spreadsheet (.ods)"
    ]


# --- files in workshops/ that are not read ----------------------------------------------------------


def test_every_file_in_workshops_that_is_not_read_is_named(inputs: Path, run: Run) -> None:
    folder = inputs / "workshops"
    (folder / "~$workshop-1.xlsx").write_bytes(b"\x00" * 165)  # Excel's owner file while the workbook is open
    (folder / ".~lock.workshop-1.xlsx#").write_text(",Analyst,host,02.12.2026 09:00,file:///home;", encoding="utf-8")
    (folder / "notes.txt").write_text("agenda", encoding="utf-8")
    result = run("score")
    assert result.exit_code == 0, result.output
    lock_fix = (
        "save and close the workbook before the run so its latest scores are read "
        "(delete the lock file if nothing is open)"
    )
    warnings = warning_lines(result.output)
    for name in (".~lock.workshop-1.xlsx#", "~$workshop-1.xlsx"):
        assert (
            f"workshops/{name}: not read: a lock file, left by Excel or LibreOffice while a workbook is open; "
            + lock_fix
        ) in warnings
    assert (
        "workshops/notes.txt: not read: it is a .txt file, and only .xlsx, .xlsm, .ods and .xls workbooks are "
        "read; move it out of the folder to silence this"
    ) in warnings


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda folder: (folder / "workshop-2.csv").write_text("theme,threat\n", encoding="utf-8"), "a CSV file"),
        (lambda folder: (folder / "workshop-2.xlsb").write_bytes(b"PK\x03\x04"), "an Excel Binary Workbook"),
        (lambda folder: (folder / "workshop-2.xlsx").mkdir(), None),
        (lambda folder: (folder / "workshop-2.xlsx").symlink_to(folder / "moved-away.xlsx"), None),
    ],
    ids=["csv", "xlsb", "folder-named-xlsx", "broken-link"],
)
def test_a_spreadsheet_in_workshops_that_is_not_read_stops_the_run(
    inputs: Path, run: Run, make: Callable[[Path], object], what: str | None
) -> None:
    make(inputs / "workshops")
    result = run("validate")
    assert result.exit_code == 2, result.output
    (problem,) = problem_lines(result.output)
    assert problem.startswith("workshops/workshop-2."), problem
    assert ": is not read: " in problem
    assert problem.endswith("or move it out of the folder")
    if what:
        assert f"it is {what}" in problem


# --- title rows above the header ------------------------------------------------------------------------


def with_title(path: Path, sheet: str, *titles: str) -> None:
    """Rows inserted above the header, the first merged across the table, as a person titles a sheet."""
    book = load_workbook(path)
    worksheet = book[sheet]
    worksheet.insert_rows(1, amount=len(titles) + 1)
    for number, title in enumerate(titles, start=1):
        worksheet.cell(number, 1, title)
    worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    book.save(path)


def test_title_rows_above_the_header(inputs: Path, run: Run) -> None:
    with_title(inputs / WORKSHOP, "scores", "Safer Testshire workshop scores, July 2019")
    with_title(inputs / WORKSHOP, "themes", "Theme narratives")
    with_title(inputs / "crime_data.xlsx", "annual", "Recorded crime", "Source: police recorded crime")
    result = run("score")
    assert result.exit_code == 0, result.output
    assert scores(inputs.parent / "outputs") == EXPECTED
    log = ProblemLog()
    book = open_workbook(inputs / WORKSHOP, WORKSHOP)
    columns = read_header(book, book.sheet("scores"), ["theme", "threat"], [], log)
    assert columns is not None
    assert (columns.row, columns.title) == (3, ("Safer Testshire workshop scores, July 2019",))
    assert not log.problems


def test_messages_name_the_header_row_used(inputs: Path, run: Run) -> None:
    header = [name for name in SCORE_HEADER if name != "capability"]
    rows = [
        [value for name, value in zip(SCORE_HEADER, row, strict=True) if name != "capability"] for row in SCORE_ROWS
    ]
    write_workbook(inputs / WORKSHOP, {"scores": (header, rows)})
    with_title(inputs / WORKSHOP, "scores", "Safer Testshire workshop scores, July 2019")
    result = run("validate")
    assert result.exit_code == 2
    assert (
        "workshops/workshop-1.xlsx › scores › row 3: column 'capability' not found; "
        "add a column headed 'capability' in row 3"
    ) in problem_lines(result.output)


def test_a_data_row_with_a_bad_value_is_named_by_its_own_row_below_a_title(inputs: Path, run: Run) -> None:
    rows = [list(row) for row in ANNUAL_ROWS]
    rows[1][4] = -250
    write_crime(inputs, ANNUAL_HEADER, rows)
    with_title(inputs / "crime_data.xlsx", "annual", "Recorded crime")
    result = run("validate")
    # Row 1 the title, row 2 blank, row 3 the header, row 4 All crime, row 5 Hate crime.
    assert "crime_data.xlsx › annual › E5: count -250 is negative; enter the number of crimes (0 or more)" in (
        problem_lines(result.output)
    )


# --- merged cells in data columns -----------------------------------------------------------------------------


def merge_theme_runs(path: Path) -> list[str]:
    """Each run of one theme down column A merged into one cell holding it once, as people lay out a sheet."""
    book = load_workbook(path)
    sheet = book["scores"]
    merged, start = [], 2
    for row in range(3, sheet.max_row + 2):
        if row <= sheet.max_row and sheet.cell(row, 1).value == sheet.cell(start, 1).value:
            continue
        if row - 1 > start:
            for blank in range(start + 1, row):
                sheet.cell(blank, 1).value = None
            sheet.merge_cells(start_row=start, start_column=1, end_row=row - 1, end_column=1)
            merged.append(f"A{start}:A{row - 1}")
        start = row
    book.save(path)
    return merged


def test_merged_theme_cells_give_their_theme_to_every_row(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(EXAMPLE, inputs, ignore=shutil.ignore_patterns("examples"))
    merges = {path.name: merge_theme_runs(path) for path in sorted((inputs / "workshops").glob("*.xlsx"))}
    assert sum(len(ranges) for ranges in merges.values()) >= 8, merges
    result = score_folder(inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    assert ratings(tmp_path / "outputs") == PUBLISHED
    merge_warnings = [line for line in warning_lines(result.output) if "are merged" in line]
    expected = [(name, ref) for name, ranges in merges.items() for ref in ranges]
    assert len(merge_warnings) == len(expected)
    for name, ref in expected:
        assert any(
            line.startswith(f"workshops/{name} › scores › {ref}: cells {ref} are merged; '") for line in merge_warnings
        )


def test_merged_header_cells_stay_a_problem_below_a_title(inputs: Path, run: Run) -> None:
    with_title(inputs / WORKSHOP, "scores", "Scores")
    book = load_workbook(inputs / WORKSHOP)
    book["scores"].merge_cells("D3:E3")
    book.save(inputs / WORKSHOP)
    result = run("validate")
    assert result.exit_code == 2
    assert (
        "workshops/workshop-1.xlsx › scores › D3:E3: header cells are merged; unmerge them (Home › Merge & Center) "
        "and give each column its own header"
    ) in problem_lines(result.output)


# --- package layouts ------------------------------------------------------------------------------------------


def move_workbook_part(parts: dict[str, bytes]) -> None:
    """The workbook part at /book/main.xml, sheets at /sheets/, targets absolute, ./ and ../ (all allowed by OPC)."""
    parts["book/main.xml"] = parts.pop("xl/workbook.xml")
    rels = parts.pop("xl/_rels/workbook.xml.rels").decode()
    for name in [name for name in parts if name.startswith("xl/worksheets/")]:
        parts[name.replace("xl/worksheets/", "sheets/")] = parts.pop(name)
    rels = rels.replace('Target="/xl/worksheets/', 'Target="../sheets/').replace(
        'Target="worksheets/', 'Target="../sheets/'
    )
    rels = re.sub(r'Target="/?(?:xl/)?styles.xml"', 'Target="/xl/styles.xml"', rels)
    rels = re.sub(r'Target="/?(?:xl/)?theme/', 'Target="./../xl/theme/', rels)
    parts["book/_rels/main.xml.rels"] = rels.encode()
    root = parts["_rels/.rels"].decode()
    parts["_rels/.rels"] = re.sub(r'Target="/?xl/workbook.xml"', 'Target="book/main.xml"', root).encode()
    types = parts["[Content_Types].xml"].decode().replace("/xl/workbook.xml", "/book/main.xml")
    parts["[Content_Types].xml"] = types.replace("/xl/worksheets/", "/sheets/").encode()


TRANSITIONAL_TO_STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
}


def make_strict(parts: dict[str, bytes]) -> None:
    """Excel's "Strict Open XML Spreadsheet": the same parts in the ISO/IEC 29500 Strict namespaces."""
    for name, data in parts.items():
        for old, new in TRANSITIONAL_TO_STRICT.items():
            data = data.replace(old, new)
        parts[name] = data


@pytest.mark.parametrize("change", [move_workbook_part, make_strict], ids=["relationships", "strict"])
def test_package_layouts_allowed_by_the_conventions_are_read(
    inputs: Path, run: Run, change: Callable[[dict[str, bytes]], None]
) -> None:
    for path in (inputs / "crime_data.xlsx", inputs / WORKSHOP):
        rewrite_zip(path, change)
    with zipfile.ZipFile(inputs / WORKSHOP) as archive:
        names = archive.namelist()
    assert ("book/main.xml" in names) == (change is move_workbook_part)
    result = run("score")
    assert result.exit_code == 0, result.output
    assert scores(inputs.parent / "outputs") == EXPECTED


# --- cell values ----------------------------------------------------------------------------------------------


def set_cell(path: Path, part: str, reference: str, xml: str) -> None:
    """Replace one cell's XML in a sheet part (the cell must exist)."""

    def change(parts: dict[str, bytes]) -> None:
        text = parts[part].decode()
        pattern = rf'<c r="{reference}"(?: [^>]*)?(?:/>|>.*?</c>)'
        assert re.search(pattern, text), reference
        parts[part] = re.sub(pattern, xml, text, count=1).encode()

    rewrite_zip(path, change)


SCORES = "xl/worksheets/sheet1.xml"


def test_whole_numbers_allow_a_formula_s_floating_error(inputs: Path, run: Run) -> None:
    # Hate crime's physical (D2) is 1 and its 2018/19 count (E3) 250, here as formulas that save floating error.
    assert ((0.1 * 3) / 0.3, 250 * (0.1 * 3) / 0.3) == (1.0000000000000002, 250.00000000000006)
    set_cell(inputs / WORKSHOP, SCORES, "D2", '<c r="D2"><f>(0.1*3)/0.3</f><v>1.0000000000000002</v></c>')
    set_cell(inputs / "crime_data.xlsx", SCORES, "E3", '<c r="E3"><f>250*(0.1*3)/0.3</f><v>250.00000000000006</v></c>')
    result = run("score")
    assert result.exit_code == 0, result.output
    assert scores(inputs.parent / "outputs") == EXPECTED


def test_a_fraction_is_named_as_excel_shows_it(inputs: Path, run: Run) -> None:
    set_cell(inputs / WORKSHOP, SCORES, "D2", '<c r="D2"><v>1.0000001</v></c>')
    result = run("validate")
    assert (
        "workshops/workshop-1.xlsx › scores › D2: physical 1.0000001 is not a whole number; "
        "enter a whole number 0-3 (0 None, 1 Low, 2 Medium, 3 High)"
    ) in problem_lines(result.output)
    assert as_number(3.0000000000000004).value == 3.0
    assert as_number(2.999999998).value == 2.999999998


def inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def replace_sheet_data(path: Path, part: str, rows: list[str]) -> None:
    """A sheet's rows replaced by hand-written XML rows (here without ``r``: allowed, and some generators write it)."""

    def change(parts: dict[str, bytes]) -> None:
        text = parts[part].decode()
        text = re.sub(r"<sheetData>.*</sheetData>|<sheetData/>", "<sheetData>" + "".join(rows) + "</sheetData>", text)
        text = re.sub(r"<dimension [^>]*/>", "", text)
        parts[part] = text.encode()

    rewrite_zip(path, change)


def test_cells_without_r_keep_their_columns_beside_formatted_empty_cells(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "monthly.xlsx", {"monthly": (["month"], [])})
    replace_sheet_data(
        path,
        SCORES,
        [
            "<row>" + inline("month") + inline("All crime") + inline("ASB") + "</row>",
            "<row>" + inline("2018-04") + '<c s="1"/><c><v>840</v></c></row>',  # April's All crime: formatted, empty
            '<row s="1" customFormat="1"><c s="1"/></row>',  # a formatted empty row
            "<row>" + inline("2018-05") + "<c><v>1010</v></c><c><v>850</v></c></row>",
        ],
    )
    openpyxl_cells = {
        (cell.row, cell.column): cell.value
        for row in load_workbook(path)["monthly"].iter_rows()
        for cell in row
        if cell.value is not None
    }
    ours = {
        (number, column): value
        for number, row in enumerate(open_workbook(path, "monthly.xlsx").sheet("monthly").rows, start=1)
        for column, value in enumerate(row, start=1)
        if value is not None
    }
    by_hand = {
        (1, 1): "month",
        (1, 2): "All crime",
        (1, 3): "ASB",
        (2, 1): "2018-04",
        (2, 3): 840,
        (4, 1): "2018-05",
        (4, 2): 1010,
        (4, 3): 850,
    }
    assert ours == by_hand
    assert ours == openpyxl_cells


def test_april_asb_stays_asb_in_a_sheet_without_r(inputs: Path, run: Run) -> None:
    write_crime(inputs, extra={"monthly": (["month"], [])})
    months = [f"2018-{month:02d}" for month in range(4, 13)] + [f"2019-{month:02d}" for month in (1, 2, 3)]
    rows = ["<row>" + inline("month") + inline("All crime") + inline("ASB") + "</row>"]
    rows.append("<row>" + inline(months[0]) + '<c s="1"/><c><v>840</v></c></row>')
    rows += ["<row>" + inline(month) + "<c><v>90</v></c><c><v>70</v></c></row>" for month in months[1:]]
    replace_sheet_data(inputs / "crime_data.xlsx", "xl/worksheets/sheet2.xml", rows)
    result = run("score")
    assert result.exit_code == 0, result.output
    with (inputs.parent / "outputs" / "2018-19" / "data" / "monthly.csv").open(encoding="utf-8") as handle:
        april = next(row for row in csv.DictReader(handle) if row["month"] == "2018-04")
    assert (april["All crime"], april["ASB"]) == ("", "840")
    assert "crime_data.xlsx › monthly: series 'All crime' has no count for 2018-04" in result.output


def test_excel_escapes_are_decoded(inputs: Path, run: Run) -> None:
    def change(parts: dict[str, bytes]) -> None:
        parts[SCORES] = parts[SCORES].replace(b"<t>Hate crime</t>", b"<t>Hate crime_x000D_</t>", 1)

    rewrite_zip(inputs / "crime_data.xlsx", change)
    assert b"Hate crime_x000D_" in zipfile.ZipFile(inputs / "crime_data.xlsx").read(SCORES)
    result = run("score")
    assert result.exit_code == 0, result.output
    assert "_x000D_" not in result.output
    assert scores(inputs.parent / "outputs") == EXPECTED
    themes = "xl/worksheets/sheet2.xml"
    set_cell(
        inputs / WORKSHOP,
        themes,
        "D2",
        '<c r="D2" t="inlineStr"><is><t>Harm_x000D_\nto victims; _x005F_x000D_ kept</t></is></c>',
    )
    cell = open_workbook(inputs / WORKSHOP, WORKSHOP).sheet("themes").rows[1][3]
    assert cell == "Harm\nto victims; _x000D_ kept"


def test_a_formula_saved_as_the_empty_string_is_blank(inputs: Path, run: Run) -> None:
    # Hate crime's frequency (H2) is blank and suggested from the data; a formula giving "" is blank too.
    # G2 (community 3) is written again with H2 after it.
    formula = '<c r="H2" t="str"><f>IF(1,"",1)</f><v></v></c>'
    set_cell(inputs / WORKSHOP, SCORES, "G2", '<c r="G2" t="n"><v>3</v></c>' + formula)
    assert formula.encode() in zipfile.ZipFile(inputs / WORKSHOP).read(SCORES)
    result = run("score")
    assert result.exit_code == 0, result.output
    assert scores(inputs.parent / "outputs") == EXPECTED


def test_iso_times_and_durations_are_read_as_such(inputs: Path, run: Run, tmp_path: Path) -> None:
    themes = "xl/worksheets/sheet2.xml"
    set_cell(inputs / WORKSHOP, themes, "E2", '<c r="E2" t="d"><v>10:10:10</v></c>')
    result = run("score")
    assert result.exit_code == 0, result.output
    assert open_workbook(inputs / WORKSHOP, WORKSHOP).sheet("themes").rows[1][4] == dt.time(10, 10, 10)

    path = tmp_path / "durations.xlsx"
    book = OpenpyxlWorkbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "times"
    sheet["A1"], sheet["A2"], sheet["A3"] = 1.5, 0.25, dt.datetime(2019, 4, 1)
    sheet["A1"].number_format = "[h]:mm:ss"
    sheet["A2"].number_format = "h:mm"
    book.save(path)
    values = [row[0] for row in open_workbook(path, "durations.xlsx").sheet("times").rows]
    assert values == [dt.timedelta(hours=36), dt.time(6, 0), dt.datetime(2019, 4, 1)]
    assert as_text(values[0]) == "36:00:00"
    assert as_number(values[0]).error == "the duration 36:00:00 is not a number"


def test_a_time_in_a_count_cell_is_named(inputs: Path, run: Run) -> None:
    set_cell(inputs / "crime_data.xlsx", SCORES, "E3", '<c r="E3" t="d"><v>10:10:10</v></c>')
    result = run("validate")
    assert "crime_data.xlsx › annual › E3: the time 10:10:10 is not a number; enter a whole number, or leave it " in (
        result.output
    )


def test_the_example_reads_the_same_through_the_reader_and_openpyxl() -> None:
    """Every non-empty cell of the example's workbooks, as openpyxl reads it."""
    for path in [EXAMPLE / "crime_data.xlsx", *sorted((EXAMPLE / "workshops").glob("*.xlsx"))]:
        book = open_workbook(path, path.name)
        reference = load_workbook(path, data_only=True)
        for name in book.sheet_names:
            expected = {
                (cell.row, cell.column): cell.value
                for row in reference[name].iter_rows()
                for cell in row
                if cell.value is not None and not (isinstance(cell.value, str) and not cell.value.strip())
            }
            ours = {
                (number, column): value
                for number, row in enumerate(book.sheet(name).rows, start=1)
                for column, value in enumerate(row, start=1)
                if value is not None
            }
            assert ours == expected, (path.name, name)
