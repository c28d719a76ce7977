"""Edge cases found on a second read: layouts and inputs that must neither crash nor lose anything."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from strategic_assessment.charts import annual_trend_chart, risk_matrix_chart, seasonality_chart
from strategic_assessment.cli import cli
from strategic_assessment.errors import ProblemLog
from strategic_assessment.ingest.police_uk import read_police_uk
from strategic_assessment.settings import PoliceUkSettings

from .builders import MORILE_FACTORS, write_crime, write_inputs, write_settings

EXTRACT_FILE = (
    Path(__file__).parent
    / "data"
    / "police-uk"
    / "devon-and-cornwall"
    / "2016-01"
    / "2016-01-devon-and-cornwall-street.csv"
)


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def test_an_inputs_folder_named_like_the_year_folder_is_never_replaced(tmp_path: Path) -> None:
    # inputs at K/2018-19 and outputs at K: the year's folder would be the inputs folder itself
    inputs = write_inputs(tmp_path / "K" / "2018-19")
    before = digests(inputs)
    for command in ("generate", "score"):
        extra = ["--no-pdf"] if command == "generate" else []
        result = CliRunner().invoke(
            cli, [command, "--inputs", str(inputs), "--outputs", str(tmp_path / "K"), *extra], catch_exceptions=False
        )
        assert result.exit_code == 2, result.output
        assert "would touch the inputs folder" in result.output
    assert digests(inputs) == before


def test_outputs_beside_the_inputs_are_fine(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    result = CliRunner().invoke(cli, ["score", "--inputs", str(inputs), "--outputs", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "2018-19" / "ratings.csv").is_file()


def test_risk_matrix_with_group_labels_that_have_spaces() -> None:
    points = [("Burglary", 5, 2, "Standard"), ("Domestic abuse", 10, 3, "High")]
    spec = risk_matrix_chart(
        points, ("Impact", "Adjusted likelihood"), ((0, 12), (1, 3)), ["High", "Standard"], "2018/19", "Testshire", "s"
    )
    assert spec is not None
    assert "Domestic abuse (impact 10, adjusted likelihood 3)" in spec.alt_text
    from strategic_assessment.charts import figure

    figure(spec)  # draws without looking columns up as attributes


def test_annual_trend_title_compares_only_the_year_before() -> None:
    # 2017/18 blank: 2018/19 (23,729) must not be compared with 2016/17 (21,200)
    annual = pd.DataFrame({"2016/17": [21200], "2017/18": [pd.NA], "2018/19": [23729]}, index=["All crime"]).astype(
        "Int64"
    )
    spec = annual_trend_chart(annual, ("2016/17", "2017/18", "2018/19"), "All crime", "Testshire", "s")
    assert spec is not None
    assert spec.title == "Recorded crime was 23,729 in 2018/19; no comparable figure for the year before"


def test_seasonality_uses_only_complete_years_and_names_them() -> None:
    # 2016-04 .. 2019-03 held, one month (2018-07) blank: 2018/19 is incomplete, so 2016/17 and 2017/18 are used
    months = [str(p) for p in pd.period_range("2016-04", "2019-03", freq="M")]
    values = [100] * len(months)
    monthly = pd.DataFrame({"month": months, "All crime": values}).astype({"All crime": "Int64"})
    monthly.loc[monthly["month"] == "2018-07", "All crime"] = pd.NA
    spec = seasonality_chart(monthly, "All crime", "2019-03", "Testshire", "s")
    assert spec is not None
    assert "averaged over 2 years, 2016/17 to 2017/18" in spec.alt_text
    assert spec.subtitle.endswith("Testshire, 2016/17 to 2017/18")


def test_blank_monthly_counts_are_warned(run: Callable[..., Result], inputs: Path) -> None:
    months = [dt.datetime(2018, m, 1) for m in range(4, 13)] + [dt.datetime(2019, m, 1) for m in (1, 2, 3)]
    rows = [(month, None if month.month == 7 else 90) for month in months]
    write_crime(inputs, extra={"monthly": (("month", "All crime"), rows)})
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "series 'All crime' has no count for 2018-07 (left as gaps, not filled)" in result.output


def test_short_rows_in_optional_sheets_are_read(run: Callable[..., Result], inputs: Path) -> None:
    # month in column B, and a comparators row whose only value is in column A
    monthly = (("note", "month", "All crime"), [(None, "2018-04", 90), ("Total",)])
    comparators = (("rate_per_1000", "partnership"), [(88.0, "Testshire"), (95.5,)])
    write_crime(inputs, extra={"monthly": monthly, "comparators": comparators})
    result = run("validate")
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    assert "crime_data.xlsx › monthly › B3: '' is not a month" in result.output


def test_period_end_outside_the_year_is_a_problem(run: Callable[..., Result], inputs: Path) -> None:
    write_settings(inputs, period_end="2018-03-31")
    result = run("validate")
    assert result.exit_code == 2
    assert "assessment.yaml › period_end: 2018-03-31 is not in the financial year of `year` 2018/19" in result.output


def test_an_empty_population_is_a_problem(run: Callable[..., Result], inputs: Path) -> None:
    write_settings(inputs, population={})
    result = run("validate")
    assert result.exit_code == 2
    assert "assessment.yaml › population: has no `persons` base" in result.output


def test_previous_factor_values_outside_the_range_are_problems(run: Callable[..., Result], inputs: Path) -> None:
    previous = inputs / "previous"
    previous.mkdir()
    header = ["theme", "threat", "rating", "score", *MORILE_FACTORS]
    row = ["Drugs", "Old threat", "High", "360", *["9"] * len(MORILE_FACTORS)]
    (previous / "ratings.csv").write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    result = run("score", "--carry-forward")
    assert result.exit_code == 2, result.output
    assert "previous/ratings.csv › row 2, column physical: physical 9 is outside 0-3" in result.output


def test_two_filled_templates_can_be_used_together(tmp_path: Path, run: Callable[..., Result], inputs: Path) -> None:
    # each workshop-template workbook carries a blank themes sheet; only the Testshire one has narrative
    template = tmp_path / "blank.xlsx"
    result = CliRunner().invoke(cli, ["workshop-template", "--inputs", str(inputs), "-o", str(template)])
    assert result.exit_code == 0, result.output
    book = load_workbook(template)
    sheet = book["scores"]
    sheet.protection.sheet = False
    for row in range(2, 6):
        for column in range(4, 13):
            if sheet.cell(row=row, column=column).value is None:
                sheet.cell(row=row, column=column).value = 1
    book.save(inputs / "workshops" / "workshop-2.xlsx")
    scored = run("score")
    assert scored.exit_code == 0, scored.output
    assert "themes sheet is also in" not in scored.output


def test_allow_gaps_never_compares_a_short_year(tmp_path: Path) -> None:
    # 24 monthly files (2016-04 .. 2018-03), each the same extract; 2017-09 removed from the current year
    folder = tmp_path / "force"
    for month in pd.period_range("2016-04", "2018-03", freq="M"):
        if str(month) == "2017-09":
            continue
        target = folder / str(month) / f"{month}-devon-and-cornwall-street.csv"
        target.parent.mkdir(parents=True)
        shutil.copyfile(EXTRACT_FILE, target)
    log = ProblemLog()
    source = PoliceUkSettings(folder=folder, area="Plymouth", allow_gaps=True)
    data = read_police_uk(source, "2017/18", dt.date(2018, 3, 31), log, None)
    assert data.annual["2016/17"].isna().all()
    assert not data.annual["2017/18"].isna().all()
