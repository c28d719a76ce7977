"""The program run as a process of its own, forked from a server that has already loaded it.

A test that signals or kills a run needs the run in another process; started
with ``python -c`` each such process spends a second or two loading pandas,
matplotlib and python-docx before it does anything. Here one server process
(multiprocessing's ``forkserver``) loads the program once, and each run is a
fresh fork of it: a real process with its own pid, signals and exit status,
started in milliseconds. Its standard error goes to a file, line by line, as
a real stderr would (so what was written before a SIGKILL is kept).
"""

from __future__ import annotations

import multiprocessing
import os
import runpy
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# What the program's commands import as they run, loaded once by the server: the readers too (pandas, the
# settings' validation), which a run without parsed inputs kept (``score``, a first ``generate``) imports.
PRELOAD = [
    "tests.forked",
    "strategic_assessment.cli",
    "strategic_assessment.pipeline",
    "strategic_assessment.batch",
    "strategic_assessment.ingest.crime_workbook",
    "strategic_assessment.ingest.workshops",
    "strategic_assessment.ratings_xlsx",
    "strategic_assessment.terminal",
    "pydantic.type_adapter",
    "strategic_assessment.chart_selection",
    "strategic_assessment.chartpack",
    "strategic_assessment.documents.context",
    "strategic_assessment.documents.render",
    "strategic_assessment.documents.html_render",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_svg",
    "tests.forked_fonts",
]


@dataclass(frozen=True)
class Finished:
    """How a forked run ended: its exit status (minus the signal that killed it) and its standard error."""

    returncode: int
    stderr: str


def run_forked(
    target: Callable[..., None], *args: object, log: Path, out: Path | None = None, timeout: float = 300
) -> Finished:
    """Run ``target(*args)`` in a fresh fork of the server, its standard error in ``log``; wait for it.

    ``target`` is a module-level function; the server started by the first call
    loads its module with the program.
    """
    process = start_forked(target, *args, log=log, out=out)
    process.join(timeout)
    if process.exitcode is None:
        process.kill()
        process.join()
        raise TimeoutError(f"the forked run did not end within {timeout:.0f} s")
    return Finished(process.exitcode, log.read_text(encoding="utf-8"))


def start_forked(
    target: Callable[..., None], *args: object, log: Path, out: Path | None = None, session: bool = False
) -> multiprocessing.process.BaseProcess:
    """Start ``target(*args)`` in a fresh fork of the server and return at once (see ``run_forked``).

    Its standard error goes to ``log`` and, given ``out``, its standard output to
    ``out``; with ``session`` it leads a session of its own, as a program started
    from a terminal leads its process group (``os.killpg(process.pid, ...)``).
    It runs with this process's environment as it is now (a subprocess's), not the server's.
    Its ``exitcode`` is the program's exit status, or minus the signal that killed it.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*PRELOAD, target.__module__])
    streams = (str(log), "" if out is None else str(out))
    process = context.Process(target=_with_stderr, args=(streams, dict(os.environ), session, target, *args))
    process.start()
    return process


def _with_stderr(
    streams: tuple[str, str], environment: dict[str, str], session: bool, target: Callable[..., None], *args: object
) -> None:
    log, out = streams
    os.environ.clear()  # the environment of the process that started it, as a subprocess gets (TMPDIR too)
    os.environ.update(environment)
    tempfile.tempdir = None
    if session:
        os.setsid()
    handle = open(log, "w", encoding="utf-8", buffering=1)  # noqa: SIM115 - open until the process ends
    os.dup2(handle.fileno(), 2)
    sys.stderr = handle
    if out:
        output = open(out, "w", encoding="utf-8", buffering=1)  # noqa: SIM115 - open until the process ends
        os.dup2(output.fileno(), 1)
        sys.stdout = output
    target(*args)


def run_cli(argv: list[str]) -> None:
    """The console script as ``strategic-assessment ARGV...`` runs it (its SIGTERM handling included)."""
    from strategic_assessment import cli

    sys.argv = ["strategic-assessment", *argv]
    cli.main()


def run_script(script: Path, argv: list[str]) -> None:
    """``python SCRIPT ARGV...`` run from the script's folder, as an analyst types it there."""
    os.chdir(script.parent)
    sys.argv = [script.name, *argv]
    runpy.run_path(script.name, run_name="__main__")
