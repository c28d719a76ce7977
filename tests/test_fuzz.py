"""A bounded run of the single-mutation fuzzer (scripts/fuzz.py) over the Testshire inputs, in-process.

Each example changes one cell, row, column, sheet, key or byte of a copy of
the hand-made inputs and runs what ``validate`` and then ``generate --no-pdf``
do. The outcome must be ``accepted`` or ``refused`` (an InputError whose
every problem names its file): never an internal error, a hang, a problem
with no place, an input ``validate`` accepts and ``generate`` refuses, or a
changed inputs folder. ``make fuzz`` runs the same over the worked example
with 1,000 mutations.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from strategic_assessment.errors import InputError, Problem

from .builders import write_inputs
from .shared_reading import models_read_once

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"


def load_fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz"] = module
    spec.loader.exec_module(module)
    return module


fuzz = load_fuzz()


@pytest.fixture(scope="module", autouse=True)
def _models_read_once() -> Iterator[None]:
    """The shipped model, the same in every test here, is read and checked once (tests/shared_reading.py)."""
    with models_read_once():
        yield


@pytest.mark.parametrize("seed", [1, 2])
def test_single_mutations_are_accepted_or_refused_naming_a_place(tmp_path: Path, seed: int) -> None:
    base = write_inputs(tmp_path / "base")
    outcomes = fuzz.fuzz(base, 12, seed, generate_too=True, report=lambda _line: None)
    bad = [outcome for outcome in outcomes if outcome.kind not in ("accepted", "refused")]
    assert not bad, "\n\n".join(f"{o.kind}: {o.mutation}\n{o.detail}" for o in bad)
    assert {outcome.kind for outcome in outcomes} == {"accepted", "refused"}  # both kinds were exercised


def test_the_outcome_checks_are_not_blind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    from strategic_assessment import pipeline

    def crash(*_args: object, **_kwargs: object) -> None:
        raise TypeError("cannot safely cast non-equivalent uint64 to int64")

    monkeypatch.setattr(pipeline, "build_assessment", crash)
    assert fuzz.run_example(inputs, tmp_path / "out", "none").kind == "internal"

    def unplaced(*_args: object, **_kwargs: object) -> None:
        raise InputError([Problem("", "something is wrong")])

    monkeypatch.setattr(pipeline, "build_assessment", unplaced)
    assert fuzz.run_example(inputs, tmp_path / "out", "none").kind == "unplaced"
    monkeypatch.undo()

    def refuse_late(*_args: object, **_kwargs: object) -> None:
        raise InputError([Problem("assessment.yaml", "refused only when writing", cell="author")])

    monkeypatch.setattr(pipeline, "generate", refuse_late)
    assert fuzz.run_example(inputs, tmp_path / "out", "none").kind == "mismatch"


def test_the_mutations_are_seeded(tmp_path: Path) -> None:
    first, second = (write_inputs(tmp_path / name) for name in ("a", "b"))
    assert fuzz.mutate(first, fuzz.random.Random(7)) == fuzz.mutate(second, fuzz.random.Random(7))
