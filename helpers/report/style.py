"""House style of every chart: the bundled CJK font, one palette, status colours and rcParams."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import matplotlib as mpl
import pandas as pd
from cycler import cycler
from matplotlib import font_manager
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import FuncFormatter

from helpers.exceptions import ReportError

FONT_PACKAGE = "mplfonts"
FONT_FILE_NAME = "NotoSansCJKsc-Regular.otf"
FONT_FAMILY = "Noto Sans CJK SC Regular"
"""The name under which matplotlib registers FONT_FILE_NAME besides "Noto Sans CJK SC"; only this file has it
(Debian's fonts-noto-cjk registers "Noto Sans CJK SC" too), so charts use the bundled font whatever the system has."""

FIGURE_WIDTH_IN = 7.0
"""Readable on a phone: 7 in at DPI is about 770 px."""
DPI = 110
FONT_SIZE = 11
SMALL_FONT_SIZE = 10
"""The smallest text on any chart (tick labels, value labels, legends)."""
TITLE_FONT_SIZE = 13

# Semantic colours: one meaning each, the same in every chart.
GOOD = "#2e9a5a"
"""Ahead, done, resolved."""
NEUTRAL = "#5b8fd0"
"""On pace, in progress."""
BAD = "#d64541"
"""Lagging, overdue, stalled, bottom of a ranking."""
MUTED = "#a3abb5"
"""No status, not started."""

PRIMARY = "#24527f"
"""Plain data without a status (amounts, rankings)."""
INK = "#333333"
GRID = "#e3e6ea"
TRACK = "#eceff3"
"""The empty part of a progress bar."""
REFERENCE = "#6b7280"
"""Reference lines: time progress, target pace, last year."""

PALETTE: tuple[str, ...] = (PRIMARY, "#e39b3b", "#7a5fa8", "#3a9fa3", "#b5835a", "#8c8c8c")
"""Series colours for data without a status, in order."""

STATUS_COLORS = MappingProxyType({
    # indicator status against time progress
    "超序时": GOOD,
    "达序时": NEUTRAL,
    "滞后": BAD,
    # ceilings and rates (helpers.analysis.progress), and a figure not yet reported
    "在控制量内": GOOD,
    "超出序时控制量": BAD,
    "超出年度上限": BAD,
    "已达标": GOOD,
    "未达标": BAD,
    "未报": MUTED,
    # village ranking
    "末位": BAD,
    # petitions
    "已化解": GOOD,
    "化解中": NEUTRAL,
    # rectification orders
    "已完成": GOOD,
    "整改中": NEUTRAL,
    "已逾期": BAD,
    # projects
    "已完工": GOOD,
    "推进中": NEUTRAL,
    "逾期或停滞": BAD,
    "未启动": MUTED,
})
"""Status (Chinese, as the analysis writes it) -> colour; good is green, neutral blue, bad red."""

STATUS_ORDER: tuple[str, ...] = tuple(STATUS_COLORS)
"""Order in which known statuses stack and appear in legends (good before neutral before bad)."""

NO_STATUS_COLOR = MUTED

SEQUENTIAL_CMAP = LinearSegmentedColormap.from_list("house_sequential", ["#f4f7fb", "#9dbbe0", PRIMARY])
"""Low-to-high colour scale for heatmaps, ending in the primary colour."""

RC = MappingProxyType({
    "font.family": [FONT_FAMILY],
    "font.size": FONT_SIZE,
    "axes.titlesize": TITLE_FONT_SIZE,
    "axes.titlelocation": "left",
    "axes.titlepad": 10.0,
    "axes.labelsize": SMALL_FONT_SIZE,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#9aa1a9",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "axes.unicode_minus": True,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "text.color": INK,
    "xtick.labelsize": SMALL_FONT_SIZE,
    "ytick.labelsize": SMALL_FONT_SIZE,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.fontsize": SMALL_FONT_SIZE,
    "legend.frameon": False,
    "figure.figsize": (FIGURE_WIDTH_IN, 4.0),
    "figure.dpi": DPI,
    "figure.facecolor": "white",
    "figure.constrained_layout.use": True,
    "savefig.dpi": "figure",
    "savefig.facecolor": "white",
    "image.cmap": "Blues",
})
"""rcParams of the house style (``apply()`` sets them)."""


@lru_cache(maxsize=1)
def font_path() -> Path:
    """The Noto Sans CJK SC file shipped inside the mplfonts package (found without importing it)."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "fonts" / FONT_FILE_NAME
        if path.is_file():
            return path
    raise ReportError(f"未找到图表所需的中文字体 {FONT_FILE_NAME}：请安装依赖包 {FONT_PACKAGE}（见 requirements.txt）")


def register_font() -> Path:
    """Make the CJK font known to matplotlib's font manager (once; later calls only check)."""
    path = font_path()
    fname = os.fsdecode(path)
    if not any(entry.fname == fname for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(fname)
    return path


def apply() -> None:
    """Register the CJK font and set the house rcParams; idempotent and cheap, call it before drawing."""
    register_font()
    mpl.rcParams.update(RC)


def format_number(value: float, decimals: int | None = None) -> str:
    """'52,000', '1,234.5', '0.5': thousands separators, no trailing zeros unless ``decimals`` is given."""
    if pd.isna(value):
        return "—"
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_pct(value: float) -> str:
    """'71.5%' (one decimal, as the report writes percentages)."""
    if pd.isna(value):
        return "—"
    return f"{value:.1f}%"


MINUS = "\u2212"
"""Charts print negatives with the true minus sign, as matplotlib's own tick labels do."""


def chart_number(value: float) -> str:
    """``format_number`` for a chart: the same digits, with a true minus sign."""
    text = format_number(value)
    return MINUS + text[1:] if text.startswith("-") else text


def chart_pct(value: float) -> str:
    """``format_pct`` for a chart: '71.5%', '−3.2%'."""
    text = format_pct(value)
    return MINUS + text[1:] if text.startswith("-") else text


def _axis_number(value: float, _pos: int | None = None) -> str:
    return chart_number(round(value, 6))


def _axis_pct(value: float, _pos: int | None = None) -> str:
    return _axis_number(value) + "%"


def number_formatter() -> FuncFormatter:
    """A fresh tick formatter with thousands separators (formatters must not be shared between axes)."""
    return FuncFormatter(_axis_number)


def pct_formatter() -> FuncFormatter:
    """A fresh tick formatter in percent."""
    return FuncFormatter(_axis_pct)
