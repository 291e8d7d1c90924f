"""daily_events: every site (an event title) has an event of a type every day (垃圾每日一清运)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.rules.base import LIST_AT_MOST, RuleKind, RuleResult, rule_result
from helpers.chinese_text import date_text, joined, year_so_far
from helpers.config import SETTINGS, Settings
from helpers.data.report_profile.model import RuleSpec
from helpers.data.report_profile.parameters import Param
from helpers.data.township import Township

PARAMS = {"type": Param("event_type", required=True), "title_contains": Param("text"), "sites_label": Param("text")}
COLUMNS = {"station": "清运点", "date": "日期", "collected": "已清运"}


def check(tw: Township, month: pd.Period, rule: RuleSpec, settings: Settings = SETTINGS) -> RuleResult:
    """Every site (a distinct title of events of ``type``) has such an event every day.

    Days run from 1 January (or the year's first such event, if later) to the end of ``month``; the sites
    are those with an event this year by then. None: not applicable.
    """
    kind, sites = rule.params["type"], rule.params.get("sites_label") or "站点"
    events = tw.events
    year_start = pd.Timestamp(year=month.year, month=1, day=1)
    month_end = month.end_time.normalize()
    days = events["date"].dt.normalize()
    runs = events[(events["type"] == kind) & (days >= year_start) & (days <= month_end)]
    if rule.params.get("title_contains"):
        runs = runs[runs["title"].str.contains(rule.params["title_contains"], regex=False).fillna(False).astype(bool)]
    if runs.empty:
        return rule_result(rule, False, False, f"{year_so_far(month)}未录入{sites}{kind}记录")
    run_days = runs["date"].dt.normalize()
    stations = list(dict.fromkeys(runs["title"].astype(str)))
    calendar = pd.date_range(run_days.min(), month_end, freq="D")
    grid = pd.MultiIndex.from_product([stations, calendar], names=["station", "date"])
    done = pd.MultiIndex.from_arrays([runs["title"].astype(str), run_days], names=["station", "date"])
    checked = pd.DataFrame(index=grid).reset_index()
    checked["collected"] = grid.isin(done)
    breaches = checked[~checked["collected"]].drop(columns="collected").reset_index(drop=True)
    period = f"{date_text(calendar[0])}至{date_text(calendar[-1])}"
    if breaches.empty:
        summary = f"{period}，{len(stations)}个{sites}每日均有{kind}"
    else:
        items = [f"{r.station}（{date_text(r.date)}）" for r in breaches.itertuples()]
        summary = f"{period}，有{len(breaches)}站次未按日{kind}：{joined(items, LIST_AT_MOST)}"
    return rule_result(rule, breaches.empty, True, summary, breaches, checked)


KIND = RuleKind(name="daily_events", params=PARAMS, check=check, columns=COLUMNS)
