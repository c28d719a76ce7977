"""The workbook reader's own number-format, serial-date and cell-range rules, by hand and against openpyxl's.

``ingest.sheetxml`` keeps these few rules itself so that reading a workbook does not import openpyxl;
they must agree with openpyxl's wherever openpyxl has an answer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
from openpyxl.utils.datetime import from_excel as openpyxl_from_excel

from strategic_assessment.ingest import sheetxml
from strategic_assessment.ingest.excel import cell_name

pytestmark = pytest.mark.fast

CODES = (
    "General",
    "0.00",
    "dd/mm/yyyy",
    "d-mmm-yy",
    "h:mm AM/PM",
    "[h]:mm:ss",
    "[mm]:ss",
    "[ss].00",
    "[Red]0.00",
    '"days" 0',
    "[$-809]dd mmmm yyyy",
    r"0\d",
    "_m0",
    "#,##0;[Red]-#,##0",
    "yyyy-mm-dd;@",
    "0;dd",
)


def test_the_built_in_formats_that_show_dates_and_durations_are_openpyxls() -> None:
    dates = {number for number, code in BUILTIN_FORMATS.items() if is_date_format(code)}
    durations = {number for number, code in BUILTIN_FORMATS.items() if is_timedelta_format(code)}
    assert dates == sheetxml.BUILTIN_DATES
    assert sheetxml.BUILTIN_DURATIONS == durations == {46}
    assert 14 in sheetxml.BUILTIN_DATES and 2 not in sheetxml.BUILTIN_DATES  # mm-dd-yy; 0.00


@pytest.mark.parametrize("code", CODES)
def test_a_written_format_is_a_date_or_a_duration_as_openpyxl_says(code: str) -> None:
    assert sheetxml.is_date_format(code) == is_date_format(code)
    assert sheetxml.is_duration_format(code) == is_timedelta_format(code)


def test_serial_numbers_become_the_dates_times_and_durations_excel_shows() -> None:
    windows, mac = sheetxml.WINDOWS_EPOCH, sheetxml.MAC_EPOCH
    assert sheetxml.from_excel(43466, windows) == dt.datetime(2019, 1, 1)
    assert sheetxml.from_excel(43466.75, windows) == dt.datetime(2019, 1, 1, 18)
    assert sheetxml.from_excel(0.5, windows) == dt.time(12)
    assert sheetxml.from_excel(1, windows) == dt.datetime(1900, 1, 1)  # Excel's day 1
    assert sheetxml.from_excel(0, mac) == dt.time(0)
    assert sheetxml.from_excel(1, mac) == dt.datetime(1904, 1, 2)
    assert sheetxml.from_excel(1.5, windows, timedelta=True) == dt.timedelta(days=1, hours=12)
    for value in (0, 0.25, 1, 59, 59.999, 60, 61, 43466.123456789, 2957000.9999):
        for ours, theirs in ((windows, CALENDAR_WINDOWS_1900), (mac, CALENDAR_MAC_1904)):
            assert sheetxml.from_excel(value, ours) == openpyxl_from_excel(value, theirs)
            assert sheetxml.from_excel(value, ours, True) == openpyxl_from_excel(value, theirs, True)


REFERENCES = ("A1", "B2:D4", "$B$2:$D$4", "b2:d4", "C:C", "A:ZZZ", "3:5", "C", "7", "", "A1:B", "1:B2", "AAAA1")


@pytest.mark.parametrize("reference", REFERENCES)
def test_a_merged_range_has_the_bounds_openpyxl_gives_it(reference: str) -> None:
    try:
        expected: object = range_boundaries(reference)
    except ValueError:
        expected = ValueError
    try:
        found: object = sheetxml.range_bounds(reference)
    except ValueError:
        found = ValueError
    assert found == expected


def test_cell_names_by_hand_and_as_openpyxl_spells_the_columns() -> None:
    assert sheetxml.range_bounds("B2:D4") == (2, 2, 4, 4)
    assert sheetxml.range_bounds("C:C") == (3, None, 3, None)
    assert cell_name(7, 6) == "F7"
    assert cell_name(1, 16_384) == "XFD1"
    assert cell_name(2, 27) == "AA2"
    for column in (1, 25, 26, 27, 52, 701, 702, 703, 18_278):
        assert cell_name(1, column) == f"{get_column_letter(column)}1"
