"""Periods as reports word them: 8月, 截至8月底, 上半年, 1—8月 (runs of months: ``chinese_text.month_spans``)."""

from __future__ import annotations

import numbers

import pandas as pd

from helpers.chinese_text import calendar_month
from helpers.data.periods import month_label


def _month_number(month: int | pd.Period) -> int:
    """The calendar month (1..12) of an int or a Period."""
    if isinstance(month, numbers.Integral) and not isinstance(month, bool):
        return calendar_month(month)
    return month.month


def since_year_start() -> str:
    """The reference report's 今年以来 (the year of the report month)."""
    return "今年以来"


def month_name(month: int | pd.Period) -> str:
    """The month alone: 8月."""
    return f"{_month_number(month)}月"


def as_of(month: int | pd.Period, *, with_year: bool = False) -> str:
    """Up to a month's end: 截至8月底; ``with_year`` (month as a Period) gives 截至2018年8月底."""
    if with_year:
        if isinstance(month, numbers.Integral):
            raise ValueError(f"需要带年份的月份（如2018-08）：{month!r}")
        return f"截至{month_label(month)}底"
    return f"截至{month_name(month)}底"


def half_year(month: int | pd.Period) -> str:
    """The half of the year the month falls in: "上半年" (1..6) or "下半年" (7..12)."""
    return "上半年" if _month_number(month) <= 6 else "下半年"


_YTD_NAMES = {1: "1月", 3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}


def year_to_date_span(month: int | pd.Period) -> str:
    """January to the month as reports name it: "一季度", "上半年", "前三季度", "全年", else "1—8月"."""
    m = _month_number(month)
    return _YTD_NAMES.get(m, f"1—{m}月")
