"""Work events (meetings, trainings, inspections, notices, …): counts and quantities by area, type and month."""

from __future__ import annotations

import pandas as pd

from helpers.data.periods import months_of_year_until
from helpers.data.township import Township


def select_events(tw: Township, month: pd.Period, area: str | None = None, type: str | None = None,
                  title_contains: str | None = None, ytd: bool = True) -> pd.DataFrame:
    """Events of January..``month`` of its year (or of ``month`` alone when ``ytd`` is false), filtered.

    ``area``, ``type`` and ``title_contains`` (a substring of the title) are optional filters.
    """
    events = tw.events
    when = events["date"].dt.to_period("M")
    first = pd.Period(year=month.year, month=1, freq="M") if ytd else month
    keep = (when >= first) & (when <= month)
    if area is not None:
        keep &= events["area"] == area
    if type is not None:
        keep &= events["type"] == type
    if title_contains:
        keep &= events["title"].str.contains(title_contains, regex=False).fillna(False).astype(bool)
    return events[keep]


def event_counts(tw: Township, month: pd.Period, area: str | None = None) -> pd.DataFrame:
    """Year to date per area × type (only pairs that occur), in area and contract type order.

    Columns: area, type, count (events), quantity (sum of quantities; an empty quantity counts 1).
    """
    events = select_events(tw, month, area)
    grouped = events.groupby(["area", "type"], observed=True)["quantity"]
    frame = pd.DataFrame({"count": grouped.size(), "quantity": grouped.sum()}).astype(int)
    return frame.reset_index()


def events_by_month(tw: Township, month: pd.Period, area: str | None = None) -> pd.DataFrame:
    """Quantities per month from January to ``month``: a month column, then one column per type that occurs."""
    months = months_of_year_until(month)
    events = select_events(tw, month, area)
    table = events.assign(month=events["date"].dt.to_period("M")).pivot_table(
        index="month", columns="type", values="quantity", aggfunc="sum", observed=True)
    types = [t for t in tw.report.event_types if t in table.columns]
    table = table.reindex(index=pd.PeriodIndex(months, freq="M", name="month"), columns=types).fillna(0)
    table = table.astype(int)
    table.columns = types
    return table.reset_index()


def count_events(tw: Township, month: pd.Period, area: str | None, type: str | None,
                 title_contains: str | None = None, ytd: bool = True) -> int:
    """The summed quantity of the matching events, year to date (or in ``month`` alone when ``ytd`` is false)."""
    return int(select_events(tw, month, area, type, title_contains, ytd)["quantity"].sum())
