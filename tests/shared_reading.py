"""A model file read once for the many runs of a test module that all read the same, unchanged model.

Each in-process run of ``validate``, ``score`` or ``generate`` reads and checks
``models/morile.yaml`` afresh (about 10 ms: PyYAML's pure-Python composer,
so the limits can be checked before anything is built); a module of bad-input
tests makes a hundred or more such runs, each breaking some other file.
``models_read_once`` has the pipeline take a model from what an earlier run
read from the very same bytes at the same path, handed out as a new copy
(unpickled, as the program's own cache of parsed inputs hands results out).
A model file with other bytes, a missing one, or one whose reading fails is
read by the program as before, so every problem a model can have is still
found and reported by the program itself.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@contextlib.contextmanager
def models_read_once() -> Iterator[None]:
    """While open, the pipeline reads each model file's bytes once (a module's autouse fixture opens it)."""
    from strategic_assessment import pipeline

    with pytest.MonkeyPatch.context() as patch:
        _read_once(patch, pipeline)
        yield


def _read_once(monkeypatch: pytest.MonkeyPatch, pipeline: Any) -> None:
    read = pipeline.load_model

    def load_model(path: Path, label: str | None = None) -> Any:
        try:
            key = (str(path), label, path.read_bytes())
        except OSError:
            return read(path, label)
        found = _KEPT.get(key)
        if found is None:
            found = _KEPT[key] = pickle.dumps(read(path, label), protocol=pickle.HIGHEST_PROTOCOL)
        return pickle.loads(found)

    monkeypatch.setattr(pipeline, "load_model", load_model)


# (path, label, bytes) -> the model read from them, pickled; for the life of the test process
_KEPT: dict[tuple[str, str | None, bytes], bytes] = {}
