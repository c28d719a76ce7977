"""Hostile inputs: huge numbers, YAML bombs and duplicates, wrong kinds of value, model edits, bad options.

Every case is a hand-made bad file on the Testshire inputs (tests/builders.py)
run through the command line in-process. A refused case must exit 2 from
``validate``, ``score`` and ``generate`` alike (so nothing passes ``validate``
that ``generate`` refuses), name its place (file › sheet › cell, or file ›
key / line), print no traceback, and write nothing. An accepted case is a
decision, and its test says which.

Cells of ``workshops/workshop-1.xlsx › scores``: A theme, B threat, C data_row,
D physical ... L capability, M override_rating, N override_reason, O
scored_year; rows 2-5 Hate crime, Domestic abuse, Burglary, County lines.
``crime_data.xlsx › annual``: A crime_type, B theme, C denominator, D 2017/18,
E 2018/19; rows 2-5 All crime, Hate crime, Burglary, Domestic abuse crimes.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from strategic_assessment import cli as cli_module
from strategic_assessment.cli import cli
from strategic_assessment.errors import Problem, ProblemLog, shown
from strategic_assessment.ingest.excel import open_workbook
from strategic_assessment.ingest.fields import text_cell
from strategic_assessment.limits import MAX_SHOWN_CHARACTERS

from .builders import (
    ANNUAL_ROWS,
    SCORE_HEADER,
    SCORE_ROWS,
    SETTINGS,
    THEME_HEADER,
    THEME_ROWS,
    replace_row,
    write_crime,
    write_settings,
    write_workbook,
    write_workshop,
)
from .shared_reading import models_read_once

Run = Callable[..., Result]
WORKSHOP = "workshops/workshop-1.xlsx"
MORILE = Path(__file__).resolve().parent.parent / "models" / "morile.yaml"
MONTHS = [f"{year}-{month:02d}" for year, month in [(2017 + (m + 3) // 12, (m + 3) % 12 + 1) for m in range(24)]]


@pytest.fixture(scope="module", autouse=True)
def _models_read_once() -> Iterator[None]:
    """The shipped model, the same in every test here, is read and checked once (tests/shared_reading.py)."""
    with models_read_once():
        yield


def invoke(inputs: Path, outputs: Path, *args: str) -> Result:
    command, *rest = args
    return CliRunner().invoke(cli, [command, "--inputs", str(inputs), "--outputs", str(outputs), *rest])


def refused(tmp_path: Path, *expected: str, commands: tuple[str, ...] = ("validate", "score", "generate")) -> str:
    """Every command exits 2 with each expected text in its message, no traceback, nothing written."""
    output = ""
    for command in commands:
        extra = ("--no-pdf",) if command == "generate" else ()
        result = invoke(tmp_path / "inputs", tmp_path / "outputs", command, *extra)
        output = result.output
        assert result.exit_code == 2, f"{command}: exit {result.exit_code}\n{output}"
        assert "Traceback" not in output and "Internal error" not in output, output
        for text in expected:
            assert text in output, f"{command}: expected\n  {text}\nin\n{output}"
        assert not (tmp_path / "outputs" / "2018-19").exists(), f"{command} wrote outputs"
    return output


def accepted(tmp_path: Path, command: str = "validate") -> Result:
    result = invoke(tmp_path / "inputs", tmp_path / "outputs", command)
    assert result.exit_code == 0, result.output
    return result


def settings_text(inputs: Path, text: str) -> None:
    (inputs / "assessment.yaml").write_text(text, encoding="utf-8")


def base_yaml(**changes: Any) -> str:
    return yaml.safe_dump({**SETTINGS, **changes}, allow_unicode=True, sort_keys=False)


# --- numbers range-checked before they reach pandas ----------------------------------------------


def monthly_rows(changed: dict[int, Any]) -> list[tuple[Any, ...]]:
    """24 months (2017-04 to 2019-03) of 90 crimes; ``changed`` maps a sheet row (2 = first month) to a count."""
    return [(month, changed.get(index + 2, 90)) for index, month in enumerate(MONTHS)]


def test_a_count_too_large_for_an_integer_column_is_refused_naming_the_cell(inputs: Path, tmp_path: Path) -> None:
    monthly = (("month", "All crime"), monthly_rows({14: 9223372036854775808}))
    write_crime(inputs, extra={"monthly": monthly})
    refused(
        tmp_path,
        "crime_data.xlsx › monthly › B14: count 9,223,372,036,854,775,808 is outside the allowed range "
        "0 to 1,000,000,000; enter the number of crimes, a whole number from 0 to 1,000,000,000",
    )


def test_a_count_of_1e30_in_the_neighbourhoods_sheet_is_refused_naming_the_cell(inputs: Path, tmp_path: Path) -> None:
    rows = [(f"Ward {n}", 5000, 1e30 if n == 7 else 40) for n in range(1, 9)]  # Ward 7 is row 8
    write_crime(inputs, extra={"neighbourhoods": (("neighbourhood", "population", "crimes"), rows)})
    refused(
        tmp_path, "crime_data.xlsx › neighbourhoods › C8: count 1e+30 is outside the allowed range 0 to 1,000,000,000"
    )


def test_the_largest_count_allowed_is_accepted(inputs: Path, tmp_path: Path) -> None:
    rows = replace_row(ANNUAL_ROWS, 0)
    rows[0] = ("All crime", None, None, 1000, 1_000_000_000)
    write_crime(inputs, rows=rows)
    accepted(tmp_path)


def test_a_population_beyond_the_range_is_refused_naming_the_key(inputs: Path, tmp_path: Path) -> None:
    write_settings(inputs, population={"persons": 10**12, "adults": 80000})
    refused(tmp_path, "assessment.yaml › population.persons: 1000000000000 is not a population")


def test_a_neighbourhood_population_beyond_the_range_is_refused(inputs: Path, tmp_path: Path) -> None:
    rows = [("Ward 1", 2 * 10**9, 40), ("Ward 2", 5000, 40)]
    write_crime(inputs, extra={"neighbourhoods": (("neighbourhood", "population", "crimes"), rows)})
    refused(tmp_path, "crime_data.xlsx › neighbourhoods › B2: population 2,000,000,000 is outside the allowed range")


def test_a_decimal_comma_is_refused_as_ambiguous_with_the_fix(inputs: Path, tmp_path: Path) -> None:
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 0, physical="6,5"))
    refused(
        tmp_path,
        "workshops/workshop-1.xlsx › scores › D2: physical '6,5' is ambiguous: a comma is a thousands separator "
        "here, never a decimal point (write 6.5 for the decimal, or 65 for the whole number)",
    )


def test_a_thousands_separator_is_accepted(inputs: Path, tmp_path: Path) -> None:
    rows = [tuple(row) for row in ANNUAL_ROWS]
    rows[0] = ("All crime", None, None, "1,000", "1,100")
    write_crime(inputs, rows=rows)
    accepted(tmp_path, "score")
    text = (tmp_path / "outputs" / "2018-19" / "data" / "annual.csv").read_text(encoding="utf-8")
    assert "All crime" in text and ",1100," in text and ",1000," in text


# --- YAML read with limits -------------------------------------------------------------------------


def alias_bomb(levels: int = 9) -> str:
    lines = ["partnership: Testshire", "year: 2018/19", "period_end: 2019-03-31", "population: {persons: 100000}"]
    lines.append('a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]')
    for level in range(1, levels + 1):
        previous = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{previous}]")
    lines.append(f"introduction: *a{levels}")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_at_once_naming_the_line(inputs: Path, tmp_path: Path) -> None:
    settings_text(inputs, alias_bomb())
    started = time.perf_counter()
    output = refused(
        tmp_path,
        "assessment.yaml › line 6: uses the alias *a0; aliases (& and *) are not accepted; "
        "write the value out in full where it is needed",
    )
    assert time.perf_counter() - started < 20  # three commands; expanded, the file is a billion values
    assert len(output) < 1000


def test_a_200000_character_value_is_refused_and_never_echoed_whole(inputs: Path, tmp_path: Path) -> None:
    settings_text(inputs, base_yaml(introduction="x" * 200_000))
    output = refused(tmp_path, "`introduction` is 200,000 characters long (at most 20,000)")
    assert "x" * (MAX_SHOWN_CHARACTERS + 1) not in output
    assert len(output) < 1000


def test_a_key_given_twice_is_refused_naming_both_lines(inputs: Path, tmp_path: Path) -> None:
    settings_text(inputs, base_yaml() + "partnership: Another Partnership\n")
    refused(
        tmp_path,
        "assessment.yaml › line 13: key `partnership` is given twice (line 1 and line 13); "
        "keep one: the second would silently replace the first",
    )


def test_a_nested_key_given_twice_is_refused_with_its_path(inputs: Path, tmp_path: Path) -> None:
    text = base_yaml().replace("  persons: 100000\n", "  persons: 100000\n  persons: 90000\n")
    settings_text(inputs, text)
    refused(tmp_path, "key `population.persons` is given twice (line 7 and line 8)")


def test_a_control_character_in_a_setting_is_refused_by_name(inputs: Path, tmp_path: Path) -> None:
    settings_text(inputs, base_yaml().replace("Testshire Community Safety Partnership", '"Testshire\\a"', 1))
    refused(tmp_path, "assessment.yaml › line 1: `partnership` holds the control character U+0007 (BELL)")


def test_tabs_and_line_breaks_in_a_setting_are_accepted(inputs: Path, tmp_path: Path) -> None:
    settings_text(inputs, base_yaml(introduction="First line.\n\tSecond line."))
    accepted(tmp_path)


def test_a_settings_file_over_the_size_limit_is_refused(inputs: Path, tmp_path: Path) -> None:
    settings_text(inputs, base_yaml() + "".join(f"# {'padding ' * 12}\n" for _ in range(30_000)))
    refused(tmp_path, "assessment.yaml: is 2,970,258 bytes, more than the 2,000,000")


def test_an_over_long_key_is_refused_naming_the_line(inputs: Path, tmp_path: Path) -> None:
    settings_text(inputs, base_yaml() + f"{'k' * 300}: 1\n")
    refused(tmp_path, "assessment.yaml › line 13: key 'kkkk", "is 300 characters long (at most 100)")


def test_an_author_over_words_limit_is_refused_and_255_accepted(inputs: Path, tmp_path: Path) -> None:
    write_settings(inputs, author="A" * 256)
    refused(tmp_path, "assessment.yaml › author: is 256 characters long (at most 255)")
    write_settings(inputs, author="A" * 255)
    accepted(tmp_path)


def test_the_document_title_stays_within_words_limit(inputs: Path, tmp_path: Path) -> None:
    write_settings(inputs, partnership="P" * 151)
    refused(tmp_path, "assessment.yaml › partnership: is 151 characters long (at most 150)")


# --- settings values of the wrong kind or out of range ------------------------------------------


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        (
            {"average_rate": 60.0, "rank": 40, "family_size": -5},
            "assessment.yaml › most_similar_family.family_size: -5 is outside 1 to 1,000",
        ),
        (
            {"average_rate": 60.0, "rank": 40, "family_size": 15},
            "assessment.yaml › most_similar_family.rank: 40 is outside 1 to 15",
        ),
        ({"average_rate": 60.0, "rank": 0}, "assessment.yaml › most_similar_family.rank: 0 is outside 1 to 1,000"),
        (
            {"average_rate": float("nan"), "rank": 3},
            "assessment.yaml › most_similar_family.average_rate: should be a number, not nan",
        ),
    ],
    ids=["negative family size", "rank beyond family", "rank 0", "nan rate"],
)
def test_most_similar_family_out_of_range_is_refused(
    inputs: Path, tmp_path: Path, family: dict[str, Any], expected: str
) -> None:
    write_settings(inputs, most_similar_family=family)
    refused(tmp_path, expected)


def test_a_model_file_outside_the_inputs_folder_is_refused(inputs: Path, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(MORILE.read_text(encoding="utf-8"), encoding="utf-8")
    write_settings(inputs, model="../x.yaml")
    refused(
        tmp_path,
        "assessment.yaml › model: model '../x.yaml' is outside the inputs folder; copy the model file into the "
        "inputs folder",
    )


def test_a_model_linked_from_outside_the_inputs_folder_is_refused(inputs: Path, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(MORILE.read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "mine.yaml").symlink_to(tmp_path / "x.yaml")
    write_settings(inputs, model="mine.yaml")
    refused(tmp_path, "assessment.yaml › model: model 'mine.yaml' is outside the inputs folder")


def test_a_model_file_inside_the_inputs_folder_is_read(inputs: Path, tmp_path: Path) -> None:
    (inputs / "mine.yaml").write_text(MORILE.read_text(encoding="utf-8"), encoding="utf-8")
    write_settings(inputs, model="mine.yaml")
    accepted(tmp_path)


# --- model edits -------------------------------------------------------------------------------------


def model_with(inputs: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(MORILE.read_text(encoding="utf-8"))
    change(data)
    (inputs / "edited.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    write_settings(inputs, model="edited.yaml")


def test_a_nan_min_score_is_refused_naming_the_key(inputs: Path, tmp_path: Path) -> None:
    model_with(inputs, lambda data: data["ratings"][0].update(min_score=float("nan")))
    refused(tmp_path, "edited.yaml › ratings[1].min_score: nan is not a number; give the lowest score")


def test_an_int_where_a_list_belongs_is_refused_naming_the_key(inputs: Path, tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["display_columns"][0]["bands"] = 5
        data["score"]["plus"] = 7

    model_with(inputs, change)
    refused(
        tmp_path,
        "edited.yaml › display_columns[1].bands: must be a list of bands, not 5",
        "edited.yaml › score.plus: must be a list of groups, not 7",
    )


def test_two_ratings_with_one_name_are_refused(inputs: Path, tmp_path: Path) -> None:
    model_with(inputs, lambda data: data["ratings"][1].update(name="high"))
    refused(tmp_path, "edited.yaml › ratings[2].name: rating 'high' is listed twice")


def test_an_empty_rating_name_is_refused(inputs: Path, tmp_path: Path) -> None:
    model_with(inputs, lambda data: data["ratings"][1].update(name="  "))
    refused(tmp_path, "edited.yaml › ratings[2]: needs a name")


def test_a_factor_range_that_would_exhaust_memory_is_refused(inputs: Path, tmp_path: Path) -> None:
    model_with(inputs, lambda data: data["factors"][0].update(range=[1, 1_000_000_000]))
    started = time.perf_counter()
    refused(tmp_path, "edited.yaml › factors.physical.range: [1, 1000000000] is not a whole-number range within 0-100")
    assert time.perf_counter() - started < 20


def test_the_widest_factor_range_allowed_is_accepted_by_the_model(inputs: Path) -> None:
    from strategic_assessment.model import load_model

    model_with(inputs, lambda data: data["factors"][0].update(range=[0, 100]))
    assert load_model(inputs / "edited.yaml").factor("physical").high == 100


def test_a_model_with_an_alias_is_refused_naming_the_model_file(inputs: Path, tmp_path: Path) -> None:
    text = MORILE.read_text(encoding="utf-8") + "extra: &x [1]\nmore: *x\n"
    (inputs / "edited.yaml").write_text(text, encoding="utf-8")
    write_settings(inputs, model="edited.yaml")
    refused(tmp_path, "edited.yaml › line", "uses the alias *x")


# --- cells of the wrong kind ------------------------------------------------------------------------


def test_a_date_in_a_theme_cell_of_the_annual_sheet_is_refused(inputs: Path, tmp_path: Path) -> None:
    rows = [tuple(row) for row in ANNUAL_ROWS]
    rows[1] = ("Hate crime", dt.datetime(2019, 1, 1), None, 200, 250)
    write_crime(inputs, rows=rows)
    refused(tmp_path, "crime_data.xlsx › annual › B3: theme holds the date 01/01/2019, not text")


def test_a_date_in_a_threat_cell_is_refused(inputs: Path, tmp_path: Path) -> None:
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, threat=dt.datetime(2019, 3, 1)))
    output = refused(tmp_path, "workshops/workshop-1.xlsx › scores › B5: threat holds the date 01/03/2019, not text")
    assert "threat is blank" not in output  # one problem for one cell


def test_a_number_in_a_name_cell_is_read_as_text_with_a_warning(inputs: Path, tmp_path: Path) -> None:
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, threat=42))
    result = accepted(tmp_path)
    assert "workshops/workshop-1.xlsx › scores › B5: threat is the number 42; read as the name '42'" in result.output


def test_a_number_in_a_narrative_cell_is_read_as_text_without_a_warning(inputs: Path, tmp_path: Path) -> None:
    themes = [(*row[:3], 12.5, *row[4:]) if row[0] == "Drugs" else row for row in THEME_ROWS]
    write_workbook(inputs / WORKSHOP, {"scores": (SCORE_HEADER, SCORE_ROWS), "themes": (THEME_HEADER, themes)})
    result = accepted(tmp_path)
    assert "impact" not in result.output


def test_true_in_a_name_cell_is_refused(inputs: Path, tmp_path: Path) -> None:
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 0, theme=True))
    refused(tmp_path, "workshops/workshop-1.xlsx › scores › A2: theme is TRUE, not text")


def test_a_formula_with_no_saved_value_in_a_text_cell_is_refused(inputs: Path, tmp_path: Path) -> None:
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 2, override_reason="=A1&B1", override_rating="High"))
    refused(tmp_path, "workshops/workshop-1.xlsx › scores › N4: override reason formula =A1&B1 has no saved value")


def test_a_formula_with_no_saved_value_in_a_crime_type_cell_is_refused(inputs: Path, tmp_path: Path) -> None:
    rows = [tuple(row) for row in ANNUAL_ROWS]
    rows[2] = ("=UPPER(B4)", "Acquisitive crime", None, 300, 300)
    write_crime(inputs, rows=rows)
    output = refused(tmp_path, "crime_data.xlsx › annual › A4: crime type formula =UPPER(B4) has no saved value")
    assert "crime type is blank" not in output


def test_a_control_character_in_a_cell_is_refused(inputs: Path) -> None:
    # openpyxl will not write one, but a workbook can hold one (as _x001B_): read the cell's value directly
    book = open_workbook(inputs / WORKSHOP, WORKSHOP)
    sheet = book.sheet("scores")
    log = ProblemLog()
    assert text_cell(book, sheet, 5, 2, "County\x1blines", "threat", log) == ""
    assert [str(p) for p in log.problems] == [
        "workshops/workshop-1.xlsx › scores › B5: threat holds the control character U+001B: 'County\\x1blines'; "
        "delete it (it is invisible; retype the text if unsure)"
    ]


def test_a_misspelt_themes_header_is_named_with_did_you_mean(inputs: Path, tmp_path: Path) -> None:
    header = tuple("recomendation" if name == "recommendation" else name for name in THEME_HEADER)
    write_workbook(inputs / WORKSHOP, {"scores": (SCORE_HEADER, SCORE_ROWS), "themes": (header, THEME_ROWS)})
    refused(
        tmp_path,
        "workshops/workshop-1.xlsx › themes › H1: column 'recomendation' is not a column of this sheet; "
        "did you mean 'recommendation'?; rename it 'recommendation'",
    )


def test_an_unrelated_extra_themes_column_is_warned_about(inputs: Path, tmp_path: Path) -> None:
    header = (*THEME_HEADER, "notes")
    rows = [(*row, "a note") for row in THEME_ROWS]
    write_workbook(inputs / WORKSHOP, {"scores": (SCORE_HEADER, SCORE_ROWS), "themes": (header, rows)})
    result = accepted(tmp_path)
    assert (
        "workshops/workshop-1.xlsx › themes › I1: column 'notes' is not a column of the themes sheet" in result.output
    )


def test_a_misspelt_optional_scores_header_is_named(inputs: Path, tmp_path: Path) -> None:
    header = tuple("overide_reason" if name == "override_reason" else name for name in SCORE_HEADER)
    write_workshop(inputs, header=header)
    refused(tmp_path, "workshops/workshop-1.xlsx › scores › N1: column 'overide_reason' is not a column of this sheet")


def test_a_broken_link_and_a_folder_named_xlsx_in_workshops_are_named(inputs: Path, tmp_path: Path) -> None:
    (inputs / "workshops" / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    (inputs / "workshops" / "folder.xlsx").mkdir()
    refused(
        tmp_path,
        "workshops/gone.xlsx: is not read: it is a link to a file that no longer exists",
        "workshops/folder.xlsx: is not read: it is a folder, not a file",
    )


# --- options, crash logs, message lengths -----------------------------------------------------------


@pytest.mark.parametrize("command", ["generate", "performance", "watch"])
@pytest.mark.parametrize("value", ["nan", "-5", "0", "inf"])
def test_a_pdf_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(
    inputs: Path, tmp_path: Path, value: str, command: str
) -> None:
    result = invoke(inputs, tmp_path / "outputs", command, "--pdf-timeout", value)
    assert result.exit_code == 2, result.output
    assert "--pdf-timeout" in result.output and "is not a number of seconds above 0" in result.output
    assert "Traceback" not in result.output


def test_two_crash_logs_in_the_same_second_are_two_files() -> None:
    try:
        raise RuntimeError("first")
    except RuntimeError:
        first = cli_module._crash_log()
    try:
        raise RuntimeError("second")
    except RuntimeError:
        second = cli_module._crash_log()
    try:
        assert first != second
        assert "first" in first.read_text(encoding="utf-8") and "second" in second.read_text(encoding="utf-8")
    finally:
        first.unlink()
        second.unlink()


def test_a_message_quotes_at_most_80_characters_of_a_value() -> None:
    assert shown("y" * 500) == "y" * 79 + "…"
    assert shown("short") == "short"
    assert shown([1] * 10**6) == "a list of 1000000 items"  # never expanded for printing
    problem = Problem("f", "z" * 10**6)
    assert len(str(problem)) < 600


def test_a_dollar_sign_in_a_crime_type_is_drawn_as_text_not_tex() -> None:
    import pandas as pd
    from matplotlib.text import Text

    from strategic_assessment.charts import ChartSpec, figure

    data = pd.DataFrame({"crime_type": ["Cost $5 to $10", "Other"], "count": [5, 3]})
    spec = ChartSpec(
        name="by-type",
        kind="hbars",
        title="Cost $5 to $10 is the most common",
        subtitle="Crimes, Testshire, 2018/19",
        source="Source: police",
        alt_text="Bars",
        data=data,
        options={"y": "crime_type", "x": "count"},
    )
    fig = figure(spec)
    fig.canvas.draw()  # tick labels (the crime types) are made when the chart is drawn
    labels = [*fig.texts, *fig.axes[0].get_yticklabels()]
    texts: list[Any] = [text for text in labels if isinstance(text, Text) and "$" in text.get_text()]
    assert len(texts) >= 2, "the title and the crime type label should both be on the chart"
    for text in texts:
        assert text._preprocess_math(text.get_text()) == (text.get_text(), False)


def test_the_dollar_test_fails_when_maths_parsing_is_on() -> None:
    from matplotlib.figure import Figure

    text: Any = Figure().text(0, 0, "Cost $5 to $10", parse_math=True)
    assert text._preprocess_math(text.get_text()) != (text.get_text(), False)


def test_a_threat_named_like_a_formula_is_text_in_the_workshop_template(inputs: Path, tmp_path: Path) -> None:
    threats = tmp_path / "threats.csv"
    threats.write_text('theme,threat\nDrugs,"=HYPERLINK(""http://x.test"",""y"")"\n=Theme,@Threat\n', encoding="utf-8")
    output = tmp_path / "template.xlsx"
    result = invoke(inputs, tmp_path / "outputs", "workshop-template", "-o", str(output), "--threats", str(threats))
    assert result.exit_code == 0, result.output
    book = load_workbook(output)
    sheet = book["scores"]
    assert [sheet.cell(row=row, column=2).value for row in (2, 3)] == ['\'=HYPERLINK("http://x.test","y")', "'@Threat"]
    assert sheet.cell(row=3, column=1).value == "'=Theme"
    assert book["themes"].cell(row=3, column=1).value == "'=Theme"
    assert all(cell.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for cell in row)


# --- data changes that were accepted in silence: each now a decision -----------------------------

NEIGHBOURHOOD_HEADER = ("neighbourhood", "population", "crimes")


def test_a_neighbourhood_listed_twice_is_refused(inputs: Path, tmp_path: Path) -> None:
    rows = [("Ward 1", 5000, 40), ("Ward 2", 6000, 50), ("ward  1", 5000, 40)]
    write_crime(inputs, extra={"neighbourhoods": (NEIGHBOURHOOD_HEADER, rows)})
    refused(tmp_path, "crime_data.xlsx › neighbourhoods › A4: neighbourhood 'ward 1' is listed twice (also A2)")


def test_a_neighbourhood_without_a_name_is_refused(inputs: Path, tmp_path: Path) -> None:
    rows = [("Ward 1", 5000, 40), ("   ", 6000, 50)]
    write_crime(inputs, extra={"neighbourhoods": (NEIGHBOURHOOD_HEADER, rows)})
    refused(tmp_path, "crime_data.xlsx › neighbourhoods › A3: neighbourhood is blank on a row with figures")


def test_a_comparator_listed_twice_is_refused(inputs: Path, tmp_path: Path) -> None:
    rows = [("Testshire", 11.0), ("Otherton", 12.5), ("Otherton", 12.5)]
    write_crime(inputs, extra={"comparators": (("partnership", "rate_per_1000"), rows)})
    refused(tmp_path, "crime_data.xlsx › comparators › A4: partnership 'Otherton' is listed twice (also A3)")


def test_a_themes_sheet_without_a_narrative_column_is_refused(inputs: Path, tmp_path: Path) -> None:
    header = tuple(name for name in THEME_HEADER if name != "knowledge_gaps")
    rows = [row[:6] + row[7:] for row in THEME_ROWS]
    write_workbook(inputs / WORKSHOP, {"scores": (SCORE_HEADER, SCORE_ROWS), "themes": (header, rows)})
    refused(
        tmp_path,
        "workshops/workshop-1.xlsx › themes › row 1: column 'knowledge_gaps' not found, so every theme section "
        "would have no knowledge gaps; add a column headed 'knowledge_gaps' to the header row",
    )


def test_a_misspelt_narrative_column_is_named_once(inputs: Path, tmp_path: Path) -> None:
    header = tuple("recomendation" if name == "recommendation" else name for name in THEME_HEADER)
    write_workbook(inputs / WORKSHOP, {"scores": (SCORE_HEADER, SCORE_ROWS), "themes": (header, THEME_ROWS)})
    output = refused(tmp_path, "did you mean 'recommendation'?")
    assert "column 'recommendation' not found" not in output


def test_an_annual_sheet_without_a_denominator_column_is_accepted_with_a_warning(inputs: Path, tmp_path: Path) -> None:
    header = ("crime_type", "theme", "2017/18", "2018/19")
    write_crime(inputs, header=header, rows=[(row[0], row[1], row[3], row[4]) for row in ANNUAL_ROWS])
    result = accepted(tmp_path)
    assert (
        "crime_data.xlsx › annual › row 1: column 'denominator' not found, so every rate is per 1,000 persons"
        in result.output
    )


def test_a_score_typed_right_of_the_last_header_is_warned_about(inputs: Path, tmp_path: Path) -> None:
    rows = [(*row, 3) if index == 2 else tuple(row) for index, row in enumerate(SCORE_ROWS)]  # P4
    write_workshop(inputs, rows=rows)
    result = accepted(tmp_path)
    assert (
        "workshops/workshop-1.xlsx › scores › P4: P4 holds a value right of the last column header, so not read"
        in result.output
    )


def test_true_in_a_list_of_text_settings_is_refused(inputs: Path, tmp_path: Path) -> None:
    write_settings(inputs, plan_on_a_page={"year": "2019/20", "vision": "Safe.", "focus_areas": ["Harm", True]})
    refused(tmp_path, "assessment.yaml › plan_on_a_page.focus_areas[2]: should be a line of text, not True")
