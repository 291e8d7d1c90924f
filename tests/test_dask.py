"""Rendering on a real Dask cluster: a ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1.

The workers get the data as bytes with each task and send the finished files back; nothing but the
environment is shared. Compared with a local render by the visible text of report.html. The scheduler runs
with ``allowed-failures = 0``, so a worker killed mid-task fails that month instead of re-running it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.config import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).parent / "dask"
pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8",
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, its children (nanny, worker, kernels) included."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=20)


@pytest.fixture()
def cluster(tmp_path):
    """(address, {worker name: process}); everything is stopped afterwards, also when the test fails."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    procs: dict[str, subprocess.Popen] = {}
    try:
        procs["scheduler"] = subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            env=_env(), stdout=subprocess.DEVNULL, stderr=open(logs / "scheduler.log", "w"), start_new_session=True)
        for name in ("w0", "w1"):
            procs[name] = subprocess.Popen(
                [str(DASK), "worker", address, "--name", name, "--nthreads", "1", "--nworkers", "1",
                 "--no-dashboard", "--memory-limit", "0", "--local-directory", str(tmp_path / name)],
                env=_env(), cwd=str(tmp_path), stdout=subprocess.DEVNULL, stderr=open(logs / f"{name}.log", "w"),
                start_new_session=True)
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address, procs
    finally:
        for proc in reversed(list(procs.values())):
            _stop(proc)


def _render(data_dir: Path, out: Path, months: str, *extra: str) -> subprocess.Popen:
    argv = [sys.executable, "-m", "helpers", "render", "--data-dir", str(data_dir), "--township", "sample",
            "--months", months, "--out", str(out), "--force", *extra]
    return subprocess.Popen(argv, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "sample", data / "sample")
    return data


def test_a_batch_rendered_on_the_cluster_equals_a_local_render(cluster, data_copy, tmp_path):
    from tests.test_kernels import visible_text

    address, _ = cluster
    remote = _render(data_copy, tmp_path / "remote", "2018-07:2018-08", "--scheduler", address)
    out, err = remote.communicate(timeout=800)
    assert remote.returncode == 0, err
    assert "已生成 2，未变化跳过 0，失败 0" in out
    local = _render(data_copy, tmp_path / "local", "2018-07:2018-08", "--jobs", "2")
    _, err = local.communicate(timeout=800)
    assert local.returncode == 0, err
    for month in ("2018-07", "2018-08"):
        remote_dir, local_dir = (tmp_path / k / "sample" / month for k in ("remote", "local"))
        assert visible_text(remote_dir / "report.html") == visible_text(local_dir / "report.html")
        assert sorted(p.name for p in remote_dir.rglob("*") if p.is_file()) == \
            sorted(p.name for p in local_dir.rglob("*") if p.is_file())
    assert (tmp_path / "remote" / "index.html").is_file()
    assert not list((tmp_path / "remote" / "sample").glob(".*tmp-*"))
    # the workers unpacked what they were sent in their own Dask folders, which Dask clears (also those
    # of workers that were killed, when the next one starts), not in the machine's temp folder
    unpacked = [p for name in ("w0", "w1") for p in (tmp_path / name).rglob("township-report") if p.is_dir()]
    assert unpacked and all((p / "data").is_dir() for p in unpacked)


def _busy_worker(address: str) -> str | None:
    """The name of a worker that is running a task right now, if any."""
    from distributed import Client

    with Client(address, timeout="30s") as client:
        workers = client.scheduler_info(n_workers=-1)["workers"]
        for addr, keys in client.processing().items():
            if keys and addr in workers:
                return str(workers[addr]["name"])
    return None


def test_a_worker_lost_mid_batch_fails_only_its_month(cluster, data_copy, tmp_path):
    address, procs = cluster
    out = tmp_path / "out"
    months = ["2018-05", "2018-06", "2018-07", "2018-08"]
    proc = _render(data_copy, out, "2018-05:2018-08", "--scheduler", address)
    try:
        deadline = time.monotonic() + 600
        while not list(out.glob("sample/20*/report.html")):  # one month published first
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.5)
        victim = None
        while victim is None:
            assert time.monotonic() < deadline
            victim = _busy_worker(address)
            time.sleep(0.2)
        os.killpg(procs[victim].pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=800)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, stderr
    assert "已生成 3，未变化跳过 0，失败 1" in stdout
    published = [m for m in months if (out / "sample" / m / "report.html").is_file()]
    failed = [m for m in months if m not in published]
    assert len(published) == 3 and len(failed) == 1
    assert f"sample/{failed[0]}" in stderr and "远程渲染" in stderr
    assert not list((out / "sample").glob(".*tmp-*"))


def test_a_workers_unpacked_data_and_notebooks_go_when_the_worker_exits(tmp_path):
    """A worker outside Dask that stops leaves nothing in the machine's temp folder.

    Each worker unpacks the data and notebooks it is sent into a folder of its own.
    """
    probe = ("from helpers.pipeline.remote import worker_root\n"
             "root = worker_root(); root.mkdir(parents=True, exist_ok=True); (root / 'x').write_text('1')\n"
             "assert worker_root() == root\n"
             "print(root)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    root = Path(done.stdout.strip())
    assert root.name.startswith("township-report-worker-")
    assert not root.exists()
