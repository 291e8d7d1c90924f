"""Rule checks: each rule of the township's report profile, run by the module of its kind in this package.

One module per kind holds its parameters (the contract report.yaml is checked against), its check
``(tw, month, rule, settings) -> RuleResult`` and its rows' columns in Chinese, as a ``KIND``
(:class:`~helpers.analysis.rules.base.RuleKind`); :mod:`.base` holds what they share. The data layer's
registry (:data:`helpers.data.report_profile.registry.RULE_KINDS`) finds every module of this package by name,
so adding a kind is adding its module, its test and its row in data/README.md's rule table.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.rules.base import RuleKind, RuleResult
from helpers.config import SETTINGS, Settings
from helpers.data.report_profile.registry import RULE_KINDS
from helpers.data.township import Township

__all__ = ["RuleKind", "RuleResult", "rule_checks", "run_rule"]


def rule_checks(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> list[RuleResult]:
    """Every rule of the township's profile at ``month``, in the profile's order."""
    return [RULE_KINDS[rule.kind].check(tw, month, rule, settings) for rule in tw.report.rules]


def run_rule(tw: Township, rule_id: str, month: pd.Period, settings: Settings = SETTINGS) -> RuleResult | None:
    """One rule of the profile by its id (None when the profile has no such rule)."""
    rule = tw.report.rule(rule_id)
    return None if rule is None else RULE_KINDS[rule.kind].check(tw, month, rule, settings)
