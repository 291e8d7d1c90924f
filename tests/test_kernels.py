"""Warm kernels: one kernel runs notebook after notebook, each as if it had the kernel to itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from jupyter_core.utils import run_sync

from helpers.exceptions import NotebookRenderError
from helpers.pipeline.execute import execute_notebook
from helpers.pipeline.kernels import WarmKernel
from helpers.pipeline.render import render
from helpers.pipeline.tasks import KERNEL_ARGUMENTS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notebooks"
LEAK = FIXTURES / "leak"
FAILING = FIXTURES / "failing"

pytestmark = pytest.mark.notebook


@pytest.fixture
def kernel():
    k = WarmKernel(LEAK, KERNEL_ARGUMENTS)
    yield k
    k.shutdown()


def printed_pid(path: Path) -> int:
    nb = nbformat.read(str(path), as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    return int(text.split()[-1])


def execution_counts(path: Path) -> list:
    nb = nbformat.read(str(path), as_version=4)
    return [c.get("execution_count") for c in nb.cells if c.cell_type == "code"]


def test_no_variable_figure_or_setting_of_one_notebook_reaches_the_next(kernel, tmp_path):
    first = execute_notebook(LEAK / "00_leave.ipynb", tmp_path / "a.ipynb", {"marker": "x"}, tmp_path / "failed",
                             kernel=kernel)
    second = execute_notebook(LEAK / "10_check.ipynb", tmp_path / "b.ipynb", {}, tmp_path / "failed", kernel=kernel)
    assert printed_pid(first.path) == printed_pid(second.path)  # the same kernel ran both
    assert kernel.notebooks_run == 2


def test_execution_counts_are_those_of_a_fresh_kernel(kernel, tmp_path):
    execute_notebook(LEAK / "00_leave.ipynb", tmp_path / "a.ipynb", {}, tmp_path / "failed", kernel=kernel)
    warm = execute_notebook(LEAK / "10_check.ipynb", tmp_path / "warm.ipynb", {}, tmp_path / "failed", kernel=kernel)
    fresh = execute_notebook(LEAK / "10_check.ipynb", tmp_path / "fresh.ipynb", {}, tmp_path / "failed",
                             extra_arguments=KERNEL_ARGUMENTS)
    assert execution_counts(warm.path) == execution_counts(fresh.path) == [1, 2]


def test_a_failed_notebook_costs_the_kernel_and_the_next_gets_a_new_one(tmp_path):
    kernel = WarmKernel(FAILING, KERNEL_ARGUMENTS)
    try:
        execute_notebook(FAILING / "00_ok.ipynb", tmp_path / "ok.ipynb", {}, tmp_path / "failed", kernel=kernel)
        first = kernel.manager
        with pytest.raises(NotebookRenderError) as caught:
            execute_notebook(FAILING / "10_fails.ipynb", tmp_path / "fails.ipynb", {"month": "2018-08"},
                             tmp_path / "failed", kernel=kernel)
        assert caught.value.notebook == "10_fails.ipynb" and caught.value.cell is not None
        assert kernel.manager is None and not run_sync(first.is_alive)()
        execute_notebook(FAILING / "00_ok.ipynb", tmp_path / "ok2.ipynb", {}, tmp_path / "failed", kernel=kernel)
        assert kernel.alive and kernel.manager is not first and kernel.notebooks_run == 1
    finally:
        kernel.shutdown()


STYLER_ID = re.compile(r"T_[0-9a-f]{5}")
ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def comparable_outputs(path: Path) -> list:
    """Each code cell's source, count and outputs; random Styler ids, object addresses and timings left out."""
    nb = nbformat.read(str(path), as_version=4)
    cells = []
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        outputs = [{k: v for k, v in o.items() if k != "metadata"} for o in c.get("outputs", [])]
        text = ADDRESS.sub(" at 0x>", STYLER_ID.sub("T_x", json.dumps(outputs, sort_keys=True)))
        cells.append((c.source, c.get("execution_count"), text))
    return cells


def visible_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", html)
    return re.sub(r"\d{4}年\d+月\d+日 \d{2}:\d{2}", "<time>", re.sub(r"\n\s*\n+", "\n", text))


@pytest.mark.e2e
def test_a_month_rendered_in_warm_kernels_equals_one_rendered_in_fresh_kernels(tmp_path):
    warm = render(townships=["sample"], month="2018-08", out=tmp_path / "warm", jobs=2, progress=False)
    fresh = render(townships=["sample"], month="2018-08", out=tmp_path / "fresh", jobs=2, progress=False,
                   warm_kernels=False)
    assert warm.exit_code == fresh.exit_code == 0
    warm_dir, fresh_dir = (tmp_path / k / "sample" / "2018-08" for k in ("warm", "fresh"))
    names = sorted(p.name for p in (fresh_dir / "notebooks").glob("*.ipynb"))
    assert names == sorted(p.name for p in (warm_dir / "notebooks").glob("*.ipynb")) and len(names) >= 5
    for name in names:  # charts included: the same PNG bytes
        assert comparable_outputs(warm_dir / "notebooks" / name) == comparable_outputs(fresh_dir / "notebooks" / name)
    assert visible_text(warm_dir / "report.html") == visible_text(fresh_dir / "report.html")


def test_kernels_talk_over_private_sockets_not_tcp_ports(tmp_path):
    """No two kernels can pick the same address, and the socket folder goes with the kernel.

    CI once lost a render: two workers started kernels at once and one kernel's iopub port, picked
    free by jupyter_client, was taken by the other before the kernel bound it ("Address already in
    use", then "Kernel didn't respond in 60 seconds").
    """
    kernels = [WarmKernel(LEAK, KERNEL_ARGUMENTS) for _ in range(2)]
    try:
        import threading

        threads = [threading.Thread(target=k.start) for k in kernels]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        folders = []
        for k in kernels:
            info = k.manager.get_connection_info()
            assert info["transport"] == "ipc"
            folder = Path(info["ip"]).parent
            assert folder.is_dir() and folder != Path(".") and folder.name.startswith("township-kernel-")
            folders.append(folder)
            run = execute_notebook(LEAK / "10_check.ipynb", tmp_path / f"{len(folders)}.ipynb", {},
                                   tmp_path / "failed", kernel=k)
            assert run.path.is_file()
        assert folders[0] != folders[1]
    finally:
        for k in kernels:
            k.shutdown()
    assert not any(f.exists() for f in folders)


def test_a_fresh_kernel_uses_private_sockets_too(tmp_path, monkeypatch):
    """Without a warm kernel (the county notebook, --no-warm) papermill is still given an ipc kernel."""
    import helpers.pipeline.kernels as kernels_module

    seen = []
    original = kernels_module.WarmKernel.start

    def spy(self):
        original(self)
        seen.append(self.manager.get_connection_info()["transport"])

    monkeypatch.setattr(kernels_module.WarmKernel, "start", spy)
    execute_notebook(LEAK / "10_check.ipynb", tmp_path / "fresh.ipynb", {}, tmp_path / "failed",
                     extra_arguments=KERNEL_ARGUMENTS)
    assert seen == ["ipc"]
