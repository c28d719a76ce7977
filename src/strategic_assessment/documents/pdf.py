"""PDF copies of the Word documents through LibreOffice (headless, tagged PDF/UA, one start for all).

``convert_to_pdf`` is the one-off route: one ``soffice --convert-to`` for
all the documents, with its own profile and a time limit. ``office.OfficeSession``
is the kept route (LibreOffice through its UNO API, which updates the
indexes); both keep the same contract and both fill in the contents' page
numbers (the one-off route from a copy whose contents field is unwrapped). LibreOffice runs in a
process group that dies with the run (``office_processes``), its output
goes to a file (a child holding a pipe cannot make the run wait), and the
group is killed when the conversion ends or its time is up.

A PDF is kept only when it parses and has at least one page
(``check_pdfs``): a LibreOffice that writes an empty or broken file is
refused, the PDFs are removed and the .docx files kept.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
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
    """Convert .docx files to tagged PDF in ``folder`` with one LibreOffice start; the PDFs, in order.

    Raises PdfUnavailable when LibreOffice is missing, fails, takes longer than ``timeout`` seconds or
    writes a PDF that does not parse or has no pages (no PDF is left in ``folder`` then).
    """
    from .office_processes import new_profile, start_guarded, stop_group

    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed, so no PDF copies were made")
    made = expected_pdfs(documents, folder)
    profile = new_profile()
    try:
        sources = _with_contents_unwrapped(documents, profile.folder / "documents")
        command = [
            soffice,
            f"-env:UserInstallation={profile.user_installation}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            TAGGED_PDF,
            "--outdir",
            str(folder),
            *[str(path) for path in sources],
        ]
        log_path = profile.folder / "soffice.log"
        with open(log_path, "wb") as log:
            process = start_guarded("guard", profile, command, sys.executable, stdout=log.fileno(), stderr=log.fileno())
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(
                f"LibreOffice did not finish within {timeout:g} s and was stopped; no PDF copies were made"
            ) from None
        finally:
            stop_group(process)  # also whatever it left running
        detail = log_path.read_bytes()[-2000:].decode("utf-8", "replace").strip().splitlines()[-1:]
    finally:
        profile.remove()
    missing = [path.name for path in made if not path.is_file()]
    if returncode != 0 or missing:
        remove(made)
        what = [f"stopped with exit code {returncode}"] if returncode else []
        what += [f"did not write {', '.join(missing)}"] if missing else []
        said = f" (it said: {detail[0][:200]})" if detail else ""
        raise PdfUnavailable(f"LibreOffice {' and '.join(what)}{said}; no PDF copies were made")
    check_pdfs(made)
    return made


def _with_contents_unwrapped(documents: Sequence[Path], folder: Path) -> list[Path]:
    """The documents to convert: a copy in ``folder`` of each that has a contents field, with the field's
    wrapper taken away (``fields.unwrap_contents``) so LibreOffice fills in the entries' page numbers as it
    lays the pages out; the others as they are. The copies keep their names, so the PDFs do too.
    """
    import zipfile

    from lxml import etree

    from .fields import unwrap_contents

    sources = []
    for path in documents:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
            if not unwrap_contents(root):
                sources.append(path)
                continue
            folder.mkdir(parents=True, exist_ok=True)
            copy = folder / path.name
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as unwrapped:
                for item in archive.infolist():
                    if item.filename == "word/document.xml":
                        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                    else:
                        data = archive.read(item)
                    unwrapped.writestr(item, data)
        sources.append(copy)
    return sources


def expected_pdfs(documents: Sequence[Path], folder: Path) -> list[Path]:
    """The PDFs LibreOffice writes for ``documents`` into ``folder``; any old ones there are removed first."""
    made = [folder / f"{path.stem}.pdf" for path in documents]
    remove(made)
    return made


def remove(paths: Sequence[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def check_pdfs(paths: Sequence[Path]) -> None:
    """Raise PdfUnavailable (and remove every one of ``paths``) unless each PDF parses and has a page."""
    problems = [problem for path in paths if (problem := pdf_problem(path))]
    if problems:
        remove(paths)
        raise PdfUnavailable(f"LibreOffice wrote {'; '.join(problems)}, so no PDF copies were made")


def pdf_problem(path: Path) -> str:
    """What is wrong with a PDF LibreOffice wrote ("" when it parses and has at least one page)."""
    import pikepdf

    size = path.stat().st_size
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        reason = str(error).splitlines()[0][:80] if str(error) else type(error).__name__
        return f"{path.name} that is not a readable PDF ({size} bytes: {reason})"
    return "" if pages else f"{path.name} with no pages ({size} bytes)"


def page_count(pdf: Path) -> int:
    """The number of pages of a PDF."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)
