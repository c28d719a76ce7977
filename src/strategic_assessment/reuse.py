"""What one process keeps between runs: reading stages' results keyed by the content hash of what they read.

``watch`` keeps one ``Kept`` for its life, so after a save of one workshop
workbook only the workshop workbooks are read again. A result is reused only
when every file its stage reads has the same bytes, and the settings and
model are the same, as when it was kept; the problems and warnings the stage
reported then are reported again. A stage that raises keeps nothing.

Written here (a dict and sha256) rather than taken from a caching library:
the key is the content of a list of files, which ``functools.cache`` cannot
see, and the results must be handed out as copies (they hold DataFrames).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

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
            return copy.deepcopy(found[1])
        log = ProblemLog()
        result = reader(log)
        problems.extend(log)
        self._results[name] = (key, copy.deepcopy(result), log)
        return result
