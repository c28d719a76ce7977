"""Shared fixtures: a valid Testshire inputs folder, a runner for the command line, the worked example run once.

Drawn charts are shared by every test of a run: a run's default chart cache
(``OUTPUTS/.cache/charts``) is made a link to one folder for the whole test
session, so a test that generates into a fresh folder reuses the drawings an
earlier test made of the same chart (the cache is keyed by the chart's
content, so a changed chart is still drawn). Tests of the cache itself pass
a cache folder of their own and are left alone. ``fast`` marks the tests of
pure functions in memory (``make test-fast``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

if TYPE_CHECKING:
    from strategic_assessment.pipeline import GenerateResult

    from .browser import Browser
    from .kept_office import KeptOffice
    from .test_batch import Batch

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs"
# The shared police.uk files of the force (beside the project) and the example that reads them.
DEVON_AND_CORNWALL = ROOT.parent / "shared" / "data" / "police-uk" / "devon-and-cornwall"
PLYMOUTH_EXAMPLE = EXAMPLE / "examples" / "police-uk-plymouth"
DRAWN_AREAS = ("Plymouth", "Isles of Scilly", "Torbay")

# Modules whose tests that ask for no folder or fixture of files are pure functions in memory: no file
# written, no command run (``make test-fast``, ``pytest -m fast``).
FAST_MODULES = {
    "test_batch.py",
    "test_blocks_scratch.py",
    "test_calculations.py",
    "test_charts.py",
    "test_edge_cases.py",
    "test_family.py",
    "test_html.py",
    "test_html_markdown.py",
    "test_merge.py",
    "test_method_sentences.py",
    "test_model.py",
    "test_names.py",
    "test_performance.py",
    "test_police_uk.py",
    "test_scoring.py",
    "test_spreadsheets.py",
    "test_table_breaks.py",
    "test_templates.py",
    "test_trust.py",
}
# Fixtures made once for the tests of one worker, and the --dist loadgroup group that keeps those tests together.
SHARED_FIXTURES = {
    "worked_example_pdfs": "worked-example-pdfs",
    "watch_scenario": "watch",
    "browser": "browser",
    "performance_page": "browser",  # the performance update's page, read by browser and other checks alike
    "written": "performance-written",
    "plymouth": "performance-plymouth",
    "hostile": "hostile-spreadsheets",
    "sets": "hostile-outputs",
    "kept_office": "kept-office",  # one LibreOffice start; its users (example_saved_as, ...) go with it
    "plymouth_and_torbay": "plymouth-and-torbay-batch",
    "own_scores": "own-scores-batch",
    "first_run": "regenerate-first-run",
    "scored": "worked-example-score",
    "testshire": "testshire-markdown",
    "stopped_by_sigterm": "stopped-by-sigterm",
    "narrative_folder": "narrative",
    "devon_and_cornwall": "devon-and-cornwall-batch",
}
# Hypothesis loads the plugins other installed packages register for it (trio's, which costs a fifth of a second
# to import); the tests use none of them.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
IN_MEMORY_FIXTURES = {"request", "monkeypatch", "shared_chart_cache", "chart_drawings", "tmp_path_factory"}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With ``-m fast`` alone, the modules that hold no fast test are not imported (their imports cost seconds)."""
    name = collection_path.name
    if config.option.markexpr == "fast" and name.startswith("test_") and name.endswith(".py"):
        return name not in FAST_MODULES or None  # None: the usual rules decide
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (its hook is registered after this file)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the fast layer (the tests of pure functions in memory) and the groups of shared fixtures."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        parameters = set(callspec.params) if callspec is not None else set()
        fixtures = set(getattr(item, "fixturenames", ())) - parameters - IN_MEMORY_FIXTURES
        if item.path.name in FAST_MODULES and not fixtures:
            item.add_marker(pytest.mark.fast)
        groups = {SHARED_FIXTURES[fixture] for fixture in fixtures & SHARED_FIXTURES.keys()}
        if len(groups) > 1:  # a test goes to one worker: it cannot have the fixtures of two
            raise pytest.UsageError(f"{item.nodeid} uses the shared fixtures of groups {sorted(groups)}")
        for group in groups:  # made once: its tests go to one worker (--dist loadgroup)
            item.add_marker(pytest.mark.xdist_group(group))
            if getattr(config.option, "loadgroup", False):
                _name_the_group(item, group)


def _name_the_group(item: pytest.Item, group: str) -> None:
    """Suffix the test's id with ``@group``, which is how ``--dist loadgroup`` sends a group to one worker.

    pytest-xdist 3.8 writes the suffix to ``item._nodeid``, which pytest 9 no longer reads (its ids are
    ``item._id``), so without this every group is scattered over the workers and its fixture made on each.
    """
    nodeid = getattr(item, "_id", None)
    if nodeid is not None and "@" not in item.nodeid:
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(f"{item.nodeid}@{group}")


@pytest.fixture(scope="session")
def chart_drawings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One chart cache for the whole run (shared by the workers of ``pytest -n``)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / "chart-drawings"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session", autouse=True)
def shared_chart_cache(chart_drawings: Path, request: pytest.FixtureRequest) -> Iterator[None]:
    """Link each run's default chart cache to the session's drawings (see the module docstring).

    The link is made before ``start_early`` looks in the cache too: finding the drawings there, a
    generate whose charts are all drawn starts no drawing process (else each would start one that
    imports matplotlib, only to be stopped by a pack with nothing to draw).

    Outside the fast layer, matplotlib and its font list are loaded here once, as the drawing
    processes load them (``chartpack._warm_up``): every drawing process a test's run starts is forked
    from this process, and so starts with them loaded instead of spending 0.3-0.5 s of CPU loading
    them again (about forty times a session). What a cold run imports, and where, is tested in fresh
    processes (tests/test_regenerate.py, tests/test_watch_drawers.py).
    """
    from strategic_assessment import chartpack

    if request.config.option.markexpr != "fast":
        chartpack._warm_up()

    original_init = chartpack.ChartPack.__init__
    original_start_early = chartpack.start_early

    def link(cache: Path | None) -> None:
        if cache is not None and cache.name == "charts" and cache.parent.name == ".cache" and not cache.exists():
            # a batch's areas, drawn at once, share one cache; an outputs folder that cannot be made is
            # left to the program to report
            with contextlib.suppress(OSError):
                cache.parent.mkdir(parents=True, exist_ok=True)
                cache.symlink_to(chart_drawings, target_is_directory=True)

    def init(pack: chartpack.ChartPack, specs: object, folder: Path, cache: Path | None = None) -> None:
        link(cache)
        original_init(pack, specs, folder, cache)  # type: ignore[arg-type]

    def start_early(cache: Path | None) -> None:
        link(cache)
        original_start_early(cache)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chartpack.ChartPack, "__init__", init)
        patch.setattr(chartpack, "start_early", start_early)
        yield


@pytest.fixture(scope="session")
def _testshire_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Testshire inputs written once for the session; each test gets a copy (``inputs``)."""
    from .builders import write_inputs  # imported here, as the CLI below: ``-m fast`` collects cheaply

    return write_inputs(tmp_path_factory.mktemp("testshire") / "inputs")


@pytest.fixture
def inputs(tmp_path: Path, _testshire_inputs: Path) -> Path:
    """A complete, valid inputs folder for the Testshire example (a copy of the session's, to change freely)."""
    return Path(shutil.copytree(_testshire_inputs, tmp_path / "inputs"))


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., Result]:
    """Run a command of the CLI against ``tmp_path/inputs`` and ``tmp_path/outputs``."""
    from strategic_assessment.cli import cli

    def runner(*args: str) -> Result:
        command, *rest = args
        folders = ["--inputs", str(tmp_path / "inputs"), "--outputs", str(tmp_path / "outputs")]
        return CliRunner().invoke(cli, [command, *folders, *rest], catch_exceptions=False)

    return runner


@pytest.fixture(scope="session")
def worked_example(tmp_path_factory: pytest.TempPathFactory) -> GenerateResult:
    """``generate --no-pdf`` on the worked example, once for the run; read it, never write into it."""
    from strategic_assessment.pipeline import generate

    return generate(EXAMPLE, tmp_path_factory.mktemp("worked-example") / "outputs", pdf=False)


@pytest.fixture(scope="session")
def worked_example_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``generate`` with PDF copies on the worked example through the command line, once for the run.

    The year's folder; read it, never write into it. LibreOffice must have made every copy.
    """
    from strategic_assessment.cli import cli

    outputs = tmp_path_factory.mktemp("worked-example-pdfs") / "outputs"
    folders = ["--inputs", str(EXAMPLE), "--outputs", str(outputs)]
    result = CliRunner().invoke(cli, ["generate", *folders], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "LibreOffice" not in result.stderr, result.stderr
    return outputs / "2018-19"


@pytest.fixture(scope="session")
def performance_update_pdf(tmp_path_factory: pytest.TempPathFactory, kept_office: KeptOffice) -> Path:
    """``performance`` with its PDF on the worked example through the command line, once for the run.

    The PDF is made by the LibreOffice kept for the tests (the route is ``generate``'s, whose own start
    ``worked_example_pdfs`` checks). The PDF of the update; read it, never write into it.
    """
    from strategic_assessment.cli import cli

    outputs = tmp_path_factory.mktemp("performance-update-pdf") / "outputs"
    folders = ["--inputs", str(EXAMPLE), "--outputs", str(outputs)]
    with kept_office.making_pdf_copies():
        result = CliRunner().invoke(cli, ["performance", *folders], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "LibreOffice" not in result.stderr, result.stderr
    (pdf,) = outputs.rglob("performance_update.pdf")
    return pdf


@pytest.fixture(scope="session")
def kept_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeptOffice]:
    """One LibreOffice kept running for the worker's tests that only need a conversion (``tests/kept_office.py``).

    Started at the first conversion; the tests about the program's own LibreOffice start and stop start theirs.
    """
    from .kept_office import KeptOffice

    with KeptOffice(tmp_path_factory.mktemp("kept-office")) as office:
        yield office


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the worker's session; each check loads its page afresh at its width."""
    from .browser import chromium

    with chromium() as started:
        yield started


@pytest.fixture(scope="session")
def devon_and_cornwall(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``batch --no-pdf`` of the Plymouth example over the shared Devon & Cornwall files, once for the run.

    Three of the twelve areas (``DRAWN_AREAS``): Plymouth (the example's own), the smallest and one other.
    The outputs folder; read it, never write into it.
    """
    if not DEVON_AND_CORNWALL.is_dir():
        pytest.skip("the shared police.uk files are not beside the project")
    from strategic_assessment.cli import cli

    outputs = tmp_path_factory.mktemp("devon-and-cornwall") / "outputs"
    arguments = ["--inputs", str(PLYMOUTH_EXAMPLE), "--outputs", str(outputs), "--police-uk", str(DEVON_AND_CORNWALL)]
    result = CliRunner().invoke(cli, ["batch", *arguments, "--no-pdf", "--areas", ",".join(DRAWN_AREAS)])
    assert result.exit_code == 0, result.output
    return outputs


@pytest.fixture(scope="session")
def plymouth_and_torbay(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """``batch --no-pdf`` of Safer Plymouth's inputs over the test extract (tests/test_batch.py), once for the run.

    Every area of the extract: Plymouth's assessment and Torbay's data pack. Read it, never write into it.
    """
    from .test_batch import plymouth_and_torbay_batch

    return plymouth_and_torbay_batch(tmp_path_factory.mktemp("batch"))


def pytest_configure(config: pytest.Config) -> None:
    """Under ``pytest -n``, the controller (which runs no test) goes without Hypothesis's plugin.

    Its end-of-run summary imports all of Hypothesis (0.6-0.7 s, with both cores idle) to look for
    examples the workers wrote to disk; each worker's own plugin still runs every Hypothesis test and
    reports a falsifying example in the failure it shows.
    """
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        plugin = config.pluginmanager.get_plugin("hypothesispytest")
        if plugin is not None:
            config.pluginmanager.unregister(plugin)
    if not hasattr(config, "workerinput"):  # the workers, started after this, inherit the controller's TMPDIR
        temporary_files_in_memory()


MEMORY_FOLDER = Path("/dev/shm")  # Linux's tmpfs
MEMORY_NEEDED = 2 * 2**30  # a run writes about 200 MB; pytest keeps its last three runs' folders


def temporary_files_in_memory() -> None:
    """Put the run's temporary files (pytest's folders, LibreOffice's and Chromium's profiles) in memory.

    A run writes some thousands of files; on a disk that another machine is also writing to, the
    waits for writeback were seen to take 25 s of a 88 s run (``iowait`` in /proc/stat), against 0.1 s
    with them in memory. Only when ``TMPDIR`` is not set already and Linux's tmpfs has room; the
    folder is kept between runs (as pytest keeps its last three runs), but for what else was left
    in it, which is removed at the start.
    """
    if os.environ.get("TMPDIR") or not MEMORY_FOLDER.is_dir():
        return
    try:
        status = os.statvfs(MEMORY_FOLDER)
        if status.f_bavail * status.f_frsize < MEMORY_NEEDED:
            return
        folder = MEMORY_FOLDER / f"strategic-assessment-tests-{os.getuid()}"
        folder.mkdir(mode=0o700, exist_ok=True)
        if folder.stat().st_uid != os.getuid() or not os.access(folder, os.W_OK):
            return
        for left in folder.iterdir():
            if not left.name.startswith("pytest-of-"):
                shutil.rmtree(left) if left.is_dir() and not left.is_symlink() else left.unlink()
    except OSError:
        return
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again
