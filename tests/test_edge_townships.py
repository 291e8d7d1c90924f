"""Validate is the render's gate: edge-case townships that pass validation must render, with no nan/None/inf.

Each township is a copy of the sample reshaped into one edge case (January only, no targets, no previous year,
one village, every optional table empty, and a month in which one figure is not reported while a rate and a
zero ceiling are tracked). All render in one ``python -m helpers render --township all`` for January 2018.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest_proof import copy_sample, run_render

from tests.builders import read_rows, write_rows

pytestmark = pytest.mark.e2e
MONTH = "2018-01"
LEAKED = re.compile(r"(?<![A-Za-z])(nan|none|inf|NaT)(?![A-Za-z])", re.IGNORECASE)
OPTIONAL = ("households.csv", "petitions.csv", "rectifications.csv", "projects.csv", "project_progress.csv",
            "highlights.csv")


def keep(folder: Path, file: str, predicate) -> None:
    """Keep the header and the rows of ``file`` for which ``predicate(row as dict)`` holds."""
    rows = read_rows(folder / file)
    write_rows(folder / file, [rows[0]] + [r for r in rows[1:] if predicate(dict(zip(rows[0], r, strict=True)))])


def change(folder: Path, file: str, fn) -> None:
    """Rewrite each data row of ``file`` through ``fn(row as dict) -> dict``."""
    rows = read_rows(folder / file)
    out = [fn(dict(zip(rows[0], r, strict=True))) for r in rows[1:]]
    write_rows(folder / file, [rows[0]] + [[r[h] for h in rows[0]] for r in out])


def january_only(folder: Path) -> None:
    keep(folder, "monthly.csv", lambda r: r["month"] == MONTH)
    change(folder, "households.csv", lambda r: {**r, "exited": r["exited"] if r["exited"] <= MONTH else ""})


def no_targets(folder: Path) -> None:
    keep(folder, "targets.csv", lambda r: False)


def no_previous_year(folder: Path) -> None:
    keep(folder, "monthly.csv", lambda r: r["month"] >= "2018-01")


def one_village(folder: Path) -> None:
    first = read_rows(folder / "villages.csv")[1][0]
    keep(folder, "villages.csv", lambda r: r["village"] == first)
    keep(folder, "monthly.csv", lambda r: r["village"] in ("", first))
    for file in ("households.csv", "petitions.csv", "rectifications.csv"):
        change(folder, file, lambda r: {**r, "village": first})
    change(folder, "projects.csv", lambda r: {**r, "villages": first if r["villages"] else ""})


def optional_tables_empty(folder: Path) -> None:
    for file in OPTIONAL:
        keep(folder, file, lambda r: False)


def unreported_rate_and_zero_ceiling(folder: Path) -> None:
    keep(folder, "monthly.csv", lambda r: not (r["month"] == MONTH and r["indicator"] == "fixed_asset_investment"))
    change(folder, "monthly.csv", lambda r: {**r, "value": "1"} if (r["month"], r["indicator"]) == (
        MONTH, "safety_accidents") else r)
    change(folder, "targets.csv", lambda r: {**r, "target": "0"} if (r["year"], r["indicator"]) == (
        "2018", "safety_accidents") else r)
    with (folder / "indicators.csv").open("a", encoding="utf-8") as f:
        f.write("hotline_rate,safety,12345热线办结率,%,rate,higher,\n")
    with (folder / "targets.csv").open("a", encoding="utf-8") as f:
        f.write("2018,hotline_rate,98\n")
    with (folder / "monthly.csv").open("a", encoding="utf-8") as f:
        f.write("2017-12,,hotline_rate,97\n2018-01,,hotline_rate,95.5\n")


EDGE_CASES = {"jan_only": january_only, "no_targets": no_targets, "no_previous_year": no_previous_year,
              "one_village": one_village, "optional_empty": optional_tables_empty,
              "unreported": unreported_rate_and_zero_ceiling}


class Text(HTMLParser):
    """The visible text of a page: everything outside <script> and <style>."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    parser = Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def test_edge_case_townships_render_without_leaked_values(tmp_path):
    data_dir = tmp_path / "data"
    for name, shape in EDGE_CASES.items():
        shape(copy_sample(data_dir, name))
    out = tmp_path / "outputs"
    result = run_render("--data-dir", str(data_dir), "--township", "all", "--month", MONTH, "--out", str(out),
                        "--jobs", "2")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    texts = {}
    for name in EDGE_CASES:
        report = out / name / MONTH / "report.html"
        assert report.is_file(), name
        texts[name] = visible_text(report)
        leaked = sorted({m.group(0) for m in LEAKED.finditer(texts[name])})
        assert not leaked, (name, leaked)
    unreported = texts["unreported"]
    assert "未报" in unreported and "-100.0%" not in unreported
    assert "12345热线办结率" in unreported and "比目标98%低2.5个百分点" in unreported
    assert "超出年度控制目标0起" not in unreported and "全年控制在0起以内，已发生1起" in unreported
