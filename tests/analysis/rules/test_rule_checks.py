"""rule_checks and run_rule: every rule of a profile in its order, on the sample."""

from __future__ import annotations

from helpers.analysis.rules import rule_checks
from helpers.data.periods import as_month


def test_rule_checks_returns_every_rule_in_report_order(sample):
    results = rule_checks(sample, as_month("2018-08"))
    assert [r.id for r in results] == ["visits", "party_quarterly", "double_half", "adobe_notice",
                                       "zero_petition", "daily_refuse"]
    assert [r.area for r in results] == ["party", "party", "economy", "livelihood", "safety", "safety"]


def test_sample_breaches_are_the_planted_visits_only(sample):
    results = {r.id: r for r in rule_checks(sample, as_month("2018-08"))}
    visits = results.pop("visits")
    assert not visits.passed
    assert [(r.village, str(r.month), r.value) for r in visits.breaches.itertuples()] == [
        ("新街社区", "2018-03", 5), ("山花村", "2018-05", 6), ("石桥村", "2018-08", 7)]
    for result in results.values():
        assert result.applicable and result.passed, result.id
    assert results["daily_refuse"].checked["station"].nunique() == 4
    assert results["party_quarterly"].checked["ended"].tolist() == [True, True, False]


def test_sample_double_half_is_not_judged_before_june(sample):
    results = {r.id: r for r in rule_checks(sample, as_month("2018-05"))}
    assert not results["double_half"].applicable
    assert results["visits"].breaches["village"].tolist() == ["新街社区", "山花村"]
