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
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

from helpers.data.csv_files import file_style, write_csv
from helpers.data.excel import WorkbookRead, read_book
from helpers.data.profile import ReportProfile
from helpers.data.schema import PROFILE_FIELDS, REF_AREA, REF_HIGHLIGHT_AREA, TABLES, Table
from helpers.data.sources import PROFILE_FILE, RawTable, read_folder, read_profile
from helpers.data.validation import area_id, month_key, parse_month, parse_number, validate_tables
from helpers.data.workbook_terms import SHEET_NAMES, in_sheet_terms
from helpers.exceptions import DataValidationError, Problem, ReportError

BACKUP_DIR = ".backup"
EXISTING_ROWS = 10_000_000
"""Index offset of the township's existing rows in a merged table (a sheet has at most 1,048,576 rows)."""

MONTH_COLUMNS = {"monthly": "month", "project_progress": "month", "petitions": "month",
                 "highlights": "month", "events": "date"}
"""Tables whose rows belong to a month, and the column that says which."""


class ImportInterrupted(ReportError):
    """The import was interrupted (Ctrl-C) before the new folder was in place; nothing changed."""

    def __init__(self):
        super().__init__("导入被中断（Ctrl-C）：原有数据没有改动，也没有写入任何新文件")


@dataclass
class ImportReport:
    """What an import did, in lines of Chinese for the user."""

    target: Path
    lines: list[str] = field(default_factory=list)
    backup: Path | None = None


def profile_yaml(profile: Mapping) -> str:
    """township.yaml text: the profile fields in contract order, then any others."""
    order = [fid for fid, *_ in PROFILE_FIELDS if fid in profile] + [k for k in profile if k not in
                                                                        {f for f, *_ in PROFILE_FIELDS}]
    body = yaml.safe_dump({k: profile[k] for k in order}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False)
    return "# 乡镇概况（由 python -m helpers import 从 Excel 工作簿导入）\n" + body


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


class WriteFailed(ReportError):
    """The township folder could not be written (permissions, a full disk); nothing was changed."""

    def __init__(self, folder: Path, exc: OSError):
        why = "没有写入权限" if isinstance(exc, PermissionError) else f"系统错误（错误码 {exc.errno}）"
        super().__init__(f"无法写入 {folder}：{why}；原有数据没有改动")


def write_township(tables: Mapping[str, RawTable], profile: Mapping, keep_profile: bool,
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
        if keep_profile:  # the township's own township.yaml, comments and all
            shutil.copy2(target / PROFILE_FILE, staged / PROFILE_FILE)
        else:
            (staged / PROFILE_FILE).write_text(profile_yaml(profile), encoding="utf-8")
        check, check_profile, found = read_folder(staged)
        found += validate_tables(check, check_profile, report)
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


def existing_profile(target: Path) -> tuple[dict | None, list[Problem]]:
    if (target / PROFILE_FILE).exists():
        return read_profile(target)
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
    from helpers.data.township import check_township_name, load_report

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
    old_profile, problems = existing_profile(target)
    sheet_profile = read.profile
    if sheet_profile is None and old_profile is None and not problems:
        problems.append(Problem(xlsx.name, None, None, None, "该乡镇还没有概况，工作表“乡镇概况”是空的：请填写")
                        if read.profile_blank else
                        Problem(xlsx.name, None, None, None, "缺少工作表“乡镇概况”，而该乡镇还没有概况"))
    profile = {**(old_profile or {}), **(sheet_profile or {})} if old_profile or sheet_profile else None
    keep_profile = old_profile is not None and profile == old_profile
    if month is not None:
        month = month_key(month)
        tables, lines, found = merge_tables(read, existing, month)
        read.problems += found
    else:
        tables, lines = read.tables, []
    # the township's own report.yaml (or the bundled default) says which areas and event types there are
    report, report_problems = load_report(target, tables)
    found = validate_tables(tables, profile, report) + report_problems
    if sheet_profile is None:  # profile problems are in the township's own township.yaml
        found = [replace(p, file=f"{PROFILE_FILE}（现有数据）") if p.file == PROFILE_FILE else p for p in found]
    problems = in_sheet_terms(read.problems + from_existing(found, tables), read.sheets) + problems
    if problems:
        raise DataValidationError(problems)
    backup = write_township(tables, profile or {}, keep_profile, data_dir, township, report)
    report = ImportReport(target, lines + read.notes, backup)
    if read.examples_skipped:
        report.lines.append(f"跳过了 {read.examples_skipped} 行“示例”行")
    if read.profile_blank or sheet_profile is None:
        report.lines.append("乡镇概况：工作簿中为空，保留原有概况")
    if backup is not None:
        report.lines.append(f"被替换的文件已备份到 {backup}")
    return report


def import_workbook(xlsx: Path | str, data_dir: Path | str, township: str, month: str | None = None) -> Path:
    """:func:`import_book`, returning the township folder written."""
    return import_book(xlsx, data_dir, township, month).target
