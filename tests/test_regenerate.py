"""A regeneration does only what a change touches: documents that would render the same are kept, and
a change that moves no chart does not even import matplotlib.

Testshire (tests/builders.py) is rated by hand there: Hate crime 10 Standard, Domestic abuse 35 High,
Burglary 12 Standard, County lines 28 Moderate.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from strategic_assessment.documents.pdf import soffice_path
from strategic_assessment.pipeline import generate

from .builders import SCORE_ROWS, replace_row, write_settings, write_workshop

ROOT = Path(__file__).resolve().parents[1]
YEAR = "2018-19"


def text_of(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_an_unchanged_run_keeps_both_documents_byte_for_byte(inputs: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    first = generate(inputs, outputs, pdf=False)
    assert first.kept == []
    before = {
        name: (outputs / YEAR / name).read_bytes() for name in ("strategic_assessment.docx", "plan_on_a_page.docx")
    }

    again = generate(inputs, outputs, pdf=False)

    assert sorted(again.kept) == ["plan_on_a_page.docx", "strategic_assessment.docx"]
    assert {name: (outputs / YEAR / name).read_bytes() for name in before} == before
    manifest = json.loads((outputs / YEAR / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["document_keys"]) == set(before)
    assert again.warnings == first.warnings


def test_a_score_that_moves_no_priority_rerenders_the_assessment_only(inputs: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    generate(inputs, outputs, pdf=False)
    # Burglary: harm 5 x frequency 2 + trend 0 + knowledge gaps 0 + capacity 1 + capability 1 -> 0: 11, Standard
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 2, capability=0))

    result = generate(inputs, outputs, pdf=False)

    assert result.kept == ["plan_on_a_page.docx"]
    assert "Standard (11)" in text_of(outputs / YEAR / "strategic_assessment.docx")
    assert "Standard (12)" not in text_of(outputs / YEAR / "strategic_assessment.docx")


def test_a_new_priority_rerenders_the_plan(inputs: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    generate(inputs, outputs, pdf=False)
    assert "County lines" not in text_of(outputs / YEAR / "plan_on_a_page.docx")
    # County lines: harm 11 x frequency 3 + trend 2 + knowledge gaps 2 + response 2 = 39, High: a priority
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, frequency=3))

    result = generate(inputs, outputs, pdf=False)

    assert result.kept == []
    assert "County lines" in text_of(outputs / YEAR / "plan_on_a_page.docx")


def test_a_changed_plan_setting_rerenders_the_plan(inputs: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    generate(inputs, outputs, pdf=False)
    write_settings(inputs, plan_on_a_page={"year": "2019/20", "vision": "A safer Testshire for everyone."})

    generate(inputs, outputs, pdf=False)

    assert "A safer Testshire for everyone." in text_of(outputs / YEAR / "plan_on_a_page.docx")


def test_a_document_missing_from_the_set_is_rendered_again(inputs: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    generate(inputs, outputs, pdf=False)
    (outputs / YEAR / "plan_on_a_page.docx").unlink()

    result = generate(inputs, outputs, pdf=False)

    assert result.kept == ["strategic_assessment.docx"]
    assert "A safe Testshire." in text_of(outputs / YEAR / "plan_on_a_page.docx")


def test_a_document_changed_in_the_outputs_is_rendered_again(inputs: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    generate(inputs, outputs, pdf=False)
    plan = outputs / YEAR / "plan_on_a_page.docx"
    edited = Document(str(plan))
    edited.add_paragraph("A note typed into the published copy.")
    edited.save(str(plan))

    result = generate(inputs, outputs, pdf=False)

    assert result.kept == ["strategic_assessment.docx"]
    assert "A note typed into the published copy." not in text_of(plan)


def _imported_while_regenerating(inputs: Path, outputs: Path, cache: Path) -> set[str]:
    """The modules a fresh process, and any process it starts, imports while regenerating (no PDFs).

    ``-X importtime`` reports every import on standard error, in drawing processes forked from it too.
    """
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[3]);"
        "from strategic_assessment.pipeline import generate;"
        "generate(Path(sys.argv[1]), Path(sys.argv[2]), pdf=False, cache=Path(sys.argv[4]))"
    )
    folders = [str(inputs), str(outputs), str(ROOT / "src"), str(cache)]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *folders],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def test_a_score_that_moves_no_chart_does_not_import_matplotlib(inputs: Path, tmp_path: Path) -> None:
    outputs, cache = tmp_path / "outputs", tmp_path / "cache"  # a chart cache of its own: no drawing shared
    generate(inputs, outputs, pdf=False, cache=cache)
    # Burglary 12 -> 11 keeps its place in the ranking and its band: no chart's data changes
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 2, capability=0))
    assert "matplotlib" not in _imported_while_regenerating(inputs, outputs, cache)

    # the check fails when a chart does move: County lines rises to High, and the ratings chart changes
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, frequency=3))
    assert "matplotlib" in _imported_while_regenerating(inputs, outputs, cache)


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed")
def test_a_kept_document_keeps_its_pdf_and_only_the_other_is_converted(inputs: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    generate(inputs, outputs)
    plan_pdf = (outputs / YEAR / "plan_on_a_page.pdf").read_bytes()
    assessment_pdf = (outputs / YEAR / "strategic_assessment.pdf").read_bytes()
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 2, capability=0))  # Burglary 12 -> 11: no new priority

    result = generate(inputs, outputs)

    assert result.kept == ["plan_on_a_page.docx"]
    assert (outputs / YEAR / "plan_on_a_page.pdf").read_bytes() == plan_pdf
    assert (outputs / YEAR / "strategic_assessment.pdf").read_bytes() != assessment_pdf

    no_pdf = generate(inputs, outputs, pdf=False)  # a run without PDFs keeps none, even of a kept document
    assert sorted(no_pdf.kept) == ["plan_on_a_page.docx", "strategic_assessment.docx"]
    assert not list((outputs / YEAR).glob("*.pdf"))
