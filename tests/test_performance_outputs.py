"""The ``performance`` command end to end: its files, bad-input messages and the police.uk example (SPEC §10, §7)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from docx import Document

from strategic_assessment.cli import cli
from strategic_assessment.documents.pdf import soffice_path
from strategic_assessment.errors import ProblemLog
from strategic_assessment.ingest.police_uk import read_police_uk_monthly
from strategic_assessment.settings import PoliceUkSettings

from .builders import write_crime, write_settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "police-uk" / "devon-and-cornwall"
TEST_POLICE_UK = ROOT / "tests" / "data" / "police-uk" / "devon-and-cornwall"
CSV_HEADER = (
    "indicator,series,aim,unit,frequency,periods,to_period,year_to_date,previous_year_to_date,change,change_pct,"
    "target_to_date,gap_to_target,status"
)

BURGLARY = {2017: (110, 95, 100, 105, 98, 97, 99, 101, 96, 94, 92, 99), 2018: (100, 90, 120)}
HATE = {2017: (25, 30, 25, 27, 28, 26, 29, 24, 22, 23, 25, 26), 2018: (28, 35, 30)}
SATISFACTION = {2017: (80, 82, 83, 84, 85, 85, 85, 85, 85, 85, 85, 85), 2018: (80, 85, 90)}
INDICATORS: list[dict[str, Any]] = [
    {"name": "Burglary", "series": "Burglary", "aim": "reduce", "noun": "burglaries", "comment": "**Bold** comment"},
    {
        "name": "Hate incidents",
        "series": "Hate incidents",
        "aim": "increase",
        "target_cumulative": [30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330, 360],
    },
    {
        "name": "Satisfaction",
        "series": "Satisfaction",
        "unit": "percent",
        "aim": "increase",
        "target_each_month": 90,
    },
    {"name": "Referrals", "series": "DA referrals", "frequency": "quarterly", "aim": "increase"},
]


def month_rows(changes: dict[tuple[str, str], Any] | None = None) -> list[tuple[Any, ...]]:
    """April 2017 to June 2018: month, Burglary, Hate incidents, Satisfaction (a cell changed where asked)."""
    rows = []
    for year, count in ((2017, 12), (2018, 3)):
        for index in range(count):
            month = (3 + index) % 12 + 1
            label = f"{year + (month < 4)}-{month:02d}"
            values = [BURGLARY[year][index], HATE[year][index], SATISFACTION[year][index]]
            for column, name in enumerate(("Burglary", "Hate incidents", "Satisfaction")):
                values[column] = (changes or {}).get((label, name), values[column])
            rows.append((dt.datetime(year + (month < 4), month, 1), *values))
    return rows


def write_performance_inputs(
    inputs: Path,
    indicators: list[dict[str, Any]] | None = None,
    rows: list[tuple[Any, ...]] | None = None,
    **performance: Any,
) -> Path:
    inputs.mkdir(parents=True, exist_ok=True)
    write_settings(inputs, performance={"to_month": "2018-06", **performance, "indicators": indicators or INDICATORS})
    monthly = (("month", "Burglary", "Hate incidents", "Satisfaction"), rows or month_rows())
    quarterly = (("quarter", "DA referrals"), [("2017/18 Q1", 400), ("2017/18 Q2", 410), ("2018/19 Q1", 450)])
    write_crime(inputs, extra={"monthly": monthly, "quarterly": quarterly})
    return inputs


def performance_run(tmp_path: Path, *extra: str, inputs: Path | None = None) -> Result:
    folders = ["--inputs", str(inputs or tmp_path / "inputs"), "--outputs", str(tmp_path / "outputs")]
    return CliRunner().invoke(cli, ["performance", *folders, "--no-pdf", *extra], catch_exceptions=False)


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["indicator"]: row for row in csv.DictReader(handle)}


def document_text(path: Path) -> str:
    document = Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines.extend(" | ".join(cell.text for cell in row.cells) for row in table.rows)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Testshire update written once for the module: its performance folder; read it, never write into it."""
    tmp_path = tmp_path_factory.mktemp("performance")
    write_performance_inputs(tmp_path / "inputs")
    kept = tmp_path / "outputs" / "2018-19" / "ratings.csv"
    kept.parent.mkdir(parents=True)
    kept.write_text("kept\n", encoding="utf-8")
    result = performance_run(tmp_path)
    assert result.exit_code == 0, result.output
    return tmp_path / "outputs" / "2018-19" / "performance"


def test_writes_the_document_charts_and_csv_and_keeps_the_rest_of_the_year(written: Path) -> None:
    names = sorted(str(path.relative_to(written)) for path in written.rglob("*") if path.is_file())
    assert "performance_update.docx" in names and "performance.csv" in names
    for number, name in enumerate(("burglary", "hate-incidents", "satisfaction", "referrals"), start=1):
        for suffix in ("png", "svg", "csv"):
            assert f"charts/{number:02d}-{name}.{suffix}" in names
    assert "charts/index.csv" in names
    assert (written.parent / "ratings.csv").read_text(encoding="utf-8") == "kept\n"


def test_performance_csv_has_the_fixed_columns_and_hand_worked_values(written: Path) -> None:
    assert (written / "performance.csv").read_text(encoding="utf-8").splitlines()[0] == CSV_HEADER
    rows = read_csv(written / "performance.csv")
    burglary, hate, satisfaction, referrals = (
        rows[n] for n in ("Burglary", "Hate incidents", "Satisfaction", "Referrals")
    )
    assert [burglary[k] for k in ("periods", "to_period", "year_to_date", "previous_year_to_date", "change")] == [
        "3",
        "2018-06",
        "310",
        "305",
        "5",
    ]
    assert (burglary["change_pct"], burglary["status"], burglary["target_to_date"]) == ("1.6", "worsening", "")
    assert [hate[k] for k in ("change", "change_pct", "target_to_date", "gap_to_target", "status")] == [
        "13",
        "16.3",
        "90",
        "3",
        "on target",
    ]
    assert [satisfaction[k] for k in ("unit", "year_to_date", "previous_year_to_date", "change", "change_pct")] == [
        "percent",
        "85.0",
        "81.7",
        "3.3",
        "",
    ]
    assert (satisfaction["gap_to_target"], satisfaction["status"]) == ("-5.0", "behind target")
    assert [referrals[k] for k in ("frequency", "periods", "to_period", "year_to_date", "change", "status")] == [
        "quarterly",
        "1",
        "2018/19 Q1",
        "450",
        "50",
        "improving",
    ]


def test_the_document_opens_with_the_summary_and_writes_each_indicator(written: Path) -> None:
    text = document_text(written / "performance_update.docx")
    assert "Summary" in text
    assert "Burglary | 310 | 305 | +5 | +1.6% | Reduce | Worsening" in text
    assert "Hate incidents | 93 | 80 | +13 | +16.3% | Increase | On target" in text
    assert "Satisfaction | 85.0% | 81.7% | +3.3 points | – | Increase | Behind target (by 5.0 points)" in text
    assert (
        "Between April and June 2018 there were 310 burglaries, 5 more than in the same months of 2017/18 (305), "
        "up 1.6%." in text
    )
    assert "Bold comment" in text
    assert "Jun 2018 | 120 | 100 | +20 | 310 | 305" in text
    assert "{{" not in text and "{%" not in text


def test_every_chart_has_alt_text_in_the_document(written: Path) -> None:
    document = Document(str(written / "performance_update.docx"))
    descriptions = [element.get("descr") for element in document.element.body.iter() if element.tag.endswith("}docPr")]
    assert len(descriptions) == 4
    assert all(description and description.startswith("Line chart of ") for description in descriptions)
    with (written / "charts" / "index.csv").open(encoding="utf-8") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    assert titles[0] == "Burglary up 1.6% on last year"
    assert titles[1] == "Hate incidents: 3 above target"


def _caption_texts(path: Path) -> list[str]:
    """The text of every Caption paragraph of a Word document, field results included."""
    from docx.oxml.ns import qn

    document = Document(str(path))
    return [
        "".join(node.text or "" for node in paragraph._p.iter(qn("w:t")))
        for paragraph in document.paragraphs
        if paragraph.style is not None and paragraph.style.name == "Caption"
    ]


def test_figures_are_numbered_in_document_order_and_the_page_links_each_at_full_size(written: Path) -> None:
    # four indicators, each with a chart: Figure 1 to Figure 4 in the order of the indicators
    assert _caption_texts(written / "performance_update.docx") == [
        "Figure 1: Burglary up 1.6% on last year",
        "Figure 2: Hate incidents: 3 above target",
        "Figure 3: " + _chart_titles(written)[2],
        "Figure 4: " + _chart_titles(written)[3],
    ]
    from lxml import html as lxml_html

    page = lxml_html.fromstring((written / "performance_update.html").read_bytes())
    captions = [" ".join(node.text_content().split()) for node in page.iter("figcaption")]
    assert [caption.split(":")[0] for caption in captions] == ["Figure 1", "Figure 2", "Figure 3", "Figure 4"]
    links = [(a.get("href"), a.text_content()) for a in page.xpath("//p[@class='chart-link']/a")]
    assert links == [
        ("charts/01-burglary.svg", "Figure 1 at full size"),
        ("charts/02-hate-incidents.svg", "Figure 2 at full size"),
        ("charts/03-satisfaction.svg", "Figure 3 at full size"),
        ("charts/04-referrals.svg", "Figure 4 at full size"),
    ]
    for href, _ in links:
        assert (written / href).is_file()
    summaries = [" ".join(node.text_content().split()) for node in page.iter("summary")]
    assert summaries[:2] == ["Data for figure 1: Burglary", "Data for figure 2: Hate incidents"]


def _chart_titles(folder: Path) -> list[str]:
    with (folder / "charts" / "index.csv").open(encoding="utf-8") as handle:
        return [row["title"] for row in csv.DictReader(handle)]


def test_the_performance_folder_has_a_manifest_of_exactly_its_files(written: Path) -> None:
    import hashlib
    import json

    manifest = json.loads((written / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(path.relative_to(written).as_posix() for path in written.rglob("*") if path.is_file())
    assert manifest["outputs"] == files
    assert manifest["command"] == "performance"
    assert (manifest["settings"]["year"], manifest["settings"]["to_month"]) == ("2018/19", "2018-06")
    inputs = written.parents[2] / "inputs"
    listed = {entry["file"]: entry["sha256"] for entry in manifest["inputs"]}
    assert set(listed) == {"assessment.yaml", "crime_data.xlsx"}
    for name, digest in listed.items():
        assert hashlib.sha256((inputs / name).read_bytes()).hexdigest() == digest


def test_the_years_manifest_leaves_the_performance_folder_to_its_own(tmp_path: Path) -> None:
    """A generate after a performance run keeps the update, and the year's manifest does not list its files."""
    import json

    from .builders import write_workshop

    inputs = write_performance_inputs(tmp_path / "inputs", _indicator())
    write_workshop(inputs)
    assert performance_run(tmp_path).exit_code == 0
    folders = ["--inputs", str(inputs), "--outputs", str(tmp_path / "outputs")]
    result = CliRunner().invoke(cli, ["generate", *folders, "--no-pdf"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    year = tmp_path / "outputs" / "2018-19"
    manifest = json.loads((year / "manifest.json").read_text(encoding="utf-8"))
    own = sorted(
        path.relative_to(year).as_posix()
        for path in year.rglob("*")
        if path.is_file() and path.relative_to(year).parts[0] != "performance"
    )
    assert manifest["outputs"] == own
    assert manifest["described_by_their_own_manifest"] == ["performance/"]
    performance = json.loads((year / "performance" / "manifest.json").read_text(encoding="utf-8"))
    update = year / "performance"
    assert performance["outputs"] == sorted(
        path.relative_to(update).as_posix() for path in update.rglob("*") if path.is_file()
    )


def test_to_overrides_the_last_month(tmp_path: Path) -> None:
    write_performance_inputs(tmp_path / "inputs")
    result = performance_run(tmp_path, "--to", "2018-05")
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "outputs" / "2018-19" / "performance" / "performance.csv")
    assert (rows["Burglary"]["year_to_date"], rows["Burglary"]["previous_year_to_date"]) == ("190", "205")
    assert "Referrals" not in rows  # no quarter has ended by May
    place = "assessment.yaml › performance › indicators › 4"
    assert (
        f"Warning: {place}: Referrals: no quarter of 2018/19 has ended by May 2018, so it is left out" in result.output
    )
    text = document_text(tmp_path / "outputs" / "2018-19" / "performance" / "performance_update.docx")
    assert "Referrals: no quarter of 2018/19 has ended by May 2018, so it is left out of this update." in text


def test_formula_like_names_are_written_as_text(tmp_path: Path) -> None:
    indicators = [{"name": "=HYPERLINK(1)", "series": "Burglary", "aim": "reduce"}]
    write_performance_inputs(tmp_path / "inputs", indicators)
    assert performance_run(tmp_path).exit_code == 0
    text = (tmp_path / "outputs" / "2018-19" / "performance" / "performance.csv").read_text(encoding="utf-8")
    assert "\n'=HYPERLINK(1),Burglary," in text


BadCase = tuple[str, Callable[[Path], object], str]


def _indicator(**changes: Any) -> list[dict[str, Any]]:
    return [{**INDICATORS[0], **changes}]


BAD_INPUTS: list[BadCase] = [
    (
        "unknown aim",
        lambda inputs: write_performance_inputs(inputs, [INDICATORS[0], {**INDICATORS[1], "aim": "lower"}]),
        "assessment.yaml › performance › indicators › 2 › aim: 'lower' is not a known aim; use reduce, increase "
        "or monitor",
    ),
    (
        "target list not 12 numbers",
        lambda inputs: write_performance_inputs(inputs, _indicator(aim="increase", target_cumulative=[1, 2, 3])),
        "assessment.yaml › performance › indicators › 1 › target_cumulative: has 3 numbers, not 12",
    ),
    (
        "to_month outside the year",
        lambda inputs: write_performance_inputs(inputs, to_month="2019-04"),
        "assessment.yaml › performance › to_month: 2019-04 is outside the financial year 2018/19 "
        "(April 2018 to March 2019)",
    ),
    (
        "percent above 100",
        lambda inputs: write_performance_inputs(inputs, rows=month_rows({("2018-05", "Satisfaction"): 104})),
        "crime_data.xlsx › monthly › D15: percent 104 is above 100 (percent for 'Satisfaction')",
    ),
    (
        "text in a count cell",
        lambda inputs: write_performance_inputs(inputs, rows=month_rows({("2018-04", "Burglary"): "about 90"})),
        "crime_data.xlsx › monthly › B14: 'about 90' is not a number (count for 'Burglary')",
    ),
    (
        "a month missing inside the range",
        lambda inputs: write_performance_inputs(inputs, rows=month_rows({("2018-05", "Burglary"): None})),
        "crime_data.xlsx › monthly › B15: 'Burglary' has no figure for May 2018, a month inside the range",
    ),
    (
        "a series not in the sheet",
        lambda inputs: write_performance_inputs(inputs, _indicator(series="Burglaries")),
        "crime_data.xlsx › monthly › B1: series 'Burglaries' (indicator 'Burglary', performance › indicators › 1) "
        "is not a column; did you mean column 'Burglary'?",
    ),
    (
        "a target on a monitored indicator",
        lambda inputs: write_performance_inputs(inputs, _indicator(aim="monitor", target_each_month=90)),
        "assessment.yaml › performance › indicators › 1 › aim: is monitor, but a target is given",
    ),
]


@pytest.mark.parametrize(("case", "write", "message"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_stops_naming_the_place(
    tmp_path: Path, case: str, write: Callable[[Path], None], message: str
) -> None:
    write(tmp_path / "inputs")
    result = performance_run(tmp_path)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Nothing was written." in result.output
    assert not (tmp_path / "outputs" / "2018-19").exists()


def test_a_month_row_missing_is_named_where_it_belongs(tmp_path: Path) -> None:
    rows = [row for row in month_rows() if row[0] != dt.datetime(2018, 5, 1)]
    write_performance_inputs(tmp_path / "inputs", _indicator(), rows=rows)
    result = performance_run(tmp_path)
    assert result.exit_code == 2
    assert "crime_data.xlsx › monthly › no row for 2018-05 (between A14 and A15): 'Burglary' has no figure" in (
        result.output
    )


def test_to_outside_the_year_is_refused(tmp_path: Path) -> None:
    write_performance_inputs(tmp_path / "inputs")
    result = performance_run(tmp_path, "--to", "2018-13")
    assert result.exit_code == 2
    assert "--to: '2018-13' is not a month; write it as YYYY-MM" in result.output


def test_no_performance_section_says_what_to_add(tmp_path: Path) -> None:
    write_performance_inputs(tmp_path / "inputs")
    write_settings(tmp_path / "inputs")
    result = performance_run(tmp_path)
    assert result.exit_code == 2
    assert "assessment.yaml › performance: has no performance section" in result.output


def test_police_uk_monthly_series_by_crime_type() -> None:
    source = PoliceUkSettings(folder=TEST_POLICE_UK, area="Plymouth")
    table = read_police_uk_monthly(source, "2016-03", ProblemLog())
    by_month = table.set_index("month")
    # hand counts in tests/data/police-uk/README.md
    assert list(by_month["All crime"]) == [39, 23, 44]
    assert list(by_month["Anti-social behaviour"]) == [30, 13, 25]
    assert list(by_month["Violence and sexual offences"]) == [20, 10, 17]


def _count_plymouth(months: list[str]) -> tuple[int, int]:
    """All crime (ASB excluded) and ASB in Plymouth's LSOAs, counted row by row with the csv module."""
    crime = asb = 0
    for month in months:
        path = SHARED / month / f"{month}-devon-and-cornwall-street.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle)  # by column position, found from the header: twice as quick as DictReader
            header = next(rows)
            lsoa, kind = header.index("LSOA name"), header.index("Crime type")
            for row in rows:
                if not row[lsoa].startswith("Plymouth "):
                    continue
                if row[kind] == "Anti-social behaviour":
                    asb += 1
                else:
                    crime += 1
    return crime, asb


NOVEMBER_2017 = [f"2017-{month:02d}" for month in range(4, 12)]
NOVEMBER_2016 = [f"2016-{month:02d}" for month in range(4, 12)]


@pytest.fixture(scope="module")
def plymouth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``performance --no-pdf`` on the Plymouth example once for the module.

    Its performance folder; read it, never write into it. The PDF copy is made the same way whatever
    the figures are read from: the worked example's is checked (``performance_update_pdf``).
    """
    if not SHARED.is_dir():
        pytest.skip("the shared police.uk files are not beside the project")
    outputs = tmp_path_factory.mktemp("plymouth") / "outputs"
    example = ROOT / "inputs" / "examples" / "police-uk-plymouth"
    folders = ["--inputs", str(example), "--outputs", str(outputs)]
    result = CliRunner().invoke(cli, ["performance", *folders, "--no-pdf"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return outputs / "2017-18" / "performance"


def test_plymouth_example_to_november_2017_against_2016(plymouth: Path) -> None:
    """2017/18 to November 2017, the last month the files hold, against April to November 2016."""
    folder = plymouth
    names = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    assert {"performance_update.docx", "performance_update.html", "performance.csv", "manifest.json"} <= names
    assert len(list((folder / "charts").glob("*.png"))) == len(list((folder / "charts").glob("*.svg"))) == 5
    rows = read_csv(folder / "performance.csv")
    crime, asb = _count_plymouth(NOVEMBER_2017)
    crime_before, asb_before = _count_plymouth(NOVEMBER_2016)
    overall, disorder = rows["Overall crime"], rows["Anti-social behaviour"]
    assert (overall["year_to_date"], overall["previous_year_to_date"]) == (str(crime), str(crime_before))
    assert (disorder["year_to_date"], disorder["previous_year_to_date"]) == (str(asb), str(asb_before))
    assert overall["change"] == str(crime - crime_before)
    assert overall["status"] == ("worsening" if crime > crime_before else "improving")  # aim: reduce
    assert disorder["status"] == ("worsening" if asb > asb_before else "improving")
    assert {row["to_period"] for row in rows.values()} == {"2017-11"}
    assert {row["periods"] for row in rows.values()} == {"8"}
    assert rows["Violence and sexual offences"]["status"] == "monitor only"


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed")
def test_the_pdf_copy_is_made(performance_update_pdf: Path) -> None:
    """The worked example's update, made once for the run (its PDF/UA-1 check is in test_templates_pdf.py)."""
    assert performance_update_pdf.relative_to(performance_update_pdf.parents[2]).as_posix() == (
        "2018-19/performance/performance_update.pdf"
    )
    assert performance_update_pdf.read_bytes().startswith(b"%PDF")


def test_a_percent_series_may_hold_decimals_for_every_command(tmp_path: Path) -> None:
    """The assessment reads the monthly sheet too: a percent indicator's column is not taken for counts."""
    from .builders import write_workshop

    inputs = write_performance_inputs(tmp_path / "inputs", rows=month_rows({("2018-05", "Satisfaction"): 87.5}))
    write_workshop(inputs)
    validate = CliRunner().invoke(cli, ["validate", "--inputs", str(inputs)])
    assert validate.exit_code == 0, validate.output
    assert performance_run(tmp_path).exit_code == 0
    write_settings(inputs)  # no performance section: the column is a count column like any other
    refused = CliRunner().invoke(cli, ["validate", "--inputs", str(inputs)])
    assert refused.exit_code == 2
    assert "crime_data.xlsx › monthly › D15: count 87.5 is not a whole number" in refused.output


def test_a_title_row_above_the_header_is_allowed(tmp_path: Path) -> None:
    inputs = write_performance_inputs(tmp_path / "inputs", _indicator())
    rows = [("Testshire monthly figures", None, None, None), ("month", "Burglary", "Hate incidents", "Satisfaction")]
    write_crime(inputs, extra={"monthly": (rows[0], [rows[1], *month_rows({("2018-05", "Burglary"): None})])})
    result = performance_run(tmp_path)
    assert result.exit_code == 2
    assert "crime_data.xlsx › monthly › B16: 'Burglary' has no figure for May 2018" in result.output  # one row down


def test_validate_checks_the_performance_section_too(tmp_path: Path) -> None:
    from .builders import write_workshop

    inputs = write_performance_inputs(tmp_path / "inputs", _indicator(series="Burglaries"))
    write_workshop(inputs)
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(inputs), "--outputs", str(tmp_path / "outputs")])
    assert result.exit_code == 2
    assert "crime_data.xlsx › monthly › B1: series 'Burglaries' (indicator 'Burglary'" in result.output
    assert not (tmp_path / "outputs").exists()
    write_performance_inputs(inputs)
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(inputs), "--outputs", str(tmp_path / "outputs")])
    assert result.exit_code == 0, result.output
    assert "Performance update: 4 indicators to 2018-06." in result.output


def test_figures_line_up_right_in_both_editions(written: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from lxml import html as lxml_html

    document = Document(str(written / "performance_update.docx"))
    summary = next(t for t in document.tables if t.rows[0].cells[0].text == "Indicator")
    burglary = next(row for row in summary.rows if row.cells[0].text == "Burglary")
    aligned = [cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for cell in burglary.cells]
    # indicator | year to date | last year | change | % change | aim | status: the four figures to the right
    assert aligned == [False, True, True, True, True, False, False]
    months = next(t for t in document.tables if t.rows[0].cells[0].text == "Month")
    assert all(cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for cell in months.rows[1].cells[1:])
    page = lxml_html.fromstring((written / "performance_update.html").read_bytes())
    table = page.xpath("//table")[0]
    heads = [("num" in (th.get("class") or "")) for th in table.xpath(".//thead//th")]
    assert heads == [False, True, True, True, True, False, False]
