"""Cells of the workbook in the contract's terms: text as typed, Chinese choices and areas as ids, names as codes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import yaml

from helpers.data.reading.raw_tables import RawTable
from helpers.data.report_profile.reading import default_profile
from helpers.data.schema import INFO_FIELDS, REF_AREA, REF_HIGHLIGHT_AREA, REF_INDICATOR, TABLES, Col, Table
from helpers.data.workbook.terms import CHOICE_LABELS, INFO_LABELS, sheet_header
from helpers.exceptions import Problem


def excel_cell_text(value: object) -> str:
    """Render an Excel cell as the text a user typed: dates as YYYY-MM-DD, whole floats without .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def shown_number(value: float) -> str:
    """A percent-formatted number as the user sees it: 0.95 -> "95"."""
    shown = round(value * 100, 9)
    return str(int(shown)) if float(shown).is_integer() else repr(shown)


def month_like(table: Table, col_id: str, text: str) -> str:
    """Excel turns a typed 2018-08 into a date: give month columns back their YYYY-MM form."""
    col = next((c for c in table.columns if c.id == col_id), None)
    if col is not None and col.kind == "month" and len(text) == 10 and text[4] == "-" and text.endswith("-01"):
        return text[:7]
    return text


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
    if col.kind in (REF_AREA, REF_HIGHLIGHT_AREA):  # the bundled profile's short names; a township's own: on import
        default = default_profile()
        areas = default.area_names if col.kind == REF_AREA else default.highlight_areas
        return next((k for k, zh in areas.items() if zh == text), text)
    return text


INFO_KINDS = {fid: kind for fid, _desc, kind, _required in INFO_FIELDS}


def info_field(label: str) -> str:
    """The field id of a township-sheet label (its Chinese label, its description or its id)."""
    label = label.strip()
    for fid, desc, _kind, _required in INFO_FIELDS:
        if label in (fid, INFO_LABELS.get(fid), desc):
            return fid
    return label


def info_value(field_id: str, value: object) -> object:
    """A township-sheet cell as township.yaml would hold it.

    Numbers typed as text become numbers, and a mapping field written as ``{2017: 3300, 2018: 3600}``
    (or ``2017：3300，2018：3600``) becomes a mapping; anything unreadable is left for the validation.
    """
    kind = INFO_KINDS.get(field_id, "text")
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
