"""The report's charts: each takes an analysis DataFrame and returns a closed matplotlib Figure.

Every figure is drawn in the house style of ``helpers.report.style`` (CJK font, one palette, status colours
that mean the same everywhere). Figures are created through pyplot, so that Jupyter's inline backend
knows how to display them, and closed again before they are returned: nothing stays registered in
pyplot, a notebook displays the returned figure once, a test saves it.

Kept as one module: the charts share the layout helpers at the top (figure sizing, month labels, legends,
value labels), and each chart below them is one independent public function.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from helpers.data.periods import as_month
from helpers.report import style

BAR_ROW_IN = 0.32
"""Height per bar row of a horizontal bar chart, in inches (fits a 10 pt label)."""
HEADER_IN = 1.3
"""Room for title, axis and legend around the rows."""
MAX_ANNOTATED_CELLS = 400
"""Heatmaps with more cells than this are not annotated (the numbers would not be readable)."""
LABEL_WRAP_CHARS = 13
"""Project labels wrap after this many characters (CJK characters are about 1 em wide)."""


@contextmanager
def _figure(height_in: float) -> Iterator[Figure]:
    """A new house-style figure of the standard width, closed in pyplot whatever happens."""
    style.apply()
    fig = plt.figure(figsize=(style.FIGURE_WIDTH_IN, max(height_in, 2.4)), dpi=style.DPI, layout="constrained")
    try:
        yield fig
    finally:
        plt.close(fig)


def _rows_height(n_rows: int, per_row: float = BAR_ROW_IN) -> float:
    return HEADER_IN + per_row * max(n_rows, 1)


def _title(text: str, unit: str | None) -> str:
    return f"{text}（{unit}）" if unit else text


def _no_data(ax, text: str = "暂无数据") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=style.REFERENCE,
            fontsize=style.FONT_SIZE)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _months(values) -> list[pd.Period]:
    return [as_month(m) for m in values]


def _month_labels(months: list[pd.Period]) -> list[str]:
    """'1月'…'12月'; when the months span years, the first month of each year carries the year."""
    several_years = len({m.year for m in months}) > 1
    labels = []
    for i, m in enumerate(months):
        new_year = i == 0 or months[i - 1].year != m.year
        labels.append(f"{m.year}年{m.month}月" if several_years and new_year else f"{m.month}月")
    return labels


def _flag(value) -> bool:
    """A boolean cell that may be missing (NA counts as False)."""
    return False if value is None or pd.isna(value) else bool(value)


def _status_color(status) -> str:
    if status is None or pd.isna(status):
        return style.NO_STATUS_COLOR
    return style.STATUS_COLORS.get(str(status), style.NO_STATUS_COLOR)


def _legend_below(fig: Figure, handles: list, ncol: int | None = None) -> None:
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=ncol or min(len(handles), 4))


def _hbar_value_labels(ax, y, widths, labels, colors=None, pad_frac: float = 0.01) -> None:
    """Labels just past the end of horizontal bars (left of negative bars)."""
    lo, hi = ax.get_xlim()
    pad = (hi - lo) * pad_frac
    for i, (yi, w, text) in enumerate(zip(y, widths, labels, strict=True)):
        w = 0.0 if w is None or (isinstance(w, float) and math.isnan(w)) else w
        color = colors[i] if colors is not None else style.INK
        ax.text(w + pad if w >= 0 else w - pad, yi, text, va="center", ha="left" if w >= 0 else "right",
                fontsize=style.SMALL_FONT_SIZE, color=color)


def _padded_limits(values: list[float], include: tuple[float, ...] = (0.0,), room: float = 0.16) -> tuple[float, float]:
    """Axis limits that hold every value and reference, with room on the far side for value labels."""
    finite = [v for v in list(values) + list(include) if v is not None and not math.isnan(v)]
    lo, hi = min(finite), max(finite)
    span = (hi - lo) or 1.0
    return (lo - span * room if lo < 0 else lo, hi + span * room)


def completion_chart(key_figures_df: pd.DataFrame, title: str = "主要指标完成率与序时进度") -> Figure:
    """Completion % per indicator as horizontal bars coloured by status, with the time-progress line.

    Args:
        key_figures_df: rows of ``progress.key_figures``: name, completion_pct, time_pct, status
            (and optionally better; 'lower' rows are labelled as a ceiling).
        title: chart title (the unit, %, is appended).
    """
    df = key_figures_df.reset_index(drop=True)
    height = _rows_height(len(df), 0.36) + 0.3
    with _figure(height) as fig:
        ax = fig.add_subplot()
        ax.set_title(_title(title, "%"))
        if df.empty:
            _no_data(ax)
            return fig
        time_values = pd.to_numeric(df["time_pct"], errors="coerce").dropna().unique()
        if len(time_values) > 1:
            raise ValueError("完成进度图只能展示同一个月的数据：序时进度不唯一")
        time_pct = float(time_values[0]) if len(time_values) else math.nan
        completion = pd.to_numeric(df["completion_pct"], errors="coerce").astype(float).tolist()
        colors = [_status_color(s) for s in df["status"]]
        lower = df["better"].eq("lower").fillna(False) if "better" in df else pd.Series(False, index=df.index)
        labels = [f"{name}（上限）" if is_lower else str(name)
                  for name, is_lower in zip(df["name"], lower, strict=True)]
        y = np.arange(len(df))
        ax.barh(y, [0.0 if math.isnan(v) else v for v in completion], color=colors, height=0.62)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlim(*_padded_limits(completion, (0.0, 100.0, time_pct)))
        ax.xaxis.set_major_formatter(style.pct_formatter())
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        lagging = [isinstance(s, str) and s == "滞后" for s in df["status"]]
        label_colors = [style.STATUS_COLORS["滞后"] if lag else style.INK for lag in lagging]
        _hbar_value_labels(ax, y, completion, [style.chart_pct(v) for v in completion], label_colors)
        handles = [Patch(color=style.STATUS_COLORS[s], label=s) for s in ("超序时", "达序时", "滞后")
                   if s in set(df["status"].dropna())]
        if not math.isnan(time_pct):
            ax.axvline(time_pct, color=style.REFERENCE, linestyle="--", linewidth=1.4, zorder=3)
            handles.append(Line2D([], [], color=style.REFERENCE, linestyle="--",
                                  label=f"序时进度 {style.chart_pct(time_pct)}"))
        _legend_below(fig, handles)
        return fig


def cumulative_chart(monthly_series_df: pd.DataFrame, name: str, unit: str,
                     until: str | pd.Period | None = None) -> Figure:
    """Cumulative progress by month against the target pace line and the annual target.

    Args:
        monthly_series_df: ``progress.monthly_series``: month, value, cumulative, target, target_pace.
        name: indicator name (goes into the title).
        unit: its unit (goes into the title).
        until: last month of actual data to draw (default: the last month with a value).
    """
    df = monthly_series_df.reset_index(drop=True)
    with _figure(4.2) as fig:
        ax = fig.add_subplot()
        ax.set_title(_title(f"{name}累计完成与序时目标", unit))
        if df.empty:
            _no_data(ax)
            return fig
        months = _months(df["month"])
        x = np.arange(len(months))
        if until is None:
            with_value = df.index[df["value"].notna()]
            last = int(with_value.max()) if len(with_value) else -1
        else:
            limit = as_month(until)
            last = max((i for i, m in enumerate(months) if m <= limit), default=-1)
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
        ax.set_xticks(x, _month_labels(months))
        ax.set_xlim(-0.5, len(months) - 0.5)
        finite = [v for v in [*cumulative, *pace, *targets] if not math.isnan(v)]
        if finite and min(finite) >= 0:
            ax.set_ylim(bottom=0, top=max(finite) * 1.12 or 1.0)
        ax.yaxis.set_major_formatter(style.number_formatter())
        ax.grid(axis="y")
        _legend_below(fig, handles)
        return fig


def village_heatmap(matrix_df: pd.DataFrame, title: str, unit: str, threshold: float | None = None) -> Figure:
    """Village × month heatmap; cells annotated when few enough, cells under ``threshold`` outlined in red.

    Args:
        matrix_df: ``villages.village_month_matrix``: index village, columns months (Period), values.
        title: what the values are (e.g. "干部到村民情恳谈").
        unit: their unit.
        threshold: a minimum (e.g. 8 visits): cells with a value below it are flagged.
    """
    n_rows, n_cols = matrix_df.shape
    with _figure(_rows_height(n_rows, 0.28) + 0.4) as fig:
        ax = fig.add_subplot()
        ax.set_title(_title(title, unit))
        if matrix_df.empty:
            _no_data(ax)
            return fig
        values = matrix_df.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        masked = np.ma.masked_invalid(values)
        cmap = style.SEQUENTIAL_CMAP.with_extremes(bad=style.TRACK)
        finite = values[np.isfinite(values)]
        vmin = float(finite.min()) if finite.size else 0.0
        vmax = float(finite.max()) if finite.size else 1.0
        image = ax.imshow(masked, cmap=cmap, vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1, aspect="auto",
                          interpolation="nearest")
        months = _months(matrix_df.columns)
        ax.set_xticks(np.arange(n_cols), _month_labels(months))
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
            _legend_below(fig, [handle])
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
    with _figure(_rows_height(len(df), 0.26) + 0.3) as fig:
        ax = fig.add_subplot()
        ax.set_title(_title(title or f"{name}村级排名", unit))
        if df.empty:
            _no_data(ax)
            return fig
        values = pd.to_numeric(df["value"], errors="coerce").astype(float).tolist()
        bottom = [_flag(b) for b in df["bottom"]]
        colors = [style.STATUS_COLORS["末位"] if b else style.PRIMARY for b in bottom]
        y = np.arange(len(df))
        ax.barh(y, [0.0 if math.isnan(v) else v for v in values], color=colors, height=0.7)
        ax.set_yticks(y, [str(v) for v in df["village"]])
        ax.set_ylim(len(df) - 0.5, -0.5)
        ax.set_xlim(*_padded_limits(values))
        ax.xaxis.set_major_formatter(style.number_formatter())
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        label_colors = [style.STATUS_COLORS["末位"] if b else style.INK for b in bottom]
        _hbar_value_labels(ax, y, values, [style.chart_number(v) for v in values], label_colors)
        for tick, is_bottom in zip(ax.get_yticklabels(), bottom, strict=True):
            if is_bottom:
                tick.set_color(style.STATUS_COLORS["末位"])
        if any(bottom):
            _legend_below(fig, [Patch(color=style.STATUS_COLORS["末位"], label=f"末位（{sum(bottom)}个）")])
        return fig


def _project_state(row) -> str:
    if _flag(row.get("overdue")) or _flag(row.get("stalled")):
        return "逾期或停滞"
    if row.get("stage") == "完工":
        return "已完工"
    if pd.isna(row.get("stage")):
        return "未启动"
    return "推进中"


def _project_flags(row) -> str:
    flags = []
    if _flag(row.get("overdue")):
        flags.append("逾期")
    if _flag(row.get("stalled")):
        months = row.get("stalled_months")
        flags.append(f"停滞{int(months)}个月" if pd.notna(months) and months else "停滞")
    return "、".join(flags)


def _project_label(name, stage) -> str:
    """Name wrapped to LABEL_WRAP_CHARS a line, then （stage） on the last line if it fits, else on its own."""
    lines = textwrap.wrap(str(name), LABEL_WRAP_CHARS) or [""]
    suffix = f"（{stage if stage is not None and not pd.isna(stage) else '未启动'}）"
    if len(lines[-1]) + len(suffix) <= LABEL_WRAP_CHARS:
        lines[-1] += suffix
    else:
        lines.append(suffix)
    return "\n".join(lines)


def project_progress_chart(project_status_df: pd.DataFrame, title: str = "重点项目推进情况") -> Figure:
    """One progress bar per project (label: name and stage), overdue or stalled projects in red.

    Args:
        project_status_df: ``projects.project_status``: name, stage, progress_pct, overdue, stalled,
            stalled_months.
        title: chart title (the unit, % of the project, is appended).
    """
    df = project_status_df.reset_index(drop=True)
    labels = [_project_label(name, stage) for name, stage in zip(df["name"], df["stage"], strict=True)]
    lines = sum(label.count("\n") + 1 for label in labels)
    with _figure(HEADER_IN + 0.5 + 0.2 * lines + 0.12 * len(df)) as fig:
        ax = fig.add_subplot()
        ax.set_title(_title(title, "进度 %"))
        if df.empty:
            _no_data(ax)
            return fig
        progress = pd.to_numeric(df["progress_pct"], errors="coerce").fillna(0.0).astype(float).tolist()
        states = [_project_state(row) for row in df.to_dict("records")]
        colors = [style.STATUS_COLORS[s] for s in states]
        y = np.arange(len(df))
        ax.barh(y, [100.0] * len(df), color=style.TRACK, height=0.6)
        ax.barh(y, progress, color=colors, height=0.6)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 132)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.xaxis.set_major_formatter(style.pct_formatter())
        ax.spines["bottom"].set_bounds(0, 100)
        ax.tick_params(axis="y", length=0)
        for yi, pct, state, row in zip(y, progress, states, df.to_dict("records"), strict=True):
            flags = _project_flags(row)
            text = f"{style.chart_number(round(pct, 1))}%" + (f" {flags}" if flags else "")
            ax.text(101.5, yi, text, va="center", ha="left", fontsize=style.SMALL_FONT_SIZE,
                    color=style.STATUS_COLORS["逾期或停滞"] if state == "逾期或停滞" else style.INK)
        handles = [Patch(color=style.STATUS_COLORS[s], label=s) for s in ("推进中", "已完工", "逾期或停滞", "未启动")
                   if s in states]
        _legend_below(fig, handles)
        return fig


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
    with _figure(_rows_height(len(numeric), 0.42) + 0.3) as fig:
        ax = fig.add_subplot()
        ax.set_title(_title(title, unit))
        if numeric.empty or not columns:
            _no_data(ax)
            return fig
        spare = iter(style.PALETTE[1:] * (len(columns) // max(len(style.PALETTE) - 1, 1) + 1))
        colors = {c: style.STATUS_COLORS[c] if c in style.STATUS_COLORS else next(spare) for c in columns}
        y = np.arange(len(numeric))
        totals = numeric.sum(axis=1).to_numpy(dtype=float)
        ax.set_xlim(*_padded_limits(list(totals), room=0.12))
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
        _hbar_value_labels(ax, y, list(totals), [style.chart_number(t) for t in totals])
        ax.set_yticks(y, [str(i) for i in numeric.index])
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(style.number_formatter())
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        _legend_below(fig, [Patch(color=colors[c], label=str(c)) for c in columns], ncol=min(len(columns), 5))
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
    with _figure(4.0) as fig:
        ax = fig.add_subplot()
        ax.set_title(_title(f"{name}月度情况", unit))
        months = _months(df["month"])
        values = pd.to_numeric(df["value"], errors="coerce").astype(float)
        with_value = [i for i, v in enumerate(values) if not math.isnan(v)]
        if not with_value:
            _no_data(ax)
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
            previous = dict(zip((as_month(m).month for m in last_year["month"]),
                                pd.to_numeric(last_year["value"], errors="coerce").astype(float), strict=True))
            line = [previous.get(m.month, math.nan) for m in shown]
            if any(not math.isnan(v) for v in line):
                ax.plot(x, line, color=style.REFERENCE, linewidth=1.8, marker="o", markersize=4)
                ly_year = as_month(last_year["month"].iloc[0]).year
                handles.append(Line2D([], [], color=style.REFERENCE, linewidth=1.8, marker="o",
                                      label=f"{ly_year}年同期"))
        ax.set_xticks(x, _month_labels(shown))
        ax.set_xlim(-0.6, len(shown) - 0.4)
        ax.margins(y=0.15)
        if values.min() >= 0:
            ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(style.number_formatter())
        ax.grid(axis="y")
        _legend_below(fig, handles)
        return fig


def figure_to_png_bytes(fig: Figure) -> bytes:
    """The figure rendered to PNG (Agg) at its own dpi."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def village_and_township_chart(frame: pd.DataFrame, name: str, unit: str, village: str, year: int) -> Figure:
    """Bars: the township's months; line: one village's, on a right-hand axis so a small village stays readable.

    ``frame`` is :func:`helpers.analysis.explore.village_against_township` (month, village, township).
    """
    with _figure(3.8) as fig:
        ax = fig.subplots()
        labels = [f"{as_month(m).month}月" for m in frame["month"]]
        ax.bar(labels, frame["township"].fillna(0), color=style.TRACK, edgecolor=style.REFERENCE, label="全镇（左轴）")
        ax.set_ylabel(_title("全镇", unit))
        ax.yaxis.set_major_formatter(style.number_formatter())
        right = ax.twinx()
        right.plot(labels, frame["village"], color=style.PRIMARY, marker="o", label=f"{village}（右轴）")
        right.set_ylabel(_title(village, unit))
        right.yaxis.set_major_formatter(style.number_formatter())
        right.spines["right"].set_visible(True)
        right.set_ylim(bottom=0)
        ax.set_title(f"{name}：{village}与全镇（{year}年）")
        handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
        ax.legend(handles, [h.get_label() for h in handles], loc="upper left")
    return fig
