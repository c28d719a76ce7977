"""Reading YAML files safely, with limits, and problems that name the file and line.

PyYAML's safe loader refuses Python tags but has no limits: an alias bomb
(nine levels of ``&a [*b, *b, ...]``) is a billion values once expanded, a
duplicate key silently keeps the last value, and nothing bounds a key or a
value. So the document is first composed into nodes (cheap: an alias is one
node however much it would expand), the nodes are checked, and only then
constructed:

- aliases (``*name``) are refused, naming the line: settings and models
  never need them, and refusing them is the only way to make expansion free;
- a document over ``MAX_YAML_BYTES`` is refused before it is parsed;
- a key longer than ``MAX_KEY_CHARACTERS`` or a text value longer than
  ``MAX_TEXT_CHARACTERS`` is refused, naming the line;
- a key given twice in one mapping is refused, naming both lines;
- a control character (other than tab and line breaks) in a value is refused
  by name: Word cannot hold one and it is never typed on purpose.

A process keeps the mappings it has read, by their text (``PARSED_KEPT`` of them, the latest): ``watch``
rebuilding after a workbook's save and a batch's areas read the same settings and
model again, and composing and checking them node by node in Python is most of reading them (about 0.025 s
of CPU for the example's two files, against under 1 ms to copy the mapping kept). A text that broke a
rule is never kept, so it is refused again, with the same problems, each time it is read.
"""

from __future__ import annotations

import copy
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem, shown
from .limits import MAX_KEY_CHARACTERS, MAX_TEXT_CHARACTERS, MAX_YAML_BYTES

ALLOWED_CONTROLS = frozenset("\t\n\r")
PARSED_KEPT = 16
_parsed: OrderedDict[str, dict[str, Any]] = OrderedDict()


class _Loader(yaml.SafeLoader):
    """The safe loader, except that an impossible date (2019-02-30) stays text for the checks to name."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class _AliasRefused(yaml.YAMLError):
    def __init__(self, anchor: str, mark: Any) -> None:
        super().__init__(anchor)
        self.anchor = anchor
        self.mark = mark


class _LimitedLoader(_Loader):
    """Composes nodes without ever resolving an alias."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's parser is untyped
            raise _AliasRefused(str(event.anchor), event.start_mark)
        return super().compose_node(parent, index)


def load_yaml_mapping(path: Path, label: str) -> dict[str, Any]:
    """The top-level mapping of a YAML file.

    Raises InputError when the file is missing, unreadable, too large, not
    valid YAML, breaks a limit (alias, duplicate key, over-long key or value,
    control character), or is not a mapping of keys to values.
    """
    text = _read_text(path, label)
    kept = _parsed.get(text)
    if kept is not None:
        _parsed.move_to_end(text)
        return copy.deepcopy(kept)
    data = _parse_mapping(text, label)
    _parsed[text] = copy.deepcopy(data)
    if len(_parsed) > PARSED_KEPT:
        _parsed.popitem(last=False)
    return data


def _parse_mapping(text: str, label: str) -> dict[str, Any]:
    """The top-level mapping of a YAML text (``load_yaml_mapping``, which reads the file and keeps the result)."""
    loader = _LimitedLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except _AliasRefused as refused:
            raise InputError([_alias_problem(label, refused)]) from None
        except yaml.YAMLError as exc:
            raise InputError([_syntax_problem(label, exc)]) from exc
        if node is None:
            return {}
        problems = list(_node_problems(node, label))
        if problems:
            raise InputError(problems)
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise InputError([_syntax_problem(label, exc)]) from exc
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError([Problem(label, "must be a mapping of keys to values", "start each line with `key: value`")])
    return data


def _read_text(path: Path, label: str) -> str:
    if not path.is_file():
        raise InputError([Problem(label, "file not found", f"create {path.name} or check the path")])
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise InputError(
                [
                    Problem(
                        label,
                        f"is {size:,} bytes, more than the {MAX_YAML_BYTES:,} a settings or model file may be",
                        "keep long narrative short, or check that the right file is named",
                    )
                ]
            )
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(label, f"cannot be read ({exc})", "save it as UTF-8 text")]) from exc


def _line(mark: Any) -> str:
    return f"line {mark.line + 1}" if mark is not None else ""


def _alias_problem(label: str, refused: _AliasRefused) -> Problem:
    return Problem(
        label,
        f"uses the alias *{shown(refused.anchor, 40)}; aliases (& and *) are not accepted",
        "write the value out in full where it is needed",
        cell=_line(refused.mark),
    )


def _syntax_problem(label: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    reason = getattr(exc, "problem", None) or str(exc)
    return Problem(label, f"is not valid YAML: {shown(reason)}", "check indentation and quoting", cell=where)


def _node_problems(root: yaml.Node, label: str) -> Iterator[Problem]:
    """Every limit a composed document breaks, walking the node tree without recursion."""
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            yield from _scalar_problems(node, path, label)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{path}[{index + 1}]") for index, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            yield from _mapping_problems(node, path, label)
            for key, value in node.value:
                name = shown(key.value, 40) if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((value, f"{path}.{name}" if path else name))


def _mapping_problems(node: yaml.MappingNode, path: str, label: str) -> Iterator[Problem]:
    seen: dict[str, Any] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            yield Problem(label, "a key is a list or mapping", "use a word as the key", cell=_line(key.start_mark))
            continue
        name = str(key.value)
        if len(name) > MAX_KEY_CHARACTERS:
            yield Problem(
                label,
                f"key '{shown(name)}' is {len(name):,} characters long (at most {MAX_KEY_CHARACTERS})",
                "use a known key",
                cell=_line(key.start_mark),
            )
            continue
        if name in seen:
            where = f"{path}.{name}" if path else name
            yield Problem(
                label,
                f"key `{shown(where)}` is given twice ({_line(seen[name])} and {_line(key.start_mark)})",
                "keep one: the second would silently replace the first",
                cell=_line(key.start_mark),
            )
            continue
        seen[name] = key.start_mark


def _scalar_problems(node: yaml.ScalarNode, path: str, label: str) -> Iterator[Problem]:
    text = str(node.value)
    where = _line(node.start_mark)
    key = f"`{path}`" if path else "the value"
    if len(text) > MAX_TEXT_CHARACTERS:
        yield Problem(
            label,
            f"{key} is {len(text):,} characters long (at most {MAX_TEXT_CHARACTERS:,}): '{shown(text, 40)}'",
            "shorten it",
            cell=where,
        )
        return
    control = next((ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS), None)
    if control is not None:
        name = unicodedata.name(control, "") or _CONTROL_NAMES.get(ord(control), "a control character")
        yield Problem(
            label,
            f"{key} holds the control character U+{ord(control):04X} ({name}): '{shown(text, 40)}'",
            "delete it (it is invisible; retype the text if unsure)",
            cell=where,
        )


_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
}
