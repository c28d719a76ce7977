"""Chart packs run as processes of their own (forked: tests/forked.py), to be stopped while they draw.

A module of its own, importing only what the fork server has loaded, so that a forked run starts
drawing at once.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from types import FrameType


def drawing_for_a_long_time(pids: Path, folder: Path) -> None:
    """A pack of two charts, each drawn for two minutes in a drawing process that writes its pid into ``pids``.

    SIGTERM unwinds the run (as the command line's handler does); SIGINT is Python's KeyboardInterrupt, as
    in a program started from a terminal (set here: a fork server started while its parent ignored SIGINT,
    as it was seen to under a loaded test run, passes that on to every fork).
    """
    import pandas as pd

    from strategic_assessment import chartpack
    from strategic_assessment.charts import ChartSpec

    def drawing(spec: ChartSpec, png: Path) -> None:
        (pids / str(os.getpid())).write_text("", encoding="utf-8")
        time.sleep(120)

    def stop(number: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + number)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    chartpack.draw_png = drawing  # type: ignore[assignment]
    data = pd.DataFrame({"x": ["a"], "y": [1]})
    specs = [ChartSpec(f"chart-{n}", "hbars", f"Title {n}", "Subtitle", "Alt.", "Source", data) for n in range(2)]
    with chartpack.ChartPack(specs, folder, None) as pack:
        pack.wait()
