"""events_each_period: events of given types in every quarter, month or half-month (季度“四个一”, 半月一通报)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.rules.base import LIST_AT_MOST, RuleKind, RuleResult, rule_result
from helpers.chinese_text import joined
from helpers.config import SETTINGS, Settings
from helpers.data.report_profile.model import RuleSpec
from helpers.data.report_profile.parameters import Param
from helpers.data.township import Township

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
PARAMS = {"period": Param("period", required=True), "types": Param("event_types", required=True),
          "title_contains": Param("text"), "subject": Param("text")}
COLUMNS = {"quarter": "季度", "month": "月份", "missing": "缺少", "half": "半月", "start": "起", "end": "止",
           "notices": "次数"}
"""Quarters or months: the period, one column per event type (named by the type), ended, missing;
half-months: month, half, start, end, notices."""
LABELS = {"notices": "通报次数"}


def _matching_events(tw: Township, rule: RuleSpec, types) -> pd.DataFrame:
    events = tw.events[tw.events["type"].isin(types)]
    if rule.params.get("title_contains"):
        words = events["title"].str.contains(rule.params["title_contains"], regex=False)
        events = events[words.fillna(False).astype(bool)]
    else:
        events = events[events["area"] == rule.area]
    return events


def check(tw: Township, month: pd.Period, rule: RuleSpec, settings: Settings = SETTINGS) -> RuleResult:
    """Events of each of ``types`` in every period (quarter, half-month or month) of the year so far.

    Events are the rule's area's, or, with ``title_contains``, any whose title holds those words. Quarters
    and months: every one that ended by the end of ``month`` must hold them (the current one is in
    progress). Half-months run from the first matching event (or 1 January, if earlier) to the end of
    ``month``. No matching event at all, in any year: not applicable (the township does not keep these
    records), as other rules without data.
    """
    if rule.params["period"] == "half_month":
        return _half_monthly(tw, month, rule)
    return _calendar_periods(tw, month, rule)


def _calendar_periods(tw: Township, m: pd.Period, rule: RuleSpec) -> RuleResult:
    types = tuple(rule.params["types"])
    freq = "Q" if rule.params["period"] == "quarter" else "M"
    events = _matching_events(tw, rule, types)
    if events.empty:
        return rule_result(rule, True, False, f"未录入{'、'.join(types)}记录")
    when = events["date"].dt.to_period("M")
    events = events[(when <= m) & (when.dt.year == m.year)]
    first = pd.Period(year=m.year, quarter=1, freq="Q") if freq == "Q" else pd.Period(year=m.year, month=1, freq="M")
    periods = pd.period_range(first, m.asfreq(freq), freq=freq)

    def label(p: pd.Period) -> str:
        return QUARTER_NAMES[p.quarter - 1] if freq == "Q" else f"{p.month}月"

    rows = []
    for q in periods:
        in_q = events[events["date"].dt.to_period(freq) == q]
        counts = {t: int((in_q["type"] == t).sum()) for t in types}
        missing = [t for t in types if counts[t] == 0]
        rows.append({"quarter" if freq == "Q" else "month": q, **counts, "ended": q.asfreq("M", "end") <= m,
                     "missing": "、".join(missing)})
    checked = pd.DataFrame(rows)
    key = checked.columns[0]
    breaches = checked[checked["ended"] & (checked["missing"] != "")].reset_index(drop=True)
    parts = []
    done = checked[checked["ended"] & (checked["missing"] == "")]
    if len(done):
        parts.append(f"{'、'.join(label(q) for q in done[key])}均开展了{'、'.join(types)}")
    for r in breaches.to_dict("records"):
        parts.append(f"{label(r[key])}未开展{r['missing']}")
    for r in checked[~checked["ended"]].to_dict("records"):
        held = [t for t in types if r[t]]
        progress = f"已开展{'、'.join(held)}" if held else "尚未开展"
        parts.append(f"{label(r[key])}进行中，{progress}")
    summary = f"{m.year}年" + "；".join(parts)
    return rule_result(rule, breaches.empty, True, summary, breaches, checked)


def half_months(start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The half-months (1–15, 16–month end) from the one holding ``start`` to the one holding ``end``.

    Columns: month (Period), half ('上半月' | '下半月'), start, end (Timestamps of the first and last day).
    """
    rows = []
    for p in pd.period_range(start.to_period("M"), end.to_period("M"), freq="M"):
        first, mid, last = p.start_time, p.start_time + pd.Timedelta(days=14), p.end_time.normalize()
        rows.append({"month": p, "half": "上半月", "start": first, "end": mid})
        rows.append({"month": p, "half": "下半月", "start": mid + pd.Timedelta(days=1), "end": last})
    frame = pd.DataFrame(rows, columns=["month", "half", "start", "end"])
    return frame[(frame["end"] >= start.normalize()) & (frame["start"] <= end)].reset_index(drop=True)


def _half_monthly(tw: Township, m: pd.Period, rule: RuleSpec) -> RuleResult:
    types = tuple(rule.params["types"])
    subject = rule.params.get("subject") or rule.params.get("title_contains") or ""
    kind = "、".join(types)
    month_end = m.end_time.normalize()
    notices = _matching_events(tw, rule, types)
    notices = notices[notices["date"] <= m.end_time]
    if notices.empty:
        return rule_result(rule, False, False, f"截至{m.year}年{m.month}月底未见{subject}{kind}")
    start = max(notices["date"].min(), pd.Timestamp(year=m.year, month=1, day=1))
    halves = half_months(start, month_end)  # the last one ends with the month: every one has ended
    days = notices["date"].dt.normalize()
    halves["notices"] = [int(((days >= h.start) & (days <= h.end)).sum()) for h in halves.itertuples()]
    breaches = halves[halves["notices"] == 0].reset_index(drop=True)
    first = halves.iloc[0]
    since = f"自{first['month'].year}年{first['month'].month}月{first['half']}起"
    if breaches.empty:
        summary = f"{since}每半月均有{subject}{kind}，共{int(halves['notices'].sum())}次"
    else:
        items = [f"{r.month.month}月{r.half}" for r in breaches.itertuples()]
        summary = f"{since}有{len(breaches)}个半月未{kind}{subject}进展：{joined(items, LIST_AT_MOST)}"
    return rule_result(rule, breaches.empty, True, summary, breaches, halves.reset_index(drop=True))


KIND = RuleKind(name="events_each_period", params=PARAMS, check=check, columns=COLUMNS, labels=LABELS)
