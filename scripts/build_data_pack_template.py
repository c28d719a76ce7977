"""Build ``templates/data_pack.docx``: the data pack an area gets before its workshops have scored (README: batch).

It shares the Strategic Assessment's styles, tables and loops (the helpers of
``build_templates.py``) but has no ratings, findings or priorities: figures,
trends, charts, neighbourhoods, the data's suggestions, the method of the
figures and their sources. Restyle it in Word like the other templates; run
again only to reset it to the shipped design:

    python scripts/build_data_pack_template.py
"""

from __future__ import annotations

from pathlib import Path

from build_templates import TEMPLATES, _bullet_loop, a4_document, crime_table, quick_facts

DATA_PACK = "data_pack.docx"


def build_data_pack(path: Path) -> None:
    """The data pack template: a first page saying what it is, then the crime figures and the data's suggestions."""
    document = a4_document(
        "{{ partnership }}: crime data pack for the threat assessment workshops {{ year }}",
        "{{ partnership }} data pack {{ year }}    Page ",
        margin=2.5,
    )

    add = document.add_paragraph
    add("{{ partnership }}", style="Title")
    add("Crime data pack for the threat assessment workshops {{ year }}", style="Subtitle")
    add("{{ period_line }}")
    add("{%p if prepared_by %}")  # no empty line where no author is named
    add("{{ prepared_by }}")
    add("{%p endif %}")
    document.add_heading("What this pack is", level=2)
    _bullet_loop(add, "line", "purpose")

    quick_facts(document)

    document.add_heading("Crime trends", level=1)
    _bullet_loop(add, "sentence", "trend_sentences")

    crime_table(document)

    document.add_heading("Data suggestions for the workshops", level=1)
    add("{{p suggestions }}")
    document.add_heading("How the figures are worked out", level=1)
    add("{{p method }}")
    document.add_heading("Data sources and notes", level=1)
    add("{{p data_sources }}")
    document.save(str(path))


def main() -> None:
    TEMPLATES.mkdir(exist_ok=True)
    build_data_pack(TEMPLATES / DATA_PACK)
    print(f"Wrote {TEMPLATES / DATA_PACK}")


if __name__ == "__main__":
    main()
