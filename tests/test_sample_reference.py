"""Every figure of the reference report (../shared/reference, August 2018) follows from the sample data.

Each figure is computed from the loaded sample through the analysis helpers and compared with the number
the hand-written report gives; the literals below are the report's, never the helpers' output. Where the sample
merely holds the report's figure in a cell (the profile, a target, an investment, a stock level), the test says
so: it checks that the helpers give back what the file holds (read here as plain text, tests/sample_raw.py),
and that the file holds the report's figure; where the figure is computed (sums, counts), it is also
worked out here from the rows.
"""

from __future__ import annotations

import pandas as pd
import pytest
import sample_raw as raw

from helpers.analysis.events import count_events
from helpers.analysis.petitions import petition_counts
from helpers.analysis.poverty import poverty_summary
from helpers.analysis.progress import indicator_progress, key_figures
from helpers.analysis.projects import project_status
from helpers.analysis.rectifications import rectification_status, rectifications_by_category
from helpers.analysis.rules import rule_checks
from helpers.analysis.villages import village_indicator_ytd
from helpers.config import SETTINGS
from helpers.data.periods import as_month
from helpers.report.prose.facts import township_info
from helpers.report.wording import approx, count, money_from_wan

MONTH = "2018-08"
PERIOD = as_month(MONTH)


@pytest.fixture(scope="module")
def progress(sample):
    return indicator_progress(sample, PERIOD).set_index("indicator")


@pytest.fixture(scope="module")
def projects(sample):
    return project_status(sample, PERIOD)


@pytest.fixture(scope="module")
def rules(sample):
    return {r.id: r for r in rule_checks(sample, PERIOD, SETTINGS)}


@pytest.fixture(scope="module")
def rectifications(sample):
    return rectifications_by_category(sample, PERIOD, "safety").set_index("category")


def project_with(projects: pd.DataFrame, *, villages: list[str] | None = None, name: str | None = None) -> pd.Series:
    if villages is not None:
        found = projects[projects["villages"].apply(lambda v: list(v) == villages)]
    else:
        found = projects[projects["name"].str.contains(name, regex=False)]
    assert len(found) == 1, f"exactly one project expected for {villages or name}"
    return found.iloc[0]


# --- 开篇：乡镇概况 ----------------------------------------------------------------------


def test_profile_paragraph(sample):
    profile, cells, villages = township_info(sample), raw.info(), raw.rows("villages")
    # read back from township.yaml: the helpers pass the cells through, and the cells are the report's
    assert (profile.name, profile.location, profile.distance_km, profile.area_km2, profile.town_area_km2,
            profile.population) == (cells["name"], cells["location"], cells["distance_to_county_km"],
                                    cells["area_km2"], cells["town_area_km2"], cells["population"])
    assert (cells["name"], cells["location"], cells["distance_to_county_km"], cells["area_km2"],
            cells["town_area_km2"], cells["population"]) == ("XX镇", "XX中段", 31, 73.04, 1.8, 44680)
    # counted from villages.csv
    assert profile.branches == len({v["branch"] for v in villages}) == 4
    assert profile.villages == len(villages) == 32
    assert int(sample.villages["population"].sum()) == sum(int(v["population"]) for v in villages) == 44680


# --- 二、富民强镇 -----------------------------------------------------------------------


def test_pepper_planting_target(sample):
    row = key_figures(sample, PERIOD, "economy").set_index("indicator").loc["pepper_planting_mu"]
    assert row["target"] == raw.target("pepper_planting_mu") == 3300  # a cell of targets.csv
    assert row["unit"] == "亩"


@pytest.mark.parametrize(("villages", "name", "investment", "wording"), [
    (["高龙村", "拦江村", "万福村"], None, 666, "666万"),
    (["碧波村", "山花村"], None, 570, "570万"),
    (None, "千亿斤高标准农田", 2250, "2250万"),
])
def test_agricultural_project_investments(projects, villages, name, investment, wording):
    project = project_with(projects, villages=villages, name=name)
    cell = next(p for p in raw.rows("projects") if p["name"] == project["name"])["investment_wan"]
    assert project["investment_wan"] == float(cell) == investment  # a cell of projects.csv
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
    # a stock's figure is its latest month-end level in monthly.csv
    assert progress.loc[indicator, "ytd"] == raw.stock_level(indicator, MONTH) == figure
    assert progress.loc[indicator, "unit"] == unit


def test_above_scale_firms_to_foster(progress):
    row = progress.loc["above_scale_firms"]
    remaining = raw.target("above_scale_firms") - raw.stock_level("above_scale_firms", MONTH)
    assert row["remaining"] == remaining == 2  # 年内力争培育2户
    assert not row["target_reached"]


def test_double_half(sample, rules):
    assert rules["double_half"].applicable and rules["double_half"].passed
    june = indicator_progress(sample, as_month("2018-06")).set_index("indicator")
    for indicator in ("fixed_asset_investment", "private_investment", "retail_sales"):
        done = raw.flow_ytd(indicator, "2018-06") / raw.target(indicator) * 100
        assert june.loc[indicator, "completion_pct"] == pytest.approx(done, abs=0.05)
        assert done >= 50


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
    s = poverty_summary(sample, PERIOD)
    h = raw.households(MONTH)
    poor = [v for v in raw.rows("villages") if v["poor_village"] == "是"]
    assert s.poor_villages == len(poor) == 8
    assert (s.households, s.people) == (h["households"], h["people"]) == (1234, 3635)
    assert s.delisted_before_year == sum(v["delisted_year"] < "2018" for v in poor if v["delisted_year"]) == 1
    assert (s.exited_before_year_households, s.exited_before_year_people) == (
        h["exited_before"], h["exited_before_people"]) == (654, 2115)
    assert s.to_delist_this_year == sum(v["delisted_year"] == "2018" for v in poor) == 1
    assert (s.planned_this_year_households, s.planned_this_year_people) == (h["planned"], h["planned_people"]) == (
        109, 288)


def test_full_coverage_inspections(sample):
    found = count_events(sample, PERIOD, "livelihood", "检查", "全覆盖")
    assert found == raw.events(MONTH, "livelihood", "检查", "全覆盖") == 5


def test_adobe_houses_demolished(sample, progress, rules):
    by_village = village_indicator_ytd(sample, "adobe_demolished", PERIOD)
    total = by_village["value"].sum()
    assert total == progress.loc["adobe_demolished", "ytd"] == raw.flow_ytd("adobe_demolished", MONTH)
    assert approx(total, "户") == "570余户"
    assert rules["adobe_notice"].applicable and rules["adobe_notice"].passed  # 半月一通报


# --- 一、党建 ---------------------------------------------------------------------------


def test_integrity_supervisors(progress):
    assert progress.loc["integrity_supervisors", "ytd"] == raw.stock_level("integrity_supervisors", MONTH) == 31


def test_cadres_investigated(sample):
    assert count_events(sample, PERIOD, "party", "立案") == raw.events(MONTH, "party", "立案") == 5


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
    found = count_events(sample, PERIOD, "safety", type_, title)
    assert found == raw.events(MONTH, "safety", type_, title) == figure


def test_leaflets(sample):
    leaflets = count_events(sample, PERIOD, "safety", "宣传")
    assert leaflets == raw.events(MONTH, "safety", "宣传") == 20000
    assert count(leaflets, "份") == "2万份"


def test_zero_petitions_to_province_and_beijing(sample, rules):
    assert rules["zero_petition"].passed
    levels = petition_counts(sample, PERIOD).set_index("level")["cases"]
    assert levels["省"] == 0 and levels["京"] == 0
    assert levels.sum() > 0  # the township does keep petition records


def test_environment_funds(progress):
    assert progress.loc["env_funds_wan", "ytd"] == raw.flow_ytd("env_funds_wan", MONTH) == 140
    assert count(progress.loc["env_funds_wan", "ytd"], progress.loc["env_funds_wan", "unit"]) == "140万元"


def test_rivers_cleaned(progress, projects):
    assert progress.loc["river_cleanup_km", "ytd"] == pytest.approx(raw.flow_ytd("river_cleanup_km", MONTH))
    assert progress.loc["river_cleanup_km", "ytd"] == pytest.approx(54.7)
    rivers = projects[projects["category"] == "河道整治"]["name"].str.replace("河道集中整治", "", regex=False)
    assert list(rivers) == ["茂隆河", "郪江河"]


def test_livestock_farms_zero_discharge(sample, rectifications):
    farms = rectifications.loc["养殖户"]
    counted = raw.rectifications("养殖户", MONTH)
    assert (farms["total"], farms["closed"]) == (counted["total"], counted["closed"]) == (50, 50)
    status = rectification_status(sample, PERIOD)
    assert set(status[status["category"] == "养殖户"]["result"]) == {"粪污零直排"}


def test_unlicensed_slaughterhouse_closed(sample, rectifications):
    slaughter = rectifications.loc[[c for c in rectifications.index if "屠" in c]]
    assert (slaughter["total"].sum(), slaughter["closed"].sum()) == (1, 1)
    status = rectification_status(sample, PERIOD)
    assert set(status[status["category"].str.contains("屠")]["result"]) == {"关停拆除"}


@pytest.mark.parametrize(("category", "figure"), [("汽修", 7), ("砖厂", 2), ("搅拌站", 1)])
def test_workshops_under_deadline(rectifications, category, figure):
    counted = raw.rectifications(category, MONTH)
    assert rectifications.loc[category, "total"] == counted["total"] == figure
    assert rectifications.loc[category, "open"] == counted["open"] == figure  # 落实了限期整改措施 (not yet closed)


def test_refuse_stations_cleared_daily(rules):
    refuse = rules["daily_refuse"]
    assert refuse.applicable and refuse.passed  # 每日一清运
    assert refuse.checked["station"].nunique() == 4


@pytest.mark.parametrize(("name", "stage"), [("污水处理厂", "征地"), ("垃圾压缩中转站", "规划设计")])
def test_environmental_facilities(projects, name, stage):
    assert project_with(projects, name=name)["stage"] == stage
