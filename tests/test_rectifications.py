"""Rectification orders: state at a month end and counts by category."""

from __future__ import annotations

import pandas as pd
from builders import make_township

from helpers.analysis.rectifications import COLUMNS, rectification_status, rectifications_by_category
from helpers.data.periods import as_month

ORDERS = [
    # id, area, category, name, village, issued, due, closed, result
    ("R1", "safety", "养殖户", "甲村1号", "甲村", "2018-03", "2018-06", "2018-05", "零直排"),
    ("R2", "safety", "养殖户", "甲村2号", "甲村", "2018-03", "2018-06", "2018-09", "零直排"),
    ("R3", "safety", "汽修", "乙村汽修", "乙村", "2018-04", "2018-07", None, None),
    ("R4", "party", "巡察反馈问题", "问题1", "丙社区", "2018-06", "2018-12", None, None),
    ("R5", "safety", "砖厂", "乙村砖厂", "乙村", "2018-10", "2018-12", None, None),
]


def township():
    return make_township(rectifications=ORDERS)


def test_status_lists_orders_issued_by_the_month_with_their_state():
    status = rectification_status(township(), as_month("2018-08")).set_index("item_id")
    assert list(status.reset_index().columns) == COLUMNS
    assert status.index.tolist() == ["R1", "R2", "R3", "R4"]  # R5 is issued in October
    assert status["state"].tolist() == ["已完成", "已逾期", "已逾期", "整改中"]
    assert status["overdue"].tolist() == [False, True, True, False]


def test_an_order_closed_after_the_report_month_counts_as_open():
    r2 = rectification_status(township(), as_month("2018-08")).set_index("item_id").loc["R2"]
    assert pd.isna(r2["closed"]) and pd.isna(r2["result"]) and r2["state"] == "已逾期"
    later = rectification_status(township(), as_month("2018-09")).set_index("item_id").loc["R2"]
    assert later["closed"] == pd.Period("2018-09", freq="M") and later["state"] == "已完成"
    assert later["result"] == "零直排" and not later["overdue"]


def test_an_open_order_is_overdue_only_after_its_due_month():
    by_month = {m: rectification_status(township(), as_month(m)).set_index("item_id").loc["R3", "state"]
                for m in ("2018-06", "2018-07", "2018-08")}
    assert by_month == {"2018-06": "整改中", "2018-07": "整改中", "2018-08": "已逾期"}


def test_by_category_counts_in_first_appearance_order():
    table = rectifications_by_category(township(), as_month("2018-08"))
    assert table.to_dict("records") == [
        {"category": "养殖户", "total": 2, "closed": 1, "open": 1, "overdue": 1},
        {"category": "汽修", "total": 1, "closed": 0, "open": 1, "overdue": 1},
        {"category": "巡察反馈问题", "total": 1, "closed": 0, "open": 1, "overdue": 0},
    ]
    party = rectifications_by_category(township(), as_month("2018-08"), area="party")
    assert party["category"].tolist() == ["巡察反馈问题"]
    assert rectifications_by_category(township(), as_month("2018-08"), area="economy").empty


def test_sample_r052_car_repair_is_the_only_overdue_order(sample):
    status = rectification_status(sample, as_month("2018-08"))
    overdue = status[status["overdue"]]
    assert overdue["item_id"].tolist() == ["R052"]
    r052 = overdue.iloc[0]
    assert (r052["category"], str(r052["due"]), r052["state"]) == ("汽修", "2018-07", "已逾期")
    assert not rectification_status(sample, as_month("2018-07")).set_index("item_id").loc["R052", "overdue"]
    table = rectifications_by_category(sample, as_month("2018-08")).set_index("category")
    assert table.loc["养殖户", "total"] == table.loc["养殖户", "closed"] == 50
    assert table.loc["汽修", ["total", "open", "overdue"]].tolist() == [7, 7, 1]
    assert table.loc["砖厂", "total"] == 2 and table.loc["搅拌站", "total"] == 1
    assert table.loc["非定点屠宰场", "closed"] == 1
