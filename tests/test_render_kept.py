"""The Word templates render in one environment for the life of the process, each source compiled once."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest
from docxtpl import DocxTemplate
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


def test_a_parts_xml_is_cleaned_for_jinja_once_and_only_the_latest_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    cleaned: list[str] = []
    original = DocxTemplate.patch_xml

    def counting(self: DocxTemplate, xml: str) -> Any:
        cleaned.append(xml)
        return original(self, xml)

    monkeypatch.setattr(DocxTemplate, "patch_xml", counting)
    monkeypatch.setattr(render, "_PATCHED", OrderedDict())
    template = render._CheckedTemplate.__new__(render._CheckedTemplate)  # patch_xml reads nothing of the template
    split = "<w:p><w:r><w:t>{</w:t></w:r><w:r><w:t>{ partnership }}</w:t></w:r></w:p>"
    assert template.patch_xml(split) == '<w:p><w:r><w:t xml:space="preserve">{{ partnership }}</w:t></w:r></w:p>'
    assert render._CheckedTemplate.__new__(render._CheckedTemplate).patch_xml(split) == (
        '<w:p><w:r><w:t xml:space="preserve">{{ partnership }}</w:t></w:r></w:p>'
    )
    assert cleaned == [split]  # the second template's part was cleaned already
    for number in range(render.PATCHED_KEPT):
        template.patch_xml(f"<w:t>{number}</w:t>")
    assert len(render._PATCHED) == render.PATCHED_KEPT and split not in render._PATCHED
    template.patch_xml(split)
    assert cleaned.count(split) == 2  # no longer kept, so cleaned again
