"""The ratings workbook written part by part is the package openpyxl writes for the same table, to the byte.

Each case writes one table both ways (``ratings_xlsx`` and openpyxl, the writer it stands in for) and compares
the packages: the same parts in the same order with the same bytes, but for the times the workbook records.
A table the part writer leaves to openpyxl is still written, by openpyxl.
"""

from __future__ import annotations

import math
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from strategic_assessment.ratings_xlsx import write_ratings_xlsx
from strategic_assessment.staging import _write_ratings_openpyxl, _write_ratings_xlsx

COLUMNS = ["theme", "threat", "count_current", "change_pct", "rating", "override_reason", "final_rating", "change"]
COLOURS = {"High": "F2B8B5", "Moderate": "FFE699", "Standard": "C6E0B4"}


def _record(threat: str, rating: str, final: str, **values: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"theme": "Violence", "threat": threat, "count_current": 10, "change_pct": 2.5}
    record.update(rating=rating, override_reason=None, final_rating=final, change=None)
    record.update(values)
    return record


def _parts(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as package:
        return [
            (name, re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", package.read(name)))
            for name in package.namelist()
        ]


def _both(tmp_path: Path, records: list[dict[str, Any]], colours: dict[str, str] = COLOURS) -> Path:
    """Write the table both ways and assert the packages are the same; returns the part writer's."""
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    assert write_ratings_xlsx(ours, COLUMNS, records, colours)
    _write_ratings_openpyxl(theirs, COLUMNS, records, colours)
    assert _parts(ours) == _parts(theirs)
    return ours


def test_a_ratings_table_is_written_as_openpyxl_writes_it(tmp_path: Path) -> None:
    records = [
        _record("Knife crime", "High", "High", count_current=1009, change_pct=-25),
        _record("Burglary", "Standard", "Moderate", override_reason="agreed by the board"),
        _record("Fraud", "Unrated", "Standard", count_current=None, change_pct=math.nan),
    ]
    path = _both(tmp_path, records)

    sheet = load_workbook(path)["ratings"]
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb == "0012436D"
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == "A1:H4"
    assert sheet["E2"].fill.fgColor.rgb == "00F2B8B5"  # High
    assert sheet["G3"].fill.fgColor.rgb == "00FFE699"  # Moderate, in the final rating only
    assert sheet["E4"].fill.fill_type is None  # a rating with no colour is left plain
    assert sheet["C4"].value is None and sheet["D4"].value is None  # missing and NaN: blank
    assert sheet.column_dimensions["F"].width == 21  # "agreed by the board", 19 letters, + 2
    assert sheet.column_dimensions["A"].width == 10  # at least 10


def test_text_numbers_and_colours_of_every_kind_are_written_as_openpyxl_writes_them(tmp_path: Path) -> None:
    records = [
        _record("  spaces round  ", "High", "High", change_pct=0.1 + 0.2, count_current=True),
        _record('Tom & Jerry <"quoted">', "Moderate", "Moderate", change_pct=1e20, count_current=-0.0),
        _record(
            "line\nbreak\rreturn\ttab", "Standard", "High", change_pct=math.inf, count_current=12345678901234567890
        ),
        _record('=HYPERLINK("x")', "Dark", "Dark", override_reason="+1 more", change_pct=2.5e-7),
        _record("Cam-drin ŵ ŷ 🚨", "", "Light", override_reason="", count_current=False),
        _record("x" * 60, "High", "Standard", theme="-leading dash"),
    ]
    colours = {**COLOURS, "Dark": "12436D", "Light": "c6e0b4"}  # the header's own fill; a lower-case colour
    _both(tmp_path, records, colours)


def test_an_empty_table_is_written_as_openpyxl_writes_it(tmp_path: Path) -> None:
    _both(tmp_path, [])


TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
VALUES = st.one_of(st.none(), TEXT, st.integers(), st.floats(), st.booleans(), st.sampled_from(list(COLOURS)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({column: VALUES for column in COLUMNS}), max_size=4))
def test_any_table_is_written_as_openpyxl_writes_it_or_left_to_openpyxl(
    tmp_path: Path, records: list[dict[str, Any]]
) -> None:
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    try:
        _write_ratings_openpyxl(theirs, COLUMNS, records, COLOURS)
    except Exception:  # openpyxl refuses it (a control character): the part writer must leave it to openpyxl
        assert not write_ratings_xlsx(ours, COLUMNS, records, COLOURS)
        return
    if write_ratings_xlsx(ours, COLUMNS, records, COLOURS):
        assert _parts(ours) == _parts(theirs)


@pytest.mark.parametrize(
    "value",
    ["a\x01control character", "#N/A", "y" * 32768, Decimal("1.5")],
    ids=["control character", "error code", "too long", "decimal"],
)
def test_a_table_the_part_writer_does_not_know_is_left_to_openpyxl(tmp_path: Path, value: object) -> None:
    records = [_record("Burglary", "High", "High", override_reason=value)]
    assert not write_ratings_xlsx(tmp_path / "ours.xlsx", COLUMNS, records, COLOURS)
    assert not (tmp_path / "ours.xlsx").exists()


def test_a_table_left_to_openpyxl_is_still_written(tmp_path: Path) -> None:
    model: Any = SimpleNamespace(ratings=[SimpleNamespace(name="High", colour="#F2B8B5")])
    records = [_record("Burglary", "High", "High", override_reason=Decimal("1.5"))]
    _write_ratings_xlsx(tmp_path / "ratings.xlsx", COLUMNS, records, model)
    sheet = load_workbook(tmp_path / "ratings.xlsx")["ratings"]
    assert sheet["F2"].value == 1.5
    assert sheet["E2"].fill.fgColor.rgb == "00F2B8B5"
