"""The render contexts of the Strategic Assessment and the Plan on a Page.

Everything the templates show is worked out here from the assessment: text
values, table rows, and blocks of Word content. Images come in ready-made
(the renderer owns the template they belong to).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..changes import NEW, SAME, RatingChange
from ..facts import RowFigures, fold
from ..model import Model
from ..scoring import ThreatRating
from ..sentences import (
    FactInputs,
    change_cell,
    count_text,
    key_facts,
    place,
    place_first,
    plural,
    rate_text,
    row_rate_text,
    signed,
    trend_sentences,
)
from .blocks import Block, Builder, Cell, Run
from .markdown import markdown_block, plain_text
from .method import disagreements_block, figure_notes, method_block, process_lines, workshop_title

if TYPE_CHECKING:
    from ..records import Assessment, Table
    from ..settings import Settings

TOP_NEIGHBOURHOODS = 5
CHART_LABELS = {
    "annual-trend": "recorded crime by year",
    "seasonality": "crime by month, April to March",
    "crime-by-type": "recorded crime by type",
    "neighbourhood-rates": "neighbourhoods with the highest crime rates",
    "ratings-by-theme": "threat ratings by theme",
    "risk-matrix": "harm against likelihood for every threat",
}
CHART_ORDER = tuple(CHART_LABELS)
DEFAULT_MEANINGS = {
    "High": "A partnership priority: included in every relevant strategy, may need extra resources, "
    "provision reviewed and targets set.",
    "Moderate": "Keep a clear strategy and adequate provision, and monitor against improvement targets.",
    "Standard": "Business as usual: keep current provision and monitor for adverse trends.",
}
NARRATIVE_PARTS = (
    ("impact", "Impact"),
    ("likelihood", "Likelihood"),
    ("organisational_response", "Organisational response"),
    ("knowledge_gaps", "Knowledge gaps"),
    ("recommendation", "Recommendation"),
)
RATES_HEADING = "Neighbourhoods with the highest rates"
COUNTS_HEADING = "Neighbourhoods with the most crimes"
FIXED_HEADINGS_BEFORE_THEMES = (
    (1, "Introduction"),
    (2, "Acknowledgements"),
    (1, "Area overview"),
    (1, "Quick facts"),
    (2, RATES_HEADING),
    (1, "Crime trends"),
    (1, "Crime table"),
    (1, "Analysis findings"),
)
MSOA_NAMES_SOURCE = (
    "Neighbourhood names: House of Commons Library, MSOA Names 1.14. Contains Parliamentary information "
    "licensed under the Open Parliament Licence v3.0."
)
APPENDIX_HEADINGS = (
    (1, "Appendix A: understanding threat, risk and harm"),
    (1, "Appendix B: changes, disagreements and data sources"),
    (2, "Changes of rating since last year"),
    (2, "Workshop disagreements"),
    (2, "Data sources and notes"),
)


@dataclass(frozen=True)
class ChartImage:
    """A chart as the documents use it: the image object for the template and its words."""

    name: str
    image: Any
    title: str
    alt_text: str


def _named(figures: Mapping[str, RowFigures], name: str) -> RowFigures | None:
    return figures.get(fold(name)) if name else None


def assessment_context(assessment: Assessment, builder: Builder, charts: Mapping[str, ChartImage]) -> dict[str, Any]:
    """The Strategic Assessment's render context."""
    settings = assessment.settings
    model: Model = assessment.model
    figures = assessment.figures
    year, previous = settings.year, assessment.crime.comparison_year
    themes = theme_sections(assessment, builder)
    neighbourhoods = _neighbourhood_context(assessment)
    context: dict[str, Any] = {
        "partnership": settings.partnership,
        "area": settings.area,
        "year": year,
        "period_line": f"Figures for {settings.period_text}",
        "comparison_year": previous,
        "author": settings.author or settings.partnership,
        "published": settings.published,
        "prepared_by": f"Prepared by {settings.author or settings.partnership}",
        "contents": builder.contents(_contents_entries(themes, str(neighbourhoods["neighbourhood_heading"]))),
        "introduction": _markdown_or(builder, settings.introduction, "No introduction was provided."),
        "acknowledgements": _markdown_or(builder, settings.acknowledgements, "No acknowledgements were provided."),
        "area_overview_intro": _overview_intro(settings),
        "key_statistics": [
            {"label": s.label, "value": s.value, "comparison": s.comparison or "n/a"} for s in settings.key_statistics
        ],
        "comparison_label": settings.comparison_label,
        "key_facts": key_facts(_fact_inputs(assessment, figures)),
        "quick_fact_charts": _chart_list(
            charts, ("annual-trend", "seasonality", "crime-by-type", "neighbourhood-rates")
        ),
        **neighbourhoods,
        "not_available": _not_available(assessment, charts),
        "trend_sentences": trend_sentences(
            _movers_rows(settings, figures),
            settings.year_phrase,
            comparison_phrase(settings, previous),
            settings.asb_row,
        ),
        "trends_narrative": markdown_block(builder, settings.trends_narrative),
        "crime_table_intro": crime_table_intro(settings, figures, previous),
        "crime_table": _crime_table(assessment, figures),
        "compared": compared(figures),
        "rated": rated(figures),
        "crime_table_notes": _crime_table_notes(settings, figures),
        "findings_intro": _findings_intro(assessment),
        "findings_charts": _chart_list(charts, ("ratings-by-theme", "risk-matrix")),
        "findings": _findings(assessment, model),
        "override_notes": _override_notes(assessment.ratings),
        "themes": themes,
        "method": method_block(builder, model, process_lines(assessment), figure_notes()),
        "rating_changes": changes_block(builder, assessment.changes),
        "disagreements": disagreements_block(builder, assessment.disagreements),
        "data_sources": _data_sources(assessment, builder),
    }
    return context


def _markdown_or(builder: Builder, text: str, fallback: str) -> Block:
    return markdown_block(builder, text) if text else builder.paragraphs([fallback], style="")


def _overview_intro(settings: Settings) -> str:
    if not settings.key_statistics:
        return f"The partnership did not provide key statistics for {place(settings.area)} for this assessment."
    return f"Key statistics for {place(settings.area)} compared with {settings.comparison_label}."


def _contents_entries(themes: Sequence[Mapping[str, Any]], neighbourhood_heading: str) -> list[tuple[int, str]]:
    entries = [
        (level, neighbourhood_heading if text == RATES_HEADING else text)
        for level, text in FIXED_HEADINGS_BEFORE_THEMES
    ]
    entries.extend((1, str(theme["name"])) for theme in themes)
    entries.extend(APPENDIX_HEADINGS)
    return entries


def _fact_inputs(assessment: Assessment, figures: Mapping[str, RowFigures]) -> FactInputs:
    settings = assessment.settings
    family = settings.most_similar_family
    return FactInputs(
        area=settings.area,
        year=settings.year_phrase,
        comparison_year=comparison_phrase(settings, assessment.crime.comparison_year),
        headline=_named(figures, settings.headline_row),
        asb=_named(figures, settings.asb_row),
        shares=[row for name in settings.share_rows if (row := _named(figures, name)) is not None],
        family_average=family.average_rate if family else None,
        family_rank=family.rank if family else None,
        family_size=family.family_size if family else None,
        force_rank=settings.force_rank,
    )


def _movers_rows(settings: Settings, figures: Mapping[str, RowFigures]) -> list[RowFigures]:
    left_out = {fold(settings.headline_row)}
    return [row for key, row in figures.items() if key not in left_out]


def _chart_list(charts: Mapping[str, ChartImage], names: Sequence[str]) -> list[dict[str, Any]]:
    listed = []
    for name in names:
        chart = charts.get(name)
        if chart is not None:
            present = [known for known in CHART_ORDER if known in charts]
            label = CHART_LABELS[name]
            words = f"{label[0].upper()}{label[1:]}"
            caption = f"Figure {present.index(name) + 1}: {words}"
            # Word numbers its figures with a SEQ field in document order and shows "Figure N: label"
            listed.append({"image": chart.image, "caption": caption, "label": words, "alt_text": chart.alt_text})
    return listed


def _neighbourhood_context(assessment: Assessment) -> dict[str, Any]:
    table = assessment.crime.neighbourhoods
    if table is None or not table.rows:
        return {
            "neighbourhoods": [],
            "neighbourhood_rates": False,
            "neighbourhood_heading": COUNTS_HEADING,
            "neighbourhood_intro": "Neighbourhood figures were not provided for this assessment.",
        }
    year = assessment.settings.year_phrase
    rows = [_neighbourhood_row(record) for record in table.records() if record["crimes"] is not None]
    if any(row[4] is not None for row in rows):
        rows = [row for row in rows if row[4] is not None]
        rows.sort(key=lambda row: -(row[4] or 0))
        shown = min(len(rows), TOP_NEIGHBOURHOODS)
        heading = RATES_HEADING
        intro = (
            f"The {plural(shown, 'neighbourhood')} with the most crimes per 1,000 residents in {year}."
            if shown > 1
            else f"The one neighbourhood with a known population, and its crimes per 1,000 residents in {year}."
        )
        lowest = rows[-2:] if len(rows) > TOP_NEIGHBOURHOODS + 1 else []
        if lowest:
            names = " and ".join(f"{name} ({rate_text(rate)})" for name, _, _, _, rate in reversed(lowest))
            intro += f" The lowest rates were in {names}."
    else:
        rows.sort(key=lambda row: -row[2])
        shown = min(len(rows), TOP_NEIGHBOURHOODS)
        heading = COUNTS_HEADING
        if shown > 1:
            intro = f"The {plural(shown, 'neighbourhood')} with the most crimes in {year}."
        else:
            intro = f"{place_first(assessment.settings.area)} is one neighbourhood; its crimes in {year} are below."
        intro += " No neighbourhood populations were given, so rates per 1,000 residents are not shown."
    top = [
        {
            "name": f"{name} ({code})" if code and code != name else name,
            "crimes": f"{crimes:,}",
            "population": count_text(people),
            "rate": rate_text(rate),
        }
        for name, code, crimes, people, rate in rows[:TOP_NEIGHBOURHOODS]
    ]
    return {
        "neighbourhoods": top,
        "neighbourhood_rates": heading == RATES_HEADING,  # else the table shows the crimes alone
        "neighbourhood_heading": heading,
        "neighbourhood_intro": intro,
    }


def _neighbourhood_row(record: Mapping[str, Any]) -> tuple[str, str, int, int | None, float | None]:
    """Name, code, crimes, residents and the exact rate (rounded once, when shown)."""
    people = None if record["population"] is None else int(record["population"])
    rate = float(record["crimes"]) / people * 1000 if people else None
    code = record.get("code")
    code_text = "" if code is None else str(code)
    return (str(record["neighbourhood"]), code_text, int(record["crimes"]), people, rate)


def _not_available(assessment: Assessment, charts: Mapping[str, ChartImage]) -> list[str]:
    notes = []
    settings = assessment.settings
    if "monthly" in assessment.crime.not_available:
        notes.append("Monthly figures were not provided, so the seasonality chart is left out.")
    if assessment.crime.comparators is not None and settings.most_similar_family is None:
        notes.append(f"The Most Similar Family rates do not include {settings.area}, so no family comparison is shown.")
    elif "comparators" in assessment.crime.not_available and settings.most_similar_family is None:
        if settings.crime_source == "police_uk":
            notes.append("police.uk does not publish Most Similar Family comparisons, so none is shown.")
        else:
            notes.append("Most Similar Family rates were not provided, so no family comparison is shown.")
    monthly = assessment.crime.monthly
    headline = settings.headline_row
    if monthly is not None and fold(headline) not in {fold(c) for c in monthly.columns}:
        notes.append(f"Monthly figures for {headline.lower()} were not provided, so the seasonality chart is left out.")
    elif monthly is not None and "seasonality" not in charts:
        notes.append(
            "The monthly figures do not cover a complete April to March year, so the seasonality chart is left out."
        )
    return notes


def _crime_table(assessment: Assessment, figures: Mapping[str, RowFigures]) -> list[dict[str, str]]:
    rows = []
    for crime_type in assessment.crime.crime_types:
        row = figures[fold(crime_type)]
        rows.append(
            {
                "crime_type": row.crime_type,
                "previous": count_text(row.count_previous),
                "current": count_text(row.count_current),
                "change": change_cell(row),
                "rate": row_rate_text(row),
            }
        )
    return rows


def comparison_phrase(settings: Settings, previous: str) -> str:
    """The comparison year as sentences name it: ``2017/18``, or ``2016/17 (December 2015 to November 2016)``.

    Where the 12 months are not April to March, the comparison is the 12 months before them, named as such.
    """
    if settings.whole_financial_year:
        return previous
    end = settings.period_end
    first = dt.date(end.year - 1 - (end.month < 12), end.month % 12 + 1, 1)
    return f"{previous} ({first:%B %Y} to {dt.date(end.year - 1, end.month, 1):%B %Y})"


def compared(figures: Mapping[str, RowFigures]) -> bool:
    """True when some row has a comparison-year count: the crime table then shows that year and the change."""
    return any(row.count_previous is not None for row in figures.values())


def rated(figures: Mapping[str, RowFigures]) -> bool:
    """True when some row has a rate per 1,000: the crime table then shows the rate column."""
    return any(row.rate_one_place is not None for row in figures.values())


def crime_table_intro(settings: Settings, figures: Mapping[str, RowFigures], previous: str) -> str:
    """The crime table's opening line, naming only what the table holds (a change, a rate) for this area."""
    any_previous = compared(figures)
    holds = (["the change"] if any_previous else []) + (
        ["the rate per 1,000 of each row's population base"] if rated(figures) else []
    )
    if not any_previous:
        years = settings.year_phrase
    elif settings.whole_financial_year:
        years = f"{previous} and {settings.year}"
    else:
        years = f"{comparison_phrase(settings, previous)} and {settings.year_phrase}"
    text = (
        f"Recorded figures for {place(settings.area)} in {years}"
        + (f", with {' and '.join(holds)}" if holds else "")
        + "."
    )
    if not any_previous:
        text += f" The {previous} figures are not complete, so no change is shown."
    return text


def _crime_table_notes(settings: Settings, figures: Mapping[str, RowFigures]) -> list[str]:
    """The notes under the crime table; "n/a" is explained only where a column of the table can hold it."""
    bases = ", ".join(f"{name} {value:,.0f}" for name, value in settings.population.items())
    if bases and rated(figures):
        return [f"Rates per 1,000 use each row's population base ({bases}). n/a: no comparable figure."]
    absent = "Rates per 1,000 are not shown: no population base was given."
    return [f"{absent} n/a: no comparable figure." if compared(figures) else absent]


def _findings_intro(assessment: Assessment) -> str:
    counts = {r.name: sum(1 for t in assessment.ratings if t.rating == r.name) for r in assessment.model.ratings}
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    assessed = plural(len(assessment.ratings), "threat was", "threats were")
    return (
        f"{assessed} assessed for {assessment.settings.year}: {summary}. "
        "Each level asks something different of the partnership."
    )


def _threat_line(rating: ThreatRating, notes: Mapping[str, int]) -> str:
    line = f"{rating.threat} ({rating.theme})"
    if rating.override_rating:
        line += f": treated as {rating.override_rating} [note {notes[rating.threat]}]"
    return line


def _override_numbers(ratings: Sequence[ThreatRating]) -> dict[str, int]:
    overridden = [r for r in ratings if r.override_rating]
    return {rating.threat: number for number, rating in enumerate(overridden, start=1)}


def _findings(assessment: Assessment, model: Model) -> list[dict[str, Any]]:
    meanings = {**DEFAULT_MEANINGS, **assessment.settings.rating_meanings}
    notes = _override_numbers(assessment.ratings)
    levels = []
    for level in model.ratings:
        threats = [_threat_line(r, notes) for r in assessment.ratings if r.rating == level.name]
        levels.append(
            {
                "name": level.name,
                "meaning": meanings.get(level.name, ""),
                "threats": threats or [f"No threat was rated {level.name}."],
            }
        )
    return levels


def _override_notes(ratings: Sequence[ThreatRating]) -> list[str]:
    numbers = _override_numbers(ratings)
    return [
        f"Note {numbers[r.threat]}: {r.threat} scored {r.score} ({r.rating}); the partnership treats it as "
        f"{r.override_rating}. {r.override_reason}"
        for r in ratings
        if r.override_rating
    ]


def theme_sections(assessment: Assessment, builder: Builder) -> list[dict[str, Any]]:
    """One section per theme, in the themes sheet's order (then any unlisted theme)."""
    narratives = {fold(theme.theme): theme for theme in assessment.themes}
    order = [theme.theme for theme in assessment.themes]
    for rating in assessment.ratings:
        if rating.theme not in order:
            order.append(rating.theme)
    sections = []
    for name in order:
        ratings = [r for r in assessment.ratings if r.theme == name]
        if not ratings:
            continue
        narrative = narratives.get(fold(name))
        parts = []
        for key, heading in NARRATIVE_PARTS:
            text = getattr(narrative, key, "") if narrative else ""
            if text:
                parts.append({"heading": heading, "body": markdown_block(builder, text)})
        sections.append(
            {
                "name": name,
                "table": rating_table(builder, assessment, ratings),
                "key_statistics": list(narrative.key_statistics) if narrative else [],
                "narrative": parts,
            }
        )
    return sections


def rating_table(builder: Builder, assessment: Assessment, ratings: Sequence[ThreatRating]) -> Block:
    """A theme's rating table: threat, the model's display columns, assessment; cells coloured and worded."""
    model: Model = assessment.model
    colours = {r.name: r.colour for r in model.ratings}
    changes = {change.threat: change for change in assessment.changes}
    header = ["Threat", *[c.label for c in model.display_columns], "Assessment"]
    notes: list[str] = []
    rows = []
    ordered = sorted(ratings, key=lambda r: (-r.score, r.threat.casefold()))
    for rating in ordered:
        threat_runs = [Run(rating.threat)]
        if rating.carried_forward:
            notes.append(
                f"{rating.threat}: scores carried forward from the {rating.scored_year} workshops; "
                f"factors the data can suggest were updated with {assessment.settings.year} figures."
            )
            threat_runs.append(Run(f" [note {len(notes)}]"))
        cells: list[Cell | str] = [Cell(runs=tuple(threat_runs))]
        cells.extend(Cell(f"{cell.band} ({cell.value})", cell.colour) for cell in rating.display)
        verdict = [Run(f"{rating.rating} ({rating.score})", bold=True)]
        if rating.override_rating:
            notes.append(f"{rating.threat}: treated as {rating.override_rating}. {rating.override_reason}")
            verdict.append(Run(f" treated as {rating.override_rating} [note {len(notes)}]"))
        if changes:
            verdict.append(Run(f"; last year {_change_text(changes.get(rating.threat))}"))
        cells.append(Cell(fill=colours.get(rating.rating, ""), runs=tuple(verdict)))
        rows.append(cells)
    columns = len(model.display_columns)
    widths = [3.0, *([10.0 / columns] * columns), 3.0]
    caption = f"{ratings[0].theme}: threats and their ratings" if ratings else "Threats and their ratings"
    elements = [builder.table(header, rows, widths, caption=caption)]
    elements.extend(builder.note(f"Note {number}: {text}") for number, text in enumerate(notes, start=1))
    return Block(elements)


def _change_text(change: RatingChange | None) -> str:
    if change is None or change.direction == NEW:
        return "not rated (new)"
    if change.direction == SAME:
        return f"{change.previous} (no change)"
    return f"{change.previous} ({change.direction})"


def changes_block(builder: Builder, changes: Sequence[RatingChange]) -> Block:
    """Appendix B: the threats whose rating changed, new and dropped threats."""
    if not changes:
        return builder.paragraphs(
            ["Last year's ratings were not provided, so changes of rating since last year are not shown."]
        )
    moved = [change for change in changes if change.direction != SAME]
    same = len(changes) - len(moved)
    intro = builder.paragraph(
        f"Compared with last year's ratings, {plural(len(moved), 'threat')} changed "
        f"and {same} kept {'its' if same == 1 else 'their'} rating."
    )
    if not moved:
        return Block([intro])
    rows: list[Sequence[Cell | str]] = [
        (c.threat, c.theme, c.previous or "not rated", c.current or "not rated", c.direction) for c in moved
    ]
    table = builder.table(
        ["Threat", "Theme", "Last year", "This year", "Change"],
        rows,
        [4.2, 4.4, 2.5, 2.5, 2.4],
        caption="Threats whose rating changed since last year",
    )
    return Block([intro, table])


def _data_sources(assessment: Assessment, builder: Builder) -> Block:
    """The sources by name (never the files they came in), then the method's name."""
    settings = assessment.settings
    elements = list(markdown_block(builder, settings.data_notes).elements) if settings.data_notes else []
    elements.extend(builder.paragraph(line) for line in source_lines(assessment))
    if assessment.ratings:
        elements.append(builder.paragraph(f"Ratings use the {assessment.model.title} model; Appendix A describes it."))
    return Block(elements)


def _named_from_msoa(table: Table | None) -> bool:
    """True when some neighbourhood is shown by its House of Commons Library name."""
    if table is None or not table.rows or "code" not in table.columns:
        return False
    return any(
        str(code) and str(code) != str(name)
        for name, code in zip(table.column("neighbourhood"), table.column("code"), strict=True)
    )


def _compared(assessment: Assessment) -> bool:
    """True when some crime type has a figure for the comparison year."""
    return any(row.count_previous is not None for row in assessment.figures.values())


def source_lines(assessment: Assessment) -> list[str]:
    """One line per source: crime figures, populations, neighbourhood names, workshops."""
    settings = assessment.settings
    before = " and the 12 months before" if _compared(assessment) else " (the 12 months before are not complete)"
    lines = [f"Crime figures: {settings.crime_data_source}, {settings.period_text}{before}."]
    if settings.population:
        bases = ", ".join(f"{name} {value:,.0f}" for name, value in settings.population.items())
        lines.append(f"Population for rates per 1,000: {bases}, as given by the partnership.")
    else:
        lines.append("No population was given, so no rate per 1,000 is shown.")
    if _named_from_msoa(assessment.crime.neighbourhoods):
        lines.append(MSOA_NAMES_SOURCE)
    workshops = sorted({workshop for rating in assessment.ratings for workshop in rating.workshops})
    held = [workshop_title(name) for name in workshops if not name.startswith("previous")]
    if held:
        lines.append(f"Threat scores: {plural(len(held), 'partnership workshop')} ({'; '.join(held)}).")
    return lines


def plan_context(assessment: Assessment) -> dict[str, Any]:
    """The Plan on a Page's render context; fails with a clear message when the plan content is missing."""
    settings = assessment.settings
    plan = settings.plan_on_a_page
    figures = assessment.figures
    headline = _named(figures, settings.headline_row)
    asb = _named(figures, settings.asb_row)
    high = [r for r in assessment.ratings if r.final_rating == assessment.model.ratings[0].name]
    by_theme: dict[str, list[str]] = {}
    for rating in high:
        by_theme.setdefault(rating.theme, []).append(
            rating.threat + (" (by override)" if rating.override_rating else "")
        )
    top = assessment.model.ratings[0].name
    return {
        "partnership": settings.partnership,
        "author": settings.author or settings.partnership,
        "plan_year": plan.year if plan else settings.year,
        "title": plan.title if plan and plan.title else f"{settings.partnership} Plan on a Page {settings.year}",
        "vision_line": f"Our vision: {plain_text(plan.vision)}" if plan else "",
        "headline_strip": _headline_strip(settings, headline, asb),
        "headline_figures": _headline_figures(settings, headline, asb),
        "focus_areas": [plain_text(text) for text in plan.focus_areas] if plan else [],
        "priorities": [plain_text(text) for text in plan.priorities] if plan else [],
        "rated_high_heading": f"Rated {top} in the {settings.year} strategic assessment:",
        "rated_high": [f"{theme}: {', '.join(names)}" for theme, names in by_theme.items()],
        "thematic_groups": [
            {
                "name": g.name,
                "chairs": ", ".join(g.chairs) or "to be confirmed",
                "remit": "; ".join(g.remit),
                "remit_items": list(g.remit),
            }
            for g in (plan.thematic_groups if plan else ())
        ],
        "key_deliverables": [
            {"what": plain_text(d.what), "lead": d.lead, "when": d.when}
            for d in (plan.key_deliverables if plan else ())
        ],
        "footer_line": f"{settings.partnership} · priorities from the {settings.year} strategic assessment of "
        f"threat, risk and harm ({assessment.model.title} model).",
    }


def _headline_strip(settings: Settings, headline: RowFigures | None, asb: RowFigures | None) -> str:
    return "  |  ".join(figure["text"] for figure in _headline_figures(settings, headline, asb))


def _headline_figures(settings: Settings, headline: RowFigures | None, asb: RowFigures | None) -> list[dict[str, str]]:
    """The headline figures: each a figure, the words that go with it, and the two as one phrase."""
    parts = []
    if headline and headline.count_current is not None:
        change = f" ({signed(headline.change_pct)}%)" if headline.change_pct is not None else ""
        parts.append(_figure(f"{headline.count_current:,}", f"crimes in {settings.year_phrase}{change}"))
        if headline.rate_per_1000 is not None:
            parts.append(_figure(row_rate_text(headline), "per 1,000 residents"))
    family = settings.most_similar_family
    if family:
        size = f" of {family.family_size}" if family.family_size else ""
        parts.append(_figure(f"{family.rank}{size}", "in its Most Similar Family (1 = lowest)", before="ranked"))
    if asb and asb.count_current is not None:
        change = f" ({signed(asb.change_pct)}%)" if asb.change_pct is not None else ""
        parts.append(_figure(f"{asb.count_current:,}", f"ASB incidents{change}"))
    return parts


def _figure(figure: str, words: str, before: str = "") -> dict[str, str]:
    return {"before": before, "figure": figure, "words": words, "text": " ".join(filter(None, (before, figure, words)))}
