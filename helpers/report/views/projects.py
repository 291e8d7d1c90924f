"""The projects of an area (or all): their table and their progress chart."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from helpers.analysis.projects import project_status
from helpers.report import style
from helpers.report.charts.projects import project_progress_chart
from helpers.report.tables import display_table
from helpers.report.views.blocks import MIN_BARS, empty
from helpers.report.views.context import Context
from helpers.report.wording.states import project_state

PROJECT_COLUMNS = {
    "name": ("项目", "text"),
    "category": ("类别", "text"),
    "villages": ("涉及村", "list"),
    "investment_wan": ("总投资（万元）", "number"),
    "stage": ("阶段", "text"),
    "progress_pct": ("进度", "pct"),
    "spent_wan": ("已完成投资（万元）", "number"),
    "due": ("计划完成", "month"),
    "state": ("状态", "text"),
}


def _projects(ctx: Context, area: str | None) -> pd.DataFrame:
    frame = project_status(ctx.township, ctx.month)
    if area is not None:
        frame = frame[frame["area"] == area]
    return frame.assign(state=[project_state(r) for r in frame.to_dict("records")])


def project_table(ctx: Context, area: str | None = None):
    frame = _projects(ctx, area)
    if frame.empty:
        return empty("本领域没有项目。")
    styler = display_table(frame, PROJECT_COLUMNS)
    return styler.map(
        lambda v: (
            f"color: {style.STATUS_COLORS['滞后']}; font-weight: 600"
            if isinstance(v, str) and ("逾期" in v or "停滞" in v)
            else ""
        ),
        subset=["状态"],
    )


def project_figure(ctx: Context, area: str | None = None) -> Figure | HTML:
    frame = _projects(ctx, area)
    if len(frame) < MIN_BARS:  # one project: the project table says it
        return empty("本领域项目不足两个，见项目表。")
    title = "项目推进情况" if area is None else f"{ctx.township.areas[area]}项目推进情况"
    return project_progress_chart(frame, title=title)
