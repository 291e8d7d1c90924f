"""The report as a Word document (report.docx) for official submission: A4, Chinese fonts, the key-figure table."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from helpers.analysis.progress import key_figures
from helpers.config import AREAS, SETTINGS, Settings
from helpers.data.periods import as_month
from helpers.data.township import Township
from helpers.report.narrative import (
    area_section,
    opening_section,
    plans_section,
    problems_section,
    report_facts,
    report_title,
)
from helpers.report.wording import MISSING, count, pct, section_ordinal

THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
BLACK = RGBColor(0, 0, 0)


@dataclass(frozen=True)
class DocxSettings:
    """Fonts and page layout of report.docx (defaults follow the usual government document format)."""

    body_font: str = "仿宋"
    heading_font: str = "黑体"
    subheading_font: str = "楷体"
    title_font: str = "黑体"
    latin_font: str = "Times New Roman"
    title_size_pt: float = 22  # 二号
    heading_size_pt: float = 16  # 三号
    body_size_pt: float = 16  # 三号
    table_size_pt: float = 10.5  # 五号
    line_spacing_pt: float = 28
    margins_mm: tuple[float, float, float, float] = (37, 35, 28, 26)  # top, bottom, left, right
    include_problems_and_plans: bool = True
    include_key_figures: bool = True


DOCX_SETTINGS = DocxSettings()

KEY_FIGURE_HEADERS = ("指标", "单位", "累计/现值", "年度目标", "完成率", "序时进度", "差（百分点）", "状态")
KEY_FIGURE_WIDTHS_MM = (38, 12, 19, 19, 17, 17, 17, 17)


def _set_fonts(rpr_parent, east_asian: str, latin: str) -> None:
    """Set the Latin and East-Asian font of a style's or run's rPr, dropping theme fonts that would override them."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in THEME_FONT_ATTRS:
        key = qn(attr)
        if key in fonts.attrib:
            del fonts.attrib[key]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _style(doc, name: str, east_asian: str, latin: str, size: float, bold: bool | None = None):
    style = doc.styles[name]
    _set_fonts(style.element, east_asian, latin)
    style.font.size = Pt(size)
    style.font.color.rgb = BLACK
    if bold is not None:
        style.font.bold = bold
    return style


def _prepare(doc, s: DocxSettings) -> None:
    """Page size and margins; Normal, Title and Heading styles in the configured fonts."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = s.margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)

    normal = _style(doc, "Normal", s.body_font, s.latin_font, s.body_size_pt)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(s.line_spacing_pt)
    fmt.space_before = fmt.space_after = Pt(0)

    title = _style(doc, "Title", s.title_font, s.latin_font, s.title_size_pt, bold=False)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(s.line_spacing_pt)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    for name, font in (("Heading 1", s.heading_font), ("Heading 2", s.subheading_font)):
        heading = _style(doc, name, font, s.latin_font, s.heading_size_pt, bold=False)
        hf = heading.paragraph_format
        hf.space_before = hf.space_after = Pt(0)
        hf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        hf.line_spacing = Pt(s.line_spacing_pt)
        hf.first_line_indent = Pt(s.body_size_pt * 2)
        hf.keep_with_next = True


def _run(paragraph, text: str, east_asian: str, latin: str, size: float | None = None, bold: bool = False):
    run = paragraph.add_run(text)
    _set_fonts(run._element, east_asian, latin)
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    return run


def _heading(doc, text: str, level: int, s: DocxSettings) -> None:
    paragraph = doc.add_paragraph(style=f"Heading {level}")
    _run(paragraph, text, s.heading_font if level == 1 else s.subheading_font, s.latin_font)


def _body(doc, text: str, s: DocxSettings) -> None:
    paragraph = doc.add_paragraph(style="Normal")
    paragraph.paragraph_format.first_line_indent = Pt(s.body_size_pt * 2)
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _run(paragraph, text, s.body_font, s.latin_font)


def _fmt(value, kind: str, unit: str = "") -> str:
    """A table cell: a figure in its unit's convention (no 万 for a 万元 figure), a percentage or points."""
    if value is None or pd.isna(value):
        return MISSING
    if kind == "pct":
        return pct(value)
    if kind == "pp":
        text = pct(value).rstrip("%")
        return text if text.startswith("-") or text == "0.0" else "+" + text
    text = count(value, unit)
    return text[: len(text) - len(unit)] if unit and text.endswith(unit) else text


def key_figure_rows(tw: Township, month: str | pd.Period, settings: Settings = SETTINGS) -> list[tuple[str, ...]]:
    """The rows of the key-figure table, formatted as text, in :data:`KEY_FIGURE_HEADERS` order."""
    figures = key_figures(tw, month, settings=settings)
    return [(str(r.name), str(r.unit), _fmt(r.ytd, "n", str(r.unit)), _fmt(r.target, "n", str(r.unit)),
             _fmt(r.completion_pct, "pct"),
             _fmt(r.time_pct, "pct"), _fmt(r.diff_pp, "pp"), r.status if isinstance(r.status, str) else MISSING)
            for r in figures.itertuples()]


def _key_figure_table(doc, rows: list[tuple[str, ...]], s: DocxSettings) -> None:
    table = doc.add_table(rows=1, cols=len(KEY_FIGURE_HEADERS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, KEY_FIGURE_WIDTHS_MM, strict=True):
        column.width = Mm(width)
    for cell, header, width in zip(table.rows[0].cells, KEY_FIGURE_HEADERS, KEY_FIGURE_WIDTHS_MM, strict=True):
        cell.width = Mm(width)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _cell_format(paragraph)
        _run(paragraph, header, s.heading_font, s.latin_font, s.table_size_pt)
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.width = Mm(KEY_FIGURE_WIDTHS_MM[i])
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 0 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_format(paragraph)
            _run(paragraph, text, s.body_font, s.latin_font, s.table_size_pt)


def _cell_format(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def build_docx(tw: Township, month: str | pd.Period, settings: DocxSettings = DOCX_SETTINGS,
               analysis: Settings = SETTINGS):
    """The report as a python-docx Document: title, opening, the four areas, 存在问题, 下步打算, key figures."""
    m = as_month(month)
    facts = report_facts(tw, m, analysis)
    doc = Document()
    _prepare(doc, settings)
    props = doc.core_properties
    props.title = report_title(tw, m)
    props.author = props.last_modified_by = f"{tw.name}党政办"
    props.comments = props.keywords = ""
    props.created = props.modified = datetime.now()
    title = doc.add_paragraph(style="Title")
    _run(title, report_title(tw, m), settings.title_font, settings.latin_font)
    for paragraph in opening_section(facts).paragraphs:
        _body(doc, paragraph, settings)
    n = len(AREAS)
    for area in AREAS:
        section = area_section(facts, area)
        _heading(doc, section.heading, 1, settings)
        for paragraph in section.paragraphs:
            _body(doc, paragraph, settings)
    if settings.include_problems_and_plans:
        for section in (problems_section(facts), plans_section(facts)):
            n += 1
            _heading(doc, section_ordinal(n) + section.heading, 1, settings)
            for paragraph in section.paragraphs:
                _body(doc, paragraph, settings)
    if settings.include_key_figures:
        rows = key_figure_rows(tw, m, analysis)
        if rows:
            _heading(doc, "附表：主要指标完成情况", 1, settings)
            _body(doc, f"序时进度为{m.month}/12，即{pct(m.month / 12 * 100)}。", settings)
            _key_figure_table(doc, rows, settings)
    return doc


def _umask() -> int:
    """The process umask (mkstemp creates files 0600; the report should get the usual permissions)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_docx(tw: Township, month: str | pd.Period, path: Path | str, settings: DocxSettings = DOCX_SETTINGS,
               analysis: Settings = SETTINGS) -> Path:
    """Write report.docx to ``path`` atomically (a temporary file beside it, then ``os.replace``)."""
    path = Path(path)
    doc = build_docx(tw, month, settings, analysis)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        doc.save(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
