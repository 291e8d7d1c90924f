"""The visible text of a rendered report.html, as a reader sees it: for comparing reports and checking wording.

``<style>``/``<script>`` are dropped, every tag ends a line, images become ``[图]``; :func:`outline` gives the
headings and the content between them. :func:`shown` reads a display table (a pandas Styler) back
as headers, body rows and caption.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

SKIP = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)


def visible_lines(page: str) -> list[str]:
    """Non-empty lines of visible text, in document order."""
    text = SKIP.sub("", page)
    text = re.sub(r"<img\b[^>]*>", "\n[图]\n", text, flags=re.I)
    text = re.sub(r"<[^>]+>", "\n", text)
    return [line for line in (html.unescape(x).strip() for x in text.splitlines()) if line]


class _Outline(HTMLParser):
    """(tag, text) for each h1/h2 of the main part and ('content', …) for what lies between them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self.heading: str | None = None
        self.skip = 0
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "nav"):
            self.skip += 1
        elif tag in ("h1", "h2") and not self.skip:
            self.heading, self.buffer = tag, ""
        elif tag == "img" and not self.skip:
            self.items.append(("content", "[图]"))

    def handle_endtag(self, tag):
        if tag in ("style", "script", "nav"):
            self.skip -= 1
        elif tag == self.heading:
            self.items.append((tag, self.buffer.strip()))
            self.heading = None

    def handle_data(self, data):
        if self.skip:
            return
        if self.heading:
            self.buffer += data
        elif data.strip():
            self.items.append(("content", data.strip()))


def outline(page: str) -> list[tuple[str, str]]:
    """The page's h1/h2 headings (outside the table of contents) and the content items between them."""
    parser = _Outline()
    parser.feed(page)
    return parser.items


def empty_sections(page: str) -> list[str]:
    """h2 headings followed directly by another heading (or the end): a section with nothing in it."""
    items = outline(page)
    return [text for i, (tag, text) in enumerate(items)
            if tag == "h2" and (i + 1 == len(items) or items[i + 1][0] != "content")]


# --- a display table (pandas Styler) as a reader sees it -------------------------------------------------


class _Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.caption = ""
        self._cell: str | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = ""
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.rows[-1].append(self._cell)
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in_caption:
            self.caption += data


def shown(view) -> tuple[list[str], list[list[str]], str]:
    """Headers, body rows (as displayed text) and caption of a Styler view."""
    parser = _Table()
    parser.feed(view.to_html())
    return parser.rows[0], parser.rows[1:], parser.caption
