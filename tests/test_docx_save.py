"""A rendered document is saved with python-docx's parts, its pictures stored rather than deflated again."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from strategic_assessment.documents import docx_save
from strategic_assessment.documents.docx_save import save_docx


def png(width: int, height: int) -> bytes:
    """A grey PNG of this size, written by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([128, 128, 128]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def document() -> object:
    made = Document()
    made.add_paragraph("Burglary fell by a tenth.")
    made.add_picture(io.BytesIO(png(40, 20)), width=Mm(40))
    return made


def members(path: Path) -> dict[str, tuple[int, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: (info.compress_type, archive.read(info)) for info in archive.infolist()}


def test_the_parts_are_python_docxs_with_the_pictures_stored(document: object, tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.docx", tmp_path / "theirs.docx"
    save_docx(document, ours)
    document.save(str(theirs))  # type: ignore[attr-defined]
    saved, expected = members(ours), members(theirs)
    assert list(saved) == list(expected)  # the same parts, in the same order
    assert {name: data for name, (_, data) in saved.items()} == {name: data for name, (_, data) in expected.items()}
    pictures = [name for name in saved if name.startswith("word/media/")]
    assert pictures == ["word/media/image1.png"]
    assert {name: kind for name, (kind, _) in saved.items() if name in pictures} == {pictures[0]: zipfile.ZIP_STORED}
    assert saved["word/document.xml"][0] == zipfile.ZIP_DEFLATED
    assert all(kind == zipfile.ZIP_DEFLATED for name, (kind, _) in saved.items() if name.endswith((".xml", ".rels")))
    reopened = Document(str(ours))
    assert reopened.paragraphs[0].text == "Burglary fell by a tenth."
    assert len(reopened.inline_shapes) == 1


def test_without_python_docxs_writer_internals_the_document_is_saved_its_own_way(
    document: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docx_save, "WRITER_STEPS", (*docx_save.WRITER_STEPS[:2], "_write_parts_renamed"))
    path = tmp_path / "plain.docx"
    save_docx(document, path)
    assert members(path)["word/media/image1.png"][0] == zipfile.ZIP_DEFLATED
    assert Document(str(path)).paragraphs[0].text == "Burglary fell by a tenth."
