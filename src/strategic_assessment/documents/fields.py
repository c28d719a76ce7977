"""Fields filled in from the rendered document itself: the contents and the figure numbers.

The contents is a real Word contents field (``TOC``); after rendering, its
entries are rebuilt from the document's own headings, each a link to a
bookmark on its heading with a ``PAGEREF`` for the page number, so a section
deleted or moved in the template is deleted or moved in the contents too.
Word refreshes the page numbers on opening; the PDF export updates the
indexes before writing. Figure numbers are ``SEQ Figure`` fields numbered in
the order the figures appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

TOC = re.compile(r"^\s*TOC\b")
SEQ_FIGURE = re.compile(r"^\s*SEQ\s+Figure\b")
LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')
BOOKMARK_PREFIX = "_Toc"


def _instruction_runs(body: Any, pattern: re.Pattern[str]) -> Iterator[Any]:
    for instruction in body.iter(qn("w:instrText")):
        if pattern.match(instruction.text or ""):
            yield instruction.getparent()


def fill_contents(body: Any, styles: Mapping[str, str]) -> int:
    """Rebuild each contents field's entries from the headings after it; the number of entries."""
    count = 0
    for run in list(_instruction_runs(body, TOC)):
        first = run.getparent()
        if first.tag != qn("w:p"):
            continue
        last = _field_end_paragraph(first, run)
        instruction = run.find(qn("w:instrText")).text
        levels = LEVELS.search(instruction or "")
        deepest = int(levels.group(2)) if levels else 2
        headings = [(p, level) for p, level in _headings_after(last, styles) if level <= deepest]
        entries = [_entry(heading, level, number, styles) for number, (heading, level) in enumerate(headings)]
        count = len(entries)
        if not entries:
            entries = [_paragraph(styles["toc1"])]
        _open_field(entries[0], instruction)
        entries[-1].append(field_char("end"))
        parent = first.getparent()
        position = parent.index(first)
        for paragraph in _paragraphs_between(first, last):
            parent.remove(paragraph)
        for offset, entry in enumerate(entries):
            parent.insert(position + offset, entry)
    return count


def unwrap_contents(body: Any) -> int:
    """Take each contents field's wrapper away, leaving its entries as linked paragraphs; how many were.

    For a LibreOffice that cannot be asked to update the indexes (one ``soffice --convert-to`` start): it
    keeps a contents field's text as it finds it, with no page numbers, but works out each entry's own
    ``PAGEREF`` as it lays the pages out. Only a copy made for the PDF is unwrapped; the .docx keeps its
    field, for Word to update.
    """
    wrappers = []
    fields: list[tuple[list[Any], bool]] = []  # the runs of each open field, and whether it is a contents
    for run in body.iter(qn("w:r")):
        char = run.find(qn("w:fldChar"))
        instruction = run.find(qn("w:instrText"))
        if char is not None:
            kind = char.get(qn("w:fldCharType"))
            if kind == "begin":
                fields.append(([run], False))
            elif kind == "separate" and fields:
                fields[-1][0].append(run)
            elif kind == "end" and fields:
                runs, contents = fields.pop()
                if contents:
                    wrappers.append([*runs, run])
        elif instruction is not None and fields and TOC.match(instruction.text or ""):
            fields[-1] = ([*fields[-1][0], run], True)
    for runs in wrappers:
        for run in runs:
            run.getparent().remove(run)
    return len(wrappers)


def _field_end_paragraph(first: Any, run: Any) -> Any:
    """The paragraph holding the end of the field whose instruction is in ``run``."""
    depth = 0
    paragraph = first
    while paragraph is not None:
        for char in paragraph.iter(qn("w:fldChar")):
            if paragraph is first and _before(char, run):
                continue
            kind = char.get(qn("w:fldCharType"))
            depth += {"begin": 1, "end": -1}.get(kind, 0)
            if depth < 0:
                return paragraph
        paragraph = paragraph.getnext()
    return first


def _before(char: Any, run: Any) -> bool:
    paragraph_children = list(run.getparent())
    owner = char.getparent()
    return owner in paragraph_children and paragraph_children.index(owner) < paragraph_children.index(run)


def _paragraphs_between(first: Any, last: Any) -> list[Any]:
    paragraphs, current = [first], first
    while current is not last and current.getnext() is not None:
        current = current.getnext()
        paragraphs.append(current)
    return paragraphs


def _headings_after(last: Any, styles: Mapping[str, str]) -> list[tuple[Any, int]]:
    levels = {styles["heading1"]: 1, styles["heading2"]: 2}
    found = []
    current = last.getnext()
    while current is not None:
        if current.tag == qn("w:p"):
            style = current.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            level = levels.get(style.get(qn("w:val"))) if style is not None else None
            if level and _text(current).strip():
                found.append((current, level))
        current = current.getnext()
    return found


def _text(paragraph: Any) -> str:
    return "".join(text.text or "" for text in paragraph.iter(qn("w:t")))


def _entry(heading: Any, level: int, number: int, styles: Mapping[str, str]) -> Any:
    """A contents entry: the heading's words linked to its bookmark, a tab, and its page number."""
    name = _bookmark(heading, number)
    paragraph = _paragraph(styles[f"toc{level}"])
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), name)
    link.set(qn("w:history"), "1")
    link.append(_text_run(" ".join(_text(heading).split())))
    tab = OxmlElement("w:r")
    tab.append(OxmlElement("w:tab"))
    link.append(tab)
    link.extend([field_char("begin"), instruction_run(f" PAGEREF {name} \\h "), field_char("separate")])
    link.extend([_text_run(""), field_char("end")])
    paragraph.append(link)
    return paragraph


def _bookmark(heading: Any, number: int) -> str:
    existing = heading.find(qn("w:bookmarkStart"))
    if existing is not None and existing.get(qn("w:name"), "").startswith(BOOKMARK_PREFIX):
        return str(existing.get(qn("w:name")))
    name = f"{BOOKMARK_PREFIX}{100000 + number}"
    identifier = str(900000 + number)
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), identifier)
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), identifier)
    properties = heading.find(qn("w:pPr"))
    heading.insert(1 if properties is not None else 0, start)
    heading.append(end)
    return name


def _paragraph(style_id: str) -> Any:
    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    properties.append(style)
    paragraph.append(properties)
    return paragraph


def _open_field(paragraph: Any, instruction: str) -> None:
    runs = [field_char("begin"), instruction_run(instruction), field_char("separate")]
    for offset, run in enumerate(runs):
        paragraph.insert(1 + offset, run)


def _text_run(value: str) -> Any:
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = value
    run.append(text)
    return run


def field_char(kind: str) -> Any:
    """A run holding a field character: ``begin``, ``separate`` or ``end``."""
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def instruction_run(value: str) -> Any:
    """A run holding a field's instruction text, e.g. `` TOC \\o "1-2" \\h ``."""
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = value
    run.append(instruction)
    return run


def number_figures(body: Any) -> int:
    """Number every ``SEQ Figure`` field in document order (simple and complex fields); the count."""
    number = 0
    for element in body.iter(qn("w:fldSimple"), qn("w:instrText")):
        if element.tag == qn("w:fldSimple"):
            if not SEQ_FIGURE.match(element.get(qn("w:instr"), "")):
                continue
            number += 1
            texts = list(element.iter(qn("w:t")))
            if not texts:
                element.append(_text_run(""))
                texts = list(element.iter(qn("w:t")))
        elif SEQ_FIGURE.match(element.text or ""):
            number += 1
            texts = _complex_result(element.getparent())
        else:
            continue
        if texts:
            texts[0].text = str(number)
            for extra in texts[1:]:
                extra.text = ""
    return number


def _complex_result(run: Any) -> list[Any]:
    """The text elements of a complex field's shown result (between its separate and end marks)."""
    texts, showing = [], False
    current = run.getnext()
    while current is not None:
        char = current.find(qn("w:fldChar"))
        kind = char.get(qn("w:fldCharType")) if char is not None else ""
        if kind == "end":
            break
        if kind == "separate":
            showing = True
        elif showing:
            texts.extend(current.iter(qn("w:t")))
        current = current.getnext()
    return texts
