"""The website edition in a real browser: headless Chromium with axe-core, at a desktop and a phone width.

Every page is opened straight from disk at 1280 and 360 px wide; axe-core's
WCAG 2.0, 2.1 and 2.2 A and AA rules must find nothing, the page must not
scroll sideways, and every resource must load, from disk. The page open at
360 px is then narrowed to 320 px (WCAG's reflow width) and checked again, and
the page open at 1280 px is printed. axe-core runs at all three widths: its
layout rules (colour contrast, target size, scrollable regions) and which
elements it can see depend on the width, and the stylesheet lays tables out
differently below 40rem. Deliberately broken pages show that the same checks,
on a fresh load and after narrowing, do report what is wrong. The tests skip,
saying why, where Chromium, chromedriver or axe-core is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from strategic_assessment.pipeline import GenerateResult

from .browser import WIDTHS, Browser, PageCheck, missing

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("strategic_assessment.html", "plan_on_a_page.html")

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bool(missing()), reason=missing() or "browser available")]


@pytest.fixture(scope="module")
def edition(worked_example: GenerateResult) -> Path:
    """The worked example's HTML edition (generated once for the session)."""
    return worked_example.folder / "html"


@dataclass(frozen=True)
class Seen:
    """What the browser saw of one page: a check at each width, and the sheets it printed on."""

    checks: dict[int, PageCheck]
    sheets: int


NARROWEST = 320  # WCAG 2.1's reflow width (1.4.10): 1280 px at 400 % zoom


@pytest.fixture(scope="module")
def seen(edition: Path, browser: Browser) -> Callable[[str], Seen]:
    """Each page looked at once for the module, on its first use.

    Loaded at the desktop width, checked and printed; loaded afresh at the phone width, checked, then
    narrowed to 320 px and checked again.
    """
    desktop, phone = WIDTHS
    looked: dict[str, Seen] = {}

    def look(name: str) -> Seen:
        if name not in looked:
            wide = browser.check(edition / name, desktop)
            sheets = browser.printed_sheets()
            narrow = browser.check(edition / name, phone)
            browser.resize(NARROWEST)
            looked[name] = Seen({desktop: wide, phone: narrow, NARROWEST: browser.inspect()}, sheets)
        return looked[name]

    return look


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_passes_axe_reflows_and_loads_everything_from_disk(
    seen: Callable[[str], Seen], name: str, width: int
) -> None:
    check = seen(name).checks[width]
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
def test_page_reflows_on_the_narrowest_phone(seen: Callable[[str], Seen], name: str) -> None:
    check = seen(name).checks[NARROWEST]
    assert check.width == NARROWEST
    assert check.violations == [] and check.scroll_width <= check.client_width <= NARROWEST, check.summary()
    assert check.passes >= 15  # axe ran again on the narrowed page
    assert check.failed_requests == [] and check.outside_requests == []


def test_plan_on_a_page_prints_on_one_sheet(seen: Callable[[str], Seen]) -> None:
    sheets = seen("plan_on_a_page.html").sheets
    assert sheets == 1, f"printed on {sheets} sheets"


def test_assessment_prints_with_the_data_tables(seen: Callable[[str], Seen]) -> None:
    sheets = seen("strategic_assessment.html").sheets
    assert sheets > 10, f"printed on {sheets} sheets"


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


NARROW_ONLY = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Fits a 360 px phone only</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; } .wide { width: 340px; } .narrow { display: none; }
@media (max-width: 339px) { .narrow { display: block; } }</style></head>
<body><main><h1>Fits a 360 px phone only</h1>
<div class="wide">A line 340 px wide</div>
<img class="narrow" src="chart.svg">
</main></body></html>
"""


def test_a_page_broken_only_when_narrowed_is_reported_after_the_resize(tmp_path: Path, browser: Browser) -> None:
    (tmp_path / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    page = tmp_path / "narrow.html"
    page.write_text(NARROW_ONLY, encoding="utf-8")
    phone = browser.check(page, 360)
    assert phone.violations == [] and phone.scroll_width <= phone.client_width == 360, phone.summary()
    browser.resize(NARROWEST)
    narrowed = browser.inspect()
    assert narrowed.width == NARROWEST and narrowed.client_width == NARROWEST
    assert {violation["id"] for violation in narrowed.violations} == {"image-alt"}  # shown below 340 px only
    assert narrowed.scroll_width == 340 > narrowed.client_width  # the 340 px line scrolls sideways
    assert {Path(url).name for url in narrowed.requests} == {"narrow.html", "chart.svg"}


def test_the_stylesheet_beside_a_page_is_read_by_the_checks(tmp_path: Path, browser: Browser) -> None:
    (tmp_path / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    (tmp_path / "locked.css").write_text("@media (orientation: portrait) { html { transform: rotate(90deg); } }")
    page = tmp_path / "locked.html"
    page.write_text(
        NARROW_ONLY.replace("<style>", '<link rel="stylesheet" href="locked.css"><style>'), encoding="utf-8"
    )
    check = browser.check(page, 360)  # a phone held upright, which the stylesheet turns sideways
    assert {violation["id"] for violation in check.violations} == {"css-orientation-lock"}, check.summary()
