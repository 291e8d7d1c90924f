"""Charts of indicators: completion against 序时进度, cumulative progress against the target, monthly amounts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from helpers.report import style
from helpers.report.charts import figure


def completion_chart(key_figures_df: pd.DataFrame, title: str = "主要指标完成率与序时进度") -> Figure:
    """Completion % per indicator as horizontal bars coloured by status, with the time-progress line.

    Args:
        key_figures_df: rows of ``progress.key_figures``: name, completion_pct, time_pct, status
            (and optionally better; 'lower' rows are labelled as a ceiling).
        title: chart title (the unit, %, is appended).
    """
    df = key_figures_df.reset_index(drop=True)
    height = figure.rows_height(len(df), 0.36) + 0.3
    with figure.new_figure(height) as fig:
        ax = fig.add_subplot()
        ax.set_title(figure.titled(title, "%"))
        if df.empty:
            figure.no_data(ax)
            return fig
        time_values = pd.to_numeric(df["time_pct"], errors="coerce").dropna().unique()
        if len(time_values) > 1:
            raise ValueError("完成进度图只能展示同一个月的数据：序时进度不唯一")
        time_pct = float(time_values[0]) if len(time_values) else math.nan
        completion = pd.to_numeric(df["completion_pct"], errors="coerce").astype(float).tolist()
        colors = [figure.status_color(s) for s in df["status"]]
        lower = df["better"].eq("lower").fillna(False) if "better" in df else pd.Series(False, index=df.index)
        labels = [f"{name}（上限）" if is_lower else str(name)
                  for name, is_lower in zip(df["name"], lower, strict=True)]
        y = np.arange(len(df))
        ax.barh(y, [0.0 if math.isnan(v) else v for v in completion], color=colors, height=0.62)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlim(*figure.padded_limits(completion, (0.0, 100.0, time_pct)))
        ax.xaxis.set_major_formatter(style.pct_formatter())
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        lagging = [isinstance(s, str) and s == "滞后" for s in df["status"]]
        label_colors = [style.STATUS_COLORS["滞后"] if lag else style.INK for lag in lagging]
        figure.hbar_value_labels(ax, y, completion, [style.chart_pct(v) for v in completion], label_colors)
        handles = [Patch(color=style.STATUS_COLORS[s], label=s) for s in ("超序时", "达序时", "滞后")
                   if s in set(df["status"].dropna())]
        if not math.isnan(time_pct):
            ax.axvline(time_pct, color=style.REFERENCE, linestyle="--", linewidth=1.4, zorder=3)
            handles.append(Line2D([], [], color=style.REFERENCE, linestyle="--",
                                  label=f"序时进度 {style.chart_pct(time_pct)}"))
        figure.legend_below(fig, handles)
        return fig


def cumulative_chart(monthly_series_df: pd.DataFrame, name: str, unit: str,
                     until: pd.Period | None = None) -> Figure:
    """Cumulative progress by month against the target pace line and the annual target.

    Args:
        monthly_series_df: ``progress.monthly_series``: month, value, cumulative, target, target_pace.
        name: indicator name (goes into the title).
        unit: its unit (goes into the title).
        until: last month of actual data to draw (default: the last month with a value).
    """
    df = monthly_series_df.reset_index(drop=True)
    with figure.new_figure(4.2) as fig:
        ax = fig.add_subplot()
        ax.set_title(figure.titled(f"{name}累计完成与序时目标", unit))
        if df.empty:
            figure.no_data(ax)
            return fig
        months = list(df["month"])
        x = np.arange(len(months))
        if until is None:
            with_value = df.index[df["value"].notna()]
            last = int(with_value.max()) if len(with_value) else -1
        else:
            last = max((i for i, m in enumerate(months) if m <= until), default=-1)
        pace = pd.to_numeric(df["target_pace"], errors="coerce").astype(float)
        handles = []
        if pace.notna().any():
            ax.plot(x, pace, color=style.REFERENCE, linestyle=":", linewidth=1.8, marker=".", markersize=5)
            handles.append(Line2D([], [], color=style.REFERENCE, linestyle=":", linewidth=1.8, label="序时目标"))
        targets = pd.to_numeric(df["target"], errors="coerce").dropna()
        if len(targets):
            target = float(targets.iloc[-1])
            ax.axhline(target, color=style.INK, linestyle="--", linewidth=1.1)
            handles.append(Line2D([], [], color=style.INK, linestyle="--",
                                  label=f"年度目标 {style.chart_number(target)}"))
        cumulative = pd.to_numeric(df["cumulative"], errors="coerce").astype(float)
        if last >= 0:
            ax.plot(x[: last + 1], cumulative[: last + 1], color=style.PRIMARY, linewidth=2.4, marker="o",
                    markersize=5)
            handles.insert(0, Line2D([], [], color=style.PRIMARY, linewidth=2.4, marker="o", label="累计完成"))
            end = cumulative[last]
            if not math.isnan(end):
                ax.annotate(style.chart_number(end), (x[last], end), xytext=(0, 8), textcoords="offset points",
                            ha="center", fontsize=style.SMALL_FONT_SIZE, color=style.PRIMARY)
        ax.set_xticks(x, figure.month_labels(months))
        ax.set_xlim(-0.5, len(months) - 0.5)
        finite = [v for v in [*cumulative, *pace, *targets] if not math.isnan(v)]
        if finite and min(finite) >= 0:
            ax.set_ylim(bottom=0, top=max(finite) * 1.12 or 1.0)
        ax.yaxis.set_major_formatter(style.number_formatter())
        ax.grid(axis="y")
        figure.legend_below(fig, handles)
        return fig


def trend_chart(monthly_series_df: pd.DataFrame, name: str, unit: str,
                last_year: pd.DataFrame | None = None) -> Figure:
    """Monthly amounts as bars, optionally with last year's same months as a line.

    Args:
        monthly_series_df: ``progress.monthly_series`` of the year (month, value).
        name: indicator name.
        unit: its unit.
        last_year: ``progress.monthly_series`` of the year before, matched by calendar month.
    """
    df = monthly_series_df.reset_index(drop=True)
    with figure.new_figure(4.0) as fig:
        ax = fig.add_subplot()
        ax.set_title(figure.titled(f"{name}月度情况", unit))
        months = list(df["month"])
        values = pd.to_numeric(df["value"], errors="coerce").astype(float)
        with_value = [i for i, v in enumerate(values) if not math.isnan(v)]
        if not with_value:
            figure.no_data(ax)
            return fig
        shown = months[: with_value[-1] + 1]
        x = np.arange(len(shown))
        year = shown[0].year
        bars = ax.bar(x, values[: len(shown)].fillna(0.0), color=style.PRIMARY, width=0.62)
        handles = [Patch(color=style.PRIMARY, label=f"{year}年")]
        if len(shown) <= 12:
            bar_labels = [style.chart_number(v) if not math.isnan(v) else "" for v in values[: len(shown)]]
            ax.bar_label(bars, labels=bar_labels, padding=2, fontsize=style.SMALL_FONT_SIZE, color=style.INK)
        if last_year is not None and not last_year.empty:
            previous = dict(zip((m.month for m in last_year["month"]),
                                pd.to_numeric(last_year["value"], errors="coerce").astype(float), strict=True))
            line = [previous.get(m.month, math.nan) for m in shown]
            if any(not math.isnan(v) for v in line):
                ax.plot(x, line, color=style.REFERENCE, linewidth=1.8, marker="o", markersize=4)
                ly_year = last_year["month"].iloc[0].year
                handles.append(Line2D([], [], color=style.REFERENCE, linewidth=1.8, marker="o",
                                      label=f"{ly_year}年同期"))
        ax.set_xticks(x, figure.month_labels(shown))
        ax.set_xlim(-0.6, len(shown) - 0.4)
        ax.margins(y=0.15)
        if values.min() >= 0:
            ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(style.number_formatter())
        ax.grid(axis="y")
        figure.legend_below(fig, handles)
        return fig
