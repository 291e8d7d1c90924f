"""Generate data/qingshi/: 青石街道, a 街道 of 临江区, 2023-01..2024-09, seeded and reproducible.

The second bundled example, shaped unlike the sample on purpose: a 街道 (not a 镇) with 15 村/社区 under 3
联合党委 (one of them of 社区 only), five work areas of its own in its own order (党建引领, 经济发展, 基层治理,
生态环保, 安全稳定) stated in its ``report.yaml``, its own rules (one of each kind), no poor villages and no
households table, a percentage indicator (12345热线办结率) and a ceiling (生产安全事故), petitions at 街道/区/市
level (one about the 街道 as a whole), event types and a project stage of its own, Chinese headers and
GBK-encoded files (what Excel in China writes). A few defects are planted so that the analysis has
something to find: a month with the hotline under 98%, villages under the grid-visit minimum, a missed
refuse run, a petition that reached the city, an overdue rectification, a month without the 联合党委例会.

Run: ``python data/generate_qingshi.py`` (writes data/qingshi/ in place).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.data.schema import TABLES_BY_NAME  # noqa: E402  (the generator runs as a script)

OUT = ROOT / "data" / "qingshi"
rng = np.random.default_rng(20240930)

MONTHS = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 10)]
BRANCHES = {
    "东片联合党委": ["青龙村", "石门村", "桃源村", "柳溪村", "青石社区"],
    "西片联合党委": ["西岭村", "杨柳村", "白沙村", "莲花村", "云峰村"],
    "城区联合党委": ["锦江社区", "文昌社区", "滨河社区", "育才社区", "和平社区"],
}
VILLAGES = [v for vs in BRANCHES.values() for v in vs]
SITES = ["青龙收集点", "锦江收集点", "白沙收集点"]

PROFILE = """\
name: 青石街道
county: 临江区
kind: 街道
location: 临江区东部
area_km2: 36.5
population: 58200
"""

REPORT = """\
# 青石街道的报告结构（见 data/README.md “报告结构 report.yaml”）
township:
  kind: 街道
  branch_label: 联合党委
  issuer: 中共临江区青石街道工作委员会
  addressee: 中共临江区委

areas:
  - id: party
    heading: 坚持党建引领，夯实基层基础
    short: 党建引领
    sections:
      - prose
      - key_figures
      - title: 网格走访
        show:
          - village_month_matrix: {indicator: grid_visits, rule: grid_visits}
          - rule_breaches: {rule: grid_visits}
      - village_ranking
      - rule_results
      - problems_and_plans
  - id: economy
    heading: 聚焦高质量发展，壮大经济实力
    short: 经济发展
    sections:
      - prose
      - key_figures
      - title: 投资与消费月度走势
        show:
          - monthly_trend: {indicators: [fixed_asset_investment, retail_sales]}
          - rule_breaches: {rule: half_year}
      - projects
      - village_ranking
      - rule_results
      - problems_and_plans
  - id: governance
    heading: 深化基层治理，提升为民服务水平
    short: 基层治理
    sections:
      - prose
      - key_figures
      - title: 12345热线
        show:
          - monthly_trend: {indicators: [disputes_resolved]}
          - rule_breaches: {rule: hotline}
      - petitions
      - events
      - rule_results
      - problems_and_plans
  - id: ecology
    heading: 守牢生态底线，建设美丽街道
    short: 生态环保
    sections:
      - prose
      - key_figures
      - title: 河长制
        show:
          - village_month_matrix: {indicator: river_patrols, rule: river_patrols}
          - rule_breaches: {rule: river_patrols}
      - rectifications
      - title: 巡查与清运
        show:
          - events: {types: [巡河, 检查, 清运]}
          - rule_breaches: {rule: refuse}
      - projects
      - rule_results
      - problems_and_plans
  - id: safety
    heading: 统筹发展和安全，守住安全底线
    short: 安全稳定
    sections:
      - prose
      - key_figures
      - events
      - rule_results
      - problems_and_plans

rules:
  - id: grid_visits
    kind: village_monthly_minimum
    name: 网格员每月入户走访不少于20户
    area: party
    indicator: grid_visits
    minimum: 20
    label: 网格员入户走访
  - id: joint_meeting
    kind: events_each_period
    name: 联合党委每月召开一次例会
    area: party
    period: month
    types: [会议]
    title_contains: 联合党委例会
  - id: half_year
    kind: share_of_target_by
    name: 固定资产投资、社会消费品零售总额“时间过半、任务过半”
    area: economy
    month: 6
    share: 50
    label: 时间过半、任务过半
    indicators: [fixed_asset_investment, retail_sales]
  - id: hotline
    kind: level_threshold
    name: 12345热线办结率不低于98%
    area: governance
    indicator: hotline_closure_rate
    minimum: 98
  - id: petitions_in_district
    kind: petition_level_ceiling
    name: 信访矛盾“不出区”
    area: governance
    levels: [市, 省, 京]
  - id: river_patrols
    kind: village_monthly_minimum
    name: 村（社区）河长每月巡河不少于4次
    area: ecology
    indicator: river_patrols
    minimum: 4
    label: 河长巡河
  - id: refuse
    kind: daily_events
    name: 垃圾分类收集点每日一清运
    area: ecology
    type: 清运
    sites_label: 垃圾分类收集点
  - id: safety_quarterly
    kind: events_each_period
    name: 安全生产每季度“一部署、一检查、一总结”
    area: safety
    period: quarter
    types: [部署, 检查, 总结]

choices:
  event_types: [座谈, 巡河]
  project_stages: [竣工验收]
"""

INDICATORS = [
    ("grid_visits", "party", "网格员入户走访", "户", "flow", "higher"),
    ("new_members", "party", "新发展党员", "人", "flow", "higher"),
    ("volunteer_hours", "party", "志愿服务时长", "小时", "flow", "higher"),
    ("fixed_asset_investment", "economy", "固定资产投资", "万元", "flow", "higher"),
    ("retail_sales", "economy", "社会消费品零售总额", "万元", "flow", "higher"),
    ("new_market_entities", "economy", "新增市场主体", "户", "flow", "higher"),
    ("hotline_closure_rate", "governance", "12345热线办结率", "%", "rate", "higher"),
    ("disputes_resolved", "governance", "矛盾纠纷化解", "件", "flow", "higher"),
    ("river_patrols", "ecology", "河长巡河", "次", "flow", "higher"),
    ("greening_mu", "ecology", "新增绿化面积", "亩", "flow", "higher"),
    ("safety_accidents", "safety", "生产安全事故", "起", "flow", "lower"),
    ("fire_inspections", "safety", "消防安全检查", "家次", "flow", "higher"),
]
TARGETS = {  # year -> indicator -> annual target
    2023: {"new_members": 12, "fixed_asset_investment": 52000, "retail_sales": 86000, "new_market_entities": 600,
           "greening_mu": 300, "safety_accidents": 3, "fire_inspections": 1800},
    2024: {"new_members": 15, "fixed_asset_investment": 58000, "retail_sales": 92000, "new_market_entities": 680,
           "greening_mu": 320, "safety_accidents": 2, "fire_inspections": 2000},
}


def write(name: str, rows: list[list]) -> None:
    """One table with its Chinese headers, GBK-encoded; optional columns (owner) are left out, as older files do."""
    table = TABLES_BY_NAME[name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.zh for c in table.columns if not c.optional_column])
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    (OUT / table.file).write_bytes(buffer.getvalue().encode("gbk"))


def villages() -> None:
    rows = []
    for branch, names in BRANCHES.items():
        for v in names:
            kind = "社区" if v.endswith("社区") else "村"
            people = int(rng.integers(5200, 7800) if kind == "社区" else rng.integers(1800, 3200))
            rows.append([v, branch, kind, people, "", ""])  # 贫困村 left empty: 否
    write("villages", rows)


def indicators_and_targets() -> None:
    write("indicators", [list(r) for r in INDICATORS])
    write("targets", [[year, ind, value] for year, found in TARGETS.items() for ind, value in found.items()])


def monthly() -> None:
    rows = []
    for month in MONTHS:
        year, m = int(month[:4]), int(month[5:])
        for v in VILLAGES:
            visits = int(rng.integers(20, 34))
            if (month, v) in {("2024-03", "白沙村"), ("2024-07", "云峰村"), ("2024-08", "白沙村")}:
                visits = int(rng.integers(12, 19))  # planted: under the minimum of 20
            rows.append([month, v, "grid_visits", visits])
            patrols = int(rng.integers(4, 7))
            if (month, v) == ("2024-05", "柳溪村"):
                patrols = 3  # planted: under the minimum of 4
            rows.append([month, v, "river_patrols", patrols])
            rows.append([month, v, "new_market_entities", int(rng.integers(2, 6))])
        grow = 1.0 if year == 2023 else 1.08
        season = 0.8 if m in (1, 2) else 1.15 if m in (6, 12) else 1.0
        rows += [
            [month, None, "new_members", int(rng.integers(0, 3))],
            [month, None, "volunteer_hours", int(rng.integers(900, 1500))],
            [month, None, "fixed_asset_investment", round(4200 * grow * season * rng.uniform(0.9, 1.1))],
            [month, None, "retail_sales", round(7400 * grow * season * rng.uniform(0.95, 1.05))],
            [month, None, "hotline_closure_rate",
             97.2 if month == "2024-04" else round(float(rng.uniform(98.2, 99.6)), 1)],  # planted: April under 98%
            [month, None, "disputes_resolved", int(rng.integers(18, 40))],
            [month, None, "greening_mu", int(rng.integers(18, 34))],
            [month, None, "safety_accidents", 1 if month in ("2023-05", "2024-06") else 0],
            [month, None, "fire_inspections", int(rng.integers(130, 190))],
        ]
    write("monthly", rows)


def projects() -> None:
    write("projects", [
        ["Q01", "青石智造产业园标准厂房", "economy", "产业项目", "石门村、桃源村", 18500, "2023-10", "2024-12"],
        ["Q02", "滨河商业街提档升级", "economy", "商贸项目", "滨河社区", 3200, "2024-02", "2024-08"],
        ["Q03", "柳溪河生态修复", "ecology", "生态修复", "柳溪村、青龙村", 2600, "2023-09", "2024-06"],
    ])
    stages = {
        "Q01": [("2024-01", "在建", 20), ("2024-03", "在建", 35), ("2024-05", "在建", 52), ("2024-07", "在建", 66),
                ("2024-09", "在建", 78)],
        "Q02": [("2024-02", "在建", 10), ("2024-04", "在建", 40), ("2024-06", "在建", 70), ("2024-07", "在建", 85),
                ("2024-08", "在建", 85), ("2024-09", "在建", 85)],  # planted: stalled and overdue
        "Q03": [("2024-01", "在建", 60), ("2024-04", "完工", 100), ("2024-06", "竣工验收", 100)],
    }
    rows = []
    for pid, steps in stages.items():
        for month, stage, pct in steps:
            rows.append([month, pid, stage, pct, ""])
    write("project_progress", rows)


def petitions() -> None:
    write("petitions", [
        ["QX01", "2024-02", "锦江社区", "街道", "已化解", "物业服务"],
        ["QX02", "2024-03", "石门村", "区", "已化解", "征地补偿"],
        ["QX03", "2024-05", None, "街道", "已化解", "道路施工噪声"],
        ["QX04", "2024-06", "文昌社区", "市", "化解中", "房屋质量"],  # planted: reached the city
        ["QX05", "2024-08", "莲花村", "街道", "化解中", "土地流转"],
    ])


def rectifications() -> None:
    write("rectifications", [
        ["QR01", "ecology", "餐饮油烟", "滨河社区3家餐馆", "滨河社区", "2024-03", "2024-05", "2024-04",
         "加装油烟净化器"],
        ["QR02", "ecology", "建筑工地扬尘", "智造产业园工地", "石门村", "2024-05", "2024-07", None, None],  # overdue
        ["QR03", "ecology", "河道垃圾", "柳溪河沿线", None, "2024-06", "2024-09", "2024-07", "清理完毕"],
        ["QR04", "safety", "消防通道占用", "文昌社区老旧小区", "文昌社区", "2024-08", "2024-10", None, None],
    ])


def events() -> None:
    rows = []
    for month in MONTHS[12:]:
        m = int(month[5:])
        if month != "2024-05":  # planted: no 联合党委例会 in May
            rows.append([f"{month}-0{int(rng.integers(3, 9))}", "party", "会议", "联合党委例会", ""])
        rows.append([f"{month}-1{int(rng.integers(0, 9))}", "governance", "座谈", "居民议事会", ""])
        rows.append([f"{month}-2{int(rng.integers(0, 8))}", "ecology", "巡河", "街道河长联合巡河", ""])
        if m % 3 == 1:
            rows.append([f"{month}-05", "safety", "部署", "安全生产工作部署会", ""])
        if m % 3 == 2:
            rows.append([f"{month}-15", "safety", "检查", "安全生产联合检查", ""])
        if m % 3 == 0:
            rows.append([f"{month}-25", "safety", "总结", "安全生产季度总结", ""])
        rows.append([f"{month}-12", "safety", "演练", "消防应急演练", ""])
        rows.append([f"{month}-18", "ecology", "检查", "扬尘污染专项检查", ""])
    for day in np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-10-01")):
        for site in SITES:
            if (str(day), site) == ("2024-07-14", "白沙收集点"):
                continue  # planted: one missed run
            rows.append([str(day), "ecology", "清运", site, ""])
    rows.sort(key=lambda r: r[0])
    write("events", rows)


def highlights() -> None:
    write("highlights", [
        ["2024-09", "overview", "以“红色网格”为抓手，推动党建引领基层治理提质增效"],
        ["2024-09", "economy", "青石智造产业园引进2家精密制造企业"],
        ["2024-09", "governance", "“居民议事会”机制覆盖全部15个村（社区）"],
        ["2024-08", "ecology", "柳溪河生态修复项目通过竣工验收"],
    ])


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "township.yaml").write_text(PROFILE, encoding="utf-8")
    (OUT / "report.yaml").write_text(REPORT, encoding="utf-8")
    villages()
    indicators_and_targets()
    monthly()
    projects()
    petitions()
    rectifications()
    events()
    highlights()


if __name__ == "__main__":
    main()
