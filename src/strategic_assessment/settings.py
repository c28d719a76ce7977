"""``assessment.yaml`` read into frozen, typed settings (README, "Inputs").

Each record is declared once, as a frozen dataclass whose fields carry their
checks as ``Annotated`` markers; ``schema.validated`` checks the YAML against
it with pydantic and words every problem as ``file › key path: problem; fix``.
An unknown key (a typo) is a problem that names the key and suggests the
closest known one, so nothing is silently ignored. Rules across fields (the
period end within the year, targets per frequency, indicator names unique)
are each record's ``rules``. Paths are resolved once, here, relative to the
inputs folder. Importing this module does not import pydantic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Annotated, Any, ClassVar, get_type_hints

from .errors import Problem, ProblemLog, did_you_mean, quoted
from .limits import (
    MAX_CORE_PROPERTY_CHARACTERS,
    MAX_FAMILY_SIZE,
    MAX_NAME_CHARACTERS,
    MAX_POPULATION,
    MAX_RATE_PER_1000,
)
from .names import fold
from .schema import (
    Check,
    Choice,
    Flag,
    Flaw,
    Invalid,
    Lines,
    Loose,
    Number,
    Record,
    Text,
    as_text,
    has_default,
    is_number,
    validated,
)
from .schema import (
    key_path as dotted_path,
)
from .yamlfile import load_yaml_mapping

SETTINGS_FILE = "assessment.yaml"
YEAR_PATTERN = re.compile(r"^(\d{4})/(\d{2})$")
CRIME_SOURCES = ("workbook", "police_uk")
AIMS = ("reduce", "increase", "monitor")
UNITS = ("count", "percent")
FREQUENCIES = ("monthly", "quarterly")
PERIODS_A_YEAR = {"monthly": 12, "quarterly": 4}
MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
MISSING_FIXES = {
    "period_end": "add `period_end: YYYY-MM-DD`",
    "aim": "add `aim: reduce`, `aim: increase` or `aim: monitor`",
}


def previous_year(label: str) -> str:
    """The financial year before ``label``: ``2018/19`` -> ``2017/18``."""
    start = int(label[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def is_year_label(text: str) -> bool:
    """True for a financial year label ``YYYY/YY`` whose two years follow on."""
    match = YEAR_PATTERN.match(text)
    return match is not None and (int(match.group(1)) + 1) % 100 == int(match.group(2))


@dataclass(frozen=True)
class YearLabel(Check):
    """A financial year label ``YYYY/YY``; ``example`` is the one the fix gives."""

    example: str

    def check(self, value: Any) -> str:
        year = Text().check(value)
        if not is_year_label(year):
            raise Invalid(
                Flaw((), f"{quoted(year)} is not a financial year label", f"write it as YYYY/YY, e.g. {self.example}")
            )
        return year


def date_value(value: Any) -> dt.date | None:
    """A YAML value read as a date (a date, or text ``YYYY-MM-DD``), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Day(Check):
    """A date, ``YYYY-MM-DD``."""

    def check(self, value: Any) -> dt.date:
        day = date_value(value)
        if day is None:
            raise Invalid(Flaw((), f"{quoted(value)} is not a date", "write it as YYYY-MM-DD, e.g. 2019-03-31"))
        return day


@dataclass(frozen=True)
class Texts(Check):
    """A mapping of names to texts; a value given no text is left out. ``fix`` says what to write."""

    problem: str
    fix: str

    def check(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict):
            raise Invalid(Flaw((), f"should be a mapping, not {quoted(data)}", "correct `{key}`"))
        flaws = [
            Flaw((str(name),), f"should be {self.problem}, not {quoted(text)}", self.fix)
            for name, text in data.items()
            if not self._acceptable(text)
        ]
        if flaws:
            raise Invalid(*flaws)
        return {
            str(name).strip(): text.strip() for name, text in data.items() if isinstance(text, str) and text.strip()
        }

    def _acceptable(self, text: Any) -> bool:
        if self.problem == "text":  # a rating meaning may be left empty
            return text is None or isinstance(text, str)
        return isinstance(text, str) and bool(text.strip())


@dataclass(frozen=True)
class Population(Check):
    """The bases for rates: numbers of people by name, ``persons`` among them."""

    def check(self, data: Any) -> dict[str, float]:
        flaws = (
            []
            if isinstance(data, dict) and "persons" in data
            else [Flaw((), "has no `persons` base", "add `persons:` with the resident population")]
        )
        if not isinstance(data, dict):
            raise Invalid(Flaw((), f"should be a mapping, not {quoted(data)}", "correct `{key}`"), *flaws)
        for name, value in data.items():
            if not is_number(value) or not 0 < value <= MAX_POPULATION:
                fix = f"give a number of people, more than 0 and at most {MAX_POPULATION:,}"
                flaws.append(Flaw((str(name),), f"{quoted(value)} is not a population", fix))
        if flaws:
            raise Invalid(*flaws)
        return {
            str(name).strip(): int(value) if float(value).is_integer() else float(value) for name, value in data.items()
        }


@dataclass(frozen=True)
class PoliceUkSettings(Record):
    """Where the police.uk street-level files are and which area to take."""

    folder: Annotated[Path, Text()]
    area: Annotated[str, Text()]
    lsoa_lookup: Annotated[Path | None, Text()] = None
    area_file: Path | None = None
    categories: Annotated[Mapping[str, str], Texts("a crime type name", "write the name as text")] = field(
        default_factory=dict
    )
    allow_gaps: Annotated[bool, Flag()] = False
    derived: ClassVar[frozenset[str]] = frozenset({"area_file"})

    @property
    def force_wide(self) -> bool:
        """True when the whole force is asked for (``area: all``), rows without an LSOA included."""
        return self.area_file is None and self.area.casefold() == "all"

    def resolved(self, inputs: Path) -> PoliceUkSettings:
        """Paths taken from the inputs folder; an ``area`` ending .txt or .csv is a file of LSOA codes, one a line."""
        return replace(
            self,
            folder=(inputs / self.folder).resolve(),
            lsoa_lookup=(inputs / self.lsoa_lookup).resolve() if self.lsoa_lookup else None,
            area_file=(inputs / self.area).resolve() if self.area.casefold().endswith((".txt", ".csv")) else None,
        )


@dataclass(frozen=True)
class MostSimilarFamily(Record):
    """The partnership's place in its Most Similar Family of areas: a rank from 1 (lowest rate) to its size."""

    average_rate: Annotated[float, Number(0, MAX_RATE_PER_1000)]
    rank: Annotated[int, Number(-float("inf"), float("inf"), whole=True)]
    family_size: Annotated[int | None, Number(1, MAX_FAMILY_SIZE, whole=True)] = None

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        size, rank = data.get("family_size"), data.get("rank")
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_FAMILY_SIZE:
            size = MAX_FAMILY_SIZE
        if isinstance(rank, int) and not isinstance(rank, bool) and not 1 <= rank <= size:
            return [Flaw(("rank",), f"{rank} is outside 1 to {size:,}", f"give a number from 1 to {size:,}")]
        return []


@dataclass(frozen=True)
class KeyStatistic(Record):
    """One line of the area overview: a label, the area's value and a comparison."""

    label: Annotated[str, Text()]
    value: Annotated[str, Text()]
    comparison: Annotated[str, Text()] = ""


@dataclass(frozen=True)
class ThematicGroup(Record):
    """A thematic delivery group on the Plan on a Page."""

    name: Annotated[str, Text()]
    chairs: Annotated[tuple[str, ...], Lines()] = ()
    remit: Annotated[tuple[str, ...], Lines()] = ()


@dataclass(frozen=True)
class Deliverable(Record):
    """A key deliverable on the Plan on a Page: what, who leads, when."""

    what: Annotated[str, Text()]
    lead: Annotated[str, Text()]
    when: Annotated[str, Text()]


@dataclass(frozen=True)
class PlanOnAPage(Record):
    """The content of the one-page plan that is not derived from the ratings."""

    year: Annotated[str, Text(MAX_NAME_CHARACTERS)]
    vision: Annotated[str, Text()]
    title: Annotated[str, Text()] = ""
    focus_areas: Annotated[tuple[str, ...], Lines()] = ()
    priorities: Annotated[tuple[str, ...], Lines()] = ()
    thematic_groups: tuple[ThematicGroup, ...] = ()
    key_deliverables: tuple[Deliverable, ...] = ()


def _numbers(value: Any) -> tuple[float, ...]:
    if not isinstance(value, list):
        raise Invalid(Flaw((), f"should be a list, not {quoted(value)}", "correct `{key}`"))
    return tuple(float(number) for number in value if is_number(number))


def _number_or_none(value: Any) -> float | None:
    return float(value) if is_number(value) else None


@dataclass(frozen=True)
class Indicator(Record):
    """One indicator of the board's performance update (README, "The board's performance update")."""

    name: Annotated[str, Text()]
    series: Annotated[str, Text()]
    aim: Annotated[str, Choice(AIMS, "a known aim")]
    unit: Annotated[str, Choice(UNITS, "a known unit")] = "count"
    frequency: Annotated[str, Choice(FREQUENCIES, "a known frequency")] = "monthly"
    comment: Annotated[str, Text()] = ""
    noun: Annotated[str, Text()] = ""
    source: Annotated[str, Text()] = ""
    target_cumulative: Annotated[tuple[float, ...], Loose(_numbers)] = ()
    target_each_period: Annotated[float | None, Loose(_number_or_none)] = None
    place: str = ""
    derived: ClassVar[frozenset[str]] = frozenset({"target_each_period", "place"})
    not_a_mapping: ClassVar[Flaw | None] = Flaw(
        (), "should be a mapping of keys (name, series, aim, ...)", "see the README"
    )

    @property
    def has_target(self) -> bool:
        return bool(self.target_cumulative) or self.target_each_period is not None

    @staticmethod
    def target_keys(data: Mapping[str, Any]) -> tuple[str, str]:
        """The key of the target for each period at this indicator's frequency, and the other frequency's."""
        monthly = data.get("frequency") not in FREQUENCIES or data.get("frequency") == "monthly"
        return ("target_each_month", "target_each_quarter") if monthly else ("target_each_quarter", "target_each_month")

    @classmethod
    def keys(cls, data: Mapping[str, Any]) -> set[str]:
        each, other = cls.target_keys(data)
        return super().keys(data) | {each} | ({other} if other in data else set())

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        each, other = cls.target_keys(data)
        given = {key: value for key, value in data.items() if key not in (each, other)}
        return super().prepared({**given, "target_each_period": data.get(each)})

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        frequency = data.get("frequency") if data.get("frequency") in FREQUENCIES else "monthly"
        unit = data.get("unit") if data.get("unit") in UNITS else "count"
        each_key, other_key = cls.target_keys(data)
        flaws, cumulative = _running_totals(data.get("target_cumulative"), str(frequency), str(unit))
        if data.get(other_key) is not None:
            flaws.append(Flaw((other_key,), f"does not fit a {frequency} indicator", f"use `{each_key}`"))
        each = _target(data.get(each_key), each_key, str(unit), flaws)
        if cumulative and each is not None:
            flaws.append(Flaw((each_key,), "is given as well as target_cumulative", "give one target or the other"))
        if data.get("aim") in (None, "", "monitor") and (cumulative or each is not None):
            fix = "set aim to reduce or increase, or remove the target"
            flaws.append(Flaw(("aim",), "is monitor, but a target is given", fix))
        return flaws


def _running_totals(values: Any, frequency: str, unit: str) -> tuple[list[Flaw], bool]:
    """Problems with a running-total target, and whether it is one (``target_cumulative``)."""
    if not isinstance(values, list) or not values:
        return [], False
    key = ("target_cumulative",)
    wanted = PERIODS_A_YEAR[frequency]
    span = "April to March" if frequency == "monthly" else "Q1 to Q4"
    if unit == "percent":
        return [Flaw(key, "a percent indicator has no running total", "use target_each_month instead")], False
    if not all(is_number(value) for value in values):
        return [Flaw(key, "should be a list of numbers", f"give {wanted} running totals, {span}")], False
    if len(values) != wanted:
        fix = f"give the running-total target for each of the {wanted} {frequency[:-2]}s, {span}"
        return [Flaw(key, f"has {len(values)} numbers, not {wanted}", fix)], False
    if any(number < 0 for number in values) or values != sorted(values):
        problem = "should be running totals (0 or more, never falling)"
        return [Flaw(key, problem, "give the target to date at each period")], False
    return [], True


def _target(value: Any, key: str, unit: str, flaws: list[Flaw]) -> float | None:
    """A target for each period, or None (with a problem in ``flaws`` when it is not one)."""
    if value is None or value == "":
        return None
    try:
        number = float(Number(-float("inf"), float("inf")).check(value))
    except Invalid as invalid:
        flaws.extend(Flaw((key,), flaw.problem, flaw.fix.replace("{key}", key)) for flaw in invalid.flaws)
        return None
    if number < 0 or (unit == "percent" and number > 100):
        limit = "0 to 100" if unit == "percent" else "0 or more"
        flaws.append(Flaw((key,), f"{number:g} is outside {limit}", f"give a target of {limit}"))
        return None
    return number


def month_text(value: Any) -> str:
    """The last month to report as written, ``YYYY-MM`` (a YAML date is taken as its month)."""
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    text = as_text(value)
    if text is None:
        raise Invalid(Flaw((), f"should be text, not {quoted(value)}", "correct `{key}`"))
    return text


@dataclass(frozen=True)
class PerformanceSettings(Record):
    """The ``performance:`` section: the year reported (the assessment's unless given), its last month, indicators."""

    year: Annotated[str, YearLabel("2016/17")]
    indicators: tuple[Indicator, ...]
    to_month: Annotated[str, Loose(month_text)] = ""

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        flaws = []
        if data.get("indicators") == []:
            fix = "add at least one indicator with name, series and aim"
            flaws.append(Flaw(("indicators",), "lists no indicator", fix))
        return flaws + _names_twice(data.get("indicators"))


def _names_twice(items: Any) -> list[Flaw]:
    """A problem for each indicator named as an earlier one was (names folded)."""
    seen: dict[str, str] = {}
    flaws = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        name = as_text(item.get("name")) if isinstance(item, dict) else None
        key = fold(name or "")
        if key in seen:
            problem = f"indicator '{name}' is named twice (also {seen[key]})"
            flaws.append(Flaw(("indicators", index, "name"), problem, "give each indicator its own name"))
        if key:
            seen.setdefault(key, f"performance › indicators › {index + 1}")
    return flaws


def to_month_problem(month: str, year: str) -> tuple[str, str] | None:
    """What is wrong with a last month to report (``YYYY-MM`` within the financial year), or None."""
    match = MONTH_LABEL.match(month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return f"'{month}' is not a month", "write it as YYYY-MM, e.g. 2016-11"
    if not is_year_label(year):
        return None
    first = int(year[:4])
    if not (first, 4) <= (int(match.group(1)), int(match.group(2))) <= (first + 1, 3):
        return (
            f"{month} is outside the financial year {year} (April {first} to March {first + 1})",
            f"give a month from {first}-04 to {first + 1}-03, or change the performance year",
        )
    return None


@dataclass(frozen=True)
class Settings(Record):
    """Everything ``assessment.yaml`` says, checked and typed."""

    inputs: Path
    partnership: Annotated[str, Text(MAX_NAME_CHARACTERS)]
    year: Annotated[str, YearLabel("2018/19")]
    period_end: Annotated[dt.date, Day()]
    model: Annotated[str, Text()] = "morile"
    crime_source: Annotated[str, Choice(CRIME_SOURCES, "a crime source", hint=False)] = "workbook"
    police_uk: PoliceUkSettings | None = None
    population: Annotated[Mapping[str, float], Population()] = field(default_factory=dict)
    headline_row: Annotated[str, Text()] = "All crime"
    asb_row: Annotated[str, Text()] = ""
    area_name: Annotated[str, Text(MAX_NAME_CHARACTERS)] = ""
    crime_data_source: Annotated[str, Text()] = "Police recorded crime"
    share_rows: Annotated[tuple[str, ...], Lines()] = ()
    chart_exclude: Annotated[tuple[str, ...], Lines()] = ()
    author: Annotated[str, Text(MAX_CORE_PROPERTY_CHARACTERS)] = ""
    published: Annotated[str, Text()] = ""
    comparison_label: Annotated[str, Text()] = "England"
    most_similar_family: MostSimilarFamily | None = None
    key_statistics: tuple[KeyStatistic, ...] = ()
    introduction: Annotated[str, Text()] = ""
    acknowledgements: Annotated[str, Text()] = ""
    trends_narrative: Annotated[str, Text()] = ""
    data_notes: Annotated[str, Text()] = ""
    rating_meanings: Annotated[Mapping[str, str], Texts("text", "write what the rating means")] = field(
        default_factory=dict
    )
    plan_on_a_page: PlanOnAPage | None = None
    performance: PerformanceSettings | None = None
    force_rank: tuple[int, int] | None = None  # (rank, areas ranked) by crime rate among a force's areas; batch only
    derived: ClassVar[frozenset[str]] = frozenset({"inputs", "force_rank"})

    @property
    def area(self) -> str:
        """The place the figures are about (``area_name``, else the partnership's name)."""
        return self.area_name or self.partnership

    @property
    def year_folder(self) -> str:
        """The outputs sub-folder for this year: ``2018/19`` -> ``2018-19``."""
        return self.year.replace("/", "-")

    @property
    def period_text(self) -> str:
        """The 12 months the figures cover: ``April 2016 to March 2017``."""
        first_month = (self.period_end.month % 12) + 1
        first_year = self.period_end.year - (1 if first_month > 1 else 0)
        return f"{dt.date(first_year, first_month, 1):%B %Y} to {self.period_end:%B %Y}"

    @property
    def whole_financial_year(self) -> bool:
        """True when the 12 months are April to March."""
        return self.period_end.month == 3

    @property
    def year_phrase(self) -> str:
        """The year as sentences name it: ``2016/17``, or ``2017/18 (December 2016 to November 2017)``."""
        return self.year if self.whole_financial_year else f"{self.year} ({self.period_text})"

    @classmethod
    def prepared(cls, data: dict[str, Any]) -> dict[str, Any]:
        """The inputs folder is filled in by the reader; the performance year is the assessment's unless given."""
        performance = data.get("performance")
        if isinstance(performance, dict) and performance.get("year") in (None, "") and data.get("year") is not None:
            data = {**data, "performance": {**performance, "year": data["year"]}}
        return {**super().prepared(data), "inputs": Path()}

    @classmethod
    def rules(cls, data: Mapping[str, Any], context: Mapping[str, Any]) -> list[Flaw]:
        flaws = []
        year, period_end = as_text(data.get("year")) or "", date_value(data.get("period_end"))
        if period_end and is_year_label(year) and not _in_financial_year(period_end, year):
            flaws.append(
                Flaw(
                    ("period_end",),
                    f"{period_end:%Y-%m-%d} is not in the financial year of `year` {year} "
                    f"(April {year[:4]} to March {int(year[:4]) + 1})",
                    f"make `year` and `period_end` agree: `year` {_year_of(period_end)} for this period end, or a "
                    f"period end in {year}, e.g. {int(year[:4]) + 1}-03-31",
                )
            )
        if data.get("crime_source") == "police_uk" and not isinstance(data.get("police_uk"), dict):
            flaws.append(Flaw(("police_uk",), "is required when crime_source is police_uk", "add folder and area"))
        if isinstance(data.get("performance"), dict):
            flaws.extend(_month_outside_year(data["performance"], year))
        if data.get("population") in (None, ""):
            flaws.append(Flaw(("population",), "is required", f"add `population:` to {SETTINGS_FILE}"))
        return flaws

    def resolved(self, inputs: Path) -> Settings:
        """The settings with their paths taken from the inputs folder and each indicator's place named."""
        performance = self.performance
        if performance is not None:
            indicators = tuple(
                replace(indicator, place=f"performance › indicators › {number}")
                for number, indicator in enumerate(performance.indicators, start=1)
            )
            performance = replace(performance, indicators=indicators)
        police_uk = self.police_uk.resolved(inputs) if self.police_uk else None
        return replace(self, inputs=inputs, police_uk=police_uk, performance=performance)


def _month_outside_year(performance: Mapping[str, Any], assessment_year: str) -> list[Flaw]:
    """A problem when the last month to report is not one of the performance year (else the assessment's)."""
    year = as_text(performance.get("year")) or ""
    try:
        month = month_text(performance["to_month"]) if performance.get("to_month") is not None else ""
    except Invalid:
        return []
    problem = to_month_problem(month, year if is_year_label(year) else assessment_year) if month else None
    return [Flaw(("performance", "to_month"), *problem)] if problem else []


def _year_of(day: dt.date) -> str:
    """The financial year label holding a day: 2017-11-30 -> 2017/18."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _in_financial_year(day: dt.date, label: str) -> bool:
    start = dt.date(int(label[:4]), 4, 1)
    return start <= day < dt.date(start.year + 1, 4, 1)


def key_path(loc: Sequence[str | int]) -> str:
    """A key path as problems name it: ``plan_on_a_page.thematic_groups[1].name``, ``performance › indicators › 2``."""
    if loc and loc[0] == "performance":
        return " › ".join(str(part + 1) if isinstance(part, int) else part for part in loc)
    return dotted_path(loc)


def load_settings(inputs: Path) -> Settings:
    """Read and check ``assessment.yaml`` from the inputs folder.

    Raises InputError listing every problem (missing or unknown keys, wrong
    types, a bad year label or date).
    """
    return settings_from_data(load_yaml_mapping(inputs / SETTINGS_FILE, SETTINGS_FILE), inputs)


def settings_from_data(data: Mapping[str, Any], inputs: Path) -> Settings:
    """Settings from ``assessment.yaml`` already parsed (paths resolved against ``inputs``).

    Raises InputError listing every problem.
    """
    log = ProblemLog()
    settings = validated(Settings, dict(data), SETTINGS_FILE, log, place=key_path, missing_fixes=MISSING_FIXES)
    log.raise_if_any()
    assert isinstance(settings, Settings)
    return settings.resolved(inputs)


AREA_KEYS = (
    "partnership",
    "population",
    "key_statistics",
    "introduction",
    "acknowledgements",
    "trends_narrative",
    "data_notes",
    "author",
    "published",
    "comparison_label",
    "rating_meanings",
    "most_similar_family",
    "plan_on_a_page",
)
"""The keys an area's own assessment.yaml (a batch's ``areas/<area>/``) may set over the shared one."""


def load_area_settings(path: Path, label: str) -> dict[str, Any]:
    """An area's own assessment.yaml read into the Settings fields it replaces.

    Each key is checked as in the shared file, against the type of its Settings
    field; a key an area cannot set (year, model, crime source) or a typo is a
    problem naming the file and key. Raises InputError listing every problem.
    """
    data = load_yaml_mapping(path, label)
    log = ProblemLog()
    hints = get_type_hints(Settings, include_extras=True)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in AREA_KEYS:
            hint = did_you_mean(str(key), AREA_KEYS) or f"remove it; known keys here: {', '.join(sorted(AREA_KEYS))}"
            log.add(Problem(label, "is not a known setting", hint, cell=str(key)))
        elif value is None or value == "":
            if not has_default(Settings, key) or key == "population":
                log.add(Problem(label, "is required", f"add `{key}:` to {label}", cell=key))
            values[key] = _default(key)
        else:
            values[key] = validated(hints[key], value, label, log, place=_under(key))
    log.raise_if_any()
    return values


def _under(key: str) -> Callable[[Sequence[str | int]], str]:
    """The key path of a problem found below ``key``."""
    return lambda loc: key_path((key, *loc))


def _default(key: str) -> Any:
    item = next(item for item in fields(Settings) if item.name == key)
    return item.default_factory() if callable(item.default_factory) else item.default
