"""End to end: `generate.py score` on the worked example reproduces the published ratings.

The worked example in ``inputs/`` is Safer Plymouth's 2018/19 Strategic
Assessment. These black-box tests run the command line as an analyst would and
read the ratings.csv it writes. Every expected value is typed by hand from the
published document (shared/DOMAIN.md) or worked out by hand from the input
files, never copied from the program's output.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from .forked import run_forked, run_script
from .published import CARRIED_FORWARD, PUBLISHED

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"


# Worked by hand: harm x frequency + trend + knowledge gaps + capacity + capability.
HAND_SCORES: dict[str, int] = {
    # 3+3+2+2=10 x 3 (22.05 per 1,000 adults) + 2 (+20.6%) + 1 + 1 + 1; scored twice:
    # financial 2 and 1 -> 2, capability 1 and 0 -> 1
    "Domestic abuse": 35,
    # 3+3+2+2=10 x 2 + 1 + 2 + 1 + 1; community 1 and 3 at two workshops -> median 2
    "Modern slavery": 25,
    # 3+3+1+3=10 x 3 (entered for under-reporting) + 0 (-6.5%) + 2 + 1 + 1
    "Rape & sexual assault": 34,
    # carried forward: 0+2+0+2=4 x 3 (33.59 per 1,000) + 0 (-5.5%) + 1 + 1 + 0
    "Anti-social behaviour": 14,
}


@dataclass(frozen=True)
class Run:
    """One run of `generate.py score` on the worked example."""

    returncode: int
    output: str
    rows: dict[str, dict[str, str]]
    inputs_before: dict[str, str]
    inputs_after: dict[str, str]


def input_hashes() -> dict[str, str]:
    """sha256 of every file under inputs/, by relative path."""
    return {
        str(path.relative_to(INPUTS)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(INPUTS.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Score the worked example once for every test in this module.

    ``python generate.py score`` in the project folder, as a process of its own forked with the program
    loaded (tests/forked.py): its exit status and everything it printed are the command's.
    """
    folder = tmp_path_factory.mktemp("score")
    outputs = folder / "outputs"
    before = input_hashes()
    argv = ["score", "--inputs", "inputs", "--outputs", str(outputs)]
    log, out = folder / "stderr.txt", folder / "stdout.txt"
    result = run_forked(run_script, ROOT / "generate.py", argv, log=log, out=out)
    after = input_hashes()
    ratings = outputs / "2018-19" / "ratings.csv"
    rows: dict[str, dict[str, str]] = {}
    if ratings.exists():
        with ratings.open(newline="", encoding="utf-8-sig") as handle:
            rows = {row["threat"]: row for row in csv.DictReader(handle)}
    return Run(result.returncode, out.read_text(encoding="utf-8") + result.stderr, rows, before, after)


def test_score_succeeds(scored: Run) -> None:
    assert scored.returncode == 0, scored.output
    assert scored.rows, "no ratings.csv rows were written"


def test_every_published_rating_is_reproduced(scored: Run) -> None:
    ratings = {threat: row["rating"] for threat, row in scored.rows.items()}
    assert ratings == PUBLISHED


def test_modern_slavery_is_kept_high_by_override(scored: Run) -> None:
    row = scored.rows["Modern slavery"]
    assert row["rating"] == "Moderate"
    assert row["override_rating"] == "High"
    assert row["override_reason"].strip()


def test_modern_slavery_community_is_the_median_of_two_workshops(scored: Run) -> None:
    assert float(scored.rows["Modern slavery"]["community"]) == 2  # scored 1 and 3


@pytest.mark.parametrize("threat", CARRIED_FORWARD)
def test_carried_forward_threats_keep_their_scoring_year(scored: Run, threat: str) -> None:
    assert scored.rows[threat]["scored_year"] == "2017/18"


def test_only_carried_forward_threats_are_from_2017_18(scored: Run) -> None:
    carried = {threat for threat, row in scored.rows.items() if row["scored_year"] == "2017/18"}
    assert carried == set(CARRIED_FORWARD)


def test_carried_forward_asb_takes_likelihood_and_trend_from_2018_19_data(scored: Run) -> None:
    row = scored.rows["Anti-social behaviour"]
    assert float(row["rate_per_1000"]) == 33.59  # 8,838 / 263,100 x 1,000
    assert float(row["change_pct"]) == -5.5  # 9,349 -> 8,838
    assert float(row["frequency"]) == 3
    assert float(row["trend"]) == 0
    assert row["frequency_source"] == "data"
    assert row["trend_source"] == "data"


def test_domestic_abuse_figures_use_the_adult_base(scored: Run) -> None:
    row = scored.rows["Domestic abuse"]
    assert row["data_row"] == "Domestic abuse crimes"
    assert float(row["count_previous"]) == 3850
    assert float(row["count_current"]) == 4642
    assert float(row["change_pct"]) == 20.6  # 792 / 3,850 = 20.57%
    assert float(row["rate_per_1000"]) == 22.05  # 4,642 / 210,480 x 1,000 = 22.054
    assert row["frequency_source"] == "data"
    assert float(row["frequency"]) == 3


def test_rape_frequency_is_the_workshop_judgement_not_the_data(scored: Run) -> None:
    row = scored.rows["Rape & sexual assault"]
    assert float(row["rate_per_1000"]) == 1.25  # would suggest 1
    assert float(row["frequency"]) == 3
    assert row["frequency_source"] != "data"


@pytest.mark.parametrize(("threat", "expected"), HAND_SCORES.items())
def test_score_matches_the_hand_calculation(scored: Run, threat: str, expected: int) -> None:
    assert float(scored.rows[threat]["score"]) == expected


def test_inputs_are_unchanged_by_a_run(scored: Run) -> None:
    assert scored.inputs_before
    assert scored.inputs_after == scored.inputs_before
