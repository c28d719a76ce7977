"""Reading a sheet's header row: expected columns found, problems named by cell.

Headers are matched ignoring case, spaces and underscores (``Crime Type``
finds ``crime_type``, with a warning); a missing column suggests the closest
header; duplicate, blank and merged header cells are problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import Problem, ProblemLog, closest
from .excel import Sheet, Workbook, as_text, cell_name, is_blank, normalise


@dataclass
class Columns:
    """Where each expected column is (1-based), and the headers nobody asked for."""

    index: dict[str, int] = field(default_factory=dict)
    extra: list[tuple[int, str]] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.index


def read_header(
    book: Workbook,
    sheet: Sheet,
    required: Sequence[str],
    optional: Sequence[str],
    log: ProblemLog,
) -> Columns | None:
    """Find the expected columns in row 1 of a sheet; None when the header is unusable."""
    merged = [ref for ref in book.merged_ranges(sheet.name) if _touches_row_one(ref)]
    for ref in merged:
        log.add(
            Problem(
                sheet.file,
                "header cells are merged",
                "unmerge them (Home › Merge & Center) and give each column its own header",
                sheet=sheet.name,
                cell=ref,
            )
        )
    if not sheet.rows:
        log.add(Problem(sheet.file, "sheet is empty", "put the column headers in row 1", sheet=sheet.name))
        return None
    columns = _match(sheet, list(required) + list(optional), log)
    for name in required:
        if name not in columns.index:
            headers = [header for _, header in columns.extra]
            near = closest(name, headers)
            fix = f"rename column '{near}' to '{name}'" if near else f"add a column headed '{name}' in row 1"
            log.add(Problem(sheet.file, f"column '{name}' not found", fix, sheet=sheet.name, cell="row 1"))
    return None if merged else columns


def _match(sheet: Sheet, expected: list[str], log: ProblemLog) -> Columns:
    wanted = {normalise(name): name for name in expected}
    columns = Columns()
    seen: dict[str, int] = {}
    header = sheet.rows[0]
    for column, value in enumerate(header, start=1):
        where = cell_name(1, column)
        if is_blank(value):
            if any(not is_blank(v) for v in header[column:]):
                log.add(
                    Problem(
                        sheet.file,
                        "header cell is blank",
                        "give the column a header",
                        sheet=sheet.name,
                        cell=where,
                    )
                )
            continue
        text = as_text(value)
        key = normalise(text)
        if key in seen:
            log.add(
                Problem(
                    sheet.file,
                    f"column '{text}' appears twice (also {cell_name(1, seen[key])})",
                    "delete or rename one of them",
                    sheet=sheet.name,
                    cell=where,
                )
            )
            continue
        seen[key] = column
        if key in wanted:
            name = wanted[key]
            columns.index[name] = column
            if text != name:
                log.warn(
                    Problem(
                        sheet.file,
                        f"header '{text}' read as '{name}'",
                        f"rename it '{name}' to silence this",
                        sheet=sheet.name,
                        cell=where,
                    )
                )
        else:
            columns.extra.append((column, text))
    return columns


def _touches_row_one(ref: str) -> bool:
    start = ref.split(":")[0]
    digits = "".join(ch for ch in start if ch.isdigit())
    return digits == "1"
