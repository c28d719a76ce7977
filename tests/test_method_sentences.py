"""Appendix A's sentence on the data's suggestions, in memory, for every way the workshops can treat them.

The shipped MoRiLE model suggests two factors from the data, frequency and
trend. A suggestion is kept when the workshop scored the suggested value,
changed when it scored another, and left blank when the cell was empty (the
value then comes from the data). Carried-forward threats were not before a
workshop this year, so their suggestions are not counted. Each expected
sentence is written out by hand from those counts.
"""

from __future__ import annotations

import pytest

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


CASES = {
    "one kept, in the singular": (
        [rating("Burglary", KEPT, NONE)],
        [
            "Before the workshops the analyst suggested frequency from the data for 1 threat (1 suggestion), "
            "which the workshops kept.",
            "No trend could be suggested from this year's data, so the workshops scored it.",
        ],
    ),
    "one left blank takes the suggested value": (
        [rating("Burglary", NONE, BLANK)],
        [
            "Before the workshops the analyst suggested trend from the data for 1 threat (1 suggestion), "
            "which the workshops left blank, so it takes the suggested value.",
            "No frequency could be suggested from this year's data, so the workshops scored it.",
        ],
    ),
    "one changed by judgement": (
        [rating("Burglary", CHANGED, NONE)],
        [
            "Before the workshops the analyst suggested frequency from the data for 1 threat (1 suggestion), "
            "which the workshops changed by judgement.",
            "No trend could be suggested from this year's data, so the workshops scored it.",
        ],
    ),
    "every one kept says all": (
        [rating("Burglary", KEPT, KEPT), rating("Robbery", KEPT, NONE)],
        [
            "Before the workshops the analyst suggested frequency and trend from the data for 2 threats "
            "(3 suggestions); of these the workshops kept all 3."
        ],
    ),
    "each treatment counted, a carried-forward threat not": (
        [
            rating("Burglary", KEPT, CHANGED),
            rating("Robbery", BLANK, NONE),
            rating("Arson", KEPT, KEPT, carried=True),  # not before a workshop this year
        ],
        [
            "Before the workshops the analyst suggested frequency and trend from the data for 2 threats "
            "(3 suggestions); of these the workshops kept 1, changed 1 by judgement and left 1 blank, "
            "which takes the suggested value."
        ],
    ),
    "several left blank take it in the plural": (
        [rating("Burglary", BLANK, BLANK), rating("Robbery", CHANGED, BLANK)],
        [
            "Before the workshops the analyst suggested frequency and trend from the data for 2 threats "
            "(4 suggestions); of these the workshops changed 1 by judgement and left 3 blank, "
            "which take the suggested value."
        ],
    ),
    "no suggestion: scored without one": (
        [rating("Burglary", NONE, NONE), rating("Arson", KEPT, KEPT, carried=True)],
        ["No frequency and trend could be suggested from this year's data, so the workshops scored them without one."],
    ),
}


@pytest.mark.parametrize(("ratings", "expected"), CASES.values(), ids=CASES.keys())
def test_the_sentence_says_what_the_workshops_did_with_the_suggestions(
    ratings: list[ThreatRating], expected: list[str]
) -> None:
    assert suggestion_lines(MORILE, ratings) == expected
