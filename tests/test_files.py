"""helpers.files.replacing: the target is either the old file or the complete new one, never half of one."""

from __future__ import annotations

import os
import stat

import pytest

from helpers.files import current_umask, replacing


def test_the_new_file_replaces_the_old_one_with_ordinary_permissions(tmp_path):
    target = tmp_path / "a" / "report.docx"
    with replacing(target) as tmp:
        assert tmp.parent == target.parent and tmp != target
        tmp.write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~current_umask()
    assert os.listdir(target.parent) == ["report.docx"]


def test_an_error_leaves_the_old_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "summary.xlsx"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), replacing(target, ".xlsx") as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["summary.xlsx"]
