"""Loading a township: read, validate (all problems at once), and return typed tables."""

from __future__ import annotations

import copy
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.config import DATA_DIR, DEFAULT_TOWNSHIP
from helpers.data.normalise import normalise_tables
from helpers.data.reading.raw_tables import RawTable
from helpers.data.reading.township_folder import read_folder
from helpers.data.report_profile.checking import parse_profile
from helpers.data.report_profile.model import Naming, ReportProfile, resolve_naming
from helpers.data.report_profile.reading import REPORT_FILE, default_profile, read_report_yaml
from helpers.data.schema import REF_AREA, REF_HIGHLIGHT_AREA, REF_VILLAGES, TABLES, Table
from helpers.data.validation import area_id, key_set, month_key, month_problem, validate_tables
from helpers.exceptions import DataValidationError, Problem

TOWNSHIP_NAME_RE = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff.-]{0,63}$")


@dataclass
class Township:
    """One township's township.yaml and tables, typed: months are periods, 是/否 booleans, numbers numeric."""

    id: str
    info: dict
    """township.yaml's fields (name, county, population …)."""
    villages: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    monthly: pd.DataFrame
    projects: pd.DataFrame
    project_progress: pd.DataFrame
    households: pd.DataFrame
    petitions: pd.DataFrame
    rectifications: pd.DataFrame
    events: pd.DataFrame
    highlights: pd.DataFrame
    source: Path = field(default=Path("."))
    report: ReportProfile = field(default_factory=default_profile)
    """The report profile: the folder's report.yaml, else the bundled default."""

    @property
    def naming(self) -> Naming:
        """How the report names the township (report.yaml over township.yaml over defaults)."""
        return resolve_naming(self.report, self.info)

    @property
    def areas(self) -> dict[str, str]:
        """Work areas in report order: id -> short name."""
        return self.report.area_names

    @property
    def name(self) -> str:
        return str(self.info.get("name", self.id))

    @property
    def months(self) -> list[pd.Period]:
        """The months the monthly table holds, in order."""
        return sorted(self.monthly["month"].unique())

    @property
    def last_month(self) -> pd.Period:
        return self.months[-1]


def check_township_name(township: str) -> Problem | None:
    """A township id is a folder name: no path separators, no '..', nothing hidden."""
    if not TOWNSHIP_NAME_RE.fullmatch(township or "") or ".." in township:
        return Problem("--township", None, None, township,
                       "乡镇名称只能由字母、数字、汉字、“-”“_”“.”组成，不能含路径")
    return None


def township_folder(data_dir: Path | str, township: str) -> Path:
    """The folder of a township, or a DataValidationError saying why there is none."""
    problem = check_township_name(township)
    if problem:
        raise DataValidationError([problem])
    folder = Path(data_dir) / township
    if not Path(data_dir).is_dir():
        reason = "数据目录是一个文件，不是文件夹" if Path(data_dir).exists() else "数据目录不存在"
        raise DataValidationError([Problem(str(data_dir), None, None, None, reason)])
    if not folder.is_dir():
        reason = "乡镇数据目录是一个文件，不是文件夹" if folder.exists() else "乡镇数据目录不存在"
        raise DataValidationError([Problem(str(folder), None, None, None, reason)])
    try:
        next(folder.iterdir(), None)
    except PermissionError:
        raise DataValidationError([Problem(str(folder), None, None, None, "没有读取该目录的权限")]) from None
    return folder


def typed(raw: RawTable, report: ReportProfile | None = None) -> pd.DataFrame:
    """Convert a validated text table to proper dtypes (areas and extended choices from ``report``)."""
    report = report or default_profile()
    areas, highlight_areas = report.area_names, report.highlight_areas
    extended = {("events", "type"): report.event_types, ("project_progress", "stage"): report.project_stages}
    table: Table = raw.table
    normalise_tables({table.name: raw})
    frame = raw.frame.reset_index(drop=True).copy()
    for col in table.columns:
        values = frame[col.id] if col.id in frame.columns else pd.Series([""] * len(frame), dtype=object)
        empty = values == ""
        if col.kind == "int":
            out = pd.to_numeric(values.where(~empty), errors="coerce").astype("Int64")
        elif col.kind == "number":
            out = pd.to_numeric(values.where(~empty), errors="coerce").astype("float64")
        elif col.kind == "month":
            out = pd.PeriodIndex([month_key(v) if v else None for v in values], freq="M")
            out = pd.Series(out, index=frame.index)
        elif col.kind == "date":
            out = pd.to_datetime(values.where(~empty), format="%Y-%m-%d", errors="coerce")
        elif col.kind == "bool":
            out = values == "是"
        elif col.kind == REF_AREA:
            out = pd.Categorical([area_id(v, areas) for v in values], categories=list(areas))
        elif col.kind == REF_HIGHLIGHT_AREA:
            out = pd.Categorical([area_id(v, highlight_areas) for v in values], categories=list(highlight_areas))
        elif col.kind == REF_VILLAGES:
            out = pd.Series([[x.strip() for x in v.split("、") if x.strip()] for v in values], index=frame.index,
                            dtype=object)
        elif col.kind == "choice":
            out = pd.Categorical(values.where(~empty, None),
                                 categories=list(extended.get((table.name, col.id), col.allowed)))
        else:
            out = values.where(~empty, None).astype("string") if not col.required else values.astype("string")
        frame[col.id] = out
    if table.name == "events":
        frame["quantity"] = frame["quantity"].fillna(1)
    return frame[[c.id for c in table.columns]]  # the contract's order, whatever order the file had


def load_township(data_dir: Path | str = DATA_DIR, township: str = DEFAULT_TOWNSHIP,
                  month: str | None = None) -> Township:
    """Load and validate ``data_dir/township``; raise DataValidationError listing every problem.

    With ``month`` (YYYY-MM), that month must be one the data holds.
    """
    folder = township_folder(data_dir, township)
    tables, info, problems = read_folder(folder)
    report, report_problems = load_report(folder, tables)
    problems += validate_tables(tables, info, report)
    problems += report_problems
    if not problems and month is not None:
        months = sorted({month_key(m) for m in tables["monthly"].frame["month"]})
        found = month_problem(month, months)
        if found:
            problems.append(found)
    if problems:
        raise DataValidationError(problems)
    frames = {t.name: typed(tables[t.name], report) for t in TABLES}
    return Township(id=township, info=dict(info), source=folder, report=report, **frames)


def load_report(folder: Path, tables: dict[str, RawTable]) -> tuple[ReportProfile | None, list[Problem]]:
    """The folder's report profile, checked against its indicators (the bundled default is not)."""
    data, lines, source, problems = read_report_yaml(folder)
    if problems:
        return None, problems  # not YAML at all: the tables' areas are not checked (they would all fail)
    indicators = key_set(tables.get("indicators"), "indicator") if source == REPORT_FILE else None
    return parse_profile(data, lines, source, indicators)


_LOADED: dict[tuple, Township] = {}
"""Townships loaded in this process, by folder and the state of its files (see load_township_cached)."""
CACHED_TOWNSHIPS = 8


def folder_state(folder: Path) -> tuple:
    """Name, size and modification time (ns) of each file in ``folder``: changes whenever a table is edited."""
    entries = []
    for path in sorted(Path(folder).iterdir()):
        if not path.name.startswith(".") and path.is_file():
            stat = path.stat()
            entries.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


def cache_key(data_dir: Path | str, township: str) -> tuple | None:
    """What a loaded township is cached under: its folder and the state of its files (taken before reading).

    None when the folder cannot be listed (loading it then says why).
    """
    folder = township_folder(data_dir, township)
    try:
        return (str(folder.resolve()), township, folder_state(folder))
    except OSError:
        return None


def load_township_cached(data_dir: Path | str = DATA_DIR, township: str = DEFAULT_TOWNSHIP,
                         month: str | None = None) -> Township:
    """:func:`load_township`, done once per process while the folder's files stay as they were.

    A warm kernel runs every notebook of every month of a township: it reads and validates the data once,
    or not at all when the render's parent handed it the township it validated (:func:`adopt_loaded`).
    Each caller gets its own copy, so a notebook that changed a frame cannot change the next one's data.
    """
    key = cache_key(data_dir, township)
    if key is None:
        return load_township(data_dir, township, month)
    if key not in _LOADED:
        _remember(key, load_township(data_dir, township))
    tw = _LOADED[key]
    if month is not None:
        found = month_problem(month, [str(m) for m in tw.months])
        if found:
            raise DataValidationError([found])
    return copy.deepcopy(tw)


def _remember(key: tuple, tw: Township) -> None:
    _LOADED.pop(key, None)
    while len(_LOADED) >= CACHED_TOWNSHIPS:
        _LOADED.pop(next(iter(_LOADED)))  # the oldest first
    _LOADED[key] = tw


def share_loaded(loaded: dict[tuple, Township], path: Path) -> None:
    """Write townships already loaded and validated (by :func:`cache_key`) for other processes to adopt.

    The render's parent validates every township before anything runs; its workers and their kernels
    adopt the result instead of reading and validating the same files again (about a second each).
    """
    with open(path, "wb") as f:
        pickle.dump(loaded, f, protocol=pickle.HIGHEST_PROTOCOL)


_ADOPTED: set[str] = set()


def adopt_loaded(path: Path | str) -> None:
    """Take the townships :func:`share_loaded` wrote into this process's cache (once per file).

    An entry whose files have changed since is never used: its key holds the files' state as it was.
    The file is one this project's own render wrote into its private work folder.
    """
    path = str(path)
    if path in _ADOPTED:
        return
    with open(path, "rb") as f:
        loaded = pickle.load(f)  # noqa: S301 - written by the same render, in a folder only it uses
    for key, tw in loaded.items():
        _remember(key, tw)
    _ADOPTED.add(path)
