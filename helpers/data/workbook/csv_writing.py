"""A township's CSV files written back the way it keeps them: encoding, header language, line ending, columns.

A township whose files Excel in China wrote (GBK, Chinese headers, CRLF, no 责任单位 column) keeps
them so after an import; a new file, or one written by a script, is UTF-8 with the English ids.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.data.reading.encoding import detect_encoding
from helpers.data.reading.raw_tables import header_map
from helpers.data.schema import Table
from helpers.data.validation import month_key


@dataclass(frozen=True)
class CsvStyle:
    """How one CSV file is written."""

    encoding: str = "utf-8"
    chinese_header: bool = False
    line_end: str = "\n"
    columns: tuple[str, ...] | None = None
    """The column ids the file had (None: every column of the table)."""


DEFAULT_STYLE = CsvStyle()


def file_style(path: Path, table: Table) -> CsvStyle:
    """The style of an existing CSV file; the default (UTF-8, English ids) when there is none or it is unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return DEFAULT_STYLE
    encoding = detect_encoding(data)
    if encoding is None:
        return DEFAULT_STYLE
    text = data.decode(encoding)
    if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8"
    first = text.splitlines()[0] if text.strip() else ""
    header = [h.strip() for h in next(csv.reader([first]), [])]
    mapping = header_map(table, header)
    if not mapping:
        return CsvStyle(encoding=encoding)
    chinese = {c.zh for c in table.columns} | {c.zh.replace("（", "(").replace("）", ")") for c in table.columns}
    return CsvStyle(encoding=encoding, chinese_header=all(h in chinese for h in mapping),
                    line_end="\r\n" if "\r\n" in text[:len(first) + 2] else "\n",
                    columns=tuple(mapping.values()))


def written_columns(table: Table, frame: pd.DataFrame, style: CsvStyle) -> list:
    """The file's columns in its order, then the table's others, less an optional one left out and empty."""
    if style.columns is None:
        return list(table.columns)
    had = [table.col(c) for c in style.columns]
    more = [c for c in table.columns if c.id not in style.columns and
            (not c.optional_column or (c.id in frame.columns and any(str(v).strip() for v in frame[c.id])))]
    return had + more


def write_csv(path: Path, table: Table, frame: pd.DataFrame, style: CsvStyle = DEFAULT_STYLE) -> None:
    """One table as CSV in ``style`` (by default UTF-8 with the English ids as header); months as YYYY-MM."""
    columns = written_columns(table, frame, style)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=style.line_end)
    writer.writerow([c.zh if style.chinese_header else c.id for c in columns])
    values = [[(month_key(v) or v) if c.kind == "month" else v for v in
               (frame[c.id] if c.id in frame.columns else [""] * len(frame))] for c in columns]
    writer.writerows(zip(*values, strict=True))
    path.write_bytes(encoded(buffer.getvalue(), style.encoding))


def encoded(text: str, encoding: str) -> bytes:
    """Text in the file's encoding: a GBK file stays GBK unless a character needs GB18030."""
    if encoding in ("utf-8", "utf-8-sig"):
        return text.encode(encoding)
    try:
        return text.encode("gbk")
    except UnicodeEncodeError:
        return text.encode("gb18030")
