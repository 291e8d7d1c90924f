"""Poverty: summary figures, by village, and the exit standards still unmet."""

from __future__ import annotations

import math

from builders import DEFAULT_INFO, make_township

from helpers.analysis.poverty import PovertySummary, poverty_by_village, poverty_summary, unmet_exit_standards
from helpers.data.periods import as_month

VILLAGES = [
    ("甲村", "一总支", "村", 1000, "是", 2016),
    ("乙村", "一总支", "村", 1000, "是", 2018),
    ("丙村", "二总支", "村", 1000, "是", None),
    ("丁村", "二总支", "村", 1000, "否", None),
]
OK = ("是", "是", "是", "是")
HOUSEHOLDS = [
    # id, village, members, planned, exited, income, housing, water, medical, schooling
    ("H1", "甲村", 3, 2016, "2016-12", 5000, *OK),
    ("H2", "甲村", 2, 2017, "2017-12", 4000, *OK),
    ("H3", "乙村", 4, 2018, "2018-03", 3800, *OK),
    ("H4", "乙村", 1, 2018, None, 3000, "否", "是", "是", "是"),
    ("H5", "丙村", 5, 2018, None, 4000, *OK),
    ("H6", "甲村", 2, 2018, "2018-10", 4200, "是", "否", "是", "否"),
    ("H7", "丙村", 3, 2019, None, 3100, "否", *OK[1:]),
    ("H8", "乙村", 2, 2018, "2017-12", 4500, *OK),
]


def township(info=None):
    return make_township(villages=VILLAGES, households=HOUSEHOLDS, info=info)


def test_summary_counts_households_and_people_by_exit_timing():
    s = poverty_summary(township(), as_month("2018-08"))
    assert s == PovertySummary(
        poor_villages=3, delisted_before_year=1, to_delist_this_year=1,
        households=8, people=22,
        exited_before_year_households=3, exited_before_year_people=7,  # H1, H2, H8
        planned_this_year_households=4, planned_this_year_people=12,  # H3, H4, H5, H6 (not H8: exited in 2017)
        exited_this_year_households=1, exited_this_year_people=4,  # H3; H6 exits after August
        remaining_households=4, remaining_people=11,  # H4, H5, H6, H7
    )


def test_an_exit_later_in_the_year_counts_from_its_month_on():
    assert poverty_summary(township(), as_month("2018-02")).exited_this_year_households == 0
    assert poverty_summary(township(), as_month("2018-10")).exited_this_year_people == 4 + 2


def test_delisting_is_counted_from_its_year_on():
    s = poverty_summary(township(), as_month("2016-12"))
    assert (s.delisted_before_year, s.to_delist_this_year) == (0, 1)
    assert poverty_summary(township(), as_month("2019-01")).delisted_before_year == 2


def test_by_village_lists_every_village_with_zeros():
    table = poverty_by_village(township(), as_month("2018-08")).set_index("village")
    assert list(table.index) == ["甲村", "乙村", "丙村", "丁村"]
    assert table.loc["甲村"].tolist()[2:] == [3, 7, 2, 5, 1, 2]
    assert table.loc["乙村", "exited_households"] == 2 and table.loc["乙村", "planned_this_year_people"] == 5
    assert table.loc["丁村", ["households", "people"]].tolist() == [0, 0]
    assert table.loc["丙村", "poor_village"] and table.loc["甲村", "delisted_year"] == 2016


def test_unmet_standards_lists_this_years_households_not_yet_exited_by_village():
    unmet = unmet_exit_standards(township(), as_month("2018-08"))
    assert unmet["household_id"].tolist() == ["H6", "H4"]  # 甲村 before 乙村; H5 meets all; H7 is next year's
    h6, h4 = unmet.iloc[0], unmet.iloc[1]
    assert h6["unmet"] == "饮水安全、义务教育保障"
    assert h4["unmet"] == "人均纯收入、住房安全"
    assert not h4["income_ok"] and h6["income_ok"] and h4["poverty_line"] == 3600
    assert unmet_exit_standards(township(), as_month("2018-10"))["household_id"].tolist() == ["H4"]


def test_income_on_the_line_is_not_above_it():
    tw = make_township(villages=VILLAGES, households=[("H1", "甲村", 1, 2018, None, 3600, *OK)])
    assert unmet_exit_standards(tw, as_month("2018-08"))["unmet"].tolist() == ["人均纯收入"]


def test_without_a_poverty_line_for_the_year_income_is_not_checked():
    profile = {k: v for k, v in DEFAULT_INFO.items() if k != "poverty_line_yuan"}
    unmet = unmet_exit_standards(township(profile), as_month("2018-08"))
    assert unmet["household_id"].tolist() == ["H6", "H4"]
    assert unmet.iloc[1]["unmet"] == "住房安全"
    assert unmet["income_ok"].isna().all() and math.isnan(unmet.iloc[0]["poverty_line"])
    other_year = {**DEFAULT_INFO, "poverty_line_yuan": {"2017": 3300}}
    assert unmet_exit_standards(township(other_year), as_month("2018-08"))["income_ok"].isna().all()


def test_sample_matches_the_reference_report(sample):
    s = poverty_summary(sample, as_month("2018-08"))
    assert (s.poor_villages, s.delisted_before_year, s.to_delist_this_year) == (8, 1, 1)
    assert (s.households, s.people) == (1234, 3635)
    assert (s.exited_before_year_households, s.exited_before_year_people) == (654, 2115)
    assert (s.planned_this_year_households, s.planned_this_year_people) == (109, 288)
    table = poverty_by_village(sample, as_month("2018-08"))
    assert table["households"].sum() == 1234 and table["planned_this_year_people"].sum() == 288


def test_sample_unmet_standards_hold_the_planted_gaps(sample):
    unmet = unmet_exit_standards(sample, as_month("2018-08"))
    missed = {col: int((~unmet[col].astype(bool)).sum())
              for col in ("income_ok", "housing_safe", "water_safe", "medical_insured", "schooling_ok")}
    assert missed == {"income_ok": 5, "housing_safe": 12, "water_safe": 3, "medical_insured": 2, "schooling_ok": 1}
    assert (unmet["income_per_capita"] <= 3600).sum() == 5
