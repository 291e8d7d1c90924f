"""Counts by status as stacked bars: petitions by level, rectifications by category."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers.report import style
from helpers.report.charts import figure

STATUS_COLUMN_IDS = {"resolved": "已化解", "pending": "化解中", "closed": "已完成", "in_progress": "整改中",
                     "overdue": "已逾期"}
"""English status column ids of the analysis frames -> the Chinese status they count."""
TOTAL_COLUMNS = {"total", "cases", "合计", "总计"}


def status_counts_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Categories × statuses counts, from a crosstab or from the analysis frames as they come.

    A frame with a default index takes its first text column as the categories (``petition_counts``:
    level; ``rectifications_by_category``: category). English status ids become the Chinese statuses;
    ``open`` (which includes the overdue) becomes 整改中 = open − overdue. Totals are dropped.
    """
    frame = df
    if isinstance(frame.index, pd.RangeIndex):
        text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
        if text_columns:
            frame = frame.set_index(text_columns[0])
    if {"open", "overdue"} <= set(frame.columns):
        frame = frame.assign(in_progress=frame["open"] - frame["overdue"]).drop(columns="open")
    frame = frame.rename(columns=STATUS_COLUMN_IDS).select_dtypes("number")
    return frame[[c for c in frame.columns if str(c).lower() not in TOTAL_COLUMNS]]


def stacked_status_chart(df: pd.DataFrame, title: str, unit: str | None = "件") -> Figure:
    """Stacked horizontal bars: index = categories, columns = statuses (counts).

    Known statuses (已化解/化解中, 已完成/整改中/已逾期, …) take their status colour and stack in
    status order; other columns take the palette. Non-numeric and total columns are ignored.

    Args:
        df: a categories × statuses crosstab, or ``petitions.petition_counts`` /
            ``rectifications.rectifications_by_category`` as they come (see ``status_counts_frame``).
        title: chart title.
        unit: appended to the title (default 件; None for none).
    """
    numeric = status_counts_frame(df)
    known = [s for s in style.STATUS_ORDER if s in numeric.columns]
    columns = known + [c for c in numeric.columns if c not in known]
    numeric = numeric[columns].fillna(0)
    with figure.new_figure(figure.rows_height(len(numeric), 0.42) + 0.3) as fig:
        ax = fig.add_subplot()
        ax.set_title(figure.titled(title, unit))
        if numeric.empty or not columns:
            figure.no_data(ax)
            return fig
        spare = iter(style.PALETTE[1:] * (len(columns) // max(len(style.PALETTE) - 1, 1) + 1))
        colors = {c: style.STATUS_COLORS[c] if c in style.STATUS_COLORS else next(spare) for c in columns}
        y = np.arange(len(numeric))
        totals = numeric.sum(axis=1).to_numpy(dtype=float)
        ax.set_xlim(*figure.padded_limits(list(totals), room=0.12))
        min_labelled = (ax.get_xlim()[1]) * 0.06
        left = np.zeros(len(numeric))
        for column in columns:
            widths = numeric[column].to_numpy(dtype=float)
            ax.barh(y, widths, left=left, color=colors[column], height=0.6, label=str(column))
            for yi, x0, w in zip(y, left, widths, strict=True):
                if w >= min_labelled:
                    ax.text(x0 + w / 2, yi, style.chart_number(w), ha="center", va="center",
                            fontsize=style.SMALL_FONT_SIZE, color="white")
            left += widths
        figure.hbar_value_labels(ax, y, list(totals), [style.chart_number(t) for t in totals])
        ax.set_yticks(y, [str(i) for i in numeric.index])
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(style.number_formatter())
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        figure.legend_below(fig, [Patch(color=colors[c], label=str(c)) for c in columns], ncol=min(len(columns), 5))
        return fig
