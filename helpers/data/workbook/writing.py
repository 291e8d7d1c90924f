"""Writing the Excel data-entry workbook: a blank template (with example rows) or a township's current data.

The layout is the one :func:`helpers.data.reading.excel.read_book` reads: a 说明 sheet describing every
column (:mod:`helpers.data.workbook.notes_sheet`), a 乡镇概况 sheet of label / value rows, and one sheet per
table under its Chinese name (月度数据 …) with Chinese headers, Chinese choice values, indicators by name,
dropdowns that refuse a typo, and a protected, frozen header row. The blank template and a township's export
are the same layout, written by :func:`build_workbook` (with example rows or with the township's rows).
Importing is :mod:`helpers.data.workbook.importing`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import yaml

from helpers.data.reading.excel import EXAMPLE_MARK
from helpers.data.reading.township_folder import read_folder
from helpers.data.schema import INFO_FIELDS, REF_INDICATOR, TABLES, TABLES_BY_NAME, Col, Table
from helpers.data.township import load_report, township_folder
from helpers.data.workbook.columns import (
    DEFAULT_TERMS,
    REFERENCES,
    Terms,
    allowed_values,
    cell_value,
    display_width,
    header_comment,
    terms_of,
)
from helpers.data.workbook.examples import example_rows
from helpers.data.workbook.notes_sheet import add_notes_sheet, mark_entry_scope
from helpers.data.workbook.terms import INFO_LABELS, INFO_SHEET, SHEET_NAMES, sheet_header
from helpers.exceptions import DataValidationError, Problem
from helpers.files import replacing

TEXT_FORMAT = "@"
LAST_ROW = 1048576  # Excel's last row: dropdowns and text format cover the whole column


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


def info_cell(value: object) -> object:
    """A township.yaml value as it goes into the township sheet (a mapping as ``{2018: 3600}`` text)."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return yaml.safe_dump(dict(value), default_flow_style=True, allow_unicode=True).strip()
    return value


def add_info_sheet(book, info: Mapping | None) -> None:
    """乡镇概况: one row per field, its Chinese label (locked) and its value."""
    from openpyxl.styles import Font, Protection

    sheet = book.create_sheet(INFO_SHEET)
    sheet.append(["项目", "内容", "说明"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    info = dict(info or {})
    known = {fid for fid, *_ in INFO_FIELDS}
    for fid, desc, _kind, required in INFO_FIELDS:
        sheet.append([INFO_LABELS.get(fid, fid), info_cell(info.get(fid)),
                      f"{desc}（{'必填' if required else '可空'}；留空的项保留原有内容）"])
    for key, value in info.items():
        if key not in known:
            sheet.append([key, info_cell(value), ""])
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 64
    sheet.column_dimensions["B"].protection = Protection(locked=False)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.protection = Protection(locked=False)
    sheet.protection.sheet = True
    sheet.freeze_panes = "A2"


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


def build_workbook(frames: Mapping[str, pd.DataFrame], info: Mapping | None, path: Path | str,
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
    add_info_sheet(book, info)
    for table in TABLES:
        add_table_sheet(book, table, rows[table.name], len(rows[table.name]) if examples else 0, use_names, terms)
    mark_entry_scope(book[SHEET_NAMES["indicators"]], rows["monthly"])
    book.active = book.sheetnames.index(SHEET_NAMES["monthly"])
    return save_beside(book, Path(path), force)


def write_template(path: Path | str, force: bool = False) -> Path:
    """Write a blank data-entry workbook (two example rows per sheet) to ``path``; returns the path."""
    return build_workbook({}, None, path, examples=True, force=force)


def write_workbook(source, path: Path | str, info: Mapping | None = None, force: bool = True) -> Path:
    """Write a township's data in the template layout; returns the path.

    Args:
        source: a township folder (its files are copied as written, even when invalid, so that
            they can be corrected in Excel), a loaded :class:`helpers.data.Township`, or a
            mapping of table name to DataFrame (text or typed values).
        path: the ``.xlsx`` file to write.
        info: township.yaml's fields when ``source`` is a mapping.
        force: overwrite an existing file.
    """
    terms = DEFAULT_TERMS
    if isinstance(source, str | os.PathLike):
        raws, info, _ = read_folder(Path(source))
        frames = {name: raw.frame for name, raw in raws.items()}
        report, _problems = load_report(Path(source), raws)  # a report.yaml with problems: the default terms
        terms = terms_of(report)
    elif isinstance(source, Mapping):
        frames = dict(source)
    else:  # a loaded Township
        frames = {t.name: getattr(source, t.name) for t in TABLES}
        info = source.info if info is None else info
        terms = terms_of(source.report)
    return build_workbook(frames, info, path, force=force, terms=terms)


def export_township(data_dir: Path | str, township: str, path: Path | str, force: bool = False) -> Path:
    """The township's current data as a filled workbook (refuses an existing file unless ``force``)."""
    folder = township_folder(data_dir, township)
    return write_workbook(folder, path, force=force)
