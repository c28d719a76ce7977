"""police.uk ingest for ``make bench``: this program beside Polars and DuckDB doing the same counts on the same files.

Each round runs them in turn on every street file of the folder (so a busy
machine slows them alike): the program's ``read_street_counts`` with no
parse cache (every file read, hashed and parsed) and, reported beside it,
into an empty cache that it writes (a first run); Polars' lazy ``scan_csv``
and DuckDB's ``read_csv`` with the street files' schema declared, each
counting rows by month, LSOA code, LSOA name and crime type. The peers are
not dependencies of the program: ``make bench`` installs them into a folder
of their own (``PEERS``), put on the path here only.
Prints one JSON object as its last line; figures are medians over the rounds.

    python scripts/bench_police_uk.py FOLDER ROUNDS
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / ".venv" / "bench-peers"
GROUP = ("Month", "LSOA code", "LSOA name", "Crime type")

if PEERS.is_dir():
    sys.path.append(str(PEERS))

from strategic_assessment.ingest.police_uk import STREET_COLUMNS, read_street_counts, street_files  # noqa: E402


def project(folder: Path) -> Callable[[], int]:
    """The program's ingest with no parse cache: every file read, hashed and parsed."""
    last = max(street_files(folder))
    return lambda: read_street_counts(folder, last, None).rows


def project_first_run(folder: Path, caches: list[Path]) -> Callable[[], int]:
    """The program's ingest into an empty parse cache, as a first run does: the cache written as well."""
    last = max(street_files(folder))

    def run() -> int:
        cache = Path(tempfile.mkdtemp(prefix="bench-police-uk-"))
        caches.append(cache)  # removed after the rounds, outside the timing
        return read_street_counts(folder, last, cache).rows

    return run


def polars_peer(files: list[str]) -> Callable[[], int] | str:
    try:
        import polars as pl  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return f"not measured: polars is not installed (make bench installs it into {PEERS})"
    schema = dict.fromkeys(GROUP, pl.String)

    def run() -> int:
        frames = [pl.scan_csv(path, schema_overrides=schema).select(GROUP) for path in files]
        counts = pl.concat(frames).group_by(GROUP).len().collect()
        return int(counts["len"].sum())

    return run


def duckdb_peer(files: list[str]) -> Callable[[], int] | str:
    try:
        import duckdb  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return f"not measured: duckdb is not installed (make bench installs it into {PEERS})"
    connection = duckdb.connect()
    columns = "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in STREET_COLUMNS) + "}"
    paths = ", ".join("'" + path.replace("'", "''") + "'" for path in files)
    group = ", ".join(f'"{name}"' for name in GROUP)
    query = (
        f"SELECT sum(n) FROM (SELECT {group}, count(*) AS n FROM read_csv([{paths}], header = true, "
        f"auto_detect = false, delim = ',', quote = '\"', columns = {columns}) GROUP BY ALL)"
    )

    def run() -> int:
        row = connection.execute(query).fetchone()
        return int(row[0]) if row else 0

    return run


def ingest(folder: Path, rounds: int) -> dict[str, Any]:
    files = sorted(str(path) for paths in street_files(folder).values() for path in paths)
    caches: list[Path] = []
    engines: dict[str, Callable[[], int] | str] = {
        "project": project(folder),
        "project_first_run": project_first_run(folder, caches),
        "polars": polars_peer(files),
        "duckdb": duckdb_peer(files),
    }
    runnable = {name: engine for name, engine in engines.items() if callable(engine)}
    try:
        rows = {name: engine() for name, engine in runnable.items()}  # warm-up: imports, kernels, page cache
        if len(set(rows.values())) > 1:
            raise SystemExit(f"the engines counted different numbers of rows: {rows}")
        times: dict[str, list[float]] = {name: [] for name in runnable}
        cpu: dict[str, list[float]] = {name: [] for name in runnable}
        for _ in range(rounds):
            for name, engine in runnable.items():
                started, used = time.perf_counter(), time.process_time()
                engine()
                times[name].append(time.perf_counter() - started)
                cpu[name].append(time.process_time() - used)  # every thread of this process: the work done
    finally:
        for cache in caches:
            shutil.rmtree(cache, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    work = {name: round(statistics.median(values), 4) for name, values in cpu.items()}
    count = rows["project"]
    peers: dict[str, Any] = {}
    for name in ("polars", "duckdb"):
        peer = engines[name]
        if isinstance(peer, str):
            peers[name] = {"value": None, "unit": "s", "not_measured": peer}
        else:
            peers[name] = {
                "value": round(medians[name], 4),
                "unit": "s",
                "cpu_seconds": work[name],
                "rows_per_second": round(count / medians[name]),
            }
    rate = count / medians["project"]
    first = count / medians["project_first_run"]
    measured_peers = [medians[name] for name in ("polars", "duckdb") if name in medians]
    fastest = min(measured_peers) if measured_peers else None
    against: dict[str, Any] = {
        "value": round(medians["project"], 4),
        "unit": "s",
        "target": "<= 1.5 x the fastest of DuckDB and Polars doing the same counts on the same files",
        "ratio": round(medians["project"] / fastest, 2) if fastest else None,
        "pass": medians["project"] / fastest <= 1.5 if fastest else None,
        "cpu_seconds": work["project"],
        "cpu_ratio": round(
            work["project"] / min(peer["cpu_seconds"] for peer in peers.values() if "cpu_seconds" in peer), 2
        )
        if fastest
        else None,
        "peers": peers,
        "runs": rounds,
    }
    if fastest is None:
        against["not_measured"] = "neither Polars nor DuckDB is installed"
    return {
        "police_uk_ingest_cold": {
            "value": round(rate),
            "unit": "rows/s",
            "target": ">= 2,000,000 rows/s cold (no parse cache: every file read, hashed and parsed)",
            "pass": rate >= 2e6,
            "seconds": round(medians["project"], 4),
            "cpu_seconds": work["project"],
            "rows": count,
            "files": len(files),
            "runs": rounds,
        },
        "police_uk_ingest_against_peers": against,
        "police_uk_ingest_first_run": {
            "value": round(first),
            "unit": "rows/s",
            "target": "reported only: cold into an empty parse cache, which it writes (one file a month)",
            "seconds": round(medians["project_first_run"], 4),
            "cpu_seconds": work["project_first_run"],
            "runs": rounds,
        },
    }


def main() -> None:
    folder, rounds = Path(sys.argv[1]), max(3, int(sys.argv[2]))
    print(json.dumps(ingest(folder, rounds)))


if __name__ == "__main__":
    main()
