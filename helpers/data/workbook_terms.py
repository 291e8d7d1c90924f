"""The workbook's own words: sheet names, labels, Chinese choices, indicator names, problems as the user sees them.

Problems are re-worded for someone who only ever saw the workbook: sheet, row and header as shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import yaml

from helpers.data.profile import default_profile
from helpers.data.schema import PROFILE_FIELDS, REF_AREA, REF_HIGHLIGHT_AREA, REF_INDICATOR, TABLES, Col, Table
from helpers.data.sources import PROFILE_FILE, RawTable
from helpers.exceptions import Problem

SHEET_NAMES: dict[str, str] = {t.name: t.zh for t in TABLES}
"""Table name -> the sheet's Chinese name in the workbook (the English table name is accepted too)."""

AREAS = default_profile().area_names
"""The bundled profile's areas (id -> short name): the blank workbook's dropdowns. A township with areas of
its own may still type its own ids or short names; the validation checks them against its report.yaml."""
HIGHLIGHT_AREAS = default_profile().highlight_areas


PROFILE_SHEET = "乡镇概况"
PROFILE_SHEET_EN = "township"


PROFILE_LABELS: dict[str, str] = {
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
    rows: dict[str, int] = field(default_factory=dict)  # profile field id -> its row in the sheet


INDICATOR_HEADER = "指标"
"""The workbook's header for a column that takes an indicator (its name, or its code)."""


def sheet_header(col: Col) -> str:
    """A column's header in the workbook: the contract's Chinese header, except 指标 where a name will do."""
    return INDICATOR_HEADER if col.kind == REF_INDICATOR else col.zh


def contract_headers(table: Table, header: list[str]) -> list[str]:
    """The header row with the workbook's own headers turned back into the contract's."""
    own = {sheet_header(c): c.zh for c in table.columns if sheet_header(c) != c.zh}
    return [own.get(h.strip(), h) for h in header]


def choice_value(text: str) -> str:
    """A choice cell written in Chinese (流量, 越高越好 …) as the contract's value."""
    reverse = {zh: en for en, zh in CHOICE_LABELS.items()}
    return reverse.get(text, text)


def contract_value(col: Col, text: str) -> str:
    """A cell as the contract writes it: Chinese choices and area names become their ids."""
    if col.kind == "choice":
        return choice_value(text)
    if col.kind in (REF_AREA, REF_HIGHLIGHT_AREA):
        areas = AREAS if col.kind == REF_AREA else HIGHLIGHT_AREAS
        return next((k for k, zh in areas.items() if zh == text), text)
    return text


PROFILE_KINDS = {fid: kind for fid, _desc, kind, _required in PROFILE_FIELDS}


def profile_field(label: str) -> str:
    """The field id of a township-sheet label (its Chinese label, its description or its id)."""
    label = label.strip()
    for fid, desc, _kind, _required in PROFILE_FIELDS:
        if label in (fid, PROFILE_LABELS.get(fid), desc):
            return fid
    return label


def profile_value(field_id: str, value: object) -> object:
    """A township-sheet cell as township.yaml would hold it.

    Numbers typed as text become numbers, and a mapping field written as ``{2017: 3300, 2018: 3600}``
    (or ``2017：3300，2018：3600``) becomes a mapping; anything unreadable is left for the validation.
    """
    kind = PROFILE_KINDS.get(field_id, "text")
    if isinstance(value, str):
        value = value.strip()
    if kind in ("int", "number") and isinstance(value, str):
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    if kind == "mapping" and isinstance(value, str):
        text = value.replace("：", ": ").replace("，", ", ").replace("；", ", ").replace("、", ", ")
        text = text if text.startswith("{") else "{" + text + "}"
        text = re.sub(r":(?=\S)", ": ", text)
        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError:
            return value
        return parsed if isinstance(parsed, dict) else value
    if kind == "text" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if kind == "text" and isinstance(value, int | float):
        return str(value)
    return value


def indicator_names(tables: Mapping[str, RawTable], known: Mapping[str, str] | None = None) -> dict[str, set[str]]:
    """Indicator name -> the codes that carry it (from the workbook's indicators sheet and ``known``)."""
    pairs = dict(known or {})
    raw = tables.get("indicators")
    if raw is not None and {"indicator", "name"} <= set(raw.frame.columns):
        pairs.update(zip(raw.frame["indicator"], raw.frame["name"], strict=True))
    names: dict[str, set[str]] = {}
    for code, name in pairs.items():
        if code and name:
            names.setdefault(name, set()).add(code)
    return names


def resolve_indicators(tables: Mapping[str, RawTable], known: Mapping[str, str] | None = None) -> list[Problem]:
    """Replace indicator names by their codes wherever a code is asked; an ambiguous name is refused."""
    names = indicator_names(tables, known)
    codes = set(known or {})
    if tables.get("indicators") is not None and "indicator" in tables["indicators"].frame.columns:
        codes |= set(tables["indicators"].frame["indicator"])
    problems: list[Problem] = []
    for table in TABLES:
        raw = tables.get(table.name)
        if raw is None:
            continue
        for col in table.columns:
            if col.kind != REF_INDICATOR or col.id not in raw.frame.columns:
                continue
            values = []
            for index, value in raw.frame[col.id].items():
                found = names.get(value, set())
                if value in codes or not found:
                    values.append(value)
                elif len(found) == 1:
                    values.append(next(iter(found)))
                else:
                    problems.append(Problem(raw.source, raw.line(index), f"{col.id}（{col.zh}）", value,
                                            f"指标名称对应多个指标（{'、'.join(sorted(found))}）：请改填指标代码"))
                    values.append(value)
            raw.frame[col.id] = values
    return problems


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
        if p.file == PROFILE_FILE:
            row = ref.rows.get(p.column or "")
            column = None
            reason = f"“{PROFILE_LABELS.get(p.column or '', p.column)}”：{reason}"
            out.append(replace(p, file=ref.book, sheet=ref.sheet, row=row, column=column, reason=reason))
            continue
        if column:
            ids = [part.split("（")[0] for part in column.split("、")]
            column = "、".join(ref.headers.get(i, i) for i in ids)
        out.append(replace(p, file=ref.book, sheet=ref.sheet, column=column, reason=reason))
    return out
