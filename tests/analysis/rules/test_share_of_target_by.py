"""share_of_target_by: a quarter's share in a profile of its own, and the bundled profile's 6月底“双过半”."""

from __future__ import annotations

import pytest
from builders import default_rule, make_township, only_rule

double_half_rule = default_rule("double_half")


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


def test_share_of_target_by_names_its_ytd_column_by_its_month():
    result = only_rule(SHARE_RULE, monthly=[("2018-03", None, "output", 10)], targets=[(2018, "output", 120)])
    assert result.headers["ytd"] == "3月底完成" and result.headers["completion_pct"] == "完成率"


# 双过半 -------------------------------------------------------------------------------------------

ECONOMY = [("fixed_asset_investment", "economy", "固定资产投资", "万元", "flow", "higher"),
           ("private_investment", "economy", "民间投资", "万元", "flow", "higher"),
           ("retail_sales", "economy", "社会消费品零售总额", "万元", "flow", "higher")]
TARGETS = [(2018, "fixed_asset_investment", 1200), (2018, "private_investment", 600), (2018, "retail_sales", 240)]


def economy_township(private_per_month=50):
    rows = []
    for month in range(1, 9):
        m = f"2018-{month:02d}"
        rows += [(m, None, "fixed_asset_investment", 100), (m, None, "private_investment", private_per_month),
                 (m, "甲村", "retail_sales", 10), (m, "乙村", "retail_sales", 10)]
    return make_township(indicators=ECONOMY, monthly=rows, targets=TARGETS)


def test_double_half_is_not_applicable_before_june():
    result = double_half_rule(economy_township(), "2018-05")
    assert not result.applicable


def test_double_half_passes_at_half_of_every_target_by_june():
    result = double_half_rule(economy_township(), "2018-06")
    assert result.applicable and result.passed
    assert result.checked["ytd"].tolist() == [600, 300, 120]  # retail: two villages summed
    assert result.checked["completion_pct"].tolist() == pytest.approx([50, 50, 50])


def test_double_half_breach_names_the_indicator_and_judges_june_even_later():
    result = double_half_rule(economy_township(private_per_month=45), "2018-08")
    assert not result.passed
    assert result.breaches["indicator"].tolist() == ["private_investment"]
    assert result.breaches["ytd"].tolist() == [270]  # January..June only
    assert "民间投资未过半" in result.summary


def test_double_half_without_the_indicators_is_not_applicable():
    assert not double_half_rule(make_township(), "2018-08").applicable
