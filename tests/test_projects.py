"""Projects: state at a month end, overdue, stalled, near completion."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from builders import make_township

from helpers.analysis.projects import COLUMNS, project_status
from helpers.data.periods import as_month


def township(progress, due="2018-06", investment=200):
    return make_township(
        projects=[("P1", "甲村道路", "livelihood", "村级基础设施", "甲村、乙村", investment, "2018-01", due)],
        project_progress=[("2018-" + m, "P1", stage, pct, spent) for m, stage, pct, spent in progress],
    )


def row(tw, month):
    return project_status(tw, as_month(month)).iloc[0]


def test_columns_and_latest_state_with_spending_share():
    tw = township([("01", "在建", 10, 20), ("02", "在建", 30, 50)])
    status = project_status(tw, as_month("2018-02"))
    assert list(status.columns) == COLUMNS
    r = status.iloc[0]
    assert (r.stage, r.progress_pct, r.spent_wan) == ("在建", 30, 50)
    assert r.spent_pct == pytest.approx(25.0)
    assert r.villages == ["甲村", "乙村"]
    assert r.due == pd.Period("2018-06", freq="M")


def test_later_progress_rows_are_not_seen_from_an_earlier_month():
    tw = township([("01", "在建", 10, 20), ("02", "在建", 30, 50)])
    assert row(tw, "2018-01").progress_pct == 10


def test_due_in_june_and_not_done_is_overdue_in_august_not_in_may_or_june():
    tw = township([("01", "在建", 10, 20), ("03", "在建", 50, 100), ("08", "在建", 80, 150)])
    assert row(tw, "2018-08").overdue
    assert row(tw, "2018-07").overdue
    assert not row(tw, "2018-06").overdue
    assert not row(tw, "2018-05").overdue


def test_a_finished_project_is_never_overdue_nor_stalled():
    tw = township([("04", "在建", 90, 180), ("05", "完工", 100, 200), ("06", "完工", 100, 200),
                   ("07", "完工", 100, 200), ("08", "完工", 100, 200)])
    r = row(tw, "2018-08")
    assert not r.overdue and not r.stalled and r.stalled_months == 0


def test_a_project_that_never_reported_has_no_stage_and_is_overdue_once_past_due():
    tw = township([])
    r = row(tw, "2018-08")
    assert pd.isna(r.stage) and math.isnan(r.progress_pct) and math.isnan(r.spent_pct)
    assert r.overdue and not r.stalled and r.stalled_months == 0
    assert not row(tw, "2018-03").overdue


def test_unchanged_over_three_month_ends_is_stalled_over_two_is_not():
    tw = township([("03", "在建", 10, 0), ("04", "在建", 40, 0), ("05", "在建", 40, 0), ("06", "在建", 40, 0)])
    assert row(tw, "2018-05").stalled_months == 1 and not row(tw, "2018-05").stalled
    assert row(tw, "2018-06").stalled_months == 2 and row(tw, "2018-06").stalled
    assert row(tw, "2018-04").stalled_months == 0


def test_progress_after_a_pause_ends_the_stall():
    tw = township([("03", "在建", 40, 0), ("04", "在建", 40, 0), ("05", "在建", 40, 0), ("06", "在建", 55, 0)])
    assert row(tw, "2018-05").stalled
    assert not row(tw, "2018-06").stalled and row(tw, "2018-06").stalled_months == 0


def test_a_stage_change_at_the_same_percentage_is_progress():
    tw = township([("03", "洽谈", 0, 0), ("04", "洽谈", 0, 0), ("05", "签约", 0, 0)], due=None)
    assert row(tw, "2018-05").stalled_months == 0


def test_months_without_a_row_carry_the_last_state_and_count_as_unchanged():
    tw = township([("03", "在建", 40, 80)])
    r = row(tw, "2018-06")
    assert (r.stage, r.progress_pct, r.spent_wan) == ("在建", 40, 80)
    assert r.stalled_months == 3 and r.stalled


def test_near_completion_needs_building_stage_and_ninety_percent():
    assert row(township([("05", "在建", 90, 0)]), "2018-05").near_completion
    assert not row(township([("05", "在建", 89, 0)]), "2018-05").near_completion
    assert not row(township([("05", "完工", 100, 0)]), "2018-05").near_completion


def test_no_due_month_is_never_overdue_and_no_investment_gives_no_spending_share():
    tw = township([("05", "洽谈", 0, 0)], due=None, investment=None)
    r = row(tw, "2018-12")
    assert not r.overdue and math.isnan(r.spent_pct)


def test_sample_village_road_p06_is_stalled_at_40_and_overdue(sample):
    status = project_status(sample, as_month("2018-08")).set_index("project_id")
    p06 = status.loc["P06"]
    assert p06["name"] == "万福村村道硬化工程"
    assert p06["progress_pct"] == 40 and p06["stalled"] and p06["overdue"]
    assert status.index[status["stalled"]].tolist() == ["P06"]
    assert status.index[status["overdue"]].tolist() == ["P06"]
    assert status.loc["P07", "stage"] == "完工" and not status.loc["P07", "overdue"]
    assert status.index[status["near_completion"]].tolist() == ["P01"]
