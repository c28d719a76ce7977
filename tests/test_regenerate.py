"""A regeneration does only what a change touches: documents that would render the same are kept, a
change that moves no chart does not even import matplotlib, and a workshop change reads no crime table
again (so its process imports neither pandas nor openpyxl).

Testshire (tests/builders.py) is rated by hand there: Hate crime 10 Standard, Domestic abuse 35 High,
Burglary 12 Standard, County lines 28 Moderate.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from docx import Document

from strategic_assessment.documents.pdf import soffice_path
from strategic_assessment.pipeline import Assessment, GenerateResult, build_assessment, generate

from .builders import (
    ANNUAL_ROWS,
    SCORE_HEADER,
    SCORE_ROWS,
    replace_row,
    write_crime,
    write_settings,
    write_workbook,
    write_workshop,
)

if TYPE_CHECKING:
    from .kept_office import KeptOffice

ROOT = Path(__file__).resolve().parents[1]
YEAR = "2018-19"


def text_of(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


@dataclass(frozen=True)
class FirstRun:
    """The Testshire inputs and the outputs of a first ``generate --no-pdf`` of them, made once for the module."""

    inputs: Path  # the inputs folder the first run read: each test changes it, and it is put back before the next
    outputs: Path  # the first run's outputs folder: each test regenerates into a copy of it
    result: GenerateResult
    original: Path  # the inputs as the first run read them


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory, _testshire_inputs: Path) -> FirstRun:
    root = tmp_path_factory.mktemp("first-run")
    inputs = Path(shutil.copytree(_testshire_inputs, root / "inputs"))
    outputs = root / "outputs"
    return FirstRun(inputs, outputs, generate(inputs, outputs, pdf=False), _testshire_inputs)


@pytest.fixture
def first(first_run: FirstRun, tmp_path: Path) -> tuple[Path, Path]:
    """The first run's inputs (as it read them) and a copy of its outputs: a second run is a regeneration.

    The inputs stay at the path the first run read (a document's key holds the inputs folder it names),
    their files put back as they were; the outputs are copied whole, their kept parsed inputs and the link
    of their chart cache too.
    """
    shutil.rmtree(first_run.inputs)
    shutil.copytree(first_run.original, first_run.inputs)
    outputs = Path(shutil.copytree(first_run.outputs, tmp_path / "outputs", symlinks=True))
    return first_run.inputs, outputs


def test_an_unchanged_run_keeps_both_documents_byte_for_byte(first: tuple[Path, Path], first_run: FirstRun) -> None:
    inputs, outputs = first
    assert first_run.result.kept == []
    before = {
        name: (outputs / YEAR / name).read_bytes() for name in ("strategic_assessment.docx", "plan_on_a_page.docx")
    }

    again = generate(inputs, outputs, pdf=False)

    assert sorted(again.kept) == ["plan_on_a_page.docx", "strategic_assessment.docx"]
    assert {name: (outputs / YEAR / name).read_bytes() for name in before} == before
    manifest = json.loads((outputs / YEAR / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["document_keys"]) == set(before)
    assert again.warnings == first_run.result.warnings


def test_a_score_that_moves_no_priority_rerenders_the_assessment_only(first: tuple[Path, Path]) -> None:
    inputs, outputs = first
    # Burglary: harm 5 x frequency 2 + trend 0 + knowledge gaps 0 + capacity 1 + capability 1 -> 0: 11, Standard
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 2, capability=0))

    result = generate(inputs, outputs, pdf=False)

    assert result.kept == ["plan_on_a_page.docx"]
    assert "Standard (11)" in text_of(outputs / YEAR / "strategic_assessment.docx")
    assert "Standard (12)" not in text_of(outputs / YEAR / "strategic_assessment.docx")


def test_a_new_priority_rerenders_the_plan(first: tuple[Path, Path]) -> None:
    inputs, outputs = first
    assert "County lines" not in text_of(outputs / YEAR / "plan_on_a_page.docx")
    # County lines: harm 11 x frequency 3 + trend 2 + knowledge gaps 2 + response 2 = 39, High: a priority
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, frequency=3))

    result = generate(inputs, outputs, pdf=False)

    assert result.kept == []
    assert "County lines" in text_of(outputs / YEAR / "plan_on_a_page.docx")


def test_a_changed_plan_setting_rerenders_the_plan(first: tuple[Path, Path]) -> None:
    inputs, outputs = first
    write_settings(inputs, plan_on_a_page={"year": "2019/20", "vision": "A safer Testshire for everyone."})

    generate(inputs, outputs, pdf=False)

    assert "A safer Testshire for everyone." in text_of(outputs / YEAR / "plan_on_a_page.docx")


def test_a_document_missing_from_the_set_is_rendered_again(first: tuple[Path, Path]) -> None:
    inputs, outputs = first
    (outputs / YEAR / "plan_on_a_page.docx").unlink()

    result = generate(inputs, outputs, pdf=False)

    assert result.kept == ["strategic_assessment.docx"]
    assert "A safe Testshire." in text_of(outputs / YEAR / "plan_on_a_page.docx")


def test_a_document_changed_in_the_outputs_is_rendered_again(first: tuple[Path, Path]) -> None:
    inputs, outputs = first
    plan = outputs / YEAR / "plan_on_a_page.docx"
    edited = Document(str(plan))
    edited.add_paragraph("A note typed into the published copy.")
    edited.save(str(plan))

    result = generate(inputs, outputs, pdf=False)

    assert result.kept == ["strategic_assessment.docx"]
    assert "A note typed into the published copy." not in text_of(plan)


class _Regenerates:
    """A fresh process that regenerates (no PDFs) each time it is told to, and reports for each run the
    modules it and the processes it starts imported, and the packages it holds itself at the end (the
    drawing and writing processes forked from it hold their own).

    ``-X importtime`` reports every import on standard error (a file here), in processes forked from it
    too; each run's imports are the lines it added. One process serves every run: a run imports again only
    what no earlier run of it imported, so a heavy package a run needs still shows in that run.
    """

    CODE = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[3]);"
        "from strategic_assessment.pipeline import generate\n"
        "for _ in sys.stdin:\n"
        "    generate(Path(sys.argv[1]), Path(sys.argv[2]), pdf=False, cache=Path(sys.argv[4]))\n"
        "    print('held', ' '.join(sorted(sys.modules)), flush=True)\n"
    )

    def __init__(self, inputs: Path, outputs: Path, cache: Path, log: Path) -> None:
        folders = [str(inputs), str(outputs), str(ROOT / "src"), str(cache)]
        self.log = log
        self._errors = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-X", "importtime", "-c", self.CODE, *folders],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )

    def __call__(self) -> tuple[set[str], set[str]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        before = len(self.log.read_text(encoding="utf-8").splitlines())
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        lines = self.log.read_text(encoding="utf-8").splitlines()
        assert line.startswith("held "), "\n".join(lines)
        imported = {entry.rsplit("|", 1)[1].strip() for entry in lines[before:] if entry.startswith("import time:")}
        return imported, {name.split(".")[0] for name in line.split()[1:]}

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        self._errors.close()


def _drawings_of(year: Path, drawings: Path, cache: Path) -> None:
    """Make ``cache`` a chart cache holding the session's drawings of the year's charts, and no other."""
    charts = {path.read_bytes() for path in (year / "charts").iterdir() if path.suffix in (".png", ".svg")}
    cache.mkdir()
    for path in drawings.iterdir():
        if path.suffix in (".png", ".svg") and path.read_bytes() in charts:
            shutil.copyfile(path, cache / path.name)


HEAVY = {"pandas", "pyarrow", "numpy", "openpyxl", "matplotlib"}
"""What a regenerate after a workshop change needs none of in its own process."""


def test_a_score_change_imports_no_pandas_nor_openpyxl_and_matplotlib_only_to_draw(
    inputs: Path, tmp_path: Path, chart_drawings: Path
) -> None:
    outputs, cache = tmp_path / "outputs", tmp_path / "cache"
    cache.mkdir()
    (cache / "charts").symlink_to(chart_drawings, target_is_directory=True)
    generate(inputs, outputs, pdf=False, cache=cache)
    # a chart cache of its own from here, with this set's drawings only: a changed chart is drawn here
    (cache / "charts").unlink()
    _drawings_of(outputs / YEAR, chart_drawings, cache / "charts")
    regenerate = _Regenerates(inputs, outputs, cache, tmp_path / "imports.txt")
    try:
        # Burglary 12 -> 11 keeps its place in the ranking and its band: no chart's data changes
        write_workshop(inputs, rows=replace_row(SCORE_ROWS, 2, capability=0))
        imported, held = regenerate()
        assert "matplotlib" not in imported
        assert held.isdisjoint(HEAVY)

        # County lines rises to High: the ratings charts change, and are drawn in the drawing processes
        write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, frequency=3))
        imported, held = regenerate()
        assert "matplotlib" in imported
        assert held.isdisjoint(HEAVY)
        assert "High (39)" in text_of(outputs / YEAR / "strategic_assessment.docx")

        # the check fails when the crime tables are read: a changed count reads them again, with pandas
        write_crime(inputs, rows=[("All crime", None, None, 1000, 1101), *ANNUAL_ROWS[1:]])
        assert "pandas" in regenerate()[1]
    finally:
        regenerate.close()


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed")
def test_a_kept_document_keeps_its_pdf_and_only_the_other_is_converted(
    inputs: Path, tmp_path: Path, kept_office: KeptOffice
) -> None:
    outputs = tmp_path / "outputs"
    office = kept_office.session  # one LibreOffice for both runs (the tests' kept one), as ``watch`` keeps one
    generate(inputs, outputs, office=office)
    plan_pdf = (outputs / YEAR / "plan_on_a_page.pdf").read_bytes()
    assessment_pdf = (outputs / YEAR / "strategic_assessment.pdf").read_bytes()
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 2, capability=0))  # Burglary 12 -> 11: no new priority

    result = generate(inputs, outputs, office=office)

    assert result.kept == ["plan_on_a_page.docx"]
    assert (outputs / YEAR / "plan_on_a_page.pdf").read_bytes() == plan_pdf
    assert (outputs / YEAR / "strategic_assessment.pdf").read_bytes() != assessment_pdf

    no_pdf = generate(inputs, outputs, pdf=False)  # a run without PDFs keeps none, even of a kept document
    assert sorted(no_pdf.kept) == ["plan_on_a_page.docx", "strategic_assessment.docx"]
    assert not list((outputs / YEAR).glob("*.pdf"))


def _published(year: Path) -> dict[str, object]:
    """Every file of a year's folder but the manifest (which records times): a .docx as its parts' bytes."""
    found: dict[str, object] = {}
    for path in sorted(year.rglob("*")):
        if not path.is_file() or path.name == "manifest.json":
            continue
        name = path.relative_to(year).as_posix()
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as package:
                found[name] = {part: _undated(package.read(part)) for part in package.namelist()}
        elif path.suffix == ".svg":
            found[name] = _numbered_ids(path.read_text(encoding="utf-8"))
        else:
            found[name] = path.read_bytes()
    return found


def _undated(part: bytes) -> bytes:
    """A package part with the times it was made at left out (a workbook records when it was saved)."""
    return re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", part)


def _numbered_ids(svg: str) -> str:
    """An SVG with its element ids numbered in order of first appearance.

    matplotlib names clip paths and glyphs by a hash salted afresh in each process, so two drawings
    of the same chart differ in those names only.
    """
    names: dict[str, str] = {}

    def number(match: re.Match[str]) -> str:
        return match.group(1) + names.setdefault(match.group(2), f"id{len(names)}") + match.group(3)

    return re.sub(r'(id="|#)([A-Za-z][\w.-]*)([")])', number, svg)


def test_a_regenerate_after_a_score_change_writes_what_a_cold_run_writes(
    first: tuple[Path, Path], tmp_path: Path
) -> None:
    inputs, outputs = first  # the first run's parsed inputs, charts and documents are kept for the next run
    # County lines: harm 11 x frequency 3 + trend 2 + knowledge gaps 2 + response 2 = 39, High (was 28, Moderate)
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, frequency=3))

    again = generate(inputs, outputs, pdf=False)
    cold = generate(inputs, tmp_path / "fresh", pdf=False, cache=tmp_path / "fresh-cache")

    regenerated, fresh = _published(outputs / YEAR), _published(tmp_path / "fresh" / YEAR)
    assert sorted(regenerated) == sorted(fresh)
    for name in fresh:
        assert regenerated[name] == fresh[name], name
    assert again.warnings == cold.warnings
    assert "High (39)" in text_of(outputs / YEAR / "strategic_assessment.docx")
    assert "Moderate (28)" not in text_of(outputs / YEAR / "strategic_assessment.docx")
    ratings = (outputs / YEAR / "ratings.csv").read_text(encoding="utf-8")
    assert any(line.startswith("Drugs,County lines") and ",39," in line for line in ratings.splitlines())
    page = (outputs / YEAR / "html" / "strategic_assessment.html").read_text(encoding="utf-8")
    assert "County lines" in page and "39" in page
    assert any(name.startswith("charts/") and name.endswith(".svg") for name in fresh)


class _Counted:
    """A reader wrapped to count its calls."""

    def __init__(self, reader: Callable[..., object]) -> None:
        self.reader = reader
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        return self.reader(*args, **kwargs)


def test_parsed_inputs_are_read_again_when_a_byte_of_any_input_changes(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strategic_assessment import pipeline
    from strategic_assessment.ingest import crime_workbook, workshops
    from strategic_assessment.model import load_model
    from strategic_assessment.settings import load_settings

    readers = {
        "settings": _Counted(load_settings),
        "model": _Counted(load_model),
        "crime": _Counted(crime_workbook.read_crime_workbook),
        "workshops": _Counted(workshops.read_workshops),
    }
    monkeypatch.setattr(pipeline, "load_settings", readers["settings"])
    monkeypatch.setattr(pipeline, "load_model", readers["model"])
    monkeypatch.setattr(crime_workbook, "read_crime_workbook", readers["crime"])
    monkeypatch.setattr(workshops, "read_workshops", readers["workshops"])
    parsed = tmp_path / "parsed"
    shutil.copy(ROOT / "models" / "morile.yaml", inputs / "ours.yaml")
    write_settings(inputs, model="ours.yaml")

    def read() -> tuple[Assessment, dict[str, int]]:
        before = {name: reader.calls for name, reader in readers.items()}
        assessment = build_assessment(inputs, parsed=parsed)
        return assessment, {
            name: reader.calls - before[name] for name, reader in readers.items() if reader.calls > before[name]
        }

    first, calls = read()
    assert calls == {"settings": 1, "model": 1, "crime": 1, "workshops": 1}
    same, calls = read()
    assert calls == {}  # nothing read: every file has the bytes it had
    assert [(r.threat, r.score, r.rating) for r in same.ratings] == [
        (r.threat, r.score, r.rating) for r in first.ratings
    ]

    write_settings(inputs, model="ours.yaml", partnership="Testshire Community Safety Partnershi")
    changed, calls = read()
    assert changed.settings.partnership == "Testshire Community Safety Partnershi"
    assert calls == {"settings": 1, "crime": 1, "workshops": 1}  # the others depend on the settings too

    model = inputs / "ours.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("name: morile", "name: morilf"), encoding="utf-8")
    changed, calls = read()
    assert changed.model.name == "morilf"
    assert calls == {"model": 1, "crime": 1, "workshops": 1}

    rows = [("All crime", None, None, 1000, 1101), *ANNUAL_ROWS[1:]]
    write_crime(inputs, rows=rows)
    changed, calls = read()
    assert calls == {"crime": 1}
    assert changed.figures["all crime"].count_current == 1101

    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, frequency=3))
    changed, calls = read()
    assert calls == {"workshops": 1}
    assert {r.threat: (r.score, r.rating) for r in changed.ratings}["County lines"] == (39, "High")

    (inputs / "previous").mkdir()
    (inputs / "previous" / "ratings.csv").write_text(
        "theme,threat,score,rating\nDrugs,County lines,28,Moderate\n", encoding="utf-8"
    )
    changed, calls = read()
    assert calls == {}  # last year's ratings have a reader of their own, not counted here
    assert [(c.threat, c.previous) for c in changed.changes if c.threat == "County lines"] == [
        ("County lines", "Moderate")
    ]

    for entry in parsed.glob("*.pickle"):  # a damaged entry is read again, never trusted
        entry.write_bytes(b"not a pickle")
    damaged, calls = read()
    assert calls == {"settings": 1, "model": 1, "crime": 1, "workshops": 1}
    assert [(r.threat, r.score) for r in damaged.ratings] == [(r.threat, r.score) for r in changed.ratings]


def test_police_uk_figures_are_kept_until_a_street_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strategic_assessment.ingest import police_uk

    reader = _Counted(police_uk.read_police_uk)
    monkeypatch.setattr(police_uk, "read_police_uk", reader)
    folder = tmp_path / "devon-and-cornwall"
    shutil.copytree(Path(__file__).parent / "data" / "police-uk" / "devon-and-cornwall", folder)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    settings = {
        "partnership": "Safer Plymouth",
        "year": "2015/16",
        "period_end": "2016-03-31",
        "crime_source": "police_uk",
        "police_uk": {"folder": str(folder), "area": "Plymouth", "allow_gaps": True},  # three months held
        "population": {"persons": 1000},
        "asb_row": "Anti-social behaviour",
    }
    (inputs / "assessment.yaml").write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
    burglary = ("Acquisitive", "Burglary", "Burglary", 1, 2, 2, 2, 2, 0, 1, 1, 0, None, None, None)
    write_workbook(inputs / "workshops" / "workshop.xlsx", {"scores": (SCORE_HEADER, [burglary])})
    parsed = tmp_path / "parsed"

    first = build_assessment(inputs, parsed=parsed)
    write_workbook(
        inputs / "workshops" / "workshop.xlsx", {"scores": (SCORE_HEADER, replace_row([burglary], 0, capability=1))}
    )
    same = build_assessment(inputs, parsed=parsed)

    assert reader.calls == 1  # the street files are unchanged: their figures are kept
    assert same.crime == first.crime
    assert same.rating_of("Burglary").factors["capability"].value == 1
    street = folder / "2016-02" / "2016-02-devon-and-cornwall-street.csv"
    lines = street.read_text(encoding="utf-8").splitlines()
    burgled = next(line for line in lines if ",Plymouth " in line and ",Burglary," in line)
    street.write_text("\n".join([*lines, burgled]) + "\n", encoding="utf-8")  # one more burglary in Plymouth
    changed = build_assessment(inputs, parsed=parsed)
    assert reader.calls == 2
    before = first.figures["burglary"].count_current
    assert before is not None and changed.figures["burglary"].count_current == before + 1
