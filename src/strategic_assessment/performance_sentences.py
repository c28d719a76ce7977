"""Sentences of the performance update written from the figures, whose direction always follows the numbers.

Every word of direction (more or fewer, up or down, higher or lower, above or
below) is chosen from the sign of the figure it describes, in one place, so a
rise can never be worded as a fall.
"""

from __future__ import annotations

from .calculations import number_text
from .performance import BEHIND_TARGET, ON_TARGET, IndicatorResult, month_name, period_label, year_periods


def long_period(period: str) -> str:
    """A period in a sentence: ``2016-11`` -> ``November 2016``; ``2016/17 Q2`` -> ``Q2 (Jul to Sep)``."""
    return period_label(period) if " Q" in period else month_name(period)


def number(value: float, places: int = 0) -> str:
    """A figure with thousands separators, half up: 7170 -> ``7,170``."""
    return number_text(value, places)


def figure_text(value: float | None, unit: str) -> str:
    """A year-to-date figure as the tables show it; an en dash when not available."""
    if value is None:
        return "–"
    return f"{number(value, 1)}%" if unit == "percent" else number(value)


def signed_text(value: float | None, unit: str) -> str:
    """A change with its sign: ``+367``, ``-12``, ``+2.1 points``, ``0``."""
    if value is None:
        return "–"
    places = 1 if unit == "percent" else 0
    sign = "+" if value > 0 else "-" if value < 0 else ""
    text = f"{sign}{number(abs(value), places)}"
    return f"{text} points" if unit == "percent" else text


def pct_text(value: float | None) -> str:
    """A % change with its sign: ``+5.4%``; an en dash when there is none."""
    if value is None:
        return "–"
    return f"{'+' if value > 0 else ''}{number(value, 1)}%"


def span_text(result: IndicatorResult) -> str:
    """``Between April and November 2016``, ``In April 2016``, ``Between April 2016 and March 2017``."""
    months = year_periods(result.year, "monthly")
    if result.indicator.frequency == "quarterly":
        last_month = months[int(result.to_period[-1]) * 3 - 1]
    else:
        last_month = result.to_period
    first = months[0]
    if first == last_month:
        return f"In {month_name(first)}"
    if first[:4] == last_month[:4]:
        return f"Between {month_name(first).split()[0]} and {month_name(last_month)}"
    return f"Between {month_name(first)} and {month_name(last_month)}"


def _subject(result: IndicatorResult) -> str:
    indicator = result.indicator
    name = indicator.name
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def indicator_sentence(result: IndicatorResult) -> str:
    """The indicator's sentence: this year to date, last year's same periods, the change and % change."""
    if result.indicator.unit == "percent":
        return _percent_sentence(result)
    span = span_text(result)
    if result.indicator.frequency == "quarterly":
        span += f" (quarters 1 to {result.to_period[-1]} of {result.year})" if result.periods > 1 else " (quarter 1)"
    noun = result.indicator.noun
    figure = number(result.year_to_date)
    opening = f"{span} there were {figure} {noun}" if noun else f"{span} {_subject(result)} was {figure}"
    return opening + _comparison(result) + "."


def _comparison(result: IndicatorResult) -> str:
    months = "quarters" if result.indicator.frequency == "quarterly" else "months"
    same = f"the same {months} of {result.comparison_year}"
    previous = result.previous_year_to_date
    if previous is None or result.change is None:
        return f"; {_not_held(result, same)}, so no change is shown"
    change = result.change
    before = f"({number(previous)})"
    words = ("more", "fewer") if result.indicator.noun else ("higher", "lower")
    if change == 0:
        return f", the same as in {same} {before}, no change"
    word = words[0] if change > 0 else words[1]
    text = f", {number(abs(change))} {word} than in {same} {before}"
    if result.change_pct is not None:
        # the word follows the change: a rise that rounds to 0.0% is still up
        text += f", {'up' if change > 0 else 'down'} {number(abs(result.change_pct), 1)}%"
    return text


def _not_held(result: IndicatorResult, same: str) -> str:
    if result.previous_held == 0:
        return f"{same} are not held"
    return f"only {result.previous_held} of {same} are held"


def _percent_sentence(result: IndicatorResult) -> str:
    span = span_text(result)
    subject = result.indicator.noun or _subject(result)
    figure = f"{number(result.year_to_date, 1)}%"
    text = f"{span} {subject} averaged {figure}" if result.periods > 1 else f"{span} {subject} was {figure}"
    previous = result.previous_year_to_date
    months = "quarters" if result.indicator.frequency == "quarterly" else "months"
    same = f"the same {months} of {result.comparison_year}"
    if previous is None or result.change is None:
        text += f"; {_not_held(result, same)}, so no change is shown"
    elif result.change == 0:
        text += f", the same as in {same} ({number(previous, 1)}%)"
    else:
        word = "higher" if result.change > 0 else "lower"
        points = number(abs(result.change), 1)
        text += f", {points} percentage {'point' if points == '1.0' else 'points'} {word} than in {same}"
        text += f" ({number(previous, 1)}%)"
    if result.periods > 1 and result.latest is not None:
        text += f". In {long_period(result.to_period)} it was {number(result.latest, 1)}%"
    return text + "."


def target_sentence(result: IndicatorResult) -> str:
    """How the year to date stands against the target, or an empty string without one."""
    target, gap = result.target_to_date, result.gap_to_target
    if target is None or gap is None:
        return ""
    percent = result.indicator.unit == "percent"
    shown = f"{number(target, 1)}%" if percent else number(target)
    to = long_period(result.to_period)
    if gap == 0:
        where = "exactly on it"
    else:
        size = f"{number(abs(gap), 1)} percentage points" if percent else number(abs(gap))
        where = f"{size} {'above' if gap > 0 else 'below'} it"
    verdict = ON_TARGET if result.status == ON_TARGET else BEHIND_TARGET
    if percent:
        return f"The target each {_period_word(result)} is {shown}: the average to date is {where}, {verdict}."
    return f"The target to date ({to}) is {shown}: the year to date is {where}, {verdict}."


def _period_word(result: IndicatorResult) -> str:
    return "quarter" if result.indicator.frequency == "quarterly" else "month"


def ended_early_sentence(result: IndicatorResult) -> str:
    """Says an indicator is reported only to its last period held, or an empty string."""
    if not result.ended_early:
        return ""
    last, asked = long_period(result.to_period), long_period(result.asked_to_period)
    return f"Figures are held only to {last}, so this indicator is reported to {last}, not {asked}."


def status_text(result: IndicatorResult) -> str:
    """The status as the summary table shows it: ``Behind target (by 12)`` and the like."""
    text = result.status[0].upper() + result.status[1:]
    if result.gap_to_target is not None and result.status == BEHIND_TARGET:
        places = 1 if result.indicator.unit == "percent" else 0
        unit = " points" if result.indicator.unit == "percent" else ""
        text += f" (by {number(abs(result.gap_to_target), places)}{unit})"
    return text
