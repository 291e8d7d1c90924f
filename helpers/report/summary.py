"""summary.xlsx: the key-figure tables of a month, one sheet per area plus 总览, written with openpyxl.

Text that a spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is neutralised with a leading apostrophe ``'`` kept in the text (the OWASP advice for
formula injection; the mark stays visible and survives a later conversion to CSV), and every text cell
is stored as a string, never as a formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd

from helpers import __version__
from helpers.data.periods import month_label
from helpers.data.report_profile.reading import default_profile
from helpers.report.tables import KEY_FIGURE_COLUMNS, key_figure_view
from helpers.report.wording import WHOLE_UNITS

OVERVIEW_SHEET = "总览"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 2
"""Row 1 is the title (township, month, generated on); the column headers are on row 2, data below."""


@dataclass(frozen=True)
class Column:
    """One column of the summary: the key-figure column, its Chinese header and how to show it.

    ``kind``: text; number (one format per column, whole where the units count things); percent and
    signed_percent (stored as fractions, shown with %); points (percentage points, shown as 个百分点).
    """

    key: str
    header: str
    kind: str
    width: int = 12


def _html(key: str) -> str:
    """The header the HTML key-figure table gives this column, so the two cannot drift apart."""
    return KEY_FIGURE_COLUMNS[key][0]


COLUMNS: tuple[Column, ...] = (
    Column("area", "工作领域", "text", 14),
    Column("name", _html("name"), "text", 26),
    Column("unit", _html("unit"), "text", 7),
    Column("as_of", _html("as_of"), "text", 20),
    Column("ytd", _html("ytd"), "number"),
    Column("target", _html("target"), "number"),
    Column("completion_pct", _html("completion_pct"), "percent", 9),
    Column("time_pct", _html("time_pct"), "percent", 9),
    Column("diff_pp", _html("diff_pp"), "points", 19),
    Column("status", _html("status"), "text", 8),
    Column("this_month", "本月", "number", 10),
    Column("mom_pct", _html("mom_pct"), "signed_percent", 9),
    Column("yoy_pct", _html("yoy_pct"), "signed_percent", 9),
    Column("yoy_note", _html("yoy_note"), "text", 24),
    Column("pace_needed", _html("pace_needed"), "number", 14),
)
"""Summary columns in order; key-figure columns not listed here are left out, missing ones skipped."""

NUMBER_FORMATS = {
    "percent": "0.0%",
    "signed_percent": "+0.0%;-0.0%;0.0%",
    "points": '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"',
}
FRACTION_KINDS = ("percent", "signed_percent")
"""Kinds held in percent by the analysis and stored as fractions (41.67 → 0.4167, shown 41.7%)."""


def neutralise(text: str) -> str:
    """Text that must not be read as a formula, with a leading apostrophe where it could be."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def summary_frames(key_figures: pd.DataFrame, areas: dict[str, str] | None = None,
                   month: pd.Period | None = None) -> dict[str, pd.DataFrame]:
    """Sheet name → table with Chinese headers: 总览 (every area) then one sheet per area with rows.

    The area sheets drop the 工作领域 column. Area ids become their short names (``areas``: the township's,
    in report order; default: the bundled profile's). ``month``, the report month, lets 数据截至 read as the HTML's.
    """
    areas = areas if areas is not None else default_profile().area_names
    viewable = {"better", "kind", "pace_needed"} <= set(key_figures)
    kf = key_figure_view(key_figures, month) if viewable else key_figures.copy()
    if "area" in kf:
        kf["area"] = kf["area"].astype("string").map(lambda a: areas.get(a, a), na_action="ignore")
    columns = [c for c in COLUMNS if c.key in kf.columns]
    frames = {OVERVIEW_SHEET: _with_headers(kf, columns)}
    if "area" in key_figures:
        area_ids = key_figures["area"].astype("string")
        for area, label in areas.items():
            rows = kf[(area_ids == area).to_numpy()]
            if len(rows):
                # like the HTML's area tables: a 同比说明 column only where one of the area's rows has a note
                noted = "yoy_note" in rows and rows["yoy_note"].astype(bool).any()
                frames[label] = _with_headers(rows, [c for c in columns
                                                     if c.key != "area" and (c.key != "yoy_note" or noted)])
    return frames


def _with_headers(frame: pd.DataFrame, columns: list[Column]) -> pd.DataFrame:
    out = frame[[c.key for c in columns]].reset_index(drop=True)
    for c in columns:
        if c.kind in FRACTION_KINDS:
            out[c.key] = pd.to_numeric(out[c.key], errors="coerce") / 100
    out.columns = [c.header for c in columns]
    if "unit" in frame:
        out.attrs["units"] = frame["unit"].astype(str).tolist()
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
    text = str(value)
    return neutralise(text) if text else None  # an empty note is an empty cell


def _places(value: float, unit: str) -> int:
    """Decimals a figure needs as the HTML shows it (up to two), none where the unit counts things."""
    if unit in WHOLE_UNITS:
        return 0
    text = f"{Decimal(repr(float(value))).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return len(text.partition(".")[2])


def column_format(kind: str, values: list, units: list[str]) -> str:
    """One number format for a whole column: fixed for percentages and points, else the most decimals needed."""
    if kind in NUMBER_FORMATS:
        return NUMBER_FORMATS[kind]
    places = max((_places(v, u) for v, u in zip(values, units, strict=True) if isinstance(v, int | float)),
                 default=0)
    return "#,##0" + ("." + "0" * places if places else "")


def _tint(color: str, share: float = 0.15) -> str:
    """``color`` mixed with white (``share`` of the colour), as an ARGB-less hex for a cell fill."""
    rgb = [int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - c) * share):02X}" for c in rgb)


def title_text(township: str, month: pd.Period | None, generated_at: datetime | None, title: str | None) -> str:
    """Row 1: 测试镇2018年8月主要指标完成情况（生成于 2026-12-01 09:30）."""
    head = f"{township}{month_label(month)}主要指标完成情况" if township and month else (title or "主要指标完成情况")
    return head + (f"（生成于 {generated_at:%Y-%m-%d %H:%M}）" if generated_at else "")


def write_summary(key_figures: pd.DataFrame, path: Path, title: str | None = None, *, township: str = "",
                  month: pd.Period | None = None, generated_at: datetime | None = None,
                  areas: dict[str, str] | None = None) -> Path:
    """Write the key-figure tables to ``path`` (xlsx), ready to print.

    Each sheet: a title row, the header on row 2 (repeated on every printed page), landscape A4 fitted
    to one page wide, thin borders, status cells coloured as in the HTML, panes frozen below the header
    and right of the indicator name. The generation time and tool version also go to the properties.
    """
    from openpyxl import Workbook

    generated_at = generated_at or datetime.now()
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, frame in summary_frames(key_figures, areas, month).items():
        _write_sheet(wb.create_sheet(sheet), frame, title_text(township, month, generated_at, title))
    props = wb.properties
    if title:
        props.title = title
    props.creator = f"{township}党政办" if township else "乡镇工作月报"
    props.lastModifiedBy = f"乡镇工作月报 {__version__}"
    props.description = f"由乡镇工作月报 {__version__} 于 {generated_at:%Y-%m-%d %H:%M} 生成"
    props.created = props.modified = generated_at
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return Path(path)


def _write_sheet(ws, frame: pd.DataFrame, heading: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from helpers.report.style import STATUS_COLORS  # matplotlib-backed; imported only when writing

    by_header = {c.header: c for c in COLUMNS}
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([neutralise(heading)])  # the township's name comes from the data
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(frame.columns), 1))
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=14), Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    ws.append([_cell_value(h) for h in frame.columns])
    for cell in ws[HEADER_ROW]:
        cell.font, cell.fill, cell.border = Font(bold=True), PatternFill("solid", fgColor="F2EEE8"), border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 30
    for row in frame.itertuples(index=False):
        ws.append([_cell_value(v) for v in row])
    units = frame.attrs.get("units", [""] * len(frame))
    for j, header in enumerate(frame.columns, start=1):
        column = by_header[header]
        cells = [cell for (cell,) in ws.iter_rows(min_row=HEADER_ROW + 1, min_col=j, max_col=j)]
        number_format = column_format(column.kind, [c.value for c in cells], units)
        ws.column_dimensions[ws.cell(row=HEADER_ROW, column=j).column_letter].width = column.width
        for cell in cells:
            cell.border = border
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(cell.value, int | float):
                cell.number_format = number_format
            color = STATUS_COLORS.get(cell.value) if column.key == "status" else None
            if color:
                cell.font = Font(bold=True, color=color.lstrip("#").upper())
                cell.fill = PatternFill("solid", fgColor=_tint(color))
                cell.alignment = Alignment(horizontal="center")
    names = [c for c in (by_header.get(h) for h in frame.columns) if c is not None]
    name_col = next((j for j, c in enumerate(names, start=1) if c.key == "name"), 0)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=name_col + 1).coordinate
    _print_setup(ws)


def _print_setup(ws) -> None:
    """Landscape A4, one page wide and as many long as needed, the header row on every page."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def month_key_figures(township, month: pd.Period) -> pd.DataFrame:
    """The key figures of a loaded township for a month (helpers.analysis.progress, imported when needed)."""
    from helpers.analysis.progress import key_figures

    return key_figures(township, month)
