"""The board's performance update worked out: series and indicator definitions in, indicator records out.

Pure: nothing here reads or writes a file. For each indicator it lines up
this year's months (or quarters) from April against the same periods of last
year, works out the change (always this year minus last year), both running
totals, the year to date, the change and % change (one decimal, half up as
Excel rounds), the target to date and the status the aim and target give.
A period of this year with no value before the series' last value is a
problem named by the place the reader gave; a series that simply ends early
is reported to its last period and says so. Last year with a period missing
gives no comparison: never compare fewer periods with more.

README, "The board's performance update", describes the update.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .calculations import change_pct, round_half_up
from .errors import Problem, ProblemLog
from .settings import SETTINGS_FILE, Indicator, PerformanceSettings, previous_year

IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no change"
ON_TARGET, BEHIND_TARGET = "on target", "behind target"
MONITOR_ONLY, NOT_AVAILABLE = "monitor only", "not available"


@dataclass(frozen=True)
class SeriesValues:
    """One series' values by period (``2016-04`` or ``2016/17 Q1``), with where each period's value is kept.

    ``places`` maps a period to ``(file, sheet, cell)`` for problems; ``source``
    names the series' origin for a problem about the series as a whole.
    """

    name: str
    values: Mapping[str, float]
    places: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    source: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class PeriodRow:
    """One month (or quarter) of an indicator's table."""

    period: str
    label: str
    this_year: float | None
    last_year: float | None
    change: float | None
    this_year_to_date: float | None
    last_year_to_date: float | None
    target: float | None


@dataclass(frozen=True)
class IndicatorResult:
    """Everything the update says about one indicator."""

    indicator: Indicator
    year: str
    rows: tuple[PeriodRow, ...]
    last_year_values: tuple[float | None, ...]
    to_period: str
    asked_to_period: str
    year_to_date: float
    previous_year_to_date: float | None
    change: float | None
    change_pct: float | None
    target_to_date: float | None
    gap_to_target: float | None
    status: str
    latest: float | None = None
    previous_held: int = 0

    @property
    def periods(self) -> int:
        return len(self.rows)

    @property
    def ended_early(self) -> bool:
        return self.to_period != self.asked_to_period

    @property
    def comparison_year(self) -> str:
        return previous_year(self.year)


def year_periods(year: str, frequency: str) -> list[str]:
    """The periods of a financial year in order: ``2016-04`` .. ``2017-03``, or ``2016/17 Q1`` .. ``Q4``."""
    first = int(year[:4])
    if frequency == "quarterly":
        return [f"{year} Q{quarter}" for quarter in range(1, 5)]
    return [f"{first + (month < 4):04d}-{month:02d}" for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def quarter_of(month: str, year: str) -> str | None:
    """The quarter of the year a month ends, or None when the month ends no quarter: ``2016-09`` -> ``2016/17 Q2``."""
    months = year_periods(year, "monthly")
    index = months.index(month) if month in months else -1
    return f"{year} Q{(index + 1) // 3}" if index >= 0 and (index + 1) % 3 == 0 else None


def quarters_to(month: str, year: str) -> list[str]:
    """The quarters of the year that have ended by the month (``2016-11`` -> Q1, Q2)."""
    months = year_periods(year, "monthly")
    done = months.index(month) + 1 if month in months else 0
    return year_periods(year, "quarterly")[: done // 3]


def period_label(period: str) -> str:
    """A period for a table: ``2016-04`` -> ``Apr 2016``; ``2016/17 Q1`` -> ``Q1 (Apr to Jun)``."""
    if " Q" in period:
        quarter = int(period[-1])
        first = calendar.month_abbr[(3 * quarter) % 12 + 1]
        last = calendar.month_abbr[(3 * quarter + 2) % 12 + 1]
        return f"Q{quarter} ({first} to {last})"
    return f"{calendar.month_abbr[int(period[5:])]} {period[:4]}"


def month_name(period: str) -> str:
    """``2016-11`` -> ``November 2016``."""
    return f"{calendar.month_name[int(period[5:])]} {period[:4]}"


def last_month_held(settings: PerformanceSettings, series: Mapping[str, SeriesValues]) -> str:
    """The last month of the year with a value in any indicator's series (a quarter counts as its last month)."""
    months = year_periods(settings.year, "monthly")
    held = []
    for indicator in settings.indicators:
        values = series.get(indicator.series)
        if values is None:
            continue
        for period in values.values:
            if indicator.frequency == "quarterly" and period.startswith(settings.year):
                held.append(months[int(period[-1]) * 3 - 1])
            elif period in months:
                held.append(period)
    return max(held, key=months.index) if held else ""


def indicator_results(
    settings: PerformanceSettings, series: Mapping[str, SeriesValues], to_month: str, log: ProblemLog
) -> list[IndicatorResult]:
    """Every indicator worked out to ``to_month`` (``YYYY-MM``); problems go to ``log``.

    An indicator whose series is missing, or has a gap inside the reported
    range, adds a problem and is left out (the caller stops on problems).
    """
    results = []
    for indicator in settings.indicators:
        values = series.get(indicator.series)
        if values is None:
            continue  # the reader named the missing series
        result = indicator_result(indicator, settings.year, values, to_month, log)
        if result is not None:
            results.append(result)
    return results


def indicator_result(
    indicator: Indicator, year: str, values: SeriesValues, to_month: str, log: ProblemLog
) -> IndicatorResult | None:
    """One indicator to ``to_month``, or None (with a problem in ``log``) when its data cannot be used."""
    periods = year_periods(year, indicator.frequency)
    asked = (
        quarters_to(to_month, year) if indicator.frequency == "quarterly" else periods[: periods.index(to_month) + 1]
    )
    if not asked:
        text = f"{indicator.name}: no quarter of {year} has ended by {month_name(to_month)}, so it is left out"
        log.warn(Problem(SETTINGS_FILE, text, "", cell=indicator.place))
        return None
    held = [period for period in asked if values.values.get(period) is not None]
    if not held:
        log.add(_problem(values, indicator, asked[0], f"'{values.name}' has no figure for {period_label(asked[0])}"))
        return None
    reported = asked[: asked.index(held[-1]) + 1]
    gaps = [period for period in reported if values.values.get(period) is None]
    for period in gaps:
        log.add(_problem(values, indicator, period, f"'{values.name}' has no figure for {period_label(period)}"))
    if gaps:
        return None
    previous = [_previous_period(period) for period in periods]
    last_year = tuple(values.values.get(period) for period in previous)
    this_year = [float(values.values[period]) for period in reported]
    return _result(indicator, year, reported, asked[-1], this_year, last_year)


def _previous_period(period: str) -> str:
    if " Q" in period:
        return f"{previous_year(period[:7])} {period[-2:]}"
    return f"{int(period[:4]) - 1:04d}{period[4:]}"


def _problem(values: SeriesValues, indicator: Indicator, period: str, text: str) -> Problem:
    file, sheet, cell = values.places.get(period, (*values.source, ""))
    reason = (
        f"{text}, a {'quarter' if indicator.frequency == 'quarterly' else 'month'} inside the range "
        f"reported for '{indicator.name}'"
    )
    return Problem(file, reason, "enter the figure, or set to_month (or --to) to an earlier month", sheet, cell)


def _to_date(values: Sequence[float], unit: str) -> float:
    """A running total (counts) or the average so far (percents, one decimal)."""
    if unit == "percent":
        return round_half_up(sum(values) / len(values), 1)
    return float(sum(values))


def _result(
    indicator: Indicator,
    year: str,
    reported: Sequence[str],
    asked_to: str,
    this_year: Sequence[float],
    last_year: Sequence[float | None],
) -> IndicatorResult:
    unit = indicator.unit
    compared = list(last_year[: len(reported)])
    complete = all(value is not None for value in compared)
    rows = []
    for index, period in enumerate(reported):
        last = compared[index]
        earlier = compared[: index + 1]
        rows.append(
            PeriodRow(
                period=period,
                label=period_label(period),
                this_year=this_year[index],
                last_year=last,
                change=None if last is None else _change(this_year[index], last, unit),
                this_year_to_date=_to_date(this_year[: index + 1], unit),
                last_year_to_date=None if None in earlier else _to_date([v for v in earlier if v is not None], unit),
                target=target_at(indicator, index),
            )
        )
    year_to_date = _to_date(this_year, unit)
    previous = _to_date([v for v in compared if v is not None], unit) if complete else None
    change = None if previous is None else _change(year_to_date, previous, unit)
    target = target_at(indicator, len(reported) - 1)
    gap = None if target is None else _change(year_to_date, target, unit)
    return IndicatorResult(
        indicator=indicator,
        year=year,
        rows=tuple(rows),
        last_year_values=tuple(last_year),
        to_period=reported[-1],
        asked_to_period=asked_to,
        year_to_date=year_to_date,
        previous_year_to_date=previous,
        change=change,
        change_pct=change_pct(year_to_date, previous) if unit == "count" else None,
        target_to_date=target,
        gap_to_target=gap,
        status=status(indicator.aim, change, gap),
        latest=this_year[-1] if unit == "percent" else None,
        previous_held=sum(value is not None for value in compared),
    )


def _change(current: float, previous: float, unit: str) -> float:
    """This year minus last year (percentage points to one decimal for percents)."""
    difference = current - previous
    return round_half_up(difference, 1) if unit == "percent" else difference


def target_at(indicator: Indicator, index: int) -> float | None:
    """The target to the period at ``index``: the running total (counts) or the value each period (percents)."""
    if indicator.target_cumulative:
        return indicator.target_cumulative[index]
    if indicator.target_each_period is None:
        return None
    if indicator.unit == "percent":
        return indicator.target_each_period
    return indicator.target_each_period * (index + 1)


def status(aim: str, change: float | None, gap: float | None) -> str:
    """The status word: against the target when there is one, else the direction the aim wants."""
    if aim == "monitor":
        return MONITOR_ONLY
    if gap is not None:
        met = gap <= 0 if aim == "reduce" else gap >= 0
        return ON_TARGET if met else BEHIND_TARGET
    if change is None:
        return NOT_AVAILABLE
    if change == 0:
        return NO_CHANGE
    better = change < 0 if aim == "reduce" else change > 0
    return IMPROVING if better else WORSENING


@dataclass(frozen=True)
class PerformanceUpdate:
    """The whole update: who it is for, the period, every indicator worked out, and the data's source."""

    partnership: str
    area: str
    author: str
    year: str
    to_month: str
    results: tuple[IndicatorResult, ...]
    source: str
    warnings: tuple[Problem, ...] = ()

    @property
    def left_out(self) -> list[str]:
        """Sentences for the indicators left out (a quarterly one before its first quarter has ended)."""
        return [f"{w.problem} of this update." for w in self.warnings if w.problem.endswith(", so it is left out")]
