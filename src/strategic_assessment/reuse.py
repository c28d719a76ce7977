"""What a run reuses from the runs before it, keyed by the content hash of what each stage reads.

Reading stages (``Kept``): ``watch`` keeps one ``Kept`` for its life, so after a save of one workshop
workbook only the workshop workbooks are read again. A result is reused only
when every file its stage reads has the same bytes, and the settings and
model are the same, as when it was kept; the problems and warnings the stage
reported then are reported again. A stage that raises keeps nothing.

Documents (``KeptDocuments``): a document is keyed by the program, its
template and everything its context is made of; when the key is the one the
year's current set recorded for its copy in ``manifest.json``, that copy
(and its PDF) goes into the new set, and the document is not rendered.

Parsed inputs (``ParsedInputs``): a new process (``generate`` after a save) finds each reading stage's
result in a folder of the outputs' cache, pickled under the same kind of key with the program's digest
added, so a file whose bytes are unchanged is neither read nor parsed again and the readers (and the
libraries they need) are not even imported. A damaged or unreadable entry is read again.
Each entry is signed (HMAC-SHA256) with a key of the user's own, kept outside the outputs folder
(``$XDG_CACHE_HOME`` or ``~/.cache``, ``strategic-assessment/cache-key``, readable by the user only), and
is unpickled only when its signature is that key's: an outputs folder on a shared drive is often writable
by others, and unpickling a file someone else wrote would run their code. Without a key (a home folder
that cannot be written) nothing is kept.

Written here (a dict and sha256) rather than taken from a caching library:
the key is the content of a list of files, which ``functools.cache`` cannot
see, and the results must be handed out as copies (they hold DataFrames).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import hmac
import importlib.util
import json
import os
import pickle
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

from .errors import ProblemLog

T = TypeVar("T")


def content_key(name: str, basis: str, files: Iterable[Path]) -> str:
    """The sha256 of a stage's name, what it depends on besides files, and each file's name and bytes."""
    digest = hashlib.sha256(f"{name}\n{basis}\n".encode())
    for path in sorted(files):
        digest.update(f"{path}\n".encode())
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


class Kept:
    """Results of reading stages, one per stage name: the last one read, with its key and what it reported."""

    def __init__(self) -> None:
        self._results: dict[str, tuple[str, Any, ProblemLog]] = {}
        self.reused: list[str] = []
        """The stages the last ``build_assessment`` took from here rather than reading."""

    def read(self, name: str, key: str, reader: Callable[[ProblemLog], T], problems: ProblemLog) -> T:
        """The stage's result: kept, when ``key`` matches the one it was read under, else read now and kept."""
        found = self._results.get(name)
        if found is not None and found[0] == key:
            self.reused.append(name)
            problems.extend(found[2])
            return cast(T, copy.deepcopy(found[1]))
        log = ProblemLog()
        result = reader(log)
        problems.extend(log)
        self._results[name] = (key, copy.deepcopy(result), log)
        return result


class ParsedInputs:
    """Results of reading stages kept on disk in ``folder`` (never inside the inputs folder): one entry per
    stage and list of files, holding the key it was read under, the result and what the stage reported.

    The key is ``content_key`` of the stage's files with the program's digest in its basis, so a changed
    byte of any file read, a changed setting or a changed program reads again.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.reused: list[str] = []

    def read(self, name: str, key: str, reader: Callable[[ProblemLog], T], problems: ProblemLog) -> T:
        """The stage's result: kept, when ``key`` matches the one it was read under, else read now and kept."""
        key = hashlib.sha256(f"{key}\n{program_digest()}".encode()).hexdigest()
        entry = self.folder / f"{name}-{key[:40]}.pickle"
        signing = signing_key()
        found = _unpickled(entry, signing)
        if isinstance(found, tuple) and len(found) == 3 and found[0] == key and isinstance(found[2], ProblemLog):
            self.reused.append(name)
            problems.extend(found[2])
            return cast(T, found[1])
        log = ProblemLog()
        result = reader(log)
        problems.extend(log)
        try:
            payload = pickle.dumps((key, result, log), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return result
        if signing is not None:
            self._keep(name, entry, _signature(signing, payload) + payload)
        # handed out as it will be read next time, so a run reading afresh and one reading from here
        # hold equal objects built the same way (a document's key is made of their pickled bytes)
        return cast(T, pickle.loads(payload)[1])

    def _keep(self, name: str, entry: Path, payload: bytes) -> None:
        """Write the entry whole (a temporary file renamed into place); older entries of the stage are removed."""
        temporary = ""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.glob(f"{name}-*.pickle"):
                with contextlib.suppress(OSError):
                    old.unlink()
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".part-", suffix=".pickle")
            with os.fdopen(handle, "wb") as file:
                file.write(payload)
            os.replace(temporary, entry)
        except OSError:
            if temporary:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            # a cache that cannot be written only costs time next run


SIGNATURE_BYTES = 32


def _unpickled(entry: Path, signing: bytes | None) -> Any:
    """The entry's contents, if it is whole and signed with ``signing``; else None (the stage is read again)."""
    if signing is None:
        return None
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    signature, payload = data[:SIGNATURE_BYTES], data[SIGNATURE_BYTES:]
    if not hmac.compare_digest(signature, _signature(signing, payload)):
        return None  # not written by this user's runs: never unpickled
    try:
        return pickle.loads(payload)
    except Exception:  # written by a program whose classes have changed: read again
        return None


def _signature(signing: bytes, payload: bytes) -> bytes:
    return hmac.new(signing, payload, hashlib.sha256).digest()


@functools.cache
def signing_key() -> bytes | None:
    """The user's key for signing kept entries, made on first use (readable by the user only); None if it
    cannot be read or made."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "strategic-assessment" / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= SIGNATURE_BYTES:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cache-key-")  # made 0600
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(SIGNATURE_BYTES))
        os.replace(temporary, path)  # of two made at once, the last renamed is the key both read back
        key = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return key if len(key) >= SIGNATURE_BYTES else None


DOCUMENT_KEYS = "document_keys"
"""The manifest's record of the key each document of the set was rendered under, with what rendering said."""


@functools.cache
def program_digest() -> str:
    """sha256 of the package's code and of the installed libraries' names and versions.

    Part of every document's key, so a changed program or library never hands on a document it would
    now write differently. The libraries are known by their ``*.dist-info`` folders, read without
    importing them.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    spec = importlib.util.find_spec("docxtpl")
    if spec is not None and spec.origin:
        site = Path(spec.origin).resolve().parents[1]
        digest.update("\n".join(sorted(n for n in os.listdir(site) if n.endswith(".dist-info"))).encode())
    return digest.hexdigest()


def document_key(template: Path, *parts: bytes) -> str:
    """The key of a rendered document: the program, the template's bytes and everything the context is made of."""
    digest = hashlib.sha256(program_digest().encode())
    digest.update(hashlib.sha256(template.read_bytes()).digest())
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


class KeptDocuments:
    """The documents of the year's current set and the keys they were rendered under (from its manifest).

    A document whose key is the one recorded for the current set's copy would render to the same
    bytes: that copy is put into the new set instead (with its PDF, when PDFs are made), and what its
    rendering said is said again.
    """

    def __init__(self, current: Path, pdf: bool) -> None:
        self.current = current
        self.pdf = pdf
        self.previous = _recorded(current / "manifest.json")
        self.records: dict[str, dict[str, Any]] = {}
        self.kept: list[str] = []

    def reuse(self, name: str, key: str, staging: Path, warnings: list[str]) -> bool:
        """Copy the current set's ``name`` into ``staging`` if it was rendered under ``key``; True when it was."""
        record = self.previous.get(name, {})
        source = self.current / name
        if record.get("key") != key or _sha256(source) != record.get("sha256"):
            return False  # rendered from something else, or changed since (opened and saved in Word)
        said = [str(line) for line in record.get("warnings", [])]
        shutil.copy2(source, staging / name)
        pdf = source.with_suffix(".pdf")
        if self.pdf and record.get("pdf_sha256") and _sha256(pdf) == record["pdf_sha256"]:
            shutil.copy2(pdf, staging / pdf.name)
        warnings.extend(said)
        self.records[name] = {"key": key, "warnings": said}
        self.kept.append(name)
        return True

    def rendered(self, name: str, key: str, said: list[str]) -> None:
        """Record the key a document was rendered under now, with what its rendering said."""
        self.records[name] = {"key": key, "warnings": list(said)}

    def for_manifest(self, staging: Path) -> dict[str, dict[str, Any]]:
        """The records of the new set's documents: this run's, and the current set's for documents carried.

        Each names the sha256 of the document and of its PDF as they are in the new set.
        """
        carried = {name: record for name, record in self.previous.items() if (staging / name).is_file()}
        records = {**carried, **self.records}
        return {
            name: {
                **record,
                "sha256": _sha256(staging / name),
                "pdf_sha256": _sha256((staging / name).with_suffix(".pdf")),
            }
            for name, record in records.items()
        }


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _recorded(manifest: Path) -> dict[str, dict[str, Any]]:
    try:
        found = json.loads(manifest.read_text(encoding="utf-8")).get(DOCUMENT_KEYS, {})
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(name): record for name, record in found.items() if isinstance(record, dict)}
