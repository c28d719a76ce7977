"""LibreOffice's processes and profile folders: started so that they die with the run, and cleaned up after.

Every LibreOffice the program starts runs under ``office_worker.py`` in a
process group of its own (``start_new_session``). The worker gets a SIGTERM
when the process that started it dies (``PR_SET_PDEATHSIG``) and also
watches its parent itself, so even a ``kill -9`` of ``generate`` takes
``oosplash`` and ``soffice.bin`` with it; every normal or exceptional exit
kills the group (``stop_group``).

Profiles live in one folder under the system temporary folder, each with a
``lock`` file held (``flock``) by the processes that use it. Each start
first removes the profiles nobody holds any more (a run killed before it
could clean up), with the two pipe files LibreOffice leaves in ``/tmp`` for
them, and the ``strategic-assessment-lo-*`` folders earlier versions left
when killed (older than a minute, named by no running process). Written here
because no library covers a LibreOffice's process tree.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

WORKER = Path(__file__).with_name("office_worker.py")
PIPE_PREFIX = "strategic-assessment-"
PIPE_FOLDER = Path("/tmp")  # LibreOffice's named pipes are always made here (osl's PIPEDEFAULTPATH)
ABANDONED_AFTER = 60.0  # seconds: a profile folder with no lock file yet is being made, unless older than this
BEING_MADE = 5.0  # seconds: a younger profile folder is never swept, locked or not
PR_SET_PDEATHSIG = 1


def profile_root() -> Path:
    return Path(tempfile.gettempdir()) / "strategic-assessment-office"


@dataclass
class Profile:
    """A LibreOffice profile folder of this run, held by ``lock`` (an open file with an flock on it)."""

    folder: Path
    lock: int

    @property
    def user_installation(self) -> str:
        return (self.folder / "user").as_uri()

    @property
    def pipe(self) -> str:
        """The name of the pipe a kept LibreOffice accepts UNO connections on."""
        return PIPE_PREFIX + self.folder.name

    def remove(self) -> None:
        """Remove the folder and LibreOffice's pipe files for it, and let go of the lock."""
        remove_profile(self.folder)
        with contextlib.suppress(OSError):
            os.close(self.lock)
        with contextlib.suppress(OSError):
            self.folder.parent.rmdir()  # the root too, when no other run is using it


def new_profile() -> Profile:
    """A fresh profile folder, locked by this process; stale profiles of earlier runs are removed first."""
    sweep_profiles()
    for _ in range(5):
        root = profile_root()
        root.mkdir(parents=True, exist_ok=True)
        try:
            folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
            lock = os.open(folder / "lock", os.O_CREAT | os.O_RDWR, 0o600)
        except FileNotFoundError:  # another run removed the empty root in between
            continue
        fcntl.flock(lock, fcntl.LOCK_EX)
        return Profile(folder, lock)
    raise OSError(f"could not make a LibreOffice profile folder in {profile_root()}")


def sweep_profiles() -> list[Path]:
    """Remove the profile folders no live process holds (left by a run that was killed); the ones removed."""
    root = profile_root()
    try:
        folders = [path for path in root.iterdir() if path.is_dir()]
    except OSError:
        folders = []
    removed = []
    for folder in folders:
        try:
            age = time.time() - folder.stat().st_mtime
            lock = os.open(folder / "lock", os.O_RDWR)
        except FileNotFoundError:
            if age > ABANDONED_AFTER:
                remove_profile(folder)
                removed.append(folder)
            continue
        except OSError:
            continue
        if age < BEING_MADE:  # its run may be between making the lock file and locking it
            os.close(lock)
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)  # held: a run is using it
            continue
        remove_profile(folder)
        os.close(lock)
        removed.append(folder)
    with contextlib.suppress(OSError):
        root.rmdir()
    return removed + _sweep_earlier_profiles()


EARLIER_PREFIX = "strategic-assessment-lo-"  # the profile folders of earlier versions, straight in the temporary folder


def _sweep_earlier_profiles() -> list[Path]:
    """Remove earlier versions' profile folders left by killed runs: older than a minute and no process names them."""
    try:
        folders = [
            path
            for path in Path(tempfile.gettempdir()).glob(f"{EARLIER_PREFIX}*")
            if path.is_dir() and time.time() - path.stat().st_mtime > ABANDONED_AFTER
        ]
    except OSError:
        return []
    if not folders:
        return []
    commands = b"\0".join(_command_lines())
    removed = [folder for folder in folders if str(folder).encode() not in commands]
    for folder in removed:
        remove_profile(folder)
        with contextlib.suppress(OSError):
            (PIPE_FOLDER / f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{_digest(folder.as_uri())}").unlink()
    return removed


def _command_lines() -> list[bytes]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                found.append((entry / "cmdline").read_bytes())
    return found


def _digest(url: str) -> str:
    return "".join(format(byte, "x") for byte in hashlib.md5(url.encode("utf-16-le")).digest())


def pipe_files(folder: Path) -> list[Path]:
    """The pipe files LibreOffice makes for a profile: its single-instance pipe and the UNO pipe we name.

    The single-instance pipe is ``SingleOfficeIPC_`` and the MD5 of the profile's URL (as UTF-16),
    each byte in hex without padding, as LibreOffice's desktop module writes it.
    """
    digest = _digest((folder / "user").as_uri())
    uid = os.getuid()
    return [
        PIPE_FOLDER / f"OSL_PIPE_{uid}_SingleOfficeIPC_{digest}",
        PIPE_FOLDER / f"OSL_PIPE_{uid}_{PIPE_PREFIX}{folder.name}",
    ]


def remove_profile(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for pipe in pipe_files(folder):
        with contextlib.suppress(OSError):
            pipe.unlink()


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` asking the kernel for a SIGTERM when the starting thread dies (Linux), or None.

    The kernel sends it when the *thread* that started the child ends, so it is only asked for from the
    main thread; the worker's own watch on its parent covers the rest.
    """
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)

    return preexec


def start_guarded(
    mode: str,
    profile: Profile,
    arguments: list[str],
    python: str,
    stdout: int = subprocess.DEVNULL,
    stdin: int = subprocess.DEVNULL,
    stderr: int = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    """``office_worker.py MODE PROFILE PARENT ARGUMENTS...`` in a new process group that dies with this process.

    ``serve`` keeps a LibreOffice for UNO requests on stdin (``arguments``: the soffice command);
    ``guard`` runs ``arguments`` as a command and exits with its code. Its output goes to ``stdout`` (a
    pipe or a file, never inherited by LibreOffice), its errors to ``stderr``.
    """
    return subprocess.Popen(
        [python, str(WORKER), mode, str(profile.folder), str(os.getpid()), *arguments],
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
        pass_fds=(profile.lock,),  # the worker holds the profile too, while it lives
        preexec_fn=_die_with_parent(),  # only prctl, safe after fork
    )


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the process group ``process`` leads (LibreOffice and anything it started) and reap the leader."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
