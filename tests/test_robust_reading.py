"""Files as real machines write them, through the real command line: Mac line ends, huge cells, YAML bombs.

Each case is a copy of the sample with one oddity; ``python -m helpers validate`` (or ``render``, where the
option belongs to it) must either read it as meant or refuse it with exit 2 and a Chinese message naming the
file — never a traceback, never a hang.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest_proof import cli_env, copy_sample

from helpers.config import ROOT
from helpers.data.periods import as_month

pytestmark = pytest.mark.e2e
TIMEOUT = 120  # an alias bomb that is expanded takes longer than this and gigabytes


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], cwd=ROOT, env=cli_env(), capture_output=True,
                          text=True, encoding="utf-8", timeout=TIMEOUT)


def validate(data_dir: Path) -> subprocess.CompletedProcess:
    return run("validate", "--data-dir", str(data_dir), "--township", "sample")


def assert_refused(result: subprocess.CompletedProcess, *parts: str) -> None:
    assert result.returncode == 2, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if all(p in line for p in parts)]
    assert lines, f"no line names all of {parts!r}:\n{result.stderr}"


def test_cr_only_line_ends_are_read(tmp_path):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    for name in ("villages.csv", "monthly.csv"):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(text.replace("\n", "\r").encode("utf-8"))  # what Excel for Mac writes
    result = validate(data_dir)
    assert result.returncode == 0, result.stderr
    assert "2017-01 至 2018-08" in result.stdout


def test_a_huge_cell_is_refused_with_a_message(tmp_path):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    with (folder / "highlights.csv").open("a", encoding="utf-8") as f:
        f.write("2018-08,economy," + "长" * 200_000 + "\n")
    assert_refused(validate(data_dir), "文件 highlights.csv", "第 11 行", "字符")


def test_a_long_cell_under_the_limit_is_read(tmp_path):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    with (folder / "highlights.csv").open("a", encoding="utf-8") as f:
        f.write("2018-08,economy," + "长" * 20_000 + "\n")
    result = validate(data_dir)
    assert result.returncode == 0, result.stderr


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_yaml_alias_bomb_is_refused(tmp_path):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    (folder / "township.yaml").write_text(BOMB + "name: XX镇\n", encoding="utf-8")
    assert_refused(validate(data_dir), "文件 township.yaml", "别名")


def test_yaml_too_deep_is_refused(tmp_path):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    (folder / "township.yaml").write_text("name: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    assert_refused(validate(data_dir), "文件 township.yaml", "层")


@pytest.mark.parametrize(("text", "part"), [
    (BOMB + "areas: []\n", "别名"),
    ("areas: " + "[" * 500 + "]" * 500 + "\n", "层"),
    ("areas: [\n" + "#" * (1024 * 1024) + "\n", "文件过大"),
])
def test_report_yaml_is_read_with_the_same_guards(tmp_path, text, part):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    (folder / "report.yaml").write_text(text, encoding="utf-8")
    assert_refused(validate(data_dir), "文件 report.yaml", part)


def test_yaml_syntax_error_is_in_chinese(tmp_path):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    (folder / "township.yaml").write_text("name: XX镇\ncounty: [XX县\n", encoding="utf-8")
    result = validate(data_dir)
    assert_refused(result, "文件 township.yaml", "YAML")
    message = result.stderr.split("township.yaml", 1)[1]
    for english in ("while parsing", "expected", "found", "line"):
        assert english not in message, result.stderr


def test_township_all_skips_a_copy_folder_with_one_warning(tmp_path):
    data_dir = tmp_path / "data"
    copy_sample(data_dir)
    copy_sample(data_dir, "sample - 副本")  # what Windows Explorer names a copied folder
    result = run("render", "--data-dir", str(data_dir), "--township", "all", "--month", "2016-12",
                 "--out", str(tmp_path / "out"))
    # the one real township is checked (and refused for the month), the copy is skipped with a warning
    assert_refused(result, "monthly.csv", "早于数据中最早的月份")
    assert "乡镇名称只能" not in result.stderr, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "sample - 副本" in line]
    assert len(warnings) == 1 and "跳过" in warnings[0], result.stderr


# --- validate is the render's gate: the profile fields a notebook relies on ------------------------------


def write_info(folder: Path, **changes: str) -> None:
    """Rewrite township.yaml with some fields' YAML text replaced."""
    lines = (folder / "township.yaml").read_text(encoding="utf-8").splitlines()
    out, skip = [], False
    for line in lines:
        key = line.split(":", 1)[0]
        if not line.startswith(" ") and key in changes:
            out.append(f"{key}: {changes[key]}")
            skip = True
            continue
        if skip and line.startswith(" "):
            continue
        skip = False
        out.append(line)
    (folder / "township.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("changes", "parts"), [
    ({"name": "[XX镇, YY镇]"}, ("文件 township.yaml", "列 name", "应为一行文字")),
    ({"population": "44680.5"}, ("文件 township.yaml", "列 population", "值 “44680.5”", "不是整数")),
    ({"poverty_line_yuan": "{2017: 三千三百, 2018: 3600}"},
     ("文件 township.yaml", "列 poverty_line_yuan", "值 “三千三百”", "2017", "不是数字")),
    ({"poverty_line_yuan": "{二〇一八: 3600}"}, ("文件 township.yaml", "列 poverty_line_yuan", "二〇一八", "年度")),
    ({"area_km2": "true"}, ("文件 township.yaml", "列 area_km2", "不是数字")),
])
def test_profile_fields_a_notebook_relies_on_are_checked(tmp_path, changes, parts):
    data_dir = tmp_path / "data"
    write_info(copy_sample(data_dir), **changes)
    assert_refused(validate(data_dir), *parts)


def test_profile_numbers_as_people_write_them_are_read(tmp_path):
    data_dir = tmp_path / "data"
    write_info(copy_sample(data_dir), population='"44,680"', distance_to_county_km='"３１"')
    result = validate(data_dir)
    assert result.returncode == 0, result.stderr
    from helpers.data.township import load_township

    profile = load_township(data_dir, "sample").info
    assert profile["population"] == 44680 and profile["distance_to_county_km"] == 31


def test_a_rate_is_reported_for_the_whole_township(tmp_path):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    with (folder / "indicators.csv").open("a", encoding="utf-8") as f:
        f.write("hotline_rate,safety,12345热线办结率,%,rate,higher,\n")
    with (folder / "monthly.csv").open("a", encoding="utf-8") as f:
        f.write("2018-08,,hotline_rate,96.5\n2018-08,高龙村,hotline_rate,90\n")
    assert_refused(validate(data_dir), "文件 monthly.csv", "第 999 行", "列 village", "比率")


def test_a_township_row_that_disagrees_with_its_villages_is_reported(tmp_path):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)
    with (folder / "monthly.csv").open("a", encoding="utf-8") as f:
        f.write("2018-08,,visits,12\n")  # the villages' 民情恳谈 of August add up to far more
    result = validate(data_dir)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("警告")]
    assert len(warnings) == 1, result.stdout
    assert all(p in warnings[0] for p in ("monthly.csv", "2018-08", "visits", "全镇数12次", "各村合计", "不一致"))
    from helpers.data.township import load_township
    from helpers.report.prose.attention import attention_list

    frame = attention_list(load_township(data_dir, "sample"), as_month("2018-08"))
    rows = frame[frame["kind"].astype(str) == "数据不一致"]
    assert len(rows) == 1 and "全镇数12次" in rows.iloc[0]["detail"]
