"""load_township_cached: one load per process while the files are unchanged, a private copy for each caller."""

from __future__ import annotations

import os

import pytest

from helpers.data import township as township_module
from helpers.data.township import adopt_loaded, cache_key, load_township, load_township_cached, share_loaded
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


def test_a_long_lived_process_keeps_a_bounded_number_of_townships(tmp_path, monkeypatch):
    monkeypatch.setattr(township_module, "_LOADED", {})
    monkeypatch.setattr(township_module, "load_township", lambda data_dir, name: (str(data_dir), name))
    limit = township_module.CACHED_TOWNSHIPS
    for i in range(limit + 5):
        (tmp_path / f"v{i}" / "sample").mkdir(parents=True)
        assert load_township_cached(tmp_path / f"v{i}", "sample") == (str(tmp_path / f"v{i}"), "sample")
    folders = [key[0] for key in township_module._LOADED]
    assert len(folders) == limit
    assert str((tmp_path / "v0" / "sample").resolve()) not in folders  # the oldest went first
    assert folders[-1] == str((tmp_path / f"v{limit + 4}" / "sample").resolve())


# --- townships validated once per render: the parent shares them, workers and kernels adopt them


def test_an_adopted_township_is_not_read_or_validated_again(sample_copy, tmp_path, monkeypatch):
    key = cache_key(sample_copy, "sample")
    validated = load_township(sample_copy, "sample")
    share_loaded({key: validated}, tmp_path / "shared.pickle")
    monkeypatch.setattr(township_module, "_LOADED", {})
    monkeypatch.setattr(township_module, "_ADOPTED", set())
    monkeypatch.setattr(township_module, "load_township", lambda *a, **k: pytest.fail("validated again"))
    adopt_loaded(tmp_path / "shared.pickle")
    adopted = load_township_cached(sample_copy, "sample", "2018-08")
    assert adopted.name == validated.name and adopted.monthly.equals(validated.monthly)
    assert adopted.report == validated.report


def test_an_adopted_township_whose_files_changed_since_is_loaded_again(sample_copy, tmp_path, monkeypatch):
    key = cache_key(sample_copy, "sample")
    share_loaded({key: load_township(sample_copy, "sample")}, tmp_path / "shared.pickle")
    path = sample_copy / "sample" / "township.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("XX镇", "YY镇"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    monkeypatch.setattr(township_module, "_LOADED", {})
    monkeypatch.setattr(township_module, "_ADOPTED", set())
    adopt_loaded(tmp_path / "shared.pickle")
    assert load_township_cached(sample_copy, "sample").name == "YY镇"


@pytest.mark.notebook
def test_a_kernel_given_the_shared_file_has_the_township_before_the_notebook_runs(sample_copy, tmp_path):
    import nbformat

    from helpers.pipeline.execute import execute_notebook
    from helpers.pipeline.kernels import WarmKernel
    from helpers.pipeline.tasks import KERNEL_ARGUMENTS, adopt_code

    key = cache_key(sample_copy, "sample")
    share_loaded({key: load_township(sample_copy, "sample")}, tmp_path / "shared.pickle")
    source = tmp_path / "probe.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import helpers.data.township as t\nprint(sorted(k[1] for k in t._LOADED))")]
    nbformat.write(nb, str(source))
    kernel = WarmKernel(tmp_path, KERNEL_ARGUMENTS)
    try:
        plain = execute_notebook(source, tmp_path / "plain.ipynb", {}, tmp_path / "failed", kernel=kernel)
        given = execute_notebook(source, tmp_path / "given.ipynb", {}, tmp_path / "failed", kernel=kernel,
                                 setup=adopt_code(str(tmp_path / "shared.pickle")))
    finally:
        kernel.shutdown()

    def printed(path):
        cells = nbformat.read(str(path), as_version=4).cells
        return [o.get("text", "") for c in cells if c.cell_type == "code" for o in c.get("outputs", [])]

    assert printed(plain.path) == ["[]\n"]
    assert printed(given.path) == ["['sample']\n"]  # the setup itself printed nothing into the notebook
