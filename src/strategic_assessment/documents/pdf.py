"""PDF copies of the Word documents through LibreOffice (headless, tagged PDF, one start for all).

LibreOffice runs with its own temporary profile (so a desktop session or a
second run cannot block it) and a time limit: a LibreOffice that hangs is
stopped and reported, and the .docx files are kept.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

# The PDF/UA-1 export: tagged, the PDF/UA identifier and XMP metadata (dc:title from the document's title
# property), the title shown in the window, headings as bookmarks, links kept as link annotations.
PDF_EXPORT_OPTIONS = {
    "UseTaggedPDF": True,
    "PDFUACompliance": True,
    "DisplayPDFDocumentTitle": True,
    "ExportBookmarks": True,
    "ExportLinksRelativeFsys": False,
    "ConvertOOoTargetToPDFTarget": True,
    "ExportNotes": False,
}
TAGGED_PDF = "pdf:writer_pdf_Export:" + json.dumps(
    {name: {"type": "boolean", "value": str(value).lower()} for name, value in PDF_EXPORT_OPTIONS.items()},
    separators=(",", ":"),
)
DEFAULT_TIMEOUT = 180.0


class PdfUnavailable(Exception):
    """LibreOffice is not installed, or did not produce the PDF in time."""


def soffice_path() -> str | None:
    """The LibreOffice command, if there is one on PATH."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(documents: Sequence[Path], folder: Path, timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
    """Convert .docx files to tagged PDF in ``folder`` with one LibreOffice start.

    Raises PdfUnavailable when LibreOffice is missing, fails or takes longer than ``timeout`` seconds.
    """
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed, so no PDF copies were made")
    with tempfile.TemporaryDirectory(prefix="strategic-assessment-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            TAGGED_PDF,
            "--outdir",
            str(folder),
            *[str(path) for path in documents],
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, error = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfUnavailable(
                f"LibreOffice did not finish within {timeout:g} s and was stopped; no PDF copies were made"
            ) from None
    made = [folder / f"{path.stem}.pdf" for path in documents]
    missing = [path.name for path in made if not path.is_file()]
    if process.returncode != 0 or missing:
        detail = error.decode("utf-8", "replace").strip().splitlines()[-1:] if error else []
        raise PdfUnavailable(f"LibreOffice did not write {', '.join(missing) or 'the PDFs'} {' '.join(detail)}".strip())
    return made


def page_count(pdf: Path) -> int:
    """The number of pages of a PDF, read from its page objects."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
