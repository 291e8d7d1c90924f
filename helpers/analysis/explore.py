"""Questions beyond the report, as ``notebooks/explore.ipynb`` asks them.

A village against the township, the villages behind a figure, a year against the last, a quarter's rule breaches.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from helpers.analysis.progress import BEHIND, DECIMALS, indicator_progress, indicator_row, monthly_series
from helpers.analysis.rules import RuleResult, rule_checks
from helpers.analysis.villages import rank_values, village_indicator_ytd, village_level_indicators, village_month_matrix
from helpers.config import SETTINGS, Settings
from helpers.data.township import Township


def _share_pct(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``part`` as a percentage of ``whole``; NaN where the whole is 0 or missing."""
    return (part / whole.where(whole != 0) * 100).astype("float64")


def check_village(tw: Township, village: str) -> str:
    """``village`` if villages.csv has it; else a ValueError (in Chinese) listing the villages."""
    known = list(tw.villages["village"].astype(str))
    if village not in known:
        raise ValueError(f"未知村（社区）：{village}（可选：{'、'.join(known)}）")
    return village


def check_village_level(tw: Township, indicator: str) -> str:
    """``indicator`` if it has village rows; else a ValueError (in Chinese) naming the ones that do."""
    indicator_row(tw, indicator)
    found = village_level_indicators(tw)
    if indicator not in found:
        raise ValueError(f"指标 {indicator} 没有分村数据（有分村数据的指标：{'、'.join(found) or '无'}）")
    return indicator


def lagging_indicators(tw: Township, month: pd.Period, settings: Settings = SETTINGS,
                       village_level: bool = False) -> list[str]:
    """Indicators (indicators.csv order) whose status is 滞后 at ``month``; optionally only those with village rows."""
    progress = indicator_progress(tw, month, settings)
    found = list(progress.loc[progress["status"] == BEHIND, "indicator"])
    if village_level:
        by_village = set(village_level_indicators(tw, month))
        found = [i for i in found if i in by_village]
    return found


def village_against_township(tw: Township, indicator: str, village: str, month: pd.Period) -> pd.DataFrame:
    """One village's months of a village-level indicator beside the township's, January to ``month``.

    Columns: month (Period), village (the month's amount for a flow, 0 in a month the village did not report
    in a year it reports; the level carried forward for a stock), township (the township figure: the sum over
    villages, NaN where nobody reported; a stock's level carried forward), share_pct (village ÷ township).
    """
    check_village(tw, village)
    check_village_level(tw, indicator)
    matrix = village_month_matrix(tw, indicator, month.year, until=month)
    series = monthly_series(tw, indicator, month.year)
    series = series[series["month"] <= month].reset_index(drop=True)
    column = "cumulative" if str(indicator_row(tw, indicator)["kind"]) == "stock" else "value"
    town = series[column].astype("float64")
    own = pd.Series(matrix.loc[village].reindex(pd.PeriodIndex(series["month"])).to_numpy(), dtype="float64")
    return pd.DataFrame({"month": series["month"], "village": own, "township": town,
                         "share_pct": _share_pct(own, town)})


def villages_behind(tw: Township, indicator: str, month: pd.Period,
                    settings: Settings = SETTINGS) -> pd.DataFrame:
    """The villages that make up a township figure, worst first: year-to-date, share, rank, 末位.

    Only villages that report the indicator are listed (as in the report's ranking). Columns: village, branch,
    value, share_pct (of the villages' total), per_capita (per 1,000 residents), rank (1 = best), bottom.
    """
    check_village_level(tw, indicator)
    row = indicator_row(tw, indicator)
    ytd = village_indicator_ytd(tw, indicator, month)
    ytd = ytd[ytd["reported"]].copy()
    ytd["share_pct"] = _share_pct(ytd["value"], pd.Series(ytd["value"].sum(), index=ytd.index))
    ytd["rank"], ytd["bottom"] = rank_values(ytd["value"], str(row["better"]), settings.bottom_n)
    ytd = ytd.sort_values(["rank", "village"], ascending=[False, True], kind="stable")
    columns = ["village", "branch", "value", "share_pct", "per_capita", "rank", "bottom"]
    return ytd[columns].reset_index(drop=True)


def _running_total(values: pd.Series) -> pd.Series:
    """Cumulative sum, missing months counted 0, NaN until the first reported month (missing is not zero)."""
    return values.fillna(0).cumsum().round(DECIMALS).where(values.notna().cumsum() > 0)


def year_against_last(tw: Township, indicator: str, month: pd.Period) -> pd.DataFrame:
    """Each month of the year to ``month`` against the same month of the year before, and so far against so far.

    Columns: month (this year's Period), this_year, last_year (the month's amount for a flow, the reported level
    for a stock; NaN where the data has none), change, change_pct, then this_year_total and last_year_total
    (flow: the running year-to-date; stock: the level carried forward) and total_change_pct.
    """
    stock = str(indicator_row(tw, indicator)["kind"]) == "stock"
    now, before = monthly_series(tw, indicator, month.year), monthly_series(tw, indicator, month.year - 1)
    keep = np.asarray(now["month"] <= month)
    now, before = now[keep].reset_index(drop=True), before[keep].reset_index(drop=True)
    this, last = now["value"].astype("float64"), before["value"].astype("float64")
    if stock:
        this_total, last_total = now["cumulative"].astype("float64"), before["cumulative"].astype("float64")
    else:
        this_total, last_total = _running_total(this), _running_total(last)
    return pd.DataFrame({
        "month": now["month"],
        "this_year": this,
        "last_year": last,
        "change": (this - last).round(DECIMALS),
        "change_pct": _share_pct(this - last, last),
        "this_year_total": this_total,
        "last_year_total": last_total,
        "total_change_pct": _share_pct(this_total - last_total, last_total),
    })


def _row_quarters(breaches: pd.DataFrame) -> pd.Series | None:
    """The quarter each breach row falls in, from its quarter, month or date column (None if it has none)."""
    for column in ("quarter", "month", "date"):
        if column in breaches.columns:
            values = breaches[column]
            if isinstance(values.dtype, pd.PeriodDtype):
                return values.dt.asfreq("Q")
            return pd.to_datetime(values).dt.to_period("Q")
    return None


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(map(str, row)) for row in frame.astype(object).itertuples(index=False)]


def quarter_breaches(tw: Township, quarter: pd.Period, settings: Settings = SETTINGS) -> list[RuleResult]:
    """Every rule at the end of ``quarter`` (or at the data's last month), with only the breaches in the quarter.

    A breach row without a date (双过半) falls in the quarter when the check at the end of the quarter before
    (same year) did not already have it. ``passed`` is recomputed for the quarter; ``summary`` remains the
    year-to-date one. A quarter that starts after the data ends is refused.
    """
    q = quarter.asfreq("Q")
    first, last = q.asfreq("M", "start"), q.asfreq("M", "end")
    if first > tw.last_month:
        end = tw.last_month
        raise ValueError(f"{q.year}年第{q.quarter}季度没有数据（数据截至{end.year}年{end.month}月）")
    at = min(last, tw.last_month)
    before = {r.id: r for r in rule_checks(tw, first - 1, settings)} if q.quarter > 1 else {}
    out = []
    for result in rule_checks(tw, at, settings):
        if not result.applicable:
            out.append(result)
            continue
        quarters = _row_quarters(result.breaches)
        if quarters is not None:
            inside = (quarters == q).to_numpy(dtype=bool)
        else:
            earlier = before.get(result.id)
            seen = set(_rows(earlier.breaches)) if earlier is not None and earlier.applicable else set()
            inside = np.array([row not in seen for row in _rows(result.breaches)], dtype=bool)
        breaches = result.breaches[inside].reset_index(drop=True)
        out.append(dataclasses.replace(result, breaches=breaches, passed=breaches.empty))
    return out
