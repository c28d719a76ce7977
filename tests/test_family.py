"""The Most Similar Family comparison from the comparators sheet, checked against assessment.yaml's."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import docx
import pytest

from strategic_assessment.errors import InputError, ProblemLog
from strategic_assessment.family import family_from_rates, with_family
from strategic_assessment.pipeline import build_assessment, generate
from strategic_assessment.settings import MostSimilarFamily, Settings, load_settings

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
# the worked example's comparators sheet: 15 members, Plymouth third lowest
WORKED = [
    ("Family member A", 84.6),
    ("Family member B", 88.9),
    ("Plymouth", 90.2),
    ("Family member C", 93.4),
    ("Family member D", 98.7),
    ("Family member E", 101.2),
    ("Family member F", 103.5),
    ("Family member G", 106.8),
    ("Family member H", 109.4),
    ("Family member I", 112.6),
    ("Family member J", 118.3),
    ("Family member K", 121.5),
    ("Family member L", 124.7),
    ("Family member M", 128.9),
    ("Family member N", 132.8),
]


def test_the_worked_examples_sheet_gives_the_published_107_7_and_third_of_15() -> None:
    # the rates add up to 1,615.5; 1,615.5 / 15 = 107.7; two members (84.6, 88.9) are below Plymouth's 90.2
    assert family_from_rates(WORKED, ["Plymouth", "Safer Plymouth"]) == MostSimilarFamily(107.7, 3, 15)


def test_the_average_rounds_half_up_and_equal_rates_share_a_rank() -> None:
    # (10.0 + 10.1 + 10.1 + 12.0) / 4 = 10.55, shown 10.6; the area at 10.1 has one lower rate: 2nd, as is its twin
    rates = [("A", 10.0), ("Area", 10.1), ("B", 10.1), ("C", 12.0)]
    assert family_from_rates(rates, ["area"]) == MostSimilarFamily(10.6, 2, 4)
    # the own row is found as names are everywhere: case and runs of spaces ignored
    assert family_from_rates([("safer  AREA", 5.0), ("B", 4.0)], ["Area", "Safer Area"]) == MostSimilarFamily(4.5, 2, 2)
    assert family_from_rates(rates, ["Elsewhere"]) is None


def _settings(family: MostSimilarFamily | None) -> Settings:
    return dataclasses.replace(load_settings(INPUTS), most_similar_family=family)


def test_the_sheet_fills_in_a_comparison_the_settings_leave_out() -> None:
    log = ProblemLog()
    settings = with_family(_settings(None), WORKED, "crime_data.xlsx", log)
    assert settings.most_similar_family == MostSimilarFamily(107.7, 3, 15)
    assert not log.problems and not log.warnings


def test_a_stated_comparison_that_agrees_with_the_sheet_is_kept() -> None:
    log = ProblemLog()
    stated = MostSimilarFamily(107.7, 3, None)  # no size stated: nothing to compare it with
    assert with_family(_settings(stated), WORKED, "crime_data.xlsx", log).most_similar_family == stated
    assert not log.problems and not log.warnings


def test_a_stated_comparison_that_disagrees_with_the_sheet_stops_the_run_naming_both() -> None:
    log = ProblemLog()
    with_family(_settings(MostSimilarFamily(108.9, 4, 15)), WORKED, "crime_data.xlsx", log)
    assert [str(problem) for problem in log.problems] == [
        "assessment.yaml › most_similar_family › average_rate: 108.9 differs from 107.7 worked out from "
        "crime_data.xlsx › comparators; correct whichever is wrong, or remove most_similar_family from "
        "assessment.yaml to use the sheet's figures",
        "assessment.yaml › most_similar_family › rank: 4 differs from 3 worked out from crime_data.xlsx › "
        "comparators; correct whichever is wrong, or remove most_similar_family from assessment.yaml to use "
        "the sheet's figures",
    ]


def test_a_sheet_without_the_areas_own_row_is_warned_about_and_changes_nothing() -> None:
    others = [row for row in WORKED if row[0] != "Plymouth"]
    for stated, consequence in (
        (None, "no family comparison is shown"),
        (MostSimilarFamily(107.7, 3, 15), "the comparison in assessment.yaml is not checked"),
    ):
        log = ProblemLog()
        settings = with_family(_settings(stated), others, "crime_data.xlsx", log)
        assert settings.most_similar_family == stated
        assert not log.problems
        assert [str(warning) for warning in log.warnings] == [
            "crime_data.xlsx › comparators: no row is Plymouth's own (looked for 'Plymouth' or 'Safer Plymouth'), "
            f"so {consequence}; add a row for Plymouth with its rate per 1,000, named as the area is in "
            "assessment.yaml"
        ]


def test_without_the_sheet_the_settings_are_as_read() -> None:
    settings = _settings(MostSimilarFamily(107.7, 3, 15))
    assert with_family(settings, None, "crime_data.xlsx", ProblemLog()) is settings


# Through the run, on a copy of the worked example ------------------------------------------------------------

FAMILY_BLOCK = """most_similar_family:          # crimes per 1,000 residents across the Most Similar Family
  average_rate: 107.7
  rank: 3                     # 1 = the lowest rate in the family
  family_size: 15
"""


def _example(tmp_path: Path, change: tuple[str, str]) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs, ignore=shutil.ignore_patterns("examples"))
    settings = inputs / "assessment.yaml"
    text = settings.read_text(encoding="utf-8")
    assert change[0] in text
    settings.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    return inputs


def test_without_the_settings_figures_the_document_gives_the_sheets(tmp_path: Path) -> None:
    inputs = _example(tmp_path, (FAMILY_BLOCK, ""))
    generate(inputs, tmp_path / "outputs", pdf=False)
    text = "\n".join(
        p.text for p in docx.Document(str(tmp_path / "outputs/2018-19/strategic_assessment.docx")).paragraphs
    )
    assert (
        "The Most Similar Family average was 107.7 crimes per 1,000 residents; "
        "Plymouth ranked 3rd of 15 in its family (1st = lowest rate)." in text
    )


def test_a_settings_rank_the_sheet_contradicts_stops_the_run(tmp_path: Path) -> None:
    inputs = _example(tmp_path, ("  rank: 3 ", "  rank: 2 "))
    with pytest.raises(InputError) as stopped:
        build_assessment(inputs)
    assert [str(problem) for problem in stopped.value.problems] == [
        "assessment.yaml › most_similar_family › rank: 2 differs from 3 worked out from crime_data.xlsx › "
        "comparators; correct whichever is wrong, or remove most_similar_family from assessment.yaml to use "
        "the sheet's figures"
    ]


def test_a_sheet_that_leaves_the_area_out_is_warned_about_and_the_document_says_so(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from strategic_assessment.documents.context import _not_available

    inputs = _example(tmp_path, (FAMILY_BLOCK, ""))
    book = load_workbook(inputs / "crime_data.xlsx")
    sheet = book["comparators"]
    (row,) = [cell.row for cell in sheet["A"] if cell.value == "Plymouth"]
    sheet.delete_rows(row)
    book.save(inputs / "crime_data.xlsx")
    assessment = build_assessment(inputs)
    assert assessment.settings.most_similar_family is None
    assert "crime_data.xlsx › comparators: no row is Plymouth's own" in "\n".join(map(str, assessment.warnings))
    assert "The Most Similar Family rates do not include Plymouth, so no family comparison is shown." in (
        _not_available(assessment, {})
    )
