"""Charts of villages: a village × month heatmap, a village ranking, one village against the township."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from helpers.report import style
from helpers.report.charts import figure

MAX_ANNOTATED_CELLS = 400
"""Heatmaps with more cells than this are not annotated (the numbers would not be readable)."""


def village_heatmap(matrix_df: pd.DataFrame, title: str, unit: str, threshold: float | None = None) -> Figure:
    """Village × month heatmap; cells annotated when few enough, cells under ``threshold`` outlined in red.

    Args:
        matrix_df: ``villages.village_month_matrix``: index village, columns months (Period), values.
        title: what the values are (e.g. "干部到村民情恳谈").
        unit: their unit.
        threshold: a minimum (e.g. 8 visits): cells with a value below it are flagged.
    """
    n_rows, n_cols = matrix_df.shape
    with figure.new_figure(figure.rows_height(n_rows, 0.28) + 0.4) as fig:
        ax = fig.add_subplot()
        ax.set_title(figure.titled(title, unit))
        if matrix_df.empty:
            figure.no_data(ax)
            return fig
        values = matrix_df.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        masked = np.ma.masked_invalid(values)
        cmap = style.SEQUENTIAL_CMAP.with_extremes(bad=style.TRACK)
        finite = values[np.isfinite(values)]
        vmin = float(finite.min()) if finite.size else 0.0
        vmax = float(finite.max()) if finite.size else 1.0
        image = ax.imshow(masked, cmap=cmap, vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1, aspect="auto",
                          interpolation="nearest")
        months = list(matrix_df.columns)
        ax.set_xticks(np.arange(n_cols), figure.month_labels(months))
        ax.set_yticks(np.arange(n_rows), [str(v) for v in matrix_df.index])
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        low = np.isfinite(values) & (values < threshold) if threshold is not None else np.zeros_like(values, bool)
        if n_rows * n_cols <= MAX_ANNOTATED_CELLS:
            mid = vmin + (vmax - vmin) * 0.6
            for (r, c), v in np.ndenumerate(values):
                if math.isnan(v):
                    continue
                color = style.BAD if low[r, c] else ("white" if v > mid else style.INK)
                ax.text(c, r, style.chart_number(v), ha="center", va="center", fontsize=style.SMALL_FONT_SIZE,
                        color=color, zorder=3)
        for r, c in zip(*np.nonzero(low), strict=True):
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=True, facecolor="white", edgecolor=style.BAD,
                                   linewidth=2.0, zorder=2, clip_on=False))
        colorbar = fig.colorbar(image, ax=ax, location="bottom", shrink=0.6, aspect=40, pad=0.01)
        colorbar.ax.xaxis.set_major_formatter(style.number_formatter())
        colorbar.outline.set_visible(False)
        if threshold is not None and low.any():
            handle = Patch(facecolor="white", edgecolor=style.BAD, linewidth=2.0,
                           label=f"低于{style.chart_number(threshold)}{unit}（{int(low.sum())}处）")
            figure.legend_below(fig, [handle])
        return fig


def village_ranking_chart(ranking_df: pd.DataFrame, title: str | None = None) -> Figure:
    """Villages ranked on one indicator, best on top, the bottom ones (末位) in the status red.

    Args:
        ranking_df: the rows of ``villages.village_ranking`` for one indicator: name, unit, village,
            value, rank, bottom.
        title: defaults to "<name>村级排名".
    """
    indicators = ranking_df["name"].dropna().unique() if "name" in ranking_df else []
    if len(indicators) > 1:
        raise ValueError("村级排名图一次只能展示一个指标")
    df = ranking_df.sort_values("rank", kind="stable").reset_index(drop=True)
    name = str(indicators[0]) if len(indicators) else ""
    unit = str(df["unit"].dropna().iloc[0]) if "unit" in df and df["unit"].notna().any() else None
    with figure.new_figure(figure.rows_height(len(df), 0.26) + 0.3) as fig:
        ax = fig.add_subplot()
        ax.set_title(figure.titled(title or f"{name}村级排名", unit))
        if df.empty:
            figure.no_data(ax)
            return fig
        values = pd.to_numeric(df["value"], errors="coerce").astype(float).tolist()
        bottom = [figure.flag(b) for b in df["bottom"]]
        colors = [style.STATUS_COLORS["末位"] if b else style.PRIMARY for b in bottom]
        y = np.arange(len(df))
        ax.barh(y, [0.0 if math.isnan(v) else v for v in values], color=colors, height=0.7)
        ax.set_yticks(y, [str(v) for v in df["village"]])
        ax.set_ylim(len(df) - 0.5, -0.5)
        ax.set_xlim(*figure.padded_limits(values))
        ax.xaxis.set_major_formatter(style.number_formatter())
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        label_colors = [style.STATUS_COLORS["末位"] if b else style.INK for b in bottom]
        figure.hbar_value_labels(ax, y, values, [style.chart_number(v) for v in values], label_colors)
        for tick, is_bottom in zip(ax.get_yticklabels(), bottom, strict=True):
            if is_bottom:
                tick.set_color(style.STATUS_COLORS["末位"])
        if any(bottom):
            figure.legend_below(fig, [Patch(color=style.STATUS_COLORS["末位"], label=f"末位（{sum(bottom)}个）")])
        return fig


def village_and_township_chart(frame: pd.DataFrame, name: str, unit: str, village: str, year: int) -> Figure:
    """Bars: the township's months; line: one village's, on a right-hand axis so a small village stays readable.

    ``frame`` is :func:`helpers.analysis.explore.village_against_township` (month, village, township).
    """
    with figure.new_figure(3.8) as fig:
        ax = fig.subplots()
        labels = [f"{m.month}月" for m in frame["month"]]
        ax.bar(labels, frame["township"].fillna(0), color=style.TRACK, edgecolor=style.REFERENCE, label="全镇（左轴）")
        ax.set_ylabel(figure.titled("全镇", unit))
        ax.yaxis.set_major_formatter(style.number_formatter())
        right = ax.twinx()
        right.plot(labels, frame["village"], color=style.PRIMARY, marker="o", label=f"{village}（右轴）")
        right.set_ylabel(figure.titled(village, unit))
        right.yaxis.set_major_formatter(style.number_formatter())
        right.spines["right"].set_visible(True)
        right.set_ylim(bottom=0)
        ax.set_title(f"{name}：{village}与全镇（{year}年）")
        handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
        ax.legend(handles, [h.get_label() for h in handles], loc="upper left")
    return fig
