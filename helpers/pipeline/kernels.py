"""A warm kernel: started once per worker, the report helpers imported once, its namespace cleared per notebook.

Starting a kernel and importing pandas, matplotlib and the analysis cost about a second each time; a
render runs five notebooks a month. A :class:`WarmKernel` pays that once and hands its kernel manager
to papermill (``km=``) for every notebook, after :data:`RESET_CODE` has emptied the namespace, closed
every figure, put matplotlib's defaults back and started a new history session (the execution counter
starts again at 1), so each notebook runs
as it would in a fresh kernel: its own variables only, the same execution counts. Modules stay
imported (that is the point), so module-level caches survive; the ones the helpers keep are keyed on
what they depend on (see :func:`helpers.data.township.load_township_cached`).

Kernels talk over ipc sockets in a folder of their own (on POSIX): with tcp, jupyter_client picks ports
that are free when it looks, and a kernel started at the same moment by another render worker can take
one before this kernel binds it ("Address already in use"; the render then waits 60 s and fails).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from helpers.exceptions import KernelStartError

KERNEL_NAME = "python3"
"""The notebooks' kernel; jupyter_client starts it with this interpreter (``sys.executable``)."""

PRELOAD_CODE = "import helpers.pipeline\nhelpers.pipeline.skip_test_only_imports()\nimport helpers.report.notebook\n"
"""Run once when the kernel starts: what every report notebook imports (without the test-only imports)."""

RESET_CODE = """\
get_ipython().reset(new_session=True)
import matplotlib.pyplot as _plt
_plt.close("all")
import matplotlib as _mpl
_mpl.rcdefaults()
del _plt, _mpl
get_ipython().run_line_magic("matplotlib", "inline")
"""
"""Run silently before each notebook: a fresh namespace and counter, no figure or chart style left over."""

ENGINE_NAME = "township-warm-kernel"
"""The papermill engine (registered by :func:`register_engine`) that runs a notebook in a warm kernel."""

SOCKET_PATH_LIMIT = 90
"""Longest ipc socket path used; beyond it (a long TMPDIR; AF_UNIX allows about 104) tcp is used."""

START_TIMEOUT_SECONDS = 60
RESET_TIMEOUT_SECONDS = 60


class WarmKernel:
    """One kernel reused for many notebooks run in ``cwd``; ``manager`` is what papermill is given."""

    def __init__(self, cwd: Path, extra_arguments: Sequence[str] = (), kernel_name: str = KERNEL_NAME,
                 preload: str = PRELOAD_CODE):
        self.cwd, self.extra_arguments = Path(cwd), list(extra_arguments)
        self.kernel_name, self.preload = kernel_name, preload
        self.manager = None
        self.notebooks_run = 0
        self.sockets: Path | None = None
        """The folder of this kernel's connection file and ipc sockets while it runs."""

    @property
    def alive(self) -> bool:
        return self.manager is not None and _sync(self.manager.is_alive)()

    def start(self) -> None:
        """Start the kernel and run the preload code in it."""
        # The asynchronous manager is the one nbclient makes for itself. Given a blocking one, nbclient
        # drives it from a helper thread that a forked render worker inherits as dead: it waits forever.
        from jupyter_client.manager import AsyncKernelManager

        self.shutdown()
        self.sockets = Path(tempfile.mkdtemp(prefix="township-kernel-"))
        manager = AsyncKernelManager(kernel_name=self.kernel_name, **_connection_options(self.sockets))
        _sync(manager.start_kernel)(extra_arguments=self.extra_arguments, cwd=str(self.cwd))
        self.manager = manager
        self.notebooks_run = 0
        self._run(self.preload, START_TIMEOUT_SECONDS, wait_ready=True)

    def prepare(self, setup: str = "") -> None:
        """Before a notebook: start the kernel if need be, clear what the last notebook left, run ``setup``.

        ``setup`` runs silently, like the clearing: nothing of it reaches the notebook.
        """
        if not self.alive:
            self.start()
        self._run(RESET_CODE + setup, RESET_TIMEOUT_SECONDS)
        self.notebooks_run += 1

    def shutdown(self) -> None:
        if self.manager is not None:
            try:
                _sync(self.manager.shutdown_kernel)(now=True)
            except Exception:  # a kernel that is already gone is what we want
                pass
            self.manager = None
        if self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)
            self.sockets = None

    def _run(self, code: str, timeout: float, wait_ready: bool = False) -> None:
        try:
            reply = _sync(_execute)(self.manager, code, timeout, wait_ready)
        except Exception as exc:  # timeouts and dead kernels: one error for the caller
            self.shutdown()
            raise KernelStartError(f"内核准备失败：{type(exc).__name__}: {exc}") from None
        if reply["content"].get("status") != "ok":
            content = reply["content"]
            self.shutdown()
            raise KernelStartError(f"内核准备失败：{content.get('ename')}: {content.get('evalue')}")


def _connection_options(folder: Path) -> dict:
    """Connection options: ipc sockets and the connection file in ``folder`` (tcp where ipc cannot be used)."""
    connection_file = str(folder / "kernel.json")
    ip = str(folder / "ipc")
    if os.name != "posix" or len(ip) + 4 > SOCKET_PATH_LIMIT:
        return {"connection_file": connection_file}
    return {"transport": "ipc", "ip": ip, "connection_file": connection_file}


def _sync(coroutine_function):
    from jupyter_core.utils import run_sync

    return run_sync(coroutine_function)


async def _execute(manager, code: str, timeout: float, wait_ready: bool) -> dict:
    """Run ``code`` silently on a client of its own (one shared with papermill's runs stalls) and close it."""
    client = manager.client()
    client.start_channels()
    try:
        if wait_ready:
            await client.wait_for_ready(timeout=timeout)
        return await client.execute_interactive(code, silent=True, store_history=False, timeout=timeout,
                                                output_hook=lambda msg: None)
    finally:
        client.stop_channels()
        client.context.destroy(linger=0)


_REGISTERED: list[str] = []


def register_engine() -> str:
    """Register (once) the papermill engine for warm kernels and return its name.

    It is papermill's nbclient engine, except that the client it opens on the kernel (``km=``) has its
    channels closed when the notebook is done: nbclient leaves the client of a kernel it does not own
    open, and each open client holds sockets and a zmq I/O thread.
    """
    if _REGISTERED:
        return ENGINE_NAME
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class ClosingClient(PapermillNotebookClient):
        def execute(self, **kwargs):
            try:
                return super().execute(**kwargs)
            finally:
                if self.kc is not None:
                    self.kc.stop_channels()
                    self.kc.context.destroy(linger=0)
                    self.kc = None

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            from papermill.engines import logger
            from papermill.utils import merge_kwargs, remove_args

            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                                 kernel_name=kernel_name, log=logger, log_output=log_output,
                                 stdout_file=stdout_file, stderr_file=stderr_file)
            return ClosingClient(nb_man, **final).execute()

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    _REGISTERED.append(ENGINE_NAME)
    return ENGINE_NAME
