"""Chart-drawing processes die with the run (kill -9, an exception), and the chart cache keeps no part files."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from strategic_assessment import chartpack
from strategic_assessment.chartpack import ChartPack, chart_key, remove_stale_parts
from strategic_assessment.charts import ChartSpec

from .drawing_runs import drawing_for_a_long_time
from .forked import start_forked

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the processes")
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="charts are drawn in forked processes only here")


def spec(name: str, subtitle: str = "Crimes, Plymouth, 2016/17", alt: str = "Bar chart.") -> ChartSpec:
    data = pd.DataFrame({"crime_type": ["Burglary", "Drugs"], "count": [7, 3]})
    options = {"x": "count", "y": "crime_type"}
    return ChartSpec(name, "hbars", "Burglary is the largest", subtitle, alt, "Source: police.uk", data, options)


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(alive(pid) for pid in pids)


@needs_proc
@needs_fork
@pytest.mark.parametrize(
    ("number", "whole_group"),
    [(signal.SIGKILL, False), (signal.SIGTERM, False), (signal.SIGINT, True)],
    ids=["kill -9", "SIGTERM", "Ctrl-C"],
)
def test_drawing_processes_die_with_the_run(tmp_path: Path, number: int, whole_group: bool) -> None:
    """The run is a process of its own leading its group, as one started from a terminal (tests/forked.py)."""
    pids, folder = tmp_path / "pids", tmp_path / "charts"
    pids.mkdir()
    log = tmp_path / "stderr.txt"
    process = start_forked(drawing_for_a_long_time, pids, folder, log=log, session=True)
    assert process.pid is not None
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.iterdir())) < 2:  # both charts being drawn, each in its own process
            assert process.exitcode is None, "the drawing run ended early"
            assert time.monotonic() < deadline, "the charts were never started"
            time.sleep(0.1)
        workers = [int(path.name) for path in pids.iterdir()]
        assert process.pid not in workers
        if whole_group:
            os.killpg(process.pid, number)  # a terminal's Ctrl-C reaches every process of the group
        else:
            os.kill(process.pid, number)  # kill -9 runs no clean-up code at all; SIGTERM unwinds the run
        process.join(20)  # not the 120 s a drawing would take: the run does not wait for its charts
        assert process.exitcode is not None, "the run did not end on the signal:\n" + log.read_text(encoding="utf-8")
        assert gone_within(workers, 10), "drawing processes outlived the run that started them"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the run's process group
        process.join(10)


@needs_proc
@needs_fork
def test_an_error_in_one_chart_stops_the_others_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()

    def one_fails_one_hangs(chart: ChartSpec, png: Path) -> None:
        (pids / str(os.getpid())).write_text("", encoding="utf-8")
        if chart.name == "first":
            while len(list(pids.iterdir())) < 2:  # fail only once the other chart is being drawn
                time.sleep(0.05)
            raise ValueError("this chart cannot be drawn")
        time.sleep(120)

    monkeypatch.setattr(chartpack, "MAX_WORKERS", 2)
    monkeypatch.setattr(chartpack, "draw_png", one_fails_one_hangs)
    started = time.monotonic()
    charts = [spec("first"), spec("second")]
    with pytest.raises(ValueError, match="this chart cannot be drawn"), ChartPack(charts, tmp_path / "charts") as pack:
        pack.wait()
    assert time.monotonic() - started < 60  # not the 120 s the hanging chart would take
    workers = [int(path.name) for path in pids.iterdir()]
    assert len(workers) == 2 and os.getpid() not in workers
    assert gone_within(workers, 10)


def test_a_failed_copy_into_the_cache_leaves_no_part_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"

    def disk_full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with ChartPack([spec("crime-by-type")], tmp_path / "charts", cache) as pack:
        files = pack.wait()
    assert files[0].png.is_file()  # the chart itself is written; only the cache copy failed
    assert list(cache.iterdir()) == []  # no .part, and no entry that looks whole


def test_part_files_of_runs_no_longer_running_are_removed_at_the_next_start(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = cache / f"{'a' * 32}.png.{dead_pid}.part"
    live = cache / f"{'b' * 32}.png.{os.getpid()}.part"  # a run still copying: its file is left alone
    stale.write_bytes(b"half a picture")
    live.write_bytes(b"being copied")
    assert remove_stale_parts(cache) == [stale]
    assert not stale.exists() and live.exists()
    stale.write_bytes(b"half a picture")
    with ChartPack([spec("crime-by-type")], tmp_path / "charts", cache) as pack:  # a pack starting cleans up too
        pack.wait()
    assert not stale.exists() and live.exists()
    shutil.rmtree(cache)


def test_what_is_not_drawn_is_not_in_the_cache_key() -> None:
    plymouth = spec("ratings-by-theme", alt="Stacked bar chart, Plymouth.")
    assert chart_key(spec("other-name", alt="Another description.")) == chart_key(plymouth)  # same picture
    assert chart_key(spec("ratings-by-theme", subtitle="Crimes, Torbay, 2016/17")) != chart_key(plymouth)


@needs_fork
def test_documents_get_the_pictures_while_the_svgs_are_still_being_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    go_on = tmp_path / "go-on"

    def svg_after_the_documents(fig: object, svg: Path) -> None:  # waits (30 s at most) for the test's word
        deadline = time.monotonic() + 30
        while not go_on.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        svg.write_text("<svg/>" if go_on.exists() else "too late", encoding="utf-8")

    monkeypatch.setattr(chartpack, "MAX_WORKERS", 2)
    monkeypatch.setattr(chartpack, "save_svg", svg_after_the_documents)
    started = time.monotonic()
    with ChartPack([spec("first"), spec("second")], tmp_path / "charts") as pack:
        pictures = pack.pictures()
        assert time.monotonic() - started < 25  # not held back by the SVGs
        assert all(chart.png.read_bytes().startswith(b"\x89PNG") for chart in pictures)
        assert not any(chart.svg.exists() for chart in pictures)
        go_on.touch()
        files = pack.wait()
    assert [chart.svg.read_text(encoding="utf-8") for chart in files] == ["<svg/>", "<svg/>"]
    assert (tmp_path / "charts" / "index.csv").is_file()


@needs_fork
def test_a_drawing_process_killed_outright_stops_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def killed(chart: ChartSpec, png: Path) -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would

    monkeypatch.setattr(chartpack, "MAX_WORKERS", 2)
    monkeypatch.setattr(chartpack, "draw_png", killed)
    monkeypatch.setattr(chartpack, "LAST_REPORTS_SECONDS", 0.2)  # the dead drawer sends nothing more
    started = time.monotonic()
    with (
        pytest.raises(chartpack.DrawingFailed, match="ended before drawing its charts"),
        ChartPack([spec("first"), spec("second")], tmp_path / "charts") as pack,
    ):
        pack.wait()
    assert time.monotonic() - started < 30  # a clear stop, not a wait for reports that never come
    assert not (tmp_path / "charts" / "index.csv").exists()


@needs_proc
@needs_fork
def test_drawing_processes_start_early_only_for_a_cache_without_drawings(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / f"{'a' * 32}.png").write_bytes(b"a drawing")
    chartpack.start_early(cache)
    assert chartpack._EARLY == []  # a later run: nothing is started (nor matplotlib imported) before it is needed
    chartpack.start_early(tmp_path / "no-cache-yet")
    assert len(chartpack._EARLY) == 1
    early = chartpack._EARLY[0]
    assert early.process.is_alive()
    drawn = ChartPack([spec("crime-by-type")], tmp_path / "first")
    with drawn as pack:  # the pack takes the drawers started early and draws with them
        pack.wait()
    assert chartpack._EARLY == [] and drawn._drawers is early
    assert drawn.files[0].png.read_bytes().startswith(b"\x89PNG")
    assert gone_within([early.process.pid or 0], 10)  # they end with the pack
    chartpack.start_early(None)
    unneeded = chartpack._EARLY[0]
    cached = ChartPack([spec("crime-by-type")], tmp_path / "second")
    cached._jobs.clear()  # as when every drawing comes from the cache
    with cached:
        pass
    assert chartpack._EARLY == [] and cached._drawers is None
    assert gone_within([unneeded.process.pid or 0], 10)  # drawers started for nothing are stopped


@needs_fork
def test_a_failed_svg_leaves_the_previous_outputs_untouched(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strategic_assessment.errors import OutputError
    from strategic_assessment.pipeline import generate

    outputs = tmp_path / "outputs"
    generate(inputs, outputs, pdf=False)
    before = {path: path.read_bytes() for path in sorted((outputs / "2018-19").rglob("*")) if path.is_file()}
    assert any(path.suffix == ".svg" for path in before)

    def disk_full(fig: object, svg: Path) -> None:
        raise OSError(28, "No space left on device", str(svg))

    # a cache of its own holding every drawing but one, so that one chart is drawn (and its SVG saved)
    cache = tmp_path / "cache"
    shutil.copytree(outputs / ".cache", cache, symlinks=False)
    drawn = (outputs / "2018-19" / "charts").glob("*.png")
    one = next(path for path in sorted(drawn))
    (missing,) = [path for path in (cache / "charts").glob("*.png") if path.read_bytes() == one.read_bytes()]
    missing.unlink()
    missing.with_suffix(".svg").unlink()
    monkeypatch.setattr(chartpack, "save_svg", disk_full)
    with pytest.raises(OutputError, match=r"cannot write outputs into .*2018-19.* \(No space left on device\)"):
        generate(inputs, outputs, pdf=False, cache=cache)
    after = {path: path.read_bytes() for path in sorted((outputs / "2018-19").rglob("*")) if path.is_file()}
    assert after == before
    assert sorted(path.name for path in outputs.iterdir()) == [".cache", "2018-19"]  # no staging folder left


@needs_fork
def test_a_drawer_that_has_finished_is_not_taken_for_one_that_died(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = os.getpid()

    def second_drawer_quick(chart: ChartSpec, png: Path) -> None:
        # the first drawer (a child of this process) takes 1 s; the other, forked from it, ends long before,
        # and the wait finds it gone, and no more reports from it, well before the first reports
        time.sleep(1.0 if os.getppid() == run else 0.05)
        png.write_bytes(b"\x89PNG")

    monkeypatch.setattr(chartpack, "LAST_REPORTS_SECONDS", 0.2)
    monkeypatch.setattr(chartpack, "MAX_WORKERS", 2)
    monkeypatch.setattr(chartpack, "draw_png", second_drawer_quick)
    monkeypatch.setattr(chartpack, "save_svg", lambda _, svg: svg.write_text("<svg/>", encoding="utf-8"))
    with ChartPack([spec("first"), spec("second")], tmp_path / "charts") as pack:
        files = pack.wait()
    assert [chart.svg.read_text(encoding="utf-8") for chart in files] == ["<svg/>", "<svg/>"]
