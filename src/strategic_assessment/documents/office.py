"""PDF export through a LibreOffice kept running and driven through its UNO API.

API (stable; ``watch`` and ``make bench`` use it)::

    from strategic_assessment.documents.office import OfficeSession

    with OfficeSession() as office:          # starts LibreOffice in the background
        pdfs = office.convert([docx, ...], folder, timeout=180.0)
        more = office.convert([other], folder, timeout=180.0)   # the start is paid once
    # leaving the block (or office.close()) stops LibreOffice and removes its profile

``convert(documents, folder, timeout) -> list[Path]`` has the contract of
``pdf.convert_to_pdf``: the PDFs ``folder/<stem>.pdf`` in the order of
``documents``, or ``pdf.PdfUnavailable`` when LibreOffice is missing, fails,
takes longer than ``timeout`` seconds (counted from the call, the start
included when it is not over yet), or writes a PDF that does not parse or
has no pages; no PDF is left in ``folder`` then. ``UnoUnavailable`` (a
``PdfUnavailable``) says the system Python has no UNO bridge, and
``pdf_copies`` falls back to one ``soffice --convert-to`` start. After a
failure it starts a fresh LibreOffice at the next ``convert``.

Each document is loaded hidden, its indexes (the contents, with page numbers
and links) and fields are updated, and it is exported with the options of
``pdf.PDF_EXPORT_OPTIONS`` (tagged, PDF/UA, XMP title). LibreOffice's UNO
bridge (``python3-uno``) belongs to the system Python, so the LibreOffice
end is ``office_worker.py`` run by ``/usr/bin/python3``, talking JSON lines
on its stdin and stdout; it and LibreOffice live in a process group that
dies with this process (see ``office_processes``).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from .office_processes import Profile, new_profile, start_guarded, stop_group
from .pdf import DEFAULT_TIMEOUT, PDF_EXPORT_OPTIONS, PdfUnavailable, check_pdfs, convert_to_pdf, expected_pdfs, remove
from .pdf import soffice_path as _soffice_path

UNO_PYTHON = "/usr/bin/python3"  # Debian's python3-uno is importable by this interpreter only


class UnoUnavailable(PdfUnavailable):
    """The system Python cannot drive LibreOffice (no ``uno`` module): use one ``soffice`` start instead."""


class OfficeSession:
    """One LibreOffice, started on creation and kept for every ``convert`` until ``close``."""

    def __init__(self, python: str | None = None) -> None:
        self._python = python or UNO_PYTHON
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._profile: Profile | None = None
        self._buffer = b""
        self._ready = False
        self._unavailable = ""
        self._start()

    def __enter__(self) -> OfficeSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter exit the worker's own guard takes over
            self.close()

    def convert(self, documents: Sequence[Path], folder: Path, timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
        """Export ``documents`` (.docx) as tagged PDF into ``folder``; the PDFs, in order (see the module)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            if self._unavailable:
                raise UnoUnavailable(self._unavailable)
            if self._process is None:
                self._start()
            made = expected_pdfs(documents, folder)
            try:
                if not self._ready:
                    self._wait_ready(deadline, timeout)
                request = {
                    "documents": [str(path.resolve()) for path in documents],
                    "folder": str(folder.resolve()),
                    "filter_data": PDF_EXPORT_OPTIONS,
                }
                answer = self._ask(request, deadline, timeout)
            except BaseException:
                # failed, or the run is stopping (a signal raised here): a LibreOffice left exporting would
                # go on writing into a folder the run is about to remove, so it is stopped first
                self._stop()
                remove(made)
                raise
            if "error" in answer:
                self._stop()  # a LibreOffice that failed once is not trusted with the next document
                remove(made)
                raise PdfUnavailable(f"LibreOffice could not make the PDF copies ({answer['error']})")
            missing = [path.name for path in made if not path.is_file()]
            if missing:
                remove(made)
                raise PdfUnavailable(f"LibreOffice did not write {', '.join(missing)}; no PDF copies were made")
            check_pdfs(made)
            return made

    def close(self) -> None:
        """Stop LibreOffice (its whole process group) and remove its profile; safe to call twice."""
        self._stop()

    # The worker process -------------------------------------------------------------------------------------

    def _start(self) -> None:
        soffice = _soffice_path()
        if soffice is None:
            self._unavailable = ""
            self._process = None
            return
        self._profile = new_profile()
        try:
            self._process = start_guarded(
                "serve", self._profile, [soffice], self._python, stdout=subprocess.PIPE, stdin=subprocess.PIPE
            )
        except OSError as error:
            self._profile.remove()
            self._profile = None
            self._unavailable = f"{self._python} cannot be run to drive LibreOffice ({error.strerror})"
        self._buffer, self._ready = b"", False

    def _stop(self) -> None:
        process, profile = getattr(self, "_process", None), getattr(self, "_profile", None)
        self._process, self._profile, self._ready = None, None, False
        if process is not None:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            stop_group(process)
        if profile is not None:
            profile.remove()

    def _wait_ready(self, deadline: float, timeout: float) -> None:
        answer = self._read(deadline, timeout)
        if "unavailable" in answer:
            self._unavailable = str(answer["unavailable"])
            raise UnoUnavailable(self._unavailable)
        if "error" in answer:
            raise PdfUnavailable(f"LibreOffice did not start ({answer['error']}); no PDF copies were made")
        self._ready = True

    def _ask(self, request: dict[str, Any], deadline: float, timeout: float) -> dict[str, Any]:
        process = self._running()
        assert process.stdin is not None
        try:
            process.stdin.write(json.dumps(request).encode() + b"\n")
            process.stdin.flush()
        except OSError:
            raise PdfUnavailable("LibreOffice stopped unexpectedly; no PDF copies were made") from None
        return self._read(deadline, timeout)

    def _read(self, deadline: float, timeout: float) -> dict[str, Any]:
        """The worker's next line, waiting no later than ``deadline`` (never blocking on the pipe)."""
        process = self._running()
        assert process.stdout is not None
        descriptor = process.stdout.fileno()
        while True:
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PdfUnavailable(
                        f"LibreOffice did not finish within {timeout:g} s and was stopped; no PDF copies were made"
                    )
                readable, _, _ = select.select([descriptor], [], [], left)
                if readable:
                    chunk = os.read(descriptor, 65536)
                    if not chunk:
                        raise PdfUnavailable("LibreOffice stopped unexpectedly; no PDF copies were made")
                    self._buffer += chunk
            line, _, self._buffer = self._buffer.partition(b"\n")
            with contextlib.suppress(ValueError):  # anything else a library printed is not an answer
                answer = json.loads(line)
                if isinstance(answer, dict):
                    return answer

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            raise PdfUnavailable("LibreOffice (soffice) is not installed, so no PDF copies were made")
        return self._process


def pdf_copies(
    documents: Sequence[Path], folder: Path, timeout: float, office: OfficeSession | None = None
) -> list[Path]:
    """The PDF copies of ``documents`` through ``office``, else a LibreOffice started for them.

    A LibreOffice kept for the call is used when the system Python has LibreOffice's UNO bridge, else one
    ``soffice --convert-to`` (``pdf.convert_to_pdf``). Raises PdfUnavailable as they do.
    """
    if office is not None:
        try:
            return office.convert(documents, folder, timeout)
        except UnoUnavailable:
            return convert_to_pdf(documents, folder, timeout)
    try:
        with OfficeSession() as kept:
            return kept.convert(documents, folder, timeout)
    except UnoUnavailable:
        return convert_to_pdf(documents, folder, timeout)


def pdf_copies_made(
    documents: Sequence[Path], folder: Path, timeout: float, office: OfficeSession | None = None
) -> str:
    """Make the PDF copies of ``documents`` (``pdf_copies``) in their tab order for PDF/UA; what the run
    should warn of when they could not be made ("" when they were): every document's route to its PDF."""
    from .pdf_ua import fix_tab_order

    if not documents:
        return ""
    try:
        made = pdf_copies(documents, folder, timeout, office)
    except PdfUnavailable as error:
        written = "the .docx was written" if len(documents) == 1 else "the .docx files were written"
        return f"{error}; {written}"
    for path in made:
        fix_tab_order(path)
    return ""
