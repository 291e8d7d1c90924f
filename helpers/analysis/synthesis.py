"""Synthesis across indicators: focus villages, the lowest branch, villages' key tasks, petition facts.

Focus villages are at the bottom of several rankings or in breach of several rules; the lowest branch
(党总支) is lowest on the most village-level indicators.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from helpers.analysis.petitions import PENDING, TOWNSHIP_LEVELS, petitions_ytd
from helpers.analysis.progress import indicator_row
from helpers.analysis.rules import RuleResult, rule_checks
from helpers.analysis.villages import branch_rollup, village_level_indicators, village_ranking
from helpers.config import SETTINGS, Settings
from helpers.data.township import Township

AT_LEAST = 2
"""A village is a focus village when it is 末位 on, or breaches, at least this many indicators or rules."""
CAUSES_SHOWN = 2


@dataclass(frozen=True)
class FocusVillage:
    """A village at the bottom of several rankings or in breach of several rules (ids in report order)."""

    village: str
    branch: str
    kind: str
    bottom: tuple[str, ...]
    """Indicator ids of the rankings on which the village is 末位."""
    rankings: int
    """How many village rankings there are in all (the bottom is out of these)."""
    rules: tuple[str, ...]
    """Ids of the rules whose breaches name the village."""
    last: tuple[str, ...] = ()
    """Those of ``bottom`` on which the village is last (the worst value; ties are all last)."""


@dataclass(frozen=True)
class LowestBranch:
    """A branch lowest (by the roll-up's value) on the most village-level indicators."""

    branch: str
    indicators: tuple[str, ...]
    of: int
    """How many indicators were compared."""


@dataclass(frozen=True)
class KeyTask:
    """A task the data marks for a village this year; ``kind`` is ``delist`` (a poor village due for 摘帽)."""

    village: str
    kind: str
    year: int


def bottom_indicators(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> pd.DataFrame:
    """Every village-level ranking of every area.

    Columns indicator, village, bottom (``village_ranking``) and last (the village has the last rank).
    """
    frames = [village_ranking(tw, area, month, settings) for area in tw.areas]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({"indicator": pd.Series(dtype=object), "village": pd.Series(dtype=object),
                             "bottom": pd.Series(dtype=bool), "last": pd.Series(dtype=bool)})
    out = pd.concat(frames, ignore_index=True)
    out["last"] = out["rank"] == out.groupby("indicator", sort=False)["rank"].transform("max")
    return out[["indicator", "village", "bottom", "last"]]


def rule_villages(results: Iterable[RuleResult]) -> dict[str, tuple[str, ...]]:
    """Village -> ids of the applicable, breached rules whose breach rows name it (rules per village)."""
    found: dict[str, list[str]] = {}
    for r in results:
        if not r.applicable or r.passed or "village" not in r.breaches.columns:
            continue
        for village in dict.fromkeys(r.breaches["village"].dropna().astype(str)):
            found.setdefault(village, []).append(r.id)
    return {v: tuple(ids) for v, ids in found.items()}


def focus_villages(tw: Township, month: pd.Period, settings: Settings = SETTINGS,
                   results: list[RuleResult] | None = None, at_least: int = AT_LEAST) -> list[FocusVillage]:
    """Villages 末位 on ``at_least`` rankings or more, or breaching ``at_least`` rules or more.

    Most bottom rankings first, then most rules, then villages.csv order. ``results``: the month's rule
    results, if already computed.
    """
    ranking = bottom_indicators(tw, month, settings)
    rankings = int(ranking["indicator"].nunique())
    bottom = ranking[ranking["bottom"]].groupby("village", sort=False)["indicator"].apply(tuple).to_dict()
    lowest = ranking[ranking["bottom"] & ranking["last"]]
    last = lowest.groupby("village", sort=False)["indicator"].apply(tuple).to_dict()
    breached = rule_villages(rule_checks(tw, month, settings) if results is None else results)
    out = []
    for i, v in enumerate(tw.villages.itertuples()):
        name = str(v.village)
        low, rules = bottom.get(name, ()), breached.get(name, ())
        if len(low) >= at_least or len(rules) >= at_least:
            out.append((-len(low), -len(rules), i,
                        FocusVillage(name, str(v.branch), str(v.kind), tuple(low), rankings, tuple(rules),
                                     tuple(last.get(name, ())))))
    return [f for *_, f in sorted(out, key=lambda t: t[:3])]


def lowest_branches(tw: Township, month: pd.Period) -> list[LowestBranch]:
    """The branch(es) lowest on the most village-level indicators (ties all listed, villages.csv order).

    On each indicator the lowest is the worst roll-up value (the smallest where higher is better), ties all
    lowest; an indicator on which every branch is level has no lowest. Empty with fewer than two branches.
    """
    if tw.villages["branch"].nunique() < 2:
        return []
    lowest: dict[str, list[str]] = {}
    compared = 0
    for indicator in village_level_indicators(tw, month):
        frame = branch_rollup(tw, indicator, month)
        values = frame["value"]
        if values.nunique() < 2:
            continue
        compared += 1
        worst = values.max() if str(indicator_row(tw, indicator)["better"]) == "lower" else values.min()
        for branch in frame.loc[values == worst, "branch"].astype(str):
            lowest.setdefault(branch, []).append(indicator)
    if not lowest:
        return []
    most = max(len(v) for v in lowest.values())
    return [LowestBranch(b, tuple(ids), compared) for b, ids in lowest.items() if len(ids) == most]


def key_tasks(tw: Township, month: pd.Period) -> list[KeyTask]:
    """This year's key tasks of villages the data marks: poor villages due for 摘帽 in the report year."""
    year = month.year
    v = tw.villages
    due = v[v["poor_village"] & (v["delisted_year"] == year).fillna(False).astype(bool)]
    return [KeyTask(str(name), "delist", year) for name in due["village"]]


@dataclass(frozen=True)
class PetitionTrend:
    """The report month's petition cases against the earlier months of the year, levels and causes."""

    month_cases: int
    earlier: tuple[int, ...]
    """New cases of each earlier month of the year (January … the month before), empty in January."""
    total: int
    """Cases of the year to date."""
    open_cases: int
    top_level: str | None
    """The highest level any case of the year reached (the level column's order), None without cases."""
    top_level_cases: int
    top_level_open: int
    causes: tuple[tuple[str, int], ...]
    """The leading topics (事由) of the year with their counts, most first (ties in order of appearance)."""

    @property
    def beyond_township(self) -> bool:
        """The highest level lies above the township's own (镇/乡/街道): a case went up to the county or further."""
        return self.top_level is not None and self.top_level not in TOWNSHIP_LEVELS

    @property
    def earlier_average(self) -> float | None:
        return sum(self.earlier) / len(self.earlier) if self.earlier else None

    @property
    def earlier_all_equal(self) -> bool:
        """Every earlier month had the same number of cases (the average is then "每月N件")."""
        return bool(self.earlier) and len(set(self.earlier)) == 1


def petition_trend(tw: Township, month: pd.Period, causes: int = CAUSES_SHOWN) -> PetitionTrend:
    """Petition facts of ``month``: new cases against the earlier months, the highest level, open cases, causes."""
    cases = petitions_ytd(tw, month)
    per_month = cases.groupby(cases["month"].astype(str)).size()
    earlier = tuple(int(per_month.get(str(pd.Period(year=month.year, month=k, freq="M")), 0))
                    for k in range(1, month.month))
    open_mask = cases["status"].astype(object) == PENDING
    level = cases["level"]
    order = list(level.cat.categories) if isinstance(level.dtype, pd.CategoricalDtype) else []
    reached = [lv for lv in order if (level.astype(object) == lv).any()]
    top = reached[-1] if reached else None
    at_top = (level.astype(object) == top) if top is not None else pd.Series(False, index=cases.index)
    topics = cases["topic"].dropna().astype(str).str.strip()
    topics = topics[topics != ""]
    first = {t: i for i, t in enumerate(pd.unique(topics))}
    ranked = sorted(topics.value_counts().items(), key=lambda kv: (-kv[1], first[kv[0]]))
    return PetitionTrend(
        month_cases=int((cases["month"] == month).sum()), earlier=earlier, total=len(cases),
        open_cases=int(open_mask.sum()), top_level=top, top_level_cases=int(at_top.sum()),
        top_level_open=int((at_top & open_mask).sum()),
        causes=tuple((str(k), int(n)) for k, n in ranked[:causes]),
    )
