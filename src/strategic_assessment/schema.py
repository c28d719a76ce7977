"""Checking YAML data against record dataclasses with pydantic, in the project's own words (README, "Inputs").

Settings and models are declared once, as frozen standard-library dataclasses
(``settings.py``, ``model.py``). This module is the one adapter between those
records and pydantic:

- ``Record`` is their base. Through pydantic's ``__get_pydantic_core_schema__``
  hook it tells pydantic (``extra="forbid"``) to check each record's keys, and
  it runs the record's cross-field ``rules`` on the same data, so a rule's
  problem is reported beside the field problems, never instead of them. A rule
  that finds the record not worth checking further (it has no usable key, or
  names a group the model does not define) raises ``Invalid``: its problems and
  the unknown keys are then all that is said of the record. Rules that depend
  on another part of the file (a model's factors name its groups) read it from
  the validation ``context``.
- Field checks that need the project's wording are ``Annotated`` markers
  (``Text``, ``Number``, ``Choice``, ...), each a small validator; ``Records``
  marks a list of records, wording a value that is not a list and, where the
  file may hold other items, passing over those that are not mappings.
- ``validated`` runs ``pydantic.TypeAdapter`` and turns every error into a
  ``Problem``: ``file › key path: what is wrong; how to fix it``, with "did you
  mean" for an unknown key and values quoted through ``errors.quoted`` (80
  characters at most).

pydantic is imported only inside ``validated`` and the hooks it calls, so
importing a record module never imports it. Reading settings pays for it: on
this project's 2-core machine, importing pydantic took about 0.09 s and building
the Settings validator about 0.05 s; checking the example's settings after that
takes about 2 ms.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from functools import cache
from typing import Any, ClassVar

from .errors import Problem, ProblemLog, did_you_mean, quoted

KEY = "{key}"
"""Stands for the key's own name in a fix (``correct `{key}```)."""


@dataclass(frozen=True)
class Flaw:
    """A problem a rule or a field check found, at ``loc`` below the record checked."""

    loc: tuple[str | int, ...]
    problem: str
    fix: str = ""


class Invalid(Exception):
    """Raised by a field check: one or more flaws below the field."""

    def __init__(self, *flaws: Flaw) -> None:
        super().__init__(flaws)
        self.flaws = flaws


class Record:
    """The base of a record read from YAML: unknown keys are refused, absent and blank values take defaults."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}
    derived: ClassVar[frozenset[str]] = frozenset()
    """Fields the reader fills in (a resolved path, a place name), never given in the file."""
    unknown: ClassVar[tuple[str, str]] = ("is not a known setting", "remove it; known keys here: {keys}")
    """What is wrong with an unknown key, and the fix when no known key is near it (``{keys}`` lists them)."""
    not_a_mapping: ClassVar[Flaw | None] = None
    """The problem of a value that is not a mapping, when pydantic's ``should be a mapping`` would not say it."""

    @classmethod
    def keys(cls, data: Mapping[str, Any]) -> set[str]:
        """The keys this record may have in the file."""
        return {item.name for item in fields(cls)} - cls.derived  # type: ignore[arg-type]

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        """The data as the dataclass takes it: a key given no value (or an empty text) is left out."""
        return {key: value for key, value in data.items() if value is not None and value != ""}

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        """Cross-field rules, on the data as given (each rule checks only values it can read).

        Raising Invalid instead says the rest of the record is not worth checking: the
        field checks are not run. ``context`` is what ``validated`` was given.
        """
        return []

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.with_info_wrap_validator_function(_record_validator(cls), handler(source))


def _record_validator(cls: type[Record]) -> Callable[[Any, Callable[[Any], Any], Any], Any]:
    def validate(value: Any, handler: Callable[[Any], Any], info: Any) -> Any:
        from pydantic_core import ValidationError

        if not isinstance(value, dict):
            if cls.not_a_mapping is None:
                return handler(value)
            raise _error(cls.__name__, [], [cls.not_a_mapping])
        known = cls.keys(value)
        flaws = [_unknown(cls, str(key), known) for key in value if str(key) not in known]
        try:
            flaws.extend(cls.rules(value, info.context or {}))
        except Invalid as invalid:
            raise _error(cls.__name__, [], [*flaws, *invalid.flaws]) from None
        data = cls.prepared({key: item for key, item in value.items() if str(key) in known})
        try:
            result = handler(data)
        except ValidationError as error:
            raise _error(cls.__name__, _details(error), flaws) from None
        if flaws:
            raise _error(cls.__name__, [], flaws)
        return result

    return validate


def _unknown(cls: type[Record], key: str, known: Iterable[str]) -> Flaw:
    known = sorted(known)
    problem, fix = cls.unknown
    return Flaw((key,), problem, did_you_mean(key, known) or fix.format(keys=", ".join(known)))


def _details(error: Any) -> list[Any]:
    from pydantic_core import PydanticCustomError

    details = []
    for item in error.errors():
        kind = item["type"]
        if kind == "problem":
            kind = PydanticCustomError("problem", "{problem}", item["ctx"])
        details.append(
            {
                "type": kind,
                "loc": item["loc"],
                "input": item["input"],
                **({"ctx": item["ctx"]} if "ctx" in item and kind != "problem" else {}),
            }
        )
    return details


def _flaw_details(flaws: Iterable[Flaw]) -> list[Any]:
    from pydantic_core import PydanticCustomError

    return [
        {
            "type": PydanticCustomError("problem", "{problem}", {"problem": f.problem, "fix": f.fix}),
            "loc": f.loc,
            "input": None,
        }
        for f in flaws
    ]


def _error(title: str, details: list[Any], flaws: Iterable[Flaw]) -> Any:
    from pydantic_core import ValidationError

    return ValidationError.from_exception_data(title, [*details, *_flaw_details(flaws)])


class Check:
    """An ``Annotated`` marker whose ``check`` turns a YAML value into the field's value or raises Invalid."""

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(self._validate)

    def _validate(self, value: Any) -> Any:
        try:
            return self.check(value)
        except Invalid as invalid:
            raise _error(type(self).__name__, [], invalid.flaws) from None


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def as_text(value: Any) -> str | None:
    """A YAML value read as text (numbers and dates too, as written), trimmed; None when it is not text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float | dt.date) and not isinstance(value, bool):
        return str(value).strip()
    return None


@dataclass(frozen=True)
class Text(Check):
    """Text, trimmed; ``limit`` (when given) is the most characters it may have."""

    limit: int = 0

    def check(self, value: Any) -> str:
        text = as_text(value)
        if text is None:
            raise Invalid(Flaw((), f"should be text, not {quoted(value)}", f"correct `{KEY}`"))
        if self.limit and len(text) > self.limit:
            raise Invalid(
                Flaw((), f"is {len(text):,} characters long (at most {self.limit}): {quoted(text)}", "shorten it")
            )
        return text


@dataclass(frozen=True)
class Lines(Check):
    """A list of lines of text."""

    def check(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise Invalid(Flaw((), f"should be a list, not {quoted(value)}", f"correct `{KEY}`"))
        flaws = [
            Flaw((index,), f"should be a line of text, not {quoted(item)}", "write it as text")
            for index, item in enumerate(value)
            if not (isinstance(item, str | int | float) and not isinstance(item, bool) and str(item).strip())
        ]
        if flaws:
            raise Invalid(*flaws)
        return tuple(str(item).strip() for item in value)


@dataclass(frozen=True)
class Number(Check):
    """A number from ``low`` to ``high`` (inclusive); ``whole`` for a whole number."""

    low: float
    high: float
    whole: bool = False

    def check(self, value: Any) -> float:
        if not is_number(value) or (self.whole and not isinstance(value, int)):
            kind = "a whole number" if self.whole else "a number"
            raise Invalid(Flaw((), f"should be {kind}, not {quoted(value)}", f"correct `{KEY}`"))
        if not math.isfinite(value):
            raise Invalid(Flaw((), f"should be a number, not {quoted(value)}", f"give `{KEY}` a number"))
        if not self.low <= value <= self.high:
            span = f"{self.low:g} to {self.high:,g}"
            raise Invalid(Flaw((), f"{quoted(value)} is outside {span}", f"give a number from {span}"))
        return value if self.whole else float(value)


@dataclass(frozen=True)
class Flag(Check):
    """True or false."""

    def check(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise Invalid(Flaw((), f"should be true or false, not {quoted(value)}", f"correct `{KEY}`"))
        return value


@dataclass(frozen=True)
class Choice(Check):
    """One of a few words; ``known`` names them in the problem (``a known aim``), ``hint`` adds "did you mean"."""

    choices: tuple[str, ...]
    known: str
    hint: bool = True

    def check(self, value: Any) -> str:
        text = Text().check(value)
        if text in self.choices:
            return text
        listed = ", ".join(self.choices[:-1]) + f" or {self.choices[-1]}"
        hint = did_you_mean(text, self.choices) if self.hint else ""
        raise Invalid(Flaw((), f"{quoted(text)} is not {self.known}", f"{hint + ' ' if hint else ''}use {listed}"))


@dataclass(frozen=True)
class Loose(Check):
    """A value taken as ``convert`` reads it, any problem being left to the record's rules."""

    convert: Callable[[Any], Any]

    def check(self, value: Any) -> Any:
        return self.convert(value)


@dataclass(frozen=True)
class Records:
    """An ``Annotated`` marker for a list of records.

    ``listed`` raises Invalid when the value is not a list the file may give. With
    ``skip``, items that are not mappings are passed over (their problem, if they
    have one, is a rule's to name), and the problems of the others keep their
    places in the list as written.
    """

    listed: Callable[[Any], None]
    skip: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_wrap_validator_function(self._validate, handler(source))

    def _validate(self, value: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import ValidationError

        try:
            self.listed(value)
        except Invalid as invalid:
            raise _error(type(self).__name__, [], invalid.flaws) from None
        places = [index for index, item in enumerate(value) if isinstance(item, dict) or not self.skip]
        try:
            return handler([value[index] for index in places])
        except ValidationError as error:
            details = [{**item, "loc": (places[item["loc"][0]], *item["loc"][1:])} for item in _details(error)]
            raise _error(type(self).__name__, details, []) from None


def validated(
    kind: Any,
    data: Any,
    label: str,
    log: ProblemLog,
    *,
    place: Callable[[Sequence[str | int]], str],
    missing_fixes: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
) -> Any:
    """``data`` checked as ``kind``, or None with every problem in ``log`` (``place`` writes a key path).

    ``context`` is handed to every record's ``rules``.
    """
    from pydantic import ValidationError

    try:
        return _adapter(kind).validate_python(data, context=context)
    except ValidationError as error:
        for item in error.errors():
            log.add(_problem(item, label, place, missing_fixes or {}))
        return None


@cache
def _adapter(kind: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(kind)


def _problem(
    item: Mapping[str, Any], label: str, place: Callable[[Sequence[str | int]], str], fixes: Mapping[str, str]
) -> Problem:
    loc = tuple(item["loc"])
    key = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    kind = item["type"]
    if kind == "problem":
        problem, fix = item["ctx"]["problem"], item["ctx"].get("fix", "")
    elif kind == "missing":
        problem, fix = "is required", fixes.get(key, f"add `{key}:` to {label}")
    elif kind in ("dataclass_type", "model_type"):
        problem, fix = _not_a_mapping(item, loc)
    elif kind in ("tuple_type", "list_type"):
        problem, fix = f"should be a list, not {quoted(item['input'])}", f"correct `{key}`"
    else:  # a pydantic check with no wording of ours: its own words
        problem, fix = f"{item['msg']}, not {quoted(item['input'])}", "see the README"
    return Problem(label, problem, fix.replace(KEY, key), cell=place(loc))


def _not_a_mapping(item: Mapping[str, Any], loc: tuple[Any, ...]) -> tuple[str, str]:
    if loc and isinstance(loc[-1], int):
        return "should be a mapping of keys", "see the README"
    return f"should be a mapping, not {quoted(item['input'])}", f"correct `{loc[-1] if loc else ''}`"


def key_path(loc: Sequence[str | int]) -> str:
    """A key path as problems name it: ``plan_on_a_page.thematic_groups[1].name``."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def has_default(cls: type, name: str) -> bool:
    item = next(item for item in fields(cls) if item.name == name)
    return item.default is not MISSING or item.default_factory is not MISSING
