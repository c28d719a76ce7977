"""The published PDFs: PDF/UA-1, links, tables with header rows, separate lists, no half-blank pages.

The worked example is generated once with LibreOffice; pikepdf reads the
structure. The PDF/UA-1 rules are checked with page-validation (PyPI
``page-validation``, its ``ua1`` profile); every check is also shown failing
on a PDF broken on purpose. Everything here is skipped, with the reason, when
LibreOffice, poppler or the checker is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
import pytest
from lxml import etree

from strategic_assessment.documents.pdf_ua import fix_tab_order

from .published import THEME_RATINGS

if TYPE_CHECKING:
    from .kept_office import KeptOffice

TITLE = "Safer Plymouth: a strategic assessment of threat, risk and harm 2018/19"
LINK = "https://www.legislation.gov.uk/uksi/2007/1830/contents"  # the introduction's link, in assessment.yaml
MARGIN_POINTS = 2.5 / 2.54 * 72  # the assessment's page margins

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and poppler (pdftotext) on PATH to make and read the PDFs",
)


@pytest.fixture(scope="module")
def pdfs(worked_example_pdfs: Path) -> Path:
    """The worked example with its PDF copies (generated once for the session); the year's folder."""
    return worked_example_pdfs


def ua_failures(path: Path) -> list[str]:
    """The PDF/UA-1 rules a PDF fails, by page-validation's rule ids."""
    page = pytest.importorskip("page", reason="needs page-validation (pip install page-validation) for PDF/UA-1")
    report = page.validate_pdf(str(path), profile=page.ValidationProfile.PDF_UA_1)
    assert report.rules.total >= 100  # the ua1 profile: 104 rules in page-validation 0.11
    return sorted({failure.rule_id for failure in report.failures})


# PDF/UA-1 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["strategic_assessment.pdf", "plan_on_a_page.pdf"])
def test_both_pdfs_pass_every_pdf_ua_1_rule(pdfs: Path, name: str) -> None:
    assert ua_failures(pdfs / name) == []


def test_the_performance_update_pdf_passes_every_pdf_ua_1_rule(performance_update_pdf: Path) -> None:
    assert ua_failures(performance_update_pdf) == []


def test_the_checker_fails_a_pdf_without_metadata_or_tab_order(pdfs: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(pdfs / "strategic_assessment.pdf") as pdf:
        del pdf.Root["/Metadata"]
        pdf.pages[1].obj.Tabs = pikepdf.String("S")  # what LibreOffice 7.4 writes
        pdf.save(broken)
    failures = ua_failures(broken)
    assert "PDFUA1-ID-SCHEMA-001" in failures  # no PDF/UA identification
    assert "PDFUA1-METADATA-TITLE-001" in failures  # no dc:title
    assert "PDFUA1-PAGE-TABS-001" in failures
    assert fix_tab_order(broken) >= 1  # the page with the contents' links, and every other page with links
    assert "PDFUA1-PAGE-TABS-001" not in ua_failures(broken)


def test_the_assessment_has_an_xmp_title_and_the_pdf_ua_identifier(pdfs: Path) -> None:
    with pikepdf.open(pdfs / "strategic_assessment.pdf") as pdf:
        metadata = pdf.open_metadata()
        assert metadata.get("dc:title") == TITLE
        assert str(metadata.get("pdfuaid:part")) == "1"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.MarkInfo.Marked is True


# Links -----------------------------------------------------------------------------------------------------


def link_annotations(pdf: pikepdf.Pdf) -> Iterator[tuple[int, Any]]:
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") == pikepdf.Name.Link:
                yield number, annotation


def test_the_introductions_link_is_a_clickable_uri(pdfs: Path) -> None:
    with pikepdf.open(pdfs / "strategic_assessment.pdf") as pdf:
        uris = [str(a.A.URI) for _, a in link_annotations(pdf) if "/A" in a and a.A.get("/S") == pikepdf.Name.URI]
    assert LINK in uris


def test_the_contents_entries_link_to_their_sections(pdfs: Path) -> None:
    with pikepdf.open(pdfs / "strategic_assessment.pdf") as pdf:
        on_contents = [a for number, a in link_annotations(pdf) if number == 2]
        # one link a section after the contents: 6 fixed sections, one a theme, 2 appendices
        assert len(on_contents) == 6 + len(THEME_RATINGS) + 2
        targets = {pdf.pages.index(pikepdf.Page(_destination(pdf, a)[0])) + 1 for a in on_contents}
    assert min(targets) == 3 and max(targets) > 15  # from the introduction to the appendices


def page_texts(path: Path) -> list[list[str]]:
    """Each page's lines of text (spacing folded), from poppler's layout text."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in text.split("\f")]


CONTENTS_ENTRY = re.compile(r"^(?P<heading>.+?)\s*\.{3,}\s*(?P<page>\d+)$")


def contents_entries(pages: list[list[str]]) -> tuple[int, list[tuple[str, int]]]:
    """The contents page's number (from 1) and its entries: heading, page number shown after the dot leaders."""
    number = next(index for index, lines in enumerate(pages, start=1) if lines and lines[0] == "Contents")
    entries = [(m["heading"], int(m["page"])) for line in pages[number - 1] if (m := CONTENTS_ENTRY.match(line))]
    return number, entries


def contents_mismatches(pages: list[list[str]]) -> dict[str, tuple[int, int | None]]:
    """Each contents entry whose page number is not the page its heading is on: {heading: (shown, real)}.

    The real page is the first page after the contents where the heading is a line of its own (or the
    first of two lines, when it wraps).
    """
    number, entries = contents_entries(pages)
    wrong: dict[str, tuple[int, int | None]] = {}
    for heading, shown in entries:
        real = next((page for page, lines in enumerate(pages[number:], number + 1) if _has_line(lines, heading)), None)
        if real != shown:
            wrong[heading] = (shown, real)
    return wrong


def _has_line(lines: list[str], heading: str) -> bool:
    return any(heading in (line, f"{line} {after}") for line, after in zip(lines, [*lines[1:], ""], strict=True))


def test_the_contents_shows_the_page_each_heading_is_on(pdfs: Path) -> None:
    pages = page_texts(pdfs / "strategic_assessment.pdf")
    number, entries = contents_entries(pages)
    assert number == 2
    # every section after the contents, with a page number: 6 fixed sections, one a theme, 2 appendices
    assert len(entries) == 6 + len(THEME_RATINGS) + 2
    assert entries[0] == ("Introduction", 3)  # the page after the contents
    assert [shown for _, shown in entries] == sorted(shown for _, shown in entries)
    assert contents_mismatches(pages) == {}


def test_the_contents_check_sees_a_wrong_page_number(pdfs: Path) -> None:
    pages = page_texts(pdfs / "strategic_assessment.pdf")
    number, entries = contents_entries(pages)
    heading, shown = entries[-1]
    pages[number - 1] = [
        line.replace(f".{shown}", f".{shown - 1}") if line.startswith(heading) else line for line in pages[number - 1]
    ]
    assert contents_mismatches(pages) == {heading: (shown - 1, shown)}


def _destination(pdf: pikepdf.Pdf, annotation: Any) -> Any:
    destination = annotation.get("/Dest") or annotation.A.D
    if isinstance(destination, pikepdf.String | pikepdf.Name):
        names = pdf.Root.Names.Dests.Names if "/Names" in pdf.Root else pdf.Root.Dests
        listed = dict(zip(names[::2], names[1::2], strict=True)) if isinstance(names, pikepdf.Array) else {}
        destination = listed[destination]
    return destination


# Structure: tables with header rows, separate lists ------------------------------------------------------------


def structure(pdf: pikepdf.Pdf) -> Iterator[Any]:
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        yield element
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kid for kid in reversed(list(kids)) if isinstance(kid, pikepdf.Dictionary))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)


def role(pdf: pikepdf.Pdf, element: Any) -> str:
    kind = str(element.get("/S", ""))
    role_map: Any = pdf.Root.StructTreeRoot.get("/RoleMap", {})
    return str(role_map.get(kind, kind))


def children(element: Any) -> list[Any]:
    kids = element.get("/K")
    if isinstance(kids, pikepdf.Dictionary):
        return [kids]
    return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)] if isinstance(kids, pikepdf.Array) else []


def rows(pdf: pikepdf.Pdf, table: Any) -> list[list[str]]:
    """Each TR of a table (through THead/TBody), as the roles of its cells."""
    found = []
    for kid in children(table):
        if role(pdf, kid) == "/TR":
            found.append([role(pdf, cell) for cell in children(kid)])
        elif role(pdf, kid) in ("/THead", "/TBody", "/TFoot"):
            found.extend(rows(pdf, kid))
    return found


def test_the_plans_two_tables_each_have_a_header_row(pdfs: Path) -> None:
    with pikepdf.open(pdfs / "plan_on_a_page.pdf") as pdf:
        tables = [e for e in structure(pdf) if role(pdf, e) == "/Table"]
        assert len(tables) == 2  # the grid, and key deliverables; the headline strip is no table
        for table in tables:
            table_rows = rows(pdf, table)
            assert len(table_rows) >= 2
            assert set(table_rows[0]) == {"/TH"}, table_rows[0]
            assert all(set(row) == {"/TD"} for row in table_rows[1:])


def test_the_plans_focus_areas_and_priorities_are_separate_lists(pdfs: Path) -> None:
    with pikepdf.open(pdfs / "plan_on_a_page.pdf") as pdf:
        lists = [e for e in structure(pdf) if role(pdf, e) == "/L"]
        items = [len([kid for kid in children(each) if role(pdf, kid) == "/LI"]) for each in lists]
    # the worked example's plan: 4 focus areas and 8 priorities (inputs/assessment.yaml)
    assert sorted(items) == [4, 8]


# Layout ----------------------------------------------------------------------------------------------------


def text_bottoms(path: Path) -> list[tuple[float, float, int]]:
    """Per page: its height, the lowest text above the footer, and the number of words there."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, timeout=60).stdout
    pages = []
    for page in etree.fromstring(html, etree.HTMLParser()).iter("page"):
        height = float(page.get("height"))
        words = [float(word.get("ymax")) for word in page.iter("word") if float(word.get("ymax")) < height - 60]
        pages.append((height, max(words, default=0.0), len(words)))
    return pages


def test_no_page_is_more_than_a_third_blank_where_text_follows(pdfs: Path) -> None:
    pages = text_bottoms(pdfs / "strategic_assessment.pdf")
    assert len(pages) > 10
    blank = {}
    for number, (height, bottom, _) in enumerate(pages[2:-1], start=3):  # the title page and contents end in a break
        body = height - 2 * MARGIN_POINTS
        share = (height - MARGIN_POINTS - bottom) / body
        if share > 1 / 3:
            blank[number] = round(share, 2)
    assert blank == {}


def test_the_last_page_is_not_a_lone_sentence(pdfs: Path) -> None:
    *_, (_, _, words) = text_bottoms(pdfs / "strategic_assessment.pdf")
    assert words > 40


def test_the_layout_check_sees_a_half_blank_page(tmp_path: Path, kept_office: KeptOffice) -> None:
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    for _ in range(8):
        document.add_paragraph("A line of text on the first page. " * 3)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("The second page.")
    document.save(str(tmp_path / "half.docx"))
    [pdf] = kept_office.pdfs([tmp_path / "half.docx"], tmp_path)
    height, bottom, _ = text_bottoms(pdf)[0]
    assert (height - MARGIN_POINTS - bottom) / (height - 2 * MARGIN_POINTS) > 1 / 3


def opening_words(path: Path) -> list[list[tuple[str, float]]]:
    """Per page, top to bottom: the word that opens each line at the left margin, with its top."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, timeout=60).stdout
    pages = []
    for page in etree.fromstring(html, etree.HTMLParser()).iter("page"):
        lines = {
            round(float(word.get("ymin")), 1): word.text
            for word in page.iter("word")
            if float(word.get("xmin")) < MARGIN_POINTS + 2
        }
        pages.append([(text, top) for top, text in sorted(lines.items())])
    return pages


def test_the_paragraph_after_the_ratings_table_is_spaced_off_it(pdfs: Path) -> None:
    # The Ratings table's rows open with High, Moderate, Standard; "The theme tables ..." follows it.
    found = []
    for lines in opening_words(pdfs / "strategic_assessment.pdf"):
        words = [text for text, _ in lines]
        for index in range(len(words) - 3):
            if words[index : index + 4] == ["High", "Moderate", "Standard", "The"]:
                found.append([top for _, top in lines[index : index + 4]])
    ((high, moderate, standard, following),) = found
    row_pitch = standard - moderate
    assert 10 < row_pitch < 20 and abs((moderate - high) - row_pitch) < 1
    # Normal's 6 pt space after, kept above the paragraph; touching the table, the gap is one row pitch
    assert following - standard >= row_pitch + 5


def test_one_libreoffice_start_also_fills_in_the_contents_page_numbers(pdfs: Path, tmp_path: Path) -> None:
    """Without the UNO bridge (one ``soffice --convert-to``), the contents still shows each heading's page."""
    from strategic_assessment.documents.pdf import convert_to_pdf

    docx = pdfs / "strategic_assessment.docx"
    before = docx.read_bytes()
    [pdf] = convert_to_pdf([docx], tmp_path)
    pages = page_texts(pdf)
    number, entries = contents_entries(pages)
    assert number == 2
    assert len(entries) == 6 + len(THEME_RATINGS) + 2  # as in the kept LibreOffice's copy, each with its page
    assert entries[0] == ("Introduction", 3)
    assert contents_mismatches(pages) == {}
    fix_tab_order(pdf)  # as the run does after either route
    assert ua_failures(pdf) == []
    assert docx.read_bytes() == before  # the unwrapped contents is a copy's: the .docx keeps its field for Word
