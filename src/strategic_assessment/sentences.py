"""Sentences and table cells written from the data, in the house style "up 3.6% (826 crimes)".

Pure: figures in, text out. Numbers use thousands separators; rates one
decimal; changes one decimal with their sign; "n/a" where a comparison is not
available (never a division by zero, never 11 months against 12).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .calculations import number_text, round_half_up
from .facts import RowFigures

MINUS = "\u2212"
MOVERS = 3
MIN_BASE_FOR_MOVERS = 50


def count_text(value: int | None) -> str:
    return "n/a" if value is None else number_text(value)


def rate_text(value: float | None) -> str:
    """A rate to one decimal. Give it the exact rate: a two-decimal figure rounded again can be wrong.

    docs/calculations.md has the rule and an example.
    """
    return "n/a" if value is None else number_text(value, 1)


def row_rate_text(figures: RowFigures) -> str:
    """A crime type's rate per 1,000 as shown: one decimal, rounded once from the exact value."""
    value = figures.rate_one_place
    return "n/a" if value is None else number_text(value, 1)


THE_NAMES = re.compile(r"^(Isles? of|Vale of|Forest of|City of) ", re.IGNORECASE)


def place(name: str) -> str:
    """A place's name as a sentence uses it: ``the Isles of Scilly``, ``the Isle of Wight``, ``Plymouth``."""
    return f"the {name}" if THE_NAMES.match(name) else name


def place_first(name: str) -> str:
    """A place's name opening a sentence: ``The Isles of Scilly``, ``Plymouth``."""
    text = place(name)
    return text[:1].upper() + text[1:]


def plural(count: int, singular: str, many: str = "") -> str:
    """``1 neighbourhood``, ``2 neighbourhoods``, ``1 threat was``: the count with its noun agreeing."""
    return f"{count:,} {singular if count == 1 else many or singular + 's'}"


def and_list(parts: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: the parts as a reader lists them."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def signed(value: float, places: int = 1) -> str:
    text = f"{abs(value):,.{places}f}"
    return f"+{text}" if value > 0 else f"{MINUS}{text}" if value < 0 else text


def change_cell(figures: RowFigures) -> str:
    """The crime table's "% change (no. crimes)" cell: ``+3.6% (826)``; ``n/a`` when not comparable."""
    if figures.change_pct is None or figures.change is None:
        return "n/a"
    return f"{signed(figures.change_pct)}% ({abs(figures.change):,})"


def unit(crime_type: str, is_asb: bool = False) -> str:
    """What a row counts: incidents for ASB and incident rows, crimes otherwise."""
    return "incidents" if is_asb or "incident" in crime_type.lower() else "crimes"


def change_phrase(figures: RowFigures, noun: str) -> str:
    """``up 3.6% (826 crimes)``, ``down 5.5% (511 incidents)``, ``unchanged``, or n/a wording."""
    if figures.change_pct is None or figures.change is None:
        return "with no comparable figure for the previous year"
    if figures.change == 0:
        return "unchanged"
    direction = "up" if figures.change > 0 else "down"
    return f"{direction} {abs(figures.change_pct):.1f}% ({abs(figures.change):,} {noun})"


@dataclass(frozen=True)
class FactInputs:
    """What the key facts are written from."""

    area: str
    year: str
    comparison_year: str
    headline: RowFigures | None
    asb: RowFigures | None
    shares: Sequence[RowFigures] = ()
    family_average: float | None = None
    family_rank: int | None = None
    family_size: int | None = None
    force_rank: tuple[int, int] | None = None


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def key_facts(facts: FactInputs) -> list[str]:
    """The quick-facts sentences: total and rate, family comparison, change, ASB, shares of crime."""
    sentences: list[str] = []
    headline = facts.headline
    if headline and headline.count_current is not None:
        rate = f", {row_rate_text(headline)} per 1,000 residents" if headline.rate_per_1000 else ""
        sentences.append(
            f"{headline.count_current:,} crimes were recorded in {place(facts.area)} in {facts.year}{rate}."
        )
        if facts.force_rank and headline.rate_per_1000:
            rank, areas = facts.force_rank
            sentences.append(
                f"{place_first(facts.area)} ranked {ordinal(rank)} of the force's {areas} areas by crime rate "
                "(1st = lowest)."
            )
        if facts.family_average is not None and facts.family_rank:
            size = f" of {facts.family_size}" if facts.family_size else ""
            sentences.append(
                f"The Most Similar Family average was {rate_text(facts.family_average)} crimes per 1,000 residents; "
                f"{place_first(facts.area)} ranked {ordinal(facts.family_rank)}{size} in its family "
                "(1st = lowest rate)."
            )
        if headline.change_pct is None:
            sentences.append(f"No comparison with {facts.comparison_year} is made: its figures are not complete.")
        else:
            previous = count_text(headline.count_previous)
            year = facts.comparison_year  # "2017/18", or "2016/17 (December 2015 to November 2016)"
            before = f"{year[:-1]}: {previous})" if year.endswith(")") else f"{year} ({previous})"
            sentences.append(f"Crime was {change_phrase(headline, 'crimes')} on {before}.")
    if facts.asb and facts.asb.count_current is not None:
        change = f", {change_phrase(facts.asb, 'incidents')}" if facts.asb.change_pct is not None else ""
        sentences.append(f"{facts.asb.count_current:,} anti-social behaviour incidents were recorded{change}.")
    if headline and headline.count_current:
        for row in facts.shares:
            if row.count_current is not None:
                share = round_half_up(row.count_current / headline.count_current * 100)
                sentences.append(
                    f"{row.crime_type} made up {share:.0f}% of all recorded crime ({row.count_current:,})."
                )
    return sentences


def movers(rows: Sequence[RowFigures]) -> tuple[list[RowFigures], list[RowFigures]]:
    """The largest rises and falls by % change, among rows with a comparable base of 50 or more."""
    comparable = [
        row
        for row in rows
        if row.change_pct is not None and (row.count_previous or 0) >= MIN_BASE_FOR_MOVERS and row.change
    ]
    rises = sorted((r for r in comparable if r.change_pct and r.change_pct > 0), key=lambda r: -(r.change_pct or 0))
    falls = sorted((r for r in comparable if r.change_pct and r.change_pct < 0), key=lambda r: r.change_pct or 0)
    return rises[:MOVERS], falls[:MOVERS]


def trend_sentences(rows: Sequence[RowFigures], year: str, comparison_year: str, asb_row: str = "") -> list[str]:
    """Sentences on the largest rises and falls, largest first."""
    rises, falls = movers(rows)
    sentences = []
    for label, group in (("rise", rises), ("fall", falls)):
        for position, row in enumerate(group):
            noun = unit(row.crime_type, row.crime_type == asb_row)
            lead = ("Largest", "Second largest", "Third largest")[position]
            sentences.append(
                f"{lead} {label}: {row.crime_type}, {change_phrase(row, noun)} to {row.count_current:,} in {year}."
            )
    if not sentences and all(row.change_pct is None for row in rows):
        sentences.append(f"No change since {comparison_year} is shown: its figures are not complete.")
    elif not sentences:
        sentences.append(
            f"No crime type had {MIN_BASE_FOR_MOVERS} or more crimes in {comparison_year} and a change since, "
            "so no rise or fall is singled out."
        )
    return sentences
