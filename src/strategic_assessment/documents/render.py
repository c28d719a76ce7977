"""Rendering the Word templates with docxtpl, safely and loudly.

Templates load only from the project's ``templates`` folder and render in
Jinja's sandbox with XML autoescaping and ``StrictUndefined``: a tag the
context lacks, or a syntax error, stops the run with a message naming the
template and the tag or place: an unknown attribute is named with its object
(``theme.lead_officer``) and the attributes that object offers, and an
unclosed block is named by its opening line. Before rendering the template's
tracked changes are accepted and its styles checked (``template_check``);
after, the result must parse strictly and be whole, or nothing is published.
Then the contents and figure numbers are filled in from the rendered
document (``fields``), the paragraph after each table is spaced off it,
every image gets its alt text (Word's ``descr``), and the document its
title and language.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import InputError, Problem, did_you_mean
from ..resources import TEMPLATES
from .blocks import BlockBuilder, keep_tables_together, space_after_tables
from .docx_save import save_docx
from .fields import fill_contents, number_figures
from .template_check import (
    accept_tracked_changes,
    check_whole,
    outline,
    resolve_styles,
    strict_parse,
    template_parts,
    unlabelled_pictures,
)

UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")
LOOP = re.compile(r"\{%-?\s*(?:p|tr|tc|r)?\s*for\s+(\w+)\s+in\s+([\w.]+)")
CHART_WIDTH_MM = 160.0  # the text width of an A4 page with 2.5 cm margins
CHART_HEIGHT_MM = 90.0  # two charts and their captions fit a page, with the text that leads into them
CHART_MIN_WIDTH_MM = 125.0  # narrower, a tall chart's labels would print under 7 pt
COMPILED_KEPT = 32  # compiled parts an environment keeps: the latest versions of both documents' parts
PATCHED_KEPT = 16  # parts' XML kept cleaned for Jinja (``_CheckedTemplate.patch_xml``): each template's latest
_PATCHED: OrderedDict[str, str] = OrderedDict()
_PATCHED_LOCK = threading.Lock()  # a program calling this library may render from several threads


class _CheckedTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl ships no types
    """docxtpl's template, with every rendered part parsed strictly before it replaces the template's.

    Its Jinja can be compiled before the context is whole (``prepare``): a document that waits for its
    charts' pictures compiles while they are drawn, not after.
    """

    label = ""
    jinja_env: SandboxedEnvironment | None = None

    def patch_xml(self, xml: str) -> str:
        """docxtpl's cleaning of a part's XML into Jinja, kept for the process by the XML it was given.

        The cleaning depends on the XML alone; a template rendered again (``watch``, a batch's areas, a
        render after ``prepare``) is not cleaned again: 16 ms of CPU in each generate of Testshire.
        """
        with _PATCHED_LOCK:
            patched = _PATCHED.get(xml)
            if patched is not None:
                _PATCHED.move_to_end(xml)
                return patched
        patched = str(super().patch_xml(xml))
        with _PATCHED_LOCK:
            _PATCHED[xml] = patched
            while len(_PATCHED) > PATCHED_KEPT:
                _PATCHED.popitem(last=False)
        return patched

    def prepare(self) -> None:
        """Compile the Jinja of the body, headers and footers as they are now (what ``render`` would).

        The compiled templates are kept by their source: a part changed since is compiled again when
        rendered, and a part that does not compile says so when rendered, as it would have.
        """
        if self.jinja_env is None:
            return
        parts = [self.get_xml()]
        parts.extend(
            self.get_part_xml(part)
            for uri in (self.HEADER_URI, self.FOOTER_URI)
            for _, part in self.get_headers_footers(uri)
        )
        for xml in parts:
            with contextlib.suppress(Exception):  # said when rendered, with the template's name
                self.jinja_env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", self.patch_xml(xml)))

    def save(self, filename: Any, *args: Any, **kwargs: Any) -> None:
        """Save as docxtpl does, the pictures stored rather than deflated again (``docx_save``)."""
        if args or kwargs or not isinstance(filename, str | Path) or not self.is_rendered:
            super().save(filename, *args, **kwargs)
            return
        self.pre_processing()
        save_docx(self.docx, Path(filename))
        self.post_processing(str(filename))
        self.is_saved = True

    def fix_tables(self, xml: str) -> Any:
        strict_parse(xml, self.label, "body")
        return super().fix_tables(xml)

    def build_headers_footers_xml(self, context: Any, uri: str, jinja_env: Any = None) -> Any:
        for key, xml in super().build_headers_footers_xml(context, uri, jinja_env):
            name = self.docx.part.rels[key].target_part.partname.split("/")[-1]
            kind = "header" if "header" in name else "footer"
            strict_parse(xml, self.label, f"{kind} ({name})")
            yield key, xml


def jinja_environment() -> SandboxedEnvironment:
    """The environment every template renders in: sandboxed, strict, escaping XML."""
    return _Environment(undefined=StrictUndefined, autoescape=True)


class _Environment(SandboxedEnvironment):
    """An environment that compiles each source once (``_CheckedTemplate.prepare`` compiles ahead),
    keeping the ``COMPILED_KEPT`` latest."""

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled: OrderedDict[str, Any] = self.__dict__.setdefault("_compiled", OrderedDict())
        if source in compiled:
            compiled.move_to_end(source)
        else:
            compiled[source] = super().from_string(source)
            if len(compiled) > COMPILED_KEPT:
                compiled.popitem(last=False)
        return compiled[source]


@functools.cache
def word_environment() -> SandboxedEnvironment:
    """The one environment the Word templates render in, for the life of the process.

    Jinja compiles a part's source the same whatever the context, so a template rendered again (``watch``
    after a save, each area of a batch) is not compiled again: compiling the example's parts costs about
    0.05 s of CPU. Nothing is added to this environment (the HTML edition makes one of its own, with its
    filter), so every render sees the same one.
    """
    return jinja_environment()


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
    warnings: list[str] | None = None,
) -> DocxTemplate:
    """Render a template with the context ``build_context`` makes for it.

    Raises InputError naming the template and the tag when a tag is unknown
    or its syntax is wrong, when the template tries something unsafe, lacks
    a style the program uses, or renders into a broken or truncated document.
    ``warnings`` collects what the run log should say (tracked changes
    accepted, pictures without alt text).
    """
    label = f"templates/{path.name}"
    log = warnings if warnings is not None else []
    template = _open(path, label)
    template.jinja_env = word_environment()
    log.extend(accept_tracked_changes(template.docx, label))
    styles = resolve_styles(template.docx, label)
    before = outline(template.docx.element.body)
    context = build_context(template, BlockBuilder(part=template.docx.part, styles=styles))
    _render(template, context, label, before.unclosed)
    check_whole(template.docx, before, label)
    body = template.docx.element.body
    fill_contents(body, styles)
    number_figures(body)
    space_after_tables(template.docx)
    keep_tables_together(template.docx)
    set_alt_text(template.docx, alt_texts)
    log.extend(unlabelled_pictures(template.docx, label))
    properties = template.docx.core_properties
    properties.title, properties.author, properties.language = title, author, "en-GB"
    return template


def _open(path: Path, label: str) -> _CheckedTemplate:
    try:
        template = _CheckedTemplate(path)
        template.init_docx()
    except Exception as exc:  # python-docx raises several types for a damaged file
        raise InputError(
            [Problem(label, f"cannot be opened as a Word document ({type(exc).__name__})", _RESTORE)]
        ) from exc
    template.label = label
    return template


def _render(template: _CheckedTemplate, context: dict[str, Any], label: str, unclosed: str) -> None:
    try:
        template.render(context, jinja_env=template.jinja_env or word_environment(), autoescape=True)
    except UndefinedError as exc:
        raise InputError([_undefined_problem(label, str(exc), context, _template_text(template))]) from exc
    except TemplateSyntaxError as exc:
        raise InputError([_syntax_problem(label, exc, unclosed)]) from exc
    except SecurityError as exc:
        raise InputError([Problem(label, f"the template tried something unsafe ({exc})", "remove that tag")]) from exc


def _syntax_problem(label: str, exc: TemplateSyntaxError, unclosed: str) -> Problem:
    if unclosed and "end of template" in (exc.message or ""):
        return Problem(
            label,
            f"template syntax error: the block opened at {unclosed} is never closed ({exc.message})",
            "add its closing tag ({%p endif %} or {%p endfor %}) in Word",
            cell=f"block {unclosed.split(' (')[0]}",
        )
    place = " ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())[:120]
    return Problem(label, f"template syntax error: {exc.message}", "correct the tag in Word", cell=f"near '{place}'")


def _template_text(template: DocxTemplate) -> str:
    parts = template_parts(template.docx)
    return "\n".join("".join(t.text or "" for t in part.element.iter(qn("w:t"))) for part in parts)


def chart_width(png: Path) -> Mm:
    """The printed width of a chart: the text width, or narrower (down to CHART_MIN_WIDTH_MM) so it is at most
    CHART_HEIGHT_MM tall."""
    header = png.read_bytes()[16:24]
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")
    if not width or not height:
        return Mm(CHART_WIDTH_MM)
    return Mm(max(CHART_MIN_WIDTH_MM, min(CHART_WIDTH_MM, CHART_HEIGHT_MM * width / height)))


_RESTORE = "restore it from the repository or run `python scripts/build_templates.py`"


def _undefined_problem(label: str, message: str, context: Mapping[str, Any], text: str = "") -> Problem:
    match = UNDEFINED_NAME.search(message)
    name = next((group for group in match.groups() if group), "") if match else ""
    if match and match.group(2):
        attribute = _attribute_problem(label, name, context, text)
        if attribute is not None:
            return attribute
    hint = did_you_mean(name, context) if name else ""
    fix = hint or f"use a tag the program provides: {', '.join(sorted(context))}"
    return Problem(label, f"tag '{name or message}' is not provided ({message})", fix, cell=f"{{{{ {name} }}}}")


def _attribute_problem(label: str, attribute: str, context: Mapping[str, Any], text: str) -> Problem | None:
    """Name ``owner.attribute`` as written in the template, with the attributes the owner offers."""
    found = re.search(rf"([A-Za-z_][\w.]*)\.{re.escape(attribute)}\b", text)
    if not found:
        return None
    owner = found.group(1)
    offered = _offered(owner, context, dict(LOOP.findall(text)))
    tag = f"{owner}.{attribute}"
    if offered is None:
        return None
    hint = did_you_mean(attribute, offered)
    fix = (hint + "; " if hint else "") + f"{owner} offers: {', '.join(sorted(offered))}"
    return Problem(label, f"tag '{tag}' is not provided: {owner} has no '{attribute}'", fix, cell=f"{{{{ {tag} }}}}")


def _offered(expression: str, context: Mapping[str, Any], loops: Mapping[str, str]) -> list[str] | None:
    """The attributes of what ``expression`` names: a context value, or an item of a loop's sequence."""
    value = _value(expression, context, loops, 0)
    if isinstance(value, Mapping):
        return [str(key) for key in value]
    return [name for name in dir(value) if not name.startswith("_")] if value is not None else None


def _value(expression: str, context: Mapping[str, Any], loops: Mapping[str, str], depth: int) -> Any:
    head, *rest = expression.split(".")
    if head in context:
        value: Any = context[head]
    elif head in loops and depth < 5:
        sequence = _value(loops[head], context, loops, depth + 1)
        value = next(iter(sequence), None) if isinstance(sequence, list | tuple) else None
    else:
        return None
    for step in rest:
        value = value.get(step) if isinstance(value, Mapping) else getattr(value, step, None)
    return value


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
