"""The data pack's sentence when no factor can be suggested names the factors as English does."""

from __future__ import annotations

import pytest

from strategic_assessment.documents.data_pack import _none_of


@pytest.mark.parametrize(
    ("labels", "words"),
    [
        (["frequency"], "No frequency"),
        (["frequency", "trend"], "Neither frequency nor trend"),
        (["frequency", "trend", "harm"], "None of frequency, trend and harm"),
    ],
)
def test_the_factors_none_can_be_suggested_for_read_as_a_sentence(labels: list[str], words: str) -> None:
    assert _none_of(labels) == words
