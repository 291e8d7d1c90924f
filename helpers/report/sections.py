"""An area's part of the report: the sections its profile lists, each made of blocks of section types.

The types (:mod:`helpers.report.section_types`) are looked up by name in the registry
(:data:`helpers.data.report_profile.registry.SECTION_TYPES`). Notes that say a block has nothing to show
(:class:`~helpers.report.notebook.Empty`) are dropped here; a section whose blocks all come back empty is
left out, heading included, and the remaining sections are numbered in order.
"""

from __future__ import annotations

import html

from IPython.display import Markdown
from pandas.io.formats.style import Styler

from helpers.data.report_profile.model import Block
from helpers.data.report_profile.registry import SECTION_TYPES
from helpers.report import notebook as nb
from helpers.report.prose.narrative import area_heading

LONG_TABLE_ROWS = 12
"""A table of more rows than this (all households, all villages) goes to the report's 附表, not its body."""


def block_outputs(ctx: nb.Context, area: str, block: Block) -> list:
    """What one block shows, without the notes that say there is nothing."""
    return [x for x in SECTION_TYPES[block.type].show(nb, ctx, area, dict(block.params)) if not isinstance(x, nb.Empty)]


def to_appendix(ctx: nb.Context, area: str, title: str, x):
    """A long table as an :class:`~helpers.report.notebook.Appendix` (the body keeps a line saying so); else ``x``."""
    if not isinstance(x, Styler) or len(x.data) <= LONG_TABLE_ROWS:
        return [x]
    name = html.unescape(x.caption) if x.caption else title
    label = f"{ctx.township.areas.get(area, area)}：{name}"
    return [nb.note(f"{name}见文末附表（{len(x.data)}行）。"), nb.Appendix(x, label)]


def area_view(ctx: nb.Context, area: str) -> list:
    """An area's part of the report: its heading (and description), then each section with data, numbered.

    Headings are Markdown outputs; the report's stitching turns them into headings of the document.
    """
    tw = ctx.township
    spec = tw.report.area(area)
    title = f"# {area_heading(tw, area)}" + (f"\n\n{spec.description}" if spec.description else "")
    out: list = [Markdown(title)]
    n = 0
    for section in spec.sections:
        shown = [y for block in section.blocks for x in block_outputs(ctx, area, block)
                 for y in to_appendix(ctx, area, section.title, x)]
        if not shown or all(isinstance(x, nb.Appendix) for x in shown):
            out += shown  # a section with only 附表 rows keeps no heading in the body
            continue
        n += 1
        out += [Markdown(f"## {n}. {section.title}"), *shown]
    return out
