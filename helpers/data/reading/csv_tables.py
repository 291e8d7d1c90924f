"""Reading one table from its CSV file: size, encoding, Mac line ends and long cells, an optional table left out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from helpers.data.reading.encoding import read_text
from helpers.data.reading.raw_tables import RawTable, rows_to_raw
from helpers.data.schema import Table
from helpers.exceptions import Problem

MAX_FILE_BYTES = 200 * 1024 * 1024


OPTIONAL_TABLES = ("households", "petitions", "rectifications", "projects", "project_progress", "highlights")
"""Tables a township may leave out: an absent file reads as header-only (the report has nothing about it)."""


def read_csv_table(folder: Path, table: Table) -> tuple[RawTable | None, list[Problem]]:
    """One table from ``folder``: its raw text table, or the problems that keep it from being read."""
    path = folder / table.file
    if not path.exists() and table.name in OPTIONAL_TABLES:
        return rows_to_raw(table, [[c.id for c in table.columns]], table.file)
    if not path.exists():
        return None, [Problem(table.file, None, None, None, "缺少文件")]
    text, problem = read_text(path, table.file, MAX_FILE_BYTES,
                              f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB），不像是一张月报数据表")
    if problem:
        return None, [problem]
    return rows_to_raw(table, csv_rows(text, table.file), table.file)


def csv_rows(text: str, source: str) -> list[list[str]]:
    """CSV text as rows of strings; CR-only line ends (Excel for Mac) and long cells are read.

    Cells longer than :data:`~helpers.data.reading.raw_tables.MAX_CELL_CHARS` are read whole here and refused
    by :func:`~helpers.data.reading.raw_tables.rows_to_raw`.
    """
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    return list(csv.reader(io.StringIO(text, newline="")))  # newline="": \n, \r\n and a lone \r all end a row
