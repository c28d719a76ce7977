"""Shared fixtures: a valid Testshire inputs folder and a runner for the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from strategic_assessment.cli import cli

from .builders import write_inputs


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A complete, valid inputs folder for the Testshire example."""
    return write_inputs(tmp_path / "inputs")


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., Result]:
    """Run a command of the CLI against ``tmp_path/inputs`` and ``tmp_path/outputs``."""

    def runner(*args: str) -> Result:
        command, *rest = args
        folders = ["--inputs", str(tmp_path / "inputs"), "--outputs", str(tmp_path / "outputs")]
        return CliRunner().invoke(cli, [command, *folders, *rest], catch_exceptions=False)

    return runner
