"""PDF copies through LibreOffice: tagged, the Plan on a Page on one A4 landscape page, and safe failure.

The tests that convert for real need LibreOffice (``soffice``) and poppler
(``pdfinfo``, ``pdftotext``) and are skipped without them. A LibreOffice that
hangs (a fake ``soffice`` that sleeps) or is missing must not stop the run:
the .docx files are still written, with a warning, and no PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from strategic_assessment.cli import cli

from .builders import TESTSHIRE_PLAN, write_settings

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
YEAR_FOLDER = "2018-19"
PLAN = TESTSHIRE_PLAN
# SPEC §6.1 section headings as they appear in the worked example.
SECTION_HEADINGS = (
    "Contents",
    "Introduction",
    "Acknowledgements",
    "Area overview",
    "Quick facts",
    "Neighbourhoods with the highest rates",
    "Crime trends",
    "Crime table",
    "Analysis findings",
    "Domestic abuse & sexual violence",
    "Road traffic collisions",
    "Appendix A: understanding threat, risk and harm",
    "Appendix B: changes, disagreements and data sources",
)
A4_POINTS = (595.28, 841.89)  # 210 mm x 297 mm

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and poppler (pdfinfo, pdftotext) on PATH to make and read the PDFs",
)


def pdf_info(path: Path) -> dict[str, str]:
    """``pdfinfo``'s fields, e.g. {"Pages": "1", "Tagged": "yes", "Page size": "841.89 x 595.276 pts (A4)"}."""
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in output.splitlines())}


def pdf_text(path: Path) -> str:
    command = ["pdftotext", "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def generate_cli(inputs: Path, outputs: Path, *options: str) -> Result:
    return CliRunner().invoke(
        cli, ["generate", "--inputs", str(inputs), "--outputs", str(outputs), *options], catch_exceptions=False
    )


# Real LibreOffice on the worked example --------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_pdfs(worked_example_pdfs: Path) -> Path:
    """``generate`` with PDF copies on the worked example (once for the session); the year's folder."""
    assert worked_example_pdfs.name == YEAR_FOLDER
    return worked_example_pdfs


@needs_libreoffice
@pytest.mark.libreoffice
def test_plan_on_a_page_is_one_a4_landscape_page(example_pdfs: Path) -> None:
    info = pdf_info(example_pdfs / "plan_on_a_page.pdf")
    assert info["Pages"] == "1"
    size = re.match(r"([\d.]+) x ([\d.]+) pts", info["Page size"])
    assert size, info["Page size"]
    width, height = float(size[1]), float(size[2])
    assert width > height, "not landscape"
    assert (round(height, 0), round(width, 0)) == (round(A4_POINTS[0], 0), round(A4_POINTS[1], 0)), "not A4"


@needs_libreoffice
@pytest.mark.libreoffice
def test_plan_on_a_page_pdf_shows_its_content(example_pdfs: Path) -> None:
    text = " ".join(pdf_text(example_pdfs / "plan_on_a_page.pdf").split())
    for words in ("Safer Plymouth Plan on a Page 2020/21", "A city where people and communities feel safe", "23,729"):
        assert words in text


@needs_libreoffice
@pytest.mark.libreoffice
def test_strategic_assessment_pdf_is_tagged(example_pdfs: Path) -> None:
    info = pdf_info(example_pdfs / "strategic_assessment.pdf")
    assert info["Tagged"] == "yes"
    assert int(info["Pages"]) > 10
    assert "strategic assessment of threat, risk and harm 2018/19" in info["Title"]


@needs_libreoffice
@pytest.mark.libreoffice
def test_strategic_assessment_pdf_has_every_section(example_pdfs: Path) -> None:
    lines = [" ".join(line.split()) for line in pdf_text(example_pdfs / "strategic_assessment.pdf").splitlines()]
    # a heading is a line of its own, or two when it wraps
    candidates = [(line, f"{line} {following}") for line, following in zip(lines, [*lines[1:], ""], strict=True)]
    missing = [heading for heading in SECTION_HEADINGS if not any(heading in pair for pair in candidates)]
    assert missing == []
    # the headings in the body come in order (the contents page lists them first, with dot leaders)
    start = lines.index("Introduction", lines.index("Contents") + 1)
    body = candidates[start:]
    after_contents = [next((i for i, pair in enumerate(body) if h in pair), -1) for h in SECTION_HEADINGS[2:]]
    assert -1 not in after_contents and after_contents == sorted(after_contents)


@needs_libreoffice
@pytest.mark.libreoffice
def test_manifest_lists_the_pdfs(example_pdfs: Path) -> None:
    import json

    outputs = json.loads((example_pdfs / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert "strategic_assessment.pdf" in outputs
    assert "plan_on_a_page.pdf" in outputs


# LibreOffice hanging or missing ----------------------------------------------------------------------------


@pytest.fixture
def testshire(inputs: Path) -> Path:
    """The Testshire inputs with a Plan on a Page section, so that both documents are written."""
    write_settings(inputs, plan_on_a_page=PLAN)
    return inputs


def fake_soffice(folder: Path) -> Path:
    """A ``soffice`` that never finishes; it leaves a file ``started`` beside itself when run."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"#!/bin/sh\ntouch '{folder / 'started'}'\nsleep 60\n", encoding="utf-8")
    script.chmod(0o755)
    return folder


def assert_documents_without_pdfs(folder: Path) -> None:
    assert (folder / "strategic_assessment.docx").is_file()
    assert (folder / "plan_on_a_page.docx").is_file()
    assert list(folder.glob("*.pdf")) == []


def test_a_hanging_libreoffice_is_stopped_and_the_documents_kept(
    testshire: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_soffice(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ.get('PATH', '')}")
    started = time.perf_counter()
    result = generate_cli(testshire, tmp_path / "outputs", "--pdf-timeout", "0.5")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert (fake / "started").exists(), "the fake soffice was not run"
    assert "LibreOffice did not finish within 0.5 s" in result.stderr
    assert elapsed < 30, f"the run took {elapsed:.0f} s: LibreOffice was not stopped at the time limit"
    assert_documents_without_pdfs(tmp_path / "outputs" / YEAR_FOLDER)


def test_a_missing_libreoffice_gives_one_warning_and_the_documents(
    testshire: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = generate_cli(testshire, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "LibreOffice" in line]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("Warning:")
    assert "not installed" in warnings[0]
    assert_documents_without_pdfs(tmp_path / "outputs" / YEAR_FOLDER)


def test_no_pdf_skips_libreoffice_entirely(testshire: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_soffice(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ.get('PATH', '')}")
    result = generate_cli(testshire, tmp_path / "outputs", "--no-pdf", "--pdf-timeout", "2")
    assert result.exit_code == 0, result.output
    assert not (fake / "started").exists(), "soffice was started although --no-pdf was given"
    assert "LibreOffice" not in result.stderr
    assert_documents_without_pdfs(tmp_path / "outputs" / YEAR_FOLDER)
