"""report.docx: opens with python-docx, headings in order, configured fonts, the key-figure table, atomic write."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from builders import make_township
from conftest_proof import skip_or_fail
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from helpers.data.periods import as_month
from helpers.report.document import KEY_FIGURE_HEADERS
from helpers.report.docx.settings import DocxSettings
from helpers.report.docx.writer import write_docx

MONTH = "2018-08"
PERIOD = as_month(MONTH)
SCRIPT = "<script>alert(1)</script>与某公司签订投资协议"

REFERENCE_HEADINGS = ["一、夯实基础，突出党建第一保障", "二、富民强镇，突出发展第一要务",
                      "三、改善民生，突出乡村振兴第一目标", "四、守住底线，突出安全稳定生态第一责任"]
"""The area headings of the reference report, which the bundled default profile reproduces."""



def with_highlight(tw, month: str, area: str, text: str):
    extra = make_township(highlights=[(month, area, text)]).highlights
    return dataclasses.replace(tw, highlights=pd.concat([tw.highlights, extra], ignore_index=True))


@pytest.fixture(scope="module")
def report(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    write_docx(with_highlight(sample, MONTH, "economy", SCRIPT), PERIOD, path)
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
    expected = REFERENCE_HEADINGS
    assert headings[:4] == expected
    assert headings[4:6] == ["五、存在问题", "六、下步打算"]


def test_body_and_heading_fonts_are_east_asian_settings(report):
    defaults = DocxSettings()
    attachment = [p.text for p in report.paragraphs].index("附件")  # its label is 黑体, its title 小标宋
    body = [p for p in report.paragraphs[:attachment] if p.style.name == "Normal" and p.text]
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
    assert rows["藤椒栽植面积"][1:4] == ["亩", "2,680", "3,300"]
    assert rows["固定资产投资"][2:4] == ["36,800", "52,000"]  # 万元 figures are not written again in 万
    assert rows["发展党员"][KEY_FIGURE_HEADERS.index("状态")] == "滞后"


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
    path = write_docx(sample, PERIOD, tmp_path / "report.docx", settings)
    doc = Document(str(path))
    body = next(p for p in doc.paragraphs if p.style.name == "Normal" and p.text)
    assert {east_asian(r._element) for r in body.runs} == {"宋体"}
    heading = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    assert {east_asian(r._element) for r in heading.runs} == {"微软雅黑"}
    assert doc.tables == []


def test_write_is_atomic(sample, tmp_path, monkeypatch):
    path = tmp_path / "out" / "report.docx"
    write_docx(sample, PERIOD, path)
    good = path.read_bytes()

    def broken_save(self, target):
        with open(target, "wb") as f:
            f.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(Document().__class__, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_docx(sample, PERIOD, path)
    assert path.read_bytes() == good
    assert sorted(p.name for p in path.parent.iterdir()) == ["report.docx"]


def test_small_township_document(tmp_path):
    tw = make_township(monthly=[("2018-03", None, "output", 10)])
    doc = Document(str(write_docx(tw, as_month("2018-03"), tmp_path / "r.docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == REFERENCE_HEADINGS
    assert doc.tables == []  # no indicator has a target: no key-figure table


def test_document_properties_name_the_township_not_the_library(tmp_path, sample):
    from datetime import datetime

    import docx

    from helpers.report.docx.writer import write_docx

    before = datetime.now().replace(microsecond=0)  # the file keeps whole seconds
    path = write_docx(sample, as_month("2018-08"), tmp_path / "report.docx")
    after = datetime.now()
    props = docx.Document(path).core_properties
    assert props.author == "XX镇党政办" and "python-docx" not in (props.comments or "")
    assert props.title.startswith("XX镇")
    for stamp in (props.created, props.modified):  # the time of writing, not python-docx's template date
        assert before <= stamp.replace(tzinfo=None) <= after


# --- 公文 form (GB/T 9704): page numbers, 主送, 落款, title font, character grid, 附件 -----------------------

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def with_info(tw, **fields):
    return dataclasses.replace(tw, info={**tw.info, **fields})


def field_codes(element) -> list[str]:
    """The field instructions (complex and simple fields) inside an XML element."""
    codes = [t.text.strip() for t in element.iter(f"{W_NS}instrText")]
    return codes + [f.get(f"{W_NS}instr").strip() for f in element.iter(f"{W_NS}fldSimple")]


def test_footer_has_page_field_in_outside_corners(report):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    assert report.settings.odd_and_even_pages_header_footer
    section = report.sections[0]
    corners = ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT))
    for footer, align in corners:
        paragraph = footer.paragraphs[0]
        assert field_codes(paragraph._element) == ["PAGE"]
        assert paragraph.alignment == align
        text = "".join(t.text for t in paragraph._element.iter(f"{W_NS}t"))
        assert text.startswith("— ") and text.endswith(" —")
        assert all(r.font.size == Pt(14) for r in paragraph.runs)  # 四号
        assert {east_asian(r._element) for r in paragraph.runs} == {"宋体"}


def body_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_signature_and_date_follow_the_last_section(report):
    texts = body_texts(report)
    plans = texts.index("六、下步打算")
    issuer = texts.index("中共XX镇委员会")
    assert texts[issuer + 1] == "2018年8月31日"
    assert issuer > plans + 1
    assert not any(report.paragraphs[i].style.name.startswith("Heading") for i in range(plans + 1, issuer))
    signature = report.paragraphs[issuer]
    assert signature.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert texts.index("附件") > issuer + 1


def test_issuer_addressee_and_date_come_from_the_profile_and_caller(sample, tmp_path):
    from datetime import date

    tw = with_info(sample, issuer="中共XX镇委员会办公室", addressee="中共XX县委")
    doc = Document(str(write_docx(tw, PERIOD, tmp_path / "r.docx", report_date=date(2018, 9, 3))))
    texts = body_texts(doc)
    assert texts[1] == "中共XX县委："
    assert doc.paragraphs[1].paragraph_format.first_line_indent in (None, 0)
    issuer = texts.index("中共XX镇委员会办公室")
    assert texts[issuer + 1] == "2018年9月3日"


def test_no_addressee_without_one(report):
    assert not any(p.text.endswith("：") and p.text.startswith("中共") for p in report.paragraphs[:3])


def test_title_font_with_stated_fallback(report):
    settings = DocxSettings()
    assert settings.title_font == "方正小标宋简体" and settings.title_font_fallback
    assert east_asian(report.paragraphs[0].runs[0]._element) == settings.title_font
    font_table = next(r.target_part for r in report.part.rels.values() if r.reltype.endswith("/fontTable"))
    from lxml import etree

    root = etree.fromstring(font_table.blob)
    font = root.find(f"{W_NS}font[@{W_NS}name='{settings.title_font}']")
    assert font is not None
    assert font.find(f"{W_NS}altName").get(f"{W_NS}val") == settings.title_font_fallback


def test_document_grid_is_28_characters_by_22_lines(report):
    """22 lines on the line grid; 28 characters from the body's advance (三号 condensed to the grid pitch).

    Not a character grid: LibreOffice gives a character wider than the grid's pitch (16 pt on 15.8 pt) two
    cells, so a 28-character grid printed 14 characters a line there; condensed spacing gives 28 in every program.
    """
    section = report.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    text_width = (section.page_width - section.left_margin - section.right_margin) / 12700  # points
    text_height = (section.page_height - section.top_margin - section.bottom_margin) / 12700
    assert text_height / (int(grid.get(qn("w:linePitch"))) / 20) == pytest.approx(22, abs=0.05)
    assert report.styles["Normal"].paragraph_format.line_spacing.pt * 22 <= text_height
    spacing = report.styles["Normal"].element.rPr.find(qn("w:spacing"))
    advance = DocxSettings().body_size_pt + int(spacing.get(qn("w:val"))) / 20
    assert 28 * advance <= text_width < 29 * advance


def wide_characters_per_line(pdf: Path, page: int) -> list[int]:
    """How many full-width characters (Han and Chinese punctuation) pdftotext finds on each line of one page."""
    import re
    import subprocess

    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    lines: dict[int, int] = {}
    for y, word in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out):
        wide = len(re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", word))
        if wide:
            lines[round(float(y))] = lines.get(round(float(y)), 0) + wide
    return [n for _y, n in sorted(lines.items())]


@pytest.fixture(scope="module")
def libreoffice_pdf(sample, tmp_path_factory) -> Path:
    """The Word copy opened by LibreOffice (soffice --convert-to pdf), to be read back with pdftotext."""
    import shutil
    import subprocess

    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        skip_or_fail("LibreOffice or poppler-utils is not installed: apt-get install libreoffice-writer poppler-utils")
    folder = tmp_path_factory.mktemp("libreoffice")
    path = write_docx(sample, PERIOD, folder / "report.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to", "pdf",
                    "--outdir", str(folder), str(path)], capture_output=True, check=True, timeout=180)
    return folder / "report.pdf"


def pdf_pages(pdf: Path) -> list[str]:
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.e2e
def test_libreoffice_prints_28_characters_a_line_and_22_lines_a_page(libreoffice_pdf):
    counts = wide_characters_per_line(libreoffice_pdf, 2)  # a page of running text, no title
    assert max(counts) == DocxSettings().chars_per_line, counts
    assert len(counts) == DocxSettings().lines_per_page, counts


@pytest.mark.e2e
def test_libreoffice_prints_the_attachment_table_on_one_page(libreoffice_pdf, report):
    """The 附件 page holds the whole key-figure table and its note: no page of leftover rows."""
    pages = pdf_pages(libreoffice_pdf)
    (label,) = [i for i, page in enumerate(pages) if page.strip().startswith("附件")]
    assert label == len(pages) - 1, pages[label + 1:]
    names = [row.cells[0].text for row in report.tables[0].rows[1:]]
    assert all(name in pages[label] for name in names)
    assert "注：" in pages[label]


def test_key_figures_are_an_attachment_on_a_landscape_page(report):
    from docx.enum.section import WD_ORIENT, WD_SECTION

    texts = body_texts(report)
    label = texts.index("附件")
    assert texts[label + 1] == "主要指标完成情况"
    assert "附件：主要指标完成情况" in texts[:label]  # 附件说明 in the body
    assert len(report.sections) == 2
    attachment = report.sections[1]
    assert attachment.start_type == WD_SECTION.NEW_PAGE and attachment.orientation == WD_ORIENT.LANDSCAPE
    # the section break sits in the paragraph just before the label: the label starts the new page
    assert report.paragraphs[label - 1]._p.pPr.find(qn("w:sectPr")) is not None
    # headers fit on one line: each column is wider than its header at the table font size (+ cell margins)
    table = report.tables[0]
    for cell in table.rows[0].cells:
        assert cell.width >= Pt(10.5 * len(cell.text) + 12)
    width = sum(c.width for c in table.rows[0].cells)
    assert width <= attachment.page_width - attachment.left_margin - attachment.right_margin


def test_attachment_rows_have_room_and_centred_cells(report):
    """Without the line grid a row is as high as its text: at least 7 mm, text centred, so a wrapped status reads."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE

    for row in report.tables[0].rows:
        assert row.height_rule == WD_ROW_HEIGHT_RULE.AT_LEAST and row.height >= Mm(7)
        assert all(cell.vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER for cell in row.cells)


def test_key_figure_table_uses_the_html_view(report):
    table = report.tables[0]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert "安全生产事故（上限）" in rows  # the ceiling is named as in the HTML
    assert "安全生产事故" not in rows


def test_the_word_copy_carries_the_focus_villages_paragraph_after_the_opening(report, sample):
    from helpers.report.prose.facts import report_facts
    from helpers.report.prose.narrative import focus_section

    (focus,) = focus_section(report_facts(sample, PERIOD)).paragraphs
    texts = [p.text for p in report.paragraphs]
    assert focus in texts
    assert texts.index(focus) < texts.index(REFERENCE_HEADINGS[0])


def test_the_word_copy_prints_the_document_model_word_for_word(sample, tmp_path):
    """What the document says is a plain model; the Word copy lays it out and adds no text of its own."""
    from helpers.report.document import Heading, report_document

    model = report_document(sample, PERIOD)
    doc = Document(str(write_docx(sample, PERIOD, tmp_path / "report.docx")))
    attachment = model.attachment
    expected = [model.title, *([model.addressee] if model.addressee else []), *(b.text for b in model.body),
                model.attachment_note, model.issuer, model.date, attachment.label, attachment.title, attachment.note]
    assert [p.text for p in doc.paragraphs if p.text] == expected
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [b.text for b in model.body if isinstance(b, Heading)]
    assert [tuple(c.text for c in row.cells) for row in doc.tables[0].rows] == [attachment.headers, *attachment.rows]
