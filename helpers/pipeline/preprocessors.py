"""nbconvert preprocessors that turn the merged, executed notebooks into the report (one job each)."""

from __future__ import annotations

import html
import re

from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import Dict, Integer, List, Set, Unicode

PART_KEY = "report_part"
"""Cell metadata key set by :func:`helpers.pipeline.stitch.merge_notebooks`: the index of the notebook in the report."""

ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
TAG = re.compile(r"<[^>]+>")
BLOCK_MARKER = re.compile(r"^(\d*)((?<=\d)[.)](?=\s|$)|[-+*](?=\s|$)|[>#])")


class RemoveParameterCells(TagRemovePreprocessor):
    """Drop the ``parameters`` cell and the cell papermill injected after it."""

    remove_cell_tags = Set(Unicode(), default_value={"parameters", "injected-parameters", "lab-only"}).tag(
        config=True)


class PromoteMarkdownOutputs(Preprocessor):
    """Turn Markdown display outputs (an area's headings, shown by the generic area notebook) into markdown cells.

    A code cell is split at each such output, so the headings join the table of contents like those the
    notebook's own markdown cells hold; the other outputs keep their order.
    """

    def preprocess(self, nb, resources):
        from nbformat.v4 import new_code_cell, new_markdown_cell

        cells = []
        for cell in nb.cells:
            outputs = cell.get("outputs", []) if cell.cell_type == "code" else []
            if not any("text/markdown" in o.get("data", {}) for o in outputs):
                cells.append(cell)
                continue
            pending: list = []
            for output in [*outputs, None]:
                if output is not None and "text/markdown" not in output.get("data", {}):
                    pending.append(output)
                    continue
                if pending:
                    cells.append(new_code_cell(cell.source, metadata=cell.metadata, outputs=pending))
                    pending = []
                if output is not None:
                    cells.append(new_markdown_cell(output["data"]["text/markdown"], metadata=cell.metadata))
        nb.cells = cells
        return nb, resources


APPENDIX_KEY = "report_appendix"
"""Output metadata of a long list (set by helpers.report.notebook.Appendix; the same key, no import upward)."""


class MoveToAppendix(Preprocessor):
    """Move the outputs marked ``metadata[APPENDIX_KEY]`` into a collapsed 附表 at the end of the report.

    Each becomes a ``<details>`` whose summary line is the output's title, under one level-1 heading
    ``heading`` (a part of its own, so it joins the table of contents); code cells left without output go.
    """

    heading = Unicode("附表").tag(config=True)

    def preprocess(self, nb, resources):
        from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

        moved, kept = [], []
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("outputs"):
                marked = [o for o in cell.outputs if APPENDIX_KEY in o.get("metadata", {})]
                if marked:
                    moved += marked
                    cell.outputs = [o for o in cell.outputs if APPENDIX_KEY not in o.get("metadata", {})]
                    if not cell.outputs:
                        continue
            kept.append(cell)
        if moved:
            part = 1 + max((int(c.get("metadata", {}).get(PART_KEY, 0)) for c in nb.cells), default=0)
            blocks = [
                f'<details class="report-appendix"><summary>{html.escape(str(o.metadata[APPENDIX_KEY]["title"]))}'
                f"</summary>\n{o.get('data', {}).get('text/html', '')}\n</details>"
                for o in moved
            ]
            kept.append(new_markdown_cell(f"# {self.heading}", metadata={PART_KEY: part}))
            kept.append(new_code_cell("", metadata={PART_KEY: part}, outputs=[
                new_output("display_data", data={"text/html": "\n".join(blocks)})]))
        nb.cells = kept
        return nb, resources


class RemoveStderr(Preprocessor):
    """Drop stderr streams (warnings, logging) and error outputs, then code cells left without output."""

    def preprocess(self, nb, resources):
        kept = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.get("outputs", []) if not is_diagnostic(o)]
                if not cell.outputs:
                    continue
            kept.append(cell)
        nb.cells = kept
        return nb, resources


def is_diagnostic(output) -> bool:
    """True for output meant for the analyst, not the reader: stderr text and exceptions."""
    if output.get("output_type") == "stream":
        return output.get("name") == "stderr"
    return output.get("output_type") == "error"


class HeadingAnchors(Preprocessor):
    """Give every markdown heading a unique id (``s<part>-<n>``) and list them in ``resources["headings"]``.

    The merged notebooks repeat headings ("1. 工作进展" in every area), so ids derived from the text
    would collide. Each ATX heading line becomes an HTML heading with its id; the heading's inline
    markdown is kept. Headings inside fenced code blocks are left alone.
    """

    def preprocess(self, nb, resources):
        headings: list[dict] = []
        counters: dict[int, int] = {}
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            part = int(cell.get("metadata", {}).get(PART_KEY, 0))
            lines, fence = [], None
            for line in cell.source.splitlines():
                opened = FENCE.match(line)
                if fence is None and opened:
                    fence = opened.group(1)[0]
                elif fence is not None and opened and opened.group(1)[0] == fence:
                    fence = None
                match = ATX_HEADING.match(line) if fence is None else None
                if not match:
                    lines.append(line)
                    continue
                counters[part] = counters.get(part, 0) + 1
                anchor = f"s{part}-{counters[part]}"
                level, inner = len(match.group(1)), inline_html(match.group(2))
                headings.append({"level": level, "id": anchor, "text": plain_text(inner), "part": part})
                lines += ["", f'<h{level} id="{anchor}">{inner}</h{level}>', ""]
            cell.source = "\n".join(lines)
        resources["headings"] = headings
        return nb, resources


def inline_html(markdown: str) -> str:
    """A heading's inline markdown as HTML, without the paragraph around it."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    # A heading's text is inline only: keep "1. 工作进展" from turning into a list, "- x" into a bullet.
    markdown = BLOCK_MARKER.sub(r"\1\\\2", markdown.strip())
    rendered = markdown2html_mistune(markdown).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", rendered, flags=re.DOTALL)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(TAG.sub("", fragment)).strip()


class TableOfContents(Preprocessor):
    """Nest the headings of ``resources["headings"]`` up to ``max_level`` into ``resources["toc"]``.

    ``toc`` is a list of the level-1 entries (``id``, ``text``), each with the ``children`` below it.
    A part without a level-1 heading contributes its headings at the top level.
    """

    max_level = Integer(2).tag(config=True)

    def preprocess(self, nb, resources):
        top: list[dict] = []
        for h in resources.get("headings", []):
            if h["level"] > self.max_level:
                continue
            entry = {"id": h["id"], "text": h["text"], "children": []}
            if h["level"] == 1 or not top or top[-1]["part"] != h["part"]:
                top.append({**entry, "part": h["part"]})
            else:
                top[-1]["children"].append(entry)
        resources["toc"] = top
        return nb, resources


class CoverPage(Preprocessor):
    """Put the cover's facts in ``resources["cover"]`` and title the document after them."""

    township = Unicode("").tag(config=True)
    county = Unicode("").tag(config=True)
    month_label = Unicode("").tag(config=True)
    generated_at = Unicode("").tag(config=True)
    generator = Unicode("").tag(config=True)
    """The tool and its version, for the provenance line at the end (not on the cover)."""
    figures = List(Dict()).tag(config=True)
    """Boxes on the cover: ``{"label": …, "value": …, "kind": …}`` (kind styles the box)."""

    def preprocess(self, nb, resources):
        resources["cover"] = {
            "township": self.township,
            "county": self.county,
            "month_label": self.month_label,
            "generated_at": self.generated_at,
            "generator": self.generator,
            "figures": list(self.figures),
        }
        nb.metadata["title"] = f"{self.township}工作月报（{self.month_label}）"
        return nb, resources
