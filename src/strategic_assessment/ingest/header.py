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
    """Find the expected columns in row 1 of a sheet; None when the header is unusable.

    Merged header cells hide the headers under them, so a merged header row is
    reported as that alone (not also as blank headers and missing columns).
    """
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
    columns = _match(sheet, list(required) + list(optional), log, report_blanks=not merged)
    if merged:
        return None
    for name in required:
        if name not in columns.index:
            log.add(_missing_column(sheet, name, columns))
    return columns


def _missing_column(sheet: Sheet, name: str, columns: Columns) -> Problem:
    """A required column that is not there, pointing at the header most like it."""
    near = closest(name, [header for _, header in columns.extra])
    if near is None:
        fix, where = f"add a column headed '{name}' in row 1", "row 1"
    else:
        column = next(column for column, header in columns.extra if header == near)
        fix, where = f"rename column '{near}' to '{name}'", cell_name(1, column)
    return Problem(sheet.file, f"column '{name}' not found", fix, sheet=sheet.name, cell=where)


def _match(sheet: Sheet, expected: list[str], log: ProblemLog, report_blanks: bool = True) -> Columns:
    wanted = {normalise(name): name for name in expected}
    columns = Columns()
    seen: dict[str, int] = {}
    header = sheet.rows[0]
    for column, value in enumerate(header, start=1):
        where = cell_name(1, column)
        if is_blank(value):
            if report_blanks and any(not is_blank(v) for v in header[column:]):
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
