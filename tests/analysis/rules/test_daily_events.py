"""daily_events: collection points in a profile of their own, and the bundled profile's 垃圾每日一清运."""

from __future__ import annotations

import calendar

import pandas as pd
from builders import default_rule, make_township, only_rule

daily_refuse_rule = default_rule("daily_refuse")


REFUSE_RULE = """
kind: daily_events
name: 收集点每日一清运
area: work
type: 清运
sites_label: 垃圾分类收集点
"""


def test_daily_events():
    days = [f"2018-03-{d:02d}" for d in range(1, 32)]
    runs = [(d, "work", "清运", site, None) for d in days for site in ("一号点", "二号点")]
    kept = only_rule(REFUSE_RULE, events=runs)
    assert kept.passed and kept.summary == "2018年3月1日至2018年3月31日，2个垃圾分类收集点每日均有清运"
    breached = only_rule(REFUSE_RULE, events=[r for r in runs if (r[0], r[3]) != ("2018-03-09", "二号点")])
    assert not breached.passed
    assert breached.summary.endswith("有1站次未按日清运：二号点（2018年3月9日）")


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
