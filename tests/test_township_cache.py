"""load_township_cached: one load per process while the files are unchanged, a private copy for each caller."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.data import township as township_module
from helpers.data.township import load_township, load_township_cached
from helpers.exceptions import DataValidationError


def test_a_second_call_does_not_read_the_files_again_and_gets_its_own_copy(sample_copy, monkeypatch):
    first = load_township_cached(sample_copy, "sample")
    monkeypatch.setattr(township_module, "load_township", lambda *a, **k: pytest.fail("loaded twice"))
    second = load_township_cached(sample_copy, "sample", "2018-08")
    assert second is not first and second.monthly is not first.monthly
    first.monthly.loc[:, "value"] = 0  # what one notebook does to its data stays its own
    assert second.monthly["value"].sum() > 0
    assert second.monthly.equals(load_township(sample_copy, "sample").monthly)


def test_an_edited_table_is_read_again(sample_copy):
    before = load_township_cached(sample_copy, "sample")
    path = sample_copy / "sample" / "township.yaml"
    text = path.read_text(encoding="utf-8")
    assert "XX镇" in text
    path.write_text(text.replace("XX镇", "YY镇"), encoding="utf-8")  # same size: only the mtime tells
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = load_township_cached(sample_copy, "sample")
    assert (before.name, after.name) == ("XX镇", "YY镇")


def test_a_month_without_data_is_refused_as_by_load_township(sample_copy):
    load_township_cached(sample_copy, "sample")
    with pytest.raises(DataValidationError) as cached:
        load_township_cached(sample_copy, "sample", "2019-01")
    with pytest.raises(DataValidationError) as direct:
        load_township(sample_copy, "sample", "2019-01")
    assert str(cached.value) == str(direct.value)


def test_a_long_lived_worker_keeps_a_bounded_number_of_townships(monkeypatch):
    import helpers.data.township as township_module
    from helpers.pipeline import tasks

    monkeypatch.setattr(tasks, "LOADED_TOWNSHIPS", {})
    monkeypatch.setattr(township_module, "load_township", lambda data_dir, name: (str(data_dir), name))
    for i in range(tasks.WORKER_LOADED_LIMIT + 5):
        assert tasks._township(Path(f"/data/v{i}"), "sample") == (f"/data/v{i}", "sample")
    assert len(tasks.LOADED_TOWNSHIPS) == tasks.WORKER_LOADED_LIMIT
    assert ("/data/v0", "sample") not in tasks.LOADED_TOWNSHIPS  # the oldest went first
    assert (f"/data/v{tasks.WORKER_LOADED_LIMIT + 4}", "sample") in tasks.LOADED_TOWNSHIPS
