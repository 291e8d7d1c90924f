"""Each rule kind of the registry, stated in a hand-built township's profile: one township keeps it, one breaches it."""

from __future__ import annotations

import pytest
from builders import make_township

from helpers.analysis.rules import RULE_KINDS, rule_checks

AREAS = """\
areas:
  - {id: work, heading: 工作, short: 工作, sections: [prose, rule_results]}
"""
VILLAGES3 = ("甲村", "乙村", "丙社区")


def with_rule(rule: str) -> str:
    """A report.yaml of one area and the one rule ``rule`` (the YAML lines of its entry)."""
    return AREAS + "rules:\n  - " + rule.strip().replace("\n", "\n    ") + "\n"


def only_rule(rule: str, month: str = "2018-03", **tables):
    """The result at ``month`` of the single rule of a township whose profile states just ``rule``."""
    [result] = rule_checks(make_township(report=with_rule(rule), **tables), month)
    return result


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


MEETING_RULE = """
kind: events_each_period
name: 每月召开一次例会
area: work
period: month
types: [会议]
title_contains: 例会
"""


def test_events_each_period_by_month():
    meetings = [(f"2018-0{m}-05", "work", "会议", "联合党委例会", None) for m in (1, 2, 3)]
    kept = only_rule(MEETING_RULE, events=meetings)
    assert kept.passed and kept.summary == "2018年1月、2月、3月均开展了会议"
    other_title = [(d, a, t, "专题会议" if d.startswith("2018-02") else title, q) for d, a, t, title, q in meetings]
    breached = only_rule(MEETING_RULE, events=other_title)
    assert not breached.passed
    assert breached.breaches["month"].astype(str).tolist() == ["2018-02"]
    assert "2月未开展会议" in breached.summary


SHARE_RULE = """
kind: share_of_target_by
name: 产值一季度完成四分之一
area: work
month: 3
share: 25
indicators: [output]
"""


def test_share_of_target_by():
    targets = [(2018, "output", 120)]
    kept = only_rule(SHARE_RULE, monthly=[(f"2018-0{m}", None, "output", 10) for m in (1, 2, 3)], targets=targets)
    assert kept.passed and kept.summary == "截至2018年3月底，产值25.0%，均达到年度目标的25%"
    breached = only_rule(SHARE_RULE, monthly=[(f"2018-0{m}", None, "output", 9) for m in (1, 2, 3)],
                         targets=targets)
    assert not breached.passed and breached.breaches["indicator"].tolist() == ["output"]
    assert breached.summary.endswith("产值未达到年度目标的25%")


CEILING_RULE = """
kind: petition_level_ceiling
name: 信访矛盾不出区
area: work
levels: [市, 省, 京]
"""


def test_petition_level_ceiling_with_levels_of_a_street():
    cases = [("X1", "2018-01", "甲村", "街道", "已化解", "物业"), ("X2", "2018-02", None, "区", "化解中", "噪声")]
    kept = only_rule(CEILING_RULE, petitions=cases)
    assert kept.passed
    assert kept.summary == "2018年1—3月共有信访案件2件，无到市、到省、进京上访，实现“零到市”“零到省”“零进京”"
    breached = only_rule(CEILING_RULE, petitions=[*cases, ("X3", "2018-03", None, "市", "化解中", "房屋")])
    assert not breached.passed and breached.breaches["case_id"].tolist() == ["X3"]
    assert breached.summary == "2018年1—3月出现到市1件：全镇3月（X3）"  # no village: the township as a whole


REFUSE_RULE = """
kind: daily_events
name: 收集点每日一清运
area: work
type: 清运
sites_label: 垃圾分类收集点
"""


def test_daily_events():
    days = [f"2018-03-{d:02d}" for d in range(1, 32)]
    runs = [(d, "work", "清运", site, None) for d in days for site in ("一号点", "二号点")]
    kept = only_rule(REFUSE_RULE, events=runs)
    assert kept.passed and kept.summary == "2018年3月1日至2018年3月31日，2个垃圾分类收集点每日均有清运"
    breached = only_rule(REFUSE_RULE, events=[r for r in runs if (r[0], r[3]) != ("2018-03-09", "二号点")])
    assert not breached.passed
    assert breached.summary.endswith("有1站次未按日清运：二号点（2018年3月9日）")


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


@pytest.mark.parametrize("kind", sorted(RULE_KINDS))
def test_every_registered_kind_has_a_test_here(kind):
    source = open(__file__, encoding="utf-8").read()
    assert f"def test_{kind}" in source, f"规则种类 {kind} 没有自己的测试"
