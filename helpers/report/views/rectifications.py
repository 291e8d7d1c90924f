"""Rectification orders: done and open by category, and the open ones (overdue first)."""

from __future__ import annotations

from IPython.display import HTML
from matplotlib.figure import Figure

from helpers.analysis.rectifications import rectification_status, rectifications_by_category
from helpers.report.charts.statuses import stacked_status_chart
from helpers.report.tables import display_table
from helpers.report.views.blocks import MIN_BARS, empty, note
from helpers.report.views.context import Context


def rectification_figure(ctx: Context, area: str | None = None) -> Figure | HTML:
    frame = rectifications_by_category(ctx.township, ctx.month, area)
    if frame.empty:
        return empty("本领域没有整改任务。")
    if len(frame) < MIN_BARS:  # one category: a sentence, not a one-bar chart
        row = frame.iloc[0]
        return note(f"整改任务（{row['category']}）共{int(row['total'])}项，已完成{int(row['closed'])}项，"
                    f"未完成{int(row['open'])}项。")
    return stacked_status_chart(frame, "整改任务完成情况（按类别）", unit="项")


def open_rectifications_table(ctx: Context, area: str | None = None):
    frame = rectification_status(ctx.township, ctx.month)
    if area is not None:
        frame = frame[frame["area"] == area]
    frame = frame[frame["state"] != "已完成"].sort_values(["overdue", "due"], ascending=[False, True])
    if frame.empty:
        return note("整改任务均已完成。")
    return display_table(
        frame,
        {
            "category": ("类别", "text"),
            "name": ("对象", "text"),
            "village": ("村（社区）", "text"),
            "issued": ("下达", "month"),
            "due": ("期限", "month"),
            "state": ("状态", "text"),
        },
        caption="未完成的整改任务（逾期的排在前面）",
    )
