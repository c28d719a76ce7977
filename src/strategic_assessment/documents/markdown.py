"""The Markdown analysts write in narrative inputs, turned into real formatting for Word and the website.

markdown-it-py parses the text as CommonMark (so ``**bold**``, ``__bold__``,
``*italic*``, ``_italic_``, ``***both***``, ``\\*`` escapes, entities,
``[links](https://...)``, ``-``/``*`` bullets and ``1.`` numbered items all
behave as the CommonMark specification says); its token stream is mapped
onto ``Run`` pieces and paragraph or list blocks, which a ``Builder`` turns
into Word paragraphs or HTML. Raw HTML is never interpreted: it stays the
text it is. Links keep their target only for ``http(s)://`` and ``mailto:``
addresses; anything else keeps just its words. Headings, quotes and code
become ordinary paragraphs of their text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .blocks import Block, Builder, Run

_PARSER = MarkdownIt("commonmark", {"html": False})
LINK_SCHEMES = ("http://", "https://", "mailto:")
PARAGRAPH, BULLET, NUMBER = "paragraph", "bullet", "number"


@dataclass
class _Piece:
    """One paragraph or list of the text: its kind and the runs of each of its items."""

    kind: str
    items: list[list[Run]] = field(default_factory=list)


@dataclass
class _Style:
    bold: int = 0
    italic: int = 0
    links: list[str] = field(default_factory=list)

    def run(self, text: str) -> Run:
        link = self.links[-1] if self.links else ""
        return Run(text, bold=self.bold > 0, italic=self.italic > 0, link=link)


def _inline_runs(tokens: Sequence[Token]) -> list[Run]:
    """Runs from an inline token's children; neighbouring runs of one style are joined."""
    style = _Style()
    runs: list[Run] = []
    for token in tokens:
        text = _inline_step(token, style)
        if text:
            _append(runs, style.run(text))
    return runs


def _inline_step(token: Token, style: _Style) -> str:
    """Apply one inline token to the style; returns the text it adds."""
    kind = token.type
    if kind in ("text", "code_inline", "html_inline"):
        return token.content
    if kind in ("softbreak", "hardbreak"):
        return " "
    if kind == "image":
        return "".join(child.content for child in token.children or ())
    if kind in ("strong_open", "strong_close"):
        style.bold += 1 if kind == "strong_open" else -1
    elif kind in ("em_open", "em_close"):
        style.italic += 1 if kind == "em_open" else -1
    elif kind == "link_open":
        href = str(token.attrGet("href") or "")
        style.links.append(href if href.startswith(LINK_SCHEMES) else "")
    elif kind == "link_close" and style.links:
        style.links.pop()
    return ""


def _append(runs: list[Run], run: Run) -> None:
    last = runs[-1] if runs else None
    if last is not None and (last.bold, last.italic, last.link) == (run.bold, run.italic, run.link):
        runs[-1] = replace(last, text=last.text + run.text)
    else:
        runs.append(run)


def _pieces(text: str) -> Iterator[_Piece]:
    """The paragraphs and lists of a Markdown text, in order; nested list items join their list."""
    lists: list[_Piece] = []
    for token in _PARSER.parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            kind = BULLET if token.type == "bullet_list_open" else NUMBER
            lists.append(lists[0] if lists else _Piece(kind))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            finished = lists.pop()
            if not lists:
                yield finished
        elif token.type == "list_item_open" and lists:
            lists[0].items.append([])
        elif token.type in ("inline", "fence", "code_block"):
            runs = _inline_runs(token.children or ()) if token.type == "inline" else [Run(token.content.strip())]
            if lists:
                _add_to_item(lists[0], runs)
            elif runs:
                yield _Piece(PARAGRAPH, [runs])


def _add_to_item(piece: _Piece, runs: list[Run]) -> None:
    """A list item's text; a second paragraph in one item continues it after a space."""
    if not piece.items:
        piece.items.append([])
    item = piece.items[-1]
    if item and runs:
        _append(item, Run(" ", bold=item[-1].bold, italic=item[-1].italic, link=item[-1].link))
    for run in runs:
        _append(item, run)


def inline_runs(text: str, bold: bool = False) -> list[Run]:
    """Runs of one line of Markdown: bold, italic and links recognised, the rest literal."""
    runs = [run for piece in _pieces(text) for item in piece.items for run in item]
    return [replace(run, bold=True) for run in runs] if bold else runs


def markdown_block(builder: Builder, text: str) -> Block:
    """Paragraphs and lists (Word or HTML, as the builder makes them) for a Markdown text."""
    elements = []
    for piece in _pieces(text):
        items: list[Sequence[Run] | str] = [item for item in piece.items if item]
        if piece.kind == BULLET:
            elements.extend(builder.bullets(items))
        elif piece.kind == NUMBER:
            elements.extend(builder.numbered(items))
        else:
            elements.extend(builder.paragraph(item) for item in items)
    return Block(elements)


def plain_text(text: str) -> str:
    """Markdown reduced to its words (for one-line uses such as the Plan on a Page)."""
    return " ".join("".join(run.text for run in inline_runs(text)).split())
