"""level_threshold: an indicator's level every month at least and/or at most a value (12345热线办结率 ≥ 98%)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.analysis.rules.base import LIST_AT_MOST, RuleKind, RuleResult, rule_result
from helpers.chinese_text import joined, plain_number, year_so_far
from helpers.config import SETTINGS, Settings
from helpers.data.periods import months_of_year_until
from helpers.data.report_profile.model import RuleSpec
from helpers.data.report_profile.parameters import Param
from helpers.data.township import Township

PARAMS = {"indicator": Param("indicator", required=True), "minimum": Param("number"), "maximum": Param("number")}
COLUMNS = {"month": "月份", "value": "实际", "minimum": "下限", "maximum": "上限"}


def needs_a_bound(given: Mapping) -> str | None:
    """A threshold is a minimum, a maximum or both: the reason when the rule states neither."""
    if "minimum" not in given and "maximum" not in given:
        return "level_threshold 至少要有 minimum 或 maximum 之一"
    return None


def _township_levels(tw: Township, indicator: str, months: list[pd.Period]) -> pd.Series:
    """An indicator's township level per month: the township row (village empty), else the villages' sum."""
    rows = tw.monthly[(tw.monthly["indicator"] == indicator) & tw.monthly["month"].isin(months)]
    whole = rows[rows["village"].isna()].groupby("month")["value"].sum()
    villages = rows[rows["village"].notna()].groupby("month")["value"].sum()
    return whole.combine_first(villages).sort_index()


def check(tw: Township, month: pd.Period, rule: RuleSpec, settings: Settings = SETTINGS) -> RuleResult:
    """An indicator's level in every month of the year so far with data, against a threshold.

    At least ``minimum`` and/or at most ``maximum`` (e.g. 12345热线办结率 ≥ 98%); the level is the township
    row of the month, else the villages' sum. No data this year: not applicable.
    """
    p = rule.params
    ind = tw.indicators[tw.indicators["indicator"] == p["indicator"]]
    name = str(ind["name"].iloc[0]) if len(ind) else p["indicator"]
    unit = str(ind["unit"].iloc[0]) if len(ind) else ""
    levels = _township_levels(tw, p["indicator"], months_of_year_until(month))
    if levels.empty:
        return rule_result(rule, False, False, f"{year_so_far(month)}未录入{name}")
    checked = pd.DataFrame({"month": pd.PeriodIndex(levels.index, freq="M"), "value": levels.to_numpy()})
    low, high = p.get("minimum"), p.get("maximum")
    ok = pd.Series(True, index=checked.index)
    if low is not None:
        ok &= checked["value"] >= low
    if high is not None:
        ok &= checked["value"] <= high
    checked["minimum"], checked["maximum"] = low, high
    breaches = checked[~ok].reset_index(drop=True)
    bound = "、".join(x for x in (f"不低于{plain_number(low)}{unit}" if low is not None else "",
                                  f"不高于{plain_number(high)}{unit}" if high is not None else "") if x)
    missed = "或".join(x for x in (f"低于{plain_number(low)}{unit}" if low is not None else "",
                                  f"高于{plain_number(high)}{unit}" if high is not None else "") if x)
    last = checked.iloc[-1]
    now = f"{last['month'].month}月{name}{plain_number(round(float(last['value']), 2))}{unit}"
    if breaches.empty:
        summary = f"{year_so_far(month)}各月{name}均{bound}，{now}"
    else:
        items = [f"{r.month.month}月{plain_number(round(float(r.value), 2))}{unit}" for r in breaches.itertuples()]
        summary = f"{year_so_far(month)}有{len(breaches)}个月{name}{missed}：{joined(items, LIST_AT_MOST)}"
    return rule_result(rule, breaches.empty, True, summary, breaches, checked)


KIND = RuleKind(name="level_threshold", params=PARAMS, validate=needs_a_bound, check=check, columns=COLUMNS)
