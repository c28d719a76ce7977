"""What a reader sees of a batch area's pages: the crime table without a comparison year, and full pages.

The test extract (tests/data/police-uk) holds January to March 2016 only, so 2015/16's
comparison year 2014/15 has no figures at all: the crime table shows 2015/16 and the rate
alone, and says in one sentence that 2014/15 is not complete. The page test makes the
PDFs with LibreOffice (the one kept for the tests) and is skipped, with the reason, when it
or poppler is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from lxml import etree

from strategic_assessment.cli import cli

from .test_batch import EXTRACT, document_text, write_inputs
from .test_templates_pdf import text_bottoms

if TYPE_CHECKING:
    from .kept_office import KeptOffice

MARGIN_POINTS = 2.5 / 2.54 * 72  # the data pack's page margins


def batch(tmp_path: Path, *extra: str) -> Path:
    inputs = write_inputs(tmp_path / "inputs")
    outputs = tmp_path / "outputs"
    arguments = ["batch", "--inputs", str(inputs), "--outputs", str(outputs), "--police-uk", str(EXTRACT), *extra]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    return outputs


def crime_table(path: Path) -> list[list[str]]:
    from docx import Document

    document = Document(str(path))
    (table,) = [table for table in document.tables if table.rows[0].cells[0].text == "Crime type"]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_without_a_comparison_year_the_crime_table_has_no_columns_for_it(tmp_path: Path) -> None:
    outputs = batch(tmp_path, "--no-pdf")
    torbay, plymouth = outputs / "torbay" / "2015-16", outputs / "plymouth" / "2015-16"
    # Plymouth has a population (the rate column); Torbay has none, so its table has no column of n/a at all
    assert crime_table(plymouth / "strategic_assessment.docx")[0] == ["Crime type", "2015/16", "Rate per 1,000"]
    rows = crime_table(torbay / "data_pack.docx")
    assert rows[0] == ["Crime type", "2015/16"]
    assert not any("n/a" in cell for row in rows for cell in row)
    # Torbay: Jan-Mar 2016 crimes 34 + 13 + 27 = 74
    assert ["All crime", "74"] in rows
    notes = document_text(torbay / "data_pack.docx")
    assert "Rates per 1,000 are not shown: no population base was given." in notes
    assert "n/a: no comparable figure" not in notes  # nothing in the table is n/a
    # Plymouth: 106 crimes per 1,000 residents = 106.0
    assert ["All crime", "106", "106.0"] in crime_table(plymouth / "strategic_assessment.docx")
    html = (plymouth / "html" / "strategic_assessment.html").read_text(encoding="utf-8")
    page = etree.fromstring(html, etree.HTMLParser())
    (table,) = [t for t in page.iter("table") if "Recorded crime by type" in "".join(t.find("caption").itertext())]
    assert [" ".join(th.itertext()).strip() for th in table.find("thead").iter("th")] == [
        "Crime type",
        "2015/16",
        "Rate per 1,000",
    ]
    assert "2014/15" not in "".join(table.itertext())
    sentence = "The 2014/15 figures are not complete, so no change is shown."
    assert sentence in document_text(torbay / "data_pack.docx")
    assert sentence in "".join(page.itertext())


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and poppler (pdftotext) on PATH to make and read the PDFs",
)
def test_no_data_pack_page_is_more_than_a_third_blank_where_text_follows(
    tmp_path: Path, kept_office: KeptOffice
) -> None:
    with kept_office.making_pdf_copies():  # the batch's PDF copy, made by the LibreOffice kept for the tests
        outputs = batch(tmp_path, "--areas", "Torbay")
    pages = text_bottoms(outputs / "torbay" / "2015-16" / "data_pack.pdf")
    assert len(pages) >= 2
    blank = {}
    for number, (height, bottom, _) in enumerate(pages[:-1], start=1):
        share = (height - MARGIN_POINTS - bottom) / (height - 2 * MARGIN_POINTS)
        if share > 1 / 3:
            blank[number] = round(share, 2)
    assert blank == {}
