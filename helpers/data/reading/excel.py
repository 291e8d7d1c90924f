"""Reading the Excel data-entry workbook as people really fill it in, into the same raw tables as CSV.

Sheets are found by their Chinese name (月度数据 …) or the table's English name; choice values may be
written in Chinese (流量, 越高越好 …); indicators may be named instead of coded; merged cells, percent
formats, hidden sheets, formulas without a cached value, rows marked 示例 and files that are not
workbooks at all are each handled or refused with a Chinese message naming the sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from helpers.data.reading.encoding import detect_encoding
from helpers.data.reading.excel_values import (
    choice_value,
    contract_headers,
    contract_value,
    excel_cell_text,
    info_field,
    info_value,
    month_like,
    resolve_indicators,
    shown_number,
)
from helpers.data.reading.raw_tables import RawTable, header_map, rows_to_raw
from helpers.data.schema import INFO_FILE, TABLES, Table
from helpers.data.workbook.examples import example_rows
from helpers.data.workbook.terms import (
    INFO_SHEET,
    INFO_SHEET_EN,
    SHEET_NAMES,
    SheetRef,
    in_sheet_terms,
    sheet_header,
)
from helpers.exceptions import Problem

EXAMPLE_MARK = "示例"
"""A row whose first cell carries a note starting with this word is an example, skipped on import."""

NO_CACHED_VALUE = "公式没有计算结果，请在 Excel/WPS 中打开并保存后再导入"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK"


@dataclass
class WorkbookRead:
    """Everything read from one workbook: tables, township info, problems, and notes on what was done."""

    tables: dict[str, RawTable]
    info: dict | None
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)
    sheets: dict[str, SheetRef] = field(default_factory=dict)  # RawTable.source -> where it came from
    info_blank: bool = False
    examples_skipped: int = 0


def sheet_key(title: str) -> str:
    return title.strip().replace("(", "（").replace(")", "）").lower()


def source_of(book: str, sheet: str) -> str:
    return f"{book} 的工作表“{sheet}”"


def not_a_workbook(path: Path) -> str | None:
    """Why a file is no .xlsx workbook at all (old .xls, text renamed .xlsx), judged by its first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(2048)
    except OSError:
        return "无法读取该文件"
    if head.startswith(XLS_MAGIC):
        return ("这是旧版 Excel（.xls）文件或设了打开密码的工作簿：请在 Excel/WPS 中去掉密码并“另存为” .xlsx 格式"
                "后再导入")
    if head.startswith(ZIP_MAGIC):
        return None
    if head.strip() and b"\0" not in head and detect_encoding(head) is not None:
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
    if name == INFO_SHEET_EN:
        wanted = {sheet_key(INFO_SHEET), sheet_key(INFO_SHEET_EN)}
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
    notes += hidden_notes(ws, len(rows))
    return rows, examples, problems, notes


def hidden_notes(ws, last_row: int) -> list[str]:
    """Hidden rows and columns are read like the others; say which, so nothing arrives unseen."""
    rows = [r for r, dim in ws.row_dimensions.items() if dim.hidden and 1 < r <= last_row]
    columns = sorted(letter for letter, dim in ws.column_dimensions.items() if dim.hidden)
    notes = []
    if rows:
        shown = "、".join(map(str, sorted(rows)[:10])) + ("等" if len(rows) > 10 else "")
        notes.append(f"工作表“{ws.title}”第 {shown} 行是隐藏的，已照常导入")
    if columns:
        notes.append(f"工作表“{ws.title}”的 {'、'.join(columns)} 列是隐藏的，已照常读取")
    return notes


def example_texts(table: Table) -> list[list[str]]:
    """The example rows the blank template holds for a table, as text (to recognise them unchanged)."""
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


def read_info_sheet(ws) -> tuple[dict, dict[str, int]]:
    """The township sheet as township.yaml's fields (label or id in column A, value in B) and each field's row."""
    info: dict = {}
    rows: dict[str, int] = {}
    for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] is None or str(row[0]).strip() == "":
            continue
        field_id = info_field(str(row[0]))
        rows[field_id] = r
        if len(row) > 1 and row[1] is not None and str(row[1]).strip() != "":
            info[field_id] = info_value(field_id, row[1])
    return info, rows


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
    ws, problems = find_sheet(values, INFO_SHEET_EN)
    result.problems += [Problem(book_name, None, None, None, p) for p in problems]
    if ws is not None:
        claimed.add(ws.title)
        info, rows = read_info_sheet(ws)
        result.sheets[INFO_FILE] = SheetRef(book_name, ws.title, {}, rows)
        result.info = info or None
        result.info_blank = not info
    for ws in values.worksheets:
        if ws.sheet_state != "visible" and ws.title not in claimed:
            result.notes.append(f"隐藏的工作表“{ws.title}”没有读取")
    result.problems += resolve_indicators(result.tables, known_indicators)
    return result


def read_workbook(path: Path) -> tuple[dict[str, RawTable], dict | None, list[Problem]]:
    """Read every table from one workbook (one sheet per table) and the township sheet if present."""
    result = read_book(path)
    return result.tables, result.info, in_sheet_terms(result.problems, result.sheets)
