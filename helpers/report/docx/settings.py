"""Fonts and page layout of report.docx: GB/T 9704's defaults, each a setting."""

from __future__ import annotations

import math
from dataclasses import dataclass

from docx.shared import Mm


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
