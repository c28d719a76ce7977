"""Reading what a run printed, and changing the parts of a workbook's package, for the tests of bad input."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path


def problem_lines(output: str) -> list[str]:
    """The problems listed by a failed run, without their bullet."""
    return [line[4:] for line in output.splitlines() if line.startswith("  - ")]


def warning_lines(output: str) -> list[str]:
    return [line.removeprefix("Warning: ") for line in output.splitlines() if line.startswith("Warning: ")]


def rewrite_zip(path: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    """Rewrite an .xlsx package with some of its parts changed."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
