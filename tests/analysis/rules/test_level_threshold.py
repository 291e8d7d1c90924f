"""level_threshold: 12345热线办结率 at least 98% every month, a maximum over the villages, no data."""

from __future__ import annotations

from builders import only_rule

RATE = [("closure", "work", "12345热线办结率", "%", "stock", "higher")]
THRESHOLD_RULE = """
kind: level_threshold
name: 12345热线办结率不低于98%
area: work
indicator: closure
minimum: 98
"""


def test_level_threshold_minimum():
    levels = [("2018-01", None, "closure", 98.5), ("2018-02", None, "closure", 99), ("2018-03", None, "closure", 98)]
    kept = only_rule(THRESHOLD_RULE, indicators=RATE, monthly=levels)
    assert kept.passed and kept.summary == "2018年1—3月各月12345热线办结率均不低于98%，3月12345热线办结率98%"
    levels[1] = ("2018-02", None, "closure", 97.2)
    breached = only_rule(THRESHOLD_RULE, indicators=RATE, monthly=levels)
    assert not breached.passed and breached.breaches["month"].astype(str).tolist() == ["2018-02"]
    assert breached.summary == "2018年1—3月有1个月12345热线办结率低于98%：2月97.2%"


def test_level_threshold_maximum_sums_the_villages_without_a_township_row():
    rule = THRESHOLD_RULE.replace("minimum: 98", "maximum: 5").replace("不低于98%", "不超过5%")
    rows = [("2018-03", "甲村", "closure", 2), ("2018-03", "乙村", "closure", 2)]
    assert only_rule(rule, indicators=RATE, monthly=rows).passed
    rows.append(("2018-03", "丙社区", "closure", 2))
    breached = only_rule(rule, indicators=RATE, monthly=rows)
    assert not breached.passed and breached.breaches["value"].tolist() == [6]


def test_a_rule_without_data_is_not_applicable():
    result = only_rule(THRESHOLD_RULE, indicators=[*RATE, ("other", "work", "其他", "个", "flow", "higher")],
                       monthly=[("2018-03", None, "other", 1)])
    assert not result.applicable and result.summary == "2018年1—3月未录入12345热线办结率"
