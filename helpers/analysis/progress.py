"""Indicator progress: year-to-date, completion against the annual target and the calendar, trends, pace."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.config import SETTINGS, Settings
from helpers.data.periods import as_month, months_left, time_progress_pct
from helpers.data.township import Township

AHEAD, ON_PACE, BEHIND = "超序时", "达序时", "滞后"
"""The three statuses of an indicator with a target, best first."""

PROGRESS_COLUMNS = (
    "indicator", "area", "name", "unit", "kind", "better", "ytd", "target", "completion_pct", "time_pct",
    "diff_pp", "status", "this_month", "prev_month", "mom_change", "mom_pct", "last_year_ytd", "yoy_pct",
    "remaining", "months_left", "pace_needed", "target_reached",
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


def township_reported(tw: Township, index: pd.PeriodIndex) -> pd.DataFrame:
    """The township figure per month (rows ``index``) and indicator (columns, indicators.csv order).

    A month's figure is the township-level row (empty village) when there is one, else the sum over
    villages: of the month's amounts for a flow, of each village's level carried forward for a stock
    (in months where at least one village reported). NaN where nothing was reported that month.
    """
    m = tw.monthly
    columns = pd.Index(tw.indicators["indicator"].astype(str), name="indicator")
    is_stock = (tw.indicators["kind"].astype(str) == "stock").to_numpy()
    at_village = m["village"].notna().to_numpy()
    out = _sum_cells(m[~at_village], index, columns)
    by_village = m[at_village]
    village_sum = _sum_cells(by_village, index, columns)
    if is_stock.any() and len(by_village):
        stock_rows = by_village[by_village["indicator"].isin(columns[is_stock])]
        villages = pd.Index(stock_rows["village"].unique())
        levels = carry_forward(village_cube(stock_rows, index, columns[is_stock], villages))
        carried = np.where(np.isnan(levels).all(axis=2), np.nan, np.nansum(levels, axis=2))
        reported = ~np.isnan(village_sum[:, is_stock])
        village_sum[:, is_stock] = np.where(reported, carried, np.nan)
    out = np.where(np.isnan(out), village_sum, out)
    return pd.DataFrame(out, index=index, columns=columns)


def township_table(tw: Township, index: pd.PeriodIndex, reported: pd.DataFrame | None = None) -> pd.DataFrame:
    """The township figure with the design's filling rules (same shape as :func:`township_reported`).

    A flow's missing month counts 0 from January of the first year it has data up to the last month of
    the data (NaN outside that span); a stock's missing month carries the last level forward.
    """
    raw = township_reported(tw, index) if reported is None else reported
    kinds = tw.indicators["kind"].astype(str).to_numpy()
    out = raw.copy()
    stock_cols = raw.columns[kinds == "stock"]
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


def indicator_progress(tw: Township, month: str | pd.Period, settings: Settings = SETTINGS) -> pd.DataFrame:
    """Year-to-date, completion, status, trends and pace of every indicator (indicators.csv order).

    Flow: year-to-date is the sum of January..month (missing months count 0), completion is ytd ÷ target.
    Stock: the level in the month (carried forward), completion is the change since the start of the year
    ÷ the change the target asks for; where it asks for no change, level ÷ target. ``diff_pp`` is
    completion minus time progress. Status compares them within ``settings.on_pace_tolerance_pp``; for a
    ``better = lower`` flow the target is a ceiling, so using less of it than time progress is ahead, and
    for a ``better = lower`` stock asked to hold its level, the target is a ceiling all year (good while
    level ≤ target). With a target of 0 the status compares the figure with 0 (0 is 达序时).

    Columns: see ``PROGRESS_COLUMNS``. ``this_month``/``prev_month`` are the month's amount (flow) or level
    (stock); ``last_year_ytd`` is the same months of the year before (stock: the level a year earlier), NaN
    where the data has no such year; ``remaining`` is target − ytd (flow) or target − level (stock);
    ``pace_needed`` is remaining ÷ months left, NaN where there is no target, the target is reached, the
    indicator is ``better = lower`` or no month is left.
    """
    m = as_month(month)
    index = month_index(tw, m)
    table = township_table(tw, index)
    year_months = table.loc[pd.Period(year=m.year, month=1, freq="M"):m]
    last_year = table.loc[pd.Period(year=m.year - 1, month=1, freq="M"):m - 12]

    ind = tw.indicators.set_index("indicator", drop=False)
    is_stock = (ind["kind"].astype(str) == "stock").to_numpy()
    lower = (ind["better"].astype(str) == "lower").to_numpy()

    ytd = pd.Series(np.where(is_stock, table.loc[m], year_months.sum()), index=ind.index).round(DECIMALS)
    last_ytd = pd.Series(np.where(is_stock, table.loc[m - 12], last_year.sum(min_count=1)),
                         index=ind.index).round(DECIMALS)
    targets = tw.targets[tw.targets["year"] == m.year].drop_duplicates("indicator", keep="last")
    target = targets.set_index("indicator")["target"].reindex(ind.index).astype("float64")

    start = stock_start(table, m).reindex(ind.index)
    asked = target - start
    change_asked = is_stock & (asked.abs() > EPS).to_numpy()
    completion = pd.Series(np.where(change_asked, _ratio_pct(ytd - start, asked), _ratio_pct(ytd, target)),
                           index=ind.index)
    time_pct = time_progress_pct(m)
    diff = completion - time_pct

    holds_ceiling = lower & is_stock & ~change_asked
    gap = pd.Series(np.where(holds_ceiling, 100 - completion, np.where(lower & ~is_stock, -diff, diff)),
                    index=ind.index)
    zero_target = (target.abs() <= EPS) & ~change_asked
    zero_gap = np.where(ytd.abs() <= EPS, 0.0, np.where(lower, -np.inf, np.inf))
    gap = gap.where(~zero_target, pd.Series(zero_gap, index=ind.index)).where(target.notna() & ytd.notna())
    status = _status(gap, settings.on_pace_tolerance_pp)

    this_month, prev_month = table.loc[m], table.loc[m - 1]
    reached_higher = np.where(zero_target, ytd >= target - EPS, completion >= 100 - EPS)
    reached_lower = np.where(is_stock, np.where(change_asked, completion >= 100 - EPS, ytd <= target + EPS),
                             (m.month == 12) & (ytd <= target + EPS))
    reached = pd.Series(np.where(lower, reached_lower, reached_higher), index=ind.index) & target.notna()
    reached &= ytd.notna()
    remaining = (target - ytd).round(DECIMALS)
    left = months_left(m)
    pace = (remaining / left if left else remaining * np.nan).where(~reached & ~lower & (remaining > EPS))

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
        "mom_pct": _ratio_pct(this_month - prev_month, prev_month),
        "last_year_ytd": last_ytd,
        "yoy_pct": _ratio_pct(ytd - last_ytd, last_ytd),
        "remaining": remaining,
        "months_left": left,
        "pace_needed": pace.astype("float64"),
        "target_reached": reached.astype(bool),
    })
    return out.reset_index(drop=True)[list(PROGRESS_COLUMNS)]


def key_figures(tw: Township, month: str | pd.Period, area: str | None = None,
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
    (flow: running sum, missing months 0; stock: level carried forward; NaN after the last month of the
    data), target (the year's target, NaN if none), target_pace (flow: target × m/12; stock: start +
    (target − start) × m/12, start as in :func:`indicator_progress`).
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
    is_stock = str(row["kind"]) == "stock"
    cumulative = series if is_stock else series.fillna(0).cumsum().round(DECIMALS)
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
