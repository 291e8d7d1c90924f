"""Section types of an area's report: each one's contract (name, default heading, parameters) above what it shows.

A type is one small function ``(nb, ctx, area, params) -> list`` of things ``display()`` shows, made a
:class:`SectionType` by :func:`section_type`. ``nb`` is the notebook views' module
(:mod:`helpers.report.notebook`), handed over by :func:`helpers.report.sections.block_outputs`: this module
imports no view, so that the data layer's registry (:data:`helpers.data.report_profile.registry.SECTION_TYPES`), which
imports it by name (it is named in helpers.config.SECTION_TYPE_PLUGINS) to check report.yaml, does not pay
for matplotlib and IPython when a township's data is only checked. A block with nothing to show returns an
empty list (or :class:`~helpers.report.notebook.Empty` notes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from helpers.analysis.poverty import poverty_summary
from helpers.data.report_profile.parameters import Param
from helpers.data.report_profile.registry import SectionContract

SectionFn = Callable[..., list]
"""``(nb, ctx, area, params) -> list``: what a block of the type shows."""


@dataclass(frozen=True, kw_only=True)
class SectionType(SectionContract):
    """A section type: its contract (name, default heading, parameters) and what it shows."""

    show: SectionFn


def section_type(name: str, heading: str, **params: Param) -> Callable[[SectionFn], SectionType]:
    """Declare the function below as the section type ``name``, with its default heading and parameters."""
    def declare(show: SectionFn) -> SectionType:
        return SectionType(name=name, heading=heading, params=params, show=show)
    return declare


@section_type("prose", "工作进展")
def _prose(nb, ctx, area, params):
    return [nb.prose(ctx, area)]


@section_type("key_figures", "关键指标")
def _key_figures(nb, ctx, area, params):
    # no completion chart here: the overview's chart shows every indicator with a target once
    return [nb.key_figure_table(ctx, area), nb.other_indicator_table(ctx, area)]


@section_type("cumulative_charts", "累计进度与目标进度", indicators=Param("indicators"))
def _cumulative(nb, ctx, area, params):
    return nb.cumulative_figures(ctx, area, params.get("indicators"))


@section_type("monthly_trend", "月度走势", indicators=Param("indicators"))
def _trend(nb, ctx, area, params):
    return nb.trend_figures(ctx, list(params["indicators"]) if params.get("indicators") else None, area=area)


@section_type("village_month_matrix", "村级月度情况", indicator=Param("indicator", required=True), rule=Param("rule"))
def _matrix(nb, ctx, area, params):
    return [nb.visits_heatmap(ctx, params["indicator"], params.get("rule"))]


@section_type("rule_breaches", "规则执行情况", rule=Param("rule", required=True))
def _rule_breaches(nb, ctx, area, params):
    return [nb.rule_breaches(ctx, params["rule"])]


@section_type("events", "工作事项", types=Param("event_types"), caption=Param("text"))
def _events(nb, ctx, area, params):
    types = tuple(params["types"]) if params.get("types") else None
    return [nb.event_table(ctx, area, types=types, caption=params.get("caption"))]


def _has_rectifications(ctx, area) -> bool:
    rect = ctx.township.rectifications
    return bool((rect["area"] == area).any())


@section_type("rectifications", "整改任务")
def _rectifications(nb, ctx, area, params):
    if not _has_rectifications(ctx, area):
        return []
    return [nb.rectification_figure(ctx, area), nb.open_rectifications_table(ctx, area)]


@section_type("rectifications_open", "未完成的整改")
def _rectifications_open(nb, ctx, area, params):
    return [nb.open_rectifications_table(ctx, area)] if _has_rectifications(ctx, area) else []


@section_type("projects", "项目推进")
def _projects(nb, ctx, area, params):
    return [nb.project_figure(ctx, area), nb.project_table(ctx, area)]


@section_type("village_ranking", "村级排名与末位", indicators=Param("indicators"))
def _ranking(nb, ctx, area, params):
    return [*nb.ranking_figures(ctx, area), nb.bottom_villages_table(ctx, area), *nb.branch_tables(ctx, area)]


@section_type("petitions", "信访稳定")
def _petitions(nb, ctx, area, params):
    if ctx.township.petitions.empty:
        return []
    return [nb.petition_figure(ctx), nb.petition_village_table(ctx)]


@section_type("poor_households", "脱贫攻坚")
def _poor_households(nb, ctx, area, params):
    summary = poverty_summary(ctx.township, ctx.month)
    if not (summary.households or summary.poor_villages):
        return []
    return [nb.poverty_table(ctx), nb.poverty_village_table(ctx), nb.unmet_standards_table(ctx)]


@section_type("rule_results", "规则检查")
def _rule_results(nb, ctx, area, params):
    return [nb.rules_table(ctx, area)]


@section_type("problems_and_plans", "存在问题与下步打算")
def _problems_and_plans(nb, ctx, area, params):
    return [nb.problems_and_plans(ctx, area)]
