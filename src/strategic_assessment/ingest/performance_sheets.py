"""The performance update's series read from ``crime_data.xlsx``: sheets ``monthly`` and ``quarterly``.

Only the columns the indicators name are read, each value with its cell so a
problem can say where it is: a series that is not a column names the closest
header; text in a figure cell, a negative count, a count that is not whole
and a percent above 100 are problems; a month row missing inside the range is
reported at the place it belongs (by the pure stage, from the places given
here).

README, "The board's performance update", describes the sheets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, ProblemLog, closest
from ..performance import SeriesValues, year_periods
from ..settings import Indicator, PerformanceSettings, previous_year
from .crime_workbook import CRIME_FILE, _month
from .excel import Sheet, Workbook, as_number, as_text, cell_name, find_workbook, open_workbook
from .header import Columns, read_header

QUARTER = re.compile(r"^(\d{4}/\d{2})\s*Q([1-4])$", re.IGNORECASE)
SHEETS = {"monthly": ("monthly", "month"), "quarterly": ("quarterly", "quarter")}


@dataclass(frozen=True)
class _Periods:
    """A sheet's period column: the row of each period, in sheet order, and that row's values."""

    rows: dict[str, int]
    column: int
    values: dict[str, tuple[Any, ...]]


def read_performance_series(inputs: Path, settings: PerformanceSettings, log: ProblemLog) -> dict[str, SeriesValues]:
    """The series the indicators name, from the ``monthly`` and ``quarterly`` sheets of ``crime_data.xlsx``.

    Problems go to ``log``. Raises InputError when the workbook cannot be opened.
    """
    book = open_workbook(*find_workbook(inputs, CRIME_FILE))
    found: dict[str, SeriesValues] = {}
    for frequency, (sheet_name, period_column) in SHEETS.items():
        wanted = [i for i in settings.indicators if i.frequency == frequency]
        if not wanted:
            continue
        if not book.has_sheet(sheet_name):
            log.add(_missing_sheet(book, sheet_name, wanted))
            continue
        sheet = book.read_sheet(sheet_name, log)
        found.update(_sheet_series(book, sheet, period_column, wanted, settings.year, log))
    return found


def _missing_sheet(book: Workbook, sheet: str, wanted: Sequence[Indicator]) -> Problem:
    names = ", ".join(f"'{i.name}'" for i in wanted)
    problem = book.sheet_problem(sheet)
    return Problem(problem.file, f"sheet '{sheet}' not found; the indicators {names} need it", problem.fix, sheet)


def _sheet_series(
    book: Workbook, sheet: Sheet, period_column: str, wanted: Sequence[Indicator], year: str, log: ProblemLog
) -> dict[str, SeriesValues]:
    columns = read_header(book, sheet, [period_column], [], log)
    if columns is None or not columns.has(period_column):
        return {}
    periods = _period_rows(sheet, columns, period_column, log)
    found: dict[str, SeriesValues] = {}
    for indicator in wanted:
        if indicator.series in found:
            continue
        column = _series_column(sheet, columns, indicator, log)
        if column is not None:
            found[indicator.series] = _values(book, sheet, periods, column, indicator, year, log)
    return found


def _period_rows(sheet: Sheet, columns: Columns, kind: str, log: ProblemLog) -> _Periods:
    column = columns.index[kind]
    rows: dict[str, int] = {}
    found: dict[str, tuple[Any, ...]] = {}
    for row, values in columns.rows():
        raw = values[column - 1] if column <= len(values) else None
        period = _month(raw) if kind == "month" else _quarter(raw)
        where = cell_name(row, column)
        if period is None:
            example = "a date or YYYY-MM" if kind == "month" else "a quarter like 2016/17 Q1"
            log.add(Problem(sheet.file, f"'{as_text(raw)}' is not a {kind}", f"enter {example}", sheet.name, where))
        elif period in rows:
            log.add(
                Problem(
                    sheet.file,
                    f"{kind} {period} is listed twice (also row {rows[period]})",
                    f"keep one row per {kind}",
                    sheet.name,
                    where,
                )
            )
        else:
            rows[period], found[period] = row, values
    return _Periods(rows, column, found)


def _quarter(value: Any) -> str | None:
    match = QUARTER.match(" ".join(as_text(value).split()))
    return f"{match.group(1)} Q{match.group(2)}" if match else None


def _series_column(sheet: Sheet, columns: Columns, indicator: Indicator, log: ProblemLog) -> int | None:
    headers = dict((" ".join(header.split()).casefold(), column) for column, header in columns.extra)
    column = headers.get(" ".join(indicator.series.split()).casefold())
    if column is not None:
        return column
    near = closest(indicator.series, [header for _, header in columns.extra])
    if near is None:
        fix = f"add a column headed '{indicator.series}' in {columns.where}, or correct the indicator's series"
        where = columns.where
    else:
        near_column = next(c for c, header in columns.extra if header == near)
        fix, where = f"did you mean column '{near}'? Rename it, or correct the series", columns.cell(near_column)
    log.add(
        Problem(
            sheet.file,
            f"series '{indicator.series}' (indicator '{indicator.name}', {indicator.place}) is not a column",
            fix,
            sheet.name,
            where,
        )
    )
    return None


def _values(
    book: Workbook,
    sheet: Sheet,
    periods: _Periods,
    column: int,
    indicator: Indicator,
    year: str,
    log: ProblemLog,
) -> SeriesValues:
    wanted = year_periods(year, indicator.frequency) + year_periods(previous_year(year), indicator.frequency)
    values: dict[str, float] = {}
    places: dict[str, tuple[str, str, str]] = {}
    for period in wanted:
        row = periods.rows.get(period)
        if row is None:
            places[period] = (sheet.file, sheet.name, _missing_row_place(periods, period))
            continue
        where = cell_name(row, column)
        places[period] = (sheet.file, sheet.name, where)
        cells = periods.values[period]
        raw = cells[column - 1] if column <= len(cells) else None
        value = _figure(book, sheet, where, raw, indicator, log)
        if value is not None:
            values[period] = value
    if indicator.unit == "percent" and values and 0 < max(values.values()) <= 1:
        first = next(period for period in wanted if period in values)
        log.add(
            Problem(
                sheet.file,
                f"the percentages for '{indicator.name}' are all 1 or less, like fractions (0.875 for 87.5%)",
                "enter percentages as numbers from 0 to 100 (a cell formatted as % holds the fraction)",
                sheet.name,
                places[first][2],
            )
        )
    return SeriesValues(indicator.series, values, places, (sheet.file, sheet.name))


def _missing_row_place(periods: _Periods, period: str) -> str:
    """Where a missing period's row belongs: ``no row for 2016-07 (between A8 and A9)``."""
    before = [(p, r) for p, r in periods.rows.items() if p < period]
    after = [(p, r) for p, r in periods.rows.items() if p > period]
    column = cell_name(1, periods.column).rstrip("1")
    parts = []
    if before:
        parts.append(f"{column}{max(before)[1]}")
    if after:
        parts.append(f"{column}{min(after)[1]}")
    where = f" (between {' and '.join(parts)})" if len(parts) == 2 else f" (next to {parts[0]})" if parts else ""
    return f"no row for {period}{where}"


def _figure(book: Workbook, sheet: Sheet, where: str, raw: Any, indicator: Indicator, log: ProblemLog) -> float | None:
    number = as_number(raw)
    percent = indicator.unit == "percent"
    problem, fix = number.error, "enter a number, or leave it blank if not available"
    if number.value is None and not problem and where in book.formulas(sheet.name):
        problem = f"formula {book.formulas(sheet.name)[where]} has no saved value"
        fix = "open the workbook in Excel or LibreOffice, let it calculate, and save it"
    elif number.value is not None and number.value < 0:
        problem, fix = f"{number.value:g} is negative", "enter 0 or more"
    elif percent and number.value is not None and number.value > 100:
        problem, fix = f"percent {number.value:g} is above 100", "enter a percentage from 0 to 100"
    elif not percent and number.value is not None and not number.value.is_integer():
        problem, fix = f"count {number.value:g} is not a whole number", "enter a whole number"
    if problem:
        what = "percent" if percent else "count"
        log.add(Problem(sheet.file, f"{problem} ({what} for '{indicator.name}')", fix, sheet.name, where))
        return None
    return number.value
