"""The document model laid out by python-docx: title, 主送, headings and paragraphs, 落款, the 附件 page."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from helpers.config import SETTINGS, Settings
from helpers.data.township import Township
from helpers.files import replacing
from helpers.report.document import Attachment, Heading, Properties, ReportDocument, report_document
from helpers.report.docx.page import add_run, grid, prepare
from helpers.report.docx.settings import DOCX_SETTINGS, DocxSettings

KEY_FIGURE_WIDTHS_MM = (42, 12, 24, 22, 18, 20, 38, 16, 16, 16)
"""Column widths on the landscape 附件 page: each header fits on one line at the table font size."""
KEY_FIGURE_ROW_MM = 7
"""The least height of a 附件 table row (the section has no line grid, so a row is otherwise just its text)."""


def _heading(doc, text: str, level: int, s: DocxSettings) -> None:
    paragraph = doc.add_paragraph(style=f"Heading {level}")
    add_run(paragraph, text, s.heading_font if level == 1 else s.subheading_font, s.latin_font)


def _body(doc, text: str, s: DocxSettings) -> None:
    paragraph = doc.add_paragraph(style="Normal")
    paragraph.paragraph_format.first_line_indent = Pt(s.body_size_pt * 2)
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    add_run(paragraph, text, s.body_font, s.latin_font)


def _plain(doc, text: str, s: DocxSettings, align=WD_ALIGN_PARAGRAPH.LEFT, font: str | None = None,
           size: float | None = None, right_chars: float = 0):
    paragraph = doc.add_paragraph(style="Normal")
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if right_chars:
        paragraph.paragraph_format.right_indent = Pt(s.body_size_pt * right_chars)
    if text:
        add_run(paragraph, text, font or s.body_font, s.latin_font, size)
    return paragraph


def _table(doc, headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], s: DocxSettings) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, KEY_FIGURE_WIDTHS_MM, strict=True):
        column.width = Mm(width)
    for cell, header, width in zip(table.rows[0].cells, headers, KEY_FIGURE_WIDTHS_MM, strict=True):
        cell.width = Mm(width)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _cell_format(paragraph)
        add_run(paragraph, header, s.heading_font, s.latin_font, s.table_size_pt)
    _row_format(table.rows[0], "w:tblHeader", "w:cantSplit")  # the header repeats on each page
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.width = Mm(KEY_FIGURE_WIDTHS_MM[i])
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 0 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_format(paragraph)
            add_run(paragraph, text, s.body_font, s.latin_font, s.table_size_pt)
        _row_format(table.rows[-1], "w:cantSplit")


def _row_format(row, *tags: str) -> None:
    row.height, row.height_rule = Mm(KEY_FIGURE_ROW_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell in row.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    tr_pr = row._tr.get_or_add_trPr()
    for tag in tags:
        tr_pr.append(OxmlElement(tag))


def _cell_format(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _signature(doc, model: ReportDocument, s: DocxSettings) -> None:
    """附件说明, then 发文机关署名 (right, two characters in) and 成文日期 below it (four characters in)."""
    if model.attachment_note:
        _plain(doc, "", s)
        _body(doc, model.attachment_note, s)
    _plain(doc, "", s)
    _plain(doc, model.issuer, s, WD_ALIGN_PARAGRAPH.RIGHT, right_chars=2)
    _plain(doc, model.date, s, WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)


def _attachment(doc, attachment: Attachment, s: DocxSettings) -> None:
    """The 附件 on a landscape page of its own: label, title, table, the time-progress note."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    top, bottom, left, right = s.margins_mm
    section.top_margin, section.bottom_margin = Mm(left), Mm(right)
    section.left_margin, section.right_margin = Mm(top), Mm(bottom)
    grid(section, s, lines=False)  # on the line grid LibreOffice drew each row a grid line high: 3 rows spilled
    _plain(doc, attachment.label, s, font=s.heading_font)
    title = _plain(doc, attachment.title, s, WD_ALIGN_PARAGRAPH.CENTER, font=s.title_font, size=s.title_size_pt)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_after = Pt(s.line_spacing_pt / 2)
    _table(doc, attachment.headers, attachment.rows, s)
    _plain(doc, attachment.note, s, size=s.table_size_pt)


def _properties(doc, properties: Properties) -> None:
    props = doc.core_properties
    props.title = properties.title
    props.author = properties.author
    props.last_modified_by = properties.tool
    props.comments = properties.comments
    props.keywords = ""
    props.created = props.modified = properties.created


def docx_document(model: ReportDocument, settings: DocxSettings = DOCX_SETTINGS):
    """The document model as a python-docx Document in 公文 form."""
    doc = Document()
    prepare(doc, settings)
    _properties(doc, model.properties)
    add_run(doc.add_paragraph(style="Title"), model.title, settings.title_font, settings.latin_font)
    if model.addressee:
        _plain(doc, model.addressee, settings)
    for block in model.body:
        if isinstance(block, Heading):
            _heading(doc, block.text, block.level, settings)
        else:
            _body(doc, block.text, settings)
    _signature(doc, model, settings)
    if model.attachment is not None:
        _attachment(doc, model.attachment, settings)
    return doc


def write_docx(tw: Township, month: pd.Period, path: Path | str, settings: DocxSettings = DOCX_SETTINGS,
               analysis: Settings = SETTINGS, report_date: date | None = None,
               generated_at: datetime | None = None) -> Path:
    """Write report.docx of a township-month to ``path`` atomically (a temporary file beside it, then a rename).

    Its text is :func:`helpers.report.document.report_document`; ``settings`` say whether it carries 存在问题 and
    下步打算 and the 附件 besides the fonts and the page.
    """
    model = report_document(tw, month, analysis, report_date, generated_at,
                            with_problems_and_plans=settings.include_problems_and_plans,
                            with_key_figures=settings.include_key_figures)
    path = Path(path)
    doc = docx_document(model, settings)
    with replacing(path) as tmp:
        doc.save(tmp)
    return path
