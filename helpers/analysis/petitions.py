"""Petition cases (信访) of the year to date: by level, status, village and month."""

from __future__ import annotations

import pandas as pd

from helpers.data.periods import months_of_year_until
from helpers.data.schema import PETITION_LEVELS, REFERENCE_PETITION_LEVELS
from helpers.data.township import Township

TOWNSHIP_LEVELS = ("镇", "乡", "街道")
RESOLVED = "已化解"
PENDING = "化解中"


def petitions_ytd(tw: Township, month: pd.Period) -> pd.DataFrame:
    """The petition cases of January..``month`` of the month's year."""
    first = pd.Period(year=month.year, month=1, freq="M")
    cases = tw.petitions
    return cases[(cases["month"] >= first) & (cases["month"] <= month)]


def _status_counts(cases: pd.DataFrame, by: str) -> pd.DataFrame:
    counts = pd.DataFrame({
        "cases": cases.groupby(by, observed=False).size(),
        "resolved": cases[cases["status"] == RESOLVED].groupby(by, observed=False).size(),
        "pending": cases[cases["status"] == PENDING].groupby(by, observed=False).size(),
    })
    return counts.fillna(0).astype(int)


def petition_levels(tw: Township) -> list[str]:
    """The levels petition views show, in contract order.

    The township's own level (the 镇/乡/街道 the data uses, else its kind), 县 市 省 京, and any other level the
    data holds (e.g. 区).
    """
    present = set(tw.petitions["level"].dropna().astype(str))
    own = [lv for lv in TOWNSHIP_LEVELS if lv in present] or [tw.naming.kind or "镇"]
    wanted = {*own, *REFERENCE_PETITION_LEVELS[1:], *present}
    return [lv for lv in PETITION_LEVELS if lv in wanted]


def petition_counts(tw: Township, month: pd.Period) -> pd.DataFrame:
    """Cases of the year to date per level, every level of :func:`petition_levels` in order.

    Columns: level, cases, resolved (已化解), pending (化解中).
    """
    counts = _status_counts(petitions_ytd(tw, month), "level").reindex(petition_levels(tw), fill_value=0)
    counts.index.name = "level"
    return counts.reset_index()


def petitions_by_village(tw: Township, month: pd.Period) -> pd.DataFrame:
    """Villages with cases this year to date, most cases first (ties in villages.csv order).

    Columns: village, cases, resolved, pending.
    """
    cases = petitions_ytd(tw, month)
    village = cases["village"].astype(object).where(cases["village"].notna(), tw.naming.whole)
    counts = _status_counts(cases.assign(village=village), "village")
    order = {v: i for i, v in enumerate(tw.villages["village"])}
    counts = counts.assign(_order=counts.index.map(order)).sort_values(["cases", "_order"], ascending=[False, True])
    counts.index.name = "village"
    return counts.drop(columns="_order").reset_index()


def petitions_by_month(tw: Township, month: pd.Period) -> pd.DataFrame:
    """Cases per month from January to ``month``: a month column, then one column per level (镇 … 京)."""
    months = months_of_year_until(month)
    cases = petitions_ytd(tw, month)
    table = pd.crosstab(cases["month"], cases["level"], dropna=False)
    levels = petition_levels(tw)
    table = table.reindex(index=months, columns=levels, fill_value=0).astype(int)
    table.columns = levels
    table.index = pd.PeriodIndex(months, freq="M", name="month")
    return table.reset_index()
