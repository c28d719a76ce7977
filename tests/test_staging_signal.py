"""A termination signal while the staging folder is made, or its writing process forked, leaves nothing behind."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
from pathlib import Path
from types import FrameType

import pytest

from strategic_assessment.errors import OutputError
from strategic_assessment.staging import Beside, staged_folder

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


FORK = os.fork


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_signal_handled_as_the_writing_process_is_forked_stops_that_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SIGTERM whose handler runs the moment ``fork`` returns: the process is stopped, not left writing.

    Seen in a ``watch`` stopped as a rebuild began: the handler ran before the process was known, and
    the process went on to write into (and so make again) the staging folder already removed.
    """
    written = tmp_path / "staging" / "data" / "annual.csv"

    def work() -> None:
        time.sleep(1.0)
        written.parent.mkdir(parents=True, exist_ok=True)  # as the tables' writer makes its folder
        written.write_text("year,count\n", encoding="utf-8")

    forked: list[int] = []

    def forked_then_signalled() -> int:
        pid = FORK()
        if pid:  # a SIGTERM that arrived a moment before: Python runs the handler set now, as fork returns
            forked.append(pid)
            handler = signal.getsignal(signal.SIGTERM)
            assert callable(handler)
            handler(signal.SIGTERM, None)
        return pid

    monkeypatch.setattr(os, "fork", forked_then_signalled)
    beside = Beside(work)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with pytest.raises(Stopped):
            try:
                beside.start()
                pytest.fail("the stop was lost")
            finally:
                beside.stop()
    finally:
        signal.signal(signal.SIGTERM, previous)
    # stopped, the process was reaped by the stop; left running, it is waited for until its work is written
    with contextlib.suppress(ChildProcessError):
        os.waitpid(forked[0], 0)
    assert not written.parent.exists()
