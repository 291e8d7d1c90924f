"""village_monthly_minimum: every village, every month, at least a minimum of a village indicator (民情恳谈 ≥ 8次)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.rules.base import LIST_AT_MOST, RuleKind, RuleResult, rule_result
from helpers.chinese_text import joined, plain_number, year_so_far
from helpers.config import SETTINGS, Settings
from helpers.data.periods import months_of_year_until
from helpers.data.report_profile.model import RuleSpec
from helpers.data.report_profile.parameters import Param
from helpers.data.township import Township

PARAMS = {"indicator": Param("indicator", required=True), "minimum": Param("number"), "label": Param("text")}
COLUMNS = {"village": "村（社区）", "month": "月份", "value": "实际", "required": "要求"}


def _indicator_label(tw: Township, indicator: str, given: str | None) -> str:
    if given:
        return given
    found = tw.indicators.loc[tw.indicators["indicator"] == indicator, "name"]
    return str(found.iloc[0]) if len(found) else indicator


def check(tw: Township, month: pd.Period, rule: RuleSpec, settings: Settings = SETTINGS) -> RuleResult:
    """Every village, every month of the year so far that has data for the indicator, at least ``minimum``.

    Without ``minimum`` in the profile, the setting ``min_visits_per_village`` applies.

    A village missing from a month that has data counts 0.
    """
    p = rule.params
    required = p.get("minimum", settings.min_visits_per_village)
    label = _indicator_label(tw, p["indicator"], p.get("label"))
    unit = "次"
    found = tw.indicators.loc[tw.indicators["indicator"] == p["indicator"], "unit"]
    if len(found) and str(found.iloc[0]):
        unit = str(found.iloc[0])
    rows = tw.monthly[(tw.monthly["indicator"] == p["indicator"]) & tw.monthly["village"].notna()]
    rows = rows[rows["month"].isin(months_of_year_until(month))]
    if rows.empty:
        what = "次数" if unit == "次" else "数据"
        return rule_result(rule, False, False, f"{year_so_far(month)}未录入各村{label}{what}")
    months = sorted(rows["month"].unique())
    villages = list(tw.villages["village"])
    values = rows.groupby([rows["village"].astype(object), "month"])["value"].sum()
    grid = pd.MultiIndex.from_product([villages, months], names=["village", "month"])
    checked = values.reindex(grid, fill_value=0.0).rename("value").reset_index()
    checked["month"] = pd.PeriodIndex(checked["month"], freq="M")
    checked["required"] = required
    breaches = checked[checked["value"] < required].sort_values("month", kind="stable").reset_index(drop=True)
    need = plain_number(required)
    if breaches.empty:
        summary = f"{year_so_far(month)}，{len(villages)}个村（社区）每月{label}均不少于{need}{unit}"
    else:
        items = [f"{r.village}{r.month.month}月{plain_number(r.value)}{unit}" for r in breaches.itertuples()]
        summary = f"{year_so_far(month)}，有{len(breaches)}村次{label}少于{need}{unit}：{joined(items, LIST_AT_MOST)}"
    return rule_result(rule, breaches.empty, True, summary, breaches, checked)


KIND = RuleKind(name="village_monthly_minimum", params=PARAMS, check=check, columns=COLUMNS)
