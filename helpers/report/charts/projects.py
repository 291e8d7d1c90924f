"""The project chart: one progress bar per project, coloured by its state."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from helpers.report import style
from helpers.report.charts import figure
from helpers.report.wording.states import project_flags, project_state

LABEL_WRAP_CHARS = 13
"""Project labels wrap after this many characters (CJK characters are about 1 em wide)."""


GROUPS = ("推进中", "已完工", "逾期或停滞", "未启动")
"""The groups a project's bar is drawn in (its colour and legend entry), in legend order."""


def project_group(row) -> str:
    """The group of a project's bar: 逾期或停滞 when it has flags, else its state (即将完工 is 推进中)."""
    if project_flags(row):
        return "逾期或停滞"
    state = project_state(row)
    if state == "即将完工":
        return "推进中"
    return state if state in GROUPS else "已完工"  # 已竣工验收: a stage the profile adds after 完工


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
    with figure.new_figure(figure.HEADER_IN + 0.5 + 0.2 * lines + 0.12 * len(df)) as fig:
        ax = fig.add_subplot()
        ax.set_title(figure.titled(title, "进度 %"))
        if df.empty:
            figure.no_data(ax)
            return fig
        progress = pd.to_numeric(df["progress_pct"], errors="coerce").fillna(0.0).astype(float).tolist()
        states = [project_group(row) for row in df.to_dict("records")]
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
            flags = project_flags(row)
            text = f"{style.chart_number(round(pct, 1))}%" + (f" {flags}" if flags else "")
            ax.text(101.5, yi, text, va="center", ha="left", fontsize=style.SMALL_FONT_SIZE,
                    color=style.STATUS_COLORS["逾期或停滞"] if state == "逾期或停滞" else style.INK)
        handles = [Patch(color=style.STATUS_COLORS[s], label=s) for s in GROUPS if s in states]
        figure.legend_below(fig, handles)
        return fig
