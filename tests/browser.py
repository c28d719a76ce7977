"""A real browser for the website edition's checks: Debian's headless Chromium driven by selenium, plus axe-core.

Chromium and chromedriver are the system ones (``/usr/bin/chromium``,
``/usr/bin/chromedriver``, or ``CHROMIUM`` / ``CHROMEDRIVER``); both paths are
given to selenium so it never looks for, or downloads, a browser of its own.
The browser resolves no host name (``--host-resolver-rules``), so a page that
tried the network would show a failed request. axe-core is the npm package
``.ci/run`` installs into ``~/.cache/strategic-assessment/axe`` (or the file
named by ``AXE_CORE_JS``). ``missing()`` says what is absent, for a test's skip reason.
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
# axe-core marks this WCAG 2 A rule (1.3.1: every data cell of a large table has a header) experimental,
# so it runs only when asked for: a table without header cells is exactly what the checks must catch.
EXTRA_RULES = ("td-has-header",)
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
    """One headless Chromium; ``check`` and ``screenshot`` load a page at a given width."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def load(self, page: Path, width: int, height: int = HEIGHT) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        self.driver.get_log("performance")  # forget the requests of the page before
        self.driver.get(page.resolve().as_uri())

    def check(self, page: Path, width: int) -> PageCheck:
        """Load the page at ``width`` and run axe-core with the WCAG 2.x A and AA rules."""
        self.load(page, width)
        requests, failed, outside = self._requests()
        self.driver.execute_script(axe_script().read_text(encoding="utf-8"))
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
            raise RuntimeError(f"axe-core failed on {page}: {result['error']}")
        widths = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];"
        )
        return PageCheck(
            page.resolve().as_uri(),
            width,
            result["violations"],
            result["passes"],
            widths[0],
            widths[1],
            requests,
            failed,
            outside,
        )

    def _requests(self) -> tuple[list[str], list[str], list[str]]:
        """Every request, those that failed, and those for anything not on disk, from the performance log.

        A request can end (a missing image failing, say) a moment after the page's load event, so the log
        is read until every request the page made has finished or failed, or a few seconds have passed.
        """
        failed, outside = [], []
        urls: dict[str, str] = {}
        ended: set[str] = set()
        deadline = time.monotonic() + REQUESTS_SETTLE_SECONDS
        while True:
            for entry in self.driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                params = message.get("params", {})
                if message["method"] == "Network.requestWillBeSent":
                    if params.get("documentURL", "").startswith(BROWSER_PAGES):
                        continue  # the browser's own new-tab page loading behind the test, not the page's
                    url = params["request"]["url"]
                    urls[params["requestId"]] = url
                    if not url.startswith(("file://", "data:")):
                        outside.append(url)
                elif message["method"] == "Network.loadingFinished":
                    ended.add(params["requestId"])
                elif message["method"] == "Network.loadingFailed" and params["requestId"] in urls:
                    ended.add(params["requestId"])
                    failed.append(f"{urls[params['requestId']]}: {params.get('errorText')}")
            if set(urls) <= ended or time.monotonic() > deadline:
                return list(urls.values()), failed, outside
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

    def pdf_pages(self, page: Path) -> int:
        """How many sheets the page prints on, with the stylesheet's own page size."""
        self.load(page, 1280)
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
