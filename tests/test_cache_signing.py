"""Kept parsed inputs are unpickled only when this user's runs wrote them (signed with the user's key)."""

from __future__ import annotations

import pickle
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from strategic_assessment import reuse
from strategic_assessment.errors import ProblemLog
from strategic_assessment.reuse import ParsedInputs


@pytest.fixture
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache home of the test's own, so the key is made afresh."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    reuse.signing_key.cache_clear()
    yield tmp_path / "home-cache" / "strategic-assessment" / "cache-key"
    reuse.signing_key.cache_clear()


def _plant(marker: str) -> None:
    Path(marker).write_text("ran")


class Planted:
    """An object whose unpickling writes a file: what someone else's entry could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (_plant, (str(self.marker),))


def test_an_entry_this_user_kept_is_reused_and_the_key_is_the_users_alone(tmp_path: Path, own_key: Path) -> None:
    reads: list[int] = []

    def reader(log: ProblemLog) -> dict[str, int]:
        reads.append(1)
        return {"crimes": 23729}

    kept = ParsedInputs(tmp_path / "cache")
    assert kept.read("crime", "k", reader, ProblemLog()) == {"crimes": 23729}
    again = ParsedInputs(tmp_path / "cache")
    assert again.read("crime", "k", reader, ProblemLog()) == {"crimes": 23729}
    assert reads == [1] and again.reused == ["crime"]
    assert stat.S_IMODE(own_key.stat().st_mode) == 0o600
    assert len(own_key.read_bytes()) == 32


def test_an_entry_someone_else_wrote_is_never_unpickled(tmp_path: Path, own_key: Path) -> None:
    folder = tmp_path / "cache"
    kept = ParsedInputs(folder)
    kept.read("crime", "k", lambda log: {"crimes": 1}, ProblemLog())
    (entry,) = folder.glob("crime-*.pickle")
    marker = tmp_path / "planted-code-ran"
    payload = pickle.dumps(Planted(marker))
    for forged in (payload, b"\0" * 32 + payload, entry.read_bytes()[:32] + payload):  # unsigned, wrong, copied
        entry.write_bytes(forged)
        fresh = ParsedInputs(folder)
        assert fresh.read("crime", "k", lambda log: {"crimes": 2}, ProblemLog()) == {"crimes": 2}
        assert fresh.reused == [] and not marker.exists()
    # the proof that the planted entry would run its code if it were unpickled
    pickle.loads(payload)
    assert marker.read_text() == "ran"


def test_without_a_key_nothing_is_kept_and_the_stage_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache home would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    reuse.signing_key.cache_clear()
    try:
        assert reuse.signing_key() is None
        kept = ParsedInputs(tmp_path / "cache")
        assert kept.read("crime", "k", lambda log: {"crimes": 3}, ProblemLog()) == {"crimes": 3}
        assert list((tmp_path / "cache").glob("*.pickle")) == []
    finally:
        reuse.signing_key.cache_clear()
