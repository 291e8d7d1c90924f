"""The sample township's figures read straight from its CSV and YAML files, with no helper in between.

Tests derive the figures a report sentence must carry from these (plain sums and counts over the rows), so a
figure in an expected phrase comes from the data, not from a recorded run of the code under test.
"""

from __future__ import annotations

import csv
import functools
import math

import yaml

from helpers.config import DATA_DIR

SAMPLE = DATA_DIR / "sample"


@functools.cache
def rows(table: str) -> tuple[dict[str, str], ...]:
    with (SAMPLE / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


@functools.cache
def profile() -> dict:
    return yaml.safe_load((SAMPLE / "township.yaml").read_text(encoding="utf-8"))


def year_start(month: str) -> str:
    return f"{month[:4]}-01"


def flow_ytd(indicator: str, month: str) -> float:
    """A flow's sum over January..``month`` (township and village rows)."""
    return sum(float(r["value"]) for r in rows("monthly")
               if r["indicator"] == indicator and year_start(month) <= r["month"] <= month)


def stock_level(indicator: str, month: str) -> float:
    """A township-level stock's latest month-end level up to ``month``."""
    found = [r for r in rows("monthly") if r["indicator"] == indicator and not r["village"] and r["month"] <= month]
    return float(max(found, key=lambda r: r["month"])["value"])


def target(indicator: str, year: int = 2018) -> float:
    return next(float(r["target"]) for r in rows("targets") if r["indicator"] == indicator and int(r["year"]) == year)


def completion_and_gap(indicator: str, month: str) -> tuple[float, float]:
    """A flow's completion % of the target and its distance to time progress (month ÷ 12), in points."""
    done = flow_ytd(indicator, month) / target(indicator) * 100
    return done, done - int(month[5:]) / 12 * 100


def versus_time(gap: float) -> str:
    """The reference report's wording of a gap to time progress."""
    return f"{'高于' if gap > 0 else '低于'}序时进度{abs(gap):.1f}个百分点"


def events(month: str, area: str, type_: str, title: str | None = None) -> int:
    """Summed quantity (empty = 1) of the area's events of a type, January..``month``."""
    return int(sum(float(r["quantity"] or 1) for r in rows("events")
                   if r["area"] == area and r["type"] == type_ and year_start(month) <= r["date"][:7] <= month
                   and (title is None or title in r["title"])))


def visits_short(month: str, required: int = 8) -> list[tuple[str, str]]:
    """(village, month) of this year up to ``month`` with fewer visits than required (no row counts 0)."""
    done: dict[tuple[str, str], float] = {}
    for r in rows("monthly"):
        if r["indicator"] == "visits" and r["village"] and year_start(month) <= r["month"] <= month:
            done[r["village"], r["month"]] = done.get((r["village"], r["month"]), 0.0) + float(r["value"])
    months = sorted({m for _, m in done})
    return [(v["village"], m) for m in months for v in rows("villages") if done.get((v["village"], m), 0) < required]


def households(month: str) -> dict[str, int]:
    """Registered, exited-before-the-year, planned-this-year and still-to-exit households and people."""
    year = int(month[:4])
    out = dict.fromkeys(("households", "people", "exited_before", "exited_before_people", "planned", "planned_people",
                         "still", "still_people"), 0)
    for r in rows("households"):
        members = int(r["members"])
        out["households"] += 1
        out["people"] += members
        if r["exited"] and int(r["exited"][:4]) < year:
            out["exited_before"] += 1
            out["exited_before_people"] += members
        if r["planned_exit_year"] and int(r["planned_exit_year"]) == year:
            out["planned"] += 1
            out["planned_people"] += members
            if not r["exited"] or r["exited"] > month:
                out["still"] += 1
                out["still_people"] += members
    return out


def rectifications(category: str, month: str) -> dict[str, int]:
    """Items of a category issued by ``month``: total, closed by then, open, and open past their due month."""
    items = [r for r in rows("rectifications") if r["category"] == category and r["issued"] <= month]
    closed = [r for r in items if r["closed"] and r["closed"] <= month]
    still = [r for r in items if r not in closed]
    return {"total": len(items), "closed": len(closed), "open": len(still),
            "overdue": sum(1 for r in still if r["due"] < month)}


def project(project_id: str) -> dict[str, str]:
    return next(r for r in rows("projects") if r["project_id"] == project_id)


def monthly_pace(remaining: float, months_left: int, whole: bool) -> float:
    """What must be done each remaining month; whole units (people, households) round up."""
    pace = remaining / months_left
    return math.ceil(pace) if whole else pace
