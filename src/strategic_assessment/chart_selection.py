"""Which charts an assessment gets, each built from the assessment's own tables (SPEC §6.3).

A chart whose data is absent is left out; the documents say so.
"""

from __future__ import annotations

from typing import Any

from .charts import (
    ChartSpec,
    annual_trend_chart,
    crime_by_type_chart,
    neighbourhood_rates_chart,
    ratings_by_theme_chart,
    risk_matrix_chart,
    seasonality_chart,
)


def chart_specs(assessment: Any) -> list[ChartSpec]:
    """The assessment's charts in the order of the chart pack."""
    settings = assessment.settings
    crime = assessment.crime
    area, year = settings.area, settings.year
    source = f"Source: {settings.crime_data_source}"
    workshops = f"Source: {settings.partnership} threat assessment workshops, {year}"
    headline = _spelling(crime.annual.index, settings.headline_row)
    levels = [rating.name for rating in assessment.model.ratings]
    period_end = f"{settings.period_end:%Y-%m}"
    candidates = [
        annual_trend_chart(crime.annual, crime.years, headline, area, source),
        seasonality_chart(crime.monthly, headline, period_end, area, source) if crime.monthly is not None else None,
        crime_by_type_chart(
            assessment.annual,
            [settings.headline_row, settings.asb_row, *settings.chart_exclude],
            year,
            area,
            source,
        ),
        neighbourhood_rates_chart(crime.neighbourhoods, year, area, source)
        if crime.neighbourhoods is not None
        else None,
        ratings_by_theme_chart(
            [(r.theme, r.rating) for r in assessment.ratings], levels, year, area, workshops, _theme_changes(assessment)
        ),
        _risk_matrix(assessment, levels, year, area, workshops),
    ]
    return [spec for spec in candidates if spec is not None]


def _spelling(names: Any, wanted: str) -> str:
    folded = wanted.casefold()
    return next((str(name) for name in names if str(name).casefold() == folded), wanted)


def _risk_matrix(assessment: Any, levels: list[str], year: str, area: str, source: str) -> ChartSpec | None:
    model = assessment.model
    if len(model.product) < 2:
        return None
    y_group, x_group = model.product[0], model.product[1]
    points = [(r.threat, r.groups[y_group], r.groups[x_group], r.rating) for r in assessment.ratings]
    axes = (model.group(y_group).label, model.group(x_group).label)
    ranges = (model.group_range(y_group), model.group_range(x_group))
    return risk_matrix_chart(points, axes, ranges, levels, year, area, source)


def _theme_changes(assessment: Any) -> dict[str, str]:
    """Per theme, how many threats rose and fell since last year: ``1 up, 2 down``."""
    marks: dict[str, str] = {}
    for theme in dict.fromkeys(r.theme for r in assessment.ratings):
        ups = sum(1 for c in assessment.changes if c.theme == theme and c.direction == "up")
        downs = sum(1 for c in assessment.changes if c.theme == theme and c.direction == "down")
        marks[theme] = ", ".join(
            part for part in (f"{ups} up" if ups else "", f"{downs} down" if downs else "") if part
        )
    return marks
