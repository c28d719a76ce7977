"""``watch`` keeps drawing processes waiting, matplotlib loaded, so a rebuild that redraws a chart does not import it.

Whether matplotlib is loaded in a process is read from the libraries it has mapped (``/proc/<pid>/maps``):
its Agg renderer is a compiled module that only ``import matplotlib.backends.backend_agg`` loads.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from strategic_assessment import chartpack
from strategic_assessment.chartpack import ChartPack
from strategic_assessment.charts import ChartSpec
from strategic_assessment.watch import Watcher

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="charts are drawn in forked processes only here"),
    pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see what a process loaded"),
]


def spec(name: str) -> ChartSpec:
    data = pd.DataFrame({"crime_type": ["Burglary", "Drugs"], "count": [7, 3]})
    options = {"x": "count", "y": "crime_type"}
    return ChartSpec(
        name, "hbars", "Burglary is the largest", "Crimes, Plymouth", "Bar chart.", "Source", data, options
    )


def loads_matplotlib(pid: int, seconds: float = 60.0) -> bool:
    """True once the process has mapped matplotlib's Agg renderer (waits up to ``seconds`` for its import)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            maps = Path(f"/proc/{pid}/maps").read_text(encoding="utf-8")
        except OSError:
            return False
        if "_backend_agg" in maps:
            return True
        time.sleep(0.05)
    return False


def waiting() -> chartpack.Drawers:
    """The drawers waiting for the next pack: exactly one set, its first process running."""
    assert len(chartpack._EARLY) == 1
    drawers = chartpack._EARLY[0]
    assert drawers.process.is_alive()
    return drawers


@pytest.fixture
def kept_ready() -> Iterator[None]:
    """Leaves the module as it was: no drawers waiting, packs with nothing to draw stopping them."""
    yield
    chartpack._stop_early_drawers()
    chartpack._KEEP_READY = False


def test_waiting_drawers_draw_the_next_pack_and_outlast_a_pack_with_nothing_to_draw(
    tmp_path: Path, kept_ready: None
) -> None:
    chartpack.keep_drawers_ready()
    first = waiting()
    assert first.process.pid is not None and loads_matplotlib(first.process.pid)
    nothing = ChartPack([spec("crime-by-type")], tmp_path / "cached")
    nothing._jobs.clear()  # as when every drawing comes from the cache
    with nothing as pack:
        pack.wait()
    assert waiting() is first and nothing._drawers is None  # still waiting, not stopped
    drawn = ChartPack([spec("crime-by-type")], tmp_path / "drawn")
    with drawn as pack:
        pack.wait()
    assert drawn._drawers is first and chartpack._EARLY == []  # the pack drew with the drawers that waited
    assert drawn.files[0].png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    chartpack.keep_drawers_ready()
    assert waiting() is not first  # new drawers for the pack after


def test_drawers_killed_while_waiting_are_not_handed_a_pack(tmp_path: Path, kept_ready: None) -> None:
    chartpack.keep_drawers_ready()
    dead = waiting()
    dead.stop()  # as the system's out-of-memory killer might
    drawn = ChartPack([spec("crime-by-type")], tmp_path / "drawn")
    with drawn as pack:
        pack.wait()
    assert drawn._drawers is not None and drawn._drawers is not dead
    assert drawn.files[0].png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_watch_build_leaves_drawers_waiting_with_matplotlib_loaded(
    inputs: Path, tmp_path: Path, kept_ready: None
) -> None:
    said: list[str] = []
    watcher = Watcher(inputs, tmp_path / "outputs", pdf=False, echo=said.append, warn=said.append)
    line = watcher.build()
    assert "first build: " in line and "rebuilt" in line, (line, said)
    drawers = waiting()
    assert drawers.process.pid is not None and loads_matplotlib(drawers.process.pid)
