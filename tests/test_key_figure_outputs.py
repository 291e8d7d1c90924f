"""The key figures read back from the HTML table, the Word 附件 and the Excel 总览 agree row by row."""

from __future__ import annotations

import lxml.html
import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from helpers.report.docx_report import KEY_FIGURE_KEYS, write_docx
from helpers.report.notebook import Context, key_figure_table
from helpers.report.summary import COLUMNS, FRACTION_KINDS, HEADER_ROW, OVERVIEW_SHEET, write_summary
from helpers.report.tables import FORMATS, KEY_FIGURE_COLUMNS, MISSING

MONTH = "2018-08"


@pytest.fixture(scope="module")
def outputs(sample, tmp_path_factory):
    from helpers.analysis.progress import key_figures

    folder = tmp_path_factory.mktemp("three")
    html = key_figure_table(Context(sample, pd.Period(MONTH, "M"))).to_html()
    docx = Document(str(write_docx(sample, MONTH, folder / "report.docx")))
    xlsx = load_workbook(write_summary(key_figures(sample, MONTH), folder / "summary.xlsx",
                                       township=sample.name, month=MONTH))
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
    from helpers.report.docx_report import key_figure_rows
    from tests.builders import make_township

    tw = make_township(monthly=[*[(f"2018-{m:02d}", None, "output", 10) for m in range(1, 8)],
                                ("2018-08", None, "firms", 3)],
                       targets=[(2018, "output", 240), (2018, "firms", 4)])
    label = "截至7月底（8月未报）"
    html = key_figure_table(Context(tw, pd.Period("2018-08", "M"))).to_html()
    assert label in html
    word = {row[0]: row for row in key_figure_rows(tw, "2018-08")}
    assert word["产值"][KEY_FIGURE_KEYS.index("ytd")] == f"70（{label}）"
    path = write_summary(key_figures(tw, "2018-08"), tmp_path / "summary.xlsx", township="测试镇", month="2018-08")
    ws = load_workbook(path)[OVERVIEW_SHEET]
    headers = [c.value for c in ws[HEADER_ROW]]
    rows = {r[headers.index("指标")]: r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert rows["产值"][headers.index("数据截至")] == label
