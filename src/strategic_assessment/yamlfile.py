"""Reading YAML files safely, with problems that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem


class _Loader(yaml.SafeLoader):
    """The safe loader, except that an impossible date (2019-02-30) stays text for the checks to name."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_yaml_mapping(path: Path, label: str) -> dict[str, Any]:
    """The top-level mapping of a YAML file.

    Raises InputError when the file is missing, unreadable, not valid YAML,
    or not a mapping of keys to values.
    """
    if not path.is_file():
        raise InputError([Problem(label, "file not found", f"create {path.name} or check the path")])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(label, f"cannot be read ({exc})", "save it as UTF-8 text")]) from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise InputError(
            [
                Problem(
                    label,
                    f"is not valid YAML: {reason}",
                    "check indentation and quoting",
                    cell=where,
                )
            ]
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    label,
                    "must be a mapping of keys to values",
                    "start each line with `key: value`",
                )
            ]
        )
    return data
