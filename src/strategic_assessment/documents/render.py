"""Rendering the Word templates with docxtpl, safely and loudly.

Templates load only from the project's ``templates`` folder and render in
Jinja's sandbox with XML autoescaping and ``StrictUndefined``: a tag the
context lacks, or a syntax error, stops the run with a message naming the
template and the tag or place. After rendering, every image gets its alt
text (Word's ``descr``), and the document its title and language.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import InputError, Problem, did_you_mean
from ..resources import TEMPLATES
from .blocks import BlockBuilder

UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def jinja_environment() -> SandboxedEnvironment:
    """The environment every template renders in: sandboxed, strict, escaping XML."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def template_path(name: str, folder: Path = TEMPLATES) -> Path:
    """A template in the templates folder; raises InputError when it is missing."""
    path = (folder / name).resolve()
    if path.parent != folder.resolve():
        raise InputError(
            [Problem(f"templates/{name}", "is not in the templates folder", "templates load only from templates/")]
        )
    if not path.is_file():
        raise InputError(
            [
                Problem(
                    f"templates/{name}",
                    "template not found",
                    "restore it from the repository or run `python scripts/build_templates.py`",
                )
            ]
        )
    return path


def render_template(
    path: Path,
    build_context: Callable[[DocxTemplate, BlockBuilder], dict[str, Any]],
    alt_texts: Mapping[str, str],
    title: str,
    author: str,
) -> DocxTemplate:
    """Render a template with the context ``build_context`` makes for it.

    Raises InputError naming the template and the tag when a tag is unknown
    or its syntax is wrong, or when the template tries something unsafe.
    """
    label = f"templates/{path.name}"
    try:
        template = DocxTemplate(path)
        template.init_docx()
    except Exception as exc:  # python-docx raises several types for a damaged file
        raise InputError(
            [Problem(label, f"cannot be opened as a Word document ({type(exc).__name__})", _RESTORE)]
        ) from exc
    context = build_context(template, BlockBuilder(part=template.docx.part))
    try:
        template.render(context, jinja_env=jinja_environment(), autoescape=True)
    except UndefinedError as exc:
        raise InputError([_undefined_problem(label, str(exc), context)]) from exc
    except TemplateSyntaxError as exc:
        place = " ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())[:120]
        raise InputError(
            [
                Problem(
                    label,
                    f"template syntax error: {exc.message}",
                    "correct the tag in Word",
                    cell=f"near '{place}'",
                )
            ]
        ) from exc
    except SecurityError as exc:
        raise InputError([Problem(label, f"the template tried something unsafe ({exc})", "remove that tag")]) from exc
    set_alt_text(template.docx, alt_texts)
    properties = template.docx.core_properties
    properties.title, properties.author, properties.language = title, author, "en-GB"
    return template


_RESTORE = "restore it from the repository or run `python scripts/build_templates.py`"


def _undefined_problem(label: str, message: str, context: Mapping[str, Any]) -> Problem:
    match = UNDEFINED_NAME.search(message)
    name = next((group for group in match.groups() if group), "") if match else ""
    hint = did_you_mean(name, context) if name else ""
    fix = hint or f"use a tag the program provides: {', '.join(sorted(context))}"
    return Problem(label, f"tag '{name or message}' is not provided ({message})", fix, cell=f"{{{{ {name} }}}}")


def image_digest(blob: bytes) -> str:
    return hashlib.sha1(blob).hexdigest()


def set_alt_text(document: Any, alt_texts: Mapping[str, str]) -> None:
    """Give each image the alt text of its picture (matched by content) as Word's ``descr``."""
    body = document.element.body
    for tag in ("wp:inline", "wp:anchor"):
        for drawing in body.iter(qn(tag)):
            blip = drawing.find(".//" + qn("a:blip"))
            properties = drawing.find(qn("wp:docPr"))
            if blip is None or properties is None:
                continue
            part = document.part.related_parts.get(blip.get(qn("r:embed")))
            alt = alt_texts.get(image_digest(part.blob)) if part is not None else None
            if alt:
                properties.set("descr", alt)
