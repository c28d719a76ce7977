"""Templates as comms staff restyle them: the document renders whole, or the run stops with a message.

Each restyled template is made here the way its editor would leave it: XML
edits of a part inside the .docx zip as Word saves tracked changes, a
python-docx restyle, a renamed style, a LibreOffice round trip, sections
moved or deleted. Each test runs ``generate --only assessment`` on the worked
example through the command line with that template and asserts what the user
sees: exit 0 with a whole document (every section, its tables in the
template's table style, no revision marks), or exit 2 with a message naming
the template, the part or style, and the fix, and no published document.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
import pytest
from click.testing import CliRunner
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from lxml import etree

from strategic_assessment.documents.template_check import check_whole, outline, strict_parse
from strategic_assessment.errors import InputError

from .docx_styles import StyleNames

if TYPE_CHECKING:
    from .kept_office import KeptOffice

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
TEMPLATES = ROOT / "templates"
ASSESSMENT = "strategic_assessment.docx"
PLAN = "plan_on_a_page.docx"
YEAR = "2018-19"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REVISION = 'w:id="901" w:author="Comms team" w:date="2026-11-30T10:00:00Z"'
# The worked example's level-1 headings in template order (SPEC §6.1), theme sections between them.
FIRST_SECTIONS = ["Introduction", "Area overview", "Quick facts", "Crime trends", "Crime table"]
LAST_SECTIONS = [
    "Appendix A: understanding threat, risk and harm",
    "Appendix B: changes, disagreements and data sources",
]
TRACKED_FIX = "Review › Accept all"


@dataclass
class Run:
    exit_code: int
    output: str
    folder: Path

    @property
    def document(self) -> DocumentObject:
        return docx.Document(str(self.folder / ASSESSMENT))


@pytest.fixture(scope="module")
def parsed_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of parsed inputs for the module's runs: the worked example is read and parsed once.

    It is the product's own cache of parsed inputs (``OUTPUTS/.cache/inputs``), keyed by the bytes of
    every file read, so only the reading is saved; the templates are read afresh by every run.
    """
    return tmp_path_factory.mktemp("parsed-inputs")


@pytest.fixture
def generate_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed_inputs: Path
) -> Callable[[dict[str, Path]], Run]:
    """Run ``generate --only assessment --no-pdf`` on the worked example with some templates replaced.

    Its charts come from the session's drawings (tests/conftest.py), drawn once for the whole run, and
    its parsed inputs from the module's (``parsed_inputs``).
    """

    def run(templates: dict[str, Path]) -> Run:
        from strategic_assessment.cli import cli
        from strategic_assessment.documents import render

        real = render.template_path
        monkeypatch.setattr(render, "template_path", lambda name, *rest: templates.get(name) or real(name, *rest))
        outputs = tmp_path / "outputs"
        if not (outputs / ".cache" / "inputs").exists():
            (outputs / ".cache").mkdir(parents=True, exist_ok=True)
            (outputs / ".cache" / "inputs").symlink_to(parsed_inputs, target_is_directory=True)
        result = CliRunner().invoke(
            cli,
            ["generate", "--inputs", str(INPUTS), "--outputs", str(outputs), "--only", "assessment", "--no-pdf"],
            catch_exceptions=False,
        )
        return Run(result.exit_code, result.output, outputs / YEAR)

    return run


def copy_template(tmp_path: Path, name: str = ASSESSMENT) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / name
    shutil.copyfile(TEMPLATES / name, path)
    return path


def edit_part(path: Path, part: str, edit: Callable[[str], str]) -> None:
    """Rewrite one XML part inside the .docx zip, the way Word saves it (all other parts byte for byte)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                changed = edit(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), f"the edit did not apply to {part}"
                data = changed.encode("utf-8")
            target.writestr(info, data)


def run_with_text(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def title_page(document: DocumentObject) -> list[str]:
    """The texts of the paragraphs before the contents."""
    texts = [p.text for p in document.paragraphs]
    return texts[: texts.index("Contents")]


def paragraph_with(document: DocumentObject, text: str) -> Any:
    return next(p for p in document.paragraphs if p.text == text)


def styled(document: DocumentObject) -> list[tuple[Any, str]]:
    """Each paragraph with the name of its style, as ``paragraph.style.name`` gives it ("" for none)."""
    names = StyleNames(document)
    return [(p, names(p)) for p in document.paragraphs]


def heading_texts(document: DocumentObject, level: int = 1) -> list[str]:
    return [p.text for p, style in styled(document) if style.casefold() == f"heading {level}" and p.text]


def contents_entries(document: DocumentObject) -> list[str]:
    return [p.text.strip() for p, style in styled(document) if re.fullmatch(r"toc \d", style.casefold())]


def assert_whole(result: Run, first: list[str] = FIRST_SECTIONS) -> DocumentObject:
    """Exit 0, and the document has every section from the first to the appendices, nothing left of a tag."""
    assert result.exit_code == 0, result.output
    document = result.document
    headings = heading_texts(document)
    assert headings[: len(first)] == first
    assert headings[-2:] == LAST_SECTIONS
    assert len(document.paragraphs) > 300  # the worked example renders to about 400 paragraphs
    body = etree.tostring(document.element.body, encoding="unicode")
    assert "{{" not in body and "{%" not in body
    return document


def assert_no_revision_marks(folder: Path) -> None:
    with zipfile.ZipFile(folder / ASSESSMENT) as package:
        for name in package.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = package.read(name).decode("utf-8")
                assert not re.search(r"<w:(ins|del|moveFrom|moveTo|rPrChange|pPrChange)\b", xml), name


# Tracked changes, one shape each ---------------------------------------------------------------------------


def test_an_insertion_covering_part_of_a_tag_is_accepted_and_the_document_is_whole(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    # Word retyped "ship }}" of the title's tag with track changes on
    path = copy_template(tmp_path)
    edit_part(
        path,
        "word/document.xml",
        lambda xml: xml.replace(
            "<w:r><w:t>{{ partnership }}</w:t></w:r>",
            f"{run_with_text('{{ partner')}<w:ins {REVISION}>{run_with_text('ship }}')}</w:ins>",
            1,
        ),
    )
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result)
    assert document.paragraphs[0].text == "Safer Plymouth"
    assert "tracked changes accepted" in result.output
    assert "templates/strategic_assessment.docx › body" in result.output
    assert "near '{{ partnership }}'" in result.output
    assert TRACKED_FIX in result.output
    assert_no_revision_marks(result.folder)
    manifest = (result.folder / "manifest.json").read_text(encoding="utf-8")
    assert "tracked changes accepted" in manifest


def test_an_insertion_covering_a_tags_start_is_accepted(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    edit_part(
        path,
        "word/document.xml",
        lambda xml: xml.replace(
            "<w:r><w:t>{{ partnership }}</w:t></w:r>",
            f"<w:ins {REVISION}>{run_with_text('{{ part')}</w:ins>{run_with_text('nership }}')}",
            1,
        ),
    )
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result)
    assert document.paragraphs[0].text == "Safer Plymouth"
    assert "A strategic assessment of threat, risk and harm 2018/19" in title_page(document)


def test_an_insertion_in_the_footer_is_accepted(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    edit_part(
        path,
        "word/footer1.xml",
        lambda xml: xml.replace(
            "{{ year }}    Page ",
            "{{ ye</w:t></w:r>" + f"<w:ins {REVISION}>{run_with_text('ar }}    Page ')}</w:ins><w:r><w:t>",
            1,
        ),
    )
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result)
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Safer Plymouth strategic assessment 2018/19    Page ")
    assert "templates/strategic_assessment.docx › footer (footer1.xml)" in result.output


def test_an_insertion_around_a_whole_tag_is_published_without_revision_marks(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    edit_part(
        path,
        "word/document.xml",
        lambda xml: xml.replace(
            "<w:r><w:t>{{ published }}</w:t></w:r>",
            f"<w:ins {REVISION}><w:r><w:t>{{{{ published }}}}</w:t></w:r></w:ins>",
        ),
    )
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result)
    assert "October 2019" in title_page(document)
    assert_no_revision_marks(result.folder)


def test_a_deletion_is_accepted_so_the_deleted_words_are_not_published(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    deleted = f'<w:del {REVISION}><w:r><w:delText xml:space="preserve">DRAFT for comment </w:delText></w:r></w:del>'
    edit_part(
        path,
        "word/document.xml",
        lambda xml: xml.replace(
            "<w:r><w:t>{{ published }}</w:t></w:r>", deleted + "<w:r><w:t>{{ published }}</w:t></w:r>"
        ),
    )
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result)
    assert "October 2019" in title_page(document)
    assert "DRAFT" not in etree.tostring(document.element.body, encoding="unicode")
    assert "1 deletion" in result.output


def test_a_moved_paragraph_lands_where_it_was_moved_to(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    # "{{ prepared_by }}" moved above "{{ published }}": Word keeps a moveFrom copy and a moveTo copy
    def move(xml: str) -> str:
        prepared = "<w:r><w:t>{{ prepared_by }}</w:t></w:r>"
        published = "<w:r><w:t>{{ published }}</w:t></w:r>"
        xml = xml.replace(prepared, f"<w:moveFrom {REVISION.replace('901', '902')}>{prepared}</w:moveFrom>", 1)
        return xml.replace(
            published,
            f"<w:moveTo {REVISION.replace('901', '903')}><w:r><w:t>{{{{ prepared_by }}}} </w:t></w:r></w:moveTo>"
            + published,
            1,
        )

    path = copy_template(tmp_path)
    edit_part(path, "word/document.xml", move)
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result)
    team = "Prepared by Safer Plymouth community safety analysis team"
    assert title_page(document)[3:5] == [f"{team} October 2019", ""]
    assert_no_revision_marks(result.folder)


def test_a_formatting_change_is_accepted(tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]) -> None:
    path = copy_template(tmp_path)
    change = f"<w:rPr><w:b/><w:rPrChange {REVISION}><w:rPr/></w:rPrChange></w:rPr>"
    edit_part(
        path,
        "word/document.xml",
        lambda xml: xml.replace(
            "<w:r><w:t>{{ published }}</w:t></w:r>", f"<w:r>{change}<w:t>{{{{ published }}}}</w:t></w:r>"
        ),
    )
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result)
    assert paragraph_with(document, "October 2019").runs[0].bold is True
    assert "1 formatting change" in result.output
    assert_no_revision_marks(result.folder)


def test_a_deleted_paragraph_mark_joins_the_paragraphs_as_word_does(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    def join(xml: str) -> str:
        # the paragraph mark after "{{ published }}" deleted: its words run on into "{{ prepared_by }}"'s paragraph
        return xml.replace(
            "<w:p><w:r><w:t>{{ published }}</w:t></w:r></w:p>",
            f"<w:p><w:pPr><w:rPr><w:del {REVISION}/></w:rPr></w:pPr>{run_with_text('{{ published }}, ')}</w:p>",
            1,
        )

    path = copy_template(tmp_path)
    edit_part(path, "word/document.xml", join)
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result)
    assert "October 2019, Prepared by Safer Plymouth community safety analysis team" in title_page(document)


def test_a_tracked_cell_deletion_refuses_the_template_naming_the_part_and_the_fix(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    edit_part(
        path,
        "word/document.xml",
        lambda xml: xml.replace("<w:tcPr>", f"<w:tcPr><w:cellDel {REVISION}/>", 1),
    )
    result = generate_with({ASSESSMENT: path})
    assert result.exit_code == 2, result.output
    assert "templates/strategic_assessment.docx › body › near 'Measure" in result.output
    assert TRACKED_FIX in result.output
    assert not result.folder.exists()


# The result must be whole ---------------------------------------------------------------------------------


def test_the_wholeness_check_stops_a_truncated_document() -> None:
    template = docx.Document(str(TEMPLATES / ASSESSMENT))
    before = outline(template.element.body)
    # the template always shows its headings and fixed paragraphs, ending with the last appendix heading
    assert before.fixed_paragraphs >= 20
    assert before.last_fixed_text == "Data sources and notes"
    truncated = docx.Document(str(TEMPLATES / ASSESSMENT))
    body = truncated.element.body
    for paragraph in list(body)[3:-1]:  # what docxtpl left when a split tag ended the body early
        body.remove(paragraph)
    with pytest.raises(InputError) as raised:
        check_whole(truncated, before, "templates/strategic_assessment.docx")
    message = raised.value.message
    assert "fewer than the" in message and "lost its last section ('Data sources and notes')" in message
    assert "nothing was published" in message
    check_whole(docx.Document(str(TEMPLATES / ASSESSMENT)), before, "templates/strategic_assessment.docx")


def test_a_rendered_part_that_does_not_parse_names_the_part() -> None:
    with pytest.raises(InputError) as raised:
        strict_parse("<w:ftr xmlns:w='x'><w:p><w:ins></w:p></w:ftr>", "templates/t.docx", "footer (footer1.xml)")
    assert "templates/t.docx › footer (footer1.xml): the rendered footer (footer1.xml) is not a well-formed" in str(
        raised.value.message
    )
    strict_parse("<w:ftr xmlns:w='x'><w:p/></w:ftr>", "templates/t.docx", "footer")


# Styles ---------------------------------------------------------------------------------------------------


def test_a_renamed_table_text_style_stops_the_run_naming_the_style_and_the_fix(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    template = docx.Document(str(path))
    template.styles["Table Text"].name = "Table Body"  # Word keeps the style id when a style is renamed
    template.save(str(path))
    result = generate_with({ASSESSMENT: path})
    assert result.exit_code == 2, result.output
    assert "templates/strategic_assessment.docx › styles › Table Text" in result.output
    assert "renamed 'Table Body'" in result.output
    assert "rename the style back to 'Table Text'" in result.output
    assert not result.folder.exists()


def test_a_missing_note_style_is_named_even_when_its_id_went_too(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    edit_part(
        path,
        "word/styles.xml",
        lambda xml: xml.replace(
            'w:styleId="ExplanatoryNote"><w:name w:val="Explanatory Note"/>',
            'w:styleId="Remark"><w:name w:val="Remark"/>',
        ),
    )
    result = generate_with({ASSESSMENT: path})
    assert result.exit_code == 2, result.output
    assert "styles › Explanatory Note: the paragraph style 'Explanatory Note' is missing" in result.output


def test_a_restyled_table_style_restyles_every_table(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    # python-docx restyle: a plum header row and Verdana table text, as a user would set in Word
    path = copy_template(tmp_path)
    template = docx.Document(str(path))
    style = template.styles["Assessment Table"].element
    header = next(s for s in style.findall(qn("w:tblStylePr")) if s.get(qn("w:type")) == "firstRow")
    header.find(f"{qn('w:tcPr')}/{qn('w:shd')}").set(qn("w:fill"), "801650")
    template.styles["Table Text"].font.name = "Verdana"
    template.save(str(path))
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result)
    restyled = document.styles["Assessment Table"].element
    header = next(s for s in restyled.findall(qn("w:tblStylePr")) if s.get(qn("w:type")) == "firstRow")
    assert header.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) == "801650"
    tables = document.element.body.iter(qn("w:tbl"))
    for table in tables:
        assert table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}").get(qn("w:val")) == "AssessmentTable"
        first_row = table.find(qn("w:tr"))
        # the header row's look comes from the style alone: no shading or colour of its own
        assert first_row.find(f".//{qn('w:shd')}") is None
        assert first_row.find(f".//{qn('w:color')}") is None
        for paragraph in table.iter(qn("w:p")):
            assert paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "TableText"
    assert len(document.tables) >= 15  # key statistics, neighbourhoods, crime table, 9 themes, method, ...


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory, parsed_inputs: Path) -> DocumentObject:
    """The worked example's assessment rendered from the shipped template, once for the module's readers."""
    from strategic_assessment.cli import cli

    outputs = tmp_path_factory.mktemp("shipped") / "outputs"
    (outputs / ".cache").mkdir(parents=True)
    (outputs / ".cache" / "inputs").symlink_to(parsed_inputs, target_is_directory=True)
    result = CliRunner().invoke(
        cli,
        ["generate", "--inputs", str(INPUTS), "--outputs", str(outputs), "--only", "assessment", "--no-pdf"],
        catch_exceptions=False,
    )
    return assert_whole(Run(result.exit_code, result.output, outputs / YEAR))


def test_every_table_row_is_kept_whole_across_pages(shipped: DocumentObject) -> None:
    document = shipped
    rows = list(document.element.body.iter(qn("w:tr")))
    assert len(rows) > 100
    split = [row for row in rows if row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None]
    assert split == []


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice) on PATH")


@needs_soffice
def test_a_template_saved_by_libreoffice_renders_whole(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run], kept_office: KeptOffice
) -> None:
    # saved as Word 2007 XML, the filter of ``soffice --convert-to docx``, by the LibreOffice kept for the tests
    (saved,) = kept_office.save_as([TEMPLATES / ASSESSMENT], "docx", tmp_path / "templates")
    result = generate_with({ASSESSMENT: saved})
    document = assert_whole(result)
    # LibreOffice gives the contents styles its own ids (Contents1); the entries use the template's
    entries = contents_entries(document)
    assert entries[:3] == ["Introduction", "Area overview", "Quick facts"]
    ids = {s.style_id for s in document.styles}
    for paragraph in document.element.body.iter(qn("w:pStyle")):
        assert paragraph.get(qn("w:val")) in ids


# Contents and figure numbers come from the rendered document ------------------------------------------------


def move_section(path: Path, heading: str, before: str) -> None:
    """Move a level-1 section (its heading up to the next level-1 heading) before another section."""
    template = docx.Document(str(path))
    body = template.element.body
    children = list(body)

    def is_heading(element: object, text: str | None = None) -> bool:
        style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")  # type: ignore[attr-defined]
        words = "".join(t.text or "" for t in element.iter(qn("w:t")))  # type: ignore[attr-defined]
        return style is not None and style.get(qn("w:val")) == "Heading1" and (text is None or words == text)

    start = next(i for i, e in enumerate(children) if is_heading(e, heading))
    end = next(i for i, e in enumerate(children[start + 1 :], start + 1) if is_heading(e) or e.tag == qn("w:sectPr"))
    section = children[start:end]
    target = next(e for e in children if is_heading(e, before))
    for element in section:
        body.remove(element)
        target.addprevious(element)
    template.save(str(path))


def delete_section(path: Path, heading: str) -> None:
    template = docx.Document(str(path))
    body = template.element.body
    children = list(body)
    start = next(i for i, e in enumerate(children) if "".join(t.text or "" for t in e.iter(qn("w:t"))) == heading)
    end = start + 1
    while (
        children[end].find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is None
        or children[end].find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) != "Heading1"
    ):
        end += 1
    for element in children[start:end]:
        body.remove(element)
    template.save(str(path))


def captions(document: DocumentObject) -> list[str]:
    """Caption paragraphs' text, the figure number (a SEQ field's shown result) included."""
    return [
        "".join(t.text or "" for t in p._p.iter(qn("w:t")))
        for p, style in styled(document)
        if style.casefold() == "caption"
    ]


def test_the_contents_and_figure_numbers_follow_the_shipped_template(shipped: DocumentObject) -> None:
    document = shipped
    entries = contents_entries(document)
    assert entries == heading_texts(document)  # every section, in order (the contents title is no Heading 1)
    assert captions(document) == [
        "Figure 1: Recorded crime by year",
        "Figure 2: Crime by month, April to March",
        "Figure 3: Recorded crime by type",
        "Figure 4: Neighbourhoods with the highest crime rates",
        "Figure 5: Threat ratings by theme",
        "Figure 6: Harm against likelihood for every threat",
    ]


def test_reordered_sections_reorder_the_contents_and_renumber_the_figures(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    move_section(path, "Analysis findings", before="Quick facts")
    result = generate_with({ASSESSMENT: path})
    document = assert_whole(result, ["Introduction", "Area overview", "Analysis findings", "Quick facts"])
    entries = contents_entries(document)
    assert entries[:4] == ["Introduction", "Area overview", "Analysis findings", "Quick facts"]
    assert captions(document)[:3] == [
        "Figure 1: Threat ratings by theme",
        "Figure 2: Harm against likelihood for every threat",
        "Figure 3: Recorded crime by year",
    ]
    # the contents entries link to bookmarks on their headings
    anchors = [
        link.get(qn("w:anchor")) for link in document.element.body.iter(qn("w:hyperlink")) if link.get(qn("w:anchor"))
    ]
    bookmarks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    assert len(anchors) == len(entries) and set(anchors) <= bookmarks


def test_a_deleted_section_leaves_the_contents(tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]) -> None:
    path = copy_template(tmp_path)
    delete_section(path, "Crime trends")
    result = generate_with({ASSESSMENT: path})
    assert result.exit_code == 0, result.output
    entries = contents_entries(result.document)
    assert "Crime trends" not in entries
    assert entries[:5] == ["Introduction", "Area overview", "Quick facts", "Crime table", "Analysis findings"]


# Template errors name the real tag and the block's opening line ------------------------------------------------


def add_paragraph_after(path: Path, heading: str, text: str) -> None:
    template = docx.Document(str(path))
    target = next(p for p in template.paragraphs if p.text == heading)
    new = template.add_paragraph(text)
    target._p.addnext(new._p)
    template.save(str(path))


def test_an_unknown_attribute_names_the_real_tag_and_what_its_object_offers(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    add_paragraph_after(path, "{{p theme.table }}", "Lead: {{ theme.lead_officer }}")
    result = generate_with({ASSESSMENT: path})
    assert result.exit_code == 2, result.output
    assert "tag 'theme.lead_officer' is not provided: theme has no 'lead_officer'" in result.output
    assert "theme offers: key_statistics, name, narrative, table" in result.output
    assert "{{ theme.lead_officer }}" in result.output


def test_an_unclosed_block_names_its_opening_line(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    path = copy_template(tmp_path)
    add_paragraph_after(path, "Crime trends", "{%p if trend_sentences %}")
    result = generate_with({ASSESSMENT: path})
    assert result.exit_code == 2, result.output
    assert "the block opened at '{%p if trend_sentences %}' (after the heading 'Crime trends') is never closed" in (
        " ".join(result.output.split())
    )


# Pictures in headers and footers ------------------------------------------------------------------------------


def test_a_header_logo_without_alt_text_is_warned_and_with_it_is_not(
    tmp_path: Path, generate_with: Callable[[dict[str, Path]], Run]
) -> None:
    logo = next((ROOT / "tests").rglob("*.png"), None) or _tiny_png(tmp_path / "logo.png")
    path = copy_template(tmp_path)
    template = docx.Document(str(path))
    template.sections[0].header.paragraphs[0].add_run().add_picture(str(logo))
    template.save(str(path))
    result = generate_with({ASSESSMENT: path})
    assert_whole(result)
    assert "templates/strategic_assessment.docx › header (header1.xml)" in result.output
    assert "has no alt text" in result.output
    template = docx.Document(str(path))
    for properties in template.sections[0].header._element.iter(qn("wp:docPr")):
        properties.set("descr", "Safer Plymouth logo")
    template.save(str(path))
    again = generate_with({ASSESSMENT: path})
    assert again.exit_code == 0 and "has no alt text" not in again.output


def _tiny_png(path: Path) -> Path:
    from matplotlib.figure import Figure

    Figure(figsize=(0.5, 0.5)).savefig(path, format="png", dpi=40)
    return path


# Every shipped template, the ones other documents use included ------------------------------------------------


@pytest.mark.parametrize("name", sorted(path.name for path in TEMPLATES.glob("*.docx")))
def test_every_shipped_template_has_the_styles_and_closes_its_blocks(name: str) -> None:
    from strategic_assessment.documents.template_check import accept_tracked_changes, resolve_styles

    template = docx.Document(str(TEMPLATES / name))
    styles = resolve_styles(template, f"templates/{name}")
    assert styles["table"] == "AssessmentTable" and styles["note"] == "ExplanatoryNote"
    assert outline(template.element.body).unclosed == ""
    assert accept_tracked_changes(template, f"templates/{name}") == []  # shipped without tracked changes
    style_names = {style.name for style in template.styles}
    assert "Note" not in style_names  # a style called Note would take over the standard PDF /Note tag


@pytest.mark.parametrize("name", sorted(path.name for path in TEMPLATES.glob("*.docx")))
def test_a_tracked_insertion_in_any_shipped_template_is_accepted(tmp_path: Path, name: str) -> None:
    from strategic_assessment.documents.template_check import accept_tracked_changes

    path = copy_template(tmp_path, name)
    edit_part(
        path,
        "word/document.xml",
        lambda xml: re.sub(
            r"<w:r><w:t>\{\{ (\w+)", rf"<w:ins {REVISION}><w:r><w:t>{{{{ </w:t></w:r></w:ins><w:r><w:t>\1", xml, count=1
        ),
    )
    template = docx.Document(str(path))
    before = [p.text for p in docx.Document(str(TEMPLATES / name)).paragraphs]
    messages = accept_tracked_changes(template, f"templates/{name}")
    assert len(messages) == 1 and "1 insertion" in messages[0]
    assert [p.text for p in template.paragraphs] == before
    assert not list(template.element.body.iter(f"{W}ins"))


# The risk matrix's key --------------------------------------------------------------------------------------


def test_the_risk_matrix_key_wraps_long_names_and_never_cuts_them() -> None:
    import io

    from strategic_assessment.charts import figure, risk_matrix_chart

    long_name = "County lines / dangerous drug networks and the exploitation of children"
    points = [(long_name, 11, 3, "High"), ("Terrorist incident", 12, 3, "High"), ("Arson", 2, 1, "Standard")]
    spec = risk_matrix_chart(
        points, ("Harm", "Likelihood"), ((0, 12), (1, 3)), ["High", "Moderate", "Standard"], "2018/19", "Testshire", "S"
    )
    assert spec is not None
    chart = figure(spec)
    chart.savefig(io.BytesIO(), format="png", dpi=40)
    texts = [t for t in chart.findobj() if hasattr(t, "get_text") and "High:" in str(t.get_text())]
    (key,) = texts
    lines = [line.strip() for line in key.get_text().splitlines()]
    assert "…" not in key.get_text()
    # sorted by harm: Terrorist incident (12) is 1, the long name (11) is 2, wrapped at 26 characters
    assert lines[:2] == ["High:", "1  Terrorist incident"]
    assert lines[2].startswith("2  County lines")
    assert " ".join(lines[2:]).replace("2  ", "", 1).split() == long_name.split()
    assert all(len(line) <= 26 + 3 for line in lines)
    # the whole key lies inside the picture
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(chart)
    canvas.draw()
    box, frame = key.get_window_extent(canvas.get_renderer()), chart.bbox
    assert box.x1 <= frame.x1 and box.y0 >= frame.y0
