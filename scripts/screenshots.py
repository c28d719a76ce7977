"""Screenshots of the website edition: every page at a desktop (1280 px) and a phone (360 px) width.

Generates the HTML edition (and the performance update's page, when the
settings have a performance section) from the inputs into a scratch folder,
or takes the pages of an existing folder with ``--pages``; opens each straight from disk
in headless Chromium and writes one full-page PNG a page and width:

    python scripts/screenshots.py --inputs inputs --out outputs/screenshots
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.browser import WIDTHS, chromium, missing  # noqa: E402

from strategic_assessment.errors import InputError  # noqa: E402
from strategic_assessment.pipeline import generate, write_performance  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=ROOT / "inputs")
    parser.add_argument("--pages", type=Path, help="an html folder already generated (default: generate one)")
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / "screenshots")
    args = parser.parse_args()
    reason = missing()
    if reason and "axe-core" not in reason:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as scratch:
        pages = sorted(args.pages.glob("*.html")) if args.pages else generated_pages(args.inputs, Path(scratch))
        with chromium() as browser:
            for page in pages:
                for width in WIDTHS:
                    target = browser.screenshot(page, width, args.out / f"{page.stem}-{width}.png")
                    print(target)
    return 0


def generated_pages(inputs: Path, outputs: Path) -> list[Path]:
    """The website edition's pages, and the performance update's page when the settings describe one."""
    pages = sorted((generate(inputs, outputs, only=("html",), pdf=False).folder / "html").glob("*.html"))
    try:
        performance = write_performance(inputs, outputs, pdf=False)
    except InputError as error:
        print(f"no performance update page: {error.problems[0]}", file=sys.stderr)
        return pages
    return pages + sorted(performance.folder.glob("*.html"))


if __name__ == "__main__":
    raise SystemExit(main())
