"""Publishing a month: its lock, the hidden work folder swapped in whole, recovery from a cut-short swap."""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from pathlib import Path

from helpers.pipeline.jobs import MonthJob


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


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it is below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
