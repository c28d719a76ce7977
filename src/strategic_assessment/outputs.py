"""Writing outputs: staged folders, the ratings table (CSV and Excel) and the derived tables.

Everything is written into a staging folder beside the target and moved into
place only when it is complete. Text cells that a spreadsheet would run as a
formula (starting ``= + - @``) are written as text.
"""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .changes import RatingChange
from .errors import OutputError
from .ingest.crime_workbook import CrimeData
from .model import Model
from .scoring import ThreatRating

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = "12436D"


def safe_text(value: Any) -> Any:
    """A value safe to put in a spreadsheet: text that would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@contextlib.contextmanager
def staged_folder(target: Path, replace_all: bool) -> Iterator[Path]:
    """A staging folder that becomes ``target`` (or is merged into it) only if the block succeeds.

    Raises OutputError when the folder cannot be created or written.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-staging-{os.getpid()}-", dir=target.parent))
        staging.chmod(0o777 & ~_umask())
    except OSError as exc:
        raise OutputError(f"cannot write to the outputs folder '{target.parent}' ({exc.strerror})") from exc
    try:
        yield staging
        _publish(staging, target, replace_all)
    except OSError as exc:
        raise OutputError(f"cannot write outputs into '{target}' ({exc.strerror})") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_abandoned_staging(target: Path) -> None:
    """Remove staging folders left by runs that were killed (their process is gone)."""
    for folder in target.parent.glob(f".{target.name}-staging-*"):
        pid = folder.name.removeprefix(f".{target.name}-staging-").split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(target.with_name(f".{target.name}-previous"), ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish(staging: Path, target: Path, replace_all: bool) -> None:
    if replace_all or not target.exists():
        backup = target.with_name(f".{target.name}-previous")
        shutil.rmtree(backup, ignore_errors=True)
        if target.exists():
            target.rename(backup)
        staging.rename(target)
        shutil.rmtree(backup, ignore_errors=True)
        return
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(staging)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)


def group_column(key: str) -> str:
    """The ratings table's column for a group's value: ``harm`` -> ``harm_group``."""
    return f"{key}_group"


def ratings_columns(model: Model) -> list[str]:
    """The ratings table's columns, in order (names are fixed: other tools read them)."""
    keys = list(model.factor_keys)
    suggested = [f"suggested_{f.key}" for f in model.factors if f.suggest is not None]
    return [
        "theme",
        "threat",
        "data_row",
        "count_previous",
        "count_current",
        "change_pct",
        "rate_per_1000",
        *keys,
        *[f"{key}_source" for key in keys],
        *suggested,
        *[group_column(group.key) for group in model.groups],
        "score",
        "rating",
        "override_rating",
        "override_reason",
        "scored_year",
        "final_rating",
        "previous_rating",
        "change",
    ]


def ratings_records(
    ratings: Sequence[ThreatRating], model: Model, changes: Sequence[RatingChange] = ()
) -> list[dict[str, Any]]:
    """One record per threat, in ranked order, with the ratings table's columns."""
    by_threat = {change.threat: change for change in changes}
    records = []
    for rating in ratings:
        figures = rating.figures
        record: dict[str, Any] = {
            "theme": rating.theme,
            "threat": rating.threat,
            "data_row": rating.data_row,
            "count_previous": figures.count_previous if figures else None,
            "count_current": figures.count_current if figures else None,
            "change_pct": figures.change_pct if figures else None,
            "rate_per_1000": figures.rate_per_1000 if figures else None,
        }
        for key, result in rating.factors.items():
            record[key] = result.value
            record[f"{key}_source"] = result.source
            if model.factor(key).suggest is not None:
                record[f"suggested_{key}"] = result.suggestion
        record.update({group_column(key): value for key, value in rating.groups.items()})
        record.update(
            score=rating.score,
            rating=rating.rating,
            override_rating=rating.override_rating,
            override_reason=rating.override_reason,
            scored_year=rating.scored_year,
            final_rating=rating.final_rating,
            previous_rating=change.previous if (change := by_threat.get(rating.threat)) else None,
            change=change.direction if change else None,
        )
        records.append(record)
    return records


def write_ratings(
    ratings: Sequence[ThreatRating], model: Model, folder: Path, changes: Sequence[RatingChange] = ()
) -> None:
    """Write ``ratings.csv`` and ``ratings.xlsx`` into ``folder``."""
    columns = ratings_columns(model)
    records = ratings_records(ratings, model, changes)
    write_csv(folder / "ratings.csv", columns, records)
    _write_ratings_xlsx(folder / "ratings.xlsx", columns, records, model)


def write_csv(path: Path, columns: Sequence[str], records: Sequence[dict[str, Any]]) -> None:
    """A UTF-8 CSV with a header row; blanks for missing values; formula-like text neutralised."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in records:
            writer.writerow(["" if _missing(v := record.get(c)) else safe_text(v) for c in columns])


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _write_ratings_xlsx(path: Path, columns: list[str], records: list[dict[str, Any]], model: Model) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ratings"
    sheet.append(columns)
    for record in records:
        sheet.append([None if _missing(record.get(c)) else record.get(c) for c in columns])
    _as_text_where_formula_like(sheet)
    _style_table(sheet, columns)
    colours = {rating.name: rating.colour.lstrip("#") for rating in model.ratings}
    for name in ("rating", "final_rating"):
        column = columns.index(name) + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=column)
            if cell.value in colours:
                cell.fill = PatternFill("solid", start_color=colours[str(cell.value)])
    book.save(path)


def _as_text_where_formula_like(sheet: Any) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.value = cell.value
                cell.data_type = "s"


def _style_table(sheet: Any, columns: Sequence[str]) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color=HEADER_FILL)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, name in enumerate(columns, start=1):
        longest = max([len(name)] + [len(str(c.value or "")) for c in sheet[get_column_letter(index)][1:]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 50)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions


def write_data_tables(annual: pd.DataFrame, crime: CrimeData, folder: Path) -> None:
    """The derived tables behind the document as CSV: annual, monthly, neighbourhoods."""
    folder.mkdir(parents=True, exist_ok=True)
    _frame_csv(annual, folder / "annual.csv")
    if crime.monthly is not None:
        _frame_csv(crime.monthly, folder / "monthly.csv")
    if crime.neighbourhoods is not None:
        _frame_csv(crime.neighbourhoods, folder / "neighbourhoods.csv")


def _frame_csv(frame: pd.DataFrame, path: Path) -> None:
    columns = [str(c) for c in frame.columns]
    write_csv(path, columns, frame.to_dict("records"))
