"""Months: the one parser of month and quarter text into Periods (errors in Chinese), and month arithmetic.

Text becomes a Period where it enters (a notebook's parameters, a render job's month, the explore and county
entry points); from there on every analysis and report function takes a ``pd.Period``.
"""

from __future__ import annotations

import pandas as pd


def as_month(month: str | pd.Period) -> pd.Period:
    """A report month as a monthly Period (accepts 'YYYY-MM' or a Period); a ValueError in Chinese otherwise."""
    if isinstance(month, pd.Period):
        return month.asfreq("M")
    try:
        period = pd.Period(str(month), freq="M")
    except ValueError:
        period = pd.NaT
    if period is pd.NaT:
        raise ValueError(f"月份格式应为 YYYY-MM，例如 2018-08，收到：{month}")
    return period


def parse_quarter(text: str) -> pd.Period:
    """'2018Q2' (or '2018-Q2', '2018q2') as a quarterly Period; a ValueError in Chinese otherwise."""
    cleaned = str(text).strip().upper().replace("-", "")
    if len(cleaned) != 6 or not cleaned[:4].isdigit() or cleaned[4] != "Q" or cleaned[5] not in "1234":
        raise ValueError(f"季度格式应为 YYYYQn，例如 2018Q2，收到：{text}")
    return pd.Period(cleaned, freq="Q")


def as_quarter(quarter: str | pd.Period) -> pd.Period:
    """A quarter as a quarterly Period: text as :func:`parse_quarter` reads it, or any Period's quarter."""
    return parse_quarter(quarter) if isinstance(quarter, str) else quarter.asfreq("Q")


def time_progress_pct(month: pd.Period) -> float:
    """序时进度: the share of the year elapsed at the end of the month, in percent."""
    return month.month / 12 * 100


def months_of_year_until(month: pd.Period) -> list[pd.Period]:
    """January of the month's year up to and including the month."""
    return list(pd.period_range(pd.Period(year=month.year, month=1, freq="M"), month, freq="M"))


def months_left(month: pd.Period) -> int:
    """Months of the year still to come after the report month."""
    return 12 - month.month


def month_label(month: pd.Period) -> str:
    """'2018年8月'."""
    return f"{month.year}年{month.month}月"
