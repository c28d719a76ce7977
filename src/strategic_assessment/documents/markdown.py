"""The Markdown analysts write in narrative inputs, turned into real Word formatting.

Supported: paragraphs (blank-line separated), ``-``/``*`` bullets, ``1.``
numbered items, ``**bold**``, ``*italic*`` / ``_italic_`` and
``[links](https://...)``. Everything else is kept as the text it is: no
HTML is interpreted.
"""

from __future__ import annotations

import re

from .blocks import Block, BlockBuilder, Run

INLINE = re.compile(
    r"\[(?P<link_text>[^\]]+)\]\((?P<url>(?:https?://|mailto:)[^)\s]+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w*])\*(?P<star>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<under>[^_\s](?:[^_]*[^_\s])?)_(?![\w_])"
)
BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def inline_runs(text: str, bold: bool = False) -> list[Run]:
    """Runs of one line of Markdown: bold, italic and links recognised, the rest literal."""
    runs: list[Run] = []
    position = 0
    for match in INLINE.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position : match.start()], bold=bold))
        if match["url"]:
            runs.append(Run(match["link_text"], bold=bold, link=match["url"]))
        elif match["bold"]:
            runs.extend(
                Run(run.text, bold=True, italic=run.italic, link=run.link) for run in inline_runs(match["bold"])
            )
        else:
            runs.append(Run(match["star"] or match["under"], bold=bold, italic=True))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:], bold=bold))
    return runs


def markdown_block(builder: BlockBuilder, text: str) -> Block:
    """Word paragraphs and lists for a Markdown text."""
    blocks: list[tuple[str, list[str]]] = []  # (style, lines); style "" is a plain paragraph
    for line in text.splitlines():
        item = BULLET.match(line) or NUMBERED.match(line)
        if item:
            blocks.append(("List Bullet" if BULLET.match(line) else "List Number", [item.group(1).strip()]))
        elif not line.strip():
            blocks.append(("", []))
        elif blocks and blocks[-1][1]:
            blocks[-1][1].append(line.strip())  # a paragraph, or a list item's continuation line
        else:
            blocks.append(("", [line.strip()]))
    return Block([builder.paragraph(inline_runs(" ".join(lines)), style) for style, lines in blocks if lines])


def plain_text(text: str) -> str:
    """Markdown reduced to its words (for one-line uses such as the Plan on a Page)."""
    return "".join(run.text for run in inline_runs(" ".join(text.split())))
