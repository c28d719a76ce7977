"""The Strategic Assessment as a reader gets it: sections, tables, figures, accessibility, and a safe run.

The worked example (``inputs/``, Safer Plymouth 2018/19) is generated once for
the module and the .docx is read back with python-docx; a small hand-made
Testshire inputs folder, also generated once, carries Markdown, special
characters and missing optional sheets. Expected figures are worked out by
hand from the input files (shown in comments) or typed from the published
assessment (shared/DOMAIN.md), never copied from the program's output.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner, Result
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree
from openpyxl import load_workbook

from strategic_assessment.cli import cli
from strategic_assessment.documents import render
from strategic_assessment.documents.context import assessment_context
from strategic_assessment.errors import InputError
from strategic_assessment.pipeline import GenerateResult, build_assessment, generate
from strategic_assessment.records import Assessment

from .builders import (
    ANNUAL_ROWS,
    SCORE_HEADER,
    SCORE_ROWS,
    TESTSHIRE_PLAN,
    THEME_HEADER,
    THEME_ROWS,
    replace_row,
    write_crime,
    write_inputs,
    write_settings,
    write_workbook,
    write_workshop,
)
from .docx_styles import StyleNames
from .published import CARRIED_FORWARD, THEME_RATINGS

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
TEMPLATES = ROOT / "templates"
YEAR_FOLDER = "2018-19"
ASSESSMENT = "strategic_assessment.docx"
MINUS = "\u2212"

# SPEC §6.1 in order: (level, heading); the theme sections sit between Analysis findings and Appendix A.
SECTIONS_BEFORE_THEMES = (
    (1, "Introduction"),
    (2, "Acknowledgements"),
    (1, "Area overview"),
    (1, "Quick facts"),
    (2, "Neighbourhoods with the highest rates"),
    (1, "Crime trends"),
    (1, "Crime table"),
    (1, "Analysis findings"),
)
# The band words of models/morile.yaml's display columns: (highest value in the band, word), last band open.
BANDS: dict[str, tuple[tuple[float, str], ...]] = {
    "Harm": ((4, "Low"), (8, "Medium"), (float("inf"), "High")),
    "Likelihood & trends": ((2, "Low"), (3, "Medium"), (float("inf"), "High")),
    "Intelligence": ((0, "Good"), (1, "Some gaps"), (float("inf"), "Significant gaps")),
    "Response": ((1, "Well placed"), (2, "Some gaps"), (float("inf"), "Serious gaps")),
}
SANS_SERIF = {"Arial", "Calibri", "Helvetica", "Verdana", "Tahoma", "Segoe UI", "Liberation Sans", "Open Sans"}


# Reading a document -----------------------------------------------------------------------------------------


def body_items(document: DocumentObject) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables of the body, in reading order."""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            yield Paragraph(element, document)
        elif element.tag == qn("w:tbl"):
            yield Table(element, document)


def headings(document: DocumentObject) -> list[tuple[int, str]]:
    """(level, text) of every paragraph in a Word heading style."""
    style_name = StyleNames(document)
    found = []
    for paragraph in document.paragraphs:
        if match := re.fullmatch(r"Heading (\d)", style_name(paragraph)):
            found.append((int(match[1]), paragraph.text))
    return found


def tables_by_heading(document: DocumentObject) -> dict[str, list[Table]]:
    """Tables grouped by the Heading 1 they come under."""
    style_name = StyleNames(document)
    grouped: dict[str, list[Table]] = {}
    current = ""
    for item in body_items(document):
        if isinstance(item, Paragraph) and style_name(item) == "Heading 1":
            current = item.text
        elif isinstance(item, Table):
            grouped.setdefault(current, []).append(item)
    return grouped


def paragraphs_after_table(document: DocumentObject, table: Table) -> list[str]:
    """Texts of the paragraphs that follow a table up to the next heading or table."""
    style_name = StyleNames(document)
    texts: list[str] = []
    element = table._tbl.getnext()
    while element is not None and element.tag == qn("w:p"):
        paragraph = Paragraph(element, document)
        if style_name(paragraph).startswith("Heading"):
            break
        texts.append(paragraph.text)
        element = element.getnext()
    return texts


def section_paragraphs(document: DocumentObject, start: str, end: str) -> list[Paragraph]:
    """Paragraphs between the heading ``start`` and the heading ``end``."""
    style_name = StyleNames(document)
    paragraphs = document.paragraphs
    first = next(i for i, p in enumerate(paragraphs) if p.text == start and style_name(p).startswith("Heading"))
    last = next(i for i, p in enumerate(paragraphs) if p.text == end and i > first)
    return paragraphs[first + 1 : last]


def rows_of(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(path: Path) -> str:
    """Every piece of text in a .docx (body, tables, headers, footers, properties), paragraph by paragraph."""
    pieces = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith(".xml"):
                continue
            root = etree.fromstring(package.read(name))
            if name.startswith("docProps/"):
                pieces.append(" ".join(root.itertext()))
                continue
            for paragraph in root.iter(qn("w:p")):
                pieces.append("".join(node.text or "" for node in paragraph.iter(qn("w:t"))))
    return "\n".join(pieces)


def fill_of(cell: Any) -> str:
    """A cell's shading colour, or '' when it is not shaded."""
    properties = cell._tc.tcPr
    shading = properties.find(qn("w:shd")) if properties is not None else None
    fill = shading.get(qn("w:fill"), "") if shading is not None else ""
    return "" if fill.lower() in ("", "auto", "ffffff") else fill.upper()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


# The worked example, generated once ------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    folder: Path
    document: DocumentObject
    warnings: list[str]


@pytest.fixture(scope="module")
def example(worked_example: GenerateResult) -> Generated:
    """``generate --no-pdf`` on the worked example (run once for the session), its document read once here."""
    result = worked_example
    return Generated(result.folder, docx.Document(str(result.folder / ASSESSMENT)), result.warnings)


def test_every_section_is_a_heading_in_order(example: Generated) -> None:
    found = headings(example.document)
    expected = [
        *SECTIONS_BEFORE_THEMES,
        *[(1, theme) for theme in THEME_RATINGS],
        (1, "Appendix A: understanding threat, risk and harm"),
        (1, "Appendix B: changes, disagreements and data sources"),
    ]
    positions = [found.index(heading) if heading in found else -1 for heading in expected]
    missing = [heading for heading, position in zip(expected, positions, strict=True) if position < 0]
    assert not missing, f"headings missing or at the wrong level: {missing}"
    assert positions == sorted(positions), "the sections are out of order"


def test_the_contents_title_is_words_toc_heading_so_the_contents_does_not_list_itself(example: Generated) -> None:
    style_name = StyleNames(example.document)
    (title,) = [p for p in example.document.paragraphs if p.text == "Contents"]
    assert style_name(title) == "TOC Heading"
    listed = [p.text.strip() for p in example.document.paragraphs if re.fullmatch(r"toc \d", style_name(p).casefold())]
    assert "Contents" not in listed


def test_heading_levels_never_skip(example: Generated) -> None:
    levels = [level for level, _ in headings(example.document)]
    assert levels[0] == 1
    skips = [(before, after) for before, after in itertools.pairwise(levels) if after > before + 1]
    assert skips == []


def test_title_page_and_properties(example: Generated) -> None:
    document = example.document
    before_contents = []
    for paragraph in document.paragraphs:
        if paragraph.text == "Contents":
            break
        before_contents.append(paragraph.text)
    assert "Safer Plymouth" in before_contents
    assert "A strategic assessment of threat, risk and harm 2018/19" in before_contents
    assert "October 2019" in before_contents
    properties = document.core_properties
    assert properties.title == "Safer Plymouth: a strategic assessment of threat, risk and harm 2018/19"
    assert properties.author == "Safer Plymouth community safety analysis team"
    assert properties.language == "en-GB"


def test_strategic_assessment_pages_are_a4_portrait(example: Generated) -> None:
    for section in example.document.sections:
        assert section.page_width is not None and section.page_height is not None
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_contents_lists_the_sections(example: Generated) -> None:
    style_name = StyleNames(example.document)
    listed = [p.text.strip() for p in example.document.paragraphs if re.fullmatch(r"toc \d", style_name(p).casefold())]
    assert listed[:3] == ["Introduction", "Area overview", "Quick facts"]
    assert "Crime table" in listed
    assert "Road traffic collisions" in listed
    assert listed[-1] == "Appendix B: changes, disagreements and data sources"


def crime_table(document: DocumentObject) -> dict[str, list[str]]:
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Crime type"]
    rows = rows_of(table)
    assert rows[0] == ["Crime type", "2017/18", "2018/19", "% change (no. crimes)", "Rate per 1,000"]
    return {row[0]: row[1:] for row in rows[1:]}


@pytest.mark.parametrize(
    ("crime_type", "expected"),
    [
        # 23,729 - 22,903 = 826; 826 / 22,903 = 3.61% -> +3.6%; 23,729 / 263,100 x 1,000 = 90.19 -> 90.2
        ("All crime", ["22,903", "23,729", "+3.6% (826)", "90.2"]),
        # 194 - 115 = 79; 79 / 115 = 68.70% -> +68.7%; 194 / 263,100 x 1,000 = 0.737 -> 0.74 -> 0.7
        ("Theft of motor vehicle", ["115", "194", "+68.7% (79)", "0.7"]),
        # 666 - 677 = -11; -11 / 677 = -1.62% -> -1.6%; 666 / 263,100 x 1,000 = 2.531 -> 2.5
        ("Burglary residential", ["677", "666", f"{MINUS}1.6% (11)", "2.5"]),
        # the adult base: 4,642 / 210,480 x 1,000 = 22.054 -> 22.1; 792 / 3,850 = 20.57% -> +20.6%
        ("Domestic abuse crimes", ["3,850", "4,642", "+20.6% (792)", "22.1"]),
    ],
)
def test_crime_table_rows(example: Generated, crime_type: str, expected: list[str]) -> None:
    assert crime_table(example.document)[crime_type] == expected


def test_crime_table_has_every_row(example: Generated) -> None:
    # crime_data.xlsx › annual has 21 rows, All crime first
    table = crime_table(example.document)
    assert len(table) == 21
    assert next(iter(table)) == "All crime"


def theme_tables(document: DocumentObject) -> dict[str, Table]:
    grouped = tables_by_heading(document)
    return {theme: grouped[theme][0] for theme in THEME_RATINGS if theme in grouped}


def threat_name(cell_text: str) -> str:
    """A theme table's threat cell without its footnote mark."""
    return re.sub(r"\s*\[note \d+\]$", "", cell_text)


@pytest.mark.parametrize("theme", THEME_RATINGS)
def test_theme_table_lists_its_threats_with_the_published_ratings(example: Generated, theme: str) -> None:
    table = theme_tables(example.document)[theme]
    rows = rows_of(table)
    assert rows[0] == ["Threat", "Harm", "Likelihood & trends", "Intelligence", "Response", "Assessment"]
    ratings = {threat_name(row[0]): row[-1].split(" ")[0] for row in rows[1:]}
    assert ratings == THEME_RATINGS[theme]


def test_domestic_abuse_row_worked_by_hand(example: Generated) -> None:
    # two workshops: physical 3,3 psychological 3,3 financial 2,1 -> 2 community 2,2: harm 10 (High, over 8);
    # frequency 3 (22.05 per 1,000 adults) + trend 2 (+20.6%) = 5 (High, over 3); knowledge gaps 1 (Some gaps);
    # capacity 1,1 -> 1 + capability 1,0 -> 1 = 2 (Some gaps); score 10 x 3 + 2 + 1 + 2 = 35 (High, 30 or more)
    rows = rows_of(theme_tables(example.document)["Domestic abuse & sexual violence"])
    (row,) = [row for row in rows if row[0] == "Domestic abuse"]
    assert row == ["Domestic abuse", "High (10)", "High (5)", "Some gaps (1)", "Some gaps (2)", "High (35)"]


def band(column: str, value: int) -> str:
    return next(word for highest, word in BANDS[column] if value <= highest)


def test_every_band_cell_is_coloured_and_carries_the_right_word(example: Generated) -> None:
    colours: dict[tuple[str, str], set[str]] = {}
    for theme, table in theme_tables(example.document).items():
        header = rows_of(table)[0]
        for row in table.rows[1:]:
            for column, cell in zip(header[1:5], row.cells[1:5], strict=True):
                match = re.fullmatch(r"(.+) \((\d+)\)", cell.text)
                assert match, f"{theme}: '{cell.text}' is not 'Band (value)'"
                assert match[1] == band(column, int(match[2])), f"{theme} › {column}: {cell.text}"
                assert fill_of(cell), f"{theme} › {column}: '{cell.text}' is not coloured"
                colours.setdefault((column, match[1]), set()).add(fill_of(cell))
            verdict = row.cells[5]
            colours.setdefault(("Assessment", verdict.text.split(" ")[0]), set()).add(fill_of(verdict))
    # one colour per band word in each column, and the three ratings in three different colours
    assert all(len(fills) == 1 for fills in colours.values()), colours
    rating_fills = [next(iter(colours["Assessment", name])) for name in ("High", "Moderate", "Standard")]
    assert len(set(rating_fills)) == 3 and "" not in rating_fills


def test_no_shaded_cell_is_empty_or_a_bare_number(example: Generated) -> None:
    # header rows are shaded too; they hold column names such as "2017/18"
    for table in example.document.tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                if fill_of(cell):
                    assert re.search(r"[A-Za-z]", cell.text), f"shaded cell '{cell.text}' has no word"


def test_findings_list_each_level(example: Generated) -> None:
    text = "\n".join(p.text for p in example.document.paragraphs)
    # 39 threats: 10 High, 9 Moderate, 20 Standard (shared/DOMAIN.md)
    assert "39 threats were assessed for 2018/19: 10 High, 9 Moderate, 20 Standard." in text
    findings = section_paragraphs(example.document, "Analysis findings", next(iter(THEME_RATINGS)))
    style_name = StyleNames(example.document)
    levels = [p.text for p in findings if style_name(p) == "Heading 2"]
    assert levels == ["High", "Moderate", "Standard"]


def test_override_is_footnoted_with_its_reason(example: Generated) -> None:
    findings = section_paragraphs(example.document, "Analysis findings", next(iter(THEME_RATINGS)))
    texts = [p.text for p in findings]
    (line,) = [t for t in texts if t.startswith("Modern slavery")]
    number = re.search(r"\[note (\d+)\]", line)
    assert number and "High" in line
    # community 1 and 3 -> median 2; harm 3+3+2+2 = 10 x 2 + 1 + 2 + 1 + 1 = 25 (Moderate)
    (note,) = [t for t in texts if t.startswith(f"Note {number[1]}:")]
    assert "Modern slavery" in note and "25" in note and "Moderate" in note and "High" in note
    assert "continued national focus on modern slavery and exploitation" in note
    table = theme_tables(example.document)["Serious and organised crime"]
    (verdict,) = [row[-1] for row in rows_of(table) if row[0] == "Modern slavery"]
    mark = re.search(r"treated as High \[note (\d+)\]", verdict)
    assert mark, verdict
    (table_note,) = [t for t in paragraphs_after_table(example.document, table) if t.startswith(f"Note {mark[1]}:")]
    assert "continued national focus" in table_note


@pytest.mark.parametrize("threat", CARRIED_FORWARD)
def test_carried_forward_scores_are_footnoted(example: Generated, threat: str) -> None:
    theme = next(name for name, threats in THEME_RATINGS.items() if threat in threats)
    table = theme_tables(example.document)[theme]
    (cell,) = [row[0] for row in rows_of(table) if threat_name(row[0]) == threat]
    mark = re.search(r"\[note (\d+)\]$", cell)
    assert mark, f"{threat} has no footnote mark"
    (note,) = [t for t in paragraphs_after_table(example.document, table) if t.startswith(f"Note {mark[1]}:")]
    assert threat in note and "carried forward from the 2017/18" in note


def test_threats_scored_this_year_have_no_carried_forward_note(example: Generated) -> None:
    table = theme_tables(example.document)["Domestic abuse & sexual violence"]
    assert not any("carried forward" in text for text in paragraphs_after_table(example.document, table))


@pytest.mark.parametrize(
    "sentence",
    [
        # 23,729 / 263,100 x 1,000 = 90.19
        "23,729 crimes were recorded in Plymouth in 2018/19, 90.2 per 1,000 residents.",
        "The Most Similar Family average was 107.7 crimes per 1,000 residents; "
        "Plymouth ranked 3rd of 15 in its family (1st = lowest rate).",
        # 826 / 22,903 = 3.61%
        "Crime was up 3.6% (826 crimes) on 2017/18 (22,903).",
        # 8,838 - 9,349 = -511; 511 / 9,349 = 5.47% -> 5.5%
        "8,838 anti-social behaviour incidents were recorded, down 5.5% (511 incidents).",
        # 4,642 / 23,729 = 19.6% -> 20%; 3,143 / 23,729 = 13.2% -> 13%; 529 / 23,729 = 2.2% -> 2%
        "Domestic abuse crimes made up 20% of all recorded crime (4,642).",
        "Alcohol related crime made up 13% of all recorded crime (3,143).",
        "Hate crime made up 2% of all recorded crime (529).",
    ],
)
def test_key_facts_sentences(example: Generated, sentence: str) -> None:
    facts = section_paragraphs(example.document, "Quick facts", "Neighbourhoods with the highest rates")
    assert sentence in [p.text for p in facts]


def test_trend_sentences_name_the_largest_rise_and_fall(example: Generated) -> None:
    trends = [p.text for p in section_paragraphs(example.document, "Crime trends", "Crime table")]
    # among rows with 50 or more the year before: theft of motor vehicle 115 -> 194 (+68.7%) rose most,
    # theft from motor vehicle 1,009 -> 757 (-252, -24.97% -> -25.0%) fell most
    assert "Largest rise: Theft of motor vehicle, up 68.7% (79 crimes) to 194 in 2018/19." in trends
    assert "Largest fall: Theft from motor vehicle, down 25.0% (252 crimes) to 757 in 2018/19." in trends


def test_neighbourhood_table_ranks_the_highest_rates(example: Generated) -> None:
    (table,) = [t for t in example.document.tables if t.rows[0].cells[0].text == "Neighbourhood"]
    rows = rows_of(table)[1:]
    # City Centre 3,755 / 7,392 = 508.0; Stonehouse 2,147 / 10,033 = 214.0; Mutley 708 / 3,437 = 206.0;
    # East End 1,025 / 5,925 = 173.0; Morice Town 475 / 2,950 = 161.0
    assert [(row[0], row[1], row[3]) for row in rows] == [
        ("City Centre", "3,755", "508.0"),
        ("Stonehouse", "2,147", "214.0"),
        ("Mutley", "708", "206.0"),
        ("East End", "1,025", "173.0"),
        ("Morice Town", "475", "161.0"),
    ]


# Accessibility ---------------------------------------------------------------------------------------------


def test_every_image_has_the_alt_text_of_its_chart(example: Generated) -> None:
    index = read_csv(example.folder / "charts" / "index.csv")
    alt_by_image = {
        hashlib.sha256((example.folder / "charts" / f"{row['file']}.png").read_bytes()).hexdigest(): row["alt_text"]
        for row in index
    }
    document = example.document
    found = []
    for inline in document.element.body.iter(qn("wp:inline"), qn("wp:anchor")):
        description = inline.find(qn("wp:docPr")).get("descr", "")
        blip = inline.find(".//" + qn("a:blip"))
        blob = document.part.related_parts[blip.get(qn("r:embed"))].blob
        digest = hashlib.sha256(blob).hexdigest()
        assert description.strip(), "an image has no alt text"
        assert digest in alt_by_image, "an image is not one of the chart pack's PNGs"
        assert description == alt_by_image[digest]
        found.append(description)
    # six charts (SPEC §6.3), each in the document once
    assert len(index) == 6
    assert sorted(found) == sorted(row["alt_text"] for row in index)


def test_no_template_tag_is_left_anywhere(example: Generated) -> None:
    for name in (ASSESSMENT, "plan_on_a_page.docx"):
        text = all_text(example.folder / name)
        assert "Safer Plymouth" in text
        assert "{{" not in text and "{%" not in text and "}}" not in text, name


def test_footer_names_the_partnership_and_year(example: Generated) -> None:
    footer = " ".join(p.text for section in example.document.sections for p in section.footer.paragraphs)
    assert "Safer Plymouth strategic assessment 2018/19" in footer


def test_tables_repeat_their_header_row_and_merge_no_cells(example: Generated) -> None:
    tables = example.document.tables
    # key statistics, neighbourhoods, crime table, 9 theme tables, 2 method tables, disagreements
    assert len(tables) >= 15
    for table in tables:
        header = table.rows[0]._tr.trPr
        repeat = header.find(qn("w:tblHeader")) if header is not None else None
        assert repeat is not None and repeat.get(qn("w:val"), "true") in ("true", "1", "on"), rows_of(table)[0]
    body = example.document.element.body
    assert next(body.iter(qn("w:gridSpan")), None) is None
    assert next(body.iter(qn("w:vMerge")), None) is None
    assert next(body.iter(qn("w:hMerge")), None) is None


def style_size(style: Any) -> float | None:
    """A style's font size in points, following its base styles."""
    while style is not None:
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return None


def test_body_text_is_sans_serif_at_least_11pt(example: Generated) -> None:
    document = example.document
    normal = document.styles["Normal"]
    assert normal.font.name in SANS_SERIF
    assert normal.font.size is not None and normal.font.size.pt >= 11
    style_name = StyleNames(document)
    used = {style_name(p) for p in document.paragraphs if p.text.strip()}
    for table in document.tables:
        used |= {style_name(p) for row in table.rows for cell in row.cells for p in cell.paragraphs}
    small = {name for name in used if (size := style_size(document.styles[name])) is not None and size < 11}
    assert small == set()


def test_every_template_is_rendered_with_the_real_context(example: Generated) -> None:
    # StrictUndefined: the run above would have stopped on any tag the context lacks
    # the performance update's template is rendered by the performance command (tests/test_performance_outputs.py)
    templates = sorted(path.name for path in TEMPLATES.glob("*.docx") if path.name != "performance_update.docx")
    assert templates == ["data_pack.docx", "plan_on_a_page.docx", ASSESSMENT]
    for name in templates[1:]:  # the data pack is rendered by a batch's areas without scores (tests/test_batch.py)
        assert (example.folder / name).is_file()


# manifest.json ---------------------------------------------------------------------------------------------


def test_manifest_lists_inputs_model_warnings_and_timings(example: Generated) -> None:
    import json

    manifest = json.loads((example.folder / "manifest.json").read_text(encoding="utf-8"))
    expected_inputs = {
        "assessment.yaml",
        "crime_data.xlsx",
        "workshops/2019-07-workshop-violence-and-exploitation.xlsx",
        "workshops/2019-08-workshop-partnership-review.xlsx",
        "workshops/2019-08-workshop-substance-misuse-and-communities.xlsx",
    }
    listed = {entry["file"]: entry["sha256"] for entry in manifest["inputs"]}
    assert set(listed) == expected_inputs
    for name, digest in listed.items():
        assert digest == hashlib.sha256((INPUTS / name).read_bytes()).hexdigest(), name
    model = ROOT / "models" / "morile.yaml"
    assert Path(manifest["model"]["file"]).resolve() == model.resolve()
    assert manifest["model"]["sha256"] == hashlib.sha256(model.read_bytes()).hexdigest()
    # Modern slavery's community score was 1 at one workshop and 3 at another
    assert any("Modern slavery" in warning and "1" in warning and "3" in warning for warning in manifest["warnings"])
    timings = manifest["timings_seconds"]
    assert "total" in timings and len(timings) >= 5
    assert all(isinstance(value, int | float) and 0 <= value <= timings["total"] for value in timings.values())
    assert manifest["settings"]["year"] == "2018/19"
    assert manifest["version"]


# Testshire: Markdown, special characters and missing sheets -------------------------------------------------

SPECIAL_THREAT = 'County lines & "cuckooing" <Môn> 🚓 ŵ ŷ'
SPECIAL_IMPACT = 'Harm to "families" & <children> 🚓 in Ynys Môn: ŵ ŷ'
INTRODUCTION = """\
This is **Testshire's** assessment, *for the year* to March 2019. Fish & chips <served> "hot" 🚓 ŵ ŷ.

- first point
- second point

Read [the guidance](https://example.org) first.
"""
PLAN = TESTSHIRE_PLAN


def write_testshire(inputs: Path) -> Path:
    """The Testshire inputs with a Plan on a Page section (so a full run succeeds)."""
    write_inputs(inputs)
    write_settings(inputs, plan_on_a_page=PLAN)
    return inputs


@pytest.fixture(scope="module")
def testshire(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """Testshire with Markdown and special characters, generated once (no monthly or neighbourhoods sheet)."""
    inputs = write_testshire(tmp_path_factory.mktemp("testshire") / "inputs")
    write_settings(inputs, plan_on_a_page=PLAN, introduction=INTRODUCTION)
    # Robbery 500 -> 625: 625 / 100,000 x 1,000 = 6.25 per 1,000, a half to round
    write_crime(inputs, rows=[*ANNUAL_ROWS, ("Robbery", None, None, 500, 625)])
    county_lines = SCORE_ROWS.index(next(row for row in SCORE_ROWS if row[1] == "County lines"))
    scores = replace_row(SCORE_ROWS, county_lines, threat=SPECIAL_THREAT)
    themes = [(*row[:3], SPECIAL_IMPACT, *row[4:]) if row[0] == "Drugs" else row for row in THEME_ROWS]
    write_workbook(
        inputs / "workshops" / "workshop-1.xlsx", {"scores": (SCORE_HEADER, scores), "themes": (THEME_HEADER, themes)}
    )
    result = generate(inputs, inputs.parent / "outputs", pdf=False)
    return Generated(result.folder, docx.Document(str(result.folder / ASSESSMENT)), result.warnings)


def introduction_paragraphs(document: DocumentObject) -> list[Paragraph]:
    return section_paragraphs(document, "Introduction", "Acknowledgements")


def test_markdown_bold_and_italic_become_word_runs(testshire: Generated) -> None:
    runs = [run for p in introduction_paragraphs(testshire.document) for run in p.runs]
    assert any(run.text == "Testshire's" and run.bold for run in runs)
    assert any(run.text == "for the year" and run.italic for run in runs)
    assert not any(run.text == "Testshire's" and run.italic for run in runs)
    text = "\n".join(p.text for p in introduction_paragraphs(testshire.document))
    assert "**" not in text and "*for" not in text


def test_markdown_bullets_become_list_paragraphs(testshire: Generated) -> None:
    style_name = StyleNames(testshire.document)
    bullets = [p.text for p in introduction_paragraphs(testshire.document) if style_name(p) == "List Bullet"]
    assert bullets == ["first point", "second point"]


def test_markdown_link_becomes_a_hyperlink(testshire: Generated) -> None:
    document = testshire.document
    links = []
    for paragraph in introduction_paragraphs(document):
        for link in paragraph._p.iter(qn("w:hyperlink")):
            relation = document.part.rels[link.get(qn("r:id"))]
            text = "".join(node.text or "" for node in link.iter(qn("w:t")))
            links.append((text, relation.target_ref, relation.is_external))
    assert links == [("the guidance", "https://example.org", True)]
    text = "\n".join(p.text for p in introduction_paragraphs(document))
    assert "Read the guidance first." in text
    assert "](" not in text


def test_special_characters_come_out_intact_in_the_document(testshire: Generated) -> None:
    text = all_text(testshire.folder / ASSESSMENT)
    assert SPECIAL_THREAT in text
    assert SPECIAL_IMPACT in text
    assert 'Fish & chips <served> "hot" 🚓 ŵ ŷ.' in text
    assert "&amp;" not in text and "&lt;" not in text and "&quot;" not in text
    table = theme_tables_named(testshire.document)["Drugs"]
    assert threat_name(rows_of(table)[1][0]) == SPECIAL_THREAT


def theme_tables_named(document: DocumentObject) -> dict[str, Table]:
    return {heading: tables[0] for heading, tables in tables_by_heading(document).items() if heading}


def test_special_characters_come_out_intact_in_the_ratings(testshire: Generated) -> None:
    threats = [row["threat"] for row in read_csv(testshire.folder / "ratings.csv")]
    assert SPECIAL_THREAT in threats
    sheet = load_workbook(testshire.folder / "ratings.xlsx", read_only=True)["ratings"]
    assert SPECIAL_THREAT in {cell for row in sheet.iter_rows(values_only=True) for cell in row}


def test_special_characters_come_out_intact_in_the_chart_index(testshire: Generated) -> None:
    index = read_csv(testshire.folder / "charts" / "index.csv")
    (matrix,) = [row for row in index if row["file"].endswith("risk-matrix")]
    # County lines: harm 3+3+2+3 = 11, likelihood 2 (entered), Moderate (28)
    assert f"{SPECIAL_THREAT} (harm 11, likelihood 2)" in matrix["alt_text"]


def test_missing_optional_sheets_leave_out_their_charts_and_say_so(testshire: Generated) -> None:
    files = {row["file"] for row in read_csv(testshire.folder / "charts" / "index.csv")}
    assert not any("seasonality" in name or "neighbourhood" in name for name in files)
    assert any("annual-trend" in name for name in files)
    document = testshire.document
    # annual trend, crime by type, ratings by theme, risk matrix
    assert len(list(document.element.body.iter(qn("wp:docPr")))) == 4
    quick_facts = [p.text for p in section_paragraphs(document, "Quick facts", "Crime trends")]
    assert any("monthly" in text.lower() and "not provided" in text and "seasonality" in text for text in quick_facts)
    assert any("Neighbourhood" in text and "not provided" in text for text in quick_facts)
    assert not [t for t in document.tables if t.rows[0].cells[0].text == "Neighbourhood"]


def test_crime_table_rate_rounds_a_half_away_from_zero(testshire: Generated) -> None:
    (table,) = [t for t in testshire.document.tables if t.rows[0].cells[0].text == "Crime type"]
    (row,) = [row for row in rows_of(table) if row[0] == "Robbery"]
    # 625 - 500 = 125, 125 / 500 = +25.0%; 625 / 100,000 x 1,000 = 6.25 -> 6.3
    assert row == ["Robbery", "500", "625", "+25.0% (125)", "6.3"]


# Templates fail loudly and safely -----------------------------------------------------------------------------


@pytest.fixture
def template_with(tmp_path: Path) -> Callable[[str], Path]:
    """A copy of the Strategic Assessment template, in a tmp templates folder, with one paragraph added."""

    def make(text: str) -> Path:
        folder = tmp_path / "templates"
        folder.mkdir(exist_ok=True)
        path = folder / ASSESSMENT
        shutil.copyfile(TEMPLATES / ASSESSMENT, path)
        document = docx.Document(str(path))
        document.add_paragraph(text)
        document.save(str(path))
        return path

    return make


@pytest.fixture(scope="module")
def testshire_assessment(_testshire_inputs: Path) -> Assessment:
    """The session's Testshire inputs read once for the module's renders (read only, never written)."""
    return build_assessment(_testshire_inputs)


def render_testshire(path: Path, assessment: Assessment) -> None:
    render.render_template(path, lambda _, builder: assessment_context(assessment, builder, {}), {}, "Title", "Me")


def test_the_unchanged_template_renders(template_with: Callable[[str], Path], testshire_assessment: Assessment) -> None:
    render_testshire(template_with("A plain paragraph."), testshire_assessment)


def test_an_unknown_tag_names_the_template_and_the_tag(
    template_with: Callable[[str], Path], testshire_assessment: Assessment
) -> None:
    with pytest.raises(InputError) as raised:
        render_testshire(template_with("{{ no_such_tag }}"), testshire_assessment)
    message = raised.value.message
    assert "templates/strategic_assessment.docx" in message
    assert "no_such_tag" in message


def test_a_syntax_error_names_the_template(
    template_with: Callable[[str], Path], testshire_assessment: Assessment
) -> None:
    with pytest.raises(InputError) as raised:
        render_testshire(template_with("{{ broken "), testshire_assessment)
    message = raised.value.message
    assert "templates/strategic_assessment.docx" in message
    assert "syntax" in message


LEAKS = ("Traceback", 'File "', "<class", "<built-in", "object at 0x", "mro", "subclasses")


@pytest.mark.parametrize("tag", ["{{ ''.__class__.__mro__ }}", "{{ partnership.__class__.__subclasses__() }}"])
def test_a_sandbox_escape_is_refused_safely(
    template_with: Callable[[str], Path], testshire_assessment: Assessment, tag: str
) -> None:
    with pytest.raises(InputError) as raised:
        render_testshire(template_with(tag), testshire_assessment)
    message = raised.value.message
    assert "templates/strategic_assessment.docx" in message
    assert not [leak for leak in LEAKS if leak in message]


def test_a_sandbox_escape_through_the_command_line_exits_2_without_a_traceback(
    template_with: Callable[[str], Path], inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = template_with("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    real = render.template_path
    monkeypatch.setattr(render, "template_path", lambda name: bad if name == ASSESSMENT else real(name))
    write_settings(inputs, plan_on_a_page=PLAN)
    result = CliRunner().invoke(
        cli,
        ["generate", "--inputs", str(inputs), "--outputs", str(tmp_path / "outputs"), "--no-pdf"],
        catch_exceptions=False,
    )
    assert result.exit_code == 2, result.output
    assert "unsafe" in result.output
    assert not [leak for leak in LEAKS if leak in result.output]
    assert not (tmp_path / "outputs" / YEAR_FOLDER).exists()


# A failed run leaves earlier outputs untouched ------------------------------------------------------------------


def break_score(inputs: Path) -> None:
    # physical harm 7 on a 0-3 scale
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 0, physical=7))


def drop_plan(inputs: Path) -> None:
    # fails late: after the charts and the Strategic Assessment were written into the staging folder
    write_settings(inputs, plan_on_a_page=None)


@pytest.mark.parametrize("breaking", [break_score, drop_plan], ids=["score out of range", "plan missing"])
def test_a_failed_run_leaves_earlier_outputs_untouched(
    run: Callable[..., Result], inputs: Path, tmp_path: Path, breaking: Callable[[Path], None]
) -> None:
    write_settings(inputs, plan_on_a_page=PLAN)
    first = run("generate", "--no-pdf")
    assert first.exit_code == 0, first.output
    folder = tmp_path / "outputs" / YEAR_FOLDER
    before = folder_bytes(folder)
    assert ASSESSMENT in before and "ratings.csv" in before and "manifest.json" in before
    breaking(inputs)
    second = run("generate", "--no-pdf")
    assert second.exit_code == 2, second.output
    assert "Traceback" not in second.output
    assert folder_bytes(folder) == before
    assert list((tmp_path / "outputs").glob(".*-staging-*")) == []
    assert list((tmp_path / "outputs").glob(".*-previous")) == []


def test_a_paragraph_after_a_table_gets_normal_paragraph_spacing_in_word() -> None:
    from docx import Document
    from docx.shared import Pt

    from strategic_assessment.documents.blocks import space_after_tables

    document = Document()
    document.styles["Normal"].paragraph_format.space_after = Pt(6)
    document.styles["Heading 2"].paragraph_format.space_before = Pt(12)
    document.add_table(rows=1, cols=1)
    text = document.add_paragraph("Text after a table.")
    document.add_table(rows=1, cols=1)
    heading = document.add_heading("A heading after a table", 2)
    document.add_paragraph("Text after text.")
    assert space_after_tables(document) == 1
    assert text.paragraph_format.space_before == Pt(6)  # Normal's space after, now above it
    assert heading.paragraph_format.space_before is None  # its style's 12 pt is already more
    assert document.paragraphs[-1].paragraph_format.space_before is None


def test_the_assessment_spaces_the_paragraph_after_its_ratings_table(example: Generated) -> None:
    from docx.shared import Pt

    (after,) = [
        paragraph
        for paragraph in example.document.paragraphs
        if paragraph.text.startswith("The theme tables show") and paragraph._p.getprevious().tag.endswith("}tbl")
    ]
    assert after.paragraph_format.space_before == Pt(6)
