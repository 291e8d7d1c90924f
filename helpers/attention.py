"""The attention list: everything lagging, overdue, stalled or in breach, gathered in one table."""

from __future__ import annotations

import pandas as pd

from helpers.config import AREAS, SETTINGS, Settings
from helpers.periods import as_month
from helpers.progress import indicator_progress
from helpers.projects import project_status
from helpers.rectifications import rectification_status
from helpers.rules import rule_checks
from helpers.wording import count, needed_amount, pct, vs_time_progress

COLUMNS = ["area", "area_name", "kind", "item", "detail"]
KIND_ORDER = ("滞后", "逾期", "停滞", "未落实")


def lagging_items(tw, month, settings: Settings = SETTINGS) -> list[dict]:
    rows = []
    progress = indicator_progress(tw, month, settings)
    for r in progress[progress["status"] == "滞后"].itertuples():
        if r.better == "lower":
            detail = (f"今年以来已发生{count(r.ytd, r.unit)}，超过按序时进度应控制的"
                      f"{count(r.target * r.time_pct / 100, r.unit, places=1)}（全年上限{count(r.target, r.unit)}）")
        else:
            detail = f"完成{pct(r.completion_pct)}，{vs_time_progress(r.diff_pp)}"
            if r.kind == "stock" and pd.notna(r.remaining) and r.remaining > 0:
                detail += f"；年内还需增加{count(needed_amount(r.remaining, r.unit), r.unit)}"
            elif pd.notna(r.pace_needed):
                detail += f"；今后每月需完成{count(needed_amount(r.pace_needed, r.unit), r.unit)}"
        rows.append({"area": r.area, "kind": "滞后", "item": r.name, "detail": detail})
    return rows


def overdue_and_stalled_projects(tw, month) -> list[dict]:
    """One row per project in trouble: overdue (and maybe stalled too), or stalled."""
    rows = []
    for p in project_status(tw, month).itertuples():
        progress = "—" if pd.isna(p.progress_pct) else f"{p.progress_pct:.0f}%"
        stalled = f"已连续{p.stalled_months}个月没有进展（停留在{progress}）"
        if p.overdue:
            stage = p.stage if isinstance(p.stage, str) else "未开工"
            detail = f"计划{p.due.year}年{p.due.month}月完成，目前{stage}，进度{progress}"
            rows.append({"area": p.area, "kind": "逾期", "item": p.name,
                         "detail": detail + (f"，且{stalled}" if p.stalled else "")})
        elif p.stalled:
            rows.append({"area": p.area, "kind": "停滞", "item": p.name, "detail": stalled})
    return rows


def overdue_rectifications(tw, month) -> list[dict]:
    status = rectification_status(tw, month)
    return [
        {
            "area": r.area,
            "kind": "逾期",
            "item": f"{r.name}（{r.category}）整改",
            "detail": f"{r.issued.year}年{r.issued.month}月下达，整改期限{r.due.year}年{r.due.month}月",
        }
        for r in status[status["overdue"]].itertuples()
    ]


def rule_breaches(tw, month, settings: Settings = SETTINGS) -> list[dict]:
    return [
        {"area": r.area, "kind": "未落实", "item": r.name, "detail": r.summary}
        for r in rule_checks(tw, month, settings)
        if r.applicable and not r.passed
    ]


def attention_list(tw, month, settings: Settings = SETTINGS) -> pd.DataFrame:
    """Everything that needs attention in the report month, in report order of areas then kinds."""
    month = as_month(month)
    rows = (
        lagging_items(tw, month, settings)
        + overdue_and_stalled_projects(tw, month)
        + overdue_rectifications(tw, month)
        + rule_breaches(tw, month, settings)
    )
    frame = pd.DataFrame(rows, columns=["area", "kind", "item", "detail"])
    frame["area_name"] = frame["area"].map(AREAS)
    frame["area"] = pd.Categorical(frame["area"], categories=list(AREAS))
    frame["kind"] = pd.Categorical(frame["kind"], categories=list(KIND_ORDER))
    return frame.sort_values(["area", "kind"], kind="stable").reset_index(drop=True)[COLUMNS]
