"""The attention list worded for the reader: one row per item with its area, kind, subject and detail."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.attention import KIND_ORDER, AttentionItem, attention_items
from helpers.analysis.progress import BEHIND, MET, NOT_MET, OVER_PACE, OVER_YEAR, WITHIN
from helpers.config import SETTINGS, Settings
from helpers.data.township import Township
from helpers.report.wording import (
    about,
    as_of,
    count,
    count_progress,
    is_small_count,
    month_name,
    needed_amount,
    pct,
    rate_gap,
    vs_time_progress,
)

COLUMNS = ["area", "area_name", "kind", "item", "detail", "owner", "due", "lead"]
"""``owner``: the 责任单位 of the indicator, project or rectification ("" where none is given); ``due``: its due
month as YYYY-MM (projects and rectifications; "" where there is none); ``lead``: what an indicator's status is
called after its name in 存在问题 ("进度滞后", "超出年度上限", "未达到目标"; "" for other items): a ceiling, a rate
or a level to keep has no pace, so it is never said to lag."""

LEADS = {BEHIND: "进度滞后", OVER_YEAR: "超出年度上限", OVER_PACE: "超出序时控制量", NOT_MET: "未达到目标"}


def _forecast(r) -> str:
    """按近三个月进度全年只能完成91.7% (a ceiling: 全年将达…，超出上限); "" without a forecast or when it reaches."""
    reaches = getattr(r, "forecast_reaches", None)
    if reaches is None or pd.isna(reaches) or reaches:
        return ""
    if pd.notna(r.allowed):  # a ceiling: already above the year's says nothing more; "超出上限2起" reads as 2 over
        if r.ytd > r.target + 1e-9:
            return ""
        return f"按近三个月进度全年{about(r.forecast_ytd, r.unit)}，将突破全年{count(r.target, r.unit)}的上限"
    if r.status in (MET, NOT_MET):  # a level to keep: met or not, no pace
        return ""
    if is_small_count(r.unit, r.target):
        return "按近三个月进度年内难以完成"
    if r.kind == "stock":
        pace = (f"近三个月月均增加{count(r.recent_pace, r.unit, places=1)}" if r.recent_pace > 1e-9
                else "近三个月没有增加")
        return f"{pace}，按此进度全年只能完成{pct(r.forecast_pct)}"
    return f"按近三个月进度（月均{count(r.recent_pace, r.unit, places=1)}）全年只能完成{pct(r.forecast_pct)}"


def _indicator(r) -> tuple[str, str]:
    small = (r.kind != "rate" and pd.isna(r.allowed) and r.status not in (MET, NOT_MET)
             and is_small_count(r.unit, r.target))
    if small:  # a few discrete things (2户): in counts, not 完成0.0%
        stock = r.kind == "stock"
        done = r.ytd - r.start if stock and pd.notna(r.start) else r.ytd
        detail = count_progress(done, r.remaining, r.unit, stock=stock)
    elif r.kind == "rate":
        detail = f"为{count(r.ytd, r.unit)}，{rate_gap(r.ytd, r.target, r.unit, r.better)}"
    elif r.status in (MET, NOT_MET):  # a stock whose target is at or below its start: against the target
        detail = f"为{count(r.ytd, r.unit)}，低于年度目标{count(r.target, r.unit)}，还差{count(r.remaining, r.unit)}"
    elif pd.notna(r.allowed) and r.ytd > r.target + 1e-9:  # never "超出全年上限0起" (0 over?)
        detail = f"今年以来已发生{count(r.ytd, r.unit)}（全年控制在{count(r.target, r.unit)}以内）"
    elif pd.notna(r.allowed) and r.status == WITHIN:  # within its pace today; listed for its forecast
        detail = f"今年以来已发生{count(r.ytd, r.unit)}（全年上限{count(r.target, r.unit)}）"
    elif pd.notna(r.allowed):
        detail = (f"今年以来已发生{count(r.ytd, r.unit)}，超过按序时进度应控制的"
                  f"{count(r.allowed, r.unit, places=1)}（全年上限{count(r.target, r.unit)}）")
    else:
        detail = f"完成{pct(r.completion_pct)}，{vs_time_progress(r.diff_pp)}"
        if r.kind == "stock" and pd.notna(r.remaining) and r.remaining > 0:
            detail += f"；年内还需增加{count(needed_amount(r.remaining, r.unit), r.unit)}"
        elif pd.notna(r.pace_needed):
            detail += f"；今后每月需完成{count(needed_amount(r.pace_needed, r.unit), r.unit)}"
    forecast = _forecast(r)
    if forecast:
        detail += f"，{forecast}"
    if not r.reported and isinstance(r.through, pd.Period):
        detail += f"（{as_of(r.through)}数据，{month_name(r.through + 1)}起未报）"
    return r.name, detail


def _project(p) -> tuple[str, str]:
    progress = "—" if pd.isna(p.progress_pct) else f"{p.progress_pct:.0f}%"
    stalled = f"已连续{p.stalled_months}个月没有进展（停留在{progress}）"
    if not p.overdue:
        return p.name, stalled
    stage = p.stage if isinstance(p.stage, str) else "未开工"
    detail = f"计划{p.due.year}年{p.due.month}月完成，目前{stage}，进度{progress}"
    return p.name, detail + (f"，且{stalled}" if p.stalled else "")


def _rectification(r) -> tuple[str, str]:
    return (f"{r.name}整改",  # the data's own name, nothing composed around it
            f"{r.issued.year}年{r.issued.month}月下达，整改期限{r.due.year}年{r.due.month}月")


def _rule(r) -> tuple[str, str]:
    return r.name, r.summary


def _mismatch(r) -> tuple[str, str]:
    return (f"{r.name}（{r.month.year}年{r.month.month}月）",
            f"全镇数{count(r.township, r.unit)}与各村合计{count(r.villages, r.unit)}不一致，报告采用全镇数，请核实")


WORDERS = {"indicator": _indicator, "project": _project, "rectification": _rectification, "rule": _rule,
           "mismatch": _mismatch}
"""How each source of attention item is worded: (item, detail)."""


def attention_row(item: AttentionItem) -> dict:
    subject, detail = WORDERS[item.source](item.record)
    lead = LEADS.get(item.record.status, "") if item.source == "indicator" else ""
    return {"area": item.area, "kind": item.kind, "item": subject, "detail": detail, "lead": lead}


OWNER_KEYS = {"indicator": ("indicators", "indicator"), "project": ("projects", "project_id"),
              "rectification": ("rectifications", "item_id")}
"""Source of an attention item -> the table and key column its owner (责任单位) is looked up in."""


def owners(tw, table: str, key: str) -> dict[str, str]:
    """Key -> the row's owner (责任单位), for the rows that name one."""
    frame = getattr(tw, table)
    if "owner" not in frame.columns:
        return {}
    given = frame[frame["owner"].notna() & (frame["owner"].astype(str).str.strip() != "")]
    return dict(zip(given[key].astype(str), given["owner"].astype(str).str.strip(), strict=True))


def owner_and_due(tw, item: AttentionItem) -> tuple[str, str]:
    """The 责任单位 of an attention item and its due month (YYYY-MM), each "" where the data has none."""
    if item.source not in OWNER_KEYS:
        return "", ""
    table, key = OWNER_KEYS[item.source]
    owner = owners(tw, table, key).get(str(getattr(item.record, key)), "")
    due = getattr(item.record, "due", None) if item.source != "indicator" else None
    return owner, str(due) if isinstance(due, pd.Period) else ""


def attention_list(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> pd.DataFrame:
    """Everything that needs attention in the report month, worded, in report order of areas then kinds."""
    rows = []
    for item in attention_items(tw, month, settings):
        owner, due = owner_and_due(tw, item)
        rows.append({**attention_row(item), "owner": owner, "due": due})
    frame = pd.DataFrame(rows, columns=["area", "kind", "item", "detail", "owner", "due", "lead"])
    frame["area_name"] = frame["area"].map(tw.areas)
    frame["area"] = pd.Categorical(frame["area"], categories=list(tw.areas))
    frame["kind"] = pd.Categorical(frame["kind"], categories=list(KIND_ORDER))
    return frame[COLUMNS]
