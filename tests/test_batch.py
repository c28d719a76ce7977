"""The batch run: one complete assessment per local authority of a force, on the real police.uk extract.

Figures are hand counts from tests/data/police-uk (see its README): January to
March 2016, Plymouth crime 39 + 23 + 44 = 106 and ASB 30 + 13 + 25 = 68;
Torbay crime 34 + 13 + 27 = 74 and ASB 20 + 15 + 16 = 51.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import signal
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from strategic_assessment.batch import (
    AreaJob,
    area_lsoas,
    area_populations,
    area_settings,
    area_slug,
    chosen_areas,
)
from strategic_assessment.cli import cli
from strategic_assessment.errors import UsageError
from strategic_assessment.ingest.police_uk import StreetCounts
from strategic_assessment.settings import MostSimilarFamily, PlanOnAPage, PoliceUkSettings, Settings

from .builders import SCORE_HEADER, write_workbook
from .forked import run_cli, start_forked

EXTRACT = Path(__file__).parent / "data" / "police-uk" / "devon-and-cornwall"

# Violence: harm 3+3+1+2 = 9, frequency 3, trend 1, knowledge gaps 1, response 1+0: 9x3 + 1 + 1 + 1 = 30, High.
# Anti-social behaviour: harm 5, frequency 3: 5x3 + 0 + 1 + 1 = 17, Moderate.
# Burglary: harm 7, frequency 2: 7x2 + 0 + 1 + 1 = 16, Moderate.
SCORES = (
    ("Violence", "Violence", "Violence and sexual offences", 3, 3, 1, 2, 3, 1, 1, 1, 0, None, None, None),
    ("Disorder", "Anti-social behaviour", "Anti-social behaviour", 1, 2, 0, 2, 3, 0, 1, 1, 0, None, None, None),
    ("Acquisitive", "Burglary", "Burglary", 1, 2, 2, 2, 2, 0, 1, 1, 0, None, None, None),
)


def write_inputs(inputs: Path, **police: Any) -> Path:
    """Safer Plymouth's inputs for January to March 2016 (the months not held allowed)."""
    inputs.mkdir(parents=True, exist_ok=True)
    settings = {
        "partnership": "Safer Plymouth",
        "year": "2015/16",
        "period_end": "2016-03-31",
        "crime_source": "police_uk",
        "police_uk": {"folder": str(EXTRACT), "area": "Plymouth", "allow_gaps": True, **police},
        "population": {"persons": 1000},
        "asb_row": "Anti-social behaviour",
        "most_similar_family": {"average_rate": 80.0, "rank": 2},
        "key_statistics": [{"label": "Aged under 18", "value": "20%"}],
        "plan_on_a_page": {"year": "2016/17", "title": "Safer Plymouth Plan on a Page", "vision": "Safe places."},
    }
    (inputs / "assessment.yaml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    write_workbook(inputs / "workshops" / "workshop.xlsx", {"scores": (SCORE_HEADER, SCORES)})
    return inputs


@dataclass(frozen=True)
class Batch:
    inputs: Path
    outputs: Path
    output: str  # what the batch printed


def plymouth_and_torbay_batch(folder: Path) -> Batch:
    """The batch on Safer Plymouth's inputs in ``folder``: the ``plymouth_and_torbay`` fixture (conftest),
    run once for the tests that only read its outputs (here and in tests/test_trust.py)."""
    inputs = write_inputs(folder / "inputs")
    outputs = folder / "outputs"
    arguments = ["batch", "--inputs", str(inputs), "--outputs", str(outputs), "--police-uk", str(EXTRACT), "--no-pdf"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    return Batch(inputs, outputs, result.output)


def test_batch_writes_every_area_and_a_summary(plymouth_and_torbay: Batch) -> None:
    inputs, outputs, output = plymouth_and_torbay.inputs, plymouth_and_torbay.outputs, plymouth_and_torbay.output
    plymouth, torbay = outputs / "plymouth" / "2015-16", outputs / "torbay" / "2015-16"
    for name in ("strategic_assessment.docx", "plan_on_a_page.docx", "ratings.csv", "manifest.json"):
        assert (plymouth / name).is_file(), name  # Plymouth's own scores: a full assessment
    for name in ("data_pack.docx", "workshop_scoring_workbook.xlsx", "manifest.json", "data/annual.csv"):
        assert (torbay / name).is_file(), name  # no scores of its own: a data pack, no ratings
    assert not (torbay / "ratings.csv").exists() and not (torbay / "strategic_assessment.docx").exists()
    monthly = (torbay / "data" / "monthly.csv").read_text(encoding="utf-8").splitlines()
    assert monthly == ["month,All crime,Anti-social behaviour", "2016-01,34,20", "2016-02,13,15", "2016-03,27,16"]
    with (outputs / "batch-summary.csv").open(encoding="utf-8") as handle:
        summary = list(csv.DictReader(handle))
    for row in summary:
        assert int(row.pop("warnings")) >= 1  # the months not held, allowed
    assert summary == [
        {
            "area": "Plymouth",
            "kind": "assessment",
            "crimes": "106",
            "rate_per_1000": "106.0",  # 106 crimes / 1,000 residents x 1,000
            "change_pct": "",
            "asb": "68",
            "high_rated_threats": "1",
            "problems": "",
            "output_folder": "plymouth/2015-16",
        },
        {
            "area": "Torbay",
            "kind": "data pack",
            "crimes": "74",
            "rate_per_1000": "",  # no population known for Torbay
            "change_pct": "",
            "asb": "51",
            "high_rated_threats": "",  # a data pack rates nothing
            "problems": "",
            "output_folder": "torbay/2015-16",
        },
    ]
    assert "Torbay: data pack done in" in output
    assert "Warning: devon-and-cornwall/" in output  # each area's warnings are printed
    assert "batch-summary.csv" in output
    assert not (inputs / "batch-summary.csv").exists()


def test_an_unknown_area_stops_the_batch_with_a_suggestion(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    arguments = ["batch", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"), "--police-uk", str(EXTRACT)]
    result = CliRunner().invoke(cli, [*arguments, "--areas", "Torbya"])
    assert result.exit_code == 2
    assert "no LSOA name in the police.uk files starts with 'Torbya'; did you mean 'Torbay'?" in result.output


def street_counts(rows: list[tuple[str, str, str, int]], months: tuple[str, ...]) -> StreetCounts:
    """A hand-made count table: (month, LSOA name, crime type, count); codes made from the names."""
    frame = pd.DataFrame(
        [(month, f"E0{index:07d}", name, kind, count) for index, (month, name, kind, count) in enumerate(rows)],
        columns=["month", "lsoa_code", "lsoa_name", "crime_type", "count"],
    )
    return StreetCounts(frame, months, (), int(frame["count"].sum()))


def test_all_areas_are_those_with_rows_in_every_month() -> None:
    street = street_counts(
        [
            ("2016-01", "Plymouth 001A", "Burglary", 5),
            ("2016-02", "Plymouth 001A", "Burglary", 4),
            ("2016-01", "Torbay 001A", "Drugs", 1),
            ("2016-02", "Torbay 002B", "Drugs", 2),
            ("2016-02", "Wandsworth 010C", "Burglary", 3),
        ],
        ("2016-01", "2016-02"),
    )
    found = {"Plymouth": ["a"], "Torbay": ["b"], "Wandsworth": ["c"]}
    assert chosen_areas(found, "all", street) == (["Plymouth", "Torbay"], {"Wandsworth": 3})
    assert chosen_areas(found, " wandsworth , Plymouth", street) == (["Wandsworth", "Plymouth"], {})
    with pytest.raises(UsageError):
        chosen_areas(found, " , ", street)


def settings(tmp_path: Path) -> Settings:
    return Settings(
        inputs=tmp_path,
        partnership="Safer Plymouth",
        year="2015/16",
        period_end=dt.date(2016, 3, 31),
        crime_source="police_uk",
        police_uk=PoliceUkSettings(folder=tmp_path / "old", area="Plymouth", categories={"Burglary": "Burglaries"}),
        population={"persons": 263100},
        area_name="Plymouth",
        most_similar_family=MostSimilarFamily(80.0, 2),
        trends_narrative="Crime in Plymouth rose.",
        plan_on_a_page=PlanOnAPage(year="2016/17", vision="Safe.", title="Safer Plymouth Plan on a Page"),
    )


def job(tmp_path: Path, area: str, population: float | None, same: bool) -> AreaJob:
    return AreaJob(area, tmp_path, tmp_path / "out", tmp_path / "cache", tmp_path / "force", population, same)


def test_area_settings_for_another_area(tmp_path: Path) -> None:
    changed = area_settings(settings(tmp_path), job(tmp_path, "Torbay", 135000, same=False))
    assert changed.partnership == "Torbay"  # no name given in areas.csv: none is made up
    assert changed.area == "Torbay"
    assert changed.population == {"persons": 135000}
    assert changed.most_similar_family is None
    assert changed.trends_narrative == ""
    assert changed.plan_on_a_page is None  # Plymouth's plan is Plymouth's
    assert changed.police_uk is not None
    assert changed.police_uk.area == "Torbay"
    assert changed.police_uk.folder == tmp_path / "force"
    assert changed.police_uk.categories == {"Burglary": "Burglaries"}
    assert changed.asb_row == "Anti-social behaviour"


def test_area_settings_without_a_population_leave_rates_unknown(tmp_path: Path) -> None:
    changed = area_settings(settings(tmp_path), job(tmp_path, "Torbay", None, same=False))
    assert changed.population == {}


def test_area_settings_keep_the_configured_areas_own_figures(tmp_path: Path) -> None:
    changed = area_settings(settings(tmp_path), job(tmp_path, "Plymouth", None, same=True))
    assert changed.partnership == "Safer Plymouth"
    assert changed.population == {"persons": 263100}
    assert changed.most_similar_family == MostSimilarFamily(80.0, 2)


def test_area_populations_add_up_the_lookup(tmp_path: Path) -> None:
    lookup = tmp_path / "lookup.csv"
    lookup.write_text(
        "lsoa_code,neighbourhood,population\nE1,North,1500\nE2,North,1600\nE3,South,1000\nE4,South,\n",
        encoding="utf-8",
    )
    with_lookup = replace(settings(tmp_path), police_uk=PoliceUkSettings(tmp_path, "Plymouth", lookup))
    populations = area_populations(with_lookup, {"Plymouth": ["E1", "E2"], "Torbay": ["E3", "E4"]})
    assert populations == {"Plymouth": 3100.0}  # Torbay's E4 has no population


def test_area_slug() -> None:
    assert area_slug("Isles of Scilly") == "isles-of-scilly"
    assert area_slug("Plymouth") == "plymouth"


def test_an_area_whose_run_fails_is_reported_and_the_batch_exits_2(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs", allow_gaps=False)
    outputs = tmp_path / "outputs"
    arguments = ["batch", "--inputs", str(inputs), "--outputs", str(outputs), "--police-uk", str(EXTRACT)]
    result = CliRunner().invoke(cli, [*arguments, "--areas", "Plymouth", "--workers", "1"])
    assert result.exit_code == 2
    assert "Plymouth failed: devon-and-cornwall/: months missing from the assessment year 2015/16" in result.output
    assert "1 of 1 areas failed: Plymouth" in result.output
    with (outputs / "batch-summary.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["crimes"] == ""
    assert row["problems"].startswith("devon-and-cornwall/: months missing from the assessment year 2015/16")


# Every area its own scores, or none ---------------------------------------------------------------------------------

# Plymouth's own workshop: Violence, harm 3+3+1+2 = 9, frequency 3, trend 1, gaps 1, response 1+0: 27 + 3 = 30, High.
PLYMOUTH_ONLY = (("Violence", "Violence", "Violence and sexual offences", 3, 3, 1, 2, 3, 1, 1, 1, 0, None, None, None),)
# Torbay's own workshop: Burglary, harm 1+2+2+2 = 7, frequency 2, trend 0, gaps 1, response 1+0: 14 + 2 = 16, Moderate.
TORBAY_ONLY = (("Acquisitive", "Burglary", "Burglary", 1, 2, 2, 2, 2, 0, 1, 1, 0, None, None, None),)


def _batch(inputs: Path, outputs: Path, *extra: str) -> Any:
    arguments = ["batch", "--inputs", str(inputs), "--outputs", str(outputs), "--police-uk", str(EXTRACT), "--no-pdf"]
    return CliRunner().invoke(cli, [*arguments, *extra])


def _ratings(folder: Path) -> list[tuple[str, str, str]]:
    with (folder / "ratings.csv").open(encoding="utf-8") as handle:
        return [(row["threat"], row["score"], row["final_rating"]) for row in csv.DictReader(handle)]


def document_text(path: Path) -> str:
    """Every run of text in a Word document: paragraphs, tables, headers and footers."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(path))
    parts = [document.element.body, *(s.footer._element for s in document.sections)]
    return " ".join(node.text or "" for part in parts for node in part.iter(qn("w:t")))


@dataclass(frozen=True)
class OwnScores:
    outputs: Path
    reads: list[str]  # each police.uk file read and each file's bytes hashed, by the batch and its area workers


@pytest.fixture(scope="module")
def own_scores(tmp_path_factory: pytest.TempPathFactory) -> OwnScores:
    """Plymouth and Torbay each rated from their own one-threat workshop, every police.uk read counted.

    Two full assessments from the three monthly files, run once for the tests that read its outputs.
    """
    from strategic_assessment.ingest import police_uk

    folder = tmp_path_factory.mktemp("own-scores")
    log = folder / "reads.log"  # the areas run in worker processes: they would append here too
    real_read, real_digest = police_uk.read_file, police_uk.file_digest

    def counted_read(path: Path) -> bytes:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"read {path.parent.name}\n")
        return real_read(path)

    def counted_digest(data: bytes) -> str:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"hash {len(data)}\n")
        return real_digest(data)

    inputs = write_inputs(folder / "inputs")
    write_workbook(
        inputs / "areas" / "plymouth" / "workshops" / "2016-02-violence.xlsx", {"scores": (SCORE_HEADER, PLYMOUTH_ONLY)}
    )
    write_workbook(
        inputs / "areas" / "torbay" / "workshops" / "2016-02-acquisitive.xlsx", {"scores": (SCORE_HEADER, TORBAY_ONLY)}
    )
    (inputs / "areas" / "torbay" / "assessment.yaml").write_text("partnership: Safer Torbay\n", encoding="utf-8")
    outputs = folder / "outputs"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(police_uk, "read_file", counted_read)
        patch.setattr(police_uk, "file_digest", counted_digest)
        result = _batch(inputs, outputs)
    assert result.exit_code == 0, result.output
    return OwnScores(outputs, log.read_text(encoding="utf-8").splitlines())


def test_two_areas_each_rated_from_their_own_one_threat_workshop(own_scores: OwnScores) -> None:
    outputs = own_scores.outputs
    plymouth, torbay = outputs / "plymouth" / "2015-16", outputs / "torbay" / "2015-16"
    assert _ratings(plymouth) == [("Violence", "30", "High")]
    assert _ratings(torbay) == [("Burglary", "16", "Moderate")]
    plymouth_text, torbay_text = (document_text(folder / "strategic_assessment.docx") for folder in (plymouth, torbay))
    assert "Burglary (Acquisitive)" not in plymouth_text and "Violence (Violence)" in plymouth_text
    assert "Violence (Violence)" not in torbay_text and "Burglary (Acquisitive)" in torbay_text
    assert "Safer Torbay" in torbay_text  # the area's own assessment.yaml names its partnership
    assert "Acquisitive workshop, February 2016" in torbay_text and "Violence workshop" not in torbay_text
    assert not (torbay / "plan_on_a_page.docx").exists()  # Torbay gave no plan; Plymouth's is not borrowed


def test_areas_csv_gives_partnerships_populations_and_a_rank(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    (inputs / "areas.csv").write_text(
        "area,partnership,population\nPlymouth,,1000\nTorbay,Safer Torbay,500\n", encoding="utf-8"
    )
    outputs = tmp_path / "outputs"
    result = _batch(inputs, outputs)
    assert result.exit_code == 0, result.output
    text = document_text(outputs / "torbay" / "2015-16" / "data_pack.docx")
    # Torbay 74 / 500 x 1,000 = 148.0; Plymouth 106 / 1,000 x 1,000 = 106.0: Torbay 2nd of 2 (1 = lowest)
    assert "74 crimes were recorded in Torbay in 2015/16, 148.0 per 1,000 residents." in text
    assert "Torbay ranked 2nd of the force's 2 areas by crime rate (1st = lowest)." in text
    assert text.startswith("Safer Torbay")
    assert "data pack for Safer Torbay's threat assessment workshops" in text
    assert "It holds no ratings, findings or priorities." in text
    plymouth = document_text(outputs / "plymouth" / "2015-16" / "strategic_assessment.docx")
    # Plymouth's own assessment.yaml population (1,000) agrees; it ranks 1st
    assert "Plymouth ranked 1st of the force's 2 areas by crime rate (1st = lowest)." in plymouth


def test_a_bad_areas_csv_line_is_named(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    (inputs / "areas.csv").write_text("area,partnership,population\nTorbya,,500\nTorbay,,many\n", encoding="utf-8")
    result = _batch(inputs, tmp_path / "outputs")
    assert result.exit_code == 2
    assert "areas.csv › line 2: 'Torbya' is not an area of the police.uk files; did you mean 'Torbay'?" in result.output
    assert "areas.csv › line 3: population 'many' is not a number of residents" in result.output


FORBIDDEN = (
    ".yaml",
    ".xlsx",
    ".csv",
    "assessment.yaml",
    "(the police.uk files)",
    "were not provided in",
    "The 1 neighbourhoods",
    "Safer Isles of Scilly",
    "Safer Torbay",
    "previous/ratings",
    "some categories overlap",
    "the analyst pre-scored",
    "carried forward",
)


def test_no_batch_document_names_a_file_or_speaks_of_the_program(plymouth_and_torbay: Batch) -> None:
    outputs = plymouth_and_torbay.outputs
    documents = sorted(outputs.rglob("*.docx"))
    assert {path.name for path in documents} == {"strategic_assessment.docx", "plan_on_a_page.docx", "data_pack.docx"}
    for path in documents:
        text = document_text(path)
        found = [phrase for phrase in FORBIDDEN if phrase.casefold() in text.casefold()]
        assert not found, f"{path.relative_to(outputs)}: {found}"
    pack = document_text(outputs / "torbay" / "2015-16" / "data_pack.docx")
    assert "Threat scores:" not in pack and "Ratings use" not in pack  # no workshop that did not happen
    charts = (outputs / "torbay" / "2015-16" / "charts" / "index.csv").read_text(encoding="utf-8")
    assert "workshops" not in charts


def test_the_text_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("Key statistics were not provided in assessment.yaml.")
    document.save(str(tmp_path / "bad.docx"))
    text = document_text(tmp_path / "bad.docx")
    assert [phrase for phrase in FORBIDDEN if phrase.casefold() in text.casefold()] == [
        ".yaml",
        "assessment.yaml",
        "were not provided in",
    ]


def test_the_shipped_example_over_devon_and_cornwall_rates_only_plymouth(devon_and_cornwall: Path) -> None:
    """Three of the twelve areas drawn: Plymouth (the example's own), the smallest and one other.

    Every area but the configured one is made by the same data pack run, so the
    drawn areas stand for the rest; the twelve are counted on the batch's own parse.
    """
    from strategic_assessment.ingest.police_uk import read_street_counts, year_months
    from strategic_assessment.settings import load_settings

    from .conftest import DEVON_AND_CORNWALL as SHARED
    from .conftest import DRAWN_AREAS as drawn
    from .conftest import PLYMOUTH_EXAMPLE as example

    outputs = devon_and_cornwall
    last_month = year_months(load_settings(example).period_end)[0][-1]
    street = read_street_counts(SHARED, last_month, outputs / ".cache" / "police_uk")  # the batch's parse, cached
    everywhere, _ = chosen_areas(area_lsoas(street), "all", street)
    # the twelve local authorities of Devon & Cornwall with rows in every month
    assert len(everywhere) == 12 and set(drawn) <= set(everywhere)
    with (outputs / "batch-summary.csv").open(encoding="utf-8") as handle:
        summary = {row["area"]: row for row in csv.DictReader(handle)}
    assert set(summary) == set(drawn)
    assert {area for area, row in summary.items() if row["kind"] == "assessment"} == {"Plymouth"}
    for area, row in summary.items():
        folder = outputs / row["output_folder"]
        assert (folder / "ratings.csv").is_file() == (area == "Plymouth"), area
        assert (row["high_rated_threats"] == "") == (area != "Plymouth"), area
        for path in folder.glob("*.docx"):
            text = document_text(path)
            assert not [phrase for phrase in FORBIDDEN if phrase.casefold() in text.casefold()], path
    scilly = document_text(outputs / "isles-of-scilly" / "2016-17" / "data_pack.docx")
    assert "County lines" not in scilly and "High (" not in scilly


# Each file read once, each folder replaced whole, a stop that says what is on disk -----------------------------------


def test_each_police_uk_file_is_read_and_hashed_once_per_batch(own_scores: OwnScores) -> None:
    # two full assessments from three monthly files
    sizes = sorted(path.stat().st_size for path in EXTRACT.glob("*/*.csv"))
    assert sorted(own_scores.reads) == sorted(
        [*(f"hash {size}" for size in sizes), "read 2016-01", "read 2016-02", "read 2016-03"]
    )


def _files(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def _manifest(folder: Path) -> dict[str, Any]:
    import json

    manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def test_an_area_assessed_before_and_now_a_data_pack_keeps_nothing_of_the_assessment(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    own = inputs / "areas" / "torbay"
    write_workbook(own / "workshops" / "2016-02-acquisitive.xlsx", {"scores": (SCORE_HEADER, TORBAY_ONLY)})
    outputs = tmp_path / "outputs"
    assert _batch(inputs, outputs, "--areas", "Torbay").exit_code == 0
    torbay = outputs / "torbay" / "2015-16"
    assert {"ratings.csv", "strategic_assessment.docx", "html/strategic_assessment.html"} <= _files(torbay)
    assert _manifest(torbay)["kind"] == "assessment"
    shutil.rmtree(own)  # Torbay's workshop scores withdrawn: the next batch makes it a data pack
    result = _batch(inputs, outputs, "--areas", "torbay", "--workers", "1")  # an area named in any case
    assert result.exit_code == 0, result.output
    assert not (outputs / "plymouth").exists()  # only the areas named
    files = _files(torbay)
    assert {"data_pack.docx", "workshop_scoring_workbook.xlsx", "manifest.json"} <= files
    assert not {name for name in files if name.startswith(("ratings", "strategic_assessment", "plan", "html/"))}
    manifest = _manifest(torbay)
    assert manifest["kind"] == "data pack"
    assert set(manifest["outputs"]) == files  # the manifest describes the folder it sits in, itself included
    assert manifest["carried_from_previous_set"] == []


def test_an_assessed_area_keeps_no_plan_or_data_pack_of_an_earlier_set(
    tmp_path: Path, plymouth_and_torbay: Batch
) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    outputs = Path(shutil.copytree(plymouth_and_torbay.outputs, tmp_path / "outputs", symlinks=True))  # a batch before
    plymouth = outputs / "plymouth" / "2015-16"
    assert "plan_on_a_page.docx" in _files(plymouth)
    (plymouth / "data_pack.docx").write_bytes(b"an earlier data pack")  # as an earlier batch left it
    settings = yaml.safe_load((inputs / "assessment.yaml").read_text(encoding="utf-8"))
    del settings["plan_on_a_page"]  # this year's assessment has no plan
    (inputs / "assessment.yaml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    result = _batch(inputs, outputs, "--areas", "Plymouth")
    assert result.exit_code == 0, result.output
    files = _files(plymouth)
    assert "plan_on_a_page.docx" not in files and "data_pack.docx" not in files
    assert {"strategic_assessment.docx", "ratings.csv"} <= files
    manifest = _manifest(plymouth)
    assert manifest["kind"] == "assessment"
    assert set(manifest["outputs"]) == files
    assert manifest["carried_from_previous_set"] == []


def stop_in_torbay(marker: str, arguments: list[str]) -> None:
    """The batch, its Torbay run waiting in its worker process until the batch is stopped (run forked)."""
    from strategic_assessment import pipeline

    real = pipeline.generate_data_pack

    def slow_for_torbay(inputs: Path, outputs: Path, *args: Any, **kwargs: Any) -> Any:
        if outputs.name == "torbay":  # Torbay's run waits here until the batch is stopped
            Path(marker).write_text(str(os.getpid()), encoding="utf-8")
            time.sleep(120)
        return real(inputs, outputs, *args, **kwargs)

    pipeline.generate_data_pack = slow_for_torbay
    run_cli(arguments)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the worker processes")
@pytest.mark.parametrize(("number", "whole_group"), [(signal.SIGTERM, False), (signal.SIGINT, True)])
def test_a_stopped_batch_says_which_areas_are_new_and_which_as_before(
    tmp_path: Path, number: int, whole_group: bool, chart_drawings: Path
) -> None:
    inputs = write_inputs(tmp_path / "inputs")
    shutil.rmtree(inputs / "workshops")  # both areas data packs: quick to write
    outputs = tmp_path / "outputs"
    # the session's drawings as the chart cache, as in this process (conftest): the forked batch draws nothing new
    (outputs / ".cache").mkdir(parents=True)
    (outputs / ".cache" / "charts").symlink_to(chart_drawings, target_is_directory=True)
    before = outputs / "torbay" / "2015-16"
    before.mkdir(parents=True)
    (before / "earlier.txt").write_text("Torbay's outputs from an earlier batch", encoding="utf-8")
    marker, errors = tmp_path / "torbay-worker.pid", tmp_path / "stderr.txt"
    arguments = ["batch", "--inputs", str(inputs), "--outputs", str(outputs), "--police-uk", str(EXTRACT), "--no-pdf"]
    # a process of its own, leading its process group as a terminal would make it
    process = start_forked(
        stop_in_torbay, str(marker), arguments, log=errors, out=tmp_path / "stdout.txt", session=True
    )
    try:
        deadline = time.monotonic() + 120
        while not (marker.exists() and "Plymouth: data pack done" in errors.read_text(encoding="utf-8")):
            assert process.exitcode is None, errors.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the batch did not reach Torbay"
            time.sleep(0.02)
        worker = int(marker.read_text(encoding="utf-8"))
        assert process.pid is not None
        if whole_group:
            os.killpg(process.pid, number)  # Ctrl-C: every process of the group hears it
        else:
            os.kill(process.pid, number)  # `kill PID`: the batch alone
        process.join(60)
        code = process.exitcode
    finally:
        if process.exitcode is None and process.pid is not None:
            os.killpg(process.pid, signal.SIGKILL)
            process.join()
    message = errors.read_text(encoding="utf-8")
    assert code == 128 + number, message
    assert "1 area holds this run's complete outputs: Plymouth." in message
    assert "1 area is as it was before the run (no folder half written): Torbay." in message
    assert "Traceback" not in message
    assert _files(before) == {"earlier.txt"}  # Torbay's folder exactly as it was
    assert not list(before.parent.glob(".2015-16-*"))  # no staging folder left beside it
    assert _manifest(outputs / "plymouth" / "2015-16")["kind"] == "data pack"
    assert not (outputs / "batch-summary.csv").exists()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker), "an area worker outlived the batch"


# The printed lines agree with their counts


def test_printed_counts_read_right_in_the_singular() -> None:
    from strategic_assessment.batch import AreaResult, failed_line, left_out_line, progress_lines, wrote_line

    assert left_out_line({"Pembrokeshire": 1, "Powys": 2310}).endswith("Pembrokeshire (1 row), Powys (2,310 rows)")
    one = [AreaResult("Torbay")]
    assert wrote_line(one, Path("out/batch-summary.csv"), 1.0) == "Wrote 1 area and out/batch-summary.csv in 1.0 s"
    two = [AreaResult("Torbay"), AreaResult("Plymouth", problem="no rows")]
    assert wrote_line(two, Path("s.csv"), 2.0).startswith("Wrote 1 area and")
    assert failed_line([AreaResult("Torbay", problem="no rows")]) == "1 of 1 areas failed: Torbay"
    assert failed_line(two) == "1 of 2 areas failed: Plymouth"
    result = AreaResult("Torbay", folder=Path("out"), warnings=tuple(f"w{n}" for n in range(6)))
    from strategic_assessment.batch import WARNINGS_SHOWN

    rest = progress_lines(replace(result, warnings=result.warnings[: WARNINGS_SHOWN + 1]))[-1]
    assert rest.startswith("  and 1 more warning in ")
