"""Bad input, end to end (SPEC §7): every case is built as a real file and run through the command line.

Each test writes the Testshire inputs (tests/builders.py), breaks one thing
for real (openpyxl, raw bytes, zip surgery, YAML text), runs ``validate``
and/or ``score`` and checks: exit code 2 (0 where the input is accepted or
only warned about), no traceback, and the message ``file › sheet › cell:
what is wrong; how to fix it`` with the cell worked out by hand. A failed
``score`` must leave the outputs folder empty.

Cells of the Testshire workbooks, worked out by hand:

- ``workshops/workshop-1.xlsx › scores`` (SCORE_HEADER): A theme, B threat,
  C data_row, D physical, E psychological, F financial, G community,
  H frequency, I trend, J knowledge_gaps, K capacity, L capability,
  M override_rating, N override_reason, O scored_year; row 2 Hate crime,
  row 3 Domestic abuse, row 4 Burglary, row 5 County lines (no data_row).
- ``crime_data.xlsx › annual`` (ANNUAL_HEADER): A crime_type, B theme,
  C denominator, D 2017/18, E 2018/19; row 2 All crime, row 3 Hate crime,
  row 4 Burglary, row 5 Domestic abuse crimes (denominator adults).

| §7 case | test |
|---|---|
| missing file: assessment.yaml | test_missing_settings_file |
| missing file: crime_data.xlsx | test_missing_crime_workbook |
| missing file: no workshop workbooks | test_no_workshop_workbooks |
| missing sheet (suggest a near name) | test_missing_annual_sheet |
| | test_missing_scores_sheet |
| missing column (suggest the closest) | test_missing_column_suggests_the_closest_header |
| header differing in case (warned) | test_header_differing_in_case_is_read_with_a_warning |
| duplicate column | test_duplicate_column |
| duplicate threat | test_duplicate_threat_in_one_workbook |
| duplicate crime type | test_duplicate_crime_type |
| unknown theme | test_unknown_theme_suggests_a_known_one |
| | test_theme_and_threat_messages_name_the_cell |
| unknown threat | test_explain_unknown_threat_suggests_a_known_one |
| unknown data_row crime type | test_unknown_data_row |
| score out of range, not whole, a word | test_bad_score |
| | test_bad_score_is_not_also_called_blank |
| numbers stored as text (accepted) | test_numbers_stored_as_text_are_accepted |
| blank required score | test_blank_required_score |
| formula with no saved value | test_formula_without_saved_value |
| | test_formula_with_saved_value_is_read |
| merged header cells | test_merged_header_cells |
| blank rows (ignored) | test_blank_rows_are_ignored |
| names differing in case or spaces | test_names_differing_in_case_or_spaces_are_matched_and_warned |
| (matched, warned) | test_theme_and_threat_messages_name_the_cell |
| | test_data_row_differing_in_case_is_warned |
| year headers not YYYY/YY | test_year_header_not_a_financial_year |
| last year not the settings' year | test_year_columns_out_of_step_with_settings |
| negative counts (and other bad counts) | test_bad_count |
| zero comparison count | test_zero_comparison_count_needs_a_trend_score |
| | test_zero_comparison_count_is_accepted_as_na |
| denominator with no population | test_denominator_without_population |
| gaps in the monthly series (warned) | test_monthly_gaps_are_warned_not_filled |
| .xls workbook | test_old_xls_workbook |
| CSV renamed to .xlsx | test_csv_renamed_to_xlsx |
| corrupt workbook | test_corrupt_workbook, test_zip_that_is_not_a_workbook |
| password-protected workbook | test_password_protected_workbook |
| no traceback, run as a program | test_bad_input_from_the_command_line_has_no_traceback |
| settings: unknown key | test_settings_unknown_key_suggests_the_known_one |
| settings: bad year label | test_settings_year_not_a_year_label |
| settings: bad date | test_settings_date_not_a_date |
| | test_settings_impossible_unquoted_date |
| settings: population without persons | test_settings_population_without_persons |
| settings: unknown model | test_settings_unknown_model |
| override rating not a rating | test_override_rating_not_a_rating |
| override without a reason | test_override_without_a_reason |
| (control: a good override) | test_override_with_a_reason_is_used |
| model YAML: unknown key, undefined group, | test_custom_model_problem |
| bands out of order, ratings not covering | (control: test_custom_model_copy_of_morile_is_accepted) |
| every problem reported together | test_every_problem_is_reported_together |
| `& < > "`, emoji, Welsh letters intact | test_special_characters_come_out_intact |
"""

from __future__ import annotations

import csv
import datetime as dt
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from .builders import (
    ANNUAL_HEADER,
    ANNUAL_ROWS,
    EXPECTED,
    SCORE_HEADER,
    SCORE_ROWS,
    THEME_HEADER,
    THEME_ROWS,
    replace_row,
    write_crime,
    write_settings,
    write_workbook,
    write_workshop,
)
from .forked import run_cli, run_forked
from .messages import problem_lines, rewrite_zip, warning_lines
from .shared_reading import models_read_once

ROOT = Path(__file__).resolve().parent.parent
MORILE = ROOT / "models" / "morile.yaml"
CRIME = "crime_data.xlsx"
WORKSHOP = "workshops/workshop-1.xlsx"
RESAVE = "open it in Excel or LibreOffice and save it again as an Excel Workbook (.xlsx)"
RECALCULATE = "open the workbook in Excel or LibreOffice, let it calculate, and save it"
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")

Run = Callable[..., Result]


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _models_read_once() -> Iterator[None]:
    """The shipped model, the same in every test here, is read and checked once (tests/shared_reading.py)."""
    with models_read_once():
        yield


@pytest.fixture
def outputs(tmp_path: Path) -> Path:
    """The outputs folder the ``run`` fixture passes to the command line."""
    return tmp_path / "outputs"


def show(lines: list[str]) -> str:
    return "\n  ".join(["", *lines]) if lines else " (none)"


def assert_rejected(run: Run, outputs: Path, *expected: str, count: int | None = None) -> list[str]:
    """``validate`` and ``score`` both exit 2 listing every expected problem; ``score`` writes nothing."""
    problems: list[str] = []
    for command in ("validate", "score"):
        result = run(command)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        problems = problem_lines(result.output)
        for line in expected:
            assert line in problems, f"expected problem\n  {line}\nnot among{show(problems)}"
        if count is not None:
            heading = "1 problem" if count == 1 else f"{count} problems"
            assert f"{heading} found in the inputs:" in result.output, result.output
    assert not outputs.exists() or not any(outputs.rglob("*")), "a failed run wrote outputs"
    return problems


def assert_accepted(run: Run, *args: str) -> Result:
    """The command exits 0 with no traceback."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def has_line(lines: list[str], start: str, end: str) -> bool:
    return any(line.startswith(start) and line.endswith(end) for line in lines)


def ratings_csv(outputs: Path) -> dict[str, dict[str, str]]:
    """ratings.csv of the 2018/19 run, by threat."""
    with (outputs / "2018-19" / "ratings.csv").open(encoding="utf-8", newline="") as handle:
        return {row["threat"]: row for row in csv.DictReader(handle)}


def scores_and_ratings(outputs: Path) -> dict[str, tuple[int, str]]:
    return {threat: (int(row["score"]), row["rating"]) for threat, row in ratings_csv(outputs).items()}


def set_cells(path: Path, sheet: str, **cells: Any) -> None:
    """Change cells of a written workbook, by Excel cell name (``E4=-300``)."""
    book = load_workbook(path)
    for name, value in cells.items():
        book[sheet][name].value = value
    book.save(path)


def saved_value(path: Path, sheet: str, cell: str) -> Any:
    """What Excel's saved value of a cell is (what ``data_only`` reads)."""
    book = load_workbook(path, data_only=True)
    try:
        return book[sheet][cell].value
    finally:
        book.close()


def compound_file(*streams: str) -> bytes:
    """A minimal OLE compound file holding empty streams: the container of .xls and encrypted .xlsx.

    Version 3 layout: a 512-byte header, one FAT sector and one directory
    sector; the streams are empty, so they need no data sectors.
    """
    free, end_of_chain, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = (
        OLE_SIGNATURE
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<9I", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    fat = struct.pack("<II", fat_sector, end_of_chain) + struct.pack("<I", free) * 126

    def entry(name: str, kind: int, right: int = no_stream, child: int = no_stream) -> bytes:
        encoded = name.encode("utf-16-le")
        length = len(encoded) + 2 if name else 0
        return struct.pack(
            "<64sHBBIII16sIQQIQ", encoded, length, kind, 1, no_stream, right, child, bytes(16), 0, 0, 0,
            end_of_chain, 0,
        )  # fmt: skip

    entries = [entry("Root Entry", 5, child=1 if streams else no_stream)]
    for index, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, right=index + 1 if index < len(streams) else no_stream))
    entries += [entry("", 0)] * (4 - len(entries))
    directory = b"".join(entries)
    assert len(header) == len(fat) == len(directory) == 512
    return header + fat + directory


def write_custom_model(inputs: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Copy morile.yaml into the inputs folder as custom.yaml with a change, and use it."""
    model = yaml.safe_load(MORILE.read_text(encoding="utf-8"))
    change(model)
    text = yaml.safe_dump(model, sort_keys=False, allow_unicode=True)
    (inputs / "custom.yaml").write_text(text, encoding="utf-8")
    write_settings(inputs, model="custom.yaml")


def factor(model: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in model["factors"] if item["key"] == key)


def test_compound_file_is_laid_out_as_the_format_says() -> None:
    data = compound_file("Workbook")
    assert data[:8] == OLE_SIGNATURE
    assert struct.unpack_from("<H", data, 0x1C)[0] == 0xFFFE  # byte order mark
    assert struct.unpack_from("<I", data, 0x30)[0] == 1  # directory in sector 1, at offset 512 + 512
    assert data[1024 + 128 : 1024 + 128 + 16] == "Workbook".encode("utf-16-le")


# --- missing files and sheets -------------------------------------------------------------------


def test_missing_settings_file(inputs: Path, run: Run, outputs: Path) -> None:
    (inputs / "assessment.yaml").unlink()
    assert_rejected(run, outputs, "assessment.yaml: file not found; create assessment.yaml or check the path", count=1)


def test_missing_crime_workbook(inputs: Path, run: Run, outputs: Path) -> None:
    (inputs / CRIME).unlink()
    assert_rejected(
        run, outputs, "crime_data.xlsx: file not found; put the workbook at crime_data.xlsx or check its name"
    )


def test_no_workshop_workbooks(inputs: Path, run: Run, outputs: Path) -> None:
    (inputs / WORKSHOP).unlink()
    (inputs / "workshops" / "~$workshop-1.xlsx").write_bytes(b"lock")  # Excel's lock file is not a workbook
    (inputs / "workshops" / "notes.txt").write_text("agenda", encoding="utf-8")
    assert_rejected(
        run,
        outputs,
        "workshops/: no workshop scoring workbooks found; put one .xlsx per workshop in the workshops "
        "folder (`strategic-assessment workshop-template -o FILE` writes a blank one)",
        count=1,
    )


def test_missing_annual_sheet(inputs: Path, run: Run, outputs: Path) -> None:
    write_workbook(inputs / CRIME, {"anual": (ANNUAL_HEADER, ANNUAL_ROWS)})
    assert_rejected(
        run, outputs, "crime_data.xlsx › annual: sheet 'annual' not found; rename sheet 'anual' to 'annual'"
    )


def test_missing_scores_sheet(inputs: Path, run: Run, outputs: Path) -> None:
    write_workbook(inputs / WORKSHOP, {"score": (SCORE_HEADER, SCORE_ROWS), "themes": (THEME_HEADER, THEME_ROWS)})
    assert_rejected(
        run,
        outputs,
        "workshops/workshop-1.xlsx › scores: sheet 'scores' not found; rename sheet 'score' to 'scores'",
        count=1,
    )


# --- columns ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("workbook", "cell", "header", "expected"),
    [
        (
            CRIME,
            "A1",
            "crimetype",
            "crime_data.xlsx › annual › A1: column 'crime_type' not found; rename column 'crimetype' to 'crime_type'",
        ),
        (
            CRIME,
            "A1",
            "Crime_Typ",
            "crime_data.xlsx › annual › A1: column 'crime_type' not found; rename column 'Crime_Typ' to 'crime_type'",
        ),
        (
            WORKSHOP,
            "H1",
            "frequncy",
            "workshops/workshop-1.xlsx › scores › H1: column 'frequency' not found; "
            "rename column 'frequncy' to 'frequency'",
        ),
        (
            WORKSHOP,
            "B1",
            "Notes",
            "workshops/workshop-1.xlsx › scores › row 1: column 'threat' not found; "
            "add a column headed 'threat' in row 1",
        ),
    ],
)
def test_missing_column_suggests_the_closest_header(
    inputs: Path, run: Run, outputs: Path, workbook: str, cell: str, header: str, expected: str
) -> None:
    set_cells(inputs / workbook, "annual" if workbook == CRIME else "scores", **{cell: header})
    assert_rejected(run, outputs, expected, count=1)


def test_header_differing_in_case_is_read_with_a_warning(inputs: Path, run: Run) -> None:
    set_cells(inputs / CRIME, "annual", A1="crime type")
    result = assert_accepted(run, "validate")
    assert (
        "crime_data.xlsx › annual › A1: header 'crime type' read as 'crime_type'; "
        "rename it 'crime_type' to silence this"
    ) in warning_lines(result.output)


@pytest.mark.parametrize(
    ("workbook", "cell", "header", "expected"),
    [
        (
            WORKSHOP,
            "P1",
            "Trend",
            "workshops/workshop-1.xlsx › scores › P1: column 'Trend' appears twice (also I1); "
            "delete or rename one of them",
        ),
        (
            CRIME,
            "F1",
            "2018/19",
            "crime_data.xlsx › annual › F1: column '2018/19' appears twice (also E1); delete or rename one of them",
        ),
    ],
)
def test_duplicate_column(
    inputs: Path, run: Run, outputs: Path, workbook: str, cell: str, header: str, expected: str
) -> None:
    set_cells(inputs / workbook, "annual" if workbook == CRIME else "scores", **{cell: header})
    assert_rejected(run, outputs, expected, count=1)


def test_merged_header_cells(inputs: Path, run: Run, outputs: Path) -> None:
    book = load_workbook(inputs / WORKSHOP)
    book["scores"].merge_cells("A1:B1")  # hides the 'threat' header under 'theme'
    book.save(inputs / WORKSHOP)
    assert_rejected(
        run,
        outputs,
        "workshops/workshop-1.xlsx › scores › A1:B1: header cells are merged; "
        "unmerge them (Home › Merge & Center) and give each column its own header",
        count=1,
    )


# --- rows and names -----------------------------------------------------------------------------


def test_duplicate_threat_in_one_workbook(inputs: Path, run: Run, outputs: Path) -> None:
    write_workshop(inputs, rows=[*SCORE_ROWS, SCORE_ROWS[3]])  # County lines again, in row 6
    assert_rejected(
        run,
        outputs,
        "workshops/workshop-1.xlsx › scores › B6: threat 'County lines' is scored twice in this workbook "
        "(also row 5); keep one row per threat",
        count=1,
    )


def test_duplicate_crime_type(inputs: Path, run: Run, outputs: Path) -> None:
    write_crime(inputs, rows=[*ANNUAL_ROWS, ("burglary", None, None, 1, 2)])  # row 6; Burglary is row 4
    assert_rejected(
        run,
        outputs,
        "crime_data.xlsx › annual › A6: crime type 'burglary' is listed twice (also A4); keep one row per crime type",
        count=1,
    )


def test_unknown_theme_suggests_a_known_one(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / WORKSHOP, "scores", A5="Drug")  # County lines; the themes sheet has Drugs
    problems = assert_rejected(run, outputs, count=1)
    assert has_line(
        problems,
        "workshops/workshop-1.xlsx › scores › ",
        ": theme 'Drug' is not in the themes sheet; did you mean 'Drugs'?",
    ), show(problems)


def test_explain_unknown_threat_suggests_a_known_one(inputs: Path, run: Run) -> None:
    result = run("explain", "Hate crme")
    assert result.exit_code == 2, result.output
    assert "Error: no threat named 'Hate crme'; did you mean 'Hate crime'?" in result.output


def test_unknown_data_row(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / WORKSHOP, "scores", C4="Burglry")
    assert_rejected(
        run,
        outputs,
        "workshops/workshop-1.xlsx › scores › C4: data row 'Burglry' is not a crime type in the crime table; "
        "did you mean 'Burglary'?",
    )


def test_blank_rows_are_ignored(inputs: Path, run: Run, outputs: Path) -> None:
    blank = (None,) * len(SCORE_HEADER)
    spaces = ("   ", None, " ")
    scores = [blank, SCORE_ROWS[0], blank, blank, SCORE_ROWS[1], spaces, SCORE_ROWS[2], blank, SCORE_ROWS[3]]
    write_workshop(inputs, rows=[*scores, blank, blank])
    annual = [ANNUAL_ROWS[0], (None,) * 5, ANNUAL_ROWS[1], ("  ",), ANNUAL_ROWS[2], ANNUAL_ROWS[3]]
    write_crime(inputs, rows=annual)
    book = load_workbook(inputs / WORKSHOP)  # a formatted empty row, as copy-paste leaves behind
    for cell in book["scores"][4]:
        cell.fill = PatternFill("solid", start_color="FFFF00")
    book.save(inputs / WORKSHOP)
    result = assert_accepted(run, "score")
    assert problem_lines(result.output) == []
    assert scores_and_ratings(outputs) == EXPECTED


def test_names_differing_in_case_or_spaces_are_matched_and_warned(inputs: Path, run: Run, outputs: Path) -> None:
    # workshop-1: sheet 'Scores', Burglary's theme 'acquisitive  CRIME' (row 4)
    scores = replace_row(SCORE_ROWS, 2, theme="acquisitive  CRIME")
    write_workbook(inputs / WORKSHOP, {"Scores": (SCORE_HEADER, scores), "themes": (THEME_HEADER, THEME_ROWS)})
    # workshop-2: header 'Knowledge Gaps' (J1), County lines spelt 'county  LINES', same scores
    header = ["Knowledge Gaps" if name == "knowledge_gaps" else name for name in SCORE_HEADER]
    county = replace_row(SCORE_ROWS, 3, threat="county  LINES")[3]
    write_workshop(inputs, "workshop-2.xlsx", header=header, rows=[county], themes=False)
    # crime workbook: header 'Crime Type' (A1), denominator 'Adults ' (C5)
    write_crime(inputs, header=("Crime Type", *ANNUAL_HEADER[1:]))
    set_cells(inputs / CRIME, "annual", C5="Adults ")

    result = assert_accepted(run, "score")
    warnings = warning_lines(result.output)
    for expected in (
        "workshops/workshop-1.xlsx › Scores: sheet 'Scores' read as 'scores'; rename it 'scores' to silence this",
        "workshops/workshop-2.xlsx › scores › J1: header 'Knowledge Gaps' read as 'knowledge_gaps'; "
        "rename it 'knowledge_gaps' to silence this",
        "crime_data.xlsx › annual › A1: header 'Crime Type' read as 'crime_type'; "
        "rename it 'crime_type' to silence this",
        "crime_data.xlsx › annual › C5: denominator 'Adults' read as population 'adults', "
        "ignoring case and spaces; spell it as assessment.yaml does",
    ):
        assert expected in warnings, f"expected warning\n  {expected}\nnot among{show(warnings)}"
    assert has_line(
        warnings,
        "workshops/workshop-2.xlsx › scores › ",
        ": threat 'county LINES' matched to 'County lines' (workshops/workshop-1.xlsx), "
        "ignoring case and spaces; spell it the same way in every workbook",
    ), show(warnings)
    assert has_line(
        warnings,
        "workshops/workshop-1.xlsx › Scores › ",
        ": theme 'acquisitive CRIME' matched to 'Acquisitive crime' ignoring case and spaces; "
        "spell it as the themes sheet does",
    ), show(warnings)
    ratings = ratings_csv(outputs)
    assert scores_and_ratings(outputs) == EXPECTED  # same scores as the one-workshop example
    assert ratings["Burglary"]["theme"] == "Acquisitive crime"
    assert ratings["County lines"]["knowledge_gaps_source"] == "median of 2 workshops"
    assert ratings["Domestic abuse"]["rate_per_1000"] == "10.5"  # 840 / 80,000 adults x 1,000


@pytest.mark.parametrize(
    ("workshop", "cells", "expected_start", "expected_text"),
    [
        (WORKSHOP, {"A5": "Drug"}, "workshops/workshop-1.xlsx › scores › A5: ", "theme 'Drug'"),
        (WORKSHOP, {"A4": "acquisitive crime"}, "workshops/workshop-1.xlsx › scores › A4: ", "theme"),
        (
            "workshops/workshop-2.xlsx",
            {"B2": "county lines"},
            "workshops/workshop-2.xlsx › scores › B2: ",
            "",
        ),
    ],
)
def test_theme_and_threat_messages_name_the_cell(
    inputs: Path, run: Run, workshop: str, cells: dict[str, str], expected_start: str, expected_text: str
) -> None:
    if workshop != WORKSHOP:
        write_workshop(inputs, "workshop-2.xlsx", rows=[SCORE_ROWS[3]], themes=False)
    set_cells(inputs / workshop, "scores", **cells)
    result = run("validate")
    assert "Traceback" not in result.output
    lines = problem_lines(result.output) + warning_lines(result.output)
    assert any(line.startswith(expected_start) and expected_text in line for line in lines), show(lines)


def test_data_row_differing_in_case_is_warned(inputs: Path, run: Run) -> None:
    set_cells(inputs / WORKSHOP, "scores", C4="burglary")
    result = assert_accepted(run, "validate")
    warnings = warning_lines(result.output)
    assert any(
        line.startswith("workshops/workshop-1.xlsx › scores › C4: ") and "'burglary'" in line and "'Burglary'" in line
        for line in warnings
    ), show(warnings)


# --- scores -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value", "expected"),
    [
        (
            "J2",
            5,
            "J2: knowledge_gaps 5 is outside 0-2; "
            "enter a whole number 0-2 (0 Good intelligence, 1 Some gaps, 2 Significant gaps)",
        ),
        (
            "K5",
            -1,
            "K5: capacity -1 is outside 0-2; enter a whole number 0-2 (0 Well placed, 1 Some gaps, 2 Serious gaps)",
        ),
        (
            "H5",
            0,
            "H5: frequency 0 is outside 1-3; enter a whole number 1-3 (1 Unlikely, 2 Likely, 3 Very likely)",
        ),
        (
            "D3",
            2.5,
            "D3: physical 2.5 is not a whole number; enter a whole number 0-3 (0 None, 1 Low, 2 Medium, 3 High)",
        ),
        (
            "G4",
            "High",
            "G4: community 'High' is not a number; enter a whole number 0-3 (0 None, 1 Low, 2 Medium, 3 High)",
        ),
    ],
)
def test_bad_score(inputs: Path, run: Run, outputs: Path, cell: str, value: Any, expected: str) -> None:
    set_cells(inputs / WORKSHOP, "scores", **{cell: value})
    assert_rejected(run, outputs, f"workshops/workshop-1.xlsx › scores › {expected}")


def test_bad_score_is_not_also_called_blank(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / WORKSHOP, "scores", J2=5)
    problems = assert_rejected(run, outputs, count=1)
    assert not any("is blank" in line for line in problems), show(problems)


def test_numbers_stored_as_text_are_accepted(inputs: Path, run: Run, outputs: Path) -> None:
    def as_text(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(f" {value} " if isinstance(value, int) else value for value in row)

    write_workshop(inputs, rows=[as_text(row) for row in SCORE_ROWS])
    write_crime(inputs, rows=[as_text(row) for row in ANNUAL_ROWS])
    assert saved_value(inputs / WORKSHOP, "scores", "D2") == " 1 "  # really text in the workbook
    assert_accepted(run, "score")
    assert scores_and_ratings(outputs) == EXPECTED


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("D2", "D2: physical is blank for 'Hate crime'; enter a whole number 0-3"),
        (
            "H5",
            "H5: frequency is blank for 'County lines' and cannot be suggested: the threat has no data row; "
            "enter a whole number 1-3",
        ),
    ],
)
def test_blank_required_score(inputs: Path, run: Run, outputs: Path, cell: str, expected: str) -> None:
    set_cells(inputs / WORKSHOP, "scores", **{cell: None})
    assert_rejected(run, outputs, f"workshops/workshop-1.xlsx › scores › {expected}", count=1)


@pytest.mark.parametrize(
    ("workbook", "sheet", "cell", "formula", "expected"),
    [
        (WORKSHOP, "scores", "D2", "=1+1", "workshops/workshop-1.xlsx › scores › D2: physical formula =1+1"),
        (CRIME, "annual", "E3", "=200+50", "crime_data.xlsx › annual › E3: formula =200+50"),
    ],
)
def test_formula_without_saved_value(
    inputs: Path, run: Run, outputs: Path, workbook: str, sheet: str, cell: str, formula: str, expected: str
) -> None:
    set_cells(inputs / workbook, sheet, **{cell: formula})
    assert saved_value(inputs / workbook, sheet, cell) is None  # openpyxl saves no calculated value
    assert_rejected(run, outputs, f"{expected} has no saved value; {RECALCULATE}")


def test_formula_with_saved_value_is_read(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / WORKSHOP, "scores", D2="=0+1")  # Hate crime physical: 1, as in the example

    def save_value(parts: dict[str, bytes]) -> None:
        sheet = parts["xl/worksheets/sheet1.xml"]  # scores is the first sheet written
        assert b"<f>0+1</f><v></v>" in sheet
        parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"<f>0+1</f><v></v>", b"<f>0+1</f><v>1</v>")

    rewrite_zip(inputs / WORKSHOP, save_value)  # as Excel saves it: the formula and its result
    assert saved_value(inputs / WORKSHOP, "scores", "D2") == 1
    assert_accepted(run, "score")
    assert scores_and_ratings(outputs) == EXPECTED


# --- crime figures ------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["2018-19", "2018/2019", "2018/20"])
def test_year_header_not_a_financial_year(inputs: Path, run: Run, outputs: Path, header: str) -> None:
    set_cells(inputs / CRIME, "annual", E1=header)
    assert_rejected(
        run,
        outputs,
        f"crime_data.xlsx › annual › E1: year header '{header}' is not a financial year YYYY/YY; "
        "rename it like 2018/19 (type it as text, e.g. '2018/19)",
        "crime_data.xlsx › annual › row 1: needs at least two year columns (comparison year and assessment "
        "year); add columns headed like 2017/18 and 2018/19, oldest first",
    )


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (
            ("2016/17", "2017/18"),
            "crime_data.xlsx › annual › E1: the last year column is 2017/18 but assessment.yaml says year "
            "2018/19; add a 2018/19 column at the end, or correct `year` in assessment.yaml",
        ),
        (
            ("2018/19", "2017/18"),
            "crime_data.xlsx › annual › row 1: year columns are not oldest first; reorder them",
        ),
    ],
)
def test_year_columns_out_of_step_with_settings(
    inputs: Path, run: Run, outputs: Path, years: tuple[str, str], expected: str
) -> None:
    set_cells(inputs / CRIME, "annual", D1=years[0], E1=years[1])
    assert_rejected(run, outputs, expected, count=1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-1100, "count -1100 is negative; enter the number of crimes (0 or more)"),
        (1100.5, "count 1100.5 is not a whole number; enter a whole number of crimes"),
        ("n/a", "'n/a' is not a number; enter a whole number, or leave it blank if not available"),
    ],
)
def test_bad_count(inputs: Path, run: Run, outputs: Path, value: Any, expected: str) -> None:
    set_cells(inputs / CRIME, "annual", E2=value)  # All crime 2018/19: no threat's data row
    assert_rejected(run, outputs, f"crime_data.xlsx › annual › E2: {expected}", count=1)


def test_zero_comparison_count_needs_a_trend_score(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / CRIME, "annual", D3=0)  # Hate crime 2017/18; its trend (I2) is left to the data
    assert_rejected(
        run,
        outputs,
        "workshops/workshop-1.xlsx › scores › I2: trend is blank for 'Hate crime' and cannot be suggested: "
        "the % change of 'Hate crime' is not available; enter a whole number 0-2",
        count=1,
    )


def test_zero_comparison_count_is_accepted_as_na(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / CRIME, "annual", D3=0)
    set_cells(inputs / WORKSHOP, "scores", I2=1)
    assert_accepted(run, "score")
    hate = ratings_csv(outputs)["Hate crime"]
    # 0 -> 250: % change n/a (never infinity); rate 250 / 100,000 x 1,000 = 2.50 -> frequency 1;
    # harm 1+2+0+3 = 6; 6 x 1 + trend 1 + knowledge gaps 1 + response 1+0 = 9 -> Standard
    assert (hate["count_previous"], hate["count_current"], hate["change_pct"]) == ("0", "250", "")
    assert (hate["trend"], hate["trend_source"], hate["score"], hate["rating"]) == (
        "1",
        "workshop",
        "9",
        "Standard",
    )
    explained = assert_accepted(run, "explain", "Hate crime").output
    assert "Hate crime: 0 in 2017/18, 250 in 2018/19, n/a (+250), 2.50 per 1,000 persons" in explained
    assert "inf" not in explained


def test_denominator_without_population(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / CRIME, "annual", C5="households")
    assert_rejected(
        run,
        outputs,
        "crime_data.xlsx › annual › C5: denominator 'households' has no population; "
        "add `households:` under population in assessment.yaml, or use one of adults, persons",
    )


def test_monthly_gaps_are_warned_not_filled(inputs: Path, run: Run, outputs: Path) -> None:
    months = ["2018-04", "2018-05", "2018-06", "2018-09", "2018-10", "2018-11", "2018-12"]
    rows: list[tuple[Any, ...]] = [(month, 90) for month in months]
    rows += [(dt.datetime(2019, month, 1), 95) for month in (1, 2, 3)]  # Excel dates, as typed in Excel
    write_crime(inputs, extra={"monthly": (("month", "All crime"), rows)})
    result = assert_accepted(run, "score")
    assert (
        "crime_data.xlsx › monthly: the monthly series has gaps: 2018-07, 2018-08 "
        "(not filled; charts show them as gaps); add the missing months"
    ) in warning_lines(result.output)
    with (outputs / "2018-19" / "data" / "monthly.csv").open(encoding="utf-8", newline="") as handle:
        written = [row["month"] for row in csv.DictReader(handle)]
    assert written == [*months, "2019-01", "2019-02", "2019-03"]


# --- files that are not usable workbooks --------------------------------------------------------


XLS_DAMAGED = f"cannot be read as an Excel 97-2003 workbook: the file is damaged or incomplete; {RESAVE}"


# .xls workbooks are read (tests/test_spreadsheets.py reads real ones saved by LibreOffice); these
# compound files hold an empty Workbook stream, so each is named as a damaged Excel 97-2003 workbook.
@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (
            lambda inputs: (inputs / "workshops" / "workshop-2.xls").write_bytes(compound_file("Workbook")),
            f"workshops/workshop-2.xls: {XLS_DAMAGED}",
        ),
        (
            lambda inputs: (inputs / CRIME).write_bytes(compound_file("Workbook")),
            f"crime_data.xlsx: {XLS_DAMAGED}",
        ),
        (
            lambda inputs: (inputs / CRIME).rename(inputs / "crime_data.xls").write_bytes(compound_file("Workbook")),
            f"crime_data.xls: {XLS_DAMAGED}",
        ),
    ],
    ids=["xls-workshop", "xls-renamed-xlsx", "xls-beside-missing-xlsx"],
)
def test_old_xls_workbook(inputs: Path, run: Run, outputs: Path, build: Callable[[Path], Any], expected: str) -> None:
    build(inputs)
    assert_rejected(run, outputs, expected, count=1)


@pytest.mark.parametrize("workbook", [CRIME, WORKSHOP])
def test_csv_renamed_to_xlsx(inputs: Path, run: Run, outputs: Path, workbook: str) -> None:
    text = "\ufeffcrime_type,theme,denominator,2017/18,2018/19\r\nAll crime,,,1000,1100\r\n"
    (inputs / workbook).write_text(text, encoding="utf-8")  # Excel's "CSV UTF-8", renamed
    assert_rejected(run, outputs, f"{workbook}: is a text or CSV file, not an Excel workbook; {RESAVE}", count=1)


REPAIR = "replace it with a good copy, or open it in Excel (which offers to repair it) and save it again"


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # an interrupted download or copy


def damage_scores_sheet(path: Path) -> None:
    def cut(parts: dict[str, bytes]) -> None:
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:300]

    rewrite_zip(path, cut)  # the package is a good zip; the scores sheet's XML stops half-way


def zip_of_other_things(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (truncate, f"workshops/workshop-1.xlsx: is damaged (incomplete or corrupt); {REPAIR}"),
        (
            damage_scores_sheet,
            f"workshops/workshop-1.xlsx › scores: sheet cannot be read: the file is damaged or incomplete; {REPAIR}",
        ),
    ],
)
def test_corrupt_workbook(inputs: Path, run: Run, outputs: Path, damage: Callable[[Path], None], expected: str) -> None:
    damage(inputs / WORKSHOP)
    assert_rejected(run, outputs, expected, count=1)


def test_zip_that_is_not_a_workbook(inputs: Path, run: Run, outputs: Path) -> None:
    zip_of_other_things(inputs / WORKSHOP)
    problems = assert_rejected(run, outputs, count=1)
    assert problems == [
        f"workshops/workshop-1.xlsx: cannot be read as an Excel workbook: the file is damaged or incomplete; {RESAVE}"
    ]


def encrypt(path: Path) -> None:
    """What Excel saves for a workbook with a password: the package encrypted inside an OLE file."""
    path.write_bytes(compound_file("EncryptionInfo", "EncryptedPackage"))


def test_password_protected_workbook(inputs: Path, run: Run, outputs: Path) -> None:
    encrypt(inputs / WORKSHOP)
    assert "EncryptedPackage".encode("utf-16-le") in (inputs / WORKSHOP).read_bytes()
    assert_rejected(
        run,
        outputs,
        "workshops/workshop-1.xlsx: is password-protected; open it with the password, clear the password "
        "(File › Info › Protect Workbook › Encrypt with Password) and save it",
        count=1,
    )


def write_impossible_date(inputs: Path) -> None:
    path = inputs / "assessment.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("'2019-03-31'", "2019-02-30"), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda inputs: damage_scores_sheet(inputs / WORKSHOP), "workshops/workshop-1.xlsx › scores: "),
        (lambda inputs: encrypt(inputs / WORKSHOP), "workshops/workshop-1.xlsx: is password-protected"),
        (lambda inputs: truncate(inputs / CRIME), "crime_data.xlsx: is damaged"),
        pytest.param(write_impossible_date, "assessment.yaml"),
    ],
    ids=["damaged-sheet", "password", "truncated", "impossible-date"],
)
def test_bad_input_from_the_command_line_has_no_traceback(
    inputs: Path, tmp_path: Path, damage: Callable[[Path], None], expected: str
) -> None:
    """The console script in a process of its own (forked with the program loaded): exit 2, the problem, no trace."""
    damage(inputs)
    arguments = ["score", "--inputs", str(inputs), "--outputs", str(tmp_path / "outputs")]
    stdout = tmp_path / "stdout.txt"
    done = run_forked(run_cli, arguments, log=tmp_path / "stderr.txt", out=stdout, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in stdout.read_text(encoding="utf-8") + done.stderr
    assert f"  - {expected}" in done.stderr
    assert not (tmp_path / "outputs").exists()


# --- settings -----------------------------------------------------------------------------------


def test_settings_unknown_key_suggests_the_known_one(inputs: Path, run: Run, outputs: Path) -> None:
    write_settings(inputs, partnership=None, partnershp="Testshire Community Safety Partnership")
    assert_rejected(
        run,
        outputs,
        "assessment.yaml › partnershp: is not a known setting; did you mean 'partnership'?",
        "assessment.yaml › partnership: is required; add `partnership:` to assessment.yaml",
        count=2,
    )


@pytest.mark.parametrize("label", ["2018-19", "2018/2019", "2018/20", "18/19"])
def test_settings_year_not_a_year_label(inputs: Path, run: Run, outputs: Path, label: str) -> None:
    write_settings(inputs, year=label)
    assert_rejected(
        run,
        outputs,
        f"assessment.yaml › year: '{label}' is not a financial year label; write it as YYYY/YY, e.g. 2018/19",
        count=1,
    )


@pytest.mark.parametrize("text", ["31/03/2019", "2019-13-01", "March 2019"])
def test_settings_date_not_a_date(inputs: Path, run: Run, outputs: Path, text: str) -> None:
    write_settings(inputs, period_end=text)
    assert_rejected(
        run,
        outputs,
        f"assessment.yaml › period_end: '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2019-03-31",
        count=1,
    )


def test_settings_impossible_unquoted_date(inputs: Path, run: Run, outputs: Path) -> None:
    write_impossible_date(inputs)
    assert "period_end: 2019-02-30\n" in (inputs / "assessment.yaml").read_text(encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 2, result.output
    problems = problem_lines(result.output)
    assert any(line.startswith("assessment.yaml") and "2019-02-30" in line for line in problems), show(problems)


def test_settings_population_without_persons(inputs: Path, run: Run, outputs: Path) -> None:
    write_settings(inputs, population={"adults": 80000})
    assert_rejected(
        run,
        outputs,
        "assessment.yaml › population: has no `persons` base; add `persons:` with the resident population",
        count=1,
    )


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            "morille",
            "assessment.yaml › model: model 'morille' is not a shipped model; did you mean 'morile'? "
            "Or use one of morile, stra or name a .yaml file in the inputs folder",
        ),
        (
            "thematic",
            "assessment.yaml › model: model 'thematic' is not a shipped model; "
            "use one of morile, stra or name a .yaml file in the inputs folder",
        ),
        ("custom.yaml", "custom.yaml: file not found; create custom.yaml or check the path"),
    ],
)
def test_settings_unknown_model(inputs: Path, run: Run, outputs: Path, model: str, expected: str) -> None:
    write_settings(inputs, model=model)
    assert_rejected(run, outputs, expected, count=1)


# --- overrides ----------------------------------------------------------------------------------


def test_override_rating_not_a_rating(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / WORKSHOP, "scores", M2="Very high", N2="Partners asked for it")
    assert_rejected(
        run,
        outputs,
        "workshops/workshop-1.xlsx › scores › M2: override rating 'Very high' is not a rating; "
        "use one of High, Moderate, Standard",
        count=1,
    )


def test_override_without_a_reason(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / WORKSHOP, "scores", M2="High")
    assert_rejected(
        run,
        outputs,
        "workshops/workshop-1.xlsx › scores › N2: an override rating needs a reason; "
        "say why in override_reason: the document footnotes it",
        count=1,
    )


def test_override_with_a_reason_is_used(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / WORKSHOP, "scores", M2="high", N2="Rising community tension")
    assert_accepted(run, "score")
    hate = ratings_csv(outputs)["Hate crime"]
    assert (hate["rating"], hate["override_rating"], hate["final_rating"]) == ("Standard", "High", "High")
    assert hate["override_reason"] == "Rising community tension"


# --- scoring models -----------------------------------------------------------------------------


def test_custom_model_copy_of_morile_is_accepted(inputs: Path, run: Run, outputs: Path) -> None:
    write_custom_model(inputs, lambda model: None)
    assert_accepted(run, "score")
    assert scores_and_ratings(outputs) == EXPECTED


def rename_levels(model: dict[str, Any]) -> None:
    physical = factor(model, "physical")
    physical["levles"] = physical.pop("levels")


def rename_ratings(model: dict[str, Any]) -> None:
    model["ratngs"] = model.pop("ratings")


def undefined_group(model: dict[str, Any]) -> None:
    factor(model, "physical")["group"] = "harms"


def suggestion_bands_out_of_order(model: dict[str, Any]) -> None:
    factor(model, "frequency")["suggest"]["bands"] = [
        {"below": 10, "value": 2},
        {"below": 3, "value": 1},
        {"value": 3},
    ]


def display_bands_out_of_order(model: dict[str, Any]) -> None:
    model["display_columns"][0]["bands"] = [
        {"at_most": 8, "name": "Medium"},
        {"at_most": 4, "name": "Low"},
        {"name": "High"},
    ]


def ratings_leave_low_scores_unrated(model: dict[str, Any]) -> None:
    model["ratings"][-1]["min_score"] = 1  # Standard; the lowest score is 0 x 1 + 0 + 0 + 0 = 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            rename_levels,
            ["custom.yaml › factors.physical.levles: is not a known model key; did you mean 'levels'?"],
        ),
        (
            rename_ratings,
            [
                "custom.yaml › ratngs: is not a known model key; did you mean 'ratings'?",
                "custom.yaml › ratings: must be a non-empty list; list the model's ratings",
            ],
        ),
        (
            undefined_group,
            ["custom.yaml › factors.physical.group: group 'harms' is not defined; did you mean 'harm'?"],
        ),
        (
            suggestion_bands_out_of_order,
            [
                "custom.yaml › factors.frequency.suggest.bands: bands must be listed from lowest to highest; "
                "reorder them"
            ],
        ),
        (
            display_bands_out_of_order,
            ["custom.yaml › display_columns[1].bands: bands must be listed from lowest to highest; reorder them"],
        ),
        (
            ratings_leave_low_scores_unrated,
            ["custom.yaml › ratings: a score of 0 has no rating; set the last rating's min_score to 0 or less"],
        ),
    ],
)
def test_custom_model_problem(
    inputs: Path, run: Run, outputs: Path, change: Callable[[dict[str, Any]], None], expected: list[str]
) -> None:
    write_custom_model(inputs, change)
    assert_rejected(run, outputs, *expected, count=len(expected))


# --- all together, and text that must survive -----------------------------------------------------


def test_every_problem_is_reported_together(inputs: Path, run: Run, outputs: Path) -> None:
    set_cells(inputs / CRIME, "annual", E2=-1100)  # All crime: no threat's data row, so nothing follows
    set_cells(inputs / WORKSHOP, "scores", M3="Very high", N3="Partners asked", O4="2017-18")
    assert_rejected(
        run,
        outputs,
        "crime_data.xlsx › annual › E2: count -1100 is negative; enter the number of crimes (0 or more)",
        "workshops/workshop-1.xlsx › scores › M3: override rating 'Very high' is not a rating; "
        "use one of High, Moderate, Standard",
        "workshops/workshop-1.xlsx › scores › O4: scored year '2017-18' is not YYYY/YY; write it like 2017/18",
        count=3,
    )


THREAT = 'Troseddau casineb & "hil" <ar-lein> 🏳️‍🌈 ŵ ŷ'
THEME = 'Cydlyniant cymunedol & <Prevent> "ŵyr" 🐉 Ŷ'


def test_special_characters_come_out_intact(inputs: Path, run: Run, outputs: Path) -> None:
    scores = replace_row(SCORE_ROWS, 0, theme=THEME, threat=THREAT)
    themes = [(THEME, *row[1:]) if row[0] == "Hate crime" else row for row in THEME_ROWS]
    write_workbook(inputs / WORKSHOP, {"scores": (SCORE_HEADER, scores), "themes": (THEME_HEADER, themes)})
    result = assert_accepted(run, "score")
    assert THREAT in result.output
    row = ratings_csv(outputs)[THREAT]  # the key itself must match exactly
    assert (row["theme"], row["score"], row["rating"]) == (THEME, "10", "Standard")  # as Hate crime
    book = load_workbook(outputs / "2018-19" / "ratings.xlsx", read_only=True)
    try:
        rows = list(book["ratings"].iter_rows(values_only=True))
    finally:
        book.close()
    header = list(rows[0])
    threats = {values[header.index("threat")]: values[header.index("theme")] for values in rows[1:]}
    assert threats[THREAT] == THEME
