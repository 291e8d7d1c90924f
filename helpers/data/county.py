"""A county: the townships whose township.yaml names it, found in a data folder and loaded together."""

from __future__ import annotations

from pathlib import Path

from helpers.data.reading.township_folder import read_township_info
from helpers.data.schema import INFO_FILE
from helpers.data.township import Township, load_township
from helpers.exceptions import DataValidationError, Problem


def township_counties(data_dir: Path | str) -> dict[str, str]:
    """Township id -> the county its township.yaml names, for every township folder in ``data_dir``.

    A township.yaml that cannot be read is left out here; loading the township reports it in full.
    """
    found = {}
    for path in sorted(Path(data_dir).glob(f"*/{INFO_FILE}")):
        if path.parent.name.startswith("."):
            continue
        info, _problems = read_township_info(path.parent)
        county = str((info or {}).get("county") or "").strip()
        if county:
            found[path.parent.name] = county
    return found


def county_townships(data_dir: Path | str, county: str) -> list[str]:
    """The ids of the townships of ``county``; a DataValidationError naming the known counties if none."""
    counties = township_counties(data_dir)
    members = [t for t, c in counties.items() if c == county]
    if not members:
        known = "、".join(sorted(set(counties.values()))) or "（无）"
        raise DataValidationError([Problem("--county", None, None, county,
                                           f"数据目录 {data_dir} 中没有属于该县的乡镇；已有的县：{known}")])
    return members


def load_county(data_dir: Path | str, county: str) -> list[Township]:
    """Load and validate every township of ``county``; every problem of every township at once."""
    townships, problems = [], []
    for name in county_townships(data_dir, county):
        try:
            townships.append(load_township(data_dir, name))
        except DataValidationError as exc:
            problems += [Problem(p.file if p.file.startswith(name) else f"{name}/{p.file}", p.row, p.column,
                                 p.value, p.reason) for p in exc.problems]
    if problems:
        raise DataValidationError(problems)
    return townships
