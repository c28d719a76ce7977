"""``watch``: one process that rebuilds the year's outputs on every save of an input (docs/commands.md).

The process keeps its imports and the inputs it has parsed (``reuse.Kept``:
after a save of one workshop workbook only the workshop workbooks are read
again) and rebuilds through ``pipeline.generate``, with the same checks, the
same staging folder and the same atomic switch of the year's folder: a bad
save prints its problems, as ``validate`` does, and the last good outputs
stay in place.

Saves are seen through watchfiles (inotify on Linux, through the Rust
``notify`` crate), which wakes the process only when something in the
inputs folder changes; polling would cost CPU all day in a loop that waits
most of its life, and would see a save only at its next round.

Editors' temporary and lock files (``~$x.xlsx``, ``.~lock.x.xlsx#``,
``*.tmp``, ``.goutputstream-*``, Excel's extensionless temporary names) are
ignored by name; a workbook saved to a temporary name and renamed into place
is seen under its own name. A file still being written is waited for until
its size and time stop changing, and the inputs are read again when any of
them changed while being read, so the outputs are never made from a torn file.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, OutputError, UsageError
from .reuse import Kept

INPUT_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm", ".ods", ".xls", ".csv", ".txt")
"""The kinds of file a run reads: a change to any other file in the inputs folder is not a save of an input."""
TEMPORARY_PREFIXES = ("~$", ".~lock.", ".goutputstream-", "~", ".")
TEMPORARY_SUFFIXES = (".tmp", ".temp", "~", "#", ".swp", ".part", ".bak", ".crdownload")
SETTLE_SECONDS = 0.06
"""A saved file counts as written when its size and time have not changed for this long."""
SETTLE_LIMIT = 10.0
"""A file still changing after this long is read as it is (the check after reading catches a torn read)."""
RETRY_SECONDS = 0.5
"""After inputs that cannot be read, how long to look for a further save before reporting the problems."""
MAX_READS = 20


def is_input_name(name: str) -> bool:
    """True for a file name a run could read; False for editors' temporary and lock files and other files."""
    lowered = name.lower()
    if lowered.startswith(TEMPORARY_PREFIXES) or lowered.endswith(TEMPORARY_SUFFIXES):
        return False
    return lowered.endswith(INPUT_SUFFIXES)


def is_input(path: Path, inputs: Path) -> bool:
    """True when ``path`` is an input file of the folder: an input name, in no hidden folder."""
    try:
        relative = path.relative_to(inputs)
    except ValueError:
        return False
    return is_input_name(relative.name) and not any(part.startswith(".") for part in relative.parts[:-1])


def fingerprint(inputs: Path) -> dict[str, tuple[int, int]]:
    """Every input file of the folder with its size and modification time (nanoseconds)."""
    found: dict[str, tuple[int, int]] = {}
    for path in inputs.rglob("*"):
        if is_input(path, inputs):
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[path.relative_to(inputs).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def settled(inputs: Path, sleep: Callable[[float], None] = time.sleep) -> dict[str, tuple[int, int]]:
    """The folder's fingerprint once nothing has changed for ``SETTLE_SECONDS`` (at most ``SETTLE_LIMIT``)."""
    deadline = time.monotonic() + SETTLE_LIMIT
    current = fingerprint(inputs)
    while True:
        sleep(SETTLE_SECONDS)
        again = fingerprint(inputs)
        if again == current or time.monotonic() > deadline:
            return again
        current = again


def moved_ratings(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """``threat: old -> new`` for each rating that moved, ``threat: new (new)`` and ``threat: dropped``."""
    moved = [
        f"{threat}: {before[threat]} -> {band}" if threat in before else f"{threat}: {band} (new)"
        for threat, band in after.items()
        if before.get(threat) != band
    ]
    moved.extend(f"{threat}: dropped" for threat in before if threat not in after)
    return moved


@dataclass
class Watcher:
    """Rebuilds the outputs of one inputs folder; keeps what it read and the last good ratings."""

    inputs: Path
    outputs: Path
    pdf: bool = True
    pdf_timeout: float | None = None
    carry_forward: bool = False
    echo: Callable[[str], None] = print
    warn: Callable[[str], None] = print
    office: Any = None
    kept: Kept = field(default_factory=Kept)
    ratings: dict[str, str] | None = None
    folder: Path | None = None
    said: set[str] = field(default_factory=set)
    received: list[str] = field(default_factory=list)
    """The termination signals that arrived (``stop_on_signals``): the loop stops after the one that did."""

    def build(self, changed: Iterable[str] = ()) -> str:
        """Read the inputs and write every output; returns the line that says what moved and how long it took."""
        from .chartpack import keep_drawers_ready
        from .pipeline import build_assessment, generate

        started = time.perf_counter()
        names = sorted(changed)
        what = f"{time.strftime('%H:%M:%S')} {', '.join(names) + ' saved' if names else 'first build'}"
        keep_drawers_ready()  # the first build's drawers import matplotlib while the inputs are read
        try:
            assessment = self._read_whole(lambda: build_assessment(**self._reading()))
            result = generate(
                self.inputs,
                self.outputs,
                pdf=self.pdf,
                pdf_timeout=self.pdf_timeout,
                carry_forward=self.carry_forward,
                assessment=assessment,
                office=self.office,
            )
        except (InputError, UsageError, OutputError) as error:
            if not self.received:
                keep_drawers_ready()
            if self.received:  # a signal arrived, and tidying up after it failed: stop, saying nothing of it
                raise Stop(self.received[-1]) from error
            return self._not_rebuilt(what, error)
        keep_drawers_ready()  # the next rebuild's drawers, loaded while the analyst edits
        for warning in result.warnings:
            if warning not in self.said:
                self.said.add(warning)
                self.warn(f"Warning: {warning}")
        ratings = {rating.threat: rating.final_rating for rating in assessment.ratings}
        moved = moved_ratings(self.ratings, ratings) if self.ratings is not None else []
        if self.ratings is None:
            change = f"{_count(ratings, 'threat')} rated"
        else:
            change = "; ".join(moved) if moved else "no rating moved"
        self.ratings, self.folder = ratings, result.folder
        return f"{what}: {change}; rebuilt {result.folder} in {time.perf_counter() - started:.1f} s"

    def _not_rebuilt(self, what: str, error: Exception) -> str:
        if isinstance(error, InputError):
            self.warn(error.message)
            return f"{what}: not rebuilt, {_count(error.problems, 'problem')}; {self.kept_outputs()}"
        self.warn(f"Error: {error}")
        return f"{what}: not rebuilt; {self.kept_outputs()}"

    def _reading(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "carry_forward": self.carry_forward,
            "cache": self.outputs / ".cache" / "police_uk",
            "kept": self.kept,
        }

    def _read_whole(self, read: Callable[[], Any]) -> Any:
        """The inputs read while no file of the folder changed; a failed read waits briefly for a further save."""
        for _ in range(MAX_READS):
            before = settled(self.inputs)
            try:
                result = read()
            except InputError:
                time.sleep(RETRY_SECONDS)
                if fingerprint(self.inputs) != before:
                    continue  # still being saved: read the finished file
                raise
            if fingerprint(self.inputs) == before:
                return result
        raise UsageError(f"the inputs in '{self.inputs}' kept changing while being read; save them again")

    def kept_outputs(self) -> str:
        if self.folder is None:
            return "nothing was written"
        return f"the outputs in {self.folder} are the last good set"

    def changed_inputs(self, changes: Iterable[tuple[Any, str]]) -> list[str]:
        """The input files among the changes watchfiles reports, relative to the inputs folder."""
        root = self.inputs.resolve()
        found = {Path(path).resolve() for _, path in changes}
        return sorted(path.relative_to(root).as_posix() for path in found if is_input(path, root))

    def watch(self, saves: Iterable[Iterable[tuple[Any, str]]]) -> Iterator[str]:
        """One line for the first build, then one for each batch of saves that touched an input.

        The first batch is awaited before the first build: it comes once watching has started, so a
        save made during the first build is seen and rebuilt.
        """
        batches = iter(saves)
        first = next(batches, set())
        yield self._built()
        if self.changed_inputs(first):
            yield self._built(self.changed_inputs(first))
        for changes in batches:
            changed = self.changed_inputs(changes)
            if changed:
                yield self._built(changed)

    def _built(self, changed: Iterable[str] = ()) -> str:
        """``build``, then stop if a signal arrived during it (an error raised while tidying up can hide it)."""
        line = self.build(changed)
        if self.received:
            raise Stop(self.received[-1])
        return line


class Stop(KeyboardInterrupt):
    """A termination signal (SIGINT or SIGTERM) arrived: stop watching."""


@contextmanager
def stop_on_signals(received: list[str]) -> Iterator[None]:
    """Inside the block SIGINT and SIGTERM raise ``Stop``, and their names are added to ``received``.

    ``Stop`` is a KeyboardInterrupt, so code that tidies up after Ctrl-C (staging folders, worker
    processes, LibreOffice) tidies up after SIGTERM too, and the watching library, which turns any
    signal into a KeyboardInterrupt, stops the same way.
    """

    def stop(number: int, _frame: Any) -> None:
        received.append(signal.Signals(number).name)
        raise Stop(number)

    numbers = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, stop) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def input_saves(inputs: Path) -> Iterator[set[tuple[Any, str]]]:
    """Batches of file changes in the inputs folder, as watchfiles reports them (editors' temporary files left out).

    An empty batch comes every tenth of a second with no change, the first as soon as watching has started.
    """
    import watchfiles

    def wanted(_change: Any, path: str) -> bool:
        return is_input_name(Path(path).name)

    yield from watchfiles.watch(
        inputs, watch_filter=wanted, step=50, debounce=1600, rust_timeout=100, yield_on_timeout=True
    )


def _count(items: Iterable[Any] | Mapping[str, Any], noun: str) -> str:
    number = len(list(items))
    return f"{number} {noun}{'s' if number != 1 else ''}"
