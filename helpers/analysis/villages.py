"""Village view: village-level indicators per village and per branch (党总支), rankings with 末位, month grids."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis.progress import DECIMALS, carry_forward, indicator_row, last_data_month, month_index, village_cube
from helpers.config import SETTINGS, Settings
from helpers.data.township import Township

RANKING_COLUMNS = ("indicator", "name", "unit", "village", "branch", "value", "per_capita", "rank", "bottom")


def village_level_indicators(tw: Township, month: pd.Period | None = None, area: str | None = None) -> list[str]:
    """Indicators (indicators.csv order) with at least one village row up to ``month``, optionally of one area."""
    rows = tw.monthly[tw.monthly["village"].notna()]
    if month is not None:
        rows = rows[rows["month"] <= month]
    found = set(rows["indicator"].astype(str))
    ind = tw.indicators
    if area is not None:
        ind = ind[ind["area"].astype(str) == area]
    return [i for i in ind["indicator"].astype(str) if i in found]


def _village_months(tw: Township, indicator: str, index: pd.PeriodIndex) -> np.ndarray:
    """One indicator's village rows as an array months (``index``) × villages (villages.csv order)."""
    m = tw.monthly
    rows = m[(m["indicator"] == indicator) & m["village"].notna()]
    villages = pd.Index(tw.villages["village"].astype(str))
    return village_cube(rows, index, pd.Index([indicator]), villages)[:, 0, :]


def village_indicator_ytd(tw: Township, indicator: str, month: pd.Period) -> pd.DataFrame:
    """Year-to-date of a village-level indicator for every village of villages.csv (0 where no data).

    Columns: village, branch, kind (村/社区), population, value (flow: sum January..month; stock: level in the
    month, carried forward), per_capita (value per 1,000 residents), reported (the village has a row for the
    indicator: this year for a flow, up to the month for a stock).
    """
    row = indicator_row(tw, indicator)
    index = month_index(tw, month)
    index = index[index <= month]
    grid = _village_months(tw, indicator, index)
    if str(row["kind"]) == "stock":
        value = carry_forward(grid)[-1]
        reported = ~np.isnan(value)
    else:
        this_year = grid[np.asarray(index.year == month.year)]
        value = np.nansum(this_year, axis=0)
        reported = (~np.isnan(this_year)).any(axis=0)
    v = tw.villages
    population = v["population"].astype("float64").to_numpy()
    value = np.round(np.nan_to_num(value, nan=0.0), DECIMALS)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_capita = np.where(population > 0, value / population * 1000, np.nan)
    return pd.DataFrame({
        "village": v["village"].astype(str).to_numpy(),
        "branch": v["branch"].astype(str).to_numpy(),
        "kind": v["kind"].astype(str).to_numpy(),
        "population": v["population"].to_numpy(),
        "value": value,
        "per_capita": per_capita,
        "reported": reported,
    })


def rank_values(values: pd.Series, better: str, bottom_n: int) -> tuple[pd.Series, pd.Series]:
    """Competition ranks (1 = best, ties share the best rank) and the 末位 flags.

    A value is 末位 when it is among the ``bottom_n`` worst, counting ties at that rank all in; a value tied
    with the best is never 末位 (when every village is level there is no bottom).
    """
    higher = better != "lower"
    rank = values.rank(ascending=not higher, method="min")
    from_bottom = values.rank(ascending=higher, method="min")
    bottom = (from_bottom <= bottom_n) & (rank > 1)
    return rank.astype(int), bottom.astype(bool)


def village_ranking(tw: Township, area: str, month: pd.Period, settings: Settings = SETTINGS) -> pd.DataFrame:
    """Villages ranked on each village-level indicator of ``area``, the bottom ``settings.bottom_n`` flagged.

    Only villages that report the indicator are ranked (a community that demolishes no adobe houses is not
    last at it). Rows: per indicator (indicators.csv order), best first; columns ``RANKING_COLUMNS``.
    """
    frames = []
    for indicator in village_level_indicators(tw, month, area):
        row = indicator_row(tw, indicator)
        ytd = village_indicator_ytd(tw, indicator, month)
        ytd = ytd[ytd["reported"]].copy()
        if ytd.empty:
            continue
        ytd["rank"], ytd["bottom"] = rank_values(ytd["value"], str(row["better"]), settings.bottom_n)
        ytd["indicator"], ytd["name"], ytd["unit"] = indicator, str(row["name"]), str(row["unit"])
        frames.append(ytd.sort_values("rank", kind="stable"))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("value", "per_capita") else object)
                             for c in RANKING_COLUMNS}).astype({"rank": int, "bottom": bool})
    return pd.concat(frames, ignore_index=True)[list(RANKING_COLUMNS)]


def branch_rollup(tw: Township, indicator: str, month: pd.Period) -> pd.DataFrame:
    """Year-to-date of a village-level indicator per party branch (党总支), in villages.csv order.

    Columns: branch, villages (count), population, value (sum over the branch's villages), per_capita.
    """
    ytd = village_indicator_ytd(tw, indicator, month)
    out = ytd.groupby("branch", sort=False).agg(villages=("village", "size"), population=("population", "sum"),
                                                 value=("value", "sum")).reset_index()
    out["value"] = out["value"].round(DECIMALS)
    population = out["population"].astype("float64")
    out["per_capita"] = (out["value"] / population.where(population > 0) * 1000).astype("float64")
    return out


def village_month_matrix(tw: Township, indicator: str, year: int,
                         until: pd.Period | None = None) -> pd.DataFrame:
    """Villages (rows, villages.csv order) × months of ``year`` (columns, Periods up to ``until``).

    A flow shows the month's amount (0 for a month missing in a year the village reports the indicator,
    NaN for a village without any row that year); a stock shows the month-end level carried forward (NaN
    before the first report). ``until`` defaults to December, or to the last month of the data in its year.
    """
    row = indicator_row(tw, indicator)
    december = pd.Period(year=year, month=12, freq="M")
    last = last_data_month(tw, december)
    end = until if until is not None else min(december, last)
    months = pd.period_range(pd.Period(year=year, month=1, freq="M"), min(end, december), freq="M")
    index = month_index(tw, december)
    grid = _village_months(tw, indicator, index)
    if str(row["kind"]) == "stock":
        grid = carry_forward(grid)
    else:
        in_year = grid[np.asarray(index.year == year)]
        reports = (~np.isnan(in_year[: len(months)])).any(axis=0)
        grid = np.where(np.isnan(grid) & reports[None, :], 0.0, grid)
    values = grid[index.get_indexer(months)] if len(months) else np.empty((0, grid.shape[1]))
    out = pd.DataFrame(values.T, index=pd.Index(tw.villages["village"].astype(str), name="village"),
                       columns=pd.PeriodIndex(months, name="month"))
    return out
