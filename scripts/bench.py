"""``make bench``: every figure of docs/speed.md, measured in this run, with a JSON report printed last.

Each figure is the median of at least three runs (the analyst's loop of
five), measured against references taken in the same run: the floor (a
bare import of the libraries the pipeline needs) and a bare LibreOffice
start converting a one-line document, so machines of different speed, or
one machine under different load, compare by ratio. Beside our figures
stand the peers': Polars and DuckDB doing the police.uk counts on the same
files. A figure that cannot be taken here (no LibreOffice, no police.uk
files) says "not measured" and why, rather than failing. Nothing here is a
test: it reports, it does not fail.

    python scripts/bench.py [--inputs inputs] [--runs 3] [--test-runs 3 | --no-tests]

The program's own modules are compiled to bytecode first, as installing
it does (``pip install`` compiles every module it installs, and the floor's
libraries were compiled so): with ``PYTHONDONTWRITEBYTECODE`` set, a
checkout whose bytecode is older than its sources would otherwise compile
every module it imports in every run (0.05-0.06 s of CPU for a regenerate).

Entries: ``{"value", "unit", "target", "ratio" (where the target is a
ratio), "pass", "runs"}``, and ``cpu_seconds`` (this process's children,
user + system, median) where a command was timed, which shows how much of
a wall time was waiting for a busy machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLOOR_IMPORT = "import pandas, matplotlib.pyplot, docx, docxtpl, openpyxl"
POLICE_UK = ROOT.parent / "shared" / "data" / "police-uk" / "devon-and-cornwall"
POLICE_UK_EXAMPLE = ROOT / "inputs" / "examples" / "police-uk-plymouth"
LOOP_SAVES = 5
HTML_PAGE = "strategic_assessment.html"
LOOP_LIMIT = 120.0
"""Seconds to wait for one rebuild of the analyst's loop before calling it failed."""


class Timing:
    """Wall and CPU seconds of the commands run for one figure."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, command: Sequence[str], cwd: Path = ROOT) -> float:
        """Run one command to the end (raises when it fails); returns its wall seconds."""
        before = _children_cpu()
        started = time.perf_counter()
        completed = subprocess.run(list(command), cwd=cwd, capture_output=True)
        seconds = time.perf_counter() - started
        if completed.returncode != 0:
            tail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            # what failed, as pytest's short summary names it (FAILED path::test - reason)
            failed = [
                line[:300]
                for line in completed.stdout.decode("utf-8", "replace").splitlines()
                if line.startswith(("FAILED ", "ERROR "))
            ]
            said = " | ".join([*failed[:5], *tail])
            raise RuntimeError(f"{' '.join(command[:4])} ... exited {completed.returncode}: {said}")
        self.wall.append(seconds)
        self.cpu.append(_children_cpu() - before)
        return seconds

    @property
    def median(self) -> float:
        return statistics.median(self.wall)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def figure(
    value: float,
    unit: str,
    target: str,
    limit: float | None = None,
    reference: float | None = None,
    runs: int | None = None,
    cpu: Sequence[float] = (),
) -> dict[str, Any]:
    """One entry: ``limit`` bounds ``value / reference`` when a reference is given, else ``value`` itself."""
    entry: dict[str, Any] = {"value": round(value, 3), "unit": unit, "target": target}
    if reference:
        entry["ratio"] = round(value / reference, 2)
    if limit is not None:
        entry["pass"] = (value / reference if reference else value) <= limit
    if runs is not None:
        entry["runs"] = runs
    if cpu:
        entry["cpu_seconds"] = round(statistics.median(cpu), 3)
    return entry


def not_measured(unit: str, target: str, reason: str) -> dict[str, Any]:
    return {"value": None, "unit": unit, "target": target, "pass": None, "not_measured": reason}


def command(name: str, *arguments: str) -> list[str]:
    return [sys.executable, str(ROOT / "generate.py"), name, *arguments]


def change_one_score(inputs: Path, step: int) -> None:
    """Save the first workshop workbook with one judgement score changed: a different threat's at each step.

    Each step moves a threat no earlier run has moved, so the ratings, and the risk matrix that plots them,
    are new each time: nothing comes from a drawing or document kept from an earlier step. Saved as an editor
    saves: to a temporary file in the folder, then renamed over the workbook.
    """
    from openpyxl import load_workbook

    path = sorted((inputs / "workshops").glob("*.xlsx"))[0]
    book = load_workbook(path)
    sheet = book["scores"]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2 + step % (sheet.max_row - 1), column=header.index("knowledge_gaps") + 1)
    cell.value = 2 if cell.value == 1 else 1
    temporary = path.with_name(f"~${path.name}")
    book.save(temporary)
    os.replace(temporary, path)


# The figures -------------------------------------------------------------------------------------------------------


def compile_program() -> None:
    """Compile the package's modules to bytecode, as an installation does (see the module)."""
    import compileall

    compileall.compile_dir(ROOT / "src" / "strategic_assessment", quiet=1)


def bench_floor(runs: int) -> tuple[float, dict[str, Any]]:
    timing = Timing()
    for _ in range(runs):
        timing.run([sys.executable, "-c", FLOOR_IMPORT])
    return timing.median, figure(timing.median, "s", f"reference: python -c '{FLOOR_IMPORT}'", runs=runs)


def bench_generate(inputs: Path, work: Path, runs: int, floor: float, report: dict[str, Any]) -> Path:
    """Cold ``generate --no-pdf``, a regenerate after one score changed, and ``validate``; returns the year folder."""
    copy = work / "inputs"
    shutil.copytree(inputs, copy)
    outputs = work / "outputs"
    cold = Timing()
    for _ in range(runs):
        shutil.rmtree(outputs, ignore_errors=True)
        cold.run(command("generate", "--inputs", str(copy), "--outputs", str(outputs), "--no-pdf"))
    report["cold_generate_no_pdf"] = figure(cold.median, "s", "<= 2.0 x floor", 2.0, floor, runs, cold.cpu)
    warm = Timing()
    for step in range(runs):
        change_one_score(copy, step)
        warm.run(command("generate", "--inputs", str(copy), "--outputs", str(outputs), "--no-pdf"))
    report["regenerate_after_one_score_change"] = figure(
        warm.median,
        "s",
        "<= 1.0 x floor (a new generate process after one workshop score changed)",
        1.0,
        floor,
        runs,
        warm.cpu,
    )
    validate = Timing()
    for _ in range(runs):
        validate.run(command("validate", "--inputs", str(copy)))
    report["validate"] = figure(validate.median, "s", "reported only", None, floor, runs, validate.cpu)
    return next(path for path in outputs.iterdir() if path.is_dir() and not path.name.startswith("."))


def bench_pdf(year: Path, work: Path, runs: int, report: dict[str, Any]) -> None:
    """Both documents through a LibreOffice kept running, against a bare ``soffice --convert-to`` of one line."""
    target = "<= 1.0 x a bare soffice --convert-to pdf of a one-line .docx (LibreOffice kept running)"
    from strategic_assessment.documents.pdf import soffice_path

    soffice = soffice_path()
    if soffice is None:
        report["pdf_export_both_documents"] = not_measured("s", target, "LibreOffice (soffice) is not installed")
        return
    from docx import Document

    folder = work / "pdf"
    folder.mkdir()
    one_line = folder / "one-line.docx"
    document = Document()
    document.add_paragraph("One line.")
    document.save(str(one_line))
    profile = work / "soffice-profile"
    bare_command = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder / "bare"),
        str(one_line),
    ]
    bare = Timing()
    bare.run(bare_command)  # the profile's first start (it is created): not counted
    bare.wall.clear()
    bare.cpu.clear()
    for _ in range(runs):
        bare.run(bare_command)
    report["pdf_bare_soffice"] = figure(
        bare.median, "s", "reference: soffice --convert-to pdf of a one-line .docx", runs=runs, cpu=bare.cpu
    )
    try:
        from strategic_assessment.documents.office import OfficeSession
    except ImportError as error:
        report["pdf_export_both_documents"] = not_measured("s", target, f"no LibreOffice kept running ({error})")
        return
    documents = [year / "strategic_assessment.docx", year / "plan_on_a_page.docx"]
    documents = [path for path in documents if path.is_file()]
    out = folder / "kept"
    out.mkdir()
    started = time.perf_counter()
    try:
        with OfficeSession() as office:
            office.convert([one_line], out)
            start = time.perf_counter() - started
            times = []
            for _ in range(runs):
                begun = time.perf_counter()
                office.convert(documents, out)
                times.append(time.perf_counter() - begun)
    except Exception as error:  # LibreOffice without its UNO bridge, or failing: said, not raised
        report["pdf_export_both_documents"] = not_measured("s", target, f"{type(error).__name__}: {error}")
        return
    both = statistics.median(times)
    entry = figure(both, "s", target, 1.0, bare.median, runs)
    entry["documents"] = [path.name for path in documents]
    entry["peers"] = {"bare_soffice_one_line": round(bare.median, 3)}
    report["pdf_export_both_documents"] = entry
    report["pdf_office_start"] = figure(start, "s", "reported only: starting the kept LibreOffice (paid once)", runs=1)


def bench_analysts_loop(inputs: Path, work: Path, report: dict[str, Any]) -> None:
    """``watch``: from saving a workshop workbook to a new .docx, .pdf and HTML edition in outputs/<year>/."""
    target = "<= 1.5 s from saving a workshop workbook to the updated .docx, .pdf and HTML edition (median of 5)"
    help_text = subprocess.run(command("--help"), cwd=ROOT, capture_output=True, text=True).stdout
    if " watch " not in help_text:
        report["analysts_loop"] = not_measured("s", target, "this version has no watch command")
        return
    from strategic_assessment.documents.pdf import soffice_path

    if soffice_path() is None:
        report["analysts_loop"] = not_measured("s", target, "LibreOffice (soffice) is not installed: no PDF copy")
        return
    copy, outputs = work / "loop-inputs", work / "loop-outputs"
    shutil.copytree(inputs, copy)
    from strategic_assessment.settings import load_settings

    year = outputs / load_settings(copy).year_folder
    watched = [year / "strategic_assessment.docx", year / "strategic_assessment.pdf", year / "html" / HTML_PAGE]
    errors = (work / "loop-stderr.txt").open("w", encoding="utf-8")
    process = subprocess.Popen(
        command("watch", "--inputs", str(copy), "--outputs", str(outputs)),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    times: list[float] = []
    try:
        _wait_for_first_build(watched, process)
        for step in range(LOOP_SAVES):
            before = {path: path.stat().st_mtime_ns for path in watched}
            printed = len(lines)
            change_one_score(copy, step)
            saved = time.perf_counter()
            while not all(path.is_file() and path.stat().st_mtime_ns > before[path] for path in watched):
                if process.poll() is not None or time.perf_counter() - saved > LOOP_LIMIT:
                    raise RuntimeError(f"no rebuild within {LOOP_LIMIT:.0f} s of a save; printed: {lines[-3:]}")
                time.sleep(0.005)
            times.append(time.perf_counter() - saved)
            deadline = time.perf_counter() + LOOP_LIMIT
            while len(lines) == printed and time.perf_counter() < deadline:  # its line: the rebuild is over
                time.sleep(0.02)
            time.sleep(0.3)
    except (RuntimeError, OSError) as error:
        report["analysts_loop"] = not_measured("s", target, str(error))
        return
    finally:
        stopped = _stop(process)
        errors.close()
    entry = figure(statistics.median(times), "s", target, 1.5, None, len(times))
    entry["each"] = [round(seconds, 3) for seconds in times]
    entry["files"] = [str(path.relative_to(outputs)) for path in watched]
    entry["watch_stopped_cleanly_on_sigint"] = stopped
    report["analysts_loop"] = entry


def _wait_for_first_build(watched: Sequence[Path], process: subprocess.Popen[str]) -> None:
    """Wait for the watch's first build: the .docx, .pdf and HTML page in the year's folder."""
    deadline = time.perf_counter() + 300
    while not all(path.is_file() for path in watched):
        if process.poll() is not None:
            raise RuntimeError(f"watch exited ({process.returncode}) before its first build")
        if time.perf_counter() > deadline:
            raise RuntimeError("watch's first build took longer than 300 s")
        time.sleep(0.05)


def _stop(process: subprocess.Popen[str]) -> bool:
    """Ctrl-C to the watch's process group; True when it and its LibreOffice were gone within 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=30)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return process.returncode is not None
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    return False


def bench_police_uk(runs: int, report: dict[str, Any]) -> None:
    """The ingest beside Polars and DuckDB (scripts/bench_police_uk.py, in its own process with the peers)."""
    target = ">= 2,000,000 rows/s cold, and <= 1.5 x the fastest of DuckDB and Polars"
    if not POLICE_UK.is_dir():
        report["police_uk_ingest_cold"] = not_measured("rows/s", target, f"no police.uk files at {POLICE_UK}")
        return
    hook = ROOT / "scripts" / "bench_police_uk.py"
    rounds = max(runs, 15)  # each round is a fraction of a second: more rounds steady the median
    completed = subprocess.run(
        [sys.executable, str(hook), str(POLICE_UK), str(rounds)], cwd=ROOT, capture_output=True, text=True
    )
    if completed.returncode != 0:
        report["police_uk_ingest_cold"] = not_measured("rows/s", target, completed.stderr.strip()[-300:])
        return
    report.update(json.loads(completed.stdout.strip().splitlines()[-1]))


def bench_batch(work: Path, runs: int, report: dict[str, Any]) -> None:
    """Every local authority of the Devon & Cornwall files, from the shipped police.uk example, no PDF."""
    target = "<= 20 s for every local authority of the Devon & Cornwall files on two cores"
    if not POLICE_UK.is_dir():
        report["batch_all_areas"] = not_measured("s", target, f"no police.uk files at {POLICE_UK}")
        return
    timing = Timing()
    for run in range(runs):
        outputs = work / f"batch-{run}"
        timing.run(
            command(
                "batch",
                "--inputs",
                str(POLICE_UK_EXAMPLE),
                "--outputs",
                str(outputs),
                "--police-uk",
                str(POLICE_UK),
                "--areas",
                "all",
                "--no-pdf",
            )
        )
        summary = (outputs / "batch-summary.csv").read_text(encoding="utf-8").splitlines()
        shutil.rmtree(outputs, ignore_errors=True)
    entry = figure(timing.median, "s", target, 20.0, None, runs, timing.cpu)
    entry["areas"] = len(summary) - 1
    entry["cores"] = os.cpu_count()
    report["batch_all_areas"] = entry


def bench_performance(work: Path, runs: int, floor: float, report: dict[str, Any]) -> None:
    """The performance update on the police.uk Plymouth example, cold, without the PDF."""
    target = "reported only"
    if not POLICE_UK.is_dir():
        report["performance_plymouth"] = not_measured("s", target, f"no police.uk files at {POLICE_UK}")
        return
    timing = Timing()
    outputs = work / "performance"
    for _ in range(runs):
        shutil.rmtree(outputs, ignore_errors=True)
        timing.run(command("performance", "--inputs", str(POLICE_UK_EXAMPLE), "--outputs", str(outputs), "--no-pdf"))
    report["performance_plymouth"] = figure(timing.median, "s", target, None, floor, runs, timing.cpu)


def bench_sheets(runs: int, report: dict[str, Any]) -> None:
    """The .xlsx reader beside python-calamine and openpyxl on a 50,000-row sheet (scripts/bench_sheets.py)."""
    hook = ROOT / "scripts" / "bench_sheets.py"
    completed = subprocess.run([sys.executable, str(hook), str(runs)], cwd=ROOT, capture_output=True, text=True)
    if completed.returncode == 0:
        report.update(json.loads(completed.stdout.strip().splitlines()[-1]))
    else:
        report["sheets"] = not_measured("s", "reported only", completed.stderr.strip()[-300:])


def bench_tests(runs: int, report: dict[str, Any]) -> None:
    """``make test`` after set-up: ruff, mypy and the whole pytest suite."""
    target = "<= 60 s on two cores (make test after set-up)"
    if runs <= 0:
        report["test_suite"] = not_measured("s", target, "skipped with --no-tests")
        return
    timing = Timing()
    try:
        for _ in range(runs):
            timing.run(["make", "test"])
    except RuntimeError as error:
        report["test_suite"] = not_measured("s", target, f"make test failed: {error}")
        return
    report["test_suite"] = figure(timing.median, "s", target, 60.0, None, runs, timing.cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=Path, default=ROOT / "inputs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--test-runs", type=int, default=3, help="runs of make test (default 3)")
    parser.add_argument("--no-tests", action="store_const", const=0, dest="test_runs", help="leave out make test")
    parser.add_argument("--only", nargs="*", default=[], help="after the floor and generate: only these figures")
    args = parser.parse_args()
    runs = max(3, args.runs)
    inputs = args.inputs.resolve()
    report: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    }
    started = time.perf_counter()
    compile_program()
    floor, report["floor"] = bench_floor(runs)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        year = bench_generate(inputs, work, runs, floor, report)
        steps: dict[str, Callable[[Path], None]] = {
            "pdf": lambda folder: bench_pdf(year, folder, runs, report),
            "loop": lambda folder: bench_analysts_loop(inputs, folder, report),
            "police_uk": lambda folder: bench_police_uk(runs, report),
            "batch": lambda folder: bench_batch(folder, runs, report),
            "performance": lambda folder: bench_performance(folder, runs, floor, report),
            "sheets": lambda folder: bench_sheets(runs, report),
        }
        for name, step in steps.items():
            if args.only and name not in args.only:
                continue
            folder = work / name
            folder.mkdir()
            step(folder)
        bench_tests(args.test_runs, report)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report["peak_memory"] = figure(peak, "MiB", "reported only: the largest child process")
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["machine"]["bench_seconds"] = round(time.perf_counter() - started, 1)
    targets = [entry for entry in report.values() if isinstance(entry, dict) and "pass" in entry]
    report["summary"] = {
        "passed": sum(1 for entry in targets if entry["pass"] is True),
        "failed": sorted(
            name for name, entry in report.items() if isinstance(entry, dict) and entry.get("pass") is False
        ),
        "not_measured": sorted(
            name for name, entry in report.items() if isinstance(entry, dict) and "not_measured" in entry
        ),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
