"""Figures and words a board can trust: rounding once, plurals, the period, diff, what-if and explain.

Every expected value is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from click.testing import Result

from strategic_assessment.calculations import rate_per_1000, rate_shown
from strategic_assessment.charts import crime_by_type_chart
from strategic_assessment.documents.method import process_lines, workshop_title
from strategic_assessment.facts import annual_figures, figures_by_crime_type
from strategic_assessment.pipeline import GenerateResult, build_assessment
from strategic_assessment.sentences import FactInputs, key_facts, plural, row_rate_text
from strategic_assessment.settings import Settings

from .builders import SCORE_ROWS, replace_row, write_settings, write_workshop

if TYPE_CHECKING:
    from .test_batch import Batch

# Rounding once (SPEC §5) ---------------------------------------------------------------------------------------


def test_rates_are_rounded_once_from_the_exact_value() -> None:
    # 1,618 / 263,100 x 1,000 = 6.14975...: 6.15 in data, 6.1 shown (6.15 rounded again would be 6.2)
    assert rate_per_1000(1618, 263100) == 6.15
    assert rate_shown(1618, 263100) == 6.1
    # 3,143 / 263,100 x 1,000 = 11.94602...: 11.95 in data, 11.9 shown (not 12.0)
    assert rate_per_1000(3143, 263100) == 11.95
    assert rate_shown(3143, 263100) == 11.9


def test_the_documents_rate_is_rounded_from_the_counts_not_the_data_figure() -> None:
    annual = pd.DataFrame(
        {
            "theme": [None, None],
            "denominator": ["persons", "persons"],
            "2017/18": [1500, 3000],
            "2018/19": [1618, 3143],
        },
        index=pd.Index(["Public order offences", "Alcohol related crime"], name="crime_type"),
    )
    frame = annual_figures(annual, ("2017/18", "2018/19"), {"persons": 263100})
    assert list(frame["rate_per_1000"]) == [6.15, 11.95]
    figures = figures_by_crime_type(frame)
    assert row_rate_text(figures["public order offences"]) == "6.1"
    assert row_rate_text(figures["alcohol related crime"]) == "11.9"


# Plurals and the period -------------------------------------------------------------------------------------------


def test_plurals_agree_with_their_counts() -> None:
    assert plural(1, "neighbourhood") == "1 neighbourhood"
    assert plural(2, "neighbourhood") == "2 neighbourhoods"
    assert plural(1, "threat was", "threats were") == "1 threat was"
    assert plural(1_200, "crime") == "1,200 crimes"


def _settings(year: str, period_end: dt.date) -> Settings:
    return Settings(inputs=Path("."), partnership="Safer Testshire", year=year, period_end=period_end)


def test_a_period_that_is_not_april_to_march_is_named_in_every_in_year_sentence() -> None:
    settings = _settings("2017/18", dt.date(2017, 11, 30))
    # the 12 months to 30 November 2017 start in December 2016
    assert settings.period_text == "December 2016 to November 2017"
    assert settings.year_phrase == "2017/18 (December 2016 to November 2017)"
    april = _settings("2016/17", dt.date(2017, 3, 31))
    assert april.period_text == "April 2016 to March 2017"
    assert april.year_phrase == "2016/17"
    annual = pd.DataFrame(
        {"theme": [None], "denominator": ["persons"], "2016/17": [900], "2017/18": [1000]},
        index=pd.Index(["All crime"], name="crime_type"),
    )
    figures = figures_by_crime_type(annual_figures(annual, ("2016/17", "2017/18"), {"persons": 100000}))
    sentences = key_facts(FactInputs("Testshire", settings.year_phrase, "2016/17", figures["all crime"], None))
    # 1,000 / 100,000 x 1,000 = 10.0 per 1,000
    assert sentences[0] == (
        "1,000 crimes were recorded in Testshire in 2017/18 (December 2016 to November 2017), 10.0 per 1,000 residents."
    )


def test_the_comparison_year_of_a_period_not_april_to_march_is_named_by_its_months_too() -> None:
    from strategic_assessment.documents.context import comparison_phrase, crime_table_intro

    settings = _settings("2017/18", dt.date(2017, 11, 30))
    # the 12 months before December 2016 to November 2017 are December 2015 to November 2016
    assert comparison_phrase(settings, "2016/17") == "2016/17 (December 2015 to November 2016)"
    assert comparison_phrase(_settings("2017/18", dt.date(2017, 12, 31)), "2016/17") == (
        "2016/17 (January 2016 to December 2016)"
    )
    assert comparison_phrase(_settings("2016/17", dt.date(2017, 3, 31)), "2015/16") == "2015/16"
    annual = pd.DataFrame(
        {"theme": [None], "denominator": ["persons"], "2016/17": [900], "2017/18": [1000]},
        index=pd.Index(["All crime"], name="crime_type"),
    )
    figures = figures_by_crime_type(annual_figures(annual, ("2016/17", "2017/18"), {"persons": 100000}))
    facts = FactInputs(
        "Testshire", settings.year_phrase, comparison_phrase(settings, "2016/17"), figures["all crime"], None
    )
    # (1,000 - 900) / 900 = 11.11%: up 11.1% (100 crimes)
    assert key_facts(facts)[1] == ("Crime was up 11.1% (100 crimes) on 2016/17 (December 2015 to November 2016: 900).")
    assert crime_table_intro(settings, figures, "2016/17") == (
        "Recorded figures for Safer Testshire in 2016/17 (December 2015 to November 2016) and 2017/18 "
        "(December 2016 to November 2017), with the change and the rate per 1,000 of each row's population base."
    )


def test_a_year_whose_financial_year_does_not_hold_the_period_end_names_both_keys(
    inputs: Path, run: Callable[..., Result]
) -> None:
    write_settings(inputs, year="2018/19", period_end="2017-11-30")
    result = run("validate")
    assert result.exit_code == 2
    assert "period_end: 2017-11-30 is not in the financial year of `year` 2018/19 (April 2018 to March 2019)" in (
        result.output
    )
    assert "`year` 2017/18 for this period end" in result.output


# Chart notes only where true ---------------------------------------------------------------------------------------


def test_the_overlap_note_appears_only_when_the_types_add_up_to_more_than_the_total() -> None:
    figures = pd.DataFrame(
        {"crime_type": ["All crime", "Burglary", "Robbery"], "count_current": pd.array([30, 20, 10], dtype="Int64")}
    )
    exact = crime_by_type_chart(figures, ["All crime"], "2018/19", "Testshire", "s", headline=30)
    assert exact is not None and "overlap" not in exact.subtitle  # 20 + 10 = 30, the total
    more = crime_by_type_chart(figures, ["All crime"], "2018/19", "Testshire", "s", headline=25)
    assert more is not None and exact.subtitle + " (some categories overlap)" == more.subtitle  # 30 > 25


# Appendix A's process from what happened -------------------------------------------------------------------------


def test_the_process_says_what_the_workshops_did_with_the_suggestions(inputs: Path) -> None:
    # Hate crime, Domestic abuse and Burglary have data rows: frequency and trend suggested for each (6 suggestions),
    # all left blank by the workshop, so all used. Burglary's frequency entered as 2, the suggestion (3.00 per 1,000).
    burglary = next(i for i, row in enumerate(SCORE_ROWS) if row[1] == "Burglary")
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, burglary, frequency=2))
    lines = process_lines(build_assessment(inputs))
    assert lines[0] == (
        "Before the workshops the analyst suggested frequency and trend from the data for 3 threats "
        "(6 suggestions); of these the workshops kept 1 and left 5 blank, which take the suggested value."
    )
    assert lines[1] == "1 partnership workshop scored the threats: Workshop 1."
    assert not any("carried" in line or "median" in line for line in lines)
    assert lines[-1] == "Every threat is treated at the level its score gives: the partnership made no override."


def test_the_process_speaks_of_one_override_in_the_singular(inputs: Path) -> None:
    # Burglary scores 12 (Standard) and is treated as Moderate: one override, "it is noted", not "each is noted"
    burglary = next(i for i, row in enumerate(SCORE_ROWS) if row[1] == "Burglary")
    rows = replace_row(SCORE_ROWS, burglary, override_rating="Moderate", override_reason="Rising repeat victims")
    write_workshop(inputs, rows=rows)
    lines = process_lines(build_assessment(inputs))
    assert lines[-1] == (
        "The partnership treats 1 threat at another level than its score gives; it is noted with its reason."
    )
    # Burglary's frequency (3.00 per 1,000 gives 2) and all 6 suggestions left blank: "all 6 ... which take"
    assert lines[0].endswith("of these the workshops left all 6 blank, which take the suggested value.")


def test_workshop_titles_are_written_without_file_names() -> None:
    assert workshop_title("workshops/2019-07-workshop-violence-and-exploitation.xlsx") == (
        "Violence and exploitation workshop, July 2019"
    )
    assert workshop_title("partnership_review.xlsx") == "Partnership review workshop"


# diff, what-if and explain -----------------------------------------------------------------------------------------


def test_diff_compares_final_ratings_and_shows_the_override(
    inputs: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    from .test_workflow import write_csv

    # Burglary scores 12 (Standard) and is treated as Moderate; last year it was Standard: risen, not unchanged
    burglary = next(i for i, row in enumerate(SCORE_ROWS) if row[1] == "Burglary")
    rows = replace_row(SCORE_ROWS, burglary, override_rating="Moderate", override_reason="Rising repeat victims")
    write_workshop(inputs, rows=rows)
    previous = write_csv(
        tmp_path / "last" / "ratings.csv",
        ["theme", "threat", "rating", "score"],
        [("Acquisitive crime", "Burglary", "Standard", 12)],
    )
    result = run("diff", str(previous))
    assert result.exit_code == 0, result.output
    risen = result.stdout.split("Risen (1):")[1].split("Fallen")[0]
    assert "Burglary (Acquisitive crime): Standard -> Moderate (override; scored Standard)" in risen
    assert "Unchanged: 0 threats." in result.stdout


def test_what_if_reports_each_change_alone_then_all_together(inputs: Path, run: Callable[..., Result]) -> None:
    # Hate crime with community 0: harm 1+2+0+0 = 3, frequency 1, trend 2, knowledge gaps 1, response 1+0:
    # 3x1 + 2 + 1 + 1 = 7. Community 3 alone: harm 6, 6x1 + 2 + 1 + 1 = 10. Knowledge gaps 2 alone:
    # 3x1 + 2 + 2 + 1 = 8. Both: 6x1 + 2 + 2 + 1 = 11. All Standard (0-15).
    hate = next(i for i, row in enumerate(SCORE_ROWS) if row[1] == "Hate crime")
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, hate, community=0))
    result = run("score", "--what-if", "Hate crime:community=3", "--what-if", "Hate crime:knowledge_gaps=2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Hate crime: community 0 -> 3 alone; score 7 -> 10; rating unchanged" in lines
    assert "Hate crime: knowledge_gaps 1 -> 2 alone; score 7 -> 8; rating unchanged" in lines
    together = lines.index("All 2 changes together:")
    assert lines[together + 1] == "  Hate crime: score 7 -> 11; rating unchanged"
    assert lines[-1] == "Nothing was written."


def test_explain_marks_a_suggestion_the_workshop_kept(inputs: Path, run: Callable[..., Result]) -> None:
    # Burglary: 300 / 100,000 = 3.00 per 1,000 suggests frequency 2; the workshop entered 2. Trend left blank: data.
    burglary = next(i for i, row in enumerate(SCORE_ROWS) if row[1] == "Burglary")
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, burglary, frequency=2))
    result = run("explain", "Burglary")
    assert result.exit_code == 0, result.output
    frequency = next(line for line in result.stdout.splitlines() if line.startswith("Frequency"))
    trend = next(line for line in result.stdout.splitlines() if line.startswith("Trend"))
    assert "data suggestion kept by the workshop" in frequency
    assert re.search(r"\bdata\b", trend) and "kept" not in trend


def test_the_worked_examples_documents_name_no_file_and_speak_only_to_the_partnership(
    worked_example: GenerateResult,
) -> None:
    from .test_batch import FORBIDDEN, document_text

    result = worked_example
    wanted = [phrase for phrase in FORBIDDEN if phrase not in ("carried forward", "some categories overlap")]
    for path in result.files:
        if path.suffix == ".docx":
            text = document_text(path)
            assert not [phrase for phrase in wanted if phrase.casefold() in text.casefold()], path.name


def test_the_ratings_chart_title_agrees_with_its_counts() -> None:
    from strategic_assessment.charts import ratings_by_theme_chart

    levels = ["High", "Moderate", "Standard"]
    one = ratings_by_theme_chart([("Violence", "High")], levels, "2016/17", "Testshire", "s")
    assert one is not None and one.title == "1 of 1 threat is rated High"
    none = ratings_by_theme_chart(
        [("Violence", "Moderate"), ("Drugs", "Standard")], levels, "2016/17", "Testshire", "s"
    )
    assert none is not None and none.title == "0 of 2 threats are rated High"


def test_the_crime_table_opens_by_naming_only_what_it_holds() -> None:
    from strategic_assessment.documents.context import crime_table_intro

    annual = pd.DataFrame(
        {"theme": [None], "denominator": ["persons"], "2017/18": [900], "2018/19": [1000]},
        index=pd.Index(["All crime"], name="crime_type"),
    )
    settings = _settings("2018/19", dt.date(2019, 3, 31))
    both = figures_by_crime_type(annual_figures(annual, ("2017/18", "2018/19"), {"persons": 100000}))
    assert crime_table_intro(settings, both, "2017/18") == (
        "Recorded figures for Safer Testshire in 2017/18 and 2018/19, with the change and the rate per 1,000 of each "
        "row's population base."
    )
    # 2017/18 not held and no population: neither a change nor a rate is in the table, and the line says so
    annual["2017/18"] = pd.array([None], dtype="Int64")
    neither = figures_by_crime_type(annual_figures(annual, ("2017/18", "2018/19"), {}))
    assert crime_table_intro(settings, neither, "2017/18") == (
        "Recorded figures for Safer Testshire in 2018/19. The 2017/18 figures are not complete, so no change is shown."
    )


def test_a_place_named_with_the_article_keeps_it_in_sentences() -> None:
    from strategic_assessment.sentences import place, place_first

    assert (place("Isles of Scilly"), place_first("Isles of Scilly")) == ("the Isles of Scilly", "The Isles of Scilly")
    assert (place("Isle of Wight"), place("Vale of Glamorgan"), place("Plymouth")) == (
        "the Isle of Wight",
        "the Vale of Glamorgan",
        "Plymouth",
    )
    annual = pd.DataFrame(
        {"theme": [None], "denominator": ["persons"], "2015/16": [None], "2016/17": [80]},
        index=pd.Index(["All crime"], name="crime_type"),
    )
    figures = figures_by_crime_type(annual_figures(annual, ("2015/16", "2016/17"), {}))
    sentences = key_facts(FactInputs("Isles of Scilly", "2016/17", "2015/16", figures["all crime"], None))
    assert sentences[0] == "80 crimes were recorded in the Isles of Scilly in 2016/17."


# The batch documents read as a board member would read them (the real Devon & Cornwall files) ----------------------

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "police-uk" / "devon-and-cornwall"
YEAR_2016_17 = [f"2016-{month:02d}" for month in range(4, 13)] + [f"2017-{month:02d}" for month in range(1, 4)]


def _monthly_crimes(prefix: str) -> dict[str, int]:
    """Crimes (ASB apart) a month in 2016/17 in the LSOAs named ``prefix ...``, counted row by row."""
    import csv

    counts = {}
    for month in YEAR_2016_17:
        with (SHARED / month / f"{month}-devon-and-cornwall-street.csv").open(encoding="utf-8", newline="") as handle:
            counts[month] = sum(
                1
                for row in csv.DictReader(handle)
                if row["LSOA name"].startswith(prefix + " ") and row["Crime type"] != "Anti-social behaviour"
            )
    return counts


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared police.uk files are not beside the project")
def test_the_smallest_area_and_plymouth_read_true_for_their_own_figures(devon_and_cornwall: Path) -> None:
    import csv

    from .test_batch import document_text

    outputs = devon_and_cornwall  # the batch for Plymouth, the Isles of Scilly and Torbay
    scilly_months, plymouth_months = _monthly_crimes("Isles of Scilly"), _monthly_crimes("Plymouth")
    scilly = document_text(outputs / "isles-of-scilly" / "2016-17" / "data_pack.docx")
    crimes = sum(scilly_months.values())
    assert f"{crimes} crimes were recorded in the Isles of Scilly in 2016/17." in scilly
    assert "Recorded figures for the Isles of Scilly in 2016/17. The 2015/16 figures are not complete" in scilly
    assert "with the change" not in scilly and "and the 12 months before." not in scilly
    assert "Mutley" not in scilly and "Plymouth" not in scilly  # the shared notes name no other area
    with (outputs / "isles-of-scilly" / "2016-17" / "charts" / "index.csv").open(encoding="utf-8") as handle:
        titles = {row["file"]: row["title"] for row in csv.DictReader(handle)}
    mean = round(crimes / 12, 1)  # too few a month to name any peak
    assert f"Too few crimes a month ({mean} on average) to show a seasonal pattern" in titles.values()
    # Plymouth: one complete year, so the chart names that year's highest and lowest months with their year
    with (outputs / "plymouth" / "2016-17" / "charts" / "index.csv").open(encoding="utf-8") as handle:
        plymouth_titles = [row["title"] for row in csv.DictReader(handle)]
    high = max(plymouth_months, key=plymouth_months.__getitem__)
    low = min(plymouth_months, key=plymouth_months.__getitem__)
    named = dt.date(int(high[:4]), int(high[5:]), 1).strftime("%B %Y")
    lowest = dt.date(int(low[:4]), int(low[5:]), 1).strftime("%B %Y")
    assert f"All crime was highest in {named} and lowest in {lowest}" in plymouth_titles


def test_without_neighbourhood_populations_the_table_shows_the_crimes_alone(plymouth_and_torbay: Batch) -> None:
    """No columns of n/a: a table of names and crimes where no neighbourhood has a population."""
    from docx import Document

    outputs = plymouth_and_torbay.outputs  # Safer Plymouth's inputs give no neighbourhood a population
    for document in (
        outputs / "torbay" / "2015-16" / "data_pack.docx",
        outputs / "plymouth" / "2015-16" / "strategic_assessment.docx",
    ):
        (table,) = [t for t in Document(str(document)).tables if t.rows[0].cells[0].text == "Neighbourhood"]
        assert [cell.text for cell in table.rows[0].cells] == ["Neighbourhood", "Crimes"], document
        assert len(table.rows) > 1 and all(row.cells[1].text.replace(",", "").isdigit() for row in table.rows[1:])
    page = (outputs / "plymouth" / "2015-16" / "html" / "strategic_assessment.html").read_text(encoding="utf-8")
    assert "Residents</th>" not in page and 'data-label="Rate per 1,000">n/a' not in page
