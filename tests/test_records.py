"""The records module stands alone, and the pure stages take their records from it, not from the readers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "strategic_assessment"
PURE_STAGES = ("merge.py", "scoring.py", "changes.py", "chart_selection.py", "staging.py", "terminal.py")


def test_importing_the_records_loads_no_other_module_of_the_package() -> None:
    code = (
        "import sys, strategic_assessment.records\n"
        "print(sorted(name for name in sys.modules if name.startswith('strategic_assessment')))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert loaded.stdout.split() == ["['strategic_assessment',", "'strategic_assessment.records']"]


def package_imports(source: str) -> list[str]:
    """The package modules a module's source imports at run time (imports under ``if TYPE_CHECKING`` left out)."""
    tree = ast.parse(source)
    checking_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        for statement in node.body
        for inner in ast.walk(statement)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0 and id(node) not in checking_only:
            found.append("." * node.level + (node.module or ""))
    return found


def test_the_import_finder_sees_a_reader_import_and_skips_type_checking_ones() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from .ingest.workshops import ScoreEntry\n"
        "if TYPE_CHECKING:\n    from .settings import Settings\n"
    )
    assert package_imports(source) == [".ingest.workshops"]


@pytest.mark.parametrize("name", PURE_STAGES)
def test_a_pure_stage_imports_no_reader(name: str) -> None:
    imports = package_imports((PACKAGE / name).read_text(encoding="utf-8"))
    assert [module for module in imports if module.startswith(".ingest")] == []
