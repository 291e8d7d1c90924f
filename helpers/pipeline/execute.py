"""Executing one notebook with papermill: parameters injected, a fresh or a warm kernel, failures kept."""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from helpers.exceptions import NotebookRenderError
from helpers.pipeline.kernels import KERNEL_NAME, WarmKernel, register_engine

INJECTED_TAG = "injected-parameters"
ERROR_MARKER_TAG = "papermill-error-cell-tag"


@dataclass(frozen=True)
class Executed:
    """A notebook that ran to the end: where the executed copy is and how long it took."""

    name: str
    path: Path
    seconds: float


def execute_notebook(source: Path, output: Path, parameters: Mapping[str, str], failed_dir: Path,
                     cwd: Path | None = None, timeout: int | None = None,
                     extra_arguments: Sequence[str] = (), kernel: WarmKernel | None = None,
                     setup: str = "") -> Executed:
    """Run ``source`` with ``parameters`` and write the executed notebook to ``output``.

    Without ``kernel``, a kernel of its own runs in ``cwd`` (default: the notebook's folder) with
    ``extra_arguments`` added to its command line, and is stopped without the polite shutdown request,
    which costs 0.5 s and sometimes stalls for seconds. On failure the partly
    executed notebook is copied into ``failed_dir`` and a :class:`NotebookRenderError` names the
    notebook, the cell (1-based, counted in ``source`` as the analyst sees it in JupyterLab) and the
    exception.

    With ``kernel``, the notebook runs in that warm kernel (``cwd`` and ``extra_arguments`` are the
    kernel's own then), which is cleared first and shut down after a failure, so that the next notebook
    gets a fresh one. ``setup`` is code run silently in the kernel before the notebook (see
    :meth:`WarmKernel.prepare`).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source, output = Path(source), Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # A fresh kernel is a warm kernel used once: papermill's own would talk over tcp ports (see kernels).
    one_shot = kernel is None
    if one_shot:
        kernel = WarmKernel(Path(cwd or source.parent), extra_arguments, preload="")
    try:
        kernel.prepare(setup)
        papermill.execute_notebook(
            str(source), str(output), parameters=dict(parameters), kernel_name=KERNEL_NAME,
            progress_bar=False, log_output=False, cwd=str(cwd or source.parent),
            execution_timeout=timeout, km=kernel.manager, engine_name=register_engine(),
        )
    except BaseException as exc:
        kernel.shutdown()  # whatever state the failure left is not the next notebook's
        if isinstance(exc, PapermillExecutionError):
            saved = keep_failed(output, failed_dir)
            raise NotebookRenderError(source.name, source_cell_number(saved, exc.cell_index), exc.ename,
                                      exc.evalue, str(saved)) from None
        if not isinstance(exc, Exception):
            raise  # KeyboardInterrupt, SystemExit
        # kernel died, timed out or did not start: keep what was saved so far
        saved = keep_failed(output, failed_dir) if output.is_file() else None
        raise NotebookRenderError(source.name, None, type(exc).__name__, str(exc).strip() or "（无说明）",
                                  str(saved) if saved else "（笔记本未能开始执行，没有可保存的结果）") from None
    finally:
        if one_shot:
            kernel.shutdown()
    return Executed(source.name, output, time.perf_counter() - started)


def keep_failed(output: Path, failed_dir: Path) -> Path:
    """Copy a failed executed notebook into ``failed_dir`` and return the copy's path."""
    failed_dir = Path(failed_dir)
    failed_dir.mkdir(parents=True, exist_ok=True)
    target = failed_dir / Path(output).name
    shutil.copyfile(output, target)
    return target


def source_cell_number(executed: Path, cell_index: int) -> int | None:
    """The 1-based number, in the source notebook, of cell ``cell_index`` of the executed notebook.

    ``cell_index`` counts the cells as they ran (with the injected-parameters cell, before papermill
    added its error banners); the source notebook has neither.
    """
    import nbformat

    try:
        nb = nbformat.read(str(executed), as_version=4)
    except (OSError, ValueError):
        return None
    ran = [c for c in nb.cells if ERROR_MARKER_TAG not in c.get("metadata", {}).get("tags", [])]
    if not 0 <= cell_index < len(ran):
        return None
    before = ran[:cell_index]
    return sum(1 for c in before if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])) + 1
