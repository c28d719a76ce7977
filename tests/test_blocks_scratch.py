"""The scratch document blocks are built on: one per thread, left empty by every build."""

from __future__ import annotations

import threading

import pytest
from docx.oxml.ns import qn

from strategic_assessment.documents.blocks import BlockBuilder, Run, scratch_document


def body_tags(builder: BlockBuilder) -> list[str]:
    return [element.tag for element in builder.scratch.element.body]


def test_builders_of_one_thread_share_a_scratch_that_each_block_leaves_empty() -> None:
    first = BlockBuilder()
    paragraph = first.paragraph([Run("Burglary "), Run("fell", bold=True)])
    table = first.table(["Crime", "Count"], [["Burglary", "1,234"]], [5.0, 3.0], numeric=[1])
    second = BlockBuilder()
    assert second.scratch is first.scratch
    assert body_tags(second) == [qn("w:sectPr")]
    assert paragraph.tag == qn("w:p") and paragraph.getparent() is None
    assert "".join(text.text for text in paragraph.iter(qn("w:t"))) == "Burglary fell"
    cells = ["".join(t.text for t in cell.iter(qn("w:t"))) for cell in table.iter(qn("w:tc"))]
    assert cells == ["Crime", "Count", "Burglary", "1,234"]


def test_what_a_failed_build_left_in_the_scratch_is_gone_for_the_next_builder() -> None:
    builder = BlockBuilder()
    with pytest.raises(ValueError):  # four cells for a two-column table: python-docx has added the table first
        builder.table(["Crime", "Count"], [["Burglary", "1", "2", "3"]], [5.0, 3.0])
    assert qn("w:tbl") in body_tags(builder)
    assert body_tags(BlockBuilder()) == [qn("w:sectPr")]


def test_each_thread_has_a_scratch_of_its_own() -> None:
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(scratch_document()))
    thread.start()
    thread.join()
    assert seen and seen[0] is not scratch_document()
