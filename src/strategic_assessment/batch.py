"""A complete assessment for every local authority of a police force, in parallel (the ``batch`` command).

The areas are the local authorities that the force's LSOA names start with
(``Plymouth 023B`` -> ``Plymouth``); ``all`` takes those with rows in every
month held, leaving out the few LSOAs of neighbouring areas that a force's
files pick up. Each area's run is the ordinary ``generate`` on the inputs
folder's assessment.yaml and workshops, its settings changed in memory (the
inputs folder is never written): the area and the partnership's name become
the area's, and the population is the configured area's own, or the sum of
the LSOA lookup's populations, or unknown. Areas run in worker processes, one
per core, sharing one cache; ``batch-summary.csv`` lists each area's headline
figures.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .calculations import round_half_up
from .errors import InputError, OutputError, ProblemLog, UsageError, did_you_mean
from .facts import fold
from .ingest.police_uk import ASB, StreetCounts, authorities, read_lsoa_lookup, read_street_counts, year_months
from .outputs import write_csv
from .settings import PoliceUkSettings, Settings, load_settings

SUMMARY_FILE = "batch-summary.csv"
SUMMARY_COLUMNS = (
    "area",
    "crimes",
    "change_pct",
    "rate_per_1000",
    "asb",
    "high_rated_threats",
    "output_folder",
    "problem",
)


@dataclass(frozen=True)
class AreaJob:
    """One area's run: what to read, where to write, and its population (None: unknown)."""

    area: str
    inputs: Path
    outputs: Path
    cache: Path
    police_uk: Path
    population: float | None
    keep_settings_area: bool
    pdf: bool = False
    allow_gaps: bool = False


@dataclass(frozen=True)
class AreaResult:
    """One area's headline figures, or the problem that stopped its run."""

    area: str
    folder: Path | None = None
    crimes: int | None = None
    change_pct: float | None = None
    rate_per_1000: float | None = None
    asb: int | None = None
    high_rated_threats: int | None = None
    problem: str = ""
    seconds: float = 0.0


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
    """Write one complete output folder per area under ``outputs`` and ``outputs/batch-summary.csv``.

    ``areas`` is ``all`` or area names separated by commas. Raises InputError
    for bad inputs (assessment.yaml, police.uk files, LSOA lookup) and
    UsageError for an unknown area; an area whose own run fails is reported
    in the summary, and the other areas still run.
    """
    from .pipeline import check_outputs_apart

    started = time.perf_counter()
    settings = load_settings(inputs)
    check_outputs_apart(inputs, outputs)
    cache = outputs / ".cache"
    street = read_street_counts(police_uk, year_months(settings.period_end)[0][-1], cache / "police_uk")
    found = area_lsoas(street)
    chosen, left_out = chosen_areas(found, areas, street)
    populations = area_populations(settings, {name: found[name] for name in chosen})
    configured = configured_area(settings)
    jobs = [
        AreaJob(
            area=name,
            inputs=inputs,
            outputs=outputs / area_slug(name),
            cache=cache,
            police_uk=police_uk,
            population=populations.get(name),
            keep_settings_area=fold(name) == fold(configured),
            pdf=pdf,
            allow_gaps=allow_gaps,
        )
        for name in chosen
    ]
    results = _run_jobs(jobs, workers, report)
    summary = outputs / SUMMARY_FILE
    write_summary(results, summary, outputs)
    return BatchResult(tuple(results), summary, left_out, round(time.perf_counter() - started, 2))


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
    """The settings for one area's run: police.uk files for the area, its name and population.

    For any area but the one assessment.yaml describes, the figures that
    belong to that area (population, Most Similar Family, key statistics) are
    replaced or left out, and the area's name takes the place of the old one
    in the partnership's name and the plan's title.
    """
    source = settings.police_uk or PoliceUkSettings(folder=job.police_uk, area=job.area)
    source = replace(
        source, folder=job.police_uk, area=job.area, area_file=None, allow_gaps=source.allow_gaps or job.allow_gaps
    )
    asb_row = source.categories.get(ASB, ASB)
    changed = replace(settings, crime_source="police_uk", police_uk=source, asb_row=asb_row, area_name=job.area)
    if job.keep_settings_area:
        return changed
    old = configured_area(settings)
    plan = settings.plan_on_a_page
    return replace(
        changed,
        partnership=_renamed(settings.partnership, old, job.area, f"{job.area} Community Safety Partnership"),
        population={"persons": job.population} if job.population else {},
        most_similar_family=None,
        key_statistics=(),
        trends_narrative="",
        plan_on_a_page=replace(plan, title=_renamed(plan.title, old, job.area, "")) if plan and plan.title else plan,
    )


def _renamed(text: str, old: str, new: str, otherwise: str) -> str:
    """``Safer Plymouth`` -> ``Safer Torbay``; text without the old area's name becomes ``otherwise``."""
    if old and old in text:
        return text.replace(old, new)
    return otherwise


def run_area(job: AreaJob) -> AreaResult:
    """One area's complete run (in a worker process); a failure is returned, not raised."""
    from .pipeline import generate

    started = time.perf_counter()
    try:
        result = generate(
            job.inputs,
            job.outputs,
            pdf=job.pdf,
            settings_override=lambda settings: area_settings(settings, job),
            cache=job.cache,
        )
    except InputError as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        return AreaResult(job.area, problem=problems, seconds=time.perf_counter() - started)
    except (UsageError, OutputError) as error:
        return AreaResult(job.area, problem=str(error), seconds=time.perf_counter() - started)
    return replace(headline_figures(job.area, result.folder), seconds=round(time.perf_counter() - started, 2))


def headline_figures(area: str, folder: Path) -> AreaResult:
    """An area's headline figures, read back from the data/annual.csv and ratings.csv its run wrote."""
    annual = _csv_rows(folder / "data" / "annual.csv")
    ratings = _csv_rows(folder / "ratings.csv")
    crimes = next((row for row in annual if row.get("crime_type") == "All crime"), {})
    asb = next((row for row in annual if row.get("crime_type") == ASB), {})
    return AreaResult(
        area=area,
        folder=folder,
        crimes=_whole(crimes.get("count_current")),
        change_pct=_decimal(crimes.get("change_pct")),
        rate_per_1000=_decimal(crimes.get("rate_per_1000")),
        asb=_whole(asb.get("count_current")),
        high_rated_threats=sum(1 for row in ratings if row.get("final_rating") == "High"),
    )


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _whole(text: str | None) -> int | None:
    return int(text) if text else None


def _decimal(text: str | None) -> float | None:
    return float(text) if text else None


def _run_jobs(jobs: Sequence[AreaJob], workers: int | None, report: Callable[[str], None]) -> list[AreaResult]:
    """Run the areas over worker processes (one per core unless told), reporting each as it finishes."""
    count = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    results: list[AreaResult] = []
    with _executor(count) as pool:
        futures = [pool.submit(run_area, job) for job in jobs]
        for future in as_completed(futures):
            result = future.result()
            status = f"failed: {result.problem}" if result.problem else f"done in {result.seconds:.1f} s"
            report(f"{result.area}: {status}")
            results.append(result)
    return sorted(results, key=lambda result: result.area)


def _executor(workers: int) -> Executor:
    """Worker processes forked (where the platform can) after the document and chart libraries are loaded."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return ProcessPoolExecutor(max_workers=workers)
    _preload()
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def _preload() -> None:
    """Import the libraries every area's run needs once, so forked workers start with them loaded."""
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg
    from matplotlib import font_manager

    from . import chart_selection, chartpack, pipeline
    from .documents import context, pdf, render

    font_manager.findfont("DejaVu Sans")
    del matplotlib, chart_selection, chartpack, pipeline, context, pdf, render


def write_summary(results: Sequence[AreaResult], path: Path, outputs: Path) -> None:
    """``batch-summary.csv``: one row per area with its headline figures and output folder."""
    records = [
        {
            "area": result.area,
            "crimes": result.crimes,
            "change_pct": result.change_pct,
            "rate_per_1000": result.rate_per_1000,
            "asb": result.asb,
            "high_rated_threats": result.high_rated_threats,
            "output_folder": str(result.folder.relative_to(outputs)) if result.folder else "",
            "problem": result.problem,
        }
        for result in results
    ]
    write_csv(path, list(SUMMARY_COLUMNS), records)


def summary_table(results: Sequence[AreaResult]) -> str:
    """The summary as a plain-text table for the terminal."""
    header = ("Area", "Crimes", "Change", "Rate/1,000", "ASB", "High", "Output folder")
    rows = [header] + [
        (
            result.area,
            _shown(result.crimes, "{:,}"),
            _shown(result.change_pct, "{:+.1f}%"),
            _shown(None if result.rate_per_1000 is None else round_half_up(result.rate_per_1000, 1), "{:.1f}"),
            _shown(result.asb, "{:,}"),
            _shown(result.high_rated_threats, "{}"),
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
    return cell.ljust(width) if column in (0, 6) else cell.rjust(width)
