"""What a prose template is handed: the context of one section and the helpers it calls.

:func:`base_context` holds what every template sees (the township's naming, the month, ``ind`` and
``rules`` by id, ``events(type)``, ``item()`` for 一是 / 二是, ...); :func:`month_facts` is the area's
本月 paragraph and :func:`area_facts` an area's share for the 存在问题 and 下步打算 templates. The facts
themselves come from :mod:`helpers.report.prose.facts`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.analysis.events import count_events, select_events
from helpers.analysis.rules import RuleResult
from helpers.data.periods import months_left
from helpers.data.township import Township
from helpers.report import wording
from helpers.report.prose.facts import IndicatorFact, ProjectFact, RectificationGroup, ReportFacts


class Indicators:
    """Indicator facts by id: ``ind.pepper_planting_mu`` is the fact, or None when the data has no such indicator.

    Reading an indicator marks it mentioned; :meth:`unmentioned` lists an area's indicators with a target
    that the template has not read yet (for a closing "此外" sentence).
    """

    def __init__(self, facts: dict[str, IndicatorFact]):
        self._facts = facts
        self._read: set[str] = set()

    def __getattr__(self, name: str) -> IndicatorFact | None:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> IndicatorFact | None:
        fact = self._facts.get(name)
        if fact is not None:
            self._read.add(name)
        return fact

    def of_area(self, area: str, with_target: bool = False) -> list[IndicatorFact]:
        return [f for f in self._facts.values() if f.area == area and (f.has_target or not with_target)]

    def unmentioned(self, area: str) -> list[IndicatorFact]:
        return [f for f in self.of_area(area, with_target=True) if f.indicator not in self._read]


class Rules:
    """Rule results by id (``rules.double_half``); None for a rule that is not applicable this month."""

    def __init__(self, results: list[RuleResult]):
        self._results = {r.id: r for r in results}

    def __getattr__(self, name: str) -> RuleResult | None:
        if name.startswith("_"):
            raise AttributeError(name)
        found = self._results.get(name)
        return found if found is not None and found.applicable else None

    def of_area(self, area: str) -> list[RuleResult]:
        """The area's applicable rules, in profile order."""
        return [r for r in self._results.values() if r.area == area and r.applicable]

    def breached(self, area: str) -> list[RuleResult]:
        return [r for r in self._results.values() if r.area == area and r.applicable and not r.passed]


class Highlights:
    """An area's highlights.csv lines of the report year up to the report month, in month order."""

    def __init__(self, texts: list[str]):
        self.all = list(texts)

    def __bool__(self) -> bool:
        return bool(self.all)

    def assign(self, **slots: list[str]) -> dict[str, list[str]]:
        """Place each line in the first slot one of whose keywords it contains.

        Lines matching no slot go to the slot without keywords (the last slot if every slot has some), so
        every line appears exactly once.
        """
        names = list(slots)
        placed: dict[str, list[str]] = {name: [] for name in names}
        if not names:
            return placed
        catch_all = next((n for n in names if not slots[n]), names[-1])
        for text in self.all:
            slot = next((n for n in names if any(k in text for k in slots[n])), catch_all)
            placed[slot].append(text)
        return placed


class Events:
    """``events(type, title=None)``: the summed quantity of an area's events of the year to date."""

    def __init__(self, tw: Township, month: pd.Period, area: str | None):
        self._tw, self._month, self._area = tw, month, area

    def __call__(self, type: str | None = None, title: str | None = None, *, this_month: bool = False) -> int:
        return count_events(self._tw, self._month, self._area, type, title, ytd=not this_month)


class Items:
    """``item()`` → 一是, 二是, … in the order the template renders them."""

    def __init__(self):
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return wording.item_ordinal(self.n)


MONTH_INDICATORS = 3
"""At most this many indicators in an area's 本月 paragraph (those with a target first, then the largest moves)."""


@dataclass(frozen=True)
class MonthFacts:
    """What happened in the report month in one area: the paragraph that opens its 工作进展."""

    month: pd.Period
    indicators: tuple[IndicatorFact, ...]
    """Flows reported this month, the most telling first (a target, then the largest change on last month)."""
    events: tuple[tuple[str, int, str], ...]
    """(type, quantity, unit) of the month's events, in contract type order."""
    projects: tuple[ProjectFact, ...]
    """Projects whose stage or progress moved this month."""
    highlights: tuple[str, ...]
    """The area's highlights.csv lines of the month."""

    def __bool__(self) -> bool:
        return bool(self.indicators or self.events or self.projects or self.highlights)


def _telling(fact: IndicatorFact) -> tuple:
    move = fact.mom_pct
    return (not fact.has_target, -(abs(move) if move is not None else -1.0))


def month_facts(facts: ReportFacts, area: str) -> MonthFacts:
    """The month's flows, events, moved projects and highlights of ``area``."""
    m = facts.month
    flows = [f for f in facts.indicators.values()
             if f.area == area and f.kind == "flow" and f.reported and f.this_month is not None]
    chosen = tuple(sorted(flows, key=_telling)[:MONTH_INDICATORS])
    events = select_events(facts.tw, m, area, ytd=False)
    sums = events.groupby("type", observed=True, sort=False)["quantity"].sum()
    order = [t for t in facts.tw.report.event_types if t in sums.index]
    order += [t for t in sums.index if t not in order]
    month_events = tuple((str(t), int(sums[t]), wording.event_unit(t)) for t in order if sums[t])
    moved = tuple(p for p in facts.projects if p.area == area and p.progressed)
    hl = facts.highlights
    lines = tuple(str(t) for t in hl.loc[(hl["area"].astype(str) == area) & (hl["month"] == m), "text"])
    return MonthFacts(month=m, indicators=chosen, events=month_events, projects=moved, highlights=lines)


@dataclass(frozen=True)
class AreaFacts:
    """One area's share of the facts, for the 存在问题 and 下步打算 templates."""

    id: str
    name: str
    attention: tuple[dict, ...]
    """Rows of :func:`helpers.report.prose.attention.attention_list` as text: kind (滞后/逾期/停滞/未落实), item,
    detail, owner (责任单位, "" for none), due (YYYY-MM, "" for none)."""
    indicators: tuple[IndicatorFact, ...]
    """The area's indicators with a target, in indicators.csv order."""
    projects: tuple[ProjectFact, ...]
    rectifications: tuple[RectificationGroup, ...]
    rules_breached: tuple[RuleResult, ...]


def area_facts(facts: ReportFacts, area: str) -> AreaFacts:
    att = facts.attention[facts.attention["area"].astype(str) == area]
    rows = tuple({k: str(v) for k, v in row.items()} for row in att.to_dict("records"))
    return AreaFacts(
        id=area, name=facts.tw.areas[area], attention=rows,
        indicators=tuple(f for f in facts.indicators.values() if f.area == area and f.has_target),
        projects=tuple(p for p in facts.projects if p.area == area),
        rectifications=tuple(g for g in facts.rectifications if g.area == area),
        rules_breached=tuple(Rules(list(facts.rules)).breached(area)),
    )


def base_context(facts: ReportFacts, area: str | None) -> dict:
    """The names every template sees, for one area (None: the whole township)."""
    m = facts.month
    settings = facts.settings
    return {
        "township": facts.info.name,
        "info": facts.info,
        "month": m,
        "month_no": m.month,
        "year": m.year,
        "months_left": months_left(m),
        "as_of_month": wording.as_of(m),
        "since": wording.since_year_start(),
        "settings": settings,
        "area": area,
        "area_name": facts.tw.areas.get(area, "") if area else "",
        "we": facts.tw.naming.we,
        "whole_township": facts.tw.naming.whole,
        "branch_label": facts.tw.naming.branch,
        "rule_spec": facts.tw.report.rule,
        "ind": Indicators(facts.indicators),
        "rules": Rules(list(facts.rules)),
        "petitions": facts.petitions,
        "poverty": facts.poverty,
        "all_projects": list(facts.projects),
        "projects": [p for p in facts.projects if area is None or p.area == area],
        "rectifications": [g for g in facts.rectifications if area is None or g.area == area],
        "events": Events(facts.tw, m, area),
        "item": Items(),
        "ordinals": Items,
        "approx": lambda n, unit="": wording.approx(n, unit, approximate=settings.approximate_counts),
    }


def highlights_of(facts: ReportFacts, key: str) -> Highlights:
    """The highlights.csv lines of one area (or ``overview``) up to the report month."""
    hl = facts.highlights
    return Highlights([str(t) for t in hl.loc[hl["area"].astype(str) == key, "text"]])
