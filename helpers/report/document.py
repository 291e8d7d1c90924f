"""What the report's document says, as plain data: title, 主送, headings, paragraphs, 附件说明, 落款, 附件 table.

:func:`report_document` decides the text once; the Word copy (:mod:`helpers.report.docx`) lays it out with
python-docx in 公文 form, and any other writer of the document (a PDF) lays out the same model, so the copies
say the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from helpers import __version__
from helpers.analysis.progress import key_figures
from helpers.chinese_text import date_text
from helpers.config import SETTINGS, Settings
from helpers.data.township import Township
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

KEY_FIGURE_KEYS = ("name", "unit", "ytd", "target", "completion_pct", "time_pct", "diff_pp", "status",
                   "mom_pct", "yoy_pct")
"""The HTML key-figure columns the 附件 shows (labels and formats from tables.KEY_FIGURE_COLUMNS)."""
KEY_FIGURE_HEADERS = tuple(KEY_FIGURE_COLUMNS[k][0] for k in KEY_FIGURE_KEYS)
ATTACHMENT_LABEL = "附件"
ATTACHMENT_TITLE = "主要指标完成情况"


@dataclass(frozen=True)
class Heading:
    """A heading of the body: level 1 (一、…, 黑体) or 2 (（一）…, 楷体)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body text."""

    text: str


@dataclass(frozen=True)
class Attachment:
    """The 附件 on a page of its own: its label, title, table (a header row and rows of text) and the note below."""

    label: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str


@dataclass(frozen=True)
class Properties:
    """What the file says about itself (not printed): title, author, the tool and when it generated the file."""

    title: str
    author: str
    tool: str
    comments: str
    created: datetime


@dataclass(frozen=True)
class ReportDocument:
    """The document in reading order: title, 主送, body, 附件说明, 落款 (署名, 成文日期), then the 附件."""

    title: str
    addressee: str
    """The 主送 line with its colon ("中共XX县委："), "" for none."""
    body: tuple[Heading | Paragraph, ...]
    attachment_note: str
    """The 附件说明 ("附件：主要指标完成情况"), "" without a 附件."""
    issuer: str
    date: str
    attachment: Attachment | None
    properties: Properties


def _cell_text(value, kind: str) -> str:
    """A table cell exactly as the HTML key-figure table shows it (tables.FORMATS, a dash for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    return str(FORMATS[kind](value))


def key_figure_rows(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> list[tuple[str, ...]]:
    """The rows of the key-figure table as text, in :data:`KEY_FIGURE_HEADERS` order.

    A figure whose report month is 未报 carries the view's 数据截至 text, e.g. "31400（截至9月底（10月未报））",
    and a 同比 over fewer months its 同比说明, e.g. "+20.0%（按1—7月计，去年8月未报）".

    Built from :func:`helpers.report.tables.key_figure_view`, the view the HTML and summary.xlsx use, so
    a label ("（上限）") or a sign cannot differ between the three.
    """
    frame = key_figures(tw, month, settings=settings)
    if frame.empty:
        return []
    view = key_figure_view(frame, month)
    rows = []
    for record in view.to_dict("records"):
        cells = {k: _cell_text(record[k], KEY_FIGURE_COLUMNS[k][1]) for k in KEY_FIGURE_KEYS}
        if not record.get("reported", True):  # the page has no room for a 数据截至 column: say it in the figure
            cells["ytd"] = f"{cells['ytd']}（{record['as_of']}）"
        if record.get("yoy_note"):  # nor for a 同比说明 column: say it in the 同比 cell
            cells["yoy_pct"] = f"{cells['yoy_pct']}（{record['yoy_note']}）"
        rows.append(tuple(cells[k] for k in KEY_FIGURE_KEYS))
    return rows


def issuer_of(tw: Township) -> str:
    """The issuing body (发文机关署名): report.yaml, else township.yaml ``issuer``, else 中共 + name + 委员会."""
    return str(tw.naming.issuer or "").strip() or f"中共{tw.name}委员会"


def _properties(tw: Township, month: pd.Period, generated_at: datetime) -> Properties:
    """Title and author for the reader; when and by which tool version it was generated, for the record."""
    return Properties(
        title=report_title(tw, month), author=f"{tw.name}党政办", tool=f"乡镇工作月报 {__version__}",
        comments=f"由乡镇工作月报 {__version__} 于 {generated_at:%Y-%m-%d %H:%M} 根据{tw.name}报送的数据生成",
        created=generated_at,
    )


def _attachment(rows: list[tuple[str, ...]], month: pd.Period) -> Attachment:
    note = (f"注：序时进度为{month.month}/12，即{pct(month.month / 12 * 100)}；“快于序时”为正表示快于序时进度。"
            "标注“上限”的指标越少越好。")
    return Attachment(ATTACHMENT_LABEL, ATTACHMENT_TITLE, KEY_FIGURE_HEADERS, tuple(rows), note)


def report_document(tw: Township, month: pd.Period, analysis: Settings = SETTINGS,
                    report_date: date | None = None, generated_at: datetime | None = None, *,
                    with_problems_and_plans: bool = True, with_key_figures: bool = True) -> ReportDocument:
    """The report's text in 公文 order.

    Title, 主送 (township.yaml ``addressee``, if any), the opening and 重点村（社区） paragraphs, the areas under
    their headings, 存在问题 and 下步打算 (unless ``with_problems_and_plans`` is off), 附件说明, 落款
    (:func:`issuer_of`) dated ``report_date`` (default: the report month's last day), then the key figures as
    附件 (unless ``with_key_figures`` is off or no indicator has a target). ``generated_at`` (default now) goes to
    the document properties only.
    """
    day = report_date or month.end_time.date()
    facts = report_facts(tw, month, analysis)
    body: list[Heading | Paragraph] = [Paragraph(p) for p in
                                       opening_section(facts).paragraphs + focus_section(facts).paragraphs]
    for area in tw.areas:
        section = area_section(facts, area)
        body += [Heading(section.heading), *map(Paragraph, section.paragraphs)]
    if with_problems_and_plans:
        for n, section in enumerate((problems_section(facts), plans_section(facts)), start=len(tw.areas) + 1):
            body += [Heading(section_ordinal(n) + section.heading), *map(Paragraph, section.paragraphs)]
    rows = key_figure_rows(tw, month, analysis) if with_key_figures else []
    addressee = str(tw.naming.addressee or "").strip()
    return ReportDocument(
        title=report_title(tw, month), addressee=f"{addressee}：" if addressee else "", body=tuple(body),
        attachment_note=f"{ATTACHMENT_LABEL}：{ATTACHMENT_TITLE}" if rows else "", issuer=issuer_of(tw),
        date=date_text(day), attachment=_attachment(rows, month) if rows else None,
        properties=_properties(tw, month, generated_at or datetime.now()),
    )
