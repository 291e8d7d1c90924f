"""Work events of the year (meetings, trainings, inspections …) counted by type."""

from __future__ import annotations

from helpers.analysis.events import event_counts
from helpers.report.tables import display_table
from helpers.report.views.blocks import empty
from helpers.report.views.context import Context
from helpers.report.wording import event_unit

EVENT_TYPE_ORDER = (
    "部署",
    "督查",
    "总结",
    "通报",
    "会议",
    "培训",
    "检查",
    "抽查",
    "演练",
    "宣传",
    "立案",
    "清运",
    "其他",
)


def event_table(ctx: Context, area: str, types: tuple[str, ...] | None = None, caption: str | None = None):
    """Year-to-date counts of the area's meetings, trainings, inspections and the like (optionally some types)."""
    frame = event_counts(ctx.township, ctx.month, area)
    if types is not None:
        frame = frame[frame["type"].astype(str).isin(types)]
    if frame.empty:
        return empty("今年以来没有记录的相关工作事项。")
    kinds = frame["type"].astype(str)
    frame = frame.assign(
        order=kinds.map({t: i for i, t in enumerate(EVENT_TYPE_ORDER)}),
        unit=kinds.map(event_unit),
    )
    return display_table(
        frame.sort_values("order"),
        {
            "type": ("类型", "text"),
            "count": ("记录条数", "int"),
            "quantity": ("数量合计", "int"),
            "unit": ("单位", "text"),
        },
        caption=caption or f"今年以来{ctx.township.areas[area]}工作事项统计",
    )
