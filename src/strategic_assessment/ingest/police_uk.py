"""police.uk street-level files read into the same crime tables as the crime workbook (README: police.uk).

A folder of monthly files ``YYYY-MM/YYYY-MM-<force>-street.csv`` becomes a
``CrimeData``: annual counts per police.uk crime type for the 12 months to the
period end and the 12 before, a monthly series of all crime (anti-social
behaviour excluded) and of ASB, and crimes by neighbourhood. Every file's
header is checked before it is read; only the three columns needed are parsed,
with pyarrow's CSV reader, and each file's counts by LSOA and crime type are
cached under the file's sha256, so a second run parses no CSV at all. A
comparison year with fewer than 12 months held is not available: it is never
computed on fewer months.

Each file is read once (one unbuffered read), hashed once and parsed from
the same bytes, one file a thread: the hashing and parsing release the GIL.
The three columns are read straight into dictionaries and grouped on their
codes; a file with no quote character is split on commas alone. The engine
is pyarrow, chosen by measurement on the Devon & Cornwall files (23 files,
261,405 rows, two cores, best of several rounds): this ingest, hash and
header checks included, 0.074 s (3.5 million rows a second); Polars'
lazy ``scan_csv`` doing only the counts 0.059 s; DuckDB's ``read_csv`` with a
declared schema 0.14 s. Polars read file by file, as a per-file hash and
cache need, took 0.108 s against pyarrow's 0.077 s, so neither is a better
engine for this job and neither is a dependency; ``make bench`` measures
both beside this one in every run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv
import pyarrow.feather as pa_feather

from ..errors import InputError, Problem, ProblemLog, did_you_mean
from ..names import neighbourhood_name
from ..settings import SETTINGS_FILE, PoliceUkSettings, previous_year
from .crime_workbook import CrimeData

STREET_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
READ_COLUMNS = ("LSOA code", "LSOA name", "Crime type")
COUNT_COLUMNS = ("lsoa_code", "lsoa_name", "crime_type", "count")
ASB = "Anti-social behaviour"
ALL_CRIME = "All crime"
CACHE_VERSION = 2
STREET_FILE = re.compile(r"^(\d{4})-(\d{2})-.+-street\.csv$")
LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")
LSOA_CODE = re.compile(r"^[EW]0\d{7}$")


@dataclass(frozen=True)
class StreetCounts:
    """Rows of the street files counted by month, LSOA and crime type (all LSOAs, no area chosen).

    ``counts`` has columns ``month``, ``lsoa_code``, ``lsoa_name``, ``crime_type``,
    ``count``; a row without an LSOA has blank code and name.
    """

    counts: pd.DataFrame
    months: tuple[str, ...]
    files: tuple[tuple[Path, str], ...]
    rows: int


@dataclass(frozen=True)
class PoliceUkData(CrimeData):
    """The crime tables built from police.uk files, with the files read and their sha256."""

    files: tuple[tuple[Path, str], ...] = ()
    rows_read: int = 0


def read_police_uk(
    source: PoliceUkSettings,
    year: str,
    period_end: dt.date,
    log: ProblemLog,
    cache: Path | None = None,
) -> PoliceUkData:
    """Build the crime tables for ``source.area`` from the street files up to ``period_end``.

    ``year`` labels the 12 months to the period end; the 12 before are the
    comparison year. Warnings go to ``log``. Raises InputError naming every
    file with an unexpected header, every month missing from the current
    period (unless ``allow_gaps``), an unknown area or a bad lookup file.
    """
    current, _ = year_months(period_end)
    street = read_street_counts(source.folder, current[-1], cache)
    return police_uk_tables(source, year, period_end, street, log)


def police_uk_tables(
    source: PoliceUkSettings, year: str, period_end: dt.date, street: StreetCounts, log: ProblemLog
) -> PoliceUkData:
    """The crime tables for ``source.area`` from street files already read (a batch reads them once for every area).

    Raises InputError as ``read_police_uk`` does.
    """
    current, comparison = year_months(period_end)
    problems = ProblemLog()
    _check_current_months(source, street.months, current, year, problems, log)
    area = _area_rows(street.counts, source, problems, log)
    lookup = read_lsoa_lookup(source.lsoa_lookup, problems) if source.lsoa_lookup else None
    problems.raise_if_any()
    if lookup is not None and source.lsoa_lookup is not None:
        _note_unlisted_lsoas(area, lookup, source.lsoa_lookup, log)
    comparison_held = [month for month in comparison if month in street.months]
    _note_comparison(source.folder, previous_year(year), comparison, comparison_held, log)
    _note_month_gaps(source.folder, street.months, current, log)
    _note_categories(source.categories, street.counts, log)
    crime_types = sorted(set(_distinct(street.counts["crime_type"])) - {ASB, ""})
    years = (previous_year(year), year)
    whole_years = len(comparison_held) == len(comparison) and all(month in street.months for month in current)
    periods = (comparison if whole_years else None, current)  # never compare 11 months with 12
    return PoliceUkData(
        source=str(source.folder),
        years=years,
        annual=annual_table(area, crime_types, dict(zip(years, periods, strict=True)), source.categories),
        monthly=monthly_table(area, street.months),
        neighbourhoods=neighbourhood_table(area, current, lookup),
        comparators=None,
        not_available=("comparators",),
        files=street.files,
        rows_read=street.rows,
    )


def read_police_uk_monthly(
    source: PoliceUkSettings, last_month: str, log: ProblemLog, cache: Path | None = None
) -> pd.DataFrame:
    """``month``, ``All crime`` (ASB excluded), ``Anti-social behaviour`` and each crime type, every month held.

    For the performance update (README, "The board's performance update"). Raises InputError like ``read_police_uk``
    for bad files or an unknown area.
    """
    street = read_street_counts(source.folder, last_month, cache)
    problems = ProblemLog()
    area = _area_rows(street.counts, source, problems, log)
    problems.raise_if_any()
    table = monthly_table(area, street.months)
    rows = area[(area["crime_type"] != "") & (area["crime_type"] != ASB)]
    by_type = rows.groupby(["month", "crime_type"], observed=True)["count"].sum()
    for crime_type in sorted(set(_distinct(street.counts["crime_type"])) - {ASB, ""}):
        table[crime_type] = pd.array(
            [int(by_type.get((month, crime_type), 0)) for month in table["month"]], dtype="Int64"
        )
    return table


def year_months(period_end: dt.date) -> tuple[list[str], list[str]]:
    """The 12 months to the period end and the 12 before, as ``YYYY-MM``, oldest first."""
    last = pd.Period(period_end, freq="M")
    months = [str(period) for period in pd.period_range(end=last, periods=24, freq="M")]
    return months[12:], months[:12]


def month_span(months: Sequence[str]) -> str:
    """``2016-01 to 2016-03`` (or the one month)."""
    return months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"


# Reading the files


def street_files(folder: Path) -> dict[str, list[Path]]:
    """The street-level files in the folder by month, ``YYYY-MM/YYYY-MM-<force>-street.csv``.

    Raises InputError when the folder is missing or holds no street files.
    """
    if not folder.is_dir():
        raise InputError(
            [
                Problem(
                    SETTINGS_FILE,
                    f"the police.uk folder '{folder}' does not exist",
                    "give the folder holding the monthly YYYY-MM folders (relative paths are from the inputs folder)",
                    cell="police_uk.folder",
                )
            ]
        )
    found: dict[str, list[Path]] = {}
    for path in sorted([*folder.glob("*/*-street.csv"), *folder.glob("*-street.csv")]):
        match = STREET_FILE.match(path.name)
        if match and 1 <= int(match.group(2)) <= 12:
            found.setdefault(f"{match.group(1)}-{match.group(2)}", []).append(path)
    if not found:
        raise InputError(
            [
                Problem(
                    _shown(folder, folder),
                    "holds no police.uk street-level files",
                    "download them from data.police.uk: monthly folders YYYY-MM/ holding YYYY-MM-<force>-street.csv",
                )
            ]
        )
    return found


def read_street_counts(folder: Path, last_month: str, cache: Path | None = None) -> StreetCounts:
    """Every street file of the folder up to ``last_month`` (``YYYY-MM``), counted by month, LSOA and crime type.

    Files are read in parallel threads (the hashing and CSV parsing release
    the GIL). Raises InputError naming every file whose header is not the
    police.uk street-level header, and any file that cannot be parsed.
    """
    by_month = {month: paths for month, paths in street_files(folder).items() if month <= last_month}
    if not by_month:
        return StreetCounts(_counts_frame([]), (), (), 0)
    months, paths = zip(*[(month, path) for month, paths in sorted(by_month.items()) for path in paths], strict=True)
    shown = [_shown(path, folder) for path in paths]
    with ThreadPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1)) as pool:
        results = list(pool.map(_file_counts, months, paths, shown, itertools.repeat(cache)))
    problems = [result.problem for result in results if result.problem is not None]
    if problems:
        raise InputError(problems)
    tables = [result.table for result in results if result.table is not None]
    rows = sum(int(pa_compute.sum(table.column("count")).as_py() or 0) for table in tables)
    files = tuple((result.path, result.sha256) for result in results)
    return StreetCounts(_counts_frame(tables), tuple(sorted(by_month)), files, rows)


@dataclass(frozen=True)
class _FileCounts:
    """One file's counts with its month column, or the problem that stopped it being read."""

    path: Path
    sha256: str
    table: pa.Table | None
    problem: Problem | None = None


def _file_counts(month: str, path: Path, shown: str, cache: Path | None) -> _FileCounts:
    """Read a file once: check its header, hash it, and take its counts from the cache or parse them."""
    try:
        data = read_file(path)
    except OSError as error:
        return _FileCounts(path, "", None, Problem(shown, f"cannot be read ({error.strerror})", "check the file"))
    end = data.find(b"\n")
    problem = header_problem(data[: end if end >= 0 else len(data)], shown)
    if problem is not None:
        return _FileCounts(path, "", None, problem)
    digest = file_digest(data)
    try:
        table = _cached_counts(data, digest, cache, shown)
    except InputError as error:
        return _FileCounts(path, digest, None, error.problems[0])
    months = pa.DictionaryArray.from_arrays(np.zeros(table.num_rows, np.int32), pa.array([month]))
    return _FileCounts(path, digest, table.append_column("month", months))


def file_digest(data: bytes) -> str:
    """A file's sha256 (its cache key, and its entry in the manifest)."""
    return hashlib.sha256(data).hexdigest()


def read_file(path: Path) -> bytes:
    """A file's bytes in one read (unbuffered: a third of the CPU of ``Path.read_bytes`` on these files).

    Read into memory, never mapped: a file truncated while it is read must not end the process.
    """
    with path.open("rb", buffering=0) as handle:
        return handle.readall()


def _counts_frame(tables: Sequence[pa.Table]) -> pd.DataFrame:
    """The files' counts as one frame, its text columns categorical."""
    if not tables:
        empty = pd.Categorical([])
        return pd.DataFrame({name: empty for name in ("month", *COUNT_COLUMNS[:3])}).assign(
            count=pd.Series([], "int64")
        )
    frame = pa.concat_tables(tables).select(["month", *COUNT_COLUMNS]).to_pandas()
    return frame.astype({"count": "int64"})


def header_problem(first_line: bytes, shown: str) -> Problem | None:
    """What is wrong with a file's header row, or None when it is the police.uk street-level header."""
    text = first_line.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    columns = tuple(column.strip() for column in next(csv.reader([text]), []))
    if columns == STREET_COLUMNS:
        return None
    expected = f"expected the police.uk street-level columns {', '.join(STREET_COLUMNS)}"
    if not text.strip():
        return Problem(shown, "is empty (no header row)", f"download the month again from data.police.uk; {expected}")
    if {"Easting", "Northing"} <= set(columns):
        return Problem(
            shown,
            "is in the older police.uk layout, with Easting and Northing in place of Longitude and Latitude",
            f"download the month again from data.police.uk in the current layout; {expected}",
        )
    missing = [column for column in STREET_COLUMNS if column not in columns]
    unexpected = [column for column in columns if column not in STREET_COLUMNS]
    details = "; ".join(
        part
        for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"unexpected {', '.join(unexpected)}" if unexpected else "",
        )
        if part
    )
    return Problem(shown, f"has an unexpected header ({details or 'columns in another order'})", expected)


def parse_street_file(data: bytes, shown: str, block_size: int = 1 << 24) -> pa.Table:
    """One street file's rows counted by LSOA code, LSOA name and crime type (text columns dictionary-encoded).

    The three columns are read straight into dictionaries (a blank is the empty
    string, never null) and grouped on their codes. Raises InputError when the
    file cannot be parsed as CSV.
    """
    options = pa_csv.ConvertOptions(
        include_columns=list(READ_COLUMNS),
        column_types=dict.fromkeys(READ_COLUMNS, pa.dictionary(pa.int32(), pa.string())),
        strings_can_be_null=False,
    )
    # a file without a quote character (police.uk writes none) is split on commas alone: 12% less CPU
    parsing = pa_csv.ParseOptions(quote_char=False) if data.find(b'"') < 0 else pa_csv.ParseOptions()
    try:
        # one thread a file: the files themselves are read in parallel, so nested threads only contend
        reading = pa_csv.ReadOptions(use_threads=False, block_size=block_size)
        table = pa_csv.read_csv(
            pa.BufferReader(data), read_options=reading, parse_options=parsing, convert_options=options
        )
    except (pa.ArrowInvalid, OSError) as error:
        message = " ".join(str(error).split())
        raise InputError([Problem(shown, f"cannot be read as CSV ({message})", "download it again")]) from error
    if any(column.num_chunks > 1 for column in table.columns):  # a file larger than a block: one dictionary each
        table = table.unify_dictionaries()
    grouped = table.group_by(list(READ_COLUMNS), use_threads=False).aggregate([([], "count_all")])
    columns = {name: grouped.column(column) for name, column in zip(COUNT_COLUMNS[:3], READ_COLUMNS, strict=True)}
    return pa.table({**columns, "count": grouped.column("count_all").cast(pa.int64())})


def _cached_counts(data: bytes, digest: str, cache: Path | None, shown: str) -> pa.Table:
    cached = cache / f"{digest}-v{CACHE_VERSION}.arrow" if cache is not None else None
    if cached is not None and cached.is_file():
        try:
            return pa_feather.read_table(cached, memory_map=False)
        except (pa.ArrowInvalid, OSError):
            pass  # a damaged cache entry is parsed again and rewritten
    table = parse_street_file(data, shown)
    if cached is not None:
        _write_cache(table, cached)
    return table


def _write_cache(table: pa.Table, target: Path) -> None:
    """Write atomically (a temporary file renamed into place); a cache that cannot be written only costs time."""
    temporary = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".arrow", dir=target.parent)
        os.close(handle)
        pa_feather.write_feather(table, temporary, compression="uncompressed")
        os.replace(temporary, target)
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def _shown(path: Path, folder: Path) -> str:
    """A file named from the police.uk folder's own name: ``devon-and-cornwall/2016-01/...csv``."""
    try:
        return str(Path(folder.name) / path.relative_to(folder)) + ("/" if path == folder else "")
    except ValueError:
        return str(path)


# Choosing the area


def local_authority(lsoa_name: str) -> str:
    """The local authority an LSOA name starts with: ``Plymouth 023B`` -> ``Plymouth``."""
    return LSOA_SUFFIX.sub("", lsoa_name)


def msoa_name(lsoa_name: str) -> str:
    """The MSOA an LSOA name belongs to: ``Plymouth 023B`` -> ``Plymouth 023``."""
    return lsoa_name[:-1] if LSOA_SUFFIX.search(lsoa_name) else lsoa_name


def authorities(counts: pd.DataFrame) -> dict[str, list[str]]:
    """The local authorities in the counts, each with its LSOA names (rows without an LSOA left out)."""
    found: dict[str, list[str]] = {}
    for name in _distinct(counts["lsoa_name"]):
        if name:
            found.setdefault(local_authority(name), []).append(name)
    return found


def _distinct(column: pd.Series) -> list[str]:
    """The distinct values of a text column (from the category codes when categorical: no string work)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.unique(column.cat.codes.to_numpy())
        return [str(value) for value in column.cat.categories.take(codes[codes >= 0])]
    return [str(value) for value in column.unique()]


def _area_rows(counts: pd.DataFrame, source: PoliceUkSettings, problems: ProblemLog, log: ProblemLog) -> pd.DataFrame:
    """The rows of the area asked for; rows without an LSOA only when the whole force is asked for."""
    no_lsoa = int(counts.loc[counts["lsoa_code"] == "", "count"].sum())
    if source.force_wide:
        if no_lsoa:
            log.warn(_no_lsoa_warning(source, no_lsoa, "counted in the force-wide totals but in no neighbourhood"))
        return counts
    if source.area_file is not None:
        chosen = _rows_by_codes(counts, source.area_file, problems, log)
    else:
        chosen = _rows_by_authority(counts, source.area, problems)
    if no_lsoa and chosen is not None:
        log.warn(
            _no_lsoa_warning(
                source,
                no_lsoa,
                f"left out of {source.area}'s figures: without a location no row can be placed in any area",
            )
        )
    return chosen if chosen is not None else counts.iloc[0:0]


def _no_lsoa_warning(source: PoliceUkSettings, rows: int, what: str) -> Problem:
    return Problem(
        _shown(source.folder, source.folder),
        f"{rows:,} {'row' if rows == 1 else 'rows'} (crimes and ASB) {'has' if rows == 1 else 'have'} no LSOA"
        f" (no location was given) and {'is' if rows == 1 else 'are'} {what}",
        "",
    )


def _rows_by_authority(counts: pd.DataFrame, area: str, problems: ProblemLog) -> pd.DataFrame | None:
    found = authorities(counts)
    wanted = " ".join(area.split()).casefold()
    names = [name for authority, names in found.items() if authority.casefold() == wanted for name in names]
    if not names:
        known = sorted(found)
        hint = did_you_mean(area, known) or f"areas in the files: {', '.join(known)}"
        problems.add(
            Problem(
                SETTINGS_FILE, f"area '{area}' matches no LSOA name in the police.uk files", hint, cell="police_uk.area"
            )
        )
        return None
    return counts[counts["lsoa_name"].isin(names)]


def _rows_by_codes(counts: pd.DataFrame, path: Path, problems: ProblemLog, log: ProblemLog) -> pd.DataFrame | None:
    codes = read_area_codes(path, problems)
    if not codes:
        return None
    chosen = counts[counts["lsoa_code"].isin(codes)]
    unseen = sorted(codes - set(_distinct(chosen["lsoa_code"])))
    if chosen.empty:
        problems.add(Problem(path.name, "none of its LSOA codes appears in the police.uk files", "check the codes"))
        return None
    if unseen:
        log.warn(
            Problem(
                path.name,
                f"{len(unseen)} LSOA codes never appear in the police.uk files: {', '.join(unseen[:5])}"
                + (" ..." if len(unseen) > 5 else ""),
                "check them against the LSOA codes in the files (boundaries changed in 2021)",
            )
        )
    return chosen


def read_area_codes(path: Path, problems: ProblemLog) -> set[str]:
    """LSOA codes from a text file, one a line; blank lines, ``#`` comments and a ``lsoa_code`` header are skipped."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as error:
        problems.add(
            Problem(
                SETTINGS_FILE, f"the area file '{path}' cannot be read ({error.strerror})", "", cell="police_uk.area"
            )
        )
        return set()
    codes: set[str] = set()
    for number, line in enumerate(lines, 1):
        code = line.split(",")[0].strip()
        if not code or code.startswith("#") or code.casefold() == "lsoa_code":
            continue
        if LSOA_CODE.match(code):
            codes.add(code)
        else:
            problems.add(
                Problem(path.name, f"'{code}' is not an LSOA code", "write codes like E01015023", cell=f"line {number}")
            )
    if not codes and not problems.problems:
        problems.add(Problem(path.name, "holds no LSOA codes", "list the area's LSOA codes, one a line"))
    return codes


def read_lsoa_lookup(path: Path, problems: ProblemLog) -> pd.DataFrame | None:
    """``lsoa_code,neighbourhood[,population]`` read into a frame; problems name the file and line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except OSError as error:
        problems.add(
            Problem(
                SETTINGS_FILE,
                f"the LSOA lookup '{path}' cannot be read ({error.strerror})",
                "",
                cell="police_uk.lsoa_lookup",
            )
        )
        return None
    header = [name.strip().casefold() for name in (lines[0] if lines else [])]
    rows = [dict(zip(header, line, strict=False)) for line in lines[1:]]
    missing = [name for name in ("lsoa_code", "neighbourhood") if name not in header]
    if missing:
        problems.add(
            Problem(
                path.name, f"has no {' or '.join(missing)} column", "use the header lsoa_code,neighbourhood,population"
            )
        )
        return None
    records = [_lookup_record(path, number, row, problems) for number, row in enumerate(rows, 2)]
    frame = pd.DataFrame.from_records([r for r in records if r], columns=["lsoa_code", "neighbourhood", "population"])
    duplicated = sorted(set(frame.loc[frame["lsoa_code"].duplicated(), "lsoa_code"]))
    if duplicated:
        problems.add(Problem(path.name, f"lists {', '.join(duplicated)} more than once", "keep one line per LSOA"))
    return frame.astype({"population": "Int64"})


def _lookup_record(
    path: Path, line: int, row: Mapping[str, str | None], problems: ProblemLog
) -> dict[str, object] | None:
    code = (row.get("lsoa_code") or "").strip()
    name = (row.get("neighbourhood") or "").strip()
    people = (row.get("population") or "").strip().replace(",", "")
    if not code and not name:
        return None
    if not code or not name:
        problems.add(
            Problem(path.name, "needs both an LSOA code and a neighbourhood", "fill in both", cell=f"line {line}")
        )
        return None
    if people and not (people.isdigit() and int(people) > 0):
        problems.add(
            Problem(path.name, f"population '{people}' is not a whole number above 0", "", cell=f"line {line}")
        )
        return None
    return {"lsoa_code": code, "neighbourhood": name, "population": int(people) if people else None}


def _note_unlisted_lsoas(area: pd.DataFrame, lookup: pd.DataFrame, path: Path, log: ProblemLog) -> None:
    listed = set(lookup["lsoa_code"])
    unlisted = sorted(set(_distinct(area["lsoa_code"])) - listed - {""})
    if unlisted:
        log.warn(
            Problem(
                path.name,
                f"{len(unlisted)} LSOAs of the area are not listed, so their crimes are in no neighbourhood: "
                + ", ".join(unlisted[:5])
                + (" ..." if len(unlisted) > 5 else ""),
                "add a line for each of them",
            )
        )


# Checking the months held


def _check_current_months(
    source: PoliceUkSettings,
    held: Sequence[str],
    current: Sequence[str],
    year: str,
    problems: ProblemLog,
    log: ProblemLog,
) -> None:
    missing = [month for month in current if month not in held]
    if not missing:
        return
    problem = Problem(
        _shown(source.folder, source.folder),
        f"months missing from the assessment year {year} ({month_span(current)}): {', '.join(missing)}",
        "add the monthly folders from data.police.uk, or set `allow_gaps: true` under police_uk "
        "to build the year from the months held",
    )
    if source.allow_gaps:
        log.warn(
            replace_problem(problem, f"{problem.problem}; the year's counts cover only {12 - len(missing)} months")
        )
    else:
        problems.add(problem)


def replace_problem(problem: Problem, text: str) -> Problem:
    """The same problem with another description and no fix."""
    return Problem(problem.file, text, "", problem.sheet, problem.cell)


def _note_comparison(folder: Path, label: str, comparison: Sequence[str], held: Sequence[str], log: ProblemLog) -> None:
    if len(held) == len(comparison):
        return
    log.warn(
        Problem(
            _shown(folder, folder),
            f"the comparison year {label} ({month_span(comparison)}) is not available: {len(held)} of its "
            f"{len(comparison)} months are held, so changes since {label} are shown as not available",
            f"add the missing months from data.police.uk to compare with {label}",
        )
    )


def _note_month_gaps(folder: Path, held: Sequence[str], current: Sequence[str], log: ProblemLog) -> None:
    if not held:
        return
    expected = [str(p) for p in pd.period_range(held[0], current[-1], freq="M")]
    gaps = [month for month in expected if month not in held and month not in current]
    if gaps:
        log.warn(
            Problem(
                _shown(folder, folder),
                f"the monthly series has gaps: {', '.join(gaps)} (not filled; charts show them as gaps)",
                "add the missing months from data.police.uk",
            )
        )


def _note_categories(categories: Mapping[str, str], counts: pd.DataFrame, log: ProblemLog) -> None:
    known = sorted(set(_distinct(counts["crime_type"])) - {""})
    for name in categories:
        if name not in known:
            hint = did_you_mean(name, known) or f"police.uk crime types: {', '.join(known)}"
            log.warn(
                Problem(
                    SETTINGS_FILE,
                    f"'{name}' is not a crime type in the police.uk files",
                    hint,
                    cell="police_uk.categories",
                )
            )


# The tables


def annual_table(
    area: pd.DataFrame,
    crime_types: Sequence[str],
    periods: Mapping[str, Sequence[str] | None],
    categories: Mapping[str, str],
) -> pd.DataFrame:
    """One row per crime type (All crime first, ASB last) and one count column per year.

    ``periods`` maps each year label to its months, or None when the year is
    not available (its counts are blank). ``categories`` renames police.uk
    crime types; types given the same name are added together.
    """
    asb = categories.get(ASB, ASB)
    names = [ALL_CRIME, *dict.fromkeys(sorted(categories.get(t, t) for t in crime_types)), asb]
    frame = pd.DataFrame({"crime_type": names, "theme": "", "denominator": "persons"}).set_index("crime_type")
    for label, months in periods.items():
        frame[label] = pd.array(_year_counts(area, months, names, categories), dtype="Int64")
    return frame


def _year_counts(
    area: pd.DataFrame, months: Sequence[str] | None, names: Sequence[str], categories: Mapping[str, str]
) -> list[int | None]:
    """All crime, each named crime type, then ASB, counted over the months (all blank when None)."""
    if months is None:
        return [None] * len(names)
    rows = area[area["month"].isin(months) & (area["crime_type"] != "")]
    totals: dict[str, int] = {}
    asb = 0
    for crime_type, count in rows.groupby("crime_type", observed=True)["count"].sum().items():
        if crime_type == ASB:
            asb = int(count)
            continue
        name = categories.get(str(crime_type), str(crime_type))
        totals[name] = totals.get(name, 0) + int(count)
    return [sum(totals.values()), *(totals.get(name, 0) for name in names[1:-1]), asb]


def monthly_table(area: pd.DataFrame, months: Iterable[str]) -> pd.DataFrame:
    """``month`` then ``All crime`` (ASB excluded) and ``Anti-social behaviour`` for every month held."""
    is_asb = area["crime_type"] == ASB
    crimes = area[~is_asb & (area["crime_type"] != "")].groupby("month", observed=True)["count"].sum()
    asb = area[is_asb].groupby("month", observed=True)["count"].sum()
    held = sorted(months)
    return pd.DataFrame(
        {
            "month": held,
            ALL_CRIME: pd.array([int(crimes.get(m, 0)) for m in held], dtype="Int64"),
            ASB: pd.array([int(asb.get(m, 0)) for m in held], dtype="Int64"),
        }
    )


def neighbourhood_table(area: pd.DataFrame, months: Sequence[str], lookup: pd.DataFrame | None) -> pd.DataFrame:
    """Crimes (ASB excluded) in the months by neighbourhood: the lookup's, else the MSOA of the LSOA name.

    An MSOA is shown by its House of Commons Library name (``Mutley``) with its
    code (``Plymouth 023``) beside it; population comes from the lookup (the
    sum over its LSOAs), blank without one.
    """
    rows = area[area["month"].isin(months) & (area["crime_type"] != ASB) & (area["lsoa_code"] != "")]
    key = "lsoa_name" if lookup is None else "lsoa_code"
    by_lsoa = rows.groupby(key, observed=True)["count"].sum()
    if lookup is None:
        places = {str(name): msoa_name(str(name)) for name in by_lsoa.index}
        people: Mapping[str, int] = {}
    else:
        places = dict(zip(lookup["lsoa_code"], lookup["neighbourhood"], strict=True))
        sums = lookup.groupby("neighbourhood")["population"].sum(min_count=1)
        people = {str(k): int(v) for k, v in sums.items() if not pd.isna(v)}
    named = by_lsoa[[str(lsoa) in places for lsoa in by_lsoa.index]]
    crimes = named.groupby([places[str(lsoa)] for lsoa in named.index]).sum().sort_index()
    codes = [str(name) for name in crimes.index]
    return pd.DataFrame(
        {
            "neighbourhood": [neighbourhood_name(code) if lookup is None else code for code in codes],
            "code": codes if lookup is None else [""] * len(codes),
            "population": pd.array([people.get(code) for code in codes], dtype="Int64"),
            "crimes": pd.array([int(count) for count in crimes], dtype="Int64"),
        }
    )
