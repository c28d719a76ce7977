"""Rating threats with a model: sources, suggestions, carry-forward, overrides (SPEC §3.4, §4).

Expected scores are worked out by hand in each test's comments.
"""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import given
from hypothesis import strategies as st

from strategic_assessment.errors import ProblemLog
from strategic_assessment.facts import RowFigures
from strategic_assessment.merge import FactorInput, MergedThreat
from strategic_assessment.model import Model, load_model
from strategic_assessment.resources import SHIPPED_MODELS
from strategic_assessment.scoring import threat_rating

STRA = load_model(SHIPPED_MODELS / "stra.yaml")
MORILE = load_model(SHIPPED_MODELS / "morile.yaml")
PLACE = ("workshops/test.xlsx", "scores", "row 2")


def threat(
    model: Model,
    scores: Mapping[str, int | None],
    data_row: str = "",
    scored_year: str = "2018/19",
    override: tuple[str, str] = ("", ""),
    workshops: int = 1,
) -> MergedThreat:
    """A merged threat as one (or several agreeing) workshops would give it."""
    factors = {}
    for factor in model.factors:
        value = scores.get(factor.key)
        given = tuple((f"w{i}", value) for i in range(workshops)) if value is not None else ()
        factors[factor.key] = FactorInput(value, given, (("workshops/test.xlsx", "scores", factor.key),))
    return MergedThreat(
        theme="Theme",
        threat="Threat",
        data_row=data_row,
        factors=factors,
        workshops=("workshops/test.xlsx",),
        place=PLACE,
        override_rating=override[0],
        override_reason=override[1],
        scored_year=scored_year,
    )


def figures(previous: int, current: int, population: float, change: float | None, rate: float) -> RowFigures:
    return RowFigures("Row", "persons", previous, current, current - previous, change, rate)


def test_stra_case_from_the_issue_scores_33_and_rates_high() -> None:
    # 6,512 this year, 7,026 last year, base 207,700:
    #   rate 31.35 per 1,000 -> likelihood suggested 3; change -7.3% -> trend suggested 0.
    # impact 3 + 2 + 2 + 3 = 10; adjusted likelihood 3; weighting 0 + 1 + 1 + 1 = 3
    # score 10 x 3 + 3 = 33 -> High
    scores = {
        "adjusted_likelihood": 3,
        "physical_psychological_harm": 3,
        "financial_harm": 2,
        "reputation": 2,
        "cost_to_respond": 3,
        "public_concern": 1,
        "vulnerability": 1,
        "benchmarking": 1,
    }
    row = figures(7026, 6512, 207700, -7.3, 31.35)
    log = ProblemLog()
    rated = threat_rating(STRA, threat(STRA, scores, data_row="Row"), row, "2018/19", log)
    assert rated is not None and not log.problems
    assert rated.factors["adjusted_likelihood"].suggestion == 3
    assert rated.factors["trend"].value == 0
    assert rated.factors["trend"].source == "data"
    assert rated.groups == {"impact": 10, "likelihood": 3, "weighting": 3}
    assert rated.score == 33
    assert rated.rating == "High"


def test_adjusted_likelihood_overrides_the_suggestion() -> None:
    # Rate 1.25 per 1,000 suggests 1; the analyst adjusts to 3 for under-reporting.
    # impact 3+1+2+2 = 8; 8 x 3 + weighting (trend 0 from -6.5%, 2, 2, 1) = 24 + 5 = 29 -> Moderate
    scores = {
        "adjusted_likelihood": 3,
        "physical_psychological_harm": 3,
        "financial_harm": 1,
        "reputation": 2,
        "cost_to_respond": 2,
        "public_concern": 2,
        "vulnerability": 2,
        "benchmarking": 1,
    }
    rated = threat_rating(
        STRA, threat(STRA, scores, "Row"), figures(352, 329, 263100, -6.5, 1.25), "2018/19", ProblemLog()
    )
    assert rated is not None
    assert rated.factors["adjusted_likelihood"].value == 3
    assert rated.factors["adjusted_likelihood"].suggestion == 1
    assert rated.factors["adjusted_likelihood"].source == "workshop"
    assert rated.score == 29
    assert rated.rating == "Moderate"


MORILE_JUDGEMENT = {
    "physical": 2,
    "psychological": 2,
    "financial": 1,
    "community": 2,
    "knowledge_gaps": 1,
    "capacity": 1,
    "capability": 0,
}


def test_carried_forward_threat_takes_fresh_likelihood_and_trend_from_data() -> None:
    # Workbook (2017/18 scores): frequency 2, trend 0. This year's data: 33.59 per 1,000 -> 3; -5.5% -> 0.
    # harm 2+2+1+2 = 7; 7 x 3 + 0 + 1 + 1 = 23 -> Moderate (with the stale frequency 2 it would be 16)
    scores = {**MORILE_JUDGEMENT, "frequency": 2, "trend": 0}
    carried = threat(MORILE, scores, data_row="Row", scored_year="2017/18")
    rated = threat_rating(MORILE, carried, figures(9349, 8838, 263100, -5.5, 33.59), "2018/19", ProblemLog())
    assert rated is not None
    assert rated.carried_forward
    assert rated.factors["frequency"].value == 3
    assert rated.factors["frequency"].source == "data"
    assert rated.factors["physical"].source == "carried forward"
    assert rated.score == 23


def test_carried_forward_threat_without_data_keeps_every_score() -> None:
    # harm 7 x frequency 2 + trend 1 + 1 + 1 = 17 -> Moderate
    scores = {**MORILE_JUDGEMENT, "frequency": 2, "trend": 1}
    rated = threat_rating(MORILE, threat(MORILE, scores, scored_year="2017/18"), None, "2018/19", ProblemLog())
    assert rated is not None
    assert {result.source for result in rated.factors.values()} == {"carried forward"}
    assert rated.score == 17


def test_median_of_several_workshops_is_named_as_the_source() -> None:
    scores = {**MORILE_JUDGEMENT, "frequency": 2, "trend": 1}
    rated = threat_rating(MORILE, threat(MORILE, scores, workshops=3), None, "2018/19", ProblemLog())
    assert rated is not None
    assert rated.factors["physical"].source == "median of 3 workshops"


def test_override_keeps_the_scored_rating_and_sets_the_final_one() -> None:
    # harm 7 x 2 + 1 + 1 + 1 = 17 -> Moderate, raised to High by the partnership
    scores = {**MORILE_JUDGEMENT, "frequency": 2, "trend": 1}
    raised = threat(MORILE, scores, override=("High", "Continued national focus"))
    rated = threat_rating(MORILE, raised, None, "2018/19", ProblemLog())
    assert rated is not None
    assert rated.rating == "Moderate"
    assert rated.final_rating == "High"
    assert rated.override_reason == "Continued national focus"


def test_blank_frequency_without_a_data_row_is_a_problem_naming_the_cell() -> None:
    scores = {**MORILE_JUDGEMENT, "trend": 1}
    log = ProblemLog()
    assert threat_rating(MORILE, threat(MORILE, scores), None, "2018/19", log) is None
    assert [str(p) for p in log.problems] == [
        "workshops/test.xlsx › scores › frequency: frequency is blank for 'Threat' and cannot be suggested: "
        "the threat has no data row; enter a whole number 1-3"
    ]


def test_blank_trend_when_the_change_is_not_available_is_a_problem() -> None:
    scores = {**MORILE_JUDGEMENT, "frequency": 2}
    log = ProblemLog()
    row = RowFigures("Row", "persons", 0, 12, 12, None, 0.05)
    assert threat_rating(MORILE, threat(MORILE, scores, "Row"), row, "2018/19", log) is None
    assert "the % change of 'Row' is not available" in str(log.problems[0])


def test_display_cells_carry_band_words() -> None:
    # harm 7 -> Medium; likelihood 2 + trend 1 = 3 -> Medium;
    # intelligence 1 -> Some gaps; response 1 -> Well placed
    scores = {**MORILE_JUDGEMENT, "frequency": 2, "trend": 1}
    rated = threat_rating(MORILE, threat(MORILE, scores), None, "2018/19", ProblemLog())
    assert rated is not None
    assert [(c.label, c.value, c.band) for c in rated.display] == [
        ("Harm", 7, "Medium"),
        ("Likelihood & trends", 3, "Medium"),
        ("Intelligence", 1, "Some gaps"),
        ("Response", 1, "Well placed"),
    ]


def _scores_strategy(model: Model) -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries({f.key: st.integers(f.low, f.high) for f in model.factors})


def _rank(model: Model, name: str) -> int:
    return [rating.name for rating in model.ratings][::-1].index(name)


@given(scores=_scores_strategy(MORILE))
def test_morile_score_never_leaves_its_range(scores: dict[str, int]) -> None:
    rated = threat_rating(MORILE, threat(MORILE, scores), None, "2018/19", ProblemLog())
    assert rated is not None
    low, high = MORILE.score_range()
    assert low <= rated.score <= high


@given(scores=_scores_strategy(STRA))
def test_stra_score_never_leaves_its_range(scores: dict[str, int]) -> None:
    rated = threat_rating(STRA, threat(STRA, scores), None, "2018/19", ProblemLog())
    assert rated is not None
    assert 0 <= rated.score <= 44


@given(scores=_scores_strategy(MORILE), data=st.data())
def test_raising_any_factor_never_lowers_the_rating(scores: dict[str, int], data: st.DataObject) -> None:
    for model in (MORILE, STRA):
        scores = data.draw(_scores_strategy(model))
        key = data.draw(st.sampled_from(model.factor_keys))
        factor = model.factor(key)
        if scores[key] == factor.high:
            continue
        higher = {**scores, key: scores[key] + 1}
        before = threat_rating(model, threat(model, scores), None, "2018/19", ProblemLog())
        after = threat_rating(model, threat(model, higher), None, "2018/19", ProblemLog())
        assert before is not None and after is not None
        assert after.score >= before.score
        assert _rank(model, after.rating) >= _rank(model, before.rating)
