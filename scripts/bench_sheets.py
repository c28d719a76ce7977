"""Reading a 50,000-row sheet: the program's .xlsx reader beside python-calamine and openpyxl (``make bench``).

Prints one JSON object as its last line: CPU seconds (median of the runs)
for each reader on the same workbook, a sheet of 50,000 rows x 4 columns
(text, two whole numbers, a decimal) written by openpyxl, and the cells
each read, so the figures are seen to be for the same work.

    python scripts/bench_sheets.py [runs]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import python_calamine
from openpyxl import Workbook, load_workbook

from strategic_assessment.ingest.excel import open_workbook

ROWS = 50_000


def write_sheet(path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("neighbourhoods")
    sheet.append(["neighbourhood", "population", "crimes", "rate_per_1000"])
    for number in range(1, ROWS + 1):
        sheet.append([f"Neighbourhood {number % 997}", 1000 + number % 5000, number % 311, number % 311 / 7])
    book.save(path)


def ours(path: Path) -> int:
    rows = open_workbook(path, path.name).sheet("neighbourhoods").rows
    return sum(1 for row in rows for value in row if value is not None)


def calamine(path: Path) -> int:
    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        rows = book.get_sheet_by_name("neighbourhoods").to_python()
    return sum(1 for row in rows for value in row if value != "")


def openpyxl_values(path: Path) -> int:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(book["neighbourhoods"].iter_rows(values_only=True))
    finally:
        book.close()
    return sum(1 for row in rows for value in row if value is not None)


def cpu(read: Callable[[Path], int], path: Path, runs: int) -> tuple[float, int]:
    times, cells = [], 0
    for _ in range(runs):
        started = time.process_time()
        cells = read(path)
        times.append(time.process_time() - started)
    return statistics.median(times), cells


def main() -> None:
    runs = max(3, int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    with tempfile.TemporaryDirectory(prefix="bench-sheets-") as folder:
        path = Path(folder) / "rows.xlsx"
        write_sheet(path)
        readers = {"program_xlsx_reader": ours, "python_calamine": calamine, "openpyxl_read_only": openpyxl_values}
        report: dict[str, Any] = {}
        for name, read in readers.items():
            seconds, cells = cpu(read, path, runs)
            report[name] = {"value": round(seconds, 3), "unit": "s CPU", "cells": cells}
    print(json.dumps({"xlsx_reader_50k_rows": {**report, "target": "reported only (reader choice, see sheetxml.py)"}}))


if __name__ == "__main__":
    main()
