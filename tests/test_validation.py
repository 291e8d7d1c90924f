"""Each rejection case of the data contract through ``python -m helpers validate``.

Every case must exit 2 with a message naming the file, the row as the user sees it, the column and the value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.cli import EXIT_INVALID, main
from tests.builders import read_rows, write_rows


def set_cell(data_dir: Path, file: str, line: int, column: str, value: str) -> str:
    """Overwrite one cell (``line`` as numbered in the file, header = 1); returns the old value."""
    path = data_dir / "sample" / file
    rows = read_rows(path)
    col = rows[0].index(column)
    old, rows[line - 1][col] = rows[line - 1][col], value
    write_rows(path, rows)
    return old


def cell(data_dir: Path, file: str, line: int, column: str) -> str:
    rows = read_rows(data_dir / "sample" / file)
    return rows[line - 1][rows[0].index(column)]


def validate(data_dir: Path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["validate", "--data-dir", str(data_dir), "--township", "sample", *extra])
    return code, capsys.readouterr().err


def problem_line(err: str, *parts: str) -> str:
    """The one line of the message that holds every part (file, row, column, value, reason)."""
    lines = [line for line in err.splitlines() if all(p in line for p in parts)]
    assert lines, f"no problem line with {parts!r} in:\n{err}"
    return lines[0]


def assert_rejected(data_dir: Path, capsys, file: str, line: int | None, column: str | None, value: str | None,
                    reason: str, *extra: str) -> str:
    code, err = validate(data_dir, capsys, *extra)
    assert code == EXIT_INVALID
    parts = [f"文件 {file}", reason]
    if line is not None:
        parts.append(f"第 {line} 行")
    if column is not None:
        parts.append(f"列 {column}")
    if value is not None:
        parts.append(f"值 “{value}”")
    return problem_line(err, *parts)


def test_sample_is_valid(sample_copy, capsys):
    code, err = validate(sample_copy, capsys)
    assert code == 0, err


def test_missing_file(sample_copy, capsys):
    (sample_copy / "sample" / "targets.csv").unlink()
    assert_rejected(sample_copy, capsys, "targets.csv", None, None, None, "缺少文件")


def test_missing_profile(sample_copy, capsys):
    (sample_copy / "sample" / "township.yaml").unlink()
    assert_rejected(sample_copy, capsys, "township.yaml", None, None, None, "缺少文件")


def test_missing_profile_field(sample_copy, capsys):
    path = sample_copy / "sample" / "township.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(x for x in text.splitlines() if not x.startswith("county:")), encoding="utf-8")
    line = assert_rejected(sample_copy, capsys, "township.yaml", None, "county", None, "缺少字段")
    assert "所属县" in line


def test_missing_column(sample_copy, capsys):
    path = sample_copy / "sample" / "villages.csv"
    rows = read_rows(path)
    drop = rows[0].index("population")
    write_rows(path, [r[:drop] + r[drop + 1:] for r in rows])
    assert_rejected(sample_copy, capsys, "villages.csv", 1, "population（人口）", None, "缺少列")


@pytest.mark.parametrize(("file", "line", "column", "value", "reason"), [
    ("petitions.csv", 4, "village", "白鹅村", "未知的村（社区）"),
    ("monthly.csv", 900, "village", "不存在村", "未知的村（社区）"),
    ("households.csv", 17, "village", "高龙", "未知的村（社区）"),
    ("projects.csv", 3, "villages", "高龙村、不存在村", "含有未知的村（社区）"),
])
def test_unknown_village(sample_copy, capsys, file, line, column, value, reason):
    assert cell(sample_copy, file, line, column) != ""  # a village-level row, so the edit means a wrong name
    set_cell(sample_copy, file, line, column, value)
    assert_rejected(sample_copy, capsys, file, line, column, value, reason)


def test_unknown_indicator(sample_copy, capsys):
    set_cell(sample_copy, "monthly.csv", 5, "indicator", "retail_sale")
    assert_rejected(sample_copy, capsys, "monthly.csv", 5, "indicator（指标代码）", "retail_sale", "未知的指标代码")


@pytest.mark.parametrize(("file", "line", "value"), [
    ("indicators.csv", 2, "partyy"),
    ("events.csv", 10, "环保"),
    ("projects.csv", 4, "economics"),
    ("rectifications.csv", 2, "安全"),
])
def test_unknown_area(sample_copy, capsys, file, line, value):
    set_cell(sample_copy, file, line, "area", value)
    assert_rejected(sample_copy, capsys, file, line, "area（工作领域）", value, "未知的工作领域")


def test_area_given_by_chinese_name_is_accepted(sample_copy, capsys):
    set_cell(sample_copy, "indicators.csv", 2, "area", "党建")
    assert validate(sample_copy, capsys)[0] == 0


def test_unknown_project(sample_copy, capsys):
    set_cell(sample_copy, "project_progress.csv", 3, "project_id", "P99")
    assert_rejected(sample_copy, capsys, "project_progress.csv", 3, "project_id（项目编号）", "P99", "未知的项目编号")


@pytest.mark.parametrize(("file", "line", "column", "value", "reason"), [
    ("monthly.csv", 2, "value", "2430万", "不是数字"),
    ("monthly.csv", 7, "value", "约100", "不是数字"),
    ("villages.csv", 5, "population", "1,2a", "不是整数"),
    ("households.csv", 9, "income_per_capita", "四千", "不是数字"),
    ("targets.csv", 3, "target", "3300亩", "不是数字"),
])
def test_non_numeric_value(sample_copy, capsys, file, line, column, value, reason):
    set_cell(sample_copy, file, line, column, value)
    assert_rejected(sample_copy, capsys, file, line, column, value, reason)


@pytest.mark.parametrize(("file", "line", "column", "value"), [
    ("villages.csv", 6, "population", "-1459"),
    ("monthly.csv", 12, "value", "-3"),
    ("events.csv", 20, "quantity", "-2"),
    ("projects.csv", 2, "investment_wan", "-666"),
])
def test_negative_count(sample_copy, capsys, file, line, column, value):
    set_cell(sample_copy, file, line, column, value)
    assert_rejected(sample_copy, capsys, file, line, column, value, "不能为负数")


@pytest.mark.parametrize("value", ["2018/01", "201801", "2018-1-1", "一月", "18-01"])
def test_bad_month_format(sample_copy, capsys, value):
    set_cell(sample_copy, "petitions.csv", 3, "month", value)
    assert_rejected(sample_copy, capsys, "petitions.csv", 3, "month（月份）", value, "月份格式应为 YYYY-MM")


@pytest.mark.parametrize(("file", "column", "value"), [
    ("petitions.csv", "month", "2018-13"),
    ("monthly.csv", "month", "2018-00"),
    ("rectifications.csv", "issued", "2018-13"),
])
def test_impossible_month(sample_copy, capsys, file, column, value):
    set_cell(sample_copy, file, 2, column, value)
    assert_rejected(sample_copy, capsys, file, 2, column, value, "不存在的月份")


@pytest.mark.parametrize("value", ["2018-02-30", "2018-04-31", "2017-02-29", "2018-13-01"])
def test_impossible_date(sample_copy, capsys, value):
    set_cell(sample_copy, "events.csv", 6, "date", value)
    assert_rejected(sample_copy, capsys, "events.csv", 6, "date（日期）", value, "不存在的日期")


@pytest.mark.parametrize("value", ["2018/03/15", "15.03.2018", "2018-03"])
def test_bad_date_format(sample_copy, capsys, value):
    set_cell(sample_copy, "events.csv", 6, "date", value)
    assert_rejected(sample_copy, capsys, "events.csv", 6, "date（日期）", value, "日期格式应为 YYYY-MM-DD")


def test_duplicate_key(sample_copy, capsys):
    path = sample_copy / "sample" / "indicators.csv"
    rows = read_rows(path)
    write_rows(path, [*rows, rows[2]])
    code, err = validate(sample_copy, capsys)
    assert code == EXIT_INVALID
    for line in (3, len(rows) + 1):  # both rows of the pair
        problem_line(err, "文件 indicators.csv", f"第 {line} 行", "列 indicator", f"值 “{rows[2][0]}”", "重复的键")


def test_duplicate_composite_key(sample_copy, capsys):
    path = sample_copy / "sample" / "monthly.csv"
    rows = read_rows(path)
    copy = [*rows[40][:3], "999"]  # same month, village and indicator, another value
    write_rows(path, [*rows, copy])
    value = "，".join(rows[40][:3])
    code, err = validate(sample_copy, capsys)
    assert code == EXIT_INVALID
    problem_line(err, "文件 monthly.csv", f"第 {len(rows) + 1} 行", "列 month", "village", "indicator",
                 f"值 “{value}”", "重复的键")


@pytest.mark.parametrize(("value", "reason"), [("0", "每户人口数至少为 1"), ("", "必填项为空")])
def test_household_without_members(sample_copy, capsys, value, reason):
    set_cell(sample_copy, "households.csv", 8, "members", value)
    line = assert_rejected(sample_copy, capsys, "households.csv", 8, "members（人口数）", None, reason)
    if value:
        assert f"值 “{value}”" in line


def test_exited_after_last_month_of_data(sample_copy, capsys):
    assert cell(sample_copy, "households.csv", 2, "exited") != ""
    set_cell(sample_copy, "households.csv", 2, "exited", "2018-09")
    line = assert_rejected(sample_copy, capsys, "households.csv", 2, "exited（脱贫月份）", "2018-09",
                           "脱贫月份晚于数据的最后月份")
    assert "2018-08" in line  # names the last month the data holds


def test_exited_in_last_month_is_accepted(sample_copy, capsys):
    set_cell(sample_copy, "households.csv", 2, "exited", "2018-08")
    assert validate(sample_copy, capsys)[0] == 0


def test_closed_before_issued(sample_copy, capsys):
    issued = cell(sample_copy, "rectifications.csv", 2, "issued")
    assert issued == "2018-03"
    set_cell(sample_copy, "rectifications.csv", 2, "closed", "2018-02")
    assert_rejected(sample_copy, capsys, "rectifications.csv", 2, "closed（完成月份）", "2018-02",
                    "完成月份早于下达月份")


@pytest.mark.parametrize("value", ["108", "100.5", "-1"])
def test_progress_outside_0_100(sample_copy, capsys, value):
    set_cell(sample_copy, "project_progress.csv", 4, "progress_pct", value)
    reason = "不能为负数" if value.startswith("-") else "进度应在 0–100 之间"
    assert_rejected(sample_copy, capsys, "project_progress.csv", 4, "progress_pct（进度（%））", value, reason)


@pytest.mark.parametrize(("month", "reason"), [
    ("2018-09", "晚于数据中最后的月份 2018-08"),
    ("2016-12", "早于数据中最早的月份 2017-01"),
    ("2018-13", "格式应为 YYYY-MM"),
])
def test_requested_month_without_data(sample_copy, capsys, month, reason):
    assert_rejected(sample_copy, capsys, "monthly.csv", None, "month（月份）", month, reason, "--month", month)


def test_requested_month_gap_in_data(sample_copy, capsys):
    path = sample_copy / "sample" / "monthly.csv"
    rows = read_rows(path)
    write_rows(path, [r for r in rows if r[0] != "2018-03"])
    assert_rejected(sample_copy, capsys, "monthly.csv", None, "month（月份）", "2018-03", "所请求的月份没有数据",
                    "--month", "2018-03")


def test_requested_month_with_data_is_accepted(sample_copy, capsys):
    assert validate(sample_copy, capsys, "--month", "2018-05")[0] == 0


def test_target_for_unknown_indicator(sample_copy, capsys):
    set_cell(sample_copy, "targets.csv", 6, "indicator", "pepper_mu")
    assert_rejected(sample_copy, capsys, "targets.csv", 6, "indicator（指标代码）", "pepper_mu", "未知的指标代码")


def test_all_problems_in_all_files_reported_at_once(sample_copy, capsys):
    (sample_copy / "sample" / "targets.csv").unlink()  # highlights.csv and other optional tables may be absent
    set_cell(sample_copy, "villages.csv", 4, "population", "-10")
    set_cell(sample_copy, "monthly.csv", 30, "value", "n/a")
    set_cell(sample_copy, "events.csv", 8, "date", "2018-02-30")
    set_cell(sample_copy, "households.csv", 11, "members", "0")
    set_cell(sample_copy, "rectifications.csv", 5, "issued", "2018-13")
    code, err = validate(sample_copy, capsys)
    assert code == EXIT_INVALID
    assert "共 6 处问题" in err
    problem_line(err, "文件 targets.csv", "缺少文件")
    problem_line(err, "文件 villages.csv", "第 4 行", "列 population", "值 “-10”")
    problem_line(err, "文件 monthly.csv", "第 30 行", "列 value", "值 “n/a”")
    problem_line(err, "文件 events.csv", "第 8 行", "列 date", "值 “2018-02-30”")
    problem_line(err, "文件 households.csv", "第 11 行", "列 members", "值 “0”")
    problem_line(err, "文件 rectifications.csv", "第 5 行", "列 issued", "值 “2018-13”")


def test_several_problems_in_one_file_in_row_order(sample_copy, capsys):
    for line in (40, 7, 22):
        set_cell(sample_copy, "monthly.csv", line, "value", "x")
    code, err = validate(sample_copy, capsys)
    assert code == EXIT_INVALID
    rows = [int(x.split("第 ")[1].split(" 行")[0]) for x in err.splitlines() if "monthly.csv" in x]
    assert rows == [7, 22, 40]


def test_row_numbers_count_blank_lines(sample_copy, capsys):
    path = sample_copy / "sample" / "petitions.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0], rows[1], [], rows[2], *rows[3:]])  # a blank line 3 moves row 3 to line 4
    set_cell(sample_copy, "petitions.csv", 4, "level", "乡镇")
    assert_rejected(sample_copy, capsys, "petitions.csv", 4, "level（最高层级）", "乡镇", "取值应为")


def test_nothing_written_on_invalid_data(sample_copy, capsys):
    set_cell(sample_copy, "monthly.csv", 2, "value", "x")
    before = sorted(p.relative_to(sample_copy) for p in sample_copy.rglob("*"))
    validate(sample_copy, capsys)
    assert sorted(p.relative_to(sample_copy) for p in sample_copy.rglob("*")) == before


def test_issuer_must_be_text(sample_copy, capsys):
    """The optional 落款/主送 fields are one line of text, not a list or a mapping."""
    path = sample_copy / "sample" / "township.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "issuer:\n  - 中共XX镇委员会\n  - XX镇人民政府\n",
                    encoding="utf-8")
    line = assert_rejected(sample_copy, capsys, "township.yaml", None, "issuer", None, "应为一行文字")
    assert "落款" in line
