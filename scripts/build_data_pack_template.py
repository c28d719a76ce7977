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

from build_templates import (
    TEMPLATES,
    _bullet_loop,
    _chart_loop,
    _field,
    _margins,
    _note_loop,
    _page_break,
    _properties,
    _set_language,
    _styles,
    _table,
)
from docx import Document
from docx.shared import Cm

DATA_PACK = "data_pack.docx"


def build_data_pack(path: Path) -> None:
    """The data pack template: a first page saying what it is, then the crime figures and the data's suggestions."""
    document = Document()
    _set_language(document)
    _styles(document, 11)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    _margins(document, 2.5)
    _properties(document, "{{ partnership }}: crime data pack for the threat assessment workshops {{ year }}")
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "{{ partnership }} data pack {{ year }}    Page "
    _field(footer, "PAGE")

    add = document.add_paragraph
    add("{{ partnership }}", style="Title")
    add("Crime data pack for the threat assessment workshops {{ year }}", style="Subtitle")
    add("{{ period_line }}")
    add("{{ prepared_by }}")
    document.add_heading("What this pack is", level=2)
    _bullet_loop(add, "line", "purpose")
    _page_break(document)

    document.add_heading("Quick facts", level=1)
    _bullet_loop(add, "fact", "key_facts")
    _chart_loop(add, "quick_fact_charts")
    document.add_heading("{{ neighbourhood_heading }}", level=2)
    add("{{ neighbourhood_intro }}")
    add("{%p if neighbourhoods and neighbourhood_rates %}")
    _table(
        document,
        ["Neighbourhood", "Crimes", "Residents", "Rate per 1,000"],
        "n in neighbourhoods",
        ["{{ n.name }}", "{{ n.crimes }}", "{{ n.population }}", "{{ n.rate }}"],
        [7.0, 3.0, 3.0, 3.0],
        numeric=(1, 2, 3),
    )
    add("{%p elif neighbourhoods %}")  # no populations: the crimes alone, no columns of n/a
    _table(
        document,
        ["Neighbourhood", "Crimes"],
        "n in neighbourhoods",
        ["{{ n.name }}", "{{ n.crimes }}"],
        [10.0, 3.0],
        numeric=(1,),
    )
    add("{%p endif %}")
    _note_loop(add, "not_available")

    document.add_heading("Crime trends", level=1)
    _bullet_loop(add, "sentence", "trend_sentences")

    document.add_heading("Crime table", level=1)
    add("{{ crime_table_intro }}")
    _table(
        document,
        ["Crime type", "{{ comparison_year }}", "{{ year }}", "% change (no. crimes)", "Rate per 1,000"],
        "row in crime_table",
        ["{{ row.crime_type }}", "{{ row.previous }}", "{{ row.current }}", "{{ row.change }}", "{{ row.rate }}"],
        [5.4, 2.4, 2.4, 3.4, 2.4],
        numeric=(1, 2, 3, 4),
    )
    _note_loop(add, "crime_table_notes")

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
