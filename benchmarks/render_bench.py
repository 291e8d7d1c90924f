"""Time the render pipeline against the naive loop, whole processes, on the sample township (not a test).

(a) naive: for each notebook, the ``papermill`` CLI then ``jupyter nbconvert --to html``, one after the
    other, as a shell script would;
(b) ``python -m helpers render`` of one month, forced;
(c) ``render --months 2018-01:2018-08`` into an empty folder (cold, forced);
(d) the same again with nothing changed.

Prints the median of each over ``--repeats`` runs and the ratios a/b and (c per month)/b.
Usage: ``python benchmarks/render_bench.py [--repeats 3] [--jobs N]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOWNSHIP, MONTH, FIRST_MONTH = "sample", "2018-08", "2018-01"


def run(argv: list[str], cwd: Path = ROOT) -> tuple[float, str]:
    """Run a command to completion; its wall time in seconds and its standard output."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8")
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"命令失败（{done.returncode}）：{' '.join(argv)}\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def notebooks() -> list[Path]:
    return sorted(p for p in (ROOT / "notebooks").glob("[0-9]*_*.ipynb"))


def naive(work: Path) -> float:
    """(a) papermill then nbconvert per notebook, sequentially, each a fresh process."""
    total = 0.0
    for nb in notebooks():
        executed = work / nb.name
        seconds, _ = run([str(BIN / "papermill"), str(nb), str(executed), "-p", "township", TOWNSHIP,
                          "-p", "month", MONTH, "-p", "data_dir", str(ROOT / "data"), "--cwd", str(ROOT / "notebooks")])
        total += seconds
        seconds, _ = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed), "--output-dir", str(work)])
        total += seconds
    return total


def render(out: Path, *args: str) -> tuple[float, str]:
    return run([sys.executable, "-m", "helpers", "render", "--township", TOWNSHIP, "--out", str(out), *args])


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description="渲染流程的性能基准（整进程计时）")
    parser.add_argument("--repeats", type=int, default=3, help="每项重复次数，取中位数（默认 3）")
    parser.add_argument("--jobs", type=int, default=None, help="render 的 --jobs（默认：CPU 核数）")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    months = len(range(int(FIRST_MONTH[5:]), int(MONTH[5:]) + 1))
    a, b, c, d = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="render-bench-") as tmp:
        tmp = Path(tmp)
        for i in range(args.repeats):
            work = tmp / f"naive-{i}"
            work.mkdir()
            a.append(naive(work))
            print(f"(a) 第 {i + 1} 次：{a[-1]:.1f} 秒", flush=True)
        for i in range(args.repeats):
            b.append(render(tmp / f"one-{i}", "--month", MONTH, "--force", *jobs)[0])
            print(f"(b) 第 {i + 1} 次：{b[-1]:.1f} 秒", flush=True)
        for i in range(args.repeats):
            out = tmp / f"batch-{i}"
            c.append(render(out, "--months", f"{FIRST_MONTH}:{MONTH}", "--force", *jobs)[0])
            print(f"(c) 第 {i + 1} 次：{c[-1]:.1f} 秒", flush=True)
            seconds, stdout = render(out, "--months", f"{FIRST_MONTH}:{MONTH}", *jobs)
            if f"未变化跳过 {months}" not in stdout:
                print(f"  注意：(d) 并未全部跳过（输入在两次运行之间变了？）：{stdout.strip().splitlines()[-2:]}")
            d.append(seconds)
            print(f"(d) 第 {i + 1} 次：{d[-1]:.2f} 秒", flush=True)

    ma, mb, mc, md = median(a), median(b), median(c), median(d)
    print()
    print(f"笔记本 {len(notebooks())} 个，批量 {months} 个月，jobs={args.jobs or os.cpu_count()}，"
          f"重复 {args.repeats} 次取中位数")
    print(f"(a) 朴素流程（papermill + nbconvert，逐个）：{ma:6.1f} 秒")
    print(f"(b) render 一个月（--force）：            {mb:6.1f} 秒")
    print(f"(c) render {months} 个月（冷启动，--force）：      {mc:6.1f} 秒（每月 {mc / months:.1f} 秒）")
    print(f"(d) render {months} 个月（无变化）：            {md:6.2f} 秒（每月 {md / months:.2f} 秒）")
    print(f"a/b = {ma / mb:.2f}    (c 每月)/b = {mc / months / mb:.2f}")


if __name__ == "__main__":
    main()
