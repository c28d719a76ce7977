"""Single-mutation fuzzing of an inputs folder, run in-process.

Each example copies the inputs folder, changes one thing (a cell of a
workbook, a row, column or sheet, a key of a YAML file, or the bytes of a
file), then does what ``validate`` does and, when that accepts the inputs,
what ``generate --no-pdf`` does, in this process. The outcome is one of:

- ``accepted``: both ran;
- ``refused``: an InputError whose every problem names its file (and the
  sheet and cell, or key, where there is one), or a UsageError;
- ``unplaced``: an InputError with a problem that names no file;
- ``mismatch``: ``validate`` accepted what ``generate`` then refused;
- ``internal``: any other exception (the traceback is kept);
- ``hang``: an example ran past its time limit;
- ``wrote-inputs``: the inputs folder changed.

The generator is seeded, so a run is repeatable; ``python scripts/fuzz.py
--count 1000`` prints the counts per outcome and the peak memory (the
largest resident size of one process, from ``getrusage``); ``--jobs 2``
shares the count between two processes seeded apart.

Written here rather than with hypothesis: the examples are whole folders of
files changed one byte, cell or key at a time, and a seeded generator over
those operations is shorter than hypothesis strategies for them; the test
suite runs a few of the same examples (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import hashlib
import json
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from strategic_assessment.errors import InputError, OutputError, UsageError  # noqa: E402

CELL_VALUES: tuple[Any, ...] = (
    None,
    "",
    "   ",
    0,
    -1,
    1.5,
    3,
    9223372036854775808,
    1e30,
    -1e30,
    "6,5",
    "1,234",
    "text",
    "=1+1",
    '=HYPERLINK("http://x.test","y")',
    "+44 1752",
    "@sum",
    dt.datetime(2019, 1, 1),
    dt.date(2018, 4, 1),
    True,
    False,
    "x" * 30_000,
    "Cost $5 to $10",
    "ŵŷ 😀 & < > \" '",
    "\u200b",
    "2018/19",
    "2017/18",
    "High",
    "Domestic abuse",
    "All crime",
)
YAML_VALUES: tuple[Any, ...] = (
    None,
    "",
    0,
    -5,
    10**30,
    float("nan"),
    float("inf"),
    1.5,
    True,
    "text",
    "x" * 200_000,
    "Cost $5 to $10",
    "2019-02-30",
    dt.date(2019, 3, 31),
    [],
    [1, 2],
    {"a": 1},
    "../x.yaml",
    "morile",
    "stra",
    "2018/19",
    '=HYPERLINK("x")',
    'ŵŷ 😀 & < > "',
)
LIMIT_SECONDS = 120


@dataclass(frozen=True)
class Outcome:
    kind: str
    mutation: str
    detail: str = ""


class _Hang(BaseException):
    """Raised by the alarm when an example runs past its time limit."""


# --- mutations --------------------------------------------------------------------------------------


def mutate(folder: Path, rng: random.Random) -> str:
    """Change one thing in the inputs folder; returns what was changed, in words."""
    files = sorted(path for path in folder.rglob("*") if path.is_file() and path.suffix in (".xlsx", ".yaml", ".csv"))
    path = rng.choice(files)
    name = path.relative_to(folder).as_posix()
    roll = rng.random()
    if roll < 0.06:
        return f"{name}: {_bytes(path, rng)}"
    if path.suffix == ".xlsx":
        return f"{name}: {_workbook(path, rng)}"
    if path.suffix == ".yaml":
        return f"{name}: {_yaml(path, rng)}"
    return f"{name}: {_csv(path, rng)}"


def _bytes(path: Path, rng: random.Random) -> str:
    data = bytearray(path.read_bytes())
    if not data:
        return "empty already"
    if rng.random() < 0.5:
        cut = rng.randrange(len(data))
        path.write_bytes(bytes(data[:cut]))
        return f"truncated to {cut} bytes"
    index = rng.randrange(len(data))
    data[index] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))
    return f"bit flipped at byte {index}"


def _workbook(path: Path, rng: random.Random) -> str:
    book = load_workbook(path)
    sheet = rng.choice(book.worksheets)
    roll = rng.random()
    rows, columns = max(sheet.max_row, 1), max(sheet.max_column, 1)
    if roll < 0.70:
        row = rng.randint(1, rows + 1) if rng.random() < 0.9 else rng.choice((1, 2))
        column = rng.randint(1, columns + 1)
        value = rng.choice(CELL_VALUES)
        sheet.cell(row=row, column=column).value = value
        what = f"{sheet.title} {sheet.cell(row=row, column=column).coordinate} = {_short(value)}"
    elif roll < 0.78:
        row = rng.randint(1, rows)
        sheet.delete_rows(row)
        what = f"{sheet.title} row {row} deleted"
    elif roll < 0.84:
        row = rng.randint(2, max(rows, 2))
        sheet.append([cell.value for cell in sheet[row]])
        what = f"{sheet.title} row {row} duplicated"
    elif roll < 0.90:
        column = rng.randint(1, columns)
        sheet.delete_cols(column)
        what = f"{sheet.title} column {column} deleted"
    elif roll < 0.95 and len(book.worksheets) > 1:
        book.remove(sheet)
        what = f"sheet {sheet.title} deleted"
    else:
        new = rng.choice(("Annual", " scores", "themes2", "Monthly", "x"))
        what = f"sheet {sheet.title} renamed {new!r}"
        sheet.title = new
    book.save(path)
    return what


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _yaml(path: Path, rng: random.Random) -> str:
    text = path.read_text(encoding="utf-8")
    roll = rng.random()
    if roll < 0.08:
        line = rng.choice([line for line in text.splitlines() if line and not line.startswith((" ", "#"))] or ["x: 1"])
        path.write_text(text + line + "\n", encoding="utf-8")
        return f"line repeated: {line[:40]!r}"
    if roll < 0.12:
        path.write_text(text + "bomb: &a [1, 1]\nbombs: [*a, *a]\n", encoding="utf-8")
        return "alias added"
    data = yaml.safe_load(text)
    paths = list(_paths(data))
    if not paths:
        return "no keys"
    where = rng.choice(paths)
    parent = data
    for step in where[:-1]:
        parent = parent[step]
    if rng.random() < 0.15:
        del parent[where[-1]]
        what = f"{'.'.join(map(str, where))} deleted"
    else:
        value = rng.choice(YAML_VALUES)
        parent[where[-1]] = value
        what = f"{'.'.join(map(str, where))} = {_short(value)}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return what


def _csv(path: Path, rng: random.Random) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    index = rng.randrange(len(lines)) if lines else 0
    value = str(rng.choice(CELL_VALUES))[:50]
    if lines:
        cells = lines[index].split(",")
        cells[rng.randrange(len(cells))] = value
        lines[index] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"line {index + 1} cell = {value[:30]!r}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- running one example ----------------------------------------------------------------------------


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def stop(_signum: int, _frame: Any) -> None:
        raise _Hang

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _placed(error: InputError) -> bool:
    return bool(error.problems) and all(problem.file for problem in error.problems)


def run_example(inputs: Path, outputs: Path, mutation: str, generate_too: bool = True) -> Outcome:
    """What validate and then generate (no PDF) make of the inputs folder."""
    from strategic_assessment.pipeline import PARTS, build_assessment, check_before_writing, generate

    before = _folder_digest(inputs)
    stage = "validate"
    try:
        with _time_limit(LIMIT_SECONDS):
            assessment = build_assessment(inputs)
            check_before_writing(assessment, outputs, set(PARTS))
            if generate_too:
                stage = "generate"
                generate(inputs, outputs, pdf=False)
    except _Hang:
        return Outcome("hang", mutation, stage)
    except InputError as error:
        if stage == "generate":
            return Outcome("mismatch", mutation, error.message[:500])
        return Outcome("refused" if _placed(error) else "unplaced", mutation, error.message[:500])
    except (UsageError, OutputError) as error:
        return Outcome("mismatch" if stage == "generate" else "refused", mutation, str(error)[:500])
    except Exception:
        return Outcome("internal", mutation, traceback.format_exc()[-3000:])
    if _folder_digest(inputs) != before:
        return Outcome("wrote-inputs", mutation)
    return Outcome("accepted", mutation)


def fuzz(
    base: Path, count: int, seed: int, generate_too: bool = True, report: Callable[[str], None] = print
) -> list[Outcome]:
    """``count`` single mutations of a copy of ``base``, each run in-process."""
    rng = random.Random(seed)
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch:
        work = Path(scratch)
        for number in range(count):
            inputs = work / "inputs"
            shutil.rmtree(inputs, ignore_errors=True)
            shutil.copytree(base, inputs, ignore=shutil.ignore_patterns("examples"))
            try:
                mutation = mutate(inputs, rng)
            except Exception as exc:  # the mutation itself could not be made (e.g. a sheet openpyxl cannot save)
                outcomes.append(Outcome("skipped", "", f"{type(exc).__name__}: {exc}"))
                continue
            outputs = work / "outputs"
            for leftover in outputs.glob("[!.]*"):  # the chart cache (.cache) is kept: examples share it
                shutil.rmtree(leftover, ignore_errors=True)
            outcome = run_example(inputs, outputs, mutation, generate_too)
            outcomes.append(outcome)
            if outcome.kind not in ("accepted", "refused", "skipped"):
                report(f"[{number}] {outcome.kind}: {outcome.mutation}\n{outcome.detail}")
    return outcomes


def peak_memory_mb() -> float:
    """The largest resident size this process reached, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_parts(args: argparse.Namespace) -> tuple[collections.Counter[str], float]:
    """Run ``--jobs`` copies of this script, each on its share of the count with its own seed; merge their counts."""
    share = -(-args.count // args.jobs)

    def command(job: int) -> list[str]:
        options = ["--count", str(share), "--seed", str(args.seed * 100 + job), "--jobs", "1"]
        return [
            sys.executable,
            __file__,
            "--inputs",
            str(args.inputs),
            *options,
            *(["--validate-only"] * args.validate_only),
        ]

    children = [subprocess.Popen(command(job), stdout=subprocess.PIPE, text=True) for job in range(args.jobs)]
    counts: collections.Counter[str] = collections.Counter()
    peak = 0.0
    for child in children:
        output, _ = child.communicate()
        start = output.rindex("\n{\n") + 1 if "\n{\n" in output else output.index("{\n")  # the summary's own "{" line
        summary = json.loads(output[start:])
        print(output[:start], end="", flush=True)
        counts.update(summary["outcomes"])
        peak = max(peak, summary["peak_memory_mb"])
    return counts, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=ROOT / "inputs")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=1, help="Processes sharing the count (each seeded apart).")
    parser.add_argument("--validate-only", action="store_true", help="Skip generate for accepted inputs.")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.jobs > 1:
        counts, peak = _in_parts(args)
    else:
        outcomes = fuzz(
            args.inputs, args.count, args.seed, not args.validate_only, lambda line: print(line, flush=True)
        )
        counts, peak = collections.Counter(outcome.kind for outcome in outcomes), peak_memory_mb()
    summary = {
        "mutations": sum(counts.values()),
        "seed": args.seed,
        "jobs": args.jobs,
        "outcomes": dict(sorted(counts.items())),
        "peak_memory_mb": round(peak, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(summary, indent=2))
    bad = sum(counts[kind] for kind in ("internal", "hang", "unplaced", "mismatch", "wrote-inputs"))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
