"""Resolving what to render from the command's arguments; everything here runs before any notebook does."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from helpers.config import DEFAULT_TOWNSHIP
from helpers.exceptions import DataValidationError, Problem, ReportError
from helpers.files import replacing

MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
NOTEBOOK_NAME = re.compile(r"^\d+_[^/\\]+\.ipynb$")


def check_month(month: str, what: str = "--month") -> Problem | None:
    """A month argument must be YYYY-MM before it goes anywhere near a notebook."""
    if not isinstance(month, str) or not MONTH_RE.fullmatch(month):
        return Problem(what, None, None, str(month), "月份格式应为 YYYY-MM，例如 2018-08")
    return None


def requested_months(month: str | None, months: str | None) -> list[str] | None:
    """The months asked for (None = each township's latest); a DataValidationError if malformed."""
    if months:
        start, sep, end = months.partition(":")
        if not sep:
            raise DataValidationError([Problem("--months", None, None, months, "月份范围格式应为 YYYY-MM:YYYY-MM")])
        problems = [p for p in (check_month(start, "--months"), check_month(end, "--months")) if p]
        if problems:
            raise DataValidationError(problems)
        if start > end:
            raise DataValidationError([Problem("--months", None, None, months, "起始月份晚于结束月份")])
        return month_range(start, end)
    if month:
        problem = check_month(month)
        if problem:
            raise DataValidationError([problem])
        return [month]
    return None


def check_out_dir(out: Path) -> None:
    """The outputs folder must be a folder this process may write in (or one it can create).

    Checked before anything runs, so a bad ``--out`` is an input error (exit 2), not a traceback at the end.
    """
    existing = Path(out)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        what = "输出目录" if existing == Path(out) else f"输出目录的上级路径 {existing}"
        raise DataValidationError([Problem("--out", None, None, str(out), f"{what}是一个文件，不是文件夹")])
    if not os.access(existing, os.W_OK | os.X_OK):
        raise DataValidationError([Problem("--out", None, None, str(out), f"没有在 {existing} 中写入的权限")])


def month_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive, as YYYY-MM."""
    y, m = int(start[:4]), int(start[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def resolve_townships(data_dir: Path, townships: Sequence[str] | None) -> list[str]:
    """Township ids to render: the given ones, ``all`` = every folder with a township.yaml, default sample."""
    from helpers.data.township import check_township_name

    names = list(townships or [DEFAULT_TOWNSHIP])
    if "all" in names:
        folders = sorted(p.parent.name for p in Path(data_dir).glob("*/township.yaml")
                         if not p.parent.name.startswith("."))
        found = [n for n in folders if check_township_name(n) is None]
        for name in folders:
            if name not in found:  # e.g. a Windows copy "XX - 副本": one line, not a refusal of everything
                print(f"警告：跳过目录“{name}”：目录名不是乡镇名称（只能由字母、数字、汉字、“-”“_”“.”组成）",
                      file=sys.stderr)
        if not found:
            raise DataValidationError([Problem(str(data_dir), None, None, None,
                                               "数据目录下没有任何乡镇（含 township.yaml 的子目录）")])
        names = found + [n for n in names if n != "all" and n not in found]
    problems = [p for p in (check_township_name(n) for n in names) if p]
    if problems:
        raise DataValidationError(problems)
    return list(dict.fromkeys(names))


def report_notebooks(notebooks_dir: Path) -> tuple[Path, ...]:
    """The numbered notebooks (``00_overview.ipynb``, ``10_party.ipynb`` …) in report order."""
    found = tuple(sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if NOTEBOOK_NAME.match(p.name)))
    if not found:
        raise ReportError(f"笔记本目录 {notebooks_dir} 中没有带编号的笔记本（如 10_party.ipynb）")
    return found


OVERVIEW_NOTEBOOK = "00_overview.ipynb"
AREA_NOTEBOOK = "area.ipynb"
AREA_PARAMETER = re.compile(r'^area: str = ".*?"', re.MULTILINE)


def area_notebook_text(template: str, area: str) -> str:
    """The generic area notebook's JSON text with its ``area`` parameter preset to ``area``.

    Plain JSON, written as nbformat writes a notebook (the same bytes): nbformat itself would validate
    the notebook against its schema each time, a quarter of a second before the first notebook starts.
    """
    nb = json.loads(template)
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = AREA_PARAMETER.sub(f'area: str = "{area}"', source, count=1).splitlines(keepends=True)
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def township_notebooks(notebooks_dir: Path, tw, cache_dir: Path) -> tuple[Path, ...]:
    """The notebooks of one township's report: the overview, then the generic area notebook once per area.

    Each area's copy has ``area`` preset and is written to ``cache_dir`` as ``10_<id>.ipynb``,
    ``20_<id>.ipynb`` … in profile order (rewritten only when it changes, so its fingerprint holds).
    A notebooks folder without ``area.ipynb`` renders its own numbered notebooks as they are.
    """
    notebooks_dir = Path(notebooks_dir)
    overview, generic = notebooks_dir / OVERVIEW_NOTEBOOK, notebooks_dir / AREA_NOTEBOOK
    if not generic.is_file():  # a folder of notebooks of its own (no generic area notebook): as they are
        return report_notebooks(notebooks_dir)
    if not overview.is_file():
        raise ReportError(f"笔记本目录 {notebooks_dir} 中没有 {OVERVIEW_NOTEBOOK}")
    template = generic.read_text(encoding="utf-8")
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    out = [overview]
    for n, area in enumerate(tw.areas, start=1):
        path = cache_dir / f"{n * 10:02d}_{area}.ipynb"
        text = area_notebook_text(template, area)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            # a temporary name of its own: two renders started together write the same notebook at once
            with replacing(path) as tmp:
                tmp.write_text(text, encoding="utf-8")
        out.append(path)
    return tuple(out)


def load_townships(data_dir: Path, townships: list[str], months: list[str] | None) -> tuple[dict, dict]:
    """Load and validate each township once; every problem of every township in one DataValidationError.

    Returns the townships by name, and the same townships by :func:`~helpers.data.township.cache_key`
    (what the render's workers and kernels adopt instead of loading them again).
    """
    from helpers.data.township import cache_key, load_township
    from helpers.data.validation import month_problem

    loaded, by_key, problems = {}, {}, []
    for name in townships:
        try:
            key = cache_key(data_dir, name)  # before reading: a file changed meanwhile makes it stale
            tw = load_township(data_dir, name)
        except DataValidationError as exc:
            problems += _prefixed(exc.problems, name, len(townships) > 1)
            continue
        with_data = [str(m) for m in tw.months]
        for month in months or []:
            found = month_problem(month, with_data)
            if found:
                problems += _prefixed([found], name, len(townships) > 1)
        loaded[name] = tw
        if key is not None:
            by_key[key] = tw
    if problems:
        raise DataValidationError(problems)
    return loaded, by_key


def _prefixed(problems: list[Problem], township: str, prefix: bool) -> list[Problem]:
    if not prefix:
        return list(problems)
    return [Problem(p.file if p.file.startswith(township) else f"{township}/{p.file}", p.row, p.column,
                    p.value, p.reason) for p in problems]
