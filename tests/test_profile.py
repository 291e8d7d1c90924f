"""The report profile (report.yaml): the bundled default, naming, and every kind of mistake through the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.config import DATA_DIR, ROOT
from helpers.data.reading.yaml_files import read_yaml
from helpers.data.report_profile.checking import PROSE_TEMPLATES, parse_profile
from helpers.data.report_profile.model import kind_of, resolve_naming
from helpers.data.report_profile.reading import default_profile
from helpers.data.report_profile.registry import RULE_KINDS
from helpers.data.township import load_township

EXIT_INVALID = 2


def test_the_default_profile_is_the_reference_report():
    profile = default_profile()
    assert [(a.id, a.heading, a.short) for a in profile.areas] == [
        ("party", "夯实基础，突出党建第一保障", "党建"),
        ("economy", "富民强镇，突出发展第一要务", "富民强镇"),
        ("livelihood", "改善民生，突出乡村振兴第一目标", "改善民生"),
        ("safety", "守住底线，突出安全稳定生态第一责任", "安全稳定生态"),
    ]
    assert [(r.id, r.kind) for r in profile.rules] == [
        ("visits", "village_monthly_minimum"), ("party_quarterly", "events_each_period"),
        ("double_half", "share_of_target_by"), ("adobe_notice", "events_each_period"),
        ("zero_petition", "petition_level_ceiling"), ("daily_refuse", "daily_events")]
    assert [a.template for a in profile.areas] == list(PROSE_TEMPLATES)


@pytest.mark.parametrize(("name", "given", "kind"), [
    ("青石街道", None, "街道"), ("示例乡", None, "乡"), ("XX镇", None, "镇"), ("某地", None, "镇"),
    ("某地", "乡", "乡"),
])
def test_the_kind_comes_from_the_name_unless_given(name, given, kind):
    assert kind_of(name, given) == kind


def profile_of(text: str, indicators=None):
    data, lines, problems = read_yaml(text, "report.yaml")
    assert problems == []
    return parse_profile(data, lines, "report.yaml", indicators)


AREAS_TEXT = "areas:\n  - {id: a, heading: 甲, short: 甲, sections: [prose]}\n"


def test_report_yaml_wins_over_township_yaml_key_by_key():
    profile, problems = profile_of("township: {issuer: 中共甲街道工作委员会办公室}\n" + AREAS_TEXT)
    assert problems == []
    naming = resolve_naming(profile, {"name": "甲街道", "issuer": "旧的落款", "addressee": "中共乙区委"})
    assert (naming.kind, naming.we, naming.whole) == ("街道", "我街道", "全街道")
    assert naming.issuer == "中共甲街道工作委员会办公室"
    assert naming.addressee == "中共乙区委"  # report.yaml says nothing: township.yaml's
    default = resolve_naming(profile_of(AREAS_TEXT)[0], {"name": "甲街道"})
    assert (default.issuer, default.branch, default.addressee) == ("中共甲街道工作委员会", "党总支", None)


def test_problems_carry_the_line_and_the_key_and_come_all_at_once():
    text = ("areas:\n"
            "  - id: a\n"
            "    heading: 甲\n"
            "    short: 甲\n"
            "    sections:\n"
            "      - charts\n"
            "      - village_month_matrix: {indicator: nowhere}\n"
            "rules:\n"
            "  - kind: level_threshold\n"
            "    name: 办结率\n"
            "    area: a\n"
            "    indicator: rate\n"
            "    minimum: 很高\n")
    _, problems = profile_of(text, indicators={"rate"})
    found = [(p.row, p.column, p.value) for p in problems]
    assert found == [(6, "areas[0].sections[0]", "charts"),
                     (7, "areas[0].sections[1].village_month_matrix.indicator", "nowhere"),
                     (13, "rules[0].minimum", "很高")]
    assert "未知的部分类型" in problems[0].reason and "未知的指标代码" in problems[1].reason
    assert problems[2].reason == "应为数字"


def test_a_section_may_point_only_at_a_rule_of_the_profile():
    _, problems = profile_of("areas:\n  - {id: a, heading: 甲, short: 甲, sections: [rule_breaches: {rule: x}]}\n")
    assert [(p.column, p.value) for p in problems] == [("areas[0].sections[0].rule_breaches.rule", "x")]


def test_the_default_profile_fits_the_sample_and_the_fixture(sample):
    assert sample.report == default_profile()
    assert sample.naming.we == "我镇"
    mini = load_township(Path(__file__).resolve().parent / "fixtures" / "data", "mini")
    assert (mini.naming.kind, mini.naming.issuer) == ("乡", "中共示例乡委员会")


def test_the_second_example_brings_its_own_profile():
    tw = load_township(DATA_DIR, "qingshi")
    assert list(tw.areas) == ["party", "economy", "governance", "ecology", "safety"]
    assert (tw.naming.kind, tw.naming.branch, tw.naming.issuer) == ("街道", "联合党委", "中共临江区青石街道工作委员会")
    assert {r.kind for r in tw.report.rules} == set(RULE_KINDS)
    assert "巡河" in tw.report.event_types and "竣工验收" in tw.report.project_stages


# --- mistakes, through the real command line ---------------------------------------------------------


@pytest.fixture()
def qingshi_copy(tmp_path) -> Path:
    shutil.copytree(DATA_DIR / "qingshi", tmp_path / "qingshi")
    return tmp_path


def replace_in(path: Path, old: str, new: str, encoding: str = "utf-8") -> int:
    """Replace ``old`` once; return the 1-based line where it was."""
    text = path.read_text(encoding=encoding)
    assert text.count(old) >= 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding=encoding)
    return line


def validate_cli(data_dir: Path) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "helpers", "validate", "--data-dir", str(data_dir),
                           "--township", "qingshi"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    return done.returncode, done.stderr


def assert_problem(err: str, *parts: str) -> None:
    assert any(all(p in line for p in parts) for line in err.splitlines()), err


def test_unknown_section_type(qingshi_copy):
    line = replace_in(qingshi_copy / "qingshi" / "report.yaml", "      - projects\n", "      - charts\n")
    code, err = validate_cli(qingshi_copy)
    assert code == EXIT_INVALID
    assert_problem(err, "文件 report.yaml", f"第 {line} 行", "areas[1].sections[3]", "“charts”", "未知的部分类型")


def test_unknown_indicator_in_a_section(qingshi_copy):
    line = replace_in(qingshi_copy / "qingshi" / "report.yaml", "indicator: river_patrols, rule",
                      "indicator: river_patrol, rule")
    code, err = validate_cli(qingshi_copy)
    assert code == EXIT_INVALID
    key = "areas[3].sections[2].show[0].village_month_matrix.indicator"
    assert_problem(err, "文件 report.yaml", f"第 {line} 行", key, "“river_patrol”", "未知的指标代码")


def test_unknown_indicator_in_a_rule(qingshi_copy):
    line = replace_in(qingshi_copy / "qingshi" / "report.yaml", "    indicator: hotline_closure_rate\n",
                      "    indicator: hotline_rate\n")
    code, err = validate_cli(qingshi_copy)
    assert code == EXIT_INVALID
    assert_problem(err, "文件 report.yaml", f"第 {line} 行", "rules[3].indicator", "“hotline_rate”", "未知的指标代码")


def test_bad_parameter(qingshi_copy):
    line = replace_in(qingshi_copy / "qingshi" / "report.yaml", "    period: month\n", "    period: 每月\n")
    replace_in(qingshi_copy / "qingshi" / "report.yaml", "    minimum: 98\n", "    minimum: -98\n")
    code, err = validate_cli(qingshi_copy)
    assert code == EXIT_INVALID
    assert_problem(err, "文件 report.yaml", f"第 {line} 行", "rules[1].period", "“每月”", "取值应为 quarter")
    assert_problem(err, "文件 report.yaml", "rules[3].minimum", "“-98”", "不能为负数")


def test_area_used_in_data_but_missing_from_the_profile(qingshi_copy):
    report = qingshi_copy / "qingshi" / "report.yaml"
    text = report.read_text(encoding="utf-8")
    start, end = text.index("  - id: governance\n"), text.index("  - id: ecology\n")
    report.write_text(text[:start] + text[end:], encoding="utf-8")
    code, err = validate_cli(qingshi_copy)
    assert code == EXIT_INVALID
    # the rules of the removed area and the data rows of that area, each named
    assert_problem(err, "文件 report.yaml", "rules[3].area", "“governance”", "未知的工作领域")
    assert_problem(err, "文件 indicators.csv", "第 8 行", "列 area", "“governance”", "report.yaml 的 areas 中没有")


def test_a_profile_that_is_not_yaml(qingshi_copy):
    (qingshi_copy / "qingshi" / "report.yaml").write_text("areas: [\n  - id: a\n", encoding="utf-8")
    code, err = validate_cli(qingshi_copy)
    assert code == EXIT_INVALID
    assert_problem(err, "文件 report.yaml", "不是有效的 YAML")
