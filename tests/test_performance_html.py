"""The performance update's website page: the same figures as the Word document, and accessible in a real browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from lxml import html as lxml_html
from openpyxl import load_workbook

from strategic_assessment.pipeline import write_performance

from .browser import WIDTHS, Browser, missing

ROOT = Path(__file__).resolve().parent.parent
PAGE = "performance_update.html"


@pytest.fixture(scope="module")
def performance_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example's performance update, written once for the module (no PDF): its folder.

    Its tests all run on the browser's worker (``SHARED_FIXTURES``), so the update is written once, not on each.
    """
    result = write_performance(ROOT / "inputs", tmp_path_factory.mktemp("performance") / "outputs", pdf=False)
    return result.folder


def test_the_page_and_the_document_show_the_same_summary(performance_page: Path) -> None:
    html = (performance_page / PAGE).read_text(encoding="utf-8")
    document = Document(str(performance_page / "performance_update.docx"))
    word_rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    page = lxml_html.fromstring(html)
    table = page.xpath("//table")[0]
    page_rows = [[cell.text_content() for cell in row.xpath("./th|./td")] for row in table.xpath(".//tr")]
    assert word_rows[0][:2] == ["Indicator", "Year to date"]
    assert page_rows == word_rows
    this_year, last_year = _all_crime_april_to_december()
    assert word_rows[1][:4] == ["Overall crime", f"{this_year:,}", f"{last_year:,}", f"+{this_year - last_year:,}"]
    assert html.count('<figure class="chart">') == len(document.inline_shapes) == 5
    assert 'lang="en-GB"' in html and html.count("<h1>") == 1


def _all_crime_april_to_december() -> tuple[int, int]:
    """All crime, April to December 2018 and 2017, added up from the example's monthly sheet."""
    sheet = load_workbook(ROOT / "inputs" / "crime_data.xlsx", read_only=True)["monthly"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("All crime")
    totals = {2018: 0, 2017: 0}
    for row in rows[1:]:
        month, count = row[0], row[column]
        assert isinstance(month, dt.datetime) and isinstance(count, int)
        if month.year in totals and 4 <= month.month <= 12:
            totals[month.year] += count
    return totals[2018], totals[2017]


def test_charts_are_the_svgs_beside_the_page_with_their_data(performance_page: Path) -> None:
    html = (performance_page / PAGE).read_text(encoding="utf-8")
    for svg in sorted((performance_page / "charts").glob("*.svg")):
        assert f'src="charts/{svg.name}"' in html
    assert html.count("<details>") == 5
    assert (performance_page / "website.css").is_file() and (performance_page / "logo.svg").is_file()


@pytest.mark.browser
@pytest.mark.skipif(bool(missing()), reason=missing() or "browser available")
@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_passes_axe_reflows_and_loads_from_disk(performance_page: Path, browser: Browser, width: int) -> None:
    check = browser.check(performance_page / PAGE, width)
    assert check.violations == [], check.summary()
    assert check.passes >= 15
    assert check.scroll_width <= check.client_width <= width, check.summary()
    assert check.failed_requests == [] and check.outside_requests == []
    loaded = {Path(url).name for url in check.requests}
    assert {PAGE, "website.css", "logo.svg"} <= loaded
    assert len([url for url in loaded if url.endswith(".svg") and url[:2].isdigit()]) == 5
