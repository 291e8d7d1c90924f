"""summary.xlsx: the key-figure tables of a month, one sheet per area plus 总览, written with openpyxl.

Text that a spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is neutralised with a leading apostrophe ``'`` kept in the text (the OWASP advice for
formula injection; the mark stays visible and survives a later conversion to CSV), and every text cell
is stored as a string, never as a formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.config import AREAS
from helpers.report.tables import key_figure_view

OVERVIEW_SHEET = "总览"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of the summary: the key-figure column, its Chinese header and how to show it."""

    key: str
    header: str
    kind: str  # text | number | percent | points
    width: int = 12


COLUMNS: tuple[Column, ...] = (
    Column("area", "工作领域", "text", 14),
    Column("name", "指标", "text", 28),
    Column("unit", "单位", "text", 8),
    Column("ytd", "累计/现值", "number"),
    Column("target", "年度目标", "number"),
    Column("completion_pct", "完成率（%）", "percent"),
    Column("time_pct", "序时进度（%）", "percent"),
    Column("diff_pp", "快于序时进度（百分点）", "points", 14),
    Column("status", "状态", "text", 10),
    Column("this_month", "本月", "number"),
    Column("mom_pct", "环比（%）", "points"),
    Column("yoy_pct", "同比（%）", "points"),
    Column("pace_needed", "今后每月需完成", "number", 14),
)
"""Summary columns in order; key-figure columns not listed here are left out, missing ones skipped."""

NUMBER_FORMATS = {
    "percent": "0.0",
    "points": '+0.0;-0.0;0.0',
    "integer": "#,##0",
    "decimal": "#,##0.00",
}


def neutralise(text: str) -> str:
    """Text that must not be read as a formula, with a leading apostrophe where it could be."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def summary_frames(key_figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Sheet name → table with Chinese headers: 总览 (every area) then one sheet per area with rows.

    The area sheets drop the 工作领域 column. Area ids become their Chinese names.
    """
    kf = key_figure_view(key_figures) if {"better", "kind", "pace_needed"} <= set(key_figures) else key_figures.copy()
    if "area" in kf:
        kf["area"] = kf["area"].astype("string").map(lambda a: AREAS.get(a, a), na_action="ignore")
    columns = [c for c in COLUMNS if c.key in kf.columns]
    frames = {OVERVIEW_SHEET: _with_headers(kf, columns)}
    if "area" in key_figures:
        area_ids = key_figures["area"].astype("string")
        for area, label in AREAS.items():
            rows = kf[(area_ids == area).to_numpy()]
            if len(rows):
                frames[label] = _with_headers(rows, [c for c in columns if c.key != "area"])
    return frames


def _with_headers(frame: pd.DataFrame, columns: list[Column]) -> pd.DataFrame:
    out = frame[[c.key for c in columns]].reset_index(drop=True)
    out.columns = [c.header for c in columns]
    return out


def _cell_value(value):
    """A value as openpyxl should store it: None for missing, plain floats, text as text."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    if hasattr(value, "item"):  # numpy scalar
        return _cell_value(value.item())
    return neutralise(str(value))


def write_summary(key_figures: pd.DataFrame, path: Path, title: str | None = None) -> Path:
    """Write the key-figure tables to ``path`` (xlsx): frozen header row, number formats, column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    by_header = {c.header: c for c in COLUMNS}
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="F2EEE8")
    header_border = Border(bottom=Side(style="thin", color="808080"))
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, frame in summary_frames(key_figures).items():
        ws = wb.create_sheet(sheet)
        ws.append(list(frame.columns))
        for cell in ws[1]:
            cell.font, cell.fill, cell.border = header_font, header_fill, header_border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in frame.itertuples(index=False):
            ws.append([_cell_value(v) for v in row])
        for j, header in enumerate(frame.columns, start=1):
            column = by_header[header]
            letter = ws.cell(row=1, column=j).column_letter
            ws.column_dimensions[letter].width = column.width
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                elif isinstance(cell.value, (int, float)):
                    cell.number_format = _number_format(column.kind, cell.value)
        ws.freeze_panes = "A2"
        ws.row_dimensions[1].height = 30
    if title:
        wb.properties.title = title
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return Path(path)


def _number_format(kind: str, value: float) -> str:
    if kind in ("percent", "points"):
        return NUMBER_FORMATS[kind]
    return NUMBER_FORMATS["integer"] if float(value).is_integer() else NUMBER_FORMATS["decimal"]


def month_key_figures(township, month) -> pd.DataFrame:
    """The key figures of a loaded township for a month (helpers.analysis.progress, imported when needed)."""
    from helpers.analysis.progress import key_figures

    return key_figures(township, month)
