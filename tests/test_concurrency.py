"""Renders that overlap or are cut short: the end state is one complete, correct report per month.

Two ``render`` processes of the same month started together; two writers of the index interleaved; a
batch interrupted half-way with Ctrl-C (SIGINT to its whole process group, as a terminal sends it) and
then run again. Afterwards: every month folder complete, no temporary or aside folders, no process of the
render left running, and ``index.html`` listing exactly the reports on disk. Uses the small fixture
township (示例乡, 2020-01..04), whose months render in a few seconds each.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest_proof import RENDER_TIMEOUT_SECONDS, cli_env, render_argv, tree_digest, tree_listing

from helpers.config import ROOT

# Marked per test: the index-writer race runs in-process in a second or two and belongs to the fast subset.

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"
TOWNSHIP = "mini"
MONTHS = ("2020-01", "2020-02", "2020-03", "2020-04")
NOTEBOOKS = ["00_overview.ipynb", "10_party.ipynb", "20_economy.ipynb", "30_livelihood.ipynb", "40_safety.ipynb"]
"""The executed notebooks of a month of the fixture township (the overview, then its four areas, by their ids)."""
LEFTOVER = re.compile(r"(^|/)\.[^/]*\.(tmp|old)-|\.failed(/|$)|(^|/)\.index-")
"""Work folders, folders set aside during a swap, failed-notebook folders, half-written index files."""


# --- running ----------------------------------------------------------------------------------------------


def start(tmp_path: Path, name: str, *args: str) -> tuple[subprocess.Popen, Path]:
    """``python -m helpers render ARGS`` in its own process group; stdout and stderr to ``name``.out/.err."""
    log = tmp_path / name
    proc = subprocess.Popen(render_argv(*args), cwd=ROOT, env=cli_env(), start_new_session=True,
                            stdout=(log.with_suffix(".out")).open("w"), stderr=(log.with_suffix(".err")).open("w"))
    return proc, log


def output(log: Path) -> str:
    return log.with_suffix(".out").read_text(encoding="utf-8") + log.with_suffix(".err").read_text(encoding="utf-8")


def finish(proc: subprocess.Popen, timeout: float = RENDER_TIMEOUT_SECONDS) -> int:
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def summary_counts(text: str) -> tuple[int, int, int]:
    """(rendered, skipped, failed) from the summary line 已生成 N，未变化跳过 N，失败 N."""
    found = re.search(r"已生成 (\d+)，未变化跳过 (\d+)，失败 (\d+)", text)
    assert found, f"no summary line in:\n{text}"
    return int(found[1]), int(found[2]), int(found[3])


@pytest.fixture()
def data_dir(tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA / TOWNSHIP, data / TOWNSHIP)
    return data


# --- the end state ------------------------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def index_reports(out: Path) -> list[str]:
    """The report links of index.html in page order, each checked to point at a file that exists."""
    parser = Links()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    reports = [h for h in parser.hrefs if h.endswith("report.html")]
    for href in parser.hrefs:
        assert (out / href).is_file(), f"index.html links to a missing file: {href}"
    return reports


def assert_complete(out: Path, month: str) -> None:
    """The month's folder holds a whole report of that month: HTML to its end, notebooks, workbook, record."""
    import json

    import openpyxl

    folder = out / TOWNSHIP / month
    html = (folder / "report.html").read_text(encoding="utf-8")
    year, m = month.split("-")
    assert html.rstrip().endswith("</html>"), f"{month}: report.html is cut short"
    assert f"{int(year)}年{int(m)}月" in html and "示例乡" in html
    assert html.count('class="report-provenance"') == 1
    assert sorted(p.name for p in (folder / "notebooks").glob("*.ipynb")) == NOTEBOOKS
    record = json.loads((folder / "fingerprint.json").read_text(encoding="utf-8"))
    assert record["report"]["month"] == month and record["report"]["township"] == TOWNSHIP
    openpyxl.load_workbook(folder / "summary.xlsx").close()


def fingerprint_parts(out: Path, month: str) -> dict[str, str]:
    import json

    return json.loads((out / TOWNSHIP / month / "fingerprint.json").read_text(encoding="utf-8"))["parts"]


def assert_clean(out: Path) -> None:
    leftovers = [p for p in tree_listing(out) if LEFTOVER.search(p)]
    assert leftovers == [], f"left behind: {leftovers}"


def assert_consistent(out: Path, months: list[str]) -> None:
    """Exactly ``months`` on disk, each complete, listed once in index.html, newest first."""
    on_disk = sorted(p.name for p in (out / TOWNSHIP).iterdir() if re.fullmatch(r"\d{4}-\d{2}", p.name))
    assert on_disk == sorted(months)
    for month in months:
        assert_complete(out, month)
    assert_clean(out)
    assert index_reports(out) == [f"{TOWNSHIP}/{m}/report.html" for m in sorted(months, reverse=True)]


# --- two processes, one month --------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_two_renders_of_the_same_month_started_together(tmp_path, data_dir, force):
    out = tmp_path / "outputs"
    args = ["--data-dir", str(data_dir), "--township", TOWNSHIP, "--month", MONTHS[-1], "--out", str(out),
            "--jobs", "2", *(["--force"] if force else [])]
    a, log_a = start(tmp_path, "a", *args)
    b, log_b = start(tmp_path, "b", *args)
    codes = finish(a), finish(b)
    texts = output(log_a), output(log_b)
    assert codes == (0, 0), texts
    counts = [summary_counts(t) for t in texts]
    if force:  # both render, one after the other: the lock serialises them
        assert [c[0] for c in counts] == [1, 1], texts
    else:  # one renders, the other waits for it and finds the month current
        assert sorted(counts) == [(0, 1, 0), (1, 0, 0)], texts
    assert not group_alive(a.pid) and not group_alive(b.pid)
    assert_consistent(out, [MONTHS[-1]])


def test_index_writers_do_not_lose_each_others_reports(tmp_path, monkeypatch):
    """Two writers of index.html interleaved so that one scans before the other's report exists.

    Without a lock around scan-and-replace, the writer that scanned first replaces the newer index with its
    stale one. With a lock, the second writer waits, scans after the first has written, and wins.
    """
    import helpers.pipeline.index_page as index_page

    out = tmp_path / "outputs"

    def make_report(month: str) -> None:
        folder = out / TOWNSHIP / month
        folder.mkdir(parents=True)
        (folder / "report.html").write_text("<html></html>", encoding="utf-8")

    make_report(MONTHS[0])
    real_scan = index_page.scan_reports
    scanned, release = threading.Event(), threading.Event()

    def slow_scan(out_dir):
        entries = real_scan(out_dir)
        if threading.current_thread().name == "first":
            scanned.set()
            release.wait(timeout=3)  # the other writer runs in the meantime (or waits for our lock)
        return entries

    monkeypatch.setattr(index_page, "scan_reports", slow_scan)
    first = threading.Thread(target=index_page.write_index, args=(out,), name="first")
    first.start()
    assert scanned.wait(timeout=10)
    make_report(MONTHS[1])
    second = threading.Thread(target=index_page.write_index, args=(out,), name="second")
    second.start()
    second.join(timeout=1.5)  # finishes now without a lock; blocks on the lock with one
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert index_reports(out) == [f"{TOWNSHIP}/{MONTHS[1]}/report.html", f"{TOWNSHIP}/{MONTHS[0]}/report.html"]


# --- Ctrl-C half-way through a batch, then the same command again -------------------------------------------


@pytest.mark.e2e
def test_batch_interrupted_half_way_then_rerun(tmp_path, data_dir):
    out = tmp_path / "outputs"
    months = MONTHS[:3]
    args = ["--data-dir", str(data_dir), "--township", TOWNSHIP, "--months", f"{months[0]}:{months[-1]}",
            "--out", str(out), "--jobs", "2"]
    proc, log = start(tmp_path, "batch", *args)
    deadline = time.monotonic() + RENDER_TIMEOUT_SECONDS
    while not any((out / TOWNSHIP / m / "report.html").is_file() for m in months):
        assert proc.poll() is None, f"the batch ended before it was interrupted:\n{output(log)}"
        assert time.monotonic() < deadline, "no month rendered in time"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
    code = finish(proc, timeout=120)
    text = output(log)
    assert code == 130, f"exit {code}:\n{text}"
    assert "已中断" in text and "Traceback" not in text, text
    time.sleep(0.5)
    assert not group_alive(proc.pid), "worker or kernel processes outlived the interrupted render"

    done = sorted(m for m in months if (out / TOWNSHIP / m).exists())
    assert 1 <= len(done) < len(months), f"not interrupted half-way: {done}"
    assert_consistent(out, done)  # what finished is whole and listed; nothing half-done is left
    kept = {m: tree_digest(out / TOWNSHIP / m) for m in done}
    parts_before = {m: fingerprint_parts(out, m) for m in done}

    proc, log = start(tmp_path, "rerun", *args)
    code = finish(proc)
    text = output(log)
    assert code == 0, text
    changed = {m: [k for k, v in fingerprint_parts(out, m).items() if parts_before[m].get(k) != v] for m in done}
    assert summary_counts(text) == (len(months) - len(done), len(done), 0), (
        f"finished months were rendered again; fingerprint parts that changed: {changed}\n{text}")
    assert_consistent(out, list(months))
    assert {m: tree_digest(out / TOWNSHIP / m) for m in done} == kept, "finished months were redone"
