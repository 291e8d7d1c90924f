"""Every figure of the reference report (../shared/reference, August 2018) follows from the sample data.

Each figure is computed from the loaded sample through the analysis helpers and compared with the number
the hand-written report gives; the literals below are the report's, never the helpers' output.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis.events import count_events
from helpers.analysis.petitions import petition_counts
from helpers.analysis.poverty import poverty_summary
from helpers.analysis.progress import indicator_progress, key_figures
from helpers.analysis.projects import project_status
from helpers.analysis.rectifications import rectification_status, rectifications_by_category
from helpers.analysis.rules import rule_checks
from helpers.analysis.villages import village_indicator_ytd
from helpers.config import SETTINGS
from helpers.report.narrative import township_profile
from helpers.report.wording import approx, count, money_from_wan

MONTH = "2018-08"


@pytest.fixture(scope="module")
def progress(sample):
    return indicator_progress(sample, MONTH).set_index("indicator")


@pytest.fixture(scope="module")
def projects(sample):
    return project_status(sample, MONTH)


@pytest.fixture(scope="module")
def rules(sample):
    return {r.id: r for r in rule_checks(sample, MONTH, SETTINGS)}


@pytest.fixture(scope="module")
def rectifications(sample):
    return rectifications_by_category(sample, MONTH, "safety").set_index("category")


def project_with(projects: pd.DataFrame, *, villages: list[str] | None = None, name: str | None = None) -> pd.Series:
    if villages is not None:
        found = projects[projects["villages"].apply(lambda v: list(v) == villages)]
    else:
        found = projects[projects["name"].str.contains(name, regex=False)]
    assert len(found) == 1, f"exactly one project expected for {villages or name}"
    return found.iloc[0]


# --- 开篇：乡镇概况 ----------------------------------------------------------------------


def test_profile_paragraph(sample):
    profile = township_profile(sample)
    assert profile.name == "XX镇"
    assert profile.location == "XX中段"
    assert profile.distance_km == 31
    assert profile.area_km2 == pytest.approx(73.04)
    assert profile.town_area_km2 == pytest.approx(1.8)
    assert profile.branches == 4
    assert profile.villages == 32
    assert profile.population == 44680
    assert int(sample.villages["population"].sum()) == 44680


# --- 二、富民强镇 -----------------------------------------------------------------------


def test_pepper_planting_target(sample):
    row = key_figures(sample, MONTH, "economy").set_index("indicator").loc["pepper_planting_mu"]
    assert (row["target"], row["unit"]) == (3300, "亩")


@pytest.mark.parametrize(("villages", "name", "investment", "wording"), [
    (["高龙村", "拦江村", "万福村"], None, 666, "666万"),
    (["碧波村", "山花村"], None, 570, "570万"),
    (None, "千亿斤高标准农田", 2250, "2250万"),
])
def test_agricultural_project_investments(projects, villages, name, investment, wording):
    project = project_with(projects, villages=villages, name=name)
    assert project["investment_wan"] == investment
    assert money_from_wan(project["investment_wan"], suffix="万") == wording
    assert project["category"] == "农业基础设施"


def test_agricultural_project_stages(projects):
    nearly_done = project_with(projects, villages=["高龙村", "拦江村", "万福村"])
    assert nearly_done["stage"] == "在建" and nearly_done["near_completion"]  # 即将完工
    building = project_with(projects, villages=["碧波村", "山花村"])
    assert building["stage"] == "在建" and not building["near_completion"]  # 正加紧推进
    assert not building["overdue"] and not building["stalled"]
    farmland = project_with(projects, name="千亿斤高标准农田")
    assert farmland["stage"] == "规划设计"  # 规划设计正紧锣密鼓进行


@pytest.mark.parametrize(("indicator", "figure", "unit"), [
    ("retail_shops", 123, "户"),
    ("garment_firms", 5, "家"),
    ("restaurants", 54, "家"),
    ("above_scale_firms", 5, "户"),
])
def test_commerce_counts(progress, indicator, figure, unit):
    assert progress.loc[indicator, "ytd"] == figure
    assert progress.loc[indicator, "unit"] == unit


def test_above_scale_firms_to_foster(progress):
    row = progress.loc["above_scale_firms"]
    assert row["remaining"] == 2  # 年内力争培育2户
    assert not row["target_reached"]


def test_double_half(sample, rules):
    assert rules["double_half"].applicable and rules["double_half"].passed
    june = indicator_progress(sample, "2018-06").set_index("indicator")
    for indicator in ("fixed_asset_investment", "private_investment", "retail_sales"):
        assert june.loc[indicator, "completion_pct"] >= 50


def test_framework_agreement_highlight(sample):
    hl = sample.highlights
    this_year = hl[(hl["month"].dt.year == 2018) & (hl["month"] <= pd.Period(MONTH, "M"))]
    economy = this_year[this_year["area"] == "economy"]["text"]
    assert economy.str.contains("与广东永成鞋业有限公司达成框架协议").any()


def test_one_more_project_being_tracked(projects):
    promotion = projects[projects["category"] == "招商引资"]
    assert (promotion["stage"] == "洽谈").sum() == 1  # 另有1个项目正加紧跟踪
    assert (promotion["stage"] == "签约").sum() == 1  # the framework agreement


# --- 三、改善民生 -----------------------------------------------------------------------


def test_poverty_figures(sample):
    s = poverty_summary(sample, MONTH)
    assert s.poor_villages == 8
    assert (s.households, s.people) == (1234, 3635)
    assert s.delisted_before_year == 1
    assert (s.exited_before_year_households, s.exited_before_year_people) == (654, 2115)
    assert s.to_delist_this_year == 1
    assert (s.planned_this_year_households, s.planned_this_year_people) == (109, 288)


def test_full_coverage_inspections(sample):
    assert count_events(sample, MONTH, "livelihood", "检查", "全覆盖") == 5


def test_adobe_houses_demolished(sample, progress, rules):
    by_village = village_indicator_ytd(sample, "adobe_demolished", MONTH)
    total = by_village["value"].sum()
    assert total == progress.loc["adobe_demolished", "ytd"]
    assert approx(total, "户") == "570余户"
    assert rules["adobe_notice"].applicable and rules["adobe_notice"].passed  # 半月一通报


# --- 一、党建 ---------------------------------------------------------------------------


def test_integrity_supervisors(progress):
    assert progress.loc["integrity_supervisors", "ytd"] == 31


def test_cadres_investigated(sample):
    assert count_events(sample, MONTH, "party", "立案") == 5


def test_visits_rule_is_eight_a_month(rules):
    assert SETTINGS.min_visits_per_village == 8
    assert "不少于8次" in rules["visits"].name


def test_quarterly_party_mechanism(rules):
    quarterly = rules["party_quarterly"]
    assert "一部署、一督查、一总结、一通报" in quarterly.name
    assert quarterly.applicable and quarterly.passed


# --- 四、安全稳定生态 -------------------------------------------------------------------


@pytest.mark.parametrize(("type_", "title", "figure"), [
    ("培训", None, 6),
    ("演练", None, 2),
    ("检查", "大检查", 7),
    ("抽查", None, 20),
    ("会议", "党委会", 5),
    ("会议", "专题会议", 10),
    ("会议", "镇村干部大会", 4),
])
def test_safety_event_counts(sample, type_, title, figure):
    assert count_events(sample, MONTH, "safety", type_, title) == figure


def test_leaflets(sample):
    leaflets = count_events(sample, MONTH, "safety", "宣传")
    assert leaflets == 20000
    assert count(leaflets, "份") == "2万份"


def test_zero_petitions_to_province_and_beijing(sample, rules):
    assert rules["zero_petition"].passed
    levels = petition_counts(sample, MONTH).set_index("level")["cases"]
    assert levels["省"] == 0 and levels["京"] == 0
    assert levels.sum() > 0  # the township does keep petition records


def test_environment_funds(progress):
    assert progress.loc["env_funds_wan", "ytd"] == 140
    assert count(progress.loc["env_funds_wan", "ytd"], progress.loc["env_funds_wan", "unit"]) == "140万元"


def test_rivers_cleaned(progress, projects):
    assert progress.loc["river_cleanup_km", "ytd"] == pytest.approx(54.7)
    rivers = projects[projects["category"] == "河道整治"]["name"].str.replace("河道集中整治", "", regex=False)
    assert list(rivers) == ["茂隆河", "郪江河"]


def test_livestock_farms_zero_discharge(sample, rectifications):
    farms = rectifications.loc["养殖户"]
    assert (farms["total"], farms["closed"]) == (50, 50)
    status = rectification_status(sample, MONTH)
    assert set(status[status["category"] == "养殖户"]["result"]) == {"粪污零直排"}


def test_unlicensed_slaughterhouse_closed(sample, rectifications):
    slaughter = rectifications.loc[[c for c in rectifications.index if "屠" in c]]
    assert (slaughter["total"].sum(), slaughter["closed"].sum()) == (1, 1)
    status = rectification_status(sample, MONTH)
    assert set(status[status["category"].str.contains("屠")]["result"]) == {"关停拆除"}


@pytest.mark.parametrize(("category", "figure"), [("汽修", 7), ("砖厂", 2), ("搅拌站", 1)])
def test_workshops_under_deadline(rectifications, category, figure):
    assert rectifications.loc[category, "total"] == figure
    assert rectifications.loc[category, "open"] == figure  # 落实了限期整改措施 (not yet closed)


def test_refuse_stations_cleared_daily(rules):
    refuse = rules["daily_refuse"]
    assert refuse.applicable and refuse.passed  # 每日一清运
    assert refuse.checked["station"].nunique() == 4


@pytest.mark.parametrize(("name", "stage"), [("污水处理厂", "征地"), ("垃圾压缩中转站", "规划设计")])
def test_environmental_facilities(projects, name, stage):
    assert project_with(projects, name=name)["stage"] == stage
