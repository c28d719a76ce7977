"""PDF/UA-1 touches LibreOffice's export leaves undone, made with pikepdf.

LibreOffice 7.4 writes a page's annotation order as the string ``(S)``
instead of the name ``/S`` (PDF/UA-1 7.18.3 asks for the name on every page
with annotations, so the contents' links are read in structure order). The
fix rewrites that one entry; nothing else of the file changes.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf


def fix_tab_order(path: Path) -> int:
    """Give every page with annotations ``/Tabs /S``; the number of pages changed (the file is rewritten)."""
    changed = 0
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            tabs = page.obj.get("/Tabs")
            if "/Annots" in page.obj and not (isinstance(tabs, pikepdf.Name) and tabs == pikepdf.Name.S):
                page.obj.Tabs = pikepdf.Name.S
                changed += 1
        if changed:
            pdf.save(path)
    return changed
