"""Build ``templates/performance_update.docx``, the board's performance update (README: performance update), from code.

It shares the look of the other templates (styles, fonts, language, footer)
through the helpers of ``build_templates.py``. Like them it is an ordinary
Word document with Jinja tags: restyle it in Word and keep the tags. Run
again only to reset it to the shipped design:

    python scripts/build_performance_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_templates import (  # the sibling script, found through the path above
    TEMPLATES,
    _field,
    _note_loop,
    a4_document,
)

PERFORMANCE_DOCX = "performance_update.docx"


def build_performance_update(path: Path) -> None:
    """The performance update: title, summary table, then one section per indicator, then notes."""
    document = a4_document("{{ title }}", "{{ partnership }} performance update, {{ period }}    Page ", margin=2.0)
    document.core_properties.subject = "Community safety performance update"

    add = document.add_paragraph
    add("{{ partnership }}", style="Title")
    add("Performance update: {{ subtitle }}", style="Subtitle")
    add("{{ author }}")

    document.add_heading("Summary", level=1)
    add("{{ summary_intro }}")
    add("{{p summary_table }}")

    add("{%p for indicator in indicators %}")
    document.add_heading("{{ indicator.name }}", level=1)
    add("{%p for sentence in indicator.sentences %}")
    add("{{ sentence }}")
    add("{%p endfor %}")
    add("{%p if indicator.comment %}")
    document.add_heading("Comment", level=2)
    add("{{p indicator.comment }}")
    add("{%p endif %}")
    add("{%p if indicator.chart %}")
    picture = add("{{ indicator.chart.image }}")
    picture.paragraph_format.keep_with_next = True
    caption = add("Figure ", style="Caption")  # numbered by a SEQ field in document order, as in the assessment
    _field(caption, "SEQ Figure \\* ARABIC")
    caption.add_run(": {{ indicator.chart.title }}")
    add("{%p endif %}")
    add("{{p indicator.table }}")
    add("{%p endfor %}")

    document.add_heading("Notes", level=1)
    _note_loop(add, "notes")
    document.save(str(path))


def main() -> None:
    TEMPLATES.mkdir(exist_ok=True)
    build_performance_update(TEMPLATES / PERFORMANCE_DOCX)
    print(f"Wrote {TEMPLATES / PERFORMANCE_DOCX}")


if __name__ == "__main__":
    main()
