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
    elements = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            elements.append(builder.paragraph(inline_runs(" ".join(line.strip() for line in lines))))
            lines.clear()

    for line in text.splitlines():
        bullet, numbered = BULLET.match(line), NUMBERED.match(line)
        if bullet or numbered:
            flush()
            item = (bullet or numbered).group(1)  # type: ignore[union-attr]
            style = "List Bullet" if bullet else "List Number"
            elements.append(builder.paragraph(inline_runs(item.strip()), style))
        elif not line.strip():
            flush()
        else:
            lines.append(line)
    flush()
    return Block(elements)


def plain_text(text: str) -> str:
    """Markdown reduced to its words (for one-line uses such as the Plan on a Page)."""
    return "".join(run.text for run in inline_runs(" ".join(text.split())))
