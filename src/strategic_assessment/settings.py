"""``assessment.yaml`` read into frozen, typed settings (README, "Inputs").

Every key is checked: an unknown key (a typo) is a problem that names the key
and suggests the closest known one, so nothing is silently ignored. Paths are
resolved once, here, relative to the inputs folder.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .errors import Problem, ProblemLog, did_you_mean, quoted
from .limits import (
    MAX_CORE_PROPERTY_CHARACTERS,
    MAX_FAMILY_SIZE,
    MAX_NAME_CHARACTERS,
    MAX_POPULATION,
    MAX_RATE_PER_1000,
)
from .names import fold
from .yamlfile import load_yaml_mapping

SETTINGS_FILE = "assessment.yaml"
YEAR_PATTERN = re.compile(r"^(\d{4})/(\d{2})$")
CRIME_SOURCES = ("workbook", "police_uk")

T = TypeVar("T")


@dataclass(frozen=True)
class PoliceUkSettings:
    """Where the police.uk street-level files are and which area to take."""

    folder: Path
    area: str
    lsoa_lookup: Path | None = None
    area_file: Path | None = None
    categories: Mapping[str, str] = field(default_factory=dict)
    allow_gaps: bool = False

    @property
    def force_wide(self) -> bool:
        """True when the whole force is asked for (``area: all``), rows without an LSOA included."""
        return self.area_file is None and self.area.casefold() == "all"


@dataclass(frozen=True)
class MostSimilarFamily:
    """The partnership's place in its Most Similar Family of areas."""

    average_rate: float
    rank: int
    family_size: int | None = None


@dataclass(frozen=True)
class KeyStatistic:
    """One line of the area overview: a label, the area's value and a comparison."""

    label: str
    value: str
    comparison: str = ""


@dataclass(frozen=True)
class ThematicGroup:
    """A thematic delivery group on the Plan on a Page."""

    name: str
    chairs: tuple[str, ...]
    remit: tuple[str, ...]


@dataclass(frozen=True)
class Deliverable:
    """A key deliverable on the Plan on a Page: what, who leads, when."""

    what: str
    lead: str
    when: str


@dataclass(frozen=True)
class PlanOnAPage:
    """The content of the one-page plan that is not derived from the ratings."""

    year: str
    vision: str
    title: str = ""
    focus_areas: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    thematic_groups: tuple[ThematicGroup, ...] = ()
    key_deliverables: tuple[Deliverable, ...] = ()


AIMS = ("reduce", "increase", "monitor")
UNITS = ("count", "percent")
FREQUENCIES = ("monthly", "quarterly")
PERIODS_A_YEAR = {"monthly": 12, "quarterly": 4}
MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the board's performance update (README, "The board's performance update")."""

    name: str
    series: str
    aim: str
    unit: str = "count"
    frequency: str = "monthly"
    comment: str = ""
    noun: str = ""
    source: str = ""
    target_cumulative: tuple[float, ...] = ()
    target_each_period: float | None = None
    place: str = ""

    @property
    def has_target(self) -> bool:
        return bool(self.target_cumulative) or self.target_each_period is not None


@dataclass(frozen=True)
class PerformanceSettings:
    """The ``performance:`` section: the year reported, its last month and the indicators."""

    year: str
    indicators: tuple[Indicator, ...]
    to_month: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything ``assessment.yaml`` says, checked and typed."""

    inputs: Path
    partnership: str
    year: str
    period_end: dt.date
    model: str = "morile"
    crime_source: str = "workbook"
    police_uk: PoliceUkSettings | None = None
    population: Mapping[str, float] = field(default_factory=dict)
    headline_row: str = "All crime"
    asb_row: str = ""
    area_name: str = ""
    crime_data_source: str = "Police recorded crime"
    share_rows: tuple[str, ...] = ()
    chart_exclude: tuple[str, ...] = ()
    author: str = ""
    published: str = ""
    comparison_label: str = "England"
    most_similar_family: MostSimilarFamily | None = None
    key_statistics: tuple[KeyStatistic, ...] = ()
    introduction: str = ""
    acknowledgements: str = ""
    trends_narrative: str = ""
    data_notes: str = ""
    rating_meanings: Mapping[str, str] = field(default_factory=dict)
    plan_on_a_page: PlanOnAPage | None = None
    performance: PerformanceSettings | None = None
    force_rank: tuple[int, int] | None = None  # (rank, areas ranked) by crime rate among a force's areas; batch only

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


def previous_year(label: str) -> str:
    """The financial year before ``label``: ``2018/19`` -> ``2017/18``."""
    start = int(label[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def is_year_label(text: str) -> bool:
    """True for a financial year label ``YYYY/YY`` whose two years follow on."""
    match = YEAR_PATTERN.match(text)
    return match is not None and (int(match.group(1)) + 1) % 100 == int(match.group(2))


class _Reader:
    """Takes typed values out of a YAML mapping, logging problems by key path."""

    def __init__(self, data: Mapping[str, Any], path: str, log: ProblemLog, label: str) -> None:
        self.data = data
        self.path = path
        self.log = log
        self.label = label
        self.used: set[str] = set()

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str, problem: str, fix: str) -> None:
        self.log.add(Problem(self.label, problem, fix, cell=self._where(key)))

    def get(self, key: str, kind: type[T], default: T | None = None, required: bool = False) -> T | None:
        self.used.add(key)
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.problem(key, "is required", f"add `{key}:` to {self.label}")
            return default
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is str and isinstance(value, int | float | dt.date) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            self.problem(key, f"should be {_kind_name(kind)}, not {quoted(value)}", f"correct `{key}`")
            return default
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(key, f"should be a number, not {quoted(value)}", f"give `{key}` a number")
            return default
        return value

    def text(self, key: str, default: str = "", required: bool = False, limit: int = 0) -> str:
        """A text value, trimmed; ``limit`` (when given) is the most characters it may have."""
        value = self.get(key, str, default, required)
        text = value.strip() if value else default
        if limit and len(text) > limit:
            self.problem(key, f"is {len(text):,} characters long (at most {limit}): {quoted(text)}", "shorten it")
            return text[:limit]
        return text

    def number(self, key: str, kind: type[T], low: float, high: float, required: bool = False) -> T | None:
        """A number from ``low`` to ``high`` (inclusive), or None (with a problem) when it is not one."""
        value = self.get(key, kind, None, required)
        if value is not None and not low <= value <= high:  # type: ignore[operator]
            self.problem(
                key, f"{quoted(value)} is outside {low:g} to {high:,g}", f"give a number from {low:g} to {high:,g}"
            )
            return None
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        items = self.get(key, list, [])
        out: list[str] = []
        for index, item in enumerate(items or []):
            if isinstance(item, str | int | float) and not isinstance(item, bool) and str(item).strip():
                out.append(str(item).strip())
            else:
                self.problem(f"{key}[{index + 1}]", f"should be a line of text, not {quoted(item)}", "write it as text")
        return tuple(out)

    def records(self, key: str, build: Callable[[_Reader], T]) -> tuple[T, ...]:
        items = self.get(key, list, [])
        out: list[T] = []
        for index, item in enumerate(items or []):
            where = f"{self._where(key)}[{index + 1}]"
            if not isinstance(item, dict):
                self.log.add(Problem(self.label, "should be a mapping of keys", "see the README", cell=where))
                continue
            reader = _Reader(item, where, self.log, self.label)
            out.append(build(reader))
            reader.finish()
        return tuple(out)

    def section(self, key: str, build: Callable[[_Reader], T]) -> T | None:
        item = self.get(key, dict)
        if item is None:
            return None
        reader = _Reader(item, self._where(key), self.log, self.label)
        result = build(reader)
        reader.finish()
        return result

    def finish(self) -> None:
        """Log every key that no field asked for: an unknown key is a typo until proven otherwise."""
        for key in self.data:
            if str(key) not in self.used:
                hint = did_you_mean(str(key), self.used)
                self.problem(
                    str(key),
                    "is not a known setting",
                    hint or f"remove it; known keys here: {', '.join(sorted(self.used))}",
                )


_KIND_NAMES: dict[type, str] = {
    str: "text",
    float: "a number",
    int: "a whole number",
    list: "a list",
    dict: "a mapping",
    bool: "true or false",
}


def _kind_name(kind: type) -> str:
    return _KIND_NAMES.get(kind, kind.__name__)


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
    reader = _Reader(data, "", log, SETTINGS_FILE)
    settings = _settings(reader, inputs)
    reader.finish()
    log.raise_if_any()
    assert settings is not None
    return settings


def _settings(r: _Reader, inputs: Path) -> Settings | None:
    year = r.text("year", required=True)
    if year and not is_year_label(year):
        r.problem("year", f"'{year}' is not a financial year label", "write it as YYYY/YY, e.g. 2018/19")
    period_end = _date(r, "period_end")
    if period_end and year and is_year_label(year) and not _in_financial_year(period_end, year):
        r.problem(
            "period_end",
            f"{period_end:%Y-%m-%d} is not in the financial year of `year` {year} "
            f"(April {year[:4]} to March {int(year[:4]) + 1})",
            f"make `year` and `period_end` agree: `year` {_year_of(period_end)} for this period end, or a "
            f"period end in {year}, e.g. {int(year[:4]) + 1}-03-31",
        )
    crime_source = r.text("crime_source", "workbook")
    if crime_source not in CRIME_SOURCES:
        r.problem("crime_source", f"'{crime_source}' is not a crime source", "use workbook or police_uk")
    police_uk = r.section("police_uk", lambda s: _police_uk(s, inputs))
    if crime_source == "police_uk" and police_uk is None:
        r.problem("police_uk", "is required when crime_source is police_uk", "add folder and area")
    population = _population(r)
    settings = Settings(
        inputs=inputs,
        partnership=r.text("partnership", required=True, limit=MAX_NAME_CHARACTERS),
        year=year,
        period_end=period_end or dt.date(1900, 1, 1),
        model=r.text("model", "morile"),
        crime_source=crime_source,
        police_uk=police_uk,
        population=population,
        headline_row=r.text("headline_row", "All crime"),
        asb_row=r.text("asb_row"),
        area_name=r.text("area_name", limit=MAX_NAME_CHARACTERS),
        crime_data_source=r.text("crime_data_source", "Police recorded crime"),
        share_rows=r.strings("share_rows"),
        chart_exclude=r.strings("chart_exclude"),
        author=r.text("author", limit=MAX_CORE_PROPERTY_CHARACTERS),
        published=r.text("published"),
        comparison_label=r.text("comparison_label", "England"),
        most_similar_family=r.section("most_similar_family", _family),
        key_statistics=r.records("key_statistics", _key_statistic),
        introduction=r.text("introduction"),
        acknowledgements=r.text("acknowledgements"),
        trends_narrative=r.text("trends_narrative"),
        data_notes=r.text("data_notes"),
        rating_meanings=_rating_meanings(r),
        plan_on_a_page=r.section("plan_on_a_page", _plan),
        performance=_performance(r, year),
    )
    return settings


def _year_of(day: dt.date) -> str:
    """The financial year label holding a day: 2017-11-30 -> 2017/18."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _in_financial_year(day: dt.date, label: str) -> bool:
    start = dt.date(int(label[:4]), 4, 1)
    return start <= day < dt.date(start.year + 1, 4, 1)


def _date(r: _Reader, key: str) -> dt.date | None:
    r.used.add(key)
    value = r.data.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if value is None:
        r.problem(key, "is required", f"add `{key}: YYYY-MM-DD`")
    else:
        r.problem(key, f"{quoted(value)} is not a date", "write it as YYYY-MM-DD, e.g. 2019-03-31")
    return None


def _police_uk(r: _Reader, inputs: Path) -> PoliceUkSettings:
    """The ``police_uk`` section: an ``area`` ending .txt or .csv is a file of LSOA codes, one a line."""
    folder = r.text("folder", required=True)
    lookup = r.text("lsoa_lookup")
    area = r.text("area", required=True)
    categories = r.get("categories", dict, {}) or {}
    for name, value in categories.items():
        if not isinstance(value, str) or not value.strip():
            r.problem(
                f"categories.{name}", f"should be a crime type name, not {quoted(value)}", "write the name as text"
            )
    return PoliceUkSettings(
        folder=(inputs / folder).resolve() if folder else inputs,
        area=area,
        lsoa_lookup=(inputs / lookup).resolve() if lookup else None,
        area_file=(inputs / area).resolve() if area.casefold().endswith((".txt", ".csv")) else None,
        categories={str(k).strip(): v.strip() for k, v in categories.items() if isinstance(v, str) and v.strip()},
        allow_gaps=bool(r.get("allow_gaps", bool, False)),
    )


def _population(r: _Reader) -> dict[str, float]:
    bases = r.get("population", dict, {}, required=True) or {}
    out: dict[str, float] = {}
    for name, value in bases.items():
        where = f"population.{name}"
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= MAX_POPULATION:
            r.log.add(
                Problem(
                    SETTINGS_FILE,
                    f"{quoted(value)} is not a population",
                    f"give a number of people, more than 0 and at most {MAX_POPULATION:,}",
                    cell=where,
                )
            )
            continue
        out[str(name).strip()] = int(value) if float(value).is_integer() else float(value)
    if r.data.get("population") is not None and "persons" not in bases:
        r.problem("population", "has no `persons` base", "add `persons:` with the resident population")
    return out


def _rating_meanings(r: _Reader) -> dict[str, str]:
    meanings = r.get("rating_meanings", dict, {}) or {}
    for name, text in meanings.items():
        if text is not None and not isinstance(text, str):
            r.problem(f"rating_meanings.{name}", f"should be text, not {quoted(text)}", "write what the rating means")
    return {str(name): text.strip() for name, text in meanings.items() if isinstance(text, str) and text.strip()}


def _family(r: _Reader) -> MostSimilarFamily:
    """The Most Similar Family: a rank from 1 (lowest rate) to the family's size."""
    size = r.number("family_size", int, 1, MAX_FAMILY_SIZE)
    rank = r.number("rank", int, 1, size or MAX_FAMILY_SIZE, required=True)
    return MostSimilarFamily(
        average_rate=r.number("average_rate", float, 0, MAX_RATE_PER_1000, required=True) or 0.0,
        rank=rank or 0,
        family_size=size,
    )


def _key_statistic(r: _Reader) -> KeyStatistic:
    return KeyStatistic(
        label=r.text("label", required=True),
        value=r.text("value", required=True),
        comparison=r.text("comparison"),
    )


def _group(r: _Reader) -> ThematicGroup:
    return ThematicGroup(name=r.text("name", required=True), chairs=r.strings("chairs"), remit=r.strings("remit"))


def _deliverable(r: _Reader) -> Deliverable:
    return Deliverable(
        what=r.text("what", required=True),
        lead=r.text("lead", required=True),
        when=r.text("when", required=True),
    )


def _plan(r: _Reader) -> PlanOnAPage:
    return PlanOnAPage(
        year=r.text("year", required=True, limit=MAX_NAME_CHARACTERS),
        vision=r.text("vision", required=True),
        title=r.text("title"),
        focus_areas=r.strings("focus_areas"),
        priorities=r.strings("priorities"),
        thematic_groups=r.records("thematic_groups", _group),
        key_deliverables=r.records("key_deliverables", _deliverable),
    )


# The performance update (README, "The board's performance update")


class _PlacedReader(_Reader):
    """A reader whose problems name their place as ``performance › indicators › 2 › aim``."""

    def _where(self, key: str) -> str:
        return f"{self.path} › {key}" if self.path else key


def _performance(r: _Reader, assessment_year: str) -> PerformanceSettings | None:
    """The ``performance`` section, or None when there is none."""
    data = r.get("performance", dict)
    if data is None:
        return None
    reader = _PlacedReader(data, "performance", r.log, r.label)
    year = reader.text("year", assessment_year)
    if year and not is_year_label(year):
        reader.problem("year", f"'{year}' is not a financial year label", "write it as YYYY/YY, e.g. 2016/17")
        year = assessment_year
    to_month = _to_month(reader, year)
    items = reader.get("indicators", list, [], required=True) or []
    indicators = []
    for number, item in enumerate(items, start=1):
        where = f"performance › indicators › {number}"
        if not isinstance(item, dict):
            r.log.add(
                Problem(r.label, "should be a mapping of keys (name, series, aim, ...)", "see the README", cell=where)
            )
            continue
        entry = _PlacedReader(item, where, r.log, r.label)
        indicators.append(_indicator(entry, where))
        entry.finish()
    if data.get("indicators") is not None and not items:
        reader.problem("indicators", "lists no indicator", "add at least one indicator with name, series and aim")
    _check_names_unique(reader, indicators)
    reader.finish()
    return PerformanceSettings(year=year, indicators=tuple(indicators), to_month=to_month)


def _to_month(r: _Reader, year: str) -> str:
    value = r.get("to_month", str, "") or ""
    if isinstance(r.data.get("to_month"), dt.date):
        value = f"{r.data['to_month']:%Y-%m}"
    value = value.strip()
    if not value:
        return ""
    problem = to_month_problem(value, year)
    if problem:
        r.problem("to_month", *problem)
        return ""
    return value


def to_month_problem(month: str, year: str) -> tuple[str, str] | None:
    """What is wrong with a last month to report (``YYYY-MM`` within the financial year), or None."""
    match = MONTH_LABEL.match(month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return f"'{month}' is not a month", "write it as YYYY-MM, e.g. 2016-11"
    if not is_year_label(year):
        return None
    first = int(year[:4])
    inside = (int(match.group(1)), int(match.group(2))) >= (first, 4) and (
        int(match.group(1)),
        int(match.group(2)),
    ) <= (first + 1, 3)
    if not inside:
        return (
            f"{month} is outside the financial year {year} (April {first} to March {first + 1})",
            f"give a month from {first}-04 to {first + 1}-03, or change the performance year",
        )
    return None


def _choice(r: _Reader, key: str, choices: tuple[str, ...], default: str) -> str:
    value = r.text(key, default)
    if value in choices:
        return value
    hint = did_you_mean(value, choices)
    listed = ", ".join(choices[:-1]) + f" or {choices[-1]}"
    r.problem(key, f"'{value}' is not a known {key}", f"{hint + ' ' if hint else ''}use {listed}".strip())
    return default


def _indicator(r: _Reader, where: str) -> Indicator:
    name = r.text("name", required=True)
    series = r.text("series", required=True)
    aim = _choice(r, "aim", AIMS, "monitor")
    if r.data.get("aim") is None:
        r.problem("aim", "is required", "add `aim: reduce`, `aim: increase` or `aim: monitor`")
    unit = _choice(r, "unit", UNITS, "count")
    frequency = _choice(r, "frequency", FREQUENCIES, "monthly")
    cumulative = _target_list(r, frequency, unit)
    each_key = "target_each_month" if frequency == "monthly" else "target_each_quarter"
    other_key = "target_each_quarter" if frequency == "monthly" else "target_each_month"
    if r.data.get(other_key) is not None:
        r.used.add(other_key)
        r.problem(other_key, f"does not fit a {frequency} indicator", f"use `{each_key}`")
    each = _target_number(r, each_key, unit)
    if cumulative and each is not None:
        r.problem(each_key, "is given as well as target_cumulative", "give one target or the other")
    if aim == "monitor" and (cumulative or each is not None):
        r.problem("aim", "is monitor, but a target is given", "set aim to reduce or increase, or remove the target")
    return Indicator(
        name=name,
        series=series,
        aim=aim,
        unit=unit,
        frequency=frequency,
        comment=r.text("comment"),
        noun=r.text("noun"),
        source=r.text("source"),
        target_cumulative=cumulative,
        target_each_period=each,
        place=where,
    )


def _target_list(r: _Reader, frequency: str, unit: str) -> tuple[float, ...]:
    values = r.get("target_cumulative", list, []) or []
    if not values:
        return ()
    wanted = PERIODS_A_YEAR[frequency]
    span = "April to March" if frequency == "monthly" else "Q1 to Q4"
    if unit == "percent":
        r.problem("target_cumulative", "a percent indicator has no running total", "use target_each_month instead")
        return ()
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != len(values):
        r.problem("target_cumulative", "should be a list of numbers", f"give {wanted} running totals, {span}")
        return ()
    if len(values) != wanted:
        r.problem(
            "target_cumulative",
            f"has {len(values)} numbers, not {wanted}",
            f"give the running-total target for each of the {wanted} {frequency[:-2]}s, {span}",
        )
        return ()
    if any(number < 0 for number in numbers) or list(numbers) != sorted(numbers):
        r.problem(
            "target_cumulative",
            "should be running totals (0 or more, never falling)",
            "give the target to date at each period",
        )
        return ()
    return tuple(float(number) for number in numbers)


def _target_number(r: _Reader, key: str, unit: str) -> float | None:
    value = r.get(key, float)
    if value is None:
        return None
    if value < 0 or (unit == "percent" and value > 100):
        limit = "0 to 100" if unit == "percent" else "0 or more"
        r.problem(key, f"{value:g} is outside {limit}", f"give a target of {limit}")
        return None
    return value


def _check_names_unique(r: _Reader, indicators: list[Indicator]) -> None:
    seen: dict[str, str] = {}
    for indicator in indicators:
        key = fold(indicator.name)
        if key and key in seen:
            r.log.add(
                Problem(
                    r.label,
                    f"indicator '{indicator.name}' is named twice (also {seen[key]})",
                    "give each indicator its own name",
                    cell=f"{indicator.place} › name",
                )
            )
        seen.setdefault(key, indicator.place)


AREA_KEYS: dict[str, Callable[[_Reader, str], Any]] = {
    "partnership": lambda r, key: r.text(key),
    "population": lambda r, key: _population(r),
    "key_statistics": lambda r, key: r.records(key, _key_statistic),
    "introduction": lambda r, key: r.text(key),
    "acknowledgements": lambda r, key: r.text(key),
    "trends_narrative": lambda r, key: r.text(key),
    "data_notes": lambda r, key: r.text(key),
    "author": lambda r, key: r.text(key),
    "published": lambda r, key: r.text(key),
    "comparison_label": lambda r, key: r.text(key),
    "rating_meanings": lambda r, key: _rating_meanings(r),
    "most_similar_family": lambda r, key: r.section(key, _family),
    "plan_on_a_page": lambda r, key: r.section(key, _plan),
}
"""The keys an area's own assessment.yaml (a batch's ``areas/<area>/``) may set over the shared one."""


def load_area_settings(path: Path, label: str) -> dict[str, Any]:
    """An area's own assessment.yaml read into the Settings fields it replaces.

    Each key is checked as in the shared file; a key an area cannot set (year,
    model, crime source) or a typo is a problem naming the file and key.
    Raises InputError listing every problem.
    """
    data = load_yaml_mapping(path, label)
    log = ProblemLog()
    reader = _Reader(data, "", log, label)
    fields = {key: parse(reader, key) for key, parse in AREA_KEYS.items() if key in data}
    reader.used.update(AREA_KEYS)  # so a typo is matched against every key an area may set
    reader.finish()
    log.raise_if_any()
    return fields
