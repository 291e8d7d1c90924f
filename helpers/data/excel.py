"""Reading the Excel data-entry workbook as people really fill it in, into the same raw tables as CSV.

Sheets are found by their Chinese name (月度数据 …) or the table's English name; choice values may be
written in Chinese (流量, 越高越好 …); indicators may be named instead of coded; merged cells, percent
formats, hidden sheets, formulas without a cached value, rows marked 示例 and files that are not
workbooks at all are each handled or refused with a Chinese message naming the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from helpers.config import AREAS, HIGHLIGHT_AREAS
from helpers.data.schema import PROFILE_FIELDS, REF_AREA, REF_HIGHLIGHT_AREA, REF_INDICATOR, TABLES, Col, Table
from helpers.data.sources import PROFILE_FILE, RawTable, header_map, rows_to_raw
from helpers.exceptions import Problem

SHEET_NAMES: dict[str, str] = {t.name: t.zh for t in TABLES}
"""Table name -> the sheet's Chinese name in the workbook (the English table name is accepted too)."""

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

EXAMPLE_MARK = "示例"
"""A row whose first cell carries a note starting with this word is an example, skipped on import."""

NO_CACHED_VALUE = "公式没有计算结果，请在 Excel/WPS 中打开并保存后再导入"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK"


@dataclass
class SheetRef:
    """Where a raw table came from, to name problems as the user sees them."""

    book: str
    sheet: str
    headers: dict[str, str]  # column id -> header text as written in the sheet
    rows: dict[str, int] = field(default_factory=dict)  # profile field id -> its row in the sheet


@dataclass
class WorkbookRead:
    """Everything read from one workbook: tables, profile, problems, and notes on what was done."""

    tables: dict[str, RawTable]
    profile: dict | None
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)
    sheets: dict[str, SheetRef] = field(default_factory=dict)  # RawTable.source -> where it came from
    profile_blank: bool = False
    examples_skipped: int = 0


INDICATOR_HEADER = "指标"
"""The workbook's header for a column that takes an indicator (its name, or its code)."""


def sheet_header(col: Col) -> str:
    """A column's header in the workbook: the contract's Chinese header, except 指标 where a name will do."""
    return INDICATOR_HEADER if col.kind == REF_INDICATOR else col.zh


def contract_headers(table: Table, header: list[str]) -> list[str]:
    """The header row with the workbook's own headers turned back into the contract's."""
    own = {sheet_header(c): c.zh for c in table.columns if sheet_header(c) != c.zh}
    return [own.get(h.strip(), h) for h in header]


def sheet_key(title: str) -> str:
    return title.strip().replace("(", "（").replace(")", "）").lower()


def source_of(book: str, sheet: str) -> str:
    return f"{book} 的工作表“{sheet}”"


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


def shown_number(value: float) -> str:
    """A percent-formatted number as the user sees it: 0.95 -> "95"."""
    shown = round(value * 100, 9)
    return str(int(shown)) if float(shown).is_integer() else repr(shown)


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


def month_like(table: Table, col_id: str, text: str) -> str:
    """Excel turns a typed 2018-08 into a date: give month columns back their YYYY-MM form."""
    col = next((c for c in table.columns if c.id == col_id), None)
    if col is not None and col.kind == "month" and len(text) == 10 and text[4] == "-" and text.endswith("-01"):
        return text[:7]
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


def looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def not_a_workbook(path: Path) -> str | None:
    """Why a file is no .xlsx workbook at all (old .xls, text renamed .xlsx), judged by its first bytes."""
    try:
        head = path.read_bytes()[:2048]
    except OSError:
        return "无法读取该文件"
    if head.startswith(XLS_MAGIC):
        return "这是旧版 Excel（.xls）文件：请在 Excel/WPS 中“另存为” .xlsx 格式后再导入"
    if head.startswith(ZIP_MAGIC):
        return None
    if head.strip() and b"\0" not in head and looks_like_text(head):
        return ("这不是 Excel 工作簿，而是文本文件（如改了扩展名的 CSV）："
                "CSV 请直接放进乡镇数据目录，或在 Excel/WPS 中另存为 .xlsx")
    return "文件已损坏或不是 Excel 工作簿（.xlsx）：请在 Excel/WPS 中打开并另存为 .xlsx 后再导入"


def open_books(path: Path):
    """The workbook twice (cached values, and formulas), or the reason it cannot be opened."""
    import openpyxl

    reason = not_a_workbook(path)
    if reason:
        return None, None, reason
    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception:  # openpyxl raises many kinds (zip, XML, KeyError) for a damaged file
        return None, None, "工作簿已损坏，无法打开：请在 Excel/WPS 中打开并另存为 .xlsx 后再导入"
    return values, formulas, None


def find_sheet(book, name: str) -> tuple[object | None, list[str]]:
    """The sheet of one table (Chinese or English name), or why it cannot be read (doubled, hidden)."""
    wanted = {sheet_key(SHEET_NAMES.get(name, name)), sheet_key(name)}
    if name == PROFILE_SHEET_EN:
        wanted = {sheet_key(PROFILE_SHEET), sheet_key(PROFILE_SHEET_EN)}
    found = [ws for ws in book.worksheets if sheet_key(ws.title) in wanted]
    if len(found) > 1:
        titles = "”和“".join(ws.title for ws in found)
        return None, [f"同时有工作表“{titles}”，不知道该读哪一个：请删除多余的一个"]
    if not found:
        return None, []
    ws = found[0]
    if ws.sheet_state != "visible":
        return None, [f"工作表“{ws.title}”是隐藏的：隐藏的工作表不会被导入，请取消隐藏并核对后再导入，或删除它"]
    return ws, []


def merged_fills(ws, book_name: str) -> tuple[dict[tuple[int, int], object], list[Problem], list[str]]:
    """Values for the cells a vertical merge covers; merges across columns or in the header are refused."""
    fills: dict[tuple[int, int], object] = {}
    problems: list[Problem] = []
    notes: list[str] = []
    for rng in ws.merged_cells.ranges:
        if rng.min_row == 1 or rng.min_col != rng.max_col:
            where = "表头中" if rng.min_row == 1 else "跨列"
            problems.append(Problem(book_name, None, None, str(rng.coord),
                                    f"{where}的合并单元格 {rng.coord} 无法确定每个单元格的值：请取消合并并逐格填写",
                                    sheet=ws.title))
            continue
        value = ws.cell(rng.min_row, rng.min_col).value
        for row in range(rng.min_row, rng.max_row + 1):
            fills[(row, rng.min_col)] = value
        notes.append(f"工作表“{ws.title}”的 {rng.coord} 是合并单元格：已把“{excel_cell_text(value)}”填入它覆盖的每一行")
    return fills, problems, notes


def sheet_rows(ws, fws, book_name: str) -> tuple[list[list[str]], set[int], list[Problem], list[str]]:
    """The sheet as rows of text, the numbers of rows marked 示例, problems and notes.

    Merged cells are filled, percent-formatted numbers read as shown, and formulas without a
    cached value refused.
    """
    fills, problems, notes = merged_fills(ws, book_name)
    header = [excel_cell_text(c.value).strip() for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
    rows: list[list[str]] = []
    examples: set[int] = set()
    percents: dict[str, int] = {}
    for r, cells in enumerate(ws.iter_rows(), start=1):
        texts = []
        for c, cell in enumerate(cells, start=1):
            value = fills.get((r, c), cell.value)
            fcell = fws.cell(r, c)
            if fcell.data_type == "f" and value is None:
                column = header[c - 1] if c - 1 < len(header) else None
                problems.append(Problem(book_name, r, column, str(fcell.value), NO_CACHED_VALUE, sheet=ws.title))
            if r > 1 and isinstance(value, int | float) and not isinstance(value, bool) \
                    and "%" in (cell.number_format or ""):
                value = shown_number(value)
                column = header[c - 1] if c - 1 < len(header) else ""
                percents[column] = percents.get(column, 0) + 1
            texts.append(excel_cell_text(value))
        if r > 1 and cells and cells[0].comment is not None and cells[0].comment.text.strip().startswith(EXAMPLE_MARK):
            examples.add(r)
        rows.append(texts)
    for column, n in percents.items():
        notes.append(f"工作表“{ws.title}”的“{column}”列有 {n} 个单元格设成了百分比格式，"
                     "已按显示的数读取（95% 读作 95）")
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows, examples, problems, notes


def example_texts(table: Table) -> list[list[str]]:
    """The example rows the blank template holds for a table, as text (to recognise them unchanged)."""
    from helpers.data.examples import example_rows

    return [[excel_cell_text(v) for v in row] for row in example_rows(table)]


def drop_examples(table: Table, rows: list[list[str]], marked: set[int], book_name: str, title: str
                  ) -> tuple[int, list[Problem]]:
    """Blank the unchanged example rows in place (row numbers stay); a changed one is refused."""
    expected = [[choice_value(t) for t in row] for row in example_texts(table)]
    problems: list[Problem] = []
    skipped = 0
    for r in sorted(marked):
        row = [choice_value(t.strip()) for t in rows[r - 1]] if r <= len(rows) else []
        width = len(expected[0]) if expected else 0
        row = (row + [""] * width)[:width]
        if any(row == [month_like(table, c.id, t) for c, t in zip(table.columns, exp, strict=True)] or row == exp
               for exp in expected):
            rows[r - 1] = [""] * len(rows[r - 1])
            skipped += 1
        else:
            problems.append(Problem(book_name, r, None, None, "这一行标着“示例”（A 列单元格的批注），但内容已被改动："
                                    "请把数据填在示例行以外的行并删除示例行，或删除该批注", sheet=title))
    return skipped, problems


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


def read_profile_sheet(ws) -> tuple[dict, dict[str, int]]:
    """The township sheet as a profile (label or id in column A, value in B) and each field's row."""
    profile: dict = {}
    rows: dict[str, int] = {}
    for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] is None or str(row[0]).strip() == "":
            continue
        field_id = profile_field(str(row[0]))
        rows[field_id] = r
        if len(row) > 1 and row[1] is not None and str(row[1]).strip() != "":
            profile[field_id] = profile_value(field_id, row[1])
    return profile, rows


def read_book(path: Path, known_indicators: Mapping[str, str] | None = None) -> WorkbookRead:
    """Read every table and the township sheet of one workbook, collecting all problems and notes.

    Args:
        path: the ``.xlsx`` file.
        known_indicators: code -> name of indicators the township already has (their names are
            accepted where codes are asked, as are those of the workbook's own 指标 sheet).
    """
    book_name = path.name
    values, formulas, reason = open_books(path)
    if reason:
        return WorkbookRead({}, None, [Problem(book_name, None, None, None, reason)])
    result = WorkbookRead({}, None, [])
    claimed: set[str] = set()
    for table in TABLES:
        ws, problems = find_sheet(values, table.name)
        result.problems += [Problem(book_name, None, None, None, p) for p in problems]
        if ws is None:
            if not problems:
                result.problems.append(Problem(book_name, None, None, None,
                                               f"缺少工作表“{SHEET_NAMES[table.name]}”（或英文名 {table.name}）"))
            continue
        claimed.add(ws.title)
        rows, marked, problems, notes = sheet_rows(ws, formulas[ws.title], book_name)
        result.problems += problems
        result.notes += notes
        skipped, problems = drop_examples(table, rows, marked, book_name, ws.title)
        result.examples_skipped += skipped
        result.problems += problems
        source = source_of(book_name, ws.title)
        if rows:
            rows[0] = contract_headers(table, rows[0])
        raw, found = rows_to_raw(table, rows, source)
        result.problems += found
        if raw is None:
            continue
        header = rows[0] if rows else []
        ids = {c.id for c in table.columns}
        mapping = header_map(table, [h.strip() for h in header])
        shown = {c.zh: sheet_header(c) for c in table.columns}
        result.sheets[source] = SheetRef(book_name, ws.title,
                                         {c: shown.get(h, h) for h, c in mapping.items() if c in ids})
        for col in raw.frame.columns:
            raw.frame[col] = [contract_value(table.col(col), month_like(table, col, v)) for v in raw.frame[col]]
        result.tables[table.name] = raw
    ws, problems = find_sheet(values, PROFILE_SHEET_EN)
    result.problems += [Problem(book_name, None, None, None, p) for p in problems]
    if ws is not None:
        claimed.add(ws.title)
        profile, rows = read_profile_sheet(ws)
        result.sheets[PROFILE_FILE] = SheetRef(book_name, ws.title, {}, rows)
        result.profile = profile or None
        result.profile_blank = not profile
    for ws in values.worksheets:
        if ws.sheet_state != "visible" and ws.title not in claimed:
            result.notes.append(f"隐藏的工作表“{ws.title}”没有读取")
    result.problems += resolve_indicators(result.tables, known_indicators)
    return result


def read_workbook(path: Path) -> tuple[dict[str, RawTable], dict | None, list[Problem]]:
    """Read every table from one workbook (one sheet per table) and the profile sheet if present."""
    result = read_book(path)
    return result.tables, result.profile, in_sheet_terms(result.problems, result)


FILE_SHEETS = {t.file: SHEET_NAMES[t.name] for t in TABLES}


def in_sheet_terms(problems: list[Problem], read: WorkbookRead) -> list[Problem]:
    """Problems re-worded for someone who only ever saw the workbook: sheet, row, header as shown.

    ``villages.csv`` in a reason becomes 工作表“村（社区）”, and a township.yaml field its row of
    the township sheet.
    """
    out: list[Problem] = []
    for p in problems:
        reason = p.reason
        for file, sheet in FILE_SHEETS.items():
            reason = reason.replace(f"不在 {file} 中", f"不在工作表“{sheet}”中").replace(file, f"工作表“{sheet}”")
        ref = read.sheets.get(p.file)
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
