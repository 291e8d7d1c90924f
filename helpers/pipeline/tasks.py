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
import warnings
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
        warnings.simplefilter("ignore")  # nor are asyncio's about coroutines the interrupt cut short
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


def start_kernel_task(cwd: str) -> None:
    """Start this worker's warm kernel for ``cwd`` ahead of its first notebook (a failure shows there)."""
    try:
        with _busy():
            kernel = warm_kernel(cwd)
            if not kernel.alive:
                kernel.start()
    except Exception:  # the first notebook starts it again and reports what went wrong
        pass


def adopt_code(shared: str | None) -> str:
    """Kernel code taking the townships the parent validated (:func:`helpers.data.township.share_loaded`)."""
    if not shared:
        return ""
    return f"import helpers.data.township as _t\n_t.adopt_loaded({shared!r})\ndel _t\n"


def execute_task(source: str, output: str, parameters: dict, failed_dir: str, cwd: str,
                 warm: bool = True, shared: str | None = None) -> NotebookOutcome:
    """Execute one notebook; ``shared`` is the file of the townships the parent validated, if any."""
    from helpers.pipeline.execute import execute_notebook

    started = time.perf_counter()
    try:
        with _busy():
            done = execute_notebook(Path(source), Path(output), parameters, Path(failed_dir), cwd=Path(cwd),
                                    timeout=CELL_TIMEOUT_SECONDS, extra_arguments=KERNEL_ARGUMENTS,
                                    kernel=warm_kernel(cwd) if warm else None, setup=adopt_code(shared))
    except NotebookRenderError as exc:
        return NotebookOutcome(Path(source).name, output, time.perf_counter() - started,
                               (exc.notebook, exc.cell, exc.ename, exc.evalue, exc.saved_to))
    return NotebookOutcome(done.name, str(done.path), done.seconds)


def documents_task(job: MonthJob, work_dir: str, generated_at: datetime, shared: str | None = None) -> str | None:
    """The summary workbook and the Word copy into ``work_dir``; an error message or None.

    They need the data, not the notebooks: locally this runs beside the month's notebooks.
    """
    try:
        with _busy():
            _documents(job, Path(work_dir), generated_at, shared)
    except Exception as exc:  # reported as this month's failure; the other months go on
        return f"{job.key} 的汇总表或 Word 文档生成失败：{type(exc).__name__}: {exc}"
    return None


def finish_task(job: MonthJob, work_dir: str, executed: tuple[str, ...], fingerprint, generated_at: datetime,
                notebooks_dir: str, seconds: dict[str, float], parameters: dict | None = None,
                shared: str | None = None, documents: bool = True) -> str | None:
    """Stitched report and fingerprint into ``work_dir`` (with ``documents``, the Word and Excel copies first).

    An error message or None. ``parameters`` are recorded instead of the job's (a cluster worker runs
    the month on its own copy); ``shared`` is the file of the townships the parent validated, if any.
    """
    try:
        with _busy():
            if documents:
                _documents(job, Path(work_dir), generated_at, shared)
            _finish(job, Path(work_dir), executed, fingerprint, generated_at, Path(notebooks_dir), seconds,
                    parameters, shared)
    except Exception as exc:  # reported as this month's failure; the other months go on
        return f"{job.key} 的报告拼接失败：{type(exc).__name__}: {exc}"
    return None


def _documents(job: MonthJob, work_dir: Path, generated_at: datetime, shared: str | None) -> None:
    from helpers.report.docx.writer import write_docx
    from helpers.report.summary import month_key_figures, write_summary

    tw = _township(job.data_dir, job.township, shared)
    write_summary(month_key_figures(tw, job.period), work_dir / "summary.xlsx",
                  title=f"{tw.name}工作月报（{job.month}）关键指标", township=tw.name, month=job.period,
                  generated_at=generated_at, areas=tw.areas)
    write_docx(tw, job.period, work_dir / "report.docx", generated_at=generated_at)


def _finish(job: MonthJob, work_dir: Path, executed: tuple[str, ...], fingerprint, generated_at: datetime,
            notebooks_dir: Path, seconds: dict[str, float], parameters: dict | None, shared: str | None) -> None:
    from helpers.pipeline.fingerprint import write_stored
    from helpers.pipeline.stitch import Cover, cover_figures, stitch_report
    from helpers.report.summary import month_key_figures

    tw = _township(job.data_dir, job.township, shared)
    figures = month_key_figures(tw, job.period)
    cover = Cover(tw.name, str(tw.info.get("county") or ""), job.month, generated_at, cover_figures(figures))
    stitch_report([Path(p) for p in executed], cover, work_dir / "report.html", notebooks_dir)
    write_stored(work_dir, fingerprint, {
        "township": job.township, "township_name": tw.name, "month": job.month,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "notebooks": [Path(p).name for p in executed], "parameters": parameters or job.parameters,
        "seconds": {name: round(value, 2) for name, value in seconds.items()},
    })


def _township(data_dir: Path, name: str, shared: str | None = None):
    from helpers.data.township import adopt_loaded, load_township_cached

    if shared:
        adopt_loaded(shared)
    return load_township_cached(data_dir, name)


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
