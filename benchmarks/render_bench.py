"""Time the render pipeline in one run (not a test; timings on a shared machine are noisy, read the ratios).

(a) naive: for each notebook, the ``papermill`` CLI then ``jupyter nbconvert --to html``, one after the
    other, as a shell script would;
(b) ``python -m helpers render`` of one month (warm kernels, forced);
(c) the one-warm-kernel limit: the report notebooks executed one after another in ONE kernel, then
    stitched, in one process on one core (no Word copy, no workbook: the floor of (b)'s work);
(d) render of one month with a fresh kernel per notebook (``warm_kernels=False``);
(e) a generated county (``make_county.py``), 12 townships × 3 months, on local processes;
(f) the same batch through a local Dask scheduler with two ``dask worker`` processes on 127.0.0.1.

Prints each one's time, township-months per minute and the peak memory of each worker (its process and
the kernels below it), then the ratios. ``--quick`` is a smoke test (3 townships × 1 month, one repeat).
Usage: ``python benchmarks/render_bench.py [--repeats 1] [--jobs N] [--quick]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOWNSHIP, MONTH = "sample", "2018-08"
BATCH_MONTHS = ("2018-05", "2018-07")  # every generated township has these (one stops at 2018-07)
sys.path.insert(0, str(ROOT))


def env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": path}


class PeakMemory:
    """Samples, every 0.3 s, the memory (RSS) of each worker below ``roots``: a process and its descendants.

    ``depth`` 1: the workers are the roots' children (render's pool); 0: the roots themselves (dask worker).
    """

    def __init__(self, depth: int = 1):
        self.depth, self.roots, self.peaks = depth, [], {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, pid: int) -> None:
        self.roots.append(pid)
        if not self._thread.is_alive():
            self._thread.start()

    def _workers(self):
        import psutil

        for pid in self.roots:
            try:
                root = psutil.Process(pid)
                yield from ([root] if self.depth == 0 else root.children())
            except psutil.Error:
                continue

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            for worker in list(self._workers()):
                try:
                    total = sum(p.memory_info().rss for p in [worker, *worker.children(recursive=True)])
                except psutil.Error:
                    continue
                self.peaks[worker.pid] = max(self.peaks.get(worker.pid, 0), total)
            time.sleep(0.3)

    def stop(self) -> str:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if not self.peaks:
            return "—"
        values = sorted(self.peaks.values(), reverse=True)
        return f"{max(values) / 2**20:.0f} MB（{len(values)} 个工作进程）"


def run(argv: list[str], memory: PeakMemory | None = None) -> tuple[float, str]:
    """Run a command to completion; its wall time in seconds and its standard output."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")
    if memory is not None:
        memory.watch(proc.pid)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"命令失败（{proc.returncode}）：{' '.join(argv)}\n{out}\n{err}")
    return elapsed, out


def notebooks(work: Path) -> list[Path]:
    """The month's notebooks as the render runs them: the overview, then area.ipynb with each area preset."""
    from helpers.data.township import load_township
    from helpers.pipeline.arguments import township_notebooks

    tw = load_township(ROOT / "data", TOWNSHIP)
    return list(township_notebooks(ROOT / "notebooks", tw, work / "area-notebooks"))


def naive(work: Path) -> float:
    """(a) papermill then nbconvert per notebook, sequentially, each a fresh process."""
    total = 0.0
    for nb in notebooks(work):
        executed = work / nb.name
        seconds, _ = run([str(BIN / "papermill"), str(nb), str(executed), "-p", "township", TOWNSHIP,
                          "-p", "month", MONTH, "-p", "data_dir", str(ROOT / "data"), "--cwd", str(ROOT / "notebooks")])
        total += seconds
        seconds, _ = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed), "--output-dir", str(work)])
        total += seconds
    return total


def render_cli(out: Path, *args: str, memory: PeakMemory | None = None) -> float:
    return run([sys.executable, "-m", "helpers", "render", "--out", str(out), "--force", *args], memory)[0]


FRESH = ("import sys\nfrom pathlib import Path\nfrom helpers.pipeline.render import render\n"
         "s = render(townships=['sample'], month=sys.argv[1], out=Path(sys.argv[2]), force=True, progress=False,"
         " warm_kernels=False)\nsys.exit(s.exit_code)\n")

LIMIT = """\
import sys, time
from datetime import datetime
from pathlib import Path
from helpers.pipeline.execute import execute_notebook
from helpers.pipeline.kernels import WarmKernel
from helpers.pipeline.stitch import Cover, stitch_report
from helpers.pipeline.tasks import KERNEL_ARGUMENTS
nbs, out = [Path(p) for p in sys.argv[3:]], Path(sys.argv[2])
kernel = WarmKernel(nbs[0].parent, KERNEL_ARGUMENTS)
kernel.start()
started = time.perf_counter()
params = {"township": "sample", "month": sys.argv[1], "data_dir": ""}
done = [execute_notebook(nb, out / nb.name, params, out / "failed", kernel=kernel).path for nb in nbs]
executed = time.perf_counter() - started
stitch_report(done, Cover("XX镇", "XX县", sys.argv[1], datetime.now()), out / "report.html", nbs[0].parent)
print(f"{executed:.3f} {time.perf_counter() - started - executed:.3f}")
kernel.shutdown()
"""


def limit(work: Path) -> tuple[float, float]:
    """(c) seconds executing the notebooks in one warm kernel (after its start-up), and stitching."""
    nbs = list(map(str, notebooks(work)))
    out = run(["taskset", "-c", "0", sys.executable, "-c", LIMIT, MONTH, str(work), *nbs] if _has_taskset() else
              [sys.executable, "-c", LIMIT, MONTH, str(work), *nbs])[1]
    executed, stitched = map(float, out.split()[-2:])
    return executed, stitched


def _has_taskset() -> bool:
    from shutil import which

    return which("taskset") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dask_cluster(work: Path, workers: int = 2):
    """Start ``dask scheduler`` and ``workers`` × ``dask worker`` (one thread each); (address, processes)."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], env=env(), **quiet)]
    for i in range(workers):
        procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard",
                                       "--memory-limit", "0", "--local-directory", str(work / f"w{i}")],
                                      env=env(), **quiet))
    with Client(address, timeout="60s") as client:
        client.wait_for_workers(workers, timeout=120)
    return address, procs


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in reversed(procs):
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def per_minute(months: int, seconds: float) -> str:
    return f"{months / seconds * 60:6.1f} 个乡镇月/分钟"


def main() -> None:
    parser = argparse.ArgumentParser(description="渲染流程的性能基准（整进程计时，一次运行内比较）")
    parser.add_argument("--repeats", type=int, default=1, help="单月各项重复次数，取中位数（默认 1）")
    parser.add_argument("--jobs", type=int, default=None, help="render 的 --jobs（默认：CPU 核数）")
    parser.add_argument("--townships", type=int, default=12, help="批量的乡镇数（默认 12）")
    parser.add_argument("--quick", action="store_true", help="冒烟测试：3 个乡镇 × 1 个月，各项只跑一次")
    args = parser.parse_args()
    from make_county import make_county

    townships, months = (3, ("2018-07", "2018-07")) if args.quick else (args.townships, BATCH_MONTHS)
    repeats = 1 if args.quick else args.repeats
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    n_months = int(months[1][5:]) - int(months[0][5:]) + 1
    batch = townships * n_months
    rows = {}
    with tempfile.TemporaryDirectory(prefix="render-bench-") as tmp:
        tmp = Path(tmp)
        n_notebooks = len(notebooks(tmp))
        a = statistics.median(naive(_mk(tmp / f"naive-{i}")) for i in range(repeats))
        print(f"(a) {a:.1f} 秒", flush=True)
        memory = PeakMemory()
        b = statistics.median(render_cli(tmp / f"one-{i}", "--township", TOWNSHIP, "--month", MONTH, *jobs,
                                         memory=memory) for i in range(repeats))
        rows["b"] = (b, memory.stop())
        print(f"(b) {b:.1f} 秒", flush=True)
        c_exec, c_stitch = limit(_mk(tmp / "limit"))
        print(f"(c) {c_exec:.1f} + {c_stitch:.1f} 秒", flush=True)
        d = statistics.median(run([sys.executable, "-c", FRESH, MONTH, str(tmp / f"fresh-{i}")])[0]
                              for i in range(repeats))
        print(f"(d) {d:.1f} 秒", flush=True)

        data = tmp / "county"
        ids = make_county(data, townships)
        span = ["--months", f"{months[0]}:{months[1]}"]
        town_args = [x for t in ids for x in ("--township", t)]
        memory = PeakMemory()
        e = render_cli(tmp / "batch-local", "--data-dir", str(data), *town_args, *span, *jobs, memory=memory)
        rows["e"] = (e, memory.stop())
        print(f"(e) {e:.1f} 秒", flush=True)
        address, procs = dask_cluster(tmp)
        try:
            memory = PeakMemory(depth=0)
            for proc in procs[1:]:
                memory.watch(proc.pid)
            f = render_cli(tmp / "batch-dask", "--data-dir", str(data), *town_args, *span, "--scheduler", address)
            rows["f"] = (f, memory.stop())
        finally:
            stop(procs)
        print(f"(f) {f:.1f} 秒", flush=True)

    cores = args.jobs or os.cpu_count()
    print()
    print(f"笔记本 {n_notebooks} 个，jobs={cores}，单月各项重复 {repeats} 次取中位数；批量 {townships} 个乡镇 × "
          f"{n_months} 个月 = {batch} 个乡镇月。机器与他人共用时计时有噪声：请看同一次运行内的比值。")
    print(f"(a) 朴素流程（papermill + nbconvert，逐个）：{a:7.1f} 秒  {per_minute(1, a)}")
    print(f"(b) render 一个月（热内核）：            {b:7.1f} 秒  {per_minute(1, b)}  峰值内存/进程 {rows['b'][1]}")
    print(f"(c) 单个热内核极限（单核）：            {c_exec + c_stitch:7.1f} 秒  "
          f"（执行 {c_exec:.1f} + 拼接 {c_stitch:.1f}）")
    print(f"(d) render 一个月（每个笔记本新内核）：  {d:7.1f} 秒  {per_minute(1, d)}")
    print(f"(e) 批量，本机进程：                     {e:7.1f} 秒  {per_minute(batch, e)}  "
          f"峰值内存/进程 {rows['e'][1]}")
    print(f"(f) 批量，本机 Dask（2 个 worker）：     {f:7.1f} 秒  {per_minute(batch, f)}  "
          f"峰值内存/worker {rows['f'][1]}")
    print(f"a/b = {a / b:.2f}（目标 ≥ 4）   b/c = {b / (c_exec + c_stitch):.2f}（目标 ≤ 1.3）   d/b = {d / b:.2f}")
    print(f"(e 每乡镇月)/b = {e / batch / b:.2f}（目标 ≤ 0.6）   (f 每乡镇月)/b = {f / batch / b:.2f}   "
          f"f/e = {f / e:.2f}")


def _mk(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


if __name__ == "__main__":
    main()
