"""police.uk figures for ``make bench``: ingest rows a second (cold and cached) and the batch over a force.

Prints one JSON object (its entries join the bench report) as its last line:

    python scripts/bench_police_uk.py FOLDER RUNS
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from strategic_assessment.ingest.police_uk import read_street_counts, street_files

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "examples" / "police-uk-plymouth"


def ingest(folder: Path, runs: int) -> dict[str, Any]:
    """Rows a second reading every street file in the folder, with no cache and from a warm cache."""
    months = street_files(folder)
    last = max(months)
    read_street_counts(folder, min(months), None)  # load pyarrow's kernels once: "cold" means no parse cache
    runs = max(runs, 5)
    cache = Path(tempfile.mkdtemp(prefix="bench-police-uk-"))
    try:
        cold: list[float] = []
        rows = 0
        for _ in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            started = time.perf_counter()
            rows = read_street_counts(folder, last, cache).rows
            cold.append(time.perf_counter() - started)
        warm = []
        for _ in range(runs):
            started = time.perf_counter()
            read_street_counts(folder, last, cache)
            warm.append(time.perf_counter() - started)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    cold_rate = rows / statistics.median(cold)
    warm_rate = rows / statistics.median(warm)
    target = ">= 1,000,000 rows/s"
    return {
        "police_uk_rows": {"value": rows, "unit": "rows", "target": "reported only"},
        "police_uk_ingest_cold": {
            "value": round(cold_rate),
            "unit": "rows/s",
            "target": target,
            "pass": cold_rate >= 1e6,
        },
        "police_uk_ingest_cached": {
            "value": round(warm_rate),
            "unit": "rows/s",
            "target": target,
            "pass": warm_rate >= 1e6,
        },
    }


def batch(folder: Path, runs: int) -> dict[str, Any]:
    """Wall time of a full assessment (no PDF) for every local authority of the force's files."""
    times = []
    for _ in range(runs):
        outputs = Path(tempfile.mkdtemp(prefix="bench-batch-"))
        command = [
            sys.executable,
            str(ROOT / "generate.py"),
            "batch",
            "--inputs",
            str(EXAMPLE),
            "--outputs",
            str(outputs),
            "--police-uk",
            str(folder),
            "--areas",
            "all",
            "--no-pdf",
        ]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        shutil.rmtree(outputs, ignore_errors=True)
    value = statistics.median(times)
    return {"batch_all_areas": {"value": round(value, 2), "unit": "s", "target": "<= 30 s", "pass": value <= 30}}


def main() -> None:
    folder, runs = Path(sys.argv[1]), int(sys.argv[2])
    report = ingest(folder, runs)
    report.update(batch(folder, runs))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
