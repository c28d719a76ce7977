"""Writing outputs: staged folders, the ratings table (CSV and Excel) and the derived tables.

Everything is written into a staging folder beside the target and switched
into place in one atomic step only when it is complete (``staged_folder``);
a partial run carries the untouched files of the current set into its
staging folder first, so it too publishes a whole set. Every cell and header
goes through ``neutral.neutralise``, so text a spreadsheet would run as a
formula is written as text.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import errno
import functools
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import OutputError
from .model import Model
from .neutral import neutralise
from .ratings_xlsx import HEADER_FILL, write_ratings_xlsx
from .records import CrimeFigures, RatingChange, Table, ThreatRating


@contextlib.contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """A staging folder that replaces ``target`` whole, in one atomic step, only if the block succeeds.

    At every instant ``target`` is either the whole previous set or the whole
    new one: the staging folder and ``target`` are swapped by one
    ``renameat2(RENAME_EXCHANGE)`` where the system has it (Linux), else by
    two renames, with the previous set kept as ``.<name>-previous`` until the
    new one is in place, and restored on the next start if the run died
    between them. Termination signals that arrive during the switch take
    effect once it is done. Raises OutputError when the folder cannot be
    created or written.
    """
    # a termination signal while the folder is made acts once its name is known, inside the block that
    # removes it: handled between the folder's creation and that block, it left the folder behind
    holding = _signals_held()
    holding.__enter__()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        recover(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-staging-{os.getpid()}-", dir=target.parent))
    except OSError as exc:
        holding.__exit__(None, None, None)
        raise OutputError(f"cannot write to the outputs folder '{target.parent}' ({exc.strerror})") from exc
    except BaseException:
        holding.__exit__(None, None, None)
        raise
    try:  # from the moment it exists: a signal even before the block starts removes it
        holding.__exit__(None, None, None)
        try:
            staging.chmod(0o777 & ~_umask())
        except OSError as exc:
            raise OutputError(f"cannot write to the outputs folder '{target.parent}' ({exc.strerror})") from exc
        yield staging
        _publish(staging, target)
    except OSError as exc:
        raise OutputError(f"cannot write outputs into '{target}' ({exc.strerror})") from exc
    finally:
        _remove_tree(staging)


def _remove_tree(folder: Path, attempts: int = 20) -> None:
    """Remove a staging folder whole, though a process stopped a moment ago may still be closing a file in it.

    ``rmtree`` leaves the folder when a file appears in it while it runs; it is tried again, briefly.
    """
    for _ in range(attempts):
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.lexists(folder):
            return
        time.sleep(0.05)


PUBLISHED: list[Path] = []
"""The folders this process has switched to a new set (for a message that says what is on disk)."""


def carry_untouched(current: Path, staging: Path, replaced: Callable[[Path], bool]) -> list[Path]:
    """Copy the files of the current set that this run does not replace into the staging folder.

    A partial run (``generate --only``, ``score``) so still publishes a whole
    set. Files are hard-linked where the file system allows (they are never
    written in place), else copied. ``replaced`` says, for a path relative to
    the folder, whether this run writes it. Returns the paths carried.
    """
    carried: list[Path] = []
    if not current.is_dir():
        return carried
    for path in sorted(current.rglob("*")):
        relative = path.relative_to(current)
        if not path.is_file() or replaced(relative) or (staging / relative).exists():
            continue
        destination = staging / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, destination)
        except OSError:
            shutil.copy2(path, destination)
        carried.append(relative)
    return carried


def recover(target: Path) -> list[str]:
    """Put right what a killed run left beside ``target``; returns what was done, in words.

    A ``.<name>-previous`` folder with no ``target`` is the previous set of a
    run killed between its two renames: it is put back. With ``target`` in
    place it is the set that was replaced: it is removed. Staging folders of
    runs that are no longer running are removed. Raises OutputError naming a
    leftover folder that cannot be removed.
    """
    done: list[str] = []
    backup = _backup(target)
    if backup.exists() and not (target.exists() or target.is_symlink()):
        _rename(backup, target)
        done.append(f"restored the previous outputs in '{target}' (a run was stopped while replacing them)")
    elif backup.exists():
        _remove(backup)
        done.append(f"removed '{backup}', the outputs a stopped run had already replaced")
    for folder in target.parent.glob(f".{target.name}-staging-*"):
        pid = folder.name.removeprefix(f".{target.name}-staging-").split("-", 1)[0]
        if pid.isdigit() and not process_running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
    return done


def remove_own_staging(outputs: Path) -> None:
    """Remove every staging folder this process made in ``outputs`` (a long-running process stopping).

    Each run removes its own as it ends; this is the last sweep of a process that ran many (``watch``),
    once everything it started has stopped, so nothing it began is left half-written beside the outputs.
    """
    for folder in outputs.glob(f".*-staging-{os.getpid()}-*"):
        _remove_tree(folder)


def remove_abandoned_staging(target: Path) -> None:
    """Remove what killed runs left beside ``target`` (see ``recover``)."""
    recover(target)


def _backup(target: Path) -> Path:
    return target.with_name(f".{target.name}-previous")


def _remove(folder: Path) -> None:
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise OutputError(
            f"'{folder}' is left from an earlier run and cannot be removed ({exc.strerror}); remove it by hand"
        ) from exc


def process_running(pid: int) -> bool:
    """True while a process of this id exists (one of another user's counts)."""
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


def _publish(staging: Path, target: Path) -> None:
    """Switch ``target`` to the staging folder's set in one step; the previous set is then removed."""
    with _signals_held():
        if not (target.exists() or target.is_symlink()):
            _rename(staging, target)
            PUBLISHED.append(target)
            return
        try:
            _exchange(staging, target)  # staging now holds the previous set
        except OSError as exc:
            if exc.errno not in _NO_EXCHANGE:
                raise
            _replace_in_two_steps(staging, target)
            PUBLISHED.append(target)
            return
        PUBLISHED.append(target)
    shutil.rmtree(staging, ignore_errors=True)


def _replace_in_two_steps(staging: Path, target: Path) -> None:
    """Where there is no rename-exchange: previous set aside, new set in, previous set removed.

    Between the two renames there is no ``target``; a run killed there leaves
    ``.<name>-previous``, which ``recover`` puts back on the next start.
    """
    backup = _backup(target)
    if backup.exists():
        _remove(backup)
    _rename(target, backup)
    _rename(staging, target)
    shutil.rmtree(backup, ignore_errors=True)


_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV, errno.EPERM}
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> None:
    """Swap two names in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``).

    Raises OSError with ENOSYS where the system has no such call.
    """
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(second))


def _rename(source: Path, destination: Path) -> None:
    os.rename(source, destination)


@functools.cache
def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else object()


HELD_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Termination signals that arrive inside the block act when it ends (only the main thread can hold them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {number: signal.signal(number, lambda number, _frame: arrived.append(number)) for number in HELD_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(arrived):
            signal.raise_signal(number)


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
        writer.writerow([neutralise(column) for column in columns])
        for record in records:
            writer.writerow(["" if _missing(v := record.get(c)) else neutralise(v) for c in columns])


def _missing(value: Any) -> bool:
    if type(value) in (str, int, float, bool):
        return bool(value != value)  # NaN is the one value unequal to itself
    if value is None:
        return True
    pandas = sys.modules.get("pandas")  # a pandas missing value (NA, NaT) can come only from a table pandas made
    return pandas is not None and bool(pandas.isna(value))


def _write_ratings_xlsx(path: Path, columns: list[str], records: list[dict[str, Any]], model: Model) -> None:
    colours = {rating.name: rating.colour.lstrip("#") for rating in model.ratings}
    if write_ratings_xlsx(path, columns, records, colours):
        return
    _write_ratings_openpyxl(path, columns, records, colours)


def _write_ratings_openpyxl(
    path: Path, columns: list[str], records: list[dict[str, Any]], colours: dict[str, str]
) -> None:
    """The ratings workbook through openpyxl: for a table ``ratings_xlsx`` leaves to it."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ratings"
    sheet.append([neutralise(column) for column in columns])
    for record in records:
        sheet.append([None if _missing(v := record.get(c)) else neutralise(v) for c in columns])
    _style_table(sheet, columns)
    for name in ("rating", "final_rating"):
        column = columns.index(name) + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=column)
            if cell.value in colours:
                cell.fill = PatternFill("solid", start_color=colours[str(cell.value)])
    book.save(path)


def _style_table(sheet: Any, columns: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color=HEADER_FILL)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, name in enumerate(columns, start=1):
        longest = max([len(name)] + [len(str(c.value or "")) for c in sheet[get_column_letter(index)][1:]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 50)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions


def write_data_tables(crime: CrimeFigures, folder: Path) -> None:
    """The derived tables behind the document as CSV: annual, monthly, neighbourhoods."""
    folder.mkdir(parents=True, exist_ok=True)
    _table_csv(crime.annual, folder / "annual.csv")
    if crime.monthly is not None:
        _table_csv(crime.monthly, folder / "monthly.csv")
    if crime.neighbourhoods is not None:
        _table_csv(crime.neighbourhoods, folder / "neighbourhoods.csv")


def _table_csv(table: Table, path: Path) -> None:
    write_csv(path, list(table.columns), table.records())


class Beside:
    """Work run in a process forked from this one, beside the work this process goes on with.

    The forked process writes its files into the staging folder and ends; ``result`` waits for it and
    returns what it returned, or raises what it raised (an InputError with its problems, say). It dies
    with this process and leaves termination signals to it, so a stopped run stops it too. Where
    there is no ``fork`` (or ``apart`` is False) the work runs here, when ``result`` is asked for.
    """

    def __init__(self, work: Callable[[], Any], apart: bool = True) -> None:
        self._work = work
        self._apart = apart
        self._pid = 0
        self._reader = -1

    def start(self) -> None:
        """Fork the process that does the work (when apart). Call it inside the block whose end calls
        ``stop``: a signal held during the fork is handled as it ends, and the process is known by then."""
        if not (self._apart and hasattr(os, "fork")) or self._pid:
            return
        parent = os.getpid()
        reader, writer = os.pipe()
        # a termination signal that arrives while forking waits until the fork is done: handled during
        # it, by the handlers Python runs at a fork (logging's), the run's stop would be lost. One that
        # arrived a moment before has its Python handler still to run, which may be as soon as the fork
        # returns: it is held (``_signals_held``) until the process is known, or ``stop`` would not find
        # it and the process would go on writing into a staging folder already removed.
        with _signals_held():
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
            try:
                pid = os.fork()
                if pid == 0:  # the forked process: never returns
                    os.close(reader)
                    _run_forked(self._work, writer, parent, mask)
                os.close(writer)
                self._pid, self._reader = pid, reader  # before the held signal is handled, so ``stop`` finds it
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    def result(self) -> Any:
        """What the work returned; raises what it raised."""
        if not self._pid:
            return self._work()
        with os.fdopen(self._reader, "rb") as handle:
            self._reader = -1
            payload = handle.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not payload:
            raise OutputError(f"a writing process ended without finishing (exit status {status})")
        ok, value = pickle.loads(payload)
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """Stop the forked process (the run is ending on an error) and wait for it."""
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self._pid, 0)
            self._pid = 0
        if self._reader >= 0:
            with contextlib.suppress(OSError):
                os.close(self._reader)
            self._reader = -1


def _run_forked(work: Callable[[], Any], writer: int, parent: int, mask: set[int | signal.Signals]) -> None:
    status = 0
    try:
        for number in HELD_SIGNALS:  # the run's own handlers (staging, switching) are the parent's alone
            signal.signal(number, signal.SIG_IGN if number == signal.SIGINT else signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal held since the fork takes effect now
        die_with_parent(parent)
        try:
            payload = pickle.dumps((True, work()))
        except BaseException as error:  # handed to the parent, which raises it
            try:
                payload = pickle.dumps((False, error))
            except Exception:
                payload = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
        with os.fdopen(writer, "wb") as handle:
            handle.write(payload)
    except BaseException:
        status = 1
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffers


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Be killed when ``parent`` dies: the system's parent-death signal where there is one, else a watching thread."""
    asked = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            asked = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    if not asked:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
