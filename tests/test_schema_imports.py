"""Reading no settings costs no pydantic: the record modules import without it (README, "Development")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = "import strategic_assessment.settings, strategic_assessment.model, strategic_assessment.pipeline"


def modules_loaded(code: str) -> set[str]:
    """The top-level packages loaded after running ``code`` in a fresh interpreter."""
    script = f"{code}\nimport sys\nprint(' '.join(sorted({{name.split('.')[0] for name in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(result.stdout.split())


def test_importing_the_records_and_the_pipeline_does_not_import_pydantic() -> None:
    loaded = modules_loaded(IMPORTS)
    assert "strategic_assessment" in loaded
    assert not {"pydantic", "pydantic_core"} & loaded


def test_reading_settings_does_import_pydantic() -> None:
    """The check above can fail: reading assessment.yaml is where pydantic comes in."""
    code = f"{IMPORTS}\nfrom pathlib import Path\nstrategic_assessment.settings.load_settings(Path('inputs'))"
    assert {"pydantic", "pydantic_core"} <= modules_loaded(code)
