"""What every chart shares: the house-style figure, its size, titles, month labels, legends and value labels."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from helpers.report import style

BAR_ROW_IN = 0.32
"""Height per bar row of a horizontal bar chart, in inches (fits a 10 pt label)."""
HEADER_IN = 1.3
"""Room for title, axis and legend around the rows."""


@contextmanager
def new_figure(height_in: float) -> Iterator[Figure]:
    """A new house-style figure of the standard width, closed in pyplot whatever happens."""
    style.apply()
    fig = plt.figure(figsize=(style.FIGURE_WIDTH_IN, max(height_in, 2.4)), dpi=style.DPI, layout="constrained")
    try:
        yield fig
    finally:
        plt.close(fig)


def rows_height(n_rows: int, per_row: float = BAR_ROW_IN) -> float:
    return HEADER_IN + per_row * max(n_rows, 1)


def titled(text: str, unit: str | None) -> str:
    return f"{text}（{unit}）" if unit else text


def no_data(ax, text: str = "暂无数据") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=style.REFERENCE,
            fontsize=style.FONT_SIZE)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def month_labels(months: list[pd.Period]) -> list[str]:
    """'1月'…'12月'; when the months span years, the first month of each year carries the year."""
    several_years = len({m.year for m in months}) > 1
    labels = []
    for i, m in enumerate(months):
        new_year = i == 0 or months[i - 1].year != m.year
        labels.append(f"{m.year}年{m.month}月" if several_years and new_year else f"{m.month}月")
    return labels


def flag(value) -> bool:
    """A boolean cell that may be missing (NA counts as False)."""
    return False if value is None or pd.isna(value) else bool(value)


def status_color(status) -> str:
    if status is None or pd.isna(status):
        return style.NO_STATUS_COLOR
    return style.STATUS_COLORS.get(str(status), style.NO_STATUS_COLOR)


def legend_below(fig: Figure, handles: list, ncol: int | None = None) -> None:
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=ncol or min(len(handles), 4))


def hbar_value_labels(ax, y, widths, labels, colors=None, pad_frac: float = 0.01) -> None:
    """Labels just past the end of horizontal bars (left of negative bars)."""
    lo, hi = ax.get_xlim()
    pad = (hi - lo) * pad_frac
    for i, (yi, w, text) in enumerate(zip(y, widths, labels, strict=True)):
        w = 0.0 if w is None or (isinstance(w, float) and math.isnan(w)) else w
        color = colors[i] if colors is not None else style.INK
        ax.text(w + pad if w >= 0 else w - pad, yi, text, va="center", ha="left" if w >= 0 else "right",
                fontsize=style.SMALL_FONT_SIZE, color=color)


def padded_limits(values: list[float], include: tuple[float, ...] = (0.0,), room: float = 0.16) -> tuple[float, float]:
    """Axis limits that hold every value and reference, with room on the far side for value labels."""
    finite = [v for v in list(values) + list(include) if v is not None and not math.isnan(v)]
    lo, hi = min(finite), max(finite)
    span = (hi - lo) or 1.0
    return (lo - span * room if lo < 0 else lo, hi + span * room)
