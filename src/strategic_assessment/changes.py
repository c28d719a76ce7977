"""Changes of rating since last year, and carrying forward threats no workshop rescored (README, "The yearly cycle").

Pure: this year's ratings and last year's in, changes out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .facts import fold
from .model import Model
from .records import DOWN as DOWN
from .records import DROPPED as DROPPED
from .records import NEW as NEW
from .records import SAME as SAME
from .records import UP as UP
from .records import FactorInput, MergedThreat, PreviousRating, ThreatRating
from .records import RatingChange as RatingChange
from .settings import previous_year


def rating_changes(
    current: Sequence[ThreatRating], previous: Mapping[str, PreviousRating], model: Model
) -> list[RatingChange]:
    """Every threat's change of final rating (the override where there is one): up, down, same, new or dropped.

    The scored ratings ride along, so a report can show both where an override made them differ.
    """
    rank = {rating.name.casefold(): position for position, rating in enumerate(reversed(model.ratings))}
    changes = []
    seen = set()
    for rating in current:
        key = fold(rating.threat)
        seen.add(key)
        before = previous.get(key)
        now = rating.final_rating
        if before is None:
            changes.append(RatingChange(rating.theme, rating.threat, "", now, NEW, current_scored=rating.rating))
            continue
        was = _final(before)
        step = rank.get(now.casefold(), 0) - rank.get(was.casefold(), 0)
        direction = UP if step > 0 else DOWN if step < 0 else SAME
        changes.append(
            RatingChange(
                rating.theme,
                rating.threat,
                was,
                now,
                direction,
                previous_scored=before.rating,
                current_scored=rating.rating,
            )
        )
    for key, before in previous.items():
        if key not in seen:
            changes.append(
                RatingChange(before.theme, before.threat, _final(before), "", DROPPED, previous_scored=before.rating)
            )
    return changes


def _final(before: PreviousRating) -> str:
    """Last year's final rating: its override where it had one."""
    return before.override_rating or before.rating


def carried_forward_threats(
    previous: Mapping[str, PreviousRating], scored: Sequence[MergedThreat], model: Model, year: str
) -> list[MergedThreat]:
    """Last year's threats that no workshop scored this year, with last year's scores (``--carry-forward``).

    Threats whose previous row lacks a factor value are left out: they cannot be rated.
    """
    scored_names = {fold(threat.threat) for threat in scored}
    carried = []
    for key, before in previous.items():
        if key in scored_names or any(before.factors.get(k) is None for k in model.factor_keys):
            continue
        place = ("previous/ratings.csv", "", f"threat '{before.threat}'")
        factors = {
            k: FactorInput(value, (("previous/ratings.csv", value),), (place,))
            for k, value in before.factors.items()
            if value is not None
        }
        carried.append(
            MergedThreat(
                theme=before.theme,
                threat=before.threat,
                data_row=before.data_row,
                factors=factors,
                workshops=("previous/ratings.csv",),
                place=place,
                override_rating=before.override_rating,
                override_reason=before.override_reason,
                scored_year=before.scored_year if before.scored_year not in ("", year) else previous_year(year),
            )
        )
    return carried
