"""Merging the rows of several workshops into one set of scores per threat (README, "Inputs").

Pure: workshop rows in, merged threats out. Each factor takes the median of
the scores given (half-up to a whole number); a spread of 2 or more is a
disagreement. Names that differ only in case or spacing are matched, with a
warning. Conflicting themes, data rows, overrides or scored years are
problems naming both places.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from .calculations import median_half_up
from .errors import Problem, ProblemLog, did_you_mean
from .facts import fold
from .model import Model
from .records import Disagreement as Disagreement
from .records import FactorInput as FactorInput
from .records import MergedThreat as MergedThreat
from .records import ScoreEntry, ThemeNarrative

DISAGREEMENT_SPREAD = 2


def merge_workshops(
    entries: Sequence[ScoreEntry],
    model: Model,
    themes: Sequence[ThemeNarrative],
    crime_types: Mapping[str, str],
    log: ProblemLog,
) -> tuple[tuple[MergedThreat, ...], tuple[Disagreement, ...]]:
    """Merge workshop rows per threat; problems and name warnings go to ``log``.

    ``crime_types`` maps folded crime type names to their spelling in the
    crime table, so a ``data_row`` can be checked.
    """
    groups: dict[str, list[ScoreEntry]] = {}
    for entry in entries:
        groups.setdefault(fold(entry.threat), []).append(entry)
    theme_names = {fold(theme.theme): theme.theme for theme in themes}
    merged: list[MergedThreat] = []
    disagreements: list[Disagreement] = []
    for group in groups.values():
        threat = _merged(group, model, theme_names, crime_types, log)
        merged.append(threat)
        disagreements.extend(_disagreements(threat, model))
    return tuple(merged), tuple(disagreements)


def _merged(
    group: list[ScoreEntry],
    model: Model,
    theme_names: Mapping[str, str],
    crime_types: Mapping[str, str],
    log: ProblemLog,
) -> MergedThreat:
    first = group[0]
    _warn_spellings(group, "threat", log)
    for attribute in ("theme", "data_row", "override_rating", "scored_year"):
        _check_agree(group, attribute, log)
    factors = {factor.key: _factor_input(group, factor.key) for factor in model.factors}
    data_row = _data_row(group, crime_types, log)
    override = next((entry for entry in group if entry.override_rating), None)
    return MergedThreat(
        theme=_theme_name(first, theme_names, log),
        threat=first.threat,
        data_row=data_row,
        factors=factors,
        workshops=tuple(entry.workshop for entry in group),
        place=first.place(),
        override_rating=override.override_rating if override else "",
        override_reason=override.override_reason if override else "",
        scored_year=first.scored_year,
        data_row_unknown=any(e.data_row for e in group) and not data_row,
    )


def _factor_input(group: list[ScoreEntry], key: str) -> FactorInput:
    given = tuple((entry.workshop, value) for entry in group if (value := entry.values.get(key)) is not None)
    places = tuple(entry.place(key) for entry in group)
    value = median_half_up([v for _, v in given]) if given else None
    rejected = any(key in entry.rejected for entry in group)
    return FactorInput(value=value, given=given, places=places, rejected=rejected)


def _disagreements(threat: MergedThreat, model: Model) -> list[Disagreement]:
    return [
        Disagreement(threat.theme, threat.threat, model.factor(key).label, entry.given, entry.value)
        for key, entry in threat.factors.items()
        if entry.value is not None and entry.spread >= DISAGREEMENT_SPREAD
    ]


def _warn_spellings(group: list[ScoreEntry], attribute: str, log: ProblemLog) -> None:
    first = getattr(group[0], attribute)
    for entry in group[1:]:
        spelling = getattr(entry, attribute)
        if spelling and spelling != first:
            log.warn(
                Problem(
                    entry.workshop,
                    f"{attribute} '{spelling}' matched to '{first}' ({group[0].workshop}), ignoring case and spaces",
                    "spell it the same way in every workbook",
                    sheet=entry.sheet,
                    cell=entry.cells.get(attribute, f"row {entry.row}"),
                )
            )


def _check_agree(group: list[ScoreEntry], attribute: str, log: ProblemLog) -> None:
    values = {fold(getattr(entry, attribute)) for entry in group if getattr(entry, attribute)}
    if len(values) <= 1:
        return
    given = "; ".join(f"{entry.workshop} row {entry.row}: '{getattr(entry, attribute)}'" for entry in group)
    log.add(
        Problem(
            group[-1].workshop,
            f"workshops disagree on the {attribute.replace('_', ' ')} of '{group[0].threat}' ({given})",
            "make them the same in every workbook",
            sheet=group[-1].sheet,
            cell=f"row {group[-1].row}",
        )
    )


def _theme_name(entry: ScoreEntry, theme_names: Mapping[str, str], log: ProblemLog) -> str:
    if not theme_names:
        return entry.theme
    known = theme_names.get(fold(entry.theme))
    if known is None:
        hint = did_you_mean(entry.theme, theme_names.values())
        log.add(
            Problem(
                entry.workshop,
                f"theme '{entry.theme}' is not in the themes sheet",
                hint or "add it to the themes sheet or correct the name",
                sheet=entry.sheet,
                cell=entry.cells.get("theme", f"row {entry.row}"),
            )
        )
        return entry.theme
    if known != entry.theme:
        log.warn(
            Problem(
                entry.workshop,
                f"theme '{entry.theme}' matched to '{known}' ignoring case and spaces",
                "spell it as the themes sheet does",
                sheet=entry.sheet,
                cell=entry.cells.get("theme", f"row {entry.row}"),
            )
        )
    return known


def _data_row(group: list[ScoreEntry], crime_types: Mapping[str, str], log: ProblemLog) -> str:
    entry = next((entry for entry in group if entry.data_row), None)
    if entry is None:
        return ""
    known = crime_types.get(fold(entry.data_row))
    if known is None:
        hint = did_you_mean(entry.data_row, crime_types.values()) or "use a crime_type from the annual sheet"
        log.add(
            Problem(
                entry.workshop,
                f"data row '{entry.data_row}' is not a crime type in the crime table",
                hint,
                sheet=entry.sheet,
                cell=entry.cells.get("data_row", f"row {entry.row}"),
            )
        )
        return ""
    if known != entry.data_row:
        log.warn(
            Problem(
                entry.workshop,
                f"data row '{entry.data_row}' matched to crime type '{known}' ignoring case and spaces",
                "spell it as the crime table does",
                sheet=entry.sheet,
                cell=entry.cells.get("data_row", f"row {entry.row}"),
            )
        )
    return known


def unscored_themes(themes: Sequence[ThemeNarrative], threats: Collection[MergedThreat]) -> list[str]:
    """Themes in the themes sheet that no workshop scored a threat for."""
    scored = {fold(threat.theme) for threat in threats}
    return [theme.theme for theme in themes if fold(theme.theme) not in scored]
