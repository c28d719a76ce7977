"""The edges of the performance update: its series read from the crime source, its files written.

``performance_update`` reads ``assessment.yaml``'s ``performance`` section and
the series it names (the crime workbook's ``monthly`` and ``quarterly``
sheets, or the police.uk files), and hands them to the pure stage in
``performance.py``; every problem found is raised together. ``write_performance_files``
writes the charts, the Word document, its PDF, the HTML page and
``performance.csv`` into a staging folder given by the pipeline, and
``write_performance_manifest`` the folder's own ``manifest.json``.

README, "The board's performance update", describes the update.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from .errors import InputError, Problem, ProblemLog, closest
from .performance import (
    PerformanceUpdate,
    SeriesValues,
    indicator_results,
    last_month_held,
    year_periods,
)
from .settings import SETTINGS_FILE, PerformanceSettings, Settings, load_settings, to_month_problem

PERFORMANCE_DOCX = "performance_update.docx"
PERFORMANCE_CSV = "performance.csv"
PERFORMANCE_HTML = "performance_update.html"
PERFORMANCE_MANIFEST = "manifest.json"


def performance_update(inputs: Path, to_month: str | None, cache: Path | None) -> PerformanceUpdate:
    """Read and work out the update for the inputs folder, to ``to_month`` (else the settings', else the last held).

    Raises InputError listing every problem: no performance section, a
    ``--to`` outside the year, series missing or with gaps, bad cells.
    """
    settings = load_settings(inputs)
    performance = settings.performance
    if performance is None:
        raise InputError(
            [
                Problem(
                    SETTINGS_FILE,
                    "has no performance section, so there is no performance update to write",
                    "add `performance:` with `indicators:` (name, series, aim); see the README",
                    cell="performance",
                )
            ]
        )
    if to_month:
        problem = to_month_problem(to_month, performance.year)
        if problem:
            raise InputError([Problem("--to", *problem)])
    log = ProblemLog()
    series = read_series(inputs, settings, performance, log, cache)
    log.raise_if_any()
    last = to_month or performance.to_month or last_month_held(performance, series)
    if not last:
        raise InputError(
            [Problem(SETTINGS_FILE, f"no indicator has a figure for {performance.year}", "", cell="performance")]
        )
    results = indicator_results(performance, series, last, log)
    log.raise_if_any()
    return PerformanceUpdate(
        partnership=settings.partnership,
        area=settings.area,
        author=settings.author or settings.partnership,
        year=performance.year,
        to_month=last,
        results=tuple(results),
        source=settings.crime_data_source,
        warnings=tuple(log.warnings),
    )


def read_series(
    inputs: Path, settings: Settings, performance: PerformanceSettings, log: ProblemLog, cache: Path | None
) -> dict[str, SeriesValues]:
    """The series the indicators name, from the workbook's sheets or the police.uk files."""
    if settings.crime_source == "police_uk" and settings.police_uk is not None:
        return _police_uk_series(settings, performance, log, cache)
    from .ingest.performance_sheets import read_performance_series

    try:
        return read_performance_series(inputs, performance, log)
    except InputError as error:
        log.problems.extend(error.problems)
        return {}


def _police_uk_series(
    settings: Settings, performance: PerformanceSettings, log: ProblemLog, cache: Path | None
) -> dict[str, SeriesValues]:
    from .ingest.police_uk import read_police_uk_monthly

    assert settings.police_uk is not None
    last = year_periods(performance.year, "monthly")[-1]
    try:
        table = read_police_uk_monthly(settings.police_uk, last, log, cache)
    except InputError as error:
        log.problems.extend(error.problems)
        return {}
    folder = settings.police_uk.folder.name
    names = [str(column) for column in table.columns if column != "month"]
    found: dict[str, SeriesValues] = {}
    for indicator in performance.indicators:
        column = next((name for name in names if name.casefold() == indicator.series.casefold()), None)
        if column is None:
            near = closest(indicator.series, names)
            hint = f"did you mean '{near}'?" if near else f"police.uk series: {', '.join(names)}"
            log.add(
                Problem(
                    SETTINGS_FILE,
                    f"series '{indicator.series}' is not a police.uk series",
                    hint,
                    cell=f"{indicator.place} › series",
                )
            )
            continue
        months = {str(m): float(v) for m, v in zip(table["month"], table[column], strict=True) if v is not None}
        values = _quarters(months) if indicator.frequency == "quarterly" else months
        found[indicator.series] = SeriesValues(indicator.series, values, {}, (folder, ""))
    return found


def _quarters(months: dict[str, float]) -> dict[str, float]:
    """Monthly counts added into financial quarters; a quarter with a month not held is left out."""
    quarters: dict[str, float] = {}
    years = {int(month[:4]) - (int(month[5:]) < 4) for month in months}
    for first in years:
        label = f"{first}/{(first + 1) % 100:02d}"
        periods = year_periods(label, "monthly")
        for quarter in range(4):
            held = [months.get(period) for period in periods[3 * quarter : 3 * quarter + 3]]
            if all(value is not None for value in held):
                quarters[f"{label} Q{quarter + 1}"] = float(sum(v for v in held if v is not None))
    return quarters


def write_performance_files(
    update: PerformanceUpdate, staging: Path, cache: Path, pdf: bool, timeout: float
) -> list[str]:
    """Charts, ``performance_update.docx`` (+ PDF), the HTML page and ``performance.csv`` into ``staging``.

    Returns the warnings to show (a PDF that could not be made).
    """
    from .chartpack import ChartPack
    from .documents.performance import CSV_COLUMNS, performance_records
    from .performance_charts import indicator_chart
    from .staging import write_csv

    warnings = [str(warning) for warning in update.warnings]
    specs = [
        indicator_chart(result, update.area, result.indicator.source or update.source) for result in update.results
    ]
    with ChartPack(specs, staging / "charts", cache / "charts") as pack:
        write_csv(staging / PERFORMANCE_CSV, CSV_COLUMNS, performance_records(update.results))
        charts = pack.wait()
        _write_docx(update, charts, staging)
        _write_html(update, charts, staging)
    if pdf:
        from .documents.office import pdf_copies_made

        if warning := pdf_copies_made([staging / PERFORMANCE_DOCX], staging, timeout):
            warnings.append(warning)
    return warnings


def _write_docx(update: PerformanceUpdate, charts: list[Any], staging: Path) -> None:
    from docx.shared import Mm
    from docxtpl import InlineImage

    from .documents.performance import IndicatorChart, performance_context
    from .documents.render import image_digest, render_template, template_path

    alt_texts = {image_digest(chart.png.read_bytes()): chart.spec.alt_text for chart in charts}

    def context(template: Any, builder: Any) -> dict[str, Any]:
        images = {
            result.indicator.name: IndicatorChart(
                InlineImage(template, str(chart.png), width=Mm(160)), chart.spec.title, chart.spec.alt_text
            )
            for result, chart in zip(update.results, charts, strict=True)
        }
        return performance_context(update, builder, images)

    title = f"{update.partnership}: performance update"
    document = render_template(template_path(PERFORMANCE_DOCX), context, alt_texts, title, update.author)
    document.save(str(staging / PERFORMANCE_DOCX))


def _write_html(update: PerformanceUpdate, charts: list[Any], staging: Path) -> None:
    """The website page beside the document: its charts are the SVGs in ``charts/``."""
    from .documents.html import HtmlBuilder
    from .documents.html_render import HtmlChart, chart_data_table, render_html_page
    from .documents.performance import IndicatorChart, performance_context

    images = {
        result.indicator.name: IndicatorChart(
            HtmlChart(
                f"charts/{chart.svg.name}", chart_data_table(chart.csv, f"Data for the chart: {chart.spec.title}")
            ),
            chart.spec.title,
            chart.spec.alt_text,
        )
        for result, chart in zip(update.results, charts, strict=True)
    }
    render_html_page(PERFORMANCE_HTML, performance_context(update, HtmlBuilder(), images), staging)


def performance_input_files(inputs: Path) -> list[Path]:
    """The input files the update reads: the settings, and the crime workbook when its sheets are the source."""
    from .ingest.crime_workbook import CRIME_FILE
    from .ingest.excel import find_workbook

    files = [inputs / SETTINGS_FILE]
    settings = load_settings(inputs)
    if settings.crime_source != "police_uk":
        with contextlib.suppress(InputError):  # the update was worked out, so the workbook was there to read
            files.append(find_workbook(inputs, CRIME_FILE)[0])
    return files


def write_performance_manifest(
    staging: Path, inputs: Path, update: PerformanceUpdate, warnings: list[str], timings: dict[str, float]
) -> None:
    """``manifest.json`` of the performance folder: every file in it, the inputs with their sha256, the settings.

    The update is written by its own command into its own folder, so the folder has
    its own manifest; the year's manifest leaves the folder to it.
    """
    import datetime as dt
    import hashlib
    import json

    from . import __version__

    settings = load_settings(inputs)
    files = sorted({*(p.relative_to(staging) for p in staging.rglob("*") if p.is_file()), Path(PERFORMANCE_MANIFEST)})
    manifest = {
        "program": "strategic-assessment",
        "version": __version__,
        "command": "performance",
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": [
            {"file": str(path.relative_to(inputs)), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
            for path in performance_input_files(inputs)
        ],
        "settings": {
            "partnership": update.partnership,
            "year": update.year,
            "to_month": update.to_month,
            "crime_source": settings.crime_source,
            "police_uk_folder": str(settings.police_uk.folder) if settings.police_uk else None,
            "indicators": [result.indicator.name for result in update.results],
            "inputs_folder": str(inputs.resolve()),
        },
        "outputs": [path.as_posix() for path in files],
        "warnings": warnings,
        "timings_seconds": timings,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (staging / PERFORMANCE_MANIFEST).write_text(text, encoding="utf-8")
