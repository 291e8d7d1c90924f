"""share_of_target_by: by the end of a month, listed indicators reached a share of their targets (6月底“双过半”)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.progress import indicator_progress
from helpers.analysis.rules.base import RuleKind, RuleResult, rule_result
from helpers.chinese_text import plain_number
from helpers.config import SETTINGS, Settings
from helpers.data.report_profile.model import RuleSpec
from helpers.data.report_profile.parameters import Param
from helpers.data.township import Township

PARAMS = {"month": Param("month", required=True), "share": Param("number", required=True),
          "indicators": Param("indicators", required=True), "label": Param("text")}
COLUMNS = {"indicator": "指标代码", "name": "指标", "ytd": "{month}月底完成", "target": "年度目标",
           "completion_pct": "完成率", "required": "要求"}
"""``ytd`` is the amount done by the end of the rule's month."""


def check(tw: Township, month: pd.Period, rule: RuleSpec, settings: Settings = SETTINGS) -> RuleResult:
    """By the end of month ``month`` (e.g. June), each listed indicator reached ``share`` % of its target.

    Checks the listed indicators that exist and have a target for the year; not applicable before that
    month or when none of them does.
    """
    p = rule.params
    due, share, label = int(p["month"]), float(p["share"]), p.get("label")
    what = f"“{label}”" if label else rule.name
    if month.month < due:
        return rule_result(rule, False, False, f"{what}在{due}月底考核，{month.month}月尚不评价")
    at = pd.Period(year=month.year, month=due, freq="M")
    progress = indicator_progress(tw, at, settings)
    rows = progress[progress["indicator"].isin(p["indicators"]) & progress["target"].notna()]
    if rows.empty:
        return rule_result(rule, False, False, f"未设{rule.name.split('“')[0]}的年度目标，无法评价{what}")
    checked = rows[["indicator", "name", "ytd", "target", "completion_pct"]].reset_index(drop=True)
    checked["required"] = share
    breaches = checked[~(checked["completion_pct"] >= share)].reset_index(drop=True)
    shares = "、".join(f"{r.name}{r.completion_pct:.1f}%" for r in checked.itertuples())
    reached = f"实现{what}" if label else f"达到年度目标的{plain_number(share)}%"
    short = "、".join(breaches["name"])
    missed = "未过半" if share == 50 else f"未达到年度目标的{plain_number(share)}%"
    if breaches.empty:
        summary = f"截至{month.year}年{due}月底，{shares}，均{reached}"
    else:
        summary = f"截至{month.year}年{due}月底，{shares}，{short}{missed}"
    return rule_result(rule, breaches.empty, True, summary, breaches, checked)


KIND = RuleKind(name="share_of_target_by", params=PARAMS, check=check, columns=COLUMNS)
