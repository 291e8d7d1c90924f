"""Checking a report profile (report.yaml) as a whole: every problem at once, each with its line and key.

The profile is read with its lines (:mod:`helpers.data.reading.yaml_files`), so that every problem names the
file, the line and the key.

The section types and rule kinds, with their parameters, are the contracts of
:mod:`helpers.data.report_profile.registry`: each is stated beside the code that runs it (a module of
:mod:`helpers.analysis.rules`, a view of :mod:`helpers.report.section_types`), found by name without this layer
importing those, and each parameter is checked by its kind's checker in
:mod:`helpers.data.report_profile.parameters`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from helpers.data.report_profile.model import (
    KINDS,
    OVERVIEW,
    AreaSpec,
    Block,
    Naming,
    ReportProfile,
    RuleSpec,
    SectionSpec,
)
from helpers.data.report_profile.parameters import PARAM_KINDS, Known, Param
from helpers.data.report_profile.registry import RULE_KINDS, SECTION_TYPES
from helpers.data.schema import EVENT_TYPES, PETITION_LEVELS, STAGES
from helpers.exceptions import AS_WRITTEN, InvalidParameter, Problem

AREA_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")
NUMERALS = "一二三四五六七八九十"
NUMBERED_HEADING = re.compile(rf"\s*(?:[{NUMERALS}]+[、．.]|\d+\s*[、．.]|[（(][{NUMERALS}\d]+[)）])")
"""A heading that brings its own number (一、 / 1. / （一）): the report numbers the areas itself."""

PROSE_TEMPLATES = ("party", "economy", "livelihood", "safety")
"""Area prose templates of helpers/report/templates/prose/ besides the generic ``area.j2``."""


class _Checker:
    """Collects the problems of one profile, each with its line and key path."""

    def __init__(self, source: str, lines: dict[str, int], indicators: set[str] | None):
        self.source, self.lines = source, lines
        self.problems: list[Problem] = []
        self.known = Known(None if indicators is None else frozenset(indicators), EVENT_TYPES, PETITION_LEVELS, ())

    def add(self, path: str, value, reason: str) -> None:
        line = self.lines.get(path)
        probe = path
        while line is None and probe:
            probe = probe.rsplit(".", 1)[0] if "." in probe else probe.rsplit("[", 1)[0] if "[" in probe else ""
            line = self.lines.get(probe)
        shown = None if value is None or isinstance(value, dict | list) else str(value)
        self.problems.append(Problem(self.source, line, path or None, shown, reason))

    def text(self, path: str, value, required: bool = True) -> str | None:
        if not required and (value is None or value == ""):
            return None
        return self.param(path, "text", value)

    def param(self, path: str, kind: str, value):
        """One parameter value of kind ``kind``, or None after adding a problem."""
        try:
            return PARAM_KINDS[kind](value, self.known)
        except InvalidParameter as bad:
            self.add(path, value if bad.shown is AS_WRITTEN else bad.shown, bad.reason)
            return None

    def params(self, path: str, given: dict, spec: dict[str, Param], skip: set[str]) -> dict:
        out = {}
        for key, value in given.items():
            if key in skip:
                continue
            if key not in spec:
                allowed = "、".join(spec) or "无"
                self.add(f"{path}.{key}", None, f"未知的参数（可用的参数：{allowed}）")
                continue
            checked = self.param(f"{path}.{key}", spec[key].kind, value)
            if checked is not None:
                out[key] = checked
        for key, param in spec.items():
            if param.required and key not in given:
                self.add(path, None, f"缺少参数 {key}")
        return out


def _block(ck: _Checker, path: str, entry) -> Block | None:
    if isinstance(entry, str):
        name, given = entry, {}
    elif isinstance(entry, dict) and len(entry) == 1 and isinstance(next(iter(entry.values())), dict | None):
        name, given = next(iter(entry)), next(iter(entry.values())) or {}
    else:
        ck.add(path, entry, "应为一个部分类型，或“类型: {参数}”")
        return None
    if name not in SECTION_TYPES:
        ck.add(path, name, "未知的部分类型（可用的类型：" + "、".join(SECTION_TYPES) + "）")
        return None
    params = ck.params(f"{path}.{name}" if given else path, given, SECTION_TYPES[name].params, set())
    return Block(name, params)


def _section(ck: _Checker, path: str, entry) -> SectionSpec | None:
    if isinstance(entry, dict) and ("show" in entry or "title" in entry):
        unknown = set(entry) - {"title", "show"}
        for key in sorted(unknown):
            ck.add(f"{path}.{key}", None, "未知的键（部分只有 title 和 show）")
        title = ck.text(f"{path}.title", entry.get("title"))
        shows = entry.get("show")
        if not isinstance(shows, list) or not shows:
            ck.add(f"{path}.show", shows, "应为一个或多个部分类型的列表")
            return None
        blocks = [_block(ck, f"{path}.show[{i}]", b) for i, b in enumerate(shows)]
        if title is None or None in blocks:
            return None
        return SectionSpec(title, tuple(blocks))
    block = _block(ck, path, entry)
    return SectionSpec(SECTION_TYPES[block.type].heading, (block,)) if block else None


def _area(ck: _Checker, path: str, entry) -> AreaSpec | None:
    if not isinstance(entry, dict):
        ck.add(path, entry, "应为一个工作领域（id、heading、short、sections）")
        return None
    known = {"id", "heading", "short", "description", "sections", "prose"}
    for key in entry:
        if key not in known:
            ck.add(f"{path}.{key}", None, "未知的键（可用的键：" + "、".join(sorted(known)) + "）")
    area_id = ck.text(f"{path}.id", entry.get("id"))
    if area_id is not None and (not set(area_id) <= AREA_ID_CHARS or area_id == OVERVIEW):
        ck.add(f"{path}.id", area_id, "领域 id 只能由小写英文字母、数字和下划线组成，且不能是 overview")
        area_id = None
    heading = ck.text(f"{path}.heading", entry.get("heading"))
    if heading is not None and NUMBERED_HEADING.match(heading):
        ck.add(f"{path}.heading", heading, "标题不带序号（报告按 areas 的顺序自动编号 一、二、三……）")
    short = ck.text(f"{path}.short", entry.get("short"))
    description = ck.text(f"{path}.description", entry.get("description"), required=False) or ""
    prose = entry.get("prose") or {}
    template, headlines = None, {}
    if not isinstance(prose, dict):
        ck.add(f"{path}.prose", prose, "应为 {template: …, headlines: {…}}")
    else:
        template = prose.get("template")
        if template is not None and template not in PROSE_TEMPLATES:
            ck.add(f"{path}.prose.template", template, "未知的文字模板（可用：" + "、".join(PROSE_TEMPLATES)
                   + "；不写则用通用模板）")
            template = None
        headlines = prose.get("headlines") or {}
        if not isinstance(headlines, dict):
            ck.add(f"{path}.prose.headlines", headlines, "应为“条目: 标题”的映射")
            headlines = {}
    sections = entry.get("sections")
    if not isinstance(sections, list) or not sections:
        ck.add(f"{path}.sections", sections, "应为该领域各部分的列表")
        sections = []
    specs = [_section(ck, f"{path}.sections[{i}]", s) for i, s in enumerate(sections)]
    if area_id is None:
        return None
    # A missing heading or short name is reported above; the area is still known by its id, so the data's
    # rows and the rules of this area are not each reported as using an unknown area.
    return AreaSpec(area_id, heading or area_id, short or area_id, description, tuple(s for s in specs if s), template,
                    {str(k): str(v) for k, v in headlines.items()})


def _rule(ck: _Checker, path: str, entry, index: int, areas: set[str]) -> RuleSpec | None:
    if not isinstance(entry, dict):
        ck.add(path, entry, "应为一条规则（kind、name、area 及参数）")
        return None
    kind = entry.get("kind")
    if kind not in RULE_KINDS:
        ck.add(f"{path}.kind", kind, "未知的规则种类（可用的种类：" + "、".join(RULE_KINDS) + "）")
        return None
    name = ck.text(f"{path}.name", entry.get("name"))
    area = ck.text(f"{path}.area", entry.get("area"))
    if area is not None and area not in areas:
        ck.add(f"{path}.area", area, "未知的工作领域（不在本文件的 areas 中）")
        area = None
    rule_id = str(entry.get("id") or f"{kind}_{index + 1}")
    contract = RULE_KINDS[kind]
    params = ck.params(path, entry, contract.params, {"id", "kind", "name", "area"})
    reason = contract.validate(entry) if contract.validate else None
    if reason:
        ck.add(path, None, reason)
        return None
    if name is None or area is None or len(params) < sum(1 for k in contract.params if k in entry):
        return None
    return RuleSpec(rule_id, kind, name, area, params)


def _choices(ck: _Checker, raw) -> tuple[tuple[str, ...], tuple[str, ...]]:
    raw = raw or {}
    if not isinstance(raw, dict):
        ck.add("choices", raw, "应为 {event_types: [...], project_stages: [...]}")
        return EVENT_TYPES, STAGES
    out = []
    for key, base in (("event_types", EVENT_TYPES), ("project_stages", STAGES)):
        extra = raw.get(key) or []
        if not isinstance(extra, list) or not all(isinstance(x, str) and x.strip() for x in extra):
            ck.add(f"choices.{key}", extra, "应为一行文字的列表，如 [座谈, 巡河]")
            extra = []
        out.append(tuple(dict.fromkeys([*base, *(x.strip() for x in extra)])))
    for key in raw:
        if key not in ("event_types", "project_stages"):
            ck.add(f"choices.{key}", None, "未知的键（可用的键：event_types、project_stages）")
    return out[0], out[1]


def _naming(ck: _Checker, raw) -> Naming | dict:
    raw = raw or {}
    if not isinstance(raw, dict):
        ck.add("township", raw, "应为 {kind: …, branch_label: …, issuer: …, addressee: …}")
        return {}
    known = ("kind", "branch_label", "issuer", "addressee")
    for key in raw:
        if key not in known:
            ck.add(f"township.{key}", None, "未知的键（可用的键：" + "、".join(known) + "）")
    out = {k: ck.text(f"township.{k}", raw.get(k), required=False) for k in known}
    if out["kind"] is not None and out["kind"] not in KINDS:
        ck.add("township.kind", out["kind"], "取值应为 " + " / ".join(KINDS))
        out["kind"] = None
    return {k: v for k, v in out.items() if v is not None}


def parse_profile(data, lines: dict[str, int], source: str,
                  indicators: set[str] | None = None) -> tuple[ReportProfile | None, list[Problem]]:
    """Check a parsed profile; ``indicators`` (the ids of indicators.csv) checks indicator parameters.

    Returns the profile of what is valid (None without a single valid area) and every problem: the data's
    tables are still checked against the areas and choices the profile does state.
    """
    ck = _Checker(source, lines, indicators)
    data = {} if data is None else data  # an empty file: a profile without areas (said below)
    if not isinstance(data, dict):
        ck.add("", data, "应为一个映射（township、areas、rules、choices）")
        return None, ck.problems
    for key in data:
        if key not in ("township", "areas", "rules", "choices"):
            ck.add(str(key), None, "未知的键（可用的键：township、areas、rules、choices）")
    naming = _naming(ck, data.get("township"))
    event_types, stages = _choices(ck, data.get("choices"))
    rules_raw = data.get("rules") or []
    if not isinstance(rules_raw, list):
        ck.add("rules", rules_raw, "应为规则的列表")
        rules_raw = []
    rule_ids = {str(r.get("id") or f"{r.get('kind')}_{i + 1}"): i for i, r in enumerate(rules_raw)
                if isinstance(r, dict)}
    ck.known = replace(ck.known, event_types=event_types, rule_ids=tuple(sorted(rule_ids, key=rule_ids.get)))
    areas_raw = data.get("areas")
    if not isinstance(areas_raw, list) or not areas_raw:
        ck.add("areas", areas_raw, "应为至少一个工作领域的列表")
        areas_raw = []
    areas = [_area(ck, f"areas[{i}]", a) for i, a in enumerate(areas_raw)]
    seen: set[str] = set()
    for i, a in enumerate(areas):
        if a is not None and a.id in seen:
            ck.add(f"areas[{i}].id", a.id, "领域 id 重复")
        if a is not None:
            seen.add(a.id)
    rules = [_rule(ck, f"rules[{i}]", r, i, seen) for i, r in enumerate(rules_raw)]
    ids = [r.id for r in rules if r is not None]
    for i, r in enumerate(rules):
        if r is not None and ids.count(r.id) > 1:
            ck.add(f"rules[{i}].id", r.id, "规则 id 重复")
            break
    valid_areas = tuple(a for a in areas if a is not None)
    if not valid_areas:
        return None, ck.problems
    profile = ReportProfile(valid_areas, tuple(r for r in rules if r is not None),
                            Naming(**naming) if naming else Naming(), event_types, stages, source)
    return profile, ck.problems
