"""The render command: resolving what to render, validation first, folders and locks, and whole renders.

Whole renders are marked ``e2e``. The real notebooks render twice (the sample's 2018-08, shared by the
tests that look at it, and the mini fixture township through the command line); the incremental,
failure, concurrency and interruption tests use the tiny fixture notebooks to stay quick.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import nbformat
import pytest
from openpyxl import load_workbook
from test_stitch import assert_self_contained_report

from helpers.cli import main
from helpers.config import DATA_DIR, NOTEBOOKS_DIR, ROOT
from helpers.data.township import load_township
from helpers.exceptions import DataValidationError, ReportError
from helpers.pipeline import render as render_module
from helpers.pipeline import scheduler as scheduler_module
from helpers.pipeline.arguments import (
    load_townships,
    month_range,
    report_notebooks,
    requested_months,
    resolve_townships,
    township_notebooks,
)
from helpers.pipeline.jobs import MonthJob, RenderSummary
from helpers.pipeline.publish import display_path, move_into_place, recover, try_lock, unlock
from helpers.pipeline.render import render

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "notebooks" / "tiny"
FAILING = FIXTURES / "notebooks" / "failing"
SLOW = FIXTURES / "notebooks" / "slow"
MINI_DATA = FIXTURES / "data"


def leftovers(out: Path) -> list[str]:
    """Work folders and set-aside folders left under ``out`` (lock files are meant to stay)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob(".*")
                  if ".tmp-" in p.name or ".old-" in p.name or p.name.startswith(".index-"))


REFERENCE_H1 = ["概况与关键指标", "一、夯实基础，突出党建第一保障", "二、富民强镇，突出发展第一要务",
                "三、改善民生，突出乡村振兴第一目标", "四、守住底线，突出安全稳定生态第一责任", "附表"]
"""The sample's report: the overview, the reference report's four areas under their headings, the collapsed 附表."""


def assert_report_sections(facts) -> None:
    """The overview, the four areas of the bundled default profile in order, then the 附表."""
    assert facts.h1 == REFERENCE_H1, facts.h1


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- resolving what to render ------------------------------------------------------------------------


def test_requested_months():
    assert requested_months(None, None) is None
    assert requested_months("2018-08", None) == ["2018-08"]
    assert requested_months(None, "2017-11:2018-02") == ["2017-11", "2017-12", "2018-01", "2018-02"]
    assert requested_months(None, "2018-08:2018-08") == ["2018-08"]
    assert month_range("2018-12", "2019-01") == ["2018-12", "2019-01"]


MONTH_FORMAT, RANGE_FORMAT, REVERSED = "月份格式应为 YYYY-MM，例如 2018-08", "月份范围格式应为 YYYY-MM:YYYY-MM", \
    "起始月份晚于结束月份"


@pytest.mark.parametrize("month, months, expected", [
    ("2018-8", None, [("--month", "2018-8", MONTH_FORMAT)]),
    ("2018-13", None, [("--month", "2018-13", MONTH_FORMAT)]),
    ("18-08", None, [("--month", "18-08", MONTH_FORMAT)]),
    ('2018-08"; import os', None, [("--month", '2018-08"; import os', MONTH_FORMAT)]),
    ("2018-08\n", None, [("--month", "2018-08\n", MONTH_FORMAT)]),
    (None, "2018-08", [("--months", "2018-08", RANGE_FORMAT)]),
    (None, "2018-08:2018-01", [("--months", "2018-08:2018-01", REVERSED)]),
    (None, "2018-01:2018-1", [("--months", "2018-1", MONTH_FORMAT)]),
    (None, "2018-01:", [("--months", "", MONTH_FORMAT)]),
    (None, "2018-1:2018-13", [("--months", "2018-1", MONTH_FORMAT), ("--months", "2018-13", MONTH_FORMAT)]),
])
def test_malformed_months_are_rejected_before_anything_runs(month, months, expected):
    with pytest.raises(DataValidationError) as err:
        requested_months(month, months)
    assert [(p.file, p.value, p.reason) for p in err.value.problems] == expected
    assert str(err.value).startswith(f"参数有误，共 {len(expected)} 处问题：")


def make_townships(data_dir: Path, *names: str) -> None:
    for name in names:
        (data_dir / name).mkdir(parents=True)
        (data_dir / name / "township.yaml").write_text("name: x\n", encoding="utf-8")


def test_resolve_townships(tmp_path):
    make_townships(tmp_path, "乙镇", "甲镇", ".hidden")
    (tmp_path / "no_yaml").mkdir()
    assert resolve_townships(tmp_path, None) == ["sample"]
    assert resolve_townships(tmp_path, ["all"]) == sorted(["乙镇", "甲镇"])
    assert resolve_townships(tmp_path, ["甲镇", "甲镇"]) == ["甲镇"]


@pytest.mark.parametrize("name", ["../etc", "a/b", "", ".hidden", "x;rm -rf"])
def test_township_names_are_checked(tmp_path, name):
    with pytest.raises(DataValidationError):
        resolve_townships(tmp_path, [name])


def test_all_without_townships_is_invalid(tmp_path):
    with pytest.raises(DataValidationError) as err:
        resolve_townships(tmp_path, ["all"])
    assert "township.yaml" in str(err.value)


def test_report_notebooks_are_the_numbered_ones_in_order(tmp_path):
    for name in ("20_b.ipynb", "00_a.ipynb", "scratch.ipynb", "10_c.ipynb", "notes.txt"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in report_notebooks(tmp_path)] == ["00_a.ipynb", "10_c.ipynb", "20_b.ipynb"]
    with pytest.raises(ReportError):
        report_notebooks(tmp_path / "empty")


def test_the_project_notebooks_are_the_overview_and_the_four_areas(tmp_path):
    names = [p.stem.split("_", 1)[1] for p in township_notebooks(NOTEBOOKS_DIR, load_township(DATA_DIR, "sample"),
                                                                 tmp_path)]
    assert names == ["overview", "party", "economy", "livelihood", "safety"]


def test_a_requested_month_without_data_is_invalid(sample_copy):
    with pytest.raises(DataValidationError) as err:
        load_townships(sample_copy, ["sample"], ["2018-08", "2019-01"])
    assert [p.value for p in err.value.problems] == ["2019-01"]


def test_problems_of_several_townships_name_the_township(sample_copy):
    (sample_copy / "sample" / "monthly.csv").write_text("month,village,indicator,value\nxx,,a,1\n", encoding="utf-8")
    (sample_copy / "other").mkdir()
    with pytest.raises(DataValidationError) as err:
        load_townships(sample_copy, ["sample", "other"], None)
    files = {p.file for p in err.value.problems}
    assert any(f.startswith("sample/") for f in files) and any("other" in f for f in files)


def test_invalid_data_stops_everything_and_writes_nothing(sample_copy, tmp_path):
    (sample_copy / "sample" / "monthly.csv").write_text("month,village,indicator,value\n2018-13,,nope,x\n",
                                                        encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(DataValidationError):
        render(sample_copy, ["sample"], out=out, notebooks_dir=TINY, progress=False)
    assert not out.exists()


def test_invalid_arguments_write_nothing(tmp_path):
    out = tmp_path / "out"
    for kwargs in ({"month": "2018-8"}, {"townships": ["../x"]}, {"jobs": 0}, {"month": "2030-01"}):
        with pytest.raises(DataValidationError):
            render(DATA_DIR, **{"townships": ["sample"], **kwargs}, out=out, notebooks_dir=TINY, progress=False)
    assert not out.exists()


def test_cli_exit_status_2_for_invalid_input(tmp_path, capsys):
    assert main(["render", "--month", "2018-13", "--out", str(tmp_path / "out")]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- folders and locks -------------------------------------------------------------------------------


def job_in(out: Path, month: str = "2018-08") -> MonthJob:
    return MonthJob("sample", month, DATA_DIR, out, ())


def test_move_into_place_replaces_the_old_folder(tmp_path):
    job = job_in(tmp_path)
    job.report_dir.mkdir(parents=True)
    (job.report_dir / "report.html").write_text("old", encoding="utf-8")
    work = job.township_dir / ".2018-08.tmp-x"
    work.mkdir()
    (work / "report.html").write_text("new", encoding="utf-8")
    move_into_place(work, job.report_dir)
    assert (job.report_dir / "report.html").read_text(encoding="utf-8") == "new"
    assert leftovers(tmp_path) == []


def test_recover_puts_back_a_report_left_aside_and_drops_work_folders(tmp_path):
    job = job_in(tmp_path)
    aside = job.township_dir / ".2018-08.old-1234"
    aside.mkdir(parents=True)
    (aside / "report.html").write_text("good", encoding="utf-8")
    (job.township_dir / ".2018-08.tmp-abcd").mkdir()
    (job.township_dir / ".2018-07.tmp-keep").mkdir()  # another month's: not ours to touch
    recover(job)
    assert (job.report_dir / "report.html").read_text(encoding="utf-8") == "good"
    assert leftovers(tmp_path) == ["sample/.2018-07.tmp-keep"]


def test_recover_keeps_the_current_report_over_an_aside_one(tmp_path):
    job = job_in(tmp_path)
    job.report_dir.mkdir(parents=True)
    (job.report_dir / "report.html").write_text("current", encoding="utf-8")
    (job.township_dir / ".2018-08.old-1").mkdir()
    recover(job)
    assert (job.report_dir / "report.html").read_text(encoding="utf-8") == "current"
    assert leftovers(tmp_path) == []


def test_cleanup_after_an_interrupted_swap_puts_the_old_report_back(tmp_path):
    job = job_in(tmp_path)
    aside = job.township_dir / ".2018-08.old-1234"  # renamed aside, the new one not yet renamed in
    aside.mkdir(parents=True)
    (aside / "report.html").write_text("good", encoding="utf-8")
    work = job.township_dir / ".2018-08.tmp-abcd"
    work.mkdir()
    month = scheduler_module.MonthState(job, None, lock=try_lock(job.lock_path), work_dir=work)
    scheduler = scheduler_module.Scheduler([], 1, False, tmp_path, lambda text, err=False: None, None)
    scheduler.active.append(month)
    scheduler.cleanup()
    assert (job.report_dir / "report.html").read_text(encoding="utf-8") == "good"
    assert leftovers(tmp_path) == []
    fd = try_lock(job.lock_path)
    assert fd is not None
    unlock(fd)


def test_month_lock_is_exclusive(tmp_path):
    path = tmp_path / "t" / ".2018-08.lock"
    first = try_lock(path)
    assert first is not None
    assert try_lock(path) is None
    unlock(first)
    again = try_lock(path)
    assert again is not None
    unlock(again)


def test_expected_seconds_from_history_else_code_cells(tmp_path):
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    for name, cells in (("00_a.ipynb", 1), ("10_b.ipynb", 3)):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x") for _ in range(cells)])
        nbformat.write(nb, notebooks / name)
    paths = tuple(sorted(notebooks.iterdir()))
    job = MonthJob("sample", "2018-08", DATA_DIR, tmp_path / "out", paths)
    assert scheduler_module.expected_seconds(job) == {"00_a.ipynb": 1.0, "10_b.ipynb": 3.0}
    other = job.township_dir / "2018-07"
    other.mkdir(parents=True)
    record = {"digest": "x", "parts": {}, "report": {"seconds": {"00_a.ipynb": 9.5, "10_b.ipynb": 2.0}}}
    (other / "fingerprint.json").write_text(json.dumps(record), encoding="utf-8")
    assert scheduler_module.expected_seconds(job) == {"00_a.ipynb": 9.5, "10_b.ipynb": 2.0}
    job.report_dir.mkdir()
    record["report"]["seconds"] = {"00_a.ipynb": 1.0, "10_b.ipynb": 4.0}
    (job.report_dir / "fingerprint.json").write_text(json.dumps(record), encoding="utf-8")
    assert scheduler_module.expected_seconds(job) == {"00_a.ipynb": 1.0, "10_b.ipynb": 4.0}


def test_summary_line_and_exit_code():
    s = RenderSummary(rendered=("a/2018-01", "a/2018-02"), skipped=("a/2018-03",), failed=("a/2018-04",))
    assert s.line == "已生成 2，未变化跳过 1，失败 1"
    assert s.exit_code == 1
    assert RenderSummary().exit_code == 0


# --- whole renders -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_render(tmp_path_factory):
    """The sample's 2018-08 rendered once with the project notebooks (shared, do not modify)."""
    out = tmp_path_factory.mktemp("render") / "outputs"
    lines = []
    summary = render(DATA_DIR, ["sample"], month="2018-08", out=out, jobs=2, progress=False,
                     say=lambda text, err: lines.append(text))
    return summary, out, lines


@pytest.mark.e2e
def test_sample_month_renders_with_the_full_layout(sample_render, tmp_path):
    summary, out, lines = sample_render
    assert summary.errors == () and summary.rendered == ("sample/2018-08",), summary.errors
    report_dir = out / "sample" / "2018-08"
    assert summary.reports == (report_dir / "report.html",)
    assert f"已生成：{display_path(report_dir / 'report.html')}" in lines
    assert sorted(p.name for p in (report_dir / "notebooks").iterdir()) == [
        p.name for p in township_notebooks(NOTEBOOKS_DIR, load_township(DATA_DIR, "sample"), tmp_path)]
    for executed in (report_dir / "notebooks").iterdir():
        nb = nbformat.read(executed, as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and '"2018-08"' in injected[0].source
    wb = load_workbook(report_dir / "summary.xlsx")
    assert wb.sheetnames[0] == "总览" and wb["总览"].freeze_panes == "C3"
    headings = [p.text for p in docx.Document(report_dir / "report.docx").paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["一、夯实基础，突出党建第一保障", "二、富民强镇，突出发展第一要务",
                            "三、改善民生，突出乡村振兴第一目标", "四、守住底线，突出安全稳定生态第一责任"]
    record = json.loads((report_dir / "fingerprint.json").read_text(encoding="utf-8"))
    assert record["report"]["township_name"] == "XX镇" and record["report"]["month"] == "2018-08"
    assert "2018年8月" in (out / "index.html").read_text(encoding="utf-8")
    assert leftovers(out) == []
    assert not (out / "sample" / "2018-08.failed").exists()


@pytest.mark.e2e
def test_sample_report_html(sample_render):
    _, out, _ = sample_render
    html = (out / "sample" / "2018-08" / "report.html").read_text(encoding="utf-8")
    facts = assert_self_contained_report(html)
    assert_report_sections(facts)
    assert "XX镇工作月报" in facts.text and "2018年8月" in facts.text and 'class="report-provenance"' in html


@pytest.mark.e2e
def test_second_render_skips_every_notebook(sample_render):
    summary, out, _ = sample_render
    again = functools.partial(render, DATA_DIR, ["sample"], month="2018-08", out=out, jobs=2, progress=False,
                              say=lambda text, err: None)
    # The checkout is shared with people editing helpers/ and notebooks/: bring the report up to date
    # first (normally a skip already), then the run right after it must skip.
    first = again()
    before = tree_bytes(out / "sample" / "2018-08")
    second = again()
    assert second.skipped == ("sample/2018-08",), f"inputs changed between two runs: {first}"
    assert second.rendered == () and second.notebooks_executed == 0
    assert second.reports == summary.reports
    assert tree_bytes(out / "sample" / "2018-08") == before


@pytest.mark.e2e
def test_mini_township_through_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "outputs"
    code = main(["render", "--data-dir", str(MINI_DATA), "--township", "mini", "--out", str(out), "--jobs", "2"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "outputs/mini/2020-04/report.html" in captured.out
    assert "已生成 1，未变化跳过 0，失败 0" in captured.out
    html = (out / "mini" / "2020-04" / "report.html").read_text(encoding="utf-8")
    facts = assert_self_contained_report(html)
    assert_report_sections(facts)
    assert "示例乡工作月报" in facts.text and "2020年4月" in facts.text


@pytest.mark.e2e
def test_changed_data_renders_that_month_again(sample_copy, tmp_path):
    out = tmp_path / "out"
    quiet = functools.partial(render, sample_copy, ["sample"], month="2018-08", out=out, jobs=2,
                              notebooks_dir=TINY, progress=False, say=lambda text, err: None)
    assert quiet().rendered == ("sample/2018-08",)
    assert quiet().skipped == ("sample/2018-08",)
    yaml = sample_copy / "sample" / "township.yaml"
    os.utime(yaml)  # a new time with the same bytes is no change
    assert quiet().skipped == ("sample/2018-08",)
    yaml.write_text(yaml.read_text(encoding="utf-8") + "# 修改\n", encoding="utf-8")
    again = quiet()
    assert again.rendered == ("sample/2018-08",) and again.notebooks_executed == 1
    assert quiet(force=True).rendered == ("sample/2018-08",)
    assert leftovers(out) == []


@pytest.mark.e2e
def test_failed_notebook_keeps_the_old_report_and_the_other_months(sample_copy, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    first = render(sample_copy, ["sample"], month="2018-08", out=out, notebooks_dir=TINY, progress=False,
                   say=lambda text, err: None)
    assert first.rendered == ("sample/2018-08",)
    before = tree_bytes(out / "sample" / "2018-08")
    monkeypatch.setattr(render_module, "render", functools.partial(render, notebooks_dir=FAILING, progress=False))
    code = main(["render", "--data-dir", str(sample_copy), "--months", "2018-07:2018-08", "--out", str(out),
                 "--jobs", "2"])
    captured = capsys.readouterr()
    assert code == 1
    assert "已生成 1，未变化跳过 0，失败 1" in captured.out
    failed_path = out / "sample" / "2018-08.failed" / "10_fails.ipynb"
    for part in ("10_fails.ipynb", "第 4 个单元格", "ValueError", "故意的错误：测试用", str(failed_path)):
        assert part in captured.err, (part, captured.err)
    failed = nbformat.read(failed_path, as_version=4)
    assert any(o.get("ename") == "ValueError" for c in failed.cells for o in c.get("outputs", []))
    assert tree_bytes(out / "sample" / "2018-08") == before, "the old report must stay untouched"
    assert (out / "sample" / "2018-07" / "report.html").is_file()
    assert leftovers(out) == []
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2018年7月" in index and "2018年8月" in index


@pytest.mark.e2e
def test_a_failed_word_copy_fails_its_month_and_keeps_the_old_report(sample_copy, tmp_path, monkeypatch):
    """The Word and Excel copies are a task of their own, beside the notebooks.

    A failure there fails the month like a failed notebook, and nothing of it is published.
    """
    from helpers.report.docx import writer as docx_writer

    out = tmp_path / "out"
    quiet = functools.partial(render, sample_copy, ["sample"], month="2018-08", out=out, jobs=2,
                              notebooks_dir=TINY, progress=False, say=lambda text, err: None)
    assert quiet().rendered == ("sample/2018-08",)
    before = tree_bytes(out / "sample" / "2018-08")
    assert {"report.docx", "summary.xlsx", "report.html"} <= set(before)

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(docx_writer, "write_docx", broken)  # the forked workers inherit it
    again = quiet(force=True)
    assert again.failed == ("sample/2018-08",) and again.rendered == ()
    message = "sample/2018-08 的汇总表或 Word 文档生成失败：OSError: 磁盘已满"
    assert any(message in e for e in again.errors), again.errors
    assert tree_bytes(out / "sample" / "2018-08") == before
    assert leftovers(out) == []


def render_script(out: Path, data_dir: Path, notebooks: Path, *extra: str) -> list[str]:
    """A fresh interpreter running the command line with another notebooks folder."""
    code = ("import functools, sys\nfrom pathlib import Path\nfrom helpers.pipeline import render as r\n"
            f"r.render = functools.partial(r.render, notebooks_dir=Path({str(notebooks)!r}), progress=False)\n"
            "from helpers.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    return [sys.executable, "-c", code, "render", "--data-dir", str(data_dir), "--month", "2018-08",
            "--out", str(out), "--jobs", "1", *extra]


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}


@pytest.mark.e2e
def test_two_processes_rendering_the_same_month_leave_one_complete_report(sample_copy, tmp_path):
    out = tmp_path / "out"
    argv = render_script(out, sample_copy, TINY, "--force")
    procs = [subprocess.Popen(argv, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    report_dir = out / "sample" / "2018-08"
    assert (report_dir / "report.html").is_file() and (report_dir / "summary.xlsx").is_file()
    assert json.loads((report_dir / "fingerprint.json").read_text(encoding="utf-8"))["report"]["month"] == "2018-08"
    assert leftovers(out) == []
    assert sorted(p.name for p in (out / "sample").iterdir()) == [".2018-08.lock", "2018-08"]


@pytest.mark.e2e
@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
def test_interrupted_render_leaves_no_work_folder(sample_copy, tmp_path, how):
    out = tmp_path / "out"
    proc = subprocess.Popen(render_script(out, sample_copy, SLOW), env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((out / "sample").glob(".2018-08.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list((out / "sample").glob(".2018-08.tmp-*")), "the render never started"
    time.sleep(1.5)  # let the kernel start and the slow cell run
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C in a terminal does: the whole process group
    else:
        os.kill(proc.pid, signal.SIGTERM)  # `kill PID`: only the command itself
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "已中断" in err and "Traceback" not in err, err
    assert leftovers(out) == []
    assert not (out / "sample" / "2018-08").exists()
    fd = try_lock(out / "sample" / ".2018-08.lock")
    assert fd is not None, "the month lock must be released"
    unlock(fd)
