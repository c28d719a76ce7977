"""Each indicator's chart: this year against last year by month (and the target), as a ``ChartSpec``.

Count indicators with a target are charted as running totals, because their
target is a running total; the others by month (or quarter). The headline
title states the finding with its direction taken from the figures. Nothing
here draws or writes: ``charts.figure`` draws the specification.

README, "The board's performance update", describes the update.
"""

from __future__ import annotations

import re

import pandas as pd

from .charts import ChartSpec
from .performance import IndicatorResult, period_label, target_at, year_periods
from .performance_sentences import number, span_text
from .records import Table


def chart_name(result: IndicatorResult) -> str:
    """A file-safe name for the indicator's chart: ``Overall crime`` -> ``overall-crime``."""
    return re.sub(r"[^a-z0-9]+", "-", result.indicator.name.casefold()).strip("-") or "indicator"


def _headline(result: IndicatorResult) -> str:
    name = result.indicator.name
    percent = result.indicator.unit == "percent"
    if result.gap_to_target is not None and result.target_to_date is not None:
        gap = result.gap_to_target
        size = f"{number(abs(gap), 1)} points" if percent else number(abs(gap))
        return f"{name}: {size} {'above' if gap > 0 else 'below'} target" if gap else f"{name}: exactly on target"
    if result.change is None:
        shown = f"{number(result.year_to_date, 1)}%" if percent else number(result.year_to_date)
        return f"{name}: {shown} so far this year"
    if result.change == 0:
        return f"{name}: no change on last year"
    direction = "up" if result.change > 0 else "down"
    if percent:
        return f"{name} {direction} {number(abs(result.change), 1)} points on last year"
    if result.change_pct is None:
        return f"{name} {direction} {number(abs(result.change))} on last year"
    return f"{name} {direction} {number(abs(result.change_pct), 1)}% on last year"


def indicator_chart(result: IndicatorResult, area: str, source: str) -> ChartSpec:
    """The chart of one indicator: this year, last year and the target by period, April to March."""
    indicator = result.indicator
    running = indicator.unit == "count" and indicator.has_target
    periods = year_periods(result.year, indicator.frequency)
    labels = [_axis_label(period) for period in periods]
    this_year = [row.this_year_to_date if running else row.this_year for row in result.rows]
    last_year = _last_year_values(result, running)
    target = [target_at(indicator, index) for index in range(len(periods))] if indicator.has_target else []
    data = pd.DataFrame(
        {
            "period": labels,
            result.year: _padded(this_year, len(periods)),
            result.comparison_year: _padded(last_year, len(periods)),
            **({"target": _padded(target, len(periods))} if target else {}),
        }
    )
    measure = _measure(result, running)
    title = _headline(result)
    last = span_text(result).rsplit(" ", 2)[-2:]
    subtitle = f"{measure}, {area}, {result.year} to {' '.join(last)} and {result.comparison_year}"
    alt = _alt_text(result, data, measure, title)
    series = [column for column in data.columns if column != "period"]
    options = {"x": "period", "series": series, "percent": indicator.unit == "percent"}
    return ChartSpec(chart_name(result), "years", title, subtitle, alt, source, Table.of(data), options)


def _axis_label(period: str) -> str:
    return f"Q{period[-1]}" if " Q" in period else period_label(period).split()[0]


def _last_year_values(result: IndicatorResult, running: bool) -> list[float | None]:
    values = list(result.last_year_values)
    if not running:
        return values
    totals: list[float | None] = []
    total = 0.0
    for value in values:
        if value is None:
            break  # a running total stops at the first period not held
        total += value
        totals.append(total)
    return totals


def _padded(values: list[float | None], length: int) -> list[float | None]:
    return [*values, *([None] * (length - len(values)))]


def _measure(result: IndicatorResult, running: bool) -> str:
    if result.indicator.unit == "percent":
        return "Percent each month" if result.indicator.frequency == "monthly" else "Percent each quarter"
    per = "month" if result.indicator.frequency == "monthly" else "quarter"
    return f"Running total by {per}" if running else f"Number each {per}"


def _alt_text(result: IndicatorResult, data: pd.DataFrame, measure: str, title: str) -> str:
    percent = result.indicator.unit == "percent"
    parts = []
    for column in data.columns[1:]:
        pairs = [
            f"{period} {number(float(value), 1) + '%' if percent else number(float(value))}"
            for period, value in zip(data["period"], data[column], strict=True)
            if value is not None and not pd.isna(value)
        ]
        if pairs:
            label = "target" if column == "target" else str(column)
            parts.append(f"{label}: {', '.join(pairs)}")
    listing = "; ".join(parts)
    return f"Line chart of {result.indicator.name.lower()}, {measure.lower()}, April to March. {listing}. {title}."
