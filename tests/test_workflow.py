"""The year's workflow end to end (issue 5): workshop template, round trip, merge, diff, previous ratings.

Each test builds the small hand-made Testshire inputs folder (tests/builders.py),
changes one thing and runs the command line as an analyst would. Every
expected figure is worked out by hand from the builders' inputs and
models/morile.yaml (the arithmetic is in the comments), never copied from the
program's output.

MoRiLE, as models/morile.yaml defines it:
  harm = physical + psychological + financial + community (each 0-3)
  score = harm x frequency (1-3) + trend (0-2) + knowledge_gaps (0-2) + capacity + capability (0-2 each)
  frequency suggested from the rate per 1,000: below 3 -> 1, below 10 -> 2, else 3
  trend suggested from the % change: 0 or less -> 0, below 5 -> 1, else 2
  High 30 or more, Moderate 16-29, Standard 0-15
Testshire's crime table (builders.ANNUAL_ROWS), 2017/18 -> 2018/19:
  Hate crime 200 -> 250 of 100,000 persons: 2.50 per 1,000 (frequency 1), +25.0% (trend 2)
  Burglary 300 -> 300 of 100,000 persons: 3.00 per 1,000 (not below 3: frequency 2), 0.0% (trend 0)
  Domestic abuse crimes 800 -> 840 of 80,000 adults: 10.50 per 1,000 (frequency 3), +5.0% (trend 2)
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner, Result
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from strategic_assessment.cli import cli

from .builders import (
    EXPECTED,
    MORILE_FACTORS,
    SCORE_HEADER,
    SCORE_ROWS,
    TESTSHIRE_PLAN,
    replace_row,
    write_inputs,
    write_settings,
    write_workshop,
)
from .kept_office import KeptOffice

YEAR_FOLDER = "2018-19"
ASSESSMENT = "strategic_assessment.docx"
PLAN = TESTSHIRE_PLAN

# Allowed values and level labels typed from models/morile.yaml.
HARM_LEVELS = {0: "None", 1: "Low", 2: "Medium", 3: "High"}
RESPONSE_LEVELS = {0: "Well placed", 1: "Some gaps", 2: "Serious gaps"}
FACTOR_SCALES: dict[str, tuple[str, dict[int, str]]] = {
    "physical": ("0,1,2,3", HARM_LEVELS),
    "psychological": ("0,1,2,3", HARM_LEVELS),
    "financial": ("0,1,2,3", HARM_LEVELS),
    "community": ("0,1,2,3", HARM_LEVELS),
    "frequency": ("1,2,3", {1: "Unlikely", 2: "Likely", 3: "Very likely"}),
    "trend": ("0,1,2", {0: "Falling or stable", 1: "Rising slightly", 2: "Rising"}),
    "knowledge_gaps": ("0,1,2", {0: "Good intelligence", 1: "Some gaps", 2: "Significant gaps"}),
    "capacity": ("0,1,2", RESPONSE_LEVELS),
    "capability": ("0,1,2", RESPONSE_LEVELS),
}

# The template lists this year's threats in the themes sheet's order (builders.THEME_ROWS:
# Domestic abuse 1, Drugs 2, Hate crime 3, Acquisitive crime 4), not in the scores sheet's order.
TEMPLATE_ROWS = [
    ("Domestic abuse", "Domestic abuse", "Domestic abuse crimes"),
    ("Drugs", "County lines", None),
    ("Hate crime", "Hate crime", "Hate crime"),
    ("Acquisitive crime", "Burglary", "Burglary"),
]
# Data suggestions by hand (see the module docstring); County lines has no data row, so none.
TEMPLATE_SUGGESTIONS = {
    ("Domestic abuse", "frequency"): 3,  # 840 / 80,000 x 1,000 = 10.50 per 1,000 adults: not below 10
    ("Domestic abuse", "trend"): 2,  # (840 - 800) / 800 x 100 = +5.0%: 5 or more
    ("Hate crime", "frequency"): 1,  # 250 / 100,000 x 1,000 = 2.50: below 3
    ("Hate crime", "trend"): 2,  # (250 - 200) / 200 x 100 = +25.0%
    ("Burglary", "frequency"): 2,  # 300 / 100,000 x 1,000 = 3.00: not below 3, below 10
    ("Burglary", "trend"): 0,  # (300 - 300) / 300 = 0.0%: 0 or less
}


# Helpers ----------------------------------------------------------------------------------------------------------


def invoke(*args: str) -> Result:
    """Run the command line with explicit arguments."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def ratings_by_threat(outputs: Path) -> dict[str, dict[str, str]]:
    with (outputs / YEAR_FOLDER / "ratings.csv").open(encoding="utf-8", newline="") as handle:
        return {row["threat"]: row for row in csv.DictReader(handle)}


def scores_of(rows: dict[str, dict[str, str]]) -> dict[str, tuple[int, str]]:
    return {threat: (int(row["score"]), row["rating"]) for threat, row in rows.items()}


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def stderr_lines(result: Result, prefix: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(prefix)]


def column_letters(sheet: Worksheet) -> dict[str, str]:
    """Header name -> column letter of the template's scores sheet."""
    return {str(cell.value): cell.column_letter for cell in sheet[1] if cell.value is not None}


def template_sheet(path: Path) -> Worksheet:
    sheet = load_workbook(path)["scores"]
    assert isinstance(sheet, Worksheet)
    return sheet


def body_items(document: DocumentObject) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables of the body, in reading order."""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            yield Paragraph(element, document)
        elif element.tag == qn("w:tbl"):
            yield Table(element, document)


def is_heading(item: Paragraph | Table) -> bool:
    return isinstance(item, Paragraph) and item.style is not None and item.style.name.startswith("Heading")


def section_items(document: DocumentObject, heading: str) -> list[Paragraph | Table]:
    """The paragraphs and tables after the heading ``heading`` up to the next heading of any level."""
    items = list(body_items(document))
    start = next(
        i for i, item in enumerate(items) if is_heading(item) and isinstance(item, Paragraph) and item.text == heading
    )
    section = []
    for item in items[start + 1 :]:
        if is_heading(item):
            break
        section.append(item)
    return section


def table_rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def generate_document(inputs: Path, outputs: Path) -> DocumentObject:
    """``generate --no-pdf`` (the Plan on a Page needs its section in assessment.yaml) and the document read back."""
    write_settings(inputs, plan_on_a_page=PLAN)
    result = invoke("generate", "--inputs", str(inputs), "--outputs", str(outputs), "--no-pdf")
    assert result.exit_code == 0, result.output
    return docx.Document(str(outputs / YEAR_FOLDER / ASSESSMENT))


# workshop-template ------------------------------------------------------------------------------------------------


@pytest.fixture
def template(inputs: Path, tmp_path: Path) -> Path:
    """The workshop template written for the Testshire inputs (threats from its workshop workbook)."""
    path = tmp_path / "template" / "workshop-2019.xlsx"
    result = invoke("workshop-template", "--inputs", str(inputs), "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "4 threats" in result.output
    return path


def test_template_has_scores_instructions_and_themes_sheets(template: Path) -> None:
    book = load_workbook(template)
    assert set(book.sheetnames) == {"scores", "instructions", "themes"}
    header = [cell.value for cell in book["scores"][1]]
    assert header[:3] == ["theme", "threat", "data_row"]
    assert set(MORILE_FACTORS) <= set(header)
    assert {"override_rating", "override_reason", "scored_year"} <= set(header)
    # the themes sheet lists each theme once, numbered in the order of the threat list
    themes = [row[:2] for row in book["themes"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert themes == [("Domestic abuse", 1), ("Drugs", 2), ("Hate crime", 3), ("Acquisitive crime", 4)]
    instructions = "\n".join(
        " ".join(str(value) for value in row if value is not None)
        for row in book["instructions"].iter_rows(values_only=True)
    )
    assert "Frequency" in instructions and "Very likely" in instructions


def test_template_has_one_dropdown_per_factor_with_the_model_range_and_level_labels(template: Path) -> None:
    sheet = template_sheet(template)
    letters = column_letters(sheet)
    validations = sheet.data_validations.dataValidation
    for factor, (allowed, levels) in FACTOR_SCALES.items():
        letter = letters[factor]
        covering = [v for v in validations if any(f"{letter}{row}" in v.sqref for row in range(2, 6))]
        assert len(covering) == 1, f"{factor}: {len(covering)} validations"
        validation = covering[0]
        # every threat row (2-5) is covered, and the list is exactly the model's range
        assert all(f"{letter}{row}" in validation.sqref for row in range(2, 6)), factor
        assert validation.type == "list"
        assert (validation.formula1 or "").strip('"').replace(" ", "") == allowed, factor
        assert validation.showErrorMessage, factor
        assert validation.showInputMessage, factor
        prompt = validation.prompt or ""
        for value, label in levels.items():
            assert re.search(rf"{value}\s*[-:=]?\s*{re.escape(label)}", prompt), (factor, value, label, prompt)


def test_template_lists_the_threats_in_theme_order(template: Path) -> None:
    sheet = template_sheet(template)
    rows = [tuple(row) for row in sheet.iter_rows(min_row=2, max_row=6, max_col=3, values_only=True)]
    assert rows[:4] == TEMPLATE_ROWS
    assert rows[4] == (None, None, None)


def test_template_fills_and_marks_data_suggestions_and_leaves_judgement_blank(template: Path) -> None:
    sheet = template_sheet(template)
    letters = column_letters(sheet)
    for row, (_, threat, _) in enumerate(TEMPLATE_ROWS, start=2):
        for factor in MORILE_FACTORS:
            cell = sheet[f"{letters[factor]}{row}"]
            suggestion = TEMPLATE_SUGGESTIONS.get((threat, factor))
            if suggestion is None:
                assert cell.value is None, (threat, factor, cell.value)
                assert cell.comment is None, (threat, factor)
                assert cell.fill.fill_type is None, (threat, factor)
            else:
                assert cell.value == suggestion, (threat, factor, cell.value)
                assert cell.fill.fill_type == "solid", (threat, factor)
                assert cell.comment is not None, (threat, factor)
    # the comment says where the suggestion came from (Domestic abuse is row 2)
    assert "10.50" in sheet[f"{letters['frequency']}2"].comment.text
    assert "5.0%" in sheet[f"{letters['trend']}2"].comment.text


def test_template_is_protected_with_theme_and_threat_locked_and_scores_open(template: Path) -> None:
    sheet = template_sheet(template)
    letters = column_letters(sheet)
    assert sheet.protection.sheet
    for row in range(2, 6):
        assert sheet[f"A{row}"].protection.locked, f"A{row}"
        assert sheet[f"B{row}"].protection.locked, f"B{row}"
        for name in (*MORILE_FACTORS, "override_rating", "override_reason", "scored_year"):
            coordinate = f"{letters[name]}{row}"
            assert not sheet[coordinate].protection.locked, coordinate
    # the empty rows below the list stay open for new threats (the instructions say to add them there)
    assert not sheet["A6"].protection.locked
    assert not sheet["B6"].protection.locked


def test_template_threats_from_a_csv_lists_exactly_those(inputs: Path, tmp_path: Path) -> None:
    threats = write_csv(
        tmp_path / "threats.csv",
        ["theme", "threat", "data_row"],
        [("Drugs", "Cuckooing", ""), ("Hate crime", "Hate crime", "Hate crime")],
    )
    path = tmp_path / "template.xlsx"
    result = invoke("workshop-template", "--inputs", str(inputs), "-o", str(path), "--threats", str(threats))
    assert result.exit_code == 0, result.output
    assert "2 threats" in result.output
    sheet = template_sheet(path)
    letters = column_letters(sheet)
    rows = [tuple(row) for row in sheet.iter_rows(min_row=2, max_row=4, max_col=3, values_only=True)]
    assert rows == [("Drugs", "Cuckooing", None), ("Hate crime", "Hate crime", "Hate crime"), (None, None, None)]
    # Cuckooing has no data row: nothing suggested; Hate crime: frequency 1 (2.50), trend 2 (+25.0%)
    assert [sheet[f"{letters[f]}2"].value for f in ("frequency", "trend")] == [None, None]
    assert [sheet[f"{letters[f]}3"].value for f in ("frequency", "trend")] == [1, 2]


def test_template_without_workshop_workbooks_lists_last_years_threats(inputs: Path, tmp_path: Path) -> None:
    shutil.rmtree(inputs / "workshops")
    write_csv(
        inputs / "previous" / "ratings.csv",
        ["theme", "threat", "data_row", "rating", "score"],
        [("Acquisitive crime", "Burglary", "Burglary", "Standard", 12), ("Drugs", "Cuckooing", "", "Moderate", 18)],
    )
    path = tmp_path / "template.xlsx"
    result = invoke("workshop-template", "--inputs", str(inputs), "-o", str(path))
    assert result.exit_code == 0, result.output
    sheet = template_sheet(path)
    letters = column_letters(sheet)
    rows = [tuple(row) for row in sheet.iter_rows(min_row=2, max_row=4, max_col=3, values_only=True)]
    assert rows == [("Acquisitive crime", "Burglary", "Burglary"), ("Drugs", "Cuckooing", None), (None, None, None)]
    # Burglary: frequency 2 (3.00 per 1,000), trend 0 (0.0%) from this year's data
    assert [sheet[f"{letters[f]}2"].value for f in ("frequency", "trend")] == [2, 0]


def test_template_inside_the_inputs_folder_is_refused(inputs: Path) -> None:
    path = inputs / "workshops" / "new-template.xlsx"
    result = invoke("workshop-template", "--inputs", str(inputs), "-o", str(path))
    assert result.exit_code == 2, result.output
    assert "inputs" in result.output
    assert "Traceback" not in result.output
    assert not path.exists()


# Round trip: fill the template, score it, and again after LibreOffice Calc has saved it ---------------------------


def filled_template(template: Path, target: Path) -> Path:
    """The template with every blank factor cell given the builders' workshop score for that threat."""
    book = load_workbook(template)
    sheet = book["scores"]
    assert isinstance(sheet, Worksheet)
    letters = column_letters(sheet)
    scores = {row[1]: dict(zip(SCORE_HEADER, row, strict=True)) for row in SCORE_ROWS}
    for row in range(2, 6):
        threat = sheet[f"B{row}"].value
        for factor in MORILE_FACTORS:
            cell = sheet[f"{letters[factor]}{row}"]
            if cell.value is None:
                value = scores[threat][factor]
                assert value is not None, (threat, factor)
                cell.value = value
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def inputs_with_only(workbook: Path, inputs: Path) -> Path:
    """A fresh Testshire inputs folder whose only workshop workbook is ``workbook``."""
    write_inputs(inputs)
    (inputs / "workshops" / "workshop-1.xlsx").unlink()
    shutil.copy(workbook, inputs / "workshops" / "workshop-july.xlsx")
    return inputs


def scored(inputs: Path, outputs: Path) -> dict[str, dict[str, str]]:
    result = invoke("score", "--inputs", str(inputs), "--outputs", str(outputs))
    assert result.exit_code == 0, result.output
    return ratings_by_threat(outputs)


def test_a_filled_template_scores_as_worked_by_hand(template: Path, tmp_path: Path) -> None:
    filled = filled_template(template, tmp_path / "filled" / "workshop-july.xlsx")
    inputs = inputs_with_only(filled, tmp_path / "fresh" / "inputs")
    rows = scored(inputs, tmp_path / "fresh" / "outputs")
    # the suggested frequency and trend kept, the blanks filled with the builders' scores: builders.EXPECTED
    assert scores_of(rows) == EXPECTED
    # suggestions kept in the workbook are now the workshop's own scores
    assert rows["Domestic abuse"]["frequency"] == "3"
    assert rows["Domestic abuse"]["frequency_source"] == "workshop"


def calc_converted(source: Path, folder: Path, office: KeptOffice) -> Path | None:
    """``source`` opened and saved again as .xlsx by LibreOffice Calc (the one kept for the tests); None when
    LibreOffice is missing or no file came out."""
    if shutil.which("soffice") is None:
        return None
    try:
        [converted] = office.save_as([source], "xlsx", folder)
    except (AssertionError, subprocess.SubprocessError):
        return None
    return converted


@pytest.mark.libreoffice
def test_a_filled_template_saved_by_libreoffice_calc_gives_the_same_ratings(
    template: Path, tmp_path: Path, kept_office: KeptOffice
) -> None:
    filled = filled_template(template, tmp_path / "filled" / "workshop-july.xlsx")
    converted = calc_converted(filled, tmp_path / "converted", kept_office)
    if converted is None:
        pytest.skip(
            "LibreOffice Calc is not available: saving the workbook as .xlsx produced no file "
            "(install libreoffice-calc-nogui)"
        )
    before = scored(inputs_with_only(filled, tmp_path / "a" / "inputs"), tmp_path / "a" / "outputs")
    after = scored(inputs_with_only(converted, tmp_path / "b" / "inputs"), tmp_path / "b" / "outputs")
    assert scores_of(after) == EXPECTED
    for threat, row in before.items():
        for column in (*MORILE_FACTORS, "score", "rating"):
            assert after[threat][column] == row[column], (threat, column)


# Several workshops merged --------------------------------------------------------------------------------------------


def blank_tail() -> tuple[None, None, None]:
    return (None, None, None)


@pytest.fixture
def three_workshops(inputs: Path) -> Path:
    """Three workshops: Hate crime scored by all three, Burglary by two, Cuckooing (Drugs) by one."""
    hate = next(i for i, row in enumerate(SCORE_ROWS) if row[1] == "Hate crime")
    # workshop-1: the builders' rows, but Hate crime community 0 (physical stays 1, psychological 2)
    write_workshop(inputs, "workshop-1.xlsx", rows=replace_row(SCORE_ROWS, hate, community=0))
    # workshop-2: Hate crime physical 2, community 2; Burglary psychological 3 (workshop-1 gave 1); Cuckooing
    # columns: theme, threat, data_row, physical, psychological, financial, community, frequency, trend,
    #          knowledge_gaps, capacity, capability, override_rating, override_reason, scored_year
    write_workshop(
        inputs,
        "workshop-2.xlsx",
        rows=[
            ("Hate crime", "Hate crime", "Hate crime", 2, 2, 0, 2, None, None, 1, 1, 0, *blank_tail()),
            ("Acquisitive crime", "Burglary", "Burglary", 1, 3, 2, 1, None, None, 0, 1, 1, *blank_tail()),
            ("Drugs", "Cuckooing", None, 2, 2, 1, 2, 2, 1, 1, 1, 1, *blank_tail()),
        ],
        themes=False,
    )
    # workshop-3: Hate crime physical 3, community left blank
    write_workshop(
        inputs,
        "workshop-3.xlsx",
        rows=[("Hate crime", "Hate crime", "Hate crime", 3, 2, 0, None, None, None, 1, 1, 0, *blank_tail())],
        themes=False,
    )
    return inputs


def test_merged_scores_are_the_medians_worked_by_hand(
    three_workshops: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    result = run("score")
    assert result.exit_code == 0, result.output
    rows = ratings_by_threat(tmp_path / "outputs")
    # Hate crime: physical median(1, 2, 3) = 2; psychological median(2, 2, 2) = 2; financial 0;
    #   community median(0, 2) = 1 (half-up of 1.0); harm 2 + 2 + 0 + 1 = 5;
    #   frequency 1 and trend 2 suggested from the data; 5 x 1 + 2 + 1 + (1 + 0) = 9 -> Standard
    # Burglary: psychological median(1, 3) = 2; harm 1 + 2 + 2 + 1 = 6; frequency 2, trend 0 from the data;
    #   6 x 2 + 0 + 0 + (1 + 1) = 14 -> Standard
    # Cuckooing (workshop-2 only): harm 2 + 2 + 1 + 2 = 7; 7 x 2 + 1 + 1 + (1 + 1) = 18 -> Moderate
    # Domestic abuse and County lines: workshop-1 only, as builders.EXPECTED
    assert scores_of(rows) == {
        "Hate crime": (9, "Standard"),
        "Burglary": (14, "Standard"),
        "Cuckooing": (18, "Moderate"),
        "Domestic abuse": EXPECTED["Domestic abuse"],
        "County lines": EXPECTED["County lines"],
    }
    hate = rows["Hate crime"]
    assert [hate[f] for f in ("physical", "psychological", "financial", "community")] == ["2", "2", "0", "1"]
    assert hate["physical_source"] == "median of 3 workshops"
    assert hate["psychological_source"] == "median of 3 workshops"
    assert hate["community_source"] == "median of 2 workshops"
    assert hate["frequency_source"] == "data"
    assert rows["Burglary"]["psychological"] == "2"
    assert rows["Burglary"]["psychological_source"] == "median of 2 workshops"
    assert rows["Cuckooing"]["physical_source"] == "workshop"


def test_a_spread_of_two_is_reported_as_a_disagreement_naming_both_workbooks(
    three_workshops: Path, run: Callable[..., Result]
) -> None:
    result = run("score")
    assert result.exit_code == 0, result.output
    lines = stderr_lines(result, "Disagreement:")
    # spreads of 2 or more: Hate crime physical 1..3 (2), Hate crime community 0..2 (2),
    # Burglary psychological 1..3 (2); every other factor agrees
    assert len(lines) == 3, lines
    burglary = [line for line in lines if "Burglary" in line]
    assert len(burglary) == 1, lines
    line = burglary[0]
    assert "sychological" in line
    assert "workshop-1.xlsx" in line and "workshop-2.xlsx" in line and "workshop-3.xlsx" not in line
    assert "median 2 used" in line
    community = next(line for line in lines if "Hate crime" in line and "ommunity" in line)
    assert "median 1 used" in community
    assert "Disagreement" not in result.stdout


def test_threats_scored_by_only_some_workshops_of_their_theme_are_listed(
    three_workshops: Path, run: Callable[..., Result]
) -> None:
    result = run("score")
    assert result.exit_code == 0, result.output
    lines = stderr_lines(result, "Coverage:")
    # Drugs is covered by workshop-1 (County lines) and workshop-2 (Cuckooing), each scoring one of its two
    # threats; Hate crime (3 of 3), Burglary (2 of 2) and Domestic abuse (1 workshop) are fully covered
    assert len(lines) == 2, lines
    county_lines = next(line for line in lines if "County lines" in line)
    assert "workshop-2.xlsx" in county_lines and "workshop-1.xlsx" not in county_lines
    cuckooing = next(line for line in lines if "Cuckooing" in line)
    assert "workshop-1.xlsx" in cuckooing and "workshop-2.xlsx" not in cuckooing


# diff ---------------------------------------------------------------------------------------------------------------


def diff_sections(output: str) -> dict[str, list[str]]:
    """``diff`` output as heading (the words before the count) -> its indented lines."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in output.splitlines():
        if line.startswith((" ", "\t")):
            sections.setdefault(current, []).append(line.strip())
        elif line.strip():
            current = line.split("(")[0].strip().rstrip(":")
            sections.setdefault(current, [])
    return sections


def test_diff_lists_risen_fallen_new_and_dropped_threats(
    inputs: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    # This year (builders.EXPECTED): Domestic abuse High, County lines Moderate, Burglary Standard,
    # Hate crime Standard. Last year: Domestic abuse Moderate (risen), County lines High (fallen),
    # Burglary Standard (unchanged), Hate crime not rated (new), Cuckooing Moderate (dropped).
    previous = write_csv(
        tmp_path / "last-year" / "ratings.csv",
        ["theme", "threat", "rating", "score"],
        [
            ("Domestic abuse", "Domestic abuse", "Moderate", 25),
            ("Drugs", "County lines", "High", 31),
            ("Acquisitive crime", "Burglary", "Standard", 12),
            ("Drugs", "Cuckooing", "Moderate", 18),
        ],
    )
    result = run("diff", str(previous))
    assert result.exit_code == 0, result.output
    sections = diff_sections(result.stdout)
    risen, fallen, new, dropped = (
        sections["Risen"],
        sections["Fallen"],
        sections["New this year"],
        sections["Not rated this year"],
    )
    assert len(risen) == 1 and "Domestic abuse" in risen[0]
    assert re.search(r"Moderate\W+High", risen[0]), risen
    assert len(fallen) == 1 and "County lines" in fallen[0]
    assert re.search(r"High\W+Moderate", fallen[0]), fallen
    assert len(new) == 1 and "Hate crime" in new[0] and "Standard" in new[0]
    assert len(dropped) == 1 and "Cuckooing" in dropped[0] and "Moderate" in dropped[0]
    assert "Burglary" not in result.stdout.split("Unchanged")[0]
    assert "Unchanged: 1 threat" in result.stdout
    assert not (tmp_path / "outputs").exists()  # diff writes nothing


def test_diff_with_an_unknown_rating_exits_2_naming_the_row(
    inputs: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    previous = write_csv(
        tmp_path / "last-year.csv",
        ["theme", "threat", "rating", "score"],
        [("Drugs", "County lines", "High", 31), ("Hate crime", "Hate crime", "Severe", 40)],
    )
    result = run("diff", str(previous))
    assert result.exit_code == 2, result.output
    assert "Severe" in result.output and "row 3" in result.output
    assert "Traceback" not in result.output


# Previous ratings in the outputs -----------------------------------------------------------------------------------

PREVIOUS_HEADER = ["theme", "threat", "rating", "score"]
PREVIOUS_ROWS = [
    ("Domestic abuse", "Domestic abuse", "Moderate", 25),
    ("Drugs", "County lines", "High", 31),
    ("Acquisitive crime", "Burglary", "Standard", 12),
    ("Drugs", "Cuckooing", "Moderate", 18),
]


def test_score_writes_previous_rating_and_change(inputs: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    write_csv(inputs / "previous" / "ratings.csv", PREVIOUS_HEADER, PREVIOUS_ROWS)
    result = run("score")
    assert result.exit_code == 0, result.output
    rows = ratings_by_threat(tmp_path / "outputs")
    # Cuckooing (dropped, no factor scores to carry forward) is not a row of this year's table
    assert set(rows) == set(EXPECTED)
    assert {threat: (row["previous_rating"], row["change"]) for threat, row in rows.items()} == {
        "Domestic abuse": ("Moderate", "up"),  # Moderate -> High
        "County lines": ("High", "down"),  # High -> Moderate
        "Burglary": ("Standard", "no change"),
        "Hate crime": ("", "new"),
    }


def test_the_document_shows_changes_in_appendix_b_and_the_theme_tables(inputs: Path, tmp_path: Path) -> None:
    write_csv(inputs / "previous" / "ratings.csv", PREVIOUS_HEADER, PREVIOUS_ROWS)
    document = generate_document(inputs, tmp_path / "outputs")
    tables = [item for item in section_items(document, "Changes of rating since last year") if isinstance(item, Table)]
    assert len(tables) == 1
    rows = table_rows(tables[0])
    body = {row[0]: " ".join(row[1:]) for row in rows[1:]}
    # the four threats whose rating moved; Burglary kept Standard
    assert set(body) == {"Domestic abuse", "County lines", "Hate crime", "Cuckooing"}
    assert re.search(r"Moderate\W+High", body["Domestic abuse"])
    assert re.search(r"High\W+Moderate", body["County lines"])
    assert "Standard" in body["Hate crime"] and "new" in body["Hate crime"]
    assert "Moderate" in body["Cuckooing"] and "dropped" in body["Cuckooing"]
    # each theme table's assessment cell mentions last year's rating
    last_year = {
        "Domestic abuse": "Moderate",
        "County lines": "High",
        "Burglary": "Standard",
        "Hate crime": "not rated",
    }
    theme_tables = [t for t in document.tables if table_rows(t)[0][0] == "Threat" and "Assessment" in table_rows(t)[0]]
    seen = {}
    for table in theme_tables:
        for row in table_rows(table)[1:]:
            seen[row[0].split(" [")[0]] = row[-1]
    for threat, rating in last_year.items():
        assert "last year" in seen[threat] and rating in seen[threat].split("last year", 1)[1], (threat, seen[threat])


# Carrying scores forward ---------------------------------------------------------------------------------------------

PREVIOUS_FULL_HEADER = ["theme", "threat", "data_row", *MORILE_FACTORS, "score", "rating"]
# Last year's scores (2017/18), in MORILE_FACTORS order:
# Hate crime: harm 1 + 2 + 0 + 3 = 6; frequency 3, trend 0: 6 x 3 + 0 + 1 + (1 + 0) = 20 -> Moderate
# Cuckooing (no data row): harm 2 + 2 + 1 + 2 = 7; frequency 2: 7 x 2 + 1 + 1 + (1 + 0) = 17 -> Moderate
PREVIOUS_FULL_ROWS = [
    ("Domestic abuse", "Domestic abuse", "Domestic abuse crimes", *[""] * 9, 35, "High"),
    ("Drugs", "County lines", "", *[""] * 9, 28, "Moderate"),
    ("Acquisitive crime", "Burglary", "Burglary", *[""] * 9, 12, "Standard"),
    ("Hate crime", "Hate crime", "Hate crime", 1, 2, 0, 3, 3, 0, 1, 1, 0, 20, "Moderate"),
    ("Drugs", "Cuckooing", "", 2, 2, 1, 2, 2, 1, 1, 1, 0, 17, "Moderate"),
]


@pytest.fixture
def unscored_this_year(inputs: Path) -> Path:
    """Hate crime and Cuckooing were rated last year; this year's workshop scored neither."""
    write_workshop(inputs, rows=[row for row in SCORE_ROWS if row[1] != "Hate crime"])
    write_csv(inputs / "previous" / "ratings.csv", PREVIOUS_FULL_HEADER, PREVIOUS_FULL_ROWS)
    return inputs


def test_score_warns_about_last_years_threats_no_workshop_scored(
    unscored_this_year: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    result = run("score")
    assert result.exit_code == 0, result.output
    warnings = stderr_lines(result, "Warning:")
    for threat in ("Hate crime", "Cuckooing"):
        named = [line for line in warnings if f"'{threat}'" in line and "--carry-forward" in line]
        assert len(named) == 1, (threat, warnings)
    assert set(ratings_by_threat(tmp_path / "outputs")) == {"Domestic abuse", "County lines", "Burglary"}


def test_carry_forward_rates_them_from_last_years_scores_and_this_years_data(
    unscored_this_year: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    result = run("score", "--carry-forward")
    assert result.exit_code == 0, result.output
    rows = ratings_by_threat(tmp_path / "outputs")
    # Hate crime: last year's harm 6, knowledge gaps 1, response 1 + 0; frequency and trend follow this
    #   year's data (1 from 2.50 per 1,000, 2 from +25.0%), not last year's 3 and 0:
    #   6 x 1 + 2 + 1 + 1 = 10 -> Standard (last year Moderate: down)
    # Cuckooing: no data row, every factor as last year: 17 -> Moderate (no change)
    assert scores_of(rows) == {**EXPECTED, "Cuckooing": (17, "Moderate")}
    hate, cuckooing = rows["Hate crime"], rows["Cuckooing"]
    assert (hate["frequency"], hate["trend"]) == ("1", "2")
    assert (hate["previous_rating"], hate["change"]) == ("Moderate", "down")
    assert (cuckooing["previous_rating"], cuckooing["change"]) == ("Moderate", "no change")
    for row in (hate, cuckooing):
        assert row["scored_year"] == "2017/18"
        for factor in (
            "physical",
            "psychological",
            "financial",
            "community",
            "knowledge_gaps",
            "capacity",
            "capability",
        ):
            assert row[f"{factor}_source"] == "carried forward", (row["threat"], factor)
    assert cuckooing["frequency_source"] == "carried forward"
    assert hate["frequency_source"] != "carried forward"  # updated from this year's data
    # threats scored this year are this year's
    assert rows["Burglary"]["scored_year"] == "2018/19"


def test_what_if_on_a_carried_forward_threat_keeps_this_years_data(
    unscored_this_year: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    result = run("score", "--carry-forward", "--what-if", "Hate crime:knowledge_gaps=2")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if line.startswith("Hate crime"))
    # carried forward: harm 6 (last year), frequency 1 and trend 2 (this year's data), response 1 + 0;
    # knowledge gaps 1 -> 2: 6 x 1 + 2 + 1 + 1 = 10 -> 6 x 1 + 2 + 2 + 1 = 11, still Standard
    assert re.search(r"score\D*\b10\b\D+\b11\b", line), line
    assert not (tmp_path / "outputs").exists()


def test_a_workshop_row_scored_in_an_earlier_year_is_footnoted(
    inputs: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    county_lines = next(i for i, row in enumerate(SCORE_ROWS) if row[1] == "County lines")
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, county_lines, scored_year="2017/18"))
    result = run("score")
    assert result.exit_code == 0, result.output
    rows = ratings_by_threat(tmp_path / "outputs")
    assert scores_of(rows) == EXPECTED  # County lines has no data row: every score as given, 28
    assert rows["County lines"]["scored_year"] == "2017/18"
    assert rows["County lines"]["physical_source"] == "carried forward"
    assert rows["Burglary"]["scored_year"] == "2018/19"

    document = generate_document(inputs, tmp_path / "generated")
    drugs = " ".join(item.text for item in section_items(document, "Drugs") if isinstance(item, Paragraph))
    assert "carried forward" in drugs and "2017/18" in drugs
    for theme in ("Domestic abuse", "Hate crime", "Acquisitive crime"):
        text = " ".join(item.text for item in section_items(document, theme) if isinstance(item, Paragraph))
        assert "carried forward" not in text, theme


# What if --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def hate_crime_community_0(inputs: Path) -> Path:
    hate = next(i for i, row in enumerate(SCORE_ROWS) if row[1] == "Hate crime")
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, hate, community=0))
    return inputs


def test_what_if_prints_the_changed_score_and_writes_nothing(
    hate_crime_community_0: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    result = run("score", "--what-if", "Hate crime:community=3", "--what-if", "Burglary:frequency=3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # Hate crime with community 0: harm 1 + 2 + 0 + 0 = 3; 3 x 1 + 2 + 1 + 1 = 7
    # with community 3: harm 6; 6 x 1 + 2 + 1 + 1 = 10, still Standard
    hate = next(line for line in lines if line.startswith("Hate crime"))
    assert re.search(r"score\D*\b7\b\D+\b10\b", hate), hate
    assert "Moderate" not in hate and "High" not in hate
    # Burglary frequency 2 -> 3 (overriding the data's 2): 5 x 3 + 0 + 0 + 2 = 17 -> Moderate (was 12, Standard)
    burglary = next(line for line in lines if line.startswith("Burglary"))
    assert re.search(r"score\D*\b12\b\D+\b17\b", burglary), burglary
    assert re.search(r"Standard\W+Moderate", burglary), burglary
    assert not (tmp_path / "outputs").exists()


@pytest.mark.parametrize(
    ("change", "scale"),
    [("Hate crime:community=4", "0-3"), ("Burglary:frequency=0", "1-3")],
    ids=["4 of 0-3", "0 of 1-3"],
)
def test_what_if_out_of_range_exits_2(
    inputs: Path, run: Callable[..., Result], tmp_path: Path, change: str, scale: str
) -> None:
    result = run("score", "--what-if", change)
    assert result.exit_code == 2, result.output
    assert scale in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "outputs").exists()
