"""The forecast from the pace: year-end figure at the average of the last three months, checked from the rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from builders import make_township
from sample_raw import MINI, SAMPLE

from helpers.analysis.forecast import AT_RISK, REACHED, indicator_forecast, progress_with_forecast
from helpers.data.periods import as_month

OUTPUT = ("output", "economy", "产值", "万元", "flow", "higher")
ACCIDENTS = ("accidents", "safety", "安全事故", "起", "flow", "lower")
FIRMS = ("firms", "economy", "企业", "家", "stock", "higher")


def row(frame, indicator):
    return frame[frame["indicator"] == indicator].iloc[0]


def test_sample_pepper_forecast_from_the_rows(sample):
    months = SAMPLE.monthly("pepper_planting_mu", "2018-08")  # month -> township total of the village rows
    recent = [months["2018-06"], months["2018-07"], months["2018-08"]]
    pace = sum(recent) / 3
    ytd = sum(months.values())
    target = SAMPLE.target("pepper_planting_mu")
    end = ytd + pace * 4
    f = row(progress_with_forecast(sample, as_month("2018-08")), "pepper_planting_mu")
    assert f["recent_pace"] == pytest.approx(pace)
    assert round(pace, 1) == 86.7  # the figure, as the rows give it
    assert f["pace_needed"] == pytest.approx((target - ytd) / 4)
    assert round(f["pace_needed"]) == 155
    assert f["forecast_ytd"] == pytest.approx(end)
    assert f["forecast_pct"] == pytest.approx(end / target * 100)
    assert round(f["forecast_pct"], 1) == 91.7
    assert f["forecast_reaches"] is False and f["forecast"] == AT_RISK


def test_mini_unreported_month_gives_no_forecast():
    from helpers.data.township import load_township
    tw = load_township(MINI.folder.parent, "mini")
    f = progress_with_forecast(tw, as_month("2020-04"))
    assert "2020-04" not in MINI.monthly("party_members_developed", "2020-04")  # 未报 in April
    members = row(f, "party_members_developed")
    assert math.isnan(members["forecast_ytd"]) and pd.isna(members["forecast"])
    months = MINI.monthly("fixed_asset_investment", "2020-04")
    pace = (months["2020-02"] + months["2020-03"] + months["2020-04"]) / 3
    end = sum(months.values()) + pace * 8
    fixed = row(f, "fixed_asset_investment")
    assert fixed["forecast_pct"] == pytest.approx(end / MINI.target("fixed_asset_investment", 2020) * 100)
    assert fixed["forecast"] == (REACHED if end >= MINI.target("fixed_asset_investment", 2020) else AT_RISK)


@pytest.mark.parametrize("amounts", [(10, 10, 10, 10, 10, 10), (10, 10, 10, 20, 20, 20)])
def test_flow_forecast_each_way(amounts):
    target = 160
    rows = [(f"2018-{k + 1:02d}", None, "output", v) for k, v in enumerate(amounts)]
    tw = make_township(indicators=[OUTPUT], monthly=rows, targets=[(2018, "output", target)])
    f = row(indicator_forecast(tw, as_month("2018-06")), "output")
    end = sum(amounts) + sum(amounts[-3:]) / 3 * 6
    assert f["forecast_ytd"] == pytest.approx(end)
    assert f["forecast_pct"] == pytest.approx(end / target * 100)
    assert f["forecast_reaches"] is (end >= target)


def test_a_missing_month_among_the_last_three_gives_no_pace():
    rows = [("2018-01", None, "output", 10), ("2018-02", None, "output", 10), ("2018-04", None, "output", 10)]
    tw = make_township(indicators=[OUTPUT], monthly=rows, targets=[(2018, "output", 100)])
    f = row(indicator_forecast(tw, as_month("2018-04")), "output")
    assert math.isnan(f["recent_pace"]) and pd.isna(f["forecast"])


def test_ceiling_forecast_is_the_year_end_count_against_the_ceiling():
    rows = [(f"2018-{k:02d}", None, "accidents", 1 if k >= 4 else 0) for k in range(1, 7)]
    tw = make_township(indicators=[ACCIDENTS], monthly=rows, targets=[(2018, "accidents", 5)])
    f = row(indicator_forecast(tw, as_month("2018-06")), "accidents")
    assert f["forecast_ytd"] == pytest.approx(3 + 1 * 6)
    assert f["forecast_reaches"] is False


def test_stock_forecast_is_the_change_per_month():
    rows = [("2017-12", None, "firms", 10), ("2018-03", None, "firms", 11), ("2018-06", None, "firms", 14)]
    tw = make_township(indicators=[FIRMS], monthly=rows, targets=[(2018, "firms", 20)])
    f = row(indicator_forecast(tw, as_month("2018-06")), "firms")
    assert f["recent_pace"] == pytest.approx((14 - 11) / 3)
    end = 14 + (14 - 11) / 3 * 6
    assert f["forecast_ytd"] == pytest.approx(end)
    assert f["forecast_pct"] == pytest.approx((end - 10) / (20 - 10) * 100)
    assert f["forecast"] == REACHED


def start_level(raw, indicator: str, year: int) -> float:
    """A township-level stock's start of year from the rows: December before, else its first level of the year."""
    found = sorted((r["month"], float(r["value"])) for r in raw.rows("monthly")
                   if r["indicator"] == indicator and not r["village"])
    before = [v for m, v in found if m < f"{year}-01"]
    return before[-1] if before else next(v for m, v in found if m.startswith(str(year)))


@pytest.mark.parametrize(("raw", "month"), [(SAMPLE, "2018-07"), (MINI, "2020-04")], ids=["sample", "mini"])
def test_stock_forecast_from_the_rows_uses_the_level_three_months_before(raw, month):
    from helpers.data.township import load_township

    tw = load_township(raw.folder.parent, raw.folder.name)
    period = pd.Period(month, "M")
    now, before = raw.stock_level("retail_shops", month), raw.stock_level("retail_shops", str(period - 3))
    assert before != raw.stock_level("retail_shops", str(period - 2))  # the month chosen tells them apart
    pace = (now - before) / 3
    end = now + pace * (12 - period.month)
    start, target = start_level(raw, "retail_shops", period.year), raw.target("retail_shops", period.year)
    f = row(progress_with_forecast(tw, as_month(month)), "retail_shops")
    assert f["recent_pace"] == pytest.approx(pace)
    assert f["forecast_ytd"] == pytest.approx(end)
    assert f["start"] == start
    assert f["forecast_pct"] == pytest.approx((end - start) / (target - start) * 100)
    assert f["forecast"] == (REACHED if end >= target else AT_RISK)
