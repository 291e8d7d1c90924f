"""Section types and the area view: what the profile lists, left out where there is no data, numbered in order."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from builders import make_township
from IPython.display import Markdown

from helpers.config import DATA_DIR, NOTEBOOKS_DIR, ROOT
from helpers.data.report_profile.parameters import PARAM_KINDS
from helpers.data.report_profile.registry import SECTION_TYPES
from helpers.data.township import load_township
from helpers.pipeline.arguments import township_notebooks
from helpers.pipeline.preprocessors import PromoteMarkdownOutputs
from helpers.report.notebook import Appendix, Context
from helpers.report.section_types import SectionType
from helpers.report.sections import area_view

REPORT = """\
areas:
  - id: work
    heading: 抓好重点工作
    short: 重点工作
    description: 本领域的一行说明。
    sections:
      - prose
      - key_figures
      - petitions
      - poor_households
      - rectifications
      - projects
      - title: 自定的标题
        show: [events, rule_breaches: {rule: meetings}]
      - rule_results
      - problems_and_plans
rules:
  - {id: meetings, kind: events_each_period, name: 每月一次例会, area: work, period: month, types: [会议]}
"""
INDICATORS = [("output", "work", "产值", "万元", "flow", "higher")]
VILLAGES = [("甲村", "第一联合党委", "村", 1000, None, None), ("乙社区", "第一联合党委", "社区", 2000, "否", None)]


def test_every_section_type_has_its_heading_parameters_view_and_readme_row():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("**部分类型**"):readme.index("**规则种类**")]
    rows = [line.split("|")[1:3] for line in table.splitlines() if line.startswith("| `")]
    assert [(f"`{t.name}`", t.heading) for t in SECTION_TYPES.values()] == [(a.strip(), b.strip()) for a, b in rows]
    for section in SECTION_TYPES.values():
        assert isinstance(section, SectionType) and callable(section.show)
        assert all(p.kind in PARAM_KINDS for p in section.params.values())


def headings(view: list) -> list[str]:
    return [x.data for x in view if isinstance(x, Markdown)]


def test_sections_without_data_are_left_out_with_their_headings():
    tw = make_township(indicators=INDICATORS, villages=VILLAGES, monthly=[("2018-03", None, "output", 10)],
                       targets=[(2018, "output", 120)], report=REPORT)
    view = area_view(Context(tw, pd.Period("2018-03", "M")), "work")
    assert headings(view) == [
        "# 一、抓好重点工作\n\n本领域的一行说明。", "## 1. 工作进展", "## 2. 关键指标", "## 3. 规则检查",
        "## 4. 存在问题与下步打算"]  # no 会议 recorded at all: the monthly rule does not apply, its section goes
    assert not [x for x in view if isinstance(x, Appendix)]


def test_a_breached_rules_rows_go_to_the_appendix():
    tw = make_township(indicators=INDICATORS, villages=VILLAGES, monthly=[("2018-03", None, "output", 10)],
                       targets=[(2018, "output", 120)], report=REPORT, events=[("2018-01-10", "work", "会议", "例会")])
    view = area_view(Context(tw, pd.Period("2018-03", "M")), "work")
    # no meeting in February and March: the rule's offending rows go to the 附表
    moved = [x for x in view if isinstance(x, Appendix)]
    assert [x.title for x in moved] == ["重点工作：每月一次例会未落实明细"]
    assert "2018-03" in moved[0].to_html()


def test_a_section_shows_once_its_data_is_there():
    tw = make_township(indicators=INDICATORS, villages=VILLAGES, monthly=[("2018-03", None, "output", 10)],
                       report=REPORT,
                       petitions=[("X1", "2018-02", None, "镇", "已化解", "噪声")],
                       rectifications=[("R1", "work", "油烟", "一家餐馆", None, "2018-01", "2018-02", None, None)],
                       events=[("2018-01-10", "work", "会议", "例会")])
    shown = headings(area_view(Context(tw, pd.Period("2018-03", "M")), "work"))
    assert shown[2:6] == ["## 2. 关键指标", "## 3. 信访稳定", "## 4. 整改任务", "## 5. 自定的标题"]
    with_meetings = make_township(indicators=INDICATORS, villages=VILLAGES, report=REPORT,
                                  monthly=[("2018-03", None, "output", 10)],
                                  events=[(f"2018-0{m}-05", "work", "会议", "例会", None) for m in (1, 2, 3)])
    shown = headings(area_view(Context(with_meetings, pd.Period("2018-03", "M")), "work"))
    assert "## 3. 自定的标题" in shown  # the events table is there (the kept rule itself is said in the overview)


@pytest.mark.e2e  # every area view of 青石街道, charts and all (13 s)
def test_the_second_example_has_its_five_areas_in_its_order():
    tw = load_township(DATA_DIR, "qingshi")
    ctx = Context(tw, tw.last_month)
    titles = [headings(area_view(ctx, area))[0].split("\n")[0] for area in tw.areas]
    assert titles == ["# 一、坚持党建引领，夯实基层基础", "# 二、聚焦高质量发展，壮大经济实力",
                      "# 三、深化基层治理，提升为民服务水平", "# 四、守牢生态底线，建设美丽街道",
                      "# 五、统筹发展和安全，守住安全底线"]


def test_markdown_outputs_become_markdown_cells_in_place():
    cell = nbformat.v4.new_code_cell("display(*view)", outputs=[
        nbformat.v4.new_output("display_data", data={"text/markdown": "# 一、标题", "text/plain": "<Markdown>"}),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>表</p>"}),
        nbformat.v4.new_output("display_data", data={"text/markdown": "## 1. 部分"}),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>图</p>"}),
    ])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 概况"), cell])
    nb, _ = PromoteMarkdownOutputs().preprocess(nb, {})
    assert [(c.cell_type, c.source if c.cell_type == "markdown" else c.outputs[0]["data"]["text/html"])
            for c in nb.cells] == [("markdown", "# 概况"), ("markdown", "# 一、标题"), ("code", "<p>表</p>"),
                                   ("markdown", "## 1. 部分"), ("code", "<p>图</p>")]


def test_one_executed_notebook_per_area_named_after_it(tmp_path):
    tw = load_township(DATA_DIR, "qingshi")
    paths = township_notebooks(NOTEBOOKS_DIR, tw, tmp_path)
    assert [p.name for p in paths] == ["00_overview.ipynb", "10_party.ipynb", "20_economy.ipynb",
                                       "30_governance.ipynb", "40_ecology.ipynb", "50_safety.ipynb"]
    source = nbformat.read(paths[3], as_version=4)
    params = next(c for c in source.cells if "parameters" in c.metadata.get("tags", []))
    assert 'area: str = "governance"' in params.source
    before = paths[3].stat().st_mtime_ns
    township_notebooks(NOTEBOOKS_DIR, tw, tmp_path)
    assert paths[3].stat().st_mtime_ns == before  # unchanged copies are not rewritten


def test_a_notebooks_folder_of_its_own_renders_as_it_is(tmp_path):
    for name in ("00_a.ipynb", "10_b.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    tw = load_township(DATA_DIR, "qingshi")
    assert [p.name for p in township_notebooks(tmp_path, tw, tmp_path / "cache")] == ["00_a.ipynb", "10_b.ipynb"]
    assert not (tmp_path / "cache").exists()


def test_two_renders_writing_the_area_notebooks_at_once_do_not_trip_over_each_other(tmp_path):
    """CI once lost a render: both wrote 10_party.tmp, one renamed it away and the other's rename failed."""
    from concurrent.futures import ThreadPoolExecutor

    tw = load_township(DATA_DIR, "sample")

    def write(i):
        return township_notebooks(NOTEBOOKS_DIR, tw, tmp_path / f"cache{i // 4}")  # four at once into each folder

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(write, range(40)))
    assert all([p.name for p in r] == [p.name for p in results[0]] for r in results)
    assert not list(tmp_path.glob("cache*/*.tmp")) and not list(tmp_path.glob("cache*/.*"))
