"""A termination signal while the staging folder is being made still leaves no staging folder behind."""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path
from types import FrameType

import pytest

from strategic_assessment.errors import OutputError
from strategic_assessment.staging import staged_folder

MKDTEMP = tempfile.mkdtemp


class Stopped(Exception):
    """What the program's own SIGTERM handler raises to unwind the run."""


def _stop(_number: int, _frame: FrameType | None) -> None:
    raise Stopped


def test_a_signal_just_after_the_folder_is_made_removes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []

    def made_then_signalled(*args: object, **kwargs: object) -> str:
        folder = MKDTEMP(*args, **kwargs)  # type: ignore[call-overload]
        made.append(folder)
        signal.raise_signal(signal.SIGTERM)  # the run is stopped the moment its folder exists
        return str(folder)

    monkeypatch.setattr(tempfile, "mkdtemp", made_then_signalled)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with pytest.raises(Stopped), staged_folder(tmp_path / "2018-19"):
            pytest.fail("the block ran after the stop")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert len(made) == 1 and made[0].startswith(str(tmp_path / ".2018-19-staging-"))
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_is_refused_and_the_signal_handlers_are_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_args: object, **_kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    before = signal.getsignal(signal.SIGTERM)
    refusal = r"cannot write to the outputs folder .* \(Permission denied\)"
    with pytest.raises(OutputError, match=refusal), staged_folder(tmp_path / "2018-19"):
        pytest.fail("the block ran without a folder")
    assert signal.getsignal(signal.SIGTERM) is before  # the handler set aside while the folder was made is back
    assert list(tmp_path.iterdir()) == []
