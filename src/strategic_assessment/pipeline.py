"""The one place that sequences the stages: read and check inputs, score, write outputs.

``build_assessment`` reads every input and reports every problem found in one
InputError; ``write_scores`` writes the ratings and derived tables into the
year's output folder through a staging folder, so a failed run leaves the
previous outputs as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import pandas as pd

from .errors import InputError, Problem, ProblemLog, UsageError, did_you_mean
from .facts import annual_figures, figures_by_crime_type, fold
from .ingest.crime_workbook import CrimeData, read_crime_workbook
from .ingest.workshops import ThemeNarrative, read_workshops
from .merge import Disagreement, MergedThreat, merge_workshops, unscored_themes
from .model import Model, load_model, model_path
from .outputs import staged_folder, write_data_tables, write_ratings
from .scoring import ThreatRating, score_threats
from .settings import SETTINGS_FILE, Settings, load_settings

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Assessment:
    """Everything read and worked out for one year, before any document is written."""

    settings: Settings
    model: Model
    crime: CrimeData
    annual: pd.DataFrame
    threats: tuple[MergedThreat, ...]
    ratings: tuple[ThreatRating, ...]
    disagreements: tuple[Disagreement, ...]
    themes: tuple[ThemeNarrative, ...]
    warnings: tuple[Problem, ...]
    input_files: tuple[Path, ...]

    def rating_of(self, name: str) -> ThreatRating:
        """One threat's rating by name (case and spacing ignored).

        Raises UsageError naming the closest threat when there is no such threat.
        """
        for rating in self.ratings:
            if fold(rating.threat) == fold(name):
                return rating
        names = [rating.threat for rating in self.ratings]
        hint = did_you_mean(name, names) or "run `score` to list the threats"
        raise UsageError(f"no threat named '{name}'; {hint}")


def build_assessment(inputs: Path, what_if: Sequence[tuple[str, str, int]] = ()) -> Assessment:
    """Read, check and score every input in the folder.

    Raises InputError listing every problem found; settings and model
    problems are reported first, since nothing else can be checked without them.
    """
    if not inputs.is_dir():
        raise UsageError(
            f"inputs folder '{inputs}' not found; give the folder holding {SETTINGS_FILE} with --inputs"
        )
    settings = load_settings(inputs)
    model = load_model(model_path(settings.model, inputs))
    problems = ProblemLog()
    crime = _read(lambda: read_crime_workbook(inputs, settings.year, settings.population, problems), problems)
    workshops = _read(lambda: read_workshops(inputs, model, settings.year, problems), problems)
    if crime is None or workshops is None:
        raise InputError(problems.problems)
    _check_named_rows(settings, crime, problems)
    annual = annual_figures(crime.annual, crime.years, settings.population)
    figures = figures_by_crime_type(annual)
    crime_types = {fold(str(name)): str(name) for name in crime.annual.index}
    threats, disagreements = merge_workshops(
        workshops.entries, model, workshops.themes, crime_types, problems
    )
    threats = _apply_what_if(threats, model, what_if)
    ratings = score_threats(model, threats, figures, settings.year, problems)
    _note_gaps(workshops.themes, threats, workshops.themes_file, problems)
    problems.raise_if_any()
    return Assessment(
        settings=settings,
        model=model,
        crime=crime,
        annual=annual,
        threats=threats,
        ratings=ratings,
        disagreements=disagreements,
        themes=workshops.themes,
        warnings=tuple(problems.warnings),
        input_files=(inputs / SETTINGS_FILE, inputs / crime.source, *workshops.files),
    )


def _read(reader: Callable[[], T], problems: ProblemLog) -> T | None:
    try:
        return reader()
    except InputError as error:
        problems.problems.extend(error.problems)
        return None


def _check_named_rows(settings: Settings, crime: CrimeData, problems: ProblemLog) -> None:
    names = {fold(str(name)) for name in crime.annual.index}
    for key in ("headline_row", "asb_row"):
        name = getattr(settings, key)
        if name and fold(name) not in names:
            hint = (
                did_you_mean(name, [str(n) for n in crime.annual.index])
                or "name a crime_type of the annual sheet"
            )
            problems.add(
                Problem(
                    SETTINGS_FILE,
                    f"{key} '{name}' is not a row of crime_data.xlsx › annual",
                    hint,
                    cell=key,
                )
            )


def _note_gaps(
    themes: Sequence[ThemeNarrative],
    threats: Sequence[MergedThreat],
    themes_file: str,
    problems: ProblemLog,
) -> None:
    if not themes:
        problems.warn(
            Problem(
                "workshops/",
                "no workbook has a themes sheet",
                "add one so each theme section has its narrative",
            )
        )
    for theme in unscored_themes(themes, threats):
        problems.warn(Problem(themes_file, f"theme '{theme}' has no scored threats", "", sheet="themes"))


def _apply_what_if(
    threats: tuple[MergedThreat, ...], model: Model, changes: Sequence[tuple[str, str, int]]
) -> tuple[MergedThreat, ...]:
    """Threats with some factor scores replaced, for ``score --what-if``."""
    if not changes:
        return threats
    updated = list(threats)
    for name, key, value in changes:
        index = next((i for i, t in enumerate(updated) if fold(t.threat) == fold(name)), None)
        if index is None:
            hint = did_you_mean(name, [t.threat for t in updated]) or "check the threat's name"
            raise UsageError(f"--what-if: no threat named '{name}'; {hint}")
        if key not in model.factor_keys:
            hint = did_you_mean(key, model.factor_keys) or f"factors: {', '.join(model.factor_keys)}"
            raise UsageError(f"--what-if: '{key}' is not a factor of the {model.name} model; {hint}")
        factor = model.factor(key)
        if value not in factor.allowed:
            raise UsageError(f"--what-if: {key} {value} is outside {factor.low}-{factor.high}")
        threat = updated[index]
        entry = threat.factors[key]
        factors = {**threat.factors, key: replace(entry, value=value, given=(("what-if", value),))}
        updated[index] = replace(threat, factors=factors, scored_year="")
    return tuple(updated)


def output_folder(outputs: Path, settings: Settings) -> Path:
    """The year's output folder: ``outputs/2018-19``."""
    return outputs / settings.year_folder


def write_scores(assessment: Assessment, outputs: Path) -> Path:
    """Write ratings.csv/xlsx and data/*.csv into the year's folder; returns the folder.

    Other files already in the folder (documents, charts) are kept.
    Raises OutputError when the folder cannot be written.
    """
    target = output_folder(outputs, assessment.settings)
    check_outputs_apart(assessment.settings.inputs, outputs)
    with staged_folder(target, replace_all=False) as staging:
        write_ratings(assessment.ratings, assessment.model, staging)
        write_data_tables(assessment.annual, assessment.crime, staging / "data")
    return target


def check_outputs_apart(inputs: Path, outputs: Path) -> None:
    """Raise UsageError when the outputs folder is, or is inside, the inputs folder (inputs are read-only)."""
    inputs_resolved, outputs_resolved = inputs.resolve(), outputs.resolve()
    if outputs_resolved == inputs_resolved or inputs_resolved in outputs_resolved.parents:
        raise UsageError(
            f"the outputs folder '{outputs}' is inside the inputs folder; inputs are never written: "
            "choose another folder with --outputs"
        )
