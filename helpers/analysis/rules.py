"""Rule checks the reference report itself promises: each a pass or a breach with the offending rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.analysis.petitions import petitions_ytd
from helpers.analysis.progress import indicator_progress
from helpers.config import SETTINGS, Settings
from helpers.data.periods import as_month, months_of_year_until
from helpers.data.township import Township

VISITS_INDICATOR = "visits"
QUARTERLY_TYPES = ("部署", "督查", "总结", "通报")
ADOBE_NOTICE_TYPE = "通报"
ADOBE_NOTICE_WORD = "土坯房"
DOUBLE_HALF_INDICATORS = ("fixed_asset_investment", "private_investment", "retail_sales")
DOUBLE_HALF_MONTH = 6
DOUBLE_HALF_PCT = 50.0
FORBIDDEN_LEVELS = ("省", "京")
REFUSE_TYPE = "清运"
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


def visits_rule(tw: Township, month: str | pd.Period, settings: Settings = SETTINGS) -> RuleResult:
    """民情恳谈: every village, every month of the year so far that has visits data, at least the minimum.

    A village missing from a month that has visits data counts 0 visits.
    """
    m = as_month(month)
    required = settings.min_visits_per_village
    name = f"民情恳谈每村每月不少于{required}次"
    rows = tw.monthly[(tw.monthly["indicator"] == VISITS_INDICATOR) & tw.monthly["village"].notna()]
    rows = rows[rows["month"].isin(months_of_year_until(m))]
    if rows.empty:
        return RuleResult("visits", "party", name, False, False, f"{_span(m)}未录入各村民情恳谈次数")
    months = sorted(rows["month"].unique())
    villages = list(tw.villages["village"])
    values = rows.groupby([rows["village"].astype(object), "month"])["value"].sum()
    grid = pd.MultiIndex.from_product([villages, months], names=["village", "month"])
    checked = values.reindex(grid, fill_value=0.0).rename("value").reset_index()
    checked["month"] = pd.PeriodIndex(checked["month"], freq="M")
    checked["required"] = required
    breaches = checked[checked["value"] < required].sort_values("month", kind="stable").reset_index(drop=True)
    if breaches.empty:
        summary = f"{_span(m)}，{len(villages)}个村（社区）每月民情恳谈均不少于{required}次"
    else:
        items = [f"{r.village}{r.month.month}月{_num(r.value)}次" for r in breaches.itertuples()]
        summary = f"{_span(m)}，有{len(breaches)}村次民情恳谈少于{required}次：{_listing(items)}"
    return RuleResult("visits", "party", name, breaches.empty, True, summary, breaches, checked)


def party_quarterly_rule(tw: Township, month: str | pd.Period) -> RuleResult:
    """Each quarter of the year has party events of type 部署, 督查, 总结 and 通报.

    Only quarters that ended by the end of ``month`` can be in breach; the current one is in progress.
    """
    m = as_month(month)
    name = "党建工作每季度“一部署、一督查、一总结、一通报”"
    events = tw.events[(tw.events["area"] == "party") & tw.events["type"].isin(QUARTERLY_TYPES)]
    when = events["date"].dt.to_period("M")
    events = events[(when <= m) & (when.dt.year == m.year)]
    quarters = pd.period_range(pd.Period(year=m.year, quarter=1, freq="Q"), m.asfreq("Q"), freq="Q")
    rows = []
    for q in quarters:
        in_q = events[events["date"].dt.to_period("Q") == q]
        counts = {t: int((in_q["type"] == t).sum()) for t in QUARTERLY_TYPES}
        missing = [t for t in QUARTERLY_TYPES if counts[t] == 0]
        rows.append({"quarter": q, **counts, "ended": q.asfreq("M", "end") <= m,
                     "missing": "、".join(missing)})
    checked = pd.DataFrame(rows)
    breaches = checked[checked["ended"] & (checked["missing"] != "")].reset_index(drop=True)
    parts = []
    done = checked[checked["ended"] & (checked["missing"] == "")]
    if len(done):
        names = "、".join(QUARTER_NAMES[q.quarter - 1] for q in done["quarter"])
        parts.append(f"{names}均开展了{'、'.join(QUARTERLY_TYPES)}")
    for r in breaches.itertuples():
        parts.append(f"{QUARTER_NAMES[r.quarter.quarter - 1]}未开展{r.missing}")
    current = checked[~checked["ended"]]
    for r in current.itertuples():
        held = [t for t in QUARTERLY_TYPES if getattr(r, t)]
        progress = f"已开展{'、'.join(held)}" if held else "尚未开展"
        parts.append(f"{QUARTER_NAMES[r.quarter.quarter - 1]}进行中，{progress}")
    summary = f"{m.year}年" + "；".join(parts)
    return RuleResult("party_quarterly", "party", name, breaches.empty, True, summary, breaches, checked)


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


def adobe_notice_rule(tw: Township, month: str | pd.Period) -> RuleResult:
    """土坯房 半月一通报: a 通报 titled with 土坯房 in every half-month from the first one (this year) on.

    Half-months run from the first such notice (or 1 January, if notices began earlier) to the end of
    ``month``; a half-month that has not ended by then is not required. No notice at all: not applicable.
    """
    m = as_month(month)
    name = "土坯房改建半月一通报"
    month_end = m.end_time.normalize()
    events = tw.events
    notices = events[(events["type"] == ADOBE_NOTICE_TYPE)
                     & events["title"].str.contains(ADOBE_NOTICE_WORD, regex=False).fillna(False).astype(bool)
                     & (events["date"] <= m.end_time)]
    if notices.empty:
        return RuleResult("adobe_notice", "livelihood", name, False, False,
                          f"截至{m.year}年{m.month}月底未见土坯房改建通报")
    start = max(notices["date"].min(), pd.Timestamp(year=m.year, month=1, day=1))
    halves = half_months(start, month_end)  # the last one ends with the month: every one has ended
    days = notices["date"].dt.normalize()
    halves["notices"] = [int(((days >= h.start) & (days <= h.end)).sum()) for h in halves.itertuples()]
    breaches = halves[halves["notices"] == 0].reset_index(drop=True)
    first = halves.iloc[0]
    since = f"自{first['month'].year}年{first['month'].month}月{first['half']}起"
    if breaches.empty:
        summary = f"{since}每半月均有土坯房改建通报，共{int(halves['notices'].sum())}次"
    else:
        items = [f"{r.month.month}月{r.half}" for r in breaches.itertuples()]
        summary = f"{since}有{len(breaches)}个半月未通报土坯房改建进展：{_listing(items)}"
    return RuleResult("adobe_notice", "livelihood", name, breaches.empty, True, summary, breaches,
                      halves.reset_index(drop=True))


def double_half_rule(tw: Township, month: str | pd.Period, settings: Settings = SETTINGS) -> RuleResult:
    """双过半: by the end of June, each of the investment and retail indicators reached half its target.

    Checks the indicators of ``DOUBLE_HALF_INDICATORS`` that exist and have a target for the year; not
    applicable before June or when none of them does.
    """
    m = as_month(month)
    name = "固定资产投资、民间投资、社消零总额“双过半”"
    if m.month < DOUBLE_HALF_MONTH:
        return RuleResult("double_half", "economy", name, False, False,
                          f"“双过半”在{DOUBLE_HALF_MONTH}月底考核，{m.month}月尚不评价")
    june = pd.Period(year=m.year, month=DOUBLE_HALF_MONTH, freq="M")
    progress = indicator_progress(tw, june, settings)
    rows = progress[progress["indicator"].isin(DOUBLE_HALF_INDICATORS) & progress["target"].notna()]
    if rows.empty:
        return RuleResult("double_half", "economy", name, False, False,
                          "未设固定资产投资、民间投资、社消零总额的年度目标，无法评价“双过半”")
    checked = rows[["indicator", "name", "ytd", "target", "completion_pct"]].reset_index(drop=True)
    checked["required"] = DOUBLE_HALF_PCT
    breaches = checked[~(checked["completion_pct"] >= DOUBLE_HALF_PCT)].reset_index(drop=True)
    shares = "、".join(f"{r.name}{r.completion_pct:.1f}%" for r in checked.itertuples())
    if breaches.empty:
        summary = f"截至{m.year}年6月底，{shares}，均实现“双过半”"
    else:
        short = "、".join(breaches["name"])
        summary = f"截至{m.year}年6月底，{shares}，{short}未过半"
    return RuleResult("double_half", "economy", name, breaches.empty, True, summary, breaches, checked)


def zero_petition_rule(tw: Township, month: str | pd.Period) -> RuleResult:
    """零到省、零进京: no petition case of the year so far reached the province (省) or Beijing (京)."""
    m = as_month(month)
    name = "上访“零到省”“零进京”"
    cases = petitions_ytd(tw, m)
    columns = ["case_id", "month", "village", "level", "status", "topic"]
    breaches = cases[cases["level"].isin(FORBIDDEN_LEVELS)][columns].reset_index(drop=True)
    if breaches.empty:
        summary = f"{_span(m)}共有信访案件{len(cases)}件，无到省、进京上访，实现“零到省”“零进京”"
    else:
        counts = "、".join(f"{'到省' if lv == '省' else '进京'}{int((breaches['level'] == lv).sum())}件"
                          for lv in FORBIDDEN_LEVELS if (breaches["level"] == lv).any())
        items = [f"{r.village}{r.month.month}月（{r.case_id}）" for r in breaches.itertuples()]
        summary = f"{_span(m)}出现{counts}：{_listing(items)}"
    return RuleResult("zero_petition", "safety", name, breaches.empty, True, summary, breaches,
                      cases[columns].reset_index(drop=True))


def daily_refuse_rule(tw: Township, month: str | pd.Period) -> RuleResult:
    """每日一清运: every refuse station (a distinct title of 清运 events) has an event every day.

    Days run from 1 January (or the year's first 清运 event, if later) to the end of ``month``; the
    stations are those with a 清运 event this year by then. None: not applicable.
    """
    m = as_month(month)
    name = "垃圾中转站和垃圾房（池）每日一清运"
    events = tw.events
    year_start = pd.Timestamp(year=m.year, month=1, day=1)
    month_end = m.end_time.normalize()
    days = events["date"].dt.normalize()
    runs = events[(events["type"] == REFUSE_TYPE) & (days >= year_start) & (days <= month_end)]
    if runs.empty:
        return RuleResult("daily_refuse", "safety", name, False, False,
                          f"{_span(m)}未录入垃圾清运记录")
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
        summary = f"{period}，{len(stations)}个垃圾中转站和垃圾房（池）每日均有清运"
    else:
        items = [f"{r.station}（{_date(r.date)}）" for r in breaches.itertuples()]
        summary = f"{period}，有{len(breaches)}站次未按日清运：{_listing(items)}"
    return RuleResult("daily_refuse", "safety", name, breaches.empty, True, summary, breaches, checked)


def rule_checks(tw: Township, month: str | pd.Period, settings: Settings = SETTINGS) -> list[RuleResult]:
    """Every rule at ``month``, in report order of the areas (party, economy, livelihood, safety)."""
    return [
        visits_rule(tw, month, settings),
        party_quarterly_rule(tw, month),
        double_half_rule(tw, month, settings),
        adobe_notice_rule(tw, month),
        zero_petition_rule(tw, month),
        daily_refuse_rule(tw, month),
    ]
