"""Poverty alleviation: poor villages, registered households, exits, and the exit standards still unmet."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.data.township import Township

STANDARDS: dict[str, str] = {
    "income_ok": "人均纯收入",
    "housing_safe": "住房安全",
    "water_safe": "饮水安全",
    "medical_insured": "医疗保障",
    "schooling_ok": "义务教育保障",
}
"""The exit standards (户脱贫标准), column -> Chinese name used in the ``unmet`` text."""


@dataclass(frozen=True)
class PovertySummary:
    """The township's poverty figures at a report month; households and people counted separately."""

    poor_villages: int
    delisted_before_year: int
    to_delist_this_year: int
    households: int
    people: int
    exited_before_year_households: int
    exited_before_year_people: int
    planned_this_year_households: int
    planned_this_year_people: int
    exited_this_year_households: int
    exited_this_year_people: int
    remaining_households: int
    remaining_people: int


def household_flags(tw: Township, month: pd.Period) -> pd.DataFrame:
    """The households with boolean columns exited_before_year, exited_this_year, exited, planned_this_year.

    Exits after ``month`` are not yet exits. A household planned for this year that already exited in an
    earlier year is not part of this year's task.
    """
    first = pd.Period(year=month.year, month=1, freq="M")
    hh = tw.households.copy()
    exited_month = hh["exited"]
    hh["exited_before_year"] = (exited_month < first).fillna(False).astype(bool)
    hh["exited_this_year"] = ((exited_month >= first) & (exited_month <= month)).fillna(False).astype(bool)
    hh["exited_by_month"] = hh["exited_before_year"] | hh["exited_this_year"]
    planned = (hh["planned_exit_year"] == month.year).fillna(False).astype(bool)
    hh["planned_this_year"] = planned & ~hh["exited_before_year"]
    return hh


def _count(hh: pd.DataFrame, mask: pd.Series) -> tuple[int, int]:
    return int(mask.sum()), int(hh.loc[mask, "members"].sum())


def poverty_summary(tw: Township, month: pd.Period) -> PovertySummary:
    """Poor villages and registered households at the end of ``month``.

    A poor village with a ``delisted_year`` counts as delisted from that year on: delisted before the
    report year, or due to be delisted in it.
    """
    poor = tw.villages[tw.villages["poor_village"]]
    delisted = poor["delisted_year"]
    hh = household_flags(tw, month)
    everyone = pd.Series(True, index=hh.index)
    before = _count(hh, hh["exited_before_year"])
    planned = _count(hh, hh["planned_this_year"])
    this_year = _count(hh, hh["exited_this_year"])
    remaining = _count(hh, ~hh["exited_by_month"])
    households, people = _count(hh, everyone)
    return PovertySummary(
        poor_villages=len(poor),
        delisted_before_year=int((delisted < month.year).fillna(False).sum()),
        to_delist_this_year=int((delisted == month.year).fillna(False).sum()),
        households=households,
        people=people,
        exited_before_year_households=before[0],
        exited_before_year_people=before[1],
        planned_this_year_households=planned[0],
        planned_this_year_people=planned[1],
        exited_this_year_households=this_year[0],
        exited_this_year_people=this_year[1],
        remaining_households=remaining[0],
        remaining_people=remaining[1],
    )


def poverty_by_village(tw: Township, month: pd.Period) -> pd.DataFrame:
    """Every village of villages.csv (in its order) with its registered, exited and planned households.

    Columns: village, poor_village, delisted_year, households, people, exited_households, exited_people
    (exited by the end of ``month``), planned_this_year_households, planned_this_year_people.
    """
    hh = household_flags(tw, month)
    hh["people"] = hh["members"].astype(int)
    hh["households"] = 1
    for flag, prefix in (("exited_by_month", "exited"), ("planned_this_year", "planned_this_year")):
        hh[f"{prefix}_households"] = hh[flag].astype(int)
        hh[f"{prefix}_people"] = hh["people"].where(hh[flag], 0)
    counts = ["households", "people", "exited_households", "exited_people",
              "planned_this_year_households", "planned_this_year_people"]
    sums = hh.groupby("village")[counts].sum()
    frame = tw.villages[["village", "poor_village", "delisted_year"]].set_index("village")
    frame = frame.join(sums).fillna({c: 0 for c in counts})
    frame[counts] = frame[counts].astype(int)
    return frame.reset_index()


def poverty_line(tw: Township, year: int) -> float | None:
    """The year's income standard (元/人) from township.yaml ``poverty_line_yuan``, if given."""
    lines = tw.info.get("poverty_line_yuan") or {}
    for key, value in lines.items():
        if str(key).strip() == str(year):
            return float(value)
    return None


def unmet_exit_standards(tw: Township, month: pd.Period) -> pd.DataFrame:
    """Households planned to exit this year, not exited by ``month``, that miss at least one standard.

    Income is met when above the year's poverty line; without a line for the year it is not checked
    (``income_ok`` is NA). Rows are ordered by village (villages.csv order), then household id;
    ``unmet`` names the missed standards joined with 、.
    """
    hh = household_flags(tw, month)
    hh = hh[hh["planned_this_year"] & ~hh["exited_by_month"]].copy()
    line = poverty_line(tw, month.year)
    hh["poverty_line"] = float("nan") if line is None else line
    if line is None:
        hh["income_ok"] = pd.array([pd.NA] * len(hh), dtype="boolean")
    else:
        hh["income_ok"] = pd.array(hh["income_per_capita"] > line, dtype="boolean")
    flags = hh[list(STANDARDS)].astype("boolean").fillna(True).astype(bool)
    hh["unmet"] = ["、".join(STANDARDS[c] for c in STANDARDS if not row[c]) for _, row in flags.iterrows()]
    hh = hh[~flags.all(axis=1)]
    order = {v: i for i, v in enumerate(tw.villages["village"])}
    hh = hh.assign(_order=hh["village"].map(order)).sort_values(["_order", "household_id"])
    columns = ["household_id", "village", "members", "income_per_capita", "poverty_line", *STANDARDS, "unmet"]
    return hh[columns].reset_index(drop=True)
