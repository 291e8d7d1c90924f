"""The county roll-up: execute ``notebooks/county.ipynb``, stitch it, write county.xlsx, publish the month.

Published like a township's month (:mod:`helpers.pipeline.publish`): built in a hidden work folder beside
``outputs/<county>/<YYYY-MM>/`` and swapped in whole under the month's lock, so a failure leaves the last
good roll-up in place. The links in it point to ``outputs/<township>/<YYYY-MM>/report.html``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from helpers.config import DATA_DIR, NOTEBOOKS_DIR, OUTPUTS_DIR
from helpers.exceptions import DataValidationError, NotebookRenderError, Problem, ReportError
from helpers.files import current_umask
from helpers.pipeline.arguments import check_month, check_out_dir
from helpers.pipeline.jobs import MonthJob
from helpers.pipeline.publish import move_into_place, recover, try_lock, unlock

COUNTY_NOTEBOOK = "county.ipynb"
COUNTY_HTML, COUNTY_XLSX, COUNTY_RECORD = "county.html", "county.xlsx", "county.json"
MIN_TOWNSHIPS = 2
"""A county roll-up compares townships: ``render --township all`` writes one for counties with at least two."""


@dataclass(frozen=True)
class CountyResult:
    county: str
    month: str
    path: Path


def county_job(county: str, month: str, data_dir: Path, out: Path, notebooks_dir: Path) -> MonthJob:
    """The roll-up's paths, as a MonthJob of the folder ``outputs/<county>``."""
    problem = _check_county_name(county)
    if problem:
        raise DataValidationError([problem])
    return MonthJob(county, month, Path(data_dir), Path(out), (Path(notebooks_dir) / COUNTY_NOTEBOOK,))


def _check_county_name(county: str) -> Problem | None:
    from helpers.data.township import check_township_name

    problem = check_township_name(county)
    return Problem("--county", None, None, county, "县名不能为空，也不能含路径分隔符") if problem else None


def plan_county(county: str, month: str | None, data_dir: Path):
    """Validate before anything runs: the county's townships load and at least one has the month."""
    from helpers.analysis.county import has_month, latest_month
    from helpers.data.county import load_county
    from helpers.data.periods import as_month

    if month is not None and (problem := check_month(month)):
        raise DataValidationError([problem])
    townships = load_county(data_dir, county)
    month = month or str(latest_month(townships))
    period = as_month(month)
    if not any(has_month(tw, period) for tw in townships):
        raise DataValidationError([Problem("--month", None, None, month, f"{county}没有任何乡镇报送该月的数据")])
    return townships, month


def render_county(county: str, month: str | None = None, data_dir: Path = DATA_DIR, out: Path = OUTPUTS_DIR,
                  notebooks_dir: Path = NOTEBOOKS_DIR) -> CountyResult:
    """Validate, then build and publish ``out/<county>/<month>/county.html`` and ``county.xlsx``.

    DataValidationError (nothing written) for bad arguments or data; ReportError when the notebook fails
    or another process is writing the same roll-up (the last good one stays in place either way).
    """
    data_dir, out, notebooks_dir = Path(data_dir).resolve(), Path(out).resolve(), Path(notebooks_dir).resolve()
    check_out_dir(out)
    townships, month = plan_county(county, month, data_dir)
    job = county_job(county, month, data_dir, out, notebooks_dir)
    lock = try_lock(job.lock_path)
    if lock is None:
        raise ReportError(f"{county} {month} 的县级汇总正由另一个进程生成")
    work = None
    try:
        recover(job)
        work = Path(tempfile.mkdtemp(prefix=f".{month}.tmp-", dir=job.township_dir))
        os.chmod(work, 0o777 & ~current_umask())
        build(job, townships, work)
        move_into_place(work, job.report_dir)
        work = None
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        unlock(lock)
    return CountyResult(county, month, job.report_dir / COUNTY_HTML)


def build(job: MonthJob, townships, work: Path) -> None:
    """Execute the county notebook into ``work``, then the workbook, the stitched HTML and the record."""
    from helpers.analysis.county import county_facts
    from helpers.pipeline.execute import execute_notebook
    from helpers.pipeline.stitch import Cover, stitch_report
    from helpers.pipeline.tasks import KERNEL_ARGUMENTS
    from helpers.report.county import write_county_workbook

    generated_at = datetime.now()
    parameters = {"county": job.township, "month": job.month, "data_dir": str(job.data_dir),
                  "out_dir": str(job.out_dir)}
    notebook = job.notebooks[0]
    try:
        done = execute_notebook(notebook, work / "notebooks" / notebook.name, parameters, job.failed_dir,
                                cwd=notebook.parent, extra_arguments=KERNEL_ARGUMENTS)
    except NotebookRenderError as exc:
        raise ReportError(f"{job.key} 的县级汇总未能生成：{exc}") from None
    facts = county_facts(job.township, townships, job.period)
    write_county_workbook(facts, work / COUNTY_XLSX)
    stitch_report([done.path], Cover(f"{job.township}乡镇", "", job.month, generated_at, cover_boxes(facts)),
                  work / COUNTY_HTML, notebook.parent)
    (work / COUNTY_RECORD).write_text(json.dumps({
        "county": job.township, "month": job.month, "townships": [tw.id for tw in townships],
        "not_reported": facts.not_reported, "generated_at": generated_at.isoformat(timespec="seconds"),
    }, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.rmtree(job.failed_dir, ignore_errors=True)


def cover_boxes(facts) -> tuple[tuple[str, str, str], ...]:
    members = facts.members
    reported = int(members["reported"].sum())
    return (("乡镇", f"{len(members)}个", "total"), ("已报", f"{reported}个", "on-pace"),
            ("未报", f"{len(members) - reported}个", "behind"))


def counties_of(data_dir: Path, townships: Iterable[str]) -> dict[str, list[str]]:
    """The counties with at least MIN_TOWNSHIPS townships in ``data_dir``, for the townships given."""
    from helpers.data.county import township_counties

    counties = township_counties(data_dir)
    wanted = {counties[t] for t in townships if t in counties}
    members = {c: [t for t, tc in counties.items() if tc == c] for c in sorted(wanted)}
    return {c: m for c, m in members.items() if len(m) >= MIN_TOWNSHIPS}
