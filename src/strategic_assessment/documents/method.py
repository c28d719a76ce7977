"""Appendix content written from the model in use, so the document states the method that rated it.

Appendix A describes the factors, scales, groups, formula, thresholds and the
process; Appendix B's disagreement table lists workshop scores that differed
by two or more.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..merge import Disagreement
from ..model import Model
from .blocks import Block, BlockBuilder, Cell

PROCESS = (
    "The analyst pre-scored each threat from the data: likelihood from the rate per 1,000 residents and "
    "trend from the change on the previous year, where the threat has a data row.",
    "Partnership workshops ratified the harm scores and agreed the other judgements. Where several "
    "workshops scored a threat, each factor takes the median of their scores, rounded half up.",
    "Likelihood may be adjusted by judgement for known under-reporting or a national threat level.",
    "Threats not rescored this year keep their earlier judgement scores; factors the data can suggest "
    "are updated with this year's figures, and the document notes it.",
    "The partnership may treat a threat at another level than its score gives; every such override is "
    "noted with its reason.",
)


def _levels(model: Model, key: str) -> str:
    factor = model.factor(key)
    return ", ".join(f"{value} {label}" for value, label in sorted(factor.levels.items())) or (
        f"{factor.low} to {factor.high}"
    )


def method_block(builder: BlockBuilder, model: Model) -> Block:
    """Appendix A: the model's method in words and tables."""
    low, high = model.score_range()
    elements = [builder.paragraph(model.summary)] if model.summary else []
    elements.append(builder.heading("Factors and scales", 2))
    rows: list[Sequence[Cell | str]] = [
        (model.group(f.group).label, f.label, f"{f.low}-{f.high}: {_levels(model, f.key)}", f.description)
        for f in model.factors
    ]
    elements.append(builder.table(["Group", "Factor", "Scale", "What it measures"], rows, [2.6, 3.6, 4.2, 5.6]))
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
    elements.append(builder.table(["Rating", "Score"], _rating_rows(model), [4.0, 4.0]))
    bands = [
        f"{column.label}: " + ", ".join(f"{band.name} ({band.bound.describe()})" for band in column.bands)
        for column in model.display_columns
    ]
    elements.append(builder.paragraph("The theme tables show each column's value with its band:"))
    elements.extend(builder.bullets(bands))
    elements.append(builder.heading("The process", 2))
    elements.extend(builder.bullets(list(PROCESS)))
    return Block(elements)


def _rating_rows(model: Model) -> list[Sequence[Cell | str]]:
    _, high = model.score_range()
    rows: list[Sequence[Cell | str]] = []
    upper = high
    for rating in model.ratings:
        rows.append((Cell(rating.name, rating.colour, bold=True), f"{rating.min_score:g} to {upper:g}"))
        upper = rating.min_score - 1
    return rows


def disagreements_block(builder: BlockBuilder, disagreements: Sequence[Disagreement]) -> Block:
    """Appendix B's table of factors whose workshop scores differed by two or more."""
    if not disagreements:
        return builder.paragraphs(["No factor's workshop scores differed by two or more."])
    rows: list[Sequence[Cell | str]] = [
        (
            d.threat,
            d.factor,
            "; ".join(f"{workshop.split('/')[-1]}: {value}" for workshop, value in d.given),
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
            builder.table(["Threat", "Factor", "Scores given", "Median used"], rows, [4.0, 4.0, 6.0, 2.0]),
        ]
    )
