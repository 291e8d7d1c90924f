"""The county roll-up: shared indicators, ranks, 末位, 未报, links, on a generated county (make_county.py)."""

from __future__ import annotations

import html
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.analysis.county import county_facts, shared_indicators
from helpers.analysis.progress import key_figures
from helpers.analysis.rules import rule_checks
from helpers.analysis.villages import rank_values
from helpers.data.county import county_townships, load_county
from helpers.data.periods import as_month
from helpers.exceptions import DataValidationError
from helpers.report.county import report_href, report_links, summary_paragraph

ROOT = Path(__file__).resolve().parent.parent
COUNTY = "演示县"


def _make_county_module():
    spec = importlib.util.spec_from_file_location("make_county", ROOT / "benchmarks" / "make_county.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def county_dir(tmp_path_factory) -> Path:
    """Four generated townships: town02 counts 河道集中整治 in 米, town04 stops at 2018-07."""
    data = tmp_path_factory.mktemp("county") / "data"
    _make_county_module().make_county(data, townships=4, seed=15, county=COUNTY)
    return data


@pytest.fixture(scope="module")
def facts(county_dir):
    return county_facts(COUNTY, load_county(county_dir, COUNTY), as_month("2018-08"))


def test_generator_is_seeded_and_townships_differ(county_dir, tmp_path):
    again = tmp_path / "again"
    _make_county_module().make_county(again, townships=4, seed=15, county=COUNTY)
    for name in ("monthly.csv", "villages.csv", "indicators.csv", "targets.csv", "township.yaml"):
        assert (again / "town03" / name).read_bytes() == (county_dir / "town03" / name).read_bytes()
    townships = load_county(county_dir, COUNTY)
    assert len({len(tw.villages) for tw in townships}) == 4
    assert str(townships[-1].last_month) == "2018-07" and {str(tw.last_month) for tw in townships[:-1]} == {"2018-08"}
    assert len({len(tw.indicators) for tw in townships}) > 1  # some indicators missing in some townships


def test_unknown_county_is_refused_naming_the_known_ones(county_dir):
    with pytest.raises(DataValidationError) as err:
        county_townships(county_dir, "无此县")
    assert "无此县" in str(err.value) and COUNTY in str(err.value)


def test_a_township_yaml_in_gbk_is_found_in_its_county(county_dir, tmp_path):
    """The county listing reads township.yaml as loading does (GBK too), so no township drops out unseen."""
    data = tmp_path / "data"
    for name in ("town01", "town02"):
        (data / name).mkdir(parents=True)
        (data / name / "township.yaml").write_bytes((county_dir / name / "township.yaml").read_bytes())
    path = data / "town02" / "township.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    assert county_townships(data, COUNTY) == ["town01", "town02"]


def test_shared_indicators_need_the_same_code_and_unit_in_two_townships(county_dir):
    townships = load_county(county_dir, COUNTY)
    shared = shared_indicators(townships)
    river = shared[shared["indicator"] == "river_cleanup_km"]
    assert river["unit"].tolist() == ["公里"] and river["townships"].tolist() == [3]  # town02 counts in 米
    assert (shared["townships"] >= 2).all()


def test_the_township_without_the_month_is_listed_as_not_reported_and_never_ranked(facts):
    members = facts.members.set_index("township")
    assert not members.loc["town04", "reported"] and members.loc[["town01", "town02", "town03"], "reported"].all()
    assert facts.not_reported == [members.loc["town04", "township_name"]]
    assert "town04" not in set(facts.comparison["township"])
    text = summary_paragraph(facts)
    assert text.startswith("截至2018年8月底，全县4个乡镇中3个报送了本月数据，")
    assert f"{facts.not_reported[0]}未报" in text


def test_ranks_and_statuses_follow_each_townships_key_figures(county_dir, facts):
    figures = {tw.id: key_figures(tw, as_month("2018-08")).set_index("indicator")
               for tw in load_county(county_dir, COUNTY) if tw.id != "town04"}
    assert facts.comparison["indicator"].nunique() >= 10
    for indicator, rows in facts.comparison.groupby("indicator"):
        rows = rows.set_index("township")
        for tid, row in rows.iterrows():
            kf = figures[tid]
            if row["ranked"]:
                assert row["completion_pct"] == pytest.approx(kf.loc[indicator, "completion_pct"])
                assert row["status"] == kf.loc[indicator, "status"]
        ranked = rows[rows["ranked"]]
        rank, bottom = rank_values(ranked["completion_pct"], ranked["better"].iloc[0], 3)
        assert ranked["rank"].astype(int).tolist() == rank.tolist() and ranked["bottom"].tolist() == bottom.tolist()
        best = ranked["completion_pct"].max() if ranked["better"].iloc[0] != "lower" else ranked["completion_pct"].min()
        assert set(ranked.index[ranked["rank"] == 1]) == set(ranked.index[ranked["completion_pct"] == best])


def test_links_are_relative_and_only_to_reports_that_exist(facts, tmp_path):
    assert report_href("town01", as_month("2018-08")) == "../../town01/2018-08/report.html"
    (tmp_path / "town01" / "2018-08").mkdir(parents=True)
    (tmp_path / "town01" / "2018-08" / "report.html").write_text("x", encoding="utf-8")
    links = report_links(facts, tmp_path).set_index("township")
    assert links.loc["town01", "href"] == "../../town01/2018-08/report.html"
    assert pd.isna(links.loc["town02", "href"]) and links.loc["town02", "note"] == "报告尚未生成"
    assert pd.isna(links.loc["town04", "href"]) and links.loc["town04", "note"].startswith("未报（数据截至2018年7月")


def _visible_links(page: Path) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<a href="([^"#][^"]*)"', page.read_text(encoding="utf-8"))]


@pytest.mark.e2e
def test_render_all_writes_the_county_roll_up_matching_the_township_reports(county_dir, tmp_path):
    from urllib.parse import unquote

    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "helpers", "render", "--township", "all", "--data-dir",
                           str(county_dir), "--out", str(out), "--jobs", "2"], env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert "已生成 5，未变化跳过 0，失败 0" in done.stdout  # four township-months and the roll-up
    page = out / COUNTY / "2018-08" / "county.html"
    workbook = pd.read_excel(page.with_name("county.xlsx"), sheet_name=None)
    compared = workbook["指标对比"]
    names = {tw.id: tw.name for tw in load_county(county_dir, COUNTY)}
    for tid in ("town01", "town02", "town03"):
        summary = pd.read_excel(out / tid / "2018-08" / "summary.xlsx", sheet_name="总览", header=1)
        mine = compared[compared["乡镇"] == names[tid]].set_index(["指标", "单位"])
        summary["指标"] = summary["指标"].str.replace("（上限）", "", regex=False)
        theirs = summary.set_index(["指标", "单位"])
        common = mine.index.intersection(theirs.index)
        assert len(common) >= 10
        assert (mine.loc[common, "状态"] == theirs.loc[common, "状态"]).all()
    for _, rows in compared.groupby("指标", sort=False):
        ranked = rows[rows["状态"] != "无目标"]
        assert ranked["排名"].tolist() == sorted(ranked["排名"].tolist()) and ranked["排名"].iloc[0] == 1
    members = workbook["各乡镇"].set_index("乡镇")
    assert members.loc[names["town04"], "本月数据"] == "未报"
    links = [unquote(h) for h in _visible_links(page)]
    assert links == [f"../../{t}/2018-08/report.html" for t in ("town01", "town02", "town03")]
    assert all((page.parent / link).resolve().is_file() for link in links)
    assert "未报（数据截至2018年7月）" in page.read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{COUNTY}（县级汇总）" in index and "county.html" in unquote(index)


def test_a_township_missing_the_double_half_shows_its_breaches(county_dir):
    """Found by the generated county: the 双过半 breach table had two columns headed 指标 and would not render."""
    from helpers.report.notebook import Context, rule_breaches

    lagging = [tw for tw in load_county(county_dir, COUNTY)
               if any(r.id == "double_half" and r.applicable and not r.passed
                      for r in rule_checks(tw, as_month("2018-07")))]
    assert lagging
    page = rule_breaches(Context(lagging[0], pd.Period("2018-07", freq="M")), "double_half").to_html()
    assert "指标代码" in page and "fixed_asset_investment" in page


def test_the_county_notebook_follows_the_skeleton_and_is_not_part_of_a_township_report():
    import nbformat

    from helpers.config import NOTEBOOKS_DIR
    from helpers.pipeline.arguments import report_notebooks

    nb = nbformat.read(NOTEBOOKS_DIR / "county.ipynb", as_version=4)
    assert "county.ipynb" not in {p.name for p in report_notebooks(NOTEBOOKS_DIR)}
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    lines = [line for line in tagged[0].source.splitlines() if line.strip()]
    assert [line.split(":")[0] for line in lines] == ["county", "month", "data_dir", "out_dir"]
    assert all(": str = " in line and "  # " in line for line in lines)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.notebook
@pytest.mark.parametrize("parameters", [{}, {"county": COUNTY, "month": "2018-08"}], ids=["defaults", "generated"])
def test_the_county_notebook_runs_cleanly(parameters, county_dir, tmp_path):
    import json

    import nbformat
    import papermill

    from helpers.config import NOTEBOOKS_DIR

    if parameters:
        parameters = {**parameters, "data_dir": str(county_dir), "out_dir": str(tmp_path)}
    out = tmp_path / "county.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS_DIR / "county.ipynb"), str(out), parameters=parameters,
                               kernel_name="python3", progress_bar=False, log_output=False, cwd=str(NOTEBOOKS_DIR))
    outputs = [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error" or o.get("name") == "stderr"]
    assert "全县" in json.dumps(outputs, ensure_ascii=False)


@pytest.mark.parametrize(("argv", "message"), [
    (["--county", "无此县"], "没有属于该县的乡镇"),
    (["--county", COUNTY, "--month", "2018-13"], "月份格式应为 YYYY-MM"),
    (["--county", COUNTY, "--month", "2019-01"], "没有任何乡镇报送该月的数据"),
])
def test_the_county_command_refuses_bad_arguments_with_exit_2_and_writes_nothing(argv, message, county_dir, tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "helpers", "county", "--data-dir", str(county_dir), "--out", str(out),
                           *argv], env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and message in done.stderr
    assert not out.exists()
