"""Safety of what a render writes: data is text, never markup, formula, path or code.

One render of a poisoned copy of the sample: every free-text column of every table (village and branch names,
indicator names and units, project names and categories, event titles, highlights, petition topics,
rectification categories, names and results, the township's name and county) carries ``<script>``,
``<img src=x onerror=…>``, ``"><svg onload=…>`` and a ``javascript:`` Markdown link, each tagged with its column,
and text that a spreadsheet would take for a formula. The data folder's own path holds Python code in quotes,
so a parameter pasted into a notebook unescaped would run it. The report must parse with no script, no event
handler attribute, no ``javascript:`` URL, and show each payload as plain text; summary.xlsx holds no formula;
nothing is written outside the outputs folder. Township names and months that are paths or code are
refused before anything executes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest_proof import SAMPLE_MONTH, copy_sample, run_render, tree_digest, tree_listing

from helpers.cli import EXIT_INVALID
from helpers.exceptions import DataValidationError
from tests.builders import read_rows, write_rows

# Marked per test: the two in-process checks (escaping in display tables, refusal before papermill) are fast.

FORMULA_STARTS = ("=", "+", "-", "@")
CODE_DIR_NAME = "d'q\"; raise SystemExit(7) #"
"""A data folder name that is Python code if pasted into a notebook between either kind of quotes."""


def payload(tag: str) -> str:
    """Markup that would run script if it reached the HTML unescaped; ``tag`` names where it came from."""
    return (f'<script>alert("{tag}")</script><img src=x onerror=alert("{tag}")>"><svg onload=alert("{tag}")>'
            f'[点我](javascript:alert("{tag}"))')


PAYLOAD_PARTS = ('<script>alert("{tag}")</script>', '<img src=x onerror=alert("{tag}")>',
                 '"><svg onload=alert("{tag}")>')


# --- poisoning a copy of the sample ----------------------------------------------------------------------

FREE_TEXT = {
    "villages.csv": ("branch",),
    "indicators.csv": ("name", "unit"),
    "projects.csv": ("name", "category"),
    "events.csv": ("title",),
    "highlights.csv": ("text",),
    "petitions.csv": ("topic",),
    "rectifications.csv": ("category", "name", "result"),
}
"""Free-text columns, poisoned in every row (village names are renamed everywhere they are referred to)."""

VILLAGE_REFS = {"monthly.csv": "village", "households.csv": "village", "petitions.csv": "village",
                "rectifications.csv": "village"}
SHOWN = ("villages.village", "villages.branch", "indicators.name", "indicators.unit", "projects.name",
         "projects.category", "highlights.text", "rectifications.category", "rectifications.name",
         "rectifications.result", "township.name", "township.county")
"""Columns the sample's report shows (tables, prose, cover); each payload must be visible there as text.

Event titles and petition topics are poisoned too but the sample's report does not show them (it counts
events and petitions): they are covered by the checks that nothing reaches the markup."""




def formula_start(i: int) -> str:
    return FORMULA_STARTS[i % len(FORMULA_STARTS)]


def poison(folder: Path) -> dict[str, str]:
    """Write the payloads into the township folder; returns {village: poisoned village} for the renames."""
    rows = read_rows(folder / "villages.csv")
    renamed = {r[0]: f"{r[0]}{payload('villages.village')}" for r in rows[1:]}
    for row in rows[1:]:
        row[0] = renamed[row[0]]
    write_rows(folder / "villages.csv", rows)
    for file, column in VILLAGE_REFS.items():
        rows = read_rows(folder / file)
        c = rows[0].index(column)
        for row in rows[1:]:
            row[c] = renamed.get(row[c], row[c])
        write_rows(folder / file, rows)
    rows = read_rows(folder / "projects.csv")
    c = rows[0].index("villages")
    for row in rows[1:]:
        row[c] = "、".join(renamed.get(v, v) for v in row[c].split("、")) if row[c] else ""
    write_rows(folder / "projects.csv", rows)

    for file, columns in FREE_TEXT.items():
        rows = read_rows(folder / file)
        for column in columns:
            c = rows[0].index(column)
            tag = f"{file.removesuffix('.csv')}.{column}"
            for i, row in enumerate(rows[1:]):
                if not row[c]:
                    continue
                text = row[c] + payload(tag)
                if file == "indicators.csv":  # shown in summary.xlsx: make a spreadsheet see formulas
                    text = formula_start(i) + ('HYPERLINK("http://evil.invalid","' if column == "name" else "1+") + text
                row[c] = text
        write_rows(folder / file, rows)

    profile = yaml.safe_load((folder / "township.yaml").read_text(encoding="utf-8"))
    profile["name"] = "=XX镇" + payload("township.name") + "/../../逃逸"
    profile["county"] = "@XX县" + payload("township.county")
    (folder / "township.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    return renamed


# --- reading the HTML ------------------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag with its attributes, the text of <script> elements, and the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in.append(tag)
            if tag == "script":
                self.scripts.append("")

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "script":
            self.scripts[-1] += data
        elif not self._in:
            self.text.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def url_attributes(tags) -> list[str]:
    return [v for _, attrs in tags for k, v in attrs.items() if k in ("href", "src", "action", "formaction") and v]


# --- the poisoned render -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """(root folder, outputs folder, listing of root before) after rendering the poisoned sample once."""
    root = tmp_path_factory.mktemp("poisoned")
    data_dir = root / CODE_DIR_NAME
    poison(copy_sample(data_dir))
    out = root / "outputs"
    before = tree_listing(root)
    result = run_render("--data-dir", str(data_dir), "--township", "sample", "--month", SAMPLE_MONTH,
                        "--out", str(out), "--jobs", "2")
    assert result.returncode == 0, f"the poisoned sample did not render:\n{result.stdout}\n{result.stderr}"
    return root, out, before


@pytest.fixture(scope="module")
def report(poisoned) -> Elements:
    _, out, _ = poisoned
    return parse((out / "sample" / SAMPLE_MONTH / "report.html").read_text(encoding="utf-8"))


@pytest.mark.e2e
def test_report_has_no_script_element(report):
    assert report.scripts == [], f"{len(report.scripts)} <script> elements, e.g. {report.scripts[:2]}"


@pytest.mark.e2e
def test_report_has_no_event_handler_attribute(report):
    handlers = [(tag, k, v) for tag, attrs in report.tags for k, v in attrs.items() if k.lower().startswith("on")]
    assert handlers == []


@pytest.mark.e2e
def test_report_has_no_injected_elements_or_urls(report):
    assert not [a for t, a in report.tags if t == "svg" and "onload" in a]
    assert not [a for t, a in report.tags if t == "img" and a.get("src") == "x"]
    bad = [u for u in url_attributes(report.tags) if re.match(r"\s*(javascript|vbscript):", u, re.IGNORECASE)]
    assert bad == []
    outside = [u for u in url_attributes(report.tags) if re.match(r"\s*(https?:)?//", u, re.IGNORECASE)]
    assert outside == [], "the report must not point outside itself"


@pytest.mark.e2e
def test_every_payload_shown_is_shown_as_text(report):
    text = "".join(report.text)
    shown: dict[str, list[str]] = defaultdict(list)
    for tag in [*(f"{f.removesuffix('.csv')}.{c}" for f, cs in FREE_TEXT.items() for c in cs),
                "villages.village", "township.name", "township.county"]:
        for part in PAYLOAD_PARTS:
            if part.format(tag=tag) in text:
                shown[tag].append(part)
    missing = [tag for tag in SHOWN if len(shown[tag]) != len(PAYLOAD_PARTS)]
    assert missing == [], f"payloads not shown intact as text for {missing}; shown: {dict(shown)}"


@pytest.mark.e2e
def test_payload_fragments_never_reach_the_markup(report):
    # any of our tags' alert() calls appears only in text, never in an attribute value or a tag
    for tag, attrs in report.tags:
        for k, v in attrs.items():
            assert "alert(" not in (v or ""), (tag, k, v)
            assert not k.startswith("alert")


@pytest.mark.e2e
def test_index_page_shows_the_poisoned_township_name_as_text(poisoned):
    _, out, _ = poisoned
    index = parse((out / "index.html").read_text(encoding="utf-8"))
    assert index.scripts == []
    assert [k for _, attrs in index.tags for k in attrs if k.lower().startswith("on")] == []
    text = "".join(index.text)
    assert all(part.format(tag="township.name") in text for part in PAYLOAD_PARTS), text[:500]


def test_display_tables_escape_captions_headers_and_list_cells():
    import pandas as pd

    from helpers.report.tables import display_table

    frame = pd.DataFrame({"name": [payload("cell")], "villages": [[payload("list"), "乙村"]]})
    html = display_table(frame, {"name": (payload("header"), "text"), "villages": ("涉及村", "list")},
                         caption=payload("caption")).to_html()
    found = parse(html)
    assert found.scripts == [] and not [t for t, _ in found.tags if t in ("img", "svg")]
    text = "".join(found.text)
    for tag in ("cell", "list", "header", "caption"):
        assert all(part.format(tag=tag) in text for part in PAYLOAD_PARTS), tag


@pytest.mark.e2e
def test_summary_workbook_holds_no_formula(poisoned):
    import openpyxl

    _, out, _ = poisoned
    book = openpyxl.load_workbook(out / "sample" / SAMPLE_MONTH / "summary.xlsx")
    formulas, leading = [], []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{sheet.title}!{cell.coordinate}: {cell.value}")
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    leading.append(f"{sheet.title}!{cell.coordinate}: {cell.value[:30]}")
    assert formulas == []
    assert leading == [], "text starting with = + - @ must be neutralised"
    texts = [c.value for s in book.worksheets for r in s.iter_rows() for c in r if isinstance(c.value, str)]
    assert any(t.startswith("'=HYPERLINK") for t in texts), "the poisoned indicator names are not in the workbook"


@pytest.mark.e2e
def test_data_folder_path_with_code_is_passed_as_data(poisoned):
    # the fixture's render ran every notebook with that data_dir and exited 0: the code never ran
    root, out, _ = poisoned
    import nbformat

    for path in sorted((out / "sample" / SAMPLE_MONTH / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
        assert injected, f"{path.name} has no injected parameters cell"
        scope: dict = {}
        exec(compile(injected[0].source, path.name, "exec"), scope)  # noqa: S102 - our own render's cell
        assert scope["data_dir"] == str(root / CODE_DIR_NAME)


@pytest.mark.e2e
def test_nothing_written_outside_the_outputs_folder(poisoned):
    root, out, before = poisoned
    new = sorted(set(tree_listing(root)) - set(before))
    outside = [p for p in new if not (root / p).resolve().is_relative_to(out.resolve())]
    assert outside == []
    escaped = [p for p in tree_listing(out) if "逃逸" in p or ".." in Path(p).parts]
    assert escaped == [], "the township's display name must not become a path"


# --- arguments that are paths or code are refused before anything runs ------------------------------------

PATH_TOWNSHIPS = ["../../etc", "..", "../outside", "/tmp/abs", "sample/../../x", "a\\b", ".hidden", "sample/"]
CODE_ARGUMENTS = [
    ("--month", "2018-08\"; import os; os.system('touch PWNED') #"),
    ("--month", "2018-08'; raise SystemExit(7); '"),
    ("--month", "__import__('os').system('id')"),
    ("--months", "2018-01:2018-08\"; raise SystemExit(7) #"),
    ("--township", "sample\"; raise SystemExit(7) #"),
    ("--township", "sample';__import__('os').system('id');'"),
]


@pytest.mark.e2e
@pytest.mark.parametrize("township", PATH_TOWNSHIPS)
def test_township_that_is_a_path_cannot_write_outside(tmp_path, township):
    data_dir = tmp_path / "data"
    copy_sample(data_dir)
    out = tmp_path / "work" / "outputs"
    out.mkdir(parents=True)
    before = tree_digest(tmp_path)
    result = run_render("--data-dir", str(data_dir), "--township", "sample", "--township", township,
                        "--month", SAMPLE_MONTH, "--out", str(out))
    assert result.returncode == EXIT_INVALID, result.stderr
    assert "乡镇名称" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(tmp_path) == before  # not even the valid township was rendered


@pytest.mark.e2e
@pytest.mark.parametrize(("option", "value"), CODE_ARGUMENTS)
def test_code_in_an_argument_is_refused_through_the_command_line(tmp_path, option, value):
    data_dir = tmp_path / "data"
    copy_sample(data_dir)
    out = tmp_path / "outputs"
    args = ["--data-dir", str(data_dir), "--out", str(out), option, value]
    if option != "--township":
        args += ["--township", "sample"]
    result = run_render(*args, cwd=tmp_path)
    assert result.returncode == EXIT_INVALID, f"{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr and re.search(r"[\u4e00-\u9fff]", result.stderr)
    assert not out.exists() and not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(("option", "value"), CODE_ARGUMENTS)
def test_code_in_an_argument_is_refused_before_papermill(tmp_path, monkeypatch, option, value):
    import papermill

    import helpers.pipeline.execute
    import helpers.pipeline.render

    def must_not_run(*args, **kwargs):
        raise AssertionError("a notebook was executed with an argument that is code")

    monkeypatch.setattr(papermill, "execute_notebook", must_not_run)
    monkeypatch.setattr(helpers.pipeline.execute, "execute_notebook", must_not_run, raising=False)
    data_dir = tmp_path / "data"
    copy_sample(data_dir)
    kwargs = {"data_dir": data_dir, "out": tmp_path / "outputs", "townships": ["sample"], "jobs": 1,
              "progress": False}
    key = {"--month": "month", "--months": "months", "--township": "townships"}[option]
    kwargs[key] = [value] if key == "townships" else value
    with pytest.raises(DataValidationError) as caught:
        helpers.pipeline.render.render(**kwargs)
    assert any(p.value and p.value in value for p in caught.value.problems), caught.value.problems
    assert not (tmp_path / "outputs").exists()


@pytest.mark.e2e
def test_outputs_folder_stays_clean_after_the_poisoned_render(poisoned):
    _, out, _ = poisoned
    leftovers = [p for p in tree_listing(out) if re.search(r"\.tmp-|\.old-|\.failed", p)]
    assert leftovers == []
