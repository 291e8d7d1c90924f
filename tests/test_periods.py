"""Month helpers: report months, time progress, year-to-date spans."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data.periods import as_month, month_label, months_left, months_of_year_until, time_progress_pct


def test_as_month_accepts_text_and_periods_of_any_frequency():
    assert as_month("2018-08") == pd.Period("2018-08", freq="M")
    assert as_month(pd.Period("2018-08", freq="M")) == pd.Period("2018-08", freq="M")
    assert as_month(pd.Period("2018-08-15", freq="D")) == pd.Period("2018-08", freq="M")


@pytest.mark.parametrize("text", ["", "2018-13", "2018年8月", "NaT"])
def test_as_month_refuses_what_is_not_a_month_in_chinese(text):
    with pytest.raises(ValueError, match="月份格式应为 YYYY-MM"):
        as_month(text)


def test_time_progress_for_august_is_two_thirds():
    assert round(time_progress_pct(as_month("2018-08")), 1) == 66.7
    assert time_progress_pct(as_month("2018-08")) == pytest.approx(200 / 3)
    assert time_progress_pct(as_month("2018-12")) == 100
    assert time_progress_pct(pd.Period("2018-01", freq="M")) == pytest.approx(100 / 12)


def test_months_of_year_until_runs_from_january():
    months = months_of_year_until(as_month("2018-03"))
    assert [str(m) for m in months] == ["2018-01", "2018-02", "2018-03"]
    assert [str(m) for m in months_of_year_until(as_month("2019-01"))] == ["2019-01"]


def test_months_left_and_label():
    assert months_left(as_month("2018-08")) == 4
    assert months_left(as_month("2018-12")) == 0
    assert month_label(as_month("2018-08")) == "2018年8月"
