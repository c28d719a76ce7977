"""The website edition as its reader gets it: sections, tables, charts, accessibility markup, and no surprises.

The worked example is generated once for the module (Word and HTML from one
run) and the pages are read back with lxml. Expected figures are typed from
the published assessment (shared/DOMAIN.md) or worked out by hand; the key
facts are compared between the two editions sentence by sentence.
"""

from __future__ import annotations

import csv
import itertools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.document import Document as DocumentObject
from lxml import html as lxml_html

from strategic_assessment.cli import cli
from strategic_assessment.documents.blocks import Cell, Run
from strategic_assessment.documents.html import HtmlBuilder, contrast_ratio, slug, text_colour_on
from strategic_assessment.documents.html_render import column_label, figure_text, render_html, render_html_page
from strategic_assessment.errors import InputError
from strategic_assessment.pipeline import GenerateResult, generate
from strategic_assessment.resources import TEMPLATES

from .builders import TESTSHIRE_PLAN, write_inputs, write_settings
from .published import THEME_RATINGS

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
PAGES = ("strategic_assessment.html", "plan_on_a_page.html")
BAND_WORDS = {"Low", "Medium", "High", "Good", "Some gaps", "Significant gaps", "Well placed", "Serious gaps"}
RATING_WORDS = {"High", "Moderate", "Standard"}

# SPEC §6.1 in order, as the website shows it: the title is the h1, Word's Heading 1 an h2, Heading 2 an h3.
SECTIONS_BEFORE_THEMES = [
    (1, "A strategic assessment of threat, risk and harm 2018/19"),
    (2, "Contents"),
    (2, "Introduction"),
    (3, "Acknowledgements"),
    (2, "Area overview"),
    (2, "Quick facts"),
    (3, "Neighbourhoods with the highest rates"),
    (2, "Crime trends"),
    (2, "Crime table"),
    (2, "Analysis findings"),
    (3, "High"),
    (3, "Moderate"),
    (3, "Standard"),
]
APPENDICES = [
    (2, "Appendix A: understanding threat, risk and harm"),
    (3, "Factors and scales"),
    (3, "How the score is worked out"),
    (3, "Ratings"),
    (3, "The process"),
    (3, "How the figures are worked out"),
    (2, "Appendix B: changes, disagreements and data sources"),
    (3, "Changes of rating since last year"),
    (3, "Workshop disagreements"),
    (3, "Data sources and notes"),
]


@dataclass(frozen=True)
class Edition:
    folder: Path
    pages: dict[str, lxml_html.HtmlElement]
    document: DocumentObject


@pytest.fixture(scope="module")
def example(worked_example: GenerateResult) -> Edition:
    """``generate --no-pdf`` on the worked example (run once for the session), its pages read once here."""
    result = worked_example
    folder = result.folder / "html"
    pages = {name: lxml_html.fromstring((folder / name).read_bytes()) for name in PAGES}
    return Edition(folder, pages, docx.Document(str(result.folder / "strategic_assessment.docx")))


def text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def headings(page: lxml_html.HtmlElement) -> list[tuple[int, str]]:
    return [(int(h.tag[1]), text(h)) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def section(page: lxml_html.HtmlElement, heading: str) -> lxml_html.HtmlElement:
    """The <section> whose first heading reads ``heading``."""
    (found,) = [s for s in page.iter("section") if text(s.xpath("(.//h2|.//h3)[1]")[0]) == heading]
    return found


def table_rows(table: lxml_html.HtmlElement) -> list[list[str]]:
    return [[text(cell) for cell in row.xpath("./th|./td")] for row in table.xpath("./tbody/tr")]


# Sections and headings -------------------------------------------------------------------------------------


def test_every_section_heading_in_order(example: Edition) -> None:
    found = headings(example.pages["strategic_assessment.html"])
    themes = [(2, theme) for theme in THEME_RATINGS]
    top_level = [entry for entry in found if entry[0] <= 2]
    expected_top = [e for e in SECTIONS_BEFORE_THEMES if e[0] <= 2] + themes + [e for e in APPENDICES if e[0] <= 2]
    assert top_level == expected_top
    assert found[: len(SECTIONS_BEFORE_THEMES)] == SECTIONS_BEFORE_THEMES
    assert found[-len(APPENDICES) :] == APPENDICES


@pytest.mark.parametrize("name", PAGES)
def test_one_h1_and_heading_levels_never_skip(example: Edition, name: str) -> None:
    levels = [level for level, _ in headings(example.pages[name])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))


def test_title_page_facts_are_in_the_masthead(example: Edition) -> None:
    page = example.pages["strategic_assessment.html"]
    masthead = text(page.xpath("//header")[0])
    assert "Safer Plymouth" in masthead and "October 2019" in masthead
    assert "Prepared by Safer Plymouth community safety analysis team" in masthead
    title = page.findtext(".//title")
    assert title == "Safer Plymouth: a strategic assessment of threat, risk and harm 2018/19"


@pytest.mark.parametrize("name", PAGES)
def test_language_landmarks_and_skip_link(example: Edition, name: str) -> None:
    page = example.pages[name]
    assert page.get("lang") == "en-GB"
    assert page.findtext(".//title").strip()
    for landmark in ("header", "nav", "main", "footer"):
        assert len(page.xpath(f"//{landmark}")) == 1, landmark
    skip = page.xpath("//body/a[1]")[0]
    assert skip.get("href") == "#main" and "Skip to main content" in text(skip)
    assert page.xpath("//main")[0].get("id") == "main"


@pytest.mark.parametrize("name", PAGES)
def test_every_id_on_the_page_is_unique(example: Edition, name: str) -> None:
    ids = [element.get("id") for element in example.pages[name].iter() if element.get("id")]
    assert len(ids) == len(set(ids)) and len(ids) > 5


@pytest.mark.parametrize("name", PAGES)
def test_every_link_on_the_page_finds_its_target(example: Edition, name: str) -> None:
    page = example.pages[name]
    ids = {element.get("id") for element in page.iter() if element.get("id")}
    links = [a.get("href") for a in page.iter("a")]
    fragments = [href[1:] for href in links if href.startswith("#")]
    assert fragments and all(fragment in ids for fragment in fragments)
    local = [href for href in links if not href.startswith(("#", "https://", "http://", "mailto:"))]
    assert all((example.folder / href).is_file() for href in local)


def test_contents_links_to_every_section(example: Edition) -> None:
    page = example.pages["strategic_assessment.html"]
    nav = page.xpath("//nav")[0]
    entries = [(text(a), a.get("href")) for a in nav.iter("a")]
    assert [name for name, _ in entries][:3] == ["Introduction", "Acknowledgements", "Area overview"]
    assert ("Domestic abuse & sexual violence", "#domestic-abuse-sexual-violence") in entries
    assert ("Data sources and notes", "#data-sources-and-notes") in entries
    assert len(entries) == 8 + len(THEME_RATINGS) + 5
    targets = {element.get("id"): text(element) for element in page.iter("h2", "h3")}
    assert all(targets[href[1:]] == name for name, href in entries)


# Figures and tables ----------------------------------------------------------------------------------------


def test_crime_table_all_crime_row(example: Edition) -> None:
    table = section(example.pages["strategic_assessment.html"], "Crime table").xpath(".//table")[0]
    rows = {row[0]: row[1:] for row in table_rows(table)}
    # published: 22,903 in 2017/18, 23,729 in 2018/19; 826 / 22,903 = +3.6%; 23,729 / 263,100 x 1,000 = 90.2
    assert rows["All crime"] == ["22,903", "23,729", "+3.6% (826)", "90.2"]
    header = [text(th) for th in table.xpath("./thead/tr/th")]
    assert header == ["Crime type", "2017/18", "2018/19", "% change (no. crimes)", "Rate per 1,000"]


@pytest.mark.parametrize("theme", list(THEME_RATINGS))
def test_each_theme_table_lists_its_threats_with_their_ratings(example: Edition, theme: str) -> None:
    table = section(example.pages["strategic_assessment.html"], theme).xpath(".//table")[0]
    assert text(table.xpath("./caption")[0]) == f"{theme}: threats and their ratings"
    rows = table_rows(table)
    found = {re.sub(r" \[note \d+\]$", "", row[0]): row[-1].split(" ")[0] for row in rows}
    assert found == THEME_RATINGS[theme]


def test_rating_cells_carry_their_word_and_readable_colours(example: Edition) -> None:
    cells = example.pages["strategic_assessment.html"].xpath("//td[contains(@class, 'rated')]")
    assert len(cells) >= 5 * 39  # four band columns and the assessment for each of 39 threats
    for cell in cells:
        words = text(cell)
        assert any(words.startswith(word) for word in BAND_WORDS | RATING_WORDS), words
        style = dict(part.split(":") for part in cell.get("style").split(";"))
        assert contrast_ratio(style["color"], style["background-color"]) >= 4.5


@pytest.mark.parametrize("name", PAGES)
def test_every_table_has_a_caption_and_scoped_headers(example: Edition, name: str) -> None:
    tables = list(example.pages[name].iter("table"))
    for table in tables:
        assert text(table.xpath("./caption")[0])
        assert all(th.get("scope") == "col" for th in table.xpath("./thead//th"))
        assert table.xpath("./thead//th")
        assert all(th.get("scope") == "row" for th in table.xpath("./tbody//th"))


def index_rows(example: Edition) -> list[dict[str, str]]:
    with (example.folder.parent / "charts" / "index.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_chart_is_its_svg_with_its_alt_text_and_data(example: Edition) -> None:
    page = example.pages["strategic_assessment.html"]
    figures = page.xpath("//figure")
    charts = index_rows(example)
    assert len(figures) == len(charts) == 6
    for figure, chart in zip(figures, charts, strict=True):
        (image,) = figure.xpath(".//img")
        assert image.get("src") == f"{chart['file']}.svg"
        assert image.get("alt") == chart["alt_text"] and len(chart["alt_text"]) > 40
        assert (example.folder / image.get("src")).read_bytes() == (
            example.folder.parent / "charts" / f"{chart['file']}.svg"
        ).read_bytes()
        (table,) = figure.xpath(".//details/table|.//details//table")
        with (example.folder.parent / "charts" / f"{chart['file']}.csv").open(encoding="utf-8") as handle:
            data = list(csv.reader(handle))
        assert len(table.xpath("./thead//th")) == len(data[0])
        assert [row[0] for row in table_rows(table)] == [row[0] for row in data[1:]]  # every row of the CSV


def test_annual_trend_data_table_reads_the_published_totals(example: Edition) -> None:
    (figure,) = [
        f
        for f in example.pages["strategic_assessment.html"].xpath("//figure")
        if "01-annual" in str(f.xpath(".//img/@src"))
    ]
    rows = table_rows(figure.xpath(".//table")[0])
    counts = {row[0]: row[1] for row in rows}
    assert counts["2017/18"] == "22,903" and counts["2018/19"] == "23,729"
    header = [text(th) for th in figure.xpath(".//table/thead//th")]
    assert header == ["Year", "Count"]


def test_data_tables_name_their_columns_in_words(example: Edition) -> None:
    page = example.pages["strategic_assessment.html"]
    (figure,) = [f for f in page.xpath("//figure") if "neighbourhood-rates" in str(f.xpath(".//img/@src"))]
    header = [text(th) for th in figure.xpath(".//table/thead//th")]
    assert header == ["Neighbourhood", "Crimes", "Population", "Rate per 1,000"]
    # City Centre: 3,755 crimes among 7,392 residents = 508.0 per 1,000
    assert table_rows(figure.xpath(".//table")[0])[0] == ["City Centre", "3,755", "7,392", "508.0"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("23729", "23,729"),
        ("1941.5", "1,941.5"),
        ("-1234", "-1,234"),
        ("508.03", "508.03"),
        ("12", "12"),
        ("High", "High"),
        ("2016/17", "2016/17"),
        ("", ""),
    ],
)
def test_figures_in_data_tables_get_thousands_marks(value: str, shown: str) -> None:
    assert figure_text(value) == shown


def test_column_labels() -> None:
    assert column_label("rate_per_1000") == "Rate per 1,000"
    assert column_label("crime_type") == "Crime type"
    assert column_label("High") == "High"


# The same facts as the Word document -----------------------------------------------------------------------


def docx_paragraphs_between(document: DocumentObject, start: str, end: str) -> list[str]:
    """The texts between two headings of the .docx (its contents list is passed over)."""
    paragraphs = document.paragraphs
    first = next(
        i
        for i, p in enumerate(paragraphs)
        if p.text == start and p.style is not None and p.style.name.startswith("Heading")
    )
    last = next(i for i, p in enumerate(paragraphs) if p.text == end and i > first)
    return [p.text for p in paragraphs[first + 1 : last] if p.text.strip()]


def test_key_facts_are_the_word_documents_sentences(example: Edition) -> None:
    page = example.pages["strategic_assessment.html"]
    html_facts = [text(li) for li in page.xpath("//ul[@class='key-facts']/li")]
    word_facts = docx_paragraphs_between(example.document, "Quick facts", "Neighbourhoods with the highest rates")
    word_facts = [t for t in word_facts if not t.startswith("Figure ")]
    assert html_facts == word_facts
    assert "Crime was up 3.6% (826 crimes) on 2017/18 (22,903)." in html_facts  # 826 / 22,903 = 3.61%


def test_crime_trends_say_what_the_word_document_says(example: Edition) -> None:
    trends = section(example.pages["strategic_assessment.html"], "Crime trends")
    html_sentences = [text(element) for element in trends.xpath("./ul/li|./p")]
    word_sentences = docx_paragraphs_between(example.document, "Crime trends", "Crime table")
    assert html_sentences == word_sentences
    assert "Largest rise: Theft of motor vehicle, up 68.7% (79 crimes) to 194 in 2018/19." in html_sentences


def test_findings_and_notes_match_the_word_document(example: Edition) -> None:
    findings = section(example.pages["strategic_assessment.html"], "Analysis findings")
    html_lines = [text(e) for e in findings.xpath("./p[not(@class)]|./ul/li|./p[@class='note']")]
    word_lines = docx_paragraphs_between(example.document, "Analysis findings", "Domestic abuse & sexual violence")
    word_lines = [t for t in word_lines if t not in RATING_WORDS and not t.startswith("Figure ")]
    assert html_lines == word_lines


def test_plan_shows_the_plan_content_as_cards(example: Edition) -> None:
    page = example.pages["plan_on_a_page.html"]
    assert page.findtext(".//h1") == "Safer Plymouth Plan on a Page 2020/21"
    figures = [text(li) for li in page.xpath("//li[contains(@class, 'figure-card')]")]
    # 23,729 crimes, +3.6%; 23,729 / 263,100 x 1,000 = 90.2; rank 3 of 15; 8,838 ASB, -5.5%
    assert figures == [
        "23,729 crimes in 2018/19 (+3.6%)",
        "90.2 per 1,000 residents",
        "ranked 3 of 15 in its Most Similar Family (1 = lowest)",
        "8,838 ASB incidents (\u22125.5%)",
    ]
    groups = page.xpath("//li[contains(@class, 'group-card')]")
    assert [text(g.find("h3")) for g in groups] == [
        "Safer Families",
        "Safer People",
        "Safer Communities",
        "Domestic Abuse and Sexual Violence",
    ]
    assert "Chairs: Devon & Cornwall Police, NSPCC" in text(groups[0])
    deliverables = page.xpath("//li[contains(@class, 'deliverable-card')]")
    assert len(deliverables) == 6
    assert text(deliverables[0]) == "MoRiLE threat scoring workshops Lead: Community safety analyst When: July 2020"


# No script, no network ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_no_javascript_and_nothing_fetched_from_elsewhere(example: Edition, name: str) -> None:
    page = example.pages[name]
    assert not page.xpath("//script|//iframe|//object|//embed|//base")
    assert not [a for e in page.iter() for a in e.attrib if a.startswith("on")]
    sources = page.xpath("//img/@src|//link/@href|//source/@src")
    assert sources and all("/" not in src and ":" not in src for src in sources)
    assert all((ROOT / "templates" / "website.css").read_text().count(word) == 0 for word in ("url(", "@import"))


def test_the_folder_holds_the_pages_svgs_and_one_stylesheet(example: Edition) -> None:
    names = sorted(path.name for path in example.folder.iterdir())
    svgs = [name for name in names if name.endswith(".svg") and name != "logo.svg"]
    assert len(svgs) == 6 and [n for n in names if n.endswith(".css")] == ["website.css"]
    assert set(PAGES) <= set(names) and "logo.svg" in names
    for svg in svgs:
        content = (example.folder / svg).read_text(encoding="utf-8")
        # namespace names are not fetched; a reference (href, url(), @import, a font) would be
        assert not re.search(r'href="(?!#)|url\((?!#)|@import|@font-face|<script', content), svg


# The builder and the templates ------------------------------------------------------------------------------


def test_builder_escapes_every_text_and_marks_up_runs() -> None:
    builder = HtmlBuilder()
    paragraph = builder.paragraph(
        [Run('Fish & chips <b> "hot" ŵ', bold=True), Run(" see "), Run("x", link="https://e.org/?a=1&b=2")]
    )
    assert str(paragraph) == (
        '<p><strong>Fish &amp; chips &lt;b&gt; &#34;hot&#34; ŵ</strong> see <a href="https://e.org/?a=1&amp;b=2">x</a></p>'
    )
    assert str(builder.heading("Factors & scales", 2)) == '<h3 id="factors-scales">Factors &amp; scales</h3>'
    assert str(builder.heading("Factors & scales", 2)) == '<h3 id="factors-scales-2">Factors &amp; scales</h3>'


def test_builder_table_has_caption_scopes_and_worded_shaded_cells() -> None:
    table = str(
        HtmlBuilder().table(
            ["Rating", "Score"], [[Cell("High", "F2B8B5", bold=True), "30 to 44"]], [4, 4], caption="Ratings by score"
        )
    )
    assert "<caption>Ratings by score</caption>" in table
    assert '<th scope="col">Rating</th><th scope="col">Score</th>' in table
    # #F2B8B5 is light: near-black text (contrast about 11:1), never white (about 1.9:1)
    assert (
        '<th scope="row" class="rated" style="background-color:#f2b8b5;color:#0b0c0c"><strong>High</strong></th>'
        in table
    )
    assert '<td data-label="Score"><span>30 to 44</span></td>' in table


def test_contrast_ratio_follows_the_wcag_formula() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # #767676 on white is the lightest grey that passes AA: 4.54:1; #777777 is just under, 4.48:1
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert text_colour_on("#12436d") == "#ffffff" and text_colour_on("#ffe699") == "#0b0c0c"
    # on #777777 near-black gives 4.36:1 and white 4.48:1, both short of AA; pure black gives 4.69:1
    assert contrast_ratio("#0b0c0c", "#777777") < 4.5 and contrast_ratio("#ffffff", "#777777") < 4.5
    assert text_colour_on("#777777") == "#000000"


def test_every_fill_gets_text_of_at_least_aa_contrast() -> None:
    greys = [f"#{level:02x}{level:02x}{level:02x}" for level in range(256)]
    hues = [f"#{r:02x}{g:02x}{b:02x}" for r in range(0, 256, 51) for g in range(0, 256, 51) for b in range(0, 256, 51)]
    assert min(contrast_ratio(text_colour_on(fill), fill) for fill in greys + hues) >= 4.5


def test_contents_nests_the_second_level() -> None:
    contents = HtmlBuilder().contents([(1, "Introduction"), (2, "Acknowledgements"), (1, "Crime table")])
    assert str(contents.__html__()) == (
        '<ol><li><a href="#introduction">Introduction</a><ol><li><a href="#acknowledgements">Acknowledgements</a>'
        '</li></ol></li><li><a href="#crime-table">Crime table</a></li></ol>'
    )


def test_slug_makes_plain_fragment_names() -> None:
    assert slug("Appendix A: understanding threat, risk and harm") == "appendix-a-understanding-threat-risk-and-harm"
    assert slug("Cymraeg: ŵ ŷ") == "cymraeg-w-y"
    assert slug("&&") == "section"


def copy_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    return folder


def test_an_unknown_tag_names_the_template_and_the_tag(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    page = folder / "plan_on_a_page.html"
    page.write_text(page.read_text().replace("{{ footer_line }}", "{{ footer_lines }}"))
    with pytest.raises(InputError) as error:
        render_html(
            "plan_on_a_page.html",
            {
                "partnership": "P",
                "title": "T",
                "vision_line": "",
                "headline_figures": [],
                "focus_areas": [],
                "priorities": [],
                "rated_high": [],
                "thematic_groups": [],
                "key_deliverables": [],
                "footer_line": "f",
            },
            folder,
        )
    message = str(error.value)
    assert "templates/plan_on_a_page.html" in message and "footer_lines" in message and "footer_line" in message


def test_a_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    (folder / "plan_on_a_page.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n'
    )
    with pytest.raises(InputError) as error:
        render_html("plan_on_a_page.html", {}, folder)
    assert "templates/plan_on_a_page.html" in str(error.value) and "line 3" in str(error.value)


def test_templates_load_only_from_the_templates_folder(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    (tmp_path / "outside.html").write_text("secret")
    (folder / "plan_on_a_page.html").write_text('{% include "../outside.html" %}')
    with pytest.raises(InputError) as error:
        render_html("plan_on_a_page.html", {}, folder)
    assert "outside.html" in str(error.value) and "template not found" in str(error.value)
    with pytest.raises(InputError):
        render_html("../outside.html", {}, folder)


def test_the_sandbox_refuses_unsafe_tags(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    (folder / "plan_on_a_page.html").write_text("{{ title.__class__.__mro__ }}")
    with pytest.raises(InputError) as error:
        render_html("plan_on_a_page.html", {"title": "T"}, folder)
    assert "unsafe" in str(error.value)


def test_a_page_is_one_call_and_context_text_is_escaped(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    (folder / "extra.html").write_text(
        '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}'
        "{% block heading %}<h1>{{ title }}</h1>{% endblock %}{% block main %}{{ body }}{% endblock %}"
    )
    out = tmp_path / "out"
    page = render_html_page(
        "extra.html", {"partnership": "P", "title": 'A & <b> "c"', "body": HtmlBuilder().paragraph("x")}, out, folder
    )
    content = page.read_text(encoding="utf-8")
    assert "<h1>A &amp; &lt;b&gt; &#34;c&#34;</h1>" in content and "<p>x</p>" in content
    assert (out / "website.css").is_file() and (out / "logo.svg").is_file()


def test_a_restyled_stylesheet_and_logo_are_what_the_pages_get(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    css = folder / "website.css"
    css.write_text(css.read_text().replace("--brand: #12436d;", "--brand: #5a1e5c;"))
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    out = tmp_path / "out"
    render_html_page("plan_on_a_page.html", _plan_context(), out, folder)
    assert "--brand: #5a1e5c;" in (out / "website.css").read_text()
    assert (out / "logo.svg").read_text() == '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


def _plan_context() -> dict[str, object]:
    return {
        "partnership": "P",
        "title": "T",
        "vision_line": "",
        "headline_figures": [],
        "focus_areas": [],
        "priorities": [],
        "rated_high": [],
        "rated_high_heading": "",
        "thematic_groups": [],
        "key_deliverables": [],
        "footer_line": "f",
    }


# The command line and the Testshire inputs -------------------------------------------------------------------


def test_without_a_plan_the_assessment_page_links_to_none(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    write_settings(inputs, plan_on_a_page=None)
    result = generate(inputs, tmp_path / "outputs", only=("html",), pdf=False)
    folder = result.folder / "html"
    assert not (folder / "plan_on_a_page.html").exists()
    page = lxml_html.fromstring((folder / "strategic_assessment.html").read_bytes())
    assert "plan_on_a_page.html" not in page.xpath("//a/@href")


SPECIAL = 'Fish & chips <served> "hot" 🚓 ŵ ŷ'


def test_generate_only_html_writes_the_edition_and_keeps_other_files(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    write_settings(
        inputs,
        introduction=f"This is **Testshire's** *assessment*. {SPECIAL}.\n\n- first\n- second\n",
        plan_on_a_page=TESTSHIRE_PLAN,
    )
    outputs = tmp_path / "outputs"
    folders = ["--inputs", str(inputs), "--outputs", str(outputs)]
    assert CliRunner().invoke(cli, ["generate", *folders, "--only", "ratings"]).exit_code == 0
    result = CliRunner().invoke(cli, ["generate", *folders, "--only", "html"])
    assert result.exit_code == 0, result.output
    year = next(outputs.glob("20*"))
    assert (year / "ratings.csv").is_file()
    assert not (year / "strategic_assessment.docx").exists() and not (year / "charts").exists()
    page = (year / "html" / "strategic_assessment.html").read_text(encoding="utf-8")
    assert "Fish &amp; chips &lt;served&gt; &#34;hot&#34; 🚓 ŵ ŷ." in page
    assert "<strong>Testshire&#39;s</strong> <em>assessment</em>" in page
    assert "<ul><li>first</li><li>second</li></ul>" in page
    assert (year / "html" / "plan_on_a_page.html").is_file()
