"""The Excel data-entry workbook: a blank template, a filled copy of a township, and import back to CSV.

The layout is the one :func:`helpers.data.sources.read_workbook` reads: one sheet per table named
as the file without ``.csv`` with Chinese headers, a ``township`` sheet of 字段 / 值 rows and
a 说明 sheet describing every column. Importing validates first and writes nothing from an
invalid workbook; files it replaces are kept under ``<township>/.backup/<YYYYmmdd-HHMMSS>/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from helpers.config import AREAS, HIGHLIGHT_AREAS
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
from helpers.data.sources import PROFILE_FILE, PROFILE_SHEET, read_folder, read_profile, read_workbook
from helpers.data.validation import month_key, parse_number, validate_tables
from helpers.exceptions import DataValidationError, Problem

NOTES_SHEET = "说明"
BACKUP_DIR = ".backup"
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
    REF_INDICATOR: "指标代码",
    REF_PROJECT: "项目编号",
}
"""A column kind as the user reads it."""

REFERENCES: dict[str, tuple[str, str]] = {
    REF_VILLAGE: ("villages", "village"),
    REF_INDICATOR: ("indicators", "indicator"),
    REF_PROJECT: ("projects", "project_id"),
}
"""Reference kinds whose dropdown lists the key column of another sheet."""


def allowed_values(col: Col) -> tuple[str, ...]:
    """The values a column accepts when they form a closed list (areas: ids and Chinese names)."""
    if col.kind in ("choice", "bool"):
        return col.allowed
    if col.kind == REF_AREA:
        return (*AREAS, *AREAS.values())
    if col.kind == REF_HIGHLIGHT_AREA:
        return (*HIGHLIGHT_AREAS, *HIGHLIGHT_AREAS.values())
    return ()


def allowed_text(col: Col) -> str:
    """The allowed values of a column in words, for the 说明 sheet and the data dictionary."""
    if col.kind in ("choice", "bool"):
        return " / ".join(col.allowed)
    if col.kind in (REF_AREA, REF_HIGHLIGHT_AREA):
        areas = AREAS if col.kind == REF_AREA else HIGHLIGHT_AREAS
        return " / ".join(f"{k}（{v}）" for k, v in areas.items())
    if col.kind in REFERENCES:
        sheet, key = REFERENCES[col.kind]
        return f"{sheet} 表中的 {key}"
    if col.kind == REF_VILLAGES:
        return "villages 表中的 village，多个用“、”分隔"
    if col.kind in ("int", "number") and col.nonneg:
        return "≥ 0"
    return ""


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_value(col: Col, value: object) -> object:
    """A table value as it goes into a cell: numbers as numbers, everything else as text; empty as None.

    Accepts both the text a user wrote and the typed values of a loaded township (periods,
    timestamps, booleans, lists of villages).
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
    return text or None


def header_comment(col: Col) -> str:
    parts = [f"代码：{col.id}", f"类型：{KIND_LABELS.get(col.kind, col.kind)}", "必填" if col.required else "可空"]
    if allowed_text(col):
        parts.append(f"取值：{allowed_text(col)}")
    if col.note:
        parts.append(col.note)
    return "\n".join(parts)


def add_table_sheet(book, table: Table, frame: pd.DataFrame | None) -> None:
    """One sheet for one table: Chinese header, values, text format for months and dates, dropdowns."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(table.name)
    sheet.append([c.zh for c in table.columns])
    rows = frame if frame is not None else pd.DataFrame(columns=[c.id for c in table.columns])
    values = [[cell_value(c, v) for v in (rows[c.id] if c.id in rows.columns else [None] * len(rows))]
              for c in table.columns]
    for row in zip(*values, strict=True):
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # a text that starts with "=" is data, not a formula
                cell.data_type = "s"
    key_refs = {k: v for k, v in REFERENCES.items() if v[0] != table.name}
    for i, col in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        head = sheet.cell(row=1, column=i)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="DDEBF7")
        head.alignment = Alignment(horizontal="center")
        head.comment = Comment(header_comment(col), "乡镇工作月报", width=260, height=120)
        texts = [str(v) for v in values[i - 1] if v is not None]
        width = max([display_width(col.zh), display_width(col.example), *map(display_width, texts[:2000])])
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        if col.kind not in ("int", "number"):
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            for cell in sheet[letter][1:]:
                cell.number_format = TEXT_FORMAT
        span = f"{letter}2:{letter}{LAST_ROW}"
        choices = allowed_values(col)
        if choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle="取值不在列表中",
                                  error="请从下拉列表中选择：" + " / ".join(choices))
        elif col.kind in key_refs:
            ref_table, ref_col = key_refs[col.kind]
            ref_letter = get_column_letter([c.id for c in TABLES_BY_NAME[ref_table].columns].index(ref_col) + 1)
            rule = DataValidation(type="list", formula1=f"{ref_table}!${ref_letter}$2:${ref_letter}${LAST_ROW}",
                                  allow_blank=True, showErrorMessage=False)
        else:
            continue
        rule.add(span)
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def profile_cell(kind: str, value: object) -> object:
    """A profile value as it goes into the township sheet (a mapping as ``{2018: 3600}`` text)."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return yaml.safe_dump(dict(value), default_flow_style=True, allow_unicode=True).strip()
    return value


def add_profile_sheet(book, profile: Mapping | None) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(PROFILE_SHEET)
    sheet.append(["字段", "值", "说明"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    profile = dict(profile or {})
    known = {fid for fid, *_ in PROFILE_FIELDS}
    for fid, desc, kind, required in PROFILE_FIELDS:
        sheet.append([fid, profile_cell(kind, profile.get(fid)), f"{desc}（{'必填' if required else '可空'}）"])
    for key, value in profile.items():
        if key not in known:
            sheet.append([key, profile_cell("text", value), ""])
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 50
    sheet.freeze_panes = "A2"


NOTES_HEADER = ("工作表", "列代码", "中文表头", "类型", "必填", "允许取值", "说明", "示例")


def notes_rows() -> list[tuple[str, ...]]:
    """The 说明 sheet: one row per column of every table, then the township fields."""
    rows: list[tuple[str, ...]] = []
    for table in TABLES:
        rows.append((table.name, "", table.zh, "", "", "", f"每行是{table.row_is}"
                     + (f"；键：{'、'.join(table.key)}（不可重复）" if table.key else ""), ""))
        for col in table.columns:
            rows.append((table.name, col.id, col.zh, KIND_LABELS.get(col.kind, col.kind),
                         "是" if col.required else "否", allowed_text(col), col.note, col.example))
    rows.append((PROFILE_SHEET, "", "乡镇概况", "", "", "", "“字段”列填代码，“值”列填内容", ""))
    for fid, desc, kind, required in PROFILE_FIELDS:
        rows.append((PROFILE_SHEET, fid, desc, KIND_LABELS.get(kind, kind), "是" if required else "否", "", "", ""))
    return rows


def add_notes_sheet(book) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(NOTES_SHEET)
    sheet.append(["填写说明：每个工作表对应一个数据文件，表头请勿修改；月份填 YYYY-MM，日期填 YYYY-MM-DD，"
                  "是/否、类型等列可从下拉列表选择。填好后运行 python -m helpers import 文件.xlsx --township 名称。"])
    sheet.append(list(NOTES_HEADER))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in notes_rows():
        sheet.append(list(row))
    for letter, width in zip("ABCDEFGH", (16, 20, 20, 20, 6, 40, 44, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"


def build_workbook(frames: Mapping[str, pd.DataFrame], profile: Mapping | None, path: Path | str) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    add_notes_sheet(book)
    add_profile_sheet(book, profile)
    for table in TABLES:
        add_table_sheet(book, table, frames.get(table.name))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_template(path: Path | str) -> Path:
    """Write a blank data-entry workbook to ``path``; returns the path."""
    return build_workbook({}, None, path)


def write_workbook(source, path: Path | str, profile: Mapping | None = None) -> Path:
    """Write a township's data in the template layout; returns the path.

    Args:
        source: a township folder (its files are copied as written, even when invalid, so that
            they can be corrected in Excel), a loaded :class:`helpers.data.Township`, or a
            mapping of table name to DataFrame (text or typed values).
        path: the ``.xlsx`` file to write.
        profile: the township profile when ``source`` is a mapping.
    """
    if isinstance(source, str | os.PathLike):
        raws, profile, _ = read_folder(Path(source))
        frames = {name: raw.frame for name, raw in raws.items()}
    elif isinstance(source, Mapping):
        frames = dict(source)
    else:  # a loaded Township
        frames = {t.name: getattr(source, t.name) for t in TABLES}
        profile = source.profile if profile is None else profile
    return build_workbook(frames, profile, path)


def profile_yaml(profile: Mapping) -> str:
    """township.yaml text: the profile fields in contract order, then any others."""
    order = [fid for fid, *_ in PROFILE_FIELDS if fid in profile] + [k for k in profile if k not in
                                                                        {f for f, *_ in PROFILE_FIELDS}]
    body = yaml.safe_dump({k: profile[k] for k in order}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False)
    return "# 乡镇概况（由 python -m helpers import 从 Excel 工作簿导入）\n" + body


def write_csv(path: Path, table: Table, frame: pd.DataFrame) -> None:
    """One table as UTF-8 CSV with the English ids as header; months zero-padded YYYY-MM."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([c.id for c in table.columns])
        columns = [[(month_key(v) or v) if c.kind == "month" else v for v in frame[c.id]] for c in table.columns]
        writer.writerows(zip(*columns, strict=True))


def backup_folder(township_dir: Path) -> Path:
    """A fresh ``.backup/<YYYYmmdd-HHMMSS>`` folder (a suffix keeps two imports in one second apart)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    root = township_dir / BACKUP_DIR
    folder, n = root / stamp, 1
    while folder.exists():
        n += 1
        folder = root / f"{stamp}-{n}"
    folder.mkdir(parents=True)
    return folder


def install(staged: Path, target: Path) -> Path | None:
    """Move the staged files into ``target``; return the backup folder of replaced files, if any.

    A new township folder arrives with one rename; into an existing one each file is
    renamed over its predecessor after the predecessors that differ have been copied to
    ``.backup/``.
    """
    if not target.exists():
        os.replace(staged, target)
        return None
    names = sorted(p.name for p in staged.iterdir())
    changed = [n for n in names if (target / n).exists() and (target / n).read_bytes() != (staged / n).read_bytes()]
    backup = None
    if changed:
        backup = backup_folder(target)
        for name in changed:
            shutil.copy2(target / name, backup / name)
    for name in names:
        os.replace(staged / name, target / name)
    staged.rmdir()
    return backup


def import_workbook(xlsx: Path | str, data_dir: Path | str, township: str) -> Path:
    """Validate a filled-in workbook and write it as ``data_dir/township`` (CSV + township.yaml).

    Raises:
        DataValidationError: listing every problem; nothing is written then.

    Returns:
        The township folder written.
    """
    from helpers.data.township import check_township_name

    xlsx, data_dir = Path(xlsx), Path(data_dir)
    problem = check_township_name(township)
    if problem:
        raise DataValidationError([problem])
    if not xlsx.is_file():
        raise DataValidationError([Problem(str(xlsx), None, None, None, "工作簿文件不存在")])
    target = data_dir / township
    tables, profile, problems = read_workbook(xlsx)
    from_sheet = profile is not None
    if profile is None:
        if (target / PROFILE_FILE).exists():  # keep the profile the township already has
            profile, found = read_profile(target)
            problems += found
        else:
            problems.append(Problem(xlsx.name, None, None, None, f"缺少工作表 {PROFILE_SHEET}（乡镇概况）"))
    found = validate_tables(tables, profile)
    if from_sheet:  # profile problems point at the sheet the user filled in, not at a file he never saw
        found = [replace(p, file=f"{xlsx.name} 的工作表 {PROFILE_SHEET}") if p.file == PROFILE_FILE else p
                 for p in found]
    problems += found
    if problems:
        raise DataValidationError(problems)
    if target.exists() and not target.is_dir():
        raise DataValidationError([Problem(str(target), None, None, None, "目标路径已存在且不是目录")])
    data_dir.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".import-{township}-", dir=data_dir))
    try:
        for table in TABLES:
            write_csv(staged / table.file, table, tables[table.name].frame)
        if from_sheet:
            (staged / PROFILE_FILE).write_text(profile_yaml(profile), encoding="utf-8")
        else:  # the township's own township.yaml, comments and all
            shutil.copy2(target / PROFILE_FILE, staged / PROFILE_FILE)
        check, check_profile, found = read_folder(staged)
        found += validate_tables(check, check_profile)
        if found:  # the written files must read back as valid, or nothing is installed
            raise DataValidationError(found)
        install(staged, target)
    finally:
        if staged.exists():
            shutil.rmtree(staged)
    return target
