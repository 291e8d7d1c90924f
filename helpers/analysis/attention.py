"""The attention items: everything lagging, overdue, stalled or in breach, as facts (the report words them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.analysis.forecast import AT_RISK, progress_with_forecast
from helpers.analysis.progress import BAD_STATUSES, township_village_mismatches
from helpers.analysis.projects import project_status
from helpers.analysis.rectifications import rectification_status
from helpers.analysis.rules import rule_checks
from helpers.config import SETTINGS, Settings
from helpers.data.township import Township

KIND_ORDER = ("滞后", "难完成", "逾期", "停滞", "未落实", "数据不一致")
"""Kinds of attention item in report order: lagging indicator, a target the last three months' pace will not
reach (though on or ahead of 序时进度 now), overdue, stalled, rule not carried out, and a whole-township figure
that disagrees with the sum of its villages."""


@dataclass(frozen=True)
class AttentionItem:
    """One thing that needs attention: its area, kind, what it is about and the record behind it.

    ``source`` says which analysis the record comes from (``indicator``, ``project``, ``rectification``,
    ``rule``); ``record`` is that analysis' row (a namedtuple of its frame, or the RuleResult).
    """

    area: str
    kind: str
    source: str
    record: object = field(compare=False)


def lagging_items(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> list[AttentionItem]:
    """Indicators behind 序时进度 (滞后), and flows on or ahead of it whose forecast falls short (难完成).

    Only flows are judged at risk: their monthly amounts make a pace, while a level (stock) grows in steps
    and three quiet months of one more 监督员 to appoint are not a risk. The record is a row of
    :func:`helpers.analysis.forecast.progress_with_forecast`.
    """
    progress = progress_with_forecast(tw, month, settings)
    bad = progress["status"].isin(BAD_STATUSES)
    at_risk = (~bad & progress["status"].notna() & (progress["forecast"] == AT_RISK)
               & (progress["kind"].astype(str) == "flow"))
    items = []
    for r, is_bad, risky in zip(progress.itertuples(), bad, at_risk, strict=True):
        if is_bad:
            items.append(AttentionItem(r.area, "滞后", "indicator", r))
        elif risky:
            items.append(AttentionItem(r.area, "难完成", "indicator", r))
    return items


def overdue_and_stalled_projects(tw: Township, month: pd.Period) -> list[AttentionItem]:
    """One item per project in trouble: overdue (and maybe stalled too), or stalled."""
    items = []
    for p in project_status(tw, month).itertuples():
        if p.overdue:
            items.append(AttentionItem(p.area, "逾期", "project", p))
        elif p.stalled:
            items.append(AttentionItem(p.area, "停滞", "project", p))
    return items


def overdue_rectifications(tw: Township, month: pd.Period) -> list[AttentionItem]:
    status = rectification_status(tw, month)
    return [AttentionItem(r.area, "逾期", "rectification", r) for r in status[status["overdue"]].itertuples()]


def data_mismatches(tw: Township, month: pd.Period) -> list[AttentionItem]:
    """Township rows that disagree with their villages' sum, in the report's year up to the month."""
    found = township_village_mismatches(tw)
    found = found[(found["month"] <= month) & (found["month"] >= month - (month.month - 1))]
    area = tw.indicators.set_index("indicator")["area"].astype(str)
    return [AttentionItem(area[r.indicator], "数据不一致", "mismatch", r) for r in found.itertuples()]


def rule_breaches(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> list[AttentionItem]:
    return [AttentionItem(r.area, "未落实", "rule", r)
            for r in rule_checks(tw, month, settings) if r.applicable and not r.passed]


def attention_items(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> list[AttentionItem]:
    """Everything that needs attention in the report month, in report order of areas, then kinds."""
    items = (
        lagging_items(tw, month, settings)
        + overdue_and_stalled_projects(tw, month)
        + overdue_rectifications(tw, month)
        + rule_breaches(tw, month, settings)
        + data_mismatches(tw, month)
    )
    areas, kinds = list(tw.areas), list(KIND_ORDER)
    return sorted(items, key=lambda i: (areas.index(i.area), kinds.index(i.kind)))  # sorted() is stable
