"""LibreOffice kept running (``OfficeSession``), its processes dying with the run, and broken PDFs refused.

Fake LibreOffices are shell scripts put first on PATH: one writes an empty
PDF, one a 20-byte stub, one hangs with a child holding its output pipes,
one stops with an error. Each conversion must be refused with a clear
reason, keep the .docx files and leave no PDF, within the time limit; one
run through ``generate`` shows that a refusal is its one warning and that
the documents are published without PDFs. The real LibreOffice is
killed with its parent: ``kill -9`` of a ``generate`` in the middle of its
PDF stage leaves no ``soffice.bin`` and no profile behind. Tests that need
LibreOffice skip without it.
"""

from __future__ import annotations

import multiprocessing.util
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from multiprocessing.process import BaseProcess
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner, Result

from strategic_assessment.cli import cli
from strategic_assessment.documents import office
from strategic_assessment.documents.office import OfficeSession, UnoUnavailable, pdf_copies
from strategic_assessment.documents.office_processes import pipe_files, profile_root, sweep_profiles
from strategic_assessment.documents.pdf import PdfUnavailable, check_pdfs, pdf_problem

from .builders import TESTSHIRE_PLAN, write_settings
from .forked import run_cli, start_forked

ROOT = Path(__file__).resolve().parent.parent
YEAR_FOLDER = "2018-19"
PLAN = TESTSHIRE_PLAN

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="needs LibreOffice (soffice) on PATH to convert for real"
)
needs_uno = pytest.mark.skipif(
    subprocess.run([office.UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0
    if Path(office.UNO_PYTHON).exists()
    else True,
    reason=f"needs LibreOffice's UNO bridge (python3-uno) importable by {office.UNO_PYTHON}",
)


@pytest.fixture(autouse=True)
def own_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Profiles go under this test's own temporary folder, so what is left behind can be seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    multiprocessing.util.get_temp_dir()  # multiprocessing's own folder (a forked run's server socket) stays put
    monkeypatch.setenv("TMPDIR", str(folder))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    yield folder
    monkeypatch.setattr(tempfile, "tempdir", None)


@pytest.fixture
def testshire(inputs: Path) -> Path:
    """The Testshire inputs with a Plan on a Page section, so that both documents are written."""
    write_settings(inputs, plan_on_a_page=PLAN)
    return inputs


def generate_cli(inputs: Path, outputs: Path, *options: str) -> Result:
    return CliRunner().invoke(
        cli, ["generate", "--inputs", str(inputs), "--outputs", str(outputs), *options], catch_exceptions=False
    )


def one_line_docx(path: Path, text: str = "One line.") -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains ``text`` (other runs' LibreOffices are left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if text in command and alive(int(entry.name)):
                found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


# The PDF check ---------------------------------------------------------------------------------------------


def blank_pdf(path: Path, pages: int) -> Path:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    pdf.save(path)
    return path


def test_the_pdf_check_passes_a_pdf_with_a_page_and_refuses_broken_ones(tmp_path: Path) -> None:
    good = blank_pdf(tmp_path / "good.pdf", 1)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    stub = tmp_path / "stub.pdf"
    stub.write_bytes(b"%PDF-1.4\n%%EOF\n12345")  # 20 bytes, as a broken LibreOffice wrote
    no_pages = blank_pdf(tmp_path / "none.pdf", 0)
    assert len(stub.read_bytes()) == 20
    assert pdf_problem(good) == ""
    assert pdf_problem(empty).startswith("empty.pdf that is not a readable PDF (0 bytes")
    assert pdf_problem(stub).startswith("stub.pdf that is not a readable PDF (20 bytes")
    assert pdf_problem(no_pages).startswith("none.pdf with no pages")
    check_pdfs([good])
    with pytest.raises(PdfUnavailable, match=r"stub\.pdf that is not a readable PDF"):
        check_pdfs([good, stub])
    assert not good.exists() and not stub.exists()  # none of the set is kept


# Fake LibreOffices -----------------------------------------------------------------------------------------


def fake_soffice(folder: Path, body: str) -> Path:
    """A ``soffice`` script running ``body``; ``$OUT`` is its --outdir and ``$DOCS`` its documents."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        f"touch '{folder / 'started'}'\n"
        'OUT=""; DOCS=""\n'
        'while [ $# -gt 0 ]; do case "$1" in --outdir) OUT="$2"; shift;; *.docx) DOCS="$DOCS $1";; esac; shift; done\n'
        f"{body}\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return folder


WRITES_EMPTY = 'for d in $DOCS; do n=$(basename "$d" .docx); : > "$OUT/$n.pdf"; done'
WRITES_STUB = 'for d in $DOCS; do n=$(basename "$d" .docx); printf "%%PDF-1.4\\n%%%%EOF\\n12345" > "$OUT/$n.pdf"; done'
STOPS_WITH_ERROR = 'echo "Error: source file could not be loaded" >&2; exit 3'


def hangs_with_a_child(folder: Path) -> str:
    """Leaves a child holding stdout and stderr (its pid in ``child``), then sleeps itself."""
    return f"sleep 120 & echo $! > '{folder / 'child'}'\nsleep 120"


def use_fake(monkeypatch: pytest.MonkeyPatch, fake: Path, route: str) -> None:
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ.get('PATH', '')}")
    if route == "soffice":  # no UNO bridge: one soffice --convert-to start
        monkeypatch.setattr(office, "UNO_PYTHON", str(fake / "no-such-python"))


def assert_documents_without_pdfs(folder: Path) -> None:
    assert (folder / "strategic_assessment.docx").is_file()
    assert (folder / "plan_on_a_page.docx").is_file()
    assert sorted(path.name for path in folder.glob("*.pdf")) == []


def pdf_warning(result: Result) -> str:
    warnings = [line for line in result.stderr.splitlines() if "LibreOffice" in line]
    assert len(warnings) == 1, result.stderr
    return warnings[0]


def two_documents(folder: Path) -> list[Path]:
    """A Strategic Assessment and a Plan on a Page of one line each, as a run has written them for their PDFs."""
    folder.mkdir()
    return [one_line_docx(folder / "strategic_assessment.docx"), one_line_docx(folder / "plan_on_a_page.docx")]


def refused(documents: list[Path], timeout: float) -> str:
    """What ``pdf_copies`` says, refusing: no PDF is left beside the documents, which are kept."""
    folder = documents[0].parent
    with pytest.raises(PdfUnavailable) as raised:
        pdf_copies(documents, folder, timeout)
    assert sorted(path.name for path in folder.glob("*.pdf")) == []
    assert all(document.is_file() for document in documents)
    return str(raised.value)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (WRITES_EMPTY, "strategic_assessment.pdf that is not a readable PDF (0 bytes"),
        (WRITES_STUB, "strategic_assessment.pdf that is not a readable PDF (20 bytes"),
        (STOPS_WITH_ERROR, "LibreOffice stopped with exit code 3"),
    ],
    ids=["empty-pdf", "20-byte-pdf", "exit-code-3"],
)
def test_a_libreoffice_writing_no_real_pdf_is_refused_and_the_documents_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, says: str
) -> None:
    fake = fake_soffice(tmp_path / "bin", body)
    use_fake(monkeypatch, fake, "soffice")
    said = refused(two_documents(tmp_path / "documents"), 20)
    assert (fake / "started").exists(), "the fake soffice was not run"
    assert says in said


def test_a_run_whose_libreoffice_writes_no_real_pdf_warns_and_publishes_the_documents_without_pdfs(
    testshire: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run itself, for one of the refusals above: it ends well, with one warning and no PDF published."""
    fake = fake_soffice(tmp_path / "bin", WRITES_EMPTY)
    use_fake(monkeypatch, fake, "soffice")
    result = generate_cli(testshire, tmp_path / "outputs", "--pdf-timeout", "20")
    assert result.exit_code == 0, result.output
    assert (fake / "started").exists(), "the fake soffice was not run"
    warning = pdf_warning(result)
    assert warning.startswith("Warning:")
    assert "strategic_assessment.pdf that is not a readable PDF (0 bytes" in warning
    assert warning.endswith("the .docx files were written")
    assert_documents_without_pdfs(tmp_path / "outputs" / YEAR_FOLDER)


@pytest.mark.parametrize("route", ["soffice", "uno"])
def test_a_libreoffice_whose_child_holds_its_pipes_is_stopped_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    if route == "uno" and not Path(office.UNO_PYTHON).exists():
        pytest.skip(f"the UNO route needs {office.UNO_PYTHON}")
    fake = fake_soffice(tmp_path / "bin", hangs_with_a_child(tmp_path / "bin"))
    use_fake(monkeypatch, fake, route)
    documents = two_documents(tmp_path / "documents")
    started = time.perf_counter()
    said = refused(documents, 0.5)
    elapsed = time.perf_counter() - started
    assert (fake / "started").exists(), "the fake soffice was not run"
    child = int((fake / "child").read_text())
    assert "LibreOffice did not finish within 0.5 s" in said
    assert elapsed < 25, f"the conversion took {elapsed:.0f} s: the time limit did not hold"
    assert wait_until(lambda: not alive(child), 5), "the child holding the pipes was left running"


def test_a_libreoffice_that_exits_leaving_a_child_on_its_pipes_is_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_soffice(tmp_path / "bin", f"sleep 120 & echo $! > '{tmp_path / 'bin' / 'child'}'\nexit 0")
    use_fake(monkeypatch, fake, "soffice")
    documents = two_documents(tmp_path / "documents")
    started = time.perf_counter()
    said = refused(documents, 60)
    elapsed = time.perf_counter() - started
    child = int((fake / "child").read_text())
    assert "LibreOffice did not write strategic_assessment.pdf, plan_on_a_page.pdf" in said
    assert elapsed < 30, f"the conversion took {elapsed:.0f} s: it waited for the child holding the pipes"
    assert wait_until(lambda: not alive(child), 5), "the child holding the pipes was left running"


def test_a_libreoffice_stopping_at_start_is_reported_through_the_kept_route(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path(office.UNO_PYTHON).exists():
        pytest.skip(f"the UNO route needs {office.UNO_PYTHON}")
    fake = fake_soffice(tmp_path / "bin", STOPS_WITH_ERROR)
    use_fake(monkeypatch, fake, "uno")
    assert "exit code 3" in refused(two_documents(tmp_path / "documents"), 20)


def test_without_the_uno_bridge_a_kept_libreoffice_says_so(tmp_path: Path) -> None:
    with (
        OfficeSession(python=str(tmp_path / "no-such-python")) as kept,
        pytest.raises(UnoUnavailable, match=r"cannot be run"),
    ):
        kept.convert([one_line_docx(tmp_path / "a.docx")], tmp_path, 10)


# The real LibreOffice, kept ---------------------------------------------------------------------------------


@needs_libreoffice
@needs_uno
@pytest.mark.libreoffice
def test_a_kept_libreoffice_converts_again_without_a_new_start_and_cleans_up(
    tmp_path: Path, own_temporary_folder: Path
) -> None:
    first, second = one_line_docx(tmp_path / "first.docx", "First."), one_line_docx(tmp_path / "second.docx", "Two.")
    with OfficeSession() as kept:
        assert kept.convert([first], tmp_path, 120) == [tmp_path / "first.pdf"]
        worker = kept._running().pid
        (profile,) = list(profile_root().iterdir())
        offices = processes_mentioning(profile.name)
        assert offices, "no LibreOffice running with its profile"
        assert kept.convert([second, first], tmp_path, 120) == [tmp_path / "second.pdf", tmp_path / "first.pdf"]
        assert kept._running().pid == worker  # the same LibreOffice answered
    for pdf, words in ((tmp_path / "first.pdf", "First."), (tmp_path / "second.pdf", "Two.")):
        with pikepdf.open(pdf) as document:
            assert len(document.pages) == 1
        assert words in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert wait_until(lambda: not [pid for pid in offices if alive(pid)], 5), "LibreOffice outlived close()"
    assert list(own_temporary_folder.iterdir()) == []  # the profile and its root are gone
    assert [path for path in pipe_files(profile) if path.exists()] == []


def test_a_profile_nobody_holds_is_swept_and_a_held_one_kept(own_temporary_folder: Path) -> None:
    from strategic_assessment.documents.office_processes import new_profile

    held = new_profile()
    root = profile_root()
    left = root / "12345-left"
    (left / "user").mkdir(parents=True)
    (left / "lock").write_text("")  # its owner was killed: the file is there, nobody holds the lock
    young = root / "12346-young"
    (young / "user").mkdir(parents=True)
    (young / "lock").write_text("")  # a run may be about to lock it
    an_hour_ago = time.time() - 3600
    os.utime(left, (an_hour_ago, an_hour_ago))
    pipe = pipe_files(left)[1]
    pipe.write_text("")  # LibreOffice's pipe file for it, left in /tmp
    assert sweep_profiles() == [left]
    assert not left.exists() and not pipe.exists()
    assert held.folder.is_dir() and young.is_dir()
    os.utime(young, (an_hour_ago, an_hour_ago))
    assert sweep_profiles() == [young]
    held.remove()
    assert not root.exists()


# Children die with the run -------------------------------------------------------------------------------------


def start_generate(inputs: Path, outputs: Path, temporary: Path, charts: Path) -> BaseProcess:
    """``generate --only plan`` as a process of its own (forked: tests/forked.py), its chart cache ``charts``.

    The Plan on a Page alone: the generate that reaches its PDF stage soonest, drawing and writing least.

    Its ``TMPDIR`` is ``temporary`` (this process's, set by ``own_temporary_folder``); its standard error goes to
    ``generate-stderr.txt`` beside that folder.
    """
    (outputs / ".cache").mkdir(parents=True)
    (outputs / ".cache" / "charts").symlink_to(charts, target_is_directory=True)
    arguments = ["generate", "--inputs", str(inputs), "--outputs", str(outputs), "--only", "plan"]
    log = temporary.parent / "generate-stderr.txt"
    return start_forked(run_cli, arguments, log=log, out=log.with_name("stdout.txt"))  # TMPDIR: own_temporary_folder


def wait_for_pdf_stage(process: BaseProcess, temporary: Path) -> list[int]:
    """Read the run's log until it makes the PDFs, then wait for its soffice.bin; their process ids."""
    log = temporary.parent / "generate-stderr.txt"

    def making_pdfs() -> bool:
        assert process.exitcode is None, "the run ended before making the PDF copies"
        return log.is_file() and "Making PDF copies" in log.read_text(encoding="utf-8")

    assert wait_until(making_pdfs, 120), "the run did not reach the PDF copies"
    offices: list[int] = []

    def soffice_running() -> bool:
        offices[:] = [pid for pid in processes_mentioning(str(temporary)) if b"soffice.bin" in _command(pid)]
        return bool(offices)

    assert wait_until(soffice_running, 60), "soffice.bin did not start"
    return offices


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["kill-9", "sigterm", "sigint"])
def test_libreoffice_dies_with_a_killed_generate(
    testshire: Path, tmp_path: Path, own_temporary_folder: Path, chart_drawings: Path, how: signal.Signals
) -> None:
    process = start_generate(testshire, tmp_path / "outputs", own_temporary_folder, chart_drawings)
    try:
        offices = wait_for_pdf_stage(process, own_temporary_folder)
        assert process.pid is not None
        os.kill(process.pid, how)
        process.join(30)
    finally:
        if process.exitcode is None:
            process.kill()
            process.join(30)
    assert wait_until(lambda: not [pid for pid in offices if alive(pid)], 10), "soffice.bin outlived the run"
    left = lambda: [_command(pid) for pid in processes_mentioning(str(own_temporary_folder))]  # noqa: E731
    assert wait_until(lambda: left() == [], 10), left()  # LibreOffice's oosplash and the worker too
    if how != signal.SIGKILL:  # the run stopped itself: it removed the profile
        assert list(own_temporary_folder.iterdir()) == []
    assert wait_until(lambda: list(own_temporary_folder.iterdir()) == [], 10), "the profile was left behind"


@needs_libreoffice
@pytest.mark.libreoffice
def test_a_one_off_soffice_dies_with_a_killed_parent(tmp_path: Path, own_temporary_folder: Path) -> None:
    document = one_line_docx(tmp_path / "one.docx")
    script = (
        "import sys; from pathlib import Path; from strategic_assessment.documents.pdf import convert_to_pdf\n"
        "while True: convert_to_pdf([Path(sys.argv[1])], Path(sys.argv[2]), 120)\n"
    )
    environment = dict(os.environ, TMPDIR=str(own_temporary_folder))
    process = subprocess.Popen([sys.executable, "-c", script, str(document), str(tmp_path)], env=environment)
    try:
        offices: list[int] = []

        def soffice_running() -> bool:
            mine = processes_mentioning(str(own_temporary_folder))
            offices[:] = [pid for pid in mine if b"soffice.bin" in _command(pid)]
            return bool(offices)

        assert wait_until(soffice_running, 60), "soffice.bin did not start"
        process.kill()
        process.wait(timeout=30)
    finally:
        process.kill()
    assert wait_until(lambda: not [pid for pid in offices if alive(pid)], 10), "soffice.bin outlived its parent"
    assert wait_until(lambda: list(own_temporary_folder.iterdir()) == [], 10), "the profile was left behind"


def test_earlier_versions_profiles_are_swept_unless_a_process_uses_them(own_temporary_folder: Path) -> None:
    old, used = (
        own_temporary_folder / "strategic-assessment-lo-old",
        own_temporary_folder / "strategic-assessment-lo-used",
    )
    for folder in (old, used):
        (folder / "user").mkdir(parents=True)
        os.utime(folder, (time.time() - 3600, time.time() - 3600))
    fresh = own_temporary_folder / "strategic-assessment-lo-fresh"
    fresh.mkdir()  # a run of an earlier version may be starting with it
    user = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", f"-env:UserInstallation={used.as_uri()}"]
    )
    try:
        # Popen returns once the child's exec has closed its descriptors, a moment before the kernel shows
        # its new command line: wait for it, as a LibreOffice that has held a profile for a minute shows it.
        deadline = time.monotonic() + 10
        while used.as_uri().encode() not in Path(f"/proc/{user.pid}/cmdline").read_bytes():
            assert time.monotonic() < deadline, "the sleeping process never showed its command line"
            time.sleep(0.01)
        assert sweep_profiles() == [old]
    finally:
        user.kill()
        user.wait()
    assert not old.exists() and used.is_dir() and fresh.is_dir()
