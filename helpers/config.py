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

# The work areas, their headings and sections are a township's report profile (helpers/data/report_profile/,
# data/<township>/report.yaml, else helpers/data/report_profile/default_report.yaml), not settings of the code.

RULE_KIND_PLUGINS = ("helpers.analysis.rules",)
"""Modules (a package: every module in it) whose rule kinds a profile may name.

See helpers/data/report_profile/registry.py.
"""
SECTION_TYPE_PLUGINS = ("helpers.report.section_types",)
"""Modules whose section types a profile may name; imported by name, so the data layer imports no higher layer."""


@dataclass(frozen=True)
class Settings:
    """Tunable thresholds of the analysis (the design calls them settings)."""

    on_pace_tolerance_pp: float = 1.0
    bottom_n: int = 3
    min_visits_per_village: int = 8
    """The minimum of a village_monthly_minimum rule whose profile entry states none (民情恳谈 ≥ 8)."""
    approximate_counts: bool = True


SETTINGS = Settings()
