"""Petitions: year-to-date counts by level and status, by village, by month."""

from __future__ import annotations

import pandas as pd
from builders import make_township

from helpers.analysis.petitions import petition_counts, petitions_by_month, petitions_by_village
from helpers.data.periods import as_month

CASES = [
    ("X1", "2017-12", "甲村", "省", "已化解", "旧案"),
    ("X2", "2018-01", "乙村", "县", "已化解", "征地"),
    ("X3", "2018-01", "乙村", "镇", "化解中", "纠纷"),
    ("X4", "2018-03", "甲村", "县", "化解中", "欠款"),
    ("X5", "2018-03", "丙社区", "县", "已化解", "低保"),
    ("X6", "2018-04", "甲村", "京", "化解中", "拆迁"),
]


def township():
    return make_township(petitions=CASES)


def test_counts_per_level_in_contract_order_with_zeros_and_only_this_year():
    counts = petition_counts(township(), as_month("2018-03"))
    assert counts["level"].tolist() == ["镇", "县", "市", "省", "京"]
    assert counts["cases"].tolist() == [1, 3, 0, 0, 0]  # X1 is last year's, X6 comes later
    assert counts["resolved"].tolist() == [0, 2, 0, 0, 0]
    assert counts["pending"].tolist() == [1, 1, 0, 0, 0]


def test_by_village_most_cases_first_and_only_villages_with_cases():
    table = petitions_by_village(township(), as_month("2018-04"))
    assert table.to_dict("records") == [
        {"village": "甲村", "cases": 2, "resolved": 0, "pending": 2},
        {"village": "乙村", "cases": 2, "resolved": 1, "pending": 1},
        {"village": "丙社区", "cases": 1, "resolved": 1, "pending": 0},
    ]


def test_by_month_has_every_month_of_the_year_so_far():
    table = petitions_by_month(township(), as_month("2018-04"))
    assert table["month"].tolist() == list(pd.period_range("2018-01", "2018-04", freq="M"))
    assert list(table.columns) == ["month", "镇", "县", "市", "省", "京"]
    assert table["县"].tolist() == [1, 0, 2, 0]
    assert table["京"].tolist() == [0, 0, 0, 1]
    assert table.drop(columns="month").to_numpy().sum() == 5


def test_no_cases_gives_zero_tables():
    tw = make_township()
    assert petition_counts(tw, as_month("2018-02"))["cases"].sum() == 0
    assert petitions_by_village(tw, as_month("2018-02")).empty
    assert len(petitions_by_month(tw, as_month("2018-02"))) == 2


def test_sample_petitions_stay_below_the_province(sample):
    counts = petition_counts(sample, as_month("2018-08")).set_index("level")
    assert counts["cases"].sum() == len(sample.petitions) == 26
    assert counts.loc[["省", "京"], "cases"].sum() == 0
    assert petitions_by_village(sample, as_month("2018-08"))["cases"].sum() == 26
