"""Excel-style rounding, rates and changes (SPEC §5), with values worked out by hand."""

from __future__ import annotations

import pytest

from strategic_assessment.calculations import change_pct, median_half_up, number_text, rate_per_1000, round_half_up


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (6.25, 1, 6.3),  # Python's round() gives 6.2
        (2.5, 0, 3.0),  # banker's rounding would give 2
        (-2.5, 0, -3.0),  # half away from zero
        (0.125, 2, 0.13),
        (31.349, 2, 31.35),
        (-7.3157, 1, -7.3),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(value: float, places: int, expected: float) -> None:
    assert round_half_up(value, places) == expected


def test_rate_per_1000_uses_the_population_base_and_two_decimals() -> None:
    # 6,512 / 207,700 x 1,000 = 31.3529...
    assert rate_per_1000(6512, 207700) == 31.35
    # 23,729 / 263,100 x 1,000 = 90.1901...
    assert rate_per_1000(23729, 263100) == 90.19


def test_rate_is_not_available_without_a_count_or_population() -> None:
    assert rate_per_1000(None, 1000) is None
    assert rate_per_1000(10, 0) is None


def test_change_pct_one_decimal() -> None:
    # (23,729 - 22,903) / 22,903 = 3.6065%
    assert change_pct(23729, 22903) == 3.6
    # (6,512 - 7,026) / 7,026 = -7.3157%
    assert change_pct(6512, 7026) == -7.3


def test_change_pct_is_not_available_from_zero_or_missing() -> None:
    assert change_pct(10, 0) is None
    assert change_pct(10, None) is None
    assert change_pct(None, 10) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [([2], 2), ([1, 2], 2), ([2, 3], 3), ([1, 3], 2), ([0, 1, 3], 1), ([1, 2, 2, 3], 2), ([0, 3], 2)],
)
def test_median_rounds_half_up_to_a_whole_number(values: list[int], expected: int) -> None:
    assert median_half_up(values) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(7170, 0, "7,170"), (2.25, 1, "2.3"), (-2.5, 0, "-3"), (1234567.891, 2, "1,234,567.89"), (0.05, 1, "0.1")],
)
def test_a_figure_is_written_with_separators_and_rounded_half_up(value: float, places: int, expected: str) -> None:
    # 2.25 is a case Python's own formatting rounds down (to 2.2: the float is a shade under 2.25)
    assert number_text(value, places) == expected
