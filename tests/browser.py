"""A real browser for the website edition's checks: Debian's headless Chromium driven by selenium, plus axe-core.

Chromium and chromedriver are the system ones (``/usr/bin/chromium``,
``/usr/bin/chromedriver``, or ``CHROMIUM`` / ``CHROMEDRIVER``); both paths are
given to selenium so it never looks for, or downloads, a browser of its own.
The browser resolves no host name (``--host-resolver-rules``), so a page that
tried the network would show a failed request. axe-core is the npm package
``.ci/run`` installs into ``~/.cache/strategic-assessment/axe`` (or the file
named by ``AXE_CORE_JS``). ``missing()`` says what is absent, for a test's skip reason.

A page is loaded once and may then be looked at more than once: ``resize`` lays the
loaded page out at another width (as a phone's screen, or text zoomed to 400 %,
reflows a page already open) and ``inspect`` runs axe-core again on that layout;
``printed_sheets`` prints the page as loaded, with the stylesheet's print rules.
axe-core is put into a page once per load; the stylesheets it fetches for itself
are not counted among the page's requests. Chromium's own browser-interface
pages (the address bar's suggestion popups, which it starts even when headless)
are turned off: they are no part of a page and cost a renderer's CPU.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
AXE_CACHE = Path.home() / ".cache" / "strategic-assessment" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# axe-core marks these WCAG rules experimental, so they run only when asked for: 1.3.1 (A), every data cell of
# a large table has a header (a table without header cells is exactly what the checks must catch), and 1.3.4
# (AA), no stylesheet locks the page to one orientation (it reads the stylesheets, hence the file-access flag).
EXTRA_RULES = ("td-has-header", "css-orientation-lock")
WIDTHS = (1280, 360)
BROWSER_PAGES = ("chrome://", "chrome-untrusted://", "chrome-search://")  # what Chromium loads for itself
HEIGHT = 900
REQUESTS_SETTLE_SECONDS = 5.0
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--allow-file-access-from-files",  # axe-core may read the stylesheets beside a page (else their rules go unchecked)
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
)


def axe_script() -> Path:
    return Path(os.environ.get("AXE_CORE_JS", str(AXE_CACHE)))


def missing() -> str:
    """Why the browser checks cannot run here ('' when they can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.is_file():
            return f"{path} not found (apt-get install {package}; .ci/run installs it)"
    if not axe_script().is_file():
        return f"axe-core not found at {axe_script()} (.ci/run installs it with npm; or set AXE_CORE_JS)"
    return ""


@dataclass(frozen=True)
class PageCheck:
    """What the browser saw on one page at one width."""

    url: str
    width: int
    violations: list[dict[str, Any]]
    passes: int
    scroll_width: int
    client_width: int
    requests: list[str]
    failed_requests: list[str]
    outside_requests: list[str]

    def summary(self) -> str:
        rules = ", ".join(f"{v['id']} ({len(v['nodes'])})" for v in self.violations) or "none"
        return (
            f"{Path(self.url).name} at {self.width} px: {len(self.violations)} violations [{rules}], "
            f"{self.passes} rules passed, scrollWidth {self.scroll_width} / clientWidth {self.client_width}, "
            f"{len(self.failed_requests)} failed requests"
        )


class Browser:
    """One headless Chromium; ``check`` loads a page at a width and inspects it, ``screenshot`` takes a PNG."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self._axe = ""  # axe-core's script, read at its first use (screenshots need none)
        self._page: Path | None = None
        self._width = 0
        self._axe_ready = False
        self._urls: dict[str, str] = {}
        self._ended: set[str] = set()
        self._failed: list[str] = []
        self._outside: list[str] = []

    def _emulate(self, width: int, height: int) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        self._width = width

    def load(self, page: Path, width: int, height: int = HEIGHT) -> None:
        """Open the page afresh on a screen ``width`` wide (returns once the page's load event has fired)."""
        self._emulate(width, height)
        self.driver.get_log("performance")  # forget the requests of the page before
        self._urls, self._ended, self._failed, self._outside = {}, set(), [], []
        self._page, self._axe_ready = page, False
        self.driver.get(page.resolve().as_uri())

    def resize(self, width: int, height: int = HEIGHT) -> None:
        """Lay the page already loaded out on a screen ``width`` wide, without loading it again."""
        if self._page is None:
            raise RuntimeError("no page is loaded to resize")
        self._emulate(width, height)

    def check(self, page: Path, width: int) -> PageCheck:
        """Load the page at ``width`` and inspect it."""
        self.load(page, width)
        return self.inspect()

    def inspect(self) -> PageCheck:
        """Run axe-core's WCAG 2.x A and AA rules on the loaded page as now laid out, and measure its width.

        The requests are every one the page has made since it was loaded (a narrower layout may fetch more).
        """
        if self._page is None:
            raise RuntimeError("no page is loaded to inspect")
        requests, failed, outside = self._requests()
        if not self._axe_ready:
            self._axe = self._axe or axe_script().read_text(encoding="utf-8")
            self.driver.execute_script(self._axe)
            self._axe_ready = True
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, rules: arguments[1],"
            " resultTypes: ['violations']})"
            ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' '))})), passes: r.passes.length}))"
            ".catch(e => done({error: String(e)}));",
            list(WCAG_TAGS),
            {rule: {"enabled": True} for rule in EXTRA_RULES},
        )
        if "error" in result:
            raise RuntimeError(f"axe-core failed on {self._page}: {result['error']}")
        widths = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];"
        )
        return PageCheck(
            self._page.resolve().as_uri(),
            self._width,
            result["violations"],
            result["passes"],
            widths[0],
            widths[1],
            requests,
            failed,
            outside,
        )

    def _requests(self) -> tuple[list[str], list[str], list[str]]:
        """Every request since the load, those that failed, and those for anything not on disk (performance log).

        A request can end (a missing image failing, say) a moment after the page's load event, so the log
        is read until every request the page made has finished or failed, or a few seconds have passed.
        """
        deadline = time.monotonic() + REQUESTS_SETTLE_SECONDS
        while True:
            for entry in self.driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                params = message.get("params", {})
                if message["method"] == "Network.requestWillBeSent":
                    if params.get("documentURL", "").startswith(BROWSER_PAGES):
                        continue  # the browser's own new-tab page loading behind the test, not the page's
                    frames = params.get("initiator", {}).get("stack", {}).get("callFrames", [])
                    if frames and not any(frame.get("url") for frame in frames):
                        continue  # made by a script the test ran (axe-core fetching a stylesheet), not the page's
                    url = params["request"]["url"]
                    self._urls[params["requestId"]] = url
                    if not url.startswith(("file://", "data:")):
                        self._outside.append(url)
                elif message["method"] == "Network.loadingFinished":
                    self._ended.add(params["requestId"])
                elif message["method"] == "Network.loadingFailed" and params["requestId"] in self._urls:
                    self._ended.add(params["requestId"])
                    self._failed.append(f"{self._urls[params['requestId']]}: {params.get('errorText')}")
            if set(self._urls) <= self._ended or time.monotonic() > deadline:
                return list(self._urls.values()), list(self._failed), list(self._outside)
            time.sleep(0.05)

    def screenshot(self, page: Path, width: int, target: Path) -> Path:
        """A PNG of the whole page at ``width``."""
        self.load(page, width)
        height = int(self.driver.execute_script("return document.documentElement.scrollHeight;"))
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        target.write_bytes(base64.b64decode(shot["data"]))
        return target

    def printed_sheets(self) -> int:
        """How many sheets the loaded page prints on, with the stylesheet's print rules and own page size."""
        if self._page is None:
            raise RuntimeError("no page is loaded to print")
        printed = self.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", base64.b64decode(printed["data"])))


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium with a new empty profile, closed (and the profile removed) afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="strategic-assessment-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.set_script_timeout(120)
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
