"""Every notebook runs top to bottom with papermill, for every month of the sample and for the fixture township.

explore.ipynb (outside the report) runs too, with its defaults, on both example townships and the fixture.
Executed in parallel kernels (two at a time on CI's two cores). A failing cell, any stderr output
(matplotlib's "Glyph … missing from font(s)" warning, "findfont: Font family … not found") or an
error output fails the test.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import papermill
import pytest

from helpers.config import DATA_DIR, NOTEBOOKS_DIR
from helpers.data.township import load_township
from helpers.pipeline.arguments import AREA_NOTEBOOK, OVERVIEW_NOTEBOOK, report_notebooks, township_notebooks

# Marked per test: the two structural checks read the notebooks without running them (fast subset).

SAMPLE_MONTHS = [f"2018-{m:02d}" for m in range(1, 9)]
FIXTURE_DATA_DIR = Path(__file__).resolve().parent / "fixtures" / "data"
EXPLORE = "explore.ipynb"
FONT_WARNINGS = ("Glyph", "missing from font", "findfont")
"""Matplotlib's font complaints, wherever they land (stderr is refused anyway, as are error outputs)."""


def report_notebooks_of(township: str, data_dir: Path = DATA_DIR) -> list[tuple[str, dict[str, str]]]:
    """The report's notebooks as the render runs them: the overview, then the area notebook once per area."""
    areas = load_township(data_dir, township).areas
    return [(OVERVIEW_NOTEBOOK, {})] + [(AREA_NOTEBOOK, {"area": area}) for area in areas]


def run(notebook: str, township: str, month: str, data_dir: str, out_dir: Path,
        extra: dict[str, str] | None = None) -> list[str]:
    """Execute one notebook; return the problems found in its outputs."""
    area = (extra or {}).get("area")
    notebook_label = f"{notebook}（area={area}）" if area else notebook
    out = out_dir / f"{township}-{month or 'latest'}-{area or ''}-{notebook}"
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / notebook), str(out),
            parameters={"township": township, "month": month, "data_dir": data_dir, **(extra or {})},
            kernel_name="python3", progress_bar=False, log_output=False, cwd=str(NOTEBOOKS_DIR),
        )
    except Exception as exc:  # papermill raises PapermillExecutionError with the cell's traceback
        return [f"{notebook_label} {township} {month}: {type(exc).__name__}: {str(exc)[:500]}"]
    problems = []
    for index, cell in enumerate(nbformat.read(out, as_version=4).cells):
        for output in cell.get("outputs", []):
            text = json.dumps(output, ensure_ascii=False)
            if output.get("output_type") == "error" or (output.get("name") == "stderr"):
                problems.append(f"{notebook_label} {township} {month} cell {index}: {text[:300]}")
            elif any(word in text for word in FONT_WARNINGS):
                problems.append(f"{notebook_label} {township} {month} cell {index}: {text[:300]}")
    return problems


def run_all(jobs: list[tuple[str, str, str, str, dict[str, str]]], out_dir: Path) -> list[str]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda job: run(*job[:4], out_dir, job[4]), jobs)
    return [p for found in results for p in found]


def test_the_five_notebooks_exist_in_report_order(tmp_path):
    """One source per notebook: the overview, and the area notebook the render runs once per area."""
    assert [p.name for p in report_notebooks(NOTEBOOKS_DIR)] == [OVERVIEW_NOTEBOOK]
    sample = load_township(DATA_DIR, "sample")
    assert [p.name for p in township_notebooks(NOTEBOOKS_DIR, sample, tmp_path)] == [
        "00_overview.ipynb", "10_party.ipynb", "20_economy.ipynb", "30_livelihood.ipynb", "40_safety.ipynb"]


def test_each_notebook_has_one_typed_parameters_cell():
    for name in [OVERVIEW_NOTEBOOK, AREA_NOTEBOOK]:
        nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        lines = [line for line in tagged[0].source.splitlines() if line.strip()]
        expected = ["township", "month", "data_dir"] + ([] if name == "00_overview.ipynb" else ["area"])
        assert [line.split(":")[0] for line in lines] == expected, name
        assert all(": str = " in line and "#" in line for line in lines), name
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), name


@pytest.mark.notebook
def test_notebooks_run_for_every_sample_month(tmp_path):
    jobs = [(nb, "sample", month, "", extra) for month in SAMPLE_MONTHS for nb, extra in report_notebooks_of("sample")]
    assert run_all(jobs, tmp_path) == []


@pytest.mark.notebook
def test_notebooks_run_with_their_defaults_and_on_the_fixture_township(tmp_path):
    jobs = [(nb, "sample", "", "", extra) for nb, extra in report_notebooks_of("sample")]
    jobs += [(nb, "mini", "", str(FIXTURE_DATA_DIR), extra)
             for nb, extra in report_notebooks_of("mini", FIXTURE_DATA_DIR)]
    assert run_all(jobs, tmp_path) == []


@pytest.mark.notebook
def test_the_generic_area_notebook_runs_for_every_area_of_the_second_example(tmp_path):
    jobs = [(AREA_NOTEBOOK, "qingshi", "", "", {"area": area}) for area in load_township(DATA_DIR, "qingshi").areas]
    assert run_all(jobs, tmp_path) == []


def parameter_lines(name: str) -> list[str]:
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, name
    return [line for line in tagged[0].source.splitlines() if line.strip()]


def test_explore_is_beside_the_report_not_in_it():
    assert (NOTEBOOKS_DIR / EXPLORE).is_file()
    assert EXPLORE not in {p.name for p in report_notebooks(NOTEBOOKS_DIR)}


def test_explore_follows_the_notebook_skeleton():
    nb = nbformat.read(NOTEBOOKS_DIR / EXPLORE, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "from helpers.report import explore" in nb.cells[1].source
    lines = parameter_lines(EXPLORE)
    assert [line.split(":")[0] for line in lines][:3] == ["township", "month", "data_dir"]
    assert {"indicator", "village", "quarter"} <= {line.split(":")[0] for line in lines}
    assert all(": str = " in line and "  # " in line for line in lines)


@pytest.mark.notebook
def test_explore_runs_with_its_defaults_on_both_example_townships_and_the_fixture_township(tmp_path):
    outputs = tmp_path / "outputs"  # the one default changed: its Excel example writes here, not into outputs/
    jobs = [("sample", ""), ("qingshi", ""), ("mini", str(FIXTURE_DATA_DIR))]
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = pool.map(lambda job: run(EXPLORE, job[0], "", job[1], tmp_path, {"out_dir": str(outputs)}), jobs)
    assert [p for problems in found for p in problems] == []
    written = sorted(p.relative_to(outputs).parts[0] for p in outputs.glob("*/explore/*.xlsx"))
    assert written == ["mini", "qingshi", "sample"]
