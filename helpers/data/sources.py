"""Reading a township folder's raw tables as text: CSV in UTF-8 / UTF-8-BOM / GB18030, or one Excel workbook."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from helpers.data.schema import TABLES, Table
from helpers.exceptions import Problem

PROFILE_FILE = "township.yaml"
ENCODINGS = ("utf-8-sig", "gb18030")
MAX_CELL_CHARS = 100_000
"""A cell longer than this is a pasting accident or a broken file (the longest real cell is a paragraph)."""
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_YAML_BYTES = 1024 * 1024
MAX_YAML_DEPTH = 20


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


def os_error_reason(exc: OSError) -> str:
    """Why a file could not be read, in Chinese (the system's own text is English)."""
    if isinstance(exc, PermissionError):
        return "没有读取该文件的权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    return f"系统错误（错误码 {exc.errno}）" if exc.errno else "系统错误"


def detect_encoding(data: bytes) -> str | None:
    """The first of :data:`ENCODINGS` that decodes ``data`` (None: neither)."""
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def decode(data: bytes, source: str) -> tuple[str | None, Problem | None]:
    """Decode CSV bytes written by Excel in China or by a script: UTF-8 (with or without BOM) or GB18030."""
    encoding = detect_encoding(data)
    if encoding is None:
        return None, Problem(source, None, None, None, "无法识别文件编码（应为 UTF-8 或 GBK/GB18030）")
    return data.decode(encoding), None


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


OPTIONAL_TABLES = ("households", "petitions", "rectifications", "projects", "project_progress", "highlights")
"""Tables a township may leave out: an absent file reads as header-only (the report has nothing about it)."""


def read_csv_table(folder: Path, table: Table) -> tuple[RawTable | None, list[Problem]]:
    path = folder / table.file
    if not path.exists() and table.name in OPTIONAL_TABLES:
        return rows_to_raw(table, [[c.id for c in table.columns]], table.file)
    if not path.exists():
        return None, [Problem(table.file, None, None, None, "缺少文件")]
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [Problem(table.file, None, None, None,
                                  f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB），不像是一张月报数据表")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(table.file, None, None, None, f"无法读取文件：{os_error_reason(exc)}")]
    text, problem = decode(data, table.file)
    if problem:
        return None, [problem]
    return rows_to_raw(table, csv_rows(text, table.file), table.file)


def csv_rows(text: str, source: str) -> list[list[str]]:
    """CSV text as rows of strings; CR-only line ends (Excel for Mac) and long cells are read.

    Cells longer than :data:`MAX_CELL_CHARS` are read whole here and refused by :func:`rows_to_raw`.
    """
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    return list(csv.reader(io.StringIO(text, newline="")))  # newline="": \n, \r\n and a lone \r all end a row


YAML_OPENERS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
                yaml.FlowSequenceStartToken)
YAML_CLOSERS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def load_yaml(text: str, source: str) -> tuple[object, Problem | None]:
    """Parse a small YAML file safely: no anchors or aliases (an alias bomb), bounded nesting, Chinese errors.

    The tokens are scanned first (linear in the text), so nothing is built from a hostile file.
    """
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                line = token.start_mark.line + 1
                return None, Problem(source, line, None, None, "不支持 YAML 锚点和别名（“&”“*”），请直接写出每个值")
            depth += isinstance(token, YAML_OPENERS) - isinstance(token, YAML_CLOSERS)
            if depth > MAX_YAML_DEPTH:
                return None, Problem(source, token.start_mark.line + 1, None, None,
                                     f"嵌套超过 {MAX_YAML_DEPTH} 层，不像是乡镇概况")
        return yaml.safe_load(text), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.column + 1} 个字符附近" if mark else ""
        return None, Problem(source, mark.line + 1 if mark else None, None, None,
                             f"YAML 格式错误{('：' + where) if where else ''}（检查冒号、缩进、引号和括号是否成对）")


def read_profile(folder: Path) -> tuple[dict | None, list[Problem]]:
    path = folder / PROFILE_FILE
    if not path.exists():
        return None, [Problem(PROFILE_FILE, None, None, None, "缺少文件")]
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            return None, [Problem(PROFILE_FILE, None, None, None,
                                  f"文件过大（超过 {MAX_YAML_BYTES // 1024} KB），不像是乡镇概况")]
        text, problem = decode(path.read_bytes(), PROFILE_FILE)
    except OSError as exc:
        return None, [Problem(PROFILE_FILE, None, None, None, f"无法读取文件：{os_error_reason(exc)}")]
    if problem:
        return None, [problem]
    data, problem = load_yaml(text, PROFILE_FILE)
    if problem:
        return None, [problem]
    if not isinstance(data, dict):
        return None, [Problem(PROFILE_FILE, None, None, None, "内容应为“字段: 值”的映射")]
    return data, []


def find_workbook(folder: Path) -> Path | None:
    """A folder with no CSV tables but one workbook holds its tables in that workbook."""
    if any((folder / t.file).exists() for t in TABLES):
        return None
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    return books[0] if len(books) == 1 else None


def read_folder(folder: Path) -> tuple[dict[str, RawTable], dict | None, list[Problem]]:
    """Read the profile and every table of a township folder, collecting all reading problems."""
    problems: list[Problem] = []
    workbook = find_workbook(folder)
    if workbook is not None:
        from helpers.data.excel import read_workbook  # the workbook reader builds on this module

        tables, profile, problems = read_workbook(workbook)
        if profile is None:
            profile, found = read_profile(folder)
            problems += found
        return tables, profile, problems
    profile, problems = read_profile(folder)
    tables: dict[str, RawTable] = {}
    for table in TABLES:
        raw, found = read_csv_table(folder, table)
        problems += found
        if raw is not None:
            tables[table.name] = raw
    return tables, profile, problems
