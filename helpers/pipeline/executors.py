"""Where the render's tasks run: local worker processes, or a Dask distributed cluster (``--scheduler``).

Both hand the :class:`~helpers.pipeline.scheduler.Scheduler` the same small interface: ``slots`` (how many
tasks to keep running), ``submit(fn, *args)`` returning a ``concurrent.futures.Future``, ``interrupt()``
and ``shutdown()``. ``per_month`` says what a task is: locally one notebook (the months of a batch
interleave on the local processes and share the parent's disk); on a cluster one whole township-month,
executed and stitched on the worker from data shipped as bytes, its files returned as bytes (no shared
disk). The scheduler publishes either way.
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from helpers.exceptions import ReportError

CONNECT_TIMEOUT = "20s"


class LocalExecutor:
    """Worker processes on this machine (forked, so they inherit the loaded townships), one notebook a task."""

    per_month = False
    broken = (BrokenProcessPool,)

    def __init__(self, jobs: int):
        self.slots = jobs
        self.pool = None

    def start(self, warm_cwd: str | None = None) -> None:
        """Fork the workers; with ``warm_cwd``, each also starts its warm kernel for that folder now."""
        from helpers.pipeline.tasks import make_pool, start_kernel_task

        self.pool = make_pool(self.slots)
        self.pool.submit(os.getpid).result()  # fork the workers now, before any month lock is held
        if warm_cwd is not None:
            # One task per worker: each blocks its worker until its kernel is up, so the next goes to another.
            for _ in range(self.slots):
                self.pool.submit(start_kernel_task, warm_cwd)

    def submit(self, fn, *args) -> Future:
        return self.pool.submit(fn, *args)

    def interrupt(self) -> None:
        from helpers.pipeline.tasks import interrupt_workers

        interrupt_workers(self.pool)

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """A dask.distributed cluster at ``address`` (``tcp://HOST:8786``), one township-month a task.

    A task is never retried by the client; a worker lost with its task fails that task's month only. (The
    scheduler may itself re-run a lost worker's task elsewhere up to its ``allowed-failures`` setting.)
    """

    per_month = True
    broken: tuple[type[BaseException], ...] = ()

    def __init__(self, address: str):
        self.address = address
        self.client = None
        self.executor = None
        self.slots = 1

    def start(self) -> None:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - pinned in requirements.txt
            raise ReportError("使用 --scheduler 需要安装 distributed（见 requirements.txt）") from exc
        try:
            self.client = Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ReportError(f"无法连接 Dask 调度器 {self.address}：{exc}") from exc
        threads = sum(self.client.nthreads().values())
        if threads < 1:
            self.client.close()
            raise ReportError(f"Dask 调度器 {self.address} 上没有可用的工作进程（dask worker）")
        self.slots = threads
        self.executor = self.client.get_executor(pure=False, retries=0)

    def submit(self, fn, *args) -> Future:
        return self.executor.submit(fn, *args)

    def interrupt(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False)

    def shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False)
        if self.client is not None:
            self.client.close()


def make_executor(scheduler: str | None, jobs: int):
    """The executor for a render: a Dask cluster when ``scheduler`` is given, else ``jobs`` local processes."""
    return DaskExecutor(scheduler) if scheduler else LocalExecutor(jobs)
