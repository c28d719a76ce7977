"""Tables break across pages as a reader expects: never after a header and a row, never leaving a row alone."""

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import docx
import pytest
from docx.document import Document
from docx.table import Table

from strategic_assessment.documents.blocks import keep_tables_together

if TYPE_CHECKING:
    from .kept_office import KeptOffice


def _table(document: Document, name: str, rows: int) -> Table:
    table = document.add_table(rows=rows, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = f"{name} type", "Crimes"
    for row in range(1, rows):
        table.cell(row, 0).text, table.cell(row, 1).text = f"{name} row {row}", str(row)
    return table


def _kept(table: Table) -> list[bool]:
    return [bool(row.cells[0].paragraphs[0].paragraph_format.keep_with_next) for row in table.rows]


def test_the_first_four_and_last_three_rows_are_kept_together_and_the_lead_in_with_them() -> None:
    document = docx.Document()
    lead_in = document.add_paragraph("Recorded figures for the area.")
    table = _table(document, "A", 10)
    assert keep_tables_together(document) == 1
    # rows 0-2 keep with the next row (so rows 0-3 stay together), rows 7-8 with the next (7-9 together)
    assert _kept(table) == [True, True, True, False, False, False, False, True, True, False]
    assert lead_in.paragraph_format.keep_with_next is True


def test_a_short_table_is_kept_whole_and_an_empty_or_section_ending_paragraph_is_not_tied_to_it() -> None:
    document = docx.Document()
    empty = document.add_paragraph("")
    table = _table(document, "B", 5)
    document.add_section()  # the paragraph it adds ends the first section; given text, it is still not a lead-in
    section_end = document.paragraphs[-1]
    assert section_end._p.find(".//{*}sectPr") is not None
    section_end.add_run("End of part one.")
    second = _table(document, "C", 2)
    keep_tables_together(document)
    assert _kept(table) == [True, True, True, True, False]
    assert _kept(second) == [True, False]
    assert empty.paragraph_format.keep_with_next is None
    assert section_end.paragraph_format.keep_with_next is None


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and poppler (pdftotext) to lay out pages",
)
def test_in_the_pdf_no_table_strands_its_header_or_a_row_and_its_lead_in_stays_with_it(
    tmp_path: Path, kept_office: "KeptOffice"
) -> None:
    """Twenty 30-row tables after 0 to 19 lines of text break at many places on a page; none breaks badly.

    Laid out by the LibreOffice kept for the tests, as ``generate`` makes its PDF copies.
    """
    rows = 30
    document = docx.Document()
    for number in range(20):
        for line in range(number):
            document.add_paragraph(f"Text {number}.{line} of the section before the table.")
        document.add_paragraph(f"Lead-in to table T{number:02d}.")
        _table(document, f"T{number:02d}", rows)
    keep_tables_together(document)
    source = tmp_path / "tables.docx"
    document.save(str(source))
    [pdf] = kept_office.pdfs([source], tmp_path)
    pages = _pages(pdf)
    broken = 0
    for number in range(20):
        name = f"T{number:02d}"
        on = [page for page, text in enumerate(pages) if f"{name} row " in text]
        header_page = next(page for page, text in enumerate(pages) if f"{name} type" in text)
        lead_in_page = next(page for page, text in enumerate(pages) if f"Lead-in to table {name}." in text)
        assert lead_in_page == header_page, f"{name}: its lead-in is on page {lead_in_page + 1}, its header not"
        if len(on) == 1:
            continue
        broken += 1
        assert len(on) == 2, f"{name} spans {len(on)} pages"
        first = pages[on[0]].count(f"{name} row ")
        assert first >= 3, f"{name}: only {first} row(s) under its header before the page break"
        assert rows - 1 - first >= 3, f"{name}: only {rows - 1 - first} row(s) carried over to page {on[1] + 1}"
    assert broken > 0, "no table met a page break: the layout does not test the rule"
