"""Petitions of the year: cases by highest level, and by village."""

from __future__ import annotations

from matplotlib.figure import Figure

from helpers.analysis.petitions import petition_counts, petitions_by_village
from helpers.report.charts.statuses import stacked_status_chart
from helpers.report.tables import display_table
from helpers.report.views.blocks import empty
from helpers.report.views.context import Context


def petition_figure(ctx: Context) -> Figure:
    return stacked_status_chart(
        petition_counts(ctx.township, ctx.month), "今年以来信访案件（按最高层级）", unit="件"
    )


def petition_village_table(ctx: Context):
    frame = petitions_by_village(ctx.township, ctx.month)
    frame = frame[frame["cases"] > 0].sort_values("cases", ascending=False)
    if frame.empty:
        return empty("今年以来没有信访案件。")
    return display_table(
        frame,
        {
            "village": ("村（社区）", "text"),
            "cases": ("案件", "int"),
            "resolved": ("已化解", "int"),
            "pending": ("化解中", "int"),
        },
        caption="今年以来信访案件分村（社区）统计",
    )
