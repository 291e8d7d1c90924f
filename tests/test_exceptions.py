"""The project's errors carry their context and survive a trip between processes."""

from __future__ import annotations

import pickle

from helpers.exceptions import (
    DataValidationError,
    ImportInterrupted,
    NotebookRenderError,
    Problem,
    ReportError,
    WriteFailed,
)


def test_problem_reads_as_file_row_column_value_reason():
    problem = Problem("monthly.csv", 3, "value（数值）", "-5", "不能为负数")
    assert str(problem) == "文件 monthly.csv，第 3 行，列 value（数值），值 “-5”：不能为负数"


def test_errors_pickle_with_their_context():
    error = DataValidationError([Problem("a.csv", 2, "x", "1", "原因")])
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems and str(again) == str(error)
    failed = NotebookRenderError("10_party.ipynb", 7, "KeyError", "'x'", "/tmp/f.ipynb")
    again = pickle.loads(pickle.dumps(failed))
    assert (again.notebook, again.cell, again.saved_to) == ("10_party.ipynb", 7, "/tmp/f.ipynb")
    assert str(again) == str(failed) and "第 7 个单元格" in str(again)


def test_import_errors_are_the_projects_and_pickle_with_their_context():
    denied = WriteFailed("data/xx镇", PermissionError(13, "Permission denied"))
    again = pickle.loads(pickle.dumps(denied))
    assert isinstance(again, ReportError) and again.folder == "data/xx镇" and again.error.errno == 13
    assert str(again) == str(denied) == "无法写入 data/xx镇：没有写入权限；原有数据没有改动"
    interrupted = pickle.loads(pickle.dumps(ImportInterrupted()))
    assert isinstance(interrupted, ReportError) and "原有数据没有改动" in str(interrupted)
