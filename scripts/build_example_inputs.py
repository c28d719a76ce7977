"""Build the worked example's input files (Safer Plymouth, 2018/19) in ``inputs/``.

The worked example is Safer Plymouth's published 2018/19 Strategic Assessment.
Its figures (crime counts, population, Most Similar Family average and rank,
neighbourhood counts, ratings) are facts from the published document; every
sentence of narrative is our own. Where the published document gives no
figure (monthly counts, other family members' rates, 2016/17 counts) the
values here are illustrative and the files say so.

Run from the project root: ``python scripts/build_example_inputs.py``. It writes
``inputs/assessment.yaml``, ``inputs/crime_data.xlsx`` and the workshop scoring
workbooks under ``inputs/workshops/``, after checking by hand-worked arithmetic
that the workshop scores reproduce every published rating. The xlsx files are
written byte-for-byte reproducibly (fixed timestamps), so a rebuild with no
change in this script leaves them unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from strategic_assessment.ingest.workshops import THEME_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
WORKSHOPS = INPUTS / "workshops"

PERSONS = 263_100
ADULTS = 210_480  # 80% of residents: the under-18 share is 20%
YEARS = ("2016/17", "2017/18", "2018/19")

Value = str | int | float | dt.date | None

# ---------------------------------------------------------------------------
# Crime workbook
# ---------------------------------------------------------------------------

DA = "Domestic abuse & sexual violence"
ALCOHOL = "Alcohol-related harm"
DRUGS = "Drug-related harm"
HATE = "Hate crime and Prevent"
SOC = "Serious and organised crime"
NTE = "Night time economy"
ASB = "Anti-social behaviour"
ROADS = "Road traffic collisions"
ACQUISITIVE = "Acquisitive and violent crime"

# crime_type, theme, denominator (None = persons), 2016/17, 2017/18, 2018/19.
# 2016/17 is known only for All crime: 21,200 is derived from the previous
# assessment's reported 8% rise (22,903 / 21,200 = +8.0%).
CRIME_ROWS: tuple[tuple[str, str | None, str | None, int | None, int, int], ...] = (
    ("All crime", None, None, 21_200, 22_903, 23_729),
    ("Burglary residential", ACQUISITIVE, None, None, 677, 666),
    ("Burglary commercial", ACQUISITIVE, None, None, 552, 534),
    ("Robbery", ACQUISITIVE, None, None, 235, 255),
    ("Theft other", ACQUISITIVE, None, None, 1_180, 1_108),
    ("Shoplifting", ACQUISITIVE, None, None, 1_755, 1_585),
    ("Theft from motor vehicle", ACQUISITIVE, None, None, 1_009, 757),
    ("Theft of motor vehicle", ACQUISITIVE, None, None, 115, 194),
    ("ASB", ASB, None, None, 9_349, 8_838),
    ("Criminal damage", ASB, None, None, 3_032, 2_773),
    ("Public order", ASB, None, None, 1_527, 1_618),
    ("Rape", DA, None, None, 352, 329),
    ("Other sexual offences", DA, None, None, 652, 724),
    ("Domestic abuse crimes", DA, "adults", None, 3_850, 4_642),
    ("Domestic abuse incidents", DA, "adults", None, 2_178, 1_910),
    ("Possession of drugs", DRUGS, None, None, 708, 778),
    ("Trafficking of drugs", DRUGS, None, None, 169, 206),
    ("Violence with injury", ACQUISITIVE, None, None, 2_245, 2_490),
    ("Violence without injury", ACQUISITIVE, None, None, 3_326, 3_673),
    ("Hate crime", HATE, None, None, 434, 529),
    ("Alcohol related crime", ALCOHOL, None, None, 2_795, 3_143),
)

# The illustrative monthly series must add up to these annual totals.
# ASB 2016/17 (9,600) is an assumption: the published document gives no figure.
MONTHLY_TOTALS: dict[str, tuple[int, int, int]] = {
    "All crime": (21_200, 22_903, 23_729),
    "ASB": (9_600, 9_349, 8_838),
    "Hate incidents": (540, 588, 655),  # ILLUSTRATIVE, for the performance update
}
# ILLUSTRATIVE satisfaction of hate incident victims, % each month, April 2016 to March 2019.
HATE_SATISFACTION: tuple[int, ...] = (
    *(82, 84, 83, 85, 84, 86, 85, 83, 84, 86, 85, 87),
    *(85, 86, 84, 87, 88, 86, 87, 85, 88, 89, 87, 88),
    *(88, 89, 91, 90, 88, 92, 91, 89, 90, 92, 91, 93),
)
# ILLUSTRATIVE referrals to domestic abuse services by quarter, 2016/17 Q1 to 2018/19 Q4.
DA_REFERRALS: tuple[int, ...] = (390, 402, 415, 398, 412, 398, 431, 405, 436, 447, 452, 461)

# Relative weight of each month, April to March. Crime: higher in spring and
# summer, smaller peaks in October and December. ASB: a stronger summer, a peak
# around Halloween and bonfire night, quiet in winter.
SEASONAL_WEIGHTS: dict[str, tuple[float, ...]] = {
    "All crime": (1.03, 1.07, 1.08, 1.10, 1.07, 0.97, 1.02, 0.93, 0.98, 0.90, 0.86, 0.99),
    "ASB": (1.05, 1.12, 1.13, 1.18, 1.15, 0.98, 1.03, 0.90, 0.86, 0.81, 0.80, 0.99),
    "Hate incidents": (1.00, 1.04, 1.06, 1.10, 1.02, 0.98, 1.01, 0.97, 0.92, 0.95, 0.96, 0.99),
}

# neighbourhood, population, crimes 2018/19, published rate per 1,000.
# The five highest come from the published document: the populations are chosen
# so that crimes / population x 1,000 rounds to the published rate. The two
# lowest are named in the document without figures; theirs are illustrative.
NEIGHBOURHOODS: tuple[tuple[str, int, int, int | None], ...] = (
    ("City Centre", 7_392, 3_755, 508),
    ("Stonehouse", 10_033, 2_147, 214),
    ("Mutley", 3_437, 708, 206),
    ("East End", 5_925, 1_025, 173),
    ("Morice Town", 2_950, 475, 161),
    ("Colebrook & Newnham", 6_850, 158, None),
    ("Elburton & Dunstone", 7_300, 146, None),
)

# Plymouth's rate, the family average (107.7) and its rank (3rd lowest of 15)
# are published; the other members' rates are illustrative, chosen to match them.
COMPARATORS: tuple[tuple[str, float], ...] = (
    ("Family member A", 84.6),
    ("Family member B", 88.9),
    ("Plymouth", 90.2),
    ("Family member C", 93.4),
    ("Family member D", 98.7),
    ("Family member E", 101.2),
    ("Family member F", 103.5),
    ("Family member G", 106.8),
    ("Family member H", 109.4),
    ("Family member I", 112.6),
    ("Family member J", 118.3),
    ("Family member K", 121.5),
    ("Family member L", 124.7),
    ("Family member M", 128.9),
    ("Family member N", 132.8),
)
FAMILY_AVERAGE = 107.7
FAMILY_RANK = 3

CRIME_NOTES = (
    "About this workbook",
    "Worked example: Safer Plymouth Strategic Assessment 2018/19 (12 months to 31 March 2019).",
    "annual: 2017/18 and 2018/19 counts are the published police recorded figures.",
    "annual: 2016/17 All crime (21,200) is derived from the 8% rise reported in the previous "
    "assessment; other 2016/17 counts were not available and are left blank.",
    "monthly and quarterly: hate incidents, hate incident satisfaction and DA referrals are ILLUSTRATIVE, "
    "made up for the performance update example.",
    "monthly: ILLUSTRATIVE, not police data. The monthly figures were made up to be consistent "
    "with the published annual totals (each April-March sum equals the annual count) and the "
    "published seasonal pattern. The 2016/17 ASB total (9,600) is an assumption.",
    "neighbourhoods: crimes are published; populations are derived so that the rate per 1,000 "
    "matches the published rate. Colebrook & Newnham and Elburton & Dunstone are illustrative.",
    "comparators: Plymouth's rate, the family average (107.7) and Plymouth's rank (3rd lowest "
    "of 15) are published; the other members are anonymised and their rates are ILLUSTRATIVE.",
)

# ---------------------------------------------------------------------------
# Workshop scores
# ---------------------------------------------------------------------------

FACTORS = (
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
    *FACTORS,
    "override_rating",
    "override_reason",
    "scored_year",
)
CARRIED = "2017/18"
SLAVERY_REASON = (
    "Kept as a partnership priority because of the continued national focus on modern slavery and exploitation."
)


@dataclass(frozen=True)
class Scores:
    """One row of a workshop's `scores` sheet, with the hand-worked result.

    ``harm`` is (physical, psychological, financial, community). A frequency or
    trend of None is a blank cell: the data row's suggestion is used. ``score``
    and ``rating`` are worked out by hand, after merging every workshop's scores
    for the threat (median, halves rounded up); None on a repeat scoring.
    """

    threat: str
    data_row: str | None
    harm: tuple[int, int, int, int]
    frequency: int | None
    trend: int | None
    knowledge_gaps: int
    capacity: int
    capability: int
    score: int | None = None
    rating: str = ""
    override_rating: str = ""
    override_reason: str = ""
    scored_year: str = ""

    def factors(self) -> dict[str, int | None]:
        """Factor key -> value in model order; None is a blank cell."""
        likelihood = (self.frequency, self.trend)
        rest = (self.knowledge_gaps, self.capacity, self.capability)
        return dict(zip(FACTORS, (*self.harm, *likelihood, *rest), strict=True))


S = Scores


def D(
    data_row: str,
    harm: tuple[int, int, int, int],
    knowledge_gaps: int,
    capacity: int,
    capability: int,
    score: int,
    rating: str,
    threat: str = "",
    scored_year: str = "",
) -> Scores:
    """A data-led threat: frequency and trend blank, so both come from its data row.

    The threat is named after its data row unless ``threat`` is given.
    """
    return Scores(
        threat or data_row,
        data_row,
        harm,
        None,
        None,
        knowledge_gaps,
        capacity,
        capability,
        score,
        rating,
        scored_year=scored_year,
    )


# fmt: off
# Rates and changes quoted below are the data suggestions the program computes:
# rate per 1,000 of the row's denominator (two decimals; below 3 -> 1, below 10 -> 2,
# else 3) and % change 2017/18 -> 2018/19 (one decimal; 0 or less -> 0, below 5 -> 1,
# else 2). Score = harm x frequency + trend + knowledge gaps + capacity + capability.
# High 30 or more, Moderate 16-29, Standard 0-15.
DOMESTIC_ABUSE: tuple[Scores, ...] = (
    # harm 3+3+2+3=11 x freq 2 + trend 0 + 1 + 1 + 1 = 25 Moderate
    S("Domestic homicide", None, (3, 3, 2, 3), 2, 0, 1, 1, 1, 25, "Moderate"),
    # harm 3+3+2+2=10 x freq 3 (suggested: 22.05 per 1,000 adults) + trend 2 (+20.6%)
    # + 1 + 1 + 1 = 35 High  [repeat scoring: financial 1 and capability 0; medians 2 and 1]
    D("Domestic abuse crimes", (3, 3, 2, 2), 1, 1, 1, 35, "High", threat="Domestic abuse"),
    # harm 3+3+1+3=10 x freq 3 (hidden, under-reported) + trend 1 + 2 + 1 + 1 = 35 High
    S("Child sexual abuse & exploitation", None, (3, 3, 1, 3), 3, 1, 2, 1, 1, 35, "High"),
    # harm 3+3+1+3=10 x freq 3 (entered: suggestion 1 from 1.25 per 1,000, raised for
    # under-reporting) + trend 0 (-6.5%) + 2 + 1 + 1 = 34 High
    S("Rape & sexual assault", "Rape", (3, 3, 1, 3), 3, None, 2, 1, 1, 34, "High"),
    # harm 2+2+1+2=7 x freq 1 (suggested: 2.75) + trend 2 (+11.0%) + 1 + 1 + 1 = 12 Standard
    D("Other sexual offences", (2, 2, 1, 2), 1, 1, 1, 12, "Standard"),
)

HATE_AND_PREVENT: tuple[Scores, ...] = (
    # harm 3+3+3+3=12 x freq 3 (national threat level) + trend 0 + 2 + 1 + 1 = 40 High
    S("Terrorist incident", None, (3, 3, 3, 3), 3, 0, 2, 1, 1, 40, "High"),
    # harm 2+2+1+3=8 x freq 2 + trend 2 (Prevent referrals 40 -> 49) + 2 + 1 + 1 = 22 Moderate
    S("Terrorist activity", None, (2, 2, 1, 3), 2, 2, 2, 1, 1, 22, "Moderate"),
    # harm 2+3+1+3=9 x freq 2 (entered: suggestion 1 from 2.01 per 1,000, raised for
    # under-reporting) + trend 2 (+21.9%) + 1 + 1 + 1 = 23 Moderate
    # [repeat scoring: psychological 2 and capacity 0; medians 3 and 1]
    S("Hate crime", "Hate crime", (2, 3, 1, 3), 2, None, 1, 1, 1, 23, "Moderate"),
)

ORGANISED_CRIME: tuple[Scores, ...] = (
    # community 1 here and 3 at the review workshop: median 2 (a disagreement of 2).
    # harm 3+3+2+2=10 x freq 2 + trend 1 + 2 + 1 + 1 = 25 Moderate, overridden to High
    S("Modern slavery", None, (3, 3, 2, 1), 2, 1, 2, 1, 1, 25, "Moderate",
      override_rating="High", override_reason=SLAVERY_REASON),
    # harm 1+2+3+2=8 x freq 2 + trend 2 + 2 + 2 + 2 = 24 Moderate
    S("Cyber dependent crime / fraud", None, (1, 2, 3, 2), 2, 2, 2, 2, 2, 24, "Moderate"),
    # harm 1+2+1+1=5 x freq 2 + trend 1 + 1 + 1 + 1 = 14 Standard
    S("Cyber related vulnerability", None, (1, 2, 1, 1), 2, 1, 1, 1, 1, 14, "Standard"),
)

ACQUISITIVE_AND_VIOLENT: tuple[Scores, ...] = (
    # harm 3+3+2+3=11 x freq 2 + trend 0 + 1 + 1 + 0 = 24 Moderate
    S("Homicide", None, (3, 3, 2, 3), 2, 0, 1, 1, 0, 24, "Moderate"),
    # harm 1+2+2+2=7 x freq 1 (suggested: 2.53) + trend 0 (-1.6%) + 1 + 1 + 0 = 9 Standard
    D("Burglary residential", (1, 2, 2, 2), 1, 1, 0, 9, "Standard"),
    # harm 0+1+2+1=4 x freq 1 (suggested: 2.03) + trend 0 (-3.3%) + 1 + 1 + 0 = 6 Standard
    D("Burglary commercial", (0, 1, 2, 1), 1, 1, 0, 6, "Standard"),
    # harm 2+2+1+2=7 x freq 1 (suggested: 0.97) + trend 2 (+8.5%) + 1 + 1 + 0 = 11 Standard
    D("Robbery", (2, 2, 1, 2), 1, 1, 0, 11, "Standard"),
    # harm 0+1+1+1=3 x freq 2 (suggested: 4.21) + trend 0 (-6.1%) + 1 + 0 + 0 = 7 Standard
    D("Theft other", (0, 1, 1, 1), 1, 0, 0, 7, "Standard", threat="Other theft"),
    # harm 0+0+2+1=3 x freq 2 (suggested: 6.02) + trend 0 (-9.7%) + 1 + 1 + 0 = 8 Standard
    D("Shoplifting", (0, 0, 2, 1), 1, 1, 0, 8, "Standard"),
    # harm 0+1+2+1=4 x freq 1 (suggested: 2.88) + trend 0 (-25.0%) + 1 + 0 + 0 = 5 Standard
    D("Theft from motor vehicle", (0, 1, 2, 1), 1, 0, 0, 5, "Standard"),
    # harm 1+1+2+1=5 x freq 1 (suggested: 0.74) + trend 2 (+68.7%) + 1 + 1 + 0 = 9 Standard
    D("Theft of motor vehicle", (1, 1, 2, 1), 1, 1, 0, 9, "Standard"),
    # harm 2+1+1+1=5 x freq 2 (suggested: 9.46) + trend 2 (+10.9%) + 1 + 1 + 0 = 14 Standard
    D("Violence with injury", (2, 1, 1, 1), 1, 1, 0, 14, "Standard"),
    # harm 0+2+0+1=3 x freq 3 (suggested: 13.96) + trend 2 (+10.4%) + 1 + 1 + 0 = 13 Standard
    D("Violence without injury", (0, 2, 0, 1), 1, 1, 0, 13, "Standard"),
)

ALCOHOL_HARM: tuple[Scores, ...] = (
    # harm 3+3+2+2=10 x freq 3 (3,320 dependent drinkers, above the national rate)
    # + trend 1 + 1 + 1 + 1 = 34 High
    S("Problem drinkers", None, (3, 3, 2, 2), 3, 1, 1, 1, 1, 34, "High"),
    # harm 3+2+3+2=10 x freq 3 + trend 1 + 1 + 1 + 1 = 34 High
    S("Alcohol-related hospital admissions", None, (3, 2, 3, 2), 3, 1, 1, 1, 1, 34, "High"),
    # harm 2+2+1+2=7 x freq 3 (suggested: 11.95) + trend 2 (+12.5%) + 1 + 1 + 1 = 26 Moderate
    D("Alcohol related crime", (2, 2, 1, 2), 1, 1, 1, 26, "Moderate",
      threat="Alcohol-related crime"),
)

DRUG_HARM: tuple[Scores, ...] = (
    # harm 3+3+1+2=9 x freq 2 + trend 1 + 1 + 1 + 1 = 22 Moderate
    S("Drug-related deaths", None, (3, 3, 1, 2), 2, 1, 1, 1, 1, 22, "Moderate"),
    # harm 3+3+2+3=11 x freq 3 + trend 2 + 2 + 1 + 1 = 39 High
    # [repeat scoring: knowledge gaps 1 and capability 0; medians 2 and 1]
    S("County lines / dangerous drug networks", None, (3, 3, 2, 3), 3, 2, 2, 1, 1, 39, "High"),
    # harm 3+3+2+2=10 x freq 3 (opiate/crack use 13.8 per 1,000) + trend 1 + 1 + 1 + 1 = 34 High
    S("Problem drug use", None, (3, 3, 2, 2), 3, 1, 1, 1, 1, 34, "High"),
    # harm 3+3+2+3=11 x freq 3 (entered: suggestion 1 from 0.78 per 1,000; police-generated
    # offences count enforcement, not supply) + trend 2 (+21.9%) + 1 + 1 + 1 = 38 High
    S("Trafficking of Class A drugs", "Trafficking of drugs", (3, 3, 2, 3), 3, None, 1, 1, 1,
      38, "High"),
    # harm 1+1+1+2=5 x freq 2 + trend 1 + 1 + 1 + 0 = 13 Standard
    S("Trafficking of other drugs", None, (1, 1, 1, 2), 2, 1, 1, 1, 0, 13, "Standard"),
    # harm 1+1+1+1=4 x freq 1 (suggested: 2.96) + trend 2 (+9.9%) + 1 + 1 + 1 = 9 Standard
    D("Possession of drugs", (1, 1, 1, 1), 1, 1, 1, 9, "Standard"),
)

NIGHT_TIME_ECONOMY: tuple[Scores, ...] = (
    # harm 3+2+1+2=8 x freq 3 + trend 1 + 1 + 0 + 0 = 26 Moderate
    S("NTE violence", None, (3, 2, 1, 2), 3, 1, 1, 0, 0, 26, "Moderate"),
    # harm 2+2+0+1=5 x freq 2 + trend 1 + 2 + 1 + 0 = 14 Standard
    S("NTE vulnerability / sexual harm", None, (2, 2, 0, 1), 2, 1, 2, 1, 0, 14, "Standard"),
    # harm 1+1+1+2=5 x freq 2 + trend 0 + 1 + 0 + 0 = 11 Standard
    S("NTE related ASB", None, (1, 1, 1, 2), 2, 0, 1, 0, 0, 11, "Standard"),
)

# Carried forward from the 2017/18 workshop; frequency and trend are left blank so
# that they are updated from the 2018/19 data.
ANTI_SOCIAL_BEHAVIOUR: tuple[Scores, ...] = (
    # harm 0+2+0+2=4 x freq 3 (suggested: 33.59) + trend 0 (-5.5%) + 1 + 1 + 0 = 14 Standard
    D("ASB", (0, 2, 0, 2), 1, 1, 0, 14, "Standard", threat=ASB, scored_year=CARRIED),
    # harm 1+1+0+2=4 x freq 2 (suggested: 6.15) + trend 2 (+6.0%) + 1 + 1 + 1 = 13 Standard
    D("Public order", (1, 1, 0, 2), 1, 1, 1, 13, "Standard", scored_year=CARRIED),
    # harm 0+1+2+1=4 x freq 3 (suggested: 10.54) + trend 0 (-8.5%) + 0 + 1 + 0 = 13 Standard
    D("Criminal damage", (0, 1, 2, 1), 0, 1, 0, 13, "Standard", scored_year=CARRIED),
    # harm 2+1+2+1=6 x freq 2 + trend 0 + 1 + 0 + 0 = 13 Standard
    S("Arson", None, (2, 1, 2, 1), 2, 0, 1, 0, 0, 13, "Standard", scored_year=CARRIED),
)

ROAD_TRAFFIC: tuple[Scores, ...] = (
    # harm 3+3+2+2=10 x freq 3 + trend 1 + 1 + 1 + 0 = 33 High
    S("Fatal & serious collisions", None, (3, 3, 2, 2), 3, 1, 1, 1, 0, 33, "High",
      scored_year=CARRIED),
    # harm 1+1+1+1=4 x freq 3 + trend 0 + 1 + 0 + 0 = 13 Standard
    S("Slight collisions", None, (1, 1, 1, 1), 3, 0, 1, 0, 0, 13, "Standard", scored_year=CARRIED),
)

# The review workshop scores four threats a second time. Each factor's merged value
# is the median of the two scores, halves rounded up, so it equals the value above.
REVIEW: tuple[tuple[str, Scores], ...] = (
    (DA, S("Domestic abuse", "Domestic abuse crimes", (3, 3, 1, 2), None, None, 1, 1, 0)),
    (HATE, S("Hate crime", "Hate crime", (2, 2, 1, 3), 2, None, 1, 0, 1)),
    (SOC, S("Modern slavery", None, (3, 3, 2, 3), 2, 1, 2, 1, 1,
            override_rating="High", override_reason=SLAVERY_REASON)),
    (DRUGS, S("County lines / dangerous drug networks", None, (3, 3, 2, 3), 3, 2, 1, 1, 0)),
)

# fmt: on

Sheet = tuple[tuple[str, Scores], ...]


def themed(theme: str, rows: Iterable[Scores]) -> Sheet:
    """Pair each row with its theme."""
    return tuple((theme, row) for row in rows)


WORKSHOP_FILES: dict[str, Sheet] = {
    "2019-07-workshop-violence-and-exploitation.xlsx": (
        themed(DA, DOMESTIC_ABUSE)
        + themed(SOC, ORGANISED_CRIME)
        + themed(HATE, HATE_AND_PREVENT)
        + themed(ACQUISITIVE, ACQUISITIVE_AND_VIOLENT)
    ),
    "2019-08-workshop-substance-misuse-and-communities.xlsx": (
        themed(ALCOHOL, ALCOHOL_HARM)
        + themed(DRUGS, DRUG_HARM)
        + themed(NTE, NIGHT_TIME_ECONOMY)
        + themed(ASB, ANTI_SOCIAL_BEHAVIOUR)
        + themed(ROADS, ROAD_TRAFFIC)
    ),
    "2019-08-workshop-partnership-review.xlsx": REVIEW,
}
THEMES_WORKBOOK = "2019-07-workshop-violence-and-exploitation.xlsx"

# ---------------------------------------------------------------------------
# Theme narrative (the `themes` sheet)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeText:
    """One row of the `themes` sheet: figures and narrative for a theme."""

    theme: str
    key_statistics: tuple[str, ...]
    impact: str
    likelihood: str
    organisational_response: str
    knowledge_gaps: str
    recommendation: str


THEMES: tuple[ThemeText, ...] = (
    ThemeText(
        DA,
        (
            "4,642 domestic abuse crimes, up 21% on 3,850 in 2017/18",
            "Domestic abuse is about one crime in five (20%) recorded in the city",
            "1,910 further domestic abuse incidents that were not crimes, down 12%",
            "329 rapes recorded (down 7%) and 724 other sexual offences (up 11%)",
        ),
        "Abuse within families and relationships, and sexual violence, leave victims with "
        "injuries and trauma that can last for years. Children who grow up with abuse carry "
        "its effects into adulthood, and the cost falls on health, housing and schools too.",
        "Recorded domestic abuse rose by a fifth, partly because victims are more willing to "
        "come forward and recording has improved. Sexual offences are still reported far less "
        "often than they happen, so workshop members raised the likelihood for rape above "
        "what the recorded rate alone suggests.",
        "MARAC, specialist domestic abuse services and domestic homicide reviews are well "
        "established, but demand is growing faster than capacity. Support for children & "
        "young people living with abuse is the most stretched part of the system.",
        "We know little about abuse that is never reported, including abuse of older people, "
        "abuse in LGBT+ relationships and child sexual exploitation that happens online.",
        "Keep domestic abuse and sexual violence as the partnership's key priority. Write a "
        "safe accommodation strategy, and link adult and children's services more closely so "
        "that hidden harm is found and acted on earlier.",
    ),
    ThemeText(
        DRUGS,
        (
            "Drug misuse deaths 7.1 per 100,000 (4.6 in the South West, 4.3 in England)",
            "Opiate and crack cocaine use estimated at 13.8 per 1,000 (8.8 nationally)",
            "105 offences of trafficking Class A drugs, up 25%",
            "206 drug trafficking offences in all (up 22%) and 778 for possession (up 10%)",
        ),
        "Drug misuse shortens lives and harms families, and the networks that supply drugs "
        "exploit children and vulnerable adults. Drug-related deaths in the city are well "
        "above the regional and national rates.",
        "Supply through county lines networks is established and adapting, and the estimated "
        "number of opiate and crack users remains high. Trafficking and possession figures "
        "mostly reflect police activity, so they understate how often supply happens.",
        "Treatment services and police operations work together, but tracing exploited young "
        "people and disrupting networks that cross force boundaries stretches capacity.",
        "The routes by which young people are drawn into supply networks, and the reach of "
        "networks from outside the city, are not well understood.",
        "Treat dangerous drug networks and problem drug use as high priorities, pairing "
        "enforcement with early help for young people at risk of exploitation and faster "
        "access to treatment.",
    ),
    ThemeText(
        ALCOHOL,
        (
            "An estimated 3,320 dependent drinkers (1.58% of adults, 1.39% nationally)",
            "Alcohol-related hospital admissions 546 per 100,000 (570 nationally)",
            "Admissions of under-18s 47.3 per 100,000 (32.9 nationally)",
            "3,143 alcohol-related crimes, up 12%: about 13% of all crime",
            "Street drinking is about 10% of ASB incidents and fell by 7%",
        ),
        "Heavy drinking damages health, relationships and finances, and alcohol is a factor in "
        "much of the city's violence and domestic abuse.",
        "The share of adults who are dependent drinkers is above the national figure, and "
        "young people are admitted to hospital because of alcohol more often than elsewhere. "
        "Alcohol-related crime rose by 12%.",
        "Treatment and outreach services are in place, but there are gaps in support for "
        "people who drink heavily alongside mental health problems.",
        "Alcohol-related crime depends on officers flagging it, so the recorded count is "
        "incomplete; we know little about hidden drinking at home.",
        "Keep problem drinking as a priority, with a focus on young people's drinking and on "
        "joint support for drinkers with mental health needs.",
    ),
    ThemeText(
        SOC,
        (
            "9 National Referral Mechanism referrals for potential victims of modern slavery",
            "Fraud and cyber crime are reported to Action Fraud, so local counts are incomplete",
        ),
        "Modern slavery strips victims of freedom and dignity. Fraud and cyber crime cause "
        "financial loss and distress, and fall hardest on older and isolated people.",
        "Few victims of modern slavery are identified, which is more likely to reflect hidden "
        "exploitation than its absence. Online fraud keeps growing as more of life moves "
        "online.",
        "Frontline staff are not always confident in recognising exploitation or in making "
        "referrals, and specialist cyber skills are scarce across the partnership.",
        "There are significant gaps in what we know about labour exploitation in local "
        "businesses and about the scale of online fraud against residents.",
        "Keep modern slavery as a priority despite its Moderate score, because of continued "
        "national focus, and train frontline staff to spot and refer exploitation.",
    ),
    ThemeText(
        HATE,
        (
            "529 hate crimes, up 22% on 434: about 2% of all crime",
            "49 Prevent referrals, up from 40 the year before",
        ),
        "Hate crime targets people for who they are and spreads fear through whole "
        "communities. A terrorist attack would cause loss of life and lasting damage to "
        "public confidence.",
        "More hate crimes are being reported, but most still go unreported, so workshop "
        "members raised its likelihood above the recorded rate. The likelihood of a terrorist "
        "incident follows the national threat level.",
        "Prevent arrangements and the hate crime reporting network work well, but community "
        "reporting centres have limited reach among newer communities.",
        "Under-reporting hides the true scale of hate crime, particularly against disabled "
        "people and against LGBT+ people.",
        "Deliver the hate crime action plan, widen third-party reporting, and keep Prevent "
        "training current across partner agencies.",
    ),
    ThemeText(
        NTE,
        (
            "City Centre: 3,755 crimes, 508 per 1,000 residents, the highest rate in the city",
            "Stonehouse: 2,147 crimes, 214 per 1,000 residents",
            "Violence with injury across the city 2,490, up 11%",
        ),
        "Violence and sexual harm in the night time economy injure people and make the city "
        "centre feel less safe, which affects the businesses that depend on it.",
        "Crime concentrates in the city centre and Stonehouse at weekends and late at night, "
        "in a pattern that is stable and well understood.",
        "Licensing, street pastors, door staff and police patrols work together well, and the "
        "partnership is well placed to manage the night time economy.",
        "Sexual harm and the vulnerability of people who have been drinking are less well recorded than violence.",
        "Maintain the current night time economy arrangements and improve the recording of "
        "vulnerability and sexual harassment at night.",
    ),
    ThemeText(
        ASB,
        (
            "8,838 ASB incidents, down 5% on 9,349",
            "Street drinking is about 10% of incidents and fell by 7%",
            "Criminal damage 2,773 (down 9%); public order offences 1,618 (up 6%)",
            "Scores carried forward from the 2017/18 workshop with likelihood and trend updated",
        ),
        "Persistent anti-social behaviour wears down residents' quality of life and their "
        "confidence that the city is safe, especially where it targets the same people again "
        "and again.",
        "ASB incidents and criminal damage both fell, while public order offences rose a little.",
        "Neighbourhood teams and the ASB case review process are established, though "
        "responding to repeat victims still takes a lot of time.",
        "Incidents reported to housing providers are not all shared, so the picture from "
        "police data alone is incomplete.",
        "Keep ASB as business as usual, with a focus on repeat and vulnerable victims, and "
        "bring housing providers' incident data into the next assessment.",
    ),
    ThemeText(
        ROADS,
        (
            "Figures from the routine public road traffic collision data",
            "Scores carried forward from the 2017/18 workshop",
        ),
        "Fatal and serious collisions cause death and life-changing injuries and devastate "
        "families; slight collisions mostly cause minor injury and cost.",
        "Serious collisions happen every year on the city's roads; slight collisions are frequent but cause less harm.",
        "Road safety partners have established education and engineering programmes.",
        "The causes behind serious collisions involving young drivers and motorcyclists are not well understood.",
        "Keep fatal and serious collisions under the road safety partnership's plan and report "
        "progress to the partnership each year.",
    ),
    ThemeText(
        ACQUISITIVE,
        (
            "23,729 crimes in all, up 3.6% (826): 90 per 1,000 residents",
            "3rd lowest of the 15 areas in the Most Similar Family (average 107.7 per 1,000)",
            "Theft of motor vehicles rose from 115 to 194; thefts from vehicles fell by a quarter",
            "Violence with injury 2,490 (up 11%); violence without injury 3,673 (up 10%)",
            "Possession of weapons offences rose from 206 to 254",
        ),
        "Burglary and robbery leave victims feeling unsafe at home and on the street; most "
        "thefts cause financial loss rather than lasting harm. A homicide devastates a family "
        "and a community.",
        "Most acquisitive crime fell. Violence rose by around a tenth, in part because of "
        "better recording. Homicide is rare but happens in the city most years.",
        "These crimes are core police business, and current arrangements deal with them well.",
        "Intelligence on acquisitive crime is good; the link between rising weapon possession "
        "and drug supply needs more work.",
        "Manage these crimes as business as usual, watch for adverse trends, and look at "
        "serious violence and weapon carrying with the drug-related harm work.",
    ),
)
THEME_HEADER = THEME_COLUMNS  # the themes sheet's columns, as the program reads them

# ---------------------------------------------------------------------------
# assessment.yaml (a literal text, so that analysts can read the comments)
# ---------------------------------------------------------------------------

ASSESSMENT_YAML = """\
# Safer Plymouth Strategic Assessment 2018/19: the worked example's settings.
# Written by scripts/build_example_inputs.py: change that script and run
# `python scripts/build_example_inputs.py` rather than editing this file.
# Narrative may use Markdown: **bold**, *italic*, bullet lists and [links](https://example.org).

partnership: Safer Plymouth
year: 2018/19                 # the assessment year; 2017/18 is the comparison year
period_end: 2019-03-31        # crime figures are for the 12 months to this date
model: morile                 # models/morile.yaml
crime_source: workbook        # crime_data.xlsx in this folder

population:                   # bases for rates per 1,000
  persons: 263100             # Plymouth residents (projected to reach 274,300 by 2034)
  adults: 210480              # 80% of residents: the under-18 share is 20% (263,100 x 0.8)

headline_row: All crime       # the crime_data.xlsx row behind the headline figures
asb_row: ASB                  # anti-social behaviour incidents, counted apart from crime
area_name: Plymouth           # the place the figures describe, used in sentences and charts
crime_data_source: Devon and Cornwall Police recorded crime (iQuanta / Universal Data Set)
share_rows:                   # rows whose share of all crime the key facts state
  - Domestic abuse crimes
  - Alcohol related crime
  - Hate crime
chart_exclude:                # rows left out of the crime-by-type chart (they overlap other types)
  - Domestic abuse crimes
  - Domestic abuse incidents
  - Alcohol related crime
  - Hate crime

author: Safer Plymouth community safety analysis team
published: October 2019
comparison_label: England     # what the key statistics are compared with

most_similar_family:          # crimes per 1,000 residents across the Most Similar Family
  average_rate: 107.7
  rank: 3                     # 1 = the lowest rate in the family
  family_size: 15

key_statistics:               # the area at a glance: Plymouth, then England (or GB)
  - {label: "Aged under 18", value: "20%", comparison: "21%"}
  - {label: "Aged 18 to 24", value: "12%", comparison: "9%"}
  - {label: "Aged 65 and over", value: "18%", comparison: "18%"}
  - {label: "Black, Asian and minority ethnic residents", value: "7%", comparison: "20%"}
  - {label: "Living in the 10% most deprived areas (LSOAs) of England", value: "12%"}
  - {label: "Children in poverty", value: "19%", comparison: "19%"}
  - {label: "Households without central heating", value: "5%", comparison: "3%"}
  - {label: "Households in fuel poverty", value: "13,500 (12%)"}
  - {label: "Aged 16 to 64 with no qualifications", value: "5%", comparison: "8%"}
  - {label: "Economically active, aged 16 to 64", value: "79%", comparison: "78%"}
  - {label: "Healthy life expectancy, males", value: "60.7 years", comparison: "63.4 years"}
  - {label: "Healthy life expectancy, females", value: "59.4 years", comparison: "63.8 years"}
  - {label: "Households without a car", value: "28%", comparison: "26%"}

introduction: |
  Each year every Community Safety Partnership in England and Wales has to look at
  crime, disorder and substance misuse in its area and decide what to tackle first
  ([Crime and Disorder Regulations 2007](https://www.legislation.gov.uk/uksi/2007/1830/contents)).
  This document does that for **Safer Plymouth**, for the twelve months to 31 March 2019.

  The partnership's responsible authorities are Plymouth City Council, Devon & Cornwall
  Police, Devon & Somerset Fire & Rescue Service, the National Probation Service, the
  Dorset, Devon & Cornwall Community Rehabilitation Company and NHS Devon CCG. It reports
  to the Health and Wellbeing Board.

  Partners scored each threat in workshops in the summer of 2019, using a method built
  on MoRiLE. For every threat they asked:

  - how much *harm* it does to victims and communities;
  - how *likely* it is in the coming year, and whether it is growing;
  - how good our *intelligence* about it is; and
  - how well placed partners are to *respond*.

acknowledgements: |
  Thank you to everyone who came to the scoring workshops and shared their knowledge
  and data, and to the analysts at Devon & Cornwall Police and Plymouth City Council
  who prepared the figures. The assessment is stronger for the challenge they gave it.

trends_narrative: |
  Police recorded **23,729 crimes** in 2018/19, 90 for every 1,000 residents. That is
  826 more than the year before (**+3.6%**), a smaller rise than the 8% reported in the
  previous assessment. Plymouth still has the 3rd lowest rate in its Most Similar Family
  of 15 areas, whose average is 107.7 crimes per 1,000.

  - Domestic abuse crimes rose by a fifth and now make up about 20% of all crime.
  - Hate crime rose by 22% and is about 2% of all crime; alcohol is linked to 13%.
  - Violence rose by around a tenth, while most theft, burglary and criminal damage fell.
  - Anti-social behaviour fell by 5% to 8,838 incidents; street drinking, about a tenth
    of them, fell by 7%.

  Crime follows a *seasonal* pattern: it is higher in spring and summer, with smaller
  peaks in October and December.

data_notes: |
  - Crime counts are police recorded crime from the Universal Data Set and iQuanta,
    for the 12 months to 31 March 2019 and the 12 months before.
  - Rates per 1,000 are **calculated from the counts**: domestic abuse per 1,000 adults
    (210,480), everything else per 1,000 residents (263,100). Some rates published
    earlier used other bases, so they may differ slightly.
  - The **2016/17 all crime figure** (21,200) is derived from the 8% rise reported in the
    previous assessment; no other 2016/17 counts were available.
  - The **monthly series is illustrative**: it was made to match the published annual
    totals and seasonal pattern, and is *not* police data. Its 2016/17 ASB total (9,600)
    is an assumption.
  - Only Plymouth's rate, the family average and Plymouth's rank are published; the
    other Most Similar Family members' rates in the chart are illustrative.
  - Neighbourhood populations are derived from the published crime counts and rates.
  - Other figures come from routine public data: dependent drinker estimates, opiate and
    crack use estimates, and road traffic collision data.

rating_meanings:
  High: >-
    A priority for the whole partnership. It belongs in every relevant strategy, may
    call for extra resources, and current provision should be reviewed and targets set.
  Moderate: >-
    Keep a clear strategy and enough provision in place, and check progress against
    targets for improvement.
  Standard: >-
    Business as usual: keep current provision and watch for any trend that gets worse.

plan_on_a_page:
  year: 2020/21
  title: Safer Plymouth Plan on a Page 2020/21
  vision: A city where people and communities feel safe and secure.
  focus_areas:
    - Reducing violence, abuse and exploitation
    - Reducing re-offending
    - Early intervention and preventing harm
    - Building community resilience, reducing inequalities and improving lives
  priorities:
    - Domestic abuse and sexual violence (our key priority)
    - Child exploitation
    - Substance misuse and the harm it causes
    - Anti-social behaviour
    - Hate crime
    - Adult exploitation and vulnerability
    - Youth justice
    - Preventing serious violence
  thematic_groups:
    - name: Safer Families
      chairs: [Devon & Cornwall Police, NSPCC]
      remit:
        - Adverse childhood experiences and early intervention
        - Children of prisoners
        - Preventing child sexual abuse
        - Hidden harm
        - Healthy relationships
    - name: Safer People
      chairs: [Plymouth City Council]
      remit:
        - Safeguarding young people outside the family
        - Modern slavery and exploitation
        - Mental health inequalities
        - Cyber crime and fraud
    - name: Safer Communities
      chairs: [Plymouth City Council]
      remit:
        - Prevent
        - Emerging issues, including anti-social behaviour
        - Substance misuse
        - Hate crime
        - Serious violence
    - name: Domestic Abuse and Sexual Violence
      chairs: [Two voluntary-sector chief executives]
      remit:
        - The statutory local partnership board for domestic abuse
        - MARAC governance
        - Domestic homicide reviews
  key_deliverables:
    - {what: MoRiLE threat scoring workshops, lead: Community safety analyst, when: July 2020}
    - {what: Hate crime action plan, lead: Safer Communities group, when: September 2020}
    - {what: New strategic assessment, lead: Community safety analyst, when: October 2020}
    - what: Safe accommodation strategy
      lead: Domestic Abuse and Sexual Violence group
      when: October 2020
    - {what: Updated Plan on a Page, lead: Safer Plymouth partnership manager, when: November 2020}
    - what: Grant review meetings
      lead: Safer Plymouth partnership manager
      when: November 2020 and April 2021

# The board's performance update (python generate.py performance). ILLUSTRATIVE: the monthly
# hate incident and satisfaction series and the quarterly referrals in crime_data.xlsx were made
# up for the example, as were the targets; All crime and ASB are the illustrative monthly series.
performance:
  year: 2018/19
  to_month: 2018-12
  indicators:
    - name: Overall crime
      series: All crime
      noun: crimes
      aim: reduce
      comment: >-
        Part of the rise follows the force's **crime recording improvements**, which
        count more incidents as crimes than before.
    - name: Anti-social behaviour
      series: ASB
      noun: anti-social behaviour incidents
      aim: reduce
    - name: Hate incidents reported
      series: Hate incidents
      noun: hate incidents
      aim: increase
      target_cumulative: [55, 108, 162, 214, 268, 321, 375, 428, 482, 536, 588, 640]  # April to March
      source: Partnership hate incident reporting (illustrative figures for the worked example)
      comment: >-
        The partnership wants *more* hate incidents reported: most go unreported, and
        each report lets partners support the victim.
    - name: Victim satisfaction, hate incidents
      series: Hate incident satisfaction
      noun: satisfaction of hate incident victims
      unit: percent
      aim: increase
      target_each_month: 90
      source: Hate incident victim survey (illustrative figures for the worked example)
    - name: Referrals to domestic abuse services
      series: DA referrals
      noun: referrals
      frequency: quarterly
      aim: increase
      source: Domestic abuse service referrals (illustrative figures for the worked example)
"""

SETTINGS_KEYS = {
    "performance",
    "partnership",
    "year",
    "period_end",
    "model",
    "crime_source",
    "population",
    "headline_row",
    "asb_row",
    "area_name",
    "crime_data_source",
    "share_rows",
    "chart_exclude",
    "author",
    "published",
    "comparison_label",
    "most_similar_family",
    "key_statistics",
    "introduction",
    "acknowledgements",
    "trends_narrative",
    "data_notes",
    "rating_meanings",
    "plan_on_a_page",
}

# ---------------------------------------------------------------------------
# Arithmetic for the self-check (docs/calculations.md): half away from zero, as Excel does
# ---------------------------------------------------------------------------


def round_half_up(value: float, places: int) -> float:
    """Round half away from zero: 6.25 -> 6.3."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def median_half_up(values: Sequence[int]) -> int:
    """Median of whole numbers, halves rounded up: [1, 2] -> 2, [1, 3] -> 2."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return int(round_half_up((ordered[middle - 1] + ordered[middle]) / 2, 0))


def suggested_frequency(crime_type: str) -> int:
    """Frequency suggested by the row's rate per 1,000 (below 3 -> 1, below 10 -> 2, else 3)."""
    row = next(row for row in CRIME_ROWS if row[0] == crime_type)
    population = ADULTS if row[2] == "adults" else PERSONS
    rate = round_half_up(row[5] / population * 1000, 2)
    return 1 if rate < 3 else 2 if rate < 10 else 3


def suggested_trend(crime_type: str) -> int:
    """Trend suggested by the % change (0 or less -> 0, below 5 -> 1, else 2)."""
    row = next(row for row in CRIME_ROWS if row[0] == crime_type)
    change = round_half_up((row[5] - row[4]) / row[4] * 100, 1)
    return 0 if change <= 0 else 1 if change < 5 else 2


def merged_factors(rows: Sequence[Scores]) -> dict[str, int]:
    """Each factor's median across workshops, blanks filled from the data row."""
    merged: dict[str, int] = {}
    for key in FACTORS:
        given = [value for row in rows if (value := row.factors()[key]) is not None]
        if given:
            merged[key] = median_half_up(given)
        elif key == "frequency" and rows[0].data_row:
            merged[key] = suggested_frequency(rows[0].data_row)
        elif key == "trend" and rows[0].data_row:
            merged[key] = suggested_trend(rows[0].data_row)
        else:
            raise SystemExit(f"{rows[0].threat}: {key} is blank and has no data suggestion")
    return merged


def score(factors: dict[str, int]) -> int:
    """harm x frequency + trend + knowledge gaps + capacity + capability."""
    harm = sum(factors[key] for key in ("physical", "psychological", "financial", "community"))
    extras = sum(factors[key] for key in ("trend", "knowledge_gaps", "capacity", "capability"))
    return harm * factors["frequency"] + extras


def rating(value: int) -> str:
    """High 30 or more, Moderate 16-29, Standard below 16."""
    return "High" if value >= 30 else "Moderate" if value >= 16 else "Standard"


def hand_check_problems() -> list[str]:
    """Every place where the hand-worked score or rating disagrees with the arithmetic."""
    scorings: dict[tuple[str, str], list[Scores]] = {}
    for sheet in WORKSHOP_FILES.values():
        for theme, row in sheet:
            scorings.setdefault((theme, row.threat), []).append(row)
    problems: list[str] = []
    for (_theme, threat), rows in scorings.items():
        hand = next((row for row in rows if row.score is not None), None)
        if hand is None:
            problems.append(f"{threat}: scored only at the review, with no hand-worked result")
            continue
        worked = score(merged_factors(rows))
        if worked != hand.score or rating(worked) != hand.rating:
            problems.append(f"{threat}: hand {hand.score} {hand.rating}, arithmetic {worked}")
    return problems


def data_problems() -> list[str]:
    """Published figures the illustrative data must reproduce."""
    problems: list[str] = []
    for name, population, crimes, published in NEIGHBOURHOODS:
        if published is not None and round_half_up(crimes / population * 1000, 0) != published:
            problems.append(f"{name}: rate does not round to {published}")
    rates = sorted(rate for _, rate in COMPARATORS)
    if round_half_up(sum(rates) / len(rates), 1) != FAMILY_AVERAGE:
        problems.append("comparators: the family average is not 107.7")
    if rates.index(dict(COMPARATORS)["Plymouth"]) + 1 != FAMILY_RANK:
        problems.append("comparators: Plymouth is not 3rd lowest")
    settings = yaml.safe_load(ASSESSMENT_YAML)
    if set(settings) != SETTINGS_KEYS:
        problems.append(f"assessment.yaml keys differ: {set(settings) ^ SETTINGS_KEYS}")
    return problems


# ---------------------------------------------------------------------------
# Writing the files
# ---------------------------------------------------------------------------

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FIXED_TIME = (2019, 10, 1, 9, 0, 0)
FIXED_DATETIME = dt.datetime(*FIXED_TIME)
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def new_workbook() -> Workbook:
    """An empty workbook with no default sheet and fixed document properties."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    workbook.properties.creator = "Safer Plymouth community safety analysis team"
    workbook.properties.created = FIXED_DATETIME
    workbook.properties.lastModifiedBy = "scripts/build_example_inputs.py"
    return workbook


def add_sheet(
    workbook: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Value]],
    widths: Sequence[int] = (),
    wrap: Sequence[str] = (),
) -> Worksheet:
    """Add a sheet: bold header row, values as typed, blanks left as truly empty cells."""
    sheet = workbook.create_sheet(title)
    for column, name in enumerate(header, 1):
        sheet.cell(row=1, column=column, value=name).font = BOLD
    wrapped = {header.index(name) + 1 for name in wrap}
    for row_number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "mmm yyyy"
            if column in wrapped:
                cell.alignment = WRAP
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def save_workbook(workbook: Workbook, path: Path) -> None:
    """Save with fixed timestamps inside and on the zip entries, so rebuilds are identical."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)


def monthly_counts(total: int, weights: Sequence[float]) -> list[int]:
    """Share a year's total across 12 months by weight; whole numbers that add up exactly."""
    shares = [total * weight / sum(weights) for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(12), key=lambda month: counts[month] - shares[month])
    for month in by_remainder[: total - sum(counts)]:
        counts[month] += 1
    return counts


def monthly_rows() -> list[list[Value]]:
    """April 2016 to March 2019, one row a month: the month, All crime, ASB, hate incidents, satisfaction."""
    series = {
        name: [count for total in totals for count in monthly_counts(total, SEASONAL_WEIGHTS[name])]
        for name, totals in MONTHLY_TOTALS.items()
    }
    rows: list[list[Value]] = []
    for index in range(36):
        year, month = divmod(3 + index, 12)
        first = dt.date(2016 + year, month + 1, 1)
        rows.append([first, *(series[name][index] for name in MONTHLY_TOTALS), HATE_SATISFACTION[index]])
    return rows


def quarterly_rows() -> list[list[Value]]:
    """2016/17 Q1 to 2018/19 Q4: the quarter and the referrals to domestic abuse services."""
    years = ("2016/17", "2017/18", "2018/19")
    return [[f"{years[index // 4]} Q{index % 4 + 1}", count] for index, count in enumerate(DA_REFERRALS)]


def write_crime_workbook(path: Path) -> None:
    """crime_data.xlsx: annual, monthly, neighbourhoods, comparators and notes."""
    workbook = new_workbook()
    add_sheet(
        workbook,
        "annual",
        ("crime_type", "theme", "denominator", *YEARS),
        [list(row) for row in CRIME_ROWS],
        widths=(28, 34, 13, 10, 10, 10),
    )
    monthly_header = ("month", *MONTHLY_TOTALS, "Hate incident satisfaction")
    add_sheet(workbook, "monthly", monthly_header, monthly_rows(), (12, 11, 9, 15, 26))
    add_sheet(workbook, "quarterly", ("quarter", "DA referrals"), quarterly_rows(), (12, 14))
    add_sheet(
        workbook,
        "neighbourhoods",
        ("neighbourhood", "population", "crimes"),
        [row[:3] for row in NEIGHBOURHOODS],
        widths=(24, 12, 9),
    )
    add_sheet(
        workbook,
        "comparators",
        ("partnership", "rate_per_1000"),
        [list(row) for row in COMPARATORS],
        widths=(22, 14),
    )
    add_sheet(workbook, "notes", CRIME_NOTES[:1], [[line] for line in CRIME_NOTES[1:]], (120,))
    save_workbook(workbook, path)


def score_row(theme: str, row: Scores) -> list[Value]:
    """One `scores` sheet row in SCORE_HEADER order."""
    return [
        theme,
        row.threat,
        row.data_row,
        *row.factors().values(),
        row.override_rating,
        row.override_reason,
        row.scored_year,
    ]


def theme_rows() -> list[list[Value]]:
    """The `themes` sheet rows, in priority order."""
    return [
        [
            text.theme,
            order,
            "\n".join(text.key_statistics),
            text.impact,
            text.likelihood,
            text.organisational_response,
            text.knowledge_gaps,
            text.recommendation,
        ]
        for order, text in enumerate(THEMES, 1)
    ]


def write_workshop(path: Path, sheet: Sheet, with_themes: bool) -> None:
    """A workshop scoring workbook: `scores`, and `themes` in the one that carries them."""
    workbook = new_workbook()
    widths = (32, 38, 24, *(10,) * len(FACTORS), 15, 50, 11)
    rows = [score_row(theme, row) for theme, row in sheet]
    add_sheet(workbook, "scores", SCORE_HEADER, rows, widths, wrap=("override_reason",))
    if with_themes:
        add_sheet(
            workbook,
            "themes",
            THEME_HEADER,
            theme_rows(),
            widths=(32, 7, 60, *(50,) * 5),
            wrap=THEME_HEADER[2:],
        )
    save_workbook(workbook, path)


def main() -> None:
    """Check the hand-worked figures, then write every input file of the worked example."""
    problems = hand_check_problems() + data_problems()
    if problems:
        raise SystemExit("Not written:\n" + "\n".join(problems))
    INPUTS.mkdir(exist_ok=True)
    (INPUTS / "assessment.yaml").write_text(ASSESSMENT_YAML, encoding="utf-8")
    write_crime_workbook(INPUTS / "crime_data.xlsx")
    for name, sheet in WORKSHOP_FILES.items():
        write_workshop(WORKSHOPS / name, sheet, with_themes=name == THEMES_WORKBOOK)
    written = ["assessment.yaml", "crime_data.xlsx", *(f"workshops/{n}" for n in WORKSHOP_FILES)]
    print("Wrote " + ", ".join(f"inputs/{name}" for name in written))


if __name__ == "__main__":
    main()
