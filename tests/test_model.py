"""Scoring models as YAML data: the shipped models and a custom one (SPEC §4)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from strategic_assessment.errors import InputError
from strategic_assessment.model import load_model
from strategic_assessment.resources import SHIPPED_MODELS

MORILE = SHIPPED_MODELS / "morile.yaml"
STRA = SHIPPED_MODELS / "stra.yaml"


def test_morile_has_the_factors_groups_and_range_of_spec_4_2() -> None:
    model = load_model(MORILE)
    assert model.factor_keys == (
        "physical",
        "psychological",
        "financial",
        "community",
        "frequency",
        "trend",
        "knowledge_gaps",
        "capacity",
        "capability",
    )
    assert [g.key for g in model.groups] == ["harm", "likelihood", "trend", "intelligence", "response"]
    assert model.product == ("harm", "likelihood")
    assert model.plus == ("trend", "intelligence", "response")
    # harm 0-12 x likelihood 1-3 + trend 0-2 + intelligence 0-2 + response 0-4: 0 to 36 + 8 = 44
    assert model.score_range() == (0, 44)
    assert [c.label for c in model.display_columns] == [
        "Harm",
        "Likelihood & trends",
        "Intelligence",
        "Response",
    ]


def test_stra_has_the_factors_and_range_of_spec_4_1() -> None:
    model = load_model(STRA)
    assert model.factor_keys == (
        "adjusted_likelihood",
        "physical_psychological_harm",
        "financial_harm",
        "reputation",
        "cost_to_respond",
        "trend",
        "public_concern",
        "vulnerability",
        "benchmarking",
    )
    # impact 0-12 x likelihood 1-3 + weighting 0-8: out of 44
    assert model.score_range() == (0, 44)
    assert [c.label for c in model.display_columns] == ["Impact", "Likelihood", "Weighting"]


@pytest.mark.parametrize(
    ("score", "rating"),
    [(44, "High"), (30, "High"), (29, "Moderate"), (16, "Moderate"), (15, "Standard"), (0, "Standard")],
)
def test_rating_thresholds(score: int, rating: str) -> None:
    assert load_model(STRA).rating_for(score).name == rating
    assert load_model(MORILE).rating_for(score).name == rating


@pytest.mark.parametrize(("rate", "expected"), [(2.99, 1), (3.0, 2), (9.99, 2), (10.0, 3), (31.35, 3)])
def test_likelihood_suggested_from_rate_bands(rate: float, expected: int) -> None:
    factor = load_model(STRA).factor("adjusted_likelihood")
    assert factor.suggest is not None
    assert factor.suggest.value_for(rate) == expected


@pytest.mark.parametrize(("change", "expected"), [(-7.3, 0), (0.0, 0), (0.1, 1), (4.9, 1), (5.0, 2), (69.0, 2)])
def test_trend_suggested_from_change_bands(change: float, expected: int) -> None:
    factor = load_model(MORILE).factor("trend")
    assert factor.suggest is not None
    assert factor.suggest.value_for(change) == expected


@pytest.mark.parametrize(
    ("value", "band"), [(0, "Low"), (4, "Low"), (5, "Medium"), (8, "Medium"), (9, "High"), (12, "High")]
)
def test_display_bands_of_the_harm_column(value: int, band: str) -> None:
    harm = load_model(MORILE).display_columns[0]
    assert harm.band_for(value).name == band


def test_a_partnership_can_change_a_threshold_in_yaml(tmp_path: Path) -> None:
    data = yaml.safe_load(MORILE.read_text(encoding="utf-8"))
    data["ratings"][0]["min_score"] = 25
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    model = load_model(path)
    assert model.rating_for(25).name == "High"
    assert model.rating_for(24).name == "Moderate"


def test_model_problems_are_all_reported_with_their_key_paths(tmp_path: Path) -> None:
    data = yaml.safe_load(MORILE.read_text(encoding="utf-8"))
    data["factors"][0]["group"] = "harms"
    data["ratings"][2]["min_score"] = 5
    data["colour_scheme"] = "dark"
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_model(path)
    text = caught.value.message
    assert "custom.yaml › factors.physical.group: group 'harms' is not defined; did you mean 'harm'?" in text
    assert "custom.yaml › colour_scheme: is not a known model key" in text


def test_a_lowest_rating_above_the_lowest_score_is_a_problem(tmp_path: Path) -> None:
    data = yaml.safe_load(MORILE.read_text(encoding="utf-8"))
    data["ratings"][2]["min_score"] = 5
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError, match="a score of 0 has no rating"):
        load_model(path)
