"""Month arithmetic shared by the analysis: report months, time progress, year-to-date spans."""

from __future__ import annotations

import pandas as pd


def as_month(month: str | pd.Period) -> pd.Period:
    """A report month as a monthly Period (accepts 'YYYY-MM' or a Period)."""
    if isinstance(month, pd.Period):
        return month.asfreq("M")
    return pd.Period(str(month), freq="M")


def time_progress_pct(month: str | pd.Period) -> float:
    """序时进度: the share of the year elapsed at the end of the month, in percent."""
    return as_month(month).month / 12 * 100


def months_of_year_until(month: str | pd.Period) -> list[pd.Period]:
    """January of the month's year up to and including the month."""
    m = as_month(month)
    return list(pd.period_range(pd.Period(year=m.year, month=1, freq="M"), m, freq="M"))


def months_left(month: str | pd.Period) -> int:
    """Months of the year still to come after the report month."""
    return 12 - as_month(month).month


def month_label(month: str | pd.Period) -> str:
    """'2018年8月'."""
    m = as_month(month)
    return f"{m.year}年{m.month}月"
