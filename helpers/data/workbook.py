"""The Excel data-entry workbook: a blank template (with example rows) or a township's current data.

The layout is the one :func:`helpers.data.excel.read_book` reads: a 说明 sheet describing every
column, a 乡镇概况 sheet of label / value rows, and one sheet per table under its Chinese name
(月度数据 …) with Chinese headers, Chinese choice values, indicators by name, dropdowns that refuse
a typo, and a protected, frozen header row. Importing is :mod:`helpers.data.importing`.

Kept as one module: the blank template and a township's export are the same layout, written by
:func:`build_workbook` (with example rows or with the township's rows).
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from helpers.data.examples import example_rows
from helpers.data.excel import EXAMPLE_MARK
from helpers.data.profile import ReportProfile, default_profile
from helpers.data.schema import (
    PROFILE_FIELDS,
    REF_AREA,
    REF_HIGHLIGHT_AREA,
    REF_INDICATOR,
    REF_PROJECT,
    REF_VILLAGE,
    REF_VILLAGES,
    TABLES,
    TABLES_BY_NAME,
    Col,
    Table,
)
from helpers.data.sources import read_folder
from helpers.data.township import load_report, township_folder
from helpers.data.validation import month_key, parse_number
from helpers.data.workbook_terms import CHOICE_LABELS, PROFILE_LABELS, PROFILE_SHEET, SHEET_NAMES, sheet_header
from helpers.exceptions import DataValidationError, Problem
from helpers.files import replacing

NOTES_SHEET = "说明"
TEXT_FORMAT = "@"
LAST_ROW = 1048576  # Excel's last row: dropdowns and text format cover the whole column

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

AREAS = default_profile().area_names
"""The bundled profile's areas (id -> short name): the blank workbook's dropdowns. A township with areas of
its own may still type its own ids or short names; the validation checks them against its report.yaml."""
HIGHLIGHT_AREAS = default_profile().highlight_areas


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


def list_rule(formula: str, what: str):
    """A dropdown whose error alert stops any value not in the list (Chinese title and text)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                          errorStyle="stop", errorTitle="取值不在列表中", error=f"请从下拉列表中选择{what}",
                          showInputMessage=False)


def protect_header(sheet, columns: int) -> None:
    """Lock the header row without a password; every other cell stays editable, rows can be added."""
    from openpyxl.styles import Protection
    from openpyxl.utils import get_column_letter

    unlocked = Protection(locked=False)
    for i in range(1, columns + 1):
        sheet.column_dimensions[get_column_letter(i)].protection = unlocked
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.protection = unlocked
    p = sheet.protection
    p.sheet = True
    p.insertRows = p.deleteRows = p.formatColumns = p.formatRows = p.formatCells = False
    p.sort = p.autoFilter = False


def column_rule(col: Col, table: Table, use_names: bool, terms: Terms = DEFAULT_TERMS):
    """The dropdown of one column: a closed list, or a column of another sheet; None for free text."""
    from openpyxl.utils import get_column_letter

    choices = allowed_values(col, table, terms)
    if choices:
        return list_rule('"' + ",".join(choices) + '"', "：" + " / ".join(choices))
    if col.kind not in REFERENCES or REFERENCES[col.kind][0] == table.name:
        return None
    ref_table, ref_col = REFERENCES[col.kind]
    if col.kind == REF_INDICATOR and not use_names:
        ref_col = "indicator"
    index = [c.id for c in TABLES_BY_NAME[ref_table].columns].index(ref_col) + 1
    letter = get_column_letter(index)
    sheet = SHEET_NAMES[ref_table]
    what = f"工作表“{sheet}”中已有的“{TABLES_BY_NAME[ref_table].col(ref_col).zh}”（新的请先加到该工作表）"
    return list_rule(f"'{sheet}'!${letter}$2:${letter}${LAST_ROW}", what)


def add_table_sheet(book, table: Table, rows: list[list[object]], examples: int, use_names: bool,
                    terms: Terms = DEFAULT_TERMS) -> None:
    """One sheet for one table: Chinese header, values, text format, dropdowns, protected frozen header."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(SHEET_NAMES[table.name])
    sheet.append([sheet_header(c) for c in table.columns])
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # a text that starts with "=" is data, not a formula
                cell.data_type = "s"
    for r in range(2, 2 + examples):
        first = sheet.cell(row=r, column=1)
        first.comment = Comment(f"{EXAMPLE_MARK}：导入时跳过，可删除；请在下面的空行填写", "乡镇工作月报")
        for cell in sheet[r]:
            cell.font = Font(italic=True, color="808080")
    for i, col in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        head = sheet.cell(row=1, column=i)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="DDEBF7")
        head.alignment = Alignment(horizontal="center")
        head.comment = Comment(header_comment(col, table, terms), "乡镇工作月报", width=280, height=140)
        texts = [str(r[i - 1]) for r in rows[:2000] if r[i - 1] is not None]
        width = max([display_width(col.zh) + 2, *map(display_width, texts)])
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        if col.kind not in ("int", "number"):
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            for cell in sheet[letter][1:]:
                cell.number_format = TEXT_FORMAT
        rule = column_rule(col, table, use_names, terms)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    protect_header(sheet, len(table.columns))


def profile_cell(value: object) -> object:
    """A profile value as it goes into the township sheet (a mapping as ``{2018: 3600}`` text)."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return yaml.safe_dump(dict(value), default_flow_style=True, allow_unicode=True).strip()
    return value


def add_profile_sheet(book, profile: Mapping | None) -> None:
    """乡镇概况: one row per field, its Chinese label (locked) and its value."""
    from openpyxl.styles import Font, Protection

    sheet = book.create_sheet(PROFILE_SHEET)
    sheet.append(["项目", "内容", "说明"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    profile = dict(profile or {})
    known = {fid for fid, *_ in PROFILE_FIELDS}
    for fid, desc, _kind, required in PROFILE_FIELDS:
        sheet.append([PROFILE_LABELS.get(fid, fid), profile_cell(profile.get(fid)),
                      f"{desc}（{'必填' if required else '可空'}；留空的项保留原有内容）"])
    for key, value in profile.items():
        if key not in known:
            sheet.append([key, profile_cell(value), ""])
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 64
    sheet.column_dimensions["B"].protection = Protection(locked=False)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.protection = Protection(locked=False)
    sheet.protection.sheet = True
    sheet.freeze_panes = "A2"


NOTES_HEADER = ("工作表", "列代码", "中文表头", "类型", "必填", "允许取值", "说明", "示例")


PER_VILLAGE_NOTE = "按村填报：在“月度数据”中每个村（社区）每月一行，填村名；全镇数为各村之和"
WHOLE_TOWNSHIP_NOTE = "全镇填报：在“月度数据”中每月一行，“村（社区）”留空"


def entry_scope(monthly_rows: list[list[object]]) -> tuple[list[str], list[str]]:
    """Indicators (as 月度数据 writes them) with village rows, and those with only whole-township rows.

    Read from the rows themselves (data/README “村级指标”: a row with a village is that village's figure),
    so an export says what the township already does and the template what its example rows show.
    """
    cols = [c.id for c in TABLES_BY_NAME["monthly"].columns]
    village, indicator = cols.index("village"), cols.index("indicator")
    per_village: dict[str, None] = {}
    whole: dict[str, None] = {}
    for row in monthly_rows:
        if row[indicator] is not None:
            (per_village if row[village] is not None else whole)[str(row[indicator])] = None
    return list(per_village), [i for i in whole if i not in per_village]


def entry_scope_text(monthly_rows: list[list[object]]) -> str:
    """The 说明 line naming the indicators entered per village and those entered for the whole township."""
    per_village, whole = entry_scope(monthly_rows)
    parts = []
    if per_village:
        parts.append(f"按村填报的指标（每村一行，填村名）：{'、'.join(per_village)}")
    if whole:
        parts.append(f"全镇填报的指标（一行，“村（社区）”留空）：{'、'.join(whole)}")
    return "。".join(parts)


def mark_entry_scope(sheet, monthly_rows: list[list[object]]) -> None:
    """A note on each indicator's name in the 指标 sheet: entered per village, or for the whole township."""
    from openpyxl.comments import Comment

    per_village, whole = map(set, entry_scope(monthly_rows))
    cols = [c.id for c in TABLES_BY_NAME["indicators"].columns]
    code, name = cols.index("indicator"), cols.index("name")
    for row in sheet.iter_rows(min_row=2):
        labels = {str(row[code].value), str(row[name].value)}
        note = PER_VILLAGE_NOTE if labels & per_village else WHOLE_TOWNSHIP_NOTE if labels & whole else None
        if note:
            row[name].comment = Comment(note, "乡镇工作月报", width=240, height=70)


def example_value(table: Table, index: int, rows: Mapping[str, list[list[object]]], use_names: bool,
                  terms: Terms) -> str | None:
    """The 说明 sheet's example for one column: the first value its sheet shows, else one it would accept.

    A sheet without rows (a township with no households) takes a village, indicator or project of the
    township's own sheets, or one of its own areas, rather than the bundled examples' names.
    """
    col = table.columns[index]
    shown = [r[index] for r in rows.get(table.name, []) if r[index] is not None]
    if shown:
        return str(shown[0])
    refs = {REF_VILLAGES: REFERENCES[REF_VILLAGE], **REFERENCES}
    if col.kind in refs:
        ref_table, ref_col = refs[col.kind]
        if col.kind == REF_INDICATOR and not use_names:
            ref_col = "indicator"
        at = [c.id for c in TABLES_BY_NAME[ref_table].columns].index(ref_col)
        found = [r[at] for r in rows.get(ref_table, []) if r[at] is not None]
        return str(found[0]) if found else None
    bundled = [r[index] for r in example_rows(table) if r[index] is not None]
    choices = allowed_values(col, table, terms)
    if choices:
        return next((str(v) for v in bundled if str(v) in choices), choices[0])
    return str(bundled[0]) if bundled else None


def notes_rows(rows: Mapping[str, list[list[object]]] | None = None, use_names: bool = True,
               terms: Terms = DEFAULT_TERMS) -> list[tuple[str | None, ...]]:
    """The 说明 sheet: one row per column of every table, then the township fields.

    In the sheets' own words: the header as the sheet shows it, the allowed values of the township's
    ``terms``, and an example taken from the sheet's ``rows`` (table name -> the rows written).
    """
    rows = rows if rows is not None else {t.name: [list(r) for r in example_rows(t)] for t in TABLES}
    out: list[tuple[str | None, ...]] = []
    for table in TABLES:
        sheet = SHEET_NAMES[table.name]
        out.append((sheet, "", table.zh, "", "", "", f"每行是{table.row_is}；导入时也认英文工作表名 {table.name}"
                    + (f"；键：{'、'.join(table.key)}（不可重复）" if table.key else ""), ""))
        for i, col in enumerate(table.columns):
            note = column_note(col, table)
            if (table.name, col.id) == ("monthly", "village") and entry_scope_text(rows.get("monthly", [])):
                note = f"{note}。{entry_scope_text(rows['monthly'])}"
            out.append((sheet, col.id, sheet_header(col), KIND_LABELS.get(col.kind, col.kind),
                        "是" if col.required else "否", allowed_text(col, table, terms), note,
                        example_value(table, i, rows, use_names, terms)))
    out.append((PROFILE_SHEET, "", "乡镇概况", "", "", "", "“项目”列勿改，“内容”列填写；整表留空则保留原有概况", ""))
    for fid, desc, kind, required in PROFILE_FIELDS:
        out.append((PROFILE_SHEET, fid, PROFILE_LABELS.get(fid, desc), KIND_LABELS.get(kind, kind),
                    "是" if required else "否", "", desc, ""))
    return out


def add_notes_sheet(book, rows: Mapping[str, list[list[object]]] | None = None, use_names: bool = True,
                    terms: Terms = DEFAULT_TERMS) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(NOTES_SHEET)
    sheet.append(["填写说明：每个工作表是一张数据表，表头请勿修改；月份填 YYYY-MM，日期填 YYYY-MM-DD；"
                  "类型、是/否、村（社区）、指标、项目等列请从下拉列表选择（新的村、指标、项目先加到对应工作表）；"
                  "灰色斜体的“示例”行导入时跳过。月度数据中流量指标填当月发生数（不是累计数），存量指标填月末数；"
                  "哪些指标按村填报（每村一行）、哪些填全镇数（“村（社区）”留空），见下面“月度数据”的“村（社区）”"
                  "一行和工作表“指标”中指标名称上的批注。"
                  "每月：python -m helpers import 文件.xlsx --township 名称 --month YYYY-MM。"])
    sheet.append(list(NOTES_HEADER))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in notes_rows(rows, use_names, terms):
        sheet.append(list(row))
    for letter, width in zip("ABCDEFGH", (16, 20, 20, 20, 6, 40, 44, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"


def indicator_name_map(frame: pd.DataFrame | None) -> dict[str, str] | None:
    """Code -> name when every indicator has a name of its own (else codes stay codes)."""
    if frame is None or not {"indicator", "name"} <= set(frame.columns):
        return None
    codes = [str(c) for c in frame["indicator"]]
    names = [str(n) for n in frame["name"]]
    if len(set(names)) != len(names) or any(not n or n in codes for n in names):
        return None
    return dict(zip(codes, names, strict=True))


def table_rows(table: Table, frame: pd.DataFrame | None, names: Mapping[str, str] | None,
               terms: Terms = DEFAULT_TERMS) -> list[list[object]]:
    if frame is None:
        return []
    columns = [[cell_value(c, v, names, terms) for v in frame[c.id]] if c.id in frame.columns else [None] * len(frame)
               for c in table.columns]
    return [list(r) for r in zip(*columns, strict=True)]


def save_beside(book, path: Path, force: bool) -> Path:
    """Save next to ``path`` and rename over it; an existing file is refused unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise DataValidationError([Problem(str(path), None, None, None,
                                           "文件已存在，为免覆盖已填写的内容未写入：换一个文件名，或加 --force 覆盖")])
    if path.suffix.lower() != ".xlsx":
        raise DataValidationError([Problem(str(path), None, None, None, "文件扩展名应为 .xlsx")])
    with replacing(path, ".xlsx") as tmp:
        book.save(tmp)
    return path


def build_workbook(frames: Mapping[str, pd.DataFrame], profile: Mapping | None, path: Path | str,
                   examples: bool = False, force: bool = True, terms: Terms = DEFAULT_TERMS) -> Path:
    """Write the workbook: 说明, 乡镇概况 and one sheet per table (month sheet active on opening).

    ``terms`` are the township's areas and choice lists (its report.yaml), for the cells and dropdowns.
    """
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    names = indicator_name_map(frames.get("indicators"))
    use_names = examples or names is not None
    rows = {t.name: [list(r) for r in example_rows(t)] if examples else table_rows(t, frames.get(t.name), names, terms)
            for t in TABLES}
    add_notes_sheet(book, rows, use_names, terms)
    add_profile_sheet(book, profile)
    for table in TABLES:
        add_table_sheet(book, table, rows[table.name], len(rows[table.name]) if examples else 0, use_names, terms)
    mark_entry_scope(book[SHEET_NAMES["indicators"]], rows["monthly"])
    book.active = book.sheetnames.index(SHEET_NAMES["monthly"])
    return save_beside(book, Path(path), force)


def write_template(path: Path | str, force: bool = False) -> Path:
    """Write a blank data-entry workbook (two example rows per sheet) to ``path``; returns the path."""
    return build_workbook({}, None, path, examples=True, force=force)


def write_workbook(source, path: Path | str, profile: Mapping | None = None, force: bool = True) -> Path:
    """Write a township's data in the template layout; returns the path.

    Args:
        source: a township folder (its files are copied as written, even when invalid, so that
            they can be corrected in Excel), a loaded :class:`helpers.data.Township`, or a
            mapping of table name to DataFrame (text or typed values).
        path: the ``.xlsx`` file to write.
        profile: the township profile when ``source`` is a mapping.
        force: overwrite an existing file.
    """
    terms = DEFAULT_TERMS
    if isinstance(source, str | os.PathLike):
        raws, profile, _ = read_folder(Path(source))
        frames = {name: raw.frame for name, raw in raws.items()}
        report, _problems = load_report(Path(source), raws)  # a report.yaml with problems: the default terms
        terms = terms_of(report)
    elif isinstance(source, Mapping):
        frames = dict(source)
    else:  # a loaded Township
        frames = {t.name: getattr(source, t.name) for t in TABLES}
        profile = source.profile if profile is None else profile
        terms = terms_of(source.report)
    return build_workbook(frames, profile, path, force=force, terms=terms)


def export_township(data_dir: Path | str, township: str, path: Path | str, force: bool = False) -> Path:
    """The township's current data as a filled workbook (refuses an existing file unless ``force``)."""
    folder = township_folder(data_dir, township)
    return write_workbook(folder, path, force=force)
