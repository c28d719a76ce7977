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

import atexit
import contextlib
import functools
import hashlib
import multiprocessing
import multiprocessing.queues
import os
import pickle
import queue
import shutil
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from . import charts as charts_module
from .charts import ChartSpec, figure
from .staging import die_with_parent, process_running, write_csv

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_DPI = 200
PNG_COMPRESSION = 1
"""zlib's level for the PNGs: its fastest; on an opaque chart's RGB pixels no larger than level 6 on RGBA."""
SVG_SALT = "strategic-assessment"
"""matplotlib's ``svg.hashsalt``: the SVG's element ids are hashes of their content with this, not with a
random salt, so a chart drawn twice, in any process, is the same SVG to the byte."""
MAX_WORKERS: int | None = None
"""Drawing processes (None: one per core); 1 draws in this process, as a batch's area workers do."""
REPORT_POLL_SECONDS = 0.25
"""How long a wait for the drawers' reports goes before it looks whether every drawer is still running."""
LAST_REPORTS_SECONDS = 1.0
"""How long the reports of a drawer found ended are waited for before the run stops as its charts are lost."""
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
    text = "\n".join([__version__, _matplotlib_version(), str(PNG_DPI), SVG_SALT, _drawing_code(), spec.fingerprint()])
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
    again to save it. The PNG has the pixels ``savefig(png, dpi=PNG_DPI)``
    makes (``write_png``), and the SVG is what ``savefig`` makes with the
    ids' salt set (``SVG_SALT``); each costs one drawing (the example's six charts: 1.53 s of CPU
    against 2.03 s through ``savefig`` with the engine set, median of 4).
    """
    save_svg(draw_png(spec, png), svg)


def draw_png(spec: ChartSpec, png: Path) -> Figure:
    """Draw a chart, lay it out, save its PNG; the figure is returned, laid out, for ``save_svg``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = figure(spec)
    fig.set_dpi(PNG_DPI)
    canvas = FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        with contextlib.suppress(ValueError):  # as Figure.draw does: a layout that cannot be solved is left alone
            engine.execute(fig)
        fig.set_layout_engine(None)
    place_best_legends(fig, canvas.get_renderer())  # type: ignore[no-untyped-call]  # matplotlib leaves it untyped
    canvas.draw()  # type: ignore[no-untyped-call]  # matplotlib leaves it untyped
    write_png(canvas.buffer_rgba(), png)  # type: ignore[no-untyped-call]
    return fig


def write_png(pixels: Any, png: Path) -> None:
    """The drawn pixels as a PNG: without the alpha channel when every pixel is opaque (a chart on white).

    The pixels are those of ``savefig(png, dpi=PNG_DPI)``, and so is the resolution recorded; the file is
    written faster. Measured on the example's six charts (CPU, best of 5): matplotlib's PNG, RGBA
    deflated at level 6, 197 ms and 638 KiB; RGB at level 1 (``PNG_COMPRESSION``) 139 ms and 635 KiB.
    """
    import numpy as np
    from PIL import Image

    rgba = np.asarray(pixels)
    opaque = bool((rgba[..., 3] == 255).all())
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]) if opaque else np.ascontiguousarray(rgba))
    image.save(png, format="png", compress_level=PNG_COMPRESSION, dpi=(PNG_DPI, PNG_DPI))


def place_best_legends(fig: Figure, renderer: Any) -> None:
    """Fix each legend placed ``loc="best"`` at the place it would take now, in the figure laid out.

    matplotlib looks for the best place at every drawing, and twice in each (the frame, then the
    box), measuring every bar and label: a sixth of the stacked chart's drawing. The place it finds
    is one of the ten fixed ones, computed the same way, so the legend is set to that one and drawn
    there for the PNG and the SVG: the same pixels, found once. A matplotlib without these internals
    leaves the legend to look again.
    """
    from matplotlib.transforms import Bbox

    for axes in fig.axes:
        legend: Any = axes.get_legend()  # its internals are untyped
        try:
            if legend is None or legend._loc != 0:
                continue
            size = legend._legend_box.get_bbox(renderer)
            place = tuple(legend._find_best_position(size.width, size.height, renderer))
            box, anchor = Bbox.from_bounds(0, 0, size.width, size.height), legend.get_bbox_to_anchor()
            fixed = {code: tuple(legend._get_anchored_bbox(code, box, anchor, renderer)) for code in range(1, 11)}
            code = next((code for code, corner in fixed.items() if corner == place), None)
        except AttributeError:
            continue
        if code is not None:
            legend.set_loc(code)


def save_svg(fig: Figure, svg: Path) -> None:
    """Save the SVG of a figure ``draw_png`` drew, in the layout of its PNG, with ids the same every run."""
    from matplotlib import rc_context

    with rc_context({"svg.hashsalt": SVG_SALT}):
        fig.savefig(svg, metadata={"Date": None})


Job = tuple[int, ChartSpec, str, str]
"""A chart to draw: its number in the pack, its specification and the PNG and SVG to write."""


class ChartPack:
    """The chart pack being drawn: drawing starts on entering the ``with`` block, ``wait`` finishes it.

    Work done inside the block (tables, document contexts) overlaps the drawing,
    which runs in drawing processes (one per core; see ``Drawers``). The PNGs
    are drawn first, the largest charts first, and ``pictures`` waits for them
    only: a document can be rendered while the SVGs (for the HTML edition) are
    still being saved.
    """

    def __init__(self, specs: Sequence[ChartSpec], folder: Path, cache: Path | None = None) -> None:
        self.folder = folder
        self.cache = cache
        self.files: list[ChartFile] = []
        self._jobs: list[Job] = []
        self._drawers: Drawers | None = None
        self._done = False
        folder.mkdir(parents=True, exist_ok=True)
        if cache is not None:
            remove_stale_parts(cache)
        for number, spec in enumerate(specs, start=1):
            base = f"{number:02d}-{spec.name}"
            chart = ChartFile(spec, base, folder / f"{base}.png", folder / f"{base}.svg", folder / f"{base}.csv")
            self.files.append(chart)
            write_csv(chart.csv, list(spec.data.columns), spec.data.records())
            if not _from_cache(cache, spec, chart):
                self._jobs.append((number, spec, str(chart.png), str(chart.svg)))

    def __enter__(self) -> ChartPack:
        if not self._jobs and _KEEP_READY:
            return self  # the drawers waiting stay for the next pack (``keep_drawers_ready``)
        early = _take_early_drawers()
        if not self._jobs or not _drawing_apart():
            if early is not None:
                early.stop()
            return self
        self._drawers = early or Drawers(min(len(self._jobs), _worker_count()))
        self._drawers.draw(sorted(self._jobs, key=lambda job: -drawing_cost(job[1])))
        return self

    def pictures(self) -> list[ChartFile]:
        """The charts once their PNGs are drawn (their SVGs may still be being saved: ``wait`` for those)."""
        if self._drawers is None or self._done:
            return self.wait()
        self._drawers.wait({("png", number) for number, *_ in self._jobs})
        return self.files

    def wait(self) -> list[ChartFile]:
        """Finish drawing (here, if no drawing processes were started), cache the drawings and write the index."""
        if self._done:
            return self.files
        if self._drawers is None:
            for _, spec, png, svg in self._jobs:
                draw_files(spec, Path(png), Path(svg))
        else:
            self._drawers.wait({(kind, number) for number, *_ in self._jobs for kind in ("png", "svg")})
        if self.cache is not None:
            for chart in self.files:
                _to_cache(self.cache, chart)
        write_csv(self.folder / "index.csv", list(INDEX_COLUMNS), [_index_record(chart) for chart in self.files])
        self._done = True
        return self.files

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        if self._drawers is None:
            return
        if error_type is None:
            self._drawers.finish()
        else:
            self._drawers.stop()


class DrawingFailed(RuntimeError):
    """A drawing process ended without drawing its charts (killed, or out of memory)."""


class Drawers:
    """Processes that draw charts. The first is forked from this process and imports matplotlib; the
    others are forked from it once it has, so matplotlib is imported once, in neither this process nor
    each drawer.

    A ``ProcessPoolExecutor`` forked from this process needed matplotlib
    imported here first: 0.35-0.45 s on the critical path of every cold run,
    with the second core idle. Drawers started before the inputs are read
    (``start_early``) import it while this process reads and prepares the
    documents. Jobs go to the drawers on one queue, whichever is free taking
    the next; each drawing is reported on another, an error with its exception.
    """

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("fork")
        self.count = max(1, count)
        self.jobs: multiprocessing.queues.Queue[Job | None] = context.Queue()
        self.results: multiprocessing.queues.Queue[tuple[str, Any]] = context.Queue()
        self.jobs.cancel_join_thread()  # never wait at exit to hand jobs to drawers that are gone
        self.process = context.Process(
            target=_first_drawer, args=(self.jobs, self.results, os.getpid(), self.count), daemon=True
        )
        self.process.start()
        self.pids: list[int] = [self.process.pid] if self.process.pid is not None else []
        self._written: set[tuple[str, int]] = set()
        self._finished: set[int] = set()  # drawers that said they were done (an ended one that did not failed)
        self._sent = False

    def draw(self, jobs: Sequence[Job]) -> None:
        """Hand the jobs to the drawers, then one stop each: they end when the queue is drawn."""
        for job in jobs:
            self.jobs.put(job)
        for _ in range(self.count):
            self.jobs.put(None)
        self._sent = True

    def wait(self, files: set[tuple[str, int]]) -> None:
        """Wait until these files (``("png", number)``, ``("svg", number)``) are written, or one of the others
        before; raise a drawing's error (the drawers stopped)."""
        left = files - self._written
        while left:
            try:
                kind, value = self.results.get(timeout=REPORT_POLL_SECONDS)
            except queue.Empty:
                if self._all_running():
                    continue
                try:  # a drawer has ended: its last reports may be arriving only now
                    kind, value = self.results.get(timeout=LAST_REPORTS_SECONDS)
                except queue.Empty:
                    self.stop()
                    raise DrawingFailed("a chart-drawing process ended before drawing its charts") from None
            if kind == "pids":
                self.pids.extend(value)
            elif kind == "done":
                self._finished.add(value)
            elif kind == "error":
                self.stop()
                raise value
            else:
                self._written.add((kind, value))
                left.discard((kind, value))

    def finish(self) -> None:
        """After ``wait``: let the drawers end (each has its stop) and reap the first."""
        if not self._sent:
            self.draw([])
        self.process.join(5.0)
        if self.process.is_alive():
            self.stop()

    def stop(self) -> None:
        """Stop the drawers now (an exception or a signal is ending the run) and wait for the first."""
        for pid in reversed(self.pids):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError, ValueError, AssertionError):
            self.process.join(5.0)

    def _all_running(self) -> bool:
        """Whether every drawer is running or has said it is done."""
        if self.process.pid not in self._finished and not self.process.is_alive():
            return False
        return all(pid in self._finished or _running(pid) for pid in self.pids[1:])


def _running(pid: int) -> bool:
    """True while a process exists and has not ended (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return process_running(pid)
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _first_drawer(jobs: Any, results: Any, parent: int, count: int) -> None:
    """The first drawing process: import matplotlib, fork the other drawers, and draw."""
    _start_worker(parent)
    _warm_up()
    children: list[int] = []
    for _ in range(count - 1):
        pid = os.fork()
        if pid == 0:  # a drawer forked from this one, with matplotlib loaded
            try:
                _start_worker(os.getppid())
                _draw_jobs(jobs, results)
            finally:
                os._exit(0)
        children.append(pid)
    if children:
        results.put(("pids", children))
    _draw_jobs(jobs, results)
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _draw_jobs(jobs: Any, results: Any) -> None:
    """In a drawer: draw the PNGs of jobs from the queue until its stop, then save their SVGs.

    Each file written is reported (``("png", number)``, ``("svg", number)``),
    or the first error, after which the drawer draws nothing more.
    """
    drawn: list[tuple[int, Figure, str]] = []
    try:
        while (job := jobs.get()) is not None:
            number, spec, png, svg = job
            drawn.append((number, draw_png(spec, Path(png)), svg))
            results.put(("png", number))
        for number, fig, svg in drawn:
            save_svg(fig, Path(svg))
            results.put(("svg", number))
    except Exception as error:  # reported to the run, which stops the other drawers and raises it
        results.put(("error", _sendable(error)))
    else:
        results.put(("done", os.getpid()))
    results.close()
    results.join_thread()  # every report is written before the drawer ends


def _sendable(error: Exception) -> Exception:
    """The error itself when it can be sent to the run, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


_EARLY: list[Drawers] = []


def start_early(cache: Path | None) -> None:
    """Start the drawing processes now, before the inputs are read, when the cache holds no drawings.

    They import matplotlib while this process reads the inputs, and draw as
    soon as the chart pack hands them its charts. With drawings cached (a run
    after the first), nothing is started here: what needs no drawing is not
    even imported.
    """
    if _EARLY or not _drawing_apart() or (cache is not None and any(cache.glob("*.png"))):
        return
    _EARLY.append(Drawers(_worker_count()))


def keep_drawers_ready() -> None:
    """Have drawing processes waiting, matplotlib loaded, for the next chart pack of this process (``watch``).

    A process that builds again and again calls this before each build and after it, so the drawers a
    rebuild takes imported matplotlib while the analyst was editing, not after the save (a fresh drawer
    pays 0.3-0.4 s for it). From the first call on, a pack with nothing to draw leaves them waiting.
    """
    global _KEEP_READY
    _KEEP_READY = True
    if not _EARLY and _drawing_apart():
        _EARLY.append(Drawers(_worker_count()))


_KEEP_READY = False


def _take_early_drawers() -> Drawers | None:
    """The drawers started before the pack, if they are still there to draw (not killed while waiting)."""
    early = _EARLY.pop() if _EARLY else None
    if early is not None and not early.process.is_alive():
        early.stop()
        return None
    return early


@atexit.register
def _stop_early_drawers() -> None:
    while _EARLY:
        _EARLY.pop().stop()


def drawing_cost(spec: ChartSpec) -> float:
    """A chart's drawing time, roughly, in tenths of a second: the largest are handed out first.

    From the example's charts drawn one by one (CPU seconds, PNG and SVG):
    stacked bars of 9 themes 0.31-0.38, the risk matrix of 39 threats 0.22-0.30,
    horizontal bars of 15 crime types 0.23-0.26 and of 7 neighbourhoods 0.18, a
    line 0.16, bars 0.14.
    """
    rows = len(spec.data)
    if spec.kind == "stacked":  # 9 themes: 3.3
        return 1.5 + 0.2 * rows
    if spec.kind == "matrix":  # 39 threats: 2.6
        return 2.0 + 0.015 * rows
    if spec.kind == "hbars":  # 15 rows: 2.5
        return 1.0 + 0.1 * rows
    return 1.6 if spec.kind in ("line", "years") else 1.4


def _worker_count() -> int:
    return MAX_WORKERS or os.cpu_count() or 1


def _drawing_apart() -> bool:
    """Whether charts are drawn in processes of their own (not with ``MAX_WORKERS = 1``, nor without fork)."""
    return MAX_WORKERS != 1 and "fork" in multiprocessing.get_all_start_methods()


def _start_worker(parent: int) -> None:
    """In each drawing process: die with the process that started it, and leave the signals to it."""
    die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops the pack


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
