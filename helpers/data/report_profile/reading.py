"""Reading a township's report.yaml, else the bundled default_report.yaml; the bundled profile, read once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from helpers.data.reading.yaml_files import read_yaml, read_yaml_file
from helpers.data.report_profile.checking import parse_profile
from helpers.data.report_profile.model import ReportProfile
from helpers.exceptions import Problem

REPORT_FILE = "report.yaml"
DEFAULT_FILE = Path(__file__).resolve().parent / "default_report.yaml"
WHAT = "报告结构"
"""What a report.yaml holds, for the message on a hostile nesting or size."""


@lru_cache(maxsize=1)
def _default_text() -> str:
    return DEFAULT_FILE.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def default_profile() -> ReportProfile:
    """The bundled profile (the reference report's structure), not checked against any indicators table.

    Read once per process: treat it (and its parameter mappings) as read-only.
    """
    data, lines, _ = read_yaml(_default_text(), DEFAULT_FILE.name, WHAT)
    profile, problems = parse_profile(data, lines, DEFAULT_FILE.name)
    if problems:  # a broken bundled file is a bug of the package, not of the user's data
        raise RuntimeError("\n".join(map(str, problems)))
    return profile


def read_report_yaml(folder: Path) -> tuple[object, dict[str, int], str, list[Problem]]:
    """The folder's report.yaml (or the bundled default) parsed: (data, lines, source name, problems)."""
    path = Path(folder) / REPORT_FILE
    if not path.exists():
        data, lines, problems = read_yaml(_default_text(), DEFAULT_FILE.name, WHAT)
        return data, lines, DEFAULT_FILE.name, problems
    data, lines, problems = read_yaml_file(path, WHAT)
    return data, lines, REPORT_FILE, problems
