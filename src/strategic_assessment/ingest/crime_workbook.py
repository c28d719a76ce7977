"""The crime workbook ``crime_data.xlsx`` read into checked tables (README, "Inputs").

``annual`` is required; ``monthly``, ``neighbourhoods`` and ``comparators``
are optional and their absence is recorded, so later stages can leave out
what has no data and say so.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, Problem, ProblemLog
from ..errors import shown as clip
from ..limits import MAX_COUNT, MAX_PERCENT, MAX_POPULATION, MAX_RATE_PER_1000
from ..names import fold
from ..records import CrimeData as CrimeData
from ..settings import is_year_label
from .excel import (
    Sheet,
    Workbook,
    as_number,
    as_text,
    cell_name,
    find_workbook,
    lock_files,
    normalise,
    open_workbook,
    shown,
)
from .fields import text_cell
from .header import Columns, read_header

CRIME_FILE = "crime_data.xlsx"
OPTIONAL_SHEETS = ("monthly", "neighbourhoods", "comparators")
MONTH_TEXT = re.compile(r"^(\d{4})-(\d{2})$")


def read_crime_workbook(
    inputs: Path, year: str, population: Mapping[str, float], log: ProblemLog, percent_series: Collection[str] = ()
) -> CrimeData:
    """Read ``crime_data.xlsx`` from the inputs folder.

    ``percent_series`` names the monthly columns that hold percentages (0 to
    100, decimals allowed), not counts. Problems are added to ``log``; raises
    InputError when the workbook or its ``annual`` sheet cannot be used at all.
    """
    log.warnings.extend(lock_files(inputs, CRIME_FILE))
    path, label = find_workbook(inputs, CRIME_FILE)
    book = open_workbook(path, label)
    if not book.has_sheet("annual"):
        raise InputError([book.sheet_problem("annual")])
    annual_sheet = book.read_sheet("annual", log)
    years, annual = _annual(book, annual_sheet, year, population, log)
    optional: dict[str, pd.DataFrame | None] = {}
    missing: list[str] = []
    for name in OPTIONAL_SHEETS:
        if name == "monthly" and book.has_sheet(name):
            optional[name] = _monthly(book, book.read_sheet(name, log), log, percent_series)
        elif book.has_sheet(name):
            optional[name] = _READERS[name](book, book.read_sheet(name, log), log)
        else:
            optional[name] = None
            missing.append(name)
    return CrimeData(
        source=label,
        years=years,
        annual=annual,
        monthly=optional["monthly"],
        neighbourhoods=optional["neighbourhoods"],
        comparators=optional["comparators"],
        not_available=tuple(missing),
    )


def _annual(
    book: Workbook, sheet: Sheet, year: str, population: Mapping[str, float], log: ProblemLog
) -> tuple[tuple[str, ...], pd.DataFrame]:
    # Header problems go to a log of their own: when they make the sheet unusable they are
    # raised, and the caller adds them to ``log`` once.
    header_log = ProblemLog()
    columns = read_header(book, sheet, ["crime_type"], ["theme", "denominator"], header_log)
    if columns is None or not columns.has("crime_type"):
        raise InputError(header_log.problems)
    years = _year_columns(sheet, columns, year, header_log)
    if len(years) < 2:
        raise InputError(header_log.problems)
    log.extend(header_log)
    for name, meaning in (("theme", "no crime type has a theme"), ("denominator", "every rate is per 1,000 persons")):
        if not columns.has(name):
            log.warn(
                Problem(
                    sheet.file,
                    f"column '{name}' not found, so {meaning}",
                    f"add a column headed '{name}' if that is not meant",
                    sheet=sheet.name,
                    cell=f"row {columns.row}",
                )
            )
    records: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for row, values in columns.rows():
        record = _annual_row(book, sheet, columns, years, row, values, population, log)
        if record is None:
            continue
        key = fold(record["crime_type"])
        where = cell_name(row, columns.index["crime_type"])
        if key in seen:
            log.add(
                Problem(
                    sheet.file,
                    f"crime type '{record['crime_type']}' is listed twice (also {seen[key]})",
                    "keep one row per crime type",
                    sheet=sheet.name,
                    cell=where,
                )
            )
            continue
        seen[key] = where
        records.append(record)
    labels = [label for _, label in years]
    frame = pd.DataFrame.from_records(records, columns=["crime_type", "theme", "denominator", *labels])
    for label in labels:
        frame[label] = frame[label].astype("Int64")
    return tuple(labels), frame.set_index("crime_type")


def _year_columns(sheet: Sheet, columns: Columns, year: str, log: ProblemLog) -> list[tuple[int, str]]:
    years: list[tuple[int, str]] = []
    for column, header in columns.extra:
        if is_year_label(header):
            years.append((column, header))
            continue
        log.add(
            Problem(
                sheet.file,
                f"year header '{header}' is not a financial year YYYY/YY",
                f"rename it like {year} (type it as text, e.g. '{year})",
                sheet=sheet.name,
                cell=columns.cell(column),
            )
        )
    labels = [label for _, label in years]
    if len(years) < 2:
        log.add(
            Problem(
                sheet.file,
                "needs at least two year columns (comparison year and assessment year)",
                "add columns headed like 2017/18 and 2018/19, oldest first",
                sheet=sheet.name,
                cell=columns.where,
            )
        )
    elif labels != sorted(labels):
        log.add(
            Problem(
                sheet.file,
                "year columns are not oldest first",
                "reorder them",
                sheet=sheet.name,
                cell=columns.where,
            )
        )
    elif labels[-1] != year:
        log.add(
            Problem(
                sheet.file,
                f"the last year column is {labels[-1]} but assessment.yaml says year {year}",
                f"add a {year} column at the end, or correct `year` in assessment.yaml",
                sheet=sheet.name,
                cell=columns.cell(years[-1][0]),
            )
        )
    return years


def _annual_row(
    book: Workbook,
    sheet: Sheet,
    columns: Columns,
    years: list[tuple[int, str]],
    row: int,
    values: tuple[Any, ...],
    population: Mapping[str, float],
    log: ProblemLog,
) -> dict[str, Any] | None:
    def value(column: int | None) -> Any:
        return values[column - 1] if column and column <= len(values) else None

    def text(name: str, field: str) -> str:
        column = columns.index.get(name)
        return text_cell(book, sheet, row, column, value(column), field, log) if column else ""

    before = len(log.problems)
    crime_type = text("crime_type", "crime type")
    if not crime_type and len(log.problems) > before:
        return None
    if not crime_type:
        log.add(
            Problem(
                sheet.file,
                "crime type is blank on a row with figures",
                "name the crime type or delete the row",
                sheet=sheet.name,
                cell=cell_name(row, columns.index["crime_type"]),
            )
        )
        return None
    where = cell_name(row, columns.index["denominator"]) if columns.has("denominator") else ""
    denominator = _denominator(sheet, where, text("denominator", "denominator"), population, log)
    record: dict[str, Any] = {
        "crime_type": crime_type,
        "theme": text("theme", "theme"),
        "denominator": denominator,
    }
    for column, label in years:
        record[label] = count_cell(book, sheet, row, column, value(column), log)
    return record


def _denominator(sheet: Sheet, where: str, given: str, population: Mapping[str, float], log: ProblemLog) -> str:
    """The population base a row's rate is per 1,000 of: blank is ``persons``; case and spaces ignored."""
    name = " ".join(given.split()) or "persons"
    if name in population:
        return name
    known = next((base for base in population if normalise(base) == normalise(name)), None)
    if known is not None:
        log.warn(
            Problem(
                sheet.file,
                f"denominator '{name}' read as population '{known}', ignoring case and spaces",
                "spell it as assessment.yaml does",
                sheet=sheet.name,
                cell=where,
            )
        )
        return known
    log.add(
        Problem(
            sheet.file,
            f"denominator '{name}' has no population",
            f"add `{name}:` under population in assessment.yaml, or use one of " + ", ".join(sorted(population)),
            sheet=sheet.name,
            cell=where,
        )
    )
    return name


def count_cell(
    book: Workbook, sheet: Sheet, row: int, column: int, raw: Any, log: ProblemLog, what: str = "count"
) -> int | None:
    """A crime count (or a population): a whole number from 0 to MAX_COUNT; blank means not available.

    The range is checked here, on the cell's own value, before anything reaches pandas.
    """
    where = cell_name(row, column)
    number = as_number(raw)
    problem, fix = _count_problem(number.value, what)
    if number.error:
        problem, fix = number.error, "enter a whole number, or leave it blank if not available"
    elif number.value is None and where in book.formulas(sheet.name):
        problem = f"formula {clip(book.formulas(sheet.name)[where])} has no saved value"
        fix = "open the workbook in Excel or LibreOffice, let it calculate, and save it"
    if problem:
        log.add(Problem(sheet.file, problem, fix, sheet=sheet.name, cell=where))
        return None
    return None if number.value is None else int(number.value)


def _count_problem(value: float | None, what: str) -> tuple[str, str]:
    """What is wrong with a count's value (empty when nothing is), and the fix."""
    maximum, noun = (MAX_POPULATION, "people") if what == "population" else (MAX_COUNT, "crimes")
    if value is None:
        return "", ""
    if math.isfinite(value) and value < 0:
        return f"{what} {shown(value)} is negative", f"enter the number of {noun} (0 or more)"
    if not math.isfinite(value) or value > maximum:
        shown_value = f"{value:,.0f}" if math.isfinite(value) and value < 1e21 else f"{value:g}"
        return (
            f"{what} {shown_value} is outside the allowed range 0 to {maximum:,}",
            f"enter the number of {noun}, a whole number from 0 to {maximum:,}",
        )
    if not value.is_integer():
        return f"{what} {shown(value)} is not a whole number", f"enter a whole number of {noun}"
    return "", ""


def percent_cell(book: Workbook, sheet: Sheet, row: int, column: int, raw: Any, log: ProblemLog) -> float | None:
    """A percentage from 0 to 100 (decimals allowed); blank means not available."""
    number = as_number(raw)
    problem = number.error
    if number.value is not None and not 0 <= number.value <= MAX_PERCENT:
        problem = f"percent {shown(number.value)} is outside 0 to {MAX_PERCENT:g}"
    if problem:
        fix = "enter a percentage from 0 to 100, or leave it blank if not available"
        log.add(Problem(sheet.file, problem, fix, sheet=sheet.name, cell=cell_name(row, column)))
        return None
    return number.value


def _cell(values: tuple[Any, ...], column: int) -> Any:
    """The value in a 1-based column of a row, or None past the row's last value."""
    return values[column - 1] if column <= len(values) else None


def _month(value: Any) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    match = MONTH_TEXT.match(as_text(value))
    if match and 1 <= int(match.group(2)) <= 12:
        return as_text(value)
    return None


def _monthly(
    book: Workbook, sheet: Sheet, log: ProblemLog, percent_series: Collection[str] = ()
) -> pd.DataFrame | None:
    columns = read_header(book, sheet, ["month"], [], log)
    if columns is None or not columns.has("month"):
        return None
    series = columns.extra
    if not series:
        log.add(
            Problem(
                sheet.file,
                "has no series columns",
                "add a column per series",
                sheet=sheet.name,
                cell=columns.where,
            )
        )
        return None
    records: list[dict[str, Any]] = []
    for row, values in columns.rows():
        raw_month = _cell(values, columns.index["month"])
        month = _month(raw_month)
        if month is None:
            log.add(
                Problem(
                    sheet.file,
                    f"'{clip(as_text(raw_month))}' is not a month",
                    "enter a date or YYYY-MM",
                    sheet=sheet.name,
                    cell=cell_name(row, columns.index["month"]),
                )
            )
            continue
        record: dict[str, Any] = {"month": month}
        for column, name in series:
            raw = values[column - 1] if column <= len(values) else None
            read = percent_cell if name in percent_series else count_cell
            record[name] = read(book, sheet, row, column, raw, log)
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=["month", *[name for _, name in series]])
    _check_months(frame, sheet, log)
    _check_blank_counts(frame, [name for _, name in series], sheet, log)
    for _, name in series:
        frame[name] = frame[name].astype("Float64" if name in percent_series else "Int64")
    return frame.sort_values("month").reset_index(drop=True)


def _check_months(frame: pd.DataFrame, sheet: Sheet, log: ProblemLog) -> None:
    duplicated = frame["month"][frame["month"].duplicated()].tolist()
    for month in duplicated:
        log.add(
            Problem(
                sheet.file,
                f"month {month} is listed twice",
                "keep one row per month",
                sheet=sheet.name,
            )
        )
    if frame.empty:
        return
    periods = pd.PeriodIndex(sorted(set(frame["month"])), freq="M")
    expected = pd.period_range(periods.min(), periods.max(), freq="M")
    gaps = [str(p) for p in expected.difference(periods)]
    if gaps:
        log.warn(
            Problem(
                sheet.file,
                f"the monthly series has gaps: {', '.join(gaps)} (not filled; charts show them as gaps)",
                "add the missing months",
                sheet=sheet.name,
            )
        )


def _check_blank_counts(frame: pd.DataFrame, series: list[str], sheet: Sheet, log: ProblemLog) -> None:
    """Warn about months whose count is blank: gaps are shown, never filled."""
    for name in series:
        blank = frame.loc[frame[name].isna(), "month"].tolist()
        if blank:
            log.warn(
                Problem(
                    sheet.file,
                    f"series '{name}' has no count for {', '.join(blank)} (left as gaps, not filled)",
                    "enter the counts if they are known",
                    sheet=sheet.name,
                )
            )


def _neighbourhoods(book: Workbook, sheet: Sheet, log: ProblemLog) -> pd.DataFrame | None:
    columns = read_header(book, sheet, ["neighbourhood", "population", "crimes"], [], log)
    if columns is None or len(columns.index) < 3:
        return None
    records: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for row, values in columns.rows():
        cells = {name: values[col - 1] if col <= len(values) else None for name, col in columns.index.items()}
        before = len(log.problems)
        name = text_cell(book, sheet, row, columns.index["neighbourhood"], cells["neighbourhood"], "neighbourhood", log)
        if len(log.problems) > before or not _named_once(
            sheet, cell_name(row, columns.index["neighbourhood"]), name, "neighbourhood", seen, log
        ):
            continue
        crimes = count_cell(book, sheet, row, columns.index["crimes"], cells["crimes"], log)
        people = count_cell(book, sheet, row, columns.index["population"], cells["population"], log, "population")
        if people == 0:
            log.add(
                Problem(
                    sheet.file,
                    "population is 0",
                    "enter the neighbourhood's population",
                    sheet=sheet.name,
                    cell=cell_name(row, columns.index["population"]),
                )
            )
        records.append({"neighbourhood": name, "population": people, "crimes": crimes})
    frame = pd.DataFrame.from_records(records, columns=["neighbourhood", "population", "crimes"])
    return frame.astype({"population": "Int64", "crimes": "Int64"})


def _named_once(sheet: Sheet, where: str, name: str, what: str, seen: dict[str, str], log: ProblemLog) -> bool:
    """True for a row's name that is given and not already used; a blank or repeated name is a problem.

    A blank name would be a nameless bar on a chart; a repeated one, two figures for one place.
    """
    if not name:
        log.add(
            Problem(
                sheet.file,
                f"{what} is blank on a row with figures",
                f"name the {what} or delete the row",
                sheet=sheet.name,
                cell=where,
            )
        )
        return False
    key = fold(name)
    if key in seen:
        log.add(
            Problem(
                sheet.file,
                f"{what} '{name}' is listed twice (also {seen[key]})",
                f"keep one row per {what}",
                sheet=sheet.name,
                cell=where,
            )
        )
        return False
    seen[key] = where
    return True


def _comparators(book: Workbook, sheet: Sheet, log: ProblemLog) -> pd.DataFrame | None:
    columns = read_header(book, sheet, ["partnership", "rate_per_1000"], [], log)
    if columns is None or len(columns.index) < 2:
        return None
    records: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for row, values in columns.rows():
        where = columns.index["partnership"]
        before = len(log.problems)
        name = text_cell(book, sheet, row, where, _cell(values, where), "partnership", log)
        if len(log.problems) > before or not _named_once(sheet, cell_name(row, where), name, "partnership", seen, log):
            continue
        column = columns.index["rate_per_1000"]
        number = as_number(values[column - 1] if column <= len(values) else None)
        if number.value is None or not 0 <= number.value <= MAX_RATE_PER_1000:
            log.add(
                Problem(
                    sheet.file,
                    number.error or f"rate is blank or outside 0 to {MAX_RATE_PER_1000:,g}",
                    "enter the crime rate per 1,000 residents",
                    sheet=sheet.name,
                    cell=cell_name(row, column),
                )
            )
            continue
        records.append({"partnership": name, "rate_per_1000": number.value})
    return pd.DataFrame.from_records(records, columns=["partnership", "rate_per_1000"])


_READERS = {"monthly": _monthly, "neighbourhoods": _neighbourhoods, "comparators": _comparators}
