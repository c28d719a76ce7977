"""A run stopped while something is still writing into its staging folder leaves no staging folder behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import docx
import pytest

from strategic_assessment import staging
from strategic_assessment.documents import office
from strategic_assessment.documents.office import OfficeSession


def test_a_file_written_into_the_staging_folder_as_it_is_removed_does_not_keep_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "outputs" / "2018-19"
    removals: list[Path] = []
    remove = shutil.rmtree

    def late_writer(path: Any, ignore_errors: bool = False) -> None:
        remove(path, ignore_errors=ignore_errors)
        removals.append(Path(path))
        if len(removals) == 1:  # a PDF that a stopped LibreOffice was still closing lands just after
            Path(path).mkdir()
            (Path(path) / "strategic_assessment.pdf").write_bytes(b"%PDF-")

    monkeypatch.setattr(shutil, "rmtree", late_writer)
    with pytest.raises(KeyboardInterrupt), staging.staged_folder(target) as folder:
        (folder / "strategic_assessment.docx").write_bytes(b"PK")
        raise KeyboardInterrupt
    assert len(removals) == 2
    assert not os.path.lexists(folder) and not target.exists()
    assert [path.name for path in (tmp_path / "outputs").iterdir()] == []


def _group_gone(group: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


@pytest.mark.libreoffice
@pytest.mark.skipif(
    shutil.which("soffice") is None
    or not Path(office.UNO_PYTHON).exists()
    or subprocess.run([office.UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0,
    reason=f"needs LibreOffice and its UNO bridge (python3-uno) importable by {office.UNO_PYTHON}",
)
def test_a_signal_during_a_conversion_stops_the_kept_libreoffice_before_the_run_unwinds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / "one.docx"
    made = docx.Document()
    made.add_paragraph("One line.")
    made.save(str(document))
    with OfficeSession() as session:
        process = session._process
        assert process is not None

        def interrupted(request: dict[str, Any], deadline: float, timeout: float) -> dict[str, Any]:
            raise KeyboardInterrupt  # as the handler of SIGINT raises while the export is under way

        monkeypatch.setattr(session, "_ask", interrupted)
        # the export is asked for at once, not after LibreOffice has loaded: the block that stops it is the
        # same, and the test does not wait the seconds LibreOffice takes to start
        monkeypatch.setattr(session, "_ready", True)
        with pytest.raises(KeyboardInterrupt):
            session.convert([document], tmp_path)
        # killed at once, not when the session is left: it can write nothing more into the run's folder
        assert process.poll() is not None
        assert _group_gone(process.pid, within=2.0)
        assert not (tmp_path / "one.pdf").exists()
