"""Work done in the render's worker processes: executing one notebook, finishing one month, the pool.

Results are plain data: the project's exceptions carry keyword-only context that does not survive
pickling back to the parent.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.util
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from helpers.exceptions import NotebookRenderError
from helpers.pipeline.jobs import MonthJob
from helpers.pipeline.kernels import WarmKernel

CELL_TIMEOUT_SECONDS = 900
"""A cell running longer than this is taken as hung and fails the notebook."""
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
"""The kernel's own start-up warnings are for developers, not for the render's output."""

LOADED_TOWNSHIPS: dict[tuple[str, str], object] = {}
"""Townships loaded by the parent; forked workers inherit them instead of loading them again."""


@dataclass(frozen=True)
class NotebookOutcome:
    name: str
    path: str
    seconds: float
    error: tuple | None = None  # NotebookRenderError arguments when the notebook failed


_WORKER = {"busy": False, "interrupted": False}


def worker_init() -> None:
    """Signals in a worker: Ctrl+C stops the task at hand (once) and is ignored while idle.

    So the pool shuts down cleanly instead of printing a traceback per worker; SIGTERM kills.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, _worker_sigint)


def _worker_sigint(signum, frame) -> None:
    if _WORKER["busy"] and not _WORKER["interrupted"]:
        _WORKER["interrupted"] = True
        logging.disable(logging.CRITICAL)  # the kernel's death throes are not news to whoever pressed Ctrl+C
        raise KeyboardInterrupt


@contextmanager
def _busy():
    _WORKER.update(busy=True, interrupted=False)
    try:
        yield
    finally:
        _WORKER["busy"] = False


_KERNELS: dict[tuple[str, int], WarmKernel] = {}
"""This worker's warm kernels by the folder they run in and the thread using them (one in a pool worker)."""


def warm_kernel(cwd: str) -> WarmKernel:
    """The worker's kernel for ``cwd`` (and this thread), created on first use and shut down when the worker exits."""
    key = (cwd, threading.get_ident())  # a Dask worker may run tasks on several threads: one kernel each
    if key not in _KERNELS:
        kernel = _KERNELS[key] = WarmKernel(Path(cwd), KERNEL_ARGUMENTS)
        # Pool workers leave through multiprocessing's exit handlers, not atexit. A worker killed outright
        # leaves its kernel to ipykernel's parent poller, which stops it when the worker is gone.
        multiprocessing.util.Finalize(kernel, kernel.shutdown, exitpriority=10)
    return _KERNELS[key]


def execute_task(source: str, output: str, parameters: dict, failed_dir: str, cwd: str,
                 warm: bool = True) -> NotebookOutcome:
    from helpers.pipeline.execute import execute_notebook

    started = time.perf_counter()
    try:
        with _busy():
            done = execute_notebook(Path(source), Path(output), parameters, Path(failed_dir), cwd=Path(cwd),
                                    timeout=CELL_TIMEOUT_SECONDS, extra_arguments=KERNEL_ARGUMENTS,
                                    kernel=warm_kernel(cwd) if warm else None)
    except NotebookRenderError as exc:
        return NotebookOutcome(Path(source).name, output, time.perf_counter() - started,
                               (exc.notebook, exc.cell, exc.ename, exc.evalue, exc.saved_to))
    return NotebookOutcome(done.name, str(done.path), done.seconds)


def finish_task(job: MonthJob, work_dir: str, executed: tuple[str, ...], fingerprint, generated_at: datetime,
                 notebooks_dir: str, seconds: dict[str, float], parameters: dict | None = None) -> str | None:
    """Summary workbook, Word copy, stitched report and fingerprint into ``work_dir``; an error message or None.

    ``parameters`` are recorded instead of the job's (a cluster worker runs the month on its own copy).
    """
    try:
        with _busy():
            _finish(job, Path(work_dir), executed, fingerprint, generated_at, Path(notebooks_dir), seconds,
                    parameters)
    except Exception as exc:  # reported as this month's failure; the other months go on
        return f"{job.key} 的报告拼接失败：{type(exc).__name__}: {exc}"
    return None


def _finish(job: MonthJob, work_dir: Path, executed: tuple[str, ...], fingerprint, generated_at: datetime,
            notebooks_dir: Path, seconds: dict[str, float], parameters: dict | None = None) -> None:
    from helpers.pipeline.fingerprint import write_stored
    from helpers.pipeline.stitch import Cover, cover_figures, stitch_report
    from helpers.report.docx_report import write_docx
    from helpers.report.summary import month_key_figures, write_summary

    tw = _township(job.data_dir, job.township)
    figures = month_key_figures(tw, job.month)
    write_summary(figures, work_dir / "summary.xlsx", title=f"{tw.name}工作月报（{job.month}）关键指标",
                  township=tw.name, month=job.month, generated_at=generated_at, areas=tw.areas)
    write_docx(tw, job.month, work_dir / "report.docx", generated_at=generated_at)
    cover = Cover(tw.name, str(tw.profile.get("county") or ""), job.month, generated_at, cover_figures(figures))
    stitch_report([Path(p) for p in executed], cover, work_dir / "report.html", notebooks_dir)
    write_stored(work_dir, fingerprint, {
        "township": job.township, "township_name": tw.name, "month": job.month,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "notebooks": [Path(p).name for p in executed], "parameters": parameters or job.parameters,
        "seconds": {name: round(value, 2) for name, value in seconds.items()},
    })


WORKER_LOADED_LIMIT = 32
"""A long-lived (cluster) worker keeps at most this many townships it loaded itself: each new version of a
township's data arrives in a folder of its own, so without a bound the worker's memory only grows."""


def _township(data_dir: Path, name: str):
    key = (str(data_dir), name)
    if key not in LOADED_TOWNSHIPS:
        from helpers.data.township import load_township

        while len(LOADED_TOWNSHIPS) >= WORKER_LOADED_LIMIT:
            LOADED_TOWNSHIPS.pop(next(iter(LOADED_TOWNSHIPS)))  # the oldest first
        LOADED_TOWNSHIPS[key] = load_township(data_dir, name)
    return LOADED_TOWNSHIPS[key]


def make_pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes; forked where possible so they inherit the loaded townships and imports."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=worker_init)


def interrupt_workers(pool: ProcessPoolExecutor) -> None:
    """Pass an interrupt on to the workers (it reached only this process when sent with ``kill``)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            try:
                os.kill(process.pid, signal.SIGINT)
            except ProcessLookupError:
                pass
