"""Indicator progress: year-to-date, completion against the annual target and the calendar, trends, pace."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.config import SETTINGS, Settings
from helpers.data.periods import months_left
from helpers.data.township import Township

AHEAD, ON_PACE, BEHIND = "超序时", "达序时", "滞后"
"""The three statuses of an indicator with a target measured against 序时进度, best first."""
WITHIN, OVER_PACE, OVER_YEAR = "在控制量内", "超出序时控制量", "超出年度上限"
"""Statuses of a ceiling (better = lower): within the amount allowed so far (target × time progress for a
flow, the target itself for a level), above it, or above the whole year's ceiling. Never 超序时."""
MET, NOT_MET = "已达标", "未达标"
"""Statuses of a rate (kind = rate) and of a level to keep (a stock whose target is at or below its start):
compared with the target directly, no 序时."""
NOT_REPORTED = "未报"
"""The report month has no figure for the indicator (a flow, or a rate): nothing is computed from it."""
BAD_STATUSES = frozenset({BEHIND, OVER_PACE, OVER_YEAR, NOT_MET})
STATUS_KIND = {AHEAD: "ahead", ON_PACE: "on-pace", BEHIND: "behind", WITHIN: "ahead", OVER_PACE: "behind",
               OVER_YEAR: "behind", MET: "ahead", NOT_MET: "behind", NOT_REPORTED: "on-pace"}
"""Each status as good (ahead), neutral (on-pace) or bad (behind), for colours and counts."""
LEVEL_KINDS = ("stock", "rate")
"""Kinds whose figure is a month-end level (carried forward), not a month's amount."""

PROGRESS_COLUMNS = (
    "indicator", "area", "name", "unit", "kind", "better", "ytd", "target", "completion_pct", "time_pct",
    "diff_pp", "status", "this_month", "prev_month", "mom_change", "mom_pct", "last_year_month", "last_year_ytd",
    "yoy_pct",
    "remaining", "months_left", "pace_needed", "target_reached", "through", "reported", "yoy_gaps",
    "allowed", "ytd_months", "yoy_months",
)
DECIMALS = 9  # sums of one-decimal figures are rounded here so that 176.00000000000003 compares as 176
EPS = 1e-9


def indicator_row(tw: Township, indicator: str) -> pd.Series:
    """The indicators.csv row of ``indicator``; ValueError (in Chinese) for an unknown id."""
    found = tw.indicators[tw.indicators["indicator"] == indicator]
    if found.empty:
        raise ValueError(f"未知指标：{indicator}")
    return found.iloc[0]


def month_index(tw: Township, *months: pd.Period) -> pd.PeriodIndex:
    """Every month from January of the year before the earliest month involved to the latest one."""
    present = [m for m in tw.monthly["month"].dropna().unique()] + list(months)
    first, last = min(present), max(present)
    return pd.period_range(pd.Period(year=first.year - 1, month=1, freq="M"), last, freq="M")


def last_data_month(tw: Township, default: pd.Period) -> pd.Period:
    """The last month of the monthly table (``default`` when it is empty)."""
    return tw.monthly["month"].max() if len(tw.monthly) else default


def _codes(values: pd.Series, categories: pd.Index) -> np.ndarray:
    """Positions of ``values`` in ``categories`` (-1 where absent)."""
    return categories.get_indexer(pd.Index(values))


def carry_forward(values: np.ndarray) -> np.ndarray:
    """Carry the last non-NaN value forward along axis 0."""
    valid = ~np.isnan(values)
    shape = (-1,) + (1,) * (values.ndim - 1)
    last = np.where(valid, np.arange(len(values)).reshape(shape), -1)
    last = np.maximum.accumulate(last, axis=0)
    out = np.take_along_axis(values, np.maximum(last, 0), axis=0)
    return np.where(last >= 0, out, np.nan)


def _sum_cells(rows: pd.DataFrame, index: pd.PeriodIndex, columns: pd.Index) -> np.ndarray:
    """Sum of ``value`` per (month, indicator) cell; NaN where no row falls in a cell."""
    mi, ii = _codes(rows["month"], index), _codes(rows["indicator"], columns)
    ok = (mi >= 0) & (ii >= 0)
    total = np.zeros((len(index), len(columns)))
    count = np.zeros((len(index), len(columns)))
    np.add.at(total, (mi[ok], ii[ok]), rows["value"].to_numpy(dtype="float64")[ok])
    np.add.at(count, (mi[ok], ii[ok]), 1)
    return np.where(count > 0, total, np.nan)


def village_cube(rows: pd.DataFrame, index: pd.PeriodIndex, columns: pd.Index,
                 villages: pd.Index) -> np.ndarray:
    """Values of village rows as an array months × indicators × villages; NaN where not reported."""
    cube = np.full((len(index), len(columns), len(villages)), np.nan)
    mi, ii = _codes(rows["month"], index), _codes(rows["indicator"], columns)
    vi = _codes(rows["village"], villages)
    ok = (mi >= 0) & (ii >= 0) & (vi >= 0)
    cube[mi[ok], ii[ok], vi[ok]] = rows["value"].to_numpy(dtype="float64")[ok]
    return cube


def village_figure(tw: Township, index: pd.PeriodIndex) -> pd.DataFrame:
    """The township figure made from village rows alone (NaN where no village reported that month).

    Flows: the sum of the month's village amounts; stocks and rates: the sum of each village's level carried
    forward, in months where at least one village reported.
    """
    m = tw.monthly
    columns = pd.Index(tw.indicators["indicator"].astype(str), name="indicator")
    is_stock = tw.indicators["kind"].astype(str).isin(LEVEL_KINDS).to_numpy()
    by_village = m[m["village"].notna().to_numpy()]
    village_sum = _sum_cells(by_village, index, columns)
    if is_stock.any() and len(by_village):
        stock_rows = by_village[by_village["indicator"].isin(columns[is_stock])]
        villages = pd.Index(stock_rows["village"].unique())
        levels = carry_forward(village_cube(stock_rows, index, columns[is_stock], villages))
        carried = np.where(np.isnan(levels).all(axis=2), np.nan, np.nansum(levels, axis=2))
        reported = ~np.isnan(village_sum[:, is_stock])
        village_sum[:, is_stock] = np.where(reported, carried, np.nan)
    return pd.DataFrame(village_sum, index=index, columns=columns)


def township_village_mismatches(tw: Township) -> pd.DataFrame:
    """Months where an indicator has a whole-township row and village rows that disagree.

    The report uses the township row (see :func:`township_reported`); this lists what it overrode.
    Columns: month, indicator, name, unit, township, villages.
    """
    columns = ["month", "indicator", "name", "unit", "township", "villages"]
    m = tw.monthly
    if m.empty or m["village"].isna().all() or m["village"].notna().all():
        return pd.DataFrame(columns=columns)
    index = month_index(tw, m["month"].max())
    idx = pd.Index(tw.indicators["indicator"].astype(str), name="indicator")
    town = pd.DataFrame(_sum_cells(m[m["village"].isna().to_numpy()], index, idx), index=index, columns=idx)
    villages = village_figure(tw, index)
    differ = town.notna() & villages.notna() & ((town - villages).abs() > 1e-6)
    names = tw.indicators.set_index("indicator")
    rows = []
    for i, j in zip(*np.nonzero(differ.to_numpy()), strict=True):
        month, ind = index[i], idx[j]
        rows.append((month, ind, str(names.at[ind, "name"]), str(names.at[ind, "unit"]), town.at[month, ind],
                     villages.at[month, ind]))
    return pd.DataFrame(rows, columns=columns)


def township_reported(tw: Township, index: pd.PeriodIndex) -> pd.DataFrame:
    """The township figure per month (rows ``index``) and indicator (columns, indicators.csv order).

    A month's figure is the township-level row (empty village) when there is one, else the sum over
    villages: of the month's amounts for a flow, of each village's level carried forward for a stock
    (in months where at least one village reported). NaN where nothing was reported that month.
    """
    m = tw.monthly
    columns = pd.Index(tw.indicators["indicator"].astype(str), name="indicator")
    out = _sum_cells(m[m["village"].isna().to_numpy()], index, columns)
    out = np.where(np.isnan(out), village_figure(tw, index).to_numpy(), out)
    return pd.DataFrame(out, index=index, columns=columns)


def township_table(tw: Township, index: pd.PeriodIndex, reported: pd.DataFrame | None = None) -> pd.DataFrame:
    """The township figure with the design's filling rules (same shape as :func:`township_reported`).

    A flow's missing month counts 0 from January of the first year it has data up to the last month of
    the data (NaN outside that span); a stock's missing month carries the last level forward.
    """
    raw = township_reported(tw, index) if reported is None else reported
    kinds = tw.indicators["kind"].astype(str).to_numpy()
    out = raw.copy()
    stock_cols = raw.columns[np.isin(kinds, LEVEL_KINDS)]
    out[stock_cols] = raw[stock_cols].ffill()
    flow_cols = raw.columns[kinds == "flow"]
    if len(flow_cols):
        flows = raw[flow_cols]
        years = np.asarray(index.year)[:, None]
        has = flows.notna().to_numpy()
        first_year = np.where(has.any(axis=0), np.where(has, years, 10**6).min(axis=0), 10**6)
        last = last_data_month(tw, index[0])
        covered = (years >= first_year[None, :]) & (np.asarray(index <= last)[:, None])
        out[flow_cols] = flows.where(~(flows.isna().to_numpy() & covered), 0.0)
    return out


def stock_start(levels: pd.DataFrame, month: pd.Period) -> pd.Series:
    """Start-of-year level: December of the year before, else the first level of the year up to ``month``."""
    january = pd.Period(year=month.year, month=1, freq="M")
    first_in_year = levels.loc[january:month].bfill().iloc[0]
    return levels.loc[january - 1].combine_first(first_in_year)


def _status(gap: pd.Series, tolerance: float) -> pd.Series:
    """超序时 / 达序时 / 滞后 from a gap in percentage points where positive is good; None for NaN."""
    g = gap.to_numpy(dtype="float64")
    status = np.where(g > tolerance + EPS, AHEAD, np.where(g < -tolerance - EPS, BEHIND, ON_PACE)).astype(object)
    status[np.isnan(g)] = None
    return pd.Series(status, index=gap.index, dtype=object)


def _ratio_pct(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Ratio of numerator to denominator in percent; NaN where the denominator is 0 or NaN."""
    den = denominator.where(denominator != 0)
    return (numerator / den * 100).astype("float64")


def last_reported(reported: pd.DataFrame, since: pd.Period, until: pd.Period) -> pd.Series:
    """Per indicator (column), the last month in ``since..until`` that has a figure; NaT where none."""
    part = reported.loc[since:until]
    has = part.notna().to_numpy()
    last = np.where(has.any(axis=0), len(part) - 1 - np.argmax(has[::-1], axis=0), -1)
    return pd.Series([part.index[i] if i >= 0 else pd.NaT for i in last], index=reported.columns, dtype=object)


def _same_months_last_year(reported: pd.DataFrame, m: pd.Period) -> tuple[pd.Series, ...]:
    """Flows: this year's and last year's sums over the months January..m that both years reported.

    Also how many months this year reported that last year did not, and as tuples of month numbers the months
    this year reported and the months both did (what 同比 compares). Sums are NaN where no month is common.
    """
    jan = pd.Period(year=m.year, month=1, freq="M")
    now = reported.loc[jan:m].to_numpy()
    before = reported.loc[jan - 12:m - 12].to_numpy()
    both = ~np.isnan(now) & ~np.isnan(before)
    common = both.any(axis=0)
    this_sum = np.where(common, np.where(both, now, 0).sum(axis=0), np.nan)
    last_sum = np.where(common, np.where(both, before, 0).sum(axis=0), np.nan)
    gaps = np.where(common, (~np.isnan(now) & np.isnan(before)).sum(axis=0), 0)
    cols = reported.columns

    def months(mask: np.ndarray) -> pd.Series:
        return pd.Series([tuple(int(k) + 1 for k in np.flatnonzero(mask[:, j])) for j in range(mask.shape[1])],
                         index=cols, dtype=object)

    return (pd.Series(this_sum, index=cols), pd.Series(last_sum, index=cols), pd.Series(gaps, index=cols),
            months(~np.isnan(now)), months(both))


def _ceiling_status(ytd: pd.Series, target: pd.Series, allowed: pd.Series, tolerance: float) -> pd.Series:
    """在控制量内 / 超出序时控制量 / 超出年度上限 (None without a figure or a target)."""
    slack = target.abs() * tolerance / 100 + EPS
    status = np.where(ytd > target + EPS, OVER_YEAR, np.where(ytd > allowed + slack, OVER_PACE, WITHIN))
    out = pd.Series(status.astype(object), index=ytd.index)
    return out.where(ytd.notna() & target.notna(), None)


def indicator_progress(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> pd.DataFrame:
    """Year-to-date, completion, status, trends and pace of every indicator (indicators.csv order).

    **Missing is not zero.** A flow's year-to-date is the sum of the months of the year that have a figure,
    and runs ``through`` the last of them; when that is before the report month, the month is 未报
    (``reported`` False): time progress, completion and status are those of ``through``, and there is no
    month-on-month change and no pace. A flow with no figure this year has no year-to-date (NaN). 同比
    compares the same months of both years (``last_year_ytd`` is last year's sum over the months both years
    reported; ``yoy_gaps`` counts this year's months that last year lacks; ``ytd_months`` are the months this
    year reported and ``yoy_months`` those both years did, as month numbers). A stock is its level in the month,
    carried forward from its last report (``through``).

    Completion: flow ytd ÷ target; stock the change since the start of the year ÷ the change the target asks
    for, or level ÷ target where it asks for no increase. A target at or below the start level is a level to
    keep: like a rate it is compared with the target directly (已达标 / 未达标, no time progress), so a level
    that fell below it is never "高于序时进度" and one above it never "滞后". Status: 超序时 / 达序时 / 滞后 comparing
    completion with time progress within
    ``settings.on_pace_tolerance_pp``. A ceiling (``better = lower``; a stock that must fall is a reduction
    target instead) has no completion: ``allowed`` is target × time progress (flow) or the target (stock) and
    the status is 在控制量内 / 超出序时控制量 / 超出年度上限. A rate (``kind = rate``) is a level compared with its
    target directly: no completion, no time progress, status 已达标 / 未达标, ``remaining`` in points.

    Columns: see ``PROGRESS_COLUMNS``. ``last_year_month`` is the same month of last year (a flow's amount as
    reported, NaN where not; a stock's level). ``remaining`` is target − ytd; ``pace_needed`` is remaining ÷ months
    left for a flow or stock still short of its target (NaN for ceilings, rates, an unreported month, or
    when no month is left).
    """
    index = month_index(tw, month)
    reported = township_reported(tw, index)
    table = township_table(tw, index, reported)
    jan = pd.Period(year=month.year, month=1, freq="M")

    ind = tw.indicators.set_index("indicator", drop=False)
    kind = ind["kind"].astype(str).to_numpy()
    is_flow, is_stock, is_rate = kind == "flow", kind == "stock", kind == "rate"
    lower = (ind["better"].astype(str) == "lower").to_numpy()
    cols = ind.index

    through = pd.Series(np.where(is_flow, last_reported(reported, jan, month),
                                 last_reported(reported, index[0], month)), index=cols, dtype=object)
    now = reported.loc[month].to_numpy()
    reported_now = ~np.isnan(now) | is_stock  # a stock's level persists until it is reported again
    ytd = pd.Series(np.where(is_flow, reported.loc[jan:month].sum(min_count=1), table.loc[month]), index=cols)
    ytd = ytd.round(DECIMALS)
    through_month = np.array([t.month if isinstance(t, pd.Period) and is_flow[i] else month.month
                              for i, t in enumerate(through)])
    targets = tw.targets[tw.targets["year"] == month.year].drop_duplicates("indicator", keep="last")
    target = targets.set_index("indicator")["target"].reindex(cols).astype("float64")
    start = stock_start(table, month).reindex(cols)
    asked = target - start
    change_asked = is_stock & np.where(lower, asked < -EPS, asked > EPS)
    ceiling = lower & ~is_rate & ~change_asked
    plain = ~ceiling & ~is_rate
    # a level to keep (a stock whose target is at or below its start): like a rate, met or not, no 序时
    holds_level = (is_stock & ~change_asked & ~lower & target.notna() & start.notna()).to_numpy()
    time_pct = pd.Series(np.where(is_rate | holds_level, np.nan, through_month / 12 * 100), index=cols)

    completion = pd.Series(np.where(change_asked, _ratio_pct(ytd - start, asked), _ratio_pct(ytd, target)),
                           index=cols).where(plain)
    diff = (completion - time_pct).where(plain)
    zero_target = (target.abs() <= EPS) & ~change_asked
    gap = diff.where(~zero_target, pd.Series(np.where(ytd.abs() <= EPS, 0.0, np.inf), index=cols))
    status = _status(gap.where(target.notna() & ytd.notna()), settings.on_pace_tolerance_pp)

    allowed = pd.Series(np.where(is_flow, target * time_pct / 100, target), index=cols).where(ceiling)
    status = status.where(~ceiling, _ceiling_status(ytd, target, allowed, settings.on_pace_tolerance_pp))
    met = pd.Series(np.where(lower, ytd <= target + EPS, ytd >= target - EPS), index=cols)
    rate_status = pd.Series(np.where(met, MET, NOT_MET).astype(object), index=cols)
    status = status.where(~(is_rate | holds_level), rate_status.where(ytd.notna() & target.notna(), None))

    this_month = pd.Series(np.where(is_flow, now, table.loc[month]), index=cols)
    prev_month = pd.Series(np.where(is_flow, reported.loc[month - 1], table.loc[month - 1]), index=cols)
    last_year_month = pd.Series(np.where(is_flow, reported.loc[month - 12], table.loc[month - 12]), index=cols)
    this_common, last_common, gaps, ytd_months, yoy_months = _same_months_last_year(reported, month)
    last_ytd = pd.Series(np.where(is_flow, last_common, table.loc[month - 12]), index=cols).round(DECIMALS)
    yoy_base = pd.Series(np.where(is_flow, this_common, ytd), index=cols)

    reached_plain = np.where(zero_target, ytd >= target - EPS, completion >= 100 - EPS)
    reached_ceiling = np.where(is_flow, (month.month == 12) & (ytd <= target + EPS), ytd <= target + EPS)
    reached = pd.Series(np.where(is_rate, met, np.where(ceiling, reached_ceiling, reached_plain)), index=cols)
    reached = reached & target.notna() & ytd.notna()
    remaining = (target - ytd).round(DECIMALS)
    left = months_left(month)
    keep_pace = ~reached & plain & (remaining > EPS) & reported_now
    pace = (remaining / left if left else remaining * np.nan).where(keep_pace)

    out = pd.DataFrame({
        "indicator": ind["indicator"].astype(str),
        "area": ind["area"],
        "name": ind["name"].astype(str),
        "unit": ind["unit"].astype(str),
        "kind": ind["kind"].astype(str),
        "better": ind["better"].astype(str),
        "ytd": ytd,
        "target": target,
        "completion_pct": completion.where(target.notna()),
        "time_pct": time_pct,
        "diff_pp": diff.where(target.notna()),
        "status": status,
        "this_month": this_month,
        "prev_month": prev_month,
        "mom_change": (this_month - prev_month).round(DECIMALS),
        "mom_pct": _ratio_pct(this_month - prev_month, prev_month).where(~is_rate),
        "last_year_month": last_year_month.round(DECIMALS),
        "last_year_ytd": last_ytd,
        "yoy_pct": _ratio_pct(yoy_base - last_ytd, last_ytd).where(~is_rate),
        "remaining": remaining,
        "months_left": left,
        "pace_needed": pace.astype("float64"),
        "target_reached": reached.astype(bool),
        "through": pd.PeriodIndex(list(through), freq="M"),
        "reported": pd.Series(reported_now, index=cols).astype(bool),
        "yoy_gaps": gaps.where(pd.Series(is_flow, index=cols), 0).astype(int),
        "allowed": allowed.astype("float64"),
        "ytd_months": ytd_months.where(pd.Series(is_flow, index=cols), pd.Series([()] * len(cols), index=cols)),
        "yoy_months": yoy_months.where(pd.Series(is_flow, index=cols), pd.Series([()] * len(cols), index=cols)),
    })
    return out.reset_index(drop=True)[list(PROGRESS_COLUMNS)]


def key_figures(tw: Township, month: pd.Period, area: str | None = None,
                settings: Settings = SETTINGS) -> pd.DataFrame:
    """The rows of :func:`indicator_progress` that have a target, optionally of one area."""
    progress = indicator_progress(tw, month, settings)
    keep = progress["target"].notna()
    if area is not None:
        keep &= progress["area"].astype(str) == area
    return progress[keep].reset_index(drop=True)


def monthly_series(tw: Township, indicator: str, year: int) -> pd.DataFrame:
    """Twelve months of one indicator's township figure with its cumulative path and the target pace.

    Columns: month (Period), value (the month's amount or reported level; NaN where no data), cumulative
    (flow: running sum of the months reported, NaN after the indicator's last report of the year; stock:
    level carried forward, NaN after the last month of the data), target (the year's target, NaN if none),
    target_pace (flow: target × m/12; stock: start + (target − start) × m/12, start as in
    :func:`indicator_progress`).
    """
    row = indicator_row(tw, indicator)
    months = pd.period_range(pd.Period(year=year, month=1, freq="M"), periods=12, freq="M")
    index = month_index(tw, months[-1])
    reported = township_reported(tw, index)
    table = township_table(tw, index, reported)
    value = reported.loc[months, indicator].to_numpy()
    series = table.loc[months, indicator]
    last = last_data_month(tw, months[0] - 1)
    in_data = np.asarray(months <= last)
    is_stock = str(row["kind"]) in LEVEL_KINDS
    cumulative = series if is_stock else series.fillna(0).cumsum().round(DECIMALS)
    if not is_stock:  # a flow's path stops at its own last report: a month not yet reported is not 0
        own = reported.loc[months, indicator].notna().to_numpy()
        in_data &= np.arange(12) <= (np.flatnonzero(own).max() if own.any() else -1)
    cumulative = cumulative.where(in_data).to_numpy()
    found = tw.targets[(tw.targets["year"] == year) & (tw.targets["indicator"] == indicator)]["target"]
    target = float(found.iloc[-1]) if len(found) else np.nan
    share = np.arange(1, 13) / 12
    if is_stock:
        until = min(last, months[-1]) if last >= months[0] else months[0]
        start = stock_start(table[[indicator]], until)[indicator]
        pace = start + (target - start) * share
    else:
        pace = target * share
    return pd.DataFrame({"month": months, "value": value, "cumulative": cumulative,
                         "target": target, "target_pace": pace})
