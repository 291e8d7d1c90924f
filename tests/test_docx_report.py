"""report.docx: opens with python-docx, headings in order, configured fonts, the key-figure table, atomic write."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from builders import make_township
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from helpers.config import AREA_HEADINGS, AREAS
from helpers.report import docx_report
from helpers.report.docx_report import KEY_FIGURE_HEADERS, DocxSettings, write_docx

MONTH = "2018-08"
SCRIPT = "<script>alert(1)</script>与某公司签订投资协议"


def with_highlight(tw, month: str, area: str, text: str):
    extra = make_township(highlights=[(month, area, text)]).highlights
    return dataclasses.replace(tw, highlights=pd.concat([tw.highlights, extra], ignore_index=True))


@pytest.fixture(scope="module")
def report(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    write_docx(with_highlight(sample, MONTH, "economy", SCRIPT), MONTH, path)
    return Document(str(path))


def east_asian(element) -> str | None:
    rpr = element.rPr
    fonts = None if rpr is None else rpr.rFonts
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_title_and_page(report):
    assert report.paragraphs[0].style.name == "Title"
    assert report.paragraphs[0].text == "XX镇2018年8月工作汇报"
    section = report.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)


def test_area_headings_in_order_in_heading_styles(report):
    headings = [p.text for p in report.paragraphs if p.style.name == "Heading 1"]
    expected = [f"{n}、{AREA_HEADINGS[a]}" for n, a in zip("一二三四", AREAS, strict=True)]
    assert headings[:4] == expected
    assert headings[4:6] == ["五、存在问题", "六、下步打算"]


def test_body_and_heading_fonts_are_east_asian_settings(report):
    defaults = DocxSettings()
    body = [p for p in report.paragraphs if p.style.name == "Normal" and p.text]
    assert len(body) > 10
    for paragraph in body:
        for run in paragraph.runs:
            assert east_asian(run._element) == defaults.body_font
    for paragraph in (p for p in report.paragraphs if p.style.name == "Heading 1"):
        assert all(east_asian(run._element) == defaults.heading_font for run in paragraph.runs)
    assert east_asian(report.styles["Normal"].element) == defaults.body_font
    assert east_asian(report.styles["Heading 1"].element) == defaults.heading_font
    assert report.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsiaTheme")) is None


def test_key_figure_table(report):
    assert len(report.tables) == 1
    table = report.tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == KEY_FIGURE_HEADERS
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["藤椒栽植面积"][1:4] == ["亩", "2680", "3300"]
    assert rows["固定资产投资"][2:4] == ["36800", "52000"]  # 万元 figures are not written again in 万
    assert rows["发展党员"][-1] == "滞后"


def test_script_highlight_is_intact_text(report):
    text = "\n".join(p.text for p in report.paragraphs)
    assert SCRIPT in text
    assert "&lt;" not in text


def test_reference_figures_reach_the_document(report):
    text = "\n".join(p.text for p in report.paragraphs)
    for phrase in ("距县城31公里", "1234户3635人", "570余户", "2万份", "总投资666万", "3300亩", "零到省", "54.7公里"):
        assert phrase in text


def test_fonts_are_settings(sample, tmp_path):
    settings = DocxSettings(body_font="宋体", heading_font="微软雅黑", include_key_figures=False)
    path = write_docx(sample, MONTH, tmp_path / "report.docx", settings)
    doc = Document(str(path))
    body = next(p for p in doc.paragraphs if p.style.name == "Normal" and p.text)
    assert {east_asian(r._element) for r in body.runs} == {"宋体"}
    heading = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    assert {east_asian(r._element) for r in heading.runs} == {"微软雅黑"}
    assert doc.tables == []


def test_write_is_atomic(sample, tmp_path, monkeypatch):
    path = tmp_path / "out" / "report.docx"
    write_docx(sample, MONTH, path)
    good = path.read_bytes()

    def broken_save(self, target):
        with open(target, "wb") as f:
            f.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(docx_report.Document().__class__, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_docx(sample, MONTH, path)
    assert path.read_bytes() == good
    assert sorted(p.name for p in path.parent.iterdir()) == ["report.docx"]


def test_small_township_document(tmp_path):
    tw = make_township(monthly=[("2018-03", None, "output", 10)])
    doc = Document(str(write_docx(tw, "2018-03", tmp_path / "r.docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == [f"{n}、{AREA_HEADINGS[a]}" for n, a in zip("一二三四", AREAS, strict=True)]
    assert doc.tables == []  # no indicator has a target: no key-figure table


def test_document_properties_name_the_township_not_the_library(tmp_path, sample):
    from datetime import datetime

    import docx

    from helpers.report.docx_report import write_docx

    before = datetime.now().replace(microsecond=0)  # the file keeps whole seconds
    path = write_docx(sample, "2018-08", tmp_path / "report.docx")
    after = datetime.now()
    props = docx.Document(path).core_properties
    assert props.author == "XX镇党政办" and "python-docx" not in (props.comments or "")
    assert props.title.startswith("XX镇")
    for stamp in (props.created, props.modified):  # the time of writing, not python-docx's template date
        assert before <= stamp.replace(tzinfo=None) <= after
