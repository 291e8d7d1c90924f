"""The workbook's own words: sheet names, labels, Chinese choices, headers, and problems as the user sees them.

Problems are re-worded for someone who only ever saw the workbook: sheet, row and header as shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from helpers.data.schema import INFO_FILE, REF_INDICATOR, TABLES, Col
from helpers.exceptions import Problem

SHEET_NAMES: dict[str, str] = {t.name: t.zh for t in TABLES}
"""Table name -> the sheet's Chinese name in the workbook (the English table name is accepted too)."""

INFO_SHEET = "乡镇概况"
INFO_SHEET_EN = "township"


INFO_LABELS: dict[str, str] = {
    "name": "乡镇名称",
    "county": "所属县",
    "location": "地理位置",
    "distance_to_county_km": "距县城（公里）",
    "area_km2": "幅员面积（平方公里）",
    "town_area_km2": "场镇面积（平方公里）",
    "population": "总人口",
    "poverty_line_yuan": "脱贫收入标准（元/人）",
    "issuer": "发文机关",
    "addressee": "主送机关",
    "kind": "类型（镇/乡/街道）",
}
"""Profile field id -> the label the township sheet shows in its first column."""


CHOICE_LABELS: dict[str, str] = {
    "flow": "流量",
    "stock": "存量",
    "rate": "比率",
    "higher": "越高越好",
    "lower": "越低越好",
}
"""English choice values of the contract -> what the workbook shows and accepts."""


@dataclass
class SheetRef:
    """Where a raw table came from, to name problems as the user sees them."""

    book: str
    sheet: str
    headers: dict[str, str]  # column id -> header text as written in the sheet
    rows: dict[str, int] = field(default_factory=dict)  # township.yaml field id -> its row in the sheet


INDICATOR_HEADER = "指标"
"""The workbook's header for a column that takes an indicator (its name, or its code)."""


def sheet_header(col: Col) -> str:
    """A column's header in the workbook: the contract's Chinese header, except 指标 where a name will do."""
    return INDICATOR_HEADER if col.kind == REF_INDICATOR else col.zh


FILE_SHEETS = {t.file: SHEET_NAMES[t.name] for t in TABLES}
UNKNOWN_INDICATOR = "未知的指标代码（不在 indicators.csv 中）"
UNKNOWN_INDICATOR_IN_BOOK = f"未知的指标（不是工作表“{SHEET_NAMES['indicators']}”中的指标名称或指标代码）"
"""A workbook's indicator columns take names as well as codes: the message says so."""


def in_sheet_terms(problems: list[Problem], sheets: Mapping[str, SheetRef]) -> list[Problem]:
    """Problems re-worded for someone who only ever saw the workbook: sheet, row, header as shown.

    ``villages.csv`` in a reason becomes 工作表“村（社区）”, and a township.yaml field its row of
    the township sheet.
    """
    out: list[Problem] = []
    for p in problems:
        reason = p.reason
        ref = sheets.get(p.file)
        if ref is not None:  # a cell of the workbook, where an indicator column takes names as well
            reason = reason.replace(UNKNOWN_INDICATOR, UNKNOWN_INDICATOR_IN_BOOK)
        for file, sheet in FILE_SHEETS.items():
            reason = reason.replace(f"不在 {file} 中", f"不在工作表“{sheet}”中").replace(file, f"工作表“{sheet}”")
        if ref is None:
            out.append(replace(p, reason=reason))
            continue
        column = p.column
        if p.file == INFO_FILE:
            row = ref.rows.get(p.column or "")
            column = None
            reason = f"“{INFO_LABELS.get(p.column or '', p.column)}”：{reason}"
            out.append(replace(p, file=ref.book, sheet=ref.sheet, row=row, column=column, reason=reason))
            continue
        if column:
            ids = [part.split("（")[0] for part in column.split("、")]
            column = "、".join(ref.headers.get(i, i) for i in ids)
        out.append(replace(p, file=ref.book, sheet=ref.sheet, column=column, reason=reason))
    return out
