"""Merging workshops in memory: medians half up, disagreements of 2 or more, names matched by the folding rule."""

from __future__ import annotations

from strategic_assessment.errors import ProblemLog
from strategic_assessment.merge import merge_workshops
from strategic_assessment.model import load_model
from strategic_assessment.records import ScoreEntry
from strategic_assessment.resources import SHIPPED_MODELS

MORILE = load_model(SHIPPED_MODELS / "morile.yaml")
SCORES = {"physical": 1, "psychological": 2, "financial": 0, "community": 1, "frequency": 2, "trend": 1}


def entry(workshop: str, threat: str, **changed: int) -> ScoreEntry:
    values: dict[str, int | None] = {key: SCORES.get(key, 1) for key in MORILE.factor_keys}
    values.update(changed)
    cells = {key: f"{chr(ord('D') + number)}2" for number, key in enumerate(MORILE.factor_keys)}
    return ScoreEntry(workshop, "scores", 2, "Hate crime", threat, "", values, cells)


def test_two_workshops_give_the_median_half_up_and_a_spread_of_2_is_a_disagreement() -> None:
    log = ProblemLog()
    entries = [entry("one.xlsx", "Hate crime", community=1), entry("two.xlsx", "Hate  crime", community=3)]
    threats, disagreements = merge_workshops(entries, MORILE, (), {}, log)
    assert log.problems == []
    assert [threat.threat for threat in threats] == ["Hate crime"]  # "Hate  crime" is the same threat
    community = threats[0].factors["community"]
    assert community.value == 2  # median of 1 and 3
    assert community.given == (("one.xlsx", 1), ("two.xlsx", 3))
    assert [(d.factor, d.spread, d.merged) for d in disagreements] == [(MORILE.factor("community").label, 2, 2)]


def test_scores_1_and_2_merge_to_2_with_no_disagreement() -> None:
    log = ProblemLog()
    entries = [entry("one.xlsx", "Hate crime", physical=1), entry("two.xlsx", "Hate crime", physical=2)]
    threats, disagreements = merge_workshops(entries, MORILE, (), {}, log)
    assert threats[0].factors["physical"].value == 2  # (1 + 2) / 2 = 1.5, half up
    assert disagreements == ()
