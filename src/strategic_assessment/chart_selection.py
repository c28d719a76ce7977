"""Which charts an assessment gets, each built from the assessment's own tables (docs/documents.md, "The chart pack").

A chart whose data is absent is left out; the documents say so. A data pack
(no workshop scores) gets the crime charts only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .charts import (
    ChartSpec,
    annual_trend_chart,
    crime_by_type_chart,
    neighbourhood_rates_chart,
    ratings_by_theme_chart,
    risk_matrix_chart,
    seasonality_chart,
)
from .names import fold

if TYPE_CHECKING:
    import pandas as pd

    from .facts import RowFigures
    from .records import Assessment, CrimeData
    from .settings import Settings

SEASONAL_MIN_MONTHLY_MEAN = 200
"""Crimes a month, on average, below which the seasonality chart names no peak month.

Month-to-month counts vary by chance by about the square root of the count;
at 200 a month that is about 7%, so a peak of 10% stands above chance.
"""
SEASONAL_MIN_PEAK_RATIO = 1.10
"""How far the peak month's average must stand above the mean of the months to be called a peak."""


def seasonality_rule() -> str:
    """The seasonality rule in words, for the method appendix."""
    return (
        "The seasonality chart uses complete April to March years only (the last three held), so every "
        "month is averaged over the same years, and the years used are stated. It names a peak month only "
        f"where crimes average at least {SEASONAL_MIN_MONTHLY_MEAN} a month and the peak month is at least "
        f"{round((SEASONAL_MIN_PEAK_RATIO - 1) * 100):.0f}% above the average month; smaller or flatter "
        "counts vary too much by chance to show a seasonal pattern. From a single complete year it names "
        "that year's highest and lowest months, with their year, and claims no seasonal pattern."
    )


def chart_specs(assessment: Assessment) -> list[ChartSpec]:
    """The assessment's charts in the order of the chart pack; ratings charts only where threats were rated.

    The crime charts come from the crime stage (``crime_chart_specs``); only the ratings charts are made here.
    """
    settings = assessment.settings
    area, year = settings.area, settings.year_phrase
    workshops = f"Source: {settings.partnership} threat assessment workshops, {year}"
    levels = [rating.name for rating in assessment.model.ratings]
    candidates: list[ChartSpec | None] = list(assessment.crime.charts)
    if assessment.ratings:
        candidates.append(
            ratings_by_theme_chart(
                [(r.theme, r.rating) for r in assessment.ratings],
                levels,
                settings.year,
                area,
                workshops,
                _theme_changes(assessment),
            )
        )
        candidates.append(_risk_matrix(assessment, levels, settings.year, area, workshops))
    return [spec for spec in candidates if spec is not None]


def crime_chart_specs(
    crime: CrimeData, annual: pd.DataFrame, figures: Mapping[str, RowFigures], settings: Settings
) -> list[ChartSpec]:
    """The charts of the crime tables alone (``annual``: their annual figures), in the order of the chart pack."""
    area, year = settings.area, settings.year_phrase
    source = f"Source: {settings.crime_data_source}"
    headline = _spelling(crime.annual.index, settings.headline_row)
    period_end = f"{settings.period_end:%Y-%m}"
    headline_row = figures.get(fold(settings.headline_row))
    candidates = [
        _with_period(annual_trend_chart(crime.annual, crime.years, headline, area, source), settings),
        seasonality_chart(
            crime.monthly, headline, period_end, area, source, SEASONAL_MIN_MONTHLY_MEAN, SEASONAL_MIN_PEAK_RATIO
        )
        if crime.monthly is not None
        else None,
        crime_by_type_chart(
            annual,
            [settings.headline_row, settings.asb_row, *settings.chart_exclude],
            year,
            area,
            source,
            None if headline_row is None else headline_row.count_current,
        ),
        neighbourhood_rates_chart(crime.neighbourhoods, year, area, source)
        if crime.neighbourhoods is not None
        else None,
    ]
    return [spec for spec in candidates if spec is not None]


def _with_period(spec: ChartSpec | None, settings: Settings) -> ChartSpec | None:
    """A chart whose words say "in 2017/18" names the 12 months too when they are not April to March."""
    if spec is None or settings.whole_financial_year:
        return spec
    said, meant = f"in {settings.year}", f"in {settings.year_phrase}"
    return replace(spec, title=spec.title.replace(said, meant), alt_text=spec.alt_text.replace(said, meant))


def _spelling(names: Any, wanted: str) -> str:
    folded = fold(wanted)
    return next((str(name) for name in names if fold(str(name)) == folded), wanted)


def _risk_matrix(assessment: Assessment, levels: list[str], year: str, area: str, source: str) -> ChartSpec | None:
    model = assessment.model
    if len(model.product) < 2:
        return None
    y_group, x_group = model.product[0], model.product[1]
    points = [(r.threat, r.groups[y_group], r.groups[x_group], r.rating) for r in assessment.ratings]
    axes = (model.group(y_group).label, model.group(x_group).label)
    ranges = (model.group_range(y_group), model.group_range(x_group))
    return risk_matrix_chart(points, axes, ranges, levels, year, area, source)


def _theme_changes(assessment: Assessment) -> dict[str, str]:
    """Per theme, how many threats rose and fell since last year: ``1 up, 2 down``."""
    marks: dict[str, str] = {}
    for theme in dict.fromkeys(r.theme for r in assessment.ratings):
        ups = sum(1 for c in assessment.changes if c.theme == theme and c.direction == "up")
        downs = sum(1 for c in assessment.changes if c.theme == theme and c.direction == "down")
        marks[theme] = ", ".join(
            part for part in (f"{ups} up" if ups else "", f"{downs} down" if downs else "") if part
        )
    return marks
