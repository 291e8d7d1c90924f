"""Forecast from the pace: each target's year-end figure at the average pace of the last three months."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis.progress import (
    DECIMALS,
    EPS,
    indicator_progress,
    month_index,
    stock_start,
    township_reported,
    township_table,
)
from helpers.config import SETTINGS, Settings
from helpers.data.township import Township

PACE_MONTHS = 3
"""How many recent months the pace averages over."""
REACHED, AT_RISK = "reached", "at_risk"
"""Whether the year-end figure at the recent pace reaches the target (a ceiling: stays within it)."""
FORECAST_COLUMNS = ("indicator", "recent_pace", "forecast_ytd", "forecast_pct", "forecast_reaches", "forecast", "start")


def indicator_forecast(tw: Township, month: pd.Period, progress: pd.DataFrame | None = None,
                       settings: Settings = SETTINGS) -> pd.DataFrame:
    """Per indicator (indicators.csv order): the recent pace and the year-end figure it gives.

    ``recent_pace`` is, for a flow, the average of the amounts of the report month and the two months
    before it (NaN when one of them is 未报 — a missing month is not 0); for a stock, its change per month
    over the last three months (level at the month minus level three months before, ÷ 3; NaN without both
    levels). ``forecast_ytd`` = year-to-date (stock: level) + pace × months left. ``forecast_pct`` is that
    figure against the target: ytd ÷ target for a flow or a stock kept at a level, the change since the start
    of the year ÷ the change the target asks for otherwise; for a ceiling (better = lower), the year-end
    figure as a share of the ceiling. Rates get no forecast. ``forecast_reaches`` is True/False (None without
    a forecast): at or above the target, or within the ceiling. ``forecast`` is ``REACHED`` / ``AT_RISK`` / None.
    ``start`` is a stock's start-of-year level (NaN for other kinds).
    """
    progress = indicator_progress(tw, month, settings) if progress is None else progress
    index = month_index(tw, month)
    reported = township_reported(tw, index)
    table = township_table(tw, index, reported)
    cols = pd.Index(progress["indicator"].astype(str))
    kind = progress["kind"].astype(str).to_numpy()
    is_flow, is_stock = kind == "flow", kind == "stock"
    lower = (progress["better"].astype(str) == "lower").to_numpy()

    recent = reported.loc[month - (PACE_MONTHS - 1):month, cols].to_numpy()
    flow_pace = np.where(np.isnan(recent).any(axis=0), np.nan, recent.mean(axis=0))
    levels = table.loc[[month - PACE_MONTHS, month], cols].to_numpy()
    stock_pace = (levels[1] - levels[0]) / PACE_MONTHS
    pace = np.where(is_flow, flow_pace, np.where(is_stock, stock_pace, np.nan))

    ytd = progress["ytd"].to_numpy(dtype="float64")
    target = progress["target"].to_numpy(dtype="float64")
    left = progress["months_left"].to_numpy(dtype="float64")
    current = progress["reported"].to_numpy(dtype=bool)
    usable = ~np.isnan(pace) & ~np.isnan(ytd) & ~np.isnan(target) & current
    end = np.where(usable, ytd + pace * left, np.nan).round(DECIMALS)

    start = stock_start(table, month).reindex(cols).to_numpy(dtype="float64")
    asked = target - start
    change_asked = is_stock & np.where(lower, asked < -EPS, asked > EPS)
    ceiling = lower & ~change_asked
    with np.errstate(divide="ignore", invalid="ignore"):
        plain_pct = np.where(change_asked, (end - start) / asked * 100, end / target * 100)
    pct = np.where(np.abs(target) <= EPS, np.nan, plain_pct)
    reaches = np.where(ceiling, end <= target + EPS,
                       np.where(change_asked & lower, end <= target + EPS, end >= target - EPS))
    known = ~np.isnan(end)
    reaches_obj = pd.Series([bool(r) if k else None for r, k in zip(reaches, known, strict=True)], dtype=object)
    label = pd.Series([(REACHED if r else AT_RISK) if k else None for r, k in zip(reaches, known, strict=True)],
                      dtype=object)
    return pd.DataFrame({
        "indicator": cols,
        "recent_pace": np.where(usable, pace, np.nan),
        "forecast_ytd": end,
        "forecast_pct": np.where(np.isnan(end), np.nan, pct),
        "forecast_reaches": reaches_obj,
        "forecast": label,
        "start": np.where(is_stock, start, np.nan),
    })[list(FORECAST_COLUMNS)]


def progress_with_forecast(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> pd.DataFrame:
    """:func:`helpers.analysis.progress.indicator_progress` with the columns of :func:`indicator_forecast`."""
    progress = indicator_progress(tw, month, settings)
    forecast = indicator_forecast(tw, month, progress, settings)
    return pd.concat([progress, forecast.drop(columns="indicator")], axis=1)
