"""What the rule kinds share: the kind (contract, check, columns) and the result of a rule.

Their summaries are worded with :mod:`helpers.chinese_text` (figures, 2018年1—8月, dates, lists), as the report is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from helpers.config import Settings
from helpers.data.report_profile.model import RuleSpec
from helpers.data.report_profile.registry import RULE_KINDS, RuleContract
from helpers.data.township import Township

LIST_AT_MOST = 5
"""A summary names at most this many breaches, then 等."""


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
