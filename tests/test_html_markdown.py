"""Narrative Markdown (CommonMark, read by markdown-it-py) as Word runs and as HTML.

Each expected value is written out by hand from the CommonMark rules: what
is bold, italic or a link, and what stays literal text.
"""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn

from strategic_assessment.documents.blocks import BlockBuilder, Run
from strategic_assessment.documents.html import HtmlBuilder
from strategic_assessment.documents.markdown import inline_runs, markdown_block, plain_text


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("plain words", [Run("plain words")]),
        ("a **bold** word", [Run("a "), Run("bold", bold=True), Run(" word")]),
        ("a __bold__ word", [Run("a "), Run("bold", bold=True), Run(" word")]),
        ("an *italic* word", [Run("an "), Run("italic", italic=True), Run(" word")]),
        ("an _italic_ word", [Run("an "), Run("italic", italic=True), Run(" word")]),
        ("***both*** at once", [Run("both", bold=True, italic=True), Run(" at once")]),
        (
            "**bold with *italic* inside**",
            [Run("bold with ", bold=True), Run("italic", bold=True, italic=True), Run(" inside", bold=True)],
        ),
        (r"\*not italic\* and 2 \* 3", [Run("*not italic* and 2 * 3")]),
        (r"\_\_not bold\_\_", [Run("__not bold__")]),
        ("snake_case_name stays", [Run("snake_case_name stays")]),
        ("2 * 3 * 4", [Run("2 * 3 * 4")]),
        ("Fish &amp; chips & peas", [Run("Fish & chips & peas")]),
        (
            "see [the guidance](https://example.org/a?b=1&c=2) now",
            [Run("see "), Run("the guidance", link="https://example.org/a?b=1&c=2"), Run(" now")],
        ),
        ("[**bold link**](https://e.org)", [Run("bold link", bold=True, link="https://e.org")]),
        ("[write](mailto:team@example.org)", [Run("write", link="mailto:team@example.org")]),
        ("[a file](notes.docx) and [x](javascript:alert(1))", [Run("a file and [x](javascript:alert(1))")]),
        ("<b>not html</b> & <script>x</script>", [Run("<b>not html</b> & <script>x</script>")]),
        ("`code` stays", [Run("code stays")]),
        ("line one\nline two", [Run("line one line two")]),
    ],
)
def test_inline_markdown_becomes_runs(text: str, runs: list[Run]) -> None:
    assert inline_runs(text) == runs


def test_inline_runs_can_all_be_bold() -> None:
    assert inline_runs("a *b*", bold=True) == [Run("a ", bold=True), Run("b", bold=True, italic=True)]


NARRATIVE = """\
Crime **rose** by *3.6%*.
It was the second year.

- first *point*
- second point,
  continued
* a new list after a change of marker

1. one
2. two

Last \\*word\\*.
"""


def test_markdown_becomes_html_paragraphs_and_lists() -> None:
    html = markdown_block(HtmlBuilder(), NARRATIVE).__html__()
    assert html == (
        "<p>Crime <strong>rose</strong> by <em>3.6%</em>. It was the second year.</p>"
        "<ul><li>first <em>point</em></li><li>second point, continued</li></ul>"
        "<ul><li>a new list after a change of marker</li></ul>"
        "<ol><li>one</li><li>two</li></ol>"
        "<p>Last *word*.</p>"
    )


def word_paragraphs(text: str) -> list[tuple[str, list[tuple[str, bool, bool]]]]:
    """(style, [(text, bold, italic), ...]) of each Word paragraph the Markdown makes."""
    block = markdown_block(BlockBuilder(), text)
    found = []
    for paragraph in block.elements:
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        runs = []
        for run in paragraph.iter(qn("w:r")):
            properties = run.find(qn("w:rPr"))
            bold = properties is not None and properties.find(qn("w:b")) is not None
            italic = properties is not None and properties.find(qn("w:i")) is not None
            runs.append(("".join(t.text or "" for t in run.iter(qn("w:t"))), bold, italic))
        found.append((style.get(qn("w:val")) if style is not None else "", runs))
    return found


def test_markdown_becomes_word_paragraphs_and_lists() -> None:
    assert word_paragraphs(NARRATIVE) == [
        (
            "",
            [
                ("Crime ", False, False),
                ("rose", True, False),
                (" by ", False, False),
                ("3.6%", False, True),
                (". It was the second year.", False, False),
            ],
        ),
        ("ListBullet", [("first ", False, False), ("point", False, True)]),
        ("ListBullet", [("second point, continued", False, False)]),
        ("ListBullet", [("a new list after a change of marker", False, False)]),
        ("ListNumber", [("one", False, False)]),
        ("ListNumber", [("two", False, False)]),
        ("", [("Last *word*.", False, False)]),
    ]


def test_bold_italic_together_in_word() -> None:
    assert word_paragraphs("***both***") == [("", [("both", True, True)])]


def test_markdown_link_in_html_is_escaped_and_kept() -> None:
    html = markdown_block(HtmlBuilder(), 'Read [the "rules" & notes](https://example.org/?a=1&b=2).').__html__()
    assert html == '<p>Read <a href="https://example.org/?a=1&amp;b=2">the &#34;rules&#34; &amp; notes</a>.</p>'


def test_raw_html_is_text_in_both_editions() -> None:
    text = "<script>alert(1)</script>\n\n<b>bold?</b>"
    assert markdown_block(HtmlBuilder(), text).__html__() == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>&lt;b&gt;bold?&lt;/b&gt;</p>"
    )
    assert [runs[0][0] for _, runs in word_paragraphs(text)] == ["<script>alert(1)</script>", "<b>bold?</b>"]


def test_a_nested_list_joins_its_parent_list() -> None:
    assert markdown_block(HtmlBuilder(), "- a\n  - b\n- c").__html__() == "<ul><li>a</li><li>b</li><li>c</li></ul>"


def test_headings_and_quotes_are_kept_as_paragraphs_of_their_words() -> None:
    html = markdown_block(HtmlBuilder(), "# Title\n\n> quoted *words*").__html__()
    assert html == "<p>Title</p><p>quoted <em>words</em></p>"


def test_plain_text_keeps_only_the_words() -> None:
    assert plain_text("Our **vision**: a *safe*\n  [city](https://e.org) \\*") == "Our vision: a safe city *"
    assert plain_text("") == ""
