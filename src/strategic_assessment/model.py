"""Scoring models: ``models/*.yaml`` read into typed, checked objects (README, "Scoring models").

A model is data. It names its factors (range, level labels, optional data
suggestion bands), the groups they sum into, how groups combine into a score
(``product`` groups multiplied, ``plus`` groups added), the display columns of
the theme tables with their bands, and the rating thresholds. Nothing here is
evaluated as code.

Each record is declared once, as a frozen dataclass checked through
``schema.validated`` (pydantic, unknown keys refused), as the settings are.
Every other part of a model names its groups, so the groups it defines are
worked out first and handed to the rules as the validation ``context``; what
depends on another field (levels and suggested values within a factor's range,
bands in order, ratings unique and in order, every group scored) is a record's
``rules``. Importing this module does not import pydantic. On this project's
2-core machine, once the settings are read, building the Model validator takes
about 6 ms and checking a shipped model about 0.4 ms; parsing its YAML takes
about 11 ms.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeGuard

from .errors import InputError, Problem, ProblemLog, did_you_mean, quoted, shown
from .limits import MAX_FACTOR_VALUE, MAX_NAME_CHARACTERS
from .resources import SHIPPED_MODELS
from .schema import Check, Flaw, Invalid, Loose, Record, Records, is_number, key_path, validated
from .yamlfile import load_yaml_mapping

SUGGESTION_SOURCES = {"rate_per_1000": "rate per 1,000", "change_pct": "% change"}
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
COLOUR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
DEFAULT_BAND_COLOURS = ("#D9EAD3", "#FFF2CC", "#F4CCCC", "#EA9999")
LISTS = ("groups", "factors", "display_columns", "ratings")
"""The parts of a model that must each list at least one item."""
MISSING_FIXES = {"score": "give `product:` and `plus:` lists of groups"}
NEEDS_A_NAME = Flaw((), "needs a name", "write {name: High, min_score: 30, colour: '#C0504D'}")
NEEDS_A_BOUND = Flaw((), "needs a name and a bound", "write e.g. {at_most: 4, name: Low}")
UNUSABLE_SUGGESTION = Flaw(("from",), "must name the figure to suggest from", "use rate_per_1000 or change_pct")


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _finite(value: Any) -> bool:
    return is_number(value) and math.isfinite(value)


def _is_key(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and KEY_PATTERN.match(value) is not None


def _key_flaws(data: Mapping[str, Any]) -> list[Flaw]:
    key = data.get("key")
    return (
        []
        if _is_key(key)
        else [Flaw((), f"key {quoted(key)} is not a valid name", "use lower case letters, digits and _")]
    )


def _named(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _names(value: Any) -> list[str]:
    """The group names a list gives (anything not text as it is shown); none when it is not a list."""
    return [name if isinstance(name, str) else shown(name) for name in value] if isinstance(value, list) else []


def _not_a_list(value: Any, what: str, loc: tuple[str | int, ...] = ()) -> list[Flaw]:
    """A problem for a value given that is not a list of ``what``."""
    if value is None or isinstance(value, list):
        return []
    return [Flaw(loc, f"must be a list of {what}, not {quoted(value)}", f"write it as a list of {what}")]


def _list_of(what: str) -> Callable[[Any], None]:
    def listed(value: Any) -> None:
        if flaws := _not_a_list(value, what):
            raise Invalid(*flaws)

    return listed


def _non_empty(what: str) -> Callable[[Any], None]:
    def listed(value: Any) -> None:
        if not isinstance(value, list) or not value:
            raise Invalid(Flaw((), "must be a non-empty list", f"list the model's {what}"))

    return listed


def _undefined(name: Any, groups: Sequence[str]) -> tuple[str, str]:
    """What is wrong with a group name the model does not define, and the fix."""
    hint = did_you_mean(shown(name), groups) or f"use one of {', '.join(groups)}"
    return f"group {quoted(name)} is not defined", hint


def _text(value: Any) -> str:
    return str(value or "")


def _words(value: Any) -> str:
    return " ".join(str(value or "").split())


def _group_names(value: Any) -> tuple[str, ...]:
    return tuple(_names(value))


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Finite(Check):
    """A finite number; ``fix`` says what to give."""

    fix: str

    def check(self, value: Any) -> float:
        if not _finite(value):
            raise Invalid(Flaw((), f"{quoted(value)} is not a number", self.fix))
        return float(value)


@dataclass(frozen=True)
class Colour(Check):
    """A colour ``#RRGGBB``."""

    def check(self, value: Any) -> str:
        colour = str(value or "")
        if not COLOUR_PATTERN.match(colour):
            raise Invalid(Flaw((), f"{quoted(colour)} is not a colour", "write it as #RRGGBB"))
        return colour


class ModelRecord(Record):
    """A part of a model file."""

    unknown: ClassVar[tuple[str, str]] = ("is not a known model key", "known keys: {keys}")

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Only a key given no value is left out: an empty text is a value, for its check to name."""
        return {key: value for key, value in data.items() if value is not None}


def _edge(value: Any) -> float | None:
    return value if _finite(value) else None


def _bound_flaws(data: Mapping[str, Any]) -> list[Flaw]:
    """The problem with a band's bound: an edge that is not a number, or both edges given."""
    for name in ("below", "at_most"):
        value = data.get(name)
        if value is not None and not _finite(value):
            return [Flaw((name,), f"{quoted(value)} is not a number", "give a number")]
    if data.get("below") is not None and data.get("at_most") is not None:
        return [Flaw((), "has both below and at_most", "keep one")]
    return []


def _order_flaws(bands: Sequence[Mapping[str, Any]], loc: tuple[str, ...]) -> list[Flaw]:
    """Problems with the order of bands: each but the last bounded, edges rising, the last open."""
    edges = [band.get("below") if band.get("below") is not None else band.get("at_most") for band in bands]
    flaws = []
    if not edges or edges[-1] is not None:
        flaws.append(Flaw(loc, "the last band must be open (no below or at_most)", "remove its bound"))
    closed = [edge for edge in edges[:-1] if edge is not None]
    if len(closed) < len(edges) - 1:
        flaws.append(Flaw(loc, "only the last band may be open", "give every other band a bound"))
    elif closed != sorted(closed):
        flaws.append(Flaw(loc, "bands must be listed from lowest to highest", "reorder them"))
    return flaws


@dataclass(frozen=True)
class Bound(ModelRecord):
    """The upper edge of a band: ``below`` is exclusive, ``at_most`` inclusive, neither is open."""

    below: Annotated[float | None, Loose(_edge)] = None
    at_most: Annotated[float | None, Loose(_edge)] = None

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        return _bound_flaws(data)

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


@dataclass(frozen=True, kw_only=True)
class SuggestionBand(Bound):
    """A band of a suggestion: the value suggested for a figure within its bound.

    The value is checked by the factor's rules, against the factor's range.
    """

    value: Annotated[int, Loose(_same)]

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {**super().prepared(data), "value": data.get("value")}


@dataclass(frozen=True)
class Suggestion(ModelRecord):
    """How a factor's value is suggested from a data row's figure (``from``: the figure)."""

    source: str
    bands: Annotated[tuple[SuggestionBand, ...], Records(_list_of("bands"), skip=True)] = ()
    not_a_mapping: ClassVar[Flaw | None] = UNUSABLE_SUGGESTION

    @classmethod
    def keys(cls, data: Mapping[str, Any]) -> set[str]:
        return {"from", "bands"}

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        given = super().prepared(data)
        return {"source": given.pop("from"), **given}

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        if not _usable_suggestion(data):
            raise Invalid(UNUSABLE_SUGGESTION)
        return []

    def value_for(self, figure: float) -> int:
        """The suggested value for a figure (already rounded as the data shows it)."""
        return next(band.value for band in self.bands if band.admits(figure))

    def describe(self) -> str:
        parts = [f"{band.describe()} gives {band.value}" for band in self.bands]
        return f"from the {SUGGESTION_SOURCES[self.source]}: " + ", ".join(parts)


def _usable_suggestion(data: Any) -> bool:
    return isinstance(data, dict) and data.get("from") in tuple(SUGGESTION_SOURCES)


def _valid_range(span: Any) -> bool:
    return (
        isinstance(span, list)
        and len(span) == 2
        and all(_whole(value) for value in span)
        and 0 <= span[0] <= span[1] <= MAX_FACTOR_VALUE
    )


def _factor_refused(data: Mapping[str, Any], groups: Sequence[str]) -> list[Flaw]:
    """Why a factor cannot be read at all (no valid key, an undefined group, no valid range), if it cannot."""
    if flaws := _key_flaws(data):
        return flaws
    if data.get("group") not in groups:
        return [Flaw(("group",), *_undefined(data.get("group"), groups))]
    if not _valid_range(data.get("range")):
        return [
            Flaw(
                ("range",),
                f"{shown(data.get('range'))} is not a whole-number range within 0-{MAX_FACTOR_VALUE}",
                f"write it as [low, high], e.g. [0, 3], with 0 <= low <= high <= {MAX_FACTOR_VALUE}",
            )
        ]
    return []


def _level_flaws(levels: Any, low: int, high: int) -> list[Flaw]:
    if not isinstance(levels, dict):
        return [Flaw(("levels",), "must map each value to a label", "write e.g. {0: None, 1: Low}")]
    return [
        Flaw(("levels",), f"level {quoted(value)} is outside {low}-{high}", "label only allowed values")
        for value in levels
        if not (_whole(value) and low <= value <= high)
    ]


def _suggested_flaws(suggest: Any, low: int, high: int) -> list[Flaw]:
    """Problems with a suggestion's bands that need the factor's range: each value within it, bands in order."""
    if not _usable_suggestion(suggest):
        return []  # the suggestion says what is wrong with it
    bands = suggest["bands"] if isinstance(suggest.get("bands"), list) else []
    flaws, usable = [], []
    for index, band in enumerate(bands):
        value = band.get("value") if isinstance(band, dict) else None
        if isinstance(band, dict) and not _bound_flaws(band) and _whole(value) and low <= value <= high:
            usable.append(band)
        else:
            problem = f"value {quoted(value)} is not in {low}-{high}"
            flaws.append(Flaw(("suggest", "bands", index), problem, "give each band a value in range"))
    return flaws + _order_flaws(usable, ("suggest", "bands"))


def _levels(value: Any) -> dict[int, str]:
    return {level: str(text) for level, text in value.items()} if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Factor(ModelRecord):
    """A factor scored for each threat: a whole number from ``low`` to ``high`` (``range`` in the file)."""

    key: str
    label: str
    group: str
    low: int
    high: int
    levels: Annotated[Mapping[int, str], Loose(_levels)]
    description: Annotated[str, Loose(_words)] = ""
    suggest: Suggestion | None = None
    derived: ClassVar[frozenset[str]] = frozenset({"low", "high"})

    @classmethod
    def keys(cls, data: Mapping[str, Any]) -> set[str]:
        return super().keys(data) | {"range"}

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        low, high = data["range"]
        given = super().prepared({key: value for key, value in data.items() if key != "range"})
        return {"levels": {}, **given, "label": str(data.get("label") or data["key"]), "low": low, "high": high}

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        if flaws := _factor_refused(data, context["groups"]):
            raise Invalid(*flaws)
        low, high = data["range"]
        return _level_flaws(data.get("levels") or {}, low, high) + _suggested_flaws(data.get("suggest"), low, high)

    @property
    def allowed(self) -> range:
        return range(self.low, self.high + 1)

    def level_label(self, value: int) -> str:
        return self.levels.get(value, "")


@dataclass(frozen=True)
class Group(ModelRecord):
    key: str
    label: str

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {**super().prepared(data), "label": str(data.get("label") or data["key"])}

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        if flaws := _key_flaws(data):
            raise Invalid(*flaws)
        return []


def defined_groups(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys of the groups a model's data defines: valid names, each once, in order."""
    firsts, _ = _firsts(data.get("groups"), lambda item: _is_key(item.get("key")), _key)
    return tuple(_key(item) for item in firsts)


@dataclass(frozen=True)
class Score(ModelRecord):
    """How groups combine into the score: ``product`` groups multiplied, ``plus`` groups added."""

    product: Annotated[tuple[str, ...], Loose(_group_names)] = ()
    plus: Annotated[tuple[str, ...], Loose(_group_names)] = ()

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        groups = context["groups"]
        flaws, used = [], set()
        for part in ("product", "plus"):
            flaws.extend(_not_a_list(data.get(part), "groups", (part,)))
            for name in _names(data.get(part)):
                if name in groups:
                    used.add(name)
                else:
                    flaws.append(Flaw((part,), *_undefined(name, groups)))
        unused = [key for key in groups if key not in used]
        return flaws + [
            Flaw((), f"group '{key}' is not used in the score", "add it to product or plus") for key in unused
        ]


@dataclass(frozen=True, kw_only=True)
class DisplayBand(Bound):
    name: str
    colour: Annotated[str, Colour()]
    not_a_mapping: ClassVar[Flaw | None] = NEEDS_A_BOUND

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        flaws = _bound_flaws(data)
        if flaws or not _named(data.get("name")):
            raise Invalid(*flaws, NEEDS_A_BOUND)
        return []


def _coloured(bands: Any) -> Any:
    """Display bands with the colour for each place filled in where none is given."""
    if not isinstance(bands, list):
        return bands
    return [
        {**band, "colour": band.get("colour") or DEFAULT_BAND_COLOURS[min(index, 3)]}
        if isinstance(band, dict)
        else band
        for index, band in enumerate(bands)
    ]


@dataclass(frozen=True)
class DisplayColumn(ModelRecord):
    """A column of the theme tables: the sum of one or more groups, banded."""

    label: str
    groups: tuple[str, ...]
    bands: Annotated[tuple[DisplayBand, ...], Records(_list_of("bands"))] = ()
    not_a_mapping: ClassVar[Flaw | None] = Flaw((), "must be a mapping", "give label, groups and bands")

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        """The label is the groups' keys unless given; a band given no colour takes the one for its place."""
        groups = data["groups"]
        given = super().prepared(data) | ({"bands": _coloured(data["bands"])} if data.get("bands") is not None else {})
        return {**given, "label": str(data.get("label") or "/".join(groups)), "groups": tuple(groups)}

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        names = _names(data.get("groups"))
        missing = [name for name in names if name not in context["groups"]]
        if not names or missing:
            not_listed = _not_a_list(data.get("groups"), "groups", ("groups",))
            raise Invalid(*not_listed, Flaw(("groups",), f"unknown or no groups {missing}", "name defined groups"))
        bands = data["bands"] if isinstance(data.get("bands"), list) else []
        usable = [
            band for band in bands if isinstance(band, dict) and not _bound_flaws(band) and _named(band.get("name"))
        ]
        return _order_flaws(usable, ("bands",))

    def band_for(self, value: float) -> DisplayBand:
        return next(band for band in self.bands if band.admits(value))


def _rating_named(value: Any) -> bool:
    return _named(value) and len(value) <= MAX_NAME_CHARACTERS


@dataclass(frozen=True)
class Rating(ModelRecord):
    name: str
    min_score: Annotated[float, Finite("give the lowest score")]
    colour: Annotated[str, Colour()]
    not_a_mapping: ClassVar[Flaw | None] = NEEDS_A_NAME

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        """The name trimmed; a minimum or colour given no value is read as it is, for its check to name."""
        return {"min_score": data.get("min_score"), "colour": data.get("colour"), "name": data["name"].strip()}

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        if not _rating_named(data.get("name")):
            raise Invalid(NEEDS_A_NAME)
        return []


Item = dict[str, Any]


def _firsts(items: Any, usable: Callable[[Item], bool], name: Callable[[Item], str]) -> tuple[list[Item], list[Any]]:
    """The items of a list that can be read, first of each name, and the (place, item) of each repeated name."""
    firsts: list[Item] = []
    repeats: list[tuple[int, Item]] = []
    seen: set[str] = set()
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not (isinstance(item, dict) and usable(item)):
            continue
        if name(item) in seen:
            repeats.append((index, item))
        else:
            firsts.append(item)
            seen.add(name(item))
    return firsts, repeats


def _key(item: Item) -> str:
    return str(item["key"])


def _groups_twice(items: Any) -> list[Flaw]:
    _, repeats = _firsts(items, lambda item: _is_key(item.get("key")), _key)
    return [Flaw(("groups", index), f"group '{item['key']}' is listed twice", "keep one") for index, item in repeats]


def _factor_flaws(items: Any, groups: Sequence[str]) -> list[Flaw]:
    """Factors listed twice, and groups with no factor (among the factors that can be read)."""
    firsts, repeats = _firsts(items, lambda item: not _factor_refused(item, groups), _key)
    flaws = [Flaw(("factors", index), f"factor '{item['key']}' is listed twice", "keep one") for index, item in repeats]
    covered = {item["group"] for item in firsts}
    fix = "give it a factor or remove it"
    return flaws + [Flaw(("groups",), f"group '{key}' has no factors", fix) for key in groups if key not in covered]


def _rating_flaws(items: Any) -> list[Flaw]:
    """Ratings named twice (case aside), and minimums not falling (among the ratings that can be read)."""
    firsts, repeats = _firsts(
        items,
        lambda item: _rating_named(item.get("name")) and _finite(item.get("min_score")),
        lambda item: str(item["name"]).strip().casefold(),
    )
    fix = "give each rating its own name"
    flaws = [
        Flaw(("ratings", index, "name"), f"rating '{item['name'].strip()}' is listed twice", fix)
        for index, item in repeats
    ]
    minimums = [float(item["min_score"]) for item in firsts]
    if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums):
        flaws.append(Flaw(("ratings",), "must be listed from highest to lowest min_score", "reorder them"))
    return flaws


@dataclass(frozen=True)
class Model(ModelRecord):
    """A checked scoring model."""

    groups: Annotated[tuple[Group, ...], Records(_non_empty("groups"), skip=True)]
    factors: Annotated[tuple[Factor, ...], Records(_non_empty("factors"), skip=True)]
    score: Score
    display_columns: Annotated[tuple[DisplayColumn, ...], Records(_non_empty("display_columns"))]
    ratings: Annotated[tuple[Rating, ...], Records(_non_empty("ratings"))]
    name: Annotated[str, Loose(_text)] = ""
    title: Annotated[str, Loose(_text)] = ""
    summary: Annotated[str, Loose(lambda value: _text(value).strip())] = ""
    path: Path = Path()
    sha256: str = ""
    derived: ClassVar[frozenset[str]] = frozenset({"path", "sha256"})

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        """A list given no value is read as an empty one, and a score that is not a mapping as none, for the checks."""
        given = {key: [] for key in LISTS} | super().prepared(data)
        return {key: value for key, value in given.items() if key != "score" or isinstance(value, dict)}

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        groups = context["groups"]
        return (
            _groups_twice(data.get("groups"))
            + _factor_flaws(data.get("factors"), groups)
            + _rating_flaws(data.get("ratings"))
        )

    @property
    def product(self) -> tuple[str, ...]:
        return self.score.product

    @property
    def plus(self) -> tuple[str, ...]:
        return self.score.plus

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
    context = {"groups": defined_groups(data)}
    model = validated(Model, dict(data), label, log, place=_place(data), missing_fixes=MISSING_FIXES, context=context)
    log.raise_if_any()
    assert isinstance(model, Model)
    model = replace(model, name=model.name or path.stem, title=model.title or path.stem, path=path, sha256=sha256)
    check_ratings_cover(model)
    return model


def _place(data: Mapping[str, Any]) -> Callable[[Sequence[str | int]], str]:
    """Key paths in a model's data: a factor with a valid key is named by it (``factors.trend.range``)."""
    factors = data.get("factors")

    def place(loc: Sequence[str | int]) -> str:
        if len(loc) > 1 and loc[0] == "factors" and isinstance(loc[1], int) and isinstance(factors, list):
            item = factors[loc[1]]
            if isinstance(item, dict) and _is_key(item.get("key")):
                return key_path(("factors", item["key"], *loc[2:]))
        return key_path(loc)

    return place


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
