"""Hostile workbooks are refused quickly, in bounded memory, each named with what it is.

Each file is built at the zip level the way an attacker would make it (a real
deflate stream that inflates to 2 GiB, a billion-laughs entity declaration,
a cell far past Excel's last row, one row of values more than the reader's
``MAX_DATA_ROWS``) and put in the workshops folder of the Testshire inputs; the
files are built once for the module and their tests run on one worker. One ``validate`` runs in a child
process under resource limits (1 GiB of address space, 60 CPU seconds): a
reader that inflated, expanded or allocated what the file asks for would be
killed, not answer. The child's own peak memory (wait4's rusage) is checked
too. The limits stated in the README are the reader's (``package.MAX_PART``,
``MAX_RATIO``, ``sheetxml.MAX_TEXT``, ``MAX_DATA_ROWS``).
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from strategic_assessment.ingest.package import MAX_PART, MAX_RATIO
from strategic_assessment.ingest.sheetxml import MAX_DATA_ROWS, MAX_TEXT

from .builders import write_inputs

ROOT = Path(__file__).resolve().parent.parent
ADDRESS_SPACE = 2**30
CPU_SECONDS = 60
PEAK_MB = 400
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SCORES = "xl/worksheets/sheet1.xml"
GIB = 2**30


@dataclass(frozen=True)
class Member:
    """A zip member as raw deflate data with its CRC and inflated size."""

    data: bytes
    crc: int
    size: int


def deflated(data: bytes) -> Member:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def bomb(head: bytes, fill: bytes, tail: bytes, size: int) -> Member:
    """``head + fill * n + tail`` inflating to about ``size`` bytes: one full-flushed block of ``fill`` repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(fill) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    count = size // len(fill)
    crc = zlib.crc32(tail, repeated_crc32(zlib.crc32(head), fill, count))
    return Member(start + block * count + end, crc, len(head) + len(fill) * count + len(tail))


def repeated_crc32(crc: int, data: bytes, count: int) -> int:
    """``zlib.crc32(data * count, crc)`` without reading ``data`` ``count`` times (2 GiB is 1.5 s of CPU).

    ``data * 2**k`` is appended for each bit of ``count`` set; every block is ``data`` repeated, so the
    order they are appended in gives the same bytes.
    """
    block, length = zlib.crc32(data), len(data)
    while count:
        if count & 1:
            crc = crc32_combine(crc, block, length)
        block, length = crc32_combine(block, block, length), length * 2
        count >>= 1
    return crc


def crc32_combine(first: int, second: int, length: int) -> int:
    """The CRC-32 of ``a + b`` from ``crc32(a)``, ``crc32(b)`` and ``len(b)``: zlib's ``crc32_combine``.

    Appending zero bytes to ``a`` is a linear map of its CRC over GF(2): the operator for one zero
    byte, squared for each bit of ``length`` (zlib's gf2_matrix_square and gf2_matrix_times; Python's
    zlib has no binding for it).
    """
    operator = [0xEDB88320] + [1 << row for row in range(31)]  # one zero bit
    for _ in range(3):
        operator = _gf2_square(operator)  # one zero byte
    while length:
        if length & 1:
            first = _gf2_times(operator, first)
        operator = _gf2_square(operator)
        length >>= 1
    return first ^ second


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, column) for column in matrix]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7, 64, 1000])
def test_the_crc_of_a_repeated_fill_is_zlibs(count: int) -> None:
    """The bombs' CRC, worked without the repetition, is the one zlib gives the repeated bytes."""
    for data, start in ((b" " * 1024, 0), (b"ab", zlib.crc32(b"<head>")), (b"\x00\xff", 12345)):
        assert repeated_crc32(start, data, count) == zlib.crc32(data * count, start)


def write_zip(path: Path, members: dict[str, Member]) -> None:
    """A zip archive written by hand (zipfile cannot store data deflated elsewhere)."""
    local, central = bytearray(), bytearray()
    for name, member in members.items():
        encoded = name.encode()
        fields = (20, 0, 8, 0, 0x21, member.crc, len(member.data), member.size, len(encoded), 0)
        central += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIHH", *fields)
        central += struct.pack("<HHHII", 0, 0, 0, 0, len(local)) + encoded
        local += struct.pack("<I", 0x04034B50) + struct.pack("<HHHHHIIIHH", *fields) + encoded + member.data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def workbook_with(source: Path, target: Path, **changed: Member) -> Path:
    """``source``'s parts with some replaced (keys: part names with / as __ and . as _)."""
    members = {name: deflated(data) for name, data in parts_of(source).items()}
    for key, member in changed.items():
        members[key.replace("__", "/").replace("_xml", ".xml").replace("_rels", ".rels")] = member
    write_zip(target, members)
    return target


def sheet(rows: str) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
    return f"{head}{rows}</sheetData></worksheet>".encode()


def with_shared_strings(source: Path, target: Path, strings: Member) -> Path:
    """``source`` with a shared strings part (``strings``) and a scores sheet whose A1 is string 0."""
    parts = parts_of(source)
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    relation = (
        '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    members = {name: deflated(data) for name, data in parts.items()}
    members["xl/_rels/workbook.xml.rels"] = deflated(rels.replace("</Relationships>", relation).encode())
    members[SCORES] = deflated(sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))
    members["xl/sharedStrings.xml"] = strings
    write_zip(target, members)
    return target


def rows_past_the_bound() -> Iterator[bytes]:
    """A scores sheet of ``MAX_DATA_ROWS + 1`` rows of values: one more than the reader takes."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    for number in range(1, MAX_DATA_ROWS + 2):
        yield f'<row r="{number}"><c r="A{number}"><v>{number}</v></c></row>'.encode()
    yield b"</sheetData></worksheet>"


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{level} "{("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10}">'.encode()
        for level in range(1, 10)
    )
    + f']><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
    f"</row></sheetData></worksheet>".encode()
)


def build_hostile_inputs(inputs: Path) -> dict[str, str]:
    """Hostile workbooks beside the good one, each with the start of the message it must get."""
    write_inputs(inputs)
    good = inputs / "workshops" / "workshop-1.xlsx"
    folder = inputs / "workshops"
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    workbook_with(
        good,
        folder / "bomb.xlsx",
        xl__worksheets__sheet1_xml=bomb(head, b" " * 2**20, b"</sheetData></worksheet>", 2 * GIB),
    )
    workbook_with(good, folder / "entities.xlsx", xl__worksheets__sheet1_xml=deflated(BILLION_LAUGHS))
    strings_head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>'.encode()
    with_shared_strings(
        good, folder / "huge-string.xlsx", bomb(strings_head, b"a" * 2**20, b"</t></si></sst>", 2 * GIB)
    )
    long_text = strings_head + b"a" * (MAX_TEXT + 1) + b"</t></si></sst>"
    with_shared_strings(good, folder / "long-string.xlsx", deflated(long_text))
    far = sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>theme</t></is></c></row><row><c r="A200000000"><v>1</v></c></row>'
    )
    workbook_with(good, folder / "far.xlsx", xl__worksheets__sheet1_xml=deflated(far))
    too_many = folder / "too-many-rows.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(too_many, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name in source.namelist():
            if name != SCORES:
                out.writestr(name, source.read(name))
        with out.open(SCORES, "w", force_zip64=True) as handle:
            for piece in rows_past_the_bound():
                handle.write(piece)
    return {
        "bomb.xlsx": "sheet cannot be read: its part xl/worksheets/sheet1.xml would inflate 1,0",
        "entities.xlsx": "sheet cannot be read: its XML declares a document type or entities, which are refused",
        "huge-string.xlsx": "sheet cannot be read: its part xl/sharedStrings.xml would inflate 1,0",
        "long-string.xlsx": f"sheet cannot be read: a cell holds more than Excel's limit of {MAX_TEXT:,} characters",
        "far.xlsx": "sheet cannot be read: cell A200000000 is beyond Excel's last cell (row 1,048,576, column 16,384)",
        "too-many-rows.xlsx": f"sheet cannot be read: the sheet holds more than {MAX_DATA_ROWS:,} rows of values, more "
        "than this program reads from a sheet; it was not read",
    }


@dataclass(frozen=True)
class Limited:
    returncode: int
    output: str
    peak_mb: float
    cpu_seconds: float


def limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Limited, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    expected = build_hostile_inputs(folder / "inputs")
    log = folder / "output.txt"
    with log.open("w", encoding="utf-8") as handle:
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "generate.py"), "validate", "--inputs", str(folder / "inputs")],
            stdout=handle,
            stderr=subprocess.STDOUT,
            preexec_fn=limits,
        )
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024
    return Limited(child.returncode, log.read_text(encoding="utf-8"), peak, usage.ru_utime + usage.ru_stime), expected


def test_hostile_files_make_a_clean_refusal_within_the_limits(hostile: tuple[Limited, dict[str, str]]) -> None:
    run, _ = hostile
    assert run.returncode == 2, run.output[-2000:]
    assert "Traceback" not in run.output
    assert run.peak_mb < PEAK_MB, f"peak {run.peak_mb:.0f} MB"
    assert (MAX_PART, MAX_RATIO) == (128 * 2**20, 200)


@pytest.mark.parametrize(
    "name", ["bomb.xlsx", "entities.xlsx", "huge-string.xlsx", "long-string.xlsx", "far.xlsx", "too-many-rows.xlsx"]
)
def test_each_hostile_file_is_named_with_what_it_is(hostile: tuple[Limited, dict[str, str]], name: str) -> None:
    run, expected = hostile
    lines = [line for line in run.output.splitlines() if f"workshops/{name} › scores: " in line]
    assert len(lines) == 1, run.output[-3000:]
    assert expected[name] in lines[0]


def test_a_compression_ratio_no_application_writes_is_refused(tmp_path: Path) -> None:
    """A part small enough to read but inflating 1,000 times (the ratio check, apart from the size check)."""
    from strategic_assessment.errors import InputError
    from strategic_assessment.ingest.excel import open_workbook

    inputs = write_inputs(tmp_path / "inputs")
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    path = workbook_with(
        inputs / "workshops" / "workshop-1.xlsx",
        tmp_path / "ratio.xlsx",
        xl__worksheets__sheet1_xml=bomb(head, b" " * 2**20, b"</sheetData></worksheet>", 64 * 2**20),
    )
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SCORES)
    assert info.file_size < MAX_PART and info.file_size > MAX_RATIO * info.compress_size
    with pytest.raises(InputError) as error:
        open_workbook(path, "ratio.xlsx").sheet("scores")
    assert "would inflate 1,0" in error.value.problems[0].problem and "as no spreadsheet application writes" in (
        error.value.problems[0].problem
    )


def opendocument(path: Path, rows_repeated: int, columns_repeated: int) -> Path:
    """A minimal .ods whose ``scores`` sheet has a header and one row of a value, both repeated as asked."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    header = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{name}</text:p></table:table-cell>'
        for name in ("theme", "threat")
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
        f'xmlns:table="{table}" xmlns:text="{text}" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="scores"><table:table-row>{header}</table:table-row>'
        f'<table:table-row table:number-rows-repeated="{rows_repeated}"><table:table-cell office:value-type="float" '
        f'office:value="1" table:number-columns-repeated="{columns_repeated}"><text:p>1</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


@pytest.mark.parametrize(
    ("rows", "columns", "expected"),
    [
        (2_000_000, 1, "its values reach row 2,000,001, column 2, beyond the last cell a spreadsheet can hold"),
        (5_000, 10_000, "the sheet holds more than 2,000,000 values, more than this program reads from a sheet"),
        (200_000, 2, "the sheet holds more than 100,000 rows of values"),
    ],
    ids=["past-last-row", "fifty-million-values", "rows-of-values"],
)
def test_repeated_opendocument_cells_are_bounded_before_calamine_opens_them(
    tmp_path: Path, rows: int, columns: int, expected: str
) -> None:
    from strategic_assessment.errors import InputError
    from strategic_assessment.ingest.excel import open_workbook

    path = opendocument(tmp_path / "scores.ods", rows, columns)
    assert path.stat().st_size < 2_000
    with pytest.raises(InputError) as error:
        open_workbook(path, "scores.ods")
    (problem,) = error.value.problems
    assert problem.problem.startswith(f"its sheet 'scores' cannot be read: {expected}"), problem.problem


def test_a_small_opendocument_sheet_with_repeats_is_read(tmp_path: Path) -> None:
    from strategic_assessment.ingest.excel import open_workbook

    book = open_workbook(opendocument(tmp_path / "scores.ods", 3, 2), "scores.ods")
    assert book.sheet("scores").rows == (("theme", "threat"), (1.0, 1.0), (1.0, 1.0), (1.0, 1.0))


def test_the_number_of_shared_strings_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound on distinct texts, shown with a small bound (the real one, 4,000,000, needs a 70 MB part)."""
    from strategic_assessment.errors import InputError
    from strategic_assessment.ingest import sheetxml
    from strategic_assessment.ingest.excel import open_workbook

    inputs = write_inputs(tmp_path / "inputs")
    items = "".join(f"<si><t>text {number}</t></si>" for number in range(11))
    strings = deflated(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>'.encode())
    path = with_shared_strings(inputs / "workshops" / "workshop-1.xlsx", tmp_path / "strings.xlsx", strings)
    assert open_workbook(path, "strings.xlsx").sheet("scores").rows == (("text 0",),)
    monkeypatch.setattr(sheetxml, "MAX_STRINGS", 10)
    with pytest.raises(InputError) as error:
        open_workbook(path, "strings.xlsx").sheet("scores")
    assert "it holds more than 10 different texts" in error.value.problems[0].problem


def test_a_password_protected_opendocument_spreadsheet_is_named(tmp_path: Path) -> None:
    """LibreOffice's "Save with password": content.xml encrypted, the manifest saying how."""
    from strategic_assessment.errors import InputError
    from strategic_assessment.ingest.excel import open_workbook

    path = opendocument(tmp_path / "scores.ods", 1, 1)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["META-INF/manifest.xml"] = parts["META-INF/manifest.xml"].replace(
        b'"/></manifest:manifest>',
        b'"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
        b"</manifest:file-entry></manifest:manifest>",
    )
    parts["content.xml"] = bytes(range(256)) * 4
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(InputError) as error:
        open_workbook(path, "scores.ods")
    assert error.value.problems[0].problem == "is password-protected"


def test_a_part_past_the_size_bound_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size bound apart from the ratio, shown with a 1 MB bound on an 8,000-row sheet openpyxl wrote (1.2 MB)."""
    from openpyxl import Workbook

    from strategic_assessment.errors import InputError
    from strategic_assessment.ingest import package
    from strategic_assessment.ingest.excel import open_workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "scores"
    for number in range(8_000):
        sheet.append([f"theme {number}", number, number / 3])
    path = tmp_path / "rows.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SCORES)
    assert 2**20 < info.file_size < MAX_RATIO * info.compress_size
    assert len(open_workbook(path, "rows.xlsx").sheet("scores").rows) == 8_000
    monkeypatch.setattr(package, "MAX_PART", 2**20)
    with pytest.raises(InputError) as error:
        open_workbook(path, "rows.xlsx").sheet("scores")
    assert f"its part {SCORES} would inflate to " in error.value.problems[0].problem
    assert "more than the 1 MB this program reads from one part" in error.value.problems[0].problem
