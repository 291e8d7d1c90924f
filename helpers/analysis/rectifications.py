"""Rectification orders (整改) at a month end: closed, in progress, overdue; by category."""

from __future__ import annotations

import pandas as pd

from helpers.data.township import Township

CLOSED = "已完成"
IN_PROGRESS = "整改中"
OVERDUE = "已逾期"
STATES = (CLOSED, IN_PROGRESS, OVERDUE)

COLUMNS = ["item_id", "area", "category", "name", "village", "issued", "due", "closed", "state", "overdue",
           "result"]


def rectification_status(tw: Township, month: pd.Period) -> pd.DataFrame:
    """Every order issued by the end of ``month``, as it stood then, in rectifications.csv order.

    An order closed after ``month`` was still open then: its ``closed`` is NaT and its ``result`` empty.
    ``overdue``: open and ``month`` is past ``due``. ``state`` is 已完成, 整改中 or 已逾期.
    """
    orders = tw.rectifications[tw.rectifications["issued"] <= month].copy()
    closed_by_month = (orders["closed"] <= month).fillna(False).astype(bool)
    orders["closed"] = orders["closed"].where(closed_by_month)
    orders["result"] = orders["result"].where(closed_by_month)
    orders["overdue"] = ~closed_by_month & (orders["due"] < month).fillna(False).astype(bool)
    state = pd.Series(IN_PROGRESS, index=orders.index)
    state[closed_by_month] = CLOSED
    state[orders["overdue"]] = OVERDUE
    orders["state"] = pd.Categorical(state, categories=list(STATES))
    return orders[COLUMNS].reset_index(drop=True)


def rectifications_by_category(tw: Township, month: pd.Period, area: str | None = None) -> pd.DataFrame:
    """Orders issued by ``month`` per category (first-appearance order), optionally of one area.

    Columns: category, total, closed, open (not closed by ``month``; includes the overdue), overdue.
    """
    status = rectification_status(tw, month)
    if area is not None:
        status = status[status["area"] == area]
    status = status.assign(is_closed=status["state"] == CLOSED, is_open=status["state"] != CLOSED,
                           category=status["category"].astype(object))
    grouped = status.groupby("category", sort=False)
    frame = pd.DataFrame({
        "total": grouped.size(),
        "closed": grouped["is_closed"].sum(),
        "open": grouped["is_open"].sum(),
        "overdue": grouped["overdue"].sum(),
    }, columns=["total", "closed", "open", "overdue"]).astype(int)
    frame.index.name = "category"
    return frame.reset_index()
