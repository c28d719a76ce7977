"""A previous year's ``ratings.csv`` (README, "The yearly cycle"), read back for changes of rating and carry-forward.

The file is one this program wrote in an earlier year; it is checked like any
input: a missing column or an unknown rating names the row and column.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from ..errors import InputError, Problem, ProblemLog
from ..model import Model
from ..names import fold
from ..records import PreviousRating as PreviousRating
from .excel import NUMBER_TEXT

PREVIOUS_FILE = "previous/ratings.csv"
REQUIRED = ("threat", "rating")


def read_previous_ratings(path: Path, label: str, model: Model, log: ProblemLog) -> dict[str, PreviousRating]:
    """The previous ratings keyed by folded threat name; problems go to ``log``.

    Raises InputError when the file cannot be read as CSV at all.
    """
    rows, header = _csv_rows(path, label)
    missing = [name for name in REQUIRED if name not in header]
    if missing or not rows:
        what = f"column {', '.join(missing)} not found" if missing else "has no rows"
        log.add(Problem(label, what, "use a ratings.csv written by `score` or `generate`", cell="row 1"))
        return {}
    previous: dict[str, PreviousRating] = {}
    for number, row in enumerate(rows, start=2):
        rated = _previous_rating(row, number, model, label, log)
        if rated is not None:
            previous[fold(rated.threat)] = rated
    return previous


def _csv_rows(path: Path, label: str) -> tuple[list[dict[str, str]], list[str]]:
    """The file's rows and header; raises InputError when it cannot be read as CSV."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError([Problem(label, f"cannot be read as CSV ({exc})", "save it as UTF-8 CSV")]) from exc
    return rows, list(rows[0].keys()) if rows else []


def _previous_rating(
    row: Mapping[str, str], number: int, model: Model, label: str, log: ProblemLog
) -> PreviousRating | None:
    """One row as last year's rating of a threat; None for a row without a threat or with an unknown rating."""
    threat = " ".join((row.get("threat") or "").split())
    if not threat:
        return None
    rating = model.rating(row.get("rating") or "")
    if rating is None:
        names = ", ".join(r.name for r in model.ratings)
        problem = f"rating '{row.get('rating')}' is not a rating"
        log.add(Problem(label, problem, f"use one of {names}", cell=f"row {number}"))
        return None
    return PreviousRating(
        theme=_text(row, "theme"),
        threat=threat,
        data_row=_text(row, "data_row"),
        rating=rating.name,
        score=_number(row.get("score")),
        factors=_factors(row, model, label, number, log),
        override_rating=_text(row, "override_rating"),
        override_reason=_text(row, "override_reason"),
        scored_year=_text(row, "scored_year"),
    )


def _text(row: Mapping[str, str], key: str) -> str:
    return (row.get(key) or "").strip()


def _factors(row: Mapping[str, str], model: Model, label: str, number: int, log: ProblemLog) -> dict[str, int | None]:
    """Last year's factor values; one outside the model's range is a problem naming its row and column."""
    values: dict[str, int | None] = {}
    for factor in model.factors:
        value = _whole(row.get(factor.key))
        if value is not None and value not in factor.allowed:
            log.add(
                Problem(
                    label,
                    f"{factor.key} {value} is outside {factor.low}-{factor.high}",
                    "use the ratings.csv this program wrote last year, or correct the value",
                    cell=f"row {number}, column {factor.key}",
                )
            )
            value = None
        values[factor.key] = value
    return values


def _number(text: str | None) -> float | None:
    value = (text or "").strip().lstrip("'")
    return float(value) if NUMBER_TEXT.match(value) else None


def _whole(text: str | None) -> int | None:
    value = _number(text)
    return int(value) if value is not None and value.is_integer() else None
