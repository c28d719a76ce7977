"""Where the shipped scoring models and Word templates are found.

In the repository they are edited at the top level, `models/` and `templates/` (README, "Layout"). A built
wheel carries copies inside the package, under `strategic_assessment/shipped/` (pyproject.toml maps the two
folders there), and importlib.resources finds them wherever the package is installed. A source checkout or an
editable install has no such copies and reads the top-level folders themselves, so an edited template is used
at once.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def shipped_folder(name: str) -> Path:
    """The folder of shipped ``models`` or ``templates``: the installed copy if there is one, else the source."""
    packaged = resources.files(__package__).joinpath("shipped", name)
    if packaged.is_dir():
        return Path(str(packaged))
    return REPOSITORY / name


SHIPPED_MODELS = shipped_folder("models")
TEMPLATES = shipped_folder("templates")
