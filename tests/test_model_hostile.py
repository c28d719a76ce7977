"""Whatever a model file holds, reading it gives a model or problems that name their key path, never a crash."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategic_assessment.errors import InputError
from strategic_assessment.model import Model, model_from_data

from .test_schema_messages import factor, model_with

pytestmark = pytest.mark.fast

KEYS = ["key", "label", "group", "range", "levels", "suggest", "from", "bands", "below", "at_most", "value", "name"]
SCALARS = st.none() | st.booleans() | st.integers(-3, 200) | st.floats() | st.sampled_from(["", "x", "harm", "#C0504D"])
SUGGESTION = {"from": "rate_per_1000", "bands": [{"below": 3, "value": 1}, {"at_most": 9, "value": 2}, {"value": 3}]}
MODEL = model_with(factors=[factor("physical", "harm"), factor("frequency", "likelihood", (1, 3), suggest=SUGGESTION)])
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
    max_leaves=6,
)


def places(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path below ``node``."""
    found = [here] if here else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        found.extend(places(value, (*here, key)))
    return found


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_value_anywhere_is_read_or_reported(data: st.DataObject) -> None:
    model = copy.deepcopy(MODEL)
    path = data.draw(st.sampled_from(places(model)))
    parent = model
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = data.draw(VALUES)
    try:
        read = model_from_data(model, Path("/models/tiny.yaml"), "tiny.yaml")
    except InputError as error:
        assert error.problems
        assert all(problem.file == "tiny.yaml" and problem.problem and problem.fix for problem in error.problems)
    else:
        assert isinstance(read, Model)
