"""The command line: Chinese help, exit codes, and the validate command on the sample and on bad names."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from helpers.cli import EXIT_INVALID, EXIT_OK, main
from helpers.config import DATA_DIR, ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """``python -m helpers ARGS`` in a fresh interpreter (from another folder, to show paths are anchored)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "helpers", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_main_help_is_chinese(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法：")
    for word in ("子命令", "选项", "显示本帮助并退出", "validate", "render", "template", "import"):
        assert word in out
    assert "usage:" not in out and "show this help" not in out


@pytest.mark.parametrize(("command", "options"), [
    ("validate", ["--data-dir", "--township", "--month"]),
    ("render", ["--data-dir", "--township", "--month", "--months", "--out", "--jobs", "--force"]),
    ("template", []),
    ("import", ["--township", "--data-dir"]),
])
def test_subcommand_help_is_chinese(tmp_path, command, options):
    result = run(command, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法：") and "选项" in out and "显示本帮助并退出" in out
    assert "usage:" not in out and "show this help" not in out
    for option in options:
        help_line = next(line for line in out.splitlines() if line.strip().startswith(option))
        described = help_line + out.split(help_line, 1)[1].split("\n  -", 1)[0]
        assert CJK.search(described), f"{command} {option} has no Chinese help"


def test_validate_sample_in_a_fresh_interpreter(tmp_path):
    result = run("validate", cwd=tmp_path)  # defaults: the bundled data/ and sample, from any folder
    assert result.returncode == EXIT_OK, result.stderr
    assert "数据校验通过" in result.stdout and "XX镇" in result.stdout and "2018-08" in result.stdout


def test_validate_sample(capsys):
    assert main(["validate", "--data-dir", str(DATA_DIR), "--township", "sample"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("数据校验通过：XX镇（sample）")
    assert "2017-01 至 2018-08" in out


def test_validate_sample_with_month(capsys):
    assert main(["validate", "--month", "2018-08"]) == EXIT_OK
    assert "数据校验通过" in capsys.readouterr().out


@pytest.mark.parametrize("township", ["../../etc", "../sample", "/etc", "sample/../sample", ".."])
def test_township_that_is_a_path_is_refused(capsys, township):
    assert main(["validate", "--township", township]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "乡镇名称" in err and "不能含路径" in err
    assert "Traceback" not in err


def test_township_that_is_a_path_is_refused_in_a_fresh_interpreter(tmp_path):
    result = run("validate", "--township", "../../etc", cwd=tmp_path)
    assert result.returncode == EXIT_INVALID
    assert "乡镇名称" in result.stderr and "Traceback" not in result.stderr


def test_missing_township_folder(sample_copy, capsys):
    assert main(["validate", "--data-dir", str(sample_copy), "--township", "不存在镇"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "不存在镇" in err and "乡镇数据目录不存在" in err


def test_missing_data_dir(tmp_path, capsys):
    assert main(["validate", "--data-dir", str(tmp_path / "nowhere")]) == EXIT_INVALID
    assert "数据目录不存在" in capsys.readouterr().err


def test_invalid_data_exits_2_and_prints_chinese_to_stderr(sample_copy, capsys):
    (sample_copy / "sample" / "events.csv").unlink()
    assert main(["validate", "--data-dir", str(sample_copy)]) == EXIT_INVALID
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("数据校验未通过，共 1 处问题")


@pytest.mark.parametrize("argv", [[], ["nonsense"], ["validate", "--no-such-option"], ["import", "x.xlsx"]])
def test_usage_errors_exit_2_in_chinese(capsys, argv):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == EXIT_INVALID
    err = capsys.readouterr().err
    assert "用法：" in err and "参数错误：" in err


def test_template_command(tmp_path, capsys):
    path = tmp_path / "sub" / "模板.xlsx"
    assert main(["template", str(path)]) == EXIT_OK
    assert path.is_file() and "已生成空白录入工作簿" in capsys.readouterr().out


def test_a_bad_argument_is_called_an_argument_not_a_file(capsys):
    assert main(["validate", "--township", "../../etc"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert err.startswith("参数有误，共 1 处问题")
    assert "参数 --township" in err and "文件 --township" not in err


def test_a_township_name_with_a_trailing_newline_is_refused_as_a_name(capsys):
    assert main(["validate", "--township", "sample\n"]) == EXIT_INVALID
    assert "乡镇名称只能由" in capsys.readouterr().err
