"""A project's state in words: one wording for its table, its chart and wherever else it is named."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.analysis.projects import DONE


def _on(value) -> bool:
    """A flag cell that may be missing (NA counts as off)."""
    return False if value is None or pd.isna(value) else bool(value)


def project_flags(row: Mapping) -> str:
    """What is wrong with a project: "逾期", "停滞4个月", "逾期、停滞4个月" ("" when nothing is)."""
    flags = []
    if _on(row.get("overdue")):
        flags.append("逾期")
    if _on(row.get("stalled")):
        months = row.get("stalled_months")
        flags.append(f"停滞{int(months)}个月" if pd.notna(months) and months else "停滞")
    return "、".join(flags)


def project_state(row: Mapping) -> str:
    """A project's 状态: its flags, else 已完工 (已竣工验收 …), 即将完工, 推进中 or 未启动.

    ``row`` is a row of :func:`helpers.analysis.projects.project_status` as a mapping; one without ``finished``
    is finished at 完工.
    """
    flags = project_flags(row)
    if flags:
        return flags
    stage = row.get("stage")
    if _on(row.get("finished", stage == DONE)):
        return "已完工" if stage == DONE else f"已{stage}"
    if not isinstance(stage, str):
        return "未启动"
    return "即将完工" if _on(row.get("near_completion")) else "推进中"
