"""The report's prose (工作进展, 存在问题, 下步打算): facts computed from the analysis, worded by Jinja2 templates.

Each area has a template in ``helpers/report/templates/prose/`` (``<area>.j2``, plus ``opening.j2``,
``focus.j2``, ``problems.j2`` and ``plans.j2``; ``petitions.j2`` is included by area templates) that an
analyst can edit without touching Python. Templates are read from that folder at every call (no cache), so
an edited template shows in the next render;
:func:`templates_fingerprint` changes with them, for render caches.

Template conventions: the output is plain text (autoescape off; the HTML layer escapes). A blank line in
the template source (outside any tag) starts a new paragraph; every other line break is dropped, so the
lines of a paragraph are joined without spaces, and empty paragraphs are dropped.
``item()`` returns the next 一是 / 二是 of the section, so a left-out item does not leave a gap. Facts
that the data lacks are ``None`` (indicators, rules) or zero (event counts), and templates leave the
sentence out. The wording functions of :mod:`helpers.report.wording` are template globals and filters.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import jinja2
import pandas as pd

from helpers.analysis.events import count_events, event_counts, select_events
from helpers.analysis.forecast import progress_with_forecast
from helpers.analysis.petitions import petition_counts
from helpers.analysis.poverty import STANDARDS, PovertySummary, poverty_summary, unmet_exit_standards
from helpers.analysis.progress import BAD_STATUSES, MET, WITHIN, month_index, stock_start, township_table
from helpers.analysis.projects import DONE, project_status
from helpers.analysis.rectifications import rectification_status
from helpers.analysis.rules import RuleResult, rule_checks
from helpers.analysis.synthesis import PetitionTrend, focus_villages, key_tasks, lowest_branches, petition_trend
from helpers.config import SETTINGS, Settings
from helpers.data.periods import as_month, month_label, months_left
from helpers.data.township import Township
from helpers.report import wording
from helpers.report.attention import attention_list, owners

PROSE_DIR = Path(__file__).resolve().parent / "templates" / "prose"
OPENING = "opening"
"""Section key of the opening profile paragraph (highlights of area ``overview`` go there)."""
FOCUS = "focus"
"""Section key of the overview's 重点村（社区） paragraph (synthesis across indicators and rules)."""
PROBLEMS = "problems"
PLANS = "plans"
PROBLEMS_HEADING = "存在问题"
PLANS_HEADING = "下步打算"


# --- the result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One block of prose: ``key`` (opening, an area id, problems, plans), heading ("" for none), paragraphs."""

    key: str
    heading: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(([self.heading] if self.heading else []) + list(self.paragraphs))


# --- facts handed to the templates ------------------------------------------------------------


def _clean(value):
    """NaN, NaT and pd.NA become None so that templates can test facts with ``is none`` / ``if``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, pd.Period):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


@dataclass(frozen=True)
class ProfileFacts:
    """The township profile of the opening paragraph; branch and village counts come from villages.csv."""

    name: str
    county: str | None
    location: str | None
    distance_km: float | None
    area_km2: float | None
    town_area_km2: float | None
    population: int | None
    branches: int
    villages: int
    communities: int


def township_profile(tw: Township) -> ProfileFacts:
    """township.yaml plus the counts of 党总支 and 村（社区） (population falls back to the villages' sum)."""
    p = tw.profile
    v = tw.villages
    population = _clean(p.get("population"))
    if population is None and len(v):
        population = int(v["population"].sum())
    return ProfileFacts(
        name=tw.name,
        county=_clean(p.get("county")),
        location=_clean(p.get("location")) or None,
        distance_km=_clean(p.get("distance_to_county_km")),
        area_km2=_clean(p.get("area_km2")),
        town_area_km2=_clean(p.get("town_area_km2")),
        population=population,
        branches=int(v["branch"].nunique()),
        villages=len(v),
        communities=int((v["kind"].astype(str) == "社区").sum()),
    )


@dataclass(frozen=True)
class IndicatorFact:
    """One row of :func:`helpers.analysis.forecast.progress_with_forecast` (NaN as None) plus ``start`` (stocks).

    ``forecast_*`` and ``recent_pace`` are the year-end figure at the last three months' average pace (None
    where one of them is 未报, for rates, and without a target); ``forecast_reaches`` whether it reaches the
    target (a ceiling: stays within it).
    """

    indicator: str
    area: str
    name: str
    unit: str
    kind: str
    better: str
    ytd: float | None
    target: float | None
    completion_pct: float | None
    time_pct: float
    diff_pp: float | None
    status: str | None
    this_month: float | None
    prev_month: float | None
    mom_change: float | None
    last_year_month: float | None
    last_year_ytd: float | None
    yoy_pct: float | None
    remaining: float | None
    months_left: int
    pace_needed: float | None
    target_reached: bool
    through: pd.Period | None
    reported: bool
    yoy_gaps: int
    allowed: float | None
    recent_pace: float | None
    forecast_ytd: float | None
    forecast_pct: float | None
    forecast_reaches: bool | None
    forecast: str | None
    start: float | None
    owner: str | None = None
    """责任单位 (indicators.csv ``owner``), None where none is given."""

    @property
    def has_target(self) -> bool:
        return self.target is not None

    @property
    def ahead(self) -> bool:
        return self.status == "超序时"

    @property
    def on_pace(self) -> bool:
        return self.status == "达序时"

    @property
    def behind(self) -> bool:
        return self.status == "滞后"

    @property
    def is_stock(self) -> bool:
        return self.kind == "stock"

    @property
    def lower_is_better(self) -> bool:
        return self.better == "lower"

    @property
    def year_change(self) -> float | None:
        """A stock's change since the start of the year."""
        if self.ytd is None or self.start is None:
            return None
        return round(self.ytd - self.start, 9)

    @property
    def allowed_so_far(self) -> float | None:
        """For a ceiling (better = lower): target × time progress (flow) or the target (level)."""
        return self.allowed

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"

    @property
    def is_ceiling(self) -> bool:
        return self.allowed is not None

    @property
    def mom_pct(self) -> float | None:
        """The month's change on the previous month in percent (None without both, or from 0)."""
        if self.this_month is None or not self.prev_month:
            return None
        return (self.this_month - self.prev_month) / abs(self.prev_month) * 100

    @property
    def same_month_yoy_pct(self) -> float | None:
        """The month's amount against the same month last year, in percent (None without both, or from 0)."""
        if self.this_month is None or not self.last_year_month:
            return None
        return (self.this_month - self.last_year_month) / abs(self.last_year_month) * 100

    @property
    def small_count(self) -> bool:
        """A discrete target small enough to word in counts (尚未新增，年内须新增2户), not percentages."""
        return (self.target is not None and not self.is_rate and not self.is_ceiling
                and wording.is_small_count(self.unit, self.target))

    @property
    def as_of(self) -> str:
        """截至X月底 of the month the figure runs through ("" when there is no figure)."""
        return wording.as_of(self.through) if self.through is not None else ""


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


@dataclass(frozen=True)
class ProjectFact:
    """One row of :func:`helpers.analysis.projects.project_status` (NaN as None) plus the month's movement."""

    project_id: str
    name: str
    area: str
    category: str
    villages: tuple[str, ...]
    investment_wan: float | None
    start: pd.Period | None
    due: pd.Period | None
    stage: str | None
    progress_pct: float | None
    spent_wan: float | None
    overdue: bool
    stalled: bool
    stalled_months: int
    near_completion: bool
    progressed: bool
    """Stage or progress moved since the previous month end (or the project is new this month)."""
    finished: bool = False
    """完工 or a stage the profile adds after it (e.g. 竣工验收)."""
    owner: str | None = None
    """责任单位 (projects.csv ``owner``), None where none is given."""

    @property
    def done(self) -> bool:
        return self.finished or self.stage == DONE

    @property
    def started(self) -> bool:
        return self.stage is not None


@dataclass(frozen=True)
class RectificationGroup:
    """Rectification orders of one category in one area at the month end."""

    area: str
    category: str
    total: int
    closed: int
    open: int
    overdue: int
    results: tuple[str, ...]
    """The distinct results of the closed orders, in order of appearance."""
    owner: str | None = None
    """The distinct 责任单位 of the group's orders joined with 、 (None where none is given)."""
    open_owner: str | None = None
    """The same of its open orders only (None where none is given or nothing is open)."""
    open_due: pd.Period | None = None
    """The earliest due month (整改期限) of its open orders (None when nothing is open)."""

    @property
    def all_closed(self) -> bool:
        return self.open == 0


@dataclass(frozen=True)
class PetitionFacts:
    """Petition cases of the year to date."""

    cases: int
    resolved: int
    pending: int
    by_level: dict[str, int]
    recorded: bool
    """The township keeps petition records at all (any row, any year): only then is 零到省 a finding."""
    trend: PetitionTrend | None = None
    """The month's new cases against the earlier months, the highest level, open cases, leading causes."""


@dataclass(frozen=True)
class PovertyFacts:
    """The poverty summary plus the exit standards still unmet by households due to exit this year."""

    summary: PovertySummary
    unmet_households: int
    unmet_by_standard: dict[str, int]

    @property
    def any(self) -> bool:
        s = self.summary
        return bool(s.poor_villages or s.households)

    @property
    def still_to_exit_households(self) -> int:
        return max(self.summary.planned_this_year_households - self.summary.exited_this_year_households, 0)

    @property
    def still_to_exit_people(self) -> int:
        return max(self.summary.planned_this_year_people - self.summary.exited_this_year_people, 0)

    def __getattr__(self, name: str):
        """The summary's figures read directly: ``poverty.to_delist_this_year``."""
        if name.startswith("_") or name == "summary":
            raise AttributeError(name)
        return getattr(self.summary, name)


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
class ReportFacts:
    """Everything the templates of one township and month draw on, computed once."""

    tw: Township
    month: pd.Period
    settings: Settings
    profile: ProfileFacts
    indicators: dict[str, IndicatorFact]
    projects: tuple[ProjectFact, ...]
    rules: tuple[RuleResult, ...]
    rectifications: tuple[RectificationGroup, ...]
    petitions: PetitionFacts
    poverty: PovertyFacts
    attention: pd.DataFrame
    highlights: pd.DataFrame


def _indicator_facts(tw: Township, month: pd.Period, settings: Settings) -> dict[str, IndicatorFact]:
    progress = progress_with_forecast(tw, month, settings)
    starts = stock_start(township_table(tw, month_index(tw, month)), month)
    names = {f.name for f in fields(IndicatorFact)} - {"start", "owner"}
    owner = owners(tw, "indicators", "indicator")
    facts = {}
    for row in progress.to_dict("records"):
        values = {k: _clean(row[k]) for k in names}
        values["area"] = str(row["area"])
        values["target_reached"] = bool(row["target_reached"])
        values["months_left"] = int(row["months_left"])
        values["reported"] = bool(row["reported"])
        values["yoy_gaps"] = int(row["yoy_gaps"])
        values["forecast_reaches"] = None if values["forecast_reaches"] is None else bool(values["forecast_reaches"])
        start = _clean(starts.get(row["indicator"])) if row["kind"] == "stock" else None
        facts[row["indicator"]] = IndicatorFact(start=start, owner=owner.get(str(row["indicator"])), **values)
    return facts


def _project_facts(tw: Township, month: pd.Period) -> tuple[ProjectFact, ...]:
    now = project_status(tw, month)
    before = project_status(tw, month - 1).set_index("project_id")
    owner = owners(tw, "projects", "project_id")
    facts = []
    for row in now.to_dict("records"):
        prev = before.loc[row["project_id"]]
        stage, prev_stage = _clean(row["stage"]), _clean(prev["stage"])
        progress, prev_progress = _clean(row["progress_pct"]), _clean(prev["progress_pct"])
        moved = stage is not None and (stage != prev_stage or progress != prev_progress)
        facts.append(ProjectFact(
            project_id=str(row["project_id"]), name=str(row["name"]), area=str(row["area"]),
            category=str(row["category"]), villages=tuple(row["villages"] or ()),
            investment_wan=_clean(row["investment_wan"]), start=_clean(row["start"]), due=_clean(row["due"]),
            stage=stage, progress_pct=progress, spent_wan=_clean(row["spent_wan"]),
            overdue=bool(row["overdue"]), stalled=bool(row["stalled"]), stalled_months=int(row["stalled_months"]),
            near_completion=bool(row["near_completion"]), progressed=moved, finished=bool(row["finished"]),
            owner=owner.get(str(row["project_id"])),
        ))
    return tuple(facts)


def _rectification_groups(tw: Township, month: pd.Period) -> tuple[RectificationGroup, ...]:
    status = rectification_status(tw, month)
    owner = owners(tw, "rectifications", "item_id")
    groups = []
    for (area, category), rows in status.groupby([status["area"].astype(str), status["category"].astype(str)],
                                                 sort=False):
        closed = rows["state"] == "已完成"
        results = tuple(dict.fromkeys(str(r) for r in rows.loc[closed, "result"].dropna() if str(r).strip()))
        owned = [owner.get(str(i)) for i in rows["item_id"]]
        open_owned = [o for o, c in zip(owned, closed, strict=True) if not c]
        open_due = rows.loc[~closed, "due"].dropna()
        groups.append(RectificationGroup(area=area, category=category, total=len(rows), closed=int(closed.sum()),
                                         open=int((~closed).sum()), overdue=int(rows["overdue"].sum()),
                                         results=results, owner=wording.join_names(owned) or None,
                                         open_owner=wording.join_names(open_owned) or None,
                                         open_due=min(open_due) if len(open_due) else None))
    return tuple(groups)


def _petition_facts(tw: Township, month: pd.Period) -> PetitionFacts:
    counts = petition_counts(tw, month)
    return PetitionFacts(cases=int(counts["cases"].sum()), resolved=int(counts["resolved"].sum()),
                         pending=int(counts["pending"].sum()),
                         by_level={str(r.level): int(r.cases) for r in counts.itertuples()},
                         recorded=len(tw.petitions) > 0, trend=petition_trend(tw, month))


def _poverty_facts(tw: Township, month: pd.Period) -> PovertyFacts:
    unmet = unmet_exit_standards(tw, month)
    by_standard = {}
    for column, name in STANDARDS.items():
        n = int((unmet[column] == False).sum())  # noqa: E712 (NA for an unchecked income stays out)
        if n:
            by_standard[name] = n
    return PovertyFacts(poverty_summary(tw, month), len(unmet), by_standard)


def report_facts(tw: Township, month: str | pd.Period, settings: Settings = SETTINGS) -> ReportFacts:
    """Compute every fact the prose templates use for ``month``."""
    m = as_month(month)
    hl = tw.highlights
    keep = (hl["month"].dt.year == m.year) & (hl["month"] <= m)
    highlights = hl[keep].sort_values("month", kind="stable")
    return ReportFacts(
        tw=tw, month=m, settings=settings, profile=township_profile(tw),
        indicators=_indicator_facts(tw, m, settings), projects=_project_facts(tw, m),
        rules=tuple(rule_checks(tw, m, settings)), rectifications=_rectification_groups(tw, m),
        petitions=_petition_facts(tw, m), poverty=_poverty_facts(tw, m),
        attention=attention_list(tw, m, settings), highlights=highlights,
    )


# --- rendering --------------------------------------------------------------------------------


def _sentences(texts: Iterable[str] | str | None) -> str:
    """Highlight lines as whole sentences, each closed with 。 ("" when there are none)."""
    if not texts:
        return ""
    if isinstance(texts, str):
        texts = [texts]
    return "".join(_bare(t) + "。" for t in texts if _bare(t))


def _clause(texts: Iterable[str] | str | None) -> str:
    """Highlight lines as one clause joined with ；, without closing punctuation."""
    if not texts:
        return ""
    if isinstance(texts, str):
        texts = [texts]
    return "；".join(_bare(t) for t in texts if _bare(t))


def _bare(text: str) -> str:
    return str(text).strip().rstrip("。；;，,、 ")


def _whole(value, unit: str = "") -> str:
    """An amount still needed, rounded up where the unit counts things: 0.5户 → 1户."""
    return wording.count(wording.needed_amount(_clean(value), unit), unit)


PARAGRAPH = "\u2029"
"""Paragraph break: what a blank line of a template's source turns into before Jinja2 compiles it."""
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


class ProseLoader(jinja2.FileSystemLoader):
    """Loads templates from the prose folder, turning blank source lines into :data:`PARAGRAPH` marks."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return _BLANK_LINES.sub(f"\n{PARAGRAPH}\n", source), filename, uptodate


def environment() -> jinja2.Environment:
    """A fresh template environment on the prose folder: plain text, no cache, strict about unknown names."""
    env = jinja2.Environment(
        loader=ProseLoader(PROSE_DIR),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        cache_size=0,
        auto_reload=True,
    )
    for name in wording.__all__:
        value = getattr(wording, name)
        if callable(value):
            env.globals[name] = value
            env.filters[name] = value
    env.filters.update(sentences=_sentences, clause=_clause, whole=_whole)
    env.globals.update(whole=_whole, month_label=month_label)
    return env


_PUNCT_FIXES = (
    (re.compile(r"[，、；]+(?=[。；])"), ""),
    (re.compile(r"。{2,}"), "。"),
    (re.compile(r"^[，。；、]+"), ""),
)


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Template output → paragraphs: split at :data:`PARAGRAPH` marks, lines joined without spaces."""
    out = []
    for block in text.split(PARAGRAPH):
        paragraph = "".join(line.strip() for line in block.splitlines())
        for pattern, repl in _PUNCT_FIXES:
            paragraph = pattern.sub(repl, paragraph)
        if paragraph:
            out.append(paragraph)
    return tuple(out)


def _base_context(facts: ReportFacts, area: str | None) -> dict:
    m = facts.month
    settings = facts.settings
    return {
        "township": facts.profile.name,
        "profile": facts.profile,
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


def _highlights(facts: ReportFacts, key: str) -> Highlights:
    hl = facts.highlights
    return Highlights([str(t) for t in hl.loc[hl["area"].astype(str) == key, "text"]])


def render(template: str, context: dict) -> tuple[str, ...]:
    """Render one template of the prose folder with ``context`` and split it into paragraphs."""
    return split_paragraphs(environment().get_template(template).render(**context))


def opening_section(facts: ReportFacts) -> Section:
    """The township profile paragraph with the overview highlights."""
    context = _base_context(facts, None)
    statuses = [f.status for f in facts.indicators.values() if f.status is not None]
    behind = [s for s in statuses if s in BAD_STATUSES]
    context.update(highlights=_highlights(facts, "overview"), targets_total=len(statuses),
                   targets_behind=len(behind), behind_all_lagging=all(s == "滞后" for s in behind),
                   targets_within=statuses.count(WITHIN), targets_met=statuses.count(MET))
    return Section(OPENING, "", render("opening.j2", context))


def village_label(tw: Township) -> str:
    """村 / 社区 / 村（社区）: how the township's villages.csv kinds name its villages together."""
    kinds = set(tw.villages["kind"].astype(str))
    return "村（社区）" if len(kinds) != 1 else next(iter(kinds))


def focus_section(facts: ReportFacts) -> Section:
    """重点村（社区）: focus villages, the lowest branch and villages' key tasks (``focus.j2``).

    Focus villages are at the bottom of several rankings or breach several rules; no paragraph when the
    data shows none of these.
    """
    tw, m = facts.tw, facts.month
    names = dict(zip(tw.indicators["indicator"].astype(str), tw.indicators["name"].astype(str), strict=True))
    rule_names = {r.id: r.name for r in facts.rules}
    tasks = key_tasks(tw, m)
    delist = [t.village for t in tasks if t.kind == "delist"]
    villages = [{"village": f.village, "kind": f.kind, "branch": f.branch, "rankings": f.rankings,
                 "bottom": [names.get(i, i) for i in f.bottom], "last": [names.get(i, i) for i in f.last],
                 "rules": [rule_names.get(r, r) for r in f.rules],
                 "delist": f.village in delist}
                for f in focus_villages(tw, m, facts.settings, list(facts.rules))]
    branches = [{"branch": b.branch, "indicators": [names.get(i, i) for i in b.indicators], "of": b.of}
                for b in lowest_branches(tw, m)]
    context = _base_context(facts, None)
    context.update(focus_villages=villages, lowest_branches=branches, village_label=village_label(tw),
                   delist_villages=delist, focus_names=[v["village"] for v in villages])
    return Section(FOCUS, "", render("focus.j2", context))


def area_heading(tw: Township, area: str) -> str:
    """"一、夯实基础，突出党建第一保障": the area's ordinal (its place in the profile) and its heading."""
    spec = tw.report.area(area)
    return wording.section_ordinal(list(tw.areas).index(area) + 1) + spec.heading


def area_section(facts: ReportFacts, area: str) -> Section:
    """The 工作进展 prose of one area, under its heading.

    Its own template if the profile names one, else the generic ``area.j2``, which words the area's
    indicators, events, projects, rectifications and rule results.
    """
    spec = facts.tw.report.area(area)
    context = _base_context(facts, area)
    this_month = month_facts(facts, area)
    earlier = [t for t in _highlights(facts, area).all if t not in this_month.highlights]
    context["highlights"] = Highlights(earlier)  # the month's own lines are said in the 本月 paragraph
    context["this_month"] = this_month
    context["headline"] = lambda key, default="": spec.headlines.get(key, default)
    counts = event_counts(facts.tw, facts.month, area)
    context["area_events"] = [(str(r.type), int(r.quantity), wording.event_unit(r.type))
                              for r in counts.itertuples()]
    template = f"{spec.template}.j2" if spec.template else "area.j2"
    return Section(area, area_heading(facts.tw, area), render(template, context))


@dataclass(frozen=True)
class AreaFacts:
    """One area's share of the facts, for the 存在问题 and 下步打算 templates."""

    id: str
    name: str
    attention: tuple[dict, ...]
    """Rows of :func:`helpers.report.attention.attention_list` as text: kind (滞后/逾期/停滞/未落实), item, detail,
    owner (责任单位, "" for none), due (YYYY-MM, "" for none)."""
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


def _areas_section(facts: ReportFacts, area: str | None, key: str, heading: str, template: str) -> Section:
    if area is not None and area not in facts.tw.areas:
        raise ValueError(f"未知工作领域：{area}")
    areas = list(facts.tw.areas) if area is None else [area]
    context = _base_context(facts, area)
    context.update(areas=[area_facts(facts, a) for a in areas], whole_report=area is None)
    return Section(key, heading, render(template, context))


def problems_section(facts: ReportFacts, area: str | None = None) -> Section:
    """存在问题 from the attention list, of one area or (area None) of every area."""
    return _areas_section(facts, area, PROBLEMS, PROBLEMS_HEADING, "problems.j2")


def plans_section(facts: ReportFacts, area: str | None = None) -> Section:
    """下步打算: remaining targets with the monthly pace needed, open and overdue items."""
    return _areas_section(facts, area, PLANS, PLANS_HEADING, "plans.j2")


def narrative(tw: Township, month: str | pd.Period, settings: Settings = SETTINGS) -> list[Section]:
    """The report's 工作进展: the opening paragraph, then each area under its heading, in report order."""
    facts = report_facts(tw, month, settings)
    return [opening_section(facts)] + [area_section(facts, a) for a in tw.areas]


def report_title(tw: Township, month: str | pd.Period) -> str:
    """"XX镇2018年8月工作汇报"."""
    return f"{tw.name}{month_label(month)}工作汇报"


def templates_fingerprint() -> str:
    """A hash of every prose template (names and contents): it changes whenever a template is edited."""
    digest = hashlib.sha256()
    for path in sorted(PROSE_DIR.glob("*.j2")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# --- HTML -------------------------------------------------------------------------------------


def sections_html(sections: Iterable[Section], heading_tag: str = "h3", with_headings: bool = True) -> str:
    """Sections as HTML: headings and ``<p>`` paragraphs, every piece of text escaped."""
    parts = []
    for s in sections:
        if with_headings and s.heading:
            parts.append(f"<{heading_tag}>{html.escape(s.heading)}</{heading_tag}>")
        parts += [f"<p>{html.escape(p)}</p>" for p in s.paragraphs]
    return "\n".join(parts)


def narrative_html(tw: Township, month: str | pd.Period, area: str | None = None, settings: Settings = SETTINGS,
                   *, with_headings: bool = False) -> str:
    """The prose as an HTML fragment for ``IPython.display.HTML``.

    ``area``: an area id (that area's 工作进展), ``"overview"`` (the opening paragraph), ``"focus"`` (the
    重点村（社区） paragraph) or None (the opening and every area, with headings). Text is HTML-escaped.
    """
    facts = report_facts(tw, month, settings)
    if area is None:
        sections = [opening_section(facts)] + [area_section(facts, a) for a in tw.areas]
        with_headings = True
    elif area in ("overview", OPENING):
        sections = [opening_section(facts)]
    elif area == FOCUS:
        sections = [focus_section(facts)]
    else:
        sections = [area_section(facts, area)]
    return f'<div class="narrative">\n{sections_html(sections, with_headings=with_headings)}\n</div>'


def problems_and_plans_html(tw: Township, month: str | pd.Period, area: str | None = None,
                            settings: Settings = SETTINGS, *, heading_tag: str = "h3") -> str:
    """存在问题 and 下步打算 of one area, or of every area when ``area`` is None or "overview"."""
    facts = report_facts(tw, month, settings)
    which = None if area in (None, "overview", OPENING) else area
    if which is not None and which not in tw.areas:
        raise ValueError(f"未知工作领域：{area}")
    sections = [problems_section(facts, which), plans_section(facts, which)]
    return f'<div class="narrative problems-plans">\n{sections_html(sections, heading_tag)}\n</div>'
