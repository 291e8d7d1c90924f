"""The monthly routine a township clerk does alone (issue 14), through ``python -m helpers``.

export -> fill in the month in Excel (openpyxl stands in for typing) -> import --month -> render.
Always on a copy of the sample under tmp_path, never in data/sample.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest_proof import WRITE_IN_DIR, cli_env, unprivileged_prefix

from helpers.cli import EXIT_FAILED, EXIT_INVALID, EXIT_OK, main
from helpers.config import DATA_DIR, ROOT
from helpers.data.report_profile.reading import DEFAULT_FILE
from helpers.data.schema import TABLES, TABLES_BY_NAME
from helpers.data.township import load_township
from helpers.data.workbook.importing import BACKUP_DIR
from helpers.data.workbook.merging import MONTH_COLUMNS
from helpers.data.workbook.terms import INFO_SHEET, SHEET_NAMES
from tests.builders import tree_hash

# The clerk's routine end to end on a full copy of the sample: each test exports and imports the whole township
# (4–10 s apiece on two cores), so the module is e2e; the workbook pieces are tested fast in test_workbook.py and
# test_excel_input.py.
pytestmark = pytest.mark.e2e


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def export(capsys, data_dir: Path, path: Path, township: str = "sample") -> Path:
    code, out, err = cli(capsys, "export", "--township", township, "--data-dir", str(data_dir), str(path))
    assert code == EXIT_OK, err
    return path


def add_september(book) -> int:
    """Type September into an exported workbook: each August figure again, a stage, an event, a line."""
    ws = book[SHEET_NAMES["monthly"]]
    august = [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "2018-08"]
    for row in august:
        ws.append(["2018-09", row[1], row[2], row[3]])
    ws = book[SHEET_NAMES["project_progress"]]
    for row in [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "2018-08"]:
        ws.append(["2018-09", row[1], row[2], min(100, row[3] + 5), row[4]])
    book[SHEET_NAMES["events"]].append(["2018-09-10", "党建", "部署", "部署第四季度党建工作", None])
    book[SHEET_NAMES["highlights"]].append(["2018-09", "总体", "九月各项工作有序推进"])
    return len(august)


def assert_same(a, b, tables=None) -> None:
    for table in tables or [t.name for t in TABLES]:
        pd.testing.assert_frame_equal(getattr(a, table).reset_index(drop=True),
                                      getattr(b, table).reset_index(drop=True), obj=table)


def test_export_then_import_gives_identical_tables(sample_copy, tmp_path, capsys):
    book = export(capsys, sample_copy, tmp_path / "现有数据.xlsx")
    code, out, err = cli(capsys, "import", str(book), "--township", "副本", "--data-dir", str(sample_copy))
    assert code == EXIT_OK, err
    assert_same(load_township(sample_copy, "sample"), load_township(sample_copy, "副本"))
    for table in TABLES:  # the CSV files read back as the same frames, codes and English choices included
        a = pd.read_csv(sample_copy / "sample" / table.file, dtype=str, keep_default_na=False)
        b = pd.read_csv(sample_copy / "副本" / table.file, dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(a.apply(lambda s: s.str.replace(r"\.0$", "", regex=True)),
                                      b.apply(lambda s: s.str.replace(r"\.0$", "", regex=True)), obj=table.name)


@pytest.mark.parametrize("month", [None, "2024-09"])
def test_the_second_example_round_trips_with_its_own_areas(tmp_path, capsys, month):
    """The second example's areas (governance, ecology …) and event types are its report.yaml's."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR / "qingshi", data_dir / "qingshi")
    book = export(capsys, data_dir, tmp_path / "青石.xlsx", township="qingshi")
    code, out, err = cli(capsys, "import", str(book), "--township", "qingshi", "--data-dir", str(data_dir),
                         *(["--month", month] if month else []))
    assert code == EXIT_OK, err
    before, after = load_township(DATA_DIR, "qingshi"), load_township(data_dir, "qingshi")
    for table in TABLES:  # a month import keeps the rows, in month order
        a, b = (getattr(t, table.name) for t in (before, after))
        pd.testing.assert_frame_equal(a.astype(str).sort_values(list(a.columns)).reset_index(drop=True),
                                      b.astype(str).sort_values(list(b.columns)).reset_index(drop=True),
                                      obj=table.name)


def test_the_export_is_written_for_people(sample_copy, tmp_path, capsys):
    book = openpyxl.load_workbook(export(capsys, sample_copy, tmp_path / "e.xlsx"))
    indicators = book[SHEET_NAMES["indicators"]]
    assert (indicators["B2"].value, indicators["E2"].value, indicators["F2"].value) == ("党建", "流量", "越高越好")
    names = {r[2] for r in indicators.iter_rows(min_row=2, values_only=True)}
    assert book[SHEET_NAMES["monthly"]]["C2"].value in names  # the indicator's name, not its code
    profile = {r[0]: r[1] for r in book[INFO_SHEET].iter_rows(min_row=2, values_only=True)}
    assert profile["乡镇名称"] == "XX镇" and profile["总人口"] == 44680


@pytest.mark.parametrize("command", ["template", "export"])
def test_an_existing_file_is_not_overwritten_without_force(sample_copy, tmp_path, capsys, command):
    path = tmp_path / "已填写.xlsx"
    path.write_bytes(b"filled in by hand")
    args = [command, str(path)]
    if command == "export":
        args += ["--township", "sample", "--data-dir", str(sample_copy)]
    code, _, err = cli(capsys, *args)
    assert code == EXIT_INVALID
    assert "文件已存在" in err and "--force" in err
    assert path.read_bytes() == b"filled in by hand"
    assert cli(capsys, *args, "--force")[0] == EXIT_OK
    assert openpyxl.load_workbook(path).sheetnames[0] == "说明"


def test_import_one_month_merges_it_and_says_what_it_did(sample_copy, tmp_path, capsys):
    before = load_township(sample_copy, "sample")
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    n = add_september(book)
    book[SHEET_NAMES["villages"]].append(["新建村", "新建片区党总支", "村", 800, "否", None])
    book[SHEET_NAMES["indicators"]].append(["new_ponds", "富民强镇", "新建山坪塘", "口", "流量", "越高越好"])
    book[SHEET_NAMES["monthly"]].append(["2018-09", "新建村", "新建山坪塘", 2])
    book.save(path)
    code, out, err = cli(capsys, "import", str(path), "--township", "sample", "--month", "2018-09",
                         "--data-dir", str(sample_copy))
    assert code == EXIT_OK, err
    assert f"月度数据：2018-09 导入 {n + 1} 行，替换原有该月 0 行" in out
    assert "工作簿中其他月份的 996 行未导入" in out
    assert "村（社区）：新增 1 行（新建村）" in out and "指标：新增 1 行（new_ponds）" in out
    after = load_township(sample_copy, "sample")
    assert after.last_month == pd.Period("2018-09", freq="M")
    old = after.monthly[after.monthly["month"] < pd.Period("2018-09", freq="M")]
    assert_same(type("T", (), {"monthly": before.monthly})(), type("T", (), {"monthly": old})(), ["monthly"])
    assert_same(before, after, ["households", "targets", "petitions", "rectifications"])
    sept = after.monthly[after.monthly["month"] == pd.Period("2018-09", freq="M")]
    assert "new_ponds" in set(sept["indicator"])  # the name typed in, stored as its code
    assert (sample_copy / "sample" / BACKUP_DIR).is_dir()
    assert not list(sample_copy.glob(".import-*"))


def test_importing_a_month_again_replaces_its_rows(sample_copy, tmp_path, capsys):
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_NAMES["monthly"]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "2018-08")
    row[3].value = 4321
    book.save(path)
    code, out, err = cli(capsys, "import", str(path), "--township", "sample", "--month", "2018-08",
                         "--data-dir", str(sample_copy))
    assert code == EXIT_OK, err
    assert "月度数据：2018-08 导入 124 行，替换原有该月 124 行" in out
    assert 4321 in set(load_township(sample_copy, "sample").monthly["value"])


def test_a_month_import_with_one_mistake_writes_nothing_and_names_sheet_row_column(sample_copy, tmp_path, capsys):
    path = export(capsys, sample_copy, tmp_path / "九月.xlsx")
    book = openpyxl.load_workbook(path)
    add_september(book)
    ws = book[SHEET_NAMES["monthly"]]
    ws.cell(ws.max_row, 2).value = "高龙"  # a village typed short
    row = ws.max_row
    book.save(path)
    before = tree_hash(sample_copy)
    code, _, err = cli(capsys, "import", str(path), "--township", "sample", "--month", "2018-09",
                       "--data-dir", str(sample_copy))
    assert code == EXIT_INVALID
    assert f"工作簿 九月.xlsx，工作表“月度数据”，第 {row} 行，“村（社区）”列，值 “高龙”" in err
    assert "不在工作表“村（社区）”中" in err and ".csv" not in err
    assert "共 1 处问题" in err
    assert tree_hash(sample_copy) == before


def test_an_ambiguous_indicator_name_is_refused_with_both_codes(sample_copy, tmp_path, capsys):
    indicators = sample_copy / "sample" / "indicators.csv"
    text = indicators.read_text(encoding="utf-8")
    indicators.write_text(text + "visits_2,party,干部到村民情恳谈,次,flow,higher,\n", encoding="utf-8")
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    codes = {r[0] for r in book[SHEET_NAMES["indicators"]].iter_rows(min_row=2, values_only=True)}
    assert book[SHEET_NAMES["monthly"]]["C2"].value in codes  # names not unique: codes are exported
    book[SHEET_NAMES["monthly"]].append(["2018-09", "高龙村", "干部到村民情恳谈", 9])
    book.save(path)
    code, _, err = cli(capsys, "import", str(path), "--township", "sample", "--month", "2018-09",
                       "--data-dir", str(sample_copy))
    assert code == EXIT_INVALID
    assert "指标名称对应多个指标（visits、visits_2）" in err


@pytest.mark.parametrize("month", [None, "2018-08"])
def test_a_blank_township_sheet_keeps_the_profile(sample_copy, tmp_path, capsys, month):
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    for row in book[INFO_SHEET].iter_rows(min_row=2):
        row[1].value = None
    book.save(path)
    profile = (sample_copy / "sample" / "township.yaml").read_bytes()
    args = ["import", str(path), "--township", "sample", "--data-dir", str(sample_copy)]
    code, out, err = cli(capsys, *args, *(["--month", month] if month else []))
    assert code == EXIT_OK, err
    assert "保留原有概况" in out
    assert (sample_copy / "sample" / "township.yaml").read_bytes() == profile


def test_english_sheet_names_still_work(sample_copy, tmp_path, capsys):
    book = openpyxl.load_workbook(export(capsys, sample_copy, tmp_path / "e.xlsx"))
    for name, zh in SHEET_NAMES.items():
        book[zh].title = name
    book[INFO_SHEET].title = "township"
    book.save(tmp_path / "english.xlsx")
    code, _, err = cli(capsys, "import", str(tmp_path / "english.xlsx"), "--township", "en",
                       "--data-dir", str(sample_copy))
    assert code == EXIT_OK, err
    assert_same(load_township(sample_copy, "sample"), load_township(sample_copy, "en"))


def test_an_interrupted_import_changes_nothing(sample_copy, tmp_path, capsys, monkeypatch):
    from helpers.data.workbook import importing

    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    calls = []

    def interrupted(*args):
        calls.append(args)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    real = importing.write_csv
    monkeypatch.setattr(importing, "write_csv", interrupted)
    before = tree_hash(sample_copy)
    code, _, err = cli(capsys, "import", str(path), "--township", "sample", "--data-dir", str(sample_copy))
    assert code != EXIT_OK
    assert "导入被中断" in err and "原有数据没有改动" in err and "Traceback" not in err
    assert tree_hash(sample_copy) == before


def test_month_needs_an_existing_township(tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    cli(capsys, "template", str(path))
    code, _, err = cli(capsys, "import", str(path), "--township", "新乡", "--month", "2018-09",
                       "--data-dir", str(tmp_path / "d"))
    assert code == EXIT_INVALID and "首次请整本导入" in err


def test_september_imported_into_a_copy_renders(sample_copy, tmp_path, capsys):
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    add_september(book)
    book.save(path)
    code, _, err = cli(capsys, "import", str(path), "--township", "sample", "--month", "2018-09",
                       "--data-dir", str(sample_copy))
    assert code == EXIT_OK, err
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "helpers", "render", "--data-dir", str(sample_copy),
                             "--township", "sample", "--month", "2018-09", "--out", str(out), "--jobs", "1"],
                            cwd=ROOT, env=cli_env(), capture_output=True, text=True, encoding="utf-8", timeout=900)
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    html = (out / "sample" / "2018-09" / "report.html").read_text(encoding="utf-8")
    assert "9月" in html
    shutil.rmtree(out)


def test_a_month_import_applies_and_lists_changed_reference_rows(sample_copy, tmp_path, capsys):
    """A rectification closed in September is a change to an existing row: applied and named."""
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_NAMES["rectifications"]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[7].value is None)  # an open one
    row[7].value = "2018-08"
    book.save(path)
    code, out, err = cli(capsys, "import", str(path), "--township", "sample", "--month", "2018-08",
                         "--data-dir", str(sample_copy))
    assert code == EXIT_OK, err
    assert f"整改：新增 0 行，修改 1 行（{row[0].value}）" in out
    closed = load_township(sample_copy, "sample").rectifications.set_index("item_id").loc[row[0].value, "closed"]
    assert str(closed) == "2018-08"


def test_a_month_row_whose_month_cannot_be_read_is_refused_not_ignored(sample_copy, tmp_path, capsys):
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    add_september(book)
    ws = book[SHEET_NAMES["monthly"]]
    ws.cell(ws.max_row, 1).value = "九月"
    book.save(path)
    before = tree_hash(sample_copy)
    code, _, err = cli(capsys, "import", str(path), "--township", "sample", "--month", "2018-09",
                       "--data-dir", str(sample_copy))
    assert code == EXIT_INVALID
    assert f"工作表“月度数据”，第 {ws.max_row} 行，“月份”列，值 “九月”：月份无法识别" in err
    assert tree_hash(sample_copy) == before


def test_a_workbook_without_the_month_keeps_that_months_rows(sample_copy, tmp_path, capsys):
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_NAMES["highlights"]]
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, 1).value == "2018-08":
            ws.delete_rows(r)
    book.save(path)
    code, out, err = cli(capsys, "import", str(path), "--township", "sample", "--month", "2018-08",
                         "--data-dir", str(sample_copy))
    assert code == EXIT_OK, err
    assert "工作亮点：工作簿中没有 2018-08 的行，原有该月 2 行保留" in out
    assert len(load_township(sample_copy, "sample").highlights) == 9


def test_a_changed_figure_of_another_month_is_named_as_not_imported(sample_copy, tmp_path, capsys):
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    add_september(book)
    ws = book[SHEET_NAMES["monthly"]]
    next(r for r in ws.iter_rows(min_row=2) if r[0].value == "2018-08")[3].value = 99999  # August corrected
    book.save(path)
    code, out, err = cli(capsys, "import", str(path), "--township", "sample", "--month", "2018-09",
                         "--data-dir", str(sample_copy))
    assert code == EXIT_OK, err
    assert "其中 1 行与现有数据不同（这些改动没有导入" in out
    assert 99999 not in set(load_township(sample_copy, "sample").monthly["value"])


def test_the_swap_keeps_the_townships_other_files_and_earlier_backups(sample_copy, tmp_path, capsys):
    folder = sample_copy / "sample"
    own = "# 本镇的报告结构（导入不改动它）\n" + DEFAULT_FILE.read_text(encoding="utf-8")
    (folder / "report.yaml").write_text(own, encoding="utf-8")  # valid: the import checks the data against it
    (folder / BACKUP_DIR / "20180101-000000").mkdir(parents=True)
    (folder / BACKUP_DIR / "20180101-000000" / "monthly.csv").write_text("old\n", encoding="utf-8")
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    book[SHEET_NAMES["monthly"]]["D2"] = 2500
    book.save(path)
    inode = folder.stat().st_ino
    code, out, err = cli(capsys, "import", str(path), "--township", "sample", "--data-dir", str(sample_copy))
    assert code == EXIT_OK, err
    assert folder.stat().st_ino != inode  # a new folder, swapped in whole
    assert (folder / "report.yaml").read_text(encoding="utf-8") == own
    assert (folder / BACKUP_DIR / "20180101-000000" / "monthly.csv").read_text(encoding="utf-8") == "old\n"
    assert len(list((folder / BACKUP_DIR).iterdir())) == 2
    assert sorted(p.name for p in sample_copy.iterdir()) == ["sample"]  # no staging folder left behind


# --- import where the township folder cannot be written, through the real command line --------------------


def run_cli(*args: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*(prefix or []), sys.executable, "-m", "helpers", *args], cwd=ROOT, env=cli_env(),
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_import_into_a_read_only_data_folder_says_so_and_changes_nothing(sample_copy, tmp_path, capsys):
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    before = tree_hash(sample_copy)
    sample_copy.chmod(0o555)
    try:
        prefix = unprivileged_prefix(sample_copy, WRITE_IN_DIR)
        result = run_cli("import", str(path), "--township", "sample", "--data-dir", str(sample_copy), prefix=prefix)
    finally:
        sample_copy.chmod(0o755)
    assert result.returncode == EXIT_FAILED, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert f"无法写入 {sample_copy}：没有写入权限；原有数据没有改动" in result.stderr
    assert tree_hash(sample_copy) == before


def test_import_onto_a_dangling_link_is_refused_by_name(sample_copy, tmp_path, capsys):
    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    data_dir = tmp_path / "linked"
    data_dir.mkdir()
    link = data_dir / "sample"
    link.symlink_to(tmp_path / "moved-away")  # the folder the link pointed to was moved or deleted
    result = run_cli("import", str(path), "--township", "sample", "--data-dir", str(data_dir))
    assert result.returncode == EXIT_INVALID, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines()
             if str(link) in line and "失效的链接" in line and str(tmp_path / "moved-away") in line]
    assert lines, result.stderr
    assert [p.name for p in data_dir.iterdir()] == ["sample"] and link.is_symlink()  # nothing written
    assert not (tmp_path / "moved-away").exists()


# --- through the real command line: a fresh interpreter, as the clerk runs it --------------------------------


@pytest.mark.e2e
def test_in_a_fresh_interpreter_template_does_not_overwrite_a_filled_in_workbook(tmp_path):
    path = tmp_path / "录入模板.xlsx"
    first = run_cli("template", str(path))
    assert first.returncode == EXIT_OK, first.stderr
    book = openpyxl.load_workbook(path)
    book[SHEET_NAMES["monthly"]].append(["2018-09", "高龙村", "干部到村民情恳谈", 9])  # a month typed in
    book.save(path)
    filled = path.read_bytes()
    again = run_cli("template", str(path))
    assert again.returncode == EXIT_INVALID
    assert "文件已存在" in again.stderr and "--force" in again.stderr and str(path) in again.stderr
    assert "Traceback" not in again.stderr
    assert path.read_bytes() == filled
    forced = run_cli("template", str(path), "--force")
    assert forced.returncode == EXIT_OK, forced.stderr
    assert path.read_bytes() != filled


@pytest.mark.e2e
def test_in_a_fresh_interpreter_ctrl_c_during_the_import_changes_nothing(sample_copy, tmp_path, capsys):
    """A real SIGINT once the new folder is being written beside the old one: the old folder stays whole."""
    import signal
    import time

    path = export(capsys, sample_copy, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(path)
    add_september(book)
    book.save(path)
    before = tree_hash(sample_copy / "sample")
    proc = subprocess.Popen([sys.executable, "-m", "helpers", "import", str(path), "--township", "sample",
                             "--data-dir", str(sample_copy)], cwd=ROOT, env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    staged = False
    while proc.poll() is None and not staged:
        staged = any(p.name.startswith(".import-") for p in sample_copy.iterdir())
        time.sleep(0.002)
    if staged:
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=600)
    assert staged, f"the import ended before writing anything beside the old folder:\n{out}\n{err}"
    assert "Traceback" not in err
    leftovers = sorted(p.name for p in sample_copy.iterdir() if p.name != "sample")
    assert leftovers == [], leftovers
    if proc.returncode == EXIT_OK:  # the signal came after the swap: the new folder is whole
        assert "2018-09" in load_township(sample_copy, "sample").monthly["month"].astype(str).tolist()
    else:
        assert proc.returncode == EXIT_FAILED, (proc.returncode, err)
        assert "导入被中断" in err and "原有数据没有改动" in err
        assert tree_hash(sample_copy / "sample") == before


def monthly_walkthrough() -> str:
    """README's Chinese monthly routine, from its heading to the next heading or picture."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### 每月录入")
    return text[start:text.index("![", start)]


def test_the_monthly_walkthrough_says_the_events_the_rules_count_must_be_entered():
    """A clerk who types only the figures gets "未按日清运" and "未通报": the walkthrough says why."""
    from helpers.data.report_profile.reading import default_profile

    steps = monthly_walkthrough()
    fill = steps[steps.index("2. "):steps.index("3. ")]
    assert "工作事项" in fill and "规则检查" in fill
    event_rules = [r for r in default_profile().rules if r.kind in ("events_each_period", "daily_events")]
    assert event_rules
    for rule in event_rules:  # a type of every bundled rule that counts events is named, e.g. 通报, 清运
        types = rule.params.get("types") or [rule.params["type"]]
        assert any(t in fill for t in types), rule.id


def test_the_monthly_walkthrough_says_where_report_yaml_goes():
    steps = monthly_walkthrough()
    assert "report.yaml" in steps
    tail = steps[steps.index("report.yaml"):]
    assert "新" in tail and "复制" in tail  # a whole import into a new folder: copy report.yaml first


def test_a_month_import_keeps_a_gbk_township_gbk_with_its_chinese_headers(tmp_path, capsys):
    """The second example keeps GBK files with Chinese headers for Excel: a month import writes them so again."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR / "qingshi", data_dir / "qingshi")
    folder = data_dir / "qingshi"
    before = {t.file: (folder / t.file).read_bytes() for t in TABLES if (folder / t.file).exists()}
    book_path = export(capsys, data_dir, tmp_path / "青石.xlsx", township="qingshi")
    book = openpyxl.load_workbook(book_path)
    ws = book[SHEET_NAMES["monthly"]]
    september = [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "2024-09"]
    for row in september:
        ws.append(["2024-10", row[1], row[2], row[3] + 1])
    book.save(book_path)
    code, out, err = cli(capsys, "import", str(book_path), "--township", "qingshi", "--data-dir", str(data_dir),
                         "--month", "2024-10")
    assert code == EXIT_OK, err
    for file, old in before.items():
        new = (folder / file).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            new.decode("utf-8")  # still GBK, as Excel in China reads it
        assert new.split(b"\r\n")[0] == old.split(b"\r\n")[0], file  # the same Chinese header line
        if file != "monthly.csv":  # an untouched table comes back byte for byte (a month table in month order)
            assert sorted(new.split(b"\r\n")) == sorted(old.split(b"\r\n")), file
            assert new == old or file in {TABLES_BY_NAME[t].file for t in MONTH_COLUMNS}, file
    after = load_township(data_dir, "qingshi")
    october = after.monthly[after.monthly["month"] == pd.Period("2024-10", "M")]
    assert len(october) == len(september)
    typed = sorted(r[3] + 1 for r in september)
    assert sorted(october["value"]) == typed  # the figures typed arrive as typed
    original = load_township(DATA_DIR, "qingshi")
    for table in TABLES:  # every other row reads back as it was (a month table in month order)
        a = getattr(original, table.name)
        b = getattr(after, table.name)
        b = b[b["month"] != pd.Period("2024-10", "M")] if table.name == "monthly" else b
        pd.testing.assert_frame_equal(a.astype(str).sort_values(list(a.columns)).reset_index(drop=True),
                                      b.astype(str).sort_values(list(b.columns)).reset_index(drop=True),
                                      obj=table.name)


def test_a_csv_is_written_back_with_its_bom_chinese_header_and_column_order(tmp_path):
    from helpers.data.workbook.csv_writing import CsvStyle, file_style, write_csv

    table = TABLES_BY_NAME["indicators"]
    path = tmp_path / table.file
    path.write_bytes("\ufeff指标名称,指标代码,工作领域,单位,类型,方向\n藤椒,pepper,economy,亩,flow,higher\n".encode())
    style = file_style(path, table)
    assert style == CsvStyle("utf-8-sig", True, "\n", ("name", "indicator", "area", "unit", "kind", "better"))
    frame = pd.DataFrame({"indicator": ["pepper"], "area": ["economy"], "name": ["藤椒"], "unit": ["亩"],
                          "kind": ["flow"], "better": ["higher"], "owner": [""]})
    before = path.read_bytes()
    write_csv(path, table, frame, style)
    assert path.read_bytes() == before  # the optional 责任单位 the file left out stays out while empty
    frame["owner"] = ["农业中心"]
    write_csv(path, table, frame, style)
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].endswith(",方向,责任单位")
    assert file_style(tmp_path / "none.csv", table) == CsvStyle()  # a new file: UTF-8 with the English ids
