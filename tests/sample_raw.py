"""A township's figures read straight from its CSV and YAML files, with no helper in between.

Tests derive the figures a report sentence or view must carry from these (plain sums and counts over the rows),
so a figure in an expected phrase comes from the data, not from a recorded run of the code under test.
``SAMPLE`` is data/sample, ``MINI`` the fixture township; the module-level names read the sample.
"""

from __future__ import annotations

import csv
import functools
import io
import math
from pathlib import Path

import yaml

from helpers.config import DATA_DIR

CHINESE_HEADERS = {"villages": {"村（社区）": "village", "党总支": "branch", "类型": "kind", "人口": "population",
                                "贫困村": "poor_village", "摘帽年份": "delisted_year"}}
"""The Chinese headers the fixture township uses (it tests that the loader accepts them)."""


def year_start(month: str) -> str:
    return f"{month[:4]}-01"


def versus_time(gap: float) -> str:
    """The reference report's wording of a gap to time progress."""
    return f"{'高于' if gap > 0 else '低于'}序时进度{abs(gap):.1f}个百分点"


def monthly_pace(remaining: float, months_left: int, whole: bool) -> float:
    """What must be done each remaining month; whole units (people, households) round up."""
    pace = remaining / months_left
    return math.ceil(pace) if whole else pace


class Raw:
    """One township folder's files, as text rows."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._tables: dict[str, tuple[dict[str, str], ...]] = {}

    def rows(self, table: str) -> tuple[dict[str, str], ...]:
        """A table's rows; UTF-8 (with or without BOM) or GB18030, English or Chinese headers."""
        if table not in self._tables:
            raw = (self.folder / f"{table}.csv").read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("gb18030")
            found = list(csv.reader(io.StringIO(text)))
            header = [CHINESE_HEADERS.get(table, {}).get(h, h) for h in found[0]]
            self._tables[table] = tuple(dict(zip(header, r, strict=True)) for r in found[1:] if r)
        return self._tables[table]

    @functools.cached_property
    def info_data(self) -> dict:
        return yaml.safe_load((self.folder / "township.yaml").read_text(encoding="utf-8"))

    def info(self) -> dict:
        return self.info_data

    def monthly(self, indicator: str, month: str) -> dict[str, float]:
        """A flow's monthly totals (township and village rows) of ``month``'s year, January..``month``."""
        out: dict[str, float] = {}
        for r in self.rows("monthly"):
            if r["indicator"] == indicator and year_start(month) <= r["month"] <= month:
                out[r["month"]] = out.get(r["month"], 0.0) + float(r["value"])
        return out

    def flow_ytd(self, indicator: str, month: str) -> float:
        """A flow's sum over January..``month`` (township and village rows)."""
        return sum(self.monthly(indicator, month).values())

    def village_ytd(self, indicator: str, month: str) -> dict[str, float]:
        """A village-level flow's sum per village over January..``month``."""
        out: dict[str, float] = {}
        for r in self.rows("monthly"):
            if r["indicator"] == indicator and r["village"] and year_start(month) <= r["month"] <= month:
                out[r["village"]] = out.get(r["village"], 0.0) + float(r["value"])
        return out

    def stock_level(self, indicator: str, month: str) -> float:
        """A township-level stock's latest month-end level up to ``month``."""
        found = [r for r in self.rows("monthly")
                 if r["indicator"] == indicator and not r["village"] and r["month"] <= month]
        return float(max(found, key=lambda r: r["month"])["value"])

    def target(self, indicator: str, year: int = 2018) -> float:
        return next(float(r["target"]) for r in self.rows("targets")
                    if r["indicator"] == indicator and int(r["year"]) == year)

    def completion_and_gap(self, indicator: str, month: str) -> tuple[float, float]:
        """A flow's completion % of the target and its distance to time progress (month ÷ 12), in points."""
        done = self.flow_ytd(indicator, month) / self.target(indicator, int(month[:4])) * 100
        return done, done - int(month[5:]) / 12 * 100

    def events(self, month: str, area: str, type_: str, title: str | None = None) -> int:
        """Summed quantity (empty = 1) of the area's events of a type, January..``month``."""
        return int(sum(float(r["quantity"] or 1) for r in self.rows("events")
                       if r["area"] == area and r["type"] == type_ and year_start(month) <= r["date"][:7] <= month
                       and (title is None or title in r["title"])))

    def event_records(self, month: str, area: str, type_: str) -> int:
        """How many rows of events.csv the area has of a type, January..``month``."""
        return sum(1 for r in self.rows("events")
                   if r["area"] == area and r["type"] == type_ and year_start(month) <= r["date"][:7] <= month)

    def visits_short(self, month: str, required: int = 8) -> list[tuple[str, str]]:
        """(village, month) of this year up to ``month`` with fewer visits than required (no row counts 0)."""
        done: dict[tuple[str, str], float] = {}
        for r in self.rows("monthly"):
            if r["indicator"] == "visits" and r["village"] and year_start(month) <= r["month"] <= month:
                done[r["village"], r["month"]] = done.get((r["village"], r["month"]), 0.0) + float(r["value"])
        months = sorted({m for _, m in done})
        return [(v["village"], m) for m in months for v in self.rows("villages")
                if done.get((v["village"], m), 0) < required]

    def households(self, month: str) -> dict[str, int]:
        """Registered, exited before the year, planned this year (exited by ``month`` or not) households and people."""
        year = int(month[:4])
        keys = ("households", "people", "exited_before", "exited_before_people", "planned", "planned_people",
                "exited_this_year", "exited_this_year_people", "still", "still_people")
        out = dict.fromkeys(keys, 0)
        for r in self.rows("households"):
            members = int(r["members"])
            out["households"] += 1
            out["people"] += members
            exited = r["exited"] if r["exited"] and r["exited"] <= month else ""
            if exited and int(exited[:4]) < year:
                out["exited_before"] += 1
                out["exited_before_people"] += members
            elif exited:
                out["exited_this_year"] += 1
                out["exited_this_year_people"] += members
            if r["planned_exit_year"] and int(r["planned_exit_year"]) == year:
                out["planned"] += 1
                out["planned_people"] += members
                if not exited:
                    out["still"] += 1
                    out["still_people"] += members
        return out

    def rectifications(self, category: str, month: str) -> dict[str, int]:
        """Items of a category issued by ``month``: total, closed by then, open, and open past their due month."""
        items = [r for r in self.rows("rectifications") if r["category"] == category and r["issued"] <= month]
        closed = [r for r in items if r["closed"] and r["closed"] <= month]
        still = [r for r in items if r not in closed]
        return {"total": len(items), "closed": len(closed), "open": len(still),
                "overdue": sum(1 for r in still if r["due"] < month)}

    def project(self, project_id: str) -> dict[str, str]:
        return next(r for r in self.rows("projects") if r["project_id"] == project_id)

    def last_progress(self, month: str) -> dict[str, dict[str, str]]:
        """Each project's latest project_progress row up to ``month``."""
        out: dict[str, dict[str, str]] = {}
        for r in sorted(self.rows("project_progress"), key=lambda r: r["month"]):
            if r["month"] <= month:
                out[r["project_id"]] = r
        return out


SAMPLE = Raw(DATA_DIR / "sample")
MINI = Raw(Path(__file__).resolve().parent / "fixtures" / "data" / "mini")

rows, info, flow_ytd, stock_level, target = SAMPLE.rows, SAMPLE.info, SAMPLE.flow_ytd, SAMPLE.stock_level, \
    SAMPLE.target
completion_and_gap, events, visits_short, households = \
    SAMPLE.completion_and_gap, SAMPLE.events, SAMPLE.visits_short, SAMPLE.households
rectifications, project = SAMPLE.rectifications, SAMPLE.project
