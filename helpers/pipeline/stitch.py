"""Stitching: merge the executed notebooks in report order and export them once as one HTML file."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from helpers import __version__
from helpers.analysis.progress import STATUS_KIND
from helpers.chinese_text import date_text
from helpers.pipeline.preprocessors import (
    PART_KEY,
    CoverPage,
    HeadingAnchors,
    MoveToAppendix,
    PromoteMarkdownOutputs,
    RemoveParameterCells,
    RemoveStderr,
    TableOfContents,
)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "nbconvert"
TEMPLATE_NAME = "township"
STATUS_KINDS = {"超序时": "ahead", "达序时": "on-pace", "滞后": "behind"}
"""Statuses of an indicator with a target (see helpers.analysis.progress), best first, and their cover style."""


@dataclass(frozen=True)
class Cover:
    """What the cover shows. ``figures`` are (label, value, kind) boxes, e.g. ("滞后", "3项", "behind")."""

    township: str
    county: str
    month: str
    generated_at: datetime
    figures: tuple[tuple[str, str, str], ...] = ()

    @property
    def month_label(self) -> str:
        year, month = self.month.split("-")
        return f"{int(year)}年{int(month)}月"

    @property
    def generated_label(self) -> str:
        t = self.generated_at
        return f"{date_text(t)} {t:%H:%M}"


def cover_figures(key_figures) -> tuple[tuple[str, str, str], ...]:
    """Cover boxes from a key-figure table: the indicators with a target (a status) and how many have each status."""
    if key_figures is None or "status" not in key_figures:
        return ()
    counts = key_figures["status"].astype("string").value_counts()
    boxes = [("年度目标指标", f"{int(counts.sum())}项", "total")]
    boxes += [(status, f"{int(counts.get(status, 0))}项", kind) for status, kind in STATUS_KINDS.items()]
    # ceilings and rates have statuses of their own: shown where present, so that the boxes add up
    boxes += [(status, f"{int(counts[status])}项", STATUS_KIND[status]) for status in STATUS_KIND
              if status not in STATUS_KINDS and counts.get(status, 0)]
    return tuple(boxes)


def merge_notebooks(notebooks: Sequence[NotebookNode]) -> NotebookNode:
    """One notebook holding the cells of ``notebooks`` in order.

    Each cell records its notebook's position under ``metadata["report_part"]`` and gets an id that is
    unique in the merged notebook. The kernel and language metadata come from the first notebook.
    """
    merged = nbformat.v4.new_notebook()
    if notebooks:
        first = notebooks[0].metadata
        merged.metadata.update({k: copy.deepcopy(first[k]) for k in ("kernelspec", "language_info") if k in first})
    for part, nb in enumerate(notebooks):
        for index, cell in enumerate(nb.cells):
            cell = copy.deepcopy(cell)
            cell["id"] = f"p{part}-{index}"
            cell.setdefault("metadata", NotebookNode())[PART_KEY] = part
            cell.get("metadata", {}).pop("papermill", None)
            cell.get("metadata", {}).pop("execution", None)
            merged.cells.append(cell)
    return merged


def read_notebooks(paths: Sequence[Path]) -> list[NotebookNode]:
    return [nbformat.read(str(p), as_version=4) for p in paths]


def report_exporter(cover: Cover):
    """An HTMLExporter on the project template with the report's preprocessors, in order."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.CSSHTMLHeaderPreprocessor.enabled = False  # code highlighting CSS: the report shows no code
    exporter = HTMLExporter(
        config=config,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
        language_code="zh",
    )
    for preprocessor in (
        RemoveParameterCells(),
        RemoveStderr(),
        MoveToAppendix(),
        PromoteMarkdownOutputs(),
        HeadingAnchors(),
        TableOfContents(),
        CoverPage(township=cover.township, county=cover.county, month_label=cover.month_label,
                  generated_at=cover.generated_label, generator=f"乡镇工作月报 {__version__}", figures=[
                      {"label": label, "value": value, "kind": kind} for label, value, kind in cover.figures]),
    ):
        exporter.register_preprocessor(preprocessor, enabled=True)
    return exporter


def export_html(notebooks: Sequence[NotebookNode], cover: Cover, resources_dir: Path | None = None) -> str:
    """The report HTML of already executed notebooks; ``resources_dir`` resolves relative image paths."""
    merged = merge_notebooks(notebooks)
    resources = {"metadata": {"name": f"{cover.township}工作月报", "path": str(resources_dir or "")}}
    html, _ = report_exporter(cover).from_notebook_node(merged, resources=resources)
    return html


def stitch_report(paths: Sequence[Path], cover: Cover, html_path: Path, resources_dir: Path | None = None) -> Path:
    """Read the executed notebooks at ``paths``, export them once and write ``html_path``."""
    html = export_html(read_notebooks(paths), cover, resources_dir)
    Path(html_path).write_text(html, encoding="utf-8")
    return Path(html_path)
