"""Events: year-to-date counts by area and type, quantities by month, and filtered sums."""

from __future__ import annotations

import pandas as pd
from builders import make_township

from helpers.analysis.events import count_events, event_counts, events_by_month
from helpers.data.periods import as_month

EVENTS = [
    ("2017-12-20", "safety", "培训", "去年的培训", None),
    ("2018-01-10", "safety", "培训", "安全培训", None),
    ("2018-01-10", "safety", "宣传", "发放宣传资料", 3000),
    ("2018-02-05", "safety", "检查", "安全生产大检查", None),
    ("2018-02-18", "safety", "检查", "日常检查", None),
    ("2018-03-01", "safety", "宣传", "发放宣传资料", 2000),
    ("2018-03-02", "party", "立案", "立案查处", 2),
    ("2018-04-01", "safety", "培训", "以后的培训", None),
]


def township():
    return make_township(events=EVENTS)


def test_event_counts_are_year_to_date_rows_and_quantities():
    counts = event_counts(township(), as_month("2018-03"))
    assert counts.to_dict("records") == [
        {"area": "party", "type": "立案", "count": 1, "quantity": 2},
        {"area": "safety", "type": "培训", "count": 1, "quantity": 1},
        {"area": "safety", "type": "检查", "count": 2, "quantity": 2},
        {"area": "safety", "type": "宣传", "count": 2, "quantity": 5000},
    ]
    assert event_counts(township(), as_month("2018-03"), area="party")["type"].tolist() == ["立案"]


def test_events_by_month_has_every_month_and_the_types_that_occur_in_contract_order():
    table = events_by_month(township(), as_month("2018-03"), area="safety")
    assert table["month"].tolist() == list(pd.period_range("2018-01", "2018-03", freq="M"))
    assert list(table.columns) == ["month", "培训", "检查", "宣传"]
    assert table["宣传"].tolist() == [3000, 0, 2000]
    assert table["检查"].tolist() == [0, 2, 0]


def test_count_events_filters_by_area_type_title_and_month():
    tw = township()
    assert count_events(tw, as_month("2018-03"), "safety", "宣传") == 5000
    assert count_events(tw, as_month("2018-03"), "safety", "宣传", ytd=False) == 2000
    assert count_events(tw, as_month("2018-03"), "safety", "检查") == 2
    assert count_events(tw, as_month("2018-03"), "safety", "检查", title_contains="大检查") == 1
    assert count_events(tw, as_month("2018-03"), "safety", "培训") == 1  # neither last year's nor April's
    assert count_events(tw, as_month("2018-04"), "safety", "培训") == 2
    assert count_events(tw, as_month("2018-03"), "party", "培训") == 0
    assert count_events(tw, as_month("2018-03"), None, None) == 5000 + 2 + 2 + 1


def test_sample_events_give_the_reference_report_figures(sample):
    def n(area, type_, title=None):
        return count_events(sample, as_month("2018-08"), area, type_, title_contains=title)

    assert n("safety", "培训") == 6
    assert n("safety", "宣传") == 20000
    assert n("safety", "演练") == 2
    assert n("safety", "检查", "大检查") == 7
    assert n("safety", "抽查") == 20
    assert n("safety", "会议", "党委会") == 5
    assert n("safety", "会议", "专题会议") == 10
    assert n("safety", "会议", "镇村干部大会") == 4
    assert n("livelihood", "检查", "全覆盖检查") == 5
    assert n("party", "立案") == 5
    counts = event_counts(sample, as_month("2018-08")).set_index(["area", "type"])
    assert counts.loc[("party", "立案"), "count"] == 4 and counts.loc[("party", "立案"), "quantity"] == 5
