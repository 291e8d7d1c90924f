"""Kernels started while the parent validates: only when the render will run notebooks, and never left behind.

A local render forks its workers and has each start its warm kernel before the parent reads and
validates the data (:func:`helpers.pipeline.render.will_render` decides). When the data is then refused,
or every month turns out to be current, the workers and their kernels go before render returns.
"""

from __future__ import annotations

import functools
from pathlib import Path

import psutil  # a dependency of ipykernel and distributed
import pytest

from helpers.exceptions import DataValidationError
from helpers.pipeline import render as render_module
from helpers.pipeline.render import render, will_render

TINY = Path(__file__).resolve().parent / "fixtures" / "notebooks" / "tiny"


def report(out: Path, township: str, month: str) -> None:
    folder = out / township / month
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")


def test_will_render_only_when_a_report_is_missing_or_forced(tmp_path):
    out = tmp_path / "out"
    assert will_render(out, ["sample"], None, force=False)  # nothing rendered yet
    assert will_render(out, ["sample"], ["2018-08"], force=False)
    report(out, "sample", "2018-08")
    assert not will_render(out, ["sample"], None, force=False)  # its latest month may be current
    assert not will_render(out, ["sample"], ["2018-08"], force=False)
    assert will_render(out, ["sample"], ["2018-08"], force=True)
    assert will_render(out, ["sample"], ["2018-07", "2018-08"], force=False)
    assert will_render(out, ["sample", "qingshi"], None, force=False)


def descendants() -> set[int]:
    """This process's live child processes, all the way down (kernels are the workers' children)."""
    found = set()
    for p in psutil.Process().children(recursive=True):
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                found.add(p.pid)
        except psutil.NoSuchProcess:
            pass
    return found


class CountingExecutors:
    """Wraps ``make_executor`` to record what each render started."""

    def __init__(self, monkeypatch):
        self.started: list[str | None] = []
        real = render_module.make_executor

        def make(scheduler, jobs):
            executor = real(scheduler, jobs)
            start = executor.start

            def recorded_start(warm_cwd=None):
                self.started.append(warm_cwd)
                start(warm_cwd) if warm_cwd is not None else start()
            executor.start = recorded_start
            return executor

        monkeypatch.setattr(render_module, "make_executor", make)


@pytest.mark.e2e
def test_refused_data_stops_the_kernels_started_early(sample_copy, tmp_path, monkeypatch):
    executors, before = CountingExecutors(monkeypatch), descendants()
    monthly = sample_copy / "sample" / "monthly.csv"
    lines = monthly.read_text(encoding="utf-8").splitlines(keepends=True)
    monthly.write_text("".join(lines[:1] + [lines[1].replace(",", ",不是数字", 1)] + lines[2:]), encoding="utf-8")
    with pytest.raises(DataValidationError):
        render(sample_copy, ["sample"], month="2018-08", out=tmp_path / "out", jobs=2, notebooks_dir=TINY,
               progress=False, say=lambda text, err: None)
    assert executors.started == [str(TINY.resolve())], "the kernels were not started while validating"
    assert descendants() - before == set(), "a worker or kernel outlived the refused render"


@pytest.mark.e2e
def test_current_month_starts_no_kernel_and_a_new_one_starts_them_early(sample_copy, tmp_path, monkeypatch):
    executors, before = CountingExecutors(monkeypatch), descendants()
    quiet = functools.partial(render, sample_copy, ["sample"], out=tmp_path / "out", jobs=2, notebooks_dir=TINY,
                              progress=False, say=lambda text, err: None)
    assert quiet(month="2018-08").rendered == ("sample/2018-08",)
    assert executors.started == [str(TINY.resolve())]
    assert quiet(month="2018-08").skipped == ("sample/2018-08",)
    assert executors.started == [str(TINY.resolve())], "a render with nothing to do started workers"
    assert descendants() - before == set()
