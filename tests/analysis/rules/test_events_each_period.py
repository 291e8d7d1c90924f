"""events_each_period: each month's 例会 by title, the bundled profile's 季度“四个一” and 土坯房半月一通报."""

from __future__ import annotations

import pandas as pd
from builders import default_rule, make_township, only_rule

from helpers.analysis.rules.events_each_period import half_months

party_quarterly_rule = default_rule("party_quarterly")
adobe_notice_rule = default_rule("adobe_notice")


MEETING_RULE = """
kind: events_each_period
name: 每月召开一次例会
area: work
period: month
types: [会议]
title_contains: 例会
"""


def test_events_each_period_by_month():
    meetings = [(f"2018-0{m}-05", "work", "会议", "联合党委例会", None) for m in (1, 2, 3)]
    kept = only_rule(MEETING_RULE, events=meetings)
    assert kept.passed and kept.summary == "2018年1月、2月、3月均开展了会议"
    other_title = [(d, a, t, "专题会议" if d.startswith("2018-02") else title, q) for d, a, t, title, q in meetings]
    breached = only_rule(MEETING_RULE, events=other_title)
    assert not breached.passed
    assert breached.breaches["month"].astype(str).tolist() == ["2018-02"]
    assert "2月未开展会议" in breached.summary


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
