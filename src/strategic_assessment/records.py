"""The records that flow between the stages: what the readers produce and the pure stages consume.

Data only, with the few properties that read them: the crime tables as read
(``CrimeData``, DataFrames) and everything the later stages use of them as
plain values (``CrimeFigures``, made of ``Table`` and ``RowFigures``), each
workshop's scored rows and narratives (``ScoreEntry``,
``ThemeNarrative``, ``Workshops``), last year's ratings (``PreviousRating``),
the merged scores (``MergedThreat``), the ratings (``ThreatRating``), the
changes since last year (``RatingChange``) and everything read and worked out
for one year (``Assessment``). This module imports nothing but the standard
library at run time: readers (``ingest``) build these records, and ``merge``,
``scoring``, ``changes``, the charts and the documents take them without
knowing where they came from. Only the crime stage (``facts.crime_figures``)
reads the DataFrames of ``CrimeData``; an ``Assessment`` holds none, so a run
that finds the crime stage's result kept (``reuse.ParsedInputs``) never imports
pandas. The settings, the model, the crime figures and the charts are named
here for type checking only; looking a threat up by name
(``Assessment.rating_of``) uses the one folding rule of ``names``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .charts import ChartSpec
    from .errors import Problem
    from .facts import RowFigures
    from .model import Model
    from .settings import Settings

# How a threat's rating moved since last year (``RatingChange.direction``).
UP, DOWN, SAME, NEW, DROPPED = "up", "down", "no change", "new", "dropped"


class _Years:
    """The assessment year and the one it is compared with, of records holding ``years`` oldest first."""

    years: tuple[str, ...]

    @property
    def current_year(self) -> str:
        return self.years[-1]

    @property
    def comparison_year(self) -> str:
        return self.years[-2]


@dataclass(frozen=True)
class CrimeData(_Years):
    """The crime tables, checked.

    ``annual``: one row per crime type (index), columns ``theme``,
    ``denominator`` then one nullable integer column per year, oldest first.
    ``monthly``: ``month`` (``YYYY-MM``) then one column per series.
    """

    source: str
    years: tuple[str, ...]
    annual: pd.DataFrame
    monthly: pd.DataFrame | None = None
    neighbourhoods: pd.DataFrame | None = None
    comparators: pd.DataFrame | None = None
    not_available: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table as plain values: its column names and its rows, None where a value is missing."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> tuple[Any, ...]:
        """The values of one column, in row order."""
        index = self.columns.index(name)
        return tuple(row[index] for row in self.rows)

    def records(self) -> list[dict[str, Any]]:
        """One dict a row, keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Table:
        """A DataFrame's columns and rows (its index left out), its missing values (NaN, NA, NaT) as None."""
        import pandas as pd

        columns = tuple(str(column) for column in frame.columns)
        rows = tuple(tuple(_plain(value, pd) for value in record.values()) for record in frame.to_dict("records"))
        return cls(columns, rows)


def _plain(value: Any, pd: Any) -> Any:
    """A cell as a Python value: None when missing, a numpy number as the Python number it holds."""
    if type(value) in (str, int, float, bool):
        return None if value != value else value  # NaN is the one value unequal to itself
    if value is None or bool(pd.isna(value)):
        return None
    item = getattr(value, "item", None)
    return item() if callable(item) else value


@dataclass(frozen=True)
class CrimeFigures(_Years):
    """The crime stage's result: everything the later stages use of the crime tables, as plain values.

    ``annual``: the annual figures (``facts.ANNUAL_COLUMNS``), one row per crime
    type in the order read; ``figures`` the same rows keyed by folded crime
    type; ``monthly`` and ``neighbourhoods`` the tables as read; ``charts`` the
    charts drawn from the crime tables alone, in the order of the chart pack;
    ``files`` the police.uk files read, with their sha256; ``comparators`` the
    Most Similar Family's (member, rate per 1,000) rows, None without the sheet.
    """

    source: str
    years: tuple[str, ...]
    annual: Table
    figures: Mapping[str, RowFigures]
    charts: tuple[ChartSpec, ...] = ()
    monthly: Table | None = None
    neighbourhoods: Table | None = None
    not_available: tuple[str, ...] = ()
    files: tuple[tuple[str, str], ...] = ()
    comparators: tuple[tuple[str, float], ...] | None = None

    @property
    def crime_types(self) -> tuple[str, ...]:
        """The crime types in the order read."""
        return tuple(str(name) for name in self.annual.column("crime_type"))


@dataclass(frozen=True)
class ScoreEntry:
    """One threat as scored at one workshop: a row of a ``scores`` sheet."""

    workshop: str
    sheet: str
    row: int
    theme: str
    threat: str
    data_row: str
    values: Mapping[str, int | None]
    cells: Mapping[str, str]
    override_rating: str = ""
    override_reason: str = ""
    scored_year: str = ""
    rejected: frozenset[str] = frozenset()

    def place(self, column: str = "") -> tuple[str, str, str]:
        """(file, sheet, cell) of a column of this row, or of the whole row."""
        return self.workshop, self.sheet, self.cells.get(column, f"row {self.row}")


@dataclass(frozen=True)
class ThemeNarrative:
    """A theme's narratives from the ``themes`` sheet."""

    theme: str
    order: int
    key_statistics: tuple[str, ...] = ()
    impact: str = ""
    likelihood: str = ""
    organisational_response: str = ""
    knowledge_gaps: str = ""
    recommendation: str = ""


@dataclass(frozen=True)
class Workshops:
    """Every workshop row, the theme narratives, and which files they came from."""

    entries: tuple[ScoreEntry, ...]
    themes: tuple[ThemeNarrative, ...]
    files: tuple[Path, ...]
    themes_file: str = ""


@dataclass(frozen=True)
class PreviousRating:
    """One threat as rated in an earlier year."""

    theme: str
    threat: str
    data_row: str
    rating: str
    score: float | None
    factors: Mapping[str, int | None]
    override_rating: str = ""
    override_reason: str = ""
    scored_year: str = ""


@dataclass(frozen=True)
class FactorInput:
    """A factor's workshop scores for one threat, merged."""

    value: int | None
    given: tuple[tuple[str, int], ...] = ()
    places: tuple[tuple[str, str, str], ...] = ()
    rejected: bool = False
    fixed: bool = False  # a what-if value: it wins over any data suggestion

    @property
    def spread(self) -> int:
        values = [value for _, value in self.given]
        return max(values) - min(values) if values else 0


@dataclass(frozen=True)
class MergedThreat:
    """One threat's scores after merging every workshop that scored it."""

    theme: str
    threat: str
    data_row: str
    factors: Mapping[str, FactorInput]
    workshops: tuple[str, ...]
    place: tuple[str, str, str]
    override_rating: str = ""
    override_reason: str = ""
    scored_year: str = ""
    data_row_unknown: bool = False


@dataclass(frozen=True)
class Disagreement:
    """Workshops whose scores for one factor of one threat differ by 2 or more."""

    theme: str
    threat: str
    factor: str
    given: tuple[tuple[str, int], ...]
    merged: int

    @property
    def spread(self) -> int:
        values = [value for _, value in self.given]
        return max(values) - min(values)

    def describe(self) -> str:
        scores = ", ".join(f"{workshop} gave {value}" for workshop, value in self.given)
        spread = f"{self.factor} scores differ by {self.spread}"
        return f"{self.threat}: {spread} ({scores}); median {self.merged} used"


@dataclass(frozen=True)
class FactorResult:
    """A factor's value for one threat and where it came from."""

    key: str
    value: int
    source: str
    suggestion: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class DisplayCell:
    """A theme-table cell: a display column's value with its band word and colour."""

    label: str
    value: int
    band: str
    colour: str


@dataclass(frozen=True)
class ThreatRating:
    """One threat's rating and everything that explains it."""

    theme: str
    threat: str
    data_row: str
    figures: RowFigures | None
    factors: Mapping[str, FactorResult]
    groups: Mapping[str, int]
    score: int
    rating: str
    display: tuple[DisplayCell, ...]
    scored_year: str
    carried_forward: bool
    workshops: tuple[str, ...] = ()
    override_rating: str = ""
    override_reason: str = ""

    @property
    def final_rating(self) -> str:
        """The rating the partnership works to: the override where there is one."""
        return self.override_rating or self.rating


@dataclass(frozen=True)
class RatingChange:
    """How one threat's rating moved since last year."""

    theme: str
    threat: str
    previous: str
    current: str
    direction: str
    previous_scored: str = ""
    current_scored: str = ""

    def describe(self) -> str:
        if self.direction == NEW:
            return f"new this year ({self.current})"
        if self.direction == DROPPED:
            return f"not rated this year (was {self.previous})"
        if self.direction == SAME:
            return f"no change ({self.current})"
        return f"{self.direction} from {self.previous} to {self.current}"


@dataclass(frozen=True)
class Assessment:
    """Everything read and worked out for one year, before any document is written.

    ``crime`` is what the crime stage worked out from the crime tables (the
    annual figures for the assessment year: counts, change, % change, rate per
    1,000; the crime charts); ``figures`` its rows as ``RowFigures`` keyed by
    folded crime type, for look-ups.
    """

    settings: Settings
    model: Model
    crime: CrimeFigures
    figures: Mapping[str, RowFigures]
    threats: tuple[MergedThreat, ...]
    ratings: tuple[ThreatRating, ...]
    disagreements: tuple[Disagreement, ...]
    themes: tuple[ThemeNarrative, ...]
    warnings: tuple[Problem, ...]
    input_files: tuple[Path, ...]
    changes: tuple[RatingChange, ...] = ()

    def rating_of(self, name: str) -> ThreatRating:
        """One threat's rating by name (case and spacing ignored).

        Raises UsageError naming the closest threat when there is no such threat.
        """
        from .errors import UsageError, did_you_mean
        from .names import fold

        for rating in self.ratings:
            if fold(rating.threat) == fold(name):
                return rating
        names = [rating.threat for rating in self.ratings]
        hint = did_you_mean(name, names) or "run `score` to list the threats"
        raise UsageError(f"no threat named '{name}'; {hint}")
