"""Rendering the HTML edition: Jinja HTML templates, their stylesheet and logo, the charts as SVG.

Pages render from ``templates/*.html`` in the same sandboxed, strict,
autoescaping environment as the Word templates (``render.jinja_environment``),
with a loader that reads only the templates folder. A tag the context lacks,
a syntax error or a missing template stops the run with a message naming the
template and the tag or line. The stylesheet and logo (``WEBSITE_ASSETS``)
are copied beside the pages, and every chart's SVG with them, so a page opened
straight from disk needs no server and fetches nothing.

Adding a page is one call: build its context (``HtmlBuilder`` for blocks,
``html_charts`` for charts) and ``render_html_page(template, context, folder)``.
"""

from __future__ import annotations

import csv
import functools
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemLoader, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from ..errors import InputError, Problem
from ..resources import TEMPLATES
from .context import ChartImage
from .html import HtmlBuilder, slug
from .render import _undefined_problem, jinja_environment, template_path

if TYPE_CHECKING:
    from ..records import Assessment

WEBSITE_ASSETS = ("website.css", "logo.svg")
HTML_FOLDER = "html"
ASSESSMENT_PAGE = "strategic_assessment.html"
PLAN_PAGE = "plan_on_a_page.html"
_RESTORE = "restore it from the repository"
NUMBER = re.compile(r"(-?)(\d+)(\.\d+)?")


class HtmlChart:
    """A chart on a page: its SVG file beside the page and its data as an HTML table."""

    def __init__(self, src: str, table: Markup) -> None:
        self.src = src
        self.table = table


def html_charts(charts: Sequence[Any], folder: Path, copy: bool = True) -> dict[str, ChartImage]:
    """Copy each chart's SVG into ``folder`` and describe it for the HTML templates, by chart name.

    ``charts`` are the chart pack's files (``ChartFile``), already drawn; without ``copy`` only their
    CSVs are read (the SVGs, still being drawn, are copied later by ``copy_chart_svgs``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    images = {}
    if copy:
        copy_chart_svgs(charts, folder)
    for chart in charts:
        table = chart_data_table(chart.csv, f"Data for the chart: {chart.spec.title}")
        images[chart.spec.name] = ChartImage(
            chart.spec.name, HtmlChart(chart.svg.name, table), chart.spec.title, chart.spec.alt_text
        )
    return images


def copy_chart_svgs(charts: Sequence[Any], folder: Path) -> None:
    """Copy each drawn chart's SVG into ``folder``, beside the pages that show it."""
    for chart in charts:
        shutil.copyfile(chart.svg, folder / chart.svg.name)


def chart_data_table(path: Path, caption: str) -> Markup:
    """The chart's CSV as a table a reader can use: its columns named in words, its figures with thousands marks.

    The first row gives the column headers, each row's first value is the row's header.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = [column_label(name) for name in rows[0]] if rows else []
    body = [[figure_text(value) for value in row] for row in rows[1:]]
    return Markup(HtmlBuilder().table(header, body, [1.0] * len(header), caption=caption))


def column_label(name: str) -> str:
    """A data column's name as words: ``rate_per_1000`` -> ``Rate per 1,000``, ``crime_type`` -> ``Crime type``."""
    words = re.sub(r"(?<=\d)(?=(\d{3})+\b)", ",", name.replace("_", " ").strip())
    return words[:1].upper() + words[1:]


def figure_text(value: str) -> str:
    """A figure with thousands marks (``23729`` -> ``23,729``, ``1941.5`` -> ``1,941.5``); text as it is."""
    match = NUMBER.fullmatch(value)
    if not match:
        return value
    whole, decimals = match.group(2), match.group(3) or ""
    return f"{match.group(1)}{int(whole):,}{decimals}"


def html_environment(folder: Path = TEMPLATES) -> Any:
    """The Word templates' environment (sandboxed, strict, autoescaped) reading only ``folder``.

    One environment a folder is kept for the process, so a template compiles once (Jinja still
    notices an edited template by its time stamp, so a long-running ``watch`` sees a change).
    """
    return _environment(str(folder.resolve()))


@functools.cache
def _environment(folder: str) -> Any:
    environment = jinja_environment()
    environment.loader = FileSystemLoader(folder)
    environment.filters["slug"] = slug
    return environment


def render_html(template_name: str, context: Mapping[str, Any], folder: Path = TEMPLATES) -> str:
    """A page's HTML. Raises InputError naming the template and the tag or line when it cannot render."""
    template_path(template_name, folder)
    label = f"templates/{template_name}"
    environment = html_environment(folder)
    try:
        return str(environment.get_template(template_name).render(context))
    except UndefinedError as exc:
        raise InputError([_undefined_problem(label, str(exc), context)]) from exc
    except TemplateSyntaxError as exc:
        where = f"templates/{exc.name}" if exc.name else label
        problem = Problem(where, f"template syntax error: {exc.message}", "correct the tag", cell=f"line {exc.lineno}")
        raise InputError([problem]) from exc
    except TemplateNotFound as exc:
        raise InputError([Problem(f"templates/{exc.name}", "template not found", _RESTORE)]) from exc
    except SecurityError as exc:
        raise InputError([Problem(label, f"the template tried something unsafe ({exc})", "remove that tag")]) from exc


def render_html_page(template_name: str, context: Mapping[str, Any], folder: Path, templates: Path = TEMPLATES) -> Path:
    """Render ``templates/<template_name>`` into ``folder/<template_name>`` with the stylesheet and logo.

    Raises InputError when the template or an asset is missing or the template cannot render.
    """
    html = render_html(template_name, context, templates)
    folder.mkdir(parents=True, exist_ok=True)
    for asset in WEBSITE_ASSETS:
        shutil.copyfile(template_path(asset, templates), folder / asset)
    page = folder / template_name
    page.write_text(html, encoding="utf-8")
    return page


def write_html_edition(
    assessment: Assessment, charts: Sequence[Any], folder: Path, copy_svgs: bool = True
) -> list[Path]:
    """The website edition into ``folder``: both pages from the Word documents' contexts, SVGs and stylesheet.

    ``charts`` are the chart pack's drawn files (without ``copy_svgs``, files whose CSVs are written
    and whose SVGs the caller copies when drawn). Without plan content only the assessment is written
    (and it links to no plan). Raises InputError when a template cannot render.
    """
    from .context import assessment_context, plan_context

    images = html_charts(charts, folder, copy_svgs)
    has_plan = assessment.settings.plan_on_a_page is not None
    context = {**assessment_context(assessment, HtmlBuilder(), images), "plan_page": PLAN_PAGE if has_plan else ""}
    pages = [render_html_page(ASSESSMENT_PAGE, context, folder)]
    if has_plan:
        pages.append(render_html_page(PLAN_PAGE, plan_context(assessment), folder))
    return pages
