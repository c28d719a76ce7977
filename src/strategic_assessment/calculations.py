"""Arithmetic shared by every stage: Excel-style rounding, rates, changes, and how a figure is written.

The rules are in docs/calculations.md.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, places: int = 0) -> float:
    """Round half away from zero, as Excel's ROUND does: 6.25 -> 6.3, -2.5 -> -3."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def number_text(value: float, places: int = 0) -> str:
    """A figure as every output writes it: thousands separators, rounded half away from zero: 7170 -> ``7,170``.

    The one place numbers are formatted for people (documents, charts, sentences, the terminal).
    """
    return f"{round_half_up(float(value), places):,.{places}f}"


def whole_half_up(value: float) -> int:
    """Round to a whole number half away from zero: 2.5 -> 3."""
    return int(round_half_up(value, 0))


def rate_per_1000(count: float | None, population: float | None) -> float | None:
    """Count per 1,000 of the population base, two decimals; None when either is unknown."""
    if count is None or not population:
        return None
    return round_half_up(count / population * 1000, 2)


def rate_shown(count: float | None, population: float | None) -> float | None:
    """Count per 1,000 to one decimal, rounded once from the exact value (never from the two-decimal figure).

    1,618 / 263,100 x 1000 = 6.1498... gives 6.1, where rounding the data's 6.15 again would give 6.2.
    """
    if count is None or not population:
        return None
    return round_half_up(count / population * 1000, 1)


def change_pct(current: float | None, previous: float | None) -> float | None:
    """Percentage change from previous to current, one decimal; None (n/a) when previous is 0."""
    if current is None or previous is None or previous == 0:
        return None
    return round_half_up((current - previous) / previous * 100, 1)


def median_half_up(values: list[int]) -> int:
    """Median of whole-number scores, halves rounded up away from zero: [1, 2] -> 2."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return whole_half_up((ordered[middle - 1] + ordered[middle]) / 2)
