"""What the rule kinds share: the kind (contract, check, columns), the result of a rule, and their small helpers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from helpers.config import Settings
from helpers.data.report_profile.model import RuleSpec
from helpers.data.report_profile.registry import RULE_KINDS, RuleContract
from helpers.data.township import Township

LIST_AT_MOST = 5


@dataclass(frozen=True, eq=False)
class RuleResult:
    """One rule at a report month.

    ``passed`` is meaningful only where ``applicable``; ``breaches`` holds the offending rows and
    ``checked`` every row examined (the same columns, for display), both possibly empty.
    """

    id: str
    area: str
    name: str
    passed: bool
    applicable: bool
    summary: str
    breaches: pd.DataFrame = field(default_factory=pd.DataFrame)
    checked: pd.DataFrame = field(default_factory=pd.DataFrame)
    headers: Mapping[str, str] = field(default_factory=dict)
    """Chinese header of each column of ``breaches`` and ``checked`` as a table shows it; a column not
    named keeps its own name."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Each column's name where a sentence says "名称：值" (通报次数：0); the header where not given."""


@dataclass(frozen=True, kw_only=True)
class RuleKind(RuleContract):
    """A rule kind: its contract (name, parameters), its check and its rows' columns in Chinese.

    Each module of this package defines one at module level as ``KIND``; the registry
    (:data:`helpers.data.report_profile.registry.RULE_KINDS`) finds it there.
    """

    check: Callable[[Township, pd.Period, RuleSpec, Settings], RuleResult]
    """``(tw, month, rule, settings) -> RuleResult``: the rule at a report month."""
    columns: Mapping[str, str]
    """Header of each column of its breaches and checked rows as a table shows it; ``{name}`` is the rule's
    parameter ``name`` (ytd: ``{month}月底完成``). A column it does not name keeps its own (an event type)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """A column's name in a sentence where the table's header would not say enough (次数 → 通报次数)."""

    def headers(self, params: Mapping) -> dict[str, str]:
        """The columns' headers for a rule with these parameters."""
        return {column: header.format(**params) for column, header in self.columns.items()}


def rule_result(rule: RuleSpec, passed: bool, applicable: bool, summary: str, breaches=None,
                checked=None) -> RuleResult:
    """The result of ``rule``, with its kind's column headers."""
    kind = RULE_KINDS[rule.kind]
    headers = kind.headers(rule.params)
    return RuleResult(rule.id, rule.area, rule.name, passed, applicable, summary,
                      pd.DataFrame() if breaches is None else breaches, pd.DataFrame() if checked is None else checked,
                      headers, {**headers, **kind.labels})


def num(value: float) -> str:
    """A figure without a useless decimal: 8 -> '8', 7.5 -> '7.5'."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def span(month: pd.Period) -> str:
    """'2018年1—8月' (or '2018年1月' in January): the year to date in prose."""
    return f"{month.year}年1月" if month.month == 1 else f"{month.year}年1—{month.month}月"


def listing(items: list[str]) -> str:
    """The first few items joined with 、, then 等 when there are more."""
    shown = "、".join(items[:LIST_AT_MOST])
    return shown + ("等" if len(items) > LIST_AT_MOST else "")
