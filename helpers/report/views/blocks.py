"""What a view returns besides tables and figures: a note, an empty block, a long list for the 附表."""

from __future__ import annotations

import html

from IPython.display import HTML


def note(text: str) -> HTML:
    """A short explanatory line (text is escaped)."""
    return HTML(f'<p class="report-note">{html.escape(text)}</p>')


MIN_BARS = 2
"""A chart needs at least two bars (villages, projects, months, categories); with one, the table says it."""


class Empty(HTML):
    """A block with nothing to show: the report's sections leave it out (JupyterLab still shows the note)."""


def empty(text: str = "本期无相关数据。") -> HTML:
    return Empty(f'<p class="report-empty">{html.escape(text)}</p>')


APPENDIX_KEY = "report_appendix"
"""Output metadata key of a long list: the report's stitching moves the output to the collapsed 附表 at the end."""


class Appendix:
    """A long list (all households, all villages) shown in the report's 附表, not its body.

    ``display()`` shows the table as usual (JupyterLab shows it in place); its output carries
    ``metadata[APPENDIX_KEY] = {"title": …}``, which :class:`helpers.pipeline.preprocessors.MoveToAppendix` reads.
    """

    def __init__(self, content, title: str):
        self.content, self.title = content, title

    def to_html(self) -> str:
        return self.content._repr_html_() if hasattr(self.content, "_repr_html_") else html.escape(str(self.content))

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html(), "text/plain": self.title}, {APPENDIX_KEY: {"title": self.title}}
