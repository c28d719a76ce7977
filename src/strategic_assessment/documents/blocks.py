"""Blocks of Word content (paragraphs, bullets, tables, a contents field) for ``{{p ... }}`` tags.

A ``Block`` is a list of WordprocessingML elements built with python-docx on a
scratch document and handed to the template as markup-safe XML, so Jinja's
autoescaping leaves it alone while every text inside it was escaped by the
XML library. One scratch document serves a whole render: building a block is
cheap. Tables get a repeating header row, no merged cells and shaded cells
that always carry a word too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

WHITE = RGBColor(0xFF, 0xFF, 0xFF)
HEADER_FILL = "12436D"
LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)
CELL_MARGIN_CM = 0.1


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
    return element.__html__() if hasattr(element, "__html__") else etree.tostring(element, encoding="unicode")


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
        self, header: Sequence[str], rows: Sequence[Sequence[Cell | str]], widths: Sequence[float], caption: str = ""
    ) -> Any: ...

    def contents(self, entries: Sequence[tuple[int, str]]) -> Block: ...


@dataclass
class BlockBuilder:
    """Builds blocks on one scratch document; hyperlinks are related to the target document part."""

    part: Any = None
    scratch: Any = field(default_factory=Document)

    def _take(self, element: Any) -> Any:
        element.getparent().remove(element)
        return element

    def paragraph(self, runs: Sequence[Run] | str, style: str = "", style_id: str = "") -> Any:
        """One paragraph element."""
        paragraph = self.scratch.add_paragraph()
        if style_id or style:
            _set_style_id(paragraph, style_id or style.replace(" ", ""))
        for run in [Run(runs)] if isinstance(runs, str) else runs:
            self._add_run(paragraph, run)
        return self._take(paragraph._p)

    def _add_run(self, paragraph: Paragraph, run: Run) -> None:
        if run.link and self.part is not None:
            _hyperlink(paragraph, run, self.part)
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
        return self.paragraph(text, style_id="Note")

    def heading(self, text: str, level: int) -> Any:
        return self.paragraph(text, f"Heading {level}")

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[Cell | str]], widths: Sequence[float], caption: str = ""
    ) -> Any:
        """A table with a marked, repeating header row; cells may be shaded.

        ``caption`` names the table in the HTML edition; in Word the heading above it does.
        """
        table = self.scratch.add_table(rows=len(rows) + 1, cols=len(header))
        table_style = OxmlElement("w:tblStyle")
        table_style.set(qn("w:val"), "TableGrid")
        table._tbl.tblPr.insert(0, table_style)
        table_rows = list(table.rows)
        for target, text in zip(table_rows[0].cells, header, strict=True):
            self._fill(target, Cell(text, HEADER_FILL, bold=True), header=True)
        for table_row, row in zip(table_rows[1:], rows, strict=True):
            for target, value in zip(table_row.cells, row, strict=True):
                self._fill(target, value if isinstance(value, Cell) else Cell(str(value)))
        set_widths(table, widths)
        header_properties = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_properties.append(repeat)
        return self._take(table._tbl)

    def _fill(self, target: Any, cell: Cell, header: bool = False) -> None:
        paragraph = target.paragraphs[0]
        _set_style_id(paragraph, "TableText")
        for run in cell.runs or (Run(cell.text, bold=cell.bold),):
            self._add_run(paragraph, run)
            if header:
                paragraph.runs[-1].font.color.rgb = WHITE
        if cell.fill:
            properties = target._tc.get_or_add_tcPr()
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:color"), "auto")
            shading.set(qn("w:fill"), cell.fill.lstrip("#"))
            properties.append(shading)

    def contents(self, entries: Sequence[tuple[int, str]]) -> Block:
        """A Word table-of-contents field whose cached text lists the headings.

        Word refreshes it with page numbers (References › Update table);
        LibreOffice and PDF copies show the cached list.
        """
        paragraphs = [self.paragraph(text, style_id=f"TOC{level}") for level, text in entries]
        if not paragraphs:
            return Block()
        first, last = paragraphs[0], paragraphs[-1]
        begin = [_field_char("begin"), _instruction('TOC \\o "1-2" \\h \\z \\u'), _field_char("separate")]
        properties = first.find(qn("w:pPr"))
        position = 1 if properties is not None else 0
        for offset, run in enumerate(begin):
            first.insert(position + offset, run)
        last.append(_field_char("end"))
        return Block(paragraphs)


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


def _field_char(kind: str) -> Any:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _instruction(text: str) -> Any:
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = text
    run.append(instruction)
    return run


def _hyperlink(paragraph: Paragraph, run: Run, part: Any) -> None:
    relation = part.relate_to(run.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    element = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(LINK_COLOUR))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.extend([colour, underline])
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
