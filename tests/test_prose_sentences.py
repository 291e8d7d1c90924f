"""Every rule result and sentence kind of the prose, built from a few rows, its figures computed here.

Each test builds the situation with ``make_township``, works out the figures the sentence must carry
from the rows it just wrote (plain arithmetic, no helper), and asserts the whole sentence.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from builders import DEFAULT_INFO, make_township

from helpers.analysis.rules import rule_checks
from helpers.analysis.rules.events_each_period import QUARTER_NAMES
from helpers.config import SETTINGS
from helpers.data.periods import as_month
from helpers.data.report_profile.reading import default_profile
from helpers.report.prose import facts as prose_facts
from helpers.report.prose import narrative
from helpers.report.prose import templates as prose_templates
from helpers.report.prose.narrative import narrative_html, problems_and_plans_html
from helpers.report.wording import approx

VISITS = ("visits", "party", "民情恳谈", "次", "flow", "higher")
MEMBERS = ("members", "party", "发展党员", "人", "flow", "higher")
INVESTMENT = [
    ("fixed_asset_investment", "economy", "固定资产投资", "万元", "flow", "higher"),
    ("private_investment", "economy", "民间投资", "万元", "flow", "higher"),
    ("retail_sales", "economy", "社会消费品零售总额", "万元", "flow", "higher"),
]
ADOBE = ("adobe_demolished", "livelihood", "拆除土坯房", "户", "flow", "higher")
OUTPUT = ("output", "economy", "产值", "万元", "flow", "higher")
FIRMS = ("firms", "economy", "企业", "家", "stock", "higher")
ACCIDENTS = ("accidents", "safety", "安全事故", "起", "flow", "lower")
VILLAGES = ("甲村", "乙村", "丙社区")
REQUIRED_VISITS = 8

QUARTERLY_TYPES = default_profile().rule("party_quarterly").params["types"]
"""部署、督查、总结、通报: the quarterly party rule of the bundled profile."""


def text_of(tw, month: str, area: str) -> str:
    """The plain text of one area's prose (no HTML)."""
    return "".join(narrative.area_section(prose_facts.report_facts(tw, as_month(month)), area).paragraphs)


def rule(tw, month: str, rule_id: str):
    return next(r for r in rule_checks(tw, as_month(month)) if r.id == rule_id)


# --- 民情恳谈 (visits) -------------------------------------------------------------------------------------

# The four quarterly party events in the first quarter, so that rule holds and only the one under test speaks.
FULL_Q1 = [(f"2018-03-{10 + i}", "party", t, f"党建工作{t}", None) for i, t in enumerate(QUARTERLY_TYPES)]


def visits_township(values: dict[str, dict[str, int]]):
    """``values``: month -> village -> visits (a village left out of a month made no visits)."""
    rows = [(m, v, "visits", n) for m, by_village in values.items() for v, n in by_village.items()]
    return make_township(indicators=[VISITS], monthly=rows, events=FULL_Q1)


@pytest.mark.parametrize("values", [
    {"2018-01": {"甲村": 8, "乙村": 9, "丙社区": 8}, "2018-02": {"甲村": 7, "乙村": 8}},  # 丙社区 absent: 0
    {"2018-01": {"甲村": 1, "乙村": 2, "丙社区": 3}},
])
def test_visits_breach_counts_village_months_below_the_minimum(values):
    tw = visits_township(values)
    month = max(values)
    short = [(v, m) for m in values for v in VILLAGES if values[m].get(v, 0) < REQUIRED_VISITS]
    total = sum(n for by_village in values.values() for n in by_village.values())
    text = text_of(tw, month, "party")
    assert (f"明确干部到村开展民情恳谈每月不少于{REQUIRED_VISITS}次，今年以来累计开展{total}次，"
            f"仍有{len(short)}村次未达到要求。") in text
    result = rule(tw, month, "visits")
    assert not result.passed
    assert sorted(zip(result.breaches["village"], result.breaches["month"].astype(str), strict=True)) == sorted(short)


def test_visits_kept_says_every_village_met_it():
    tw = visits_township({"2018-01": dict.fromkeys(VILLAGES, 8), "2018-02": dict.fromkeys(VILLAGES, 10)})
    text = text_of(tw, "2018-02", "party")
    assert f"今年以来累计开展{3 * 8 + 3 * 10}次，{len(VILLAGES)}个村（社区）每月均达到要求。" in text
    assert "村次" not in text


def test_visits_breach_is_a_problem_and_a_plan():
    tw = visits_township({"2018-03": {"甲村": 5, "乙村": 8, "丙社区": 8}})
    html = problems_and_plans_html(tw, as_month("2018-03"), "party")
    name = f"民情恳谈每村每月不少于{REQUIRED_VISITS}次"
    detail = f"2018年1—3月，有1村次民情恳谈少于{REQUIRED_VISITS}次：甲村3月5次"
    # in an area the overview's rule table holds the detail (the area's 规则检查 sentence refers to it)
    assert f"一是“{name}”要求未完全落实。" in html and detail not in html
    # the whole report's problems (the Word copy, which has no rule table) keep the detail
    assert f"一是“{name}”要求未完全落实，{detail}。" in problems_and_plans_html(tw, as_month("2018-03"))
    assert "一部署" not in html  # the quarterly rule holds
    assert f"一是严格落实“{name}”的要求。" in html


# --- 每季度“一部署、一督查、一总结、一通报” ----------------------------------------------------------------

@pytest.mark.parametrize("held", [("部署", "督查"), ("通报",), ("部署", "督查", "总结")])
def test_quarterly_mechanism_breach_names_what_a_past_quarter_missed(held):
    events = [(f"2018-0{1 + i}-10", "party", t, f"党建工作{t}", None) for i, t in enumerate(held)]
    tw = make_township(events=events)
    missing = "、".join(t for t in QUARTERLY_TYPES if t not in held)
    text = text_of(tw, "2018-04", "party")
    detail = f"2018年{QUARTER_NAMES[0]}未开展{missing}，{QUARTER_NAMES[1]}进行中，尚未开展"
    # the prose says it is not kept; the detail is said once, in 存在问题 (and the overview's rule table)
    assert "建立了党建工作每季度“一部署、一督查、一总结、一通报”的工作落实和督查机制，但落实不到位。" in text
    assert "建立并落实了" not in text and "未开展" not in text
    assert detail in problems_and_plans_html(tw, as_month("2018-04"))


def test_quarterly_mechanism_kept_and_the_current_quarter_in_progress():
    events = [(f"2018-02-{10 + i}", "party", t, f"党建工作{t}", None) for i, t in enumerate(QUARTERLY_TYPES)]
    events.append(("2018-04-02", "party", "部署", "二季度部署", None))
    text = text_of(make_township(events=events), "2018-05", "party")
    # the mechanism is kept: the prose says so; which quarter held what is the overview's rule table
    assert "建立并落实了党建工作每季度“一部署、一督查、一总结、一通报”的工作落实和督查机制。" in text
    assert "落实不到位" not in text and "均开展了" not in text


# --- 双过半 ------------------------------------------------------------------------------------------------

def investment_township(per_month: dict[str, float], target: float = 1200):
    rows = [(f"2018-{m:02d}", None, ind, v) for ind, v in per_month.items() for m in range(1, 8)]
    return make_township(indicators=INVESTMENT, monthly=rows, targets=[(2018, i, target) for i in per_month])


def test_double_half_breach_names_the_indicators_under_half_by_june():
    per_month = {"fixed_asset_investment": 110, "private_investment": 90, "retail_sales": 80}
    tw = investment_township(per_month)
    names = {i[0]: i[2] for i in INVESTMENT}
    short = [names[i] for i, v in per_month.items() if 6 * v / 1200 * 100 < 50]
    assert short == ["民间投资", "社会消费品零售总额"]
    text = text_of(tw, "2018-07", "economy")
    assert "项目工作持续推进。" in text
    assert f"{'、'.join(short)}上半年未实现“双过半”。" in text
    shares = "、".join(f"{names[i]}{6 * v / 1200 * 100:.1f}%" for i, v in per_month.items())
    assert rule(tw, "2018-07", "double_half").summary == f"截至2018年6月底，{shares}，{'、'.join(short)}未过半"


def test_double_half_kept_and_not_judged_before_june():
    tw = investment_township(dict.fromkeys(("fixed_asset_investment", "private_investment", "retail_sales"), 100))
    text = text_of(tw, "2018-07", "economy")
    assert "项目工作扎实推进。固定资产投资、民间投资、社会消费品零售总额均实现“双过半”。" in text
    assert "双过半" not in text_of(tw, "2018-05", "economy")


# --- 土坯房 半月一通报 -------------------------------------------------------------------------------------

def adobe_township(notice_days: list[str]):
    return make_township(indicators=[ADOBE], monthly=[("2018-01", "甲村", "adobe_demolished", 12),
                                                      ("2018-02", "甲村", "adobe_demolished", 0)],
                         events=[(d, "livelihood", "通报", "土坯房改建进展通报", None) for d in notice_days])


def test_adobe_notices_every_half_month_are_worded_as_such():
    text = text_of(adobe_township(["2018-01-05", "2018-01-20", "2018-02-03", "2018-02-25"]), "2018-02", "livelihood")
    assert f"通过半月一通报的方式督促推进，全镇已拆除土坯房{approx(12, '户')}。" in text


def test_adobe_notices_with_gaps_are_only_regular_and_the_gaps_are_listed():
    tw = adobe_township(["2018-01-05", "2018-02-20"])
    text = text_of(tw, "2018-02", "livelihood")
    assert "通过定期通报的方式督促推进" in text and "半月一通报的方式" not in text
    gaps = ["1月下半月", "2月上半月"]  # 1–15 January and 16–28 February have a notice
    assert rule(tw, "2018-02", "adobe_notice").summary == (
        f"自2018年1月上半月起有{len(gaps)}个半月未通报土坯房改建进展：{'、'.join(gaps)}")
    assert "严格落实“土坯房改建半月一通报”的要求" in problems_and_plans_html(tw, as_month("2018-02"), "livelihood")


# --- 每日一清运 --------------------------------------------------------------------------------------------

def refuse_township(stations: dict[str, list[int]]):
    """``stations``: title -> the January days without a collection."""
    events = [(f"2018-01-{day:02d}", "safety", "清运", title, None)
              for title, skipped in stations.items() for day in range(1, 32) if day not in skipped]
    return make_township(events=events)


def test_refuse_collection_missed_days_are_counted_per_station():
    stations = {"1号垃圾中转站清运": [10], "2号垃圾中转站清运": [3, 4]}
    missed = sum(len(days) for days in stations.values())
    text = text_of(refuse_township(stations), "2018-01", "safety")
    assert (f"对镇内{len(stations)}个垃圾中转站和垃圾房（池）垃圾进行清运，但有{missed}站次未按日清运。") in text
    assert "每日一清运" not in text


def test_refuse_collected_every_day():
    stations = {"1号垃圾中转站清运": [], "2号垃圾中转站清运": []}
    text = text_of(refuse_township(stations), "2018-01", "safety")
    assert f"对镇内{len(stations)}个垃圾中转站和垃圾房（池）垃圾进行了全面清除，并做到每日一清运。" in text


# --- 零到省、零进京 -----------------------------------------------------------------------------------------

def test_petitions_to_province_and_beijing_are_both_counted():
    levels = ["省", "京", "京", "县"]
    tw = make_township(petitions=[(f"X{i}", "2018-02", "甲村", lv, "化解中", "土地") for i, lv in enumerate(levels)])
    text = text_of(tw, "2018-03", "safety")
    assert (f"辖区内仍发生到省上访{levels.count('省')}件、进京上访{levels.count('京')}件，"
            "未实现“零到省”“零进京”。") in text
    assert f"今年以来共受理信访案件{len(levels)}件，已化解0件，正在化解{len(levels)}件。" in text


# --- 存在问题 and 下步打算 ------------------------------------------------------------------------------------

def test_lagging_flow_is_a_problem_and_its_monthly_pace_a_plan():
    target, ytd, month = 120, 30, 6
    tw = make_township(indicators=[OUTPUT], monthly=[("2018-06", None, "output", ytd)],
                       targets=[(2018, "output", target)])
    done, time_pct = ytd / target * 100, month / 12 * 100
    pace = (target - ytd) / (12 - month)
    html = problems_and_plans_html(tw, as_month("2018-06"), "economy")
    assert (f"一是产值进度滞后，完成{done:.1f}%，低于序时进度{time_pct - done:.1f}个百分点，"
            f"今后每月需完成{pace:g}万元。") in html
    assert f"一是产值距年度目标{target}万元还差{target - ytd}万元，今后{12 - month}个月每月需完成{pace:g}万元。" in html


def test_stock_and_ceiling_plans():
    tw = make_township(indicators=[FIRMS, ACCIDENTS],
                       monthly=[("2017-12", None, "firms", 10), ("2018-04", None, "firms", 12),
                                ("2018-02", None, "accidents", 1)],
                       targets=[(2018, "firms", 16), (2018, "accidents", 3)])
    html = problems_and_plans_html(tw, as_month("2018-04"), "economy")
    assert f"一是企业年内还需增加{16 - 12}家，确保达到16家。" in html
    html = problems_and_plans_html(tw, as_month("2018-04"), "safety")
    # a plan does not budget for the accidents still allowed: it says the limit must hold
    assert "一是坚决遏制安全事故发生，确保全年不突破3起的控制指标。" in html
    assert "已发生1起" not in html.split("下步打算")[1]
    over = make_township(indicators=[ACCIDENTS], monthly=[("2018-02", None, "accidents", 4)],
                         targets=[(2018, "accidents", 3)])
    html = problems_and_plans_html(over, as_month("2018-04"), "safety")
    assert "一是安全事故已突破全年3起的控制指标（已发生4起），深刻剖析原因，坚决遏制再次发生。" in html
    reported = make_township(indicators=[ACCIDENTS], targets=[(2018, "accidents", 3)],
                             monthly=[("2018-02", None, "accidents", 1), ("2018-03", None, "accidents", 0),
                                      ("2018-04", None, "accidents", 0)])
    text = narrative.area_section(prose_facts.report_facts(reported, as_month("2018-04")), "safety").text
    assert "未突破全年3起的控制指标" in text and "年度目标3起" not in text


PROJECT = ("P1", "村道硬化工程", "livelihood", "村级基础设施", "甲村", 80, "2018-01", "2018-06")


@pytest.mark.parametrize(("progress", "month", "plan"), [
    ([("2018-05", "P1", "在建", 40, 30)], "2018-05", "加快推进村道硬化工程建设，确保2018年6月按期完成"),
    ([("2018-05", "P1", "在建", 40, 30)], "2018-08", "村道硬化工程已超过计划完成期限，倒排工期、加快推进"),
    ([("2018-05", "P1", "在建", 95, 70)], "2018-05", "确保村道硬化工程按期完工并投入使用"),
    ([("2018-02", "P1", "签约", None, None)], "2018-02", "推动村道硬化工程尽快落地开工"),
    ([("2018-02", "P1", "征地", None, None)], "2018-02", "加快村道硬化工程征地工作"),
    ([], "2018-02", "推动村道硬化工程尽快启动"),
])
def test_project_plans_follow_the_stage(progress, month, plan):
    tw = make_township(projects=[PROJECT], project_progress=progress)
    assert f"一是{plan}。" in problems_and_plans_html(tw, as_month(month), "livelihood")


def test_overdue_project_problem_and_stalled_project_plan():
    progress = [("2018-02", "P1", "在建", 40, 30), ("2018-03", "P1", "在建", 40, 30), ("2018-04", "P1", "在建", 40, 30)]
    late = make_township(projects=[PROJECT], project_progress=progress)
    html = problems_and_plans_html(late, as_month("2018-07"), "livelihood")
    assert "村道硬化工程逾期未完成，计划2018年6月完成，目前在建，进度40%" in html
    stalled = make_township(projects=[PROJECT[:7] + ("2018-12",)], project_progress=progress)
    html = problems_and_plans_html(stalled, as_month("2018-05"), "livelihood")
    assert "查明村道硬化工程进度停滞的原因，尽快恢复推进，确保2018年12月按期完成" in html


def test_rectification_plans_split_overdue_from_open():
    items = [("R1", "safety", "汽修", f"汽修{i}", "甲村", "2018-01", due, None, None)
             for i, due in enumerate(["2018-02", "2018-02", "2018-12"])]
    items.append(("R9", "safety", "砖厂", "砖厂1", "乙村", "2018-01", "2018-12", None, None))
    items = [(f"R{i}", *row[1:]) for i, row in enumerate(items)]
    html = problems_and_plans_html(make_township(rectifications=items), as_month("2018-04"), "safety")
    overdue = sum(1 for r in items if r[2] == "汽修" and r[6] < "2018-04")
    assert f"督促{overdue}家逾期未完成整改的汽修限期整改到位" in html
    assert f"督促{3 - overdue}家汽修、1个砖厂按期完成整改" in html  # one measure; 砖厂 are counted with 个


def test_no_problems_at_all_and_no_plans():
    tw = make_township(monthly=[("2018-03", None, "output", 50)], targets=[(2018, "output", 100)], events=FULL_Q1)
    html = problems_and_plans_html(tw, as_month("2018-03"))
    assert "截至3月底，全镇未发现指标滞后、事项逾期、项目停滞或制度未落实的问题。" in html
    assert "产值距年度目标100万元还差50万元" in html  # ahead of pace, still short of the year


# --- the opening summary ------------------------------------------------------------------------------------

def opening_township(completions: list[float]):
    """One indicator per completion share of the target at June (time progress 50%)."""
    indicators = [(f"i{k}", "economy", f"指标{k}", "万元", "flow", "higher") for k in range(len(completions))]
    return make_township(indicators=indicators,
                         monthly=[("2018-06", None, f"i{k}", share) for k, share in enumerate(completions)],
                         targets=[(2018, f"i{k}", 100) for k in range(len(completions))])


@pytest.mark.parametrize(("completions", "sentence"), [
    ([60, 70], "各项工作都取得了明显进展，{total}项主要指标均达到或超过序时进度"),
    ([60, 70, 10], "各项工作总体取得了明显进展，{total}项主要指标中{ahead}项达到或超过序时进度"),
    ([60, 10, 20], "各项工作有序推进，但{total}项主要指标中有{behind}项滞后于序时进度"),
])
def test_opening_summary_counts_the_indicators_behind_time_progress(completions, sentence):
    time_pct = 50.0
    behind = sum(1 for c in completions if c < time_pct - SETTINGS.on_pace_tolerance_pp)
    expected = sentence.format(total=len(completions), ahead=len(completions) - behind, behind=behind)
    facts = prose_facts.report_facts(opening_township(completions), as_month("2018-06"))
    opening = "".join(narrative.opening_section(facts).paragraphs)
    assert f"今年以来，{expected}。" in opening


def test_opening_profile_sentence_is_built_from_the_profile_and_villages():
    tw = make_township(monthly=[("2018-03", None, "output", 1)])
    villages = pd.DataFrame(tw.villages)
    opening = narrative_html(tw, as_month("2018-03"), "overview")
    assert (f"辖{villages['branch'].nunique()}个党总支，{len(villages)}个村（社区），"
            f"总人口{tw.info['population']}人。") in opening


def test_poverty_plans_name_the_households_still_to_exit_and_the_standards_they_miss():
    line = DEFAULT_INFO["poverty_line_yuan"][2018]
    households = [  # id, village, members, planned exit year, exited, income per head, housing, water, medical, school
        ("H1", "甲村", 3, 2018, None, line + 500, "否", "是", "是", "是"),
        ("H2", "甲村", 2, 2018, None, line - 600, "是", "是", "是", "是"),
        ("H3", "乙村", 4, 2018, None, line - 100, "否", "是", "是", "是"),
        ("H4", "乙村", 5, 2018, "2018-02", line + 900, "是", "是", "是", "是"),  # exited already
        ("H5", "乙村", 1, 2018, None, line + 900, "是", "是", "是", "是"),
    ]
    tw = make_township(households=households, events=[("2018-02-01", "livelihood", "检查", "脱贫全覆盖检查", None)])
    still = [h for h in households if h[4] is None]
    unmet = [h for h in still if h[5] < line or "否" in h[6:]]
    html = problems_and_plans_html(tw, as_month("2018-03"), "livelihood")
    assert f"确保{len(still)}户{sum(h[2] for h in still)}人如期脱贫" in html
    assert f"逐户解决{len(unmet)}户未全部达到脱贫标准（人均纯收入、住房安全）的问题" in html
    text = text_of(tw, "2018-03", "livelihood")
    income = sum(1 for h in unmet if h[5] < line)
    housing = sum(1 for h in unmet if h[6] == "否")
    assert f"今年计划脱贫户中尚有{len(unmet)}户未全部达到脱贫标准（人均纯收入{income}户、住房安全{housing}户）" in text


# --- 下步打算: at most six measures, one sentence per formula, the most urgent first -----------------------------

def plans_of(tw, month: str, area: str) -> list[str]:
    """The measures of an area's 下步打算, without their ordinals."""
    import re

    facts = prose_facts.report_facts(tw, as_month(month))
    text = "".join(narrative.plans_section(facts, area).paragraphs)
    return [m for m in re.split(r"[；。]?[一二三四五六七八九十]+是", text.rstrip("。")) if m]


def test_remaining_targets_are_one_sentence_with_each_figure():
    rows = [("a", 120, 30), ("b", 600, 200), ("c", 90, 60)]  # indicator, target, ytd by June
    units = ["万元", "亩", "个"]
    indicators = [(i, "economy", f"指标{i}", unit, "flow", "higher")
                  for (i, _, _), unit in zip(rows, units, strict=True)]
    tw = make_township(indicators=indicators, monthly=[("2018-06", None, i, ytd) for i, _, ytd in rows],
                       targets=[(2018, i, t) for i, t, _ in rows])
    plans = plans_of(tw, "2018-06", "economy")
    rest = [t - ytd for _, t, ytd in rows]
    pace = [math.ceil((t - ytd) / 6 * 10) / 10 for _, t, ytd in rows]  # 400 / 6 亩 → 66.7亩 (one decimal, up)
    assert plans == [f"指标a、指标b、指标c距年度目标分别还差{rest[0]}万元、{rest[1]}亩、{rest[2]}个，"
                     f"今后6个月每月需分别完成{pace[0]:g}万元、{pace[1]:g}亩、{pace[2]:g}个"]


def test_at_most_six_measures_the_overdue_and_the_rules_first():
    projects = [(f"P{i}", f"工程{i}", "livelihood", "基础设施", "甲村", 80, "2018-01", due)
                for i, due in enumerate(["2018-03", "2018-12", "2018-12", "2018-12"])]
    progress = [("2018-05", "P0", "在建", 50, 30), ("2018-05", "P1", "在建", 60, 30),
                ("2018-05", "P2", "签约", None, None), ("2018-05", "P3", "征地", None, None)]
    items = [(f"R{i}", "livelihood", cat, f"{cat}{i}", "甲村", "2018-01", due, None, None)
             for i, (cat, due) in enumerate([("猪场", "2018-02"), ("砖厂", "2018-12"), ("汽修", "2018-12")])]
    tw = make_township(indicators=[("houses", "livelihood", "改建", "户", "flow", "higher"),
                                   ("farms", "livelihood", "示范户", "户", "stock", "higher")],
                       monthly=[("2018-05", None, "houses", 10), ("2018-05", None, "farms", 3)],
                       targets=[(2018, "houses", 70), (2018, "farms", 9)],
                       projects=projects, project_progress=progress, rectifications=items)
    plans = plans_of(tw, "2018-05", "livelihood")
    assert plans[:2] == ["工程0已超过计划完成期限，倒排工期、加快推进", "督促1家逾期未完成整改的猪场限期整改到位"]
    assert "改建距年度目标70户还差60户，今后7个月每月需完成9户" in plans  # 60 / 7 = 8.6 → 9 whole households
    assert "示范户年内还需增加6户，确保达到9户" in plans
    assert "督促1个砖厂、1家汽修按期完成整改" in plans
    assert len(plans) == 6  # the two project steps below the cut (签约, 征地) are in the project table
    assert not any("工程2" in p or "工程3" in p for p in plans)


def test_a_measure_names_its_owner_once_the_data_gives_one():
    """The owner spot: a fact with an ``owner`` (an optional column being added) is named after its measure."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Owned:
        name: str
        owner: str

    env = prose_templates.environment()
    macro = env.get_template("_measures.j2").module.owned
    due = pd.Period("2018-10", "M")
    assert str(macro({"text": "加快推进X", "subject": [Owned("X", "镇农业办")], "due": due})) == \
        "加快推进X（镇农业办负责，2018年10月底前完成）"
    assert str(macro({"text": "加快推进X", "subject": None, "due": due})) == "加快推进X"


def test_stocks_still_to_grow_are_one_measure():
    def plans(unit: str, target: int) -> list[str]:
        shops = ("shops", "economy", "商家", unit, "stock", "higher")
        tw = make_township(indicators=[FIRMS, shops],
                           monthly=[("2018-04", None, "firms", 12), ("2018-04", None, "shops", 30)],
                           targets=[(2018, "firms", 16), (2018, "shops", target)])
        return plans_of(tw, "2018-04", "economy")

    assert plans("家", 34) == [f"企业、商家年内还需各增加{16 - 12}家"]  # the same amount said once
    assert plans("户", 34) == [f"企业、商家年内还需分别增加{16 - 12}家、{34 - 30}户"]
    assert plans("家", 40) == [f"企业、商家年内还需分别增加{16 - 12}家、{40 - 30}家"]


GENERIC_REPORT = """\
areas:
  - id: work
    heading: 抓好重点工作
    short: 重点工作
    sections: [prose]
"""


def test_the_generic_area_words_a_rate_as_a_level_and_events_with_their_verbs():
    indicators = [("closure", "work", "热线办结率", "%", "rate", "higher"),
                  ("output", "work", "产值", "万元", "flow", "higher")]
    monthly = [("2018-02", None, "closure", 97.5), ("2018-03", None, "closure", 98.9),
               ("2018-02", None, "output", 10), ("2018-03", None, "output", 12)]
    events = [("2018-02-10", "work", "会议", "例会"), ("2018-03-10", "work", "会议", "例会"),
              ("2018-03-12", "work", "检查", "检查")]
    tw = make_township(indicators=indicators, monthly=monthly, events=events, report=GENERIC_REPORT)
    text = text_of(tw, "2018-03", "work")
    assert "热线办结率为98.9%" in text and "热线办结率累计" not in text  # a rate is not summed
    assert "产值累计22万元" in text
    assert "重点工作方面召开会议2次、开展检查1次" in text


def test_opening_counts_a_ceiling_within_its_limit_apart_from_the_paced_targets(sample):
    """The cover says 9 超序时, 1 达序时, 3 滞后, 1 在控制量内: the opening must not say 11 达到或超过序时进度."""
    from helpers.analysis.progress import indicator_progress

    statuses = indicator_progress(sample, as_month("2018-08"))["status"].dropna().astype(str)
    paced = int(statuses.isin(["超序时", "达序时"]).sum())
    within = int((statuses == "在控制量内").sum())
    assert within >= 1  # the sample has a ceiling (安全生产事故), so this test can fail
    opening = "".join(narrative.opening_section(prose_facts.report_facts(sample, as_month("2018-08"))).paragraphs)
    assert (f"{len(statuses)}项主要指标中{paced}项达到或超过序时进度、{within}项未突破控制指标"
            in opening)
