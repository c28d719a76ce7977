"""The Word templates render in one environment for the life of the process, each source compiled once."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2.sandbox import SandboxedEnvironment

from strategic_assessment.documents import render


def test_a_part_rendered_again_is_not_compiled_again_and_a_changed_part_is(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    original = SandboxedEnvironment.compile

    def counting(self: SandboxedEnvironment, source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(SandboxedEnvironment, "compile", counting)
    environment = render.word_environment()
    assert render.word_environment() is environment
    part = "<w:t>{{ partnership }} {{ year }} (kept once)</w:t>"
    first = environment.from_string(part)
    assert environment.from_string(part) is first
    assert compiled == [part]
    assert first.render(partnership="Testshire", year="2018-19") == "<w:t>Testshire 2018-19 (kept once)</w:t>"
    changed = part.replace("(kept once)", "(changed)")
    assert environment.from_string(changed).render(partnership="A", year="B") == "<w:t>A B (changed)</w:t>"
    assert compiled == [part, changed]


def test_an_environment_keeps_only_the_latest_sources() -> None:
    environment = render.jinja_environment()
    for number in range(render.COMPILED_KEPT + 3):
        assert environment.from_string(f"<w:t>{number}</w:t>").render() == f"<w:t>{number}</w:t>"
    kept = environment.__dict__["_compiled"]
    assert len(kept) == render.COMPILED_KEPT
    assert "<w:t>0</w:t>" not in kept and f"<w:t>{render.COMPILED_KEPT + 2}</w:t>" in kept


def test_the_word_environment_is_strict_and_escapes_xml() -> None:
    environment = render.word_environment()
    assert environment.from_string("<w:t>{{ name }}</w:t>").render(name="Fish & <Chips>") == (
        "<w:t>Fish &amp; &lt;Chips&gt;</w:t>"
    )
    with pytest.raises(Exception, match="'missing' is undefined"):
        environment.from_string("<w:t>{{ missing }}</w:t>").render()
