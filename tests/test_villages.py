"""Village view: per-village year-to-date, rankings with 末位, branch roll-ups, village × month grids."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from builders import make_township

from helpers.analysis.progress import indicator_progress
from helpers.analysis.villages import (
    RANKING_COLUMNS,
    branch_rollup,
    village_indicator_ytd,
    village_level_indicators,
    village_month_matrix,
    village_ranking,
)
from helpers.config import Settings
from helpers.data.periods import as_month

FLOW = ("output", "economy", "产值", "万元", "flow", "higher")
STOCK = ("firms", "economy", "企业", "家", "stock", "higher")
LOWER = ("accidents", "safety", "安全事故", "起", "flow", "lower")
TOWN_ONLY = ("sales", "economy", "零售额", "万元", "flow", "higher")
SEVEN = [(f"{n}村", "东片党总支" if i % 2 else "西片党总支", "村", 1000 * (i + 1), "否", None)
         for i, n in enumerate("一二三四五六七")]


def ranked(values: dict[str, float], indicator=FLOW, month="2018-08", settings: Settings | None = None):
    monthly = [(month, village, indicator[0], v) for village, v in values.items()]
    tw = make_township(indicators=[indicator], monthly=monthly, villages=SEVEN)
    frame = village_ranking(tw, indicator[1], as_month(month), settings or Settings())
    return frame.set_index("village")


# --- year-to-date per village ----------------------------------------------------------------------------

def test_flow_ytd_per_village_is_this_years_sum_with_zero_for_villages_without_data():
    monthly = [("2017-12", "甲村", "output", 99), ("2018-01", "甲村", "output", 10), ("2018-03", "甲村", "output", 5),
               ("2018-02", "乙村", "output", 4), ("2018-02", None, "output", 100), ("2018-04", "乙村", "output", 8)]
    tw = make_township(indicators=[FLOW], monthly=monthly)
    ytd = village_indicator_ytd(tw, "output", as_month("2018-03"))
    assert list(ytd["village"]) == ["甲村", "乙村", "丙社区"]
    assert list(ytd["branch"]) == ["第一党总支", "第一党总支", "第二党总支"]
    assert list(ytd["kind"]) == ["村", "村", "社区"]
    assert ytd["value"].tolist() == [15, 4, 0]
    assert ytd["per_capita"].tolist() == pytest.approx([15, 2, 0])
    assert ytd["reported"].tolist() == [True, True, False]


def test_stock_ytd_per_village_is_the_carried_level():
    monthly = [("2017-12", "甲村", "firms", 5), ("2018-02", "甲村", "firms", 7), ("2018-04", "乙村", "firms", 3)]
    tw = make_township(indicators=[STOCK], monthly=monthly)
    march = village_indicator_ytd(tw, "firms", as_month("2018-03"))
    assert march["value"].tolist() == [7, 0, 0] and march["reported"].tolist() == [True, False, False]
    may = village_indicator_ytd(tw, "firms", as_month("2018-05"))
    assert may["value"].tolist() == [7, 3, 0]


def test_village_sum_matches_the_township_figure():
    monthly = [("2018-01", "甲村", "output", 1.1), ("2018-02", "乙村", "output", 2.2),
               ("2018-02", "丙社区", "output", 3.3)]
    tw = make_township(indicators=[FLOW], monthly=monthly)
    town = indicator_progress(tw, as_month("2018-02")).set_index("indicator").loc["output", "ytd"]
    assert village_indicator_ytd(tw, "output", as_month("2018-02"))["value"].sum() == pytest.approx(town)
    assert town == pytest.approx(6.6)


def test_unknown_indicator_is_refused_in_chinese():
    with pytest.raises(ValueError, match="未知指标"):
        village_indicator_ytd(make_township(), "nonexistent", as_month("2018-01"))


# --- rankings --------------------------------------------------------------------------------------------

def test_ranking_ties_at_the_bottom_rank_are_all_flagged():
    frame = ranked({"一村": 10, "二村": 9, "三村": 8, "四村": 5, "五村": 5, "六村": 5, "七村": 5})
    assert set(RANKING_COLUMNS) == {"village", *frame.columns}
    assert frame["rank"].to_dict() == {"一村": 1, "二村": 2, "三村": 3, "四村": 4, "五村": 4, "六村": 4, "七村": 4}
    assert set(frame.index[frame["bottom"]]) == {"四村", "五村", "六村", "七村"}


def test_ranking_tie_at_the_third_from_bottom_flags_both():
    frame = ranked({"一村": 10, "二村": 9, "三村": 7, "四村": 7, "五村": 6, "六村": 5})
    assert set(frame.index[frame["bottom"]]) == {"三村", "四村", "五村", "六村"}
    frame = ranked({"一村": 10, "二村": 9, "三村": 8, "四村": 6, "五村": 5, "六村": 5})
    assert set(frame.index[frame["bottom"]]) == {"四村", "五村", "六村"}


def test_ranking_of_a_lower_is_better_indicator_puts_the_smallest_first():
    frame = ranked({"一村": 3, "二村": 0, "三村": 1, "四村": 5, "五村": 2}, indicator=LOWER)
    assert list(frame.index) == ["二村", "三村", "五村", "一村", "四村"]
    assert frame["rank"].tolist() == [1, 2, 3, 4, 5]
    assert set(frame.index[frame["bottom"]]) == {"五村", "一村", "四村"}


def test_ranking_leaves_out_villages_without_data_and_flags_nobody_when_all_are_level():
    frame = ranked({"一村": 4, "二村": 4, "三村": 4})
    assert set(frame.index) == {"一村", "二村", "三村"}
    assert not frame["bottom"].any()


def test_ranking_bottom_count_is_a_setting():
    values = {"一村": 10, "二村": 9, "三村": 8, "四村": 7, "五村": 6}
    assert ranked(values, settings=Settings(bottom_n=1))["bottom"].sum() == 1
    assert ranked(values, settings=Settings(bottom_n=2))["bottom"].sum() == 2


def test_ranking_covers_only_village_level_indicators_of_the_area():
    monthly = [("2018-01", "甲村", "output", 1), ("2018-01", "乙村", "output", 2), ("2018-01", None, "sales", 9),
               ("2018-01", "甲村", "accidents", 1)]
    tw = make_township(indicators=[FLOW, TOWN_ONLY, LOWER], monthly=monthly)
    assert village_level_indicators(tw, as_month("2018-01")) == ["output", "accidents"]
    assert village_level_indicators(tw, as_month("2018-01"), "economy") == ["output"]
    frame = village_ranking(tw, "economy", as_month("2018-01"))
    assert set(frame["indicator"]) == {"output"} and list(frame["village"]) == ["乙村", "甲村"]
    assert village_ranking(tw, "party", as_month("2018-01")).empty
    assert list(village_ranking(tw, "party", as_month("2018-01")).columns) == list(RANKING_COLUMNS)


# --- branches and grids ----------------------------------------------------------------------------------

def test_branch_rollup_counts_villages_people_and_sums_values():
    monthly = [("2018-01", "甲村", "output", 1), ("2018-02", "乙村", "output", 2), ("2018-02", "丙社区", "output", 6)]
    tw = make_township(indicators=[FLOW], monthly=monthly)
    rollup = branch_rollup(tw, "output", as_month("2018-02")).set_index("branch")
    assert list(rollup.index) == ["第一党总支", "第二党总支"]
    assert rollup["villages"].tolist() == [2, 1]
    assert rollup["population"].tolist() == [3000, 3000]
    assert rollup["value"].tolist() == [3, 6]
    assert rollup["per_capita"].tolist() == pytest.approx([1, 2])


def test_village_month_matrix_of_a_flow():
    monthly = [("2018-01", "甲村", "output", 1), ("2018-03", "甲村", "output", 3), ("2018-02", "乙村", "output", 2),
               ("2018-04", "乙村", "output", 5)]
    tw = make_township(indicators=[FLOW], monthly=monthly)
    grid = village_month_matrix(tw, "output", 2018)
    assert list(grid.index) == ["甲村", "乙村", "丙社区"]
    assert [str(m) for m in grid.columns] == ["2018-01", "2018-02", "2018-03", "2018-04"]
    assert grid.loc["甲村"].tolist() == [1, 0, 3, 0]
    assert grid.loc["乙村"].tolist() == [0, 2, 0, 5]
    assert grid.loc["丙社区"].isna().all()
    until = village_month_matrix(tw, "output", 2018, until=as_month("2018-02"))
    assert until.shape == (3, 2)
    assert until.loc["甲村"].tolist() == [1, 0]


def test_village_month_matrix_of_a_stock_carries_levels():
    monthly = [("2017-11", "甲村", "firms", 2), ("2018-03", "甲村", "firms", 4), ("2018-02", "乙村", "firms", 1)]
    tw = make_township(indicators=[STOCK], monthly=monthly)
    grid = village_month_matrix(tw, "firms", 2018)
    assert grid.loc["甲村"].tolist() == [2, 2, 4]
    assert math.isnan(grid.loc["乙村"].iloc[0]) and grid.loc["乙村"].tolist()[1:] == [1, 1]


def test_village_month_matrix_of_a_past_year_runs_to_december():
    monthly = [("2017-05", "甲村", "output", 1), ("2018-01", "甲村", "output", 1)]
    grid = village_month_matrix(make_township(indicators=[FLOW], monthly=monthly), "output", 2017)
    assert len(grid.columns) == 12 and grid.loc["甲村"].sum() == 1


# --- the sample township ---------------------------------------------------------------------------------

def monthly_csv_ytd(indicator: str, first: str, last: str) -> dict[str, float]:
    """Per-village sums of the sample's monthly.csv rows, read straight from the file (no helpers)."""
    import csv

    from helpers.config import DATA_DIR

    sums: dict[str, float] = {}
    with (DATA_DIR / "sample" / "monthly.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["indicator"] == indicator and r["village"] and first <= r["month"] <= last:
                sums[r["village"]] = sums.get(r["village"], 0.0) + float(r["value"])
    return sums


def test_sample_village_sums_match_the_township(sample):
    town = indicator_progress(sample, as_month("2018-08")).set_index("indicator")["ytd"]
    assert village_indicator_ytd(sample, "adobe_demolished", as_month("2018-08"))["value"].sum() == 573
    for indicator in ("adobe_demolished", "collective_income", "pepper_planting_mu", "visits"):
        assert branch_rollup(sample, indicator, as_month("2018-08"))["value"].sum() == pytest.approx(town[indicator])
    assert branch_rollup(sample, "visits", as_month("2018-08"))["villages"].sum() == len(sample.villages)


def test_sample_rankings(sample):
    economy = village_ranking(sample, "economy", as_month("2018-08"))
    assert set(economy["indicator"]) == {"pepper_planting_mu", "collective_income"}
    assert (economy["indicator"] == "pepper_planting_mu").sum() == 20  # ten villages plant no pepper
    livelihood = village_ranking(sample, "livelihood", as_month("2018-08"))
    assert not livelihood["village"].str.endswith("社区").any()  # communities have no adobe houses
    party = village_ranking(sample, "party", as_month("2018-08"))
    assert set(party["indicator"]) == {"visits"}  # the other party indicators are township-level only
    visits = monthly_csv_ytd("visits", "2018-01", "2018-08")
    worst = sorted(visits.values())[2]  # 3rd lowest: everything at or below it is 末位 (ties all in)
    assert set(party.loc[party["bottom"], "village"]) == {v for v, n in visits.items() if n <= worst}
    assert party.groupby("indicator")["rank"].min().eq(1).all()


def test_sample_visit_grid_shows_the_planted_shortfalls(sample):
    grid = village_month_matrix(sample, "visits", 2018)
    assert grid.shape == (32, 8)
    below = grid.stack()[lambda s: s < 8]
    assert set(below.index) == {("新街社区", pd.Period("2018-03", "M")), ("山花村", pd.Period("2018-05", "M")),
                                ("石桥村", pd.Period("2018-08", "M"))}

