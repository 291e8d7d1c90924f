"""Excel as people really fill it in (issue 11, item 4), through ``python -m helpers import``.

Each case edits the sample written as a workbook the way Excel/WPS users do: merged cells, a 95%
typed into a percent-formatted cell, a hidden sheet, a formula never calculated, an old .xls, a
CSV renamed .xlsx, a damaged file. Sheets are found by the table's Chinese name or its English one.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from helpers.cli import EXIT_INVALID, EXIT_OK, main
from helpers.config import DATA_DIR
from helpers.data.periods import as_month
from helpers.data.schema import TABLES_BY_NAME
from helpers.data.township import load_township
from helpers.data.workbook.writing import write_workbook
from tests.builders import tree_hash

ENGLISH_WORDS = re.compile(r"\b(File|zip|Error|not|is|Traceback)\b")


def sheet(book, table: str):
    """The sheet of a table, whether the workbook names it in Chinese or in English."""
    zh = TABLES_BY_NAME[table].zh
    return book[zh] if zh in book.sheetnames else book[table]




@pytest.fixture(scope="module")
def sample_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("excel") / "sample.xlsx"
    write_workbook(DATA_DIR / "sample", path)
    return path


def run_import(book: Path, data_dir: Path, capsys, township: str = "t") -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["import", str(book), "--township", township, "--data-dir", str(data_dir)])
    out = capsys.readouterr()
    return code, out.out, out.err


def same_village_rows(ws) -> int:
    """The first sheet row whose village equals the next row's (a natural place to merge)."""
    rows = list(ws.iter_rows(min_row=2, min_col=2, max_col=2, values_only=True))
    return next(i + 2 for i in range(len(rows) - 1) if rows[i][0] and rows[i][0] == rows[i + 1][0])


@pytest.mark.e2e
def test_merged_village_cells_fill_every_row_and_the_import_says_so(sample_book, tmp_path, capsys):
    book = openpyxl.load_workbook(sample_book)
    ws = sheet(book, "households")  # households of one village, one after the other
    r = same_village_rows(ws)
    village = ws.cell(r, 2).value
    ws.cell(r + 1, 2).value = None
    ws.merge_cells(start_row=r, start_column=2, end_row=r + 1, end_column=2)
    book.save(tmp_path / "merged.xlsx")
    code, out, err = run_import(tmp_path / "merged.xlsx", tmp_path / "d", capsys)
    assert code == EXIT_OK, err
    assert f"B{r}:B{r + 1} 是合并单元格" in out
    households = load_township(tmp_path / "d", "t").households
    assert list(households.loc[[r - 2, r - 1], "village"]) == [village, village]


@pytest.mark.e2e
def test_merged_cells_across_columns_are_refused_with_the_range(sample_book, tmp_path, capsys):
    book = openpyxl.load_workbook(sample_book)
    sheet(book, "monthly").merge_cells("B5:C5")
    book.save(tmp_path / "across.xlsx")
    code, _, err = run_import(tmp_path / "across.xlsx", tmp_path / "d", capsys)
    assert code == EXIT_INVALID
    assert "B5:C5" in err and "取消合并" in err
    assert not (tmp_path / "d").exists()


@pytest.mark.e2e
def test_a_percent_formatted_cell_is_read_as_shown(sample_book, tmp_path, capsys):
    book = openpyxl.load_workbook(sample_book)
    cell = sheet(book, "project_progress")["D2"]  # progress_pct
    cell.value, cell.number_format = 0.95, "0%"  # what Excel stores when 95% is typed
    book.save(tmp_path / "pct.xlsx")
    code, out, err = run_import(tmp_path / "pct.xlsx", tmp_path / "d", capsys)
    assert code == EXIT_OK, err
    assert "百分比格式" in out
    assert load_township(tmp_path / "d", "t").project_progress.loc[0, "progress_pct"] == 95


@pytest.mark.e2e
def test_a_hidden_table_sheet_is_refused_by_name(sample_book, tmp_path, capsys):
    book = openpyxl.load_workbook(sample_book)
    ws = sheet(book, "monthly")
    ws.sheet_state = "hidden"
    book.save(tmp_path / "hidden.xlsx")
    code, _, err = run_import(tmp_path / "hidden.xlsx", tmp_path / "d", capsys)
    assert code == EXIT_INVALID
    assert f"工作表“{ws.title}”是隐藏的" in err
    assert not (tmp_path / "d").exists()


@pytest.mark.e2e
def test_another_hidden_sheet_is_named_as_not_read(sample_book, tmp_path, capsys):
    book = openpyxl.load_workbook(sample_book)
    book.create_sheet("旧数据").sheet_state = "hidden"
    book.save(tmp_path / "extra.xlsx")
    code, out, err = run_import(tmp_path / "extra.xlsx", tmp_path / "d", capsys)
    assert code == EXIT_OK, err
    assert "隐藏的工作表“旧数据”没有读取" in out


@pytest.mark.e2e
def test_a_formula_without_a_cached_value_is_refused(sample_book, tmp_path, capsys):
    book = openpyxl.load_workbook(sample_book)
    sheet(book, "monthly")["D3"] = "=D2*2"  # openpyxl, like some tools, saves no computed value
    book.save(tmp_path / "formula.xlsx")
    code, _, err = run_import(tmp_path / "formula.xlsx", tmp_path / "d", capsys)
    assert code == EXIT_INVALID
    assert "第 3 行" in err and "=D2*2" in err
    assert "公式没有计算结果，请在 Excel/WPS 中打开并保存后再导入" in err
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize(("content", "expected"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "旧版 Excel（.xls）"),
    ("month,village,indicator,value\n2018-08,高龙村,visits,9\n".encode(), "文本文件"),
    (b"PK\x03\x04" + b"\x00garbage" * 40, "工作簿已损坏"),
    (b"\x00\x01\x02\x03" * 100, "文件已损坏或不是 Excel 工作簿"),
], ids=["xls", "csv-renamed", "damaged-zip", "binary"])
def test_files_that_are_not_workbooks_get_a_chinese_message(tmp_path, capsys, content, expected):
    path = tmp_path / "数据.xlsx"
    path.write_bytes(content)
    code, _, err = run_import(path, tmp_path / "d", capsys)
    assert code == EXIT_INVALID
    assert expected in err
    assert not ENGLISH_WORDS.search(err), err
    assert not (tmp_path / "d").exists()


@pytest.mark.e2e
def test_a_rejected_workbook_leaves_the_township_untouched(sample_book, sample_copy, tmp_path, capsys):
    book = openpyxl.load_workbook(sample_book)
    sheet(book, "monthly").sheet_state = "hidden"
    book.save(tmp_path / "hidden.xlsx")
    before = tree_hash(sample_copy)
    code, _, _ = run_import(tmp_path / "hidden.xlsx", sample_copy, capsys, township="sample")
    assert code == EXIT_INVALID
    assert tree_hash(sample_copy) == before


@pytest.mark.e2e
def test_hidden_rows_are_read_and_named(sample_book, tmp_path, capsys):
    book = openpyxl.load_workbook(sample_book)
    ws = sheet(book, "monthly")
    ws.row_dimensions[4].hidden = True
    book.save(tmp_path / "rows.xlsx")
    code, out, err = run_import(tmp_path / "rows.xlsx", tmp_path / "d", capsys)
    assert code == EXIT_OK, err
    assert f"工作表“{ws.title}”第 4 行是隐藏的，已照常导入" in out


@pytest.mark.e2e
def test_in_a_fresh_interpreter_a_bad_workbook_exits_2_without_a_traceback(sample_book, tmp_path):
    """``python -m helpers import`` itself, as a clerk runs it: exit 2, Chinese, nothing written."""
    import subprocess
    import sys

    from conftest_proof import cli_env

    from helpers.config import ROOT

    book = openpyxl.load_workbook(sample_book)
    sheet(book, "monthly")["D3"] = "=D2*2"
    book.save(tmp_path / "formula.xlsx")
    result = subprocess.run([sys.executable, "-m", "helpers", "import", str(tmp_path / "formula.xlsx"),
                             "--township", "t", "--data-dir", str(tmp_path / "d")], cwd=ROOT, env=cli_env(),
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == EXIT_INVALID
    assert "公式没有计算结果" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "d").exists()


# --- the same through the real command line: ``python -m helpers import`` in a fresh interpreter ------------


def cli_import(book: Path, data_dir: Path, township: str = "t"):
    import subprocess
    import sys

    from conftest_proof import cli_env

    from helpers.config import ROOT

    return subprocess.run([sys.executable, "-m", "helpers", "import", str(book), "--township", township,
                           "--data-dir", str(data_dir)], cwd=ROOT, env=cli_env(), capture_output=True, text=True,
                          encoding="utf-8", timeout=600)


@pytest.mark.e2e
def test_in_a_fresh_interpreter_merged_and_percent_cells_give_the_samples_figures(sample, sample_book, tmp_path):
    """One import of a workbook filled in as people do: merged village cells, 95% typed, a hidden old sheet."""
    import pandas as pd

    from helpers.analysis.progress import indicator_progress

    book = openpyxl.load_workbook(sample_book)
    ws = sheet(book, "monthly")
    rows = sorted(ws.iter_rows(min_row=2, values_only=True), key=lambda v: (v[1] or "", v[0], v[2]))
    for i, values in enumerate(rows, 2):  # one block per village, as a clerk who fills village by village
        for j, value in enumerate(values, 1):
            ws.cell(i, j).value = value
    village = sample.villages["village"].iloc[0]
    block = [i for i, values in enumerate(rows, 2) if values[1] == village]
    r, last = block[0], block[-1]
    for row in block[1:]:
        ws.cell(row, 2).value = None  # what Excel keeps of a merged range: the value in its first cell only
    ws.merge_cells(start_row=r, start_column=2, end_row=last, end_column=2)
    cell = sheet(book, "project_progress")["D2"]
    shown = sample.project_progress.loc[0, "progress_pct"]
    cell.value, cell.number_format = shown / 100, "0%"
    book.create_sheet("旧数据").sheet_state = "hidden"
    book.save(tmp_path / "filled.xlsx")
    result = cli_import(tmp_path / "filled.xlsx", tmp_path / "d")
    assert result.returncode == EXIT_OK, result.stderr
    assert f"B{r}:B{last} 是合并单元格" in result.stdout
    assert "百分比格式" in result.stdout and "隐藏的工作表“旧数据”没有读取" in result.stdout
    imported = load_township(tmp_path / "d", "t")
    def by_key(frame):
        return frame.sort_values(["month", "indicator", "village"], na_position="first").reset_index(drop=True)

    pd.testing.assert_frame_equal(by_key(imported.monthly), by_key(sample.monthly))  # no township rows made
    assert imported.project_progress.loc[0, "progress_pct"] == shown  # 95, not 0.95
    pd.testing.assert_frame_equal(indicator_progress(imported, as_month("2018-08")),
                                  indicator_progress(sample, as_month("2018-08")))


@pytest.mark.e2e
def test_in_a_fresh_interpreter_a_hidden_table_sheet_is_refused(sample_book, tmp_path):
    book = openpyxl.load_workbook(sample_book)
    ws = sheet(book, "monthly")
    ws.sheet_state = "hidden"
    corrected = book.copy_worksheet(ws)  # the visible corrected copy a clerk made beside it
    corrected.sheet_state = "visible"
    book.save(tmp_path / "hidden.xlsx")
    result = cli_import(tmp_path / "hidden.xlsx", tmp_path / "d")
    assert result.returncode == EXIT_INVALID, result.stdout
    assert f"工作表“{ws.title}”是隐藏的" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "d").exists()


@pytest.mark.e2e
@pytest.mark.parametrize(("content", "expected"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "旧版 Excel（.xls）"),
    ("month,village,indicator,value\n2018-08,高龙村,visits,9\n".encode(), "文本文件"),
    (b"PK\x03\x04" + b"\x00garbage" * 40, "工作簿已损坏"),
], ids=["xls", "csv-renamed", "damaged-zip"])
def test_in_a_fresh_interpreter_openpyxl_messages_do_not_reach_the_user(tmp_path, content, expected):
    path = tmp_path / "数据.xlsx"
    path.write_bytes(content)
    result = cli_import(path, tmp_path / "d")
    assert result.returncode == EXIT_INVALID
    assert expected in result.stderr and "数据.xlsx" in result.stderr
    assert not ENGLISH_WORDS.search(result.stderr), result.stderr
    assert not (tmp_path / "d").exists()
