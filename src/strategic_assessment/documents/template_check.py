"""Checks on a Word template before and after it renders, so a restyled template never publishes a broken document.

Before rendering:

- **Tracked changes are accepted**, as Word's Review › Accept all would, in
  every part (body, headers, footers, footnotes). Word shows a document with
  its changes applied ("Simple Markup"), so the accepted text is what the
  person who edited the template saw and meant; refusing would stop a board
  deadline for an edit nobody objected to. Each acceptance is reported in the
  run log with the part and the text near it. A revision that cannot be
  accepted as plain XML edits (a tracked cell deletion or merge) refuses the
  template with a message naming the part, the text near it and the fix.
- **The styles the program uses** (tables, notes, contents, captions, links)
  are found by name, the name Word shows, and their style ids handed to the
  block builder. A missing or renamed style is a problem naming the style and
  the fix, never a document set in the wrong style.
- **Block tags are matched** (``{%p if %}`` with ``{%p endif %}``), so an
  unclosed block is reported at its opening line rather than at the end of
  the document.

After rendering, the result must be whole: every part parses strictly, the
paragraphs that stand outside any loop or condition are all still there, and
the template's last fixed paragraph and the final section are present.

Hand-written rather than a library: no maintained Python library accepts
tracked changes (python-docx reads them as plain runs, docx2python drops them
without saying so), and the edits are a dozen element moves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from lxml import etree

from ..errors import InputError, Problem

FIX_TRACKED = "accept or reject tracked changes in Word: Review › Accept all (or Reject all), then save"
FIX_STYLE = (
    "in Word, Home › Styles: rename the style back (right-click › Modify) or add it; "
    "or run `python scripts/build_templates.py` to reset the template"
)
KEPT_CONTENT = ("w:ins", "w:moveTo")
DROPPED_CONTENT = ("w:del", "w:moveFrom")
DROPPED_MARKS = (
    "w:moveFromRangeStart",
    "w:moveFromRangeEnd",
    "w:moveToRangeStart",
    "w:moveToRangeEnd",
    "w:customXmlInsRangeStart",
    "w:customXmlInsRangeEnd",
    "w:customXmlDelRangeStart",
    "w:customXmlDelRangeEnd",
)
PROPERTY_CHANGES = (
    "w:rPrChange",
    "w:pPrChange",
    "w:sectPrChange",
    "w:tblPrChange",
    "w:tblPrExChange",
    "w:trPrChange",
    "w:tcPrChange",
    "w:tblGridChange",
    "w:numberingChange",
)
REFUSED = ("w:cellDel", "w:cellMerge")
NAMESPACES = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
BLOCK_TAG = re.compile(r"\{%-?\s*(?:p|tr|tc|r)?\s+(\w+)")
OPENERS = {"if", "for", "with", "filter", "macro", "call", "block", "raw", "set_block"}
CLOSERS = {f"end{name}": name for name in OPENERS}
CONTROL = re.compile(r"\{%-?\s*(?:p|tr|tc)\s|\{\{-?\s*p\s")


@dataclass(frozen=True)
class StyleNeed:
    """A style the program applies by id to what it builds; found in the template by its name."""

    key: str
    kind: str  # paragraph, character or table
    names: tuple[str, ...]  # the name Word shows first, then names other editors give it
    use: str


STYLE_NEEDS = (
    StyleNeed("table", "table", ("Assessment Table",), "every table the program builds"),
    StyleNeed("table_text", "paragraph", ("Table Text",), "the text in table cells"),
    StyleNeed("note", "paragraph", ("Explanatory Note",), "notes under tables and findings"),
    StyleNeed("caption", "paragraph", ("Caption",), "figure captions"),
    StyleNeed("list_bullet", "paragraph", ("List Bullet",), "bulleted lists"),
    StyleNeed("list_number", "paragraph", ("List Number",), "numbered lists"),
    StyleNeed("heading1", "paragraph", ("Heading 1",), "section headings"),
    StyleNeed("heading2", "paragraph", ("Heading 2",), "sub-headings"),
    StyleNeed("toc1", "paragraph", ("TOC 1", "Contents 1"), "the contents' first-level entries"),
    StyleNeed("toc2", "paragraph", ("TOC 2", "Contents 2"), "the contents' second-level entries"),
    StyleNeed("hyperlink", "character", ("Hyperlink", "Internet Link"), "links"),
)
DEFAULT_STYLE_IDS = {
    "table": "AssessmentTable",
    "table_text": "TableText",
    "note": "ExplanatoryNote",
    "caption": "Caption",
    "list_bullet": "ListBullet",
    "list_number": "ListNumber",
    "heading1": "Heading1",
    "heading2": "Heading2",
    "toc1": "TOC1",
    "toc2": "TOC2",
    "hyperlink": "Hyperlink",
}


@dataclass
class TemplatePart:
    """One XML part of a template that renders: the body, a header, a footer or the footnotes."""

    name: str  # body, header (header1.xml), ...
    element: Any


def template_parts(document: Any) -> list[TemplatePart]:
    """The body and every header, footer and notes part, with the names a message uses."""
    parts = [TemplatePart("body", document.element)]
    kinds = {
        RELATIONSHIP_TYPE.HEADER: "header",
        RELATIONSHIP_TYPE.FOOTER: "footer",
        RELATIONSHIP_TYPE.FOOTNOTES: "footnotes",
        RELATIONSHIP_TYPE.ENDNOTES: "endnotes",
    }
    for relation in document.part.rels.values():
        kind = kinds.get(relation.reltype)
        element = getattr(relation.target_part, "element", None) if kind else None
        if kind and element is not None:
            parts.append(TemplatePart(f"{kind} ({relation.target_part.partname.split('/')[-1]})", element))
    return parts


# Tracked changes -------------------------------------------------------------------------------------------


@dataclass
class Revisions:
    """What accepting a part's tracked changes did, for the run log."""

    part: str
    counts: dict[str, int] = field(default_factory=dict)
    near: str = ""

    def add(self, kind: str, element: Any) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if not self.near:
            self.near = _text_near(element)

    def describe(self, label: str) -> str:
        kinds = ", ".join(f"{count} {kind}" for kind, count in self.counts.items())
        return (
            f"{label} › {self.part}: tracked changes accepted before rendering ({kinds}; first near "
            f"'{self.near}'); {FIX_TRACKED} so the template shows what is published"
        )


def accept_tracked_changes(document: Any, label: str) -> list[str]:
    """Accept every tracked change of every part in place; the run-log lines saying so.

    Raises InputError (naming the part, the text near it and the fix) for a
    revision that cannot be accepted safely.
    """
    messages = []
    for part in template_parts(document):
        revisions = accept_in(part.element, part.name, label)
        if revisions.counts:
            messages.append(revisions.describe(label))
    return messages


def accept_in(root: Any, part: str, label: str) -> Revisions:
    """Accept the tracked changes under one element (a part's root)."""
    revisions = Revisions(part)
    refused = next(_all(root, REFUSED), None)
    if refused is not None:
        raise InputError(
            [
                Problem(
                    label,
                    f"a tracked table-cell change ({etree.QName(refused).localname}) cannot be accepted automatically",
                    FIX_TRACKED,
                    sheet=part,
                    cell=f"near '{_text_near(refused)}'",
                )
            ]
        )
    _accept_rows(root, revisions)
    _accept_paragraph_marks(root, revisions)
    for element in list(_all(root, DROPPED_CONTENT)):
        revisions.add("deletion" if element.tag == qn("w:del") else "move", element)
        element.getparent().remove(element)
    for element in list(_all(root, KEPT_CONTENT)):
        revisions.add("insertion" if element.tag == qn("w:ins") else "move", element)
        _unwrap(element)
    for element in list(_all(root, PROPERTY_CHANGES)):
        revisions.add("formatting change", element)
        element.getparent().remove(element)
    for element in list(_all(root, (*DROPPED_MARKS, "w:cellIns"))):
        element.getparent().remove(element)
    return revisions


def _accept_rows(root: Any, revisions: Revisions) -> None:
    """A row whose insertion is tracked stays (its mark goes); a row whose deletion is tracked goes."""
    for mark in list(_all(root, ("w:trPr/w:ins", "w:trPr/w:del"))):
        row = mark.getparent().getparent()
        if mark.tag == qn("w:del"):
            revisions.add("deletion", row)
            row.getparent().remove(row)
        else:
            revisions.add("insertion", row)
            mark.getparent().remove(mark)


def _accept_paragraph_marks(root: Any, revisions: Revisions) -> None:
    """An inserted paragraph mark stays; a deleted one joins its paragraph to the next, as Word does."""
    for mark in list(_all(root, ("w:pPr/w:rPr/w:ins", "w:pPr/w:rPr/w:moveTo"))):
        mark.getparent().remove(mark)
    for mark in list(_all(root, ("w:pPr/w:rPr/w:del", "w:pPr/w:rPr/w:moveFrom"))):
        paragraph = mark.getparent().getparent().getparent()
        mark.getparent().remove(mark)
        following = paragraph.getnext()
        revisions.add("deletion", paragraph)
        if following is None or following.tag != qn("w:p"):
            continue
        content = [child for child in paragraph if child.tag != qn("w:pPr")]
        position = 1 if following.find(qn("w:pPr")) is not None else 0
        for offset, child in enumerate(content):
            following.insert(position + offset, child)
        paragraph.getparent().remove(paragraph)


def _all(root: Any, paths: Iterable[str]) -> Iterator[Any]:
    """Elements under ``root`` at each path such as ``w:pPr/w:rPr/w:del`` (a list, so edits are safe)."""
    found = []
    for path in paths:
        found.extend(etree.ElementBase.xpath(root, f".//{path}", namespaces=NAMESPACES))
    return iter(found)


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    position = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(position + offset, child)
    parent.remove(element)


def _text_near(element: Any) -> str:
    paragraph = element
    while paragraph is not None and paragraph.tag not in (qn("w:p"), qn("w:tr")):
        paragraph = paragraph.getparent()
    node = paragraph if paragraph is not None else element
    texts = node.iter(qn("w:t"), qn("w:delText"), qn("w:instrText"))
    text = " ".join("".join(t.text or "" for t in texts).split())
    return text[:60] + ("…" if len(text) > 60 else "")


# Styles ----------------------------------------------------------------------------------------------------


def resolve_styles(document: Any, label: str, needs: Sequence[StyleNeed] = STYLE_NEEDS) -> dict[str, str]:
    """The style id of each needed style, found by its name; InputError naming every missing one."""
    styles = document.styles.element
    by_name: dict[tuple[str, str], str] = {}
    by_id: dict[str, tuple[str, str]] = {}
    for style in styles.findall(qn("w:style")):
        name_element = style.find(qn("w:name"))
        name = name_element.get(qn("w:val"), "") if name_element is not None else ""
        kind, style_id = style.get(qn("w:type"), "paragraph"), style.get(qn("w:styleId"), "")
        by_name.setdefault((kind, name.casefold()), style_id)
        by_id[style_id] = (kind, name)
    found, problems = {}, []
    for need in needs:
        style_id = next((by_name[key] for n in need.names if (key := (need.kind, n.casefold())) in by_name), None)
        if style_id is not None:
            found[need.key] = style_id
            continue
        problems.append(_missing_style(label, need, by_id.get(DEFAULT_STYLE_IDS.get(need.key, ""))))
    if problems:
        raise InputError(problems)
    return found


def _missing_style(label: str, need: StyleNeed, same_id: tuple[str, str] | None) -> Problem:
    renamed = f" (it seems to have been renamed '{same_id[1]}')" if same_id and same_id[0] == need.kind else ""
    return Problem(
        label,
        f"the {need.kind} style '{need.names[0]}' is missing{renamed}; the program uses it for {need.use}",
        FIX_STYLE.replace("the style back", f"the style back to '{need.names[0]}'"),
        sheet="styles",
        cell=need.names[0],
    )


# Block tags and the template's outline --------------------------------------------------------------------


@dataclass(frozen=True)
class Outline:
    """What a rendered document must keep from its template: counted before rendering."""

    fixed_paragraphs: int
    last_fixed_text: str
    unclosed: str  # the opening line of an unclosed block, or ""


def _paragraph_text(paragraph: Any) -> str:
    return "".join(text.text or "" for text in paragraph.iter(qn("w:t")))


def outline(body: Any) -> Outline:
    """Count the paragraphs outside every loop and condition, and find an unclosed block's opening line."""
    depth: list[tuple[str, str, str]] = []  # (block, its paragraph's text, the heading before it)
    fixed, last, heading = 0, "", ""
    for paragraph in body.iter(qn("w:p")):
        text = _paragraph_text(paragraph)
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val"), "").startswith("Heading") and "{" not in text:
            heading = text
        control = bool(CONTROL.search(text)) or _in_row_loop(paragraph)
        for match in BLOCK_TAG.finditer(text):
            word = match.group(1)
            if word in OPENERS:
                depth.append((word, " ".join(text.split()), heading))
            elif word in CLOSERS and depth and depth[-1][0] == CLOSERS[word]:
                depth.pop()
        if not depth and not control and "{%" not in text:
            fixed += 1
            if text.strip() and "{" not in text:
                last = text.strip()
    unclosed = ""
    if depth:
        _, line, after = depth[-1]
        unclosed = f"'{line}'" + (f" (after the heading '{after}')" if after else " (before the first heading)")
    return Outline(fixed, last, unclosed)


def _in_row_loop(paragraph: Any) -> bool:
    """True for paragraphs of a table row that a ``{%tr %}`` tag replaces."""
    row = next((a for a in paragraph.iterancestors(qn("w:tr"))), None)
    return row is not None and "{%tr" in "".join(_paragraph_text(p) for p in row.iter(qn("w:p")))


def check_whole(document: Any, before: Outline, label: str) -> None:
    """Raise InputError unless the rendered document kept its template's fixed paragraphs and last section."""
    body = document.element.body
    paragraphs = [_paragraph_text(p).strip() for p in body.iter(qn("w:p"))]
    problems = []
    if len(paragraphs) < before.fixed_paragraphs:
        problems.append(
            f"the rendered document has {len(paragraphs)} paragraphs, fewer than the {before.fixed_paragraphs} "
            "the template always shows, so part of it was lost"
        )
    if before.last_fixed_text and before.last_fixed_text not in paragraphs:
        problems.append(f"the rendered document lost its last section ('{before.last_fixed_text}')")
    if body[-1].tag != qn("w:sectPr"):
        problems.append("the rendered document lost its final section settings")
    if problems:
        raise InputError([Problem(label, "; ".join(problems), "nothing was published; " + FIX_TRACKED, sheet="body")])


def strict_parse(xml: str | bytes, label: str, part: str) -> None:
    """Raise InputError naming the part when rendered XML is not well formed (nothing is published)."""
    try:
        etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, etree.XMLParser(recover=False))
    except etree.XMLSyntaxError as exc:
        raise InputError(
            [
                Problem(
                    label,
                    f"the rendered {part} is not a well-formed Word part ({exc.msg}), so nothing was published",
                    "a tag is probably split by formatting or a tracked change: retype the tag in Word "
                    "as plain text; " + FIX_TRACKED,
                    sheet=part,
                )
            ]
        ) from exc


# Pictures in headers and footers ---------------------------------------------------------------------------


def unlabelled_pictures(document: Any, label: str) -> list[str]:
    """Warnings for header and footer pictures without alt text (the program cannot know what a logo shows)."""
    warnings = []
    for part in template_parts(document)[1:]:
        for properties in part.element.iter(qn("wp:docPr")):
            decorative = b"decorative" in etree.tostring(properties)
            if not decorative and not (properties.get("descr") or "").strip():
                name = properties.get("name") or "a picture"
                warnings.append(
                    f"{label} › {part.name}: '{name}' has no alt text, so a screen reader cannot say what it "
                    "shows; in Word right-click it › View Alt Text and describe it (or tick 'Mark as decorative')"
                )
    return warnings
