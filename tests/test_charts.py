"""Charts: each chart function's words and table from tiny hand-made frames, the drawing rules, and the chart pack.

Expected titles, averages, rates and counts are worked out by hand in the
comments beside them. The drawing tests look at every artist matplotlib
draws: colours come only from the Analysis Function palette (plus greys,
white and black), at most four palette colours a chart, and all text is
horizontal (SPEC §6.3).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import strategic_assessment.chartpack as chartpack
from strategic_assessment.charts import (
    ChartSpec,
    annual_trend_chart,
    crime_by_type_chart,
    figure,
    neighbourhood_rates_chart,
    ratings_by_theme_chart,
    risk_matrix_chart,
    seasonality_chart,
)

AREA = "Testshire"
SOURCE = "Source: Testshire Police"
LEVELS = ["High", "Moderate", "Standard"]
# The Government Analysis Function categorical palette, typed from SPEC §6.3 (the 5th is a grey).
ANALYSIS_FUNCTION = {"#12436D", "#28A197", "#801650", "#F46A25", "#A285D1"}
PALETTE_GREY = "#3D3D3D"


def annual(counts: dict[str, dict[str, int | None]]) -> pd.DataFrame:
    """An annual table as the crime workbook reader builds it: crime types as the index, one column a year."""
    return pd.DataFrame.from_dict(counts, orient="index")


# Headline titles ------------------------------------------------------------------------------------------


def test_annual_trend_title_states_a_rise() -> None:
    # (23,729 - 22,903) / 22,903 = 826 / 22,903 = 3.606...% -> 3.6%
    table = annual({"All crime": {"2016/17": 21200, "2017/18": 22903, "2018/19": 23729}})
    spec = annual_trend_chart(table, ("2016/17", "2017/18", "2018/19"), "All crime", AREA, SOURCE)
    assert spec is not None
    assert spec.title == "Recorded crime rose 3.6% in 2018/19"
    assert {name: list(spec.data.column(name)) for name in spec.data.columns} == {
        "year": ["2016/17", "2017/18", "2018/19"],
        "count": [21200, 22903, 23729],
    }
    assert "2016/17: 21,200; 2017/18: 22,903; 2018/19: 23,729" in spec.alt_text
    assert spec.source == SOURCE


def test_annual_trend_title_states_a_fall_for_a_named_row() -> None:
    # (950 - 1,000) / 1,000 = -5.0%; a row other than all crime keeps its own name, sentence case
    table = annual({"Burglary": {"2017/18": 1000, "2018/19": 950}})
    spec = annual_trend_chart(table, ("2017/18", "2018/19"), "Burglary", AREA, SOURCE)
    assert spec is not None
    assert spec.title == "Burglary fell 5.0% in 2018/19"


def test_annual_trend_title_says_unchanged() -> None:
    table = annual({"Burglary": {"2017/18": 300, "2018/19": 300}})
    spec = annual_trend_chart(table, ("2017/18", "2018/19"), "Burglary", AREA, SOURCE)
    assert spec is not None
    assert spec.title == "Burglary was unchanged in 2018/19"


def test_annual_trend_needs_two_years_with_counts() -> None:
    table = annual({"All crime": {"2017/18": None, "2018/19": 1100}})
    assert annual_trend_chart(table, ("2017/18", "2018/19"), "All crime", AREA, SOURCE) is None


# Seasonality ----------------------------------------------------------------------------------------------


def financial_year_months(start: int) -> list[str]:
    """``YYYY-MM`` labels of the financial year starting in April of ``start``."""
    return [f"{start}-{month:02d}" for month in range(4, 13)] + [f"{start + 1}-{month:02d}" for month in range(1, 4)]


def monthly_series() -> pd.DataFrame:
    """49 months, 2015-04 to 2019-04, built so that only the 36 months to the period end count.

    2015/16 is 1,000 every month and 2019-04 is 5,000: both must be left out.
    In 2016/17, 2017/18 and 2018/19 every month is 20 except:
    April 10, 11, 11 (average 10.67 -> 10.7); July 30, 30, 33 (31.0, the peak);
    February 2, 3, 3 (2.67 -> 2.7, the lowest).
    """
    special = {4: (10, 11, 11), 7: (30, 30, 33), 2: (2, 3, 3)}
    rows = [(label, 1000) for label in financial_year_months(2015)]
    for index, start in enumerate((2016, 2017, 2018)):
        for label in financial_year_months(start):
            month = int(label[-2:])
            rows.append((label, special[month][index] if month in special else 20))
    rows.append(("2019-04", 5000))
    return pd.DataFrame(rows, columns=["month", "All crime"])


def test_seasonality_averages_the_last_36_months_april_to_march() -> None:
    spec = seasonality_chart(monthly_series(), "All crime", "2019-03", AREA, SOURCE)
    assert spec is not None
    assert list(spec.data.column("month")) == [
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "Jan",
        "Feb",
        "Mar",
    ]
    expected = [10.7, 20.0, 20.0, 31.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 2.7, 20.0]
    assert list(spec.data.column("average")) == expected
    assert spec.title == "All crime peaks in July and is lowest in February"
    assert spec.subtitle == "Average all crime a month, Testshire, 2016/17 to 2018/19"
    assert "averaged over 3 years, 2016/17 to 2018/19" in spec.alt_text


def test_seasonality_uses_complete_april_to_march_years_only() -> None:
    # held: April 2016 to November 2017; only 2016/17 is a complete April-March year
    rows = [(f"{2016 + (m > 12)}-{(m - 1) % 12 + 1:02d}", 300 + 100 * (m == 9)) for m in range(4, 24)]
    spec = seasonality_chart(pd.DataFrame(rows, columns=["month", "All crime"]), "All crime", "2017-11", AREA, SOURCE)
    assert spec is not None
    assert spec.subtitle == "All crime a month, Testshire, 2016/17"
    # September 2016 is 400, the other months 300: mean 308.3, peak 1.30 x the mean
    # one year shows no seasonal pattern, only its own months, named with their year
    assert spec.title == "All crime was highest in September 2016"  # the other eleven months tie: no single lowest
    assert list(spec.data.column("average"))[5] == 400.0


def test_one_years_highest_and_lowest_months_are_named_with_their_year() -> None:
    # 2016/17 only: March 2017 is 500, April 2016 is 100, the other months 300; mean 308.3
    rows = [(label, {"2016-04": 100, "2017-03": 500}.get(label, 300)) for label in financial_year_months(2016)]
    spec = seasonality_chart(
        pd.DataFrame(rows, columns=["month", "All crime"]), "All crime", "2017-03", AREA, SOURCE, 200, 1.1
    )
    assert spec is not None
    assert spec.title == "All crime was highest in March 2017 and lowest in April 2016"


def test_seasonality_names_no_peak_in_small_or_flat_counts() -> None:
    small = [(label, 6 + (label.endswith("-09") * 6)) for label in financial_year_months(2016)]
    spec = seasonality_chart(
        pd.DataFrame(small, columns=["month", "All crime"]), "All crime", "2017-03", AREA, SOURCE, 200, 1.1
    )
    assert spec is not None
    # mean (11 x 6 + 12) / 12 = 6.5 a month, under 200
    assert spec.title == "Too few crimes a month (6.5 on average) to show a seasonal pattern"
    under = [(label, 170 + (label.endswith("-09") * 48)) for label in financial_year_months(2016)]
    spec = seasonality_chart(
        pd.DataFrame(under, columns=["month", "All crime"]), "All crime", "2017-03", AREA, SOURCE, 200, 1.1
    )
    assert spec is not None
    # mean (11 x 170 + 218) / 12 = 174 a month: a whole number from 10 up, not "174.0"
    assert spec.title == "Too few crimes a month (174 on average) to show a seasonal pattern"
    flat = [(label, 1000 + (label.endswith("-09") * 50)) for label in financial_year_months(2016)]
    spec = seasonality_chart(
        pd.DataFrame(flat, columns=["month", "All crime"]), "All crime", "2017-03", AREA, SOURCE, 200, 1.1
    )
    assert spec is not None
    # peak 1,050 against a mean of 1,004.2: 1.046 x, under 1.10
    assert spec.title == "All crime changes little from month to month"


def test_seasonality_needs_a_year_of_months() -> None:
    short = monthly_series().iloc[12:23]  # 11 months
    assert seasonality_chart(short, "All crime", "2019-03", AREA, SOURCE) is None


# Crime by type --------------------------------------------------------------------------------------------


def test_crime_by_type_is_sorted_largest_first_and_leaves_out_named_rows() -> None:
    figures = pd.DataFrame(
        {
            "crime_type": ["All crime", "Robbery", "Shoplifting", "Hate crime", "Arson", "Drones"],
            "count_current": pd.array([5000, 255, 1585, 529, 40, None], dtype="Int64"),
        }
    )
    # "all crime" and "HATE CRIME" match their rows whatever the case; Drones has no count
    spec = crime_by_type_chart(figures, ["all crime", "HATE CRIME"], "2018/19", AREA, SOURCE)
    assert spec is not None
    assert list(spec.data.column("crime_type")) == ["Shoplifting", "Robbery", "Arson"]
    assert list(spec.data.column("count")) == [1585, 255, 40]
    assert spec.title == "Shoplifting was the most recorded crime type in 2018/19"
    assert spec.alt_text.endswith("largest first: Shoplifting 1,585; Robbery 255; Arson 40.")


# Neighbourhood rates --------------------------------------------------------------------------------------


def test_neighbourhood_rates_are_rounded_half_up_and_ranked() -> None:
    frame = pd.DataFrame(
        {
            "neighbourhood": ["Quayside", "Hilltop", "Meadows", "Nowhere"],
            "population": [7392, 800, 3000, 0],
            "crimes": [3755, 1, 120, 10],
        }
    )
    # Quayside 3,755 / 7,392 x 1,000 = 507.98 -> 508.0; Meadows 120 / 3,000 x 1,000 = 40.0;
    # Hilltop 1 / 800 x 1,000 = 1.25 -> 1.3 (half away from zero, not 1.2); Nowhere has no residents
    spec = neighbourhood_rates_chart(frame, "2018/19", AREA, SOURCE)
    assert spec is not None
    assert list(spec.data.column("neighbourhood")) == ["Quayside", "Meadows", "Hilltop"]
    assert list(spec.data.column("rate_per_1000")) == [508.0, 40.0, 1.3]
    assert (
        spec.title == "Quayside has the highest crime rate, 508.0 per 1,000 residents"
    )  # one decimal, as in the table


# Ratings by theme -----------------------------------------------------------------------------------------


def test_ratings_by_theme_counts_each_level() -> None:
    ratings = [
        ("Drugs", "High"),
        ("Drugs", "High"),
        ("Hate crime", "Moderate"),
        ("Drugs", "Standard"),
        ("Hate crime", "Standard"),
    ]
    spec = ratings_by_theme_chart(ratings, LEVELS, "2018/19", AREA, SOURCE)
    assert spec is not None
    assert spec.data.records() == [
        {"theme": "Drugs", "High": 2, "Moderate": 0, "Standard": 1},
        {"theme": "Hate crime", "High": 0, "Moderate": 1, "Standard": 1},
    ]
    assert spec.title == "2 of 5 threats are rated High"
    assert "Drugs: 2 High, 1 Standard; Hate crime: 1 Moderate, 1 Standard." in spec.alt_text


# Risk matrix ----------------------------------------------------------------------------------------------


def test_risk_matrix_alt_text_lists_threats_by_rating() -> None:
    points = [("County lines", 11, 3, "High"), ("Shoplifting", 3, 2, "Standard"), ("Arson", 6, 1, "Standard")]
    spec = risk_matrix_chart(points, ("Harm", "Likelihood"), ((0, 12), (1, 3)), LEVELS, "2018/19", AREA, SOURCE)
    assert spec is not None
    # 11 x 3 = 33 is the greatest product; Moderate has no threat, so it is not mentioned
    assert spec.title == "County lines combines the greatest harm and likelihood"
    assert spec.alt_text == (
        "Risk matrix of 3 threats, harm against likelihood, marked by rating. "
        "High: County lines (harm 11, likelihood 3); "
        "Standard: Shoplifting (harm 3, likelihood 2), Arson (harm 6, likelihood 1)."
    )


# Drawing --------------------------------------------------------------------------------------------------


def sample_specs() -> dict[str, ChartSpec]:
    """One small specification of each kind of chart."""
    table = annual({"All crime": {"2016/17": 900, "2017/18": 1000, "2018/19": 1100}})
    figures = pd.DataFrame({"crime_type": ["Robbery", "Arson"], "count_current": pd.array([20, 5], dtype="Int64")})
    ratings = [("Drugs", "High"), ("Drugs", "Moderate"), ("Hate crime", "Standard")]
    points = [("County lines", 11, 3, "High"), ("Hate crime", 6, 2, "Moderate"), ("Arson", 2, 1, "Standard")]
    specs = [
        annual_trend_chart(table, ("2016/17", "2017/18", "2018/19"), "All crime", AREA, SOURCE),
        seasonality_chart(monthly_series(), "All crime", "2019-03", AREA, SOURCE),
        crime_by_type_chart(figures, [], "2018/19", AREA, SOURCE),
        ratings_by_theme_chart(ratings, LEVELS, "2018/19", AREA, SOURCE),
        risk_matrix_chart(points, ("Harm", "Likelihood"), ((0, 12), (1, 3)), LEVELS, "2018/19", AREA, SOURCE),
    ]
    return {spec.kind: spec for spec in specs if spec is not None}


def drawn(spec: ChartSpec) -> Any:
    """The chart's Figure, rendered once so that tick labels and legends exist."""
    fig = figure(spec)
    fig.savefig(io.BytesIO(), format="png", dpi=40)
    return fig


@functools.cache
def drawn_sample(kind: str) -> Any:
    """The sample chart of a kind, drawn once for the module's tests that only look at what it drew."""
    return drawn(sample_specs()[kind])


def _colours_of(artist: Any) -> Iterator[Any]:
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    if isinstance(artist, Text) and artist.get_text():
        yield artist.get_color()
    elif isinstance(artist, Patch):
        yield artist.get_facecolor()
        yield artist.get_edgecolor()
    elif isinstance(artist, Line2D):
        yield artist.get_color()
        yield artist.get_markerfacecolor()
        yield artist.get_markeredgecolor()
    elif isinstance(artist, Collection):
        yield from artist.get_facecolor()
        yield from artist.get_edgecolor()


def used_colours(fig: Any) -> set[str]:
    """Every visible colour drawn in a figure, as #RRGGBB."""
    from matplotlib.colors import to_hex, to_rgba

    colours = set()
    for artist in fig.findobj():
        for colour in _colours_of(artist):
            if isinstance(colour, str) and colour == "none":
                continue
            rgba = to_rgba(colour)
            if rgba[3] > 0:
                colours.add(to_hex(rgba, keep_alpha=False).upper())
    return colours


def is_neutral(colour: str) -> bool:
    """White, black or a grey (red, green and blue within 20 of each other out of 255)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return max(red, green, blue) - min(red, green, blue) <= 20


@pytest.mark.parametrize("kind", ["bars", "line", "hbars", "stacked", "matrix"])
def test_charts_use_only_palette_colours_at_most_four(kind: str) -> None:
    colours = used_colours(drawn_sample(kind))
    outside = {c for c in colours if c not in ANALYSIS_FUNCTION and c != PALETTE_GREY and not is_neutral(c)}
    assert not outside, f"colours outside the Analysis Function palette: {sorted(outside)}"
    assert 1 <= len(colours & ANALYSIS_FUNCTION) <= 4


def test_stacked_and_matrix_charts_use_the_palette_in_order() -> None:
    # three rating levels: the first three palette colours, in order
    for kind in ("stacked", "matrix"):
        colours = used_colours(drawn_sample(kind))
        assert colours & ANALYSIS_FUNCTION == {"#12436D", "#28A197", "#801650"}, kind


@pytest.mark.parametrize(
    "kind",
    [
        "bars",
        "line",
        "hbars",
        "stacked",
        "matrix",
    ],
)
def test_every_text_is_horizontal(kind: str) -> None:
    from matplotlib.text import Text

    fig = drawn_sample(kind)
    turned = [(t.get_text(), t.get_rotation()) for t in fig.findobj(Text) if t.get_text() and t.get_rotation() != 0]
    assert turned == []


def test_figure_shows_the_title_subtitle_and_source() -> None:
    from matplotlib.text import Text

    texts = {t.get_text() for t in drawn_sample("bars").findobj(Text)}
    # 900 -> 1,000 -> 1,100: (1,100 - 1,000) / 1,000 = 10.0%
    assert "Recorded crime rose 10.0% in 2018/19" in texts
    assert SOURCE in texts
    assert any(text.startswith("Number of all crime recorded") for text in texts)


# The chart pack -------------------------------------------------------------------------------------------


def pack_specs() -> list[ChartSpec]:
    specs = sample_specs()
    return [specs["bars"], specs["stacked"]]


def test_chart_pack_writes_png_svg_csv_and_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "charts"
    files = chartpack.write_chart_pack(pack_specs(), folder)
    names = sorted(path.name for path in folder.iterdir())
    assert names == [
        "01-annual-trend.csv",
        "01-annual-trend.png",
        "01-annual-trend.svg",
        "02-ratings-by-theme.csv",
        "02-ratings-by-theme.png",
        "02-ratings-by-theme.svg",
        "index.csv",
    ]
    assert [chart.base for chart in files] == ["01-annual-trend", "02-ratings-by-theme"]
    assert (folder / "01-annual-trend.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "<svg" in (folder / "01-annual-trend.svg").read_text(encoding="utf-8")
    with (folder / "01-annual-trend.csv").open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["year", "count"],
            ["2016/17", "900"],
            ["2017/18", "1000"],
            ["2018/19", "1100"],
        ]
    with (folder / "index.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert list(reader.fieldnames or [])[:5] == ["file", "title", "subtitle", "alt_text", "source"]
        rows = list(reader)
    assert [row["file"] for row in rows] == ["01-annual-trend", "02-ratings-by-theme"]
    # 1 of 3 threats is High (Drugs High, Drugs Moderate, Hate crime Standard)
    assert [row["title"] for row in rows] == ["Recorded crime rose 10.0% in 2018/19", "1 of 3 threats is rated High"]
    assert all(row["alt_text"] and row["subtitle"] and row["source"] == SOURCE for row in rows)


def _svg_without_ids(svg: bytes) -> str:
    """An SVG's text with matplotlib's random element ids (a letter and ten hex digits) numbered in order."""
    ids: dict[str, str] = {}
    return re.sub(r"\b[a-zA-Z][0-9a-f]{10}\b", lambda m: ids.setdefault(m.group(0), f"id{len(ids)}"), svg.decode())


@pytest.mark.parametrize("kind", ["bars", "stacked", "matrix"])
def test_drawn_files_are_the_figure_savefig_lays_out_and_saves(tmp_path: Path, kind: str) -> None:
    # the layout is solved once for both files; each must still be the picture savefig makes of the
    # figure, laid out by its constrained layout at the print resolution, with that layout kept for the SVG
    spec = sample_specs()[kind]
    png, svg = tmp_path / "chart.png", tmp_path / "chart.svg"
    chartpack.draw_files(spec, png, svg)
    expected_png, expected_svg = io.BytesIO(), io.BytesIO()
    fig = figure(spec)
    fig.savefig(expected_png, dpi=chartpack.PNG_DPI, metadata={"Software": None})
    fig.set_layout_engine("none")  # the SVG keeps the layout solved for the PNG
    fig.savefig(expected_svg, format="svg", metadata={"Date": None})
    assert pixels(png.read_bytes()) == pixels(expected_png.getvalue())
    assert _svg_without_ids(svg.read_bytes()) == _svg_without_ids(expected_svg.getvalue())


def pixels(png: bytes) -> tuple[tuple[int, int], Any, bytes]:
    """A PNG's size, resolution and every pixel as red, green, blue and opacity (whichever channels it stores)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.size, image.info.get("dpi"), image.convert("RGBA").tobytes()


def test_an_opaque_chart_is_saved_without_its_alpha_channel(tmp_path: Path) -> None:
    # a chart on white is opaque everywhere: its PNG is RGB, with the same colours as the RGBA drawing
    from PIL import Image

    png = tmp_path / "chart.png"
    chartpack.draw_png(sample_specs()["bars"], png)
    with Image.open(png) as image:
        assert image.mode == "RGB"
        assert image.info["dpi"] == pytest.approx((chartpack.PNG_DPI, chartpack.PNG_DPI), rel=1e-5)  # per metre
    # a picture with a see-through pixel keeps its alpha: nothing is flattened onto a colour it did not have
    see_through = bytearray(b"\xff\xff\xff\xff" * 4)
    see_through[3] = 0
    chartpack.write_png(memoryview(bytes(see_through)).cast("B", (2, 2, 4)), tmp_path / "alpha.png")
    with Image.open(tmp_path / "alpha.png") as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0)) == (255, 255, 255, 0) and image.getpixel((1, 1)) == (255, 255, 255, 255)


def test_two_runs_draw_the_same_svgs_to_the_byte(tmp_path: Path) -> None:
    # each pack is drawn in drawing processes of its own (forked for the pack); the stacked chart's hatches and
    # every chart's clip paths have element ids, hashed from their content with a fixed salt, never a random one
    first = chartpack.write_chart_pack(pack_specs(), tmp_path / "first")
    second = chartpack.write_chart_pack(pack_specs(), tmp_path / "second")
    for one, other in zip(first, second, strict=True):
        text = one.svg.read_text(encoding="utf-8")
        assert re.search(r'id="[a-z]+[0-9a-f]{10}"', text), "the SVG has hashed ids to compare"
        assert one.svg.read_bytes() == other.svg.read_bytes(), one.svg.name
        assert one.png.read_bytes() == other.png.read_bytes(), one.png.name


def test_a_best_placed_legend_is_looked_for_once_after_the_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the constrained layout looks twice (its two passes); then once for the PNG and SVG together, where each
    # drawing looked twice (frame, then box): 6 looks before. The pictures are savefig's (the test above)
    from matplotlib.legend import Legend

    looks: list[int] = []
    real = Legend._find_best_position  # type: ignore[attr-defined]

    def counted(legend: Any, *args: Any) -> Any:
        looks.append(1)
        return real(legend, *args)

    monkeypatch.setattr(Legend, "_find_best_position", counted)
    chartpack.draw_files(sample_specs()["stacked"], tmp_path / "chart.png", tmp_path / "chart.svg")
    assert len(looks) == 3


def test_the_png_and_svg_of_a_chart_are_one_figure(tmp_path: Path) -> None:
    from PIL import Image

    spec = sample_specs()["stacked"]
    png, svg = tmp_path / "chart.png", tmp_path / "chart.svg"
    chartpack.draw_files(spec, png, svg)
    text = svg.read_text(encoding="utf-8")
    size = re.search(r'<svg[^>]* width="([0-9.]+)pt" height="([0-9.]+)pt"', text)
    assert size is not None
    # 6.3 inches wide: 453.6 pt in the SVG, 6.3 x 200 = 1260 pixels in the PNG; the heights agree the same way
    assert float(size.group(1)) == pytest.approx(453.6)
    with Image.open(png) as image:
        assert image.size[0] == 1260
        assert image.size[1] == round(float(size.group(2)) / 72 * chartpack.PNG_DPI)
    # the SVG keeps the words (as comments beside the drawn glyphs) and the hatches of the PNG's figure
    assert f"<!-- {spec.title} -->" in text
    assert "<pattern" in text


def test_chart_pack_reuses_cached_drawings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    chartpack.write_chart_pack(pack_specs(), tmp_path / "first", cache)

    def no_drawing(*_: Any) -> None:
        raise AssertionError("a chart was drawn although the cache holds its drawing")

    monkeypatch.setattr(chartpack, "draw_files", no_drawing)
    monkeypatch.setattr(chartpack, "draw_png", no_drawing)
    chartpack.write_chart_pack(pack_specs(), tmp_path / "second", cache)
    for name in ("01-annual-trend.png", "01-annual-trend.svg", "02-ratings-by-theme.png"):
        assert (tmp_path / "second" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()


def test_chart_pack_redraws_a_chart_whose_data_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    specs = pack_specs()
    chartpack.write_chart_pack(specs, tmp_path / "first", cache)
    drawn = tmp_path / "drawn"
    drawn.mkdir()

    def record(spec: ChartSpec, png: Path) -> Any:  # in a drawing process: noted in a file
        (drawn / spec.name).write_text("", encoding="utf-8")
        png.write_bytes(b"png")
        return None

    monkeypatch.setattr(chartpack, "draw_png", record)
    monkeypatch.setattr(chartpack, "save_svg", lambda _, svg: svg.write_bytes(b"svg"))
    changed = annual_trend_chart(
        annual({"All crime": {"2016/17": 900, "2017/18": 1000, "2018/19": 1200}}),
        ("2016/17", "2017/18", "2018/19"),
        "All crime",
        AREA,
        SOURCE,
    )
    assert changed is not None
    chartpack.write_chart_pack([changed, specs[1]], tmp_path / "second", cache)
    assert sorted(path.name for path in drawn.iterdir()) == ["annual-trend"]
