"""A whole township-month as one task for a cluster worker: data and notebooks in as bytes, files out as bytes.

The worker needs the project's environment (the ``helpers`` package and its pinned requirements), not the
parent's disk: :func:`month_payload` packs the township's data files and the notebooks, :func:`month_task`
unpacks them into the worker's own temporary folder (kept per worker, keyed by content, so a township's
data and the notebooks are written once and the warm kernel stays warm), executes the notebooks one after
another in the worker's warm kernel, stitches the month and returns every file of the report folder.
"""

from __future__ import annotations

import hashlib
import multiprocessing.util
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from helpers.exceptions import NotebookRenderError
from helpers.pipeline.jobs import MonthJob


@dataclass(frozen=True)
class MonthPayload:
    """What a worker needs to render one month; ``job`` holds the parent's paths (for the record only)."""

    job: MonthJob
    data_files: dict[str, bytes]
    notebooks: dict[str, bytes]  # name -> bytes, in report order
    fingerprint: object
    generated_at: datetime
    warm: bool = True


@dataclass(frozen=True)
class MonthOutcome:
    """The finished files (path relative to the report folder -> bytes), or the reasons it failed."""

    files: dict[str, bytes] = field(default_factory=dict)
    failures: tuple[str, ...] = ()
    failed_notebooks: dict[str, bytes] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    worker: str = ""


def township_files(folder: Path) -> dict[str, bytes]:
    """Every data file of a township folder (as the fingerprint sees them) by its relative path."""
    from helpers.pipeline.fingerprint import files_under

    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files_under(folder)}


def month_payload(job: MonthJob, data_files: dict[str, bytes], fingerprint, generated_at: datetime,
                  warm: bool = True) -> MonthPayload:
    notebooks = {Path(p).name: Path(p).read_bytes() for p in job.notebooks}
    return MonthPayload(job, data_files, notebooks, fingerprint, generated_at, warm)


def _digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()[:16]


def _unpack(files: dict[str, bytes], folder: Path) -> Path:
    """Write ``files`` into ``folder`` once (built beside it and renamed in, so a half-written one never counts)."""
    if folder.is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    for name, data in files.items():
        target = building / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    try:
        os.rename(building, folder)
    except OSError:  # another task of this worker got there first
        shutil.rmtree(building, ignore_errors=True)
    return folder


_ROOTS: dict[int, Path] = {}


def worker_root() -> Path:
    """This worker's folder for unpacked data and notebooks.

    On a Dask worker: inside the worker's own local directory, which Dask removes when the worker stops
    and, for a worker that was killed, when the next one starts on that machine. Elsewhere (a plain
    process): a folder per process under the system's temp folder, removed when the process exits,
    through multiprocessing's exit handlers (which also run where plain ``atexit`` does not), after the
    warm kernels running in it are stopped (their finalizers have a higher priority).
    """
    try:
        from distributed import get_worker

        return Path(get_worker().local_directory) / "township-report"
    except (ImportError, ValueError):  # not running on a Dask worker
        pass
    pid = os.getpid()
    if pid not in _ROOTS:
        root = _ROOTS[pid] = Path(tempfile.gettempdir()) / f"township-report-worker-{pid}"
        multiprocessing.util.Finalize(None, shutil.rmtree, args=(root,), kwargs={"ignore_errors": True},
                                      exitpriority=1)
    return _ROOTS[pid]


def month_task(payload: MonthPayload) -> MonthOutcome:
    """Render one month on this worker; see the module docstring. Failures are returned, not raised."""
    import socket

    from helpers.pipeline.execute import execute_notebook
    from helpers.pipeline.tasks import CELL_TIMEOUT_SECONDS, KERNEL_ARGUMENTS, finish_task, warm_kernel

    job, root = payload.job, worker_root()
    data_dir = _unpack(payload.data_files, root / "data" / _digest(payload.data_files) / job.township).parent
    notebooks_dir = _unpack(payload.notebooks, root / "notebooks" / _digest(payload.notebooks))
    here = replace(job, data_dir=data_dir, notebooks=tuple(notebooks_dir / n for n in payload.notebooks))
    work = Path(tempfile.mkdtemp(prefix=f"{job.month}-", dir=root))
    worker = socket.gethostname()
    try:
        executed, seconds = [], {}
        for source in here.notebooks:
            started = time.perf_counter()
            try:
                execute_notebook(source, work / "notebooks" / source.name, here.parameters, work / "failed",
                                 cwd=notebooks_dir, timeout=CELL_TIMEOUT_SECONDS, extra_arguments=KERNEL_ARGUMENTS,
                                 kernel=warm_kernel(str(notebooks_dir)) if payload.warm else None)
            except NotebookRenderError as exc:
                failed = {p.name: p.read_bytes() for p in (work / "failed").glob("*.ipynb")}
                return MonthOutcome(failures=(f"{job.key}：{exc}（工作节点 {worker}）",), failed_notebooks=failed,
                                    worker=worker)
            executed.append(str(work / "notebooks" / source.name))
            seconds[source.name] = time.perf_counter() - started
        error = finish_task(here, str(work), tuple(executed), payload.fingerprint, payload.generated_at,
                            str(notebooks_dir), seconds, parameters=job.parameters)
        if error:
            return MonthOutcome(failures=(f"{error}（工作节点 {worker}）",), worker=worker)
        shutil.rmtree(work / "failed", ignore_errors=True)
        files = {p.relative_to(work).as_posix(): p.read_bytes() for p in sorted(work.rglob("*")) if p.is_file()}
        return MonthOutcome(files=files, seconds=seconds, worker=worker)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_files(files: dict[str, bytes], folder: Path) -> None:
    """Put a worker's files into the parent's work folder (paths stay inside it)."""
    folder = Path(folder).resolve()
    for name, data in files.items():
        target = (folder / name).resolve()
        if folder not in target.parents:
            raise ValueError(f"工作节点返回的文件路径不在报告目录内：{name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
