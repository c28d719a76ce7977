"""A process keeps the settings and model mappings it has read, by their text, and hands out copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from strategic_assessment import yamlfile
from strategic_assessment.errors import InputError
from strategic_assessment.yamlfile import load_yaml_mapping


def test_a_kept_mapping_is_a_copy_and_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "assessment.yaml"
    path.write_text("partnership: Testshire\nthemes:\n  - name: Violence\n", encoding="utf-8")
    for _ in range(3):  # read afresh, then twice from what the process kept
        read = load_yaml_mapping(path, "assessment.yaml")
        assert read == {"partnership": "Testshire", "themes": [{"name": "Violence"}]}
        read["themes"][0]["name"] = "changed by the caller"
    path.write_text("partnership: Testshire CSP\n", encoding="utf-8")
    assert load_yaml_mapping(path, "assessment.yaml") == {"partnership": "Testshire CSP"}


def test_a_text_that_breaks_a_rule_is_refused_each_time_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "assessment.yaml"
    path.write_text("partnership: Testshire\npartnership: Other\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as refused:
            load_yaml_mapping(path, "assessment.yaml")
        assert "key `partnership` is given twice (line 1 and line 2)" in str(refused.value)


def test_only_the_latest_texts_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    for number in range(yamlfile.PARSED_KEPT + 5):
        path.write_text(f"name: model {number}\n", encoding="utf-8")
        assert load_yaml_mapping(path, "model.yaml") == {"name": f"model {number}"}
    assert len(yamlfile._parsed) <= yamlfile.PARSED_KEPT
    assert "name: model 0\n" not in yamlfile._parsed
