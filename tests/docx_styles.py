"""The names of paragraphs' styles in a .docx read with python-docx, looked up in one table per document.

``paragraph.style`` searches every style of the document each time it is
asked (for the default paragraph style too), about 0.2 ms a paragraph: a
test reading the 300 paragraphs of an assessment a few times spent most of
its time there. ``StyleNames`` reads the styles once and answers as
``paragraph.style.name`` would: the first style with the paragraph's style
id, or the document's default paragraph style when the paragraph names none,
names one that is not there, or names one that is not a paragraph style.
Made from a document as it is now: a document whose styles are changed
afterwards needs a new one.
"""

from __future__ import annotations

from typing import Any


class StyleNames:
    """``names(paragraph)``: the name of the paragraph's style, as python-docx gives it ("" for none)."""

    def __init__(self, document: Any) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default = (default.name or "") if default is not None else ""
        self.names: dict[str, str] = {}
        for style in document.styles:
            if style.style_id:
                name = (style.name or "") if style.type == WD_STYLE_TYPE.PARAGRAPH else self.default
                self.names.setdefault(style.style_id, name)

    def __call__(self, paragraph: Any) -> str:
        style_id = paragraph._p.style
        return self.names.get(style_id, self.default) if style_id else self.default
