"""The facts the report's prose draws on, computed once per township and month (:func:`report_facts`).

Each fact is a frozen dataclass built from the analysis (NaN, NaT and pd.NA become None, so templates can
test them with ``is none`` / ``if``): the township profile, one :class:`IndicatorFact` per indicator, the
projects, rectification groups, petitions and poverty. How templates see them is
:mod:`helpers.report.prose.context`; the templates themselves are rendered by
:mod:`helpers.report.prose.templates`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import pandas as pd

from helpers.analysis.forecast import progress_with_forecast
from helpers.analysis.petitions import petition_counts
from helpers.analysis.poverty import STANDARDS, PovertySummary, poverty_summary, unmet_exit_standards
from helpers.analysis.progress import month_index, stock_start, township_table
from helpers.analysis.projects import DONE, project_status
from helpers.analysis.rectifications import rectification_status
from helpers.analysis.rules import RuleResult, rule_checks
from helpers.analysis.synthesis import PetitionTrend, petition_trend
from helpers.config import SETTINGS, Settings
from helpers.data.township import Township
from helpers.report import wording
from helpers.report.prose.attention import attention_list, owners


def clean(value):
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
class InfoFacts:
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


def township_info(tw: Township) -> InfoFacts:
    """township.yaml plus the counts of 党总支 and 村（社区） (population falls back to the villages' sum)."""
    p = tw.info
    v = tw.villages
    population = clean(p.get("population"))
    if population is None and len(v):
        population = int(v["population"].sum())
    return InfoFacts(
        name=tw.name,
        county=clean(p.get("county")),
        location=clean(p.get("location")) or None,
        distance_km=clean(p.get("distance_to_county_km")),
        area_km2=clean(p.get("area_km2")),
        town_area_km2=clean(p.get("town_area_km2")),
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
    def keeps_level(self) -> bool:
        """A stock whose target is at or below its start level: met or not, like a rate (no 序时, no pace)."""
        return self.is_stock and self.status in ("已达标", "未达标")

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
        return (self.target is not None and not self.is_rate and not self.is_ceiling and not self.keeps_level
                and wording.is_small_count(self.unit, self.target))

    @property
    def as_of(self) -> str:
        """截至X月底 of the month the figure runs through ("" when there is no figure)."""
        return wording.as_of(self.through) if self.through is not None else ""


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


@dataclass(frozen=True)
class ReportFacts:
    """Everything the templates of one township and month draw on, computed once."""

    tw: Township
    month: pd.Period
    settings: Settings
    info: InfoFacts
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
        values = {k: clean(row[k]) for k in names}
        values["area"] = str(row["area"])
        values["target_reached"] = bool(row["target_reached"])
        values["months_left"] = int(row["months_left"])
        values["reported"] = bool(row["reported"])
        values["yoy_gaps"] = int(row["yoy_gaps"])
        values["forecast_reaches"] = None if values["forecast_reaches"] is None else bool(values["forecast_reaches"])
        start = clean(starts.get(row["indicator"])) if row["kind"] == "stock" else None
        facts[row["indicator"]] = IndicatorFact(start=start, owner=owner.get(str(row["indicator"])), **values)
    return facts


def _project_facts(tw: Township, month: pd.Period) -> tuple[ProjectFact, ...]:
    now = project_status(tw, month)
    before = project_status(tw, month - 1).set_index("project_id")
    owner = owners(tw, "projects", "project_id")
    facts = []
    for row in now.to_dict("records"):
        prev = before.loc[row["project_id"]]
        stage, prev_stage = clean(row["stage"]), clean(prev["stage"])
        progress, prev_progress = clean(row["progress_pct"]), clean(prev["progress_pct"])
        moved = stage is not None and (stage != prev_stage or progress != prev_progress)
        facts.append(ProjectFact(
            project_id=str(row["project_id"]), name=str(row["name"]), area=str(row["area"]),
            category=str(row["category"]), villages=tuple(row["villages"] or ()),
            investment_wan=clean(row["investment_wan"]), start=clean(row["start"]), due=clean(row["due"]),
            stage=stage, progress_pct=progress, spent_wan=clean(row["spent_wan"]),
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


def report_facts(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> ReportFacts:
    """Compute every fact the prose templates use for ``month``."""
    hl = tw.highlights
    keep = (hl["month"].dt.year == month.year) & (hl["month"] <= month)
    highlights = hl[keep].sort_values("month", kind="stable")
    return ReportFacts(
        tw=tw, month=month, settings=settings, info=township_info(tw),
        indicators=_indicator_facts(tw, month, settings), projects=_project_facts(tw, month),
        rules=tuple(rule_checks(tw, month, settings)), rectifications=_rectification_groups(tw, month),
        petitions=_petition_facts(tw, month), poverty=_poverty_facts(tw, month),
        attention=attention_list(tw, month, settings), highlights=highlights,
    )
