"""The county roll-up as facts: townships compared on their shared indicators, 末位, breaches, overdue items.

Townships whose township.yaml names the same county form it (see :mod:`helpers.data.county`). An
indicator is shared when two or more townships have it with the same code and unit; townships are ranked
on its completion (a ceiling, ``better = lower``, on the share of it used: less is better), ties sharing
the best rank, and the bottom ``settings.bottom_n`` flagged as in the village rankings. A township with no
figures for the month is 未报: listed, never ranked, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from helpers.analysis.attention import overdue_and_stalled_projects, overdue_rectifications, rule_breaches
from helpers.analysis.progress import AHEAD, BEHIND, ON_PACE, indicator_progress
from helpers.analysis.villages import rank_values
from helpers.config import SETTINGS, Settings
from helpers.data.township import Township

NOT_REPORTED = "未报"
COMPARISON_COLUMNS = ("indicator", "unit", "name", "better", "township", "township_name", "ytd", "target",
                      "completion_pct", "time_pct", "diff_pp", "status", "rank", "ranked", "bottom")
MEMBER_COLUMNS = ("township", "township_name", "reported", "last_month", "villages", "with_target",
                  AHEAD, ON_PACE, BEHIND, "breaches", "overdue")


@dataclass(frozen=True)
class CountyFacts:
    """Everything the county roll-up shows, as frames (the report words and displays them).

    ``members``: one row per township in the given order (``MEMBER_COLUMNS``; counts are NA where 未报).
    ``shared``: the shared indicators (indicator, unit, name, better, townships = how many have it).
    ``comparison``: one row per shared indicator and reporting township that has it (``COMPARISON_COLUMNS``),
    best first within an indicator; ``rank`` is NA for a township without a target for it.
    ``items``: the breaches and overdue items of each reporting township (township, township_name, area,
    kind, source, record), as :mod:`helpers.analysis.attention` finds them.
    """

    county: str
    month: pd.Period
    members: pd.DataFrame
    shared: pd.DataFrame
    comparison: pd.DataFrame
    items: pd.DataFrame

    @property
    def not_reported(self) -> list[str]:
        return self.members.loc[~self.members["reported"], "township_name"].tolist()

    def bottom(self) -> pd.DataFrame:
        """The 末位 rows of the comparison."""
        return self.comparison[self.comparison["bottom"]].reset_index(drop=True)


def has_month(tw: Township, month: pd.Period) -> bool:
    """True when the township's monthly table holds figures for ``month``."""
    return month in set(tw.months)


def shared_indicators(townships: Sequence[Township]) -> pd.DataFrame:
    """Indicators with the same code and unit in two or more townships, in the first township's order."""
    rows = []
    for tw in townships:
        for r in tw.indicators.itertuples():
            rows.append((str(r.indicator), str(r.unit), str(r.name), str(r.better), tw.id))
    frame = pd.DataFrame(rows, columns=["indicator", "unit", "name", "better", "township"])
    counts = frame.groupby(["indicator", "unit"], sort=False)["township"].nunique().rename("townships")
    first = frame.drop_duplicates(["indicator", "unit"]).set_index(["indicator", "unit"])
    shared = first.join(counts)[lambda f: f["townships"] >= 2].reset_index()
    return shared[["indicator", "unit", "name", "better", "townships"]]


def compare(progress: dict[str, pd.DataFrame], names: dict[str, str], shared: pd.DataFrame,
            settings: Settings = SETTINGS) -> pd.DataFrame:
    """Rank the reporting townships (``progress``: id -> indicator_progress) on each shared indicator."""
    frames = []
    for s in shared.itertuples():
        rows = []
        for tid, p in progress.items():
            found = p[(p["indicator"] == s.indicator) & (p["unit"] == s.unit)]
            if len(found):
                rows.append({**found.iloc[0].to_dict(), "township": tid, "township_name": names[tid],
                             "name": s.name, "better": s.better})
        frame = pd.DataFrame(rows)
        if frame.empty or frame["completion_pct"].notna().sum() == 0:
            continue  # no township has a target for it: nothing to compare completion on
        frame["ranked"] = frame["completion_pct"].notna()
        frame["rank"], frame["bottom"] = pd.Series(pd.NA, index=frame.index, dtype="Int64"), False
        ranked = frame["ranked"]
        if ranked.any():
            rank, bottom = rank_values(frame.loc[ranked, "completion_pct"].astype(float), s.better,
                                       settings.bottom_n)
            frame.loc[ranked, "rank"], frame.loc[ranked, "bottom"] = rank.astype("Int64"), bottom
        frame["bottom"] = frame["bottom"].astype(bool)
        frames.append(frame.sort_values(["rank", "township"], kind="stable", na_position="last"))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COMPARISON_COLUMNS})
    return pd.concat(frames, ignore_index=True)[list(COMPARISON_COLUMNS)]


def township_items(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> list:
    """The rule breaches and overdue projects and rectifications of one township in ``month``."""
    projects = [i for i in overdue_and_stalled_projects(tw, month) if i.kind == "逾期"]
    return rule_breaches(tw, month, settings) + projects + overdue_rectifications(tw, month)


def county_facts(county: str, townships: Sequence[Township], month: pd.Period,
                 settings: Settings = SETTINGS) -> CountyFacts:
    """The roll-up of ``townships`` (one county) for ``month``; see :class:`CountyFacts`."""
    names = {tw.id: tw.name for tw in townships}
    progress, members, items = {}, [], []
    for tw in townships:
        reported = has_month(tw, month)
        row = {"township": tw.id, "township_name": tw.name, "reported": reported,
               "last_month": tw.last_month if len(tw.monthly) else None, "villages": len(tw.villages)}
        if reported:
            p = progress[tw.id] = indicator_progress(tw, month, settings)
            with_target = p[p["target"].notna()]
            found = township_items(tw, month, settings)
            items += [{"township": tw.id, "township_name": tw.name, "area": i.area, "kind": i.kind,
                       "source": i.source, "record": i.record} for i in found]
            counts = with_target["status"].value_counts()
            row |= {"with_target": len(with_target), **{s: int(counts.get(s, 0)) for s in (AHEAD, ON_PACE, BEHIND)},
                    "breaches": sum(1 for i in found if i.kind == "未落实"),
                    "overdue": sum(1 for i in found if i.kind == "逾期")}
        members.append(row)
    member_frame = pd.DataFrame(members)
    for column in MEMBER_COLUMNS:
        if column not in member_frame:
            member_frame[column] = pd.NA
    for column in ("with_target", AHEAD, ON_PACE, BEHIND, "breaches", "overdue"):
        member_frame[column] = member_frame[column].astype("Int64")
    shared = shared_indicators(townships)
    comparison = compare(progress, names, shared, settings)
    item_frame = pd.DataFrame(items, columns=["township", "township_name", "area", "kind", "source", "record"])
    return CountyFacts(county, month, member_frame[list(MEMBER_COLUMNS)], shared, comparison, item_frame)


def latest_month(townships: Sequence[Township]) -> pd.Period:
    """The county's report month when none is asked for: the latest month any of its townships reported."""
    return max(tw.last_month for tw in townships if len(tw.monthly))
