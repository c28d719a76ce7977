"""Charts: each is data in, a chart specification out, and a Figure drawn from the specification.

A ``ChartSpec`` holds everything a chart says (headline title written from
the data, statistical subtitle, alt text, source) and the table behind it, so
it can be hashed for caching, sent to another process, written to CSV, and
drawn by ``figure``. Drawing follows the Government Analysis Function
guidance: its palette in order, at most four colours, sentence case,
horizontal text, no dual axes, and never colour alone (labels, hatches and
marker shapes carry the meaning too). Nothing here reads or writes files.

The chart pack is described in docs/documents.md.
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .calculations import number_text, round_half_up
from .names import fold
from .records import Table

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
HATCHES = ("", "///", "...", "xx")
MARKERS = ("o", "s", "^", "D")
FINANCIAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
WIDTH_INCHES = 6.3  # the text width of an A4 page with 2.5 cm margins: charts print at 1:1
TOP_NEIGHBOURHOODS = 10
TITLE_CHARACTERS = 62
SUBTITLE_CHARACTERS = 90
INK = "#0B0C0C"
MATRIX_LABELS = 12
KEY_CHARACTERS = 26  # a line of the risk-matrix key; longer names wrap


@dataclass(frozen=True)
class ChartSpec:
    """What one chart shows and says; drawn by ``figure``."""

    name: str
    kind: str
    title: str
    subtitle: str
    alt_text: str
    source: str
    data: Table
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.data, Table):  # a DataFrame: kept as plain values, so no reader of it needs pandas
            object.__setattr__(self, "data", Table.of(self.data))

    def fingerprint(self) -> str:
        """Everything that changes the picture, as text: the basis of the chart cache key."""
        options = sorted((key, repr(value)) for key, value in self.options.items())
        table = io.StringIO()
        writer = csv.writer(table, lineterminator="\n")
        writer.writerow(self.data.columns)
        writer.writerows(self.data.rows)
        return "\n".join([self.kind, self.title, self.subtitle, self.source, repr(options), table.getvalue()])


def _fmt(value: float, places: int = 0) -> str:
    """A figure with thousands separators, rounded half away from zero as Excel does."""
    return number_text(value, places)


def _direction(change: float | None) -> str:
    if change is None:
        return "changed"
    if change > 0:
        return f"rose {change:.1f}%"
    if change < 0:
        return f"fell {abs(change):.1f}%"
    return "was unchanged"


def annual_trend_chart(
    annual: pd.DataFrame, years: Sequence[str], row: str, area: str, source: str
) -> ChartSpec | None:
    """Bar chart of the headline row's count in every year held; None when under two years have counts."""
    import pandas as pd

    if row not in annual.index:
        return None
    counts = [(year, annual.loc[row, year]) for year in years]
    held = [(year, int(value)) for year, value in counts if not pd.isna(value)]
    if len(held) < 2:
        return None
    data = pd.DataFrame(held, columns=["year", "count"])
    last_year, last = held[-1]
    by_year = dict(held)
    before = by_year.get(years[-2]) if last_year == years[-1] else None  # only the year just before compares
    noun = row[0].upper() + row[1:].lower() if row.lower() != "all crime" else "Recorded crime"
    if before:
        title = f"{noun} {_direction(round_half_up((last - before) / before * 100, 1))} in {last_year}"
    else:
        title = f"{noun} was {_fmt(last)} in {last_year}; no comparable figure for the year before"
    listing = "; ".join(f"{year}: {_fmt(count)}" for year, count in held)
    alt = f"Bar chart of {row.lower()} in {area} by financial year. {listing}. {title}."
    subtitle = f"Number of {row.lower()} recorded, {area}, {held[0][0]} to {last_year}"
    return ChartSpec("annual-trend", "bars", title, subtitle, alt, source, Table.of(data), {"x": "year", "y": "count"})


def seasonality_chart(
    monthly: pd.DataFrame,
    series: str,
    period_end: str,
    area: str,
    source: str,
    min_mean: float = 0.0,
    min_peak_ratio: float = 1.0,
) -> ChartSpec | None:
    """Average count by month (April to March) over the last three complete financial years held.

    Only whole April-to-March years count, so every month is averaged over the
    same years; None when no year is complete. The title names a peak only
    where the monthly mean is at least ``min_mean`` and the peak month's
    average is at least ``min_peak_ratio`` times the mean of the months.
    """
    import pandas as pd

    if series not in monthly.columns:
        return None
    recent = monthly[["month", series]].dropna()
    years = complete_financial_years(list(recent["month"]), period_end)[-3:]
    if not years:
        return None
    chosen = {month for _, months in years for month in months}
    recent = recent[recent["month"].isin(chosen)].sort_values("month")
    months = pd.to_datetime(recent["month"] + "-01").dt.month
    averages = recent.groupby(months)[series].mean()
    rows = [(calendar.month_abbr[m], round_half_up(float(averages[m]), 1)) for m in FINANCIAL_MONTHS if m in averages]
    data = pd.DataFrame(rows, columns=["month", "average"])
    labels = [label for label, _ in years]
    span = labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}"
    over = f"in {span}" if len(labels) == 1 else f"averaged over {len(labels)} years, {span}"
    title = _seasonality_title(series, averages, min_mean, min_peak_ratio, labels[0] if len(labels) == 1 else "")
    listing = "; ".join(f"{month} {_fmt(value)}" for month, value in rows)
    noun = "count" if len(labels) == 1 else "average count"
    alt = f"Line chart of the monthly {noun} of {series.lower()} in {area}, April to March, {over}. {listing}. {title}."
    subtitle = f"{'' if len(labels) == 1 else 'Average '}{series.lower()} a month, {area}, {span}"
    subtitle = subtitle[0].upper() + subtitle[1:]
    return ChartSpec(
        "seasonality", "line", title, subtitle, alt, source, Table.of(data), {"x": "month", "y": "average"}
    )


def complete_financial_years(months: Sequence[str], period_end: str) -> list[tuple[str, list[str]]]:
    """The April-to-March years wholly held (``YYYY-MM`` months), ending by ``period_end``, oldest first."""
    import pandas as pd

    held = set(months)
    end = pd.Period(period_end, freq="M")
    last_start = end.year - 1 if end.month >= 3 else end.year - 2  # the year starting then ends by period_end
    years = []
    for start in range(last_start, last_start - 40, -1):
        run = [str(month) for month in pd.period_range(f"{start}-04", f"{start + 1}-03", freq="M")]
        if all(month in held for month in run):
            years.append((f"{start}/{(start + 1) % 100:02d}", run))
        elif years:
            break
    return list(reversed(years))


def _seasonality_title(
    series: str, averages: pd.Series, min_mean: float, min_peak_ratio: float, only_year: str = ""
) -> str:
    """A peak and a low only where the counts carry one; otherwise what the counts do show.

    From one complete year (``only_year``, e.g. ``2016/17``) there is no seasonal
    pattern to state, only that year's months: the title names them with their year.
    """
    mean = float(averages.mean())
    if mean < min_mean:
        places = 1 if mean < 10 else 0  # "6.5 on average", but "174 on average" rather than "174.0"
        return f"Too few crimes a month ({_fmt(mean, places)} on average) to show a seasonal pattern"
    if mean <= 0 or float(averages.max()) < min_peak_ratio * mean:
        return f"{series} changes little from month to month"  # no month stands out enough to call it a peak
    lowest = averages[averages == averages.min()]

    def month(number: int) -> str:
        if not only_year:
            return calendar.month_name[number]
        return f"{calendar.month_name[number]} {int(only_year[:4]) + (number < 4)}"

    peak = month(int(averages.idxmax()))
    if only_year:
        low = f" and lowest in {month(int(lowest.index[0]))}" if len(lowest) == 1 else ""
        return f"{series} was highest in {peak}{low}"
    if len(lowest) > 1:  # several months share the low: name none of them
        return f"{series} peaks in {peak}"
    return f"{series} peaks in {peak} and is lowest in {month(int(lowest.index[0]))}"


def _month_name(abbreviation: str) -> str:
    return calendar.month_name[list(calendar.month_abbr).index(abbreviation)]


def crime_by_type_chart(
    figures: pd.DataFrame, exclude: Sequence[str], year: str, area: str, source: str, headline: int | None = None
) -> ChartSpec | None:
    """Horizontal bars of each crime type's count in the assessment year, largest first.

    The subtitle says some categories overlap only when the types shown add up
    to more than the ``headline`` count (a crime counted under two types).
    """
    left_out = {fold(name) for name in exclude}
    frame = figures[~figures["crime_type"].map(lambda name: fold(str(name))).isin(left_out)]
    frame = frame.dropna(subset=["count_current"])
    if frame.empty:
        return None
    data = (
        frame[["crime_type", "count_current"]]
        .rename(columns={"count_current": "count"})
        .astype({"count": int})
        .sort_values("count", ascending=False)
        .reset_index(drop=True)
    )
    top = data.iloc[0]
    title = f"{top['crime_type']} was the most recorded crime type in {year}"
    listing = "; ".join(f"{r.crime_type} {_fmt(r.count)}" for r in data.itertuples())
    alt = f"Horizontal bar chart of recorded crimes in {area} in {year} by crime type, largest first: {listing}."
    overlap = " (some categories overlap)" if headline is not None and int(data["count"].sum()) > headline else ""
    subtitle = f"Number of crimes recorded by type, {area}, {year}{overlap}"
    return ChartSpec(
        "crime-by-type", "hbars", title, subtitle, alt, source, Table.of(data), {"x": "count", "y": "crime_type"}
    )


def neighbourhood_rates_chart(neighbourhoods: pd.DataFrame, year: str, area: str, source: str) -> ChartSpec | None:
    """Horizontal bars of the neighbourhoods with the highest crime rates per 1,000 residents."""
    frame = neighbourhoods.dropna(subset=["crimes", "population"])
    frame = frame[frame["population"] > 0]
    if frame.empty:
        return None
    rates = [
        round_half_up(float(c) / float(p) * 1000, 1) for c, p in zip(frame["crimes"], frame["population"], strict=True)
    ]
    data = (
        frame.assign(rate_per_1000=rates)[["neighbourhood", "crimes", "population", "rate_per_1000"]]
        .sort_values("rate_per_1000", ascending=False)
        .head(TOP_NEIGHBOURHOODS)
        .reset_index(drop=True)
    )
    top = data.iloc[0]
    # the rates are already one decimal, rounded once from the exact value: shown as they are, never rounded again
    title = f"{top['neighbourhood']} has the highest crime rate, {_fmt(top['rate_per_1000'], 1)} per 1,000 residents"
    listing = "; ".join(f"{r.neighbourhood} {_fmt(r.rate_per_1000, 1)}" for r in data.itertuples())
    alt = (
        f"Horizontal bar chart of crimes per 1,000 residents in {area}'s neighbourhoods "
        f"with the highest rates, {year}: {listing}."
    )
    which = f"the {len(data)} neighbourhoods with the highest rates" if len(frame) > len(data) else "neighbourhoods"
    subtitle = f"Crimes per 1,000 residents, {which}, {area}, {year}"
    return ChartSpec(
        "neighbourhood-rates",
        "hbars",
        title,
        subtitle,
        alt,
        source,
        Table.of(data),
        {"x": "rate_per_1000", "y": "neighbourhood"},
    )


def ratings_by_theme_chart(
    ratings: Sequence[tuple[str, str]],
    levels: Sequence[str],
    year: str,
    area: str,
    source: str,
    changes: Mapping[str, str] | None = None,
) -> ChartSpec | None:
    """Stacked bars: how many threats of each theme are rated at each level. ``ratings`` is (theme, rating)."""
    if not ratings:
        return None
    themes = list(dict.fromkeys(theme for theme, _ in ratings))
    counts_by_theme = [
        [sum(1 for t, r in ratings if t == theme and r == level) for level in levels] for theme in themes
    ]
    rows: list[tuple[Any, ...]] = [(theme, *counts) for theme, counts in zip(themes, counts_by_theme, strict=True)]
    columns: tuple[str, ...] = ("theme", *levels)
    top = levels[0]
    count = sum(counts[0] for counts in counts_by_theme)
    total = len(ratings)
    title = f"{count} of {total} threat{'' if total == 1 else 's'} {'is' if count == 1 else 'are'} rated {top}"
    parts = []
    for row in rows:
        counts = ", ".join(f"{n} {level}" for level, n in zip(levels, row[1:], strict=True) if n)
        parts.append(f"{row[0]}: {counts}")
    alt = f"Stacked bar chart of threats by theme and rating, {year}. " + "; ".join(parts) + "."
    subtitle = f"Number of threats by rating and theme, {area}, {year}"
    marks = {theme: text for theme, text in (changes or {}).items() if text}
    if marks:
        columns = (*columns, "change_since_last_year")
        rows = [(*row, marks.get(str(row[0]), "")) for row in rows]
        subtitle += "; changes of rating since last year at the end of each bar"
        alt += " Changes since last year: " + "; ".join(f"{t}: {m}" for t, m in marks.items()) + "."
    data = Table(columns, tuple(rows))
    return ChartSpec("ratings-by-theme", "stacked", title, subtitle, alt, source, data, {"levels": tuple(levels)})


def risk_matrix_chart(
    points: Sequence[tuple[str, int, int, str]],
    axes: tuple[str, str],
    ranges: tuple[tuple[int, int], tuple[int, int]],
    levels: Sequence[str],
    year: str,
    area: str,
    source: str,
) -> ChartSpec | None:
    """Each threat placed by harm (up) and likelihood (across); ``points`` is (threat, harm, likelihood, rating)."""
    if not points:
        return None
    harm, likelihood = axes[0].lower(), axes[1].lower()
    top = max(points, key=lambda point: point[1] * point[2])  # the first of the greatest
    title = f"{top[0]} combines the greatest {harm} and {likelihood}"
    by_level = "; ".join(
        f"{level}: "
        + ", ".join(
            f"{threat} ({harm} {harm_value}, {likelihood} {likely_value})"
            for threat, harm_value, likely_value, rating in points
            if rating == level
        )
        for level in levels
        if any(point[3] == level for point in points)
    )
    data = Table(("threat", harm, likelihood, "rating"), tuple(tuple(point) for point in points))
    alt = f"Risk matrix of {len(data)} threats, {harm} against {likelihood}, marked by rating. {by_level}."
    (harm_low, harm_high), (likely_low, likely_high) = ranges
    subtitle = f"{axes[0]} ({harm_low}-{harm_high}) against {likelihood} ({likely_low}-{likely_high}), {area}, {year}"
    options = {"levels": tuple(levels), "axes": axes, "ranges": ranges}
    return ChartSpec("risk-matrix", "matrix", title, subtitle, alt, source, data, options)


# Drawing ---------------------------------------------------------------------------------------


def figure(spec: ChartSpec) -> Figure:
    """Draw a chart specification as a matplotlib Figure: title, subtitle, chart, source."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["text.parse_math"] = False  # "Cost $5 to $10" is a name, never TeX

    title = textwrap.wrap(spec.title, TITLE_CHARACTERS)
    subtitle = textwrap.wrap(spec.subtitle, SUBTITLE_CHARACTERS)
    header = 0.1 + 0.25 * len(title) + 0.2 * len(subtitle) + 0.1
    footer = 0.3
    height = _body_height(spec) + header + footer
    fig = Figure(figsize=(WIDTH_INCHES, height), facecolor="white")
    fig.set_layout_engine("constrained", rect=(0, footer / height, 1, 1 - (header + footer) / height))
    left = 0.08 / WIDTH_INCHES
    fig.text(left, 1 - 0.1 / height, "\n".join(title), fontsize=12, fontweight="bold", va="top", color=INK)
    top = 1 - (0.1 + 0.25 * len(title) + 0.04) / height
    fig.text(left, top, "\n".join(subtitle), fontsize=9.5, va="top", color=PALETTE[4])
    fig.text(left, 0.08 / height, spec.source, fontsize=8, va="bottom", color="#505A5F")
    axes = fig.add_subplot()
    _DRAWERS[spec.kind](axes, spec)
    return fig


def _body_height(spec: ChartSpec) -> float:
    if spec.kind in ("hbars", "stacked"):
        return max(2.6, 0.8 + 0.3 * len(spec.data))
    if spec.kind == "matrix":
        return 4.2
    return 3.0


def _clean_axes(axes: Any, grid_axis: str) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=9, colors="#0B0C0C")
    axes.grid(axis=grid_axis, color="#D9D9D9", linewidth=0.6)
    axes.set_axisbelow(True)


def _draw_bars(axes: Any, spec: ChartSpec) -> None:
    x, y = spec.options["x"], spec.options["y"]
    values = list(spec.data.column(y))
    bars = axes.bar(list(spec.data.column(x)), values, color=PALETTE[0], width=0.6)
    axes.bar_label(bars, labels=[_fmt(v) for v in values], padding=3, fontsize=9)
    axes.margins(y=0.12)
    _clean_axes(axes, "y")
    axes.yaxis.set_major_formatter(_thousands())


def _draw_line(axes: Any, spec: ChartSpec) -> None:
    x, y = spec.options["x"], spec.options["y"]
    values = list(spec.data.column(y))
    axes.plot(list(spec.data.column(x)), values, color=PALETTE[0], marker="o", linewidth=2)
    low, high = min(values), max(values)
    pad = max((high - low) * 0.25, 1)
    axes.set_ylim(max(0, low - pad), high + pad)
    _clean_axes(axes, "y")
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))  # counts: no tick at 2.5
    axes.yaxis.set_major_formatter(_thousands())


def _draw_hbars(axes: Any, spec: ChartSpec) -> None:
    x, y = spec.options["x"], spec.options["y"]
    values = list(reversed(spec.data.column(x)))  # the largest at the top
    bars = axes.barh(list(reversed(spec.data.column(y))), values, color=PALETTE[0], height=0.65)
    axes.bar_label(bars, labels=[_fmt(v) for v in values], padding=3, fontsize=8.5)
    axes.margins(x=0.12)
    _clean_axes(axes, "x")
    axes.xaxis.set_major_formatter(_thousands())


def _draw_stacked(axes: Any, spec: ChartSpec) -> None:
    levels = spec.options["levels"]
    rows = spec.data.records()[::-1]  # the first theme at the top
    themes = [row["theme"] for row in rows]
    left = [0] * len(rows)
    for index, level in enumerate(levels):
        values = [row[level] for row in rows]
        bars = axes.barh(
            themes,
            values,
            left=left,
            color=PALETTE[index % 4],
            hatch=HATCHES[index % 4],
            edgecolor="#FFFFFFB0",
            linewidth=0.4,
            label=level,
            height=0.65,
        )
        labels = [str(v) if v else "" for v in values]
        texts = axes.bar_label(bars, labels=labels, label_type="center", fontsize=8.5, color=INK)
        for text in texts:  # dark on white: readable on every fill and hatch (contrast above 4.5:1)
            text.set_bbox({"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"})
        left = [total + value for total, value in zip(left, values, strict=True)]
    if "change_since_last_year" in spec.data.columns:
        for y, (total, row) in enumerate(zip(left, rows, strict=True)):
            if row["change_since_last_year"]:
                axes.text(total + 0.15, y, row["change_since_last_year"], va="center", fontsize=8, color=INK)
        axes.margins(x=0.18)
    axes.set_xlabel("Number of threats", fontsize=9)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="best", fontsize=8.5, framealpha=1, edgecolor="#D9D9D9")
    _clean_axes(axes, "x")


def _draw_matrix(axes: Any, spec: ChartSpec) -> None:
    levels = spec.options["levels"]
    names = spec.options["axes"]
    (y_low, y_high), (x_low, x_high) = spec.options["ranges"]
    y_col, x_col = names[0].lower(), names[1].lower()
    rows = spec.data.records()
    offsets = _spread(rows, x_col, y_col)
    for index, level in enumerate(levels):
        chosen = [number for number, row in enumerate(rows) if row["rating"] == level]
        if not chosen:
            continue
        axes.scatter(
            [rows[number][x_col] + offsets[number] for number in chosen],
            [rows[number][y_col] for number in chosen],
            s=46,
            marker=MARKERS[index % 4],
            color=PALETTE[index % 4],
            edgecolor="white",
            linewidth=0.6,
            label=level,
            zorder=3,
        )
    _label_top_level(axes, rows, offsets, x_col, y_col, levels[0], x_high + 0.55)
    axes.set_xlim(x_low - 0.5, x_high + 2.3)
    axes.set_ylim(y_low - 0.5, y_high + 0.5)
    axes.set_xticks(range(x_low, x_high + 1))
    axes.set_xlabel(names[1], fontsize=9)
    axes.set_ylabel(names[0], fontsize=9, rotation=0, ha="left", va="bottom")
    axes.yaxis.set_label_coords(-0.05, 1.01)
    axes.legend(loc="upper left", fontsize=8.5, framealpha=1, edgecolor="#D9D9D9")
    _clean_axes(axes, "both")


def _label_top_level(
    axes: Any,
    rows: Sequence[Mapping[str, Any]],
    offsets: Sequence[float],
    x_col: str,
    y_col: str,
    level: str,
    key_x: float,
) -> None:
    """Number the threats of the highest rating above their markers, with a key of names on the right."""
    top = [number for number, row in enumerate(rows) if row["rating"] == level]
    top.sort(key=lambda number: (-rows[number][y_col], -rows[number][x_col]))  # stable: ties keep their order
    lines = []
    for label, number in enumerate(top[:MATRIX_LABELS], start=1):
        row = rows[number]
        axes.annotate(
            str(label),
            xy=(row[x_col] + offsets[number], row[y_col]),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            color=INK,
        )
        lines.extend(_key_lines(label, str(row["threat"])))
    if lines:
        axes.text(
            key_x,
            0.98,
            f"{level}:\n" + "\n".join(lines),
            transform=axes.get_xaxis_transform(),
            va="top",
            fontsize=7.5,
            linespacing=1.5,
            color=INK,
        )


def _spread(rows: Sequence[Mapping[str, Any]], x_col: str, y_col: str) -> list[float]:
    """Small sideways offsets so threats at the same point stay visible."""
    groups: dict[tuple[Any, Any], list[int]] = {}
    for number, row in enumerate(rows):
        groups.setdefault((row[x_col], row[y_col]), []).append(number)
    offsets = [0.0] * len(rows)
    for members in groups.values():
        for position, number in enumerate(members):
            offsets[number] = (position - (len(members) - 1) / 2) * 0.12
    return offsets


def _draw_years(axes: Any, spec: ChartSpec) -> None:
    """This year, last year and a target over the same periods: colour, line style and marker each differ."""
    from matplotlib.ticker import FuncFormatter

    styles = (("-", "o", 2.4), ("--", "s", 1.8), (":", "", 1.8))
    periods = list(spec.data.column(spec.options["x"]))
    held: list[float] = []
    for index, column in enumerate(spec.options["series"]):
        values = [_number(value) for value in spec.data.column(column)]
        held.extend(value for value in values if not math.isnan(value))
        line, marker, width = styles[min(index, 2)]
        label = "Target" if column == "target" else str(column)
        axes.plot(
            periods, values, color=PALETTE[index], linestyle=line, marker=marker or None, linewidth=width, label=label
        )
    low, high = min(held, default=math.nan), max(held, default=math.nan)
    if spec.options.get("percent"):
        axes.set_ylim(max(0.0, low - 10), min(100.0, high + 5))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%"))
    else:
        axes.set_ylim(bottom=0, top=high * 1.15)
        axes.yaxis.set_major_formatter(_thousands())
    axes.legend(loc="best", fontsize=8.5, framealpha=1, edgecolor="#D9D9D9")
    _clean_axes(axes, "y")


def _number(value: Any) -> float:
    """A value to plot: a number as it is, anything else (a missing value, text) as NaN, left out of the line."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _key_lines(number: int, name: str, width: int = KEY_CHARACTERS) -> list[str]:
    """A numbered name of the risk-matrix key, wrapped (never cut short) under its first line."""
    wrapped = textwrap.wrap(name, width, break_long_words=True) or [""]
    indent = " " * (len(str(number)) + 2)
    return [f"{number}  {wrapped[0]}", *[indent + line for line in wrapped[1:]]]


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: f"{value:,.0f}")


_DRAWERS = {
    "bars": _draw_bars,
    "line": _draw_line,
    "hbars": _draw_hbars,
    "stacked": _draw_stacked,
    "matrix": _draw_matrix,
    "years": _draw_years,
}
