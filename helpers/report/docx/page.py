"""The page of report.docx: A4, margins, the line grid, the styles in the configured fonts, page numbers.

Also :func:`add_run`, the one way text gets into the document with its East-Asian and Latin fonts.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from helpers.report.docx.settings import DocxSettings

THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
BLACK = RGBColor(0, 0, 0)


def set_fonts(rpr_parent, east_asian: str, latin: str) -> None:
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
    set_fonts(style.element, east_asian, latin)
    style.font.size = Pt(size)
    style.font.color.rgb = BLACK
    if bold is not None:
        style.font.bold = bold
    return style


def prepare(doc, s: DocxSettings) -> None:
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

    grid(section, s)
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


def grid(section, s: DocxSettings, lines: bool = True) -> None:
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
    run = add_run(paragraph, text or "", s.page_number_font, s.page_number_font, s.page_number_size_pt)
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


def add_run(paragraph, text: str, east_asian: str, latin: str, size: float | None = None, bold: bool = False):
    run = paragraph.add_run(text)
    set_fonts(run._element, east_asian, latin)
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    return run
