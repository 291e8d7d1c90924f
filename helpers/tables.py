"""Display tables: Chinese column headers, formatted numbers, status colours (pandas Styler)."""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import pandas as pd
from pandas.io.formats.style import Styler

from helpers.style import STATUS_COLORS

MISSING = "—"


def fmt_number(value, decimals: int = 0) -> str:
    """Thousands separators, fixed decimals, a dash for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    return f"{float(value):,.{decimals}f}"


def fmt_smart(value) -> str:
    """Whole numbers without decimals, others with one or two as needed."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    v = float(value)
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def fmt_pct(value) -> str:
    return MISSING if value is None or value is pd.NA or pd.isna(value) else f"{float(value):.1f}%"


def fmt_pp(value) -> str:
    return MISSING if value is None or value is pd.NA or pd.isna(value) else f"{float(value):+.1f}"


def fmt_signed_pct(value) -> str:
    return MISSING if value is None or value is pd.NA or pd.isna(value) else f"{float(value):+.1f}%"


def fmt_bool(value) -> str:
    return "是" if bool(value) else ""


def fmt_month(value) -> str:
    if value is None or value is pd.NA or (not isinstance(value, pd.Period) and pd.isna(value)):
        return MISSING
    return str(value)


def fmt_list(value) -> str:
    return (
        "、".join(value) if isinstance(value, list | tuple) else ("" if value is None or pd.isna(value) else str(value))
    )


FORMATS: dict[str, Callable] = {
    "number": fmt_smart,
    "int": lambda v: fmt_number(v, 0),
    "pct": fmt_pct,
    "pp": fmt_pp,
    "signed_pct": fmt_signed_pct,
    "bool": fmt_bool,
    "month": fmt_month,
    "list": fmt_list,
    "text": lambda v: v,
}


def escaped(formatter: Callable) -> Callable[[object], str]:
    """``formatter`` whose result is HTML-escaped text, whatever the value's type."""
    return lambda value: html.escape(str(formatter(value)))


def status_css(value) -> str:
    color = STATUS_COLORS.get(value) if isinstance(value, str) else None
    return f"color: {color}; font-weight: 600" if color else ""


def display_table(
    df: pd.DataFrame,
    columns: dict[str, tuple[str, str]],
    *,
    caption: str | None = None,
    status_columns: tuple[str, ...] = ("status", "state"),
) -> Styler:
    """A Styler showing ``columns`` (id -> (Chinese header, format kind)) in order, index hidden.

    Text from data is HTML-escaped after formatting (so lists and other non-strings are escaped too),
    and so are the column headers and the caption, which may hold names from the data.
    """
    present = [c for c in columns if c in df.columns]
    view = df[present].copy()
    formats = {columns[c][0]: escaped(FORMATS[columns[c][1]]) for c in present}
    view.columns = [columns[c][0] for c in present]
    styler = view.style.format(formats, na_rep=MISSING).format_index(escape="html", axis=1).hide(axis="index")
    for c in status_columns:
        if c in present:
            styler = styler.map(status_css, subset=[columns[c][0]])
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler


KEY_FIGURE_COLUMNS = {
    "name": ("指标", "text"),
    "unit": ("单位", "text"),
    "ytd": ("累计/现值", "number"),
    "target": ("年度目标", "number"),
    "completion_pct": ("完成率", "pct"),
    "time_pct": ("序时进度", "pct"),
    "diff_pp": ("差（百分点）", "pp"),
    "status": ("状态", "text"),
    "mom_pct": ("环比", "signed_pct"),
    "yoy_pct": ("同比", "signed_pct"),
    "pace_needed": ("今后每月需完成", "number"),
}
