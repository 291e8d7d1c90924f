"""The project's errors carry their context and survive a trip between processes."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

from helpers import exceptions
from helpers.config import PACKAGE_DIR
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


def exception_classes_outside(package_dir: Path, layers: tuple[str, ...]) -> list[str]:
    """Classes deriving from an exception (a base named ``…Error``/``…Exception``) outside exceptions.py."""
    found = []
    for layer in layers:
        for path in sorted((package_dir / layer).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in
                         getattr(node, "bases", [])]
                if isinstance(node, ast.ClassDef) and any(b.endswith(("Error", "Exception")) for b in bases):
                    found.append(f"{path.relative_to(package_dir)}:{node.name}")
    return found


def test_the_layers_raise_only_the_projects_errors():
    """Every error class of these layers is in helpers/exceptions.py, under ReportError."""
    assert exception_classes_outside(PACKAGE_DIR, ("data", "analysis", "report", "pipeline")) == []
    errors = [c for c in vars(exceptions).values() if isinstance(c, type) and issubclass(c, Exception)]
    assert {c.__name__ for c in errors if not issubclass(c, exceptions.ReportError)} == set()
    assert "KernelStartError" in {c.__name__ for c in errors}
