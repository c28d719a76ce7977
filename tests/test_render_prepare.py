"""A template compiled ahead (while the charts are drawn) renders as it would have: by its source at render time."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from strategic_assessment.documents.context import plan_context
from strategic_assessment.documents.render import render_template, template_path
from strategic_assessment.errors import InputError
from strategic_assessment.pipeline import build_assessment

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    return plan_context(build_assessment(ROOT / "inputs"))


def _render(tmp_path: Path, context: dict[str, Any], added: str) -> Path:
    """The Plan on a Page compiled ahead, then given one more paragraph (``added``) before it renders."""

    def build(template: Any, _builder: Any) -> dict[str, Any]:
        template.prepare()
        body = template.docx.element.body
        paragraph = copy.deepcopy(body.xpath("./w:p[w:r/w:t]")[0])
        for text in paragraph.xpath(".//w:t")[1:]:
            text.getparent().remove(text)
        paragraph.xpath(".//w:t")[0].text = added
        body.insert(0, paragraph)
        return {**context, "extra": "Added after the template was compiled"}

    document = render_template(template_path("plan_on_a_page.docx"), build, {}, "Title", "Author")
    document.save(tmp_path / "plan.docx")
    return tmp_path / "plan.docx"


def test_a_part_changed_after_it_was_compiled_renders_as_it_is_then(tmp_path: Path, context: dict[str, Any]) -> None:
    path = _render(tmp_path, context, "{{ extra }}")
    texts = [paragraph.text for paragraph in Document(str(path)).paragraphs]
    assert "Added after the template was compiled" in texts
    assert "{{ extra }}" not in "".join(texts)


def test_a_tag_broken_after_it_was_compiled_is_named_when_it_renders(tmp_path: Path, context: dict[str, Any]) -> None:
    with pytest.raises(InputError) as raised:
        _render(tmp_path, context, "{{ extra ")
    assert "templates/plan_on_a_page.docx" in raised.value.message
    assert "syntax" in raised.value.message
