"""Hand-made inputs for tests: a small, readable partnership ("Testshire") written as real files.

``write_inputs`` writes a complete, valid inputs folder; tests change one
thing in it and check what the program says. Figures are chosen so every
rating can be worked out by hand (see ``EXPECTED``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from openpyxl import Workbook

MORILE_FACTORS = (
    "physical",
    "psychological",
    "financial",
    "community",
    "frequency",
    "trend",
    "knowledge_gaps",
    "capacity",
    "capability",
)
SCORE_HEADER = (
    "theme",
    "threat",
    "data_row",
    *MORILE_FACTORS,
    "override_rating",
    "override_reason",
    "scored_year",
)

SETTINGS: dict[str, Any] = {
    "partnership": "Testshire Community Safety Partnership",
    "year": "2018/19",
    "period_end": "2019-03-31",
    "model": "morile",
    "crime_source": "workbook",
    "population": {"persons": 100000, "adults": 80000},
    "headline_row": "All crime",
    # a plan, so the inputs pass `validate`, which checks what a full `generate` needs
    "plan_on_a_page": {"year": "2019/20", "vision": "A safe Testshire."},
}

ANNUAL_HEADER = ("crime_type", "theme", "denominator", "2017/18", "2018/19")
ANNUAL_ROWS: tuple[tuple[Any, ...], ...] = (
    ("All crime", None, None, 1000, 1100),
    ("Hate crime", "Hate crime", None, 200, 250),
    ("Burglary", "Acquisitive crime", None, 300, 300),
    ("Domestic abuse crimes", "Domestic abuse", "adults", 800, 840),
)

# theme, threat, data_row, physical, psychological, financial, community, frequency, trend,
# knowledge_gaps, capacity, capability, override_rating, override_reason, scored_year
SCORE_ROWS: tuple[tuple[Any, ...], ...] = (
    ("Hate crime", "Hate crime", "Hate crime", 1, 2, 0, 3, None, None, 1, 1, 0, None, None, None),
    (
        "Domestic abuse",
        "Domestic abuse",
        "Domestic abuse crimes",
        3,
        3,
        2,
        2,
        None,
        None,
        1,
        1,
        1,
        None,
        None,
        None,
    ),
    ("Acquisitive crime", "Burglary", "Burglary", 1, 1, 2, 1, None, None, 0, 1, 1, None, None, None),
    ("Drugs", "County lines", None, 3, 3, 2, 3, 2, 2, 2, 1, 1, None, None, None),
)

THEME_ROWS: tuple[tuple[Any, ...], ...] = (
    ("Domestic abuse", 1, "840 crimes\n10.5 per 1,000 adults", "Harm", "Likely", "Good", "Gaps", "Keep"),
    ("Drugs", 2, "", "Harm", "Likely", "Good", "Gaps", "Keep"),
    ("Hate crime", 3, "250 crimes", "Harm", "Likely", "Good", "Gaps", "Keep"),
    ("Acquisitive crime", 4, "", "Harm", "Likely", "Good", "Gaps", "Keep"),
)
THEME_HEADER = (
    "theme",
    "order",
    "key_statistics",
    "impact",
    "likelihood",
    "organisational_response",
    "knowledge_gaps",
    "recommendation",
)

# Worked by hand:
# Hate crime: harm 1+2+0+3=6; frequency 1 (250/100,000 = 2.50 per 1,000, below 3);
#   trend 2 (+25.0%); 6x1 + 2 + 1 + (1+0) = 10 -> Standard
# Domestic abuse: harm 10; frequency 3 (840/80,000 = 10.50 per 1,000 adults); trend 2 (+5.0%, 5 or more);
#   10x3 + 2 + 1 + 2 = 35 -> High
# Burglary: harm 5; frequency 2 (300/100,000 = 3.00 per 1,000: not below 3); trend 0 (0.0%);
#   5x2 + 0 + 0 + 2 = 12 -> Standard
# County lines: harm 11; frequency 2; trend 2; 11x2 + 2 + 2 + 2 = 28 -> Moderate
EXPECTED = {
    "Hate crime": (10, "Standard"),
    "Domestic abuse": (35, "High"),
    "Burglary": (12, "Standard"),
    "County lines": (28, "Moderate"),
}


def write_sheet(book: Workbook, title: str, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> None:
    """Add a sheet with a bold header row, as a person would make it in Excel."""
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))


def write_workbook(path: Path, sheets: dict[str, tuple[Sequence[Any], Sequence[Sequence[Any]]]]) -> Path:
    """Write an .xlsx with the given sheets (name -> (header, rows))."""
    from openpyxl import Workbook  # imported here: the fast layer imports this module but writes no workbook

    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, (header, rows) in sheets.items():
        write_sheet(book, title, header, rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_settings(inputs: Path, **changes: Any) -> Path:
    """Write assessment.yaml: the Testshire settings with some keys changed (None removes a key)."""
    settings = {**SETTINGS, **changes}
    settings = {key: value for key, value in settings.items() if value is not None}
    path = inputs / "assessment.yaml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_crime(
    inputs: Path,
    header: Sequence[Any] = ANNUAL_HEADER,
    rows: Sequence[Sequence[Any]] = ANNUAL_ROWS,
    extra: dict[str, tuple[Sequence[Any], Sequence[Sequence[Any]]]] | None = None,
) -> Path:
    """Write crime_data.xlsx with an annual sheet and any optional sheets."""
    return write_workbook(inputs / "crime_data.xlsx", {"annual": (header, rows), **(extra or {})})


def write_workshop(
    inputs: Path,
    name: str = "workshop-1.xlsx",
    header: Sequence[Any] = SCORE_HEADER,
    rows: Sequence[Sequence[Any]] = SCORE_ROWS,
    themes: bool = True,
) -> Path:
    """Write a workshop workbook with a scores sheet (and the themes sheet unless told not to)."""
    sheets: dict[str, tuple[Sequence[Any], Sequence[Sequence[Any]]]] = {"scores": (header, rows)}
    if themes:
        sheets["themes"] = (THEME_HEADER, THEME_ROWS)
    return write_workbook(inputs / "workshops" / name, sheets)


def write_inputs(inputs: Path) -> Path:
    """A complete, valid Testshire inputs folder."""
    inputs.mkdir(parents=True, exist_ok=True)
    write_settings(inputs)
    write_crime(inputs)
    write_workshop(inputs)
    return inputs


def replace_row(rows: Sequence[Sequence[Any]], index: int, **changes: Any) -> list[tuple[Any, ...]]:
    """Rows with one score row's named columns changed (names from SCORE_HEADER)."""
    out = [tuple(row) for row in rows]
    row = list(out[index])
    for name, value in changes.items():
        row[SCORE_HEADER.index(name)] = value
    out[index] = tuple(row)
    return out


# A small plan_on_a_page section for Testshire, the fixtures' partnership (read-only: copy before changing).
TESTSHIRE_PLAN = {
    "year": "2019/20",
    "vision": "A safe Testshire.",
    "focus_areas": ["Reducing harm"],
    "priorities": ["Domestic abuse"],
    "thematic_groups": [{"name": "Safer Families", "chairs": ["Police"], "remit": ["Domestic abuse"]}],
    "key_deliverables": [{"what": "Workshops", "lead": "Analyst", "when": "July 2019"}],
}
