"""The rule checks the report promises: the overview's table, an area's sentence, the breaches for the 附表."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from helpers.analysis.rules import rule_checks, run_rule
from helpers.report.tables import display_table
from helpers.report.views.blocks import Appendix, Empty, empty, note
from helpers.report.views.context import Context


def rules_table(ctx: Context, area: str | None = None):
    """The rule checks the report promises, each kept / not kept / not yet applicable."""
    results = [r for r in rule_checks(ctx.township, ctx.month, ctx.settings) if area is None or r.area == area]
    if not results:
        return empty("本领域没有规则检查项。")
    if area is not None:
        return rules_sentence(results)
    frame = pd.DataFrame(
        [
            {
                "area_name": ctx.township.areas.get(r.area, r.area),
                "name": r.name,
                "status": "不适用" if not r.applicable else ("落实" if r.passed else "未落实"),
                "summary": r.summary,
            }
            for r in results
        ]
    )
    columns = {"name": ("规则", "text"), "status": ("结果", "text"), "summary": ("说明", "text")}
    if area is None:
        columns = {"area_name": ("领域", "text"), **columns}
    return display_table(frame, columns)


def rules_sentence(results) -> HTML:
    """An area's rule checks in one sentence; the detail is the overview's 规则检查一览 (said once)."""
    applicable = [r for r in results if r.applicable]
    failed = [r for r in applicable if not r.passed]
    kept = len(applicable) - len(failed)
    text = f"本领域规则检查{len(results)}项"
    if kept and not failed and len(applicable) == len(results):
        text += "，均已落实" if kept > 1 else "，已落实"
    elif kept:
        text += f"，落实{kept}项"
    if failed:  # "落实0项" is not how a report says that nothing was kept
        names = "、".join(_quoted(r.name) for r in failed)
        text += ("、" if kept else "，") + f"未落实{len(failed)}项（{names}）"
    if len(applicable) < len(results):
        text += f"，{len(results) - len(applicable)}项本期尚不适用"
    text += "，详见概况“规则检查一览”"
    if any(not r.breaches.empty for r in failed):
        text += "，未落实明细见文末附表"
    return note(text + "。")


def _quoted(name: str) -> str:
    return name if "“" in name else f"“{name}”"


def rule_breaches(ctx: Context, rule_id: str):
    """The offending rows of one rule, for the 附表: the overview's rule table states the result once.

    Nothing (an :class:`Empty` note) where the rule holds or does not apply yet.
    """
    result = run_rule(ctx.township, rule_id, ctx.month, ctx.settings)
    if result is None or not result.applicable:
        return empty("本期不适用。")
    if result.breaches.empty:
        return Empty(note(result.summary).data)
    area = ctx.township.areas.get(result.area, result.area)
    return Appendix(breach_table(result), f"{area}：{result.name}未落实明细")


def breach_table(result):
    """The offending rows of a rule result as a display table."""
    frame = result.breaches.copy()
    frame = frame.drop(columns=[c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])])  # e.g. ended
    frame = frame.loc[:, frame.notna().any()]  # a bound the rule does not set (minimum or maximum)
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(frame[col]):
            frame[col] = frame[col].astype(str)
    return display_table(
        frame, {c: (result.headers.get(c, c), "number" if is_number(frame[c]) else "text") for c in frame.columns}
    )


def is_number(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


