"""The prose templates: the Jinja2 environment on ``helpers/report/templates/prose/`` and its output as paragraphs.

Each area has a template in ``helpers/report/templates/prose/`` (``<area>.j2``, plus ``opening.j2``,
``focus.j2``, ``problems.j2`` and ``plans.j2``; ``petitions.j2`` is included by area templates) that an
analyst can edit without touching Python. Templates are read from that folder at every call (no cache), so
an edited template shows in the next render;
:func:`templates_fingerprint` changes with them, for render caches.

Template conventions: the output is plain text (autoescape off; the HTML layer escapes). A blank line in
the template source (outside any tag) starts a new paragraph; every other line break is dropped, so the
lines of a paragraph are joined without spaces, and empty paragraphs are dropped.
``item()`` returns the next 一是 / 二是 of the section, so a left-out item does not leave a gap. Facts
that the data lacks are ``None`` (indicators, rules) or zero (event counts), and templates leave the
sentence out. The wording functions of :mod:`helpers.report.wording` are template globals and filters.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import jinja2

from helpers.data.periods import month_label
from helpers.report import wording
from helpers.report.prose.facts import clean

PROSE_DIR = Path(__file__).resolve().parent.parent / "templates" / "prose"


def _sentences(texts: Iterable[str] | str | None) -> str:
    """Highlight lines as whole sentences, each closed with 。 ("" when there are none)."""
    if not texts:
        return ""
    if isinstance(texts, str):
        texts = [texts]
    return "".join(_bare(t) + "。" for t in texts if _bare(t))


def _clause(texts: Iterable[str] | str | None) -> str:
    """Highlight lines as one clause joined with ；, without closing punctuation."""
    if not texts:
        return ""
    if isinstance(texts, str):
        texts = [texts]
    return "；".join(_bare(t) for t in texts if _bare(t))


def _bare(text: str) -> str:
    return str(text).strip().rstrip("。；;，,、 ")


def _whole(value, unit: str = "") -> str:
    """An amount still needed, rounded up where the unit counts things: 0.5户 → 1户."""
    return wording.count(wording.needed_amount(clean(value), unit), unit)


PARAGRAPH = "\u2029"
"""Paragraph break: what a blank line of a template's source turns into before Jinja2 compiles it."""
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


class ProseLoader(jinja2.FileSystemLoader):
    """Loads templates from the prose folder, turning blank source lines into :data:`PARAGRAPH` marks."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return _BLANK_LINES.sub(f"\n{PARAGRAPH}\n", source), filename, uptodate


def environment() -> jinja2.Environment:
    """A fresh template environment on the prose folder: plain text, no cache, strict about unknown names."""
    env = jinja2.Environment(
        loader=ProseLoader(PROSE_DIR),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        cache_size=0,
        auto_reload=True,
    )
    for name in wording.__all__:
        value = getattr(wording, name)
        if callable(value):
            env.globals[name] = value
            env.filters[name] = value
    env.filters.update(sentences=_sentences, clause=_clause, whole=_whole)
    env.globals.update(whole=_whole, month_label=month_label)
    return env


_PUNCT_FIXES = (
    (re.compile(r"[，、；]+(?=[。；])"), ""),
    (re.compile(r"。{2,}"), "。"),
    (re.compile(r"^[，。；、]+"), ""),
)


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Template output → paragraphs: split at :data:`PARAGRAPH` marks, lines joined without spaces."""
    out = []
    for block in text.split(PARAGRAPH):
        paragraph = "".join(line.strip() for line in block.splitlines())
        for pattern, repl in _PUNCT_FIXES:
            paragraph = pattern.sub(repl, paragraph)
        if paragraph:
            out.append(paragraph)
    return tuple(out)


def render(template: str, context: dict) -> tuple[str, ...]:
    """Render one template of the prose folder with ``context`` and split it into paragraphs."""
    return split_paragraphs(environment().get_template(template).render(**context))


def templates_fingerprint() -> str:
    """A hash of every prose template (names and contents): it changes whenever a template is edited."""
    digest = hashlib.sha256()
    for path in sorted(PROSE_DIR.glob("*.j2")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
