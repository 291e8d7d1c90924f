"""The report's prose (工作进展, 存在问题, 下步打算) as sections: each a template rendered with its facts.

The opening paragraph, the 重点村（社区） paragraph, one section per area under its heading, then 存在问题 and
下步打算 (of one area or of all), as plain-text :class:`Section` objects or as HTML fragments for the
notebooks. The facts are :mod:`helpers.report.prose.facts`, what each template is handed
:mod:`helpers.report.prose.context`, the templates and their conventions :mod:`helpers.report.prose.templates`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from helpers.analysis.events import event_counts
from helpers.analysis.progress import BAD_STATUSES, MET, WITHIN
from helpers.analysis.synthesis import focus_villages, key_tasks, lowest_branches
from helpers.config import SETTINGS, Settings
from helpers.data.periods import month_label
from helpers.data.township import Township
from helpers.report import wording
from helpers.report.prose.context import Highlights, area_facts, base_context, highlights_of, month_facts
from helpers.report.prose.facts import ReportFacts, report_facts
from helpers.report.prose.templates import render

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


# --- sections -------------------------------------------------------------------------------


def opening_section(facts: ReportFacts) -> Section:
    """The township profile paragraph with the overview highlights."""
    context = base_context(facts, None)
    statuses = [f.status for f in facts.indicators.values() if f.status is not None]
    behind = [s for s in statuses if s in BAD_STATUSES]
    context.update(highlights=highlights_of(facts, "overview"), targets_total=len(statuses),
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
    context = base_context(facts, None)
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
    context = base_context(facts, area)
    this_month = month_facts(facts, area)
    earlier = [t for t in highlights_of(facts, area).all if t not in this_month.highlights]
    context["highlights"] = Highlights(earlier)  # the month's own lines are said in the 本月 paragraph
    context["this_month"] = this_month
    context["headline"] = lambda key, default="": spec.headlines.get(key, default)
    counts = event_counts(facts.tw, facts.month, area)
    context["area_events"] = [(str(r.type), int(r.quantity), wording.event_unit(r.type))
                              for r in counts.itertuples()]
    template = f"{spec.template}.j2" if spec.template else "area.j2"
    return Section(area, area_heading(facts.tw, area), render(template, context))


def _areas_section(facts: ReportFacts, area: str | None, key: str, heading: str, template: str) -> Section:
    if area is not None and area not in facts.tw.areas:
        raise ValueError(f"未知工作领域：{area}")
    areas = list(facts.tw.areas) if area is None else [area]
    context = base_context(facts, area)
    context.update(areas=[area_facts(facts, a) for a in areas], whole_report=area is None)
    return Section(key, heading, render(template, context))


def problems_section(facts: ReportFacts, area: str | None = None) -> Section:
    """存在问题 from the attention list, of one area or (area None) of every area."""
    return _areas_section(facts, area, PROBLEMS, PROBLEMS_HEADING, "problems.j2")


def plans_section(facts: ReportFacts, area: str | None = None) -> Section:
    """下步打算: remaining targets with the monthly pace needed, open and overdue items."""
    return _areas_section(facts, area, PLANS, PLANS_HEADING, "plans.j2")


def narrative(tw: Township, month: pd.Period, settings: Settings = SETTINGS) -> list[Section]:
    """The report's 工作进展: the opening paragraph, then each area under its heading, in report order."""
    facts = report_facts(tw, month, settings)
    return [opening_section(facts)] + [area_section(facts, a) for a in tw.areas]


def report_title(tw: Township, month: pd.Period) -> str:
    """"XX镇2018年8月工作汇报"."""
    return f"{tw.name}{month_label(month)}工作汇报"


# --- HTML -------------------------------------------------------------------------------------


def sections_html(sections: Iterable[Section], heading_tag: str = "h3", with_headings: bool = True) -> str:
    """Sections as HTML: headings and ``<p>`` paragraphs, every piece of text escaped."""
    parts = []
    for s in sections:
        if with_headings and s.heading:
            parts.append(f"<{heading_tag}>{html.escape(s.heading)}</{heading_tag}>")
        parts += [f"<p>{html.escape(p)}</p>" for p in s.paragraphs]
    return "\n".join(parts)


def narrative_html(tw: Township, month: pd.Period, area: str | None = None, settings: Settings = SETTINGS,
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


def problems_and_plans_html(tw: Township, month: pd.Period, area: str | None = None,
                            settings: Settings = SETTINGS, *, heading_tag: str = "h3") -> str:
    """存在问题 and 下步打算 of one area, or of every area when ``area`` is None or "overview"."""
    facts = report_facts(tw, month, settings)
    which = None if area in (None, "overview", OPENING) else area
    if which is not None and which not in tw.areas:
        raise ValueError(f"未知工作领域：{area}")
    sections = [problems_section(facts, which), plans_section(facts, which)]
    return f'<div class="narrative problems-plans">\n{sections_html(sections, heading_tag)}\n</div>'
