"""Each bundled township and the fixture township rendered through the command line: its own report, no other's.

The sample keeps the reference report's four areas; 青石街道 has its own five, its own rules, none of the
sample's vocabulary; the fixture 示例乡 calls itself 我乡. No section is printed without data.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from report_text import empty_sections, outline, visible_lines

from helpers.config import DATA_DIR, ROOT
from helpers.data.township import load_township

pytestmark = pytest.mark.e2e

FIXTURE_DATA_DIR = Path(__file__).resolve().parent / "fixtures" / "data"
TOWNSHIPS = {"sample": (DATA_DIR, "2018-08"), "qingshi": (DATA_DIR, "2024-09"), "mini": (FIXTURE_DATA_DIR, "2020-04")}
POVERTY_WORDS = ("贫困村", "建档立卡", "土坯房")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, str]:
    """Each township's report.html text, rendered by ``python -m helpers render``."""
    out = tmp_path_factory.mktemp("out")
    pages = {}
    for name, (data_dir, month) in TOWNSHIPS.items():
        done = subprocess.run([sys.executable, "-m", "helpers", "render", "--data-dir", str(data_dir),
                               "--township", name, "--month", month, "--out", str(out), "--jobs", "2"],
                              cwd=ROOT, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, done.stderr[-3000:]
        pages[name] = (out / name / month / "report.html").read_text(encoding="utf-8")
    return pages


def village_names(name: str) -> set[str]:
    data_dir, _ = TOWNSHIPS[name]
    return set(load_township(data_dir, name).villages["village"])


@pytest.mark.parametrize("name", list(TOWNSHIPS))
def test_no_other_townships_villages(reports, name):
    text = "\n".join(visible_lines(reports[name]))
    for other in TOWNSHIPS:
        if other != name:
            assert [v for v in village_names(other) if v in text] == [], (name, other)


@pytest.mark.parametrize("name", list(TOWNSHIPS))
def test_the_township_names_itself_by_its_kind(reports, name):
    data_dir, _ = TOWNSHIPS[name]
    naming = load_township(data_dir, name).naming
    text = "\n".join(visible_lines(reports[name]))
    for kind in ("镇", "乡", "街道"):
        if kind != naming.kind:
            assert f"我{kind}" not in text and f"全{kind}" not in text, (name, kind)
    assert naming.we in text


@pytest.mark.parametrize("name", list(TOWNSHIPS))
def test_no_section_without_data(reports, name):
    assert empty_sections(reports[name]) == []
    assert "本期不适用" not in "\n".join(visible_lines(reports[name]))


def test_a_township_without_poverty_tables_has_no_poverty_wording(reports):
    tw = load_township(DATA_DIR, "qingshi")
    assert tw.households.empty and not tw.villages["poor_village"].any()
    text = "\n".join(visible_lines(reports["qingshi"]))
    assert [w for w in POVERTY_WORDS if w in text] == []


def test_the_second_example_has_its_own_areas_rules_and_naming(reports):
    page = reports["qingshi"]
    h1 = [text for tag, text in outline(page) if tag == "h1"]
    assert h1 == ["概况与关键指标", "一、坚持党建引领，夯实基层基础", "二、聚焦高质量发展，壮大经济实力",
                  "三、深化基层治理，提升为民服务水平", "四、守牢生态底线，建设美丽街道",
                  "五、统筹发展和安全，守住安全底线", "附表"]  # the rules' offending rows, collapsed at the end
    text = "\n".join(visible_lines(page))
    tw = load_township(DATA_DIR, "qingshi")
    for rule in tw.report.rules:
        assert rule.name in text, rule.name
    assert "辖3个联合党委" in text and "党总支" not in text
    sample_rules = [r.name for r in load_township(DATA_DIR, "sample").report.rules]
    assert [r for r in sample_rules if r in text] == []
    for phrase in ("转观念", "抓班子", "严党纪", "藤椒", "场镇", "距县城", "双过半"):
        assert phrase not in text, phrase


def test_the_sample_keeps_the_reference_structure(reports):
    h1 = [text for tag, text in outline(reports["sample"]) if tag == "h1"]
    assert h1 == ["概况与关键指标", "一、夯实基础，突出党建第一保障", "二、富民强镇，突出发展第一要务",
                  "三、改善民生，突出乡村振兴第一目标", "四、守住底线，突出安全稳定生态第一责任",
                  "附表"]  # long lists (all villages, all households), collapsed at the end
    text = "\n".join(visible_lines(reports["sample"]))
    assert "转观念，明职责，全面落实党建责任制" in text and "我镇" in text


def test_the_second_examples_files_are_gbk_with_chinese_headers():
    folder = DATA_DIR / "qingshi"
    for path in sorted(folder.glob("*.csv")):
        data = path.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        header = next(csv.reader(io.StringIO(data.decode("gbk"))))
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in cell) for cell in header), path.name
    assert not (folder / "households.csv").exists()
