"""The rule kinds as registered: each with its contract, check, headers, test and README row; one more is one module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from builders import make_township, with_rule

from helpers.analysis.rules import RuleKind, rule_checks
from helpers.config import ROOT
from helpers.data.periods import as_month
from helpers.data.report_profile.parameters import PARAM_KINDS
from helpers.data.report_profile.registry import RULE_KINDS
from helpers.exceptions import DataValidationError

KINDS = sorted(RULE_KINDS)


def test_the_registry_holds_one_kind_per_module_of_the_package():
    modules = {p.stem for p in (ROOT / "helpers" / "analysis" / "rules").glob("*.py")} - {"__init__", "base"}
    assert set(KINDS) == modules
    assert all(RULE_KINDS[k].check.__module__ == f"helpers.analysis.rules.{k}" for k in KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_its_contract_check_and_headers(kind):
    found = RULE_KINDS[kind]
    assert isinstance(found, RuleKind) and found.name == kind
    assert found.params and all(p.kind in PARAM_KINDS for p in found.params.values())
    assert any(p.required for p in found.params.values()), "a kind says at least what it checks"
    assert callable(found.check)
    assert found.columns and all(header for header in found.columns.values())
    assert set(found.labels) <= set(found.columns)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_its_own_test_module(kind):
    source = Path(__file__).with_name(f"test_{kind}.py")
    assert source.exists(), f"规则种类 {kind} 没有自己的测试"
    assert f"def test_{kind}" in source.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_row_in_the_data_readme(kind):
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("**规则种类**"):readme.index("## 数据表")]
    assert f"\n| `{kind}` |" in table


WEEKLY = '''\
"""weekly_meeting: a meeting every month (a kind of a deployment of its own)."""

from helpers.analysis.rules.base import RuleKind, rule_result
from helpers.data.report_profile.parameters import Param


def check(tw, month, rule, settings):
    held = tw.events[tw.events["type"] == rule.params["type"]]
    return rule_result(rule, not held.empty, True, f"共{len(held)}次", held[["date"]], held[["date"]])


KIND = RuleKind(name="weekly_meeting", params={"type": Param("event_type", required=True)}, check=check,
                columns={"date": "日期"})
'''


@pytest.fixture()
def extra_kinds(tmp_path, monkeypatch):
    """A package ``extra_rules`` with one kind module, named beside the project's own kinds."""
    package = tmp_path / "extra_rules"
    package.mkdir()
    (package / "__init__.py").write_text('"""Rule kinds of one deployment."""\n', encoding="utf-8")
    (package / "weekly_meeting.py").write_text(WEEKLY, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(RULE_KINDS, "modules", (*RULE_KINDS.modules, "extra_rules"))
    RULE_KINDS.reset()
    yield
    monkeypatch.undo()
    RULE_KINDS.reset()
    for name in [m for m in sys.modules if m == "extra_rules" or m.startswith("extra_rules.")]:
        del sys.modules[name]


def test_a_kind_module_added_to_a_named_package_is_found(extra_kinds):
    assert "weekly_meeting" in RULE_KINDS and len(RULE_KINDS) == len(KINDS) + 1
    rule = "kind: weekly_meeting\nname: 每月一次例会\narea: work\ntype: 会议\n"
    tw = make_township(report=with_rule(rule), events=[("2018-02-10", "work", "会议", "例会")])
    [result] = rule_checks(tw, as_month("2018-03"))
    assert result.passed and result.summary == "共1次" and result.headers == {"date": "日期"}
    with pytest.raises(DataValidationError, match="缺少参数 type"):
        make_township(report=with_rule("kind: weekly_meeting\nname: 例会\narea: work\n"))
