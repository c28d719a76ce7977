"""The performance update's render context, its tables of Word content and the rows of ``performance.csv``.

The Word document and the HTML page are rendered from the same context, so
the two editions never disagree. Status cells are shaded and always carry
their word.

README, "The board's performance update", describes the update.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..calculations import round_half_up
from ..performance import (
    BEHIND_TARGET,
    IMPROVING,
    ON_TARGET,
    WORSENING,
    IndicatorResult,
    PerformanceUpdate,
    month_name,
    period_label,
)
from ..performance_sentences import (
    ended_early_sentence,
    figure_text,
    indicator_sentence,
    pct_text,
    signed_text,
    span_text,
    status_text,
    target_sentence,
)
from .blocks import Block, Builder, Cell
from .html import slug
from .markdown import markdown_block

CSV_COLUMNS = (
    "indicator",
    "series",
    "aim",
    "unit",
    "frequency",
    "periods",
    "to_period",
    "year_to_date",
    "previous_year_to_date",
    "change",
    "change_pct",
    "target_to_date",
    "gap_to_target",
    "status",
)
GOOD_FILL, BAD_FILL, PLAIN_FILL = "BFE3DE", "F9D3BE", "E8E8E8"
STATUS_FILLS = {IMPROVING: GOOD_FILL, ON_TARGET: GOOD_FILL, WORSENING: BAD_FILL, BEHIND_TARGET: BAD_FILL}
AIM_WORDS = {"reduce": "Reduce", "increase": "Increase", "monitor": "Monitor"}


@dataclass(frozen=True)
class IndicatorChart:
    """An indicator's chart as the documents use it: the image (Word) or file (HTML), title and alt text."""

    image: Any
    title: str
    alt_text: str
    file: str = ""


def status_fill(status: str) -> str:
    """The shading of a status cell (the word is always there as well)."""
    return STATUS_FILLS.get(status, PLAIN_FILL)


def _figure(value: float | None, result: IndicatorResult) -> str:
    return figure_text(value, result.indicator.unit)


def summary_rows(results: Sequence[IndicatorResult]) -> list[dict[str, str]]:
    """The summary table's rows as text: indicator, year to date, last year, change, % change, aim, status."""
    rows = []
    for result in results:
        unit = result.indicator.unit
        early = f" (to {period_label(result.to_period)})" if result.ended_early else ""
        rows.append(
            {
                "indicator": result.indicator.name + early,
                "year_to_date": _figure(result.year_to_date, result),
                "previous": _figure(result.previous_year_to_date, result),
                "change": signed_text(result.change, unit),
                "change_pct": pct_text(result.change_pct),
                "aim": AIM_WORDS[result.indicator.aim],
                "status": status_text(result),
                "fill": status_fill(result.status),
            }
        )
    return rows


def summary_table(builder: Builder, results: Sequence[IndicatorResult]) -> Block:
    """The summary table that opens the update."""
    header = ["Indicator", "Year to date", "Same period last year", "Change", "% change", "Aim", "Status"]
    rows: list[list[Cell | str]] = [
        [
            Cell(row["indicator"]),
            row["year_to_date"],
            row["previous"],
            row["change"],
            row["change_pct"],
            row["aim"],
            Cell(row["status"], row["fill"], bold=True),
        ]
        for row in summary_rows(results)
    ]
    caption = "Summary of the indicators: year to date against the same period last year"
    widths = [4.2, 1.9, 2.0, 2.0, 1.6, 1.8, 3.1]
    return Block([builder.table(header, rows, widths, caption=caption, numeric=(1, 2, 3, 4))])


def period_rows(result: IndicatorResult) -> list[dict[str, str]]:
    """An indicator's table rows as text, one per period reported."""
    unit = result.indicator.unit
    return [
        {
            "period": row.label,
            "this_year": _figure(row.this_year, result),
            "last_year": _figure(row.last_year, result),
            "change": signed_text(row.change, unit).removesuffix(" points"),
            "this_year_to_date": _figure(row.this_year_to_date, result),
            "last_year_to_date": _figure(row.last_year_to_date, result),
            "target": _figure(row.target, result) if result.indicator.has_target else "",
        }
        for row in result.rows
    ]


def period_header(result: IndicatorResult) -> list[str]:
    """The column headings of an indicator's table."""
    period = "Quarter" if result.indicator.frequency == "quarterly" else "Month"
    to_date = "average to date" if result.indicator.unit == "percent" else "to date"
    header = [
        period,
        result.year,
        result.comparison_year,
        "Change (points)" if result.indicator.unit == "percent" else "Change",
        f"{result.year} {to_date}",
        f"{result.comparison_year} {to_date}",
    ]
    if result.indicator.has_target:
        header.append("Target" if result.indicator.unit == "percent" else "Target to date")
    return header


def period_table(builder: Builder, result: IndicatorResult) -> Block:
    """An indicator's table of periods: this year, last year, change, both running totals, target."""
    header = period_header(result)
    keys = ["period", "this_year", "last_year", "change", "this_year_to_date", "last_year_to_date", "target"]
    rows: list[list[Cell | str]] = [[row[key] for key in keys[: len(header)]] for row in period_rows(result)]
    widths = [2.6, 2.0, 2.0, 2.0, 2.6, 2.6, 2.2][: len(header)]
    per = "quarter" if result.indicator.frequency == "quarterly" else "month"
    caption = f"{result.indicator.name} by {per}: {result.year} against {result.comparison_year}"
    return Block([builder.table(header, rows, widths, caption=caption, numeric=range(1, len(header)))])


def indicator_sentences(result: IndicatorResult) -> list[str]:
    """The sentences written from the data for one indicator, in order."""
    written = (indicator_sentence(result), target_sentence(result), ended_early_sentence(result))
    return [text for text in written if text]


def period_text(update: PerformanceUpdate) -> str:
    """``April to November 2016`` (``April 2016 to January 2017`` across a new year) for the title page."""
    first = f"April {update.year[:4]}"
    last = month_name(update.to_month)
    if first == last:
        return first
    if update.to_month[:4] == update.year[:4]:
        return f"April to {last}"
    return f"{first} to {last}"


def performance_context(
    update: PerformanceUpdate, builder: Builder, charts: Mapping[str, IndicatorChart]
) -> dict[str, Any]:
    """The render context of the update, for Word (``BlockBuilder``) or the website (``HtmlBuilder``)."""
    indicators = []
    figure = 0
    for result in update.results:
        chart = charts.get(result.indicator.name)
        figure += chart is not None  # figures numbered in document order, as Word's SEQ field numbers them
        entry: dict[str, Any] = {
            "name": result.indicator.name,
            "id": slug(result.indicator.name),
            "sentences": indicator_sentences(result),
            "comment_text": result.indicator.comment,
            "chart": chart,
            "figure": f"Figure {figure}" if chart else "",
            "caption": f"Figure {figure}: {chart.title}" if chart else "",
            "header": period_header(result),
            "rows": period_rows(result),
            "status": status_text(result),
            "status_fill": status_fill(result.status),
            "span": span_text(result),
            "comment": markdown_block(builder, result.indicator.comment) if result.indicator.comment else "",
            "table": period_table(builder, result),
        }
        indicators.append(entry)
    context: dict[str, Any] = {
        "partnership": update.partnership,
        "author": update.author,
        "area": update.area,
        "year": update.year,
        "period": period_text(update),
        "to_month": month_name(update.to_month),
        "title": f"{update.partnership}: performance update",
        "subtitle": f"{update.year}, {period_text(update)}",
        "summary_intro": _summary_intro(update),
        "summary": summary_rows(update.results),
        "indicators": indicators,
        "notes": notes(update),
        "summary_table": summary_table(builder, update.results),
    }
    return context


def _summary_intro(update: PerformanceUpdate) -> str:
    count = len(update.results)
    agreed = "indicator" if count == 1 else "indicators"
    return (
        f"The {count} {agreed} the board tracks, for {update.year} to {month_name(update.to_month)}, "
        "against the same months of the year before."
    )


def notes(update: PerformanceUpdate) -> list[str]:
    """How to read the figures, and where they come from."""
    indicators = [result.indicator for result in update.results]
    status = (
        "Status: for an aim to reduce, a fall is improving and a rise worsening; for an aim to increase, the reverse."
    )
    if any(indicator.has_target for indicator in indicators):
        status += " Where there is a target, the status is on target or behind target instead."
    if any(indicator.aim == "monitor" for indicator in indicators):
        status += " An indicator to monitor is watched with no aim to reduce or increase it: monitor only."
    rounding = "% change is rounded to one decimal place, halves away from zero."
    if any(indicator.unit == "percent" for indicator in indicators):
        rounding += (
            " Percent indicators show the average of the months to date, and their change is in percentage points."
        )
    lines = [
        "Change is always this year minus last year: a positive change is a rise, a negative change a fall.",
        status,
        rounding,
    ]
    sources = dict.fromkeys(result.indicator.source or update.source for result in update.results)
    lines += [f"Source: {source}." for source in sources or [update.source]]
    return update.left_out + lines


def performance_records(results: Sequence[IndicatorResult]) -> list[dict[str, Any]]:
    """The rows of ``performance.csv``, one per indicator, with §10's columns."""
    return [
        {
            "indicator": r.indicator.name,
            "series": r.indicator.series,
            "aim": r.indicator.aim,
            "unit": r.indicator.unit,
            "frequency": r.indicator.frequency,
            "periods": r.periods,
            "to_period": r.to_period,
            "year_to_date": _plain(r.year_to_date, r.indicator.unit),
            "previous_year_to_date": _plain(r.previous_year_to_date, r.indicator.unit),
            "change": _plain(r.change, r.indicator.unit),
            "change_pct": r.change_pct,
            "target_to_date": _plain(r.target_to_date, r.indicator.unit),
            "gap_to_target": _plain(r.gap_to_target, r.indicator.unit),
            "status": r.status,
        }
        for r in results
    ]


def _plain(value: float | None, unit: str) -> float | int | None:
    """A figure for the CSV: counts as whole numbers, percents to one decimal."""
    if value is None:
        return None
    if unit == "percent":
        return round_half_up(value, 1)
    return int(value) if float(value).is_integer() else value


def report_lines(update: PerformanceUpdate) -> list[str]:
    """The summary table as lines of text for the terminal."""
    rows = summary_rows(update.results)
    header = ("Indicator", "Year to date", "Last year", "Change", "% change", "Aim", "Status")
    table = [header] + [
        (r["indicator"], r["year_to_date"], r["previous"], r["change"], r["change_pct"], r["aim"], r["status"])
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in table]
