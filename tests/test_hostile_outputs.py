"""The output swap under faults, partial runs through the same swap, and neutralised CSV headers.

A signal is injected at each rename of the swap, before and after it, by a
hook rather than a random delay: the run is a real process of its own (forked
from a server that has the program loaded, tests/forked.py) whose
``staging._rename`` and ``staging._exchange`` are wrapped to send the signal
to the process itself at the Nth call. After every fault ``outputs/2018-19``
must be the whole previous set (byte for byte) or the whole new set (every
file of the new set, the new ratings, a manifest listing exactly the folder),
the message must say which, and the next run must leave nothing behind.
Copies of an outputs folder keep its chart cache as the link it is (to the
session's drawings), so a faulty run draws nothing and copies no drawings.

The inputs are the hand-made Testshire ones (tests/builders.py); the new set
differs from the previous one in County lines' ``physical`` score (3 -> 1:
harm 9, score 9x2 + 2 + 2 + 2 = 24, still Moderate but a different score).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import os
import shutil
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from strategic_assessment import staging
from strategic_assessment.cli import cli
from strategic_assessment.errors import OutputError

from .builders import SCORE_ROWS, replace_row, write_crime, write_inputs, write_workshop
from .forked import run_cli, run_forked

ROOT = Path(__file__).resolve().parent.parent
YEAR = "2018-19"
BY_NAME_ONLY = (".docx", ".xlsx", ".svg")  # they carry the time they were made: compared by name only


def faulty_run(step: int, when: str, number: int, mode: str, argv: list[str]) -> None:
    """The console script with ``number`` sent to itself before or after the ``step``-th rename of the swap.

    ``mode`` "two-step": no rename-exchange here, so the swap renames twice.
    """
    calls = [0]

    def faulty(function: Callable[..., None]) -> Callable[..., None]:
        def wrapped(*args: object) -> None:
            calls[0] += 1
            if calls[0] == step and when == "before":
                os.kill(os.getpid(), number)
            function(*args)
            if calls[0] == step and when == "after":
                os.kill(os.getpid(), number)

        return wrapped

    def no_exchange(*args: object) -> None:
        raise OSError(errno.ENOSYS, "no rename-exchange here")

    exchange = no_exchange if mode == "two-step" else faulty(staging._exchange)
    staging._rename = faulty(staging._rename)
    staging._exchange = exchange  # type: ignore[assignment]
    run_cli(argv)


def unsafe_run(argv: list[str]) -> None:
    """The console script with a swap that is not atomic: the old set goes before the new one arrives."""

    def unsafe(staging: Path, target: Path) -> None:
        shutil.rmtree(target)
        os.kill(os.getpid(), signal.SIGKILL)
        os.rename(staging, target)

    staging._exchange = unsafe  # type: ignore[assignment]
    run_cli(argv)


def invoke(inputs: Path, outputs: Path, *args: str) -> Result:
    command, *rest = args
    return CliRunner().invoke(cli, [command, "--inputs", str(inputs), "--outputs", str(outputs), *rest])


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder (relative name) with its sha256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@dataclass(frozen=True)
class Sets:
    inputs: Path
    previous: Path  # a copy of the previous set's outputs folder
    previous_files: dict[str, str]
    new_files: dict[str, dict[str, str]]  # command -> the new set's files
    new_score: dict[str, str]  # command -> County lines' score in its new set (--only charts keeps 28)


COMMANDS = {
    "score": ("score",),
    "generate": ("generate", "--no-pdf"),
    "only-charts": ("generate", "--only", "charts", "--no-pdf"),
}


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> Sets:
    """The previous set (Testshire), the changed inputs, and each command's new set made without faults."""
    root = tmp_path_factory.mktemp("swap")
    inputs = write_inputs(root / "inputs")
    previous = root / "previous"
    assert invoke(inputs, previous, "generate", "--no-pdf").exit_code == 0
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, physical=1))
    new_files, new_score = {}, {}
    for name, command in COMMANDS.items():
        reference = root / f"new-{name}"
        shutil.copytree(previous, reference, symlinks=True)
        result = invoke(inputs, reference, *command)
        assert result.exit_code == 0, result.output
        new_files[name] = snapshot(reference / YEAR)
        new_score[name] = county_lines_score(reference / YEAR)
    assert new_score == {"score": "24", "generate": "24", "only-charts": "28"}
    return Sets(inputs, previous, snapshot(previous / YEAR), new_files, new_score)


def county_lines_score(folder: Path) -> str:
    with (folder / "ratings.csv").open(encoding="utf-8", newline="") as handle:
        return next(row["score"] for row in csv.DictReader(handle) if row["threat"] == "County lines")


def assert_whole_set(folder: Path, sets: Sets, command: str) -> str:
    """``previous`` or ``new``: which whole set the folder holds (fails when it is neither)."""
    files = snapshot(folder)
    if files == sets.previous_files:
        assert county_lines_score(folder) == "28"
        return "previous"
    expected = sets.new_files[command]
    assert set(files) == set(expected), f"neither set: {sorted(set(files) ^ set(expected))}"
    for name, digest in expected.items():
        if name != "manifest.json" and not name.endswith(BY_NAME_ONLY):
            assert files[name] == digest, f"{name} is not the new set's"
    assert county_lines_score(folder) == sets.new_score[command]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["outputs"]) == sorted(files)
    return "new"


def fault_process(sets: Sets, outputs: Path, command: str, mode: str, step: int, when: str, number: int) -> str:
    """Run a command in a process of its own with the signal injected at a rename; returns its stderr."""
    name, *options = COMMANDS[command]
    arguments = [name, "--inputs", str(sets.inputs), "--outputs", str(outputs), *options]
    process = run_forked(faulty_run, step, when, int(number), mode, arguments, log=outputs.parent / "stderr.txt")
    assert process.returncode == (-signal.SIGKILL if number == signal.SIGKILL else 128 + number), process.stderr
    assert "Traceback" not in process.stderr
    return process.stderr


def run_with_fault(
    tmp_path: Path, sets: Sets, command: str, mode: str, step: int, when: str, number: int
) -> tuple[Path, str]:
    outputs = tmp_path / "outputs"
    shutil.copytree(sets.previous, outputs, symlinks=True)
    return outputs, fault_process(sets, outputs, command, mode, step, when, number)


def faults(command: str, modes: tuple[str, ...]) -> list[tuple[str, str, int, str, int]]:
    steps = {"exchange": (1,), "two-step": (1, 2)}
    return [
        (command, mode, step, when, number)
        for mode in modes
        for step in steps[mode]
        for when in ("before", "after")
        for number in (signal.SIGTERM, signal.SIGKILL)
    ]


CASES = [
    *faults("score", ("exchange", "two-step")),
    *faults("generate", ("exchange",)),
    ("only-charts", "exchange", 1, "after", signal.SIGKILL),
    ("only-charts", "exchange", 1, "before", signal.SIGTERM),
]


@pytest.mark.parametrize(
    ("command", "mode", "step", "when", "number"),
    CASES,
    ids=[f"{c}-{m}-rename{s}-{w}-{signal.Signals(n).name}" for c, m, s, w, n in CASES],
)
def test_a_signal_at_each_rename_leaves_a_whole_set_and_says_which(
    tmp_path: Path, sets: Sets, command: str, mode: str, step: int, when: str, number: int
) -> None:
    outputs, stderr = run_with_fault(tmp_path, sets, command, mode, step, when, number)
    folder = outputs / YEAR
    backup = outputs / f".{YEAR}-previous"
    if folder.exists():
        held = assert_whole_set(folder, sets, command)
    else:
        # only where there is no rename-exchange, killed between the two renames: the previous set is aside
        assert (mode, number, step) == ("two-step", signal.SIGKILL, 2 if when == "before" else 1)
        assert snapshot(backup) == sets.previous_files
        held = "aside"
    if number == signal.SIGTERM:  # the program handled it: its message says exactly what is on disk
        expected = (
            "Stopped after the new outputs were in place"
            if held == "new"
            else "Stopped; the previous outputs are as they were."
        )
        assert expected in stderr
    # the next run puts right whatever was left, and leaves nothing beside the year's folder
    again = invoke(sets.inputs, outputs, "validate")
    assert again.exit_code == 0, again.output
    staging.recover(folder)
    assert assert_whole_set(folder, sets, command) == ("new" if held == "new" else "previous")
    assert {path.name for path in outputs.iterdir()} - {".cache"} == {YEAR}


def test_the_fault_checks_catch_a_swap_that_is_not_atomic(tmp_path: Path, sets: Sets) -> None:
    outputs = tmp_path / "outputs"
    shutil.copytree(sets.previous, outputs, symlinks=True)
    arguments = ["score", "--inputs", str(sets.inputs), "--outputs", str(outputs)]
    process = run_forked(unsafe_run, arguments, log=tmp_path / "stderr.txt")
    assert process.returncode == -signal.SIGKILL, process.stderr
    # neither set is in place, and none is aside: the fault test above fails on exactly this
    assert not (outputs / YEAR).exists() and not (outputs / f".{YEAR}-previous").exists()


def test_generate_only_charts_carries_the_rest_and_the_manifest_lists_the_whole_folder(
    tmp_path: Path, sets: Sets
) -> None:
    outputs = tmp_path / "outputs"
    shutil.copytree(sets.previous, outputs, symlinks=True)
    result = invoke(sets.inputs, outputs, "generate", "--only", "charts", "--no-pdf")
    assert result.exit_code == 0, result.output
    folder = outputs / YEAR
    files = snapshot(folder)
    assert set(files) == set(sets.previous_files)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["outputs"]) == sorted(files)
    assert manifest["parts_written"] == ["charts"]
    assert "ratings.csv" in manifest["carried_from_previous_set"]
    assert "charts/index.csv" not in manifest["carried_from_previous_set"]
    assert files["ratings.csv"] == sets.previous_files["ratings.csv"]  # not this run's part: carried as it was


def test_score_writes_a_manifest_of_the_whole_folder(tmp_path: Path, sets: Sets) -> None:
    outputs = tmp_path / "outputs"
    shutil.copytree(sets.previous, outputs, symlinks=True)
    assert invoke(sets.inputs, outputs, "score").exit_code == 0
    folder = outputs / YEAR
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["outputs"]) == sorted(snapshot(folder))
    assert manifest["parts_written"] == ["ratings"]
    assert "strategic_assessment.docx" in manifest["carried_from_previous_set"]
    assert county_lines_score(folder) == "24"


def test_a_leftover_previous_set_that_cannot_be_removed_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "outputs" / YEAR
    target.mkdir(parents=True)
    backup = tmp_path / "outputs" / f".{YEAR}-previous"
    backup.mkdir()

    def refuse(path: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", refuse)  # the shutil the outputs module uses
    with pytest.raises(OutputError, match=r"\.2018-19-previous' is left from an earlier run and cannot be removed"):
        staging.recover(target)


def test_a_previous_set_left_aside_is_put_back_on_the_next_start(tmp_path: Path) -> None:
    target = tmp_path / YEAR
    backup = tmp_path / f".{YEAR}-previous"
    backup.mkdir()
    (backup / "ratings.csv").write_text("old", encoding="utf-8")
    assert staging.recover(target) == [
        f"restored the previous outputs in '{target}' (a run was stopped while replacing them)"
    ]
    assert (target / "ratings.csv").read_text(encoding="utf-8") == "old" and not backup.exists()


# --- every CSV and xlsx header and cell neutralised through one function -----------------------------

FORMULA = '=HYPERLINK("http://x.test","y")'


def test_a_series_named_like_a_formula_is_text_in_every_csv(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    months = [f"{2017 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(24)]
    path = write_crime(inputs, extra={"monthly": (("month", "All crime", "placeholder"), [(m, 90, 5) for m in months])})
    book = load_workbook(path)
    header = book["monthly"]["C1"]
    header.value, header.data_type = FORMULA, "s"  # text in the cell, as a person typing '= would leave it
    book.save(path)
    result = invoke(inputs, tmp_path / "outputs", "generate", "--only", "charts", "--only", "ratings", "--no-pdf")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "outputs" / YEAR
    with (folder / "data" / "monthly.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["month", "All crime", "'" + FORMULA]
    for path in [*folder.rglob("*.csv")]:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                assert not any(cell.startswith(("=", "+", "@")) for cell in row), f"{path.name}: {row}"


def test_the_ratings_workbook_header_and_cells_go_through_the_same_function(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, override_rating="High", override_reason="+ agreed"))
    assert invoke(inputs, tmp_path / "outputs", "score").exit_code == 0
    sheet = load_workbook(tmp_path / "outputs" / YEAR / "ratings.xlsx")["ratings"]
    reasons = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == "'+ agreed"]
    assert reasons == ["'+ agreed"]
    with (tmp_path / "outputs" / YEAR / "ratings.csv").open(encoding="utf-8", newline="") as handle:
        assert "'+ agreed" in [row["override_reason"] for row in csv.DictReader(handle)]
