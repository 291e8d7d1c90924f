"""The overview's views: the township profile, key figures, completion, other indicators, attention."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from helpers.analysis.progress import BEHIND, indicator_progress, key_figures
from helpers.data.periods import month_label
from helpers.report.charts.indicators import completion_chart
from helpers.report.prose.attention import LEADS, attention_list
from helpers.report.tables import KEY_FIGURE_COLUMNS, display_table, key_figure_view, unmoved_stock_mom
from helpers.report.views.blocks import MIN_BARS, empty
from helpers.report.views.context import Context


def info_table(ctx: Context):
    """The township profile with the counts that come from the tables."""
    tw, p = ctx.township, ctx.township.info
    villages = tw.villages
    def given(key: str, unit: str) -> str | None:
        value = p.get(key)
        return None if value in (None, "") else f"{value}{unit}"

    rows = [
        ("乡镇" if tw.naming.kind != "街道" else "街道", p.get("name")),
        ("所属县", p.get("county")),
        ("距县城", given("distance_to_county_km", "公里")),
        ("幅员面积", given("area_km2", "平方公里")),
        ("场镇面积", given("town_area_km2", "平方公里")),
        (tw.naming.branch, f"{villages['branch'].nunique()}个"),
        (
            "村（社区）",
            f"{len(villages)}个（村{int((villages['kind'] == '村').sum())}个、"
            f"社区{int((villages['kind'] == '社区').sum())}个）",
        ),
        ("总人口", f"{p.get('population')}人"),
        ("报告月份", month_label(ctx.month)),
    ]
    frame = pd.DataFrame([r for r in rows if r[1] is not None], columns=["item", "value"])
    return display_table(frame, {"item": ("项目", "text"), "value": ("内容", "text")})


def key_figure_table(ctx: Context, area: str | None = None):
    """Every indicator with a target: YTD, target, completion, time progress, status, changes."""
    frame = key_figures(ctx.township, ctx.month, area, ctx.settings)
    if frame.empty:
        return empty("本领域没有设定年度目标的指标。")
    frame = key_figure_view(frame, ctx.month)
    columns = dict(KEY_FIGURE_COLUMNS)
    if area is None:
        frame = frame.assign(area_name=frame["area"].map(ctx.township.areas))
        columns = {"area_name": ("领域", "text"), **columns}
    if area is not None:  # the overview's table says once how the figures are computed
        return display_table(frame, columns, stacked=True)
    note = "完成率：流量指标为累计完成 ÷ 年度目标；存量指标（如企业户数）为年初以来的增量 ÷ 目标要求的增量。"
    if (frame["better"] == "lower").any():
        note += "标注“上限”的指标越少越好，与按序时进度应控制的量比较，不计完成率。"
    if (frame["kind"] == "rate").any():
        note += "比率类指标（如办结率）直接与目标比较，不计序时进度。"
    if not frame["reported"].all():
        note += "“未报”的月份不按0计：累计只到“数据截至”的月份，不计环比和今后每月需完成量。"
    if "yoy_note" in frame:
        note += "同比只比较两年都有数据的月份，见“同比说明”。"
    return display_table(frame, columns, caption=note, stacked=True)


def completion_figure(ctx: Context, area: str | None = None) -> Figure | HTML:
    frame = key_figures(ctx.township, ctx.month, area, ctx.settings)
    if frame.empty:
        return empty("本领域没有设定年度目标的指标。")
    frame = frame[frame["completion_pct"].notna() & frame["reported"]]  # one 序时 for every bar
    if len(frame) < MIN_BARS:  # the key-figure table beside it says the same
        return empty("本领域按序时进度计算完成率的指标不足两项，见关键指标表。")
    title = "主要指标完成率与序时进度" if area is None else f"{ctx.township.areas[area]}指标完成率与序时进度"
    return completion_chart(frame, title=title)


def other_indicator_table(ctx: Context, area: str):
    """The area's indicators without a target: current figure and month-on-month change."""
    frame = indicator_progress(ctx.township, ctx.month, ctx.settings)
    frame = frame[(frame["area"] == area) & frame["target"].isna()]
    if frame.empty:
        return HTML("")  # every indicator of the area has a target: the key-figure table shows them all
    return display_table(
        frame.assign(mom_pct=unmoved_stock_mom(frame)),
        {
            "name": ("指标", "text"),
            "unit": ("单位", "text"),
            "ytd": ("累计/现值", "number"),
            "this_month": ("本月", "number"),
            "mom_pct": ("环比", "signed_pct"),
            "yoy_pct": ("同比", "signed_pct"),
        },
    )


def attention_table(ctx: Context, area: str | None = None):
    """Everything lagging, overdue, stalled or in breach (one area, or all)."""
    frame = attention_list(ctx.township, ctx.month, ctx.settings)
    if area is not None:
        frame = frame[frame["area"] == area]
    if frame.empty:
        return empty("本期没有滞后、逾期、停滞或未落实的事项。")
    columns = {"kind": ("类别", "text"), "item": ("事项", "text"), "detail": ("情况", "text")}
    if area is None:
        columns = {"area_name": ("领域", "text"), **columns}
        # a rule's result is said once, in the rule table below
        frame = frame.assign(detail=frame["detail"].where(frame["kind"].astype(str) != "未落实", "详见“规则检查一览”"))
    # a ceiling, a rate or a level to keep has no pace to lag behind: its category is the prose's wording
    kind = frame["kind"].astype(str)
    lead = frame["lead"].astype(str) if "lead" in frame else pd.Series("", index=frame.index)
    kind = kind.where(lead.isin(["", LEADS[BEHIND]]), lead)
    return display_table(frame.assign(kind=kind), columns, stacked=True)
