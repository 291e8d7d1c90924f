"""What each column of the workbook offers and says: a township's terms, dropdown values, header notes, cells."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.data.report_profile.model import ReportProfile
from helpers.data.report_profile.reading import default_profile
from helpers.data.schema import (
    REF_AREA,
    REF_HIGHLIGHT_AREA,
    REF_INDICATOR,
    REF_PROJECT,
    REF_VILLAGE,
    REF_VILLAGES,
    TABLES_BY_NAME,
    Col,
    Table,
)
from helpers.data.validation import month_key, parse_number
from helpers.data.workbook.terms import CHOICE_LABELS, SHEET_NAMES

KIND_LABELS: dict[str, str] = {
    "text": "文本",
    "int": "整数",
    "number": "数字",
    "month": "月份（YYYY-MM）",
    "date": "日期（YYYY-MM-DD）",
    "bool": "是/否",
    "choice": "选项",
    "mapping": "映射（年度: 数值）",
    REF_AREA: "工作领域",
    REF_HIGHLIGHT_AREA: "工作领域",
    REF_VILLAGE: "村（社区）名称",
    REF_VILLAGES: "村（社区）名称（可多个）",
    REF_INDICATOR: "指标名称（或指标代码）",
    REF_PROJECT: "项目编号",
}
"""A column kind as the user reads it."""

REFERENCES: dict[str, tuple[str, str]] = {
    REF_VILLAGE: ("villages", "village"),
    REF_INDICATOR: ("indicators", "name"),
    REF_PROJECT: ("projects", "project_id"),
}
"""Reference kinds whose dropdown lists a column of another sheet (indicators by name)."""


@dataclass(frozen=True)
class Terms:
    """What a township's workbook offers: its areas (id -> short name) and its extended choice lists."""

    areas: Mapping[str, str]
    highlight_areas: Mapping[str, str]
    choices: Mapping[tuple[str, str], tuple[str, ...]]
    """(table, column) -> the values of a choice column the township's report.yaml extends."""


def terms_of(report: ReportProfile | None) -> Terms:
    """The township's terms from its report profile; the bundled profile's without one."""
    report = report or default_profile()
    return Terms(report.area_names, report.highlight_areas,
                 {("events", "type"): report.event_types, ("project_progress", "stage"): report.project_stages})


DEFAULT_TERMS = terms_of(None)


def choice_labels(col: Col) -> tuple[str, ...]:
    """A choice column's values as the workbook shows them (流量, 越高越好 …)."""
    return tuple(CHOICE_LABELS.get(v, v) for v in col.allowed)


def allowed_values(col: Col, table: Table | None = None, terms: Terms = DEFAULT_TERMS) -> tuple[str, ...]:
    """The values a dropdown offers when they form a closed list (areas by their Chinese name)."""
    if table is not None and (table.name, col.id) in terms.choices:
        return tuple(CHOICE_LABELS.get(v, v) for v in terms.choices[(table.name, col.id)])
    if col.kind in ("choice", "bool"):
        return choice_labels(col)
    if col.kind == REF_AREA:
        return tuple(terms.areas.values())
    if col.kind == REF_HIGHLIGHT_AREA:
        return tuple(terms.highlight_areas.values())
    return ()


def allowed_text(col: Col, table: Table | None = None, terms: Terms = DEFAULT_TERMS) -> str:
    """The allowed values of a column in words, for the 说明 sheet and the header notes.

    As the sheet shows them (Chinese first, the contract's code in brackets), with the township's own
    areas and extended choice lists from ``terms``.
    """
    if table is not None and (table.name, col.id) in terms.choices:
        return " / ".join(f"{CHOICE_LABELS[v]}（{v}）" if v in CHOICE_LABELS else v
                          for v in terms.choices[(table.name, col.id)])
    if col.kind in ("choice", "bool"):
        return " / ".join(f"{CHOICE_LABELS[v]}（{v}）" if v in CHOICE_LABELS else v for v in col.allowed)
    if col.kind in (REF_AREA, REF_HIGHLIGHT_AREA):
        areas = terms.areas if col.kind == REF_AREA else terms.highlight_areas
        return " / ".join(f"{v}（{k}）" for k, v in areas.items())
    if col.kind == REF_INDICATOR:
        return "工作表“指标”中的指标名称或指标代码"
    if col.kind in REFERENCES:
        sheet, key = REFERENCES[col.kind]
        return f"工作表“{SHEET_NAMES[sheet]}”中的“{TABLES_BY_NAME[sheet].col(key).zh}”"
    if col.kind == REF_VILLAGES:
        return "工作表“村（社区）”中的村（社区），多个用“、”分隔"
    if col.kind in ("int", "number") and col.nonneg:
        return "≥ 0"
    return ""


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_value(col: Col, value: object, names: Mapping[str, str] | None = None,
               terms: Terms = DEFAULT_TERMS) -> object:
    """A table value as it goes into a cell: numbers as numbers, everything else as text; empty as None.

    Accepts both the text a user wrote and the typed values of a loaded township (periods,
    timestamps, booleans, lists of villages). Choices and areas are written in Chinese, and
    indicator codes as the names in ``names`` (code -> name) when given.
    """
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) or None
    if isinstance(value, pd.Period):
        return value.strftime("%Y-%m")
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool | np.bool_):
        return "是" if value else "否"
    if col.kind in ("int", "number"):
        number = parse_number(str(value))
        if number is None:
            return str(value) or None  # leave a wrong value visible for the user to fix
        return int(number) if number.is_integer() else number
    if col.kind == "month":
        return month_key(str(value)) or str(value) or None
    text = str(value)
    if col.kind == "choice":
        return CHOICE_LABELS.get(text, text) if text in col.allowed else text or None
    if col.kind in (REF_AREA, REF_HIGHLIGHT_AREA):
        return (terms.areas if col.kind == REF_AREA else terms.highlight_areas).get(text, text) or None
    if col.kind == REF_INDICATOR and names:
        return names.get(text, text) or None
    return text or None


ENTRY_NOTES: dict[tuple[str, str], str] = {
    ("monthly", "value"): "流量指标填当月发生数，不是 1 月以来的累计数；存量指标填月末数",
    ("monthly", "village"): "留空 = 全镇合计（该指标不分村时）",
    ("targets", "target"): "流量指标填全年合计；存量指标填年末应达到的数",
}
"""What a header's note adds for the person typing, beyond the contract's own note."""


WORKBOOK_NOTES: dict[tuple[str, str], str] = {
    ("indicators", "area"): "从下拉列表选本乡镇的工作领域（也认 report.yaml 中领域的 id）",
    ("indicators", "kind"): "流量 = 当月发生量；存量 = 月末存量；比率 = 百分比或比率（如办结率），直接与目标比较",
    ("indicators", "better"): "越高越好；越低越好 = 目标为上限",
    ("targets", "target"): "流量指标：全年合计；存量指标：年末应达到的水平",
    ("highlights", "area"): "另可填“总体”",
}
"""A column's note in the workbook's words where the contract's note uses its English values."""


def column_note(col: Col, table: Table | None) -> str:
    """The contract's note of a column, as the workbook says it."""
    return WORKBOOK_NOTES.get((table.name, col.id), col.note) if table is not None else col.note


def header_comment(col: Col, table: Table | None = None, terms: Terms = DEFAULT_TERMS) -> str:
    """The note on a header cell: code, kind, required, allowed values, and how to fill it in."""
    parts = [f"代码：{col.id}", f"类型：{KIND_LABELS.get(col.kind, col.kind)}", "必填" if col.required else "可空"]
    allowed = allowed_text(col, table, terms)
    if allowed:
        parts.append(f"取值：{allowed}")
    if column_note(col, table):
        parts.append(column_note(col, table))
    if table is not None and (table.name, col.id) in ENTRY_NOTES:
        parts.append(ENTRY_NOTES[(table.name, col.id)])
    return "\n".join(parts)
