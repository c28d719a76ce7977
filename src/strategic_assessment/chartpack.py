"""The chart pack: each chart as print PNG, SVG and the CSV behind it, plus ``charts/index.csv``.

Charts are drawn in parallel (one process per core) and kept in a cache
keyed by the content hash of everything that changes the picture, so a
regeneration after a workshop score changed redraws only the charts whose
data moved. What is not drawn (the alt text, the chart's file name) is not
in the key: two charts that look the same are drawn once.

The drawing processes die with the run: on an exception or a termination
signal the pack stops them before it is left, and each asks the system to
kill it when the process that started it dies, even by SIGKILL
(``PR_SET_PDEATHSIG`` on Linux; elsewhere a thread that watches the parent).
Partly copied cache files (``.part``) are removed when a copy fails, and
those of runs no longer running when a pack starts.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from . import __version__
from . import charts as charts_module
from .charts import ChartSpec, figure
from .staging import process_running, write_csv

PNG_DPI = 200
MAX_WORKERS: int | None = None
"""Worker processes for drawing (None: one per core); 1 draws in this process, as a batch's area workers do."""
INDEX_COLUMNS = ("file", "title", "subtitle", "alt_text", "source", "png", "svg", "csv")


@dataclass(frozen=True)
class ChartFile:
    """A chart written into the pack."""

    spec: ChartSpec
    base: str
    png: Path
    svg: Path
    csv: Path


def chart_key(spec: ChartSpec) -> str:
    """The cache key of a chart: its content, the program version and matplotlib's."""
    text = "\n".join([__version__, _matplotlib_version(), str(PNG_DPI), _drawing_code(), spec.fingerprint()])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@functools.cache
def _matplotlib_version() -> str:
    """matplotlib's version, read once a process (each reading of the installed metadata costs milliseconds)."""
    return version("matplotlib")


@functools.cache
def _drawing_code() -> str:
    """A hash of the drawing code, so a changed chart design never reuses an old picture."""
    return hashlib.sha256(Path(charts_module.__file__).read_bytes()).hexdigest()


def draw_files(spec: ChartSpec, png: Path, svg: Path) -> None:
    """Draw one chart and save it as PNG and SVG (runs in a worker process).

    The constrained layout is solved once, at the print resolution, and the
    figure then drops its layout engine (keeping the positions), so neither
    file lays the figure out again: ``savefig`` with any engine set, even
    ``"none"``, first draws the whole figure to lay it out and then draws it
    again to save it. The PNG is the same to the byte as ``savefig(png,
    dpi=PNG_DPI)`` makes, and the SVG the same but for its random element
    ids; each costs one drawing (the example's six charts: 1.53 s of CPU
    against 2.03 s through ``savefig`` with the engine set, median of 4).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = figure(spec)
    fig.set_dpi(PNG_DPI)
    canvas = FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        with contextlib.suppress(ValueError):  # as Figure.draw does: a layout that cannot be solved is left alone
            engine.execute(fig)
        fig.set_layout_engine(None)
    canvas.print_png(png, metadata={"Software": None})
    fig.savefig(svg, metadata={"Date": None})


def _draw_job(job: tuple[ChartSpec, str, str]) -> None:
    spec, png, svg = job
    draw_files(spec, Path(png), Path(svg))


class ChartPack:
    """The chart pack being drawn: drawing starts on entering the ``with`` block, ``wait`` finishes it.

    Work done inside the block (tables, document contexts) overlaps the drawing,
    which runs in worker processes (one per core).
    """

    def __init__(self, specs: Sequence[ChartSpec], folder: Path, cache: Path | None = None) -> None:
        self.folder = folder
        self.cache = cache
        self.files: list[ChartFile] = []
        self._jobs: list[tuple[ChartSpec, str, str]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[None]] = []
        self._done = False
        folder.mkdir(parents=True, exist_ok=True)
        if cache is not None:
            remove_stale_parts(cache)
        for number, spec in enumerate(specs, start=1):
            base = f"{number:02d}-{spec.name}"
            chart = ChartFile(spec, base, folder / f"{base}.png", folder / f"{base}.svg", folder / f"{base}.csv")
            self.files.append(chart)
            write_csv(chart.csv, [str(c) for c in spec.data.columns], spec.data.to_dict("records"))
            if not _from_cache(cache, spec, chart):
                self._jobs.append((spec, str(chart.png), str(chart.svg)))

    def __enter__(self) -> ChartPack:
        workers = min(len(self._jobs), MAX_WORKERS or os.cpu_count() or 1)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            _warm_up()
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
            self._futures = [self._pool.submit(_draw_job, job) for job in self._jobs]
        return self

    def wait(self) -> list[ChartFile]:
        """Finish drawing (here, if no workers were started), cache the drawings and write the index."""
        if self._done:
            return self.files
        if self._pool is None:
            for job in self._jobs:
                _draw_job(job)
        for future in self._futures:
            future.result()
        if self.cache is not None:
            for chart in self.files:
                _to_cache(self.cache, chart)
        write_csv(self.folder / "index.csv", list(INDEX_COLUMNS), [_index_record(chart) for chart in self.files])
        self._done = True
        return self.files

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        if self._pool is None:
            return
        if error_type is None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        else:
            stop_workers(self._pool)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's drawing processes now (an exception or a signal is ending the run) and wait for them."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(5.0)


_PR_SET_PDEATHSIG = 1


def _start_worker(parent: int) -> None:
    """In each drawing process: die with the process that started it, and leave the signals to it."""
    die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops the pack


def die_with_parent(parent: int) -> None:
    """Be killed when ``parent`` dies: the system's parent-death signal where there is one, else a watching thread."""
    asked = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            asked = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    if not asked:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def write_chart_pack(specs: Sequence[ChartSpec], folder: Path, cache: Path | None = None) -> list[ChartFile]:
    """Write every chart's files and the index into ``folder``; reuse cached drawings when possible."""
    with ChartPack(specs, folder, cache) as pack:
        return pack.wait()


def _warm_up() -> None:
    """Load matplotlib, its renderers and its font cache once, before the workers fork from this process."""
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg
    import matplotlib.figure
    from matplotlib import font_manager

    font_manager.findfont("DejaVu Sans")
    del matplotlib


def _cached(cache: Path, spec: ChartSpec) -> tuple[Path, Path]:
    key = chart_key(spec)
    return cache / f"{key}.png", cache / f"{key}.svg"


def _from_cache(cache: Path | None, spec: ChartSpec, chart: ChartFile) -> bool:
    if cache is None:
        return False
    png, svg = _cached(cache, spec)
    if not (png.is_file() and svg.is_file()):
        return False
    shutil.copyfile(png, chart.png)
    shutil.copyfile(svg, chart.svg)
    return True


def _to_cache(cache: Path, chart: ChartFile) -> None:
    partial: Path | None = None
    try:
        cache.mkdir(parents=True, exist_ok=True)
        png, svg = _cached(cache, chart.spec)
        if not (png.is_file() and svg.is_file()):
            for source, target in ((chart.svg, svg), (chart.png, png)):  # the PNG last: it marks the entry whole
                partial = target.with_suffix(f"{target.suffix}.{os.getpid()}.part")
                shutil.copyfile(source, partial)
                os.replace(partial, target)
                partial = None
    except OSError:
        if partial is not None:  # a full disk, say: no part file is left behind
            with contextlib.suppress(OSError):
                partial.unlink()
        return  # a cache that cannot be written only costs time next run


def remove_stale_parts(cache: Path) -> list[Path]:
    """Remove the cache's ``.part`` files of runs that are no longer running (killed while copying)."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for path in cache.glob("*.part"):
            pid = path.name.rsplit(".", 2)[-2]
            if pid.isdigit() and not process_running(int(pid)):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


def _index_record(chart: ChartFile) -> dict[str, str]:
    spec = chart.spec
    return {
        "file": chart.base,
        "title": spec.title,
        "subtitle": spec.subtitle,
        "alt_text": spec.alt_text,
        "source": spec.source,
        "png": chart.png.name,
        "svg": chart.svg.name,
        "csv": chart.csv.name,
    }
