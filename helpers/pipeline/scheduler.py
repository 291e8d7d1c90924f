"""The scheduler: which notebook or month to run next on the executor, and what to do with each result."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from helpers.exceptions import NotebookRenderError
from helpers.files import current_umask
from helpers.pipeline.jobs import MonthJob
from helpers.pipeline.publish import display_path, move_into_place, recover, try_lock, unlock
from helpers.pipeline.remote import MonthOutcome, month_payload, month_task, township_files, write_files
from helpers.pipeline.tasks import NotebookOutcome, documents_task, execute_task, finish_task


@dataclass
class MonthState:
    job: MonthJob
    fingerprint: object
    lock: int | None = None
    work_dir: Path | None = None
    pending: list[Path] = field(default_factory=list)
    running: int = 0
    documents_due: bool = False
    executed: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    finishing: bool = False
    generated_at: datetime | None = None
    announced_wait: bool = False


class Scheduler:
    """Runs the notebooks of the queued months on ``jobs`` processes, stitching each month when done.

    Order of work: a month ready to stitch first, then the next notebook of a month already started, then
    its Word and Excel copies (beside its last notebooks, not after them), then a new month. A month whose
    lock another process holds waits and is retried. ``shared`` is the file of the townships the parent
    validated, which workers and kernels adopt (:func:`helpers.data.township.share_loaded`).
    """

    def __init__(self, queue: list[MonthState], jobs: int, force: bool, notebooks_dir: Path, say, bar,
                 warm_kernels: bool = True, shared: str | None = None):
        self.queue, self.jobs, self.force, self.warm_kernels = deque(queue), jobs, force, warm_kernels
        self.shared = shared
        self.notebooks_dir, self.say, self.bar = notebooks_dir, say, bar
        self.active: list[MonthState] = []
        self.waiting: list[MonthState] = []
        self.futures: dict[Future, tuple[str, MonthState, str]] = {}
        self.rendered: list[str] = []
        self.skipped: list[str] = []
        self.failed: list[str] = []
        self.reports: list[Path] = []
        self.errors: list[str] = []
        self.executed = 0
        self.per_month = False
        self.data_files: dict[str, dict[str, bytes]] = {}

    def run(self, pool) -> None:
        """Keep ``self.jobs`` tasks running on ``pool`` (an executor of :mod:`helpers.pipeline.executors`).

        With ``pool.per_month`` a task is a whole month rendered elsewhere (its files come back as bytes);
        otherwise one notebook, the month's stitching a task of its own.
        """
        self.per_month = bool(getattr(pool, "per_month", False))
        while True:
            self._retry_waiting()
            while len(self.futures) < self.jobs:
                task = self._next_task()
                if task is None:
                    break
                self._submit(pool, *task)
            if not self.futures:
                if not self.waiting:
                    return
                time.sleep(0.2)
                continue
            done, _ = wait(list(self.futures), timeout=0.2 if self.waiting else None, return_when=FIRST_COMPLETED)
            for future in done:
                self._handle(future)

    def cleanup(self) -> None:
        """Remove every work folder still in flight and release its lock (after the pool has stopped)."""
        for m in self.active:
            if m.work_dir is not None:
                shutil.rmtree(m.work_dir, ignore_errors=True)
            if m.lock is not None:
                recover(m.job)  # a swap cut short: the report set aside goes back in place
            unlock(m.lock)
            m.lock = None
        self.active.clear()

    # -- choosing work

    def _next_task(self):
        for m in self.active:
            if (not self.per_month and not m.finishing and not m.failures and not m.pending
                    and not m.documents_due and m.running == 0):
                return ("finish", m, "")
        for m in self.active:
            if m.pending and not m.failures:
                return ("notebook", m, m.pending.pop(0))
        for m in self.active:
            if m.documents_due and not m.failures:
                return ("documents", m, "")
        while self.queue:
            m = self.queue.popleft()
            if self._activate(m):
                if self.per_month:
                    m.pending, m.running = [], len(m.job.notebooks)
                    return ("month", m, "")
                return ("notebook", m, m.pending.pop(0))
        return None

    def _activate(self, m: MonthState) -> bool:
        from helpers.pipeline.fingerprint import is_current

        job = m.job
        m.lock = try_lock(job.lock_path)
        if m.lock is None:
            if not m.announced_wait:
                self.say(f"{job.key} 正由另一个进程生成，等待其完成……")
                m.announced_wait = True
            self.waiting.append(m)
            return False
        recover(job)
        if not self.force and is_current(job.report_dir, m.fingerprint):
            unlock(m.lock)
            m.lock = None
            self.skip(m)
            return False
        m.work_dir = Path(tempfile.mkdtemp(prefix=f".{job.month}.tmp-", dir=job.township_dir))
        os.chmod(m.work_dir, 0o777 & ~current_umask())  # mkdtemp makes it private; the report is not
        (m.work_dir / "notebooks").mkdir()
        shutil.rmtree(job.failed_dir, ignore_errors=True)
        # Longest first, so that the month's last notebook to finish is a short one.
        m.pending = sorted(job.notebooks, key=lambda p: -m.expected.get(p.name, 0.0))
        m.documents_due = not self.per_month
        m.generated_at = datetime.now()
        self.active.append(m)
        return True

    def _retry_waiting(self) -> None:
        for m in list(self.waiting):
            fd = try_lock(m.job.lock_path)
            if fd is not None:
                unlock(fd)
                self.waiting.remove(m)
                self.queue.appendleft(m)

    def _submit(self, pool, kind: str, m: MonthState, notebook) -> None:
        job = m.job
        if kind == "notebook":
            output = m.work_dir / "notebooks" / Path(notebook).name
            future = pool.submit(execute_task, str(notebook), str(output), job.parameters, str(job.failed_dir),
                                 str(self.notebooks_dir), self.warm_kernels, self.shared)
            m.running += 1
        elif kind == "documents":
            future = pool.submit(documents_task, job, str(m.work_dir), m.generated_at, self.shared)
            m.running += 1
            m.documents_due = False
        elif kind == "month":
            payload = month_payload(job, self._data_files(job), m.fingerprint, m.generated_at, self.warm_kernels)
            future = pool.submit(month_task, payload)
            m.finishing = True
        else:
            executed = tuple(m.executed[p.name] for p in job.notebooks)
            future = pool.submit(finish_task, job, str(m.work_dir), executed, m.fingerprint, m.generated_at,
                                 str(self.notebooks_dir), dict(m.seconds), None, self.shared, False)
            m.finishing = True
        self.futures[future] = (kind, m, str(notebook))

    def _data_files(self, job: MonthJob) -> dict[str, bytes]:
        """The township's data files as bytes, read once per render (they go with each of its months)."""
        if job.township not in self.data_files:
            self.data_files[job.township] = township_files(Path(job.data_dir) / job.township)
        return self.data_files[job.township]

    # -- results

    def _handle(self, future: Future) -> None:
        kind, m, notebook = self.futures.pop(future)
        try:
            result = future.result()
        except BaseException as exc:  # the worker process died or could not run the task
            what = {"notebook": Path(notebook).name, "month": "远程渲染", "documents": "汇总表和 Word 文档"}.get(
                kind, "报告拼接")
            result = f"{m.job.key} 的 {what} 未能完成：{type(exc).__name__}: {exc}"
            if kind == "month":
                result = MonthOutcome(failures=(result,))
            if kind == "notebook":
                result = NotebookOutcome(Path(notebook).name, "", 0.0, (Path(notebook).name, None,
                                                                        type(exc).__name__, str(exc), "（无）"))
        if kind == "notebook":
            self._notebook_done(m, result)
        elif kind == "month":
            self._month_done(m, result)
        elif kind == "documents":
            self._documents_done(m, result)
        else:
            self._finish_done(m, result)

    def _month_done(self, m: MonthState, outcome: MonthOutcome) -> None:
        """A month rendered by a cluster worker: its files into the work folder, then published like any."""
        self.bar.update(len(m.job.notebooks))
        m.running = 0
        if outcome.failures:
            if outcome.failed_notebooks:
                write_files(outcome.failed_notebooks, m.job.failed_dir)
            self._fail(m, list(outcome.failures))
            return
        try:
            write_files(outcome.files, m.work_dir)
        except (OSError, ValueError) as exc:
            self._fail(m, [f"{m.job.key} 的结果未能写入：{exc}"])
            return
        self.executed += len(m.job.notebooks)
        self._finish_done(m, None)

    def _notebook_done(self, m: MonthState, outcome: NotebookOutcome) -> None:
        m.running -= 1
        self.bar.update(1)
        if outcome.error is None:
            m.executed[outcome.name] = outcome.path
            m.seconds[outcome.name] = outcome.seconds
            self.executed += 1
        else:
            m.failures.append(f"{m.job.key}：{NotebookRenderError(*outcome.error)}")
            self.bar.update(len(m.pending))
            m.pending = []
            m.documents_due = False
        if m.failures and m.running == 0:
            self._fail(m, m.failures)

    def _documents_done(self, m: MonthState, error: str | None) -> None:
        m.running -= 1
        if error:
            m.failures.append(error)
            self.bar.update(len(m.pending))
            m.pending = []
        if m.failures and m.running == 0:
            self._fail(m, m.failures)

    def _finish_done(self, m: MonthState, error: str | None) -> None:
        if error:
            self._fail(m, [error])
            return
        move_into_place(m.work_dir, m.job.report_dir)
        m.work_dir = None
        self._release(m)
        self.rendered.append(m.job.key)
        self.reports.append(m.job.report_path)
        self.say(f"已生成：{display_path(m.job.report_path)}")

    def _fail(self, m: MonthState, messages: list[str]) -> None:
        shutil.rmtree(m.work_dir, ignore_errors=True)
        m.work_dir = None
        self._release(m)
        self.failed.append(m.job.key)
        for message in messages:
            self.errors.append(message)
            self.say(f"错误：{message}", err=True)
        if m.job.report_path.is_file():
            self.say(f"{m.job.key} 保留上一次生成的报告：{display_path(m.job.report_path)}", err=True)

    def skip(self, m: MonthState, counted: bool = True) -> None:
        if counted:
            self.bar.update(len(m.job.notebooks))
        self.skipped.append(m.job.key)
        self.reports.append(m.job.report_path)
        self.say(f"未变化，跳过：{display_path(m.job.report_path)}")

    def _release(self, m: MonthState) -> None:
        unlock(m.lock)
        m.lock = None
        if m in self.active:
            self.active.remove(m)


def expected_seconds(job: MonthJob) -> dict[str, float]:
    """How long each notebook is expected to run, to start the longest first.

    Its time in this month's last render, else in the township's most recent render, else its number
    of code cells (a proxy good enough for ordering).
    """
    from helpers.pipeline.fingerprint import read_stored

    records = [read_stored(job.report_dir)]
    if job.township_dir.is_dir():
        others = sorted(job.township_dir.glob("*/fingerprint.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        records += [read_stored(p.parent) for p in others[:1]]
    for record in records:
        seconds = ((record or {}).get("report") or {}).get("seconds") or {}
        if all(isinstance(seconds.get(p.name), (int, float)) for p in job.notebooks):
            return {p.name: float(seconds[p.name]) for p in job.notebooks}
    return {p.name: float(_code_cells(p)) for p in job.notebooks}


def _code_cells(path: Path) -> int:
    import json

    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return 0
    return sum(1 for c in cells if c.get("cell_type") == "code")
