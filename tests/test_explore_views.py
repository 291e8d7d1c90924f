"""helpers.report.explore (what explore.ipynb calls): parameter defaults, Chinese tables, the chart, Excel export.

Also the readability of the report's own views outside the report (inline table styles, explicit figure sizes).
"""

from __future__ import annotations

import dataclasses

import matplotlib as mpl
import pandas as pd
import pytest
from builders import make_township
from matplotlib.figure import Figure
from openpyxl import load_workbook

from helpers.config import DATA_DIR
from helpers.report import explore as ex
from helpers.report import notebook as nb
from helpers.report import style
from helpers.report.tables import display_table
from tests.test_explore import visits_township


def ctx_of(tw, month="2018-09"):
    return nb.Context(tw, pd.Period(month, "M"))


def test_blank_parameters_are_filled_from_the_data():
    ctx = ctx_of(visits_township(), "2018-04")
    choice = ex.choose(ctx)
    assert choice.indicator == "visits"  # the first (here the only) indicator with village rows
    assert choice.village == "乙村"  # bottom on visits by April: 3 in April
    assert choice.quarter == pd.Period("2018Q2", freq="Q")
    assert choice.lagging == "visits"  # nothing lags among village-level indicators: the chosen indicator
    assert choice.compare == "visits"  # no indicator has last year's figures
    assert "乙村" in choice.describe(ctx) and "2018年第2季度" in choice.describe(ctx)


def test_given_parameters_are_checked():
    ctx = ctx_of(visits_township())
    assert ex.choose(ctx, village="甲村", quarter="2018Q1").village == "甲村"
    with pytest.raises(ValueError, match="未知村（社区）"):
        ex.choose(ctx, village="丁村")
    with pytest.raises(ValueError, match="没有分村数据"):
        ex.choose(ctx, indicator="fixed_asset_investment")
    with pytest.raises(ValueError, match="季度格式"):
        ex.choose(ctx, quarter="2018-06")
    with pytest.raises(ValueError, match="未知指标"):
        ex.choose(ctx, compare="nothing")


def test_tables_have_chinese_headers_and_numbers_stay_numbers():
    ctx = ctx_of(visits_township())
    table = ex.village_against_township(ctx, "visits", "甲村")
    assert list(table.columns) == ["月份", "甲村（次）", "全镇（次）", "占全镇（%）"]
    assert table["月份"].iloc[1] == "2018年2月" and table["甲村（次）"].iloc[1] == 5
    behind = ex.villages_behind(ctx, "visits")
    assert list(behind.columns) == ["村（社区）", "党总支", "民情恳谈（次）", "占各村合计（%）", "每千人", "名次",
                                    "末位"]
    assert pd.api.types.is_numeric_dtype(behind["民情恳谈（次）"])
    yoy = ex.year_against_last(ctx, "fixed_asset_investment")
    assert list(yoy.columns)[:3] == ["月份", "2018年（万元）", "2017年（万元）"] and yoy["2018年累计"].iloc[-1] == 45
    listing = ex.indicators(ctx)
    assert list(listing["分村数据"]) == ["是", ""] and list(listing["状态"]) == ["", "滞后"]


def test_a_quarter_in_rows_that_say_when_and_what():
    ctx = ctx_of(visits_township())
    breaches = ex.quarter_breaches(ctx, "2018Q1")
    visits = breaches[breaches["规则"] == "民情恳谈每村每月不少于8次"]
    expected = [["党建", "2018年2月", "村（社区）：甲村；实际：5；要求：8"]]
    assert visits[["领域", "时间", "情况"]].values.tolist() == expected
    rules = ex.quarter_rules(ctx, "2018Q1").set_index("规则")
    assert rules.loc["民情恳谈每村每月不少于8次", "结果"] == "未落实"
    assert rules.loc["民情恳谈每村每月不少于8次", "未落实（条）"] == 1
    assert rules.loc["固定资产投资、民间投资、社消零总额“双过半”", "结果"] == "不适用"
    assert pd.isna(rules.loc["固定资产投资、民间投资、社消零总额“双过半”", "未落实（条）"])
    assert ex.quarter_breaches(ctx, "2018Q3").query("规则 == '民情恳谈每村每月不少于8次'").empty


def test_a_breach_is_worded_with_the_names_its_rule_kind_gives_its_columns():
    notices = [(d, "livelihood", "通报", "土坯房改建进展通报") for d in ("2018-01-05", "2018-01-20", "2018-02-20")]
    months = [(f"2018-0{m}", None, "output", 1) for m in (1, 2, 3)]
    breaches = ex.quarter_breaches(ctx_of(make_township(events=notices, monthly=months), "2018-03"), "2018Q1")
    adobe = breaches[breaches["规则"].str.contains("土坯房")]
    assert adobe[["时间", "情况"]].values.tolist() == [["2018年2月上半月", "通报次数：0"],
                                                      ["2018年3月上半月", "通报次数：0"],
                                                      ["2018年3月下半月", "通报次数：0"]]


def test_the_chart_is_a_readable_figure_whatever_the_rc_says():
    ctx = ctx_of(visits_township())
    with mpl.rc_context({"figure.dpi": 72, "figure.figsize": (3, 2)}):  # what old inline backends set
        fig = ex.village_against_township_chart(ctx, "visits", "甲村")
    assert isinstance(fig, Figure)
    assert fig.get_size_inches()[0] * fig.dpi == pytest.approx(style.FIGURE_WIDTH_IN * style.DPI)
    assert len(fig.axes) == 2 and "甲村" in fig.axes[0].get_title(loc="left")


def test_report_tables_carry_their_own_legible_styles():
    html = display_table(pd.DataFrame({"name": ["富民强镇"]}), {"name": ("领域", "text")}, caption="说明").to_html()
    assert "caption-side: top" in html and "white-space: nowrap" in html and "word-break: keep-all" in html


def township_in(tmp_path):
    return dataclasses.replace(visits_township(), source=tmp_path / "data" / "fixture")


def test_a_table_goes_to_excel_under_outputs(tmp_path):
    ctx = ctx_of(township_in(tmp_path))
    table = pd.DataFrame({"村（社区）": ["=甲村"], "数值": [1.5], "月份": [pd.Period("2018-02", "M")]})
    path = ex.save_excel(ctx, table, "分村", tmp_path / "outputs")
    assert path == tmp_path / "outputs" / "fixture" / "explore" / "分村.xlsx"
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows == [("村（社区）", "数值", "月份"), ("'=甲村", 1.5, "2018-02")]  # formula-looking text neutralised
    ex.save_excel(ctx, table.assign(数值=2.0), "分村.xlsx", tmp_path / "outputs")  # replaced in place
    assert list(load_workbook(path).active.iter_rows(values_only=True))[1][1] == 2.0
    assert sorted(p.name for p in path.parent.iterdir()) == ["分村.xlsx"]  # no temporary file left behind


def test_excel_never_goes_into_data_or_outside_its_folder(tmp_path):
    ctx = ctx_of(township_in(tmp_path))
    table = pd.DataFrame({"a": [1]})
    for out_dir in (tmp_path / "data", DATA_DIR):
        with pytest.raises(ValueError, match="不能写入数据目录"):
            ex.save_excel(ctx, table, "x", out_dir)
    for name in ("../x", "a/b", "..", ""):
        with pytest.raises(ValueError, match="文件名不合法"):
            ex.save_excel(ctx, table, name, tmp_path / "outputs")
    assert not (DATA_DIR / "fixture").exists()
