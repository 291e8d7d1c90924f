"""Project paths anchored at the package, and the analysis settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
OUTPUTS_DIR = ROOT / "outputs"
DEFAULT_TOWNSHIP = "sample"

AREAS: dict[str, str] = {
    "party": "党建",
    "economy": "富民强镇",
    "livelihood": "改善民生",
    "safety": "安全稳定生态",
}
"""Work areas in report order: id -> short Chinese name."""

AREA_HEADINGS: dict[str, str] = {
    "party": "夯实基础，突出党建第一保障",
    "economy": "富民强镇，突出发展第一要务",
    "livelihood": "改善民生，突出乡村振兴第一目标",
    "safety": "守住底线，突出安全稳定生态第一责任",
}

HIGHLIGHT_AREAS: dict[str, str] = {"overview": "总体", **AREAS}
"""Highlights may also belong to the report's opening paragraph."""


@dataclass(frozen=True)
class Settings:
    """Tunable thresholds of the analysis (the design calls them settings)."""

    on_pace_tolerance_pp: float = 1.0
    bottom_n: int = 3
    min_visits_per_village: int = 8
    """The minimum of a village_monthly_minimum rule whose profile entry states none (民情恳谈 ≥ 8)."""
    approximate_counts: bool = True


SETTINGS = Settings()
