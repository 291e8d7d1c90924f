"""Poverty alleviation: registered and exited households, by village, and the exit standards still unmet."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.poverty import poverty_by_village, poverty_summary, unmet_exit_standards
from helpers.report.tables import display_table
from helpers.report.views.blocks import note
from helpers.report.views.context import Context


def poverty_table(ctx: Context):
    """Registered, exited and planned households and people."""
    s = poverty_summary(ctx.township, ctx.month)
    year = ctx.month.year
    rows = [
        (
            "贫困村",
            f"{s.poor_villages}个",
            f"已摘帽{s.delisted_before_year}个，{year}年计划摘帽{s.to_delist_this_year}个",
        ),
        ("建档立卡贫困户", f"{s.households}户{s.people}人", ""),
        (f"{year}年以前已脱贫", f"{s.exited_before_year_households}户{s.exited_before_year_people}人", ""),
        (
            f"{year}年计划脱贫",
            f"{s.planned_this_year_households}户{s.planned_this_year_people}人",
            f"已脱贫{s.exited_this_year_households}户{s.exited_this_year_people}人",
        ),
        ("尚未脱贫", f"{s.remaining_households}户{s.remaining_people}人", ""),
    ]
    return display_table(
        pd.DataFrame(rows, columns=["item", "value", "note"]),
        {"item": ("项目", "text"), "value": ("数量", "text"), "note": ("说明", "text")},
    )


def poverty_village_table(ctx: Context):
    frame = poverty_by_village(ctx.township, ctx.month)
    frame = frame[frame["households"] > 0].sort_values("households", ascending=False)
    return display_table(
        frame.assign(poor=frame["poor_village"].map({True: "是", False: "否"})),
        {
            "village": ("村（社区）", "text"),
            "poor": ("贫困村", "text"),
            "delisted_year": ("摘帽（计划）年份", "text"),
            "households": ("建档立卡户", "int"),
            "people": ("人口", "int"),
            "exited_households": ("已脱贫户", "int"),
            "planned_this_year_households": (f"{ctx.month.year}年计划脱贫户", "int"),
            "planned_this_year_people": (f"{ctx.month.year}年计划脱贫人口", "int"),
        },
        caption="建档立卡贫困户分布（按户数排序）",
    )


def unmet_standards_table(ctx: Context):
    """Households planned to exit this year that still miss an exit standard, by village."""
    frame = unmet_exit_standards(ctx.township, ctx.month)
    if frame.empty:
        return note("今年计划脱贫户的“两不愁三保障”及收入标准均已达到。")
    return display_table(
        frame.sort_values(["village", "household_id"]),
        {
            "village": ("村（社区）", "text"),
            "household_id": ("户编号", "text"),
            "members": ("人口", "int"),
            "income_per_capita": ("人均纯收入（元）", "number"),
            "unmet": ("未达标准", "text"),
        },
        caption=f"{ctx.month.year}年计划脱贫、尚未达到脱贫标准的户（须逐户解决）",
    )
