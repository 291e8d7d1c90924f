"""A table as the user wrote it (every cell text, columns named by id), from the rows of a CSV file or a sheet."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.data.schema import Table
from helpers.exceptions import Problem

MAX_CELL_CHARS = 100_000
"""A cell longer than this is a pasting accident or a broken file (the longest real cell is a paragraph)."""


@dataclass
class RawTable:
    """A table as the user wrote it: every cell a stripped string, columns renamed to ids."""

    table: Table
    frame: pd.DataFrame
    source: str  # the file name (or "workbook.xlsx 的工作表 monthly") shown in messages
    original: pd.DataFrame | None = None  # the cells as written, once helpers.data.normalise has run

    def written(self, index, column: str) -> str:
        """A cell as the user wrote it (before normalisation), for messages."""
        frame = self.original if self.original is not None else self.frame
        return str(frame.at[index, column]) if column in frame.columns else ""

    def line(self, index: int) -> int:
        """The row number the user sees in the file or sheet (header is row 1)."""
        return int(index) + 2


def header_map(table: Table, header: list[str]) -> dict[str, str]:
    """Map each header cell (English id, any case, or Chinese header) to its column id."""
    names: dict[str, str] = {}
    for col in table.columns:
        names[col.id.lower()] = col.id
        names[col.zh] = col.id
        names[col.zh.replace("（", "(").replace("）", ")")] = col.id
    found = {h: names.get(h.lower(), names.get(h)) for h in header}
    return {h: c for h, c in found.items() if c is not None}


def rows_to_raw(table: Table, rows: list[list[str]], source: str) -> tuple[RawTable | None, list[Problem]]:
    """Turn header + rows of strings into a RawTable, reporting ragged rows and stray BOMs."""
    problems: list[Problem] = []
    if not rows or all(not any(c.strip() for c in r) for r in rows[:1]):
        return None, [Problem(source, None, None, None, "文件为空（连表头都没有）")]
    header = [h.replace("\ufeff", "").strip() for h in rows[0]]
    mapping = header_map(table, header)
    body: list[list[str]] = []
    for n, row in enumerate(rows[1:], start=2):
        for h, cell in zip(header + [""] * len(row), row, strict=False):
            if len(cell) > MAX_CELL_CHARS:
                reason = f"单元格有 {len(cell):,} 个字符，超过上限 {MAX_CELL_CHARS:,}（粘贴错误或文件已损坏？）"
                problems.append(Problem(source, n, h or None, cell[:20] + "…", reason))
        row = [c[:MAX_CELL_CHARS] for c in row]
        if not any(c.strip() for c in row):
            body.append(None)  # keep numbering; blank lines are dropped below
            continue
        if len(row) != len(header):
            problems.append(Problem(source, n, None, "，".join(row)[:60],
                                    f"字段数为 {len(row)}，与表头的 {len(header)} 列不符（行被截断或多了分隔符）"))
        for h, cell in zip(header, row, strict=False):
            if "\ufeff" in cell:
                problems.append(Problem(source, n, h, cell.replace("\ufeff", "<BOM>"),
                                        "单元格中含有不可见的 BOM 字符（多个文件被拼接？）"))
        body.append([c.replace("\ufeff", "").strip() for c in (row + [""] * len(header))[: len(header)]])
    keep = [i for i, r in enumerate(body) if r is not None]
    frame = pd.DataFrame([body[i] for i in keep], columns=header, index=keep, dtype=object)
    frame = frame[[h for h in header if h in mapping]].rename(columns=mapping)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return RawTable(table, frame, source), problems
