"""HTML content for the website edition: the twin of ``BlockBuilder`` with the same methods.

``assessment_context`` and ``plan_context`` build their blocks with whichever
builder they are given, so the HTML edition and the Word documents come from
one context and never disagree. Every piece is ``markupsafe.Markup``: text is
escaped as it goes in, so Jinja's autoescaping leaves the built markup alone
and nothing in an input can become a tag.

Tables get a ``<caption>``, ``<th scope="col">`` header cells and a
``<th scope="row">`` first cell in every row; a shaded cell keeps its word and
gets the text colour with the higher contrast on its fill, as the WCAG
formula below measures it: near-black or white, or pure black on the few
mid-tones where neither reaches 4.5:1. Black or white always reaches it (the
worst fill for the pair still gives 4.58:1), so no rated cell is less
readable than AA asks, whatever colours a model gives its bands.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from .blocks import Block, Cell, Run

INK = "#0b0c0c"
BLACK = "#000000"
WHITE = "#ffffff"
MIN_CONTRAST = 4.5
HEADING_OFFSET = 1  # the page's title is the h1, so the Word document's Heading 1 is an h2
NOTE_STYLES = {"Note"}
FILL = re.compile(r"#[0-9a-f]{6}")
STACKED_COLUMNS = 4  # tables this wide become one card a row on a narrow screen


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""
    digits = colour.lstrip("#")
    channels = [int(digits[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@functools.cache
def text_colour_on(fill: str) -> str:
    """Near-black or white, whichever reads better on the fill; pure black on a mid-tone neither reaches 4.5:1 on."""
    best = INK if contrast_ratio(INK, fill) >= contrast_ratio(WHITE, fill) else WHITE
    if contrast_ratio(best, fill) >= MIN_CONTRAST:
        return best
    return BLACK if contrast_ratio(BLACK, fill) >= contrast_ratio(WHITE, fill) else WHITE


def slug(text: str) -> str:
    """A heading's fragment identifier: lower-case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words) or "section"


def _escaped(text: str) -> str:
    """Text escaped for HTML, as a plain string (the pieces below are joined as strings: measured 4x faster)."""
    return str(escape(text))


def runs_markup(runs: Sequence[Run] | str) -> Markup:
    """Runs as inline HTML: ``<strong>``, ``<em>``, ``<sup>`` and links."""
    if isinstance(runs, str):
        return escape(runs)
    return Markup("".join(_run_html(run) for run in runs))


def _run_html(run: Run) -> str:
    text = _escaped(run.text)
    if run.superscript:
        text = f"<sup>{text}</sup>"
    if run.italic:
        text = f"<em>{text}</em>"
    if run.bold:
        text = f"<strong>{text}</strong>"
    if run.link:
        text = f'<a href="{_escaped(run.link)}">{text}</a>'
    return text


@dataclass
class HtmlBuilder:
    """Builds HTML blocks with the methods of ``BlockBuilder``; headings are one level down (h1 is the title)."""

    ids: dict[str, int] = field(default_factory=dict)

    def paragraph(self, runs: Sequence[Run] | str, style: str = "", style_id: str = "") -> Markup:
        """One paragraph; Word's heading, list and note styles become their HTML elements."""
        name = style_id or style.replace(" ", "")
        if name.startswith("Heading") and name[7:].isdigit():
            return self.heading(runs, int(name[7:]))
        if name in ("ListBullet", "ListNumber"):
            tag = "ul" if name == "ListBullet" else "ol"
            return Markup("<{0}><li>{1}</li></{0}>").format(Markup(tag), runs_markup(runs))
        if name in NOTE_STYLES:
            return Markup('<p class="note">{}</p>').format(runs_markup(runs))
        return Markup("<p>{}</p>").format(runs_markup(runs))

    def paragraphs(self, texts: Sequence[str], style: str = "") -> Block:
        return Block([self.paragraph(text, style) for text in texts])

    def bullets(self, items: Sequence[Sequence[Run] | str]) -> list[Any]:
        return [self._list("ul", items)] if items else []

    def numbered(self, items: Sequence[Sequence[Run] | str]) -> list[Any]:
        return [self._list("ol", items)] if items else []

    def _list(self, tag: str, items: Sequence[Sequence[Run] | str]) -> Markup:
        entries = Markup("").join(Markup("<li>{}</li>").format(runs_markup(item)) for item in items)
        return Markup("<{0}>{1}</{0}>").format(Markup(tag), entries)

    def note(self, text: str) -> Markup:
        return Markup('<p class="note">{}</p>').format(text)

    def heading(self, text: Sequence[Run] | str, level: int) -> Markup:
        """An ``<h2>`` for Word's Heading 1 and so on, with an id to link to."""
        words = text if isinstance(text, str) else "".join(run.text for run in text)
        tag = Markup(f"h{min(level + HEADING_OFFSET, 6)}")
        return Markup('<{0} id="{1}">{2}</{0}>').format(tag, self.unique_id(words), runs_markup(text))

    def unique_id(self, text: str) -> str:
        """The heading's slug, numbered from its second use so every id on the page is unique."""
        base = slug(text)
        seen = self.ids.get(base, 0)
        self.ids[base] = seen + 1
        return base if not seen else f"{base}-{seen + 1}"

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell | str]],
        widths: Sequence[float],
        caption: str = "",
        numeric: Sequence[int] = (),
    ) -> Markup:
        """A data table: caption, column headers, a row header first in each row, shaded cells worded.

        The ``numeric`` columns (by index) take the ``num`` class: right-aligned, figures of one width.
        """
        labels = [_escaped(text) for text in header]
        classes = [' class="num"' if index in numeric else "" for index in range(len(labels))]
        head = "".join(f'<th scope="col"{kind}>{label}</th>' for kind, label in zip(classes, labels, strict=True))
        body = "".join(_row_html(row, labels, numeric) for row in rows)
        caption_html = f"<caption>{_escaped(caption)}</caption>" if caption else ""
        layout = ' class="stack"' if len(header) >= STACKED_COLUMNS else ""
        return Markup(
            f'<div class="table-scroll" role="region" aria-label="{_escaped(caption or "Table")}" tabindex="0">'
            f"<table{layout}>{caption_html}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )

    def contents(self, entries: Sequence[tuple[int, str]]) -> Block:
        """The contents as a nested list of links to the headings (their slugs, in the order given)."""
        if not entries:
            return Block()
        ids: dict[str, int] = {}
        html = Markup("<ol>")
        depth = 1
        for index, (level, text) in enumerate(entries):
            if index and level > depth:
                html += Markup("<ol>")
            elif index and level < depth:
                html += Markup("</li></ol></li>")
            elif index:
                html += Markup("</li>")
            depth = level
            base = slug(text)
            seen = ids.get(base, 0)
            ids[base] = seen + 1
            target = base if not seen else f"{base}-{seen + 1}"
            html += Markup('<li><a href="#{}">{}</a>').format(target, text)
        html += Markup("</li>") + Markup("</ol></li>") * (depth - 1) + Markup("</ol>")
        return Block([html])


def _row_html(row: Sequence[Cell | str], labels: Sequence[str], numeric: Sequence[int] = ()) -> str:
    """One body row; ``labels`` are the escaped column headers, ``numeric`` the right-aligned columns."""
    cells = [value if isinstance(value, Cell) else Cell(str(value)) for value in row]
    names = [*labels, *[""] * (len(cells) - len(labels))][: len(cells)]
    return (
        "<tr>"
        + "".join(
            _cell_html(cell, name, index == 0, index in numeric)
            for index, (cell, name) in enumerate(zip(cells, names, strict=True))
        )
        + "</tr>"
    )


def cell_markup(cell: Cell, label: str = "", header: bool = False) -> Markup:
    """One table cell; a shaded cell carries its fill and a readable text colour.

    ``label`` is the column's header, shown beside the value when a narrow screen stacks the table.
    """
    return Markup(_cell_html(cell, _escaped(label), header))


def _cell_html(cell: Cell, label: str, header: bool, numeric: bool = False) -> str:
    content = "".join(_run_html(run) for run in cell.runs or (Run(cell.text, bold=cell.bold),))
    attributes = ' scope="row"' if header else (f' data-label="{label}"' if label else "")
    if cell.fill:
        fill = "#" + cell.fill.lstrip("#").lower()
        if not FILL.fullmatch(fill):
            raise ValueError(f"not a colour: {cell.fill!r}")
        rated = "rated num" if numeric else "rated"
        attributes += f' class="{rated}" style="background-color:{fill};color:{text_colour_on(fill)}"'
    elif numeric:
        attributes += ' class="num"'
    if header:
        return f"<th{attributes}>{content}</th>"
    return f"<td{attributes}><span>{content}</span></td>"
