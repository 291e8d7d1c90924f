"""Rule checks from the reference report: pass, breach with the offending rows, or not applicable."""

from __future__ import annotations

import calendar

import pandas as pd
import pytest
from builders import make_township

from helpers.analysis.rules import half_months, rule_checks, run_rule
from helpers.config import SETTINGS
from helpers.data.report_profile.reading import default_profile


def default_rule(rule_id):
    """The bundled profile's rule ``rule_id`` as a function of (township, month)."""
    return lambda tw, month, settings=SETTINGS: run_rule(tw, rule_id, month, settings)


visits_rule = default_rule("visits")
party_quarterly_rule = default_rule("party_quarterly")
adobe_notice_rule = default_rule("adobe_notice")
double_half_rule = default_rule("double_half")
zero_petition_rule = default_rule("zero_petition")
daily_refuse_rule = default_rule("daily_refuse")

VISITS = [("visits", "party", "民情恳谈", "次", "flow", "higher")]


def visits_township(rows):
    return make_township(indicators=VISITS, monthly=rows)


def all_villages(month, value=8):
    return [(month, v, "visits", value) for v in ("甲村", "乙村", "丙社区")]


# 民情恳谈 ------------------------------------------------------------------------------------------

def test_visits_pass_when_every_village_reaches_the_minimum_every_month():
    tw = visits_township(all_villages("2018-01") + all_villages("2018-02", 12))
    result = visits_rule(tw, "2018-02")
    assert result.applicable and result.passed and result.breaches.empty
    assert result.name == "民情恳谈每村每月不少于8次"
    assert len(result.checked) == 6


def test_visits_below_the_minimum_are_breaches_naming_village_and_month():
    rows = all_villages("2018-01") + [("2018-02", "甲村", "visits", 8), ("2018-02", "乙村", "visits", 7),
                                      ("2018-02", "丙社区", "visits", 9)]
    result = visits_rule(visits_township(rows), "2018-02")
    assert not result.passed
    assert result.breaches.to_dict("records") == [
        {"village": "乙村", "month": pd.Period("2018-02", freq="M"), "value": 7, "required": 8}]
    assert "乙村2月7次" in result.summary


def test_a_village_missing_from_a_month_with_visits_data_counts_zero():
    rows = all_villages("2018-01")[:2]
    result = visits_rule(visits_township(rows), "2018-01")
    assert result.breaches[["village", "value"]].values.tolist() == [["丙社区", 0]]


def test_visits_ignore_other_years_later_months_and_township_rows():
    rows = (all_villages("2018-01") + [("2017-12", "甲村", "visits", 1), ("2018-02", "甲村", "visits", 1),
                                       ("2018-01", None, "visits", 2)])
    assert visits_rule(visits_township(rows), "2018-01").passed


def test_the_minimum_is_a_parameter_of_the_profile():
    from dataclasses import replace

    tw = visits_township(all_villages("2018-01", 9))
    profile = default_profile()
    rules = tuple(replace(r, name="民情恳谈每村每月不少于10次", params={**r.params, "minimum": 10})
                  if r.id == "visits" else r for r in profile.rules)
    tw.report = replace(profile, rules=rules)
    strict = visits_rule(tw, "2018-01")
    assert not strict.passed and len(strict.breaches) == 3 and strict.name == "民情恳谈每村每月不少于10次"


def test_visits_without_data_are_not_applicable():
    result = visits_rule(visits_township([]), "2018-03")
    assert not result.applicable


# 每季度一部署、一督查、一总结、一通报 -------------------------------------------------------------

FULL_Q1 = [("2018-01-05", "party", "部署", "部署会"), ("2018-02-05", "party", "督查", "督查"),
           ("2018-03-20", "party", "总结", "总结会"), ("2018-03-28", "party", "通报", "情况通报")]


def test_quarterly_passes_with_all_four_types_in_an_ended_quarter():
    result = party_quarterly_rule(make_township(events=FULL_Q1), "2018-03")
    assert result.passed and result.applicable
    assert result.checked.iloc[0][["部署", "督查", "总结", "通报"]].tolist() == [1, 1, 1, 1]


def test_quarterly_breach_when_a_type_is_missing_in_an_ended_quarter_only():
    events = FULL_Q1 + [("2018-04-05", "party", "部署", "部署会"), ("2018-05-05", "party", "督查", "督查"),
                        ("2018-06-20", "party", "总结", "总结会"),
                        ("2018-06-25", "safety", "通报", "安全通报")]  # another area's notice does not count
    in_progress = party_quarterly_rule(make_township(events=events), "2018-05")
    assert in_progress.passed and "第二季度进行中，已开展部署、督查" in in_progress.summary
    ended = party_quarterly_rule(make_township(events=events), "2018-06")
    assert not ended.passed
    assert ended.breaches[["quarter", "missing"]].values.tolist() == [[pd.Period("2018Q2", freq="Q"), "通报"]]
    assert "第二季度未开展通报" in ended.summary


def test_quarterly_counts_only_events_up_to_the_report_month():
    events = FULL_Q1[:3] + [("2018-04-02", "party", "通报", "迟到的通报")]
    assert not party_quarterly_rule(make_township(events=events), "2018-04").passed


def test_quarterly_is_not_applicable_to_a_township_that_never_records_these_events():
    """No such event in any year: the township does not keep these records (like the other rules' no data).

    It is not a breach of four missing types in every quarter.
    """
    other = [("2018-02-05", "safety", "检查", "安全检查")]
    for events in (None, other):
        result = party_quarterly_rule(make_township(events=events), "2018-08")
        assert not result.applicable
        assert result.summary == "未录入部署、督查、总结、通报记录"


def test_quarterly_is_a_breach_when_earlier_years_have_the_events_and_this_year_none():
    last_year = [(d.replace("2018", "2017"), a, t, n) for d, a, t, n in FULL_Q1]
    result = party_quarterly_rule(make_township(events=last_year), "2018-06")
    assert result.applicable and not result.passed
    assert result.breaches["quarter"].tolist() == [pd.Period("2018Q1", freq="Q"), pd.Period("2018Q2", freq="Q")]


# 土坯房 半月一通报 --------------------------------------------------------------------------------

def test_half_months_split_at_the_fifteenth_and_end_at_month_end():
    halves = half_months(pd.Timestamp("2018-02-03"), pd.Timestamp("2018-03-31"))
    assert halves["half"].tolist() == ["上半月", "下半月", "上半月", "下半月"]
    assert halves["end"].dt.day.tolist() == [15, 28, 15, 31]
    assert halves["start"].dt.day.tolist() == [1, 16, 1, 16]


def adobe(date, title="土坯房改建进展通报", type_="通报"):
    return (date, "livelihood", type_, title)


def test_adobe_notices_every_half_month_from_the_first_one_pass():
    tw = make_township(events=[adobe("2018-03-10"), adobe("2018-03-20"), adobe("2018-04-15"),
                               adobe("2018-04-30")])
    result = adobe_notice_rule(tw, "2018-04")
    assert result.passed and len(result.checked) == 4  # January and February come before the first notice


def test_a_half_month_without_a_notice_is_a_breach():
    tw = make_township(events=[adobe("2018-03-10"), adobe("2018-03-20"), adobe("2018-04-15"),
                               adobe("2018-04-20", title="危房改造通报"), adobe("2018-05-10", type_="会议"),
                               adobe("2018-05-16")])
    result = adobe_notice_rule(tw, "2018-05")
    assert not result.passed
    assert result.breaches[["month", "half"]].values.tolist() == [
        [pd.Period("2018-04", freq="M"), "下半月"], [pd.Period("2018-05", freq="M"), "上半月"]]
    assert "4月下半月、5月上半月" in result.summary


def test_adobe_notices_are_not_applicable_before_the_first_one():
    tw = make_township(events=[adobe("2018-03-10")])
    assert not adobe_notice_rule(tw, "2018-02").applicable
    assert adobe_notice_rule(tw, "2018-03").applicable


# 双过半 -------------------------------------------------------------------------------------------

ECONOMY = [("fixed_asset_investment", "economy", "固定资产投资", "万元", "flow", "higher"),
           ("private_investment", "economy", "民间投资", "万元", "flow", "higher"),
           ("retail_sales", "economy", "社会消费品零售总额", "万元", "flow", "higher")]
TARGETS = [(2018, "fixed_asset_investment", 1200), (2018, "private_investment", 600), (2018, "retail_sales", 240)]


def economy_township(private_per_month=50):
    rows = []
    for month in range(1, 9):
        m = f"2018-{month:02d}"
        rows += [(m, None, "fixed_asset_investment", 100), (m, None, "private_investment", private_per_month),
                 (m, "甲村", "retail_sales", 10), (m, "乙村", "retail_sales", 10)]
    return make_township(indicators=ECONOMY, monthly=rows, targets=TARGETS)


def test_double_half_is_not_applicable_before_june():
    result = double_half_rule(economy_township(), "2018-05")
    assert not result.applicable


def test_double_half_passes_at_half_of_every_target_by_june():
    result = double_half_rule(economy_township(), "2018-06")
    assert result.applicable and result.passed
    assert result.checked["ytd"].tolist() == [600, 300, 120]  # retail: two villages summed
    assert result.checked["completion_pct"].tolist() == pytest.approx([50, 50, 50])


def test_double_half_breach_names_the_indicator_and_judges_june_even_later():
    result = double_half_rule(economy_township(private_per_month=45), "2018-08")
    assert not result.passed
    assert result.breaches["indicator"].tolist() == ["private_investment"]
    assert result.breaches["ytd"].tolist() == [270]  # January..June only
    assert "民间投资未过半" in result.summary


def test_double_half_without_the_indicators_is_not_applicable():
    assert not double_half_rule(make_township(), "2018-08").applicable


# 零到省、零进京 -----------------------------------------------------------------------------------

def test_zero_petition_holds_below_the_province_and_breaks_on_a_case_to_the_province():
    cases = [("X1", "2017-06", "甲村", "京", "已化解", "旧案"), ("X2", "2018-02", "乙村", "市", "已化解", "征地")]
    assert zero_petition_rule(make_township(petitions=cases), "2018-03").passed
    cases.append(("X3", "2018-03", "甲村", "省", "化解中", "拆迁"))
    result = zero_petition_rule(make_township(petitions=cases), "2018-03")
    assert not result.passed
    assert result.breaches["case_id"].tolist() == ["X3"]
    assert "到省1件" in result.summary


# 每日一清运 ---------------------------------------------------------------------------------------

def refuse_runs(month, stations=("1号中转站", "2号垃圾房"), skip=()):
    year, mm = map(int, month.split("-"))
    return [(f"{month}-{d:02d}", "safety", "清运", s)
            for d in range(1, calendar.monthrange(year, mm)[1] + 1) for s in stations
            if (s, f"{month}-{d:02d}") not in skip]


def test_daily_refuse_passes_when_every_station_is_collected_every_day():
    result = daily_refuse_rule(make_township(events=refuse_runs("2018-01") + refuse_runs("2018-02")), "2018-02")
    assert result.passed and len(result.checked) == 2 * (31 + 28)


def test_a_missing_refuse_day_is_a_breach_naming_the_station_and_date():
    events = refuse_runs("2018-01", skip={("2号垃圾房", "2018-01-15")}) + refuse_runs("2018-02", skip={
        ("1号中转站", "2018-02-03")})
    result = daily_refuse_rule(make_township(events=events), "2018-01")
    assert not result.passed
    assert result.breaches.values.tolist() == [["2号垃圾房", pd.Timestamp("2018-01-15")]]
    assert "2号垃圾房（2018年1月15日）" in result.summary
    assert len(daily_refuse_rule(make_township(events=events), "2018-02").breaches) == 2


def test_days_after_the_last_collection_up_to_month_end_are_breaches():
    events = [e for e in refuse_runs("2018-01") if e[0] < "2018-01-30"]
    result = daily_refuse_rule(make_township(events=events), "2018-01")
    assert result.breaches["date"].dt.day.tolist() == [30, 31, 30, 31]


def test_daily_refuse_without_collections_is_not_applicable():
    assert not daily_refuse_rule(make_township(), "2018-02").applicable


# All rules and the sample ------------------------------------------------------------------------

def test_rule_checks_returns_every_rule_in_report_order(sample):
    results = rule_checks(sample, "2018-08")
    assert [r.id for r in results] == ["visits", "party_quarterly", "double_half", "adobe_notice",
                                       "zero_petition", "daily_refuse"]
    assert [r.area for r in results] == ["party", "party", "economy", "livelihood", "safety", "safety"]


def test_sample_breaches_are_the_planted_visits_only(sample):
    results = {r.id: r for r in rule_checks(sample, "2018-08")}
    visits = results.pop("visits")
    assert not visits.passed
    assert [(r.village, str(r.month), r.value) for r in visits.breaches.itertuples()] == [
        ("新街社区", "2018-03", 5), ("山花村", "2018-05", 6), ("石桥村", "2018-08", 7)]
    for result in results.values():
        assert result.applicable and result.passed, result.id
    assert results["daily_refuse"].checked["station"].nunique() == 4
    assert results["party_quarterly"].checked["ended"].tolist() == [True, True, False]


def test_sample_double_half_is_not_judged_before_june(sample):
    results = {r.id: r for r in rule_checks(sample, "2018-05")}
    assert not results["double_half"].applicable
    assert results["visits"].breaches["village"].tolist() == ["新街社区", "山花村"]
