"""Every local authority of a police force in one run (the ``batch`` command, README, "Every area of a force").

The areas are the local authorities that the force's LSOA names start with
(``Plymouth 023B`` -> ``Plymouth``); ``all`` takes those with rows in every
month held, leaving out the few LSOAs of neighbouring areas that a force's
files pick up. An area's scores are its own or none:

- the area the inputs folder's assessment.yaml describes has its
  ``workshops/``; any area may have its own ``areas/<area>/`` folder (its
  ``workshops/``, ``previous/`` and optionally an assessment.yaml of the keys in
  ``settings.AREA_KEYS``). Those areas get a full Strategic Assessment from
  their own scores;
- every other area gets a data pack for its workshops: figures, charts,
  neighbourhoods and the data's suggestions, with a pre-filled scoring
  workbook, and no ratings.

``areas.csv`` (``area,partnership,population``) names each area's partnership
and population, so each area gets rates per 1,000 and a rank among the
force's areas. The police.uk files are read and hashed once, in this
process; the areas run in worker processes forked from it (one per core),
which take the parsed rows from memory instead of reading the files again.
``batch-summary.csv`` lists each area's headline figures.
"""

from __future__ import annotations

import contextlib
import csv
import multiprocessing
import os
import re
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from .calculations import rate_shown
from .errors import InputError, OutputError, Problem, ProblemLog, UsageError, did_you_mean
from .facts import fold
from .ingest.police_uk import ASB, StreetCounts, authorities, read_lsoa_lookup, read_street_counts, year_months
from .ingest.workshops import WORKSHOP_FOLDER
from .model import load_model, model_path
from .sentences import plural
from .settings import SETTINGS_FILE, PoliceUkSettings, Settings, load_area_settings, load_settings
from .staging import die_with_parent, write_csv

SUMMARY_FILE = "batch-summary.csv"
AREAS_FILE = "areas.csv"
AREAS_FOLDER = "areas"
ASSESSMENT, DATA_PACK = "assessment", "data pack"
SUMMARY_COLUMNS = (
    "area",
    "kind",
    "crimes",
    "rate_per_1000",
    "change_pct",
    "asb",
    "high_rated_threats",
    "warnings",
    "problems",
    "output_folder",
)
WARNINGS_SHOWN = 3
_SHARED: dict[str, StreetCounts] = {}  # the parsed files, inherited by forked workers


@dataclass(frozen=True)
class AreaEntry:
    """One line of areas.csv: an area's partnership name and population (either may be blank)."""

    partnership: str = ""
    population: float | None = None


@dataclass(frozen=True)
class AreaJob:
    """One area's run: what to read, where to write, its own scores (None: a data pack) and figures."""

    area: str
    inputs: Path
    outputs: Path
    cache: Path
    police_uk: Path
    population: float | None
    keep_settings_area: bool
    pdf: bool = False
    allow_gaps: bool = False
    scores: Path | None = None
    partnership: str = ""
    overrides: Mapping[str, Any] = field(default_factory=dict)
    force_rank: tuple[int, int] | None = None
    top_rating: str = "High"
    year_folder: str = ""

    @property
    def kind(self) -> str:
        return ASSESSMENT if self.scores is not None else DATA_PACK


@dataclass(frozen=True)
class AreaResult:
    """One area's headline figures, or the problem that stopped its run."""

    area: str
    kind: str = DATA_PACK
    folder: Path | None = None
    crimes: int | None = None
    change_pct: float | None = None
    rate_per_1000: float | None = None
    asb: int | None = None
    high_rated_threats: int | None = None
    population: float | None = None
    warnings: tuple[str, ...] = ()
    problem: str = ""
    seconds: float = 0.0

    @property
    def rate_shown(self) -> float | None:
        """The headline rate to one decimal, rounded once from the count and population."""
        return rate_shown(self.crimes, self.population) if self.population else None


@dataclass(frozen=True)
class BatchResult:
    """Every area's result, the summary file and the areas left out of ``all``."""

    areas: tuple[AreaResult, ...]
    summary: Path
    left_out: Mapping[str, int]
    seconds: float


def run_batch(
    inputs: Path,
    outputs: Path,
    police_uk: Path,
    areas: str = "all",
    pdf: bool = False,
    allow_gaps: bool = False,
    workers: int | None = None,
    report: Callable[[str], None] = lambda _: None,
) -> BatchResult:
    """Write one output folder per area under ``outputs`` and ``outputs/batch-summary.csv``.

    ``areas`` is ``all`` or area names separated by commas. Raises InputError
    for bad inputs (assessment.yaml, areas.csv, an area's own folder, police.uk
    files, LSOA lookup) and UsageError for an unknown area; an area whose own
    run fails is reported in the summary, and the other areas still run.
    """
    from .pipeline import check_outputs_apart

    started = time.perf_counter()
    settings = load_settings(inputs)
    check_outputs_apart(inputs, outputs)
    cache = outputs / ".cache"
    street = read_street_counts(police_uk, year_months(settings.period_end)[0][-1], cache / "police_uk")
    found = area_lsoas(street)
    chosen, left_out = chosen_areas(found, areas, street)
    jobs = area_jobs(settings, inputs, outputs, police_uk, street, found, chosen, pdf, allow_gaps)
    _SHARED["street"] = street
    try:
        results = _run_jobs(jobs, workers, report)
    finally:
        _SHARED.clear()
    summary = outputs / SUMMARY_FILE
    write_summary(results, summary, outputs)
    return BatchResult(tuple(results), summary, left_out, round(time.perf_counter() - started, 2))


def area_jobs(
    settings: Settings,
    inputs: Path,
    outputs: Path,
    police_uk: Path,
    street: StreetCounts,
    found: Mapping[str, Sequence[str]],
    chosen: Sequence[str],
    pdf: bool,
    allow_gaps: bool,
) -> list[AreaJob]:
    """Each chosen area's job: its own scores or none, its partnership, population and rank.

    Raises InputError for a bad areas.csv or area folder (every problem at once).
    """
    problems = ProblemLog()
    entries = read_areas_file(inputs / AREAS_FILE, found, problems)
    folders = area_folders(inputs, found, problems)
    overrides = {area: _area_overrides(folder, inputs, problems) for area, folder in folders.items()}
    problems.raise_if_any()
    configured = configured_area(settings)
    populations = {**area_populations(settings, {name: found[name] for name in chosen})}
    for area, entry in entries.items():
        if entry.population:
            populations[area] = entry.population
    for area, fields in overrides.items():
        persons = (fields.get("population") or {}).get("persons")
        if persons:
            populations[area] = persons
    own = next((name for name in found if fold(name) == fold(configured)), None)
    if own is not None and settings.population.get("persons"):
        populations.setdefault(own, settings.population["persons"])
    ranks = force_ranks(street, settings.period_end, populations)
    top = load_model(model_path(settings.model, inputs)).ratings[0].name
    jobs = []
    for name in chosen:
        keep = fold(name) == fold(configured)
        scores = folders.get(name) or (inputs if keep and (inputs / WORKSHOP_FOLDER).is_dir() else None)
        jobs.append(
            AreaJob(
                area=name,
                inputs=inputs,
                outputs=outputs / area_slug(name),
                cache=outputs / ".cache",
                police_uk=police_uk,
                population=populations.get(name),
                keep_settings_area=keep,
                pdf=pdf,
                allow_gaps=allow_gaps,
                scores=scores,
                partnership=entries.get(name, AreaEntry()).partnership,
                overrides=overrides.get(name, {}),
                force_rank=ranks.get(name),
                top_rating=top,
                year_folder=settings.year_folder,
            )
        )
    return jobs


def read_areas_file(path: Path, found: Mapping[str, Sequence[str]], problems: ProblemLog) -> dict[str, AreaEntry]:
    """``areas.csv`` (optional): ``area,partnership,population``; problems name the line."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip().casefold() for name in reader.fieldnames or []]
        if "area" not in header:
            problems.add(Problem(AREAS_FILE, "has no area column", "use the header area,partnership,population"))
            return {}
        rows = [{(k or "").strip().casefold(): (v or "").strip() for k, v in row.items()} for row in reader]
    by_fold = {fold(name): name for name in found}
    entries: dict[str, AreaEntry] = {}
    for line, row in enumerate(rows, start=2):
        name = by_fold.get(fold(row.get("area", "")))
        if name is None:
            hint = did_you_mean(row.get("area", ""), found) or f"areas in the files: {', '.join(sorted(found))}"
            problems.add(
                Problem(
                    AREAS_FILE,
                    f"'{row.get('area', '')}' is not an area of the police.uk files",
                    hint,
                    cell=f"line {line}",
                )
            )
            continue
        entries[name] = AreaEntry(row.get("partnership", ""), _population(row.get("population", ""), line, problems))
    return entries


def _population(text: str, line: int, problems: ProblemLog) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = -1.0
    if value <= 0:
        problems.add(
            Problem(
                AREAS_FILE,
                f"population '{text}' is not a number of residents",
                "give a positive number, or leave it blank",
                cell=f"line {line}",
            )
        )
        return None
    return value


def area_folders(inputs: Path, found: Mapping[str, Sequence[str]], problems: ProblemLog) -> dict[str, Path]:
    """The areas with their own ``areas/<area>/`` folder (named as the area's output folder, e.g. ``torbay``)."""
    folder = inputs / AREAS_FOLDER
    if not folder.is_dir():
        return {}
    by_slug = {area_slug(name): name for name in found}
    folders: dict[str, Path] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_dir()):
        name = by_slug.get(area_slug(path.name))
        if name is None:
            hint = did_you_mean(path.name, list(by_slug)) or f"folder names: {', '.join(sorted(by_slug))}"
            problems.add(Problem(f"{AREAS_FOLDER}/{path.name}/", "names no area of the police.uk files", hint))
        elif not (path / WORKSHOP_FOLDER).is_dir():
            problems.add(
                Problem(
                    f"{AREAS_FOLDER}/{path.name}/", "has no workshops/ folder", "put the area's scoring workbooks in it"
                )
            )
        else:
            folders[name] = path
    return folders


def _area_overrides(folder: Path, inputs: Path, problems: ProblemLog) -> dict[str, Any]:
    path = folder / SETTINGS_FILE
    if not path.is_file():
        return {}
    try:
        return load_area_settings(path, str(path.relative_to(inputs)))
    except InputError as error:
        problems.problems.extend(error.problems)
        return {}


def force_ranks(street: StreetCounts, period_end: Any, populations: Mapping[str, float]) -> dict[str, tuple[int, int]]:
    """Each area's rank by crime rate per 1,000 (ASB excluded, the 12 months to the period end; 1 = lowest).

    Only areas with a population are ranked, and only when two or more have one.
    """
    months = set(year_months(period_end)[0])
    counts = street.counts
    crimes = counts[counts["month"].isin(months) & (counts["crime_type"] != ASB)]
    frame = crimes.assign(area=_area_of_rows(StreetCounts(crimes, street.months, (), 0)))
    totals = {str(k): int(v) for k, v in frame.groupby("area", observed=True)["count"].sum().items() if k}
    rates = {area: totals.get(area, 0) / people for area, people in populations.items() if people}
    if len(rates) < 2:
        return {}
    return {area: (1 + sum(1 for other in rates.values() if other < rate), len(rates)) for area, rate in rates.items()}


def area_lsoas(street: StreetCounts) -> dict[str, list[str]]:
    """Each local authority in the files with its LSOA codes."""
    names = authorities(street.counts)
    pairs = street.counts[["lsoa_code", "lsoa_name"]].drop_duplicates()
    code_of: dict[str, list[str]] = {}
    for code, name in zip(pairs["lsoa_code"], pairs["lsoa_name"], strict=True):
        code_of.setdefault(str(name), []).append(str(code))
    return {
        area: sorted(code for name in lsoa_names for code in code_of.get(name, []))
        for area, lsoa_names in names.items()
    }


def chosen_areas(
    found: Mapping[str, Sequence[str]], requested: str, street: StreetCounts
) -> tuple[list[str], dict[str, int]]:
    """The areas to run, and (for ``all``) the areas left out with their row counts.

    ``all`` takes the areas with rows in every month held. Raises UsageError
    naming an area that is not in the files.
    """
    if requested.strip().casefold() == "all":
        months = _months_by_area(street)
        kept = [name for name in sorted(found) if months.get(name, 0) == len(street.months)]
        rows = _rows_by_area(street)
        return kept, {name: rows.get(name, 0) for name in sorted(found) if name not in kept}
    by_fold = {fold(name): name for name in found}
    chosen: list[str] = []
    for name in (part.strip() for part in requested.split(",")):
        if not name:
            continue
        if fold(name) not in by_fold:
            hint = did_you_mean(name, found) or f"areas in the files: {', '.join(sorted(found))}"
            raise UsageError(f"--areas: no LSOA name in the police.uk files starts with '{name}'; {hint}")
        chosen.append(by_fold[fold(name)])
    if not chosen:
        raise UsageError("--areas: give `all` or area names separated by commas, e.g. Plymouth,Torbay")
    return list(dict.fromkeys(chosen)), {}


def _area_of_rows(street: StreetCounts) -> list[str]:
    lookup = {name: area for area, names in authorities(street.counts).items() for name in names}
    return [lookup.get(str(name), "") for name in street.counts["lsoa_name"]]


def _months_by_area(street: StreetCounts) -> dict[str, int]:
    frame = street.counts.assign(area=_area_of_rows(street))
    return {str(k): int(v) for k, v in frame.groupby("area")["month"].nunique().items() if k}


def _rows_by_area(street: StreetCounts) -> dict[str, int]:
    frame = street.counts.assign(area=_area_of_rows(street))
    return {str(k): int(v) for k, v in frame.groupby("area")["count"].sum().items() if k}


def configured_area(settings: Settings) -> str:
    """The area assessment.yaml describes: police_uk.area, else area_name, else the partnership."""
    if settings.police_uk is not None and settings.police_uk.area_file is None:
        return settings.police_uk.area
    return settings.area


def area_populations(settings: Settings, areas: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """Each area's population from the LSOA lookup's population column, where every LSOA has one.

    Raises InputError when the lookup file cannot be used.
    """
    path = settings.police_uk.lsoa_lookup if settings.police_uk else None
    if path is None:
        return {}
    problems = ProblemLog()
    lookup = read_lsoa_lookup(path, problems)
    problems.raise_if_any()
    if lookup is None:
        return {}
    people = {
        str(code): float(value)
        for code, value in zip(lookup["lsoa_code"], lookup["population"], strict=True)
        if not pd.isna(value)
    }
    return {
        area: sum(people[code] for code in codes)
        for area, codes in areas.items()
        if codes and all(code in people for code in codes)
    }


def area_slug(name: str) -> str:
    """A folder name for an area: ``Isles of Scilly`` -> ``isles-of-scilly``."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "area"


def area_settings(settings: Settings, job: AreaJob) -> Settings:
    """The settings for one area's run: police.uk files for the area, its name, population and rank.

    For any area but the one assessment.yaml describes, the figures and words
    that belong to that area (population, Most Similar Family, key statistics,
    trends narrative, plan) are left out, and the partnership is areas.csv's
    name or the area's own; an area's own assessment.yaml then sets its keys.
    """
    source = settings.police_uk or PoliceUkSettings(folder=job.police_uk, area=job.area)
    source = replace(
        source, folder=job.police_uk, area=job.area, area_file=None, allow_gaps=source.allow_gaps or job.allow_gaps
    )
    asb_row = source.categories.get(ASB, ASB)
    changed = replace(
        settings,
        crime_source="police_uk",
        police_uk=source,
        asb_row=asb_row,
        area_name=job.area,
        force_rank=job.force_rank,
    )
    if not job.keep_settings_area:
        changed = replace(
            changed,
            partnership=job.partnership or job.area,
            population={"persons": job.population} if job.population else {},
            most_similar_family=None,
            key_statistics=(),
            trends_narrative="",
            plan_on_a_page=None,
            author="",
            published="",
        )
    return replace(changed, **job.overrides) if job.overrides else changed


def run_area(job: AreaJob) -> AreaResult:
    """One area's complete run (in a worker process); a failure is returned, not raised."""
    from .pipeline import PARTS, generate, generate_data_pack

    started = time.perf_counter()
    street = _SHARED.get("street")

    def settings_for(settings: Settings) -> Settings:
        return area_settings(settings, job)

    _IN_AREA.append(job.area)
    try:
        if job.scores is None:
            result = generate_data_pack(job.inputs, job.outputs, job.pdf, settings_for, job.cache, street)
        else:
            plan = area_settings(load_settings(job.inputs), job).plan_on_a_page is not None
            parts = PARTS if plan else tuple(part for part in PARTS if part != "plan")
            result = generate(
                job.inputs,
                job.outputs,
                only=parts,
                pdf=job.pdf,
                settings_override=settings_for,
                cache=job.cache,
                scores=job.scores,
                street=street,
                whole=True,  # nothing of the folder's previous set survives (it may have been a data pack)
            )
    except InputError as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        return AreaResult(job.area, job.kind, problem=problems, seconds=time.perf_counter() - started)
    except (UsageError, OutputError) as error:
        return AreaResult(job.area, job.kind, problem=str(error), seconds=time.perf_counter() - started)
    except _AreaStopped as stop:
        os._exit(128 + int(stop.args[0]))  # the area's staging folder is removed; its folder is as it was, or new
    finally:
        _IN_AREA.clear()
    figures = headline_figures(job, result.folder)
    return replace(figures, warnings=tuple(result.warnings), seconds=round(time.perf_counter() - started, 2))


def headline_figures(job: AreaJob, folder: Path) -> AreaResult:
    """An area's headline figures, read back from the data/annual.csv (and ratings.csv) its run wrote."""
    annual = _csv_rows(folder / "data" / "annual.csv")
    crimes = next((row for row in annual if row.get("crime_type") == "All crime"), {})
    asb = next((row for row in annual if row.get("crime_type") == ASB), {})
    high = None
    if job.scores is not None:
        ratings = _csv_rows(folder / "ratings.csv")
        high = sum(1 for row in ratings if row.get("final_rating") == job.top_rating)
    return AreaResult(
        area=job.area,
        kind=job.kind,
        folder=folder,
        crimes=_whole(crimes.get("count_current")),
        change_pct=_decimal(crimes.get("change_pct")),
        rate_per_1000=_decimal(crimes.get("rate_per_1000")),
        asb=_whole(asb.get("count_current")),
        high_rated_threats=high,
        population=job.population if not crimes.get("population") else float(crimes["population"]),
    )


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _whole(text: str | None) -> int | None:
    return int(text) if text else None


def _decimal(text: str | None) -> float | None:
    return float(text) if text else None


def _run_jobs(jobs: Sequence[AreaJob], workers: int | None, report: Callable[[str], None]) -> list[AreaResult]:
    """Run the areas over worker processes (one per core unless told), reporting each as it finishes.

    Raises BatchStopped when a termination signal (SIGTERM, SIGINT) stops the
    run: the workers are stopped first (each removes its staging folder; an
    area's folder is never half replaced), then the message says which areas
    hold this run's outputs and which are as they were.
    """
    count = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    results: list[AreaResult] = []
    before = {job.area: _folder_identity(_year_folder(job)) for job in jobs}
    started = time.time_ns()
    pool = _executor(count)
    processes: list[multiprocessing.process.BaseProcess] = []
    try:
        futures = [pool.submit(run_area, job) for job in jobs]
        processes = multiprocessing.active_children()
        for future in as_completed(futures):
            result = future.result()
            for line in progress_lines(result):
                report(line)
            results.append(result)
    except BaseException as stop:
        try:
            signum = _stop_signal(stop, processes)
        except BaseException as late:  # this process's own stop signal, come while the workers' ends were read
            if isinstance(late, Exception):
                raise
            signum = _signal_number(late)
        _stop_workers(pool)
        if signum is None:
            raise
        raise BatchStopped(stopped_message(jobs, before, started), signum) from None
    pool.shutdown(wait=True)
    return sorted(results, key=lambda result: result.area)


def _stop_signal(stop: BaseException, workers: Sequence[_Ending]) -> int | None:
    """The termination signal that stopped the run, or None when ``stop`` is a failure to raise as it is.

    A signal sent to the whole process group (Ctrl-C, or a service manager's
    SIGTERM) reaches the workers too. A worker waiting between areas exits at
    once, and the pool may report itself broken before this process has
    raised its own signal's exception: a broken pool whose workers ended by
    SIGINT or SIGTERM is a stop by that signal, not a failure. The pool sees
    a worker end as it closes its files, a moment before its exit status can
    be read, so the status is waited for (``ENDING_SECONDS`` at most). A
    worker that ended any other way (a crash) makes it a failure, even when
    the pool then stopped the others with SIGTERM.
    """
    if not isinstance(stop, Exception):
        return _signal_number(stop)
    if not isinstance(stop, BrokenProcessPool):
        return None
    stopping = {int(signal.SIGINT), int(signal.SIGTERM)}
    deadline = time.monotonic() + ENDING_SECONDS
    while True:
        codes = [code for code in (worker.exitcode for worker in workers) if code is not None]
        signals = [code - 128 if code > 0 else -code for code in codes]
        if any(number not in stopping for number in signals):
            return None  # a worker crashed
        if signals:
            return signals[0]
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


class _Ending(Protocol):
    """What a worker's end is read from (a ``multiprocessing`` process)."""

    @property
    def exitcode(self) -> int | None: ...


ENDING_SECONDS = 2.0
"""How long a broken pool's workers' exit statuses are waited for before it is taken for a failure."""


def _signal_number(stop: BaseException) -> int:
    """The signal a termination exception carries (SIGINT for Ctrl-C's KeyboardInterrupt)."""
    return int(stop.args[0]) if stop.args and isinstance(stop.args[0], int) else int(signal.SIGINT)


class BatchStopped(BaseException):
    """A batch stopped by a termination signal, with the message saying exactly what is on disk."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message, signum)
        self.message = message
        self.signum = signum


def _year_folder(job: AreaJob) -> Path:
    return job.outputs / job.year_folder


def _folder_identity(folder: Path) -> tuple[int, int] | None:
    """A folder's device and inode (a published set is a new folder in its place), None when absent."""
    try:
        status = folder.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def stopped_message(jobs: Sequence[AreaJob], before: Mapping[str, tuple[int, int] | None], started_ns: int) -> str:
    """What a stopped batch leaves on disk: the areas holding this run's complete outputs, and the others.

    An area's year folder holds this run's outputs when it is no longer the
    folder that was there before the run and its manifest was written during
    the run (a set restored from an earlier run's backup keeps its old manifest).
    """
    new: list[str] = []
    kept: list[str] = []
    for job in jobs:
        folder = _year_folder(job)
        manifest = folder / "manifest.json"
        try:
            written = manifest.stat().st_mtime_ns >= started_ns
        except OSError:
            written = False
        replaced = _folder_identity(folder) != before.get(job.area) and written
        (new if replaced else kept).append(job.area)
    lines = ["Stopped; the batch summary was not written."]
    if new:
        verb = "holds" if len(new) == 1 else "hold"
        lines.append(f"{_areas(new)} {verb} this run's complete outputs: {', '.join(new)}.")
    if kept:
        verb = "is as it was" if len(kept) == 1 else "are as they were"
        lines.append(f"{_areas(kept)} {verb} before the run (no folder half written): {', '.join(kept)}.")
    return " ".join(lines)


def _areas(names: Sequence[str]) -> str:
    return plural(len(names), "area")


def left_out_line(left_out: Mapping[str, int]) -> str:
    """The areas ``all`` left out, each with its row count: ``Pembrokeshire (1 row), Powys (2,310 rows)``."""
    left = ", ".join(f"{name} ({plural(rows, 'row')})" for name, rows in left_out.items())
    return f"Left out areas without rows in every month (LSOAs beyond the force's own): {left}"


def wrote_line(results: Sequence[AreaResult], summary: Path, seconds: float) -> str:
    """The closing line: how many areas were written, and where the summary is."""
    written = sum(1 for result in results if not result.problem)
    return f"Wrote {plural(written, 'area')} and {summary} in {seconds:.1f} s"


def failed_line(results: Sequence[AreaResult]) -> str:
    """How many areas failed, and which: ``1 of 3 areas failed: Torbay`` (and ``1 of 1 areas``)."""
    failed = [result.area for result in results if result.problem]
    return f"{len(failed):,} of {len(results):,} areas failed: {', '.join(failed)}"


def _stop_workers(pool: Executor) -> None:
    """Stop the area workers now: each removes its staging folder and exits; none is left running."""
    pool.shutdown(wait=False, cancel_futures=True)
    processes = list(multiprocessing.active_children())
    for process in processes:
        if process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)


STOP_SECONDS = 10.0
"""How long the area workers have to clean up after the batch is stopped, before they are killed."""


def progress_lines(result: AreaResult) -> list[str]:
    """What the terminal hears of one area: its kind and time, then its warnings (a few, and where the rest are)."""
    if result.problem:
        return [f"{result.area}: failed: {result.problem}"]
    lines = [f"{result.area}: {result.kind} done in {result.seconds:.1f} s"]
    lines.extend(f"  Warning: {warning}" for warning in result.warnings[:WARNINGS_SHOWN])
    rest = len(result.warnings) - WARNINGS_SHOWN
    if rest > 0 and result.folder is not None:
        lines.append(f"  and {rest} more {'warning' if rest == 1 else 'warnings'} in {result.folder / 'manifest.json'}")
    return lines


def _executor(workers: int) -> Executor:
    """Worker processes forked (where the platform can) after the document and chart libraries are loaded."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(os.getpid(),))
    _preload()
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    )


_IN_AREA: list[str] = []  # the area this worker is running, if any


class _AreaStopped(BaseException):
    """Raised in an area worker by a termination signal: unwinds the area's run, removing its staging folder."""


def _start_worker(parent: int) -> None:
    """In each area worker: draw charts here (the areas already use every core), stop cleanly on a signal,
    and die with the batch even when it is killed outright."""
    from . import chartpack

    die_with_parent(parent)
    chartpack.MAX_WORKERS = 1
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, _worker_signal)


def _worker_signal(signum: int, _frame: Any) -> None:
    if _IN_AREA:
        raise _AreaStopped(signum)
    os._exit(128 + signum)  # between areas: nothing to clean up


def _preload() -> None:
    """Import the libraries every area's run needs once, so forked workers start with them loaded."""
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg
    import matplotlib.figure
    from matplotlib import font_manager

    from . import chart_selection, chartpack, pipeline, workshop_template
    from .documents import context, data_pack, pdf, render

    font_manager.findfont("DejaVu Sans")
    del matplotlib, chart_selection, chartpack, pipeline, workshop_template, context, data_pack, pdf, render


def write_summary(results: Sequence[AreaResult], path: Path, outputs: Path) -> None:
    """``batch-summary.csv``: one row per area with its kind, headline figures, warnings and output folder."""
    records = [
        {
            "area": result.area,
            "kind": result.kind,
            "crimes": result.crimes,
            "rate_per_1000": result.rate_per_1000,
            "change_pct": result.change_pct,
            "asb": result.asb,
            "high_rated_threats": result.high_rated_threats,
            "warnings": len(result.warnings),
            "problems": result.problem,
            "output_folder": str(result.folder.relative_to(outputs)) if result.folder else "",
        }
        for result in results
    ]
    write_csv(path, list(SUMMARY_COLUMNS), records)


def summary_table(results: Sequence[AreaResult]) -> str:
    """The summary as a plain-text table for the terminal."""
    header = ("Area", "Kind", "Crimes", "Rate/1,000", "Change", "ASB", "High", "Output folder")
    rows = [header] + [
        (
            result.area,
            result.kind,
            _shown(result.crimes, "{:,}"),
            _shown(result.rate_shown, "{:.1f}"),
            _shown(result.change_pct, "{:+.1f}%"),
            _shown(result.asb, "{:,}"),
            "" if result.high_rated_threats is None else str(result.high_rated_threats),
            str(result.folder) if result.folder else "failed (see below)",
        )
        for result in results
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [
        "  ".join(_aligned(cell, width, column) for column, (cell, width) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.extend(f"{result.area} failed: {result.problem}" for result in results if result.problem)
    return "\n".join(line.rstrip() for line in lines)


def _shown(value: int | float | None, pattern: str) -> str:
    return "n/a" if value is None else pattern.format(value)


def _aligned(cell: str, width: int, column: int) -> str:
    return cell.ljust(width) if column in (0, 1, 7) else cell.rjust(width)
