"""The report profile (report.yaml) as the code sees it: areas, their sections, rules, naming and choices."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.data.schema import EVENT_TYPES, STAGES

OVERVIEW = "overview"
"""The highlights' area for the whole township (总体), besides the profile's own areas."""
KINDS = ("镇", "乡", "街道")


@dataclass(frozen=True)
class Block:
    """One thing a section shows: a section type and its parameters."""

    type: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SectionSpec:
    """A numbered sub-heading of an area and the blocks under it (left out when none has data)."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class AreaSpec:
    """A work area as the township's report has it."""

    id: str
    heading: str
    short: str
    description: str = ""
    sections: tuple[SectionSpec, ...] = ()
    template: str | None = None
    """Its own prose template (``party`` …), None for the generic one."""
    headlines: dict = field(default_factory=dict)
    """Item headlines the own template words its paragraphs with (e.g. the reference report's slogans)."""


@dataclass(frozen=True)
class RuleSpec:
    """One rule: a kind from the registry with its parameters."""

    id: str
    kind: str
    name: str
    area: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Naming:
    """How the report names the township and its parts."""

    kind: str | None = None
    branch_label: str | None = None
    issuer: str | None = None
    addressee: str | None = None

    @property
    def we(self) -> str:
        """我镇 / 我乡 / 我街道."""
        return "我" + (self.kind or "镇")

    @property
    def whole(self) -> str:
        """全镇 / 全乡 / 全街道."""
        return "全" + (self.kind or "镇")

    @property
    def branch(self) -> str:
        return self.branch_label or "党总支"


@dataclass(frozen=True)
class ReportProfile:
    """A township's report: areas in order, rules, naming (before township.yaml is merged) and choices."""

    areas: tuple[AreaSpec, ...]
    rules: tuple[RuleSpec, ...] = ()
    naming: Naming = field(default_factory=Naming)
    event_types: tuple[str, ...] = EVENT_TYPES
    project_stages: tuple[str, ...] = STAGES
    source: str = "default_report.yaml"

    @property
    def area_names(self) -> dict[str, str]:
        """Area id -> short name, in report order."""
        return {a.id: a.short for a in self.areas}

    @property
    def highlight_areas(self) -> dict[str, str]:
        return {OVERVIEW: "总体", **self.area_names}

    def area(self, area_id: str) -> AreaSpec:
        found = next((a for a in self.areas if a.id == area_id), None)
        if found is None:
            raise ValueError(f"未知工作领域：{area_id}")
        return found

    def rule(self, rule_id: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def kind_of(name: str, given: str | None = None) -> str:
    """镇 / 乡 / 街道: as given, else from the name's last characters (镇 when it says nothing)."""
    if given in KINDS:
        return given
    for kind in ("街道", "乡", "镇"):
        if str(name).endswith(kind):
            return kind
    return "镇"


def resolve_naming(profile: ReportProfile, info: dict) -> Naming:
    """The naming the report uses; key by key, report.yaml ``township`` wins over township.yaml, then defaults.

    Defaults: the kind from the name's last character (镇 when it says nothing), 党总支, and the issuer
    中共 + name + 委员会 (工作委员会 for a 街道); no addressee.
    """
    name = str(info.get("name") or "")
    from_yaml = {k: str(info[k]).strip() for k in ("kind", "issuer", "addressee")
                 if info.get(k) not in (None, "")}
    given = profile.naming
    kind = kind_of(name, given.kind or from_yaml.get("kind"))
    issuer = given.issuer or from_yaml.get("issuer") or f"中共{name}{'工作委员会' if kind == '街道' else '委员会'}"
    return Naming(kind=kind, branch_label=given.branch_label or "党总支", issuer=issuer,
                  addressee=given.addressee or from_yaml.get("addressee"))
