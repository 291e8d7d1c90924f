"""A township folder read as text: its township.yaml and its tables, from CSV files or one workbook in their place."""

from __future__ import annotations

from pathlib import Path

from helpers.data.reading.csv_tables import read_csv_table
from helpers.data.reading.excel import read_workbook
from helpers.data.reading.raw_tables import RawTable
from helpers.data.reading.yaml_files import read_yaml_file
from helpers.data.schema import INFO_FILE, TABLES
from helpers.exceptions import Problem


def read_township_info(folder: Path) -> tuple[dict | None, list[Problem]]:
    """The folder's township.yaml as a mapping, or the problems that keep it from being read."""
    path = folder / INFO_FILE
    if not path.exists():
        return None, [Problem(INFO_FILE, None, None, None, "缺少文件")]
    data, _lines, problems = read_yaml_file(path, "乡镇概况")
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(INFO_FILE, None, None, None, "内容应为“字段: 值”的映射")]
    return data, []


def find_workbook(folder: Path) -> Path | None:
    """A folder with no CSV tables but one workbook holds its tables in that workbook."""
    if any((folder / t.file).exists() for t in TABLES):
        return None
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    return books[0] if len(books) == 1 else None


def read_folder(folder: Path) -> tuple[dict[str, RawTable], dict | None, list[Problem]]:
    """Read township.yaml and every table of a township folder, collecting all reading problems."""
    problems: list[Problem] = []
    workbook = find_workbook(folder)
    if workbook is not None:
        tables, info, problems = read_workbook(workbook)
        if info is None:
            info, found = read_township_info(folder)
            problems += found
        return tables, info, problems
    info, problems = read_township_info(folder)
    tables: dict[str, RawTable] = {}
    for table in TABLES:
        raw, found = read_csv_table(folder, table)
        problems += found
        if raw is not None:
            tables[table.name] = raw
    return tables, info, problems
