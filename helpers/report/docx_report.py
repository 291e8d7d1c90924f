"""The report as a Word document (report.docx) in 公文 form (GB/T 9704): A4, grid, page numbers, 落款, 附件.

Kept as one module: :func:`build_docx` builds one document top to bottom, and its private helpers (styles,
grid, page numbers, tables, 落款, 附件) all work on that python-docx document with the same :class:`DocxSettings`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from helpers import __version__
from helpers.analysis.progress import key_figures
from helpers.config import SETTINGS, Settings
from helpers.data.periods import as_month
from helpers.data.township import Township
from helpers.files import replacing
from helpers.report.prose.facts import report_facts
from helpers.report.prose.narrative import (
    area_section,
    focus_section,
    opening_section,
    plans_section,
    problems_section,
    report_title,
)
from helpers.report.tables import FORMATS, KEY_FIGURE_COLUMNS, key_figure_view
from helpers.report.wording import MISSING, pct, section_ordinal

THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
BLACK = RGBColor(0, 0, 0)


@dataclass(frozen=True)
class DocxSettings:
    """Fonts and page layout of report.docx (defaults follow GB/T 9704, the party and government document format).

    ``title_font`` 方正小标宋简体 is not installed everywhere: ``title_font_fallback`` is written into the
    document's font table as its alternative name (``w:altName``), which Word and WPS use where the
    font is missing. The body holds ``chars_per_line`` × ``lines_per_page``: the lines sit on a line grid whose
    pitch is the exact line spacing, and the characters are condensed so that ``chars_per_line`` fill a line.
    Not a character grid: LibreOffice gives a character wider than the grid's pitch two cells, and 28 三号
    characters are wider than 156 mm / 28, so a character grid printed 14 a line there.
    """

    body_font: str = "仿宋"
    heading_font: str = "黑体"
    subheading_font: str = "楷体"
    title_font: str = "方正小标宋简体"
    title_font_fallback: str = "宋体"
    page_number_font: str = "宋体"
    latin_font: str = "Times New Roman"
    title_size_pt: float = 22  # 二号
    heading_size_pt: float = 16  # 三号
    body_size_pt: float = 16  # 三号
    table_size_pt: float = 10.5  # 五号
    page_number_size_pt: float = 14  # 四号
    chars_per_line: int = 28
    lines_per_page: int = 22
    margins_mm: tuple[float, float, float, float] = (37, 35, 28, 26)  # top, bottom, left, right
    include_problems_and_plans: bool = True
    include_key_figures: bool = True

    @property
    def line_pitch_twips(self) -> int:
        """The grid's line pitch: the text height shared by ``lines_per_page`` lines, rounded down to fit."""
        top, bottom, _left, _right = self.margins_mm
        return math.floor(Mm(297 - top - bottom).pt * 20 / self.lines_per_page)

    @property
    def char_spacing(self) -> int:
        """w:spacing of the body text (20ths of a point, negative: condensed) that puts ``chars_per_line`` on a line."""
        _top, _bottom, left, right = self.margins_mm
        return math.floor((Mm(210 - left - right).pt / self.chars_per_line - self.body_size_pt) * 20)

    @property
    def line_spacing_pt(self) -> float:
        return self.line_pitch_twips / 20


DOCX_SETTINGS = DocxSettings()

KEY_FIGURE_KEYS = ("name", "unit", "ytd", "target", "completion_pct", "time_pct", "diff_pp", "status",
                   "mom_pct", "yoy_pct")
"""The HTML key-figure columns the Word 附件 shows (labels and formats from tables.KEY_FIGURE_COLUMNS)."""
KEY_FIGURE_HEADERS = tuple(KEY_FIGURE_COLUMNS[k][0] for k in KEY_FIGURE_KEYS)
KEY_FIGURE_WIDTHS_MM = (42, 12, 24, 22, 18, 20, 38, 16, 16, 16)
"""Column widths on the landscape 附件 page: each header fits on one line at the table font size."""
KEY_FIGURE_ROW_MM = 7
"""The least height of a 附件 table row (the section has no line grid, so a row is otherwise just its text)."""
ATTACHMENT_TITLE = "主要指标完成情况"


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
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(s.char_spacing))
    normal.element.get_or_add_rPr().append(spacing)

    _grid(section, s)
    _default_size(doc, s.body_size_pt)
    _font_fallback(doc, s.title_font, s.title_font_fallback)
    _page_numbers(doc, section, s)

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


def _grid(section, s: DocxSettings, lines: bool = True) -> None:
    """The section's document grid: lines at the pitch the settings give, or none (``lines=False``).

    Characters per line come from DocxSettings.char_spacing. Without a grid a table's rows keep their own height.
    """
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines" if lines else "default")
    grid.set(qn("w:linePitch"), str(s.line_pitch_twips))
    sect_pr.append(grid)


def _default_size(doc, size_pt: float) -> None:
    """The document-default font size: the body's 三号 (an empty paragraph or a new one typed is 三号 too)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr.append(element)
        element.set(qn("w:val"), str(round(size_pt * 2)))


def _font_fallback(doc, font: str, fallback: str) -> None:
    """Declare ``font`` in the font table with ``fallback`` as its alternative name (used where it is missing)."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    entry = root.find(f"{qn('w:font')}[@{qn('w:name')}='{font}']")
    if entry is None:
        entry = etree.SubElement(root, qn("w:font"))
        entry.set(qn("w:name"), font)
    for tag, value in (("w:altName", fallback), ("w:charset", "86"), ("w:family", "roman"), ("w:pitch", "variable")):
        child = entry.find(qn(tag))
        if child is None:
            child = etree.SubElement(entry, qn(tag))
        child.set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field_run(paragraph, s: DocxSettings, fld_char: str | None = None, instr: str | None = None,
               text: str | None = None):
    run = _run(paragraph, text or "", s.page_number_font, s.page_number_font, s.page_number_size_pt)
    if fld_char:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), fld_char)
        run._element.append(element)
    if instr:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instr
        run._element.append(element)
    return run


def _page_number(paragraph, s: DocxSettings) -> None:
    """"— N —" with N a PAGE field (shown as 1 until the reader's program updates it)."""
    _field_run(paragraph, s, text="— ")
    _field_run(paragraph, s, fld_char="begin")
    _field_run(paragraph, s, instr=" PAGE ")
    _field_run(paragraph, s, fld_char="separate")
    _field_run(paragraph, s, text="1")
    _field_run(paragraph, s, fld_char="end")
    _field_run(paragraph, s, text=" —")


def _page_numbers(doc, section, s: DocxSettings) -> None:
    """Page numbers in the outside corners, one character in: odd pages right, even pages left."""
    doc.settings.odd_and_even_pages_header_footer = True
    indent = Pt(s.page_number_size_pt)
    corners = ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT))
    for footer, align in corners:
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = indent
        else:
            fmt.left_indent = indent
        _page_number(paragraph, s)


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


def _cell_text(value, kind: str) -> str:
    """A table cell exactly as the HTML key-figure table shows it (tables.FORMATS, a dash for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    return str(FORMATS[kind](value))


def key_figure_rows(tw: Township, month: str | pd.Period, settings: Settings = SETTINGS) -> list[tuple[str, ...]]:
    """The rows of the key-figure table as text, in :data:`KEY_FIGURE_HEADERS` order.

    A figure whose report month is 未报 carries the view's 数据截至 text, e.g. "31400（截至9月底（10月未报））",
    and a 同比 over fewer months its 同比说明, e.g. "+20.0%（按1—7月计，去年8月未报）".

    Built from :func:`helpers.report.tables.key_figure_view`, the view the HTML and summary.xlsx use, so
    a label ("（上限）") or a sign cannot differ between the three.
    """
    frame = key_figures(tw, month, settings=settings)
    if frame.empty:
        return []
    view = key_figure_view(frame, as_month(month))
    rows = []
    for record in view.to_dict("records"):
        cells = {k: _cell_text(record[k], KEY_FIGURE_COLUMNS[k][1]) for k in KEY_FIGURE_KEYS}
        if not record.get("reported", True):  # the page has no room for a 数据截至 column: say it in the figure
            cells["ytd"] = f"{cells['ytd']}（{record['as_of']}）"
        if record.get("yoy_note"):  # nor for a 同比说明 column: say it in the 同比 cell
            cells["yoy_pct"] = f"{cells['yoy_pct']}（{record['yoy_note']}）"
        rows.append(tuple(cells[k] for k in KEY_FIGURE_KEYS))
    return rows


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
    _row_format(table.rows[0], "w:tblHeader", "w:cantSplit")  # the header repeats on each page
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.width = Mm(KEY_FIGURE_WIDTHS_MM[i])
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 0 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_format(paragraph)
            _run(paragraph, text, s.body_font, s.latin_font, s.table_size_pt)
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


def report_date_text(day: date) -> str:
    """成文日期 in Arabic numerals as GB/T 9704 writes it: 2018年8月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


def issuer_of(tw: Township) -> str:
    """The issuing body (发文机关署名): report.yaml, else township.yaml ``issuer``, else 中共 + name + 委员会."""
    return str(tw.naming.issuer or "").strip() or f"中共{tw.name}委员会"


def _plain(doc, text: str, s: DocxSettings, align=WD_ALIGN_PARAGRAPH.LEFT, font: str | None = None,
           size: float | None = None, right_chars: float = 0):
    paragraph = doc.add_paragraph(style="Normal")
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if right_chars:
        paragraph.paragraph_format.right_indent = Pt(s.body_size_pt * right_chars)
    if text:
        _run(paragraph, text, font or s.body_font, s.latin_font, size)
    return paragraph


def _signature(doc, issuer: str, day: date, attachment: bool, s: DocxSettings) -> None:
    """附件说明, then 发文机关署名 (right, two characters in) and 成文日期 below it (four characters in)."""
    if attachment:
        _plain(doc, "", s)
        _body(doc, f"附件：{ATTACHMENT_TITLE}", s)
    _plain(doc, "", s)
    _plain(doc, issuer, s, WD_ALIGN_PARAGRAPH.RIGHT, right_chars=2)
    _plain(doc, report_date_text(day), s, WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)


def _attachment(doc, rows: list[tuple[str, ...]], month: pd.Period, s: DocxSettings) -> None:
    """The key figures as 附件 on a landscape page of their own: label, title, time-progress note, table."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    top, bottom, left, right = s.margins_mm
    section.top_margin, section.bottom_margin = Mm(left), Mm(right)
    section.left_margin, section.right_margin = Mm(top), Mm(bottom)
    _grid(section, s, lines=False)  # on the line grid LibreOffice drew each row a grid line high: 3 rows spilled
    _plain(doc, "附件", s, font=s.heading_font)
    title = _plain(doc, ATTACHMENT_TITLE, s, WD_ALIGN_PARAGRAPH.CENTER, font=s.title_font, size=s.title_size_pt)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_after = Pt(s.line_spacing_pt / 2)
    _key_figure_table(doc, rows, s)
    _plain(doc, f"注：序时进度为{month.month}/12，即{pct(month.month / 12 * 100)}；“快于序时”为正表示快于序时进度。"
                "标注“上限”的指标越少越好。", s, size=s.table_size_pt)


def build_docx(tw: Township, month: str | pd.Period, settings: DocxSettings = DOCX_SETTINGS,
               analysis: Settings = SETTINGS, report_date: date | None = None, generated_at: datetime | None = None):
    """The report as a python-docx Document in 公文 form.

    Title, 主送 (township.yaml ``addressee``, if any), opening, the areas, 存在问题, 下步打算, 附件说明,
    落款 (``issuer_of``) dated ``report_date`` (default: the report month's last day), then the key figures
    as 附件 on a landscape page. The generation time and tool version go to the document properties only.
    """
    m = as_month(month)
    day = report_date or m.end_time.date()
    facts = report_facts(tw, m, analysis)
    doc = Document()
    _prepare(doc, settings)
    _properties(doc, tw, m, generated_at or datetime.now())
    title = doc.add_paragraph(style="Title")
    _run(title, report_title(tw, m), settings.title_font, settings.latin_font)
    addressee = str(tw.naming.addressee or "").strip()
    if addressee:
        _plain(doc, f"{addressee}：", settings)
    for paragraph in opening_section(facts).paragraphs + focus_section(facts).paragraphs:
        _body(doc, paragraph, settings)
    n = len(tw.areas)
    for area in tw.areas:
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
    rows = key_figure_rows(tw, m, analysis) if settings.include_key_figures else []
    _signature(doc, issuer_of(tw), day, bool(rows), settings)
    if rows:
        _attachment(doc, rows, m, settings)
    return doc


def _properties(doc, tw: Township, month: pd.Period, generated_at: datetime) -> None:
    """Title and author for the reader; when and by which tool version it was generated, for the record."""
    props = doc.core_properties
    props.title = report_title(tw, month)
    props.author = f"{tw.name}党政办"
    props.last_modified_by = f"乡镇工作月报 {__version__}"
    props.comments = f"由乡镇工作月报 {__version__} 于 {generated_at:%Y-%m-%d %H:%M} 根据{tw.name}报送的数据生成"
    props.keywords = ""
    props.created = props.modified = generated_at


def write_docx(tw: Township, month: str | pd.Period, path: Path | str, settings: DocxSettings = DOCX_SETTINGS,
               analysis: Settings = SETTINGS, report_date: date | None = None,
               generated_at: datetime | None = None) -> Path:
    """Write report.docx to ``path`` atomically (a temporary file beside it, then ``os.replace``)."""
    path = Path(path)
    doc = build_docx(tw, month, settings, analysis, report_date, generated_at)
    with replacing(path) as tmp:
        doc.save(tmp)
    return path
