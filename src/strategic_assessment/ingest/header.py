"""Reading a sheet's header row: expected columns found, problems named by cell.

The header is the first of the sheet's first ``HEADER_ROWS`` rows that holds
every required column name (else the one holding most of the expected
names): rows above it are the sheet's title ("Safer Plymouth workshop
scores, July 2019"), kept as such, and every message names the header row
actually used. Headers are matched ignoring case, spaces and underscores
(``Crime Type`` finds ``crime_type``, with a warning); a missing column
suggests the closest header; duplicate, blank and merged header cells are
problems. Cells merged down a data column (a theme written once beside its
threats) give their value to every row they cover, with a warning per merge.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, ProblemLog, closest
from .excel import Sheet, Workbook, as_text, cell_name, is_blank, located_rows, normalise
from .sheetxml import range_bounds

HEADER_ROWS = 10


@dataclass
class Columns:
    """Where each expected column is (1-based), the headers nobody asked for, the header row and the title above it."""

    index: dict[str, int] = field(default_factory=dict)
    extra: list[tuple[int, str]] = field(default_factory=list)
    row: int = 1
    title: tuple[str, ...] = ()
    sheet: Sheet | None = None

    def has(self, name: str) -> bool:
        return name in self.index

    @property
    def where(self) -> str:
        """The header row as a place in a message: ``row 3``."""
        return f"row {self.row}"

    def cell(self, column: int) -> str:
        """The header cell of a column: ``C3``."""
        return cell_name(self.row, column)

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(row number, values) of the data rows below the header, merged cells filled, blank rows skipped."""
        if self.sheet is not None:
            yield from located_rows(self.sheet, self.row + 1)


def read_header(
    book: Workbook,
    sheet: Sheet,
    required: Sequence[str],
    optional: Sequence[str],
    log: ProblemLog,
) -> Columns | None:
    """Find the expected columns in the header row of a sheet; None when the header is unusable.

    Merged header cells hide the headers under them, so a merged header row is
    reported as that alone (not also as blank headers and missing columns).
    """
    if not sheet.rows:
        log.add(Problem(sheet.file, "sheet is empty", "put the column headers in row 1", sheet=sheet.name))
        return None
    expected = list(required) + list(optional)
    row = header_row(sheet, required, expected)
    merges = [_bounds(ref) for ref in book.merged_ranges(sheet.name)]
    merged = [ref for ref, (_, top, _, bottom) in merges if top <= row <= bottom]
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
    columns = _match(sheet, row, expected, log, report_blanks=not merged)
    columns.title = tuple(as_text(value) for values in sheet.rows[: row - 1] for value in values if not is_blank(value))
    columns.sheet = _filled(sheet, columns, [m for m in merges if m[1][1] > row], log)
    if merged:
        return None
    for name in required:
        if name not in columns.index:
            log.add(_missing_column(sheet, name, columns))
    return columns


def header_row(sheet: Sheet, required: Sequence[str], expected: Sequence[str]) -> int:
    """The first row (of the first ``HEADER_ROWS``) holding every required name, else the one holding most names."""
    need = {normalise(name) for name in required}
    known = {normalise(name) for name in expected}
    best, best_count, first = 0, 0, 0
    for number, values in enumerate(sheet.rows[:HEADER_ROWS], start=1):
        names = {normalise(as_text(value)) for value in values if not is_blank(value)}
        if not names:
            continue
        first = first or number
        if need <= names:
            return number
        count = len(names & known)
        if count > best_count:
            best, best_count = number, count
    return best or first or 1


def _bounds(ref: str) -> tuple[str, tuple[int, int, int, int]]:
    """A merged range and its (first column, first row, last column, last row); a bad range covers nothing."""
    try:
        left, top, right, bottom = range_bounds(ref)
    except (ValueError, TypeError):
        return ref, (0, 0, 0, 0)
    return ref, (left or 0, top or 0, right or 0, bottom or 0)


def _filled(
    sheet: Sheet, columns: Columns, merges: list[tuple[str, tuple[int, int, int, int]]], log: ProblemLog
) -> Sheet:
    """The sheet with each merge below the header giving its top cell's value to every row it covers."""
    if not merges:
        return sheet
    rows = [list(values) for values in sheet.rows]
    for ref, (left, top, right, bottom) in merges:
        value = rows[top - 1][left - 1] if top <= len(rows) and left <= len(rows[top - 1]) else None
        if is_blank(value) or bottom == top:
            continue
        for number in range(top + 1, min(bottom, len(rows)) + 1):
            row = rows[number - 1]
            row.extend([None] * (right - len(row)))
            row[left - 1] = value
        log.warn(
            Problem(
                sheet.file,
                f"cells {ref} are merged; '{as_text(value)}' was read for each of rows {top} to {bottom}",
                "unmerge them and fill the value into each row to silence this",
                sheet=sheet.name,
                cell=ref,
            )
        )
    return Sheet(sheet.file, sheet.name, tuple(tuple(values) for values in rows), sheet.hidden)


def _missing_column(sheet: Sheet, name: str, columns: Columns) -> Problem:
    """A required column that is not there, pointing at the header most like it."""
    near = closest(name, [header for _, header in columns.extra])
    if near is None:
        fix, where = f"add a column headed '{name}' in {columns.where}", columns.where
    else:
        column = next(column for column, header in columns.extra if header == near)
        fix, where = f"rename column '{near}' to '{name}'", columns.cell(column)
    return Problem(sheet.file, f"column '{name}' not found", fix, sheet=sheet.name, cell=where)


def _match(sheet: Sheet, row: int, expected: list[str], log: ProblemLog, report_blanks: bool = True) -> Columns:
    wanted = {normalise(name): name for name in expected}
    columns = Columns(row=row)
    seen: dict[str, int] = {}
    header = sheet.rows[row - 1]
    for column, value in enumerate(header, start=1):
        where = cell_name(row, column)
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
                    f"column '{text}' appears twice (also {cell_name(row, seen[key])})",
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
