"""The two example rows each data sheet of the blank template shows (marked 示例, skipped on import)."""

from __future__ import annotations

from helpers.data.schema import Table

EXAMPLES: dict[str, tuple[tuple[object, ...], tuple[object, ...]]] = {
    "villages": (("高龙村", "第一党总支", "村", 1520, "是", 2018),
                 ("场镇社区", "第二党总支", "社区", 3260, "否", None)),
    "indicators": (("pepper_planting_mu", "富民强镇", "藤椒栽植面积", "亩", "流量", "越高越好"),
                   ("safety_accidents", "安全稳定生态", "安全生产事故", "起", "流量", "越低越好")),
    "targets": ((2018, "藤椒栽植面积", 3300), (2018, "安全生产事故", 2)),
    "monthly": (("2018-08", "高龙村", "藤椒栽植面积", 120), ("2018-08", None, "安全生产事故", 0)),
    "projects": (("P01", "高龙村产业路硬化", "富民强镇", "农业基础设施", "高龙村", 666, "2018-01", "2018-09"),
                 ("P02", "场镇污水管网", "安全稳定生态", "环保", "场镇社区", 320, "2018-03", "2018-12")),
    "project_progress": (("2018-08", "P01", "在建", 92, 610), ("2018-08", "P02", "在建", 40, 120)),
    "households": (("H0001", "高龙村", 3, 2018, None, 4200, "是", "是", "是", "是"),
                   ("H0002", "高龙村", 4, 2016, "2016-12", 5100, "是", "是", "是", "是")),
    "petitions": (("X001", "2018-05", "高龙村", "县", "已化解", "征地补偿"),
                  ("X002", "2018-08", "场镇社区", "镇", "化解中", "邻里纠纷")),
    "rectifications": (("R001", "安全稳定生态", "养殖户", "高龙村2号养殖场", "高龙村", "2018-03", "2018-06", "2018-05",
                        "粪污零直排"),
                       ("R002", "安全稳定生态", "小作坊", "场镇某食品作坊", "场镇社区", "2018-07", "2018-10",
                        None, None)),
    "events": (("2018-03-15", "安全稳定生态", "培训", "安全生产法规宣传培训", 1),
               ("2018-08-02", "党建", "部署", "部署第三季度党建工作", None)),
    "highlights": (("2018-08", "富民强镇", "与广东永成鞋业有限公司达成框架协议"),
                   ("2018-08", "总体", "全镇8月无重大安全事故")),
}
"""Per table, two rows in the workbook's own terms (Chinese choices and areas, indicators by name)."""


def example_rows(table: Table) -> list[tuple[object, ...]]:
    """The example rows of one table, one value per column (an unknown table has none)."""
    rows = EXAMPLES.get(table.name, ())
    return [tuple(row) + (None,) * (len(table.columns) - len(row)) for row in rows]
