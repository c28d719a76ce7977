"""The render context of an area's data pack: its crime figures and the data's suggestions, no ratings (README: batch).

A batch gives every area without its own workshop scores a data pack for
its workshops. It shares the Strategic Assessment's quick facts, charts,
neighbourhoods, trends and crime table, and adds what the data suggests for
every factor the model can suggest; it holds no ratings, findings or
priorities, and its first page says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..facts import RowFigures, fold
from ..model import Factor, Model
from ..scoring import suggested_value
from ..sentences import and_list, count_text, key_facts, place, row_rate_text, signed, trend_sentences
from .blocks import Block, BlockBuilder, Cell
from .context import (
    ChartImage,
    _chart_list,
    _crime_table,
    _crime_table_notes,
    _fact_inputs,
    _movers_rows,
    _neighbourhood_context,
    _not_available,
    compared,
    comparison_phrase,
    crime_table_intro,
    rated,
    source_lines,
)
from .markdown import markdown_block
from .method import figure_notes

if TYPE_CHECKING:
    from ..records import Assessment
    from ..settings import Settings


def purpose_lines(settings: Settings, workbook: bool, suggested: bool = True) -> list[str]:
    """The first page's statement of what the pack is and is not."""
    who = f"{settings.partnership}'s" if settings.partnership != settings.area else "the partnership's"
    lines = [
        f"This is a data pack for {who} threat assessment workshops: the crime figures for {place(settings.area)} "
        f"in {settings.year_phrase} that the workshops score threats from.",
        "It holds no ratings, findings or priorities. Those come from the workshops' own scores, and are set out "
        "in the strategic assessment written after them.",
    ]
    if workbook and suggested:
        lines.append(
            "A scoring workbook comes with this pack, with the values the data suggests already filled in; the "
            "workshops confirm or change each one."
        )
    elif workbook:
        lines.append("A scoring workbook for the workshops comes with this pack.")
    return lines


def data_pack_context(
    assessment: Assessment, builder: BlockBuilder, charts: Mapping[str, ChartImage], workbook: bool
) -> dict[str, Any]:
    """The data pack's render context."""
    settings = assessment.settings
    figures = assessment.figures
    previous = assessment.crime.comparison_year
    return {
        "partnership": settings.partnership,
        "area": settings.area,
        "year": settings.year,
        "period_line": f"Figures for {settings.period_text}",
        "comparison_year": previous,
        "author": settings.author or settings.partnership,
        "prepared_by": f"Prepared by {settings.author}" if settings.author else "",
        "purpose": purpose_lines(settings, workbook, _any_suggestion(assessment)),
        "key_facts": key_facts(_fact_inputs(assessment, figures)),
        "quick_fact_charts": _chart_list(
            charts, ("annual-trend", "seasonality", "crime-by-type", "neighbourhood-rates")
        ),
        **_neighbourhood_context(assessment),
        "not_available": _not_available(assessment, charts),
        "trend_sentences": trend_sentences(
            _movers_rows(settings, figures),
            settings.year_phrase,
            comparison_phrase(settings, previous),
            settings.asb_row,
        ),
        "crime_table_intro": crime_table_intro(settings, figures, previous),
        "crime_table": _crime_table(assessment, figures),
        "compared": compared(figures),
        "rated": rated(figures),
        "crime_table_notes": _crime_table_notes(settings, figures),
        "suggestions": suggestions_block(builder, assessment.model, assessment),
        "method": builder.paragraphs(figure_notes()),
        "data_sources": _sources(assessment, builder),
    }


def _any_suggestion(assessment: Assessment) -> bool:
    """True when the figures suggest at least one factor value for some crime type."""
    factors = [factor for factor in assessment.model.factors if factor.suggest is not None]
    return any(suggested_value(factor, row)[0] is not None for row in assessment.figures.values() for factor in factors)


def suggestions_block(builder: BlockBuilder, model: Model, assessment: Assessment) -> Block:
    """Each crime type's figures and the value the model suggests for each factor it can suggest."""
    factors = [factor for factor in model.factors if factor.suggest is not None]
    if not factors:
        return builder.paragraphs([f"The {model.title} model suggests no factor from the data."])
    settings = assessment.settings
    rows: list[Sequence[Cell | str]] = []
    reasons: dict[tuple[str, str], list[str]] = {}
    for crime_type in assessment.crime.crime_types:
        if fold(crime_type) == fold(settings.headline_row):
            continue
        row = assessment.figures[fold(crime_type)]
        rows.append(_suggestion_row(row, factors, reasons))
    labels = [factor.label.lower() for factor in factors]
    names = " and ".join(labels)
    if all(cell == "not suggested" for row in rows for cell in row[4:]):
        because = "; ".join(sorted({reason for _, reason in reasons}))
        return builder.paragraphs(
            [
                f"{_none_of(labels)} can be suggested from these figures: {because}. The workshops score "
                f"{'it' if len(labels) == 1 else 'them'} by judgement, with the crime table above.",
                *[
                    f"Where the figures allow, {factor.label.lower()} is suggested {factor.suggest.describe()}."
                    for factor in factors
                    if factor.suggest
                ],
            ]
        )
    intro = builder.paragraph(
        f"What the figures suggest for {names}, for each crime type a threat can take as its data row. "
        "A suggestion is a starting point: the workshops confirm it or change it by judgement, for example "
        "for known under-reporting."
    )
    header = ["Crime type", settings.year, "Rate per 1,000", "Change", *(factor.label for factor in factors)]
    widths = [4.6, 2.0, 2.2, 2.6, *([4.6 / len(factors)] * len(factors))]
    elements = [intro, builder.table(header, rows, widths)]
    elements.extend(
        builder.note(f"{label} not suggested for {_listed(crime_types)}: {reason}.")
        for (label, reason), crime_types in reasons.items()
    )
    elements.append(builder.paragraph("How each suggestion is made:"))
    elements.extend(
        builder.bullets([f"{factor.label}: {factor.suggest.describe()}." for factor in factors if factor.suggest])
    )
    return Block(elements)


def _suggestion_row(
    row: RowFigures, factors: Sequence[Factor], reasons: dict[tuple[str, str], list[str]]
) -> list[Cell | str]:
    change = "n/a" if row.change_pct is None else f"{signed(row.change_pct)}%"
    cells: list[Cell | str] = [row.crime_type, count_text(row.count_current), row_rate_text(row), change]
    for factor in factors:
        value, _ = suggested_value(factor, row)
        if value is None:
            cells.append("not suggested")
            reasons.setdefault((factor.label, _reason(factor)), []).append(row.crime_type)
        else:
            label = factor.level_label(value)
            cells.append(f"{value} ({label})" if label else str(value))
    return cells


def _reason(factor: Factor) -> str:
    """Why a factor cannot be suggested for a row, in the board's words."""
    if factor.suggest is not None and factor.suggest.source == "rate_per_1000":
        return "no population was given, so there is no rate per 1,000"
    return "there is no comparable figure for the year before"


def _none_of(labels: Sequence[str]) -> str:
    """``No frequency``, ``Neither frequency nor trend``, ``None of frequency, trend and harm``."""
    if len(labels) == 1:
        return f"No {labels[0]}"
    if len(labels) == 2:
        return f"Neither {labels[0]} nor {labels[1]}"
    return f"None of {and_list(labels)}"


def _listed(names: Sequence[str]) -> str:
    if len(names) > 3:
        return f"any of the {len(names)} crime types"
    return and_list(names)


def _sources(assessment: Assessment, builder: BlockBuilder) -> Block:
    settings = assessment.settings
    elements = list(markdown_block(builder, settings.data_notes).elements) if settings.data_notes else []
    elements.extend(builder.paragraph(line) for line in source_lines(assessment))
    return Block(elements)
