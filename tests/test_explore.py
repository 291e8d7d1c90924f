"""helpers.analysis.explore, on small townships built in code, expected values worked out by hand.

A village against the township, the villages behind a figure, a year against the last, a quarter's rule breaches.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.analysis import explore
from helpers.data.periods import as_month, parse_quarter
from tests.builders import make_township

NAN = float("nan")


def same(values, expected) -> bool:
    """Element-wise equal, NaN equal to NaN."""
    values = list(values)
    return len(values) == len(expected) and all(
        (math.isnan(e) and math.isnan(v)) if isinstance(e, float) and math.isnan(e) else v == pytest.approx(e)
        for v, e in zip(values, expected, strict=True))


def village_township():
    return make_township(monthly=[
        ("2018-01", "甲村", "output", 10), ("2018-01", "乙村", "output", 30),
        ("2018-02", "乙村", "output", 20),
        ("2018-03", "甲村", "output", 5), ("2018-03", "乙村", "output", 15),
        ("2018-01", "甲村", "firms", 3), ("2018-01", "乙村", "firms", 2), ("2018-03", "甲村", "firms", 4),
        ("2018-01", None, "accidents", 1),
    ])


def test_a_village_beside_the_township_month_by_month():
    frame = explore.village_against_township(village_township(), "output", "甲村", as_month("2018-03"))
    assert [str(m) for m in frame["month"]] == ["2018-01", "2018-02", "2018-03"]
    assert same(frame["village"], [10, 0, 5])  # a month the village did not report, in a year it reports: 0
    assert same(frame["township"], [40, 20, 20])
    assert same(frame["share_pct"], [25, 0, 25])


def test_a_stock_compares_levels_carried_forward():
    frame = explore.village_against_township(village_township(), "firms", "甲村", as_month("2018-03"))
    assert same(frame["village"], [3, 3, 4])
    assert same(frame["township"], [5, 5, 6])


def test_unknown_village_and_township_only_indicator_are_refused_in_chinese():
    tw = village_township()
    with pytest.raises(ValueError, match="未知村（社区）：丁村.*甲村、乙村、丙社区"):
        explore.village_against_township(tw, "output", "丁村", as_month("2018-03"))
    with pytest.raises(ValueError, match="accidents 没有分村数据.*output、firms"):
        explore.village_against_township(tw, "accidents", "甲村", as_month("2018-03"))
    with pytest.raises(ValueError, match="未知指标"):
        explore.villages_behind(tw, "nothing", as_month("2018-03"))


def test_the_villages_behind_a_figure_worst_first():
    frame = explore.villages_behind(village_township(), "output", as_month("2018-03"))
    assert list(frame["village"]) == ["甲村", "乙村"]  # 丙社区 reports nothing: not ranked, as in the report
    assert same(frame["value"], [15, 65])
    assert same(frame["share_pct"], [18.75, 81.25])
    assert list(frame["rank"]) == [2, 1]
    assert list(frame["bottom"]) == [True, False]


def test_for_a_ceiling_the_highest_is_worst():
    tw = make_township(monthly=[("2018-01", "甲村", "accidents", 0), ("2018-01", "乙村", "accidents", 2),
                                ("2018-01", "丙社区", "accidents", 1)])
    frame = explore.villages_behind(tw, "accidents", as_month("2018-01"))
    assert list(frame["village"]) == ["乙村", "丙社区", "甲村"]
    assert list(frame["rank"]) == [3, 2, 1]


def test_lagging_indicators():
    tw = make_township(monthly=[("2018-06", "甲村", "output", 10), ("2018-06", None, "firms", 10)],
                       targets=[(2018, "output", 100), (2018, "firms", 20)])
    assert explore.lagging_indicators(tw, as_month("2018-06")) == ["output", "firms"]
    # firms: township rows only
    assert explore.lagging_indicators(tw, as_month("2018-06"), village_level=True) == ["output"]


def test_this_year_against_last_month_by_month_and_so_far():
    tw = make_township(monthly=[("2017-01", None, "output", 10), ("2017-02", None, "output", 20),
                                ("2018-01", None, "output", 15), ("2018-03", None, "output", 30)])
    frame = explore.year_against_last(tw, "output", as_month("2018-03"))
    assert same(frame["this_year"], [15, NAN, 30])
    assert same(frame["last_year"], [10, 20, NAN])
    assert same(frame["change"], [5, NAN, NAN])  # missing is not zero: no change from a month without data
    assert same(frame["change_pct"], [50, NAN, NAN])
    assert same(frame["this_year_total"], [15, 15, 45])
    assert same(frame["last_year_total"], [10, 30, 30])
    assert same(frame["total_change_pct"], [50, -50, 50])


def test_without_last_year_there_is_no_total_to_compare():
    tw = make_township(monthly=[("2018-01", None, "output", 15), ("2018-02", None, "output", 5)])
    frame = explore.year_against_last(tw, "output", as_month("2018-02"))
    assert frame["last_year_total"].isna().all()  # not 0
    assert frame["total_change_pct"].isna().all()


def test_quarters_are_parsed_or_refused():
    assert parse_quarter("2018Q2") == pd.Period("2018Q2", freq="Q")
    assert parse_quarter(" 2018-q3 ") == pd.Period("2018Q3", freq="Q")
    for bad in ("2018Q5", "18Q1", "2018-06", ""):
        with pytest.raises(ValueError, match="季度格式应为 YYYYQn"):
            parse_quarter(bad)


def visits_township():
    villages = ("甲村", "乙村", "丙社区")
    monthly = [(f"2018-{m:02d}", v, "visits", 8) for m in range(1, 10) for v in villages
               if (m, v) not in {(2, "甲村"), (4, "乙村")}]
    monthly += [("2018-02", "甲村", "visits", 5), ("2018-04", "乙村", "visits", 3)]
    monthly += [(f"2018-{m:02d}", None, "fixed_asset_investment", 5) for m in range(1, 10)]
    return make_township(
        indicators=[("visits", "party", "民情恳谈", "次", "flow", "higher"),
                    ("fixed_asset_investment", "economy", "固定资产投资", "万元", "flow", "higher")],
        monthly=monthly, targets=[(2018, "fixed_asset_investment", 100)])


def by_id(results):
    return {r.id: r for r in results}


def test_a_quarter_keeps_the_breaches_that_fall_in_it():
    tw = visits_township()
    q1 = by_id(explore.quarter_breaches(tw, parse_quarter("2018Q1")))
    q2 = by_id(explore.quarter_breaches(tw, parse_quarter("2018Q2")))
    assert [(r.village, str(r.month), r.value) for r in q1["visits"].breaches.itertuples()] == [("甲村", "2018-02", 5)]
    assert [(r.village, str(r.month)) for r in q2["visits"].breaches.itertuples()] == [("乙村", "2018-04")]
    assert not q1["visits"].passed and not q2["visits"].passed
    q3 = by_id(explore.quarter_breaches(tw, parse_quarter("2018Q3")))
    assert q3["visits"].passed and q3["visits"].breaches.empty


def test_a_breach_without_a_date_belongs_to_the_quarter_it_first_appears_in():
    tw = visits_township()  # 固定资产投资 30 of 100 by June: 双过半 missed, found at the end of Q2
    assert not by_id(explore.quarter_breaches(tw, parse_quarter("2018Q1")))["double_half"].applicable
    q2 = by_id(explore.quarter_breaches(tw, parse_quarter("2018Q2")))["double_half"]
    assert list(q2.breaches["indicator"]) == ["fixed_asset_investment"] and not q2.passed
    q3 = by_id(explore.quarter_breaches(tw, parse_quarter("2018Q3")))["double_half"]
    assert q3.breaches.empty and q3.passed


def test_a_quarter_after_the_data_is_refused():
    with pytest.raises(ValueError, match="2018年第4季度没有数据（数据截至2018年9月）"):
        explore.quarter_breaches(visits_township(), parse_quarter("2018Q4"))
