"""Build the Word templates in ``templates/`` from code, so their structure is reviewable.

The templates are ordinary Word documents with Jinja tags (docxtpl). Once
built they belong to the partnership: restyle them in Word (fonts, colours,
logo in the header, footer text) and keep the tags. The program finds the
styles it uses by the names Word shows (``Assessment Table`` for every
table, ``Table Text``, ``Explanatory Note``, ``Caption``, ``TOC 1``/``TOC 2``,
``Hyperlink``, the list and heading styles): restyle them freely, keep the
names. Run again only to reset them to the shipped design:

    python scripts/build_templates.py
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

from strategic_assessment.documents.blocks import mark_rows, set_widths, table_look

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FONT = "Arial"
DARK_BLUE = RGBColor(0x12, 0x43, 0x6D)
INK = RGBColor(0x0B, 0x0C, 0x0C)
HEADER_FILL = "12436D"
LINK_BLUE = "1D70B8"
STRIP_FILL = "DCEBF5"
RULE_GREY = "808080"
TABLE_STYLE = "Assessment Table"
NOTE_STYLE = "Explanatory Note"  # not "Note": LibreOffice would remap the standard PDF /Note tag to it
CREATED = dt.datetime(2024, 1, 1, 9, 0, 0)
TEXT_WIDTH_CM = 16.0  # A4 portrait less 2.5 cm margins: the contents' page numbers align here


def _set_language(document: DocumentObject) -> None:
    """en-GB as the language of every style, via the document defaults."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _arial(rpr.find(qn("w:rFonts")))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), "en-GB")
    colour = rpr.find(qn("w:color"))
    if colour is None:  # the text colour lives here, below the table style, so a header row can be white
        colour = OxmlElement("w:color")
        rpr.insert(0, colour)
    colour.set(qn("w:val"), str(INK))


def _font(style: object, size: float, bold: bool | None = False, colour: RGBColor | None = INK) -> None:
    """Arial at ``size``; ``None`` for bold or colour leaves them to the defaults (and to the table style)."""
    font = style.font  # type: ignore[attr-defined]
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    if colour is not None:
        font.color.rgb = colour
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    _arial(rpr.find(qn("w:rFonts")))


def _arial(fonts: object) -> None:
    """Arial for every script, with the theme-font attributes (which would win over it) removed."""
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)  # type: ignore[attr-defined]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)  # type: ignore[attr-defined]


def _styles(document: DocumentObject, body: float) -> None:
    styles = document.styles
    _font(styles["Normal"], body, bold=None, colour=None)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    styles["Normal"].paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 26), ("Subtitle", 16)):
        _font(styles[name], size, bold=name == "Title", colour=DARK_BLUE)
    _no_rule(styles["Title"])
    for level, size in ((1, 18), (2, 14), (3, 12)):
        style = styles[f"Heading {level}"]
        _font(style, size, bold=True, colour=DARK_BLUE)
        style.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    _font(styles["Caption"], body, colour=INK)
    styles["Caption"].font.italic = False
    _font(styles["List Bullet"], body)
    _font(styles["List Number"], body)
    for level in (1, 2):
        toc = styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.element.name_val = f"toc {level}"  # Word's own name: References › Update Table uses it
        toc.base_style = styles["Normal"]
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
        toc.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    _font(note, body)
    note.font.italic = True
    note.paragraph_format.space_before = Pt(4)
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    _font(table_text, body, bold=None, colour=None)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor.from_string(LINK_BLUE)
    link.font.underline = True
    _table_style(document)


def _no_rule(style: object) -> None:
    """No border under the title: a drawn rule is decoration a screen reader would meet untagged."""
    properties = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    border = properties.find(qn("w:pBdr"))
    if border is not None:
        properties.remove(border)


def _table_style(document: DocumentObject) -> None:
    """The table style every table takes its look from: thin grid, white-on-blue bold header row."""
    style = document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = document.styles["Table Grid"]
    element = style.element
    paragraph = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    paragraph.append(spacing)
    table = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        for attribute, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", RULE_GREY)):
            border.set(qn(attribute), value)
        borders.append(border)
    table.append(borders)
    header = OxmlElement("w:tblStylePr")
    header.set(qn("w:type"), "firstRow")
    header_run = OxmlElement("w:rPr")
    header_run.append(OxmlElement("w:b"))
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "FFFFFF")
    header_run.append(colour)
    header_cell = OxmlElement("w:tcPr")
    shading = OxmlElement("w:shd")
    for attribute, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", HEADER_FILL)):
        shading.set(qn(attribute), value)
    header_cell.append(shading)
    header.extend([OxmlElement("w:pPr"), header_run, OxmlElement("w:tblPr"), OxmlElement("w:trPr"), header_cell])
    element.extend([paragraph, table, header])


def _repeat_header(table: Table) -> None:
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _shade(cell: object, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _table(
    document: DocumentObject,
    header: list[str],
    loop: str,
    cells: list[str],
    widths: list[float],
    numeric: tuple[int, ...] = (),
) -> Table:
    """A table in the template's table style (repeating header row, rows kept whole) with a docxtpl row loop."""
    table = document.add_table(rows=4, cols=len(header))
    table.style = document.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table_look(table._tbl)
    for index, text in enumerate(header):
        cell = table.rows[0].cells[index]
        cell.text = ""
        cell.paragraphs[0].add_run(text)
        cell.paragraphs[0].style = document.styles["Table Text"]
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for index, text in enumerate(cells):
        table.rows[2].cells[index].text = text
        table.rows[2].cells[index].paragraphs[0].style = document.styles["Table Text"]
    table.rows[3].cells[0].text = "{%tr endfor %}"
    set_widths(table, widths)
    for index in numeric:
        for row in table.rows:
            row.cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    mark_rows(table._tbl)
    return table


def _field(paragraph: object, instruction: str) -> None:
    """A simple Word field (page numbers in the footer)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)  # type: ignore[attr-defined]


def _page_break(document: DocumentObject) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _properties(document: DocumentObject, title: str) -> None:
    properties = document.core_properties
    properties.title = title
    properties.author = "{{ author }}"
    properties.language = "en-GB"
    properties.subject = "Community safety strategic assessment"
    properties.created = CREATED
    properties.modified = CREATED
    properties.last_modified_by = "strategic-assessment"
    properties.revision = 1


def _margins(document: DocumentObject, margin: float) -> None:
    for section in document.sections:
        section.top_margin = section.bottom_margin = Cm(margin)
        section.left_margin = section.right_margin = Cm(margin)


def _bullet_loop(add: Callable[..., object], item: str, items: str) -> None:
    """A bullet paragraph repeated for each item of a list in the context."""
    add(f"{{%p for {item} in {items} %}}")
    add(f"{{{{ {item} }}}}", style="List Bullet")
    add("{%p endfor %}")


def _chart_loop(add: Callable[..., object], charts: str) -> None:
    """Each chart of a list in the context, kept with its caption; figures numbered by a SEQ field."""
    add(f"{{%p for chart in {charts} %}}")
    picture = add("{{ chart.image }}")
    picture.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    caption = add("Figure ", style="Caption")
    _field(caption, "SEQ Figure \\* ARABIC")
    caption.add_run(": {{ chart.label }}")  # type: ignore[attr-defined]
    add("{%p endfor %}")


def _note_loop(add: Callable[..., object], notes: str) -> None:
    """Each note of a list in the context, in the note style."""
    add(f"{{%p for note in {notes} %}}")
    add("{{ note }}", style=NOTE_STYLE)
    add("{%p endfor %}")


def a4_document(title: str, footer: str, margin: float) -> DocumentObject:
    """A new A4 portrait document in the house styles: language, styles, margins, title and a footer with the page."""
    document = Document()
    _set_language(document)
    _styles(document, 11)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    _margins(document, margin)
    _properties(document, title)
    paragraph = section.footer.paragraphs[0]
    paragraph.text = footer
    _field(paragraph, "PAGE")
    return document


def quick_facts(document: DocumentObject) -> None:
    """The Quick facts section: key facts, their charts, the neighbourhoods with the highest rates, the notes."""
    add = document.add_paragraph
    document.add_heading("Quick facts", level=1)
    _bullet_loop(add, "fact", "key_facts")
    _chart_loop(add, "quick_fact_charts")
    document.add_heading("{{ neighbourhood_heading }}", level=2)
    add("{{ neighbourhood_intro }}")
    add("{%p if neighbourhoods and neighbourhood_rates %}")
    _table(
        document,
        ["Neighbourhood", "Crimes", "Residents", "Rate per 1,000"],
        "n in neighbourhoods",
        ["{{ n.name }}", "{{ n.crimes }}", "{{ n.population }}", "{{ n.rate }}"],
        [7.0, 3.0, 3.0, 3.0],
        numeric=(1, 2, 3),
    )
    add("{%p elif neighbourhoods %}")  # no populations: the crimes alone, no columns of n/a
    _table(
        document,
        ["Neighbourhood", "Crimes"],
        "n in neighbourhoods",
        ["{{ n.name }}", "{{ n.crimes }}"],
        [10.0, 3.0],
        numeric=(1,),
    )
    add("{%p endif %}")
    _note_loop(add, "not_available")


def crime_table(document: DocumentObject) -> None:
    """The Crime table section: its opening line, every crime type's row, its notes."""
    add = document.add_paragraph
    document.add_heading("Crime table", level=1)
    add("{{ crime_table_intro }}")
    # Only the columns this area's figures fill: the comparison year and the change where it is complete,
    # the rate where a population base was given (no columns of n/a).
    add("{%p if compared and rated %}")
    _table(
        document,
        ["Crime type", "{{ comparison_year }}", "{{ year }}", "% change (no. crimes)", "Rate per 1,000"],
        "row in crime_table",
        ["{{ row.crime_type }}", "{{ row.previous }}", "{{ row.current }}", "{{ row.change }}", "{{ row.rate }}"],
        [5.4, 2.4, 2.4, 3.4, 2.4],
        numeric=(1, 2, 3, 4),
    )
    add("{%p elif compared %}")
    _table(
        document,
        ["Crime type", "{{ comparison_year }}", "{{ year }}", "% change (no. crimes)"],
        "row in crime_table",
        ["{{ row.crime_type }}", "{{ row.previous }}", "{{ row.current }}", "{{ row.change }}"],
        [6.4, 2.8, 2.8, 4.0],
        numeric=(1, 2, 3),
    )
    add("{%p elif rated %}")
    _table(
        document,
        ["Crime type", "{{ year }}", "Rate per 1,000"],
        "row in crime_table",
        ["{{ row.crime_type }}", "{{ row.current }}", "{{ row.rate }}"],
        [8.0, 3.0, 3.0],
        numeric=(1, 2),
    )
    add("{%p else %}")
    _table(
        document,
        ["Crime type", "{{ year }}"],
        "row in crime_table",
        ["{{ row.crime_type }}", "{{ row.current }}"],
        [10.0, 4.0],
        numeric=(1,),
    )
    add("{%p endif %}")
    _note_loop(add, "crime_table_notes")


def build_strategic_assessment(path: Path) -> None:
    """The Strategic Assessment template: every section in order (docs/documents.md)."""
    document = a4_document(
        "{{ partnership }}: a strategic assessment of threat, risk and harm {{ year }}",
        "{{ partnership }} strategic assessment {{ year }}    Page ",
        margin=2.5,
    )

    add = document.add_paragraph
    add("{{ partnership }}", style="Title")
    add("A strategic assessment of threat, risk and harm {{ year }}", style="Subtitle")
    add("{{ period_line }}")
    add("{{ published }}")
    add("{{ prepared_by }}")
    _page_break(document)

    update = OxmlElement("w:updateFields")  # Word fills in the contents' page numbers on opening
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
    add("Contents", style="TOC Heading")  # Word's own style for it: the contents does not list itself
    add("{{p contents }}")
    _page_break(document)

    document.add_heading("Introduction", level=1)
    add("{{p introduction }}")
    document.add_heading("Acknowledgements", level=2)
    add("{{p acknowledgements }}")

    document.add_heading("Area overview", level=1)
    add("{{ area_overview_intro }}")
    add("{%p if key_statistics %}")
    _table(
        document,
        ["Measure", "{{ area }}", "{{ comparison_label }}"],
        "s in key_statistics",
        ["{{ s.label }}", "{{ s.value }}", "{{ s.comparison }}"],
        [9.0, 3.5, 3.5],
    )
    add("{%p endif %}")

    quick_facts(document)

    document.add_heading("Crime trends", level=1)
    _bullet_loop(add, "sentence", "trend_sentences")
    add("{{p trends_narrative }}")

    crime_table(document)

    document.add_heading("Analysis findings", level=1)
    add("{{ findings_intro }}")
    _chart_loop(add, "findings_charts")
    add("{%p for level in findings %}")
    document.add_heading("{{ level.name }}", level=2)
    add("{{ level.meaning }}")
    _bullet_loop(add, "item", "level.threats")
    add("{%p endfor %}")
    _note_loop(add, "override_notes")

    add("{%p for theme in themes %}")
    document.add_heading("{{ theme.name }}", level=1)
    add("{{p theme.table }}")
    add("{%p if theme.key_statistics %}")
    document.add_heading("Key statistics", level=2)
    _bullet_loop(add, "statistic", "theme.key_statistics")
    add("{%p endif %}")
    add("{%p for part in theme.narrative %}")
    document.add_heading("{{ part.heading }}", level=2)
    add("{{p part.body }}")
    add("{%p endfor %}")
    add("{%p endfor %}")

    document.add_heading("Appendix A: understanding threat, risk and harm", level=1)
    add("{{p method }}")
    document.add_heading("Appendix B: changes, disagreements and data sources", level=1)
    document.add_heading("Changes of rating since last year", level=2)
    add("{{p rating_changes }}")
    document.add_heading("Workshop disagreements", level=2)
    add("{{p disagreements }}")
    document.add_heading("Data sources and notes", level=2)
    add("{{p data_sources }}")
    document.save(str(path))


def build_plan_on_a_page(path: Path) -> None:
    """The Plan on a Page template: one A4 landscape page."""
    document = Document()
    _set_language(document)
    _styles(document, 11)
    styles = document.styles
    styles["Normal"].paragraph_format.space_after = Pt(2)
    styles["Normal"].paragraph_format.line_spacing = 1.0
    styles["List Bullet"].paragraph_format.space_after = Pt(0)
    _font(styles["Title"], 20, bold=True, colour=DARK_BLUE)
    styles["Title"].paragraph_format.space_after = Pt(2)
    for level in (1, 2):
        styles[f"Heading {level}"].paragraph_format.space_before = Pt(4)
        styles[f"Heading {level}"].paragraph_format.space_after = Pt(2)
    _font(styles["Heading 1"], 12, bold=True, colour=DARK_BLUE)
    _properties(document, "{{ partnership }}: Plan on a Page {{ plan_year }}")
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    _margins(document, 1.2)

    add = document.add_paragraph
    add("{{ title }}", style="Title")
    add("{{ vision_line }}", style="Subtitle")
    add("{{ headline_strip }}", style=_headline_style(document))  # a shaded paragraph, not a table of its own

    grid = document.add_table(rows=2, cols=3)
    grid.style = document.styles[TABLE_STYLE]
    table_look(grid._tbl)
    headings = ["Focus areas", "Priorities", "Thematic groups"]
    for index, text in enumerate(headings):
        cell = grid.rows[0].cells[index]
        cell.paragraphs[0].add_run(text)
        cell.paragraphs[0].style = document.styles["Table Text"]
    mark_rows(grid._tbl)
    focus, priorities, groups = grid.rows[1].cells
    focus.paragraphs[0].text = "{%p for area in focus_areas %}"
    _own_list(document, focus.add_paragraph("{{ area }}", style="List Bullet"))
    focus.add_paragraph("{%p endfor %}")
    priorities.paragraphs[0].text = "{%p for priority in priorities %}"
    _own_list(document, priorities.add_paragraph("{{ priority }}", style="List Bullet"))
    priorities.add_paragraph("{%p endfor %}")
    rated = priorities.add_paragraph("{{ rated_high_heading }}", style="Table Text")
    rated.runs[0].bold = True
    rated.paragraph_format.space_before = Pt(3)
    priorities.add_paragraph("{%p for line in rated_high %}")
    priorities.add_paragraph("{{ line }}", style="Table Text")
    priorities.add_paragraph("{%p endfor %}")
    groups.paragraphs[0].text = "{%p for group in thematic_groups %}"
    heading = groups.add_paragraph(style="Table Text")
    heading.paragraph_format.space_before = Pt(3)  # a little air between one group and the next
    heading.add_run("{{ group.name }}").bold = True
    heading.add_run(" (chairs: {{ group.chairs }})")
    groups.add_paragraph("{{ group.remit }}", style="Table Text")
    groups.add_paragraph("{%p endfor %}")
    set_widths(grid, [7.3, 10.0, 10.0])

    add("Key deliverables", style="Heading 1")
    _table(
        document,
        ["Deliverable", "Lead", "When"],
        "d in key_deliverables",
        ["{{ d.what }}", "{{ d.lead }}", "{{ d.when }}"],
        [13.0, 9.3, 5.0],
    )
    add("{{ footer_line }}", style=NOTE_STYLE)
    document.save(str(path))


def _headline_style(document: DocumentObject) -> str:
    """A shaded paragraph style for the strip of headline figures."""
    style = document.styles.add_style("Headline Figures", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.paragraph_format.space_before = Pt(2)
    style.paragraph_format.space_after = Pt(6)
    shading = OxmlElement("w:shd")
    for attribute, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", STRIP_FILL)):
        shading.set(qn(attribute), value)
    style.element.get_or_add_pPr().append(shading)
    return "Headline Figures"


def _own_list(document: DocumentObject, paragraph: object) -> None:
    """Give a bulleted paragraph a list of its own (a new numbering instance), so each cell is one list."""
    numbering = document.part.numbering_part.element
    style_numbering = document.styles["List Bullet"].element.pPr.find(qn("w:numPr"))
    abstract = numbering.num_having_numId(int(style_numbering.find(qn("w:numId")).get(qn("w:val")))).abstractNumId
    number = numbering.add_num(abstract.val)
    properties = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    own = OxmlElement("w:numPr")
    level, identifier = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    level.set(qn("w:val"), "0")
    identifier.set(qn("w:val"), str(number.numId))
    own.extend([level, identifier])
    properties.append(own)


def main() -> None:
    TEMPLATES.mkdir(exist_ok=True)
    build_strategic_assessment(TEMPLATES / "strategic_assessment.docx")
    build_plan_on_a_page(TEMPLATES / "plan_on_a_page.docx")
    __import__("build_data_pack_template").build_data_pack(TEMPLATES / "data_pack.docx")
    print(f"Wrote {TEMPLATES / 'strategic_assessment.docx'} and {TEMPLATES / 'plan_on_a_page.docx'}")


if __name__ == "__main__":
    main()
