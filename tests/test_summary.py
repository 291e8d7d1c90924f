"""summary.xlsx: sheets, Chinese headers, number formats, frozen header row, formula-like text neutralised."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.data.periods import as_month
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
    assert "状态" in overview.columns and "完成率" in overview.columns
    assert overview["工作领域"].tolist() == ["党建", "富民强镇", "富民强镇", "安全稳定生态"]
    assert "工作领域" not in frames["富民强镇"].columns
    assert frames["富民强镇"]["指标"].tolist() == ["固定资产投资", "=HYPERLINK(\"http://x\")"]
    assert "indicator" not in overview.columns and "kind" not in overview.columns


def test_summary_frames_skip_columns_the_table_lacks():
    frames = summary_frames(key_figures().drop(columns=["yoy_pct", "pace_needed"]))
    assert "同比" not in frames[OVERVIEW_SHEET].columns


@pytest.fixture()
def workbook(tmp_path):
    path = write_summary(key_figures(), tmp_path / "out" / "summary.xlsx", title="测试镇工作月报",
                         township="测试镇", month=as_month("2018-08"), generated_at=GENERATED)
    return load_workbook(path)


GENERATED = datetime(2026, 12, 1, 9, 30)


def test_workbook_sheets_title_row_headers_and_frozen_panes(workbook):
    assert workbook.sheetnames == [OVERVIEW_SHEET, "党建", "富民强镇", "安全稳定生态"]
    ws = workbook[OVERVIEW_SHEET]
    assert ws["A1"].value.startswith("测试镇2018年8月主要指标完成情况") and "2026-12-01" in ws["A1"].value
    from openpyxl.utils import get_column_letter

    assert f"A1:{get_column_letter(ws.max_column)}1" in {str(r) for r in ws.merged_cells.ranges}
    headers = [c.value for c in ws[2]]
    assert headers[:3] == ["工作领域", "指标", "单位"]
    assert all(c.font.bold for c in ws[2])
    assert ws.freeze_panes == "C3"  # below the header, right of 工作领域 and 指标
    for name in workbook.sheetnames[1:]:
        assert workbook[name].freeze_panes == "B3"
    assert workbook.properties.title == "测试镇工作月报"


def test_workbook_prints_landscape_one_page_wide_with_the_header_repeated(workbook):
    for ws in workbook:
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows.replace("$", "") == "2:2"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)


def test_workbook_properties_record_the_generation(workbook):
    from helpers import __version__

    props = workbook.properties
    assert props.created == GENERATED
    assert __version__ in props.lastModifiedBy and __version__ in props.description
    assert "openpyxl" not in (props.creator or "")


def column(ws, header):
    headers = [c.value for c in ws[2]]
    j = headers.index(header) + 1
    return [ws.cell(row=i, column=j) for i in range(3, ws.max_row + 1)]


def test_workbook_number_formats_and_missing_values(workbook):
    ws = workbook[OVERVIEW_SHEET]
    ytd = column(ws, "累计/现值")
    assert [c.value for c in ytd] == [4, 3520.5, 12, 1]
    completion = column(ws, "完成率")
    assert completion[0].value == pytest.approx(0.6666667) and completion[0].number_format == "0.0%"
    assert column(ws, "序时进度")[0].value == pytest.approx(0.6666667)
    diff = column(ws, "快于序时（百分点）")
    assert diff[1].value == pytest.approx(-7.99167)
    assert diff[1].number_format == '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"'
    mom = column(ws, "环比")
    assert mom[1].value == pytest.approx(0.25) and mom[1].number_format.startswith("+0.0%")
    assert column(ws, "同比")[0].value is None  # NaN -> empty cell
    assert column(ws, "本月")[2].value is None
    assert not any(isinstance(c.value, float) and math.isnan(c.value) for row in ws.iter_rows() for c in row)


def test_one_number_format_per_column_following_the_units(workbook):
    for ws in workbook:
        for j in range(1, ws.max_column + 1):
            formats = {ws.cell(row=i, column=j).number_format for i in range(3, ws.max_row + 1)
                       if isinstance(ws.cell(row=i, column=j).value, int | float)}
            assert len(formats) <= 1, (ws.title, ws.cell(row=2, column=j).value, formats)
    ws = workbook[OVERVIEW_SHEET]
    assert column(ws, "累计/现值")[0].number_format == "#,##0.0"  # 3520.5 万元 needs a decimal
    assert column(workbook["党建"], "累计/现值")[0].number_format == "#,##0"  # 人 are whole


def test_status_cells_are_coloured_like_the_html(workbook):
    from helpers.report.style import STATUS_COLORS

    for cell in column(workbook[OVERVIEW_SHEET], "状态"):
        color = STATUS_COLORS[cell.value].lstrip("#").upper()
        assert cell.font.color.rgb.endswith(color)
        assert cell.fill.fill_type == "solid"


def test_table_cells_have_thin_borders(workbook):
    ws = workbook[OVERVIEW_SHEET]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.border.left.style == cell.border.bottom.style == "thin"


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

    kf = month_key_figures(sample, as_month("2018-08"))
    path = write_summary(kf, tmp_path / "summary.xlsx")
    ws = load_workbook(path)[OVERVIEW_SHEET]
    assert ws.max_row - 2 == len(kf) > 0
    expected_targets = sample.targets[sample.targets["year"] == 2018]["indicator"].nunique()
    assert len(kf) == expected_targets
