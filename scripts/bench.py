"""``make bench``: time the pipeline against the targets of SPEC §9 and print a JSON report last.

Each figure is the median of at least three runs, measured in this run
against a floor taken in the same run (a bare import of the libraries the
pipeline needs), so machines of different speed can be compared by ratio.
Nothing here is a test: it reports, it does not fail.

    python scripts/bench.py [--inputs inputs] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLOOR_IMPORT = "import pandas, matplotlib.pyplot, docx, docxtpl, openpyxl"


def timed(command: list[str], cwd: Path = ROOT) -> float:
    """Seconds one command takes; raises when it fails."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def figure(
    value: float, unit: str, target: str, limit: float | None = None, floor: float | None = None
) -> dict[str, Any]:
    """One entry of the report; ``limit`` is a ratio to ``floor`` (or an absolute bound without a floor)."""
    entry: dict[str, Any] = {"value": round(value, 3), "unit": unit, "target": target}
    if floor:
        entry["ratio"] = round(value / floor, 2)
    if limit is not None:
        measured = value / floor if floor else value
        entry["pass"] = measured <= limit
    return entry


def generate_command(inputs: Path, outputs: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "generate.py"),
        "generate",
        "--inputs",
        str(inputs),
        "--outputs",
        str(outputs),
        *extra,
    ]


def change_one_score(inputs: Path, step: int) -> None:
    """Change one judgement score in the first workshop workbook (alternating, so every run changes it)."""
    from openpyxl import load_workbook

    path = sorted((inputs / "workshops").glob("*.xlsx"))[0]
    book = load_workbook(path)
    sheet = book["scores"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("knowledge_gaps") + 1
    cell = sheet.cell(row=2, column=column)
    cell.value = 1 if step % 2 else 2
    book.save(path)


def bench_generate(inputs: Path, runs: int, floor: float, report: dict[str, Any]) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        copy = work / "inputs"
        shutil.copytree(inputs, copy)
        outputs = work / "outputs"

        def cold() -> float:
            shutil.rmtree(outputs, ignore_errors=True)
            return timed(generate_command(copy, outputs, "--no-pdf"))

        report["cold_generate_no_pdf"] = figure(median_of(runs, cold), "s", "<= 2.5 x floor", 2.5, floor)
        timed(generate_command(copy, outputs, "--no-pdf"))
        steps = iter(range(runs * 2))

        def warm() -> float:
            change_one_score(copy, next(steps))
            return timed(generate_command(copy, outputs, "--no-pdf"))

        report["regenerate_after_one_score_change"] = figure(median_of(runs, warm), "s", "<= 1.3 x floor", 1.3, floor)
        validate = [sys.executable, str(ROOT / "generate.py"), "validate", "--inputs", str(copy)]
        report["validate"] = figure(median_of(runs, lambda: timed(validate)), "s", "reported only", None, floor)
        bench_pdf(copy, outputs, runs, report)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_pdf(inputs: Path, outputs: Path, runs: int, report: dict[str, Any]) -> None:
    from strategic_assessment.documents.pdf import convert_to_pdf, soffice_path

    if soffice_path() is None:
        report["pdf_export"] = {"value": None, "unit": "s", "target": "<= 1.5 x bare soffice", "skipped": "no soffice"}
        return
    from docx import Document

    folder = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        one_line = folder / "one-line.docx"
        document = Document()
        document.add_paragraph("One line.")
        document.save(str(one_line))
        bare = median_of(runs, lambda: _seconds(lambda: convert_to_pdf([one_line], folder)))
        year = next(path for path in outputs.iterdir() if path.is_dir() and not path.name.startswith("."))
        documents = [year / "strategic_assessment.docx", year / "plan_on_a_page.docx"]
        both = median_of(runs, lambda: _seconds(lambda: convert_to_pdf(documents, folder)))
        report["pdf_bare_soffice"] = figure(bare, "s", "reference")
        entry = figure(both, "s", "<= 1.5 x bare soffice of a one-line docx")
        entry["ratio"] = round(both / bare, 2)
        entry["pass"] = both / bare <= 1.5
        report["pdf_export_both_documents"] = entry
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _seconds(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def bench_police_uk(runs: int, floor: float, report: dict[str, Any]) -> None:
    """police.uk ingest rows a second and the batch over a force's areas, when that capability and data exist."""
    folder = ROOT.parent / "shared" / "data" / "police-uk" / "devon-and-cornwall"
    hook = ROOT / "scripts" / "bench_police_uk.py"
    if not folder.is_dir() or not hook.is_file():
        report["police_uk_ingest"] = {
            "value": None,
            "unit": "rows/s",
            "target": ">= 1,000,000",
            "skipped": "not available",
        }
        return
    completed = subprocess.run(
        [sys.executable, str(hook), str(folder), str(runs)], cwd=ROOT, check=True, capture_output=True, text=True
    )
    report.update(json.loads(completed.stdout.strip().splitlines()[-1]))


def bench_performance(inputs: Path, runs: int, floor: float, report: dict[str, Any]) -> None:
    """The board's performance update (SPEC §10) on the example, cold, without the PDF copy."""
    with tempfile.TemporaryDirectory(prefix="bench-performance-") as work:
        outputs = Path(work) / "outputs"
        command = [sys.executable, str(ROOT / "generate.py"), "performance", "--inputs", str(inputs)]
        command += ["--outputs", str(outputs), "--no-pdf"]

        def cold() -> float:
            shutil.rmtree(outputs, ignore_errors=True)
            return timed(command)

        report["performance"] = figure(median_of(runs, cold), "s", "reported only", None, floor)


def bench_sheets(runs: int, report: dict[str, Any]) -> None:
    """The .xlsx reader beside python-calamine and openpyxl on a 50,000-row sheet (scripts/bench_sheets.py)."""
    hook = ROOT / "scripts" / "bench_sheets.py"
    completed = subprocess.run(
        [sys.executable, str(hook), str(runs)], cwd=ROOT, check=True, capture_output=True, text=True
    )
    report.update(json.loads(completed.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=Path, default=ROOT / "inputs")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = max(3, args.runs)
    floor = median_of(runs, lambda: timed([sys.executable, "-c", FLOOR_IMPORT]))
    report: dict[str, Any] = {"floor": figure(floor, "s", f"python -c '{FLOOR_IMPORT}'")}
    bench_generate(args.inputs.resolve(), runs, floor, report)
    bench_police_uk(runs, floor, report)
    bench_performance(args.inputs.resolve(), runs, floor, report)
    bench_sheets(runs, report)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report["peak_memory"] = figure(peak, "MiB", "reported only")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
