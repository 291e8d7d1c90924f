"""Section types of an area's report, registered by name; the township's profile lists which an area shows.

Each type is one small function ``(ctx, area, params) -> list`` of things ``display()`` shows. A block
with nothing to show returns an empty list (or :class:`~helpers.report.notebook.Empty` notes, dropped
here); a section whose blocks all come back empty is left out, heading included, and the remaining
sections are numbered in order. The names and parameters are the contract of
:data:`helpers.data.profile.SECTION_TYPES`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from IPython.display import Markdown
from pandas.io.formats.style import Styler

from helpers.analysis.poverty import poverty_summary
from helpers.data.profile import Block
from helpers.report import notebook as nb
from helpers.report.prose.narrative import area_heading

SectionFn = Callable[[nb.Context, str, dict], list]

LONG_TABLE_ROWS = 12
"""A table of more rows than this (all households, all villages) goes to the report's 附表, not its body."""


def _prose(ctx, area, params):
    return [nb.prose(ctx, area)]


def _key_figures(ctx, area, params):
    # no completion chart here: the overview's chart shows every indicator with a target once
    return [nb.key_figure_table(ctx, area), nb.other_indicator_table(ctx, area)]


def _cumulative(ctx, area, params):
    return nb.cumulative_figures(ctx, area, params.get("indicators"))


def _trend(ctx, area, params):
    return nb.trend_figures(ctx, list(params["indicators"]) if params.get("indicators") else None, area=area)


def _matrix(ctx, area, params):
    return [nb.visits_heatmap(ctx, params["indicator"], params.get("rule"))]


def _rule_breaches(ctx, area, params):
    return [nb.rule_breaches(ctx, params["rule"])]


def _events(ctx, area, params):
    types = tuple(params["types"]) if params.get("types") else None
    return [nb.event_table(ctx, area, types=types, caption=params.get("caption"))]


def _has_rectifications(ctx, area) -> bool:
    rect = ctx.township.rectifications
    return bool((rect["area"] == area).any())


def _rectifications(ctx, area, params):
    if not _has_rectifications(ctx, area):
        return []
    return [nb.rectification_figure(ctx, area), nb.open_rectifications_table(ctx, area)]


def _rectifications_open(ctx, area, params):
    return [nb.open_rectifications_table(ctx, area)] if _has_rectifications(ctx, area) else []


def _projects(ctx, area, params):
    return [nb.project_figure(ctx, area), nb.project_table(ctx, area)]


def _ranking(ctx, area, params):
    return [*nb.ranking_figures(ctx, area), nb.bottom_villages_table(ctx, area), *nb.branch_tables(ctx, area)]


def _petitions(ctx, area, params):
    if ctx.township.petitions.empty:
        return []
    return [nb.petition_figure(ctx), nb.petition_village_table(ctx)]


def _poor_households(ctx, area, params):
    summary = poverty_summary(ctx.township, ctx.month)
    if not (summary.households or summary.poor_villages):
        return []
    return [nb.poverty_table(ctx), nb.poverty_village_table(ctx), nb.unmet_standards_table(ctx)]


def _rule_results(ctx, area, params):
    return [nb.rules_table(ctx, area)]


def _problems_and_plans(ctx, area, params):
    return [nb.problems_and_plans(ctx, area)]


SECTIONS: dict[str, SectionFn] = {
    "prose": _prose,
    "key_figures": _key_figures,
    "cumulative_charts": _cumulative,
    "monthly_trend": _trend,
    "village_month_matrix": _matrix,
    "rule_breaches": _rule_breaches,
    "events": _events,
    "rectifications": _rectifications,
    "rectifications_open": _rectifications_open,
    "projects": _projects,
    "village_ranking": _ranking,
    "petitions": _petitions,
    "poor_households": _poor_households,
    "rule_results": _rule_results,
    "problems_and_plans": _problems_and_plans,
}
"""Section type (as report.yaml names it) -> what it shows."""


def block_outputs(ctx: nb.Context, area: str, block: Block) -> list:
    """What one block shows, without the notes that say there is nothing."""
    return [x for x in SECTIONS[block.type](ctx, area, dict(block.params)) if not isinstance(x, nb.Empty)]


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
