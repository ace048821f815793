"""Every HTML page the project writes comes from one set of Jinja2 templates.

The templates live in ``legpress_diag/presentation/templates`` (package data, so an
installed wheel has them). Autoescaping is on for every ``.html`` template, and every
value printed with ``{{ }}`` first has its control and bidi characters shown escaped
(:func:`textsafe.terminal`), so a value cannot reach a page without passing both: a
forgotten escape cannot happen, because there is no other way to reach HTML.

The web questionnaire, the batch report and the ``ask`` report all render here.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from ...presentation.render import textsafe
from ...reasoning.explanation import why_it_hurts
from . import words
from .formats import (
    bar,
    certainty_word,
    flag_answer_words,
    plan_caveat,
    plan_heading,
    question_text,
    root_of,
)
from .labels import FOR_THE_CLINICIAN, flag_heading, topic_label
from .measured import HEADING as MEASURED_HEADING
from .measured import because_parts, measured_items
from .measured import label as measured_label


def _finalize(value: object) -> object:
    """Applied to every ``{{ }}`` value before autoescaping: text from a record or a
    rule file keeps its line breaks but shows control characters as ``\\x1b``."""
    if value is None:
        return ""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return textsafe.terminal(value, newlines=True)


@cache
def environment() -> Environment:
    """The one template environment (built once per process; templates are compiled
    on first use and cached by Jinja2)."""
    env = Environment(
        loader=PackageLoader("legpress_diag.presentation", "templates"),
        autoescape=select_autoescape(),
        finalize=_finalize,
        undefined=StrictUndefined,  # a misspelt name fails a test instead of printing ""
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(
        FOR_THE_CLINICIAN=FOR_THE_CLINICIAN,
        MEASURED_HEADING=MEASURED_HEADING,
        bar=bar,
        because_parts=because_parts,
        certainty_word=certainty_word,
        flag_answer_words=flag_answer_words,
        flag_heading=flag_heading,
        measured_items=measured_items,
        measured_label=measured_label,
        plan_caveat=plan_caveat,
        plan_heading=plan_heading,
        question_text=question_text,
        root_of=root_of,
        topic_label=topic_label,
        why_it_hurts=why_it_hurts,
        words=words,
    )
    return env


@cache
def _template(name: str) -> Template:
    return environment().get_template(name)


def render(template: str, **context: object) -> str:
    """A template rendered with ``context``; the text of a whole page or a fragment."""
    return _template(template).render(**context)


def static_text(name: str) -> str:
    """A static file shipped beside the templates (a stylesheet), as text."""
    loader = environment().loader
    assert loader is not None
    source, _, _ = loader.get_source(environment(), name)
    return source


__all__ = ["environment", "render", "static_text"]
