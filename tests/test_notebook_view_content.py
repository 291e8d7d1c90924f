"""What each notebook view shows, on the sample and on the mini fixture, against figures worked out here.

The expected rows, headers, bar heights and tick labels come from the township's files read as plain text
(tests/sample_raw.py), never from the analysis the view calls. Tables are read back from their HTML the way
a reader sees them; figures from their matplotlib artists.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from IPython.display import HTML
from report_text import shown
from sample_raw import MINI, SAMPLE, Raw, versus_time

from helpers.config import DATA_DIR
from helpers.data.report_profile.reading import default_profile
from helpers.data.township import load_township
from helpers.report import notebook as nb
from helpers.report.tables import FORMATS

FIXTURE_DATA_DIR = Path(__file__).resolve().parent / "fixtures" / "data"
CASES = {"sample": (DATA_DIR, "2018-08", SAMPLE), "sample-may": (DATA_DIR, "2018-05", SAMPLE),
         "mini": (FIXTURE_DATA_DIR, "2020-04", MINI), "mini-february": (FIXTURE_DATA_DIR, "2020-02", MINI)}
PETITION_LEVELS = ("镇", "县", "市", "省", "京")

AREAS = default_profile().area_names
"""The bundled default profile's areas (the sample's and the fixture's)."""



@pytest.fixture(scope="module", params=list(CASES))
def case(request) -> tuple[nb.Context, Raw, str]:
    data_dir, month, raw = CASES[request.param]
    township = request.param.split("-")[0]
    return nb.Context(load_township(data_dir, township), pd.Period(month, "M")), raw, month


def n(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def smart(value: float) -> str:
    return FORMATS["number"](value)


def month_cn(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:])}月"


def title_of(ax) -> str:
    return ax.get_title(loc="left") or ax.get_title()


def year_indicators(raw: Raw, month: str) -> set[str]:
    return {r["indicator"] for r in raw.rows("targets") if int(r["year"]) == int(month[:4])}


# --- overview ------------------------------------------------------------------------------------------------

def test_profile_table(case):
    ctx, raw, month = case
    p, villages = raw.info(), raw.rows("villages")
    headers, rows, _ = shown(nb.info_table(ctx))
    assert headers == ["项目", "内容"]
    assert rows == [
        ["乡镇", p["name"]], ["所属县", p["county"]], ["距县城", f"{n(p['distance_to_county_km'])}公里"],
        ["幅员面积", f"{n(p['area_km2'])}平方公里"], ["场镇面积", f"{n(p['town_area_km2'])}平方公里"],
        ["党总支", f"{len({v['branch'] for v in villages})}个"],
        ["村（社区）", f"{len(villages)}个（村{sum(v['kind'] == '村' for v in villages)}个、"
                      f"社区{sum(v['kind'] == '社区' for v in villages)}个）"],
        ["总人口", f"{p['population']}人"], ["报告月份", month_cn(month)],
    ]


def test_other_indicator_table_lists_the_untargeted_indicators_of_an_area(case):
    ctx, raw, month = case
    previous = str(pd.Period(month, "M") - 1)
    for area in AREAS:
        untargeted = [i for i in raw.rows("indicators")
                      if i["area"] == area and i["indicator"] not in year_indicators(raw, month)]
        view = nb.other_indicator_table(ctx, area)
        if not untargeted:
            assert isinstance(view, HTML) and view.data == ""
            continue
        headers, rows, _ = shown(view)
        assert headers == ["指标", "单位", "累计/现值", "本月", "环比", "同比"]
        expected = []
        for i in untargeted:
            if i["kind"] == "stock":
                ytd = this = raw.stock_level(i["indicator"], month)
                before = raw.stock_level(i["indicator"], previous)
            else:
                by_month = raw.monthly(i["indicator"], month)
                ytd, this, before = raw.flow_ytd(i["indicator"], month), by_month[month], by_month[previous]
            expected.append([i["name"], i["unit"], smart(ytd), smart(this),
                             FORMATS["signed_pct"]((this - before) / before * 100), "—"])  # no last year's data
        assert rows == expected, area


def test_attention_table_rows_and_the_area_filter(case):
    ctx, raw, month = case
    headers, rows, _ = shown(nb.attention_table(ctx))
    assert headers == ["领域", "类别", "事项", "情况"]
    expected = []
    names = {i["indicator"]: i for i in raw.rows("indicators")}
    for indicator in sorted(year_indicators(raw, month)):
        row = names[indicator]
        if row["kind"] != "flow" or row["better"] != "higher":
            continue
        done, gap = raw.completion_and_gap(indicator, month)
        if gap < -1:  # behind time progress by more than the on-pace tolerance
            expected.append([AREAS[row["area"]], "滞后", row["name"],
                             f"完成{done:.1f}%，{versus_time(gap)}；今后每月需完成"])
    short = raw.visits_short(month)
    breach = f"{int(month[:4])}年1—{int(month[5:])}月，有{len(short)}村次民情恳谈少于8次："
    if short:  # the overview's rule table says the result; its attention row refers to it
        expected.append(["党建", "未落实", "民情恳谈每村每月不少于8次", "详见“规则检查一览”"])
    for r in raw.rows("rectifications"):
        if r["issued"] <= month and not (r["closed"] and r["closed"] <= month) and r["due"] < month:
            expected.append([AREAS[r["area"]], "逾期", f"{r['name']}整改",  # the data's name, nothing composed
                             f"{month_cn(r['issued'])}下达，整改期限{month_cn(r['due'])}"])
    for want in expected:
        assert any(got[:3] == want[:3] and got[3].startswith(want[3]) for got in rows), want
    for area, area_name in AREAS.items():
        view = nb.attention_table(ctx, area)
        mine = [r[1:] for r in rows if r[0] == area_name]
        if not mine:
            assert isinstance(view, HTML) and "没有滞后" in view.data
            continue
        area_headers, area_rows, _ = shown(view)
        assert area_headers == ["类别", "事项", "情况"]
        assert [r[:2] for r in area_rows] == [r[:2] for r in mine]
        for got, overall in zip(area_rows, mine, strict=True):
            if got[0] == "未落实":  # one area's own table keeps the detail the overview refers to
                assert overall[2] == "详见“规则检查一览”" and got[2] != overall[2]
                if got[1] == "民情恳谈每村每月不少于8次":
                    assert got[2].startswith(breach)
            else:
                assert got == overall


# --- poverty, petitions, projects, rectifications, events -----------------------------------------------------

def test_poverty_table(case):
    ctx, raw, month = case
    year = int(month[:4])
    h = raw.households(month)
    poor = [v for v in raw.rows("villages") if v["poor_village"] == "是"]
    delisted = [int(v["delisted_year"]) for v in poor if v["delisted_year"]]
    headers, rows, _ = shown(nb.poverty_table(ctx))
    assert headers == ["项目", "数量", "说明"]
    remaining = (h["households"] - h["exited_before"] - h["exited_this_year"],
                 h["people"] - h["exited_before_people"] - h["exited_this_year_people"])
    assert rows == [
        ["贫困村", f"{len(poor)}个",
         f"已摘帽{sum(y < year for y in delisted)}个，{year}年计划摘帽{sum(y == year for y in delisted)}个"],
        ["建档立卡贫困户", f"{h['households']}户{h['people']}人", ""],
        [f"{year}年以前已脱贫", f"{h['exited_before']}户{h['exited_before_people']}人", ""],
        [f"{year}年计划脱贫", f"{h['planned']}户{h['planned_people']}人",
         f"已脱贫{h['exited_this_year']}户{h['exited_this_year_people']}人"],
        ["尚未脱贫", f"{remaining[0]}户{remaining[1]}人", ""],
    ]


def test_petition_figure_stacks_resolved_and_pending_by_level(case):
    ctx, raw, month = case
    cases = [r for r in raw.rows("petitions") if f"{month[:4]}-01" <= r["month"] <= month]
    fig = nb.petition_figure(ctx)
    ax = fig.axes[0]
    assert title_of(ax) == "今年以来信访案件（按最高层级）（件）"
    assert [t.get_text() for t in ax.get_yticklabels()] == list(PETITION_LEVELS)
    resolved = [sum(1 for c in cases if c["level"] == lv and c["status"] == "已化解") for lv in PETITION_LEVELS]
    pending = [sum(1 for c in cases if c["level"] == lv and c["status"] == "化解中") for lv in PETITION_LEVELS]
    assert sum(resolved) + sum(pending) == len(cases)
    widths = [p.get_width() for p in ax.patches]
    assert widths == resolved + pending  # one bar per level and status, 已化解 first
    assert [p.get_x() for p in ax.patches[len(PETITION_LEVELS):]] == resolved  # 化解中 stacked after it


@pytest.mark.parametrize("area", [None, "economy"])
def test_project_figure_bars_are_the_latest_progress(case, area):
    ctx, raw, month = case
    last = raw.last_progress(month)
    projects = [p for p in raw.rows("projects") if area is None or p["area"] == area]
    fig = nb.project_figure(ctx, area)
    ax = fig.axes[0]
    title = "项目推进情况" if area is None else f"{AREAS[area]}项目推进情况"
    assert title_of(ax) == f"{title}（进度 %）"
    labels = [t.get_text().replace("\n", "") for t in ax.get_yticklabels()]
    assert labels == [f"{p['name']}（{last[p['project_id']]['stage'] if p['project_id'] in last else '未启动'}）"
                      for p in projects]
    progress = [float(last[p["project_id"]]["progress_pct"] or 0) if p["project_id"] in last else 0.0
                for p in projects]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [100.0] * len(projects) + progress  # the grey track, then the progress bar


def test_open_rectifications_table_puts_the_overdue_first(case):
    ctx, raw, month = case
    still = [r for r in raw.rows("rectifications")
             if r["issued"] <= month and not (r["closed"] and r["closed"] <= month)]
    still.sort(key=lambda r: (not r["due"] < month, r["due"]))  # stable: file order within a due month
    headers, rows, caption = shown(nb.open_rectifications_table(ctx))
    assert headers == ["类别", "对象", "村（社区）", "下达", "期限", "状态"]
    assert caption == "未完成的整改任务（逾期的排在前面）"
    assert rows == [[r["category"], r["name"], r["village"], month_cn(r["issued"]), month_cn(r["due"]),
                     "已逾期" if r["due"] < month else "整改中"] for r in still]


@pytest.mark.parametrize("types", [None, ("部署", "督查", "宣传")])
def test_event_table_counts_records_and_quantities(case, types):
    ctx, raw, month = case
    for area, area_name in AREAS.items():
        found = [t for t in nb.EVENT_TYPE_ORDER if raw.event_records(month, area, t) and (types is None or t in types)]
        view = nb.event_table(ctx, area, types)
        if not found:
            assert isinstance(view, HTML) and "没有记录" in view.data
            continue
        headers, rows, caption = shown(view)
        assert headers == ["类型", "记录条数", "数量合计", "单位"]
        assert caption == f"今年以来{area_name}工作事项统计"
        assert rows == [[t, smart(raw.event_records(month, area, t)), smart(raw.events(month, area, t)),
                         {"宣传": "份", "立案": "人"}.get(t, "次")] for t in found], area


# --- indicators by month and by village ----------------------------------------------------------------------

def village_level(raw: Raw, area: str, month: str) -> list[dict[str, str]]:
    with_rows = {r["indicator"] for r in raw.rows("monthly") if r["village"] and r["month"] <= month}
    return [i for i in raw.rows("indicators") if i["area"] == area and i["indicator"] in with_rows]


@pytest.mark.parametrize("area", list(AREAS))
def test_branch_tables_sum_the_villages_of_each_branch(case, area):
    ctx, raw, month = case
    villages = raw.rows("villages")
    branches = list(dict.fromkeys(v["branch"] for v in villages))
    tables = nb.branch_tables(ctx, area)
    indicators = village_level(raw, area, month)
    assert len(tables) == len(indicators)
    for table, ind in zip(tables, indicators, strict=True):
        by_village = raw.village_ytd(ind["indicator"], month)
        headers, rows, caption = shown(table)
        assert caption == f"{ind['name']}：按党总支汇总"
        assert headers == ["党总支", "村（社区）数", "人口", f"{ind['name']}（{ind['unit']}）"]
        expected = []
        for b in branches:
            mine = [v for v in villages if v["branch"] == b]
            expected.append([b, smart(len(mine)), smart(sum(int(v["population"]) for v in mine)),
                             smart(round(sum(by_village.get(v["village"], 0.0) for v in mine), 2))])
        assert rows == expected


@pytest.mark.parametrize("area", list(AREAS))
def test_trend_figures_show_each_flow_month_by_month(case, area):
    ctx, raw, month = case
    flows = [i for i in raw.rows("indicators") if i["area"] == area and i["kind"] == "flow"
             and len(raw.monthly(i["indicator"], month)) >= 2]  # one month would be a one-bar chart
    figs = nb.trend_figures(ctx, area=area)
    assert len(figs) == len(flows)
    last_year = str(int(month[:4]) - 1) + month[4:]
    for fig, ind in zip(figs, flows, strict=True):
        ax = fig.axes[0]
        by_month = raw.monthly(ind["indicator"], month)
        shown_months = [f"{month[:4]}-{m:02d}" for m in range(1, int(max(by_month)[5:]) + 1)]
        assert title_of(ax) == f"{ind['name']}月度情况（{ind['unit']}）"
        assert [t.get_text() for t in ax.get_xticklabels()] == [f"{int(m[5:])}月" for m in shown_months]
        assert [p.get_height() for p in ax.patches] == pytest.approx([by_month.get(m, 0.0) for m in shown_months])
        before = raw.monthly(ind["indicator"], last_year)
        lines = ax.get_lines()
        if before:
            assert len(lines) == 1
            expected = [before.get(f"{last_year[:4]}{m[4:]}", float("nan")) for m in shown_months]
            assert list(lines[0].get_ydata()) == pytest.approx(expected, nan_ok=True)
        else:
            assert lines == []


def test_trend_figures_of_named_indicators_skip_unknown_ones(case):
    ctx, raw, month = case
    figs = nb.trend_figures(ctx, ["visits", "no_such_indicator"])
    assert len(figs) == 1
    by_month = raw.monthly("visits", month)
    assert [p.get_height() for p in figs[0].axes[0].patches] == pytest.approx([by_month[m] for m in sorted(by_month)])


def test_poverty_village_table_counts_households_per_village(case):
    ctx, raw, month = case
    year = month[:4]
    expected = []
    for v in raw.rows("villages"):
        mine = [h for h in raw.rows("households") if h["village"] == v["village"]]
        if not mine:
            continue
        planned = [h for h in mine if h["planned_exit_year"] == year]
        expected.append([v["village"], v["poor_village"], v["delisted_year"] or "—", smart(len(mine)),
                         smart(sum(int(h["members"]) for h in mine)),
                         smart(sum(1 for h in mine if h["exited"] and h["exited"] <= month)),
                         smart(len(planned)), smart(sum(int(h["members"]) for h in planned))])
    headers, rows, caption = shown(nb.poverty_village_table(ctx))
    assert headers == ["村（社区）", "贫困村", "摘帽（计划）年份", "建档立卡户", "人口", "已脱贫户",
                       f"{year}年计划脱贫户", f"{year}年计划脱贫人口"]
    assert caption == "建档立卡贫困户分布（按户数排序）"
    assert sorted(rows) == sorted(expected)
    counts = [int(r[3].replace(",", "")) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_petition_village_table_counts_cases_per_village(case):
    ctx, raw, month = case
    cases = [r for r in raw.rows("petitions") if f"{month[:4]}-01" <= r["month"] <= month]
    expected = []
    for v in raw.rows("villages"):
        mine = [c for c in cases if c["village"] == v["village"]]
        if mine:
            expected.append([v["village"], smart(len(mine)), smart(sum(c["status"] == "已化解" for c in mine)),
                             smart(sum(c["status"] == "化解中" for c in mine))])
    view = nb.petition_village_table(ctx)
    if not expected:
        assert isinstance(view, HTML) and "没有信访案件" in view.data
        return
    headers, rows, caption = shown(view)
    assert headers == ["村（社区）", "案件", "已化解", "化解中"]
    assert caption == "今年以来信访案件分村（社区）统计"
    assert sorted(rows) == sorted(expected)
    counts = [int(r[1]) for r in rows]
    assert counts == sorted(counts, reverse=True)
