"""Indicator progress: hand-computed fixtures for each rule of DESIGN.md "Indicator semantics", then the sample."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from builders import make_township

from helpers.analysis.progress import (
    AHEAD,
    BEHIND,
    MET,
    NOT_MET,
    ON_PACE,
    OVER_PACE,
    OVER_YEAR,
    PROGRESS_COLUMNS,
    WITHIN,
    indicator_progress,
    key_figures,
    monthly_series,
)
from helpers.config import Settings
from helpers.data.periods import as_month

FLOW = ("output", "economy", "产值", "万元", "flow", "higher")
STOCK = ("firms", "economy", "企业", "家", "stock", "higher")
LOWER = ("accidents", "safety", "安全事故", "起", "flow", "lower")
NO_TARGET = ("visits", "party", "民情恳谈", "次", "flow", "higher")
RATE = ("hotline", "safety", "12345热线办结率", "%", "rate", "higher")


def progress_of(indicator: str, month: str, monthly, targets=(), indicators=(FLOW, STOCK, LOWER, NO_TARGET),
                settings: Settings | None = None) -> pd.Series:
    tw = make_township(indicators=list(indicators), monthly=list(monthly), targets=list(targets))
    month = as_month(month)
    frame = indicator_progress(tw, month) if settings is None else indicator_progress(tw, month, settings)
    return frame.set_index("indicator").loc[indicator]


def flow_rows(values: dict[str, float], indicator: str = "output", village: str | None = None) -> list[tuple]:
    return [(m, village, indicator, v) for m, v in values.items()]


# --- shape -----------------------------------------------------------------------------------------------

def test_one_row_per_indicator_in_file_order_with_the_agreed_columns():
    tw = make_township(indicators=[NO_TARGET, STOCK, FLOW], monthly=flow_rows({"2018-01": 1}))
    frame = indicator_progress(tw, as_month("2018-01"))
    assert list(frame.columns) == list(PROGRESS_COLUMNS)
    assert list(frame["indicator"]) == ["visits", "firms", "output"]
    assert frame["time_pct"].tolist() == pytest.approx([100 / 12] * 3)


# --- flows -----------------------------------------------------------------------------------------------

def test_flow_ytd_sums_the_months_reported():
    # Jan 10, Feb missing, Mar 20, Apr missing, May 5; the previous year's December must not count.
    monthly = flow_rows({"2017-12": 99, "2018-01": 10, "2018-03": 20, "2018-05": 5})
    row = progress_of("output", "2018-05", monthly, [(2018, "output", 120)])
    assert row["ytd"] == 35
    assert row["completion_pct"] == pytest.approx(35 / 120 * 100)  # 29.2 %
    assert row["time_pct"] == pytest.approx(5 / 12 * 100)  # 41.7 %
    assert row["diff_pp"] == pytest.approx(35 / 120 * 100 - 5 / 12 * 100)
    assert row["status"] == BEHIND
    assert row["this_month"] == 5 and math.isnan(row["prev_month"])  # April is 未报: no 环比 from it
    assert math.isnan(row["mom_change"]) and math.isnan(row["mom_pct"])
    assert row["through"] == pd.Period("2018-05", "M") and row["reported"]


def test_flow_with_no_data_yet_this_year_has_no_ytd():
    monthly = flow_rows({"2018-03": 20})
    row = progress_of("output", "2018-02", monthly, [(2018, "output", 120)])
    assert math.isnan(row["ytd"]) and math.isnan(row["completion_pct"])
    assert row["status"] is None and not row["reported"] and pd.isna(row["through"])


def test_report_month_not_reported_is_not_zero():
    # January..September reported, October not yet: the year-to-date runs through September.
    monthly = flow_rows({f"2018-{k:02d}": 100 for k in range(1, 10)}) + flow_rows({"2018-10": 1}, "accidents")
    row = progress_of("output", "2018-10", monthly, [(2018, "output", 1200)])
    assert row["ytd"] == 900 and not row["reported"]
    assert row["through"] == pd.Period("2018-09", "M")
    assert row["time_pct"] == pytest.approx(75)  # 序时 of September, the month the figure runs through
    assert row["completion_pct"] == pytest.approx(75) and row["status"] == ON_PACE
    assert math.isnan(row["this_month"]) and math.isnan(row["mom_pct"])  # not "-100.0%"
    assert math.isnan(row["pace_needed"])


def test_year_on_year_compares_the_same_months_of_both_years():
    # 2017 has no March: both years are compared over January, February (and not March).
    monthly = flow_rows({"2017-01": 10, "2017-02": 10, "2017-04": 500,
                         "2018-01": 15, "2018-02": 15, "2018-03": 15})
    row = progress_of("output", "2018-03", monthly)
    assert row["ytd"] == 45 and row["last_year_ytd"] == 20
    assert row["yoy_pct"] == pytest.approx(50) and row["yoy_gaps"] == 1


def test_year_on_year_names_the_months_each_year_has():
    # 2017 lacks March, 2018 lacks April: 同比 is over January, February and May; this year's sum over all four.
    monthly = flow_rows({"2017-01": 10, "2017-02": 10, "2017-04": 10, "2017-05": 10,
                         "2018-01": 15, "2018-02": 15, "2018-03": 15, "2018-05": 15})
    row = progress_of("output", "2018-05", monthly)
    assert row["ytd_months"] == (1, 2, 3, 5) and row["yoy_months"] == (1, 2, 5)
    assert row["ytd"] == 60 and row["last_year_ytd"] == 30 and row["yoy_pct"] == pytest.approx(50)
    stock = progress_of("firms", "2018-05", [("2017-05", None, "firms", 4), ("2018-05", None, "firms", 5)])
    assert stock["ytd_months"] == () and stock["yoy_months"] == ()  # a level: the same month's level, no months


def test_year_on_year_stops_where_this_year_stops():
    # This year is reported through September only: last year's October is not part of 同比.
    monthly = flow_rows({f"2017-{k:02d}": 10 for k in range(1, 13)}) + flow_rows(
        {f"2018-{k:02d}": 20 for k in range(1, 10)}) + flow_rows({"2018-10": 0}, "accidents")
    row = progress_of("output", "2018-10", monthly)
    assert row["last_year_ytd"] == 90 and row["yoy_pct"] == pytest.approx(100) and row["yoy_gaps"] == 0


def test_village_level_flow_township_figure_is_the_sum_over_villages():
    monthly = [("2018-01", "甲村", "output", 3), ("2018-01", "乙村", "output", 4.5),
               ("2018-02", "甲村", "output", 1), ("2018-02", "丙社区", "output", 2)]
    row = progress_of("output", "2018-02", monthly, [(2018, "output", 100)])
    assert row["ytd"] == 10.5
    assert row["this_month"] == 3 and row["prev_month"] == 7.5


def test_township_row_is_the_township_figure_where_there_is_one():
    monthly = [("2018-01", None, "output", 10), ("2018-01", "甲村", "output", 3), ("2018-02", "甲村", "output", 4)]
    row = progress_of("output", "2018-02", monthly)
    assert row["prev_month"] == 10 and row["this_month"] == 4 and row["ytd"] == 14


def test_sums_of_one_decimal_figures_are_not_left_with_float_noise():
    monthly = flow_rows({"2018-01": 0.1, "2018-02": 0.2})
    row = progress_of("output", "2018-02", monthly, [(2018, "output", 0.3)])
    assert row["ytd"] == 0.3
    assert bool(row["target_reached"])
    assert math.isnan(row["pace_needed"])


# --- stocks ----------------------------------------------------------------------------------------------

def test_stock_carries_its_level_forward_and_starts_from_previous_december():
    monthly = [("2017-12", None, "firms", 4), ("2018-03", None, "firms", 6)]
    row = progress_of("firms", "2018-05", monthly, [(2018, "firms", 8)])
    assert row["ytd"] == 6  # level carried from March into May
    assert row["this_month"] == 6 and row["prev_month"] == 6 and row["mom_change"] == 0
    assert row["completion_pct"] == pytest.approx(50)  # (6 - 4) / (8 - 4)
    assert row["status"] == AHEAD  # 50 % against 41.7 %
    assert row["remaining"] == 2
    assert row["pace_needed"] == pytest.approx(2 / 7)


def test_stock_start_is_the_first_level_of_the_year_without_a_previous_december():
    monthly = [("2018-02", None, "firms", 10), ("2018-04", None, "firms", 13)]
    row = progress_of("firms", "2018-06", monthly, [(2018, "firms", 16)])
    assert row["ytd"] == 13
    assert row["completion_pct"] == pytest.approx(50)  # (13 - 10) / (16 - 10)
    assert row["status"] == ON_PACE  # 50 % against 50 %


def test_stock_start_carries_an_earlier_level_of_last_year_into_december():
    monthly = [("2017-06", None, "firms", 4), ("2018-02", None, "firms", 10), ("2018-04", None, "firms", 6)]
    row = progress_of("firms", "2018-06", monthly, [(2018, "firms", 8)])
    assert row["completion_pct"] == pytest.approx(50)  # start 4 (June 2017 carried to December), not 10


def test_stock_whose_target_asks_no_change_completes_level_over_target():
    held = [("2017-12", None, "firms", 5), ("2018-08", None, "firms", 5)]
    row = progress_of("firms", "2018-08", held, [(2018, "firms", 5)])
    assert row["completion_pct"] == pytest.approx(100)
    assert bool(row["target_reached"]) and math.isnan(row["pace_needed"])
    dropped = [("2017-12", None, "firms", 5), ("2018-08", None, "firms", 4)]
    row = progress_of("firms", "2018-08", dropped, [(2018, "firms", 5)])
    assert row["completion_pct"] == pytest.approx(80)
    assert not row["target_reached"]
    assert row["pace_needed"] == pytest.approx(1 / 4)


def test_village_level_stock_sums_each_villages_carried_level():
    monthly = [("2018-01", "甲村", "firms", 3), ("2018-02", "乙村", "firms", 4)]
    assert progress_of("firms", "2018-02", monthly)["ytd"] == 7
    assert progress_of("firms", "2018-04", monthly)["ytd"] == 7
    assert progress_of("firms", "2018-02", monthly)["prev_month"] == 3


def test_stock_with_no_level_yet_has_no_status():
    monthly = [("2018-05", None, "firms", 3), ("2018-05", None, "output", 1)]
    row = progress_of("firms", "2018-03", monthly, [(2018, "firms", 5)])
    assert math.isnan(row["ytd"]) and row["status"] is None and not row["target_reached"]


# --- better = lower --------------------------------------------------------------------------------------

def test_lower_indicator_below_its_ceiling_pace_is_ahead_not_behind():
    monthly = flow_rows({"2018-05": 1, "2018-08": 0}, "accidents")
    row = progress_of("accidents", "2018-08", monthly, [(2018, "accidents", 2)])
    assert row["ytd"] == 1 and math.isnan(row["completion_pct"])  # a ceiling has no 完成率
    assert math.isnan(row["diff_pp"]) and row["allowed"] == pytest.approx(2 * 8 / 12)
    assert row["status"] == WITHIN  # never 超序时
    assert math.isnan(row["pace_needed"]) and not row["target_reached"]


def test_lower_indicator_above_its_ceiling_pace_is_behind():
    monthly = flow_rows({"2018-03": 1, "2018-05": 1}, "accidents")
    row = progress_of("accidents", "2018-06", monthly, [(2018, "accidents", 2)])
    assert row["status"] == OVER_PACE  # 2 used of the 1 allowed by June
    three = flow_rows({"2018-03": 1, "2018-05": 1, "2018-06": 1}, "accidents")
    assert progress_of("accidents", "2018-06", three, [(2018, "accidents", 2)])["status"] == OVER_YEAR


def test_lower_indicator_with_a_zero_ceiling():
    none = flow_rows({"2018-08": 0}, "accidents")
    assert progress_of("accidents", "2018-08", none, [(2018, "accidents", 0)])["status"] == WITHIN
    one = flow_rows({"2018-08": 1}, "accidents")
    assert progress_of("accidents", "2018-08", one, [(2018, "accidents", 0)])["status"] == OVER_YEAR


def test_lower_ceiling_is_kept_only_when_the_year_is_over():
    monthly = flow_rows({"2018-05": 1, "2018-12": 0}, "accidents")
    assert not progress_of("accidents", "2018-11", monthly, [(2018, "accidents", 2)])["target_reached"]
    assert progress_of("accidents", "2018-12", monthly, [(2018, "accidents", 2)])["target_reached"]


# --- status tolerance ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ytd", "status"), [(813, AHEAD), (812, ON_PACE), (800, ON_PACE), (788, ON_PACE),
                                             (787, BEHIND)])
def test_within_one_percentage_point_of_time_progress_is_on_pace(ytd, status):
    # Target 1200 in August: time progress 66.67 %; 812 is 67.67 % (+1.0 pp), 788 is 65.67 % (−1.0 pp).
    row = progress_of("output", "2018-08", flow_rows({"2018-08": ytd}), [(2018, "output", 1200)])
    assert row["status"] == status


def test_tolerance_is_a_setting():
    row = progress_of("output", "2018-08", flow_rows({"2018-08": 812}), [(2018, "output", 1200)],
                      settings=Settings(on_pace_tolerance_pp=0.5))
    assert row["status"] == AHEAD


def test_lower_indicator_within_tolerance_is_on_pace():
    # Ceiling 300 in June: the pace is 150; 152 is 50.67 % of the ceiling (+0.67 pp).
    row = progress_of("accidents", "2018-06", flow_rows({"2018-06": 152}, "accidents"), [(2018, "accidents", 300)])
    assert row["status"] == WITHIN


# --- trends ----------------------------------------------------------------------------------------------

def test_month_on_month_and_year_on_year():
    monthly = flow_rows({"2017-01": 20, "2017-07": 50, "2017-08": 30, "2017-10": 500,
                         "2018-01": 25, "2018-07": 40, "2018-08": 60})
    row = progress_of("output", "2018-08", monthly)
    assert row["this_month"] == 60 and row["prev_month"] == 40
    assert row["mom_change"] == 20 and row["mom_pct"] == pytest.approx(50)
    assert row["ytd"] == 125
    assert row["last_year_ytd"] == 100  # January..August 2017; October is not part of it
    assert row["yoy_pct"] == pytest.approx(25)


def test_no_year_on_year_without_last_years_data():
    row = progress_of("output", "2018-08", flow_rows({"2018-01": 25, "2018-08": 60}))
    assert math.isnan(row["last_year_ytd"]) and math.isnan(row["yoy_pct"])


def test_previous_month_before_any_data_is_missing_not_zero():
    row = progress_of("output", "2018-01", flow_rows({"2018-01": 25}))
    assert math.isnan(row["prev_month"]) and math.isnan(row["mom_change"])


def test_stock_year_on_year_compares_levels():
    monthly = [("2017-08", None, "firms", 8), ("2018-08", None, "firms", 10)]
    row = progress_of("firms", "2018-08", monthly)
    assert row["last_year_ytd"] == 8 and row["yoy_pct"] == pytest.approx(25)


# --- what is left ----------------------------------------------------------------------------------------

def test_pace_needed_spreads_the_rest_over_the_months_left():
    row = progress_of("output", "2018-08", flow_rows({"2018-03": 500, "2018-08": 300}), [(2018, "output", 1200)])
    assert row["remaining"] == 400 and row["months_left"] == 4
    assert row["pace_needed"] == pytest.approx(100)
    assert not row["target_reached"]


def test_no_pace_needed_once_reached_or_in_december():
    reached = progress_of("output", "2018-08", flow_rows({"2018-08": 1300}), [(2018, "output", 1200)])
    assert reached["target_reached"] and math.isnan(reached["pace_needed"])
    assert reached["remaining"] == -100
    december = progress_of("output", "2018-12", flow_rows({"2018-12": 100}), [(2018, "output", 1200)])
    assert december["months_left"] == 0 and math.isnan(december["pace_needed"])


def test_indicator_without_target_has_no_status_and_is_left_out_of_key_figures():
    monthly = flow_rows({"2018-08": 5}) + flow_rows({"2018-08": 7}, "visits")
    tw = make_township(indicators=[FLOW, STOCK, LOWER, NO_TARGET], monthly=monthly,
                       targets=[(2018, "output", 10), (2017, "visits", 10), (2018, "accidents", 1)])
    frame = indicator_progress(tw, as_month("2018-08")).set_index("indicator")
    assert frame.loc["visits", "status"] is None and math.isnan(frame.loc["visits", "completion_pct"])
    assert math.isnan(frame.loc["visits", "pace_needed"])
    assert list(key_figures(tw, as_month("2018-08"))["indicator"]) == ["output", "accidents"]
    assert list(key_figures(tw, as_month("2018-08"), area="safety")["indicator"]) == ["accidents"]
    assert key_figures(tw, as_month("2018-08"), area="party").empty


# --- monthly series --------------------------------------------------------------------------------------

def test_monthly_series_of_a_flow():
    tw = make_township(monthly=flow_rows({"2018-01": 10, "2018-03": 20, "2018-04": 5}),
                       targets=[(2018, "output", 120)])
    series = monthly_series(tw, "output", 2018)
    assert list(series.columns) == ["month", "value", "cumulative", "target", "target_pace"]
    assert len(series) == 12 and series["month"].iloc[0] == pd.Period("2018-01", freq="M")
    assert series["value"].iloc[:4].tolist()[0] == 10 and math.isnan(series["value"].iloc[1])
    assert series["cumulative"].iloc[:4].tolist() == [10, 10, 30, 35]
    assert series["cumulative"].iloc[4:].isna().all()  # after the last month of the data
    assert series["target"].eq(120).all()
    assert series["target_pace"].tolist() == pytest.approx([10 * m for m in range(1, 13)])


def test_monthly_series_of_a_stock_paces_from_the_start_level():
    monthly = [("2017-12", None, "firms", 4), ("2018-02", None, "firms", 5), ("2018-05", None, "firms", 7)]
    tw = make_township(monthly=monthly, targets=[(2018, "firms", 16)])
    series = monthly_series(tw, "firms", 2018)
    assert series["cumulative"].iloc[:5].tolist() == [4, 5, 5, 5, 7]
    assert series["value"].iloc[1] == 5 and math.isnan(series["value"].iloc[2])
    assert series["target_pace"].tolist() == pytest.approx([4 + m for m in range(1, 13)])


def test_monthly_series_without_target():
    tw = make_township(monthly=flow_rows({"2018-01": 10}))
    series = monthly_series(tw, "output", 2018)
    assert series["target"].isna().all() and series["target_pace"].isna().all()
    with pytest.raises(ValueError, match="未知指标"):
        monthly_series(tw, "nonexistent", 2018)


# --- the sample township ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def august(sample) -> pd.DataFrame:
    return indicator_progress(sample, as_month("2018-08")).set_index("indicator")


def test_sample_lagging_indicators(august):
    assert august.loc["collective_income", "status"] == BEHIND
    assert august.loc["party_members_developed", "status"] == BEHIND


def test_sample_pepper_is_ahead(august):
    pepper = august.loc["pepper_planting_mu"]
    assert (pepper["ytd"], pepper["target"], pepper["status"]) == (2680, 3300, AHEAD)


def test_sample_retail_sales_on_pace(august):
    assert august.loc["retail_sales", "status"] == ON_PACE


def test_sample_safety_accidents_under_ceiling_is_not_lagging(august):
    accidents = august.loc["safety_accidents"]
    assert (accidents["better"], accidents["ytd"], accidents["target"]) == ("lower", 1, 2)
    assert accidents["status"] != BEHIND


def test_sample_village_level_and_stock_figures(august):
    assert august.loc["adobe_demolished", "ytd"] == 573
    assert august.loc["integrity_supervisors", "ytd"] == 31


def test_sample_investment_has_a_year_on_year_figure(august):
    import csv

    from helpers.config import DATA_DIR

    with (DATA_DIR / "sample" / "monthly.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["indicator"] == "fixed_asset_investment" and not r["village"]]
    def ytd(year):
        return sum(float(r["value"]) for r in rows if f"{year}-01" <= r["month"] <= f"{year}-08")
    fixed = august.loc["fixed_asset_investment"]
    assert fixed["last_year_ytd"] == pytest.approx(ytd(2017))
    assert fixed["ytd"] == pytest.approx(ytd(2018))
    assert fixed["yoy_pct"] == pytest.approx((ytd(2018) - ytd(2017)) / ytd(2017) * 100, abs=0.05)
    assert math.isnan(august.loc["collective_income", "yoy_pct"])  # no 2017 data


def test_sample_monthly_series_ends_at_the_ytd(sample, august):
    for indicator in ("pepper_planting_mu", "adobe_demolished", "retail_shops"):
        series = monthly_series(sample, indicator, 2018)
        assert series["cumulative"].iloc[7] == pytest.approx(august.loc[indicator, "ytd"])



# --- rates and targets at or below the start level ------------------------------------------------------

def test_rate_is_compared_with_its_target_directly():
    monthly = [("2018-01", None, "hotline", 90), ("2018-02", None, "hotline", 95.5), ("2017-12", None, "hotline", 99)]
    row = progress_of("hotline", "2018-02", monthly, [(2018, "hotline", 98)],
                      indicators=(FLOW, STOCK, LOWER, RATE))
    assert row["ytd"] == 95.5  # a level, never a sum
    assert math.isnan(row["completion_pct"]) and math.isnan(row["time_pct"]) and math.isnan(row["diff_pp"])
    assert row["status"] == NOT_MET and row["remaining"] == pytest.approx(2.5)  # 2.5 个百分点
    assert math.isnan(row["pace_needed"]) and math.isnan(row["mom_pct"]) and row["mom_change"] == 5.5
    met = progress_of("hotline", "2018-02", monthly, [(2018, "hotline", 95)], indicators=(FLOW, STOCK, LOWER, RATE))
    assert met["status"] == MET and met["target_reached"]


def test_stock_target_at_or_below_the_start_level_is_met():
    # 12 firms last December, target 10: the target asks for no growth and is met, not "-166.7%, 滞后".
    monthly = [("2017-12", None, "firms", 12), ("2018-08", None, "firms", 11)]
    row = progress_of("firms", "2018-08", monthly, [(2018, "firms", 10)])
    assert row["target_reached"] and row["completion_pct"] == pytest.approx(110)
    # a level to keep is compared with the target directly, like a rate: no 序时, so never 超序时 or 滞后
    assert row["status"] == MET and math.isnan(row["time_pct"]) and math.isnan(row["diff_pp"])
    assert math.isnan(row["pace_needed"])
    below = progress_of("firms", "2018-08", [("2017-12", None, "firms", 12), ("2018-08", None, "firms", 9)],
                        [(2018, "firms", 10)])
    assert not below["target_reached"] and below["status"] == NOT_MET
    assert math.isnan(below["diff_pp"])  # 90% of the target was "高于序时进度23.3个百分点" while 滞后
