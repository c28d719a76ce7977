"""police.uk street-level files as a crime source, on a real extract (tests/data/police-uk, see its README).

Every expected figure was counted by hand from the extract's rows with grep;
the README's table lists them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from strategic_assessment.cli import cli
from strategic_assessment.errors import InputError, ProblemLog
from strategic_assessment.ingest import police_uk
from strategic_assessment.ingest.police_uk import (
    annual_table,
    local_authority,
    msoa_name,
    read_police_uk,
    year_months,
)
from strategic_assessment.settings import PoliceUkSettings, load_settings

from .builders import SCORE_HEADER, write_workbook

EXTRACT = Path(__file__).parent / "data" / "police-uk" / "devon-and-cornwall"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "police-uk" / "devon-and-cornwall"
PLYMOUTH_001 = ("E01015025", "E01015097", "E01015160", "E01015164")
PLYMOUTH_002 = ("E01015027", "E01015159", "E01015161", "E01015162", "E01015166")


def read(area: str = "Plymouth", year: str = "2015/16", end: str = "2016-03-31", **options: Any) -> tuple[Any, Any]:
    """The extract read for an area, with the months not held allowed unless told otherwise."""
    folder = options.pop("folder", EXTRACT)
    cache = options.pop("cache", None)
    source = PoliceUkSettings(folder=folder, area=area, **{"allow_gaps": True, **options})
    log = ProblemLog()
    data = read_police_uk(source, year, dt.date.fromisoformat(end), log, cache)
    return data, log


def counts(frame: pd.DataFrame, column: str) -> list[int]:
    return [int(value) for value in frame[column]]


def warnings_text(log: ProblemLog) -> str:
    return "\n".join(str(warning) for warning in log.warnings)


def copy_extract(tmp_path: Path) -> Path:
    folder = tmp_path / "devon-and-cornwall"
    shutil.copytree(EXTRACT, folder)
    return folder


# Monthly series, annual counts, neighbourhoods


def test_monthly_crime_and_asb_for_plymouth() -> None:
    data, _ = read()
    assert list(data.monthly.columns) == ["month", "All crime", "Anti-social behaviour"]
    assert list(data.monthly["month"]) == ["2016-01", "2016-02", "2016-03"]
    assert counts(data.monthly, "All crime") == [39, 23, 44]
    assert counts(data.monthly, "Anti-social behaviour") == [30, 13, 25]


def test_monthly_crime_and_asb_for_torbay() -> None:
    data, _ = read("Torbay")
    assert counts(data.monthly, "All crime") == [34, 13, 27]
    assert counts(data.monthly, "Anti-social behaviour") == [20, 15, 16]


def test_area_name_ignores_case_and_spaces() -> None:
    data, _ = read("  plymouth ")
    assert counts(data.monthly, "All crime") == [39, 23, 44]


def test_annual_counts_per_crime_type_with_all_crime_first_and_asb_apart() -> None:
    data, _ = read()
    annual = data.annual
    assert data.years == ("2014/15", "2015/16")
    assert list(annual.columns) == ["theme", "denominator", "2014/15", "2015/16"]
    assert annual.index[0] == "All crime"
    assert annual.index[-1] == "Anti-social behaviour"
    assert annual.loc["All crime", "2015/16"] == 39 + 23 + 44
    assert annual.loc["Violence and sexual offences", "2015/16"] == 20 + 10 + 17
    assert annual.loc["Burglary", "2015/16"] == 0 + 3 + 4
    assert annual.loc["Anti-social behaviour", "2015/16"] == 30 + 13 + 25
    assert annual.loc["Burglary", "denominator"] == "persons"


def test_crime_types_seen_anywhere_in_the_files_are_rows_even_at_zero() -> None:
    data, _ = read("Torbay")
    assert data.annual.loc["Bicycle theft", "2015/16"] == 0  # only the rows without a location have one


def test_neighbourhoods_are_msoas_named_from_the_lsoa_names() -> None:
    data, _ = read()
    frame = data.neighbourhoods
    # House of Commons Library MSOA Names 1.14: Plymouth 001 is Glenholt & Widewell, Plymouth 002 Southway
    assert list(frame["neighbourhood"]) == ["Glenholt & Widewell", "Southway"]
    assert list(frame["code"]) == ["Plymouth 001", "Plymouth 002"]
    assert counts(frame, "crimes") == [15 + 8 + 15, 24 + 15 + 29]
    assert frame["population"].isna().all()


def test_neighbourhoods_and_populations_from_an_lsoa_lookup(tmp_path: Path) -> None:
    lookup = tmp_path / "lsoa_lookup.csv"
    lines = ["lsoa_code,neighbourhood,population"]
    lines += [f"{code},North,{people}" for code, people in zip(PLYMOUTH_001, (1500, 1600, 1700, 1800), strict=True)]
    lines += [f"{code},South,1000" for code in PLYMOUTH_002]
    lookup.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data, log = read(lsoa_lookup=lookup)
    frame = data.neighbourhoods
    assert list(frame["neighbourhood"]) == ["North", "South"]
    assert counts(frame, "crimes") == [38, 68]
    assert counts(frame, "population") == [6600, 5000]
    assert "not listed" not in warnings_text(log)


def test_lsoas_missing_from_the_lookup_are_warned_about(tmp_path: Path) -> None:
    lookup = tmp_path / "lsoa_lookup.csv"
    lookup.write_text("lsoa_code,neighbourhood\n" + "".join(f"{c},North\n" for c in PLYMOUTH_001), encoding="utf-8")
    data, log = read(lsoa_lookup=lookup)
    assert list(data.neighbourhoods["neighbourhood"]) == ["North"]
    assert counts(data.neighbourhoods, "crimes") == [38]
    assert "5 LSOAs of the area are not listed" in warnings_text(log)
    assert "E01015027" in warnings_text(log)


def test_a_bad_lookup_is_an_error_naming_the_line(tmp_path: Path) -> None:
    lookup = tmp_path / "lsoa_lookup.csv"
    lookup.write_text("lsoa_code,neighbourhood,population\nE01015025,North,many\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read(lsoa_lookup=lookup)
    assert "lsoa_lookup.csv › line 2: population 'many' is not a whole number above 0" in error.value.message


def test_area_from_a_file_of_lsoa_codes(tmp_path: Path) -> None:
    codes = tmp_path / "plymouth-001.txt"
    codes.write_text("# Plymouth 001\nlsoa_code\n" + "\n".join(PLYMOUTH_001) + "\n\n", encoding="utf-8")
    data, _ = read("plymouth-001.txt", area_file=codes)
    assert counts(data.monthly, "All crime") == [15, 8, 15]
    assert counts(data.monthly, "Anti-social behaviour") == [11, 6, 4]


def test_category_mapping_renames_and_adds_crime_types() -> None:
    mapping = {"Shoplifting": "Theft", "Other theft": "Theft", "Anti-social behaviour": "ASB", "Burglery": "Burglary"}
    data, log = read(categories=mapping)
    annual = data.annual
    assert annual.loc["Theft", "2015/16"] == 5 + 13
    assert "Shoplifting" not in annual.index
    assert annual.index[-1] == "ASB"
    assert annual.loc["ASB", "2015/16"] == 68
    assert annual.loc["All crime", "2015/16"] == 106
    assert "'Burglery' is not a crime type in the police.uk files; did you mean 'Burglary'?" in warnings_text(log)


# Rows without an LSOA


def test_rows_without_an_lsoa_are_left_out_of_an_area_and_reported() -> None:
    data, log = read()
    assert data.annual.loc["All crime", "2015/16"] == 106
    assert (
        "12 rows (crimes and ASB) have no LSOA (no location was given) and are left out of Plymouth's figures:"
        " without a location no row can be placed in any area"
    ) in warnings_text(log)
    assert "cannot be placed in Plymouth" not in warnings_text(log)


def test_rows_without_an_lsoa_count_force_wide() -> None:
    data, log = read("all")
    assert counts(data.monthly, "All crime") == [39 + 34 + 4, 23 + 13 + 4, 44 + 27 + 4]
    assert counts(data.monthly, "Anti-social behaviour") == [30 + 20, 13 + 15, 25 + 16]
    assert data.annual.loc["Burglary", "2015/16"] == 7 + 12 + 9
    assert data.neighbourhoods["crimes"].sum() == 106 + 74  # no neighbourhood for rows without a location
    assert "12 rows (crimes and ASB) have no LSOA" in warnings_text(log)
    assert "force-wide totals" in warnings_text(log)


def test_an_unknown_area_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(InputError) as error:
        read("Plymuoth")
    assert "area 'Plymuoth' matches no LSOA name in the police.uk files; did you mean 'Plymouth'?" in (
        error.value.message
    )


# Incomplete periods


def test_year_months_are_the_twelve_to_the_period_end_and_the_twelve_before() -> None:
    current, comparison = year_months(dt.date(2017, 3, 31))
    assert current[0] == "2016-04"
    assert current[-1] == "2017-03"
    assert comparison[0] == "2015-04"
    assert comparison[-1] == "2016-03"
    assert len(current) == len(comparison) == 12


def test_a_comparison_year_with_a_missing_month_is_not_available() -> None:
    # Comparison year 2015/16 here is 2015-02 to 2016-01: the extract holds 1 of its months.
    data, log = read(year="2016/17", end="2017-01-31")
    assert data.annual["2015/16"].isna().all()
    assert data.annual.loc["All crime", "2016/17"] == 23 + 44
    assert data.annual.loc["Anti-social behaviour", "2016/17"] == 13 + 25
    assert "the comparison year 2015/16 (2015-02 to 2016-01) is not available: 1 of its 12 months are held" in (
        warnings_text(log)
    )


def test_annual_table_counts_a_complete_comparison_year() -> None:
    street = police_uk.read_street_counts(EXTRACT, "2016-03")
    plymouth = street.counts[street.counts["lsoa_name"].astype(str).str.startswith("Plymouth")]
    table = annual_table(
        plymouth,
        ["Burglary", "Violence and sexual offences"],
        {"2015/16": ["2016-01"], "2016/17": ["2016-02", "2016-03"]},
        {},
    )
    assert list(table.index) == ["All crime", "Burglary", "Violence and sexual offences", "Anti-social behaviour"]
    assert list(table["2015/16"]) == [39, 0, 20, 30]
    assert list(table["2016/17"]) == [23 + 44, 3 + 4, 10 + 17, 13 + 25]


def test_a_missing_month_in_the_current_period_is_an_error_naming_it(tmp_path: Path) -> None:
    folder = copy_extract(tmp_path)
    shutil.rmtree(folder / "2016-02")
    with pytest.raises(InputError) as error:
        read(folder=folder, allow_gaps=False)
    message = error.value.message
    assert "months missing from the assessment year 2015/16 (2015-04 to 2016-03): 2015-04, 2015-05," in message
    assert "2015-12, 2016-02;" in message
    assert "allow_gaps: true" in message


def test_allow_gaps_turns_the_missing_months_into_a_warning(tmp_path: Path) -> None:
    folder = copy_extract(tmp_path)
    shutil.rmtree(folder / "2016-02")
    data, log = read(folder=folder)
    assert data.annual.loc["All crime", "2015/16"] == 39 + 44
    assert list(data.monthly["month"]) == ["2016-01", "2016-03"]
    assert "2015-12, 2016-02; the year's counts cover only 2 months" in warnings_text(log)


def test_gaps_before_the_current_period_are_warned_about_and_not_filled(tmp_path: Path) -> None:
    folder = copy_extract(tmp_path)
    shutil.rmtree(folder / "2016-02")
    data, log = read(folder=folder, year="2016/17", end="2017-02-28")
    assert list(data.monthly["month"]) == ["2016-01", "2016-03"]
    assert "the monthly series has gaps: 2016-02" in warnings_text(log)


# Format drift


def rewrite_header(path: Path, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_the_older_easting_northing_layout_is_named(tmp_path: Path) -> None:
    folder = copy_extract(tmp_path)
    rewrite_header(
        folder / "2016-02" / "2016-02-devon-and-cornwall-street.csv", "Longitude,Latitude", "Easting,Northing"
    )
    with pytest.raises(InputError) as error:
        read(folder=folder)
    message = error.value.message
    assert (
        "devon-and-cornwall/2016-02/2016-02-devon-and-cornwall-street.csv: is in the older police.uk layout" in message
    )
    assert "Easting and Northing in place of Longitude and Latitude" in message


def test_an_unexpected_header_names_the_file_and_the_columns_expected(tmp_path: Path) -> None:
    folder = copy_extract(tmp_path)
    rewrite_header(folder / "2016-03" / "2016-03-devon-and-cornwall-street.csv", "Crime type", "Crime category")
    rewrite_header(
        folder / "2016-01" / "2016-01-devon-and-cornwall-street.csv", "Longitude,Latitude", "Easting,Northing"
    )
    with pytest.raises(InputError) as error:
        read(folder=folder)
    problems = [str(problem) for problem in error.value.problems]
    assert len(problems) == 2  # every bad file at once
    assert problems[1].startswith(
        "devon-and-cornwall/2016-03/2016-03-devon-and-cornwall-street.csv: has an unexpected header "
        "(missing Crime type; unexpected Crime category)"
    )
    assert "expected the police.uk street-level columns Crime ID, Month, Reported by, Falls within" in problems[1]


def test_a_folder_without_street_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty" / "2016-01").mkdir(parents=True)
    with pytest.raises(InputError) as error:
        read(folder=tmp_path / "empty")
    assert "empty/: holds no police.uk street-level files" in error.value.message


def test_a_missing_folder_is_an_error_naming_the_setting(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        read(folder=tmp_path / "nowhere")
    assert "assessment.yaml › police_uk.folder: the police.uk folder" in error.value.message


# The cache


def test_parsed_files_are_cached_by_content_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first, _ = read(cache=cache)
    assert len(list(cache.glob("*.arrow"))) == 3

    def no_parsing(*_: object) -> None:
        raise AssertionError("a cached file was parsed again")

    monkeypatch.setattr(police_uk, "parse_street_file", no_parsing)
    second, _ = read(cache=cache)
    assert counts(second.monthly, "All crime") == counts(first.monthly, "All crime")
    assert second.rows_read == first.rows_read == 39 + 30 + 34 + 20 + 4 + 23 + 13 + 13 + 15 + 4 + 44 + 25 + 27 + 16 + 4


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    folder = copy_extract(tmp_path)
    cache = tmp_path / "cache"
    read(folder=folder, cache=cache)
    path = folder / "2016-03" / "2016-03-devon-and-cornwall-street.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    plymouth_asb = next(i for i, line in enumerate(lines) if ",Plymouth 001" in line and "Anti-social" in line)
    path.write_text("\n".join(lines[:plymouth_asb] + lines[plymouth_asb + 1 :]) + "\n", encoding="utf-8")
    data, _ = read(folder=folder, cache=cache)
    assert counts(data.monthly, "Anti-social behaviour") == [30, 13, 24]
    assert len(list(cache.glob("*.arrow"))) == 4


# Reading: each file once, quoted fields, large files


def test_each_file_is_read_and_hashed_once_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Path] = []
    hashed: list[int] = []
    real_read, real_digest = police_uk.read_file, police_uk.file_digest

    def counted_read(path: Path) -> bytes:
        reads.append(path)
        return real_read(path)

    def counted_digest(data: bytes) -> str:
        hashed.append(len(data))
        return real_digest(data)

    monkeypatch.setattr(police_uk, "read_file", counted_read)
    monkeypatch.setattr(police_uk, "file_digest", counted_digest)
    data, _ = read(cache=tmp_path / "cache")  # cold: three files, each parsed and cached
    assert sorted(path.parent.name for path in reads) == ["2016-01", "2016-02", "2016-03"]
    assert sorted(hashed) == sorted(path.stat().st_size for path in EXTRACT.glob("*/*.csv"))
    expected = [hashlib.sha256(path.read_bytes()).hexdigest() for path, _ in data.files]
    assert [digest for _, digest in data.files] == expected
    read(cache=tmp_path / "cache")  # warm: each file read and hashed once more (its cache key), parsed never
    assert len(reads) == len(hashed) == 6


def test_quoted_fields_are_read_as_csv(tmp_path: Path) -> None:
    folder = copy_extract(tmp_path)
    path = folder / "2016-01" / "2016-01-devon-and-cornwall-street.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    # line 2: a location holding a comma, quoted; line 3: a quoted crime type. Both Plymouth ASB of January.
    assert lines[1].endswith(",On or near Tavistock Road,E01015025,Plymouth 001A,Anti-social behaviour,,")
    lines[1] = lines[1].replace("On or near Tavistock Road", '"On or near Tavistock Road, Crownhill"')
    assert lines[2].endswith(",Plymouth 001A,Anti-social behaviour,,")
    lines[2] = lines[2].replace("Anti-social behaviour", '"Anti-social behaviour"')
    path.write_text("\n".join(lines), encoding="utf-8")
    data, _ = read(folder=folder)
    assert counts(data.monthly, "Anti-social behaviour") == [30, 13, 25]  # as before: two rows, still ASB
    assert counts(data.monthly, "All crime") == [39, 23, 44]
    assert "Crownhill" not in " ".join(data.annual.index)


def test_a_file_read_in_several_blocks_counts_as_one() -> None:
    data = (EXTRACT / "2016-01" / "2016-01-devon-and-cornwall-street.csv").read_bytes()
    for block_size in (1 << 24, 4096):  # 4 KiB: the 128-line file is read in 5 blocks, each its own dictionary
        table = police_uk.parse_street_file(data, "2016-01.csv", block_size=block_size).to_pandas()
        plymouth = table[table["lsoa_name"].astype(str).str.startswith("Plymouth")]
        is_asb = plymouth["crime_type"] == "Anti-social behaviour"
        assert plymouth.loc[~is_asb, "count"].sum() == 39
        assert plymouth.loc[is_asb, "count"].sum() == 30
        assert table.loc[table["lsoa_code"] == "", "count"].sum() == 4
        assert table["count"].sum() == 127  # the file's rows below its header


def test_a_row_with_too_many_fields_names_the_file(tmp_path: Path) -> None:
    folder = copy_extract(tmp_path)
    path = folder / "2016-02" / "2016-02-devon-and-cornwall-street.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].replace("On or near ", "On or near a, ", 1)  # an unquoted comma: 13 fields
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as error:
        read(folder=folder)
    assert "devon-and-cornwall/2016-02/2016-02-devon-and-cornwall-street.csv: cannot be read as CSV" in (
        error.value.message
    )
    assert "download it again" in error.value.message


def test_an_empty_file_is_named(tmp_path: Path) -> None:
    folder = copy_extract(tmp_path)
    (folder / "2016-03" / "2016-03-devon-and-cornwall-street.csv").write_bytes(b"")
    with pytest.raises(InputError) as error:
        read(folder=folder)
    assert "2016-03-devon-and-cornwall-street.csv: is empty (no header row)" in error.value.message


# Names


def test_local_authority_and_msoa_from_an_lsoa_name() -> None:
    assert local_authority("Plymouth 023B") == "Plymouth"
    assert local_authority("Isles of Scilly 001A") == "Isles of Scilly"
    assert msoa_name("Plymouth 023B") == "Plymouth 023"


# assessment.yaml and the pipeline


def write_inputs(inputs: Path, police: dict[str, Any], **settings: Any) -> Path:
    """An inputs folder using the extract: assessment.yaml and one workshop scoring police.uk rows."""
    inputs.mkdir(parents=True, exist_ok=True)
    data = {
        "partnership": "Safer Plymouth",
        "year": "2016/17",
        "period_end": "2017-01-31",
        "crime_source": "police_uk",
        "police_uk": {"folder": str(EXTRACT), "area": "Plymouth", **police},
        "population": {"persons": 1000},
        "asb_row": "Anti-social behaviour",
        **settings,
    }
    (inputs / "assessment.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    rows = [
        ("Violence", "Violence", "Violence and sexual offences", 3, 3, 1, 2, 3, 1, 1, 1, 0, None, None, None),
        ("Disorder", "Anti-social behaviour", "Anti-social behaviour", 1, 2, 0, 2, 3, 0, 1, 1, 0, None, None, None),
        ("Acquisitive", "Burglary", "Burglary", 1, 2, 2, 2, 2, 0, 1, 1, 0, None, None, None),
    ]
    write_workbook(inputs / "workshops" / "workshop.xlsx", {"scores": (SCORE_HEADER, rows)})
    return inputs


def test_settings_read_the_police_uk_section(tmp_path: Path) -> None:
    inputs = write_inputs(
        tmp_path / "inputs",
        {
            "area": "codes.txt",
            "lsoa_lookup": "lookup.csv",
            "categories": {"Drugs": "Drug offences"},
            "allow_gaps": True,
        },
    )
    source = load_settings(inputs).police_uk
    assert source is not None
    assert source.folder == EXTRACT.resolve()
    assert source.area_file == (inputs / "codes.txt").resolve()
    assert source.lsoa_lookup == (inputs / "lookup.csv").resolve()
    assert source.categories == {"Drugs": "Drug offences"}
    assert source.allow_gaps is True
    assert not source.force_wide


def test_score_writes_not_available_comparison_as_blank_change(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs", {"allow_gaps": True})
    outputs = tmp_path / "outputs"
    result = CliRunner().invoke(cli, ["score", "--inputs", str(inputs), "--outputs", str(outputs)])
    assert result.exit_code == 0, result.output
    with (outputs / "2016-17" / "data" / "annual.csv").open(encoding="utf-8") as handle:
        annual = {row["crime_type"]: row for row in csv.DictReader(handle)}
    assert annual["All crime"]["count_previous"] == ""
    assert annual["All crime"]["count_current"] == "67"
    assert annual["All crime"]["change"] == ""
    assert annual["All crime"]["change_pct"] == ""
    assert annual["Anti-social behaviour"]["count_current"] == "38"
    monthly = (outputs / "2016-17" / "data" / "monthly.csv").read_text(encoding="utf-8").splitlines()
    assert monthly == ["month,All crime,Anti-social behaviour", "2016-01,39,30", "2016-02,23,13", "2016-03,44,25"]
    assert "1 of its 12 months are held" in result.output


def test_score_without_allow_gaps_stops_with_the_missing_months(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs", {})
    result = CliRunner().invoke(cli, ["score", "--inputs", str(inputs), "--outputs", str(tmp_path / "outputs")])
    assert result.exit_code == 2
    assert "months missing from the assessment year 2016/17 (2016-02 to 2017-01): 2016-04," in result.output
    assert not (tmp_path / "outputs").exists()


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared police.uk files are not beside the project")
def test_plymouth_2016_17_from_the_shared_files(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "inputs" / "examples" / "police-uk-plymouth"
    outputs = tmp_path / "outputs"
    result = CliRunner().invoke(cli, ["score", "--inputs", str(example), "--outputs", str(outputs)])
    assert result.exit_code == 0, result.output
    monthly = pd.read_csv(outputs / "2016-17" / "data" / "monthly.csv", dtype={"month": str})
    assert list(monthly["month"]) == [str(p) for p in pd.period_range("2016-01", "2017-03", freq="M")]
    by_month = monthly.set_index("month")
    assert by_month.loc["2016-04", "All crime"] == 1244  # counted with grep over the shared file
    assert by_month.loc["2016-04", "Anti-social behaviour"] == 846
    assert by_month.loc["2017-03", "All crime"] == 1739
    assert by_month.loc["2017-03", "Anti-social behaviour"] == 936
    annual = pd.read_csv(outputs / "2016-17" / "data" / "annual.csv").set_index("crime_type")
    assert annual["count_previous"].isna().all()
    assert annual["change_pct"].isna().all()
    assert "the comparison year 2015/16 (2015-04 to 2016-03) is not available: 3 of its 12 months are held" in (
        result.output
    )
