"""The workbook's 说明 sheet: every column of every sheet in words, with an example, and who enters what."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.data.schema import INFO_FIELDS, REF_INDICATOR, REF_VILLAGE, REF_VILLAGES, TABLES, TABLES_BY_NAME, Table
from helpers.data.workbook.columns import (
    DEFAULT_TERMS,
    KIND_LABELS,
    REFERENCES,
    Terms,
    allowed_text,
    allowed_values,
    column_note,
)
from helpers.data.workbook.examples import example_rows
from helpers.data.workbook.terms import INFO_LABELS, INFO_SHEET, SHEET_NAMES, sheet_header

NOTES_SHEET = "说明"
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
    out.append((INFO_SHEET, "", "乡镇概况", "", "", "", "“项目”列勿改，“内容”列填写；整表留空则保留原有概况", ""))
    for fid, desc, kind, required in INFO_FIELDS:
        out.append((INFO_SHEET, fid, INFO_LABELS.get(fid, desc), KIND_LABELS.get(kind, kind),
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
