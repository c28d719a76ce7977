"""The parts of a zipped spreadsheet package (.xlsx, .xlsm, .ods), found by name and opened within bounds.

A workbook is a zip of XML parts. Parts are found the way the Open
Packaging Conventions say: the package's ``_rels/.rels`` names the workbook
part, and each part's relationships (``xl/_rels/workbook.xml.rels``) name the
parts it uses, with targets that may be absolute (``/xl/worksheets/a.xml``),
relative (``worksheets/a.xml``, ``./a.xml``, ``../a.xml``) and
percent-encoded; part names compare ignoring case.

Before a part is inflated its sizes in the zip directory are checked: a part
over ``MAX_PART`` bytes, or one that inflates more than ``MAX_RATIO`` times
its stored size (a "zip bomb": 2 MB that inflates to 2 GiB), is refused with
a message naming the file, before any of it is read. The declared size is an
upper bound on what Python's zipfile returns (it stops there and checks the
CRC), so the check cannot be talked round by a lying header.

Real parts sit far inside these bounds (measured): the example's largest
sheet part is 14 KB; 100,000 rows of formatted empty cells written by
openpyxl are 8 MB at a ratio of 12 (LibreOffice re-saves them as 160 KB at
16); Excel's full 1,048,576 rows of one column of numbers are 58 MB at 8.6,
of four columns 148 MB at 5.8 (over ``MAX_PART``: such a sheet is refused
with a message saying so, at once).
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from typing import IO
from urllib.parse import unquote

from defusedxml import ElementTree

MAX_PART = 128 * 2**20
MAX_RATIO = 200
RATIO_FLOOR = 2**20
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class Refused(Exception):
    """A file or part the reader will not read: what it is, and what to do about it."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix


_REPLACE = "replace it with a good copy, or open it in Excel or LibreOffice and save it again"


@dataclass(frozen=True)
class Relationship:
    """A relationship of one part to another: its kind (the last word of its type URI) and the target part."""

    kind: str
    part: str


class Package:
    """An open zip package whose parts are read by their part names."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._infos = {info.filename.lower(): info for info in archive.infolist()}

    def has(self, part: str) -> bool:
        return part.lower() in self._infos

    def open(self, part: str) -> IO[bytes]:
        """A stream of a part, after its sizes were checked. Raises KeyError when there is no such part."""
        info = self._infos[part.lower()]
        _check_size(info)
        return self.archive.open(info)

    def read(self, part: str) -> bytes:
        with self.open(part) as handle:
            return handle.read()

    def relationships(self, source: str) -> dict[str, Relationship]:
        """Relationship id -> (kind, part) for a part (``""`` for the package itself); none when it has no rels."""
        folder, name = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if not self.has(rels):
            return {}
        root = ElementTree.fromstring(self.read(rels))
        out = {}
        for item in root.iter(f"{PACKAGE_REL}Relationship"):
            if item.get("TargetMode") == "External":
                continue
            part = resolve(folder, item.get("Target", ""))
            if part:
                out[item.get("Id", "")] = Relationship(item.get("Type", "").rstrip("/").rsplit("/", 1)[-1], part)
        return out


def resolve(folder: str, target: str) -> str:
    """The part name a relationship target points at, from the folder of its source part ("" outside the package)."""
    target = unquote(target.split("#", 1)[0])
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    normal = posixpath.normpath(path) if path else ""
    return "" if normal in (".", "") or normal.startswith("..") else normal


def _check_size(info: zipfile.ZipInfo) -> None:
    """Refuse a part that inflates as no application writes (a bomb is named as such first), or past MAX_PART."""
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise Refused(
            f"its part {info.filename} would inflate {info.file_size // max(info.compress_size, 1):,} times "
            f"(from {info.compress_size:,} to {info.file_size:,} bytes), as no spreadsheet application "
            "writes; it was not read",
            _REPLACE,
        )
    if info.file_size > MAX_PART:
        raise Refused(
            f"its part {info.filename} would inflate to {info.file_size / 2**20:,.0f} MB, more than the "
            f"{MAX_PART // 2**20} MB this program reads from one part; it was not read",
            "keep the sheet to the rows and columns the assessment needs (move other data to another workbook)",
        )
