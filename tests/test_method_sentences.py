"""Appendix A's sentence on the data's suggestions, in memory, for every way the workshops can treat them.

The shipped MoRiLE model suggests two factors from the data, frequency and
trend. A suggestion is kept when the workshop scored the suggested value,
changed when it scored another, and left blank when the cell was empty (the
value then comes from the data). Carried-forward threats were not before a
workshop this year, so their suggestions are not counted. Each expected
sentence is written out by hand from those counts.
"""

from __future__ import annotations

from strategic_assessment.documents.method import suggestion_lines
from strategic_assessment.model import load_model
from strategic_assessment.records import FactorResult, ThreatRating
from strategic_assessment.resources import SHIPPED_MODELS
from strategic_assessment.scoring import SOURCE_DATA, SOURCE_WORKSHOP

MORILE = load_model(SHIPPED_MODELS / "morile.yaml")
KEPT, CHANGED, BLANK, NONE = "kept", "changed", "blank", "none"


def factor(key: str, how: str) -> FactorResult:
    """A suggested value of 2, treated as ``how`` says (``none``: nothing could be suggested; scored 1)."""
    if how == NONE:
        return FactorResult(key, 1, SOURCE_WORKSHOP)
    if how == BLANK:
        return FactorResult(key, 2, SOURCE_DATA, suggestion=2)
    return FactorResult(key, 2 if how == KEPT else 3, SOURCE_WORKSHOP, suggestion=2)


def rating(threat: str, frequency: str, trend: str, carried: bool = False) -> ThreatRating:
    factors = {"frequency": factor("frequency", frequency), "trend": factor("trend", trend)}
    return ThreatRating(
        theme="Violence",
        threat=threat,
        data_row=threat,
        figures=None,
        factors=factors,
        groups={},
        score=20,
        rating="Moderate",
        display=(),
        scored_year="2018/19",
        carried_forward=carried,
    )


def test_one_suggestion_kept_is_spoken_of_in_the_singular() -> None:
    assert suggestion_lines(MORILE, [rating("Burglary", KEPT, NONE)]) == [
        "Before the workshops the analyst suggested frequency from the data for 1 threat (1 suggestion), "
        "which the workshops kept.",
        "No trend could be suggested from this year's data, so the workshops scored it.",
    ]


def test_one_suggestion_left_blank_takes_the_suggested_value() -> None:
    assert suggestion_lines(MORILE, [rating("Burglary", NONE, BLANK)])[0] == (
        "Before the workshops the analyst suggested trend from the data for 1 threat (1 suggestion), "
        "which the workshops left blank, so it takes the suggested value."
    )


def test_one_suggestion_changed_is_changed_by_judgement() -> None:
    assert suggestion_lines(MORILE, [rating("Burglary", CHANGED, NONE)])[0] == (
        "Before the workshops the analyst suggested frequency from the data for 1 threat (1 suggestion), "
        "which the workshops changed by judgement."
    )


def test_every_suggestion_kept_says_all() -> None:
    lines = suggestion_lines(MORILE, [rating("Burglary", KEPT, KEPT), rating("Robbery", KEPT, NONE)])
    assert lines == [
        "Before the workshops the analyst suggested frequency and trend from the data for 2 threats "
        "(3 suggestions); of these the workshops kept all 3."
    ]


def test_each_treatment_is_counted_and_a_carried_forward_threat_is_not() -> None:
    ratings = [
        rating("Burglary", KEPT, CHANGED),
        rating("Robbery", BLANK, NONE),
        rating("Arson", KEPT, KEPT, carried=True),  # not before a workshop this year
    ]
    assert suggestion_lines(MORILE, ratings) == [
        "Before the workshops the analyst suggested frequency and trend from the data for 2 threats "
        "(3 suggestions); of these the workshops kept 1, changed 1 by judgement and left 1 blank, "
        "which takes the suggested value."
    ]


def test_several_left_blank_take_the_suggested_value_in_the_plural() -> None:
    lines = suggestion_lines(MORILE, [rating("Burglary", BLANK, BLANK), rating("Robbery", CHANGED, BLANK)])
    assert lines == [
        "Before the workshops the analyst suggested frequency and trend from the data for 2 threats "
        "(4 suggestions); of these the workshops changed 1 by judgement and left 3 blank, "
        "which take the suggested value."
    ]


def test_without_any_suggestion_the_workshops_scored_without_one() -> None:
    ratings = [rating("Burglary", NONE, NONE), rating("Arson", KEPT, KEPT, carried=True)]
    assert suggestion_lines(MORILE, ratings) == [
        "No frequency and trend could be suggested from this year's data, so the workshops scored them without one."
    ]
