"""Generate data/sample/: XX镇 of the reference report, 2017-01..2018-08, seeded and reproducible.

Every figure of ``../shared/reference`` (the August 2018 report) follows from these tables for
2018-08; the rest (village detail, month detail, 2017 comparisons) is plausible filler drawn
from a seeded generator. A few defects are planted on purpose so that the analysis has
something to find: villages under 8 民情恳谈 in a month, an overdue rectification, a stalled
and overdue project, indicators behind time progress.

Run: ``python data/generate_sample.py`` (writes data/sample/ in place).
"""

from __future__ import annotations

import calendar
import csv
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "sample"
rng = np.random.default_rng(20180831)

MONTHS_2018 = [f"2018-{m:02d}" for m in range(1, 9)]
MONTHS_2017 = [f"2017-{m:02d}" for m in range(1, 13)]

BRANCHES = ["高龙片区党总支", "拦江片区党总支", "万福片区党总支", "碧波片区党总支"]
VILLAGES = [
    "高龙村", "拦江村", "万福村", "碧波村", "山花村", "石桥村", "龙井村", "金鸡村",
    "白鹤村", "青杠村", "柏林村", "双河村", "桂花村", "三元村", "永安村", "凤凰村",
    "长滩村", "红星村", "大田村", "观音村", "新民村", "太平村", "玉泉村", "松林村",
    "五星村", "黄桷村", "骑龙村", "马鞍村", "河坝村", "回龙村", "场镇社区", "新街社区",
]
COMMUNITIES = {"场镇社区", "新街社区"}
POOR = {"高龙村": 2016, "拦江村": 2018, "万福村": 2019, "碧波村": 2019,
        "山花村": 2020, "石桥村": 2019, "龙井村": 2020, "金鸡村": 2020}
RURAL = [v for v in VILLAGES if v not in COMMUNITIES]


def split_total(total: float, n: int, weights=None, decimals: int = 0) -> list:
    """Split ``total`` into ``n`` non-negative parts (rounded to ``decimals``) that add up exactly."""
    w = np.asarray(weights if weights is not None else rng.uniform(0.5, 1.5, n), dtype=float)
    raw = total * w / w.sum()
    scale = 10 ** decimals
    parts = np.floor(raw * scale).astype(int)
    rest = int(round(total * scale)) - parts.sum()
    order = np.argsort(-(raw * scale - parts))
    for i in order[:rest]:
        parts[i] += 1
    return [p / scale if decimals else int(p) for p in parts]


def fit_members(n: int, total: int) -> list[int]:
    """Household sizes 1..7 for ``n`` households adding up to ``total`` people."""
    sizes = rng.choice([1, 2, 3, 4, 5, 6], size=n, p=[0.12, 0.25, 0.28, 0.2, 0.1, 0.05]).tolist()
    while sum(sizes) != total:
        i = int(rng.integers(n))
        if sum(sizes) < total and sizes[i] < 7:
            sizes[i] += 1
        elif sum(sizes) > total and sizes[i] > 1:
            sizes[i] -= 1
    return sizes


def write(name: str, header: list[str], rows: list[list]) -> None:
    with open(OUT / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def township() -> None:
    (OUT / "township.yaml").write_text(
        "# 乡镇概况（XX镇，参考报告中的示例乡镇）\n"
        "name: XX镇\n"
        "county: XX县\n"
        "location: XX中段\n"
        "distance_to_county_km: 31\n"
        "area_km2: 73.04\n"
        "town_area_km2: 1.8\n"
        "population: 44680\n"
        "# 各年度脱贫人均纯收入标准（元/人）\n"
        "poverty_line_yuan:\n"
        "  2016: 3100\n"
        "  2017: 3300\n"
        "  2018: 3600\n",
        encoding="utf-8",
    )


def villages() -> None:
    pops = split_total(44680, len(VILLAGES), weights=[2.6 if v in COMMUNITIES else rng.uniform(0.7, 1.3)
                                                     for v in VILLAGES])
    rows = []
    for i, (v, pop) in enumerate(zip(VILLAGES, pops, strict=False)):
        rows.append([v, BRANCHES[i % 4], "社区" if v in COMMUNITIES else "村", pop,
                     "是" if v in POOR else "否", POOR.get(v, "")])
    write("villages", ["village", "branch", "kind", "population", "poor_village", "delisted_year"], rows)


INDICATORS = [
    # id, area, name, unit, kind, better, target 2018, target 2017
    ("visits", "party", "干部到村民情恳谈", "次", "flow", "higher", None, None),
    ("party_members_developed", "party", "发展党员", "人", "flow", "higher", 24, None),
    ("integrity_supervisors", "party", "廉政监督员", "名", "stock", "higher", 32, None),
    ("pepper_planting_mu", "economy", "藤椒栽植面积", "亩", "flow", "higher", 3300, None),
    ("fixed_asset_investment", "economy", "固定资产投资", "万元", "flow", "higher", 52000, 47000),
    ("private_investment", "economy", "民间投资", "万元", "flow", "higher", 30000, 27000),
    ("retail_sales", "economy", "社会消费品零售总额", "万元", "flow", "higher", 36000, 33000),
    ("collective_income", "economy", "村级集体经济收入", "万元", "flow", "higher", 320, None),
    ("retail_shops", "economy", "零售商家", "户", "stock", "higher", 125, None),
    ("garment_firms", "economy", "服装加工企业", "家", "stock", "higher", 5, None),
    ("restaurants", "economy", "餐饮企业", "家", "stock", "higher", None, None),
    ("above_scale_firms", "economy", "限上商贸企业", "户", "stock", "higher", 7, None),
    ("adobe_demolished", "livelihood", "拆除土坯房", "户", "flow", "higher", 800, None),
    ("env_funds_wan", "safety", "统筹环保资金", "万元", "flow", "higher", 200, None),
    ("river_cleanup_km", "safety", "河道集中整治", "公里", "flow", "higher", 60, None),
    ("safety_accidents", "safety", "安全生产事故", "起", "flow", "lower", 2, None),
]


# 责任单位 of some indicators, projects and rectification categories (the rest are left blank, as a township may).
INDICATOR_OWNERS = {"party_members_developed": "镇党建办", "collective_income": "镇农业服务中心",
                    "above_scale_firms": "镇经济发展办", "pepper_planting_mu": "镇农业服务中心"}
PROJECT_OWNERS = {"P01": "镇农业服务中心", "P06": "镇村镇建设服务中心", "P08": "镇环保办"}
RECTIFICATION_OWNERS = {"养殖户": "镇环保办", "汽修": "镇安监站", "非定点屠宰场": "镇畜牧站"}


def indicators_and_targets() -> None:
    write("indicators", ["indicator", "area", "name", "unit", "kind", "better", "owner"],
          [[*row[:6], INDICATOR_OWNERS.get(row[0], "")] for row in INDICATORS])
    rows = []
    for row in INDICATORS:
        if row[7] is not None:
            rows.append([2017, row[0], row[7]])
    for row in INDICATORS:
        if row[6] is not None:
            rows.append([2018, row[0], row[6]])
    write("targets", ["year", "indicator", "target"], rows)


# Township totals per month, 2018-01..2018-08.
TOWN_FLOWS_2018 = {
    "fixed_asset_investment": [2800, 2600, 4300, 4600, 5200, 6800, 5100, 5400],
    "private_investment": [1500, 1400, 2600, 2800, 3100, 4100, 2900, 3000],
    "retail_sales": [3600, 3400, 2700, 2600, 2800, 3100, 2900, 3000],
    "env_funds_wan": [0, 10, 25, 20, 30, 20, 15, 20],
    "river_cleanup_km": [0, 0, 6.2, 8.5, 10.3, 12.1, 9.8, 7.8],
    "safety_accidents": [0, 0, 0, 0, 1, 0, 0, 0],
    "party_members_developed": [0, 0, 4, 0, 0, 6, 0, 0],
}
VILLAGE_FLOWS_2018 = {  # township totals, split over villages
    "pepper_planting_mu": [0, 420, 980, 760, 260, 90, 60, 110],
    "adobe_demolished": [35, 28, 62, 88, 96, 104, 82, 78],
    "collective_income": [12.4, 15.8, 22.5, 24.1, 25.6, 27.2, 23.9, 24.5],
}
STOCKS = {  # month -> level; months left out carry the last level forward
    "integrity_supervisors": {"2018-01": 0, "2018-02": 0, **{m: 31 for m in MONTHS_2018[2:]}},
    "retail_shops": {"2017-12": 118, **dict(zip(MONTHS_2018, [118, 119, 119, 120, 121, 121, 122, 123], strict=False))},
    "garment_firms": {"2017-12": 4, "2018-03": 5, "2018-06": 5, "2018-08": 5},
    "restaurants": {"2017-12": 50, "2018-02": 51, "2018-05": 53, "2018-08": 54},
    "above_scale_firms": {"2017-12": 5, "2018-04": 5, "2018-08": 5},
}
UNDER_VISITED = {("新街社区", "2018-03"): 5, ("山花村", "2018-05"): 6, ("石桥村", "2018-08"): 7}


def monthly() -> None:
    rows: list[list] = []
    for ind, values in TOWN_FLOWS_2018.items():
        decimals = 1 if ind == "river_cleanup_km" else 0
        for m, v in zip(MONTHS_2018, values, strict=False):
            rows.append([m, "", ind, round(v, decimals) if decimals else int(v)])
    for ind in ("fixed_asset_investment", "private_investment", "retail_sales"):
        this_year = TOWN_FLOWS_2018[ind]
        for i, m in enumerate(MONTHS_2017):
            base = this_year[i] if i < 8 else np.mean(this_year)
            rows.append([m, "", ind, int(round(base * rng.uniform(0.82, 0.95), -1))])
    pepper_villages = [v for v in RURAL if v not in ("河坝村", "回龙村", "马鞍村", "黄桷村", "五星村",
                                                      "骑龙村", "松林村", "玉泉村", "太平村", "新民村")]
    weights = {v: rng.uniform(0.4, 1.6) for v in RURAL}
    for ind, totals in VILLAGE_FLOWS_2018.items():
        among = pepper_villages if ind == "pepper_planting_mu" else RURAL
        decimals = 1 if ind == "collective_income" else 0
        for m, total in zip(MONTHS_2018, totals, strict=False):
            parts = split_total(total, len(among), weights=[weights[v] * rng.uniform(0.6, 1.4) for v in among],
                                decimals=decimals)
            rows += [[m, v, ind, p] for v, p in zip(among, parts, strict=False) if p or ind != "pepper_planting_mu"]
    for m in MONTHS_2018:
        for v in VILLAGES:
            rows.append([m, v, "visits", UNDER_VISITED.get((v, m), int(rng.integers(8, 13)))])
    for ind, levels in STOCKS.items():
        rows += [[m, "", ind, v] for m, v in levels.items()]
    rows.sort(key=lambda r: (r[0], r[2], r[1]))
    write("monthly", ["month", "village", "indicator", "value"], rows)


PROJECTS = [
    # id, name, area, category, villages, investment, start, due, {month: (stage, pct, spent)}
    ("P01", "高龙村、拦江村、万福村移民后扶连片项目", "economy", "农业基础设施", "高龙村、拦江村、万福村", 666,
     "2018-01", "2018-09", dict(zip(MONTHS_2018, [("在建", p, round(666 * p / 100)) for p in
                                                   (8, 15, 28, 42, 58, 71, 84, 95)], strict=False))),
    ("P02", "碧波村、山花村移民后扶连片项目", "economy", "农业基础设施", "碧波村、山花村", 570,
     "2018-04", "2018-12", dict(zip(MONTHS_2018[3:], [("在建", p, round(570 * p / 100)) for p in
                                                       (6, 18, 31, 44, 55)], strict=False))),
    ("P03", "千亿斤高标准农田建设项目", "economy", "农业基础设施", "", 2250, "2018-11", "2019-12",
     {"2018-06": ("谋划", 0, 0), "2018-07": ("规划设计", 10, 0), "2018-08": ("规划设计", 20, 0)}),
    ("P04", "广东永成鞋业有限公司鞋业加工项目", "economy", "招商引资", "", 8000, "", "2019-06",
     {"2018-05": ("洽谈", 0, 0), "2018-06": ("洽谈", 0, 0), "2018-07": ("签约", 5, 0), "2018-08": ("签约", 5, 0)}),
    ("P05", "农产品冷链物流项目", "economy", "招商引资", "", 3000, "", "",
     {"2018-07": ("洽谈", 0, 0), "2018-08": ("洽谈", 0, 0)}),
    ("P06", "万福村村道硬化工程", "livelihood", "村级基础设施", "万福村", 180, "2018-03", "2018-06",
     dict(zip(MONTHS_2018[2:], [("在建", p, round(180 * p / 100)) for p in (10, 25, 40, 40, 40, 40)], strict=False))),
    ("P07", "贫困村安全饮水工程", "livelihood", "村级基础设施", "拦江村、万福村、碧波村", 240, "2018-02", "2018-07",
     dict(zip(MONTHS_2018[1:], [("在建", 15, 36), ("在建", 35, 84), ("在建", 55, 132), ("在建", 75, 180),
                                 ("在建", 90, 216), ("完工", 100, 240), ("完工", 100, 240)], strict=False))),
    ("P08", "污水处理厂项目", "safety", "环保设施", "", 1200, "2018-10", "2019-10",
     {"2018-05": ("谋划", 0, 0), "2018-06": ("规划设计", 20, 0), "2018-07": ("规划设计", 35, 0),
      "2018-08": ("征地", 45, 60)}),
    ("P09", "垃圾压缩中转站项目", "safety", "环保设施", "", 300, "2018-12", "2019-06",
     {"2018-07": ("谋划", 0, 0), "2018-08": ("规划设计", 10, 0)}),
    ("P10", "茂隆河河道集中整治", "safety", "河道整治", "高龙村、拦江村、双河村", 85, "2018-03", "2018-10",
     dict(zip(MONTHS_2018[2:], [("在建", p, round(85 * p / 100)) for p in (12, 28, 45, 63, 78, 88)], strict=False))),
    ("P11", "郪江河河道集中整治", "safety", "河道整治", "碧波村、长滩村、河坝村", 55, "2018-03", "2018-10",
     dict(zip(MONTHS_2018[2:], [("在建", p, round(55 * p / 100)) for p in (10, 24, 41, 60, 74, 86)], strict=False))),
]


def projects() -> None:
    write("projects", ["project_id", "name", "area", "category", "villages", "investment_wan", "start", "due",
                       "owner"],
          [[*p[:8], PROJECT_OWNERS.get(p[0], "")] for p in PROJECTS])
    rows = []
    for p in PROJECTS:
        for m, (stage, pct, spent) in p[8].items():
            rows.append([m, p[0], stage, pct, spent])
    rows.sort()
    write("project_progress", ["month", "project_id", "stage", "progress_pct", "spent_wan"], rows)


def households() -> None:
    """1,234 households / 3,635 people: 654 / 2,115 exited before 2018, 109 / 288 to exit in 2018."""
    groups = [  # (count, members, planned year choices, exited before 2018)
        (654, 2115, (2015, 2016, 2017), True),
        (109, 288, (2018,), False),
        (471, 1232, (2019, 2020), False),
    ]
    weights = np.array([6.0 if v in POOR else (0.2 if v in COMMUNITIES else 1.0) for v in VILLAGES])
    weights /= weights.sum()
    rows = []
    n = 0
    unmet = {"income": 5, "housing": 12, "water": 3, "medical": 2, "schooling": 1}
    for count, members, years, exited_before in groups:
        sizes = fit_members(count, members)
        for size in sizes:
            n += 1
            village = str(rng.choice(VILLAGES, p=weights))
            year = int(rng.choice(years))
            exited = f"{year}-12" if exited_before else ""
            income = int(rng.integers(3900, 7200)) if exited_before else int(rng.integers(3000, 5200))
            flags = {"housing": "是", "water": "是", "medical": "是", "schooling": "是"}
            if not exited_before:
                if year == 2018:
                    income = max(income, 3700)
                    for k in list(unmet):
                        if unmet[k] and rng.random() < 0.25:
                            unmet[k] -= 1
                            if k == "income":
                                income = int(rng.integers(3000, 3550))
                            else:
                                flags[k] = "否"
                elif rng.random() < 0.3:
                    flags["housing"] = "否"
            rows.append([f"H{n:04d}", village, size, year, exited, income,
                         flags["housing"], flags["water"], flags["medical"], flags["schooling"]])
    # Any unmet standard the random draw did not place goes to the first 2018 households still clean.
    for row in rows:
        if row[3] == 2018 and row[6:] == ["是"] * 4 and row[5] >= 3600:
            for k, col in (("housing", 6), ("water", 7), ("medical", 8), ("schooling", 9), ("income", 5)):
                if unmet[k]:
                    unmet[k] -= 1
                    if k == "income":
                        row[5] = int(rng.integers(3000, 3550))
                    else:
                        row[col] = "否"
                    break
    write("households", ["household_id", "village", "members", "planned_exit_year", "exited",
                         "income_per_capita", "housing_safe", "water_safe", "medical_insured", "schooling_ok"], rows)


def petitions() -> None:
    topics = ["征地拆迁补偿", "移民后期扶持", "历史遗留问题", "土地承包纠纷",
              "低保评定", "工程欠款", "邻里纠纷", "林权争议"]
    rows = []
    for i in range(26):
        month = MONTHS_2018[min(i // 3, 7)]
        level = str(rng.choice(["镇", "县", "市"], p=[0.55, 0.35, 0.10]))
        status = "已化解" if (month < "2018-07" or rng.random() < 0.4) else "化解中"
        rows.append([f"X{i + 1:03d}", month, str(rng.choice(VILLAGES)), level, status, str(rng.choice(topics))])
    write("petitions", ["case_id", "month", "village", "level", "status", "topic"], rows)


def rectifications() -> None:
    rows = []
    n = 0

    def add(area, category, name, village, issued, due, closed, result):
        nonlocal n
        n += 1
        rows.append([f"R{n:03d}", area, category, name, village, issued, due, closed, result,
                     RECTIFICATION_OWNERS.get(category, "")])

    for i in range(50):
        village = str(rng.choice(RURAL))
        issued = str(rng.choice(["2018-03", "2018-04", "2018-05"]))
        closed = str(rng.choice(["2018-05", "2018-06", "2018-07"]))
        closed = max(closed, issued)
        add("safety", "养殖户", f"{village}养殖户{i + 1:02d}", village, issued, "2018-07", closed, "粪污零直排")
    add("safety", "非定点屠宰场", "场镇非定点屠宰场", "场镇社区", "2018-04", "2018-06", "2018-06", "关停拆除")
    for i in range(7):
        village = ["场镇社区", "新街社区"][i % 2]
        if i == 0:
            add("safety", "汽修", f"{village}汽修店{i + 1}", village, "2018-04", "2018-07", "", "")
        else:
            add("safety", "汽修", f"{village}汽修店{i + 1}", village, "2018-07", "2018-10", "", "")
    add("safety", "砖厂", "长滩村砖厂", "长滩村", "2018-07", "2018-10", "", "")
    add("safety", "砖厂", "河坝村砖厂", "河坝村", "2018-07", "2018-10", "", "")
    add("safety", "搅拌站", "双河村混凝土搅拌站", "双河村", "2018-07", "2018-11", "", "")
    for i, (issued, due, closed) in enumerate([("2018-06", "2018-07", "2018-07"), ("2018-06", "2018-08", "2018-08"),
                                               ("2018-06", "2018-09", ""), ("2018-06", "2018-12", "")]):
        add("party", "巡察反馈问题", f"县委第二轮巡察反馈问题{i + 1}", "场镇社区", issued, due, closed,
            "已整改" if closed else "")
    write("rectifications", ["item_id", "area", "category", "name", "village", "issued", "due", "closed", "result",
                             "owner"], rows)


def events() -> None:
    rows: list[list] = []

    def add(date, area, kind, title, quantity=""):
        rows.append([date, area, kind, title, quantity])

    # 党建：每季度“一部署、一督查、一总结、一通报”.
    for q, (m1, m2, m3) in enumerate([("01", "02", "03"), ("04", "05", "06")], start=1):
        add(f"2018-{m1}-10", "party", "部署", f"第{q}季度党建工作部署会")
        add(f"2018-{m2}-20", "party", "督查", f"第{q}季度党建工作督查")
        add(f"2018-{m3}-26", "party", "总结", f"第{q}季度党建工作总结会")
        add(f"2018-{m3}-29", "party", "通报", f"第{q}季度党建工作情况通报")
    add("2018-07-09", "party", "部署", "第3季度党建工作部署会")
    add("2018-08-21", "party", "督查", "第3季度党建工作督查")
    for date, qty in (("2018-04-18", 2), ("2018-06-12", 1), ("2018-07-25", 1), ("2018-08-16", 1)):
        add(date, "party", "立案", "立案查处干部违纪违规问题", qty)
    for m in MONTHS_2018:
        add(f"{m}-05", "party", "会议", "会前讲法学纪")
    add("2018-05-08", "party", "培训", "纪律教育学习月专题培训")
    add("2018-03-06", "party", "会议", "聘请廉政监督员工作会")
    # 改善民生：5 次全覆盖检查；土坯房半月一通报；推进现场会.
    for date in ("2018-01-22", "2018-03-19", "2018-05-14", "2018-06-25", "2018-08-13"):
        add(date, "livelihood", "检查", "脱贫攻坚全覆盖检查")
    for m in MONTHS_2018[2:]:
        y, mm = map(int, m.split("-"))
        add(f"{m}-15", "livelihood", "通报", "土坯房改建进展通报")
        add(f"{m}-{calendar.monthrange(y, mm)[1]}", "livelihood", "通报", "土坯房改建进展通报")
    add("2018-03-28", "livelihood", "会议", "土坯房改建推进现场会")
    add("2018-06-08", "livelihood", "会议", "土坯房改建推进现场会")
    # 安全：培训 6、宣传资料 2 万份、演练 2、大检查 7、抽查 20.
    for date in ("2018-01-16", "2018-03-08", "2018-04-12", "2018-05-23", "2018-06-14", "2018-08-09"):
        add(date, "safety", "培训", "安全知识和法规宣传培训")
    for date, qty in zip(("2018-01-16", "2018-03-08", "2018-04-12", "2018-05-23", "2018-06-14", "2018-08-09"),
                         (3000, 4000, 3000, 3500, 3500, 3000), strict=False):
        add(date, "safety", "宣传", "发放安全宣传资料", qty)
    add("2018-04-26", "safety", "演练", "防汛应急演练")
    add("2018-06-28", "safety", "演练", "消防安全演练")
    for date in ("2018-01-25", "2018-02-12", "2018-03-27", "2018-04-24", "2018-05-29", "2018-06-26", "2018-08-28"):
        add(date, "safety", "检查", "安全生产大检查")
    days = sorted(rng.choice(np.arange(1, 28), size=20, replace=True))
    for i, d in enumerate(days):
        add(f"{MONTHS_2018[i % 8]}-{int(d):02d}", "safety", "抽查", "安全生产不定期抽查")
    # 生态：党委会 5、专题会议 10、镇村干部大会 4.
    for date in ("2018-02-26", "2018-04-03", "2018-05-15", "2018-06-19", "2018-08-06"):
        add(date, "safety", "会议", "党委会研究环保工作")
    for i, m in enumerate(["01", "02", "03", "03", "04", "05", "05", "06", "07", "08"]):
        add(f"2018-{m}-{12 + i}", "safety", "会议", "环保工作专题会议")
    for date in ("2018-03-02", "2018-04-20", "2018-06-05", "2018-07-17"):
        add(date, "safety", "会议", "镇村干部大会")
    # 每日一清运：4 个垃圾中转站和垃圾房（池），每天一条.
    stations = ["场镇1号垃圾中转站", "场镇2号垃圾中转站", "高龙村垃圾房", "碧波村垃圾池"]
    for m in MONTHS_2018:
        y, mm = map(int, m.split("-"))
        for d in range(1, calendar.monthrange(y, mm)[1] + 1):
            for s in stations:
                add(f"{m}-{d:02d}", "safety", "清运", f"{s}垃圾清运")
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    write("events", ["date", "area", "type", "title", "quantity"], rows)


HIGHLIGHTS = [
    ("2018-08", "overview", "镇党委认真落实县委重大决策部署，进一步明确了“四个一”的工作思路，凝心聚力，奋发图强"),
    ("2018-07", "party", "上半年，我镇党建工作出现严重错误。经过深刻反思，镇党委迅速开展整改，并结合“3+2”书记项目和"
                         "创建全省基层党建示范县工作，强力推进党建工作落实落地"),
    ("2018-07", "party", "修订完善了《党委运行规则》，明确了班子内部党建工作分工；逐级分解落实了党建工作任务，"
                         "完善了年度奖惩考核体系"),
    ("2018-07", "party", "制定出台《推行七个一线工作法实施方案》，将机关干部全员派驻到各村（社区），"
                         "每个村建立党建指导组"),
    ("2018-08", "party", "积极配合县委第二轮巡察在我镇开展，严格执行《镇干部管理制度》，经常性开展谈话提醒"),
    ("2018-03", "economy", "镇党委紧扣“3+2”产业布局，将藤椒作为全镇主导发展产业，研究制定了发展规划和推进措施"),
    ("2018-07", "economy", "与广东永成鞋业有限公司达成框架协议"),
    ("2018-03", "livelihood", "研究制定了我镇土坯房改建操作细则"),
    ("2018-05", "safety", "镇党委大力推行支部书记负责制，组织开展排查调处矛盾纠纷工作，开门接访、下村走访，"
                          "努力将隐患消于萌芽、矛盾化于村社"),
]


def highlights() -> None:
    write("highlights", ["month", "area", "text"], [list(h) for h in HIGHLIGHTS])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    township()
    villages()
    indicators_and_targets()
    monthly()
    projects()
    households()
    petitions()
    rectifications()
    events()
    highlights()


if __name__ == "__main__":
    main()
