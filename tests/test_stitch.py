"""Stitching executed notebooks into one report: merging, the preprocessors, the exported HTML."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.pipeline.preprocessors import (
    APPENDIX_KEY,
    HeadingAnchors,
    MoveToAppendix,
    RemoveStderr,
    TableOfContents,
    inline_html,
)
from helpers.pipeline.stitch import Cover, cover_figures, export_html, merge_notebooks

# --- checking a report page (also used by test_render) ----------------------------------------------


@dataclass
class PageFacts:
    """What the checks need from a report page, parsed with the standard library."""

    h1: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    img_src: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    scripts_with_src: int = 0
    styles: list[str] = field(default_factory=list)
    text: str = ""


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.facts, self._in, self._buf, self._text = PageFacts(), [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._in.append(tag)
        if "id" in a:
            self.facts.ids.append(a["id"])
        self.facts.classes += (a.get("class") or "").split()
        for name in ("src", "href", "data", "action", "poster"):
            if a.get(name) is not None:
                self.facts.urls.append(a[name])
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.facts.anchors.append(a["href"][1:])
        if tag == "img":
            self.facts.img_src.append(a.get("src") or "")
        if tag == "script" and a.get("src"):
            self.facts.scripts_with_src += 1
        if tag == "h1":
            self._buf = []

    def handle_endtag(self, tag):
        if tag == "h1":
            self.facts.h1.append("".join(self._buf).strip())
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data):
        if "h1" in self._in:
            self._buf.append(data)
        if self._in and self._in[-1] == "style":
            self.facts.styles.append(data)
        elif not (self._in and self._in[-1] == "script"):
            self._text.append(data)

    def close(self):
        super().close()
        self.facts.text = "".join(self._text)


def page_facts(html: str) -> PageFacts:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.facts


def assert_self_contained_report(html: str) -> PageFacts:
    """The checks every report must pass: offline, no code, no tracebacks, no stderr, working TOC."""
    facts = page_facts(html)
    assert facts.img_src, "a report without a single chart is suspicious"
    assert all(src.startswith("data:") for src in facts.img_src), [s[:40] for s in facts.img_src]
    outside = [u for u in facts.urls if re.match(r"\s*(https?:)?//", u)]
    assert outside == [], outside
    css = "\n".join(facts.styles)
    assert not re.search(r"@import", css), "stylesheets must not import anything"
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", css), "stylesheets must not load anything"
    assert facts.scripts_with_src == 0
    assert "jp-InputArea" not in facts.classes and "jp-CodeMirrorEditor" not in facts.classes
    assert "jp-InputPrompt" not in facts.classes and "jp-OutputPrompt" not in facts.classes
    assert not re.search(r"In\s*\[\s*\d*\s*\]", facts.text)
    assert "import " not in facts.text and "Traceback" not in facts.text
    assert "application/vnd.jupyter.stderr" not in html
    assert set(facts.anchors) <= set(facts.ids), set(facts.anchors) - set(facts.ids)
    assert len(facts.ids) == len(set(facts.ids)), "ids must be unique"
    return facts


BAD_PAGES = {
    "outside image": '<img src="https://cdn.example/x.png"><a href="#a" id="a">x</a>',
    "protocol-relative script": '<img src="data:,"><script src="//cdn.example/require.js"></script>',
    "css import": '<img src="data:,"><style>@import "x.css";</style>',
    "code input": '<img src="data:,"><div class="jp-InputArea jp-Cell-inputArea"></div>',
    "prompt": '<img src="data:,"><div>In [3]:</div>',
    "source text": '<img src="data:,"><pre>import pandas as pd</pre>',
    "traceback": '<img src="data:,"><pre>Traceback (most recent call last)</pre>',
    "stderr": '<img src="data:,"><div data-mime-type="application/vnd.jupyter.stderr"></div>',
    "broken anchor": '<img src="data:,"><a href="#missing">x</a>',
    "duplicate id": '<img src="data:,"><h2 id="a"></h2><h2 id="a"></h2>',
}


@pytest.mark.parametrize("defect", list(BAD_PAGES))
def test_the_report_checks_catch_each_defect(defect):
    with pytest.raises(AssertionError):
        assert_self_contained_report(BAD_PAGES[defect])


# --- building executed notebooks in code ------------------------------------------------------------


def tiny_png() -> str:
    """A valid 1×1 PNG, base64 (as nbformat stores image/png)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    raw += chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")
    return base64.b64encode(raw).decode()


def executed(title: str, sections: list[str]) -> nbformat.NotebookNode:
    """An executed area notebook: parameters, injected parameters, imports, sections with outputs."""
    params = new_code_cell('township: str = "sample"  # 乡镇目录名', metadata={"tags": ["parameters"]})
    injected = new_code_cell('# Parameters\ntownship = "sample"\nmonth = "2018-08"\n',
                             metadata={"tags": ["injected-parameters"]})
    cells = [new_markdown_cell(f"# {title}\n\n本部分的说明。"), params, injected,
             new_code_cell("import pandas as pd\nfrom helpers.report import notebook as nb")]
    table = pd.DataFrame({"指标": ["甲"], "数值": [1.5]}).to_html()
    for section in sections:
        cells.append(new_markdown_cell(f"## {section}\n\n```text\n# 这不是标题\n```\n\n正文。"))
        cells.append(new_code_cell("display(frame)\nplt.show()", outputs=[
            new_output("stream", name="stderr", text="UserWarning: 一个警告\n"),
            new_output("display_data", data={"text/html": table, "text/plain": "frame"}),
            new_output("display_data", data={"image/png": tiny_png(), "text/plain": "<Figure>"}),
            new_output("stream", name="stdout", text="正文输出\n"),
        ]))
    cells.append(new_code_cell("x = 1"))  # no output: dropped
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"},
                                             "papermill": {"parameters": {"township": "sample"}}})
    return nb


TITLES = ["概况与关键指标", "一、夯实基础，突出党建第一保障", "二、富民强镇，突出发展第一要务"]
COVER = Cover("XX镇", "XX县", "2018-08", datetime(2018, 9, 3, 8, 5),
              (("年度目标指标", "3项", "total"), ("滞后", "1项", "behind")))


@pytest.fixture(scope="module")
def html() -> str:
    notebooks = [executed(TITLES[0], ["1. 乡镇概况"]), executed(TITLES[1], ["1. 工作进展", "2. 存在问题"]),
                 executed(TITLES[2], ["1. 工作进展"])]
    return export_html(notebooks, COVER)


# --- merging -----------------------------------------------------------------------------------------


def test_merge_keeps_order_and_gives_unique_ids():
    a, b = executed("甲", ["1. 一"]), executed("乙", ["1. 一"])
    merged = merge_notebooks([a, b])
    assert len(merged.cells) == len(a.cells) + len(b.cells)
    ids = [c.id for c in merged.cells]
    assert len(set(ids)) == len(ids)
    assert [c.metadata["report_part"] for c in merged.cells] == [0] * len(a.cells) + [1] * len(b.cells)
    assert merged.metadata["kernelspec"]["name"] == "python3"
    assert "papermill" not in merged.metadata
    nbformat.validate(merged)
    assert "report_part" not in a.cells[0].metadata, "the input notebooks are left as they were"


# --- preprocessors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("1. 工作进展", "1. 工作进展"), ("- 要点", "- 要点"), ("**重点** 工作", "<strong>重点</strong> 工作"),
    ("收入 < 支出", "收入 &lt; 支出"), ("2) 下步", "2) 下步"), ("1.5 万元", "1.5 万元"),
])
def test_inline_html_keeps_heading_text_inline(text, expected):
    assert inline_html(text) == expected


def test_heading_anchors_are_unique_across_parts_and_skip_fenced_code():
    merged = merge_notebooks([executed("甲", ["1. 工作进展"]), executed("乙", ["1. 工作进展"])])
    nb, resources = HeadingAnchors(enabled=True).preprocess(merged, {})
    headings = resources["headings"]
    assert [(h["level"], h["text"]) for h in headings] == [(1, "甲"), (2, "1. 工作进展"), (1, "乙"),
                                                          (2, "1. 工作进展")]
    assert len({h["id"] for h in headings}) == 4
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "# 这不是标题" in sources
    assert sources.count('<h2 id="') == 2


def test_table_of_contents_nests_sections_under_their_part():
    headings = [{"level": 1, "id": "s0-1", "text": "甲", "part": 0},
                {"level": 2, "id": "s0-2", "text": "一", "part": 0},
                {"level": 3, "id": "s0-3", "text": "细节", "part": 0},
                {"level": 2, "id": "s1-1", "text": "无标题部分的小节", "part": 1}]
    _, resources = TableOfContents(enabled=True).preprocess(new_notebook(), {"headings": headings})
    toc = resources["toc"]
    assert [t["text"] for t in toc] == ["甲", "无标题部分的小节"]
    assert [c["text"] for c in toc[0]["children"]] == ["一"]


def test_remove_stderr_drops_diagnostics_and_cells_left_empty():
    nb = new_notebook(cells=[
        new_code_cell("a", outputs=[new_output("stream", name="stderr", text="warn")]),
        new_code_cell("b", outputs=[new_output("error", ename="E", evalue="v", traceback=["Traceback"])]),
        new_code_cell("c", outputs=[new_output("stream", name="stdout", text="ok"),
                                    new_output("stream", name="stderr", text="warn")]),
        new_markdown_cell("text"),
    ])
    nb, _ = RemoveStderr(enabled=True).preprocess(nb, {})
    assert [c.source for c in nb.cells] == ["c", "text"]
    assert [o.name for o in nb.cells[0].outputs] == ["stdout"]


def test_marked_outputs_move_to_a_collapsed_appendix_at_the_end():
    from IPython.core.formatters import DisplayFormatter

    from helpers.report.notebook import APPENDIX_KEY as MARK
    from helpers.report.notebook import Appendix

    assert MARK == APPENDIX_KEY  # the report layer marks what the pipeline moves (no import upward)
    data, metadata = DisplayFormatter().format(Appendix(pd.DataFrame({"村": ["甲村", "乙村"]}).style, "分村统计"))
    long_list = new_output("display_data", data=data, metadata=metadata)
    nb = new_notebook(cells=[
        new_markdown_cell("# 一、民生", metadata={"report_part": 1}),
        new_code_cell("a", metadata={"report_part": 1}, outputs=[
            new_output("display_data", data={"text/html": "<p>正文</p>"}), long_list]),
        new_code_cell("b", metadata={"report_part": 2}, outputs=[long_list]),
    ])
    nb, _ = MoveToAppendix(enabled=True).preprocess(nb, {})
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "markdown", "code"]  # cell b left empty: gone
    assert [o.data["text/html"] for o in nb.cells[1].outputs] == ["<p>正文</p>"]
    assert nb.cells[2].source == "# 附表" and nb.cells[2].metadata["report_part"] == 3  # a part of its own
    appendix = nb.cells[3].outputs[0].data["text/html"]
    assert appendix.count('<details class="report-appendix"><summary>分村统计</summary>') == 2
    assert appendix.count("甲村") == 2


def test_nothing_marked_means_no_appendix():
    nb = new_notebook(cells=[new_code_cell("a", outputs=[new_output("display_data", data={"text/html": "x"})])])
    nb, _ = MoveToAppendix(enabled=True).preprocess(nb, {})
    assert len(nb.cells) == 1 and "附表" not in str(nb)


def test_cover_figures_count_statuses():
    kf = pd.DataFrame({"status": ["超序时", "滞后", "滞后", None]})
    # a key figure without a target (no status) is not one of the targets
    assert cover_figures(kf) == (("年度目标指标", "3项", "total"), ("超序时", "1项", "ahead"),
                                 ("达序时", "0项", "on-pace"), ("滞后", "2项", "behind"))
    assert cover_figures(None) == ()


def test_cover_figures_count_ceilings_and_rates_too_so_the_boxes_add_up():
    statuses = ["超序时", "滞后", "在控制量内", "超出年度上限", "已达标", "在控制量内"]
    boxes = cover_figures(pd.DataFrame({"status": statuses}))
    assert boxes == (("年度目标指标", "6项", "total"), ("超序时", "1项", "ahead"), ("达序时", "0项", "on-pace"),
                     ("滞后", "1项", "behind"), ("在控制量内", "2项", "ahead"), ("超出年度上限", "1项", "behind"),
                     ("已达标", "1项", "ahead"))
    assert sum(int(value[:-1]) for _, value, kind in boxes if kind != "total") == 6


def test_cover_labels():
    assert COVER.month_label == "2018年8月"
    assert COVER.generated_label == "2018年9月3日 08:05"


# --- the exported page -------------------------------------------------------------------------------


def test_report_is_self_contained_without_code(html):
    facts = assert_self_contained_report(html)
    assert facts.h1 == TITLES
    assert "正文输出" in facts.text and "本部分的说明" in facts.text
    assert "township = " not in facts.text and 'township: str' not in facts.text
    assert "一个警告" not in facts.text
    assert len(facts.img_src) == 4 and all(alt in html for alt in ['alt="图表"'])


def test_report_has_cover_and_table_of_contents(html):
    facts = page_facts(html)
    assert "XX镇工作月报" in facts.text and "2018年8月" in facts.text and "XX县" in facts.text
    cover = html[html.index('<header class="cover"'):html.index("</header>")]
    assert "生成" not in cover and "08:05" not in cover  # a forwarded copy carries no tool noise on its cover
    assert "年度目标指标" in facts.text and "figure-behind" in facts.classes
    assert "<title>XX镇工作月报（2018年8月）</title>" in html
    toc = html[html.index('<nav'):html.index('</nav>')]
    assert toc.count("<a href=") == 3 + 4  # three parts, four sections
    assert facts.anchors[:2] == ["s0-1", "s0-2"]


def test_generation_time_and_version_are_one_small_line_at_the_end(html):
    from helpers import __version__

    facts = page_facts(html)
    assert "自动生成" not in facts.text and "生成时间" not in facts.text
    assert facts.text.count("2018年9月3日 08:05") == 1
    body_end = html[html.index("</main>"):html.index("</body>")]
    assert 'class="report-provenance"' in body_end
    assert f"乡镇工作月报 {__version__}" in body_end and "2018年9月3日 08:05" in body_end


def test_report_sections_keep_their_order_and_duplicate_titles_get_distinct_anchors(html):
    ids = [i for i in page_facts(html).ids if re.fullmatch(r"s\d+-\d+", i)]
    assert ids == ["s0-1", "s0-2", "s1-1", "s1-2", "s1-3", "s2-1", "s2-2"]


def test_report_styles_print_phone_and_chinese_fonts(html):
    css = "\n".join(page_facts(html).styles)
    assert "size: A4" in css and "@media print" in css and "counter(page)" in css and "break-before: page" not in css
    assert re.search(r"@media \(max-width: \d+px\)", css)
    assert "overflow-x: auto" in css
    assert "Noto Sans CJK SC" in css and "Microsoft YaHei" in css
    assert 'lang="zh"' in html
    assert "require.js" not in html and "mathjax" not in html.lower() and "mermaid" not in html.lower()
