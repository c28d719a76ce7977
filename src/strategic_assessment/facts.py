"""Figures derived from the crime tables: counts, changes and rates per crime type (docs/calculations.md).

Pure functions: tables in, tables out. ``crime_figures`` is the crime stage:
everything the later stages use of the crime tables (the annual figures, the
tables behind data/*.csv, the crime charts) worked out once, as plain records
(``records.CrimeFigures``), so a run that finds it kept reads no DataFrame and
imports no pandas; pandas is imported here only when the stage runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .calculations import change_pct, rate_per_1000, rate_shown, round_half_up
from .names import fold as fold

if TYPE_CHECKING:
    import pandas as pd

    from .records import CrimeData, CrimeFigures
    from .settings import Settings

ANNUAL_COLUMNS = (
    "crime_type",
    "theme",
    "denominator",
    "population",
    "count_previous",
    "count_current",
    "change",
    "change_pct",
    "rate_per_1000",
)


@dataclass(frozen=True)
class RowFigures:
    """One crime type's figures for the assessment year against the comparison year."""

    crime_type: str
    denominator: str
    count_previous: int | None
    count_current: int | None
    change: int | None
    change_pct: float | None
    rate_per_1000: float | None
    population: float | None = None

    @property
    def rate_one_place(self) -> float | None:
        """The rate as the documents show it: one decimal, rounded once from the exact value (docs/calculations.md)."""
        if self.population and self.count_current is not None:
            return rate_shown(self.count_current, self.population)
        return None if self.rate_per_1000 is None else round_half_up(self.rate_per_1000, 1)

    def figure(self, name: str) -> float | None:
        """The figure a data suggestion reads: ``rate_per_1000`` or ``change_pct``."""
        value = getattr(self, name)
        return None if value is None else float(value)


def annual_figures(annual: pd.DataFrame, years: tuple[str, ...], population: Mapping[str, float]) -> pd.DataFrame:
    """Per crime type: comparison and assessment counts, change, % change and rate per 1,000."""
    import pandas as pd

    previous_year, current_year = years[-2], years[-1]
    rows = []
    for crime_type, row in annual.iterrows():
        previous = _count(row[previous_year])
        current = _count(row[current_year])
        base = population.get(row["denominator"])
        rows.append(
            {
                "crime_type": crime_type,
                "theme": row["theme"],
                "denominator": row["denominator"],
                "population": base,
                "count_previous": previous,
                "count_current": current,
                "change": None if previous is None or current is None else current - previous,
                "change_pct": change_pct(current, previous),
                "rate_per_1000": rate_per_1000(current, base),
            }
        )
    frame = pd.DataFrame.from_records(rows, columns=list(ANNUAL_COLUMNS))
    return frame.astype({"count_previous": "Int64", "count_current": "Int64", "change": "Int64"})


def figures_by_crime_type(figures: pd.DataFrame) -> dict[str, RowFigures]:
    """The annual figures keyed by crime type, folded for matching (case and spaces ignored)."""
    out: dict[str, RowFigures] = {}
    for record in figures.to_dict("records"):
        out[fold(record["crime_type"])] = RowFigures(
            crime_type=record["crime_type"],
            denominator=record["denominator"],
            count_previous=_count(record["count_previous"]),
            count_current=_count(record["count_current"]),
            change=_count(record["change"]),
            change_pct=_float(record["change_pct"]),
            rate_per_1000=_float(record["rate_per_1000"]),
            population=_float(record["population"]),
        )
    return out


def crime_figures(crime: CrimeData, settings: Settings) -> CrimeFigures:
    """The crime stage: the crime tables as read, worked out into what every later stage uses of them."""
    from .chart_selection import crime_chart_specs
    from .records import CrimeFigures, Table

    annual = annual_figures(crime.annual, crime.years, settings.population)
    figures = figures_by_crime_type(annual)
    files = getattr(crime, "files", ())  # police.uk files, with their sha256
    return CrimeFigures(
        source=crime.source,
        years=crime.years,
        annual=Table.of(annual),
        figures=figures,
        charts=tuple(crime_chart_specs(crime, annual, figures, settings)),
        monthly=None if crime.monthly is None else Table.of(crime.monthly),
        neighbourhoods=None if crime.neighbourhoods is None else Table.of(crime.neighbourhoods),
        not_available=crime.not_available,
        files=tuple((str(path), str(digest)) for path, digest in files),
        comparators=_comparators(crime),
    )


def _comparators(crime: CrimeData) -> tuple[tuple[str, float], ...] | None:
    if crime.comparators is None:
        return None
    return tuple((str(name), float(rate)) for name, rate in crime.comparators.itertuples(index=False))


def _count(value: object) -> int | None:
    return None if _missing(value) else int(value)  # type: ignore[call-overload]


def _float(value: object) -> float | None:
    return None if _missing(value) else float(value)  # type: ignore[arg-type]


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))
