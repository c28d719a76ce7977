"""Appendix content written from the model in use, so the document states the method that rated it.

Appendix A describes the factors, scales, groups, formula, thresholds and the
process; Appendix B's disagreement table lists workshop scores that differed
by two or more.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..chart_selection import seasonality_rule
from ..merge import Disagreement
from ..model import Model
from ..scoring import SOURCE_DATA, FactorResult, ThreatRating
from ..sentences import and_list, plural
from .blocks import Block, Builder, Cell

if TYPE_CHECKING:
    from ..records import Assessment

ROUNDING_NOTE = (
    "Rates per 1,000 residents are the count divided by the population, times 1,000, rounded once from the "
    "exact figure: to one decimal in this document and two in the data tables. Rounding is half away from "
    "zero, as Excel's ROUND does."
)
PREVIOUS_SOURCE = "previous"


def workshop_title(name: str) -> str:
    """A workshop as a reader knows it: ``2019-07-workshop-violence.xlsx`` -> ``Violence workshop, July 2019``."""
    stem = name.replace("\\", "/").split("/")[-1].rsplit(".", 1)[0]
    when = ""
    dated = re.match(r"^(\d{4})-(\d{2})(?:[-_ ]+|$)(.*)$", stem)
    if dated and 1 <= int(dated.group(2)) <= 12:
        when = f"{calendar.month_name[int(dated.group(2))]} {dated.group(1)}"
        stem = dated.group(3)
    words = " ".join(re.sub(r"\bworkshops?\b", " ", re.sub(r"[-_]+", " ", stem), flags=re.IGNORECASE).split())
    numbered = not words or words.isdigit()
    title = f"Workshop {words}".strip() if numbered else f"{words[:1].upper()}{words[1:]} workshop"
    return f"{title}, {when}" if when else title


def _labels(names: Sequence[str]) -> str:
    return and_list(list(dict.fromkeys(names)))


def _held_workshops(ratings: Sequence[ThreatRating]) -> list[str]:
    return sorted(
        {w for rating in ratings for w in rating.workshops if not w.startswith(PREVIOUS_SOURCE) and w != "what-if"}
    )


def suggestion_lines(model: Model, ratings: Sequence[ThreatRating]) -> list[str]:
    """What the data suggested this run and what the workshops did with it."""
    suggestible = [factor for factor in model.factors if factor.suggest is not None]
    if not suggestible:
        return []
    made = [
        (r, f) for r in ratings if not r.carried_forward for f in suggestible if r.factors[f.key].suggestion is not None
    ]
    if not made:
        labels = _labels([factor.label.lower() for factor in suggestible])
        return [f"No {labels} could be suggested from this year's data, so the workshops scored them without one."]
    keys = {factor.key for _, factor in made}
    used = _labels([factor.label.lower() for factor in suggestible if factor.key in keys])
    threats = plural(len({rating.threat for rating, _ in made}), "threat")
    outcome = _what_the_workshops_did([rating.factors[factor.key] for rating, factor in made])
    lines = [
        f"Before the workshops the analyst suggested {used} from the data for {threats} "
        f"({plural(len(made), 'suggestion')}){outcome}."
    ]
    unmade = [factor.label.lower() for factor in suggestible if factor.key not in keys]
    if unmade:
        lines.append(f"No {_labels(unmade)} could be suggested from this year's data, so the workshops scored it.")
    return lines


def _what_the_workshops_did(results: Sequence[FactorResult]) -> str:
    """The end of the suggestions' sentence: what the workshops did with each suggested value.

    A value left blank took the suggestion (its source is the data); one scored kept it or changed it.
    One suggestion is spoken of as "it"; of several, "all" is said only where every one went the same way.
    """
    filled = sum(1 for result in results if result.source == SOURCE_DATA)
    kept = sum(1 for result in results if result.source != SOURCE_DATA and result.value == result.suggestion)
    changed = len(results) - filled - kept
    if len(results) == 1:
        if filled:
            return ", which the workshops left blank, so it takes the suggested value"
        return ", which the workshops kept" if kept else ", which the workshops changed by judgement"
    every = "all " if len(results) in (kept, changed, filled) else ""
    takes = "which takes the suggested value" if filled == 1 else "which take the suggested value"
    parts = [
        f"kept {every}{kept}" if kept else "",
        f"changed {every}{changed} by judgement" if changed else "",
        f"left {every}{filled} blank, {takes}" if filled else "",
    ]
    return "; of these the workshops " + and_list([part for part in parts if part])


def process_lines(assessment: Assessment) -> list[str]:
    """Appendix A's process, written from what happened in this assessment."""
    model: Model = assessment.model
    ratings: Sequence[ThreatRating] = assessment.ratings
    lines = suggestion_lines(model, ratings)
    held = _held_workshops(ratings)
    if held:
        lines.append(
            f"{plural(len(held), 'partnership workshop')} scored the threats: {'; '.join(map(workshop_title, held))}."
        )
    if any(len([w for w in r.workshops if not w.startswith(PREVIOUS_SOURCE)]) > 1 for r in ratings):
        lines.append(
            "Where several workshops scored a threat, each factor takes the median of their scores, rounded half up."
        )
    carried = [rating for rating in ratings if rating.carried_forward]
    if carried:
        lines.append(
            f"{plural(len(carried), 'threat was', 'threats were')} not rescored this year and kept earlier "
            "scores; factors the data can suggest were updated with this year's figures, and "
            f"{'it is' if len(carried) == 1 else 'each is'} noted."
        )
    overridden = [rating for rating in ratings if rating.override_rating]
    if overridden:
        lines.append(
            f"The partnership treats {plural(len(overridden), 'threat')} at another level than its score gives; "
            f"{'it is' if len(overridden) == 1 else 'each is'} noted with its reason."
        )
    else:
        lines.append("Every threat is treated at the level its score gives: the partnership made no override.")
    return lines


def figure_notes() -> list[str]:
    """How the figures are worked out: the rounding and the seasonality rule."""
    return [ROUNDING_NOTE, seasonality_rule()]


def _levels(model: Model, key: str) -> str:
    factor = model.factor(key)
    return ", ".join(f"{value} {label}" for value, label in sorted(factor.levels.items())) or (
        f"{factor.low} to {factor.high}"
    )


def method_block(builder: Builder, model: Model, process: Sequence[str] = (), notes: Sequence[str] = ()) -> Block:
    """Appendix A: the model's method in words and tables, the process as it happened, and the figures' rules."""
    low, high = model.score_range()
    elements = [builder.paragraph(model.summary)] if model.summary else []
    elements.append(builder.heading("Factors and scales", 2))
    rows: list[Sequence[Cell | str]] = [
        (model.group(f.group).label, f.label, f"{f.low}-{f.high}: {_levels(model, f.key)}", f.description)
        for f in model.factors
    ]
    elements.append(
        builder.table(
            ["Group", "Factor", "Scale", "What it measures"], rows, [2.6, 3.6, 4.2, 5.6], caption="Factors and scales"
        )
    )
    elements.append(builder.heading("How the score is worked out", 2))
    groups = "; ".join(
        f"{group.label} is " + " + ".join(f.label.lower() for f in model.group_factors(group.key))
        for group in model.groups
    )
    elements.append(builder.paragraph(f"Each group adds up its factors: {groups}."))
    elements.append(builder.paragraph(f"Score = {model.formula()}, from {low:g} to {high:g}."))
    suggestions = [f"{f.label}: {f.suggest.describe()}." for f in model.factors if f.suggest is not None]
    if suggestions:
        elements.append(builder.paragraph("Values suggested from the data:"))
        elements.extend(builder.bullets(suggestions))
    elements.append(builder.heading("Ratings", 2))
    elements.append(builder.table(["Rating", "Score"], _rating_rows(model), [4.0, 4.0], caption="Ratings by score"))
    bands = [
        f"{column.label}: " + ", ".join(f"{band.name} ({band.describe()})" for band in column.bands)
        for column in model.display_columns
    ]
    elements.append(builder.paragraph("The theme tables show each column's value with its band:"))
    elements.extend(builder.bullets(bands))
    if process:
        elements.append(builder.heading("The process", 2))
        elements.extend(builder.bullets(list(process)))
    if notes:
        elements.append(builder.heading("How the figures are worked out", 2))
        elements.extend(builder.paragraph(note) for note in notes)
    return Block(elements)


def _rating_rows(model: Model) -> list[Sequence[Cell | str]]:
    _, high = model.score_range()
    rows: list[Sequence[Cell | str]] = []
    upper = high
    for rating in model.ratings:
        rows.append((Cell(rating.name, rating.colour, bold=True), f"{rating.min_score:g} to {upper:g}"))
        upper = rating.min_score - 1
    return rows


def disagreements_block(builder: Builder, disagreements: Sequence[Disagreement]) -> Block:
    """Appendix B's table of factors whose workshop scores differed by two or more."""
    if not disagreements:
        return builder.paragraphs(["No factor's workshop scores differed by two or more."])
    rows: list[Sequence[Cell | str]] = [
        (
            d.threat,
            d.factor,
            "; ".join(f"{workshop_title(workshop)}: {value}" for workshop, value in d.given),
            str(d.merged),
        )
        for d in disagreements
    ]
    intro = builder.paragraph(
        "Where workshops' scores for a factor differed by two or more, the median was used; "
        "these differences are worth revisiting at next year's workshops."
    )
    return Block(
        [
            intro,
            builder.table(
                ["Threat", "Factor", "Scores given", "Median used"],
                rows,
                [4.0, 4.0, 6.0, 2.0],
                caption="Factors whose workshop scores differed by two or more",
            ),
        ]
    )
