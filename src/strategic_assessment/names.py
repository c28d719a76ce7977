"""Names: the one rule for matching them, and everyday names for neighbourhoods.

``fold`` is how every stage matches a name typed by a person against another
(crime types, threats, themes, the headline row, indicators): case and runs of
spaces are ignored, so ``All  crime`` in a table is the ``All crime`` of the
settings everywhere, in scoring, charts and documents alike.

police.uk names an LSOA ``Plymouth 023B``; its MSOA is ``Plymouth 023``, which
the House of Commons Library names ``Mutley``. The names of every MSOA of
England and Wales (MSOA Names 1.14, Open Parliament Licence v3.0) ship with the
package as ``data/msoa_names.csv.gz`` (the code, the ONS name and the everyday
name; about 100 KB), read once with importlib.resources, so a batch over any
force names its neighbourhoods without a file to configure (README, "Every
area of a force").
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
from importlib import resources

NAMES_FILE = "msoa_names.csv.gz"


@functools.cache
def msoa_names() -> dict[str, str]:
    """ONS MSOA name (``Plymouth 023``) -> everyday name (``Mutley``), for every MSOA of England and Wales."""
    data = resources.files("strategic_assessment").joinpath("data", NAMES_FILE).read_bytes()
    rows = csv.DictReader(io.StringIO(gzip.decompress(data).decode("utf-8")))
    return {row["msoa11nm"]: row["msoa11hclnm"] for row in rows if row["msoa11nm"] and row["msoa11hclnm"]}


def neighbourhood_name(msoa: str) -> str:
    """The everyday name of an MSOA, or the MSOA's own name where the list has none."""
    return msoa_names().get(msoa, msoa)


def fold(name: str) -> str:
    """A name folded for matching: case and runs of spaces ignored (the one rule for every name matched)."""
    return " ".join(name.split()).casefold()
