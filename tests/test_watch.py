"""``watch`` as an analyst runs it: a real process, real saves of a copy of the worked example's inputs.

The scores changed here are worked out by hand with the MoRiLE model (models/morile.yaml):
score = (physical + psychological + financial + community) x frequency + trend + knowledge_gaps
+ capacity + capability; High from 30, Moderate from 16. Domestic homicide is scored by one workshop
only (violence and exploitation): 3 + 3 + 2 + 3 = 11, frequency 2, trend 0, knowledge gaps 1, capacity
1, capability 1, so 11 x 2 + 0 + 1 + 1 + 1 = 25, Moderate. With frequency 3 it is 11 x 3 + 3 = 36, High;
with knowledge gaps 2, 11 x 2 + 4 = 26, Moderate, and with both 11 x 3 + 4 = 37, High.
"""

from __future__ import annotations

import csv
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from strategic_assessment.documents.pdf import soffice_path
from strategic_assessment.watch import is_input, is_input_name, moved_ratings

from .forked import run_cli, start_forked

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = "2019-07-workshop-violence-and-exploitation.xlsx"
YEAR = "2018-19"
FIRST_BUILD = 180.0  # seconds: a cold start with every chart drawn, on a busy two-core machine
REBUILD = 90.0


def watch_process(path: str | None, argv: list[str]) -> None:
    """``strategic-assessment watch``, its standard output and error one stream (run forked: tests/forked.py)."""
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if path is not None:
        os.environ["PATH"] = path
    run_cli(argv)


class Watch:
    """A running ``watch``, a process of its own, and the lines it has printed (stdout and stderr together).

    The process is forked from a server with the program loaded (tests/forked.py), so it starts in
    milliseconds rather than spending a second or two importing; its own pid, signals and exit status.
    """

    def __init__(self, inputs: Path, outputs: Path, *extra: str, path: str | None = None) -> None:
        self.log = outputs.parent / f"watch-{time.monotonic_ns()}.log"
        self.log.touch()
        arguments = ["watch", "--inputs", str(inputs), "--outputs", str(outputs), *extra]
        self.process = start_forked(watch_process, path, arguments, log=self.log)
        assert self.process.pid is not None
        self.pid = self.process.pid
        self._handle = self.log.open(encoding="utf-8")
        self._buffer = ""
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []

    def _read(self) -> None:
        """Queue the lines printed since the last read."""
        self._buffer += self._handle.read()
        *whole, self._buffer = self._buffer.split("\n")
        for line in whole:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = REBUILD) -> str:
        """The next line matching ``pattern``; fails with everything printed when none comes in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read()
            if self.lines.empty():
                if self.process.exitcode is not None:
                    self._read()  # what it printed before it ended
                    if self.lines.empty():
                        break
                else:
                    time.sleep(0.02)
                continue
            line = self.lines.get()
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        pytest.fail(f"no line matching {pattern!r} within {timeout:g} s; printed:\n" + "\n".join(self.seen))

    def since(self, count: int) -> list[str]:
        return self.seen[count:]

    def running(self) -> bool:
        return self.process.exitcode is None

    def stop(self, number: int = signal.SIGINT) -> int | None:
        os.kill(self.pid, number)
        self.process.join(60)
        return self.process.exitcode

    def kill(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join(30)
        self._handle.close()


def copy_of_the_example(folder: Path, chart_drawings: Path) -> tuple[Path, Path]:
    """A copy of the worked example's inputs and an outputs folder whose chart cache is the run's drawings.

    The cache is keyed by each chart's content, so a watch process draws only what no earlier run drew.
    """
    inputs = folder / "inputs"
    shutil.copytree(ROOT / "inputs", inputs, ignore=shutil.ignore_patterns("examples"))
    outputs = folder / "outputs"
    (outputs / ".cache").mkdir(parents=True)
    (outputs / ".cache" / "charts").symlink_to(chart_drawings, target_is_directory=True)
    return inputs, outputs


@pytest.fixture
def testshire_folders(inputs: Path, tmp_path: Path, chart_drawings: Path) -> tuple[Path, Path]:
    """The Testshire inputs (tests/builders.py) and an outputs folder whose chart cache is the run's drawings.

    County lines, scored in workshop-1.xlsx: harm 11, frequency 2, trend 2, knowledge gaps 2, capacity 1,
    capability 1, so 11 x 2 + 2 + 2 + 2 = 28, Moderate; with frequency 3, 11 x 3 + 6 = 39, High.
    """
    outputs = tmp_path / "outputs"
    (outputs / ".cache").mkdir(parents=True)
    (outputs / ".cache" / "charts").symlink_to(chart_drawings, target_is_directory=True)
    return inputs, outputs


class Scenario:
    """One ``watch --no-pdf`` on a copy of the worked example, driven by several tests through real saves.

    Each test asks for the state it starts from (``ready``): the worked example's inputs but for the
    Domestic homicide scores it names. The tests come in an order in which each leaves the next the
    state it asks for, so the watch rebuilds only for the tests' own saves; a test run on its own, or
    in another order, first gets its state by one save and the rebuild it starts. After a test that
    failed (its watch and inputs in no known state) the watch is started again on restored inputs.
    """

    def __init__(self, inputs: Path, outputs: Path) -> None:
        self.inputs, self.outputs = inputs, outputs
        self.watch: Watch | None = None

    def ready(self, any_settings: bool = False, **scores: int) -> Watch:
        """The watch running, past a build of the inputs in the state asked for.

        ``scores``: Domestic homicide's in the workshop workbook (those not named: as they are);
        ``any_settings``: assessment.yaml as an earlier test left it, not only the worked example's.
        """
        source = ROOT / "inputs"
        workbook = Path("workshops") / WORKBOOK
        changed = False
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if not path.is_file() or "examples" in relative.parts or relative == workbook:
                continue
            if (any_settings and relative == Path("assessment.yaml")) or (self.inputs / relative).read_bytes() == (
                path.read_bytes()
            ):
                continue
            replace(self.inputs / relative, path.read_bytes())
            changed = True
        now = scores_sheet(self.inputs / workbook)
        wanted = with_scores(scores_sheet(source / workbook), "Domestic homicide", {**_row(now), **scores})
        if now != wanted:
            written = self.inputs.parent / ".restoring.xlsx"
            shutil.copyfile(source / workbook, written)
            set_scores(written, "Domestic homicide", {**_row(now), **scores})
            replace(self.inputs / workbook, written.read_bytes())
            changed = True
        if self.watch is None or not self.watch.running():
            self.watch = Watch(self.inputs, self.outputs, "--no-pdf")
            self.watch.wait_for(r"first build: 39 threats rated", FIRST_BUILD)
        elif changed:
            self.watch.wait_for(r"saved: .*; rebuilt")
        return self.watch

    def restart(self) -> None:
        """Stop the watch and put back the worked example's inputs (after a test that failed)."""
        if self.watch is not None:
            self.watch.kill()
            self.watch = None
        source = ROOT / "inputs"
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if path.is_file() and "examples" not in relative.parts:
                replace(self.inputs / relative, path.read_bytes())


def replace(target: Path, data: bytes) -> None:
    """Write ``data`` to a hidden name (not an input) beside ``target`` and rename it into place."""
    temporary = target.with_name(".restoring")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def scores_sheet(path: Path) -> list[tuple[object, ...]]:
    """The rows of the workbook's scores sheet, header first."""
    book = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book["scores"].iter_rows(values_only=True)]
    finally:
        book.close()


def _row(rows: list[tuple[object, ...]], threat: str = "Domestic homicide") -> dict[str, object]:
    header = [str(name) for name in rows[0]]
    return next(dict(zip(header, row, strict=False)) for row in rows[1:] if row[header.index("threat")] == threat)


def with_scores(rows: list[tuple[object, ...]], threat: str, values: dict[str, object]) -> list[tuple[object, ...]]:
    header = [str(name) for name in rows[0]]
    return [
        rows[0],
        *(
            tuple(values.get(name, cell) for name, cell in zip(header, row, strict=False))
            if row[header.index("threat")] == threat
            else row
            for row in rows[1:]
        ),
    ]


@pytest.fixture(scope="module")
def watch_scenario(tmp_path_factory: pytest.TempPathFactory, chart_drawings: Path) -> Iterator[Scenario]:
    shared = Scenario(*copy_of_the_example(tmp_path_factory.mktemp("watched"), chart_drawings))
    try:
        yield shared
    finally:
        if shared.watch is not None:
            shared.watch.kill()


@pytest.fixture
def scenario(watch_scenario: Scenario, request: pytest.FixtureRequest) -> Iterator[Scenario]:
    """The shared watch for one test (see ``Scenario``): the test calls ``ready`` with the state it starts from."""
    failed = request.session.testsfailed
    yield watch_scenario
    if request.session.testsfailed != failed:
        watch_scenario.restart()


def set_scores(path: Path, threat: str, values: dict[str, Any], temporary_name: str | None = None) -> None:
    """Change the threat's scores in the workbook; given ``temporary_name``, saved there and renamed into place."""
    book = load_workbook(path)
    sheet = book["scores"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, header.index("threat") + 1).value == threat)
    for factor, value in values.items():
        if factor in header:
            sheet.cell(row, header.index(factor) + 1).value = value
    temporary = path if temporary_name is None else path.with_name(temporary_name)
    book.save(temporary)
    if temporary != path:
        os.replace(temporary, path)


def save_like_excel(path: Path, threat: str, factor: str, value: int) -> None:
    """Change one score and save as Excel does: to a temporary name beside the workbook, renamed into place."""
    set_scores(path, threat, {factor: value}, "8F3A21C0")  # Excel's temporary files: eight hex digits, no extension


def ratings(outputs: Path) -> dict[str, dict[str, str]]:
    with (outputs / YEAR / "ratings.csv").open(encoding="utf-8") as handle:
        return {row["threat"]: row for row in csv.DictReader(handle)}


def rating_cell(outputs: Path, threat: str) -> str:
    """The Assessment column of the threat's row in the Strategic Assessment's theme tables."""
    document = Document(str(outputs / YEAR / "strategic_assessment.docx"))
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            if cells and cells[0] == threat:
                return cells[-1]
    raise AssertionError(f"no row for {threat} in the document's tables")


# The tests of the shared watch, in the order they run: each leaves the next the scores it starts from.


def test_a_workshop_workbook_saved_by_excel_is_rebuilt(scenario: Scenario) -> None:
    watching = scenario.ready(frequency=2, knowledge_gaps=1)  # the worked example's: 25, Moderate
    inputs, outputs = scenario.inputs, scenario.outputs
    assert ratings(outputs)["Domestic homicide"]["score"] == "25"
    assert rating_cell(outputs, "Domestic homicide") == "Moderate (25)"

    save_like_excel(inputs / "workshops" / WORKBOOK, "Domestic homicide", "frequency", 3)

    line = watching.wait_for(r"saved")
    assert f"workshops/{WORKBOOK} saved: Domestic homicide: Moderate -> High; rebuilt" in line
    assert re.search(r"in \d+\.\d s$", line)
    row = ratings(outputs)["Domestic homicide"]
    assert (row["frequency"], row["score"], row["rating"]) == ("3", "36", "High")
    assert rating_cell(outputs, "Domestic homicide") == "High (36)"


def test_editor_temporary_files_trigger_nothing(scenario: Scenario) -> None:
    watching = scenario.ready(frequency=3, knowledge_gaps=1)  # 36, High
    inputs, outputs = scenario.inputs, scenario.outputs
    folder_before = (outputs / YEAR).stat().st_ino
    count = len(watching.seen)
    workshops = inputs / "workshops"
    (workshops / f"~${WORKBOOK}").write_bytes(b"\x00" * 165)  # Excel's lock file while the workbook is open
    (workshops / f".~lock.{WORKBOOK}#").write_text("analyst,host,/home/analyst,02.12.2026 13:00;", encoding="utf-8")
    (workshops / "lu3164a1b2.tmp").write_bytes(b"PK half a workbook")  # LibreOffice's temporary save
    (inputs / "assessment.yaml~").write_text("a backup", encoding="utf-8")

    # watch takes its saves in turn: had the files above started a rebuild, its line would come first
    save_like_excel(workshops / WORKBOOK, "Domestic homicide", "frequency", 2)  # back to 25, Moderate
    watching.wait_for(r"saved")
    assert [line for line in watching.since(count) if "saved" in line] == [
        line
        for line in watching.since(count)
        if re.match(rf"\d\d:\d\d:\d\d workshops/{re.escape(WORKBOOK)} saved: Domestic homicide", line)
    ]
    assert len([line for line in watching.since(count) if "saved" in line]) == 1
    assert (outputs / YEAR).stat().st_ino != folder_before


def test_a_bad_save_prints_the_problem_and_keeps_the_outputs(scenario: Scenario) -> None:
    watching = scenario.ready(frequency=2, knowledge_gaps=1)  # 25, Moderate
    inputs, outputs = scenario.inputs, scenario.outputs
    before = {name: (outputs / YEAR / name).read_bytes() for name in ("ratings.csv", "strategic_assessment.docx")}
    workbook = inputs / "workshops" / WORKBOOK

    save_like_excel(workbook, "Domestic homicide", "knowledge_gaps", 5)

    count = len(watching.seen)
    line = watching.wait_for(r"saved")
    assert f"workshops/{WORKBOOK} saved: not rebuilt, 1 problem; the outputs in " in line
    assert line.endswith("are the last good set")
    printed = "\n".join(watching.since(count - 3))
    assert re.search(rf"workshops/{re.escape(WORKBOOK)} › scores › J2: .*5.*0-2", printed), printed
    after = {name: (outputs / YEAR / name).read_bytes() for name in before}
    assert after == before

    save_like_excel(workbook, "Domestic homicide", "knowledge_gaps", 2)  # fixed: 11 x 2 + 0 + 2 + 2 = 26
    line = watching.wait_for(r"saved")
    assert "no rating moved; rebuilt" in line
    assert ratings(outputs)["Domestic homicide"]["score"] == "26"


def test_a_workbook_written_slowly_in_place_is_read_once_whole(scenario: Scenario) -> None:
    watching = scenario.ready(frequency=2, knowledge_gaps=2)  # 26, Moderate
    inputs, outputs = scenario.inputs, scenario.outputs
    workbook = inputs / "workshops" / WORKBOOK
    scratch = inputs.parent / "scratch.xlsx"
    shutil.copyfile(workbook, scratch)
    save_like_excel(scratch, "Domestic homicide", "frequency", 3)
    data = scratch.read_bytes()
    count = len(watching.seen)
    with workbook.open("wb") as handle:  # in place, in two parts with a pause: a torn file for a while
        handle.write(data[: len(data) // 2])
        handle.flush()
        os.fsync(handle.fileno())
        time.sleep(0.25)
        handle.write(data[len(data) // 2 :])

    line = watching.wait_for(r"saved")
    assert "Domestic homicide: Moderate -> High; rebuilt" in line
    assert not [text for text in watching.since(count) if "problem" in text]
    assert ratings(outputs)["Domestic homicide"]["score"] == "37"

    # The rest of the write may start one more rebuild, of the same whole file: assessment.yaml saved as it is
    # (a rename, as an editor saves) is rebuilt after it, so once that is printed no rebuild is left to come.
    settings = inputs / "assessment.yaml"
    replace(settings, settings.read_bytes())
    watching.wait_for(r"^\d\d:\d\d:\d\d assessment\.yaml\b.* saved: no rating moved; rebuilt")


def test_a_settings_file_saved_is_rebuilt(scenario: Scenario) -> None:
    watching = scenario.ready()  # the worked example's assessment.yaml, any scores
    inputs, outputs = scenario.inputs, scenario.outputs
    settings = inputs / "assessment.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "published: October 2019" in text
    temporary = inputs / ".goutputstream-2Q7XJ1"  # how GNOME's editor saves: a hidden file renamed into place
    temporary.write_text(text.replace("published: October 2019", "published: November 2019"), encoding="utf-8")
    os.replace(temporary, settings)

    line = watching.wait_for(r"saved")
    assert "assessment.yaml saved: no rating moved; rebuilt" in line
    title_page = [p.text for p in Document(str(outputs / YEAR / "strategic_assessment.docx")).paragraphs[:6]]
    assert "November 2019" in title_page
    assert "October 2019" not in title_page


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children, ...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def outlived(pids: set[int], seconds: float = 10.0) -> list[int]:
    """Those of ``pids`` still alive after ``seconds`` (a process told its parent died takes a moment to end)."""
    deadline = time.monotonic() + seconds
    while (left := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_signal_stops_it_cleanly(scenario: Scenario) -> None:
    """SIGINT to a waiting watch; SIGTERM, through the same handler, is sent in the test without LibreOffice.

    The last test of the shared watch: stopping it here means no second watch is started for it.
    """
    watching = scenario.ready(any_settings=True)  # as the tests before left it
    below = descendants(watching.pid)
    assert watching.stop(signal.SIGINT) == 0
    watching.wait_for(r"Stopped watching \(SIGINT\); the outputs in .* are the last good set\.", 10)
    assert outlived(below | descendants(watching.pid)) == []  # its chart drawers die with it


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_with_pdf_copies_a_signal_mid_rebuild_leaves_no_libreoffice(
    testshire_folders: tuple[Path, Path], number: int
) -> None:
    """One LibreOffice serves every rebuild; a signal during a rebuild stops it and all it started.

    SIGINT and SIGTERM stop watch through one handler, so the rebuild that shows the same LibreOffice
    serving a second build is made once, before SIGTERM; SIGINT comes during the first rebuild. The
    inputs are Testshire's: LibreOffice's start and work are the same as for the worked example, its
    documents smaller.
    """
    inputs, outputs = testshire_folders
    workbook = inputs / "workshops" / "workshop-1.xlsx"
    watch = Watch(inputs, outputs)
    try:
        watch.wait_for(r"first build: 4 threats rated", FIRST_BUILD)
        office = {pid for pid in descendants(watch.pid) if "soffice" in _command(pid)}
        assert office, "no LibreOffice kept running"
        frequency = 3
        if number == signal.SIGTERM:
            save_like_excel(workbook, "County lines", "frequency", 3)
            watch.wait_for(r"saved: County lines: Moderate -> High; rebuilt")
            text = subprocess.run(
                ["pdftotext", str(outputs / YEAR / "strategic_assessment.pdf"), "-"], capture_output=True, text=True
            ).stdout
            assert "High (39)" in text
            assert office <= {pid for pid in descendants(watch.pid) if alive(pid)}  # the same LibreOffice
            frequency = 2

        save_like_excel(workbook, "County lines", "frequency", frequency)
        deadline = time.monotonic() + REBUILD
        while time.monotonic() < deadline and not list(outputs.glob(f".{YEAR}-staging-*")):
            time.sleep(0.01)
        below = descendants(watch.pid)
        assert watch.stop(number) == 0
        watch.wait_for(rf"Stopped watching \({signal.Signals(number).name}\)", 10)
        assert outlived(below | office) == []  # a process told its parent died may take a moment to end
        assert not list(outputs.glob(f".{YEAR}-staging-*"))
        assert ratings(outputs)["County lines"]["score"] in {"39", "28"}  # one whole set or the other
    finally:
        watch.kill()


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def test_without_libreoffice_it_says_so_once_and_builds_without_pdfs(
    testshire_folders: tuple[Path, Path], tmp_path: Path
) -> None:
    inputs, outputs = testshire_folders
    (tmp_path / "bin").mkdir()
    watch = Watch(inputs, outputs, path=str(tmp_path / "bin"))  # a PATH with no soffice on it
    try:
        watch.wait_for(r"first build: 4 threats rated", FIRST_BUILD)
        save_like_excel(inputs / "workshops" / "workshop-1.xlsx", "County lines", "frequency", 3)
        watch.wait_for(r"saved: County lines: Moderate -> High; rebuilt")
        below = descendants(watch.pid)
        assert watch.stop(signal.SIGTERM) == 0  # a waiting watch stops cleanly on SIGTERM
        watch.wait_for(r"Stopped watching \(SIGTERM\); the outputs in .* are the last good set\.", 10)
        assert outlived(below | descendants(watch.pid)) == []
    finally:
        watch.kill()
    said = [line for line in watch.seen if "LibreOffice" in line]
    assert said == ["LibreOffice is not installed: watching without PDF copies, as with --no-pdf."]
    assert (outputs / YEAR / "strategic_assessment.docx").is_file()
    assert not list((outputs / YEAR).glob("*.pdf"))


@pytest.mark.parametrize(
    "name",
    ["~$scores.xlsx", ".~lock.scores.xlsx#", "scores.xlsx.tmp", "lu3164a1b2.tmp", ".goutputstream-2Q7XJ1", "8F3A21C0"],
)
def test_editor_temporary_names_are_not_inputs(name: str) -> None:
    assert not is_input_name(name)


def test_input_names_and_places() -> None:
    root = Path("/in")
    assert is_input(root / "workshops" / "2019-07.xlsx", root)
    assert is_input(root / "assessment.yaml", root)
    assert is_input(root / "previous" / "ratings.csv", root)
    assert not is_input(root / ".git" / "config.yaml", root)
    assert not is_input(Path("/elsewhere/assessment.yaml"), root)


def test_moved_ratings_names_each_move_new_and_dropped() -> None:
    before = {"Arson": "Standard", "Hate crime": "Moderate", "Robbery": "Standard"}
    after = {"Arson": "Standard", "Hate crime": "High", "Homicide": "Moderate"}
    assert moved_ratings(before, after) == [
        "Hate crime: Moderate -> High",
        "Homicide: Moderate (new)",
        "Robbery: dropped",
    ]


def test_kept_inputs_are_read_again_only_when_their_files_change(inputs: Path) -> None:
    from strategic_assessment.pipeline import build_assessment
    from strategic_assessment.reuse import Kept

    from .builders import SCORE_ROWS, replace_row, write_workshop

    kept = Kept()
    first = build_assessment(inputs, kept=kept)
    assert kept.reused == []
    again = build_assessment(inputs, kept=kept)
    assert kept.reused == ["crime", "workshops", "previous"]
    assert again.ratings == first.ratings and again.warnings == first.warnings
    assert again.crime == first.crime

    # County lines: harm 11, frequency 2 -> 3, trend 2, knowledge gaps 2, response 2: 11 x 3 + 6 = 39, High
    kept.reused.clear()
    write_workshop(inputs, rows=replace_row(SCORE_ROWS, 3, frequency=3))
    changed = build_assessment(inputs, kept=kept)
    assert kept.reused == ["crime", "previous"]
    county_lines = changed.rating_of("County lines")
    assert (county_lines.score, county_lines.rating) == (39, "High")
    assert changed.ratings == build_assessment(inputs).ratings
