"""Blocks of Word content (paragraphs, bullets, tables, a contents field) for ``{{p ... }}`` tags.

A ``Block`` is a list of WordprocessingML elements built with python-docx on a
scratch document and handed to the template as markup-safe XML, so Jinja's
autoescaping leaves it alone while every text inside it was escaped by the
XML library. One scratch document serves every render of a thread: building a
block is cheap, and opening python-docx's default document is not (about 13 ms
of CPU, two of them in each generate before it was kept). Styles are applied by
the ids the template's own styles have (found by name when the template is
loaded), so restyling the template in Word restyles
what the program builds: tables take their look, header row included, from
the template's table style. Tables get a repeating header row, rows that never
split across pages, no merged cells and shaded cells that always carry a word
too.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from .fields import field_char, instruction_run
from .template_check import DEFAULT_STYLE_IDS

CELL_MARGIN_CM = 0.1
CONTENTS_INSTRUCTION = 'TOC \\o "1-1" \\h \\z \\u'  # the sections; their sub-headings would fill two pages


@dataclass(frozen=True)
class Run:
    """A piece of text with its formatting; ``link`` makes it a hyperlink."""

    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False
    link: str = ""


@dataclass(frozen=True)
class Cell:
    """A table cell: its text (or runs), an optional fill colour, and bold."""

    text: str = ""
    fill: str = ""
    bold: bool = False
    runs: tuple[Run, ...] = ()


class Block:
    """Word body elements rendered into a ``{{p ... }}`` tag."""

    def __init__(self, elements: Sequence[Any] = ()) -> None:
        self.elements = list(elements)

    def __html__(self) -> str:
        return "".join(_markup(element) for element in self.elements)

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:
        return bool(self.elements)

    def text(self) -> str:
        """The block's visible text, for tests and logs."""
        return "\n".join(_visible_text(node) for node in self.elements)


def _markup(element: Any) -> str:
    """An element's markup: a WordprocessingML element serialised, or HTML already escaped (``__html__``)."""
    return str(element.__html__() if hasattr(element, "__html__") else etree.tostring(element, encoding="unicode"))


def _visible_text(element: Any) -> str:
    return element.striptags() if hasattr(element, "striptags") else "".join(element.itertext())


class Builder(Protocol):
    """What the document contexts build content with: Word blocks (``BlockBuilder``) or HTML (``HtmlBuilder``)."""

    def paragraph(self, runs: Sequence[Run] | str, style: str = "", style_id: str = "") -> Any: ...

    def paragraphs(self, texts: Sequence[str], style: str = "") -> Block: ...

    def bullets(self, items: Sequence[Sequence[Run] | str]) -> list[Any]: ...

    def note(self, text: str) -> Any: ...

    def heading(self, text: str, level: int) -> Any: ...

    def numbered(self, items: Sequence[Sequence[Run] | str]) -> list[Any]: ...

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell | str]],
        widths: Sequence[float],
        caption: str = "",
        numeric: Sequence[int] = (),
    ) -> Any: ...

    def contents(self, entries: Sequence[tuple[int, str]]) -> Block: ...


_SCRATCH = threading.local()


def scratch_document() -> Any:
    """This thread's scratch document, emptied: python-docx's default document, opened once per thread.

    Each block built on it is taken out of its body (``BlockBuilder._take``); what a build that
    failed half-way left there is removed here. A thread has its own, as one lxml tree is not to be
    changed from two threads at once.
    """
    document = getattr(_SCRATCH, "document", None)
    if document is None:
        document = _SCRATCH.document = Document()
    body = document.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    return document


@dataclass
class BlockBuilder:
    """Builds blocks on one scratch document; hyperlinks are related to the target document part."""

    part: Any = None
    scratch: Any = field(default_factory=scratch_document)
    styles: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_STYLE_IDS))

    def _take(self, element: Any) -> Any:
        element.getparent().remove(element)
        return element

    def paragraph(self, runs: Sequence[Run] | str, style: str = "", style_id: str = "") -> Any:
        """One paragraph element."""
        paragraph = self.scratch.add_paragraph()
        if style_id or style:
            _set_style_id(paragraph, style_id or self._style(style))
        for run in [Run(runs)] if isinstance(runs, str) else runs:
            self._add_run(paragraph, run)
        return self._take(paragraph._p)

    def _style(self, name: str) -> str:
        """The template's id for a style named as Word names it ("List Bullet", "Heading 2")."""
        key = name.casefold().replace(" ", "_")
        return self.styles.get(key.replace("heading_", "heading"), name.replace(" ", ""))

    def _add_run(self, paragraph: Paragraph, run: Run) -> None:
        if run.link and self.part is not None:
            _hyperlink(paragraph, run, self.part, self.styles["hyperlink"])
            return
        added = paragraph.add_run(run.text)
        added.bold = run.bold or None
        added.italic = run.italic or None
        if run.superscript:
            added.font.superscript = True

    def paragraphs(self, texts: Sequence[str], style: str = "") -> Block:
        return Block([self.paragraph(text, style) for text in texts])

    def bullets(self, items: Sequence[Sequence[Run] | str]) -> list[Any]:
        return [self.paragraph(item, "List Bullet") for item in items]

    def numbered(self, items: Sequence[Sequence[Run] | str]) -> list[Any]:
        return [self.paragraph(item, "List Number") for item in items]

    def note(self, text: str) -> Any:
        return self.paragraph(text, style_id=self.styles["note"])

    def heading(self, text: str, level: int) -> Any:
        return self.paragraph(text, f"Heading {level}")

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell | str]],
        widths: Sequence[float],
        caption: str = "",
        numeric: Sequence[int] = (),
    ) -> Any:
        """A table in the template's table style, with a marked, repeating header row; cells may be shaded.

        ``caption`` names the table in the HTML edition; in Word the heading above it does. The
        ``numeric`` columns (by index) are right-aligned, header included, so figures line up.
        """
        table = self.scratch.add_table(rows=len(rows) + 1, cols=len(header))
        table_style = OxmlElement("w:tblStyle")
        table_style.set(qn("w:val"), self.styles["table"])
        table._tbl.tblPr.insert(0, table_style)
        table_look(table._tbl)
        table_rows = list(table.rows)
        for target, text in zip(table_rows[0].cells, header, strict=True):
            self._fill(target, Cell(text))
        for table_row, row in zip(table_rows[1:], rows, strict=True):
            for target, value in zip(table_row.cells, row, strict=True):
                self._fill(target, value if isinstance(value, Cell) else Cell(str(value)))
        for table_row in table_rows:
            for index in numeric:
                table_row.cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_widths(table, widths)
        mark_rows(table._tbl)
        return self._take(table._tbl)

    def _fill(self, target: Any, cell: Cell) -> None:
        paragraph = target.paragraphs[0]
        _set_style_id(paragraph, self.styles["table_text"])
        for run in cell.runs or (Run(cell.text, bold=cell.bold),):
            self._add_run(paragraph, run)
        if cell.fill:
            properties = target._tc.get_or_add_tcPr()
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:color"), "auto")
            shading.set(qn("w:fill"), cell.fill.lstrip("#"))
            properties.append(shading)

    def contents(self, entries: Sequence[tuple[int, str]] = ()) -> Block:
        """A Word table-of-contents field over the headings.

        Its entries are filled in from the rendered document's own headings (``fields.fill_contents``), so
        ``entries`` (the HTML edition's list) is not used here; Word or LibreOffice add the page numbers when
        they update the field.
        """
        paragraph = self.paragraph("", style_id=self.styles["toc1"])
        paragraph.extend(
            [field_char("begin"), instruction_run(CONTENTS_INSTRUCTION), field_char("separate"), field_char("end")]
        )
        return Block([paragraph])


def table_look(table: Any) -> None:
    """Tell Word and LibreOffice to apply the table style's header-row formatting (and no banding)."""
    properties = table.find(qn("w:tblPr"))
    look = properties.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        properties.append(look)
    for attribute, value in (
        ("w:val", "0420"),
        ("w:firstRow", "1"),
        ("w:lastRow", "0"),
        ("w:firstColumn", "0"),
        ("w:lastColumn", "0"),
        ("w:noHBand", "1"),
        ("w:noVBand", "1"),
    ):
        look.set(qn(attribute), value)


def mark_rows(table: Any) -> None:
    """The first row repeats as the header on every page; no row splits across a page break."""
    for index, row in enumerate(table.findall(qn("w:tr"))):
        properties = row.find(qn("w:trPr"))
        if properties is None:
            properties = OxmlElement("w:trPr")
            row.insert(1 if row.find(qn("w:tblPrEx")) is not None else 0, properties)
        if properties.find(qn("w:cantSplit")) is None:
            properties.insert(0, OxmlElement("w:cantSplit"))
        if index == 0 and properties.find(qn("w:tblHeader")) is None:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            properties.append(header)


def set_widths(table: Any, widths: Sequence[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid, cells and table width)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(_twips(width)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        properties.append(table_width)
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(_twips(sum(widths))))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(_twips(CELL_MARGIN_CM)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)


def _twips(centimetres: float) -> int:
    return int(Cm(centimetres).emu / 635)


def _set_style_id(paragraph: Paragraph, style_id: str) -> None:
    properties = paragraph._p.get_or_add_pPr()
    style = properties.find(qn("w:pStyle"))
    if style is None:
        style = OxmlElement("w:pStyle")
        properties.insert(0, style)
    style.set(qn("w:val"), style_id)


def _hyperlink(paragraph: Paragraph, run: Run, part: Any, style_id: str) -> None:
    """A link to a web address, in the template's Hyperlink character style (coloured and underlined there)."""
    relation = part.relate_to(run.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    link.set(qn("w:history"), "1")
    element = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    character_style = OxmlElement("w:rStyle")
    character_style.set(qn("w:val"), style_id)
    properties.append(character_style)
    if run.bold:
        properties.append(OxmlElement("w:b"))
    if run.italic:
        properties.append(OxmlElement("w:i"))
    element.append(properties)
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = run.text
    element.append(text)
    link.append(element)
    paragraph._p.append(link)


def space_after_tables(document: Any) -> int:
    """Give the paragraph after each table the gap a paragraph leaves below itself (Normal's space after).

    A table has no space below it, so without this the next line of text sits on the table's bottom
    border in Word and in the PDF. Headings, which already open with more space, keep theirs. Returns
    how many paragraphs were spaced.
    """
    gap = _style_space(document.styles["Normal"], "after") or Twips(120)
    spaced = 0
    for table in document.element.body.iter(qn("w:tbl")):
        following = table.getnext()
        if following is None or following.tag != qn("w:p"):
            continue
        paragraph = Paragraph(following, document._body)
        own = paragraph.paragraph_format.space_before
        before = own if own is not None else _style_space(paragraph.style, "before")
        if (before or 0) < gap:
            paragraph.paragraph_format.space_before = gap
            spaced += 1
    return spaced


def _style_space(style: Any, side: str) -> Any:
    """A paragraph style's space before (or after), looked up through the styles it is based on."""
    while style is not None:
        value = getattr(style.paragraph_format, f"space_{side}")
        if value is not None:
            return value
        style = style.base_style
    return None


ROWS_KEPT_AT_START = 4  # a table begins a page with its header row and at least three rows under it
ROWS_KEPT_AT_END = 3  # and ends with at least three rows, so no row is stranded at the top of a page


def keep_tables_together(document: Any) -> int:
    """Keep each table's first and last rows together, and the sentence that leads into it with it.

    A table that would break after its header and a row or two moves to the next page whole, taking the
    sentence that introduces it (and the heading kept with that sentence); a longer table still breaks,
    with its header repeated, but never leaves its first or last rows alone on a page. A short table is
    kept on one page. Done as Word and LibreOffice both read it: "keep with next" on the paragraphs of the
    rows that must stay with the row below. Tables inside other tables are left alone. Returns how many
    tables were marked.
    """
    marked = 0
    for table in document.element.body.iterchildren(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        if len(rows) < 2:
            continue
        kept = set(range(min(ROWS_KEPT_AT_START - 1, len(rows) - 1)))
        kept |= set(range(max(len(rows) - ROWS_KEPT_AT_END, 0), len(rows) - 1))
        for index in kept:
            for paragraph in rows[index].iter(qn("w:p")):
                Paragraph(paragraph, document._body).paragraph_format.keep_with_next = True
        leading = table.getprevious()
        if leading is not None and leading.tag == qn("w:p") and _leads_in(leading):
            Paragraph(leading, document._body).paragraph_format.keep_with_next = True
        marked += 1
    return marked


def _leads_in(paragraph: Any) -> bool:
    """Whether a paragraph just before a table is text to keep with it: not empty, not a section's end."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is not None and properties.find(qn("w:sectPr")) is not None:
        return False
    return any((text.text or "").strip() for text in paragraph.iter(qn("w:t")))
