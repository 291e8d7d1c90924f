"""``python -m helpers render``: validate once, run the notebooks in parallel, stitch, move into place.

A month is rendered in a hidden work folder beside its final place (``outputs/<township>/.<YYYY-MM>.tmp-*``)
and swapped in only when complete: the old folder is renamed aside, the new one renamed in, then the old
one deleted, so a crash never leaves a month without a complete report (the next run puts an aside
folder back if the swap was cut short). A lock file per month (``.<YYYY-MM>.lock``, ``fcntl.flock``)
keeps two processes from rendering the same month at once. A month whose inputs are unchanged (see
:mod:`helpers.fingerprint`) is skipped unless forced.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from helpers.config import DATA_DIR, DEFAULT_TOWNSHIP, NOTEBOOKS_DIR, OUTPUTS_DIR
from helpers.exceptions import DataValidationError, NotebookRenderError, Problem, ReportError

MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
NOTEBOOK_NAME = re.compile(r"^\d+_[^/\\]+\.ipynb$")
CELL_TIMEOUT_SECONDS = 900
"""A cell running longer than this is taken as hung and fails the notebook."""
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
"""The kernel's own start-up warnings are for developers, not for the render's output."""


@dataclass(frozen=True)
class MonthJob:
    """One township-month to render and where everything about it lives."""

    township: str
    month: str
    data_dir: Path
    out_dir: Path
    notebooks: tuple[Path, ...]

    @property
    def key(self) -> str:
        return f"{self.township}/{self.month}"

    @property
    def township_dir(self) -> Path:
        return self.out_dir / self.township

    @property
    def report_dir(self) -> Path:
        return self.township_dir / self.month

    @property
    def report_path(self) -> Path:
        return self.report_dir / "report.html"

    @property
    def failed_dir(self) -> Path:
        return self.township_dir / f"{self.month}.failed"

    @property
    def lock_path(self) -> Path:
        return self.township_dir / f".{self.month}.lock"

    @property
    def parameters(self) -> dict[str, str]:
        return {"township": self.township, "month": self.month, "data_dir": str(self.data_dir)}


@dataclass(frozen=True)
class RenderSummary:
    """What a render did: months as ``township/YYYY-MM``, report paths, error messages (Chinese)."""

    rendered: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    reports: tuple[Path, ...] = ()
    errors: tuple[str, ...] = ()
    notebooks_executed: int = 0

    @property
    def line(self) -> str:
        return f"已生成 {len(self.rendered)}，未变化跳过 {len(self.skipped)}，失败 {len(self.failed)}"

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


# ---------------------------------------------------------------------------------------------------
# Resolving what to render (everything here runs before any notebook does)


def check_month(month: str, what: str = "--month") -> Problem | None:
    """A month argument must be YYYY-MM before it goes anywhere near a notebook."""
    if not isinstance(month, str) or not MONTH_RE.fullmatch(month):
        return Problem(what, None, None, str(month), "月份格式应为 YYYY-MM，例如 2018-08")
    return None


def requested_months(month: str | None, months: str | None) -> list[str] | None:
    """The months asked for (None = each township's latest); a DataValidationError if malformed."""
    if months:
        start, sep, end = months.partition(":")
        if not sep:
            raise DataValidationError([Problem("--months", None, None, months, "月份范围格式应为 YYYY-MM:YYYY-MM")])
        problems = [p for p in (check_month(start, "--months"), check_month(end, "--months")) if p]
        if problems:
            raise DataValidationError(problems)
        if start > end:
            raise DataValidationError([Problem("--months", None, None, months, "起始月份晚于结束月份")])
        return month_range(start, end)
    if month:
        problem = check_month(month)
        if problem:
            raise DataValidationError([problem])
        return [month]
    return None


def check_out_dir(out: Path) -> None:
    """The outputs folder must be a folder this process may write in (or one it can create).

    Checked before anything runs, so a bad ``--out`` is an input error (exit 2), not a traceback at the end.
    """
    existing = Path(out)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        what = "输出目录" if existing == Path(out) else f"输出目录的上级路径 {existing}"
        raise DataValidationError([Problem("--out", None, None, str(out), f"{what}是一个文件，不是文件夹")])
    if not os.access(existing, os.W_OK | os.X_OK):
        raise DataValidationError([Problem("--out", None, None, str(out), f"没有在 {existing} 中写入的权限")])


def month_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive, as YYYY-MM."""
    y, m = int(start[:4]), int(start[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def resolve_townships(data_dir: Path, townships: Sequence[str] | None) -> list[str]:
    """Township ids to render: the given ones, ``all`` = every folder with a township.yaml, default sample."""
    from helpers.data import check_township_name

    names = list(townships or [DEFAULT_TOWNSHIP])
    if "all" in names:
        found = sorted(p.parent.name for p in Path(data_dir).glob("*/township.yaml")
                       if not p.parent.name.startswith("."))
        if not found:
            raise DataValidationError([Problem(str(data_dir), None, None, None,
                                               "数据目录下没有任何乡镇（含 township.yaml 的子目录）")])
        names = found + [n for n in names if n != "all" and n not in found]
    problems = [p for p in (check_township_name(n) for n in names) if p]
    if problems:
        raise DataValidationError(problems)
    return list(dict.fromkeys(names))


def report_notebooks(notebooks_dir: Path) -> tuple[Path, ...]:
    """The numbered notebooks (``00_overview.ipynb``, ``10_party.ipynb`` …) in report order."""
    found = tuple(sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if NOTEBOOK_NAME.match(p.name)))
    if not found:
        raise ReportError(f"笔记本目录 {notebooks_dir} 中没有带编号的笔记本（如 10_party.ipynb）")
    return found


def load_townships(data_dir: Path, townships: list[str], months: list[str] | None) -> dict:
    """Load and validate each township once; every problem of every township in one DataValidationError."""
    from helpers.data import load_township
    from helpers.validation import month_problem

    loaded, problems = {}, []
    for name in townships:
        try:
            tw = load_township(data_dir, name)
        except DataValidationError as exc:
            problems += _prefixed(exc.problems, name, len(townships) > 1)
            continue
        with_data = [str(m) for m in tw.months]
        for month in months or []:
            found = month_problem(month, with_data)
            if found:
                problems += _prefixed([found], name, len(townships) > 1)
        loaded[name] = tw
    if problems:
        raise DataValidationError(problems)
    return loaded


def _prefixed(problems: list[Problem], township: str, prefix: bool) -> list[Problem]:
    if not prefix:
        return list(problems)
    return [Problem(p.file if p.file.startswith(township) else f"{township}/{p.file}", p.row, p.column,
                    p.value, p.reason) for p in problems]


# ---------------------------------------------------------------------------------------------------
# Work done in the pool's processes. Results are plain data: the project's exceptions carry
# keyword-only context that does not survive pickling back to the parent.

_TOWNSHIPS: dict[tuple[str, str], object] = {}
"""Townships loaded by the parent; forked workers inherit them instead of loading them again."""


@dataclass(frozen=True)
class NotebookOutcome:
    name: str
    path: str
    seconds: float
    error: tuple | None = None  # NotebookRenderError arguments when the notebook failed


_WORKER = {"busy": False, "interrupted": False}


def _worker_init() -> None:
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


def _execute_task(source: str, output: str, parameters: dict, failed_dir: str, cwd: str) -> NotebookOutcome:
    from helpers.execute import execute_notebook

    started = time.perf_counter()
    try:
        with _busy():
            done = execute_notebook(Path(source), Path(output), parameters, Path(failed_dir), cwd=Path(cwd),
                                    timeout=CELL_TIMEOUT_SECONDS, extra_arguments=KERNEL_ARGUMENTS)
    except NotebookRenderError as exc:
        return NotebookOutcome(Path(source).name, output, time.perf_counter() - started,
                               (exc.notebook, exc.cell, exc.ename, exc.evalue, exc.saved_to))
    return NotebookOutcome(done.name, str(done.path), done.seconds)


def _finish_task(job: MonthJob, work_dir: str, executed: tuple[str, ...], fingerprint, generated_at: datetime,
                 notebooks_dir: str, seconds: dict[str, float]) -> str | None:
    """Summary workbook, Word copy, stitched report and fingerprint into ``work_dir``; an error message or None."""
    try:
        with _busy():
            _finish(job, Path(work_dir), executed, fingerprint, generated_at, Path(notebooks_dir), seconds)
    except Exception as exc:  # reported as this month's failure; the other months go on
        return f"{job.key} 的报告拼接失败：{type(exc).__name__}: {exc}"
    return None


def _finish(job: MonthJob, work_dir: Path, executed: tuple[str, ...], fingerprint, generated_at: datetime,
            notebooks_dir: Path, seconds: dict[str, float]) -> None:
    from helpers.docx_report import write_docx
    from helpers.fingerprint import write_stored
    from helpers.stitch import Cover, cover_figures, stitch_report
    from helpers.summary import month_key_figures, write_summary

    tw = _township(job.data_dir, job.township)
    figures = month_key_figures(tw, job.month)
    write_summary(figures, work_dir / "summary.xlsx", title=f"{tw.name}工作月报（{job.month}）关键指标")
    write_docx(tw, job.month, work_dir / "report.docx")
    cover = Cover(tw.name, str(tw.profile.get("county") or ""), job.month, generated_at, cover_figures(figures))
    stitch_report([Path(p) for p in executed], cover, work_dir / "report.html", notebooks_dir)
    write_stored(work_dir, fingerprint, {
        "township": job.township, "township_name": tw.name, "month": job.month,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "notebooks": [Path(p).name for p in executed], "parameters": job.parameters,
        "seconds": {name: round(value, 2) for name, value in seconds.items()},
    })


def _township(data_dir: Path, name: str):
    key = (str(data_dir), name)
    if key not in _TOWNSHIPS:
        from helpers.data import load_township

        _TOWNSHIPS[key] = load_township(data_dir, name)
    return _TOWNSHIPS[key]


# ---------------------------------------------------------------------------------------------------
# Folders and locks


def try_lock(path: Path) -> int | None:
    """An exclusive flock on ``path`` (created if needed): the descriptor, or None if someone holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def unlock(fd: int | None) -> None:
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def recover(job: MonthJob) -> None:
    """Under the month's lock: put back a report left aside by an interrupted swap, drop stale work folders."""
    aside = sorted(job.township_dir.glob(f".{job.month}.old-*"), key=lambda p: p.stat().st_mtime)
    if aside and not job.report_dir.exists():
        os.rename(aside.pop(), job.report_dir)
    for stale in [*aside, *job.township_dir.glob(f".{job.month}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def move_into_place(work_dir: Path, report_dir: Path) -> None:
    """Swap a complete work folder in for the month's folder; the old one is deleted only afterwards."""
    aside = None
    if report_dir.exists():
        aside = report_dir.with_name(f".{report_dir.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(report_dir, aside)
    os.rename(work_dir, report_dir)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it is below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------------
# The scheduler


@dataclass
class _Month:
    job: MonthJob
    fingerprint: object
    lock: int | None = None
    work_dir: Path | None = None
    pending: list[Path] = field(default_factory=list)
    running: int = 0
    executed: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    finishing: bool = False
    generated_at: datetime | None = None
    announced_wait: bool = False


class _Scheduler:
    """Runs the notebooks of the queued months on ``jobs`` processes, stitching each month when done.

    Order of work: a month ready to stitch first, then the next notebook of a month already started,
    then a new month. A month whose lock another process holds waits and is retried.
    """

    def __init__(self, queue: list[_Month], jobs: int, force: bool, notebooks_dir: Path, say, bar):
        self.queue, self.jobs, self.force = deque(queue), jobs, force
        self.notebooks_dir, self.say, self.bar = notebooks_dir, say, bar
        self.active: list[_Month] = []
        self.waiting: list[_Month] = []
        self.futures: dict[Future, tuple[str, _Month, str]] = {}
        self.rendered: list[str] = []
        self.skipped: list[str] = []
        self.failed: list[str] = []
        self.reports: list[Path] = []
        self.errors: list[str] = []
        self.executed = 0

    def run(self, pool: ProcessPoolExecutor) -> None:
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
            if not m.finishing and not m.failures and not m.pending and m.running == 0:
                return ("finish", m, "")
        for m in self.active:
            if m.pending and not m.failures:
                return ("notebook", m, m.pending.pop(0))
        while self.queue:
            m = self.queue.popleft()
            if self._activate(m):
                return ("notebook", m, m.pending.pop(0))
        return None

    def _activate(self, m: _Month) -> bool:
        from helpers.fingerprint import is_current

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

    def _submit(self, pool, kind: str, m: _Month, notebook) -> None:
        job = m.job
        if kind == "notebook":
            output = m.work_dir / "notebooks" / Path(notebook).name
            future = pool.submit(_execute_task, str(notebook), str(output), job.parameters, str(job.failed_dir),
                                 str(self.notebooks_dir))
            m.running += 1
        else:
            executed = tuple(m.executed[p.name] for p in job.notebooks)
            future = pool.submit(_finish_task, job, str(m.work_dir), executed, m.fingerprint, m.generated_at,
                                 str(self.notebooks_dir), dict(m.seconds))
            m.finishing = True
        self.futures[future] = (kind, m, str(notebook))

    # -- results

    def _handle(self, future: Future) -> None:
        kind, m, notebook = self.futures.pop(future)
        try:
            result = future.result()
        except BaseException as exc:  # the worker process died or could not run the task
            what = Path(notebook).name if kind == "notebook" else "报告拼接"
            result = f"{m.job.key} 的 {what} 未能完成：{type(exc).__name__}: {exc}"
            if kind == "notebook":
                result = NotebookOutcome(Path(notebook).name, "", 0.0, (Path(notebook).name, None,
                                                                        type(exc).__name__, str(exc), "（无）"))
        if kind == "notebook":
            self._notebook_done(m, result)
        else:
            self._finish_done(m, result)

    def _notebook_done(self, m: _Month, outcome: NotebookOutcome) -> None:
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
        if m.failures and m.running == 0:
            self._fail(m, m.failures)

    def _finish_done(self, m: _Month, error: str | None) -> None:
        if error:
            self._fail(m, [error])
            return
        move_into_place(m.work_dir, m.job.report_dir)
        m.work_dir = None
        self._release(m)
        self.rendered.append(m.job.key)
        self.reports.append(m.job.report_path)
        self.say(f"已生成：{display_path(m.job.report_path)}")

    def _fail(self, m: _Month, messages: list[str]) -> None:
        shutil.rmtree(m.work_dir, ignore_errors=True)
        m.work_dir = None
        self._release(m)
        self.failed.append(m.job.key)
        for message in messages:
            self.errors.append(message)
            self.say(f"错误：{message}", err=True)
        if m.job.report_path.is_file():
            self.say(f"{m.job.key} 保留上一次生成的报告：{display_path(m.job.report_path)}", err=True)

    def skip(self, m: _Month, counted: bool = True) -> None:
        if counted:
            self.bar.update(len(m.job.notebooks))
        self.skipped.append(m.job.key)
        self.reports.append(m.job.report_path)
        self.say(f"未变化，跳过：{display_path(m.job.report_path)}")

    def _release(self, m: _Month) -> None:
        unlock(m.lock)
        m.lock = None
        if m in self.active:
            self.active.remove(m)


def expected_seconds(job: MonthJob) -> dict[str, float]:
    """How long each notebook is expected to run, to start the longest first.

    Its time in this month's last render, else in the township's most recent render, else its number
    of code cells (a proxy good enough for ordering).
    """
    from helpers.fingerprint import read_stored

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


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes; forked where possible so they inherit the loaded townships and imports."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init)


def _interrupt_workers(pool: ProcessPoolExecutor) -> None:
    """Pass an interrupt on to the workers (it reached only this process when sent with ``kill``)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            try:
                os.kill(process.pid, signal.SIGINT)
            except ProcessLookupError:
                pass


# ---------------------------------------------------------------------------------------------------
# Entry points


def render(data_dir: Path = DATA_DIR, townships: Sequence[str] | None = None, month: str | None = None,
           months: str | None = None, out: Path = OUTPUTS_DIR, jobs: int | None = None, force: bool = False,
           notebooks_dir: Path = NOTEBOOKS_DIR, progress: bool | None = None, say=None) -> RenderSummary:
    """Render the requested months of the requested townships into ``out``; see the module docstring.

    Raises DataValidationError (nothing executed, nothing written) when an argument or the data is
    invalid. Notebook failures do not raise: they are in the returned summary's ``failed``/``errors``.
    ``progress`` None shows the bar only on a terminal; ``say(text, err=False)`` prints a line.
    """
    from tqdm import tqdm

    from helpers.fingerprint import data_digest, is_current, month_fingerprint, shared_digests
    from helpers.index_page import write_index

    data_dir, out = Path(data_dir).resolve(), Path(out).resolve()
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise DataValidationError([Problem("--jobs", None, None, str(jobs), "并行进程数至少为 1")])
    wanted = requested_months(month, months)
    check_out_dir(out)
    names = resolve_townships(data_dir, townships)
    loaded = load_townships(data_dir, names, wanted)
    notebooks_dir = Path(notebooks_dir).resolve()
    notebooks = report_notebooks(notebooks_dir)
    shared = shared_digests(notebooks)

    plans = []
    for name, tw in loaded.items():
        _TOWNSHIPS[(str(data_dir), name)] = tw
        digest = data_digest(tw.source)
        for m in wanted or [str(tw.last_month)]:
            job = MonthJob(name, m, data_dir, out, notebooks)
            plans.append(_Month(job, month_fingerprint(digest, shared, job.parameters),
                                expected=expected_seconds(job)))

    def _say(text: str, err: bool = False) -> None:
        if say is not None:
            say(text, err)
        else:
            tqdm.write(text, file=sys.stderr if err else sys.stdout)

    current = [not force and is_current(p.job.report_dir, p.fingerprint) for p in plans]
    skipped = [p for p, c in zip(plans, current, strict=True) if c]
    queue = [p for p, c in zip(plans, current, strict=True) if not c]
    bar = tqdm(total=sum(len(p.job.notebooks) for p in queue), desc="生成报告", unit="个笔记本",
               disable=None if progress is None else not progress, file=sys.stderr, dynamic_ncols=True)
    scheduler = _Scheduler(queue, jobs, force, notebooks_dir, _say, bar)
    for plan in skipped:
        scheduler.skip(plan, counted=False)
    try:
        if queue:
            pool = _pool(min(jobs, sum(len(p.job.notebooks) for p in queue)))
            pool.submit(os.getpid).result()  # fork the workers now, before any month lock is held
            try:
                scheduler.run(pool)
            except KeyboardInterrupt:
                _interrupt_workers(pool)
                raise
            except BrokenProcessPool as exc:
                raise ReportError(f"渲染进程意外退出，本次未完成的月份保持原样：{exc}") from exc
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                scheduler.cleanup()
    finally:
        bar.close()
        write_index(out)
    return RenderSummary(tuple(scheduler.rendered), tuple(scheduler.skipped), tuple(scheduler.failed),
                         tuple(scheduler.reports), tuple(scheduler.errors), scheduler.executed)


def _terminate_as_interrupt(signum, frame):
    raise KeyboardInterrupt


def render_command(args) -> int:
    """The ``render`` subcommand: render, print each report's path and the summary line, exit status."""
    previous = signal.signal(signal.SIGTERM, _terminate_as_interrupt)  # clean up on `kill` too
    try:
        summary = render(
            data_dir=args.data_dir, townships=args.township, month=args.month, months=args.months,
            out=args.out, jobs=args.jobs, force=args.force,
        )
    except KeyboardInterrupt:
        print("已中断：未完成的月份保持原样，临时文件已清理。", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(summary.line)
    print(f"报告目录：{display_path(Path(args.out) / 'index.html')}")
    return summary.exit_code
