"""The generated text of a section: 工作进展, 重点村（社区）, 存在问题 and 下步打算."""

from __future__ import annotations

from IPython.display import HTML

from helpers.report.prose.narrative import FOCUS, narrative_html, problems_and_plans_html
from helpers.report.views.blocks import Empty
from helpers.report.views.context import Context


def prose(ctx: Context, area: str) -> HTML:
    """工作进展: the generated paragraphs of an area ('overview' for the opening paragraph)."""
    text = narrative_html(ctx.township, ctx.month, area, ctx.settings)
    return HTML(text) if "<p>" in text else Empty(text)


def focus(ctx: Context) -> HTML:
    """重点村（社区）: the overview's synthesis across village rankings, rules and key tasks."""
    text = narrative_html(ctx.township, ctx.month, FOCUS, ctx.settings)
    return HTML(text) if "<p>" in text else Empty(text)


def problems_and_plans(ctx: Context, area: str) -> HTML:
    """存在问题 and 下步打算 of an area."""
    return HTML(problems_and_plans_html(ctx.township, ctx.month, area, ctx.settings))
