"""The one place that sequences the stages: read and check inputs, score, write outputs.

``build_assessment`` reads every input and reports every problem found in one
InputError; ``write_scores`` writes the ratings and derived tables into the
year's output folder through a staging folder, so a failed run leaves the
previous outputs as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import pickle
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .changes import carried_forward_threats, rating_changes
from .errors import InputError, Problem, ProblemLog, UsageError, did_you_mean
from .facts import annual_figures, crime_figures, figures_by_crime_type
from .family import with_family
from .merge import merge_workshops, unscored_themes
from .model import Model, load_model, model_path
from .names import fold
from .records import Assessment as Assessment
from .records import CrimeData, CrimeFigures, MergedThreat, PreviousRating, ThemeNarrative
from .reuse import DOCUMENT_KEYS, Kept, KeptDocuments, ParsedInputs, content_key, document_key
from .scoring import score_threats
from .settings import SETTINGS_FILE, Settings, load_settings
from .staging import Beside, carry_untouched, staged_folder, write_data_tables, write_ratings

if TYPE_CHECKING:
    from .documents.office import OfficeSession
    from .ingest.police_uk import StreetCounts

PREVIOUS_FILE = "previous/ratings.csv"  # as ingest.previous names it (imported only when it is read)

log = logging.getLogger(__name__)
T = TypeVar("T")


def build_assessment(
    inputs: Path,
    carry_forward: bool = False,
    settings_override: Callable[[Settings], Settings] | None = None,
    cache: Path | None = None,
    scores: Path | None = None,
    street: StreetCounts | None = None,
    kept: Kept | None = None,
    parsed: Path | None = None,
) -> Assessment:
    """Read, check and score every input in the folder.

    ``carry_forward`` reuses last year's scores (previous/ratings.csv) for
    threats no workshop scored this year; ``settings_override`` adjusts the
    settings read from assessment.yaml (a batch run over many areas);
    ``cache`` is where parsed police.uk files are kept (None: no cache);
    ``scores`` is the folder holding ``workshops/`` and ``previous/`` (default
    the inputs folder; a batch area's own ``areas/<area>/``); ``street`` is
    police.uk files already read; ``kept`` holds what earlier calls read
    (``watch``): a reading stage whose files and settings are unchanged is
    not read again; ``parsed`` is a folder where parsed inputs are kept between processes
    (``reuse.ParsedInputs``; None: none kept). Raises InputError listing every problem found; settings
    and model problems are reported first, since nothing else can be checked
    without them.
    """
    if not inputs.is_dir():
        raise UsageError(f"inputs folder '{inputs}' not found; give the folder holding {SETTINGS_FILE} with --inputs")
    on_disk = ParsedInputs(parsed) if parsed is not None else None
    settings = _read_kept(on_disk, "settings", str(inputs), [inputs / SETTINGS_FILE], lambda: load_settings(inputs))
    if settings_override is not None:
        settings = settings_override(settings)
    path = model_path(settings.model, inputs)
    model = _read_kept(on_disk, "model", str(path), [path], lambda: load_model(path))
    problems = ProblemLog()
    root = scores or inputs
    basis = f"{settings!r}\n{model.sha256}"
    readers = _Readers((kept or on_disk) if street is None else None, problems, basis)
    crime = readers.read(
        "crime",
        crime_files(inputs, settings),
        lambda log: crime_figures(read_crime_data(inputs, settings, log, cache, street), settings),
    )
    workshop_folder = root / "workshops"
    workshop_files = list(workshop_folder.iterdir()) if workshop_folder.is_dir() else []
    workshops = readers.read("workshops", workshop_files, lambda log: _workshops(root, model, settings.year, log))
    previous_files = [root / PREVIOUS_FILE]
    previous = readers.read("previous", previous_files, lambda log: _previous_ratings(root, model, log)) or {}
    if crime is None or workshops is None:
        raise InputError(problems.problems)
    settings = with_family(settings, crime.comparators, crime.source, problems)
    _check_named_rows(settings, crime, problems)
    crime_types = {fold(name): name for name in crime.crime_types}
    threats, disagreements = merge_workshops(workshops.entries, model, workshops.themes, crime_types, problems)
    threats = _with_previous(threats, previous, model, settings.year, carry_forward, problems)
    figures = crime.figures
    ratings = score_threats(model, threats, figures, settings.year, problems)
    _note_gaps(workshops.themes, threats, workshops.themes_file, problems)
    if settings.plan_on_a_page is None:
        problems.warn(_no_plan_problem())
    problems.raise_if_any()
    previous_file = [root / PREVIOUS_FILE] if previous else []
    return Assessment(
        settings=settings,
        model=model,
        crime=crime,
        figures=figures,
        threats=threats,
        ratings=ratings,
        disagreements=disagreements,
        themes=workshops.themes,
        warnings=tuple(problems.warnings),
        input_files=(inputs / SETTINGS_FILE, *crime_input_files(inputs, crime), *workshops.files, *previous_file),
        changes=tuple(rating_changes(ratings, previous, model)) if previous else (),
    )


def read_crime_data(
    inputs: Path,
    settings: Settings,
    problems: ProblemLog,
    cache: Path | None = None,
    street: StreetCounts | None = None,
) -> CrimeData:
    """The crime tables from the source the settings name: police.uk files or ``crime_data.xlsx``.

    ``cache`` is where parsed police.uk files are kept (None: no cache); ``street``
    is police.uk files already read (a batch reads them once for all areas).
    """
    if settings.crime_source == "police_uk" and settings.police_uk is not None:
        from .ingest.police_uk import police_uk_tables, read_police_uk

        if street is not None:
            return police_uk_tables(settings.police_uk, settings.year, settings.period_end, street, problems)
        return read_police_uk(settings.police_uk, settings.year, settings.period_end, problems, cache)
    percent = [i.series for i in settings.performance.indicators if i.unit == "percent"] if settings.performance else []
    from .ingest.crime_workbook import read_crime_workbook

    return read_crime_workbook(inputs, settings.year, settings.population, problems, percent)


def crime_files(inputs: Path, settings: Settings) -> list[Path] | None:
    """Every file the crime stage may read, so its result is kept while none of them changes (None: not known).

    The crime workbook is found among the inputs folder's files. For police.uk, every street file of the
    folder (those after the period end too, which are not read: a new month reads the stage again), the
    LSOA lookup and the area's file of LSOA codes; None when the folder is missing, so the reader says so.
    """
    source = settings.police_uk
    if settings.crime_source == "workbook" or source is None:
        return [path for path in inputs.iterdir() if path.is_file()]
    if not source.folder.is_dir():
        return None
    files = [*source.folder.glob("*/*-street.csv"), *source.folder.glob("*-street.csv")]
    return files + [path for path in (source.lsoa_lookup, source.area_file) if path is not None]


def crime_input_files(inputs: Path, crime: CrimeFigures) -> list[Path]:
    """The crime input files to list in the manifest."""
    path = inputs / crime.source
    return [path] if path.is_file() else []


def _previous_ratings(inputs: Path, model: Model, problems: ProblemLog) -> dict[str, PreviousRating]:
    path = inputs / PREVIOUS_FILE
    if not path.is_file():
        return {}
    from .ingest.previous import read_previous_ratings

    return read_previous_ratings(path, PREVIOUS_FILE, model, problems)


def _with_previous(
    threats: tuple[MergedThreat, ...],
    previous: dict[str, PreviousRating],
    model: Model,
    year: str,
    carry_forward: bool,
    problems: ProblemLog,
) -> tuple[MergedThreat, ...]:
    """Report last year's threats no workshop scored; add them back with ``--carry-forward``."""
    carried = carried_forward_threats(previous, threats, model, year)
    for threat in carried:
        action = "its previous scores are reused" if carry_forward else "use --carry-forward to reuse its scores"
        problems.warn(
            Problem(PREVIOUS_FILE, f"'{threat.threat}' was rated last year but no workshop scored it this year", action)
        )
    return (*threats, *carried) if carry_forward else threats


def _workshops(root: Path, model: Model, year: str, problems: ProblemLog) -> Any:
    from .ingest.workshops import read_workshops

    return read_workshops(root, model, year, problems)


def _read_kept(
    store: Kept | ParsedInputs | None, name: str, basis: str, files: list[Path], reader: Callable[[], T]
) -> T:
    """A settings or model file read through ``store`` (its problems raise, as the reader's do)."""
    if store is None:
        return reader()
    return store.read(name, content_key(name, basis, files), lambda _: reader(), ProblemLog())


class _Readers:
    """Runs the reading stages of ``build_assessment``, reusing what ``kept`` holds for unchanged files."""

    def __init__(self, kept: Kept | ParsedInputs | None, problems: ProblemLog, basis: str) -> None:
        self.kept = kept
        self.problems = problems
        self.basis = basis

    def read(self, name: str, files: Sequence[Path] | None, reader: Callable[[ProblemLog], T]) -> T | None:
        """The stage's result, or None when it raised InputError (its problems are added to the log).

        ``files`` are every file the stage reads (None: not known here, so it is always read).
        """
        try:
            if self.kept is None or files is None:
                return reader(self.problems)
            return self.kept.read(name, content_key(name, self.basis, files), reader, self.problems)
        except InputError as error:
            self.problems.problems.extend(error.problems)
            return None


def _check_named_rows(settings: Settings, crime: CrimeFigures, problems: ProblemLog) -> None:
    names = {fold(name) for name in crime.crime_types}
    table = f"{crime.source} › annual" if settings.crime_source == "workbook" else "the police.uk crime types"
    checks = [(key, getattr(settings, key)) for key in ("headline_row", "asb_row")]
    checks += [("share_rows", name) for name in settings.share_rows]
    checks += [("chart_exclude", name) for name in settings.chart_exclude]
    for key, name in checks:
        if name and fold(name) not in names:
            hint = did_you_mean(name, list(crime.crime_types)) or f"name a row of {table}"
            problems.add(
                Problem(
                    SETTINGS_FILE,
                    f"{key} '{name}' is not a row of {table}",
                    hint,
                    cell=key,
                )
            )


def _note_gaps(
    themes: Sequence[ThemeNarrative],
    threats: Sequence[MergedThreat],
    themes_file: str,
    problems: ProblemLog,
) -> None:
    if not themes:
        problems.warn(
            Problem(
                "workshops/",
                "no workbook has a themes sheet",
                "add one so each theme section has its narrative",
            )
        )
    for theme in unscored_themes(themes, threats):
        problems.warn(Problem(themes_file, f"theme '{theme}' has no scored threats", "", sheet="themes"))


def with_changed_scores(assessment: Assessment, changes: Sequence[tuple[str, str, int]]) -> Assessment:
    """The assessment rescored with some factor scores replaced (``score --what-if``); nothing is read again.

    Raises UsageError naming an unknown threat or factor, or a value outside the factor's range.
    """
    threats = _apply_what_if(assessment.threats, assessment.model, changes)
    ratings = score_threats(assessment.model, threats, assessment.figures, assessment.settings.year, ProblemLog())
    return replace(assessment, threats=threats, ratings=ratings)


def _apply_what_if(
    threats: tuple[MergedThreat, ...], model: Model, changes: Sequence[tuple[str, str, int]]
) -> tuple[MergedThreat, ...]:
    """Threats with some factor scores replaced, for ``score --what-if``."""
    if not changes:
        return threats
    updated = list(threats)
    for name, key, value in changes:
        index = next((i for i, t in enumerate(updated) if fold(t.threat) == fold(name)), None)
        if index is None:
            hint = did_you_mean(name, [t.threat for t in updated]) or "check the threat's name"
            raise UsageError(f"--what-if: no threat named '{name}'; {hint}")
        if key not in model.factor_keys:
            hint = did_you_mean(key, model.factor_keys) or f"factors: {', '.join(model.factor_keys)}"
            raise UsageError(f"--what-if: '{key}' is not a factor of the {model.name} model; {hint}")
        factor = model.factor(key)
        if value not in factor.allowed:
            raise UsageError(f"--what-if: {key} {value} is outside {factor.low}-{factor.high}")
        threat = updated[index]
        entry = threat.factors[key]
        factors = {**threat.factors, key: replace(entry, value=value, given=(("what-if", value),), fixed=True)}
        updated[index] = replace(threat, factors=factors)
    return tuple(updated)


def output_folder(outputs: Path, settings: Settings) -> Path:
    """The year's output folder: ``outputs/2018-19``."""
    return outputs / settings.year_folder


def write_scores(assessment: Assessment, outputs: Path) -> Path:
    """Write ratings.csv/xlsx and data/*.csv into the year's folder; returns the folder.

    The other files of the folder (documents, charts) are carried into the new
    set, which replaces the folder whole, with a manifest describing it.
    Raises OutputError when the folder cannot be written.
    """
    started = time.perf_counter()
    target = output_folder(outputs, assessment.settings)
    check_outputs_apart(assessment.settings.inputs, outputs, target)
    with staged_folder(target) as staging:
        _write_tables(assessment, staging)
        timings = {"total": round(time.perf_counter() - started, 3)}
        _finish_set(staging, target, assessment, {"ratings"}, _run_warnings(assessment), timings)
    return target


PART_FILES: dict[str, tuple[str, ...]] = {
    "charts": ("charts/",),
    "ratings": ("ratings.csv", "ratings.xlsx", "data/"),
    "assessment": ("strategic_assessment.docx", "strategic_assessment.pdf"),
    "plan": ("plan_on_a_page.docx", "plan_on_a_page.pdf"),
    "html": ("html/",),
}
MANIFEST = "manifest.json"
PERFORMANCE_FOLDER = "performance"  # the update's own folder, with its own manifest, written by its own command


def part_of(relative: Path, parts: set[str]) -> bool:
    """True when a file of the year's folder (a path relative to it) belongs to one of the parts."""
    name = relative.as_posix()
    for part in parts:
        for entry in PART_FILES[part]:
            if name == entry or (entry.endswith("/") and name.startswith(entry)):
                return True
    return False


def _finish_set(
    staging: Path,
    target: Path,
    assessment: Assessment,
    parts: set[str],
    warnings: Sequence[str],
    timings: dict[str, float],
    carry: bool = True,
    kind: str = "assessment",
    documents: KeptDocuments | None = None,
) -> list[Path]:
    """Carry the files of the current set this run does not write, then write the manifest of the whole set.

    A partial run (``score``, ``--only``) keeps the other parts; every run keeps what
    belongs to no part (the ``performance/`` update, written by its own command).
    Without ``carry`` nothing of the current set is kept.
    """
    carried = (
        carry_untouched(target, staging, lambda path: path.as_posix() == MANIFEST or part_of(path, parts))
        if carry
        else []
    )
    files = sorted(path.relative_to(staging) for path in staging.rglob("*") if path.is_file())
    files = sorted({*files, Path(MANIFEST)})
    own = [name for name in files if name.parts[0] != PERFORMANCE_FOLDER]  # performance/ has its own manifest
    kept = [name for name in carried if name.parts[0] != PERFORMANCE_FOLDER]
    keys = (documents or KeptDocuments(target, False)).for_manifest(staging)
    write_manifest(
        staging / MANIFEST, assessment, own, warnings, timings, sorted(parts), kept, kind, document_keys=keys
    )
    return files


def _run_warnings(assessment: Assessment) -> list[str]:
    warnings = [str(warning) for warning in assessment.warnings]
    warnings.extend(f"Disagreement: {d.describe()}" for d in assessment.disagreements)
    return warnings


def check_outputs_apart(inputs: Path, outputs: Path, year_folder: Path | None = None) -> None:
    """Raise UsageError when writing outputs could touch the inputs (inputs are read-only).

    The outputs folder must not be, or be inside, the inputs folder; the year's
    folder (replaced whole by ``generate``) must not be, hold, or be inside it either.
    """
    inputs_resolved = inputs.resolve()
    for folder, replaced_whole in ((outputs, False), (year_folder, True)):
        if folder is None:
            continue
        resolved = folder.resolve()
        holds_inputs = replaced_whole and resolved in inputs_resolved.parents
        if resolved == inputs_resolved or inputs_resolved in resolved.parents or holds_inputs:
            raise UsageError(
                f"writing outputs to '{folder}' would touch the inputs folder '{inputs}'; inputs are never "
                "written: choose another folder with --outputs"
            )


PARTS = ("charts", "ratings", "assessment", "plan", "html")
ASSESSMENT_DOCX = "strategic_assessment.docx"
PLAN_DOCX = "plan_on_a_page.docx"


@dataclass
class GenerateResult:
    """What a ``generate`` run wrote, with its warnings and the time each stage took."""

    folder: Path
    files: list[Path]
    warnings: list[str]
    timings: dict[str, float]
    kept: list[str] = field(default_factory=list)
    """The documents taken from the set before because they would have rendered the same."""


class _Stages:
    """Runs stages in order, timing each and reporting progress."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self.report = report
        self.timings: dict[str, float] = {}

    def run(self, name: str, work: Callable[[], T]) -> T:
        self.report(name)
        started = time.perf_counter()
        result = work()
        self.timings[name] = round(time.perf_counter() - started, 3)
        return result


def generate(
    inputs: Path,
    outputs: Path,
    only: Sequence[str] = (),
    pdf: bool = True,
    report: Callable[[str], None] = lambda _: None,
    pdf_timeout: float | None = None,
    carry_forward: bool = False,
    settings_override: Callable[[Settings], Settings] | None = None,
    cache: Path | None = None,
    scores: Path | None = None,
    street: StreetCounts | None = None,
    office: OfficeSession | None = None,
    assessment: Assessment | None = None,
    whole: bool = False,
) -> GenerateResult:
    """Validate, score and write every output for the year (or only the parts named).

    Everything is written into a staging folder first; the year's folder is
    replaced only when all succeeded. ``cache`` holds drawn charts and parsed
    police.uk files (default ``OUTPUTS/.cache``; a batch's areas share one).
    ``office`` is a LibreOffice kept running for the PDF copies (else one is
    started for them).
    ``assessment`` is the inputs already read and checked (``watch``), in
    place of reading them here. ``whole`` replaces the folder with exactly
    this run's files, carrying nothing from the set before (a batch area,
    which may have been a data pack). Raises InputError on bad input and
    OutputError when the outputs folder cannot be written.
    """
    from .documents.pdf import DEFAULT_TIMEOUT

    started = time.perf_counter()
    stages = _Stages(report)
    check_outputs_apart(inputs, outputs)
    cache = cache or outputs / ".cache"
    if assessment is None and set(only or PARTS) & {"charts", "assessment", "plan", "html"}:
        from .chartpack import start_early

        start_early(cache / "charts")  # on a first run the drawing processes import matplotlib during the reading
    assessment = assessment or stages.run(
        "Reading and checking inputs",
        lambda: build_assessment(
            inputs,
            carry_forward=carry_forward,
            settings_override=settings_override,
            cache=cache / "police_uk",
            scores=scores,
            street=street,
            parsed=cache / "inputs",
        ),
    )
    parts = set(only or PARTS)
    target = check_before_writing(assessment, outputs, parts)
    warnings = _run_warnings(assessment)
    documents = KeptDocuments(target, pdf)
    with staged_folder(target) as staging:
        _write_parts(assessment, staging, parts, cache, stages, warnings, documents)
        if pdf and parts & {"assessment", "plan"}:
            warning = stages.run(
                "Making PDF copies", lambda: _pdf_copies(staging, parts, pdf_timeout or DEFAULT_TIMEOUT, office)
            )
            if warning:
                warnings.append(warning)
        stages.timings["total"] = round(time.perf_counter() - started, 3)
        files = _finish_set(
            staging, target, assessment, parts, warnings, stages.timings, carry=not whole, documents=documents
        )
    return GenerateResult(target, [target / name for name in files], warnings, stages.timings, documents.kept)


def check_before_writing(assessment: Assessment, outputs: Path, parts: set[str]) -> Path:
    """Every check ``generate`` makes between reading the inputs and writing; returns the year's folder.

    ``validate`` runs the same checks, so an input that passes ``validate`` is
    never refused by ``generate``. Raises InputError or UsageError.
    """
    target = output_folder(outputs, assessment.settings)
    check_outputs_apart(assessment.settings.inputs, outputs, target)
    if "plan" in parts and assessment.settings.plan_on_a_page is None:
        raise InputError([_no_plan_problem()])
    return target


def _write_parts(
    assessment: Assessment,
    staging: Path,
    parts: set[str],
    cache: Path,
    stages: _Stages,
    warnings: list[str],
    documents: KeptDocuments | None = None,
) -> None:
    """Write the parts asked for; the charts draw in worker processes while the documents are prepared.

    The ratings tables and the HTML edition are written by a process forked beside this one while
    this one renders the Word documents (the HTML's chart pictures are copied in once drawn). What
    rendering the templates has to say (tracked changes accepted, pictures without alt text) is added
    to ``warnings``. A document that would render as the current set's copy did is taken from ``documents``.
    """
    from . import chartpack
    from .chart_selection import chart_specs
    from .chartpack import ChartPack

    specs = chart_specs(assessment) if parts & {"charts", "assessment", "plan", "html"} else []
    with ChartPack(specs, staging / "charts", cache / "charts") as pack:
        apart = chartpack.MAX_WORKERS != 1 and (os.cpu_count() or 1) > 1 and bool(parts & {"assessment", "plan"})
        if "html" in parts:
            from .documents import html_render  # noqa: F401  (imported here, before the fork)
        beside = _write_beside(assessment, staging, parts, pack, stages, apart)
        try:
            if beside is not None:
                beside.start()
            if "plan" in parts:
                stages.run("Writing the Plan on a Page", lambda: _write_plan(assessment, staging, warnings, documents))
            if "assessment" in parts:
                stages.run(
                    "Writing the Strategic Assessment",
                    lambda: _write_assessment(assessment, pack, staging, warnings, documents),
                )
            stages.run("Drawing charts", pack.wait)
            if beside is not None:
                stages.timings.update(beside.result())
                beside = None
            if "html" in parts:
                from .documents.html_render import HTML_FOLDER, copy_chart_svgs

                copy_chart_svgs(pack.wait(), staging / HTML_FOLDER)
        finally:
            if beside is not None:
                beside.stop()
    if "charts" not in parts and (staging / "charts").exists():
        shutil.rmtree(staging / "charts")


def _write_beside(
    assessment: Assessment, staging: Path, parts: set[str], pack: Any, stages: _Stages, apart: bool
) -> Beside | None:
    """The ratings tables and the HTML pages (without their chart pictures), written beside the documents.

    The work returns the time each of its stages took.
    """
    names = [name for part, name in (("ratings", TABLES_STAGE), ("html", HTML_STAGE)) if part in parts]
    if not names:
        return None
    for name in names:
        stages.report(name)

    def work() -> dict[str, float]:
        timings: dict[str, float] = {}
        if "ratings" in parts:
            started = time.perf_counter()
            _write_tables(assessment, staging)
            timings[TABLES_STAGE] = round(time.perf_counter() - started, 3)
        if "html" in parts:
            from .documents.html_render import HTML_FOLDER, write_html_edition

            started = time.perf_counter()
            write_html_edition(assessment, pack.files, staging / HTML_FOLDER, copy_svgs=False)
            timings[HTML_STAGE] = round(time.perf_counter() - started, 3)
        return timings

    return Beside(work, apart)


TABLES_STAGE = "Writing ratings and data tables"
HTML_STAGE = "Writing the HTML edition"


def _write_tables(assessment: Assessment, staging: Path) -> None:
    write_ratings(assessment.ratings, assessment.model, staging, assessment.changes)
    write_data_tables(assessment.crime, staging / "data")


def _write_assessment(
    assessment: Assessment, pack: Any, staging: Path, warnings: list[str], documents: KeptDocuments | None = None
) -> None:
    from .chartpack import chart_key
    from .documents.render import template_path

    settings = assessment.settings
    title = f"{settings.partnership}: a strategic assessment of threat, risk and harm {settings.year}"
    # the context is made of the assessment and the charts (their pictures are named by their cache keys)
    charts = [(chart.base, chart_key(chart.spec), chart.spec.title, chart.spec.alt_text) for chart in pack.files]
    made_of = (pickle.dumps(assessment, protocol=5), json.dumps([title, charts]).encode("utf-8"))
    key = document_key(template_path(ASSESSMENT_DOCX), *made_of)
    if documents is not None and documents.reuse(ASSESSMENT_DOCX, key, staging, warnings):
        return
    from .documents.context import assessment_context

    said: list[str] = []
    _write_document(assessment, pack, staging / ASSESSMENT_DOCX, title, assessment_context, said)
    warnings.extend(said)
    if documents is not None:
        documents.rendered(ASSESSMENT_DOCX, key, said)


def _write_document(
    assessment: Assessment,
    pack: Any,
    target: Path,
    title: str,
    build: Callable[..., Any],
    warnings: list[str] | None = None,
) -> None:
    """Render a template of the same name as ``target`` with the charts of the pack, and save it.

    What rendering has to say (tracked changes accepted, pictures without alt text) goes into ``warnings``.
    """
    from docxtpl import InlineImage

    from .documents.context import ChartImage
    from .documents.render import chart_width, image_digest, render_template, template_path

    settings = assessment.settings
    alt_texts: dict[str, str] = {}

    def context(template: Any, builder: Any) -> dict[str, Any]:
        images = {chart.spec.name: InlineImage(template, str(chart.png)) for chart in pack.files}
        charts = {
            chart.spec.name: ChartImage(chart.spec.name, images[chart.spec.name], chart.spec.title, chart.spec.alt_text)
            for chart in pack.files
        }
        built: dict[str, Any] = build(assessment, builder, charts)
        if hasattr(template, "prepare"):
            template.prepare()  # its Jinja compiles while the pictures are drawn
        for chart in pack.pictures():  # the pictures must be drawn before the template reads (and sizes) them
            alt_texts[image_digest(chart.png.read_bytes())] = chart.spec.alt_text
            images[chart.spec.name].width = chart_width(chart.png)
        return built

    document = render_template(
        template_path(target.name), context, alt_texts, title, settings.author or settings.partnership, warnings
    )
    document.save(str(target))


def _write_plan(
    assessment: Assessment, staging: Path, warnings: list[str], documents: KeptDocuments | None = None
) -> None:
    from .documents.context import plan_context
    from .documents.render import template_path

    settings = assessment.settings
    if settings.plan_on_a_page is None:
        raise InputError([_no_plan_problem()])
    plan_year = settings.plan_on_a_page.year
    title = f"{settings.partnership}: Plan on a Page {plan_year}"
    author = settings.author or settings.partnership
    context = plan_context(assessment)
    made_of = json.dumps([title, author, context], sort_keys=True, default=repr).encode("utf-8")
    key = document_key(template_path(PLAN_DOCX), made_of)
    if documents is not None and documents.reuse(PLAN_DOCX, key, staging, warnings):
        return
    from .documents.render import render_template

    said: list[str] = []
    document = render_template(template_path(PLAN_DOCX), lambda *_: context, {}, title, author, said)
    document.save(staging / PLAN_DOCX)
    warnings.extend(said)
    if documents is not None:
        documents.rendered(PLAN_DOCX, key, said)


def _no_plan_problem() -> Problem:
    return Problem(
        SETTINGS_FILE,
        "has no plan_on_a_page section, so the Plan on a Page cannot be written",
        "add plan_on_a_page with year, vision, focus_areas, thematic_groups and key_deliverables "
        "(or generate the other parts with --only)",
        cell="plan_on_a_page",
    )


def _pdf_copies(staging: Path, parts: set[str], timeout: float, office: OfficeSession | None = None) -> str:
    from .documents.office import pdf_copies_made
    from .documents.pdf import page_count

    names = [name for part, name in (("assessment", ASSESSMENT_DOCX), ("plan", PLAN_DOCX)) if part in parts]
    # a document kept from the set before brought its PDF with it (reuse.KeptDocuments)
    names = [name for name in names if not (staging / name).with_suffix(".pdf").is_file()]
    if warning := pdf_copies_made([staging / name for name in names], staging, timeout, office):
        return warning
    plan = staging / PLAN_DOCX.replace(".docx", ".pdf")
    if "plan" in parts and plan.is_file() and (pages := page_count(plan)) > 1:
        return f"plan_on_a_page.pdf has {pages} pages, not 1: shorten the plan_on_a_page content in {SETTINGS_FILE}"
    return ""


def write_manifest(
    path: Path,
    assessment: Assessment,
    files: Sequence[Path],
    warnings: Sequence[str],
    timings: dict[str, float],
    parts: Sequence[str] = PARTS,
    carried: Sequence[Path] = (),
    kind: str = "assessment",
    document_keys: Mapping[str, Any] | None = None,
) -> None:
    """``manifest.json``: version, model and inputs with their sha256, settings, warnings, timings.

    ``outputs`` lists every file of the folder the manifest sits in; ``parts``
    are the parts this run wrote and ``carried`` the files it kept from the set before;
    ``kind`` is ``assessment`` or ``data pack`` (a folder for the workshops, with no ratings);
    ``document_keys`` the key each document was rendered under (``reuse.KeptDocuments``).
    The ``performance/`` folder, written by its own command, is described by its own manifest.
    """
    from . import __version__

    settings = assessment.settings
    manifest = {
        "program": "strategic-assessment",
        "version": __version__,
        "kind": kind,
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "model": {
            "name": assessment.model.name,
            "file": str(assessment.model.path),
            "sha256": assessment.model.sha256,
        },
        "inputs": [
            {
                "file": str(p.relative_to(settings.inputs)),
                "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
            }
            for p in assessment.input_files
        ],
        "settings": {
            "partnership": settings.partnership,
            "year": settings.year,
            "period_end": settings.period_end.isoformat(),
            "model": settings.model,
            "crime_source": settings.crime_source,
            "population": dict(settings.population),
            "headline_row": settings.headline_row,
            "inputs_folder": str(settings.inputs.resolve()),
        },
        "crime_files": [{"file": path, "sha256": digest} for path, digest in assessment.crime.files],
        "outputs": [str(name) for name in files],
        "parts_written": list(parts),
        "carried_from_previous_set": [str(name) for name in carried],
        "described_by_their_own_manifest": [f"{PERFORMANCE_FOLDER}/"],
        "warnings": list(warnings),
        "timings_seconds": timings,
        **({DOCUMENT_KEYS: dict(document_keys)} if document_keys else {}),
    }
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_template(inputs: Path, output: Path, threats_file: Path | None = None) -> int:
    """Write a blank workshop scoring workbook for the model in use; returns the number of threats listed.

    Threats come from ``threats_file``, else this year's workshop workbooks, else last year's
    ratings (previous/ratings.csv). Raises InputError when the settings, model or crime data
    are unusable, or when there is no threat list at all.
    """
    from .workshop_template import TemplateThreat, threats_from_file, write_workshop_template

    if inputs.resolve() in output.resolve().parents:
        raise UsageError(f"'{output}' is inside the inputs folder; inputs are never written: choose another path")
    settings = load_settings(inputs)
    model = load_model(model_path(settings.model, inputs))
    problems = ProblemLog()
    crime = read_crime_data(inputs, settings, problems)
    problems.raise_if_any()
    figures = figures_by_crime_type(annual_figures(crime.annual, crime.years, settings.population))
    if threats_file is not None:
        threats = threats_from_file(threats_file)
    else:
        crime_types = {fold(str(name)): str(name) for name in crime.annual.index}
        merged = _workshop_threats(inputs, model, settings, crime_types)
        threats = [TemplateThreat(t.theme, t.threat, t.data_row) for t in merged]
        if not threats and (inputs / PREVIOUS_FILE).is_file():
            threats = threats_from_file(inputs / PREVIOUS_FILE)
    if not threats:
        raise UsageError("no threats to list: give --threats FILE (a CSV with theme and threat columns)")
    write_workshop_template(output, model, threats, figures, settings.year, settings.partnership)
    return len(threats)


def _workshop_threats(
    inputs: Path, model: Model, settings: Settings, crime_types: dict[str, str]
) -> list[MergedThreat]:
    """This year's threats from the workshop workbooks, in theme order; empty when they cannot be read."""
    problems = ProblemLog()
    try:
        workshops = _workshops(inputs, model, settings.year, problems)
    except InputError:
        return []
    threats, _ = merge_workshops(workshops.entries, model, workshops.themes, crime_types, ProblemLog())
    order = {fold(theme.theme): index for index, theme in enumerate(workshops.themes)}
    return sorted(threats, key=lambda t: order.get(fold(t.theme), len(order)))


@dataclass
class PerformanceResult:
    """What a ``performance`` run wrote, with the update itself (for the summary printed) and its warnings."""

    folder: Path
    files: list[Path]
    warnings: list[str]
    update: Any


def check_performance(inputs: Path, outputs: Path) -> Any:
    """The performance update worked out but not written (``validate``); raises InputError listing its problems."""
    from .performance_io import performance_update

    return performance_update(inputs, None, outputs / ".cache" / "police_uk")


def write_performance(
    inputs: Path,
    outputs: Path,
    to_month: str | None = None,
    pdf: bool = True,
    pdf_timeout: float | None = None,
    cache: Path | None = None,
) -> PerformanceResult:
    """The board's performance update into ``outputs/<year>/performance/``; the rest of the year is kept.

    ``to_month`` (``YYYY-MM``) overrides the settings' last month. Raises
    InputError on bad input (nothing is written), UsageError for a ``to_month``
    outside the year, OutputError when the folder cannot be written.
    """
    from .documents.pdf import DEFAULT_TIMEOUT
    from .performance_io import performance_update, write_performance_files, write_performance_manifest

    started = time.perf_counter()
    if not inputs.is_dir():
        raise UsageError(f"inputs folder '{inputs}' not found; give the folder holding {SETTINGS_FILE} with --inputs")
    check_outputs_apart(inputs, outputs)
    cache = cache or outputs / ".cache"
    update = performance_update(inputs, to_month, cache / "police_uk")
    target = outputs / update.year.replace("/", "-") / PERFORMANCE_FOLDER
    check_outputs_apart(inputs, outputs, target)
    with staged_folder(target) as staging:
        warnings = write_performance_files(update, staging, cache, pdf, pdf_timeout or DEFAULT_TIMEOUT)
        timings = {"total": round(time.perf_counter() - started, 3)}
        write_performance_manifest(staging, inputs, update, warnings, timings)
        files = sorted(path.relative_to(staging) for path in staging.rglob("*") if path.is_file())
    return PerformanceResult(target, [target / name for name in files], warnings, update)


DATA_PACK_DOCX = "data_pack.docx"
DATA_PACK_KIND = "data pack"
WORKSHOP_WORKBOOK = "workshop_scoring_workbook.xlsx"


def build_data_pack(
    inputs: Path,
    settings_override: Callable[[Settings], Settings] | None = None,
    cache: Path | None = None,
    street: StreetCounts | None = None,
) -> Assessment:
    """An area's crime figures with no workshop scores: the assessment a data pack is written from.

    Raises InputError listing every problem with the settings, model or crime data.
    """
    settings = load_settings(inputs)
    if settings_override is not None:
        settings = settings_override(settings)
    model = load_model(model_path(settings.model, inputs))
    problems = ProblemLog()
    crime = crime_figures(read_crime_data(inputs, settings, problems, cache, street), settings)
    _check_named_rows(settings, crime, problems)
    problems.raise_if_any()
    return Assessment(
        settings=settings,
        model=model,
        crime=crime,
        figures=crime.figures,
        threats=(),
        ratings=(),
        disagreements=(),
        themes=(),
        warnings=tuple(problems.warnings),
        input_files=(inputs / SETTINGS_FILE, *crime_input_files(inputs, crime)),
    )


def generate_data_pack(
    inputs: Path,
    outputs: Path,
    pdf: bool = True,
    settings_override: Callable[[Settings], Settings] | None = None,
    cache: Path | None = None,
    street: StreetCounts | None = None,
) -> GenerateResult:
    """Write an area's data pack for its workshops: document, charts, data tables, a pre-filled scoring workbook.

    The workbook lists the threats of the inputs folder's workshops (their
    names only, never their scores), else one threat per crime type, with
    this area's data suggestions filled in. Everything is staged and
    published together, as ``generate`` does.
    """
    from .chart_selection import chart_specs
    from .chartpack import ChartPack
    from .documents.data_pack import data_pack_context

    started = time.perf_counter()
    stages = _Stages(lambda _: None)
    check_outputs_apart(inputs, outputs)
    cache = cache or outputs / ".cache"
    assessment = stages.run(
        "Reading and checking inputs", lambda: build_data_pack(inputs, settings_override, cache / "police_uk", street)
    )
    settings = assessment.settings
    target = output_folder(outputs, settings)
    check_outputs_apart(settings.inputs, outputs, target)
    warnings = [str(warning) for warning in assessment.warnings]
    threats = _pack_threats(inputs, assessment)
    title = f"{settings.partnership}: crime data pack for the threat assessment workshops {settings.year}"
    with staged_folder(target) as staging:
        with ChartPack(chart_specs(assessment), staging / "charts", cache / "charts") as pack:
            write_data_tables(assessment.crime, staging / "data")
            if threats:
                _pack_workbook(assessment, threats, staging / WORKSHOP_WORKBOOK)
            stages.run(
                "Writing the data pack",
                lambda: _write_document(
                    assessment,
                    pack,
                    staging / DATA_PACK_DOCX,
                    title,
                    lambda a, b, c: data_pack_context(a, b, c, bool(threats)),
                    warnings,
                ),
            )
            stages.run("Drawing charts", pack.wait)
        if pdf:
            warning = stages.run("Making PDF copies", lambda: _data_pack_pdf(staging / DATA_PACK_DOCX))
            if warning:
                warnings.append(warning)
        stages.timings["total"] = round(time.perf_counter() - started, 3)
        files = _finish_set(
            staging, target, assessment, {DATA_PACK_KIND}, warnings, stages.timings, carry=False, kind=DATA_PACK_KIND
        )
    return GenerateResult(target, [target / name for name in files], warnings, stages.timings)


def _pack_threats(inputs: Path, assessment: Assessment) -> list[Any]:
    """The threats a data pack's workbook lists: the workshops' threat names, else one per crime type."""
    from .workshop_template import TemplateThreat

    settings = assessment.settings
    crime = assessment.crime
    crime_types = {fold(name): name for name in crime.crime_types}
    merged = _workshop_threats(inputs, assessment.model, settings, crime_types)
    if merged:
        return [TemplateThreat(t.theme, t.threat, t.data_row) for t in merged]
    skip = {fold(settings.headline_row)}
    return [
        TemplateThreat(str(theme) if theme else name, name, name)
        for name, theme in zip(crime.crime_types, crime.annual.column("theme"), strict=True)
        if fold(name) not in skip
    ]


def _pack_workbook(assessment: Assessment, threats: Sequence[Any], path: Path) -> None:
    from .workshop_template import write_workshop_template

    settings = assessment.settings
    write_workshop_template(path, assessment.model, threats, assessment.figures, settings.year, settings.partnership)


def _data_pack_pdf(docx: Path) -> str:
    from .documents.office import pdf_copies_made
    from .documents.pdf import DEFAULT_TIMEOUT

    return pdf_copies_made([docx], docx.parent, DEFAULT_TIMEOUT)
