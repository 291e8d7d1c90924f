"""``python -m helpers render``: validate once, run the notebooks in parallel, stitch, move into place.

A month is rendered in a hidden work folder beside its final place (``outputs/<township>/.<YYYY-MM>.tmp-*``)
and swapped in only when complete: the old folder is renamed aside, the new one renamed in, then the old
one deleted, so a crash never leaves a month without a complete report (the next run puts an aside
folder back if the swap was cut short). A lock file per month (``.<YYYY-MM>.lock``, ``fcntl.flock``)
keeps two processes from rendering the same month at once. A month whose inputs are unchanged (see
:mod:`helpers.pipeline.fingerprint`) is skipped unless forced.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from helpers.config import DATA_DIR, NOTEBOOKS_DIR, OUTPUTS_DIR
from helpers.exceptions import DataValidationError, Problem, ReportError
from helpers.pipeline.arguments import (
    check_out_dir,
    load_townships,
    report_notebooks,
    requested_months,
    resolve_townships,
    township_notebooks,
)
from helpers.pipeline.executors import make_executor
from helpers.pipeline.jobs import MonthJob, RenderSummary
from helpers.pipeline.publish import display_path
from helpers.pipeline.scheduler import MonthState, Scheduler, expected_seconds


def render(data_dir: Path = DATA_DIR, townships: Sequence[str] | None = None, month: str | None = None,
           months: str | None = None, out: Path = OUTPUTS_DIR, jobs: int | None = None, force: bool = False,
           notebooks_dir: Path = NOTEBOOKS_DIR, progress: bool | None = None, say=None,
           warm_kernels: bool = True, scheduler_address: str | None = None) -> RenderSummary:
    """Render the requested months of the requested townships into ``out``; see the module docstring.

    Raises DataValidationError (nothing executed, nothing written) when an argument or the data is
    invalid. Notebook failures do not raise: they are in the returned summary's ``failed``/``errors``.
    ``progress`` None shows the bar only on a terminal; ``say(text, err=False)`` prints a line.
    ``warm_kernels`` False starts a fresh kernel for every notebook instead of one per worker
    (:mod:`helpers.pipeline.kernels`): slower, and the reference the warm kernels are tested against.
    ``scheduler_address`` (``tcp://HOST:8786``) renders each month on a Dask cluster instead of local
    processes (:mod:`helpers.pipeline.executors`); validation, locks and publishing stay here.
    """
    from tqdm import tqdm

    from helpers.data.township import share_loaded
    from helpers.pipeline.fingerprint import (
        data_digest,
        is_current,
        month_fingerprint,
        notebooks_digest,
        shared_digests,
    )
    from helpers.pipeline.index_page import write_index

    data_dir, out = Path(data_dir).resolve(), Path(out).resolve()
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise DataValidationError([Problem("--jobs", None, None, str(jobs), "并行进程数至少为 1")])
    wanted = requested_months(month, months)
    check_out_dir(out)
    names = resolve_townships(data_dir, townships)
    notebooks_dir = Path(notebooks_dir).resolve()
    report_notebooks(notebooks_dir)  # a folder without numbered notebooks is refused as before
    with ExitStack() as stack:
        early = None
        if scheduler_address is None and warm_kernels and will_render(out, names, wanted, force):
            early = make_executor(None, min(jobs, len(names) * len(wanted or [""]) * NOTEBOOKS_PER_MONTH))
            stack.callback(early.shutdown)  # also when the data is refused or every month is current
            early.start(warm_cwd=str(notebooks_dir))  # its kernels start while this process validates
        loaded, by_key = load_townships(data_dir, names, wanted)
        base = shared_digests([])

        plans = []
        for name, tw in loaded.items():
            notebooks = township_notebooks(notebooks_dir, tw, out / ".notebooks" / name)
            shared = replace(base, notebooks=notebooks_digest(notebooks))
            digest = data_digest(tw.source)
            for m in wanted or [str(tw.last_month)]:
                job = MonthJob(name, m, data_dir, out, notebooks)
                plans.append(MonthState(job, month_fingerprint(digest, shared, job.parameters),
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
        shared_dir = Path(tempfile.mkdtemp(prefix="township-render-"))  # private: the validated townships
        shared = shared_dir / "townships.pickle"
        scheduler = Scheduler(queue, jobs, force, notebooks_dir, _say, bar, warm_kernels, str(shared))
        for plan in skipped:
            scheduler.skip(plan, counted=False)
        try:
            if queue:
                if scheduler_address is None:  # a cluster worker loads the data it is sent
                    share_loaded(by_key, shared)
                tasks = sum(len(p.job.notebooks) for p in queue)
                executor = early or make_executor(scheduler_address, min(jobs, tasks))
                try:
                    if executor is not early:
                        executor.start()
                    scheduler.jobs = executor.slots
                    scheduler.run(executor)
                except KeyboardInterrupt:
                    executor.interrupt()
                    raise
                except executor.broken as exc:
                    raise ReportError(f"渲染进程意外退出，本次未完成的月份保持原样：{exc}") from exc
                finally:
                    executor.shutdown()
                    scheduler.cleanup()
            if townships and "all" in townships:
                render_counties(data_dir, loaded, wanted, out, scheduler, _say)
        finally:
            bar.close()
            shutil.rmtree(shared_dir, ignore_errors=True)
            write_index(out)
        return RenderSummary(tuple(scheduler.rendered), tuple(scheduler.skipped), tuple(scheduler.failed),
                             tuple(scheduler.reports), tuple(scheduler.errors), scheduler.executed)


NOTEBOOKS_PER_MONTH = 6
"""Tasks of a month run locally: the overview and area notebooks and the Word and Excel copies (about)."""


def will_render(out: Path, townships: Sequence[str], wanted: list[str] | None, force: bool) -> bool:
    """Whether a render will execute notebooks, as far as can be told before the data is read.

    Forced, or a month asked for (or, without months, a township) has no report yet. Only then do the
    local workers start their kernels while the parent validates the data.
    """
    if force:
        return True
    if wanted is None:
        return any(not any((out / t).glob("*/report.html")) for t in townships)
    return any(not (out / t / m / "report.html").is_file() for t in townships for m in wanted)


def render_counties(data_dir: Path, loaded: dict, wanted: list[str] | None, out: Path, scheduler, say) -> None:
    """After ``render --township all``: the roll-up of each county of two or more townships, per month.

    Months: the ones asked for, else each county's latest. A failed roll-up counts as a failed month.
    """
    from helpers.analysis.county import latest_month
    from helpers.pipeline.county import counties_of, render_county

    for county, members in counties_of(data_dir, loaded).items():
        townships = [loaded[t] for t in members if t in loaded]
        for month in wanted or [str(latest_month(townships))]:
            key = f"{county}/{month}"
            try:
                result = render_county(county, month, data_dir, out)
            except (ReportError, DataValidationError) as exc:
                scheduler.failed.append(key)
                scheduler.errors.append(f"{key} 县级汇总：{exc}")
                say(f"错误：{key} 县级汇总：{exc}", err=True)
                continue
            scheduler.rendered.append(key)
            scheduler.reports.append(result.path)
            say(f"已生成县级汇总：{display_path(result.path)}")


def _terminate_as_interrupt(signum, frame):
    raise KeyboardInterrupt


def render_command(args) -> int:
    """The ``render`` subcommand: render, print each report's path and the summary line, exit status."""
    previous = signal.signal(signal.SIGTERM, _terminate_as_interrupt)  # clean up on `kill` too
    try:
        summary = render(
            data_dir=args.data_dir, townships=args.township, month=args.month, months=args.months,
            out=args.out, jobs=args.jobs, force=args.force, scheduler_address=args.scheduler,
        )
    except KeyboardInterrupt:
        print("已中断：未完成的月份保持原样，临时文件已清理。", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(summary.line)
    print(f"报告目录：{display_path(Path(args.out) / 'index.html')}")
    return summary.exit_code
