"""The Most Similar Family comparison worked out from the crime workbook's ``comparators`` sheet (README, "Inputs").

The sheet lists each member of the area's Most Similar Family with its crimes per 1,000 residents, the area
among them. From it: the family average, the mean of every listed rate with the area's own, rounded half up
to one decimal (as iQuanta gives it); the area's rank, 1 plus the number of members with a lower rate
(1 = lowest; members with equal rates share a rank); and the family's size, the number listed.

``assessment.yaml`` may give the same figures (``most_similar_family``). Given both, they must agree: two
sources of one figure that disagree stop the run, since either could be the wrong one and the document
would print it. Pure: the rows come in already read, problems go to the log.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .calculations import round_half_up
from .errors import Problem, ProblemLog
from .names import fold
from .settings import SETTINGS_FILE, MostSimilarFamily, Settings

SHEET = "comparators"


def family_from_rates(rates: Sequence[tuple[str, float]], names: Sequence[str]) -> MostSimilarFamily | None:
    """The family's average, the area's rank and the family's size; None when no row is the area's.

    ``rates`` are the sheet's (member, rate per 1,000) rows; ``names`` the names the area's own row may have
    (its area and partnership names), matched as names are everywhere (``names.fold``).
    """
    wanted = {fold(name) for name in names if name}
    own = [rate for member, rate in rates if fold(member) in wanted]
    if len(own) != 1:
        return None
    average = round_half_up(sum(rate for _, rate in rates) / len(rates), 1)
    rank = 1 + sum(rate < own[0] for _, rate in rates)
    return MostSimilarFamily(average_rate=average, rank=rank, family_size=len(rates))


def with_family(
    settings: Settings, rates: Sequence[tuple[str, float]] | None, workbook: str, log: ProblemLog
) -> Settings:
    """The settings with the family comparison the ``comparators`` sheet gives, checked against any stated.

    Without the sheet (``rates`` None) the settings are returned as they are. A sheet that lists no row for
    the area is warned about: the comparison then comes from ``assessment.yaml`` alone, or is left out.
    """
    if rates is None:
        return settings
    names = (settings.area, settings.partnership)
    derived = family_from_rates(rates, names)
    stated = settings.most_similar_family
    if derived is None:
        where = "the comparison in assessment.yaml is not checked" if stated else "no family comparison is shown"
        log.warn(
            Problem(
                workbook,
                f"no row is {settings.area}'s own (looked for {_either(names)}), so {where}",
                f"add a row for {settings.area} with its rate per 1,000, named as the area is in assessment.yaml",
                sheet=SHEET,
            )
        )
        return settings
    if stated is None:
        return dataclasses.replace(settings, most_similar_family=derived)
    for key, said, worked in (
        ("average_rate", stated.average_rate, derived.average_rate),
        ("rank", stated.rank, derived.rank),
        ("family_size", stated.family_size, derived.family_size),
    ):
        if said is not None and said != worked:
            log.add(
                Problem(
                    f"{SETTINGS_FILE} › most_similar_family › {key}",
                    f"{said:g} differs from {worked:g} worked out from {workbook} › {SHEET}",
                    f"correct whichever is wrong, or remove most_similar_family from {SETTINGS_FILE} "
                    f"to use the sheet's figures",
                )
            )
    return settings


def _either(names: Sequence[str]) -> str:
    shown = list(dict.fromkeys(f"'{name}'" for name in names if name))
    return " or ".join(shown)
