"""summary.xlsx: sheets, Chinese headers, number formats, frozen header row, formula-like text neutralised."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.report.summary import OVERVIEW_SHEET, neutralise, summary_frames, write_summary


def key_figures() -> pd.DataFrame:
    """Shaped like helpers.analysis.progress.key_figures: one row per indicator with a target."""
    return pd.DataFrame({
        "indicator": ["members", "investment", "formula", "accidents"],
        "area": pd.Categorical(["party", "economy", "economy", "safety"],
                               categories=["party", "economy", "livelihood", "safety"]),
        "name": ["发展党员", "固定资产投资", "=HYPERLINK(\"http://x\")", "安全事故"],
        "unit": ["人", "万元", "@户", "起"],
        "kind": ["flow", "flow", "stock", "flow"],
        "better": ["higher", "higher", "higher", "lower"],
        "ytd": [4.0, 3520.5, 12.0, 1.0],
        "target": [6.0, 6000.0, 20.0, 2.0],
        "completion_pct": [66.66667, 58.675, 60.0, 50.0],
        "time_pct": [66.66667] * 4,
        "diff_pp": [0.0, -7.99167, -6.66667, -16.66667],
        "status": ["达序时", "滞后", "滞后", "超序时"],
        "this_month": [1.0, 500.0, np.nan, 0.0],
        "mom_pct": [0.0, 25.0, np.nan, -100.0],
        "yoy_pct": [np.nan, 12.5, np.nan, np.nan],
        "pace_needed": [0.5, 620.0, np.nan, np.nan],
    })


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+86 123", "'+86 123"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("固定资产投资", "固定资产投资"), ("a=b", "a=b"), ("", ""),
])
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_summary_frames_have_an_overview_and_one_sheet_per_area_with_rows():
    frames = summary_frames(key_figures())
    assert list(frames) == [OVERVIEW_SHEET, "党建", "富民强镇", "安全稳定生态"]
    overview = frames[OVERVIEW_SHEET]
    assert list(overview.columns[:4]) == ["工作领域", "指标", "单位", "累计/现值"]
    assert "状态" in overview.columns and "完成率（%）" in overview.columns
    assert overview["工作领域"].tolist() == ["党建", "富民强镇", "富民强镇", "安全稳定生态"]
    assert "工作领域" not in frames["富民强镇"].columns
    assert frames["富民强镇"]["指标"].tolist() == ["固定资产投资", "=HYPERLINK(\"http://x\")"]
    assert "indicator" not in overview.columns and "kind" not in overview.columns


def test_summary_frames_skip_columns_the_table_lacks():
    frames = summary_frames(key_figures().drop(columns=["yoy_pct", "pace_needed"]))
    assert "同比（%）" not in frames[OVERVIEW_SHEET].columns


@pytest.fixture()
def workbook(tmp_path):
    path = write_summary(key_figures(), tmp_path / "out" / "summary.xlsx", title="测试镇工作月报")
    return load_workbook(path)


def test_workbook_sheets_headers_and_frozen_row(workbook):
    assert workbook.sheetnames == [OVERVIEW_SHEET, "党建", "富民强镇", "安全稳定生态"]
    ws = workbook[OVERVIEW_SHEET]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["工作领域", "指标", "单位"]
    assert all(c.font.bold for c in ws[1])
    for name in workbook.sheetnames:
        assert workbook[name].freeze_panes == "A2"
    assert workbook.properties.title == "测试镇工作月报"


def column(ws, header):
    headers = [c.value for c in ws[1]]
    j = headers.index(header) + 1
    return [ws.cell(row=i, column=j) for i in range(2, ws.max_row + 1)]


def test_workbook_number_formats_and_missing_values(workbook):
    ws = workbook[OVERVIEW_SHEET]
    ytd = column(ws, "累计/现值")
    assert [c.value for c in ytd] == [4, 3520.5, 12, 1]
    assert ytd[0].number_format == "#,##0" and ytd[1].number_format == "#,##0.00"
    completion = column(ws, "完成率（%）")
    assert completion[0].value == pytest.approx(66.66667) and completion[0].number_format == "0.0"
    assert column(ws, "快于序时进度（百分点）")[1].number_format.startswith("+0.0")
    assert column(ws, "同比（%）")[0].value is None  # NaN -> empty cell
    assert column(ws, "本月")[2].value is None
    assert not any(isinstance(c.value, float) and math.isnan(c.value) for row in ws.iter_rows() for c in row)


def test_workbook_text_that_looks_like_a_formula_is_neutralised(workbook):
    ws = workbook["富民强镇"]
    name = column(ws, "指标")[1]
    assert name.value == "'=HYPERLINK(\"http://x\")"
    assert name.data_type == "s"
    unit = column(ws, "单位")[1]
    assert unit.value == "'@户" and unit.data_type == "s"
    assert column(ws, "指标")[0].value == "固定资产投资"
    formulas = [c for sheet in workbook for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_workbook_status_text_kept(workbook):
    assert [c.value for c in column(workbook[OVERVIEW_SHEET], "状态")] == ["达序时", "滞后", "滞后", "超序时"]


def test_month_key_figures_feeds_the_workbook(sample, tmp_path):
    """With the real analysis: every indicator with a target of the sample appears on 总览."""
    from helpers.report.summary import month_key_figures

    kf = month_key_figures(sample, "2018-08")
    path = write_summary(kf, tmp_path / "summary.xlsx")
    ws = load_workbook(path)[OVERVIEW_SHEET]
    assert ws.max_row - 1 == len(kf) > 0
    expected_targets = sample.targets[sample.targets["year"] == 2018]["indicator"].nunique()
    assert len(kf) == expected_targets
