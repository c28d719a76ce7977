"""PDF/UA-1 touches LibreOffice's export leaves undone.

LibreOffice 7.4 writes a page's annotation order as the string ``(S)``
instead of the name ``/S`` (PDF/UA-1 7.18.3 asks for the name on every page
with annotations, so the contents' links are read in structure order).
Where the entry stands in a page object as LibreOffice writes it,
``/Tabs(S)`` becomes ``/Tabs/S `` in place: the same number of bytes, so no
offset of the file moves and nothing else of it changes. Rewriting the whole
file through pikepdf for that one entry took 42 ms of CPU for the
Strategic Assessment (a third of a second in the analyst's loop of ``watch``
goes to the PDF's touches); in place it is the 14 ms of pikepdf's reading,
which then checks that every page with annotations has the name. A page the
bytes did not fix (another writer, another layout) is fixed through
pikepdf, which rewrites the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

LIBREOFFICE_TABS = b"/Tabs(S)"
NAMED_TABS = b"/Tabs/S "
"""The name, padded to the length of the string it replaces."""
OBJECT_START = re.compile(rb"\d+ \d+ obj\s*")


def fix_tab_order(path: Path) -> int:
    """Give every page with annotations ``/Tabs /S``; the number of pages changed."""
    changed = _fix_in_place(path)
    with pikepdf.open(path) as pdf:  # read only (opened to be overwritten, pikepdf first copies the file)
        whole = all(_named(page) for page in pdf.pages)
    return changed if whole else changed + _fix_through_pikepdf(path)


def _named(page: pikepdf.Page) -> bool:
    tabs = page.obj.get("/Tabs")
    return "/Annots" not in page.obj or (isinstance(tabs, pikepdf.Name) and tabs == pikepdf.Name.S)


def _fix_through_pikepdf(path: Path) -> int:
    changed = 0
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            if not _named(page):
                page.obj.Tabs = pikepdf.Name.S
                changed += 1
        if changed:
            pdf.save(path)
    return changed


def _fix_in_place(path: Path) -> int:
    """Rewrite ``/Tabs(S)`` as ``/Tabs/S `` where it is an entry of a page object's dictionary."""
    data = path.read_bytes()
    places = [
        found.start() for found in re.finditer(re.escape(LIBREOFFICE_TABS), data) if _in_page(data, found.start())
    ]
    if places:
        with path.open("r+b") as handle:
            for place in places:
                handle.seek(place)
                handle.write(NAMED_TABS)
    return len(places)


def _in_page(data: bytes, place: int) -> bool:
    """Whether ``place`` is inside the dictionary of a page object: after ``N 0 obj <</Type/Page/``, before any
    stream or end of that object (never in a stream's data, such as the metadata, which may quote any text)."""
    start = data.rfind(b" obj", 0, place)
    if start < 0:
        return False
    line = data.rfind(b"\n", 0, start) + 1
    head = OBJECT_START.match(data, line)
    if head is None or head.end() < start:
        return False
    between = data[head.end() : place]
    return between.startswith(b"<</Type/Page/") and b"stream" not in between and b"endobj" not in between
