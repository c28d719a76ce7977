"""The command line: validate, score, explain, what-if and exit codes (SPEC §2)."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from strategic_assessment.cli import cli

from .builders import EXPECTED, SCORE_ROWS, replace_row, write_workshop

ROOT = Path(__file__).resolve().parents[1]


def read_ratings(outputs: Path) -> list[dict[str, str]]:
    with (outputs / "2018-19" / "ratings.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_validate_reports_valid_inputs_and_writes_nothing(
    run: Callable[..., Result], inputs: Path, tmp_path: Path
) -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "Inputs are valid: 4 threats in 4 themes from 1 workshop workbook" in result.output
    assert not (tmp_path / "outputs").exists()


def test_score_prints_the_ranked_table_and_writes_the_ratings(
    run: Callable[..., Result], inputs: Path, tmp_path: Path
) -> None:
    result = run("score")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(index for index, line in enumerate(lines) if line.lstrip().startswith("#  Threat"))
    table = [line.split() for line in lines[header + 2 : header + 6]]
    assert [row[1:3] for row in table] == [
        ["Domestic", "abuse"],
        ["County", "lines"],
        ["Burglary", "Acquisitive"],
        ["Hate", "crime"],
    ]
    rows = read_ratings(tmp_path / "outputs")
    assert {row["threat"]: (int(row["score"]), row["rating"]) for row in rows} == EXPECTED


def test_ratings_csv_has_the_fixed_columns(run: Callable[..., Result], inputs: Path, tmp_path: Path) -> None:
    assert run("score").exit_code == 0
    with (tmp_path / "outputs" / "2018-19" / "ratings.csv").open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    for column in (
        "theme",
        "threat",
        "data_row",
        "count_previous",
        "count_current",
        "change_pct",
        "rate_per_1000",
        "frequency",
        "frequency_source",
        "suggested_frequency",
        "suggested_trend",
        "harm_group",
        "score",
        "rating",
        "override_rating",
        "override_reason",
        "scored_year",
    ):
        assert column in header
    assert "suggested_physical" not in header  # physical harm has no data suggestion


def test_ratings_workbook_is_styled_frozen_and_filtered(
    run: Callable[..., Result], inputs: Path, tmp_path: Path
) -> None:
    assert run("score").exit_code == 0
    sheet = load_workbook(tmp_path / "outputs" / "2018-19" / "ratings.xlsx").active
    assert sheet is not None
    assert sheet["A1"].value == "theme"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    assert sheet["B2"].value == "Domestic abuse"


def test_formula_like_text_is_written_as_text(run: Callable[..., Result], inputs: Path, tmp_path: Path) -> None:
    rows = replace_row(SCORE_ROWS, 3, override_rating="High", override_reason="+1 more")
    path = write_workshop(inputs, rows=rows)
    book = load_workbook(path)
    cell = book["scores"]["B5"]  # County lines' threat name, typed in Excel as '=HYPERLINK(...)
    cell.value = '=HYPERLINK("http://example.invalid")'
    cell.data_type = "s"
    book.save(path)
    assert run("score").exit_code == 0
    folder = tmp_path / "outputs" / "2018-19"
    sheet = load_workbook(folder / "ratings.xlsx").active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(cells) == 1 and cells[0].data_type == "s"
    text = (folder / "ratings.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text
    assert "'+1 more" in text


def test_score_writes_the_derived_tables(run: Callable[..., Result], inputs: Path, tmp_path: Path) -> None:
    assert run("score").exit_code == 0
    with (tmp_path / "outputs" / "2018-19" / "data" / "annual.csv").open(encoding="utf-8") as handle:
        rows = {row["crime_type"]: row for row in csv.DictReader(handle)}
    # Domestic abuse crimes: 800 -> 840 is +5.0%; 840 / 80,000 adults x 1,000 = 10.50
    assert rows["Domestic abuse crimes"]["change_pct"] == "5.0"
    assert float(rows["Domestic abuse crimes"]["rate_per_1000"]) == 10.5
    assert rows["All crime"]["change"] == "100"


def test_explain_shows_factors_sources_and_arithmetic(run: Callable[..., Result], inputs: Path) -> None:
    result = run("explain", "domestic ABUSE")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("Domestic abuse (Domestic abuse): High, score 35 of 44")
    assert "Domestic abuse crimes: 800 in 2017/18, 840 in 2018/19, +5.0% (+40), 10.50 per 1,000 adults" in text
    assert "suggested 3 from 10.50 per 1,000 adults" in text
    assert "Harm = 3 + 3 + 2 + 2 = 10" in text
    assert "= 10 x 3 + 2 + 1 + 2 = 35" in text


def test_explain_an_unknown_threat_suggests_the_closest(run: Callable[..., Result], inputs: Path) -> None:
    result = run("explain", "Burglery")
    assert result.exit_code == 2
    assert "no threat named 'Burglery'; did you mean 'Burglary'?" in result.output


def test_what_if_prints_the_change_and_writes_nothing(run: Callable[..., Result], inputs: Path, tmp_path: Path) -> None:
    # County lines: harm 11 -> 12 with community 3 -> ... community is already 3; raise financial 2 -> 3:
    # harm 12 x 2 + 2 + 2 + 2 = 30 -> High (was 28 Moderate)
    result = run("score", "--what-if", "County lines:financial=3")
    assert result.exit_code == 0, result.output
    assert "County lines: financial 2 -> 3 alone; score 28 -> 30; rating Moderate -> High" in result.output
    assert not (tmp_path / "outputs").exists()


def test_what_if_with_a_bad_factor_is_a_usage_error(run: Callable[..., Result], inputs: Path) -> None:
    result = run("score", "--what-if", "County lines:finance=3")
    assert result.exit_code == 2
    assert "did you mean 'financial'?" in result.output


def test_score_keeps_other_files_in_the_year_folder(run: Callable[..., Result], inputs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "outputs" / "2018-19"
    folder.mkdir(parents=True)
    (folder / "strategic_assessment.docx").write_bytes(b"earlier document")
    assert run("score").exit_code == 0
    assert (folder / "strategic_assessment.docx").read_bytes() == b"earlier document"
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


def test_outputs_inside_inputs_are_refused(inputs: Path) -> None:
    result = CliRunner().invoke(cli, ["score", "--inputs", str(inputs), "--outputs", str(inputs / "out")])
    assert result.exit_code == 2
    assert "inputs are never written" in result.output
    assert not (inputs / "out").exists()


def test_generate_py_runs_without_installing(inputs: Path) -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "validate", "--inputs", str(inputs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Inputs are valid" in completed.stdout


def test_unexpected_error_exits_1_with_a_log_path(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from strategic_assessment import pipeline

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "build_assessment", broken)
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(inputs)])
    assert result.exit_code == 1
    assert "Internal error: RuntimeError: disk on fire (details in " in result.output
    log_path = Path(result.output.rsplit("details in ", 1)[1].rstrip(")\n"))
    assert "Traceback" in log_path.read_text(encoding="utf-8")
