"""Text made safe to put in a spreadsheet cell: the one function every CSV and xlsx writer uses.

A cell whose text starts with ``= + - @`` (or a tab or carriage return, which
some programs skip before looking) runs as a formula when the file is opened
in Excel or LibreOffice: a threat named ``=HYPERLINK("http://...")`` would
become a live link. Such text gets a leading apostrophe, which spreadsheets
read as "this is text" (OWASP's advice for CSV injection). Numbers, dates
and other text are left as they are. Headers go through the same function as
cells: a monthly series is named by its header.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` safe for a spreadsheet cell: text that would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
