"""Rule checks: each rule of the township's report profile, run by the function registered for its kind.

The kinds and their parameters are listed in :mod:`helpers.data.report_profile`; :data:`RULE_KINDS` holds one
function per kind, ``(tw, month, rule, settings) -> RuleResult``. The bundled default profile states the
reference report's own rules (民情恳谈 ≥ 8, 季度“四个一”, 土坯房半月一通报, 双过半, 零到省零进京, 每日一清运).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.analysis.petitions import petitions_ytd
from helpers.analysis.progress import indicator_progress
from helpers.config import SETTINGS, Settings
from helpers.data.periods import as_month, months_of_year_until
from helpers.data.report_profile.model import RuleSpec
from helpers.data.township import Township

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
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


def _num(value: float) -> str:
    """A figure without a useless decimal: 8 -> '8', 7.5 -> '7.5'."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def _span(month: pd.Period) -> str:
    """'2018年1—8月' (or '2018年1月' in January): the year to date in prose."""
    return f"{month.year}年1月" if month.month == 1 else f"{month.year}年1—{month.month}月"


def _listing(items: list[str]) -> str:
    """The first few items joined with 、, then 等 when there are more."""
    shown = "、".join(items[:LIST_AT_MOST])
    return shown + ("等" if len(items) > LIST_AT_MOST else "")


def _date(day: pd.Timestamp) -> str:
    return f"{day.year}年{day.month}月{day.day}日"




def _result(rule: RuleSpec, passed: bool, applicable: bool, summary: str, breaches=None, checked=None) -> RuleResult:
    return RuleResult(rule.id, rule.area, rule.name, passed, applicable, summary,
                      pd.DataFrame() if breaches is None else breaches, pd.DataFrame() if checked is None else checked)


def _indicator_label(tw: Township, indicator: str, given: str | None) -> str:
    if given:
        return given
    found = tw.indicators.loc[tw.indicators["indicator"] == indicator, "name"]
    return str(found.iloc[0]) if len(found) else indicator


def village_monthly_minimum(tw: Township, month: str | pd.Period, rule: RuleSpec,
                            settings: Settings = SETTINGS) -> RuleResult:
    """Every village, every month of the year so far that has data for the indicator, at least ``minimum``.

    Without ``minimum`` in the profile, the setting ``min_visits_per_village`` applies.

    A village missing from a month that has data counts 0.
    """
    m = as_month(month)
    p = rule.params
    required = p.get("minimum", settings.min_visits_per_village)
    label = _indicator_label(tw, p["indicator"], p.get("label"))
    unit = "次"
    found = tw.indicators.loc[tw.indicators["indicator"] == p["indicator"], "unit"]
    if len(found) and str(found.iloc[0]):
        unit = str(found.iloc[0])
    rows = tw.monthly[(tw.monthly["indicator"] == p["indicator"]) & tw.monthly["village"].notna()]
    rows = rows[rows["month"].isin(months_of_year_until(m))]
    if rows.empty:
        return _result(rule, False, False, f"{_span(m)}未录入各村{label}{'次数' if unit == '次' else '数据'}")
    months = sorted(rows["month"].unique())
    villages = list(tw.villages["village"])
    values = rows.groupby([rows["village"].astype(object), "month"])["value"].sum()
    grid = pd.MultiIndex.from_product([villages, months], names=["village", "month"])
    checked = values.reindex(grid, fill_value=0.0).rename("value").reset_index()
    checked["month"] = pd.PeriodIndex(checked["month"], freq="M")
    checked["required"] = required
    breaches = checked[checked["value"] < required].sort_values("month", kind="stable").reset_index(drop=True)
    need = _num(required)
    if breaches.empty:
        summary = f"{_span(m)}，{len(villages)}个村（社区）每月{label}均不少于{need}{unit}"
    else:
        items = [f"{r.village}{r.month.month}月{_num(r.value)}{unit}" for r in breaches.itertuples()]
        summary = f"{_span(m)}，有{len(breaches)}村次{label}少于{need}{unit}：{_listing(items)}"
    return _result(rule, breaches.empty, True, summary, breaches, checked)


def _matching_events(tw: Township, rule: RuleSpec, types) -> pd.DataFrame:
    events = tw.events[tw.events["type"].isin(types)]
    if rule.params.get("title_contains"):
        words = events["title"].str.contains(rule.params["title_contains"], regex=False)
        events = events[words.fillna(False).astype(bool)]
    else:
        events = events[events["area"] == rule.area]
    return events


def events_each_period(tw: Township, month: str | pd.Period, rule: RuleSpec,
                       settings: Settings = SETTINGS) -> RuleResult:
    """Events of each of ``types`` in every period (quarter, half-month or month) of the year so far.

    Events are the rule's area's, or, with ``title_contains``, any whose title holds those words. Quarters
    and months: every one that ended by the end of ``month`` must hold them (the current one is in
    progress). Half-months run from the first matching event (or 1 January, if earlier) to the end of
    ``month``. No matching event at all, in any year: not applicable (the township does not keep these
    records), as other rules without data.
    """
    if rule.params["period"] == "half_month":
        return _half_monthly(tw, as_month(month), rule)
    return _calendar_periods(tw, as_month(month), rule)


def _calendar_periods(tw: Township, m: pd.Period, rule: RuleSpec) -> RuleResult:
    types = tuple(rule.params["types"])
    freq = "Q" if rule.params["period"] == "quarter" else "M"
    events = _matching_events(tw, rule, types)
    if events.empty:
        return _result(rule, True, False, f"未录入{'、'.join(types)}记录")
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
    return _result(rule, breaches.empty, True, summary, breaches, checked)


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
        return _result(rule, False, False, f"截至{m.year}年{m.month}月底未见{subject}{kind}")
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
        summary = f"{since}有{len(breaches)}个半月未{kind}{subject}进展：{_listing(items)}"
    return _result(rule, breaches.empty, True, summary, breaches, halves.reset_index(drop=True))


def share_of_target_by(tw: Township, month: str | pd.Period, rule: RuleSpec,
                       settings: Settings = SETTINGS) -> RuleResult:
    """By the end of month ``month`` (e.g. June), each listed indicator reached ``share`` % of its target.

    Checks the listed indicators that exist and have a target for the year; not applicable before that
    month or when none of them does.
    """
    m = as_month(month)
    p = rule.params
    due, share, label = int(p["month"]), float(p["share"]), p.get("label")
    what = f"“{label}”" if label else rule.name
    if m.month < due:
        return _result(rule, False, False, f"{what}在{due}月底考核，{m.month}月尚不评价")
    at = pd.Period(year=m.year, month=due, freq="M")
    progress = indicator_progress(tw, at, settings)
    rows = progress[progress["indicator"].isin(p["indicators"]) & progress["target"].notna()]
    if rows.empty:
        return _result(rule, False, False, f"未设{rule.name.split('“')[0]}的年度目标，无法评价{what}")
    checked = rows[["indicator", "name", "ytd", "target", "completion_pct"]].reset_index(drop=True)
    checked["required"] = share
    breaches = checked[~(checked["completion_pct"] >= share)].reset_index(drop=True)
    shares = "、".join(f"{r.name}{r.completion_pct:.1f}%" for r in checked.itertuples())
    reached = f"实现{what}" if label else f"达到年度目标的{_num(share)}%"
    short = "、".join(breaches["name"])
    missed = "未过半" if share == 50 else f"未达到年度目标的{_num(share)}%"
    if breaches.empty:
        summary = f"截至{m.year}年{due}月底，{shares}，均{reached}"
    else:
        summary = f"截至{m.year}年{due}月底，{shares}，{short}{missed}"
    return _result(rule, breaches.empty, True, summary, breaches, checked)


LEVEL_WORDS = {"京": "进京"}
"""How a petition level reads after 零: 零到省, 零进京."""


def _level_word(level: str) -> str:
    return LEVEL_WORDS.get(level, f"到{level}")


def petition_level_ceiling(tw: Township, month: str | pd.Period, rule: RuleSpec,
                           settings: Settings = SETTINGS) -> RuleResult:
    """零到省、零进京: no petition case of the year so far reached any of ``levels``."""
    m = as_month(month)
    levels = tuple(rule.params["levels"])
    cases = petitions_ytd(tw, m)
    columns = ["case_id", "month", "village", "level", "status", "topic"]
    breaches = cases[cases["level"].isin(levels)][columns].reset_index(drop=True)
    if breaches.empty:
        words = "、".join(_level_word(lv) for lv in levels)
        zeros = "".join(f"“零{_level_word(lv)}”" for lv in levels)
        summary = f"{_span(m)}共有信访案件{len(cases)}件，无{words}上访，实现{zeros}"
    else:
        counts = "、".join(f"{_level_word(lv)}{int((breaches['level'] == lv).sum())}件"
                          for lv in levels if (breaches["level"] == lv).any())
        whole = tw.naming.whole
        items = [f"{r.village if isinstance(r.village, str) else whole}{r.month.month}月（{r.case_id}）"
                 for r in breaches.itertuples()]
        summary = f"{_span(m)}出现{counts}：{_listing(items)}"
    return _result(rule, breaches.empty, True, summary, breaches, cases[columns].reset_index(drop=True))


def daily_events(tw: Township, month: str | pd.Period, rule: RuleSpec, settings: Settings = SETTINGS) -> RuleResult:
    """Every site (a distinct title of events of ``type``) has such an event every day.

    Days run from 1 January (or the year's first such event, if later) to the end of ``month``; the sites
    are those with an event this year by then. None: not applicable.
    """
    m = as_month(month)
    kind, sites = rule.params["type"], rule.params.get("sites_label") or "站点"
    events = tw.events
    year_start = pd.Timestamp(year=m.year, month=1, day=1)
    month_end = m.end_time.normalize()
    days = events["date"].dt.normalize()
    runs = events[(events["type"] == kind) & (days >= year_start) & (days <= month_end)]
    if rule.params.get("title_contains"):
        runs = runs[runs["title"].str.contains(rule.params["title_contains"], regex=False).fillna(False).astype(bool)]
    if runs.empty:
        return _result(rule, False, False, f"{_span(m)}未录入{sites}{kind}记录")
    run_days = runs["date"].dt.normalize()
    stations = list(dict.fromkeys(runs["title"].astype(str)))
    calendar = pd.date_range(run_days.min(), month_end, freq="D")
    grid = pd.MultiIndex.from_product([stations, calendar], names=["station", "date"])
    done = pd.MultiIndex.from_arrays([runs["title"].astype(str), run_days], names=["station", "date"])
    checked = pd.DataFrame(index=grid).reset_index()
    checked["collected"] = grid.isin(done)
    breaches = checked[~checked["collected"]].drop(columns="collected").reset_index(drop=True)
    period = f"{_date(calendar[0])}至{_date(calendar[-1])}"
    if breaches.empty:
        summary = f"{period}，{len(stations)}个{sites}每日均有{kind}"
    else:
        items = [f"{r.station}（{_date(r.date)}）" for r in breaches.itertuples()]
        summary = f"{period}，有{len(breaches)}站次未按日{kind}：{_listing(items)}"
    return _result(rule, breaches.empty, True, summary, breaches, checked)


def _township_levels(tw: Township, indicator: str, months: list[pd.Period]) -> pd.Series:
    """An indicator's township level per month: the township row (village empty), else the villages' sum."""
    rows = tw.monthly[(tw.monthly["indicator"] == indicator) & tw.monthly["month"].isin(months)]
    whole = rows[rows["village"].isna()].groupby("month")["value"].sum()
    villages = rows[rows["village"].notna()].groupby("month")["value"].sum()
    return whole.combine_first(villages).sort_index()


def level_threshold(tw: Township, month: str | pd.Period, rule: RuleSpec, settings: Settings = SETTINGS) -> RuleResult:
    """An indicator's level in every month of the year so far with data, against a threshold.

    At least ``minimum`` and/or at most ``maximum`` (e.g. 12345热线办结率 ≥ 98%); the level is the township
    row of the month, else the villages' sum. No data this year: not applicable.
    """
    m = as_month(month)
    p = rule.params
    ind = tw.indicators[tw.indicators["indicator"] == p["indicator"]]
    name = str(ind["name"].iloc[0]) if len(ind) else p["indicator"]
    unit = str(ind["unit"].iloc[0]) if len(ind) else ""
    levels = _township_levels(tw, p["indicator"], months_of_year_until(m))
    if levels.empty:
        return _result(rule, False, False, f"{_span(m)}未录入{name}")
    checked = pd.DataFrame({"month": pd.PeriodIndex(levels.index, freq="M"), "value": levels.to_numpy()})
    low, high = p.get("minimum"), p.get("maximum")
    ok = pd.Series(True, index=checked.index)
    if low is not None:
        ok &= checked["value"] >= low
    if high is not None:
        ok &= checked["value"] <= high
    checked["minimum"], checked["maximum"] = low, high
    breaches = checked[~ok].reset_index(drop=True)
    bound = "、".join(x for x in (f"不低于{_num(low)}{unit}" if low is not None else "",
                                   f"不高于{_num(high)}{unit}" if high is not None else "") if x)
    missed = "或".join(x for x in (f"低于{_num(low)}{unit}" if low is not None else "",
                                   f"高于{_num(high)}{unit}" if high is not None else "") if x)
    last = checked.iloc[-1]
    now = f"{last['month'].month}月{name}{_num(round(float(last['value']), 2))}{unit}"
    if breaches.empty:
        summary = f"{_span(m)}各月{name}均{bound}，{now}"
    else:
        items = [f"{r.month.month}月{_num(round(float(r.value), 2))}{unit}" for r in breaches.itertuples()]
        summary = f"{_span(m)}有{len(breaches)}个月{name}{missed}：{_listing(items)}"
    return _result(rule, breaches.empty, True, summary, breaches, checked)


RULE_KINDS = {
    "village_monthly_minimum": village_monthly_minimum,
    "events_each_period": events_each_period,
    "share_of_target_by": share_of_target_by,
    "petition_level_ceiling": petition_level_ceiling,
    "daily_events": daily_events,
    "level_threshold": level_threshold,
}
"""Rule kind (as report.yaml names it) -> its check."""


def rule_checks(tw: Township, month: str | pd.Period, settings: Settings = SETTINGS) -> list[RuleResult]:
    """Every rule of the township's profile at ``month``, in the profile's order."""
    return [RULE_KINDS[rule.kind](tw, month, rule, settings) for rule in tw.report.rules]


def run_rule(tw: Township, rule_id: str, month: str | pd.Period, settings: Settings = SETTINGS) -> RuleResult | None:
    """One rule of the profile by its id (None when the profile has no such rule)."""
    rule = tw.report.rule(rule_id)
    return None if rule is None else RULE_KINDS[rule.kind](tw, month, rule, settings)
