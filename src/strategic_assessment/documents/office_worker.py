"""The LibreOffice end of ``office.OfficeSession``, and the guard of a one-off LibreOffice start.

Started by ``office_processes.start_guarded`` as ``PYTHON office_worker.py
MODE PROFILE PARENT ARGUMENTS...`` in a process group of its own:

- ``serve SOFFICE`` (run by the system Python, which has LibreOffice's
  ``uno``): starts LibreOffice (headless, the given profile folder, a named
  pipe for UNO) in the same group and answers one JSON line on stdin with one
  JSON line on stdout. Request ``{"documents": [".../a.docx"], "folder":
  "...", "filter_data": {"UseTaggedPDF": true, ...}}``; answer ``{"made":
  [".../a.pdf"]}`` or ``{"error": "..."}``. Each document is loaded hidden,
  its indexes (the contents: entries, page numbers, links) and fields are
  updated, it is exported with ``writer_pdf_Export`` and closed. The first
  line is ``{"ready": true}`` once LibreOffice answers, ``{"unavailable":
  "..."}`` when this Python has no ``uno``, or ``{"error": "..."}``.
- ``guard COMMAND...``: runs the command (``soffice --convert-to``) in the
  same group and exits with its exit code.

Nothing outlives the program that started this one: when the parent dies
(``PR_SET_PDEATHSIG`` gives a SIGTERM, and a thread watches the parent) or,
when serving, stdin closes, every other process of the group (LibreOffice's
``oosplash`` and ``soffice.bin``, and anything they started) is killed and
the profile folder removed. This file imports only the standard library,
``uno`` and its sibling ``office_processes`` (standard library only), because
it runs outside the package's environment.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from office_processes import PIPE_PREFIX, remove_profile  # type: ignore[import-not-found]  # beside this file

START_TIMEOUT = 120.0


def group_members() -> list[int]:
    """The other live processes of this process's group, read from /proc."""
    group, me, found = os.getpgrp(), os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # after "pid (name) ": state, ppid, pgrp, ...
        if len(fields) > 2 and int(fields[2]) == group and fields[0] != "Z":
            found.append(int(entry))
    return found


def stop_everything(profile: Path, code: int) -> None:
    """Kill the rest of the group (until none is left), remove the profile folder and exit."""
    for _ in range(100):
        members = group_members()
        if not members:
            break
        for pid in members:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)
    remove_profile(profile)
    with contextlib.suppress(OSError):
        profile.parent.rmdir()  # the root too, when no other run is using it
    os._exit(code)


def watch_parent(parent: int, profile: Path) -> None:
    while True:
        if os.getppid() != parent:
            stop_everything(profile, 3)
        time.sleep(0.1)


def guard(profile: Path, command: list[str]) -> None:
    """Run ``command`` in this group, with LibreOffice's temporary files in the profile; exit with its code."""
    environment = dict(os.environ, TMPDIR=str(profile / "tmp"))
    (profile / "tmp").mkdir(exist_ok=True)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, env=environment)
    os._exit(process.wait())


def start_office(soffice: str, profile: Path) -> subprocess.Popen[bytes]:
    """LibreOffice, headless, in this group, its output to a file in the profile (never to our pipes)."""
    (profile / "tmp").mkdir(exist_ok=True)
    with open(profile / "soffice.log", "wb") as log:
        command = [
            soffice,
            f"-env:UserInstallation={(profile / 'user').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={PIPE_PREFIX}{profile.name};urp;StarOffice.ComponentContext",
        ]
        environment = dict(os.environ, TMPDIR=str(profile / "tmp"))
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=environment)


def connect(profile: Path, office: subprocess.Popen[bytes]) -> Any:
    """LibreOffice's desktop, once it answers on its pipe."""
    import uno  # type: ignore[import-not-found]
    from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={PIPE_PREFIX}{profile.name};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except NoConnectException:
            if office.poll() is not None and office.returncode not in (0, 81):  # 81: restarting after first start
                raise RuntimeError(f"LibreOffice stopped at start with exit code {office.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"LibreOffice did not answer within {START_TIMEOUT:g} s of starting") from None
            time.sleep(0.05)


def properties(**values: Any) -> tuple[Any, ...]:
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    made = []
    for name, value in values.items():
        item = PropertyValue()
        item.Name, item.Value = name, value
        made.append(item)
    return tuple(made)


def update_and_export(desktop: Any, document_path: Path, pdf: Path, filter_data: dict[str, bool]) -> None:
    """Load hidden, update the indexes and fields (twice: page numbers can move the layout), export, close."""
    import uno

    document = desktop.loadComponentFromURL(document_path.resolve().as_uri(), "_blank", 0, properties(Hidden=True))
    if document is None:
        raise RuntimeError(f"LibreOffice could not open {document_path.name}")
    try:
        indexes = document.getDocumentIndexes()
        for _ in range(2):
            for number in range(indexes.getCount()):
                indexes.getByIndex(number).update()
            document.getTextFields().refresh()
        data = uno.Any("[]com.sun.star.beans.PropertyValue", properties(**filter_data))
        document.storeToURL(pdf.resolve().as_uri(), properties(FilterName="writer_pdf_Export", FilterData=data))
    finally:
        document.close(True)


def answer(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def serve(profile: Path, soffice: str) -> None:
    try:
        import uno  # noqa: F401
    except ImportError as error:
        answer({"unavailable": f"this Python has no LibreOffice UNO bridge ({error})"})
        stop_everything(profile, 0)
    try:
        office = start_office(soffice, profile)
        desktop = connect(profile, office)
    except Exception as error:  # every start failure is reported the same way
        answer({"error": str(error) or type(error).__name__})
        stop_everything(profile, 1)
    answer({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        try:
            folder = Path(request["folder"])
            made = []
            for name in request["documents"]:
                pdf = folder / f"{Path(name).stem}.pdf"
                update_and_export(desktop, Path(name), pdf, request["filter_data"])
                made.append(str(pdf))
            answer({"made": made})
        except Exception as error:  # a failed conversion is an answer, not a crash
            answer({"error": f"{type(error).__name__}: {error}".strip()})
    stop_everything(profile, 0)


def main() -> None:
    mode, profile, parent, arguments = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    signal.signal(signal.SIGTERM, lambda *_: stop_everything(profile, 3))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C reaches the whole terminal; the parent decides
    if os.getppid() != parent:  # the parent died before the kernel was asked to tell us
        stop_everything(profile, 3)
    threading.Thread(target=watch_parent, args=(parent, profile), daemon=True).start()
    if mode == "guard":
        guard(profile, arguments)
    serve(profile, arguments[0])


if __name__ == "__main__":
    main()
