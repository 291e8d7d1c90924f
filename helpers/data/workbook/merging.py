"""One month of a workbook merged into a township's tables: the month's rows replaced, new reference rows added.

Rows that come from the township's own files are kept apart by their index (:data:`EXISTING_ROWS`), so a
problem found in the merged whole names the file and line it came from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from helpers.data.reading.excel import WorkbookRead
from helpers.data.reading.raw_tables import RawTable
from helpers.data.schema import TABLES, Table
from helpers.data.validation import month_key, parse_number
from helpers.data.workbook.terms import SHEET_NAMES
from helpers.exceptions import Problem

EXISTING_ROWS = 10_000_000
"""Index offset of the township's existing rows in a merged table (a sheet has at most 1,048,576 rows)."""

MONTH_COLUMNS = {"monthly": "month", "project_progress": "month", "petitions": "month",
                 "highlights": "month", "events": "date"}
"""Tables whose rows belong to a month, and the column that says which."""


def row_month(table: str, value: str) -> str:
    """The YYYY-MM a row belongs to ('' when its month or date cannot be read)."""
    if table == "events":
        return month_key(value[:7]) if len(value) >= 7 else ""
    return month_key(value)


def comparable(col, text: str) -> object:
    """A cell as compared between the workbook and the files: 1 and 1.0 alike, 2018-8 and 2018-08 alike."""
    text = str(text).strip()
    if col.kind in ("int", "number"):
        number = parse_number(text)
        return text if number is None else number
    if col.kind == "month":
        return month_key(text) or text
    return text


def frame_rows(frame: pd.DataFrame, table: Table) -> list[tuple]:
    """Each row of a raw table as a tuple that compares by meaning, not by how the number was written."""
    cols = list(table.columns)
    frame = frame.reindex(columns=[c.id for c in cols], fill_value="")
    return [tuple(comparable(c, v) for c, v in zip(cols, r, strict=True)) for r in frame.itertuples(index=False)]


def merge_month(table: Table, new: RawTable, old: RawTable, month: str) -> tuple[RawTable, str, list[Problem]]:
    """A month table: the old rows of other months, then the workbook's rows of ``month``.

    A row whose month cannot be read is refused (it cannot be told to belong to another month), and
    a workbook without any row of ``month`` leaves that month's existing rows in place.
    """
    col = MONTH_COLUMNS[table.name]
    sheet = SHEET_NAMES[table.name]
    zh = table.col(col).zh
    if col not in new.frame.columns:
        return old, "", [Problem(new.source, 1, f"{col}（{zh}）", None, "缺少列")]
    new_months = new.frame[col].map(lambda v: row_month(table.name, v))
    unreadable = [Problem(new.source, new.line(i), f"{col}（{zh}）", new.frame.at[i, col],
                          f"{zh}无法识别，按月导入时不知道这一行属于哪个月（应为 "
                          + ("YYYY-MM-DD" if table.name == "events" else "YYYY-MM") + "）")
                  for i in new.frame.index[new_months == ""]]
    old_months = old.frame[col].map(lambda v: row_month(table.name, v))
    taken = new.frame[new_months == month]
    replaced = int((old_months == month).sum())
    if taken.empty and replaced:
        return old, f"{sheet}：工作簿中没有 {month} 的行，原有该月 {replaced} 行保留", unreadable
    kept = old.frame[old_months != month]
    ignored = len(new.frame) - len(taken) - len(unreadable)
    others = new.frame[(new_months != month) & (new_months != "")]
    known = Counter(frame_rows(old.frame, table))
    differ = sum(1 for r in frame_rows(others, table) if known[r] == 0)
    merged = merged_raw(new, old, taken, kept)
    order = merged.frame[col].map(lambda v: row_month(table.name, v)).sort_values(kind="stable").index
    merged.frame = merged.frame.loc[order]
    line = f"{sheet}：{month} 导入 {len(taken)} 行，替换原有该月 {replaced} 行，其他月份 {len(kept)} 行保持不变"
    if ignored:
        line += f"；工作簿中其他月份的 {ignored} 行未导入（只导入 {month}）"
    if differ:
        line += f"，其中 {differ} 行与现有数据不同（这些改动没有导入；如需修改，请去掉 --month 整本导入）"
    elif ignored:
        line += "，都与现有数据相同"
    return merged, line, unreadable


def key_list(keys: list[tuple]) -> str:
    """The first few keys in brackets, for the import summary ('' when there are none)."""
    if not keys:
        return ""
    return "（" + "、".join("/".join(k) for k in keys[:5]) + ("等" if len(keys) > 5 else "") + "）"


def merge_reference(table: Table, new: RawTable, old: RawTable) -> tuple[RawTable, str]:
    """A reference table: rows with a new key are added, changed rows replaced, the others kept."""
    key = list(table.key)
    old_rows = dict(zip(map(tuple, old.frame.reindex(columns=key, fill_value="").to_numpy()),
                        frame_rows(old.frame, table), strict=True))
    new_keys = list(map(tuple, new.frame.reindex(columns=key, fill_value="").to_numpy()))
    new_rows = frame_rows(new.frame, table)
    added = [i for i, k in enumerate(new_keys) if k not in old_rows]
    changed = [i for i, (k, r) in enumerate(zip(new_keys, new_rows, strict=True)) if k in old_rows and old_rows[k] != r]
    replaced_keys = {new_keys[i] for i in changed}
    old_keys = list(map(tuple, old.frame.reindex(columns=key, fill_value="").to_numpy()))
    kept = old.frame[[k not in replaced_keys for k in old_keys]]
    merged = merged_raw(new, old, new.frame.iloc[added + changed], kept)
    parts = [f"{SHEET_NAMES[table.name]}：新增 {len(added)} 行{key_list([new_keys[i] for i in added])}"]
    if changed:
        parts.append(f"修改 {len(changed)} 行{key_list([new_keys[i] for i in changed])}")
    parts.append(f"其余 {len(kept)} 行保持不变")
    return merged, "，".join(parts)


def merged_raw(new: RawTable, old: RawTable, taken: pd.DataFrame, kept: pd.DataFrame) -> RawTable:
    """Old rows first (indexed past any sheet row, so their problems can be told apart), then new ones."""
    cols = [c.id for c in new.table.columns if c.id in taken.columns or c.id in kept.columns]
    kept = kept.reindex(columns=cols, fill_value="")
    kept.index = [EXISTING_ROWS + int(i) for i in kept.index]
    frame = pd.concat([kept, taken.reindex(columns=cols, fill_value="")])
    return RawTable(new.table, frame.astype(object), new.source)


def from_existing(problems: list[Problem], merged: Mapping[str, RawTable]) -> list[Problem]:
    """Problems in rows that came from the township's own files name that file and its line."""
    sources = {raw.source: raw.table for raw in merged.values()}
    out = []
    for p in problems:
        table = sources.get(p.file)
        if table is not None and p.row is not None and p.row >= EXISTING_ROWS:
            p = replace(p, file=f"{table.file}（现有数据）", row=p.row - EXISTING_ROWS)
        out.append(p)
    return out


def merge_tables(read: WorkbookRead, existing: Mapping[str, RawTable], month: str
                 ) -> tuple[dict[str, RawTable], list[str], list[Problem]]:
    """The township's tables with the workbook's month and reference additions merged in."""
    merged: dict[str, RawTable] = {}
    lines: list[str] = []
    problems: list[Problem] = []
    for table in TABLES:
        new, old = read.tables.get(table.name), existing.get(table.name)
        if old is None:
            continue
        if new is None:
            merged[table.name] = old
            lines.append(f"{SHEET_NAMES[table.name]}：工作簿中没有这张表，原有 {len(old.frame)} 行保持不变")
        elif table.name in MONTH_COLUMNS:
            merged[table.name], line, found = merge_month(table, new, old, month)
            lines.append(line)
            problems += found
        elif table.key:
            merged[table.name], line = merge_reference(table, new, old)
            lines.append(line)
        else:
            merged[table.name] = old
    return merged, [line for line in lines if line], problems
