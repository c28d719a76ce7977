"""One LibreOffice kept running for a test worker, shared by the tests that only need a conversion.

A LibreOffice start costs one to two CPU-seconds (a fresh profile makes it
start twice), more than most conversions. The tests about the program's own
start and stop of LibreOffice (``test_office.py``, ``test_watch.py``, the
``worked_example_pdfs`` run, the one ``soffice --convert-to`` route) start
their own; the others share this one (the ``kept_office`` fixture), the way
``watch`` keeps one for every rebuild:

- ``pdfs(documents, folder)``: PDF copies through the program's kept-office
  API (``office.pdf_copies`` with the kept ``OfficeSession``), as ``generate``
  makes them;
- ``making_pdf_copies()``: while in it, a run that would start a LibreOffice
  for its PDF copies (``pdf_copies`` given no office) is given the kept one,
  also in a batch's area worker (forked from this process while the kept
  LibreOffice waits between requests, so it finds the same pipes idle);
- ``save_as(files, target, folder)``: files saved again by LibreOffice as
  .ods, .xls, .xlsx or .docx through the filter ``soffice --convert-to``
  uses, over a UNO connection to the same LibreOffice (``office_client.py``).

Without the UNO bridge each falls back to a LibreOffice started for the call,
as the program does.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

import pytest

from strategic_assessment.documents import office
from strategic_assessment.documents.office import UNO_PYTHON, OfficeSession, UnoUnavailable
from strategic_assessment.documents.pdf import DEFAULT_TIMEOUT, PdfUnavailable, soffice_path

CLIENT = Path(__file__).with_name("office_client.py")
# The export filter ``soffice --convert-to EXTENSION`` picks for a workbook or a Word document.
FILTERS = {"ods": "calc8", "xls": "MS Excel 97", "xlsx": "Calc MS Excel 2007 XML", "docx": "MS Word 2007 XML"}


class KeptOffice:
    """A LibreOffice started at the first conversion and kept until ``close`` (see the module)."""

    def __init__(self, scratch: Path) -> None:
        self.session = OfficeSession()
        self._scratch = scratch  # the folder named in an empty request (nothing is written there)

    def __enter__(self) -> KeptOffice:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def pdfs(self, documents: Sequence[Path], folder: Path, timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
        """The tagged PDF copies of ``documents`` in ``folder``, in order (``office.pdf_copies``)."""
        return office.pdf_copies(documents, folder, timeout, self.session)

    @contextlib.contextmanager
    def making_pdf_copies(self) -> Iterator[None]:
        """Within: the program's PDF copies made without an office of their own are made by this one."""
        original, session = office.pdf_copies, self.session

        def through_kept(
            documents: Sequence[Path], folder: Path, timeout: float, given: OfficeSession | None = None
        ) -> list[Path]:
            return original(documents, folder, timeout, given or session)

        with contextlib.suppress(PdfUnavailable):  # started and answering before a batch forks its workers
            self._answering()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(office, "pdf_copies", through_kept)
            yield

    def save_as(self, files: Sequence[Path], target: str, folder: Path) -> list[Path]:
        """``files`` saved by LibreOffice as ``target`` (ods, xls, xlsx, docx) into ``folder``, in order."""
        folder.mkdir(parents=True, exist_ok=True)
        saved = [folder / f"{path.stem}.{target}" for path in files]
        pipe = self._answering()
        if pipe is None:
            return _save_with_own_start(files, target, folder, saved)
        jobs = [[str(path), str(made), FILTERS[target]] for path, made in zip(files, saved, strict=True)]
        try:
            result = subprocess.run(
                [UNO_PYTHON, str(CLIENT), pipe],
                input=json.dumps(jobs),
                capture_output=True,
                text=True,
                timeout=DEFAULT_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            self.close()  # a LibreOffice stuck on a file is not kept for the next test
            raise
        if result.returncode != 0:
            self.close()
            raise AssertionError(f"LibreOffice did not save the files as .{target}: {result.stderr.strip()}")
        return saved

    def _answering(self) -> str | None:
        """The kept LibreOffice's UNO pipe, once it answers (a fresh one if it had stopped); None without UNO."""
        for attempt in range(2):
            try:
                self.session.convert([], self._scratch, DEFAULT_TIMEOUT)  # nothing to convert: waits for the start
            except UnoUnavailable:
                return None
            except PdfUnavailable:
                if attempt or soffice_path() is None:
                    raise
                continue  # it had stopped: the next request starts a fresh one
            profile = self.session._profile  # the session's own profile, whose pipe its LibreOffice accepts UNO on
            if profile is not None:
                return profile.pipe
        raise PdfUnavailable("the kept LibreOffice did not start")


def _save_with_own_start(files: Sequence[Path], target: str, folder: Path, saved: list[Path]) -> list[Path]:
    """``soffice --convert-to`` with a profile of its own, where the system Python has no UNO bridge."""
    soffice = soffice_path()
    assert soffice is not None
    profile = (folder / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", f"{target}:{FILTERS[target]}"]
    subprocess.run(
        [*command, "--outdir", str(folder), *map(str, files)], check=True, capture_output=True, timeout=DEFAULT_TIMEOUT
    )
    assert all(path.is_file() for path in saved), list(folder.iterdir())
    return saved
