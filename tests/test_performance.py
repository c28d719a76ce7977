"""The performance update's figures, statuses and sentences, worked out by hand (SPEC §10)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategic_assessment.errors import ProblemLog
from strategic_assessment.performance import (
    IndicatorResult,
    SeriesValues,
    indicator_result,
    last_month_held,
    period_label,
    quarters_to,
    status,
    year_periods,
)
from strategic_assessment.performance_sentences import indicator_sentence, target_sentence
from strategic_assessment.settings import Indicator, PerformanceSettings

YEAR = "2018/19"
LAST_YEAR_MONTHS = year_periods("2017/18", "monthly")
BURGLARY_LAST = (110, 95, 100, 105, 98, 97, 99, 101, 96, 94, 92, 99)
BURGLARY_THIS = (100, 90, 120)
HATE_LAST = (25, 30, 25, 27, 28, 26, 29, 24, 22, 23, 25, 26)
HATE_THIS = (28, 35, 30)
HATE_TARGET = (30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330, 360)


def series(name: str, last: tuple[float, ...], this: tuple[float, ...]) -> SeriesValues:
    values = dict(zip(LAST_YEAR_MONTHS, last, strict=False))
    values.update(zip(year_periods(YEAR, "monthly"), this, strict=False))
    places = {month: ("crime_data.xlsx", "monthly", f"B{row}") for row, month in enumerate(sorted(values), 2)}
    return SeriesValues(name, values, places)


def worked(indicator: Indicator, values: SeriesValues, to_month: str = "2018-06") -> IndicatorResult:
    log = ProblemLog()
    result = indicator_result(indicator, YEAR, values, to_month, log)
    assert not log.problems, log.problems
    assert result is not None
    return result


def test_a_count_to_reduce_without_a_target_worked_by_hand() -> None:
    result = worked(Indicator("Burglary", "Burglary", "reduce"), series("Burglary", BURGLARY_LAST, BURGLARY_THIS))
    assert [row.label for row in result.rows] == ["Apr 2018", "May 2018", "Jun 2018"]
    assert [row.change for row in result.rows] == [-10, -5, 20]  # 100-110, 90-95, 120-100
    assert [row.this_year_to_date for row in result.rows] == [100, 190, 310]
    assert [row.last_year_to_date for row in result.rows] == [110, 205, 305]
    assert [row.target for row in result.rows] == [None, None, None]
    assert (result.year_to_date, result.previous_year_to_date, result.change) == (310, 305, 5)
    assert result.change_pct == 1.6  # 5 / 305 = 1.639...%
    assert result.status == "worsening"  # a rise, and the aim is to reduce
    assert (result.periods, result.to_period, result.ended_early) == (3, "2018-06", False)


def test_a_count_to_increase_with_a_cumulative_target_worked_by_hand() -> None:
    indicator = Indicator("Hate incidents", "Hate incidents", "increase", target_cumulative=HATE_TARGET)
    result = worked(indicator, series("Hate incidents", HATE_LAST, HATE_THIS))
    assert [row.change for row in result.rows] == [3, 5, 5]
    assert [row.this_year_to_date for row in result.rows] == [28, 63, 93]
    assert [row.last_year_to_date for row in result.rows] == [25, 55, 80]
    assert [row.target for row in result.rows] == [30, 60, 90]
    assert (result.year_to_date, result.previous_year_to_date, result.change) == (93, 80, 13)
    assert result.change_pct == 16.3  # 13 / 80 = 16.25%, half up (half to even would give 16.2)
    assert (result.target_to_date, result.gap_to_target) == (90, 3)
    assert result.status == "on target"  # 93 is 3 above the 90 aimed for


def test_the_same_count_monitored_has_no_direction() -> None:
    result = worked(Indicator("Burglary", "Burglary", "monitor"), series("Burglary", BURGLARY_LAST, BURGLARY_THIS))
    assert (result.year_to_date, result.change, result.change_pct) == (310, 5, 1.6)
    assert result.status == "monitor only"


def test_a_percent_to_increase_with_a_target_each_month_worked_by_hand() -> None:
    indicator = Indicator("Satisfaction", "Satisfaction", "increase", unit="percent", target_each_period=90)
    result = worked(indicator, series("Satisfaction", (80, 82, 83, 84), (80, 85, 90)))
    assert [row.this_year_to_date for row in result.rows] == [80.0, 82.5, 85.0]  # averages to date
    assert [row.last_year_to_date for row in result.rows] == [80.0, 81.0, 81.7]  # 245 / 3 = 81.67
    assert [row.change for row in result.rows] == [0.0, 3.0, 7.0]
    assert [row.target for row in result.rows] == [90, 90, 90]
    assert (result.year_to_date, result.previous_year_to_date, result.change) == (85.0, 81.7, 3.3)
    assert result.change_pct is None  # percentage points, not a % change of a percentage
    assert (result.target_to_date, result.gap_to_target, result.latest) == (90, -5.0, 90)
    assert result.status == "behind target"


def test_a_count_target_each_month_adds_up_to_date() -> None:
    indicator = Indicator("Burglary", "Burglary", "reduce", target_each_period=100)
    result = worked(indicator, series("Burglary", BURGLARY_LAST, BURGLARY_THIS))
    assert [row.target for row in result.rows] == [100, 200, 300]
    assert (result.gap_to_target, result.status) == (10, "behind target")  # 310 against at most 300


def test_a_quarterly_count_reports_the_quarters_ended() -> None:
    values = SeriesValues("DA referrals", {"2017/18 Q1": 400, "2017/18 Q2": 410, "2018/19 Q1": 450, "2018/19 Q2": 380})
    indicator = Indicator("Referrals", "DA referrals", "increase", frequency="quarterly")
    result = worked(indicator, values, to_month="2018-08")  # Q2 ends in September: not yet
    assert [row.label for row in result.rows] == ["Q1 (Apr to Jun)"]
    assert (result.year_to_date, result.previous_year_to_date, result.change, result.change_pct) == (450, 400, 50, 12.5)
    assert result.status == "improving"
    assert result.to_period == "2018/19 Q1"


@pytest.mark.parametrize(
    ("aim", "change", "gap", "expected"),
    [
        ("reduce", -1, None, "improving"),
        ("reduce", 1, None, "worsening"),
        ("increase", 1, None, "improving"),
        ("increase", -1, None, "worsening"),
        ("reduce", 0, None, "no change"),
        ("reduce", None, None, "not available"),
        ("reduce", 5, 0, "on target"),
        ("reduce", -5, 1, "behind target"),
        ("increase", -5, 0, "on target"),
        ("increase", 5, -1, "behind target"),
        ("monitor", 5, None, "monitor only"),
    ],
)
def test_status_follows_the_aim_and_the_target(
    aim: str, change: float | None, gap: float | None, expected: str
) -> None:
    assert status(aim, change, gap) == expected


def test_a_month_missing_inside_the_range_is_named_by_sheet_and_cell() -> None:
    values = series("Burglary", BURGLARY_LAST, (100, 90, 120))
    gapped = SeriesValues("Burglary", {k: v for k, v in values.values.items() if k != "2018-05"}, values.places)
    log = ProblemLog()
    assert indicator_result(Indicator("Burglary", "Burglary", "reduce"), YEAR, gapped, "2018-06", log) is None
    [problem] = log.problems
    assert str(problem).startswith("crime_data.xlsx › monthly › B15: 'Burglary' has no figure for May 2018")


def test_an_indicator_whose_data_ends_early_is_reported_to_its_last_month_and_says_so() -> None:
    result = worked(
        Indicator("Burglary", "Burglary", "reduce"), series("Burglary", BURGLARY_LAST, (100, 90)), to_month="2018-06"
    )
    assert (result.to_period, result.periods, result.ended_early) == ("2018-05", 2, True)
    assert (result.year_to_date, result.previous_year_to_date) == (190, 205)


def test_last_year_not_held_gives_no_comparison() -> None:
    values = SeriesValues("All crime", {"2018-04": 10, "2018-05": 12, "2017-05": 9})
    result = worked(Indicator("All crime", "All crime", "reduce", noun="crimes"), values, to_month="2018-05")
    assert (result.previous_year_to_date, result.change, result.change_pct, result.status) == (
        None,
        None,
        None,
        "not available",
    )
    assert indicator_sentence(result) == (
        "Between April and May 2018 there were 22 crimes; only 1 of the same months of 2017/18 are held, "
        "so no change is shown."
    )


def test_the_default_last_month_is_the_last_held() -> None:
    performance = PerformanceSettings(YEAR, (Indicator("Burglary", "Burglary", "reduce"),))
    assert last_month_held(performance, {"Burglary": series("Burglary", BURGLARY_LAST, BURGLARY_THIS)}) == "2018-06"


def test_periods_and_quarters() -> None:
    assert year_periods("2016/17", "monthly")[::11] == ["2016-04", "2017-03"]
    assert quarters_to("2016-11", "2016/17") == ["2016/17 Q1", "2016/17 Q2"]
    assert period_label("2016/17 Q4") == "Q4 (Jan to Mar)"


def test_the_sentence_of_the_specification() -> None:
    last = (800, 850, 870, 900, 880, 860, 840, 803)  # 6,803 in all
    this = (850, 900, 910, 950, 930, 900, 880, 850)  # 7,170 in all
    values = SeriesValues("ASB", {**dict(zip(year_periods("2015/16", "monthly"), last, strict=False))})
    values = SeriesValues("ASB", {**values.values, **dict(zip(year_periods("2016/17", "monthly"), this, strict=False))})
    indicator = Indicator("Anti-social behaviour", "ASB", "reduce", noun="anti-social behaviour incidents")
    log = ProblemLog()
    result = indicator_result(indicator, "2016/17", values, "2016-11", log)
    assert result is not None
    assert indicator_sentence(result) == (
        "Between April and November 2016 there were 7,170 anti-social behaviour incidents, 367 more than in the "
        "same months of 2015/16 (6,803), up 5.4%."
    )
    assert result.status == "worsening"


def test_the_target_sentence_says_where_the_year_stands() -> None:
    indicator = Indicator("Hate incidents", "Hate incidents", "increase", target_cumulative=HATE_TARGET)
    result = worked(indicator, series("Hate incidents", HATE_LAST, HATE_THIS))
    assert target_sentence(result) == "The target to date (June 2018) is 90: the year to date is 3 above it, on target."


def test_a_percent_sentence_speaks_in_points() -> None:
    indicator = Indicator("Satisfaction", "Satisfaction", "increase", unit="percent", target_each_period=90)
    result = worked(indicator, series("Satisfaction", (80, 82, 83, 84), (80, 85, 90)))
    assert indicator_sentence(result) == (
        "Between April and June 2018 satisfaction averaged 85.0%, 3.3 percentage points higher than in the same "
        "months of 2017/18 (81.7%). In June 2018 it was 90.0%."
    )
    assert target_sentence(result) == (
        "The target each month is 90.0%: the average to date is 5.0 percentage points below it, behind target."
    )


RISE = re.compile(r"\b(more|higher|up)\b")
FALL = re.compile(r"\b(fewer|lower|down)\b")


@settings(max_examples=150, deadline=None)
@given(
    this=st.lists(st.integers(0, 5000), min_size=1, max_size=12),
    last=st.lists(st.integers(0, 5000), min_size=12, max_size=12),
    unit=st.sampled_from(["count", "percent"]),
    noun=st.sampled_from(["", "crimes"]),
    aim=st.sampled_from(["reduce", "increase", "monitor"]),
)
def test_a_rise_is_never_worded_as_a_fall_nor_the_reverse(
    this: list[int], last: list[int], unit: str, noun: str, aim: str
) -> None:
    scale = 50 if unit == "percent" else 1  # percents stay within 0 to 100
    this_values = tuple(value / scale for value in this)
    last_values = tuple(value / scale for value in last)
    indicator = Indicator("Series", "Series", aim, unit=unit, noun=noun)
    months = year_periods(YEAR, "monthly")
    to_month = months[len(this) - 1]
    result = worked(indicator, series("Series", last_values, this_values), to_month=to_month)
    sentence = indicator_sentence(result).split(". In ")[0]  # a percent's latest month says no direction
    assert result.change is not None
    if result.change > 0:
        assert RISE.search(sentence) and not FALL.search(sentence), sentence
    elif result.change < 0:
        assert FALL.search(sentence) and not RISE.search(sentence), sentence
    else:
        assert not RISE.search(sentence) and not FALL.search(sentence), sentence
    if result.change_pct is not None:
        assert (result.change_pct > 0) == (result.change > 0) or result.change_pct == 0


def test_the_direction_check_fails_on_a_wrongly_worded_sentence() -> None:
    """The property test's check catches the board paper's own mistake."""
    wrong = "367 more incidents than last year, which equates to a 5% reduction (down 5%)."
    assert RISE.search(wrong) and FALL.search(wrong)


def test_the_period_and_the_notes_say_only_what_applies() -> None:
    from strategic_assessment.documents.performance import notes, period_text
    from strategic_assessment.performance import PerformanceUpdate

    count = worked(Indicator("Burglary", "Burglary", "reduce"), series("Burglary", BURGLARY_LAST, BURGLARY_THIS))
    update = PerformanceUpdate("Safer Testshire", "Testshire", "Analyst", YEAR, "2018-06", (count,), "Police data")
    assert period_text(update) == "April to June 2018"  # one calendar year: named once
    assert period_text(PerformanceUpdate("P", "A", "a", YEAR, "2019-01", (count,), "s")) == (
        "April 2018 to January 2019"
    )
    assert period_text(PerformanceUpdate("P", "A", "a", YEAR, "2018-04", (count,), "s")) == "April 2018"
    # a count to reduce with no target: nothing about targets, monitoring or percentages
    assert notes(update) == [
        "Change is always this year minus last year: a positive change is a rise, a negative change a fall.",
        "Status: for an aim to reduce, a fall is improving and a rise worsening; for an aim to increase, the reverse.",
        "% change is rounded to one decimal place, halves away from zero.",
        "Source: Police data.",
    ]
    indicator = Indicator("Satisfaction", "Satisfaction", "increase", unit="percent", target_each_period=90)
    percent = worked(indicator, series("Satisfaction", (80, 82, 83, 84), (80, 85, 90)))
    both = notes(PerformanceUpdate("P", "A", "a", YEAR, "2018-06", (count, percent), "Police data"))
    assert both[1].endswith("Where there is a target, the status is on target or behind target instead.")
    assert both[2].endswith(
        "Percent indicators show the average of the months to date, and their change is in percentage points."
    )
