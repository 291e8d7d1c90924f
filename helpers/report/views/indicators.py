"""Indicators by month and by village: cumulative and monthly charts, rankings, roll-ups, the village × month matrix."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from helpers.analysis.progress import monthly_series
from helpers.analysis.villages import branch_rollup, village_level_indicators, village_month_matrix, village_ranking
from helpers.chinese_text import plain_number
from helpers.data.township import Township
from helpers.report.charts.indicators import cumulative_chart, trend_chart
from helpers.report.charts.villages import village_heatmap, village_ranking_chart
from helpers.report.tables import display_table
from helpers.report.views.blocks import MIN_BARS, empty
from helpers.report.views.context import Context


def area_indicators(ctx: Context, area: str, *, with_target: bool | None = None, kind: str | None = None) -> list[str]:
    ind = ctx.township.indicators
    ind = ind[ind["area"] == area]
    if kind:
        ind = ind[ind["kind"] == kind]
    if with_target is not None:
        year = ctx.month.year
        targeted = set(ctx.township.targets.loc[ctx.township.targets["year"] == year, "indicator"])
        ind = ind[ind["indicator"].isin(targeted) == with_target]
    return list(ind["indicator"])


def _indicator(ctx: Context, indicator: str) -> pd.Series:
    ind = ctx.township.indicators
    return ind[ind["indicator"] == indicator].iloc[0]


def cumulative_figures(ctx: Context, area: str, indicators: list[str] | None = None) -> list[Figure]:
    """Cumulative progress against the target pace, for each flow indicator with a target.

    The area's, or those of ``indicators`` among them.
    """
    figs = []
    found = area_indicators(ctx, area, with_target=True, kind="flow")
    for indicator in found if indicators is None else [i for i in indicators if i in found]:
        row = _indicator(ctx, indicator)
        if row["better"] == "lower":
            continue
        series = monthly_series(ctx.township, indicator, ctx.month.year)
        figs.append(cumulative_chart(series, row["name"], row["unit"], until=ctx.month))
    return figs


def trend_figures(ctx: Context, indicators: list[str] | None = None, area: str | None = None) -> list[Figure]:
    """Monthly amounts of flow indicators, with last year's months where the data has them."""
    if indicators is None:
        indicators = area_indicators(ctx, area, kind="flow") if area else []
    figs = []
    known = set(ctx.township.indicators["indicator"])
    for indicator in indicators:
        if indicator not in known:
            continue
        row = _indicator(ctx, indicator)
        series = monthly_series(ctx.township, indicator, ctx.month.year)
        series = series[series["month"] <= ctx.month]
        if series["value"].notna().sum() < MIN_BARS:
            continue
        last = monthly_series(ctx.township, indicator, ctx.month.year - 1)
        last = last[last["month"].dt.month <= ctx.month.month]
        figs.append(
            trend_chart(series, row["name"], row["unit"], last_year=None if last["value"].isna().all() else last)
        )
    return figs


def ranking_figures(ctx: Context, area: str) -> list[Figure]:
    """Village ranking bars for each village-level indicator of the area, 末位 flagged."""
    ranking = village_ranking(ctx.township, area, ctx.month, ctx.settings)
    return [
        village_ranking_chart(group)
        for indicator, group in ranking.groupby("indicator", sort=False)
        if indicator not in matrix_indicators(ctx.township, area) and len(group) >= MIN_BARS
    ]


def matrix_indicators(tw: Township, area: str) -> set[str]:
    """The area's indicators its profile shows as a village × month matrix (not ranked again)."""
    return {b.params["indicator"] for s in tw.report.area(area).sections for b in s.blocks
            if b.type == "village_month_matrix"}


def bottom_villages_table(ctx: Context, area: str):
    """The villages flagged 末位 on each village-level indicator of the area."""
    ranking = village_ranking(ctx.township, area, ctx.month, ctx.settings)
    bottom = ranking[ranking["bottom"]]
    if bottom.empty:
        return empty("本领域没有村级排名指标。")
    return display_table(
        bottom,
        {
            "name": ("指标", "text"),
            "village": ("村（社区）", "text"),
            "branch": (ctx.township.naming.branch, "text"),
            "value": ("累计/现值", "number"),
            "unit": ("单位", "text"),
            "rank": ("名次", "int"),
        },
        caption=f"村级排名末{ctx.settings.bottom_n}位（并列者一并列出）",
    )


def branch_tables(ctx: Context, area: str) -> list:
    """Per 党总支 roll-ups of the area's village-level indicators."""
    out = []
    for indicator in village_level_indicators(ctx.township, ctx.month, area):
        row = _indicator(ctx, indicator)
        frame = branch_rollup(ctx.township, indicator, ctx.month)
        out.append(
            display_table(
                frame,
                {
                    "branch": (ctx.township.naming.branch, "text"),
                    "villages": ("村（社区）数", "int"),
                    "population": ("人口", "int"),
                    "value": (f"{row['name']}（{row['unit']}）", "number"),
                },
                caption=f"{row['name']}：按{ctx.township.naming.branch}汇总",
            )
        )
    return out


def visits_heatmap(ctx: Context, indicator: str = "visits", rule: str | None = "visits") -> Figure | HTML:
    """A village-level indicator per village and month.

    With a village_monthly_minimum ``rule``, the months under its minimum are highlighted.
    """
    if indicator not in set(ctx.township.indicators["indicator"]):
        return empty(f"数据中没有{indicator}指标。")
    row = _indicator(ctx, indicator)
    matrix = village_month_matrix(ctx.township, indicator, ctx.month.year, until=ctx.month)
    if matrix.empty:
        return empty()
    spec = ctx.township.report.rule(rule) if rule else None
    minimum = spec.params.get("minimum") if spec is not None else None
    title = row["name"] if minimum is None else f"{row['name']}（每村每月不少于{plain_number(minimum)}{row['unit']}）"
    return village_heatmap(matrix, title, row["unit"], threshold=minimum)
