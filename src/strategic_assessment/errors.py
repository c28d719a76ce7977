"""Problems found in user input, and the exceptions that carry them.

Every problem names where it is (file, sheet, cell, or a settings key), what
is wrong and how to fix it, so that a run on bad input can list every problem
at once as ``file › sheet › cell: what is wrong; how to fix it``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .limits import MAX_SHOWN_CHARACTERS

MAX_PART_CHARACTERS = 4 * MAX_SHOWN_CHARACTERS + 200
"""A problem's wording is never longer than this, whatever was quoted into it."""


def shown(value: Any, limit: int = MAX_SHOWN_CHARACTERS) -> str:
    """A value as a message quotes it: its text (``repr`` for what is not text) cut to ``limit`` characters.

    Every message that echoes an input value goes through here, so a 200,000-character
    value, or a structure that would expand on printing, is never written out whole.
    Containers are summarised before ``repr`` so that printing them stays cheap.
    """
    if isinstance(value, dict | list | tuple | set) and len(value) <= 10 and all(_scalar(v) for v in value):
        return shown(repr(value), limit)
    if isinstance(value, dict | list | tuple | set):
        kind = {dict: "a mapping", list: "a list", tuple: "a list", set: "a set"}[type(value)]
        return f"{kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    text = value if isinstance(value, str) else repr(value)
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float) or (isinstance(value, str) and len(value) < 100)


def quoted(value: Any) -> str:
    """A value quoted for a message: ``'text'`` for text, the value itself otherwise (cut like ``shown``)."""
    return f"'{shown(value)}'" if isinstance(value, str) else shown(value)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str
    problem: str
    fix: str = ""
    sheet: str = ""
    cell: str = ""

    def __post_init__(self) -> None:
        # A last guard: whatever a check quoted, no part of a message is longer than a few lines.
        for name in ("file", "problem", "fix", "sheet", "cell"):
            text = getattr(self, name)
            if len(text) > MAX_PART_CHARACTERS:
                object.__setattr__(self, name, text[: MAX_PART_CHARACTERS - 1] + "…")

    def __str__(self) -> str:
        place = " › ".join(part for part in (self.file, self.sheet, self.cell) if part)
        text = f"{place}: {self.problem}"
        return f"{text}; {self.fix}" if self.fix else text


class InputError(Exception):
    """Raised when inputs are unusable; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        count = len(self.problems)
        heading = "1 problem" if count == 1 else f"{count} problems"
        lines = [f"{heading} found in the inputs:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        return "\n".join(lines)


class UsageError(Exception):
    """Raised for a request the program cannot carry out as asked (unknown threat, bad option)."""


class OutputError(Exception):
    """Raised when an output cannot be written (folder not writable, disk full)."""


class ProblemLog:
    """Collects problems and warnings while a stage reads its inputs."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def warn(self, warning: Problem) -> None:
        self.warnings.append(warning)

    def extend(self, other: ProblemLog) -> None:
        self.problems.extend(other.problems)
        self.warnings.extend(other.warnings)

    def raise_if_any(self) -> None:
        """Raise InputError with every problem collected so far, if there is one."""
        if self.problems:
            raise InputError(self.problems)


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``name`` (ignoring case), or None when nothing is close."""
    options = list(choices)
    lowered = {option.lower(): option for option in options}
    matches = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[matches[0]] if matches else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A ``did you mean`` hint, or an empty string when nothing is close."""
    match = closest(name, choices)
    return f"did you mean '{match}'?" if match else ""
