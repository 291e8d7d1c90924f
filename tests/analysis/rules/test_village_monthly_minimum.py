"""village_monthly_minimum: the kind in a profile of its own (巡河), and the bundled profile's 民情恳谈 ≥ 8."""

from __future__ import annotations

import pandas as pd
from builders import default_rule, make_township, only_rule

from helpers.data.report_profile.reading import default_profile

VILLAGES3 = ("甲村", "乙村", "丙社区")


PATROLS = [("patrols", "work", "河长巡河", "次", "flow", "higher")]
PATROL_RULE = """
kind: village_monthly_minimum
name: 每村每月巡河不少于4次
area: work
indicator: patrols
minimum: 4
label: 河长巡河
"""


def test_village_monthly_minimum():
    rows = [(m, v, "patrols", 4) for m in ("2018-01", "2018-02", "2018-03") for v in VILLAGES3]
    kept = only_rule(PATROL_RULE, indicators=PATROLS, monthly=rows)
    assert kept.applicable and kept.passed
    assert kept.summary == "2018年1—3月，3个村（社区）每月河长巡河均不少于4次"
    rows[4] = ("2018-02", "乙村", "patrols", 3)
    breached = only_rule(PATROL_RULE, indicators=PATROLS, monthly=rows)
    assert not breached.passed
    assert breached.breaches[["village", "value"]].values.tolist() == [["乙村", 3]]
    assert breached.summary == "2018年1—3月，有1村次河长巡河少于4次：乙村2月3次"


# 民情恳谈 ------------------------------------------------------------------------------------------

visits_rule = default_rule("visits")
VISITS = [("visits", "party", "民情恳谈", "次", "flow", "higher")]


def visits_township(rows):
    return make_township(indicators=VISITS, monthly=rows)


def all_villages(month, value=8):
    return [(month, v, "visits", value) for v in VILLAGES3]


def test_visits_pass_when_every_village_reaches_the_minimum_every_month():
    tw = visits_township(all_villages("2018-01") + all_villages("2018-02", 12))
    result = visits_rule(tw, "2018-02")
    assert result.applicable and result.passed and result.breaches.empty
    assert result.name == "民情恳谈每村每月不少于8次"
    assert len(result.checked) == 6


def test_visits_below_the_minimum_are_breaches_naming_village_and_month():
    rows = all_villages("2018-01") + [("2018-02", "甲村", "visits", 8), ("2018-02", "乙村", "visits", 7),
                                      ("2018-02", "丙社区", "visits", 9)]
    result = visits_rule(visits_township(rows), "2018-02")
    assert not result.passed
    assert result.breaches.to_dict("records") == [
        {"village": "乙村", "month": pd.Period("2018-02", freq="M"), "value": 7, "required": 8}]
    assert "乙村2月7次" in result.summary


def test_a_village_missing_from_a_month_with_visits_data_counts_zero():
    rows = all_villages("2018-01")[:2]
    result = visits_rule(visits_township(rows), "2018-01")
    assert result.breaches[["village", "value"]].values.tolist() == [["丙社区", 0]]


def test_visits_ignore_other_years_later_months_and_township_rows():
    rows = (all_villages("2018-01") + [("2017-12", "甲村", "visits", 1), ("2018-02", "甲村", "visits", 1),
                                       ("2018-01", None, "visits", 2)])
    assert visits_rule(visits_township(rows), "2018-01").passed


def test_the_minimum_is_a_parameter_of_the_profile():
    from dataclasses import replace

    tw = visits_township(all_villages("2018-01", 9))
    profile = default_profile()
    rules = tuple(replace(r, name="民情恳谈每村每月不少于10次", params={**r.params, "minimum": 10})
                  if r.id == "visits" else r for r in profile.rules)
    tw.report = replace(profile, rules=rules)
    strict = visits_rule(tw, "2018-01")
    assert not strict.passed and len(strict.breaches) == 3 and strict.name == "民情恳谈每村每月不少于10次"


def test_visits_without_data_are_not_applicable():
    result = visits_rule(visits_township([]), "2018-03")
    assert not result.applicable
