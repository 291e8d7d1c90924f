"""The bad-input matrix through the real command line, each case a copy of the sample with one fault.

``python -m helpers render`` runs in a fresh interpreter. Every rejection exits 2 with a Chinese message
naming what is wrong and where (file, row, column, value where they apply), prints no traceback, and leaves
the outputs folder — which already holds a good report — byte for byte and timestamp for timestamp
unchanged. Rejections never reach papermill, so each case costs one interpreter start and one validation.
The one accepted case (tables in mixed encodings) renders for real.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest_proof import (
    LIST_DIR,
    READ_FILE,
    SAMPLE_MONTH,
    WRITE_IN_DIR,
    copy_sample,
    good_render,
    run_render,
    tree_digest,
    tree_listing,
    unprivileged_prefix,
)

from helpers.cli import EXIT_INVALID, EXIT_OK
from tests.builders import read_rows, write_rows

CJK = re.compile(r"[\u4e00-\u9fff]")
pytestmark = pytest.mark.e2e


# --- editing a copy of the sample ------------------------------------------------------------------------


def set_cell(folder: Path, file: str, line: int, column: str, value: str) -> str:
    """Overwrite one cell (``line`` as numbered in the file, header = 1); returns the old value."""
    rows = read_rows(folder / file)
    col = rows[0].index(column)
    old, rows[line - 1][col] = rows[line - 1][col], value
    write_rows(folder / file, rows)
    return old


def edit(file: str, line: int, column: str, value: str) -> Callable[[Path], None]:
    def fault(folder: Path) -> None:
        old = set_cell(folder, file, line, column, value)
        assert old != value, "the fault must change the cell"
    return fault


def delete(file: str) -> Callable[[Path], None]:
    return lambda folder: (folder / file).unlink()


def drop_column(file: str, column: str) -> Callable[[Path], None]:
    def fault(folder: Path) -> None:
        rows = read_rows(folder / file)
        i = rows[0].index(column)
        write_rows(folder / file, [r[:i] + r[i + 1:] for r in rows])
    return fault


def duplicate_row(file: str, line: int) -> Callable[[Path], None]:
    def fault(folder: Path) -> None:
        rows = read_rows(folder / file)
        write_rows(folder / file, [*rows, rows[line - 1]])
    return fault


def empty_file(file: str) -> Callable[[Path], None]:
    return lambda folder: (folder / file).write_bytes(b"")


def header_only(file: str) -> Callable[[Path], None]:
    def fault(folder: Path) -> None:
        write_rows(folder / file, read_rows(folder / file)[:1])
    return fault


def truncate_last_line(file: str, keep: int) -> Callable[[Path], None]:
    """Cut the file ``keep`` characters into its last line, as a copy interrupted mid-way would."""
    def fault(folder: Path) -> None:
        text = (folder / file).read_text(encoding="utf-8").rstrip("\n")
        head, _, last = text.rpartition("\n")
        (folder / file).write_text(head + "\n" + last[:keep], encoding="utf-8")
    return fault


def bom_in_the_middle(file: str, line: int) -> Callable[[Path], None]:
    """A BOM at the start of line ``line``: two exported files pasted together."""
    def fault(folder: Path) -> None:
        lines = (folder / file).read_text(encoding="utf-8").split("\n")
        lines[line - 1] = "\ufeff" + lines[line - 1]
        (folder / file).write_text("\n".join(lines), encoding="utf-8")
    return fault


def append_copy(file: str, line: int, column: str, value: str) -> Callable[[Path], None]:
    """Append a copy of row ``line`` with one cell written differently (a key that only looks new)."""
    def fault(folder: Path) -> None:
        rows = read_rows(folder / file)
        copy = list(rows[line - 1])
        copy[rows[0].index(column)] = value
        write_rows(folder / file, [*rows, copy])
    return fault


# --- the cases -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One fault and what the message must name: every string of ``parts`` on one line of stderr."""

    id: str
    fault: Callable[[Path], None] | None
    parts: tuple[str, ...]
    args: tuple[str, ...] = ("--township", "sample", "--month", SAMPLE_MONTH)


def future_month() -> str:
    today = dt.date.today()
    return f"{today.year + 1:04d}-{today.month:02d}"


CASES = [
    # every rejection of the validation
    Case("missing-file", delete("targets.csv"), ("文件 targets.csv", "缺少文件")),
    Case("missing-profile", delete("township.yaml"), ("文件 township.yaml", "缺少文件")),
    Case("missing-column", drop_column("villages.csv", "population"),
         ("文件 villages.csv", "第 1 行", "列 population（人口）", "缺少列")),
    Case("unknown-village", edit("petitions.csv", 4, "village", "白鹅村"),
         ("文件 petitions.csv", "第 4 行", "列 village", "值 “白鹅村”", "未知的村（社区）")),
    Case("unknown-indicator", edit("monthly.csv", 5, "indicator", "retail_sale"),
         ("文件 monthly.csv", "第 5 行", "列 indicator（指标代码）", "值 “retail_sale”", "未知的指标代码")),
    Case("unknown-area", edit("events.csv", 10, "area", "环保"),
         ("文件 events.csv", "第 10 行", "列 area（工作领域）", "值 “环保”", "未知的工作领域")),
    Case("unknown-project", edit("project_progress.csv", 3, "project_id", "P99"),
         ("文件 project_progress.csv", "第 3 行", "列 project_id（项目编号）", "值 “P99”", "未知的项目编号")),
    Case("non-numeric", edit("monthly.csv", 7, "value", "约100"),
         ("文件 monthly.csv", "第 7 行", "列 value（数值）", "值 “约100”", "不是数字")),
    Case("negative-count", edit("villages.csv", 6, "population", "-1459"),
         ("文件 villages.csv", "第 6 行", "列 population（人口）", "值 “-1459”", "不能为负数")),
    Case("bad-month", edit("petitions.csv", 3, "month", "2018/01"),
         ("文件 petitions.csv", "第 3 行", "列 month（月份）", "值 “2018/01”", "月份格式应为 YYYY-MM")),
    Case("impossible-month", edit("petitions.csv", 2, "month", "2018-13"),
         ("文件 petitions.csv", "第 2 行", "列 month（月份）", "值 “2018-13”", "不存在的月份")),
    Case("impossible-date", edit("events.csv", 6, "date", "2018-02-30"),
         ("文件 events.csv", "第 6 行", "列 date（日期）", "值 “2018-02-30”", "不存在的日期")),
    Case("duplicate-key", duplicate_row("indicators.csv", 3),
         ("文件 indicators.csv", "第 18 行", "列 indicator", "重复的键")),
    Case("household-without-members", edit("households.csv", 8, "members", "0"),
         ("文件 households.csv", "第 8 行", "列 members（人口数）", "值 “0”", "每户人口数至少为 1")),
    Case("exited-after-last-month", edit("households.csv", 2, "exited", "2018-09"),
         ("文件 households.csv", "第 2 行", "列 exited（脱贫月份）", "值 “2018-09”",
          "脱贫月份晚于数据的最后月份 2018-08")),
    Case("closed-before-issued", edit("rectifications.csv", 2, "closed", "2018-02"),
         ("文件 rectifications.csv", "第 2 行", "列 closed（完成月份）", "值 “2018-02”", "完成月份早于下达月份")),
    Case("progress-over-100", edit("project_progress.csv", 4, "progress_pct", "108"),
         ("文件 project_progress.csv", "第 4 行", "列 progress_pct", "值 “108”", "进度应在 0–100 之间")),
    Case("target-for-unknown-indicator", edit("targets.csv", 6, "indicator", "pepper_mu"),
         ("文件 targets.csv", "第 6 行", "列 indicator（指标代码）", "值 “pepper_mu”", "未知的指标代码")),
    # input that looks valid but is not (normalised first, then refused with the reason)
    Case("number-with-underscore", edit("monthly.csv", 5, "value", "5_400"),
         ("文件 monthly.csv", "第 5 行", "列 value（数值）", "值 “5_400”", "下划线")),
    Case("decimal-comma", edit("monthly.csv", 8, "value", "7,8"),
         ("文件 monthly.csv", "第 8 行", "列 value（数值）", "值 “7,8”", "千分位")),
    Case("exponent-number", edit("monthly.csv", 2, "value", "1e308"),
         ("文件 monthly.csv", "第 2 行", "列 value（数值）", "值 “1e308”", "科学计数法")),
    Case("exponent-count", edit("villages.csv", 3, "population", "1e308"),
         ("文件 villages.csv", "第 3 行", "列 population（人口）", "值 “1e308”", "科学计数法")),
    Case("full-width-underscore", edit("monthly.csv", 5, "value", "５＿４００"),
         ("文件 monthly.csv", "第 5 行", "列 value（数值）", "值 “５＿４００”", "下划线")),
    Case("month-unpadded-duplicate", append_copy("monthly.csv", 2, "month", "2017-1"),
         ("文件 monthly.csv", "第 998 行", "值 “2017-1", "重复的键")),
    Case("year-zero-padded-duplicate", append_copy("targets.csv", 2, "year", "02017"),
         ("文件 targets.csv", "第 19 行", "值 “02017", "重复的键")),
    Case("village-differs-by-invisible-char", append_copy("villages.csv", 2, "village", "高龙村\u200b"),
         ("文件 villages.csv", "第 34 行", "高龙村<U+200B", "重复的键", "不可见字符")),
    Case("unknown-village-hidden-space", edit("petitions.csv", 4, "village", "回龙\u00a0村"),
         ("文件 petitions.csv", "第 4 行", "值 “回龙<U+00A0", "村”", "未知的村（社区）", "不可见字符")),
    # broken files
    Case("empty-file", empty_file("highlights.csv"), ("文件 highlights.csv", "文件为空")),
    Case("header-only", header_only("monthly.csv"), ("文件 monthly.csv", "只有表头，没有数据行")),
    Case("truncated-line", truncate_last_line("monthly.csv", 18),
         ("文件 monthly.csv", "第 997 行", "字段数为 3", "与表头的 4 列不符")),
    Case("table-is-a-folder", lambda folder: ((folder / "petitions.csv").unlink(), (folder / "petitions.csv").mkdir()),
         ("文件 petitions.csv", "无法读取文件", "这是一个目录，不是文件")),
    Case("bom-in-the-middle", bom_in_the_middle("events.csv", 40),
         ("文件 events.csv", "第 40 行", "列 date", "BOM")),
    # what was asked for
    Case("month-in-the-future", None, ("文件 monthly.csv", f"值 “{future_month()}”", "晚于数据中最后的月份 2018-08"),
         ("--township", "sample", "--month", future_month())),
    Case("month-before-the-data", None, ("文件 monthly.csv", "值 “2016-12”", "早于数据中最早的月份 2017-01"),
         ("--township", "sample", "--month", "2016-12")),
    Case("range-before-the-data", None, ("值 “2016-11”", "早于数据中最早的月份 2017-01"),
         ("--township", "sample", "--months", "2016-11:2017-02")),
    Case("month-not-a-month", None, ("--month", "值 “2018-8”", "月份格式应为 YYYY-MM"),
         ("--township", "sample", "--month", "2018-8")),
    Case("months-not-a-range", None, ("--months", "值 “2018-01”", "月份范围格式应为 YYYY-MM:YYYY-MM"),
         ("--township", "sample", "--months", "2018-01")),
    Case("months-reversed", None, ("--months", "值 “2018-08:2018-01”", "起始月份晚于结束月份"),
         ("--township", "sample", "--months", "2018-08:2018-01")),
    Case("jobs-zero", None, ("--jobs", "值 “0”", "并行进程数至少为 1"),
         ("--township", "sample", "--month", SAMPLE_MONTH, "--jobs", "0")),
    Case("township-folder-missing", None, ("不存在镇", "乡镇数据目录不存在"),
         ("--township", "不存在镇", "--month", SAMPLE_MONTH)),
    Case("township-is-a-path", None, ("--township", "值 “../../etc”", "乡镇名称", "不能含路径"),
         ("--township", "../../etc", "--month", SAMPLE_MONTH)),
]


@pytest.fixture(scope="module")
def good_outputs(tmp_path_factory) -> Path:
    """An outputs folder holding a good report of the sample (rendered once per session)."""
    return good_render(tmp_path_factory)


def starting_state(tmp_path: Path, good_outputs: Path) -> tuple[Path, Path, Path]:
    """(data dir holding a fresh copy of the sample, its township folder, outputs copied from a good render)."""
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    out = tmp_path / "outputs"
    shutil.copytree(good_outputs, out, symlinks=True)
    return data_dir, folder, out


def assert_rejected(result: subprocess.CompletedProcess, parts: tuple[str, ...]) -> str:
    """Exit 2, a Chinese message on stderr with one line holding every part, nothing on stdout, no traceback."""
    err = result.stderr
    assert result.returncode == EXIT_INVALID, f"exit {result.returncode}\n{result.stdout}\n{err}"
    assert "Traceback" not in err and "Traceback" not in result.stdout
    assert CJK.search(err.splitlines()[0]), err
    assert not any(word in result.stdout for word in ("已生成", "报告目录")), result.stdout
    lines = [line for line in err.splitlines() if all(p in line for p in parts)]
    assert lines, f"no line of the message names all of {parts!r}:\n{err}"
    return lines[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rejected_and_outputs_untouched(tmp_path, good_outputs, case: Case):
    data_dir, folder, out = starting_state(tmp_path, good_outputs)
    if case.fault is not None:
        case.fault(folder)
    before, listing = tree_digest(out), tree_listing(out)
    data_before = tree_digest(data_dir)
    result = run_render("--data-dir", str(data_dir), *case.args, "--out", str(out))
    assert_rejected(result, case.parts)
    assert tree_listing(out) == listing
    assert tree_digest(out) == before, "the outputs folder changed"
    assert tree_digest(data_dir) == data_before, "the data folder changed"


def test_data_dir_that_is_a_file(tmp_path, good_outputs):
    _, _, out = starting_state(tmp_path, good_outputs)
    not_a_dir = tmp_path / "data.csv"
    not_a_dir.write_text("month,value\n", encoding="utf-8")
    before = tree_digest(out)
    result = run_render("--data-dir", str(not_a_dir), "--township", "sample", "--month", SAMPLE_MONTH,
                        "--out", str(out))
    assert_rejected(result, (str(not_a_dir), "数据目录是一个文件，不是文件夹"))
    assert tree_digest(out) == before


# --- a folder that cannot be read ------------------------------------------------------------------------

def test_township_folder_not_readable(tmp_path, good_outputs):
    data_dir, folder, out = starting_state(tmp_path, good_outputs)
    folder.chmod(0)
    try:
        prefix = unprivileged_prefix(folder, LIST_DIR)
        before = tree_digest(out)
        result = run_render("--data-dir", str(data_dir), "--township", "sample", "--month", SAMPLE_MONTH,
                            "--out", str(out), prefix=prefix)
        assert_rejected(result, (str(folder), "没有读取该目录的权限"))
        assert tree_digest(out) == before
    finally:
        folder.chmod(0o755)


def test_data_file_not_readable(tmp_path, good_outputs):
    data_dir, folder, out = starting_state(tmp_path, good_outputs)
    target = folder / "petitions.csv"
    target.chmod(0)
    prefix = unprivileged_prefix(target, READ_FILE)
    before = tree_digest(out)
    result = run_render("--data-dir", str(data_dir), "--township", "sample", "--month", SAMPLE_MONTH,
                        "--out", str(out), prefix=prefix)
    line = assert_rejected(result, ("文件 petitions.csv", "无法读取文件"))
    assert tree_digest(out) == before
    reason = line.split("无法读取文件", 1)[1]
    assert not re.search(r"[A-Za-z]{4,}", reason), f"the reason is not in Chinese: {line}"


# --- the one accepted oddity: tables in different encodings ---------------------------------------------


def test_mixed_encodings_across_files_are_accepted(tmp_path, good_outputs):
    data_dir, folder, out = starting_state(tmp_path, good_outputs)
    villages = folder / "villages.csv"
    write_rows(villages, read_rows(villages), encoding="gb18030")  # as Excel in China saves it
    raw = villages.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert (folder / "monthly.csv").read_bytes().decode("utf-8")  # the others stay UTF-8
    result = run_render("--data-dir", str(data_dir), "--township", "sample", "--month", SAMPLE_MONTH,
                        "--out", str(out), "--jobs", "2")
    assert result.returncode == EXIT_OK, f"{result.stdout}\n{result.stderr}"
    html = (out / "sample" / SAMPLE_MONTH / "report.html").read_text(encoding="utf-8")
    with villages.open(encoding="gb18030", newline="") as f:
        names = [r[0] for r in list(csv.reader(f))[1:]]
    for village in names:
        assert village in html  # village names decoded, not mojibake
    assert "\ufffd" not in html


# --- an outputs folder that cannot be written ----------------------------------------------------------------

def test_out_that_is_a_file(tmp_path):
    data_dir = tmp_path / "data"
    copy_sample(data_dir)
    out = tmp_path / "outputs"
    out.write_text("不是目录\n", encoding="utf-8")
    result = run_render("--data-dir", str(data_dir), "--township", "sample", "--month", SAMPLE_MONTH,
                        "--out", str(out))
    assert_rejected(result, ("--out", str(out)))
    assert out.read_text(encoding="utf-8") == "不是目录\n"


def test_out_that_cannot_be_written(tmp_path, good_outputs):
    _, _, out = starting_state(tmp_path, good_outputs)
    data_dir = tmp_path / "data"
    (data_dir / "sample" / "highlights.csv").write_text("month,area,text\n", encoding="utf-8")  # so it must render
    out.chmod(0o555)
    try:
        prefix = unprivileged_prefix(out, WRITE_IN_DIR)
        before = tree_digest(out)
        result = run_render("--data-dir", str(data_dir), "--township", "sample", "--month", SAMPLE_MONTH,
                            "--out", str(out), "--force", prefix=prefix)
        assert_rejected(result, ("--out", str(out)))
        assert tree_digest(out) == before
    finally:
        out.chmod(0o755)
