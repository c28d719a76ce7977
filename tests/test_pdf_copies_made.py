"""Every document (the assessment and plan, a data pack, the performance update) reaches its PDF one way."""

from __future__ import annotations

from pathlib import Path

import pytest

from strategic_assessment.documents import office


def test_without_libreoffice_the_warning_says_which_documents_were_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    one, two = tmp_path / "performance_update.docx", tmp_path / "plan_on_a_page.docx"
    assert office.pdf_copies_made([one], tmp_path, 5) == (
        "LibreOffice (soffice) is not installed, so no PDF copies were made; the .docx was written"
    )
    assert office.pdf_copies_made([one, two], tmp_path, 5) == (
        "LibreOffice (soffice) is not installed, so no PDF copies were made; the .docx files were written"
    )
    assert office.pdf_copies_made([], tmp_path, 5) == ""


def test_made_copies_have_their_tab_order_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = [tmp_path / "performance_update.pdf"]
    ordered: list[Path] = []
    monkeypatch.setattr(office, "pdf_copies", lambda documents, folder, timeout, kept=None: made)
    monkeypatch.setattr("strategic_assessment.documents.pdf_ua.fix_tab_order", ordered.append)
    assert office.pdf_copies_made([tmp_path / "performance_update.docx"], tmp_path, 5) == ""
    assert ordered == made
