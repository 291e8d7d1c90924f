"""How Chinese report text writes a plain figure, a date, the months of a year and a list (every layer's words).

The rule checks (analysis) and the report's wording both write these; neither layer may import the other,
so the one implementation lives here, below both. The report's fuller number conventions (万/亿, 约数,
百分点) stay in :mod:`helpers.report.wording`.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def plain_number(value: float) -> str:
    """A figure without a useless decimal: 8 → "8", 7.5 → "7.5" (others as ``%g`` writes them)."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def date_text(day: dt.date) -> str:
    """A day as reports write it, in Arabic numerals: 2018年8月21日 (GB/T 9704's 成文日期 too)."""
    return f"{day.year}年{day.month}月{day.day}日"


def calendar_month(month: int) -> int:
    """A calendar month given as a number, checked: 1..12, else a ValueError in Chinese."""
    if isinstance(month, bool) or not isinstance(month, numbers.Integral) or not 1 <= int(month) <= 12:
        raise ValueError(f"月份应在1到12之间：{month!r}")
    return int(month)


def month_spans(months: Iterable[int]) -> str:
    """Months of one year as reports list them: (1, 2, 4, 5, 6) → "1—2月、4—6月"; (8,) → "8月"; () → ""."""
    runs: list[list[int]] = []
    for k in sorted({calendar_month(int(m)) for m in months}):
        if runs and k == runs[-1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return "、".join(f"{r[0]}—{r[-1]}月" if len(r) > 1 else f"{r[0]}月" for r in runs)


def year_so_far(month: pd.Period) -> str:
    """January to the month, with its year: "2018年1—8月" ("2018年1月" in January)."""
    return f"{month.year}年{month_spans(range(1, month.month + 1))}"


def joined(items: Sequence[str], at_most: int | None = None) -> str:
    """Items joined with 、; with ``at_most``, only the first that many, then 等 when there are more."""
    shown = "、".join(items if at_most is None else items[:at_most])
    return shown + ("等" if at_most is not None and len(items) > at_most else "")
