"""The pages' annotation order is fixed in place in a PDF laid out as LibreOffice writes it, and nowhere else."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from strategic_assessment.documents.pdf_ua import fix_tab_order

QUOTED = b"a title quoting /Tabs(S) as text"


def _libreoffice_like_pdf(path: Path) -> None:
    """Two pages with a link each, ``/Tabs(S)`` in their dictionaries as LibreOffice 7.4 writes them, and a
    stream whose data quotes the same bytes; the offsets of the cross-reference table counted here."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R 4 0 R]/Count 2>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Annots[\n5 0 R ]\n/Tabs(S)\n/Contents 6 0 R>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Annots[\n5 0 R ]\n/Tabs(S)\n/Contents 6 0 R>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/Border[0 0 0]>>",
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(QUOTED) + 1, QUOTED),
    ]
    data = b"%PDF-1.6\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    path.write_bytes(data)


def test_the_tab_order_is_named_in_place_and_the_quoted_text_is_left(tmp_path: Path) -> None:
    path = tmp_path / "made.pdf"
    _libreoffice_like_pdf(path)
    before = path.read_bytes()

    assert fix_tab_order(path) == 2

    after = path.read_bytes()
    assert len(after) == len(before)
    assert after.count(b"/Tabs/S \n") == 2
    assert after.count(QUOTED) == 1  # the stream's text is not a page's entry
    assert sum(x != y for x, y in zip(before, after, strict=True)) == 2 * 2  # "(S)" -> "/S ": two bytes a page
    with pikepdf.open(path) as pdf:
        assert [page.obj.Tabs for page in pdf.pages] == [pikepdf.Name.S, pikepdf.Name.S]
        assert QUOTED in pdf.get_object(6, 0).read_bytes()


def test_a_page_the_bytes_do_not_fix_is_fixed_through_pikepdf(tmp_path: Path) -> None:
    path = tmp_path / "made.pdf"
    _libreoffice_like_pdf(path)
    with pikepdf.open(path) as pdf:  # rewritten by pikepdf: the entry no longer stands as LibreOffice writes it
        pdf.pages[1].obj.Tabs = pikepdf.String("S")
        pdf.save(tmp_path / "rewritten.pdf")

    assert fix_tab_order(tmp_path / "rewritten.pdf") == 2

    with pikepdf.open(tmp_path / "rewritten.pdf") as pdf:
        assert [page.obj.Tabs for page in pdf.pages] == [pikepdf.Name.S, pikepdf.Name.S]


def test_a_pdf_already_in_order_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "made.pdf"
    _libreoffice_like_pdf(path)
    fix_tab_order(path)
    fixed = path.read_bytes()

    assert fix_tab_order(path) == 0
    assert path.read_bytes() == fixed
