"""Rating each threat with the model: factor values, suggestions, groups, score, rating (README, "Scoring models").

Pure: merged workshop scores and the crime figures in, ratings out. Knows
nothing about files or documents.

A factor's value comes from, in order:
1. for a threat carried forward from an earlier year, a fresh data
   suggestion where the model can make one (likelihood and trend follow
   this year's data); otherwise the carried-forward score;
2. the workshop score (the median where several workshops scored it);
3. the data suggestion, when the workshops left it blank.
A blank factor with no suggestion is a problem naming the cell.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from .errors import Problem, ProblemLog
from .facts import RowFigures, fold
from .model import Factor, Model
from .records import DisplayCell as DisplayCell
from .records import FactorInput, MergedThreat
from .records import FactorResult as FactorResult
from .records import ThreatRating as ThreatRating

SOURCE_WORKSHOP = "workshop"
SOURCE_DATA = "data"
SOURCE_CARRIED = "carried forward"
SOURCE_WHAT_IF = "what-if"


def median_source(count: int) -> str:
    return f"median of {count} workshops"


def score_threats(
    model: Model,
    threats: Sequence[MergedThreat],
    figures: Mapping[str, RowFigures],
    year: str,
    log: ProblemLog,
) -> tuple[ThreatRating, ...]:
    """Rate every threat, ranked by score (highest first); blank scores with no suggestion go to ``log``."""
    ratings = []
    for threat in threats:
        rated = threat_rating(
            model,
            threat,
            figures.get(fold(threat.data_row)) if threat.data_row else None,
            year,
            log,
        )
        if rated is not None:
            ratings.append(rated)
    return tuple(ranked(ratings))


def ranked(ratings: Iterable[ThreatRating]) -> list[ThreatRating]:
    """Highest score first; ties by theme then threat name."""
    return sorted(ratings, key=lambda r: (-r.score, r.theme.casefold(), r.threat.casefold()))


def threat_rating(
    model: Model, threat: MergedThreat, figures: RowFigures | None, year: str, log: ProblemLog
) -> ThreatRating | None:
    """Rate one threat, or None (with problems logged) when a factor has no value."""
    carried = bool(threat.scored_year) and threat.scored_year != year
    factors: dict[str, FactorResult] = {}
    for factor in model.factors:
        given = threat.factors[factor.key]
        result = factor_result(factor, given, figures, carried)
        explained = given.rejected or (threat.data_row_unknown and factor.suggest is not None)
        if result is not None:
            factors[factor.key] = result
        elif not explained:
            log.add(_blank_problem(factor, threat, figures))
    if len(factors) < len(model.factors):
        return None
    values = {key: result.value for key, result in factors.items()}
    groups = group_values(model, values)
    score = total_score(model, groups)
    return ThreatRating(
        theme=threat.theme,
        threat=threat.threat,
        data_row=threat.data_row,
        figures=figures,
        factors=factors,
        groups=groups,
        score=score,
        rating=model.rating_for(score).name,
        display=display_cells(model, groups),
        scored_year=threat.scored_year or year,
        carried_forward=carried,
        workshops=threat.workshops,
        override_rating=threat.override_rating,
        override_reason=threat.override_reason,
    )


def suggested_value(factor: Factor, figures: RowFigures | None) -> tuple[int | None, str]:
    """The model's data suggestion for a factor and how it was reached, or (None, reason)."""
    if factor.suggest is None:
        return None, ""
    if figures is None:
        return None, "the threat has no data row"
    figure = figures.figure(factor.suggest.source)
    if figure is None:
        return (
            None,
            f"the {_figure_name(factor.suggest.source)} of '{figures.crime_type}' is not available",
        )
    value = factor.suggest.value_for(figure)
    return value, f"suggested {value} from {_figure_text(factor.suggest.source, figure, figures)}"


def factor_result(factor: Factor, given: FactorInput, figures: RowFigures | None, carried: bool) -> FactorResult | None:
    """A factor's value and source by the rules in this module's docstring; None when there is none."""
    suggestion, detail = suggested_value(factor, figures)
    if given.fixed and given.value is not None:
        return FactorResult(factor.key, given.value, SOURCE_WHAT_IF, suggestion, "set by --what-if")
    if carried and suggestion is not None:
        return FactorResult(factor.key, suggestion, SOURCE_DATA, suggestion, f"{detail} (updated this year)")
    if given.value is not None:
        count = len(given.given)
        source = SOURCE_CARRIED if carried else SOURCE_WORKSHOP if count == 1 else median_source(count)
        scores = ", ".join(str(value) for _, value in given.given)
        note = f"median of {scores}" if count > 1 else ""
        return FactorResult(factor.key, given.value, source, suggestion, note)
    if suggestion is not None:
        return FactorResult(factor.key, suggestion, SOURCE_DATA, suggestion, detail)
    return None


def group_values(model: Model, values: Mapping[str, int]) -> dict[str, int]:
    """Each group's value: the sum of its factors."""
    return {group.key: sum(values[f.key] for f in model.group_factors(group.key)) for group in model.groups}


def total_score(model: Model, groups: Mapping[str, int]) -> int:
    """The score: the ``product`` groups multiplied, plus the ``plus`` groups."""
    product = math.prod(groups[key] for key in model.product) if model.product else 0
    return product + sum(groups[key] for key in model.plus)


def display_cells(model: Model, groups: Mapping[str, int]) -> tuple[DisplayCell, ...]:
    """The theme table's cells for one threat: each display column's value and band."""
    cells = []
    for column in model.display_columns:
        value = sum(groups[key] for key in column.groups)
        band = column.band_for(value)
        cells.append(DisplayCell(column.label, value, band.name, band.colour))
    return tuple(cells)


def _blank_problem(factor: Factor, threat: MergedThreat, figures: RowFigures | None) -> Problem:
    file, sheet, cell = threat.factors[factor.key].places[0] if threat.factors[factor.key].places else threat.place
    scale = f"{factor.low}-{factor.high}"
    _, reason = suggested_value(factor, figures)
    problem = f"{factor.key} is blank for '{threat.threat}'"
    if reason:
        problem += f" and cannot be suggested: {reason}"
    return Problem(file, problem, f"enter a whole number {scale}", sheet=sheet, cell=cell)


def _figure_name(source: str) -> str:
    return {"rate_per_1000": "rate per 1,000", "change_pct": "% change"}[source]


def _figure_text(source: str, figure: float, figures: RowFigures) -> str:
    if source == "rate_per_1000":
        return f"{figure:.2f} per 1,000 {figures.denominator} ({figures.crime_type})"
    sign = "+" if figure > 0 else ""
    return f"a {sign}{figure:.1f}% change ({figures.crime_type})"
