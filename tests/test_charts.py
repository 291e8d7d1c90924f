"""Charts: every figure renders with the CJK font and no missing glyph, in one house style."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.colors import same_color, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from helpers.data.periods import as_month
from helpers.report import style
from helpers.report.charts.indicators import completion_chart, cumulative_chart, trend_chart
from helpers.report.charts.projects import LABEL_WRAP_CHARS, _project_label, project_progress_chart
from helpers.report.charts.statuses import stacked_status_chart, status_counts_frame
from helpers.report.charts.villages import village_heatmap, village_ranking_chart

MONTHS = pd.period_range("2018-01", "2018-08", freq="M")


def render_strict(fig: Figure) -> bytes:
    """PNG bytes of the figure, with every warning (a missing glyph above all) raised as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()


def key_figures() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator": ["pepper_planting_mu", "fixed_asset_investment", "retail_sales", "safety_accidents",
                      "restaurants"],
        "name": ["藤椒栽植面积", "固定资产投资", "社会消费品零售总额", "安全生产事故", "餐饮企业"],
        "unit": ["亩", "万元", "万元", "起", "家"],
        "better": ["higher", "higher", "higher", "lower", "higher"],
        "completion_pct": [87.9, 71.5, 66.4, 50.0, np.nan],
        "time_pct": [200 / 3] * 5,
        "status": ["超序时", "超序时", "达序时", "超序时", None],
    }).assign(status=lambda d: d["status"].where(d.index != 2, "滞后"))


def monthly_series(year: int = 2018, months: int = 8, target: float | None = 52000.0) -> pd.DataFrame:
    month = pd.period_range(f"{year}-01", f"{year}-12", freq="M")
    value = [2800, 2600, 4300, 4600, 5200, 6800, 5100, 5400, 4800, 5000, 5200, 6100][:months] + [np.nan] * (12 - months)
    cumulative = pd.Series(value).cumsum().where(pd.Series(value).notna())
    pace = [target * m / 12 for m in range(1, 13)] if target else [np.nan] * 12
    return pd.DataFrame({"month": month, "value": value, "cumulative": cumulative,
                         "target": target if target else np.nan, "target_pace": pace})


def visits_matrix() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    villages = ["高龙村", "拦江村", "万福村", "碧波村", "山花村", "新街社区"]
    matrix = pd.DataFrame(rng.integers(8, 13, size=(len(villages), len(MONTHS))), index=villages,
                          columns=MONTHS).astype(float)
    matrix.loc["山花村", MONTHS[4]] = 6
    matrix.loc["新街社区", MONTHS[2]] = 5
    matrix.loc["万福村", MONTHS[7]] = np.nan
    return matrix


def ranking() -> pd.DataFrame:
    villages = ["高龙村", "拦江村", "万福村", "碧波村", "山花村", "石桥村", "龙井村"]
    values = [12345.0, 9800.0, 7600.5, 5100.0, 2400.0, 2400.0, 900.0]
    return pd.DataFrame({
        "indicator": "adobe_demolished", "name": "拆除土坯房", "unit": "户", "village": villages,
        "branch": "高龙片区党总支", "value": values, "rank": [1, 2, 3, 4, 5, 5, 7],
        "bottom": [False, False, False, False, True, True, True],
    }).sample(frac=1.0, random_state=3)


def project_status() -> pd.DataFrame:
    return pd.DataFrame({
        "project_id": ["P01", "P06", "P07", "P05"],
        "name": ["高龙村、拦江村、万福村移民后扶连片项目", "万福村村道硬化工程", "贫困村安全饮水工程",
                 "农产品冷链物流项目"],
        "stage": ["在建", "在建", "完工", pd.NA],
        "progress_pct": [95.0, 40.0, 100.0, np.nan],
        "overdue": [False, True, False, False],
        "stalled": [False, True, False, False],
        "stalled_months": [0, 4, 0, 0],
    })


def petition_counts() -> pd.DataFrame:
    return pd.DataFrame({"化解中": [3, 2, 0, 0, 0], "已化解": [11, 8, 2, 0, 0], "total": [14, 10, 2, 0, 0]},
                        index=pd.Index(["镇", "县", "市", "省", "京"], name="level"))


def rectification_states() -> pd.DataFrame:
    return pd.DataFrame({"已完成": [50, 1, 0, 1], "整改中": [0, 0, 6, 2], "已逾期": [0, 0, 1, 1],
                         "已暂停": [0, 0, 1, 0]},
                        index=pd.Index(["养殖户", "非定点屠宰场", "汽修", "巡察反馈问题"], name="category"))


CHARTS = {
    "completion": lambda: completion_chart(key_figures()),
    "cumulative": lambda: cumulative_chart(monthly_series(), "固定资产投资", "万元"),
    "cumulative_no_target": lambda: cumulative_chart(monthly_series(target=None), "餐饮企业", "家"),
    "heatmap": lambda: village_heatmap(visits_matrix(), "干部到村民情恳谈", "次", threshold=8),
    "ranking": lambda: village_ranking_chart(ranking()),
    "projects": lambda: project_progress_chart(project_status()),
    "petitions": lambda: stacked_status_chart(petition_counts(), "信访案件（按最高层级）"),
    "rectifications": lambda: stacked_status_chart(rectification_states(), "整改事项（按类别）", unit="项"),
    "trend": lambda: trend_chart(monthly_series(), "固定资产投资", "万元",
                                        last_year=monthly_series(2017, months=12, target=47000.0)),
    "trend_negative": lambda: trend_chart(
        monthly_series().assign(value=lambda d: d["value"] - 5000), "固定资产投资变化", "万元"),
    "empty_ranking": lambda: village_ranking_chart(ranking().iloc[0:0]),
}


def all_texts(fig: Figure) -> list:
    return [t for t in fig.findobj(mpl.text.Text) if t.get_visible() and t.get_text().strip()]


@pytest.fixture(autouse=True)
def no_figure_left_behind():
    yield
    assert plt.get_fignums() == []


def test_font_file_comes_from_mplfonts_and_findfont_resolves_to_it():
    style.apply()
    path = style.font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert "mplfonts" in path.parts
    resolved = font_manager.findfont(font_manager.FontProperties(family=style.FONT_FAMILY), fallback_to_default=False)
    assert Path(resolved) == path
    assert font_manager.FontProperties(fname=path).get_name() == "Noto Sans CJK SC"
    assert mpl.rcParams["font.family"] == [style.FONT_FAMILY]


def test_the_house_family_is_the_bundled_files_own_name():
    """A system copy of Noto Sans CJK (fonts-noto-cjk, which CI installs) must not win over the bundled file."""
    style.register_font()
    files = {e.fname for e in font_manager.fontManager.ttflist if e.name == style.FONT_FAMILY}
    assert files == {str(style.font_path())}


def test_apply_is_idempotent_and_restores_the_style_after_a_reset():
    style.apply()
    registered = [f for f in font_manager.fontManager.ttflist if Path(f.fname) == style.font_path()]
    style.apply()
    assert [f for f in font_manager.fontManager.ttflist if Path(f.fname) == style.font_path()] == registered
    try:
        mpl.rcdefaults()
        assert mpl.rcParams["font.family"] != [style.FONT_FAMILY]
    finally:
        style.apply()
    assert mpl.rcParams["font.family"] == [style.FONT_FAMILY]
    assert mpl.rcParams["figure.dpi"] == style.DPI


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_renders_without_a_missing_glyph(name):
    fig = CHARTS[name]()
    assert isinstance(fig, Figure)
    png = render_strict(fig)
    assert png.startswith(b"\x89PNG")
    assert fig.get_figwidth() == pytest.approx(style.FIGURE_WIDTH_IN)
    assert fig.dpi == style.DPI
    texts = all_texts(fig)
    assert any("\u4e00" <= ch <= "\u9fff" for t in texts for ch in t.get_text()), "no Chinese text drawn"
    assert min(t.get_fontsize() for t in texts) >= 10


@pytest.mark.parametrize("text", ["藤椒\U0001F600", "罕见字\U00020000"])
def test_a_missing_glyph_fails_the_render(text):
    frame = key_figures()
    frame.loc[0, "name"] = text
    fig = completion_chart(frame)
    with pytest.raises(UserWarning, match="missing from font"):
        render_strict(fig)


def test_an_unregistered_font_family_is_caught_as_missing_glyphs():
    """Matplotlib only logs an unknown family and falls back to DejaVu Sans, which has no CJK glyphs."""
    fig = trend_chart(monthly_series(), "固定资产投资", "万元")
    with mpl.rc_context({"font.family": ["No Such CJK Font"]}):
        for text in all_texts(fig):
            text.set_fontfamily(["No Such CJK Font"])
        with pytest.raises(UserWarning, match="missing from font"):
            render_strict(fig)


def test_charts_do_not_stay_registered_in_pyplot_even_when_they_fail():
    for build in CHARTS.values():
        build()
    assert plt.get_fignums() == []
    mixed = key_figures().assign(time_pct=[50.0, 50.0, 50.0, 75.0, 75.0])
    with pytest.raises(ValueError, match="序时进度不唯一"):
        completion_chart(mixed)
    assert plt.get_fignums() == []


def bar_colors(ax) -> list[tuple]:
    return [p.get_facecolor() for p in ax.patches if isinstance(p, Rectangle) and p.get_height() < 1]


def test_completion_chart_bars_carry_status_colours_labels_and_time_line():
    fig = completion_chart(key_figures())
    ax = fig.axes[0]
    colors = bar_colors(ax)
    assert same_color(colors[0], style.STATUS_COLORS["超序时"])
    assert same_color(colors[2], style.STATUS_COLORS["滞后"])
    assert same_color(colors[4], style.NO_STATUS_COLOR)
    texts = [t.get_text() for t in all_texts(fig)]
    assert "71.5%" in texts and "87.9%" in texts
    assert "安全生产事故（上限）" in texts
    assert "主要指标完成率与序时进度（%）" in texts
    lines = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert lines and lines[0].get_xdata()[0] == pytest.approx(200 / 3)
    assert fig.legends[0].texts[-1].get_text() == "序时进度 66.7%"


def test_status_colours_mean_the_same_in_every_chart():
    bad, good, neutral = style.STATUS_COLORS["滞后"], style.STATUS_COLORS["超序时"], style.STATUS_COLORS["达序时"]
    for status in ("末位", "已逾期", "逾期或停滞"):
        assert style.STATUS_COLORS[status] == bad
    for status in ("已化解", "已完成", "已完工"):
        assert style.STATUS_COLORS[status] == good
    for status in ("化解中", "整改中", "推进中"):
        assert style.STATUS_COLORS[status] == neutral
    assert len({bad, good, neutral, style.NO_STATUS_COLOR}) == 4

    ranking_ax = village_ranking_chart(ranking()).axes[0]
    assert [same_color(c, bad) for c in bar_colors(ranking_ax)] == [False] * 4 + [True] * 3

    projects_ax = project_progress_chart(project_status()).axes[0]
    progress_bars = bar_colors(projects_ax)[4:]  # the first four are the grey 100% tracks
    assert same_color(progress_bars[1], bad)
    assert same_color(progress_bars[2], good)
    assert same_color(progress_bars[0], neutral)

    rect_fig = stacked_status_chart(rectification_states(), "整改事项（按类别）")
    legend = {t.get_text(): h.get_facecolor() for t, h in zip(rect_fig.legends[0].texts,
                                                              rect_fig.legends[0].legend_handles, strict=True)}
    assert same_color(legend["已逾期"], bad) and same_color(legend["已完成"], good)
    assert same_color(legend["整改中"], neutral)
    assert not any(same_color(legend["已暂停"], c) for c in (bad, good, neutral))


def test_heatmap_labels_months_and_outlines_cells_under_the_threshold():
    fig = village_heatmap(visits_matrix(), "干部到村民情恳谈", "次", threshold=8)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{m}月" for m in range(1, 9)]
    outlined = [p for p in ax.patches if isinstance(p, Rectangle) and same_color(p.get_edgecolor(), style.BAD)]
    assert sorted((round(p.get_x() + 0.5), round(p.get_y() + 0.5)) for p in outlined) == [(2, 5), (4, 4)]
    assert "低于8次（2处）" in [t.get_text() for t in fig.legends[0].texts]
    cell_texts = [t for t in ax.texts if t.get_text() in {"5", "6"} and same_color(t.get_color(), style.BAD)]
    assert len(cell_texts) == 2


def test_heatmap_without_threshold_or_annotation_for_large_matrices():
    big = pd.DataFrame(np.arange(60 * 12, dtype=float).reshape(60, 12), index=[f"村{i}" for i in range(60)],
                       columns=pd.period_range("2017-07", "2018-06", freq="M"))
    fig = village_heatmap(big, "测试", "次")
    ax = fig.axes[0]
    assert len(ax.texts) == 0
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "2017年7月" and labels[6] == "2018年1月" and labels[7] == "2月"
    render_strict(fig)


def test_ranking_runs_best_to_worst_top_down_with_thousands_separators():
    fig = village_ranking_chart(ranking())
    ax = fig.axes[0]
    render_strict(fig)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "高龙村" and labels[-1] == "龙井村"
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # first row on top
    texts = [t.get_text() for t in ax.texts]
    assert "12,345" in texts and "7,600.5" in texts
    assert any("," in t.get_text() for t in ax.get_xticklabels())
    assert fig.axes[0].get_title(loc="left") == "拆除土坯房村级排名（户）"
    assert "末位（3个）" in [t.get_text() for t in fig.legends[0].texts]


def test_ranking_refuses_several_indicators():
    two = pd.concat([ranking(), ranking().assign(name="村级集体经济收入")])
    with pytest.raises(ValueError, match="一个指标"):
        village_ranking_chart(two)


def test_project_chart_labels_name_and_stage_and_flags_overdue():
    fig = project_progress_chart(project_status())
    ax = fig.axes[0]
    labels = [t.get_text().replace("\n", "") for t in ax.get_yticklabels()]
    assert labels[1] == "万福村村道硬化工程（在建）"
    assert labels[3] == "农产品冷链物流项目（未启动）"
    assert all(len(line) <= LABEL_WRAP_CHARS for t in ax.get_yticklabels() for line in t.get_text().split("\n"))
    flagged = [t for t in ax.texts if "逾期" in t.get_text()]
    assert [t.get_text() for t in flagged] == ["40% 逾期、停滞4个月"]
    assert same_color(flagged[0].get_color(), style.BAD)
    assert "逾期或停滞" in [t.get_text() for t in fig.legends[0].texts]


def test_stacked_chart_orders_known_statuses_and_ignores_totals():
    fig = stacked_status_chart(petition_counts(), "信访案件（按最高层级）")
    assert [t.get_text() for t in fig.legends[0].texts] == ["已化解", "化解中"]
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["镇", "县", "市", "省", "京"]
    assert ax.get_title(loc="left") == "信访案件（按最高层级）（件）"
    totals = [t.get_text() for t in ax.texts if t.get_color() == style.INK]
    assert totals == ["14", "10", "2", "0", "0"]


def test_cumulative_chart_draws_actuals_pace_and_target():
    fig = cumulative_chart(monthly_series(), "固定资产投资", "万元")
    ax = fig.axes[0]
    actual = next(line for line in ax.get_lines() if same_color(line.get_color(), style.PRIMARY))
    assert len(actual.get_xdata()) == 8
    assert actual.get_ydata()[-1] == pytest.approx(36800)
    target = next(line for line in ax.get_lines() if line.get_linestyle() == "--")
    assert target.get_ydata()[0] == pytest.approx(52000)
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["1月", "2月"]
    assert "年度目标 52,000" in [t.get_text() for t in fig.legends[0].texts]
    until = cumulative_chart(monthly_series(), "固定资产投资", "万元", until=as_month("2018-06")).axes[0]
    assert len(next(ln for ln in until.get_lines() if same_color(ln.get_color(), style.PRIMARY)).get_xdata()) == 6


def test_trend_chart_bars_and_last_year_line():
    fig = trend_chart(monthly_series(), "固定资产投资", "万元",
                             last_year=monthly_series(2017, months=12, target=None))
    ax = fig.axes[0]
    assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == 8
    line = next(ln for ln in ax.get_lines() if isinstance(ln, Line2D))
    assert len(line.get_xdata()) == 8
    assert [t.get_text() for t in fig.legends[0].texts] == ["2018年", "2017年同期"]
    assert ax.get_title(loc="left") == "固定资产投资月度情况（万元）"


def test_negative_value_labels_use_the_same_minus_as_the_axis():
    ax = CHARTS["trend_negative"]().axes[0]
    assert "\u22122,200" in [t.get_text() for t in ax.texts]


def test_formatters_use_thousands_separators():
    assert style.format_number(52000) == "52,000"
    assert style.format_number(1234.5) == "1,234.5"
    assert style.format_number(float("nan")) == "—"
    assert style.format_pct(71.54) == "71.5%"
    assert style.format_number(pd.NA) == "—" and style.format_pct(None) == "—"
    assert style.format_number(-2200.0) == "-2,200"
    assert style.chart_number(-2200.0) == "\u22122,200" and style.chart_pct(-3.21) == "\u22123.2%"
    assert style.number_formatter()(-12500.0) == "\u221212,500"
    assert style.pct_formatter()(25.0) == "25%"
    assert to_rgba(style.STATUS_COLORS["滞后"]) == to_rgba(style.BAD)


def test_stacked_chart_takes_the_analysis_frames_as_they_come():
    petitions = pd.DataFrame({"level": ["镇", "县", "市", "省", "京"], "cases": [13, 9, 4, 0, 0],
                              "resolved": [10, 7, 3, 0, 0], "pending": [3, 2, 1, 0, 0]})
    assert status_counts_frame(petitions).to_dict("list") == {"已化解": [10, 7, 3, 0, 0],
                                                                     "化解中": [3, 2, 1, 0, 0]}
    rectifications = pd.DataFrame({"category": ["养殖户", "汽修"], "total": [50, 7], "closed": [50, 0],
                                   "open": [0, 7], "overdue": [0, 1]})
    counts = status_counts_frame(rectifications)
    assert list(counts.index) == ["养殖户", "汽修"]
    assert counts.loc["汽修"].to_dict() == {"已完成": 0, "已逾期": 1, "整改中": 6}
    fig = stacked_status_chart(rectifications, "整改事项（按类别）", unit="项")
    render_strict(fig)
    assert [t.get_text() for t in fig.legends[0].texts] == ["已完成", "整改中", "已逾期"]
    assert [t.get_text() for t in fig.axes[0].texts if t.get_color() == style.INK] == ["50", "7"]


def test_project_labels_keep_the_stage_in_one_piece():
    assert _project_label("千亿斤高标准农田建设项目", "规划设计") == "千亿斤高标准农田建设项目\n（规划设计）"
    assert _project_label("万福村村道硬化工程", "在建") == "万福村村道硬化工程（在建）"
    assert _project_label("冷链物流项目", None) == "冷链物流项目（未启动）"


def test_completion_labels_of_lagging_indicators_are_red_even_without_a_bar():
    frame = key_figures()
    frame.loc[1, ["completion_pct", "status"]] = [0.0, "滞后"]
    ax = completion_chart(frame).axes[0]
    zero = next(t for t in ax.texts if t.get_text() == "0.0%")
    assert same_color(zero.get_color(), style.STATUS_COLORS["滞后"])
    assert same_color(next(t for t in ax.texts if t.get_text() == "87.9%").get_color(), style.INK)


def test_sample_names_render_and_the_planted_visit_shortfalls_are_outlined(sample):
    """Every village and project name of the sample is in the font; the three planted shortfalls are flagged."""
    rows = sample.monthly[(sample.monthly["indicator"] == "visits") & (sample.monthly["month"].dt.year == 2018)]
    matrix = rows.pivot_table(index="village", columns="month", values="value", aggfunc="sum", observed=True)
    matrix = matrix.reindex(list(sample.villages["village"]))
    fig = village_heatmap(matrix, "干部到村民情恳谈", "次", threshold=8)
    render_strict(fig)
    ax = fig.axes[0]
    outlined = sorted((matrix.index[round(p.get_y() + 0.5)], str(matrix.columns[round(p.get_x() + 0.5)]))
                      for p in ax.patches if same_color(p.get_edgecolor(), style.BAD))
    assert outlined == [("山花村", "2018-05"), ("新街社区", "2018-03"), ("石桥村", "2018-08")]

    projects = sample.projects.assign(stage="在建", progress_pct=50.0, overdue=False, stalled=False, stalled_months=0)
    render_strict(project_progress_chart(projects))


def test_a_projects_state_reads_the_same_in_its_table_and_its_chart():
    """One wording per state: the chart's flags are the table's 状态, a stage after 完工 is drawn as finished."""
    from helpers.report.wording.states import project_state

    frame = pd.concat([project_status(), pd.DataFrame({
        "project_id": ["P09"], "name": ["污水处理厂"], "stage": ["竣工验收"], "progress_pct": [100.0],
        "overdue": [False], "stalled": [False], "stalled_months": [0]})], ignore_index=True)
    frame = frame.assign(finished=[False, False, True, False, True], near_completion=[True, False, False, False, False])
    states = [project_state(row) for row in frame.to_dict("records")]
    assert states == ["即将完工", "逾期、停滞4个月", "已完工", "未启动", "已竣工验收"]
    ax = project_progress_chart(frame).axes[0]
    assert [t.get_text().split(" ", 1)[1] for t in ax.texts if " " in t.get_text()] == [states[1]]
    progress_bars = bar_colors(ax)[len(frame):]  # after the grey 100% tracks
    assert same_color(progress_bars[4], style.STATUS_COLORS["已完工"])
    assert same_color(progress_bars[0], style.STATUS_COLORS["推进中"])
