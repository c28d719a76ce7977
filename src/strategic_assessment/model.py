"""Scoring models: ``models/*.yaml`` read into typed, checked objects (README, "Scoring models").

A model is data. It names its factors (range, level labels, optional data
suggestion bands), the groups they sum into, how groups combine into a score
(``product`` groups multiplied, ``plus`` groups added), the display columns of
the theme tables with their bands, and the rating thresholds. Nothing here is
evaluated as code.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, Problem, ProblemLog, did_you_mean, quoted, shown
from .limits import MAX_FACTOR_VALUE, MAX_NAME_CHARACTERS
from .resources import SHIPPED_MODELS
from .yamlfile import load_yaml_mapping

SUGGESTION_SOURCES = {"rate_per_1000": "rate per 1,000", "change_pct": "% change"}
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
COLOUR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
DEFAULT_BAND_COLOURS = ("#D9EAD3", "#FFF2CC", "#F4CCCC", "#EA9999")


@dataclass(frozen=True)
class Bound:
    """The upper edge of a band: ``below`` is exclusive, ``at_most`` inclusive, neither is open."""

    below: float | None = None
    at_most: float | None = None

    def admits(self, figure: float) -> bool:
        if self.below is not None:
            return figure < self.below
        if self.at_most is not None:
            return figure <= self.at_most
        return True

    def describe(self) -> str:
        if self.below is not None:
            return f"below {_number(self.below)}"
        if self.at_most is not None:
            return f"{_number(self.at_most)} or less"
        return "otherwise"


@dataclass(frozen=True)
class SuggestionBand:
    bound: Bound
    value: int


@dataclass(frozen=True)
class Suggestion:
    """How a factor's value is suggested from a data row's figure."""

    source: str
    bands: tuple[SuggestionBand, ...]

    def value_for(self, figure: float) -> int:
        """The suggested value for a figure (already rounded as the data shows it)."""
        return next(band.value for band in self.bands if band.bound.admits(figure))

    def describe(self) -> str:
        parts = [f"{band.bound.describe()} gives {band.value}" for band in self.bands]
        return f"from the {SUGGESTION_SOURCES[self.source]}: " + ", ".join(parts)


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    group: str
    low: int
    high: int
    levels: Mapping[int, str]
    description: str = ""
    suggest: Suggestion | None = None

    @property
    def allowed(self) -> range:
        return range(self.low, self.high + 1)

    def level_label(self, value: int) -> str:
        return self.levels.get(value, "")


@dataclass(frozen=True)
class Group:
    key: str
    label: str


@dataclass(frozen=True)
class DisplayBand:
    bound: Bound
    name: str
    colour: str


@dataclass(frozen=True)
class DisplayColumn:
    """A column of the theme tables: the sum of one or more groups, banded."""

    label: str
    groups: tuple[str, ...]
    bands: tuple[DisplayBand, ...]

    def band_for(self, value: float) -> DisplayBand:
        return next(band for band in self.bands if band.bound.admits(value))


@dataclass(frozen=True)
class Rating:
    name: str
    min_score: float
    colour: str


@dataclass(frozen=True)
class Model:
    """A checked scoring model."""

    name: str
    title: str
    summary: str
    factors: tuple[Factor, ...]
    groups: tuple[Group, ...]
    product: tuple[str, ...]
    plus: tuple[str, ...]
    display_columns: tuple[DisplayColumn, ...]
    ratings: tuple[Rating, ...]
    path: Path
    sha256: str

    @property
    def factor_keys(self) -> tuple[str, ...]:
        return tuple(factor.key for factor in self.factors)

    def factor(self, key: str) -> Factor:
        return next(factor for factor in self.factors if factor.key == key)

    def group(self, key: str) -> Group:
        return next(group for group in self.groups if group.key == key)

    def group_factors(self, key: str) -> tuple[Factor, ...]:
        return tuple(factor for factor in self.factors if factor.group == key)

    def group_range(self, key: str) -> tuple[int, int]:
        members = self.group_factors(key)
        return sum(f.low for f in members), sum(f.high for f in members)

    def score_range(self) -> tuple[float, float]:
        """The lowest and highest score the model can give."""
        corners = [math.prod(choice) for choice in itertools.product(*(self.group_range(g) for g in self.product))] or [
            1
        ]
        low_plus = sum(self.group_range(g)[0] for g in self.plus)
        high_plus = sum(self.group_range(g)[1] for g in self.plus)
        return min(corners) + low_plus if self.product else low_plus, (
            max(corners) + high_plus if self.product else high_plus
        )

    def rating_for(self, score: float) -> Rating:
        """The highest rating whose threshold the score reaches."""
        return next(rating for rating in self.ratings if score >= rating.min_score)

    def rating(self, name: str) -> Rating | None:
        wanted = name.strip().lower()
        return next((rating for rating in self.ratings if rating.name.lower() == wanted), None)

    def formula(self) -> str:
        """The score formula in words: ``Harm x Likelihood + Trend + ...``."""
        product = " x ".join(self.group(g).label for g in self.product)
        plus = " + ".join(self.group(g).label for g in self.plus)
        return " + ".join(part for part in (product, plus) if part)


def model_path(name: str, inputs: Path) -> Path:
    """Where the model named in the settings lives: a shipped model or a file in the inputs folder.

    Raises InputError when a model file would be read from outside the inputs folder
    (``../x.yaml``, an absolute path, or a link out of it): the inputs folder is the
    whole of what a run depends on.
    """
    if name.endswith((".yaml", ".yml")):
        path = inputs / name
        if inputs.resolve() not in path.resolve().parents:
            raise InputError(
                [
                    Problem(
                        "assessment.yaml",
                        f"model {quoted(name)} is outside the inputs folder",
                        "copy the model file into the inputs folder and name it there, e.g. `model: my-model.yaml`",
                        cell="model",
                    )
                ]
            )
        return path
    if not KEY_PATTERN.match(name.replace("-", "_")):
        raise InputError(
            [
                Problem(
                    "assessment.yaml",
                    f"model {quoted(name)} is not a shipped model",
                    f"use one of {', '.join(shipped_models())} or name a .yaml file in the inputs folder",
                    cell="model",
                )
            ]
        )
    return SHIPPED_MODELS / f"{name}.yaml"


def shipped_models() -> list[str]:
    return sorted(path.stem for path in SHIPPED_MODELS.glob("*.yaml"))


def load_model(path: Path, label: str | None = None) -> Model:
    """Read and check a model YAML file.

    Raises InputError listing every problem, each naming the key path.
    """
    label = label or path.name
    if not path.is_file() and path.parent == SHIPPED_MODELS:
        hint = did_you_mean(path.stem, shipped_models())
        fix = f"use one of {', '.join(shipped_models())} or name a .yaml file in the inputs folder"
        raise InputError(
            [
                Problem(
                    "assessment.yaml",
                    f"model '{path.stem}' is not a shipped model",
                    f"{hint} Or {fix}" if hint else fix,
                    cell="model",
                )
            ]
        )
    data = load_yaml_mapping(path, label)
    return model_from_data(data, path, label, hashlib.sha256(path.read_bytes()).hexdigest())


def model_from_data(data: Mapping[str, Any], path: Path, label: str, sha256: str = "") -> Model:
    """A model from its YAML already parsed; ``path`` names it when it has no ``name``.

    Raises InputError listing every problem, each naming the key path.
    """
    log = ProblemLog()
    model = _ModelReader(dict(data), label, log, path, sha256).model()
    log.raise_if_any()
    check_ratings_cover(model)
    return model


class _ModelReader:
    """Builds a Model from YAML data, logging every problem with its key path."""

    def __init__(self, data: dict[str, Any], label: str, log: ProblemLog, path: Path, sha256: str) -> None:
        self.data = data
        self.sha256 = sha256
        self.label = label
        self.log = log
        self.path = path

    def problem(self, where: str, problem: str, fix: str) -> None:
        self.log.add(Problem(self.label, problem, fix, cell=where))

    def model(self) -> Model:
        known = {
            "name",
            "title",
            "summary",
            "factors",
            "groups",
            "score",
            "display_columns",
            "ratings",
        }
        self._unknown_keys(self.data, known, "")
        groups = self._groups()
        group_keys = [group.key for group in groups]
        factors = self._factors(group_keys)
        for key in group_keys:
            if not any(factor.group == key for factor in factors):
                self.problem("groups", f"group '{key}' has no factors", "give it a factor or remove it")
        product, plus = self._score(group_keys)
        return Model(
            name=str(self.data.get("name") or self.path.stem),
            title=str(self.data.get("title") or self.path.stem),
            summary=str(self.data.get("summary") or "").strip(),
            factors=tuple(factors),
            groups=tuple(groups),
            product=product,
            plus=plus,
            display_columns=self._display_columns(group_keys),
            ratings=self._ratings(),
            path=self.path,
            sha256=self.sha256,
        )

    def _unknown_keys(self, item: Mapping[str, Any], known: set[str], where: str) -> None:
        for key in item:
            if key not in known:
                place = f"{where}.{key}" if where else str(key)
                hint = did_you_mean(str(key), known) or f"known keys: {', '.join(sorted(known))}"
                self.problem(place, "is not a known model key", hint)

    def _list(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            self.problem(key, "must be a non-empty list", f"list the model's {key}")
            return []
        return value

    def _items(self, value: Any, where: str, what: str) -> list[Any]:
        """A nested list (an empty one when absent); anything else is a problem naming the key path."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"must be a list of {what}, not {quoted(value)}", f"write it as a list of {what}")
            return []
        return value

    def _groups(self) -> list[Group]:
        groups: list[Group] = []
        for index, item in enumerate(self._list("groups")):
            where = f"groups[{index + 1}]"
            if not isinstance(item, dict) or not self._key_ok(item.get("key"), where):
                continue
            self._unknown_keys(item, {"key", "label"}, where)
            if any(group.key == item["key"] for group in groups):
                self.problem(where, f"group '{item['key']}' is listed twice", "keep one")
                continue
            groups.append(Group(item["key"], str(item.get("label") or item["key"])))
        return groups

    def _key_ok(self, key: Any, where: str) -> bool:
        if isinstance(key, str) and KEY_PATTERN.match(key):
            return True
        self.problem(where, f"key {quoted(key)} is not a valid name", "use lower case letters, digits and _")
        return False

    def _factors(self, group_keys: list[str]) -> list[Factor]:
        factors: list[Factor] = []
        known = {"key", "label", "group", "range", "levels", "description", "suggest"}
        for index, item in enumerate(self._list("factors")):
            where = f"factors[{index + 1}]"
            if not isinstance(item, dict) or not self._key_ok(item.get("key"), where):
                continue
            where = f"factors.{item['key']}"
            self._unknown_keys(item, known, where)
            factor = self._factor(item, where, group_keys)
            if factor is None:
                continue
            if any(other.key == factor.key for other in factors):
                self.problem(where, f"factor '{factor.key}' is listed twice", "keep one")
                continue
            factors.append(factor)
        return factors

    def _factor(self, item: dict[str, Any], where: str, group_keys: list[str]) -> Factor | None:
        group = item.get("group")
        if group not in group_keys:
            hint = did_you_mean(shown(group), group_keys) or f"use one of {', '.join(group_keys)}"
            self.problem(f"{where}.group", f"group {quoted(group)} is not defined", hint)
            return None
        span = item.get("range")
        if not (
            isinstance(span, list)
            and len(span) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in span)
            and 0 <= span[0] <= span[1] <= MAX_FACTOR_VALUE
        ):
            self.problem(
                f"{where}.range",
                f"{shown(span)} is not a whole-number range within 0-{MAX_FACTOR_VALUE}",
                f"write it as [low, high], e.g. [0, 3], with 0 <= low <= high <= {MAX_FACTOR_VALUE}",
            )
            return None
        low, high = span
        levels = self._levels(item.get("levels") or {}, f"{where}.levels", low, high)
        suggest = self._suggestion(item.get("suggest"), f"{where}.suggest", low, high)
        return Factor(
            key=item["key"],
            label=str(item.get("label") or item["key"]),
            group=group,
            low=low,
            high=high,
            levels=levels,
            description=" ".join(str(item.get("description") or "").split()),
            suggest=suggest,
        )

    def _levels(self, levels: Any, where: str, low: int, high: int) -> dict[int, str]:
        if not isinstance(levels, dict):
            self.problem(where, "must map each value to a label", "write e.g. {0: None, 1: Low}")
            return {}
        out: dict[int, str] = {}
        for value, text in levels.items():
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                self.problem(where, f"level {quoted(value)} is outside {low}-{high}", "label only allowed values")
                continue
            out[value] = str(text)
        return out

    def _bound(self, item: dict[str, Any], where: str) -> Bound | None:
        below, at_most = item.get("below"), item.get("at_most")
        for name, value in (("below", below), ("at_most", at_most)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
            ):
                self.problem(f"{where}.{name}", f"{quoted(value)} is not a number", "give a number")
                return None
        if below is not None and at_most is not None:
            self.problem(where, "has both below and at_most", "keep one")
            return None
        return Bound(below=below, at_most=at_most)

    def _bands_ordered(self, bounds: list[Bound], where: str) -> None:
        edges = [b.below if b.below is not None else b.at_most for b in bounds]
        if not bounds or edges[-1] is not None:
            self.problem(where, "the last band must be open (no below or at_most)", "remove its bound")
        closed = [edge for edge in edges[:-1]]
        if any(edge is None for edge in closed):
            self.problem(where, "only the last band may be open", "give every other band a bound")
        elif closed != sorted(closed):  # type: ignore[type-var]
            self.problem(where, "bands must be listed from lowest to highest", "reorder them")

    def _suggestion(self, item: Any, where: str, low: int, high: int) -> Suggestion | None:
        if item is None:
            return None
        if not isinstance(item, dict) or item.get("from") not in SUGGESTION_SOURCES:
            self.problem(
                f"{where}.from",
                "must name the figure to suggest from",
                "use rate_per_1000 or change_pct",
            )
            return None
        self._unknown_keys(item, {"from", "bands"}, where)
        bands: list[SuggestionBand] = []
        for index, band in enumerate(self._items(item.get("bands"), f"{where}.bands", "bands")):
            place = f"{where}.bands[{index + 1}]"
            bound = self._bound(band, place) if isinstance(band, dict) else None
            value = band.get("value") if isinstance(band, dict) else None
            if bound is None or isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                self.problem(
                    place,
                    f"value {quoted(value)} is not in {low}-{high}",
                    "give each band a value in range",
                )
                continue
            bands.append(SuggestionBand(bound, value))
        self._bands_ordered([band.bound for band in bands], f"{where}.bands")
        return Suggestion(item["from"], tuple(bands)) if bands else None

    def _score(self, group_keys: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        score = self.data.get("score")
        if not isinstance(score, dict):
            self.problem("score", "is required", "give `product:` and `plus:` lists of groups")
            return (), ()
        self._unknown_keys(score, {"product", "plus"}, "score")
        parts: dict[str, tuple[str, ...]] = {}
        for part in ("product", "plus"):
            names = [
                name if isinstance(name, str) else shown(name)
                for name in self._items(score.get(part), f"score.{part}", "groups")
            ]
            for name in names:
                if name not in group_keys:
                    hint = did_you_mean(str(name), group_keys) or f"use one of {', '.join(group_keys)}"
                    self.problem(f"score.{part}", f"group {quoted(name)} is not defined", hint)
            parts[part] = tuple(name for name in names if name in group_keys)
        used = set(parts["product"]) | set(parts["plus"])
        for key in group_keys:
            if key not in used:
                self.problem("score", f"group '{key}' is not used in the score", "add it to product or plus")
        return parts["product"], parts["plus"]

    def _display_columns(self, group_keys: list[str]) -> tuple[DisplayColumn, ...]:
        columns: list[DisplayColumn] = []
        for index, item in enumerate(self._list("display_columns")):
            where = f"display_columns[{index + 1}]"
            if not isinstance(item, dict):
                self.problem(where, "must be a mapping", "give label, groups and bands")
                continue
            self._unknown_keys(item, {"label", "groups", "bands"}, where)
            given = self._items(item.get("groups"), f"{where}.groups", "groups")
            groups = tuple(g if isinstance(g, str) else shown(g) for g in given)
            missing = [g for g in groups if g not in group_keys]
            if not groups or missing:
                self.problem(f"{where}.groups", f"unknown or no groups {missing}", "name defined groups")
                continue
            bands = self._display_bands(self._items(item.get("bands"), f"{where}.bands", "bands"), f"{where}.bands")
            columns.append(DisplayColumn(str(item.get("label") or "/".join(groups)), groups, bands))
        return tuple(columns)

    def _display_bands(self, items: list[Any], where: str) -> tuple[DisplayBand, ...]:
        bands: list[DisplayBand] = []
        for index, item in enumerate(items):
            place = f"{where}[{index + 1}]"
            bound = self._bound(item, place) if isinstance(item, dict) else None
            if bound is None or not isinstance(item.get("name"), str) or not item["name"].strip():
                self.problem(place, "needs a name and a bound", "write e.g. {at_most: 4, name: Low}")
                continue
            colour = str(item.get("colour") or DEFAULT_BAND_COLOURS[min(index, 3)])
            if not COLOUR_PATTERN.match(colour):
                self.problem(f"{place}.colour", f"{quoted(colour)} is not a colour", "write it as #RRGGBB")
            bands.append(DisplayBand(bound, item["name"], colour))
        self._bands_ordered([band.bound for band in bands], where)
        return tuple(bands)

    def _ratings(self) -> tuple[Rating, ...]:
        ratings: list[Rating] = []
        for index, item in enumerate(self._list("ratings")):
            where = f"ratings[{index + 1}]"
            rating = self._rating(item, where)
            if rating is None:
                continue
            same = next((other for other in ratings if other.name.casefold() == rating.name.casefold()), None)
            if same is not None:
                self.problem(
                    f"{where}.name", f"rating '{rating.name}' is listed twice", "give each rating its own name"
                )
                continue
            ratings.append(rating)
        minimums = [rating.min_score for rating in ratings]
        if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums):
            self.problem("ratings", "must be listed from highest to lowest min_score", "reorder them")
        return tuple(ratings)

    def _rating(self, item: Any, where: str) -> Rating | None:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARACTERS:
            self.problem(where, "needs a name", "write {name: High, min_score: 30, colour: '#C0504D'}")
            return None
        self._unknown_keys(item, {"name", "min_score", "colour"}, where)
        minimum = item.get("min_score")
        colour = str(item.get("colour") or "")
        if isinstance(minimum, bool) or not isinstance(minimum, int | float) or not math.isfinite(minimum):
            self.problem(f"{where}.min_score", f"{quoted(minimum)} is not a number", "give the lowest score")
            return None
        if not COLOUR_PATTERN.match(colour):
            self.problem(f"{where}.colour", f"{quoted(colour)} is not a colour", "write it as #RRGGBB")
        return Rating(name.strip(), float(minimum), colour)


def check_ratings_cover(model: Model) -> None:
    """Raise InputError when some reachable score has no rating (the lowest threshold is too high)."""
    low, _ = model.score_range()
    if model.ratings and model.ratings[-1].min_score > low:
        raise InputError(
            [
                Problem(
                    model.path.name,
                    f"a score of {_number(low)} has no rating",
                    f"set the last rating's min_score to {_number(low)} or less",
                    cell="ratings",
                )
            ]
        )


def _number(value: float) -> str:
    return f"{value:g}"
