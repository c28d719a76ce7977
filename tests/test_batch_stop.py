"""A batch whose workers end by a stop signal before the batch itself hears it is stopped, not failed.

Ctrl-C (or a service manager's SIGTERM) reaches every process of the group.
A worker waiting between areas exits at once, and the pool can report itself
broken before the batch's own signal is raised: that must still read as a
stop (exit 128 + the signal, with the message saying what is on disk), while
a worker that crashes is still a failure.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from strategic_assessment import batch
from strategic_assessment.batch import AreaJob, BatchStopped

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the worker's end is set in a forked worker"
)


def _job(tmp_path: Path, area: str) -> AreaJob:
    return AreaJob(
        area=area,
        inputs=tmp_path / "inputs",
        outputs=tmp_path / area.lower(),
        cache=tmp_path / "cache",
        police_uk=tmp_path / "police-uk",
        population=None,
        keep_settings_area=False,
        year_folder="2015-16",
    )


@pytest.fixture(autouse=True)
def _no_preload(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers run no area here: the libraries an area needs are not loaded before they fork."""
    monkeypatch.setattr(batch, "_preload", lambda: None)


def end_by_sigint(job: AreaJob) -> None:  # module level: the pool sends it to the worker by name
    os._exit(128 + signal.SIGINT)


def end_by_sigterm(job: AreaJob) -> None:
    os._exit(128 + signal.SIGTERM)


def crash(job: AreaJob) -> None:
    os._exit(1)


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_workers_ended_by_a_stop_signal_stop_the_batch_with_that_signal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int
) -> None:
    monkeypatch.setattr(batch, "run_area", end_by_sigint if number == signal.SIGINT else end_by_sigterm)
    jobs = [_job(tmp_path, "Plymouth"), _job(tmp_path, "Torbay")]
    with pytest.raises(BatchStopped) as stopped:
        batch._run_jobs(jobs, 2, lambda _: None)
    assert stopped.value.signum == number
    assert stopped.value.message == (
        "Stopped; the batch summary was not written. "
        "2 areas are as they were before the run (no folder half written): Plymouth, Torbay."
    )


def test_a_worker_that_crashes_is_a_failure_not_a_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "run_area", crash)
    with pytest.raises(BrokenProcessPool):
        batch._run_jobs([_job(tmp_path, "Plymouth")], 1, lambda _: None)


class _Worker:
    """A worker whose exit status can be read only after ``hidden`` looks (as just after the pool saw it end)."""

    def __init__(self, code: int | None, hidden: int = 0) -> None:
        self.code, self.hidden = code, hidden

    @property
    def exitcode(self) -> int | None:
        if self.hidden:
            self.hidden -= 1
            return None
        return self.code


BROKEN = BrokenProcessPool("A process in the process pool was terminated abruptly")


def test_a_stop_status_not_yet_readable_is_waited_for() -> None:
    # the idle worker exited 130 (SIGINT); its status shows on the fourth look; the other is still running
    assert batch._stop_signal(BROKEN, [_Worker(None), _Worker(128 + signal.SIGINT, hidden=3)]) == signal.SIGINT


def test_a_worker_killed_outright_by_sigterm_is_a_stop() -> None:
    assert batch._stop_signal(BROKEN, [_Worker(-signal.SIGTERM)]) == signal.SIGTERM


def test_a_crash_is_a_failure_even_when_the_pool_then_stopped_the_others() -> None:
    # one worker crashed (exit 1); the pool then sent SIGTERM to the other, which exited 143
    assert batch._stop_signal(BROKEN, [_Worker(128 + signal.SIGTERM), _Worker(1)]) is None


def test_a_broken_pool_whose_workers_show_no_end_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "ENDING_SECONDS", 0.05)
    assert batch._stop_signal(BROKEN, [_Worker(None)]) is None


def test_another_failure_is_raised_as_it_is() -> None:
    assert batch._stop_signal(ValueError("a bug"), [_Worker(128 + signal.SIGINT)]) is None
