"""The website edition in a real browser: headless Chromium with axe-core, at a desktop and a phone width.

Every page is opened straight from disk at 1280 and 360 px wide; axe-core's
WCAG 2.0, 2.1 and 2.2 A and AA rules must find nothing, the page must not
scroll sideways, and every resource must load, from disk. A deliberately
broken page shows that the same checks do report what is wrong. The tests
skip, saying why, where Chromium, chromedriver or axe-core is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from strategic_assessment.pipeline import GenerateResult

from .browser import WIDTHS, Browser, missing

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("strategic_assessment.html", "plan_on_a_page.html")

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bool(missing()), reason=missing() or "browser available")]


@pytest.fixture(scope="module")
def edition(worked_example: GenerateResult) -> Path:
    """The worked example's HTML edition (generated once for the session)."""
    return worked_example.folder / "html"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_passes_axe_reflows_and_loads_everything_from_disk(
    edition: Path, browser: Browser, name: str, width: int
) -> None:
    check = browser.check(edition / name, width)
    print(check.summary())
    assert check.violations == [], check.summary()
    assert check.passes >= 15  # axe did run its rules on a real page
    assert check.scroll_width <= check.client_width <= width, check.summary()  # laid out at the screen's width
    assert check.failed_requests == [] and check.outside_requests == []
    loaded = {Path(url).name for url in check.requests}
    assert {name, "website.css", "logo.svg"} <= loaded
    if name == "strategic_assessment.html":
        assert len([url for url in loaded if url[:2].isdigit() and url.endswith(".svg")]) == 6


@pytest.mark.parametrize("name", PAGES)
def test_page_reflows_on_the_narrowest_phone(edition: Path, browser: Browser, name: str) -> None:
    check = browser.check(edition / name, 320)
    assert check.violations == [] and check.scroll_width <= check.client_width <= 320, check.summary()


def test_plan_on_a_page_prints_on_one_sheet(edition: Path, browser: Browser) -> None:
    assert browser.pdf_pages(edition / "plan_on_a_page.html") == 1


def test_assessment_prints_with_the_data_tables(edition: Path, browser: Browser) -> None:
    assert browser.pdf_pages(edition / "strategic_assessment.html") > 10


BROKEN = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Broken</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="https://fonts.example.invalid/face.css"></head>
<body><main><h1>Broken page</h1>
<img src="chart.svg">
<img src="missing.svg" alt="A chart that is not there">
<table><caption>Crime by type</caption>
<tr><td>Crime type</td><td>2017/18</td><td>2018/19</td></tr>
<tr><td>All crime</td><td>22,903</td><td>23,729</td></tr>
<tr><td>Robbery</td><td>235</td><td>255</td></tr>
<tr><td>Rape</td><td>352</td><td>329</td></tr>
</table>
<div style="width: 900px">A line too wide for a phone</div>
</main></body></html>
"""


def test_a_broken_page_is_reported(tmp_path: Path, browser: Browser) -> None:
    (tmp_path / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    page = tmp_path / "broken.html"
    page.write_text(BROKEN, encoding="utf-8")
    check = browser.check(page, 360)
    rules = {violation["id"] for violation in check.violations}
    assert "image-alt" in rules  # the chart without alt text
    assert "td-has-header" in rules  # the table with no header cells
    assert check.scroll_width > check.client_width  # the wide line scrolls sideways
    assert any("missing.svg" in failure for failure in check.failed_requests)
    assert check.outside_requests == ["https://fonts.example.invalid/face.css"]


def test_a_page_not_made_for_phones_is_reported(tmp_path: Path, browser: Browser) -> None:
    page = tmp_path / "desktop.html"
    page.write_text(BROKEN.replace('<meta name="viewport" content="width=device-width, initial-scale=1">', ""))
    check = browser.check(page, 360)
    assert check.client_width > 360  # without a viewport the phone lays it out 980 px wide and shrinks it
