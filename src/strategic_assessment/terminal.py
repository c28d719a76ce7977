"""Plain-text views of the ratings for the terminal: the ranked table and one threat explained.

Pure: ratings in, text out.
"""

from __future__ import annotations

from collections.abc import Sequence

from .calculations import number_text
from .facts import RowFigures
from .model import Model
from .records import DOWN, DROPPED, NEW, SAME, UP, Disagreement, FactorResult, MergedThreat, RatingChange, ThreatRating
from .scoring import SOURCE_WORKSHOP


def number(value: float | None, places: int = 0) -> str:
    """A figure with thousands separators, or ``n/a``."""
    return "n/a" if value is None else number_text(value, places)


def signed_pct(value: float | None) -> str:
    """A % change with its sign: ``+3.6%``; ``n/a`` when not available."""
    return "n/a" if value is None else f"{value:+.1f}%"


def ranked_table(ratings: Sequence[ThreatRating], model: Model) -> str:
    """The ranked ratings as an aligned text table, with override notes."""
    _, high = model.score_range()
    rows = [("#", "Threat", "Theme", f"Score /{high:g}", "Rating", "Note")]
    for position, rating in enumerate(ratings, start=1):
        rows.append((str(position), rating.threat, rating.theme, str(rating.score), rating.rating, _note(rating)))
    counts = {r.name: sum(1 for x in ratings if x.rating == r.name) for r in model.ratings}
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    total = f"{len(ratings)} threat{'' if len(ratings) == 1 else 's'} rated with the {model.title} model: {summary}."
    return "\n".join([*_aligned(rows, right=(0, 3)), "", total])


def _note(rating: ThreatRating) -> str:
    """A rating's note in the ranked table: its override and where its scores were carried from."""
    notes = []
    if rating.override_rating:
        notes.append(f"override: {rating.override_rating} ({rating.override_reason})")
    if rating.carried_forward:
        notes.append(f"scores carried forward from {rating.scored_year}")
    return "; ".join(notes)


def _aligned(rows: Sequence[tuple[str, ...]], right: tuple[int, ...]) -> list[str]:
    """Rows as aligned lines under a rule (the last column left ragged); ``right`` columns right-aligned."""
    last = len(rows[0]) - 1
    widths = [max(len(row[i]) for row in rows) for i in range(last)]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[i].rjust(widths[i]) if i in right else row[i].ljust(widths[i]) for i in range(last)]
        lines.append("  ".join([*cells, row[last]]).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in [*widths, len(row[last])]))
    return lines


def figures_line(figures: RowFigures, previous_year: str, year: str) -> str:
    """One line of a data row's figures."""
    change = "" if figures.change is None else f" ({figures.change:+,})"
    return (
        f"{figures.crime_type}: {number(figures.count_previous)} in {previous_year}, "
        f"{number(figures.count_current)} in {year}, {signed_pct(figures.change_pct)}{change}, "
        f"{number(figures.rate_per_1000, 2)} per 1,000 {figures.denominator}"
    )


def explanation(rating: ThreatRating, model: Model, previous_year: str, year: str) -> str:
    """How one threat's rating was reached: factors and their sources, groups, formula, band."""
    _, high = model.score_range()
    lines = [
        f"{rating.threat} ({rating.theme}): {rating.rating}, score {rating.score} of {high:g}",
        "",
    ]
    if rating.figures:
        lines.append("Data row: " + figures_line(rating.figures, previous_year, year))
    else:
        lines.append("Data row: none (every factor was scored by the workshops)")
    if rating.carried_forward:
        lines.append(
            f"Scores carried forward from the {rating.scored_year} workshops; "
            "factors the data can suggest are updated from this year's figures."
        )
    lines.append("")
    lines.extend(_factor_lines(rating, model))
    lines.append("")
    lines.extend(_arithmetic_lines(rating, model))
    if rating.override_rating:
        lines.append(f"Override: treated as {rating.override_rating}. Reason: {rating.override_reason}")
    return "\n".join(lines)


KEPT = "data suggestion kept by the workshop"


def source_text(result: FactorResult) -> str:
    """Where a factor's value came from; a workshop value equal to the data's suggestion says so."""
    by_workshop = result.source == SOURCE_WORKSHOP or result.source.startswith("median of")
    if by_workshop and result.suggestion is not None and result.suggestion == result.value:
        return KEPT if result.source == SOURCE_WORKSHOP else f"{KEPT}s ({result.source})"
    return result.source


def _factor_lines(rating: ThreatRating, model: Model) -> list[str]:
    rows = [("Factor", "Group", "Value", "Source", "How")]
    for factor in model.factors:
        result = rating.factors[factor.key]
        label = factor.level_label(result.value)
        value = f"{result.value} of {factor.high}" + (f" ({label})" if label else "")
        rows.append((factor.label, model.group(factor.group).label, value, source_text(result), result.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return ["  ".join([*(row[i].ljust(widths[i]) for i in range(4)), row[4]]).rstrip() for row in rows]


def _arithmetic_lines(rating: ThreatRating, model: Model) -> list[str]:
    lines = []
    for group in model.groups:
        parts = [str(rating.factors[f.key].value) for f in model.group_factors(group.key)]
        total = rating.groups[group.key]
        sum_text = " + ".join(parts) + f" = {total}" if len(parts) > 1 else str(total)
        lines.append(f"{group.label} = {sum_text}")
    product = " x ".join(str(rating.groups[g]) for g in model.product)
    plus = " + ".join(str(rating.groups[g]) for g in model.plus)
    numbers = " + ".join(part for part in (product, plus) if part)
    lines.append(f"Score = {model.formula()} = {numbers} = {rating.score}")
    lines.append(f"Rating: {rating.rating} ({_thresholds(model)})")
    return lines


def _thresholds(model: Model) -> str:
    _, high = model.score_range()
    parts = []
    upper = high
    for rating in model.ratings:
        parts.append(f"{rating.name} {rating.min_score:g}-{upper:g}")
        upper = rating.min_score - 1
    return ", ".join(parts)


def disagreement_lines(disagreements: Sequence[Disagreement]) -> list[str]:
    """One line per workshop disagreement (a spread of 2 or more)."""
    return [disagreement.describe() for disagreement in disagreements]


def partial_coverage_lines(threats: Sequence[MergedThreat]) -> list[str]:
    """Per workshop and theme: the threats of a theme that workshop left to the others (only for shared themes)."""
    by_theme: dict[str, list[MergedThreat]] = {}
    for threat in threats:
        by_theme.setdefault(threat.theme, []).append(threat)
    lines = []
    for theme, members in by_theme.items():
        covering = sorted({workshop for threat in members for workshop in threat.workshops})
        if len(covering) < 2:
            continue
        for workshop in covering:
            missing = [threat.threat for threat in members if workshop not in threat.workshops]
            if missing:
                scored = len(members) - len(missing)
                lines.append(
                    f"{workshop.split('/')[-1]} scored {scored} of {len(members)} threats in {theme}; "
                    f"not scored there: {', '.join(missing)}"
                )
    return lines


def _final_text(final: str, scored: str) -> str:
    """``Moderate`` or, where an override moved it, ``Moderate (override; scored Standard)``."""
    if not final or not scored or scored.casefold() == final.casefold():
        return final
    return f"{final} (override; scored {scored})"


def changes_table(changes: Sequence[RatingChange]) -> str:
    """Risen, fallen, new and dropped threats, then a count of the unchanged."""
    sections = [(UP, "Risen"), (DOWN, "Fallen"), (NEW, "New this year"), (DROPPED, "Not rated this year")]
    lines = []
    for direction, heading in sections:
        group = [change for change in changes if change.direction == direction]
        lines.append(f"{heading} ({len(group)}):")
        lines.extend(_moved_line(change) for change in group)
        if not group:
            lines.append("  none")
    unchanged = [change for change in changes if change.direction == SAME]
    lines.append(f"Unchanged: {len(unchanged)} threat{'s' if len(unchanged) != 1 else ''}.")
    for change in unchanged:
        if change.previous_scored != change.current_scored or change.current_scored != change.current:
            before = _final_text(change.previous, change.previous_scored)
            lines.append(
                f"  {change.threat} ({change.theme}): {before} -> {_final_text(change.current, change.current_scored)}"
            )
    return "\n".join(lines)


def _moved_line(change: RatingChange) -> str:
    """``  Threat (Theme): before -> after``, a dash for the side a new or dropped threat has not."""
    previous = "" if change.direction == NEW else _final_text(change.previous, change.previous_scored)
    current = "" if change.direction == DROPPED else _final_text(change.current, change.current_scored)
    return f"  {change.threat} ({change.theme}): {previous or '-'} -> {current or '-'}"
