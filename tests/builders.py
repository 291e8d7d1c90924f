"""Build small Township objects in code, typed exactly as helpers.data.township loads them from files.

Rows are tuples in the column order of ``helpers.data.schema`` (or dicts keyed by column id); values may be
strings, numbers, Periods or None (empty cell). They go through the loader's own text → type conversion,
so a fixture township has the same dtypes as a loaded one.

    tw = make_township(
        indicators=[("sales", "economy", "销售额", "万元", "flow", "higher")],
        monthly=[("2018-01", None, "sales", 10), ("2018-03", "甲村", "sales", 5)],
        targets=[(2018, "sales", 120)],
    )
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from helpers.analysis.rules import RuleResult, rule_checks, run_rule
from helpers.config import SETTINGS
from helpers.data.periods import as_month
from helpers.data.reading.raw_tables import rows_to_raw
from helpers.data.reading.yaml_files import read_yaml
from helpers.data.report_profile.checking import parse_profile
from helpers.data.report_profile.model import ReportProfile
from helpers.data.report_profile.reading import default_profile
from helpers.data.schema import TABLES, TABLES_BY_NAME
from helpers.data.township import Township, typed
from helpers.data.validation import validate_tables
from helpers.exceptions import DataValidationError

DEFAULT_INFO = {
    "name": "测试镇", "county": "测试县", "distance_to_county_km": 10, "area_km2": 50.0,
    "town_area_km2": 1.0, "population": 6000, "poverty_line_yuan": {2018: 3600},
}
DEFAULT_VILLAGES = [
    ("甲村", "第一党总支", "村", 1000, "是", 2018),
    ("乙村", "第一党总支", "村", 2000, "否", None),
    ("丙社区", "第二党总支", "社区", 3000, "否", None),
]
DEFAULT_INDICATORS = [
    ("output", "economy", "产值", "万元", "flow", "higher"),
    ("firms", "economy", "企业", "家", "stock", "higher"),
    ("accidents", "safety", "安全事故", "起", "flow", "lower"),
]

Rows = Iterable[tuple | Mapping] | pd.DataFrame | None


def cell(value) -> str:
    """One value as the text a user would have typed in the CSV."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text_rows(name: str, rows: Rows) -> list[list[str]]:
    """Header + rows of strings for table ``name``."""
    ids = [c.id for c in TABLES_BY_NAME[name].columns]
    if rows is None:
        rows = []
    elif isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    body = []
    for row in rows:
        values = [row.get(c) for c in ids] if isinstance(row, Mapping) else list(row) + [None] * (len(ids) - len(row))
        body.append([cell(v) for v in values[: len(ids)]])
    return [ids, *body]


def make_township(indicators: Rows = None, monthly: Rows = None, targets: Rows = None, villages: Rows = None,
                  *, projects: Rows = None, project_progress: Rows = None, households: Rows = None,
                  petitions: Rows = None, rectifications: Rows = None, events: Rows = None,
                  highlights: Rows = None, info: dict | None = None, township_id: str = "fixture",
                  validate: bool = False, report: ReportProfile | str | None = None) -> Township:
    """A Township from a few rows per table; omitted tables are empty, villages and indicators have defaults.

    ``report`` is the report profile: a ReportProfile, the text of a report.yaml (checked against the
    indicators given), or None for the bundled default. With ``validate=True`` the text tables first go
    through the loader's validation (DataValidationError).
    """
    given = {
        "villages": DEFAULT_VILLAGES if villages is None else villages,
        "indicators": DEFAULT_INDICATORS if indicators is None else indicators,
        "targets": targets, "monthly": monthly, "projects": projects, "project_progress": project_progress,
        "households": households, "petitions": petitions, "rectifications": rectifications, "events": events,
        "highlights": highlights,
    }
    raw = {}
    for table in TABLES:
        found, _ = rows_to_raw(table, text_rows(table.name, given[table.name]), table.file)
        raw[table.name] = found
    info = dict(DEFAULT_INFO if info is None else info)
    if isinstance(report, str):
        report = report_profile(report, {row[0] for row in text_rows("indicators", given["indicators"])[1:]})
    report = report or default_profile()
    if validate:
        problems = validate_tables(raw, info, report)
        if problems:
            raise DataValidationError(problems)
    frames = {name: typed(table, report) for name, table in raw.items()}
    return Township(id=township_id, info=info, source=Path("."), report=report, **frames)


def report_profile(text: str, indicators: set[str] | None = None) -> ReportProfile:
    """A report profile from the text of a report.yaml; DataValidationError listing its problems."""
    data, lines, problems = read_yaml(text, "report.yaml")
    profile, found = (None, []) if problems else parse_profile(data, lines, "report.yaml", indicators)
    if problems or found:
        raise DataValidationError(problems + found)
    return profile


ONE_AREA = """\
areas:
  - {id: work, heading: 工作, short: 工作, sections: [prose, rule_results]}
"""


def with_rule(rule: str) -> str:
    """A report.yaml of one area (work) and the one rule ``rule`` (the YAML lines of its entry)."""
    return ONE_AREA + "rules:\n  - " + rule.strip().replace("\n", "\n    ") + "\n"


def only_rule(rule: str, month: str = "2018-03", **tables) -> RuleResult:
    """The result at ``month`` of the single rule of a township whose profile states just ``rule``."""
    [result] = rule_checks(make_township(report=with_rule(rule), **tables), as_month(month))
    return result


def default_rule(rule_id: str):
    """The bundled profile's rule ``rule_id`` as a function of (township, month)."""
    return lambda tw, month, settings=SETTINGS: run_rule(tw, rule_id, as_month(month), settings)


def read_rows(path: Path) -> list[list[str]]:
    """A UTF-8 CSV file as rows of strings (header first), for tests that edit one cell."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def tree_hash(folder: Path) -> str:
    """A hash of every path and file content under ``folder`` (empty folders included)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()
