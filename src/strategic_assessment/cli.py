"""The command line: one click group, thin over the pipeline (docs/commands.md).

Commands parse arguments, call the library and print. Bad input and bad
usage exit with code 2 and a message (no traceback); anything unexpected
exits with code 1, a one-line message and the path of a log holding the
traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import os
import re
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import InputError, OutputError, Problem, UsageError

if TYPE_CHECKING:
    from .records import Assessment, ThreatRating

WHAT_IF = re.compile(r"^\s*(?P<threat>.+?)\s*:\s*(?P<factor>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>-?\d+)\s*$")


class _Group(click.Group):
    """A click group that turns the library's exceptions into exit codes 2 and 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            click.echo(error.message, err=True)
            click.echo("Nothing was written.", err=True)
            ctx.exit(2)
        except (UsageError, OutputError) as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as error:
            log_path = _crash_log()
            click.echo(f"Internal error: {type(error).__name__}: {error} (details in {log_path})", err=True)
            ctx.exit(1)


def _crash_log() -> Path:
    """A new log file for the traceback: named by time and made unique, so two crashes never share one."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    handle, name = tempfile.mkstemp(prefix=f"strategic-assessment-{stamp}-", suffix=".log")
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write(traceback.format_exc())
    return Path(name)


MAX_PDF_TIMEOUT = 24 * 60 * 60


def _timeout(_ctx: click.Context, _param: click.Parameter, value: float | None) -> float | None:
    """``--pdf-timeout``: a number of seconds above 0 (not nan, not infinite)."""
    if value is not None and not (math.isfinite(value) and 0 < value <= MAX_PDF_TIMEOUT):
        raise click.BadParameter(f"{value:g} is not a number of seconds above 0 and at most {MAX_PDF_TIMEOUT:,}")
    return value


def folder_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--inputs`` and ``--outputs``, accepted by every command."""

    @click.option(
        "--outputs",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("outputs"),
        show_default=True,
        help="Folder the outputs are written under (one sub-folder per year).",
    )
    @click.option(
        "--inputs",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("inputs"),
        show_default=True,
        help="Folder holding assessment.yaml, crime_data.xlsx and workshops/.",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(*args, **kwargs)

    return wrapper


def carry_forward_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--carry-forward``: reuse last year's scores for threats no workshop scored this year."""
    return click.option(
        "--carry-forward",
        is_flag=True,
        help="Reuse last year's scores (inputs/previous/ratings.csv) for threats no workshop scored this year.",
    )(command)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="strategic-assessment")
def cli() -> None:
    """Turn crime data and workshop risk scores into a Strategic Assessment.

    Example: python generate.py score --inputs inputs --outputs outputs
    """


def _print_warnings(warnings: tuple[Problem, ...]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


def pdf_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--no-pdf`` and ``--pdf-timeout SECONDS`` (checked: above 0, not nan, not infinite)."""
    command = click.option(
        "--pdf-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        callback=_timeout,
        help="Stop LibreOffice after this long.",
    )(command)
    return click.option("--no-pdf", is_flag=True, help="Skip the PDF copies (LibreOffice).")(command)


def only_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--only PART``: the parts of the year's outputs a command is about."""
    return click.option(
        "--only",
        type=click.Choice(["charts", "ratings", "assessment", "plan", "html"]),
        multiple=True,
        help="Only this part (repeatable); other files in the year's folder are kept.",
    )(command)


@cli.command()
@folder_options
@only_option
@carry_forward_option
def validate(inputs: Path, outputs: Path, only: tuple[str, ...], carry_forward: bool) -> None:
    """Check every input and list every problem at once; writes nothing.

    Makes every check `generate` (with the same --only) makes before it writes.

    Example: python generate.py validate --inputs inputs
    """
    from .pipeline import PARTS, build_assessment, check_before_writing, check_outputs_apart
    from .terminal import disagreement_lines, partial_coverage_lines

    check_outputs_apart(inputs, outputs)
    assessment = build_assessment(inputs, carry_forward=carry_forward)
    check_before_writing(assessment, outputs, set(only or PARTS))
    _print_warnings(assessment.warnings)
    for line in disagreement_lines(assessment.disagreements):
        click.echo(f"Disagreement: {line}", err=True)
    for line in partial_coverage_lines(assessment.threats):
        click.echo(f"Coverage: {line}", err=True)
    workshops = sum(1 for path in assessment.input_files if path.parent.name == "workshops")
    themes = len({rating.theme for rating in assessment.ratings})
    click.echo(
        f"Inputs are valid: {len(assessment.ratings)} threats in {themes} themes "
        f"from {workshops} workshop workbook{'s' if workshops != 1 else ''}, "
        f"{len(assessment.crime.annual)} crime types, model {assessment.model.name}."
    )
    if assessment.settings.performance is not None:
        from .pipeline import check_performance

        update = check_performance(inputs, outputs)
        _print_warnings(update.warnings)
        click.echo(f"Performance update: {len(update.results)} indicators to {update.to_month}.")


def _parse_what_if(values: tuple[str, ...]) -> list[tuple[str, str, int]]:
    changes = []
    for value in values:
        match = WHAT_IF.match(value)
        if not match:
            raise UsageError(f"--what-if '{value}' is not THREAT:FACTOR=VALUE, e.g. \"Hate crime:community=3\"")
        changes.append((match["threat"], match["factor"], int(match["value"])))
    return changes


@cli.command()
@folder_options
@click.option(
    "--what-if",
    "what_if",
    multiple=True,
    metavar="THREAT:FACTOR=VALUE",
    help="Recompute with a changed score without editing files (repeatable); writes nothing.",
)
@carry_forward_option
def score(inputs: Path, outputs: Path, what_if: tuple[str, ...], carry_forward: bool) -> None:
    """Print the ranked ratings table and write ratings.csv/xlsx and data/*.csv.

    Example: python generate.py score --inputs inputs --outputs outputs
    """
    from .pipeline import build_assessment, with_changed_scores, write_scores
    from .terminal import disagreement_lines, partial_coverage_lines, ranked_table

    changes = _parse_what_if(what_if)
    assessment = build_assessment(inputs, carry_forward=carry_forward)
    _print_warnings(assessment.warnings)
    for line in disagreement_lines(assessment.disagreements):
        click.echo(f"Disagreement: {line}", err=True)
    for line in partial_coverage_lines(assessment.threats):
        click.echo(f"Coverage: {line}", err=True)
    if changes:
        _print_what_if(assessment, with_changed_scores(assessment, changes), changes)
        return
    click.echo(ranked_table(assessment.ratings, assessment.model))
    folder = write_scores(assessment, outputs)
    click.echo(f"Wrote {folder / 'ratings.csv'}, {folder / 'ratings.xlsx'} and {folder / 'data'}/")


def _print_what_if(before: Assessment, after: Assessment, changes: list[tuple[str, str, int]]) -> None:
    """Each change on its own (the others left as scored), then, for two or more, all of them together."""
    from .pipeline import with_changed_scores

    for name, key, value in changes:
        alone = with_changed_scores(before, [(name, key, value)]) if len(changes) > 1 else after
        old, new = before.rating_of(name), alone.rating_of(name)
        click.echo(f"{new.threat}: {key} {old.factors[key].value} -> {value} alone; {_moved(old, new)}")
    if len(changes) > 1:
        click.echo(f"All {len(changes)} changes together:")
        for name in dict.fromkeys(after.rating_of(name).threat for name, _, _ in changes):
            old, new = before.rating_of(name), after.rating_of(name)
            click.echo(f"  {new.threat}: {_moved(old, new)}")
    click.echo("Nothing was written.")


def _moved(old: ThreatRating, new: ThreatRating) -> str:
    """``score 20 -> 24; rating Moderate -> High``, the final rating noted where an override holds it."""
    verdict = "unchanged" if old.rating == new.rating else f"{old.rating} -> {new.rating}"
    held = f" (treated as {new.override_rating} by override)" if new.override_rating else ""
    return f"score {old.score} -> {new.score}; rating {verdict}{held}"


@cli.command()
@folder_options
@click.argument("threat")
@carry_forward_option
def explain(inputs: Path, outputs: Path, threat: str, carry_forward: bool) -> None:
    """Show how one threat's rating was reached: each factor, its source, the arithmetic, the band.

    Example: python generate.py explain "Domestic abuse"
    """
    from .pipeline import build_assessment
    from .terminal import explanation

    assessment = build_assessment(inputs, carry_forward=carry_forward)
    rating = assessment.rating_of(threat)
    settings = assessment.settings
    click.echo(explanation(rating, assessment.model, assessment.crime.comparison_year, settings.year))


@cli.command()
@folder_options
@only_option
@pdf_options
@carry_forward_option
def generate(
    inputs: Path, outputs: Path, only: tuple[str, ...], no_pdf: bool, pdf_timeout: float | None, carry_forward: bool
) -> None:
    """Write everything: ratings, charts, the Strategic Assessment, the Plan on a Page, PDFs, manifest.

    Outputs go to OUTPUTS/<year>/ (e.g. outputs/2018-19/), replaced only when every part succeeded.

    Example: python generate.py generate --inputs inputs --outputs outputs --no-pdf
    """
    from .pipeline import generate as generate_outputs

    result = _with_progress(
        lambda report: generate_outputs(
            inputs,
            outputs,
            only=only,
            pdf=not no_pdf,
            report=report,
            pdf_timeout=pdf_timeout,
            carry_forward=carry_forward,
        )
    )
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"Wrote {len(result.files)} files to {result.folder} in {result.timings['total']:.1f} s")


@cli.command()
@folder_options
@pdf_options
@carry_forward_option
def watch(inputs: Path, outputs: Path, no_pdf: bool, pdf_timeout: float | None, carry_forward: bool) -> None:
    """Rebuild everything on every save of an input; Ctrl-C stops.

    Builds once, then after each save of a file in INPUTS prints one line: the ratings that moved and
    the time taken. A save with problems prints them, as validate does, and the last good outputs stay.
    Editors' temporary and lock files are ignored.

    Example: python generate.py watch --inputs inputs --outputs outputs
    """
    from .documents.pdf import soffice_path
    from .pipeline import check_outputs_apart
    from .watch import Watcher, input_saves, stop_on_signals

    if not inputs.is_dir():
        raise UsageError(f"inputs folder '{inputs}' not found; give the folder holding assessment.yaml with --inputs")
    check_outputs_apart(inputs, outputs)
    pdf = not no_pdf
    if pdf and soffice_path() is None:
        click.echo("LibreOffice is not installed: watching without PDF copies, as with --no-pdf.", err=True)
        pdf = False
    watcher = Watcher(
        inputs, outputs, pdf, pdf_timeout, carry_forward, echo=click.echo, warn=lambda line: click.echo(line, err=True)
    )
    click.echo(f"Watching {inputs} for saves; Ctrl-C stops.")
    try:
        with stop_on_signals(watcher.received), _office(pdf) as office:
            watcher.office = office
            for line in watcher.watch(input_saves(inputs)):
                click.echo(line)
    except KeyboardInterrupt:
        from .staging import remove_own_staging

        remove_own_staging(outputs)  # LibreOffice and every process this one started have stopped by now
        signal = watcher.received[-1] if watcher.received else "SIGINT"
        click.echo(f"Stopped watching ({signal}); {watcher.kept_outputs()}.")


@contextlib.contextmanager
def _office(pdf: bool) -> Iterator[Any]:
    """One LibreOffice kept running for the PDF copies of every rebuild (None without PDFs); stopped on leaving."""
    if not pdf:
        yield None
        return
    from .documents.office import OfficeSession

    with OfficeSession() as office:
        yield office


@cli.command()
@folder_options
@click.option("--to", "to_month", default=None, metavar="YYYY-MM", help="Last month reported (default: settings).")
@pdf_options
def performance(inputs: Path, outputs: Path, to_month: str | None, no_pdf: bool, pdf_timeout: float | None) -> None:
    """The board's performance update for the financial year to date, from the monthly series.

    Reads the performance section of assessment.yaml; writes the update (.docx, .pdf), its charts and
    performance.csv into OUTPUTS/<year>/performance/, and prints the summary table.

    Example: python generate.py performance --inputs inputs --to 2018-12
    """
    from .documents.performance import report_lines
    from .pipeline import write_performance

    result = write_performance(inputs, outputs, to_month, pdf=not no_pdf, pdf_timeout=pdf_timeout)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for line in report_lines(result.update):
        click.echo(line)
    click.echo(f"Wrote {len(result.files)} files to {result.folder}")


def _with_progress(work: Callable[[Callable[[str], None]], Any]) -> Any:
    """Run work with a progress bar on a terminal, plain log lines otherwise."""
    import sys

    if not sys.stderr.isatty():
        return work(lambda stage: click.echo(f"{stage}...", err=True))
    with click.progressbar(length=6, label="Starting", file=sys.stderr, show_eta=False) as bar:

        def report(stage: str) -> None:
            bar.label = stage
            bar.update(1)

        return work(report)


@cli.command()
@folder_options
@click.argument("previous", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@carry_forward_option
def diff(inputs: Path, outputs: Path, previous: Path, carry_forward: bool) -> None:
    """Compare this year's ratings with a previous year's ratings.csv: risen, fallen, new, dropped.

    Example: python generate.py diff previous/2017-18/ratings.csv
    """
    from .changes import rating_changes
    from .errors import ProblemLog
    from .ingest.previous import read_previous_ratings
    from .pipeline import build_assessment
    from .terminal import changes_table

    assessment = build_assessment(inputs, carry_forward=carry_forward)
    problems = ProblemLog()
    before = read_previous_ratings(previous, str(previous), assessment.model, problems)
    problems.raise_if_any()
    click.echo(changes_table(rating_changes(assessment.ratings, before, assessment.model)))


@cli.command("workshop-template")
@folder_options
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The workbook to write (.xlsx).",
)
@click.option(
    "--threats",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A CSV with theme and threat columns (data_row optional), e.g. last year's ratings.csv.",
)
def workshop_template(inputs: Path, outputs: Path, output: Path, threats: Path | None) -> None:
    """Write a blank scoring workbook for the model in use, with dropdowns and data-suggested values.

    Example: python generate.py workshop-template -o workshop-2020-07.xlsx
    """
    from .pipeline import write_template

    count = write_template(inputs, output, threats)
    click.echo(f"Wrote {output} with {count} threats to score")


@cli.command()
@folder_options
@click.option(
    "--police-uk",
    "police_uk",
    required=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The force's police.uk folder of monthly YYYY-MM/ folders of street-level files.",
)
@click.option(
    "--areas",
    default="all",
    show_default=True,
    help="`all` (every local authority with rows in every month held) or names separated by commas.",
)
@click.option("--no-pdf", is_flag=True, help="Skip the PDF copies (LibreOffice).")
@click.option("--allow-gaps", is_flag=True, help="Build the year from the months held when some are missing.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Areas run at once (default: one per core).")
def batch(
    inputs: Path, outputs: Path, police_uk: Path, areas: str, no_pdf: bool, allow_gaps: bool, workers: int | None
) -> None:
    """Write an output folder for every local authority of a police force from its police.uk files.

    Each area (the LSOA name minus its code: Plymouth 023B -> Plymouth) gets OUTPUTS/<area>/<year>/. An area
    with its own scores (the area assessment.yaml describes, with workshops/, or any area with
    INPUTS/areas/<area>/workshops/) gets a full Strategic Assessment; every other area a data pack for its
    workshops, with no ratings. INPUTS/areas.csv (area,partnership,population) names partnerships and
    populations. OUTPUTS/batch-summary.csv lists every area's headline figures.

    Example: python generate.py batch --inputs inputs/examples/police-uk-plymouth
    --police-uk ../shared/data/police-uk/devon-and-cornwall --areas all --no-pdf
    """
    from .batch import BatchStopped, failed_line, left_out_line, run_batch, summary_table, wrote_line

    try:
        result = run_batch(
            inputs, outputs, police_uk, areas, not no_pdf, allow_gaps, workers, lambda line: click.echo(line, err=True)
        )
    except BatchStopped as stop:
        click.echo(stop.message, err=True)
        raise SystemExit(128 + stop.signum) from None
    if result.left_out:
        click.echo(left_out_line(result.left_out), err=True)
    click.echo(summary_table(result.areas))
    click.echo(wrote_line(result.areas, result.summary, result.seconds))
    if any(area.problem for area in result.areas):
        raise UsageError(failed_line(result.areas))


class _Stopped(BaseException):
    """Raised by the SIGTERM handler: not an Exception, so only ``main`` handles it."""


def _stop_cleanly(signum: int, _frame: Any) -> None:
    """Turn a termination signal into an exception, so staging folders are removed and outputs stay whole."""
    raise _Stopped(signum)


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _stop_cleanly)
    try:
        cli(prog_name="strategic-assessment")
    except _Stopped as stop:
        click.echo(_stopped_message(), err=True)
        raise SystemExit(128 + int(stop.args[0])) from None


def _stopped_message() -> str:
    """What a stopped run leaves on disk, exactly: no folder is ever half replaced."""
    from .staging import PUBLISHED

    if not PUBLISHED:
        return "Stopped; the previous outputs are as they were."
    folders = ", ".join(f"'{folder}'" for folder in dict.fromkeys(PUBLISHED))
    return f"Stopped after the new outputs were in place: {folders} holds this run's complete outputs."
