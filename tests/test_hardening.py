"""Hardening (SPEC §6, §7, issue 6): large and hidden sheets, unwritable outputs, killed runs, security, properties.

The cases here are the ones the other test modules leave open; tests/SEVEN.md
maps every §7 case to the test that covers it. Each test builds its bad input
for real (openpyxl, zip surgery on the package's XML, a real subprocess killed
with a real signal) on the hand-made Testshire inputs (tests/builders.py),
whose ratings are worked out by hand in ``builders.EXPECTED``.

Cells of ``workshops/workshop-1.xlsx › scores`` (SCORE_HEADER): A theme,
B threat, C data_row, D physical, E psychological, F financial, G community,
H frequency, I trend, J knowledge_gaps, K capacity, L capability,
M override_rating, N override_reason, O scored_year; rows 2-5 Hate crime,
Domestic abuse, Burglary, County lines (no data_row, so every factor is
entered). The MoRiLE ranges (SPEC §4.2): harm factors 0-3, frequency 1-3,
trend, knowledge gaps, capacity and capability 0-2; score = harm x frequency
+ trend + knowledge gaps + capacity + capability; High 30 or more, Moderate
16-29, Standard 0-15.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import hashlib
import importlib
import os
import re
import shutil
import signal
import tempfile
import time
import xml.etree.ElementTree as StandardElementTree
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from strategic_assessment.cli import cli
from strategic_assessment.documents import render
from strategic_assessment.errors import InputError

from .builders import (
    EXPECTED,
    MORILE_FACTORS,
    SCORE_HEADER,
    SCORE_ROWS,
    TESTSHIRE_PLAN,
    THEME_HEADER,
    THEME_ROWS,
    replace_row,
    write_crime,
    write_inputs,
    write_settings,
    write_workbook,
    write_workshop,
)
from .forked import run_cli, start_forked
from .shared_reading import models_read_once

ROOT = Path(__file__).resolve().parent.parent
WORKSHOP = "workshops/workshop-1.xlsx"
CRIME = "crime_data.xlsx"
YEAR_FOLDER = "2018-19"
SCORES_XML = "xl/worksheets/sheet1.xml"  # write_workbook's first sheet: scores (workshops), annual (crime)
LEAKS = ("Traceback", 'File "')
PLAN = TESTSHIRE_PLAN
# SPEC §4.2, typed from the spec (not read from models/morile.yaml)
RANGES = {
    "physical": (0, 3),
    "psychological": (0, 3),
    "financial": (0, 3),
    "community": (0, 3),
    "frequency": (1, 3),
    "trend": (0, 2),
    "knowledge_gaps": (0, 2),
    "capacity": (0, 2),
    "capability": (0, 2),
}
COUNTY_LINES = 3  # index in SCORE_ROWS; Excel row 5

Run = Callable[..., Result]


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _models_read_once() -> Iterator[None]:
    """The shipped model, the same in every test here, is read and checked once (tests/shared_reading.py)."""
    with models_read_once():
        yield


def invoke(inputs: Path, outputs: Path, *args: str) -> Result:
    """Run a CLI command in this process on the given folders."""
    command, *rest = args
    folders = ["--inputs", str(inputs), "--outputs", str(outputs)]
    return CliRunner().invoke(cli, [command, *folders, *rest], catch_exceptions=False)


def problem_lines(output: str) -> list[str]:
    return [line[4:] for line in output.splitlines() if line.startswith("  - ")]


def warning_lines(output: str) -> list[str]:
    return [line.removeprefix("Warning: ") for line in output.splitlines() if line.startswith("Warning: ")]


def assert_no_leak(output: str) -> None:
    leaked = [leak for leak in LEAKS if leak in output]
    assert not leaked, f"{leaked} in:\n{output}"


def read_ratings(outputs: Path) -> dict[str, dict[str, str]]:
    with (outputs / YEAR_FOLDER / "ratings.csv").open(encoding="utf-8", newline="") as handle:
        return {row["threat"]: row for row in csv.DictReader(handle)}


def scores_and_ratings(outputs: Path) -> dict[str, tuple[int, str]]:
    return {threat: (int(row["score"]), row["rating"]) for threat, row in read_ratings(outputs).items()}


def file_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under a folder, by relative path."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
Parts = dict[str, str]


def rewrite_parts(path: Path, change: Callable[[Parts], None]) -> None:
    """Rewrite the XML parts of an .xlsx package (every part openpyxl writes is UTF-8 text)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))


def column_letter(name: str) -> str:
    """The scores sheet's column of a header (fewer than 26 columns: A is 0)."""
    return chr(ord("A") + SCORE_HEADER.index(name))


# --- 200,000 formatted empty rows ---------------------------------------------------------------

LAST_ROW = 200_000


def add_formatted_empty_rows(path: Path) -> None:
    """Rows 6..200,000 of the scores sheet hold only a fill on column A (what Excel leaves after formatting).

    openpyxl writes the first such cell and its style; the row is then repeated
    in the sheet XML (openpyxl itself takes several seconds for 200,000 rows).
    """
    book = load_workbook(path)
    book["scores"]["A6"].fill = PatternFill("solid", start_color="FFFF00")
    book.save(path)

    def repeat_row(xml: str) -> str:
        match = re.search(r'<row r="6"[^>]*>.*?</row>', xml)
        assert match, "openpyxl wrote no row 6"
        template = match.group(0)
        assert 'r="A6"' in template and " s=" in template, template
        rows = "".join(
            template.replace('r="6"', f'r="{n}"').replace('r="A6"', f'r="A{n}"') for n in range(6, LAST_ROW + 1)
        )
        return xml[: match.start()] + rows + xml[match.end() :]

    def change(parts: Parts) -> None:
        parts[SCORES_XML] = repeat_row(parts[SCORES_XML])

    rewrite_parts(path, change)


def test_a_scores_sheet_with_200000_formatted_empty_rows_gives_the_same_ratings(
    inputs: Path, run: Run, tmp_path: Path
) -> None:
    path = inputs / WORKSHOP
    add_formatted_empty_rows(path)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(SCORES_XML).decode("utf-8")
    styled = [(int(row), style) for row, style in re.findall(r'<c r="A(\d+)" s="(\d+)"', xml) if int(row) >= 6]
    assert [row for row, _ in styled] == list(range(6, LAST_ROW + 1))
    assert len({style for _, style in styled}) == 1
    validated = run("validate")
    assert validated.exit_code == 0, validated.output
    assert "Inputs are valid: 4 threats in 4 themes" in validated.output
    assert_no_leak(validated.output)
    scored = run("score")
    assert scored.exit_code == 0, scored.output
    assert scores_and_ratings(tmp_path / "outputs") == EXPECTED


# --- hidden sheets ------------------------------------------------------------------------------


def hide(path: Path, sheet: str, state: str = "hidden") -> None:
    book = load_workbook(path)
    if len(book.sheetnames) == 1:
        book.create_sheet("notes")  # a workbook needs one visible sheet
    book[sheet].sheet_state = state  # type: ignore[assignment]
    book.save(path)


MONTHLY = [(f"2018-{month:02d}", 90) for month in range(4, 13)] + [(f"2019-{month:02d}", 95) for month in (1, 2, 3)]


@pytest.mark.parametrize(
    ("workbook", "sheet", "state"),
    [
        (WORKSHOP, "scores", "hidden"),
        (WORKSHOP, "scores", "veryHidden"),
        (CRIME, "annual", "hidden"),
        (WORKSHOP, "themes", "hidden"),
        (CRIME, "monthly", "hidden"),
    ],
)
def test_a_hidden_sheet_is_read_with_a_warning_naming_the_file_and_sheet(
    inputs: Path, run: Run, tmp_path: Path, workbook: str, sheet: str, state: str
) -> None:
    write_crime(inputs, extra={"monthly": (("month", "All crime"), MONTHLY)})  # twelve months: no gap warning
    hide(inputs / workbook, sheet, state)
    result = run("score")
    assert result.exit_code == 0, result.output
    assert scores_and_ratings(tmp_path / "outputs") == EXPECTED
    with (tmp_path / "outputs" / YEAR_FOLDER / "data" / "monthly.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 12  # the monthly sheet was read, hidden or not
    warnings = [line for line in warning_lines(result.output) if line.startswith(f"{workbook} › {sheet}: ")]
    assert len(warnings) == 1 and "hidden" in warnings[0], result.output


# --- an output folder that cannot be written ----------------------------------------------------


@pytest.mark.parametrize("command", [("score",), ("generate", "--no-pdf")], ids=["score", "generate"])
def test_an_output_folder_under_a_file_exits_2_naming_the_folder(
    inputs: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    write_settings(inputs, plan_on_a_page=PLAN)
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    outputs = blocker / "out"
    result = invoke(inputs, outputs, *command)
    assert result.exit_code == 2, result.output
    assert str(outputs) in result.output
    assert_no_leak(result.output)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_an_output_folder_that_is_a_file_exits_2_naming_it(inputs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    result = invoke(inputs, blocker, "score")
    assert result.exit_code == 2, result.output
    assert str(blocker) in result.output
    assert_no_leak(result.output)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


# --- nothing lost when a run is killed ----------------------------------------------------------


def start_generate(inputs: Path, outputs: Path, log: Path) -> BaseProcess:
    """``generate --no-pdf`` as a program of its own in its own session (so its workers can be cleaned up).

    Forked from a server with the program loaded (tests/forked.py); its standard error is written to ``log``.
    """
    arguments = ["generate", "--no-pdf", "--inputs", str(inputs), "--outputs", str(outputs)]
    return start_forked(run_cli, arguments, log=log, out=log.with_name("stdout.txt"), session=True)


def wait_for_staging(outputs: Path, process: BaseProcess, log: Path, limit: float = 90.0) -> Path:
    """The run's staging folder, once it holds a file (the run has started writing)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        for folder in outputs.glob(f".{YEAR_FOLDER}-staging-{process.pid}-*"):
            if any(path.is_file() for path in folder.rglob("*")):
                return folder
        if process.exitcode is not None:
            stderr = log.read_text(encoding="utf-8")
            pytest.fail(f"the run ended (exit {process.exitcode}) before it was seen writing:\n{stderr}")
        time.sleep(0.005)
    pytest.fail(f"no staging folder with a file appeared within {limit:.0f} s")


def stop_group(process: BaseProcess) -> None:
    """Kill whatever is left of a run started by ``start_generate`` (its chart workers), and reap it."""
    assert process.pid is not None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the session start_generate opened: its group id is its pid
    process.join(30)


def left_in(outputs: Path) -> set[str]:
    """What is in the outputs folder besides the chart cache."""
    return {path.name for path in outputs.iterdir()} - {".cache"}


def generated_testshire(folder: Path) -> tuple[Path, Path]:
    """Testshire (with a plan) generated once into ``folder/outputs`` (no PDF), then the chart cache removed.

    Without the cache, the next run draws its charts again, so it is still
    writing when it is stopped.
    """
    inputs = write_inputs(folder / "inputs")
    write_settings(inputs, plan_on_a_page=PLAN)
    outputs = folder / "outputs"
    first = invoke(inputs, outputs, "generate", "--no-pdf")
    assert first.exit_code == 0, first.output
    shutil.rmtree(outputs / ".cache", ignore_errors=True)
    return inputs, outputs


def test_a_run_killed_while_writing_leaves_the_previous_outputs_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    inputs, outputs = generated_testshire(tmp_path)
    before = file_hashes(outputs / YEAR_FOLDER)
    assert {"strategic_assessment.docx", "plan_on_a_page.docx", "ratings.csv", "manifest.json"} <= set(before)
    log = tmp_path / "stderr.txt"
    process = start_generate(inputs, outputs, log)
    try:
        staging = wait_for_staging(outputs, process, log)
        process.kill()
        process.join(30)
        assert process.exitcode == -signal.SIGKILL
    finally:
        stop_group(process)
    assert staging.is_dir(), "a killed process cannot clean up: its staging folder is left"
    assert file_hashes(outputs / YEAR_FOLDER) == before
    after = invoke(inputs, outputs, "generate", "--no-pdf")
    assert after.exit_code == 0, after.output
    assert left_in(outputs) == {YEAR_FOLDER}, "the abandoned staging folder (or another partial file) is left"
    assert set(file_hashes(outputs / YEAR_FOLDER)) == set(before)


@dataclass(frozen=True)
class Stopped:
    """What a run stopped by SIGTERM while writing left behind."""

    returncode: int
    stderr: str
    left: set[str]
    outputs_unchanged: bool


@pytest.fixture(scope="module")
def stopped_by_sigterm(tmp_path_factory: pytest.TempPathFactory) -> Stopped:
    inputs, outputs = generated_testshire(tmp_path_factory.mktemp("sigterm"))
    before = file_hashes(outputs / YEAR_FOLDER)
    log = outputs.parent / "stderr.txt"
    process = start_generate(inputs, outputs, log)
    try:
        wait_for_staging(outputs, process, log)
        process.terminate()  # SIGTERM
        process.join(60)
        returncode = process.exitcode
    finally:
        stop_group(process)
    assert returncode is not None, "the run did not stop within 60 s of SIGTERM"
    unchanged = file_hashes(outputs / YEAR_FOLDER) == before
    return Stopped(returncode, log.read_text(encoding="utf-8"), left_in(outputs), unchanged)


def test_a_run_stopped_by_sigterm_stops_quietly_and_cleans_up(stopped_by_sigterm: Stopped) -> None:
    stopped = stopped_by_sigterm
    # the program handled the signal (killed by it, the process would leave its staging folder)
    assert stopped.returncode not in (0, -signal.SIGTERM), stopped.stderr
    assert_no_leak(stopped.stderr)
    assert stopped.left == {YEAR_FOLDER}, "a staging folder (or another partial file) is left"
    assert stopped.outputs_unchanged


def test_a_run_stopped_by_sigterm_says_so_and_exits_143(stopped_by_sigterm: Stopped) -> None:
    assert "Stopped; the previous outputs are as they were." in stopped_by_sigterm.stderr
    assert stopped_by_sigterm.returncode == 128 + signal.SIGTERM  # 143, the shell's convention for SIGTERM


# --- security: entity expansion, template paths, formula injection --------------------------------

LAUGHS = "".join(
    f'<!ENTITY lol{level} "{("&lol" + str(level - 1) + ";") * 10}">' for level in range(1, 10)
)  # fmt: skip
BILLION_LAUGHS = f'<!DOCTYPE {{root}} [<!ENTITY lol0 "lol">{LAUGHS}]>'  # &lol9; is 10^9 x "lol"
NAMED_HATE_CRIME = '<!DOCTYPE {root} [<!ENTITY named "Hate crime">]>'  # harmless, but an entity all the same
EXTERNAL = '<!DOCTYPE {root} [<!ENTITY external SYSTEM "file:///etc/hostname">]>'
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STRINGS_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def with_doctype(xml: str, root: str, doctype: str) -> str:
    start = xml.index(f"<{root}")
    return xml[:start] + doctype.replace("{root}", root) + xml[start:]


def replace_a2(parts: Parts, cell: str) -> None:
    """Replace cell A2 of the scores sheet (Hate crime's theme)."""
    parts[SCORES_XML], count = re.subn(r'<c r="A2"[^>]*>.*?</c>', cell, parts[SCORES_XML], count=1)
    assert count == 1


def in_sheet_cell(parts: Parts, doctype: str, text: str) -> None:
    """``text`` as A2's inline string, under ``doctype``, in the scores sheet's XML."""
    parts[SCORES_XML] = with_doctype(parts[SCORES_XML], "worksheet", doctype)
    replace_a2(parts, f'<c r="A2" t="inlineStr"><is><t>{text}</t></is></c>')


def in_shared_strings(parts: Parts, doctype: str, text: str) -> None:
    """``text`` as A2's shared string, in a shared-strings part under ``doctype`` (as Excel stores text)."""
    sst = f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{text}</t></si></sst>'
    parts["xl/sharedStrings.xml"] = with_doctype(sst, "sst", doctype)
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace("</Types>", override + "</Types>")
    relation = f'<Relationship Id="rIdStrings" Type="{STRINGS_RELATION}" Target="sharedStrings.xml"/>'
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace("</Relationships>", relation + "</Relationships>")
    replace_a2(parts, '<c r="A2" t="s"><v>0</v></c>')


def in_workbook(parts: Parts, doctype: str, text: str) -> None:
    """``text`` as the scores sheet's name, in the workbook part under ``doctype``."""
    xml = with_doctype(parts["xl/workbook.xml"], "workbook", doctype)
    assert xml.count('name="scores"') == 1
    parts["xl/workbook.xml"] = xml.replace('name="scores"', f'name="{text}"')


Placing = Callable[[Parts, str, str], None]


@pytest.mark.parametrize(
    ("place", "doctype", "reference"),
    [
        (in_sheet_cell, BILLION_LAUGHS, "&lol9;"),
        (in_sheet_cell, NAMED_HATE_CRIME, "&named;"),
        (in_sheet_cell, EXTERNAL, "&external;"),
        (in_shared_strings, BILLION_LAUGHS, "&lol9;"),
        (in_workbook, BILLION_LAUGHS, "&lol9;"),
    ],
    ids=["laughs-in-sheet", "named-entity-in-sheet", "external-entity-in-sheet", "laughs-in-strings", "laughs-in-book"],
)
def test_xml_declaring_entities_is_refused_naming_the_file(
    inputs: Path, run: Run, tmp_path: Path, place: Placing, doctype: str, reference: str
) -> None:
    rewrite_parts(inputs / WORKSHOP, lambda parts: place(parts, doctype, reference))
    for command in ("validate", "score"):
        result = run(command)
        assert result.exit_code == 2, result.output
        assert_no_leak(result.output)
        problems = problem_lines(result.output)
        assert any(line.startswith(f"{WORKSHOP}: ") or line.startswith(f"{WORKSHOP} › ") for line in problems), (
            result.output
        )
    assert not (tmp_path / "outputs").exists()


@pytest.mark.parametrize(
    ("place", "text"),
    [(in_sheet_cell, "Hate crime"), (in_shared_strings, "Hate crime"), (in_workbook, "scores")],
    ids=["sheet", "strings", "book"],
)
def test_the_same_surgery_without_entities_gives_a_good_workbook(
    inputs: Path, run: Run, tmp_path: Path, place: Placing, text: str
) -> None:
    """Control: each rewritten package is a good workbook; only the entity declarations make it refused."""
    rewrite_parts(inputs / WORKSHOP, lambda parts: place(parts, "", text))
    result = run("score")
    assert result.exit_code == 0, result.output
    assert scores_and_ratings(tmp_path / "outputs") == EXPECTED


def test_the_named_entity_sheet_means_the_same_to_a_parser_that_expands_entities(inputs: Path) -> None:
    """Control: the standard library parser (no defusedxml) reads the named entity as A2's own text."""
    rewrite_parts(inputs / WORKSHOP, lambda parts: in_sheet_cell(parts, NAMED_HATE_CRIME, "&named;"))
    with zipfile.ZipFile(inputs / WORKSHOP) as archive:
        root = StandardElementTree.fromstring(archive.read(SCORES_XML))
    (cell,) = [c for c in root.iter(f"{{{MAIN}}}c") if c.get("r") == "A2"]
    assert "".join(cell.itertext()) == "Hate crime"


@pytest.mark.parametrize("name", ["../pyproject.toml", str(ROOT / "pyproject.toml")], ids=["relative", "absolute"])
def test_a_template_outside_the_templates_folder_is_refused(name: str) -> None:
    assert (ROOT / "pyproject.toml").is_file()
    with pytest.raises(InputError):
        render.template_path(name)


def test_a_template_in_the_templates_folder_is_found_and_a_missing_one_refused() -> None:
    """Controls for the test above: names inside the folder still load; a missing one is an InputError."""
    assert render.template_path("strategic_assessment.docx") == ROOT / "templates" / "strategic_assessment.docx"
    with pytest.raises(InputError):
        render.template_path("no_such_template.docx")


AT_THEME = "@Hate crime"  # a spreadsheet runs @ as a function call
DASH_REASON = "-5% in reports hides rising harm"  # and - as a formula


def test_text_starting_at_or_minus_is_written_as_text(inputs: Path, run: Run, tmp_path: Path) -> None:
    scores = replace_row(SCORE_ROWS, 0, theme=AT_THEME)
    scores = replace_row(scores, COUNTY_LINES, override_rating="High", override_reason=DASH_REASON)
    themes = [(AT_THEME, *row[1:]) if row[0] == "Hate crime" else row for row in THEME_ROWS]
    write_workbook(inputs / WORKSHOP, {"scores": (SCORE_HEADER, scores), "themes": (THEME_HEADER, themes)})
    result = run("score")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "outputs" / YEAR_FOLDER
    rows = read_ratings(tmp_path / "outputs")
    assert rows["Hate crime"]["theme"] == "'" + AT_THEME
    assert rows["County lines"]["override_reason"] == "'" + DASH_REASON
    assert rows["County lines"]["final_rating"] == "High"
    book = load_workbook(folder / "ratings.xlsx")
    sheet = book["ratings"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in (AT_THEME, DASH_REASON):
        found = cells.get(text) or cells.get("'" + text)
        assert found is not None, f"{text!r} not in ratings.xlsx"
        assert found.data_type == "s"
    with zipfile.ZipFile(folder / "ratings.xlsx") as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_templates_render_with_xml_escaping_on() -> None:
    template = render.jinja_environment().from_string("<w:t>{{ text }}</w:t>")
    assert template.render(text='<w:br/> & "x"') == "<w:t>&lt;w:br/&gt; &amp; &#34;x&#34;</w:t>"


UNSAFE_BUILTINS = {"eval", "exec", "compile", "__import__"}
UNSAFE_YAML = {"unsafe_load", "full_load", "load_all", "unsafe_load_all", "full_load_all"}
PACKAGE = ROOT / "src" / "strategic_assessment"


def unsafe_calls(source: str) -> list[str]:
    """Calls of eval, exec and friends, and of yaml's loaders that can build any object, in Python source.

    ``yaml.load`` is listed with its ``Loader`` (``yaml.load:_Loader``): it is safe only with a SafeLoader.
    Source that holds none of the names (each such call spells one out) is not parsed.
    """
    if not any(name in source for name in (*UNSAFE_BUILTINS, "yaml")):
        return []
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in UNSAFE_BUILTINS:
            found.append(function.id)
        elif (
            isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and function.value.id == "yaml"
        ):
            if function.attr in UNSAFE_YAML:
                found.append(f"yaml.{function.attr}")
            elif function.attr == "load":
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                found.append(f"yaml.load:{ast.unparse(loader) if loader is not None else ''}")
    return found


def is_safe_loader(module: str, loader: str) -> bool:
    """A yaml.load Loader named in a module of the package is the SafeLoader or built on it."""
    if loader.startswith("yaml."):
        value = getattr(yaml, loader.removeprefix("yaml."), None)
    else:
        value = vars(importlib.import_module(module)).get(loader)
    return isinstance(value, type) and issubclass(value, yaml.SafeLoader)


def test_no_eval_exec_or_unsafe_yaml_in_the_package() -> None:
    paths = sorted(PACKAGE.rglob("*.py"))
    assert len(paths) > 10
    unsafe = {}
    for path in paths:
        module = ".".join(("strategic_assessment", *path.relative_to(PACKAGE).with_suffix("").parts))
        calls = unsafe_calls(path.read_text(encoding="utf-8"))
        calls = [c for c in calls if not (c.startswith("yaml.load:") and is_safe_loader(module, c.split(":")[1]))]
        if calls:
            unsafe[module] = calls
    assert unsafe == {}


def test_the_unsafe_call_finder_is_not_blind() -> None:
    source = (
        "import re, yaml\nx = eval('1')\nyaml.load(s)\nyaml.load(s, Loader=yaml.Loader)\n"
        "yaml.load(s, Loader=yaml.SafeLoader)\nyaml.safe_load(s)\nyaml.unsafe_load(s)\nre.compile('x')\n"
    )
    calls = unsafe_calls(source)
    assert unsafe_calls("import re\nx = re.sub('a', 'b', 'c')\n") == []
    assert calls == ["eval", "yaml.load:", "yaml.load:yaml.Loader", "yaml.load:yaml.SafeLoader", "yaml.unsafe_load"]
    assert [is_safe_loader("strategic_assessment.yamlfile", c.split(":")[1]) for c in calls[1:4]] == [
        False,
        False,
        True,
    ]


# --- property tests -------------------------------------------------------------------------------

# Each example writes real workbooks and runs the program: a failure is reported as found, not shrunk
# (shrinking a failing document example took minutes).
NO_SHRINKING = (Phase.explicit, Phase.reuse, Phase.generate)
SPECIAL = ["&", "<", ">", '"', "'", "ŵ", "ŷ", "Ŵ", "Ŷ", "🐉", "🚓", "\u200d", "£", "€"]
# Printable text: no control characters, surrogates, unassigned code points or line/paragraph separators;
# no Markdown marks, which the narrative turns into Word formatting (README, "Inputs"): emphasis
# (* _), links ([), bullet dots, code (`), escapes (\\) and fences (~); nor, at the start, a quote (>) or a
# heading (#).
PRINTABLE = st.characters(
    exclude_categories=("Cc", "Cs", "Cn", "Co", "Zl", "Zp"),
    exclude_characters="*_[•`\\~",
)
LIST_ITEM = re.compile(r"^([-+]|\d{1,9}[.)])(\s|$)")  # a bullet or numbered item, empty or not
BLOCK_MARK = re.compile(r"^(>|#{1,6}(\s|$))")  # a quote or a heading
RULE = re.compile(r"^(-\s*){3,}$")  # a thematic break
ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")  # &amp; is read as "&"
AUTOLINK = re.compile(r"<[^<>\s]*[:@][^<>\s]*>")  # <scheme:...> and <name@host> are links


def plain_narrative(text: str) -> bool:
    """Text a person could type as a narrative sentence: no edge spaces, no Markdown, not a formula."""
    if not text or text != text.strip() or text.startswith("="):
        return False
    marked = LIST_ITEM.match(text) or BLOCK_MARK.match(text) or RULE.match(text)
    return not (marked or ENTITY.search(text) or AUTOLINK.search(text))


NARRATIVE = st.text(st.one_of(st.sampled_from(SPECIAL), PRINTABLE), min_size=1, max_size=40).filter(plain_narrative)


@pytest.fixture(scope="module")
def narrative_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every example: the chart cache under its outputs is reused, so each run is quick."""
    return tmp_path_factory.mktemp("narrative")


THEMES = [row[0] for row in THEME_ROWS]


# Each example carries five texts (the introduction and each theme's impact) through one run: five examples
# are 25 texts through the workbook and the command line, as thirteen examples of two texts were.
@settings(max_examples=4, deadline=None, phases=NO_SHRINKING, suppress_health_check=[HealthCheck.too_slow])
@given(introduction=NARRATIVE, impacts=st.lists(NARRATIVE, min_size=len(THEMES), max_size=len(THEMES)))
@example(
    introduction='Fish & chips <served> "hot" 🚓 ŵ ŷ',
    impacts=['Harm  to "families" & <children> 🐉 Ŵ Ŷ', "£5 & €5", "'quoted' <b>", "Ŵ\u200dŶ"],
)
def test_any_narrative_text_survives_into_the_document(
    narrative_folder: Path, _testshire_inputs: Path, introduction: str, impacts: list[str]
) -> None:
    inputs = narrative_folder / "inputs"
    if not inputs.exists():  # the crime workbook is the same in every example; the others are written below
        shutil.copytree(_testshire_inputs, inputs)
    write_settings(inputs, introduction=introduction)
    themes = [(*row[:3], impact, *row[4:]) for row, impact in zip(THEME_ROWS, impacts, strict=True)]
    write_workbook(inputs / WORKSHOP, {"scores": (SCORE_HEADER, SCORE_ROWS), "themes": (THEME_HEADER, themes)})
    outputs = narrative_folder / "outputs"
    result = invoke(inputs, outputs, "generate", "--only", "assessment", "--no-pdf")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(outputs / YEAR_FOLDER / "strategic_assessment.docx"))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert introduction in paragraphs
    for theme, impact in zip(THEMES, impacts, strict=True):
        assert impact in paragraphs, theme


def morile_score(values: dict[str, int]) -> int:
    harm = values["physical"] + values["psychological"] + values["financial"] + values["community"]
    rest = values["trend"] + values["knowledge_gaps"] + values["capacity"] + values["capability"]
    return harm * values["frequency"] + rest


def morile_rating(score: int) -> str:
    return "High" if score >= 30 else "Moderate" if score >= 16 else "Standard"


def test_the_hand_formula_gives_the_worked_examples() -> None:
    county_lines = dict(zip(SCORE_HEADER, SCORE_ROWS[COUNTY_LINES], strict=True))
    score = morile_score({key: county_lines[key] for key in MORILE_FACTORS})
    assert (score, morile_rating(score)) == EXPECTED["County lines"] == (28, "Moderate")
    assert [morile_rating(s) for s in (0, 15, 16, 29, 30, 44)] == ["Standard"] * 2 + ["Moderate"] * 2 + ["High"] * 2


IN_RANGE = st.fixed_dictionaries({key: st.integers(low, high) for key, (low, high) in RANGES.items()})
AS_TYPED = st.sampled_from([int, float, str])  # a number, Excel's float, a number stored as text


# Each example scores every threat of the workshop in one run: four examples are 16 rows scored, as fifteen
# examples of one row were.
@settings(max_examples=4, deadline=None, phases=NO_SHRINKING)
@given(rows=st.lists(st.tuples(IN_RANGE, AS_TYPED), min_size=len(SCORE_ROWS), max_size=len(SCORE_ROWS)))
def test_any_in_range_scores_give_the_morile_score_and_rating(
    _testshire_inputs: Path, rows: list[tuple[dict[str, int], type]]
) -> None:
    scored_rows: list[tuple[Any, ...]] = [tuple(row) for row in SCORE_ROWS]
    for index, (values, typed) in enumerate(rows):
        cells: dict[str, Any] = {key: typed(value) for key, value in values.items()}
        scored_rows = replace_row(scored_rows, index, **cells)
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(shutil.copytree(_testshire_inputs, Path(folder) / "inputs"))  # the Testshire inputs
        write_workshop(inputs, rows=scored_rows)
        result = invoke(inputs, Path(folder) / "outputs", "score")
        assert result.exit_code == 0, result.output
        ratings = read_ratings(Path(folder) / "outputs")
    for row, (values, _) in zip(SCORE_ROWS, rows, strict=True):
        expected = morile_score(values)
        threat = row[SCORE_HEADER.index("threat")]
        assert (int(ratings[threat]["score"]), ratings[threat]["rating"]) == (expected, morile_rating(expected)), threat


@st.composite
def out_of_range(draw: st.DrawFn) -> tuple[str, int]:
    """(factor, score outside the factor's range)."""
    key = draw(st.sampled_from(MORILE_FACTORS))
    low, high = RANGES[key]
    return key, draw(st.one_of(st.integers(-1000, low - 1), st.integers(high + 1, 1000)))


# Each example puts one score out of range in every row, and each must be its own problem naming its cell:
# four examples are 16 cells, as fifteen examples of one cell were.
@settings(max_examples=4, deadline=None, phases=NO_SHRINKING)
@given(cases=st.lists(out_of_range(), min_size=len(SCORE_ROWS), max_size=len(SCORE_ROWS)))
def test_any_out_of_range_score_is_reported_with_its_cell(
    _testshire_inputs: Path, cases: list[tuple[str, int]]
) -> None:
    rows: list[tuple[Any, ...]] = [tuple(row) for row in SCORE_ROWS]
    expected = []
    for index, (key, value) in enumerate(cases):
        rows = replace_row(rows, index, **{key: value})
        low, high = RANGES[key]
        cell = f"{column_letter(key)}{index + 2}"
        expected.append(f"{WORKSHOP} › scores › {cell}: {key} {value} is outside {low}-{high}; ")
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(shutil.copytree(_testshire_inputs, Path(folder) / "inputs"))  # the Testshire inputs
        write_workshop(inputs, rows=rows)
        result = invoke(inputs, Path(folder) / "outputs", "validate")
    assert result.exit_code == 2, result.output
    assert_no_leak(result.output)
    problems = problem_lines(result.output)
    assert len(problems) == len(expected), f"expected {expected!r} in {problems}"
    for start in expected:
        assert [problem for problem in problems if problem.startswith(start)], f"expected {start!r} in {problems}"
