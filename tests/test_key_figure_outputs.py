"""The key figures read back from the HTML table, the Word 附件 and the Excel 总览 agree row by row."""

from __future__ import annotations

import lxml.html
import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from helpers.data.periods import as_month
from helpers.report.document import KEY_FIGURE_KEYS
from helpers.report.docx.writer import write_docx
from helpers.report.notebook import Context, key_figure_table
from helpers.report.summary import COLUMNS, FRACTION_KINDS, HEADER_ROW, OVERVIEW_SHEET, write_summary
from helpers.report.tables import FORMATS, KEY_FIGURE_COLUMNS, MISSING

MONTH = "2018-08"
PERIOD = as_month(MONTH)


@pytest.fixture(scope="module")
def outputs(sample, tmp_path_factory):
    from helpers.analysis.progress import key_figures

    folder = tmp_path_factory.mktemp("three")
    html = key_figure_table(Context(sample, pd.Period(MONTH, "M"))).to_html()
    docx = Document(str(write_docx(sample, PERIOD, folder / "report.docx")))
    xlsx = load_workbook(write_summary(key_figures(sample, PERIOD), folder / "summary.xlsx",
                                       township=sample.name, month=PERIOD))
    return html, docx, xlsx


def html_rows(html: str) -> list[dict[str, str]]:
    """The table's cells as the reader sees the text (lxml, no number parsing)."""
    table = lxml.html.fromstring(html).xpath("//table")[0]
    headers = [th.text_content().strip() for th in table.xpath("./thead/tr[last()]/th")]
    return [dict(zip(headers, (td.text_content().strip() for td in tr.xpath("./th|./td")), strict=True))
            for tr in table.xpath("./tbody/tr")]


def docx_rows(doc) -> list[dict[str, str]]:
    table = doc.tables[0]
    headers = [c.text for c in table.rows[0].cells]
    return [dict(zip(headers, (c.text for c in row.cells), strict=True)) for row in table.rows[1:]]


def xlsx_rows(wb) -> list[dict[str, str]]:
    """总览 as the HTML would print it: fractions back to percent, then the HTML's own formatters."""
    ws = wb[OVERVIEW_SHEET]
    headers = [c.value for c in ws[HEADER_ROW]]
    by_header = {c.header: c for c in COLUMNS}
    html_kind = {label: kind for label, kind in KEY_FIGURE_COLUMNS.values()}
    rows = []
    for values in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        row = {}
        for header, value in zip(headers, values, strict=True):
            if header not in html_kind:
                continue
            if value is None:
                row[header] = MISSING
                continue
            if by_header[header].kind in FRACTION_KINDS:
                value = round(value * 100, 9)
            row[header] = str(FORMATS[html_kind[header]](value))
        rows.append(row)
    return rows


def test_html_word_and_excel_show_the_same_key_figures(outputs):
    html, docx, xlsx = outputs
    h, d, x = html_rows(html), docx_rows(docx), xlsx_rows(xlsx)
    assert len(h) == len(d) == len(x) > 10
    shown = [KEY_FIGURE_COLUMNS[k][0] for k in KEY_FIGURE_KEYS]
    for hr, dr, xr in zip(h, d, x, strict=True):
        assert {k: hr[k] for k in shown} == dr
        assert {k: hr[k] for k in shown} == {k: xr[k] for k in shown}
    names = [r["指标"] for r in h]
    assert "安全生产事故（上限）" in names  # a ceiling is labelled the same way everywhere


def test_a_figure_not_reported_this_month_says_so_in_all_three(tmp_path):
    from helpers.analysis.progress import key_figures
    from helpers.report.document import key_figure_rows
    from tests.builders import make_township

    tw = make_township(monthly=[*[(f"2018-{m:02d}", None, "output", 10) for m in range(1, 8)],
                                ("2018-08", None, "firms", 3)],
                       targets=[(2018, "output", 240), (2018, "firms", 4)])
    label = "截至7月底（8月未报）"
    html = key_figure_table(Context(tw, pd.Period("2018-08", "M"))).to_html()
    assert label in html
    word = {row[0]: row for row in key_figure_rows(tw, as_month("2018-08"))}
    assert word["产值"][KEY_FIGURE_KEYS.index("ytd")] == f"70（{label}）"
    path = write_summary(key_figures(tw, as_month("2018-08")), tmp_path / "summary.xlsx", township="测试镇",
                         month=as_month("2018-08"))
    ws = load_workbook(path)[OVERVIEW_SHEET]
    headers = [c.value for c in ws[HEADER_ROW]]
    rows = {r[headers.index("指标")]: r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert rows["产值"][headers.index("数据截至")] == label


def test_year_on_year_over_fewer_months_says_which_in_all_three(tmp_path):
    """同比 over the months both years have: the three outputs say which months, and which are missing."""
    from helpers.analysis.progress import key_figures
    from helpers.report.document import key_figure_rows
    from helpers.report.tables import key_figure_view
    from tests.builders import make_township

    indicators = [("output", "economy", "产值", "万元", "flow", "higher"),
                  ("sales", "economy", "销售额", "万元", "flow", "higher"),
                  ("visits", "party", "走访", "次", "flow", "higher")]
    monthly = [*[(f"2017-{m:02d}", None, "output", 10) for m in range(1, 8)],  # last year's August never entered
               *[(f"2018-{m:02d}", None, "output", 12) for m in range(1, 9)],
               *[(f"2017-{m:02d}", None, "sales", 5) for m in range(1, 9)],
               *[(f"2018-{m:02d}", None, "sales", 6) for m in range(1, 9) if m != 4],  # this year's April missing
               *[(f"{y}-{m:02d}", None, "visits", 3) for y in (2017, 2018) for m in range(1, 9)]]  # complete
    tw = make_township(indicators=indicators, monthly=monthly,
                       targets=[(2018, "output", 200), (2018, "sales", 100), (2018, "visits", 40)])
    notes = {"产值": "按1—7月计，去年8月未报", "销售额": "按1—3月、5—8月计，今年4月未报", "走访": ""}
    header = KEY_FIGURE_COLUMNS["yoy_note"][0]
    assert header == "同比说明"

    view = key_figure_view(key_figures(tw, as_month("2018-08")), pd.Period("2018-08", "M")).set_index("name")
    assert view["yoy_note"].to_dict() == notes
    assert view.loc["产值", "yoy_pct"] == pytest.approx((84 / 70 - 1) * 100)  # Jan–Jul against Jan–Jul

    html = {r["指标"]: r for r in html_rows(key_figure_table(Context(tw, pd.Period("2018-08", "M"))).to_html())}
    assert {name: r[header] for name, r in html.items()} == notes
    yoy = KEY_FIGURE_COLUMNS["yoy_pct"][0]
    assert html["产值"][yoy] == "+20.0%"

    word = {row[0]: row[KEY_FIGURE_KEYS.index("yoy_pct")] for row in key_figure_rows(tw, as_month("2018-08"))}
    assert word == {name: html[name][yoy] + (f"（{note}）" if note else "") for name, note in notes.items()}

    path = write_summary(key_figures(tw, as_month("2018-08")), tmp_path / "summary.xlsx", township="测试镇",
                         month=as_month("2018-08"))
    wb = load_workbook(path)
    ws = wb[OVERVIEW_SHEET]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers.index(header) == headers.index(yoy) + 1  # next to the value it explains
    rows = {r[headers.index("指标")]: r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert {name: r[headers.index(header)] or "" for name, r in rows.items()} == notes
    has_column = {name: header in [c.value for c in wb[name][HEADER_ROW]] for name in wb.sheetnames}
    assert has_column == {OVERVIEW_SHEET: True, "党建": False, "富民强镇": True}  # like the HTML's area tables


def test_year_on_year_over_the_same_months_has_no_note_column(sample):
    """The sample's last year is complete: no 同比说明 column in the HTML or Excel, nothing added in Word."""
    from helpers.analysis.progress import key_figures
    from helpers.report.tables import key_figure_view

    assert "yoy_note" not in key_figure_view(key_figures(sample, PERIOD), pd.Period(MONTH, "M"))
