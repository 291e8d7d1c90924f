"""Importing a filled workbook into a township folder: whole, or one month merged into what is there.

Everything is validated first (the merged whole, for one month) and nothing is written from an
invalid workbook. The new township folder is built completely beside the old one and exchanged
with it in one rename; the files it replaces are kept under ``<township>/.backup/<YYYYmmdd-HHMMSS>/``.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from helpers.data.reading.excel import read_book
from helpers.data.reading.raw_tables import RawTable
from helpers.data.reading.township_folder import read_folder, read_township_info
from helpers.data.report_profile.model import ReportProfile
from helpers.data.schema import INFO_FIELDS, INFO_FILE, REF_AREA, REF_HIGHLIGHT_AREA, TABLES
from helpers.data.township import check_township_name, load_report
from helpers.data.validation import area_id, month_key, parse_month, validate_tables
from helpers.data.workbook.csv_writing import file_style, write_csv
from helpers.data.workbook.merging import from_existing, merge_tables
from helpers.data.workbook.terms import in_sheet_terms
from helpers.exceptions import DataValidationError, ImportInterrupted, Problem, WriteFailed

BACKUP_DIR = ".backup"


@dataclass
class ImportReport:
    """What an import did, in lines of Chinese for the user."""

    target: Path
    lines: list[str] = field(default_factory=list)
    backup: Path | None = None


def info_yaml(info: Mapping) -> str:
    """township.yaml text: its fields in contract order, then any others."""
    order = [fid for fid, *_ in INFO_FIELDS if fid in info] + [k for k in info if k not in
                                                                        {f for f, *_ in INFO_FIELDS}]
    body = yaml.safe_dump({k: info[k] for k in order}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False)
    return "# 乡镇概况（由 python -m helpers import 从 Excel 工作簿导入）\n" + body


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic rename (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def backup_name(root: Path) -> Path:
    """A fresh ``<YYYYmmdd-HHMMSS>`` folder name under root (a suffix keeps two imports in one second apart)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder, n = root / stamp, 1
    while folder.exists():
        n += 1
        folder = root / f"{stamp}-{n}"
    return folder


def complete_staged(staged: Path, target: Path) -> Path | None:
    """Give the staged folder everything else the old one holds, and a backup of the files that change."""
    if not target.exists():
        return None
    for entry in target.iterdir():
        if (staged / entry.name).exists():
            continue
        if entry.is_dir():
            shutil.copytree(entry, staged / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, staged / entry.name, follow_symlinks=False)
    changed = [p.name for p in staged.iterdir() if p.is_file() and (target / p.name).is_file()
               and (target / p.name).read_bytes() != p.read_bytes()]
    if not changed:
        return None
    backup = backup_name(target / BACKUP_DIR)
    (staged / BACKUP_DIR / backup.name).mkdir(parents=True)
    for name in changed:
        shutil.copy2(target / name, staged / BACKUP_DIR / backup.name / name)
    return backup


def swap_in(staged: Path, target: Path) -> Path | None:
    """Put the complete staged folder at ``target`` in one rename; returns where the old folder now is.

    The old folder is left for the caller to remove (the new one backs up its changed files).
    """
    if not target.exists():
        os.rename(staged, target)
        return None
    if exchange(staged, target):
        return staged  # the two folders traded places
    old = staged.with_name(staged.name + "-old")
    os.rename(target, old)
    try:
        os.rename(staged, target)
    except BaseException:
        os.rename(old, target)
        raise
    return old


def write_township(tables: Mapping[str, RawTable], info: Mapping, keep_info: bool,
                   data_dir: Path, township: str, report: ReportProfile | None = ...) -> Path | None:
    """Build the new folder beside the old one, check it reads back valid (against ``report``), swap it in."""
    target = data_dir / township
    if target.exists() and not target.is_dir():
        raise DataValidationError([Problem(str(target), None, None, None, "目标路径已存在且不是目录")])
    if target.is_symlink() and not target.exists():  # a rename onto it would fail with a bare errno 20
        raise DataValidationError([Problem(str(target), None, None, None,
                                           f"这是一个失效的链接，指向的 {os.readlink(target)} 不存在；"
                                           "请删除该链接或恢复它指向的文件夹后再导入")])
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f".import-{township}-", dir=data_dir))
    except OSError as exc:
        raise WriteFailed(data_dir, exc) from None
    old, swapped = None, False
    try:
        for table in TABLES:  # as the township keeps its files (GBK, Chinese headers …), else UTF-8 with ids
            write_csv(staged / table.file, table, tables[table.name].frame, file_style(target / table.file, table))
        if keep_info:  # the township's own township.yaml, comments and all
            shutil.copy2(target / INFO_FILE, staged / INFO_FILE)
        else:
            (staged / INFO_FILE).write_text(info_yaml(info), encoding="utf-8")
        check, check_info, found = read_folder(staged)
        found += validate_tables(check, check_info, report)
        if found:  # the written files must read back as valid, or nothing is installed
            raise DataValidationError(found)
        backup = complete_staged(staged, target)
        old = swap_in(staged, target)
        swapped = True
        return backup
    except KeyboardInterrupt:
        if swapped:  # the new folder is in place: only the clean-up was interrupted
            raise
        raise ImportInterrupted() from None
    except OSError as exc:
        raise WriteFailed(data_dir, exc) from None
    finally:
        for leftover in (staged, old):
            if leftover is not None and leftover.exists() and leftover != target:
                shutil.rmtree(leftover, ignore_errors=True)


def own_areas(tables: Mapping[str, RawTable], report: ReportProfile | None) -> None:
    """The workbook's short names of the township's own areas (平安乡村) as their ids (peace), in place."""
    if report is None:
        return
    for table in TABLES:
        raw = tables.get(table.name)
        if raw is None:
            continue
        for col in table.columns:
            if col.kind in (REF_AREA, REF_HIGHLIGHT_AREA) and col.id in raw.frame.columns:
                areas = report.area_names if col.kind == REF_AREA else report.highlight_areas
                raw.frame[col.id] = [area_id(v, areas) or v for v in raw.frame[col.id]]


def existing_info(target: Path) -> tuple[dict | None, list[Problem]]:
    if (target / INFO_FILE).exists():
        return read_township_info(target)
    return None, []


def import_book(xlsx: Path | str, data_dir: Path | str, township: str, month: str | None = None) -> ImportReport:
    """Validate a filled-in workbook and write it as ``data_dir/township`` (CSV + township.yaml).

    Args:
        xlsx: the workbook.
        data_dir: the data folder.
        township: the township folder name.
        month: YYYY-MM: take only that month's rows (and new reference rows) and merge them into
            the township's existing tables.

    Raises:
        DataValidationError: listing every problem; nothing is written then.
    """
    xlsx, data_dir = Path(xlsx), Path(data_dir)
    problem = check_township_name(township)
    if problem:
        raise DataValidationError([problem])
    if month is not None and not parse_month(month):
        raise DataValidationError([Problem("--month", None, None, month, "月份格式应为 YYYY-MM")])
    if not xlsx.is_file():
        raise DataValidationError([Problem(str(xlsx), None, None, None, "工作簿文件不存在")])
    target = data_dir / township
    existing: dict[str, RawTable] = {}
    if month is not None:
        if not target.is_dir():
            raise DataValidationError([Problem("--township", None, None, township,
                                               "按月导入要合并到已有的乡镇数据，但该乡镇目录不存在"
                                               "（首次请整本导入，不加 --month）")])
        existing, _, found = read_folder(target)
        if found:
            raise DataValidationError([replace(p, reason="现有数据：" + p.reason) for p in found])
    known = dict(zip(existing["indicators"].frame["indicator"], existing["indicators"].frame["name"], strict=True)) \
        if "indicators" in existing and {"indicator", "name"} <= set(existing["indicators"].frame.columns) else None
    read = read_book(xlsx, known)
    own_areas(read.tables, load_report(target, existing or read.tables)[0])
    old_info, problems = existing_info(target)
    sheet_info = read.info
    if sheet_info is None and old_info is None and not problems:
        problems.append(Problem(xlsx.name, None, None, None, "该乡镇还没有概况，工作表“乡镇概况”是空的：请填写")
                        if read.info_blank else
                        Problem(xlsx.name, None, None, None, "缺少工作表“乡镇概况”，而该乡镇还没有概况"))
    info = {**(old_info or {}), **(sheet_info or {})} if old_info or sheet_info else None
    keep_info = old_info is not None and info == old_info
    if month is not None:
        month = month_key(month)
        tables, lines, found = merge_tables(read, existing, month)
        read.problems += found
    else:
        tables, lines = read.tables, []
    # the township's own report.yaml (or the bundled default) says which areas and event types there are
    report, report_problems = load_report(target, tables)
    found = validate_tables(tables, info, report) + report_problems
    if sheet_info is None:  # info problems are in the township's own township.yaml
        found = [replace(p, file=f"{INFO_FILE}（现有数据）") if p.file == INFO_FILE else p for p in found]
    problems = in_sheet_terms(read.problems + from_existing(found, tables), read.sheets) + problems
    if problems:
        raise DataValidationError(problems)
    backup = write_township(tables, info or {}, keep_info, data_dir, township, report)
    report = ImportReport(target, lines + read.notes, backup)
    if read.examples_skipped:
        report.lines.append(f"跳过了 {read.examples_skipped} 行“示例”行")
    if read.info_blank or sheet_info is None:
        report.lines.append("乡镇概况：工作簿中为空，保留原有概况")
    if backup is not None:
        report.lines.append(f"被替换的文件已备份到 {backup}")
    return report


def import_workbook(xlsx: Path | str, data_dir: Path | str, township: str, month: str | None = None) -> Path:
    """:func:`import_book`, returning the township folder written."""
    return import_book(xlsx, data_dir, township, month).target
