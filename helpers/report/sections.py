"""Section types of an area's report, registered by name; the township's profile lists which an area shows.

Each type is one small function ``(ctx, area, params) -> list`` of things ``display()`` shows. A block
with nothing to show returns an empty list (or :class:`~helpers.report.notebook.Empty` notes, dropped
here); a section whose blocks all come back empty is left out, heading included, and the remaining
sections are numbered in order. The names and parameters are the contract of
:data:`helpers.data.profile.SECTION_TYPES`.
"""

from __future__ import annotations

from collections.abc import Callable

from IPython.display import Markdown

from helpers.analysis.poverty import poverty_summary
from helpers.data.profile import Block
from helpers.report import notebook as nb
from helpers.report.narrative import area_heading

SectionFn = Callable[[nb.Context, str, dict], list]


def _prose(ctx, area, params):
    return [nb.prose(ctx, area)]


def _key_figures(ctx, area, params):
    return [nb.key_figure_table(ctx, area), nb.completion_figure(ctx, area), nb.other_indicator_table(ctx, area)]


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
        shown = [x for block in section.blocks for x in block_outputs(ctx, area, block)]
        if not shown:
            continue
        n += 1
        out += [Markdown(f"## {n}. {section.title}"), *shown]
    return out
