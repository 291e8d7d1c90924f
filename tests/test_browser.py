"""The rendered report in a real browser: headless Chromium (Debian's ``chromium``) opens report.html from disk.

Every request that is not ``file:`` or ``data:`` is aborted and counted as a failure. The checks: no failed
request, no console error, every image decoded, every in-page anchor resolves, no horizontal page scroll at
390 px, and the Chinese text drawn in a CJK font (the fonts Chromium actually used, read through the DevTools
protocol, plus a measurement that Han characters are full width). Full-page screenshots at 1280 px and 390 px
go to tests/output/browser/ for a person to look at.

The harness itself is tested first on hand-written pages, one good and one with every defect, so that a
check that can never fail is caught. Without Chromium the module is skipped locally and fails under CI.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest_proof import SAMPLE_MONTH, good_render

OUTPUT_DIR = Path(__file__).resolve().parent / "output" / "browser"
INSTALL_HINT = "install it with `apt-get install chromium fonts-noto-cjk` (Debian/Ubuntu)"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
DESKTOP, PHONE = (1280, 900), (390, 844)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_NAME = re.compile(r"CJK|Han Sans|Han Serif|Noto Sans SC|Noto Serif SC|WenQuanYi|YaHei|PingFang|Hiragino|SimSun|"
                      r"SimHei|Song|FangSong|Kai|Heiti|Droid Sans Fallback|AR PL", re.IGNORECASE)

pytestmark = pytest.mark.e2e


# --- finding the browser ---------------------------------------------------------------------------------


def chromium_path() -> str:
    """Debian's chromium; skipped without it, except under CI (env CI set) where its absence is a failure."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    reason = None
    if found is None:
        reason = f"Chromium is not installed: {INSTALL_HINT}"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed: pip install -r requirements-dev.txt"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} — CI must run the browser test")
        pytest.skip(reason)
    return found


def cjk_families() -> set[str]:
    """Font families fontconfig says cover Chinese (empty when fc-list is missing)."""
    fc = shutil.which("fc-list")
    if not fc:
        return set()
    out = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_missing_chromium_skips_locally_and_fails_under_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium fonts-noto-cjk"):
        chromium_path()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser test"):
        chromium_path()


# --- the harness -----------------------------------------------------------------------------------------


@dataclass
class PageReport:
    """What one visit to a page found; every list empty and every number in range means the page is fine."""

    blocked: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    anchors: list[dict] = field(default_factory=list)
    toc_anchors: int = 0
    scroll_width: int = 0
    overflowing: list[str] = field(default_factory=list)
    font_probes: list[dict] = field(default_factory=list)
    han_width_em: float = 0.0
    font_stack: str = ""
    fonts_check: bool = True

    @property
    def undecoded_images(self) -> list[dict]:
        return [i for i in self.images if not i["decoded"] or i["naturalWidth"] <= 0]

    @property
    def broken_anchors(self) -> list[str]:
        return [a["href"] for a in self.anchors if not a["resolves"]]


def glyphs_outside_cjk(fonts: list[dict], text: str, families: set[str]) -> int:
    """How many glyphs of ``text`` a non-CJK font must have drawn, from CSS.getPlatformFontsForNode's answer.

    Every Han character drawn by a CJK font means non-CJK fonts drew at most the non-Han characters; any
    glyph beyond that is a Han character drawn by a font without Han (a box or a wrong-looking glyph).
    """
    def is_cjk(font: dict) -> bool:
        name = font.get("familyName", "")
        return name in families or bool(CJK_NAME.search(name)) or bool(CJK_NAME.search(font.get("postScriptName", "")))

    non_han = sum(1 for ch in text if not HAN.match(ch) and not ch.isspace())
    other = sum(int(f.get("glyphCount", 0)) for f in fonts if not is_cjk(f))
    return max(0, other - non_han)


PROBE_JS = """
() => {
  // Elements whose own text holds Han characters, spread over the page: cover, contents, headings, prose, tables.
  const han = /[\\u3400-\\u9fff]/;
  const picked = [];
  const seen = new Set();
  const selectors = ['.cover-title', '.cover-month', '.toc a', 'h1', 'h2', 'h3', 'p', 'li', 'th', 'td', 'div', 'span'];
  for (const sel of selectors) {
    let taken = 0;
    for (const el of document.querySelectorAll(sel)) {
      if (seen.has(el) || taken >= 3) continue;
      const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('');
      if (!han.test(own)) continue;
      seen.add(el);
      taken += 1;
      el.setAttribute('data-cjk-probe', String(picked.length));
      picked.push({selector: sel, text: own.replace(/\\s+/g, ' ').trim()});
    }
  }
  return picked;
}
"""

HAN_WIDTH_JS = """
() => {
  // Ten Han characters in the body's font, no letter spacing: full-width glyphs measure one em each.
  const host = document.querySelector('main') || document.body;
  const span = document.createElement('span');
  span.style.cssText = 'letter-spacing:0;word-spacing:0;white-space:nowrap;font-size:20px;position:absolute;';
  span.textContent = '镇村党建民生安全报告';
  host.appendChild(span);
  const width = span.getBoundingClientRect().width;
  span.remove();
  return width / 10 / 20;
}
"""

OVERFLOW_JS = """
(limit) => {
  // Elements sticking out to the right of the viewport and not clipped by a scrolling ancestor.
  const out = [];
  const clipped = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) && p !== document.body
          && p !== document.documentElement) return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > limit && !clipped(el)) {
      out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
               + ' right=' + Math.round(r.right));
      if (out.length >= 10) break;
    }
  }
  return out;
}
"""


def inspect_page(browser, path: Path, viewport: tuple[int, int], screenshot: Path | None = None,
                 fonts: bool = True) -> PageReport:
    """Open ``path`` from disk at ``viewport`` with the network cut off and record everything the checks need."""
    report = PageReport()
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=1,
                                  offline=True, java_script_enabled=True)

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            report.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("requestfailed", lambda req: report.failed_requests.append(f"{req.url} ({req.failure})"))
    page.on("response", lambda res: res.status >= 400 and report.failed_requests.append(f"{res.url} ({res.status})"))
    page.on("console", lambda msg: msg.type == "error" and report.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: report.console_errors.append(f"uncaught: {exc}"))
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        report.images = page.evaluate("""
            () => Promise.all(Array.from(document.images).map(img =>
                img.decode().then(() => true, () => false).then(decoded => ({
                    src: (img.getAttribute('src') || '').slice(0, 40), decoded,
                    naturalWidth: img.naturalWidth}))))
        """)
        report.anchors = page.evaluate("""
            () => Array.from(document.querySelectorAll('a[href^="#"]')).map(a => {
                const id = decodeURIComponent(a.getAttribute('href').slice(1));
                return {href: a.getAttribute('href'), resolves: id !== '' && document.getElementById(id) !== null};
            })
        """)
        report.toc_anchors = page.evaluate("() => document.querySelectorAll('nav.toc a[href^=\"#\"]').length")
        report.scroll_width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if report.scroll_width > viewport[0] + 1:
            report.overflowing = page.evaluate(OVERFLOW_JS, viewport[0] + 1)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        if fonts:
            report.font_probes = probe_fonts(page)
            report.han_width_em = page.evaluate(HAN_WIDTH_JS)
            report.font_stack = page.evaluate("() => getComputedStyle(document.body).fontFamily")
            # true when no face of the stack is still loading or failed: weak alone, so the probes above decide
            report.fonts_check = page.evaluate("(stack) => document.fonts.check('16px ' + stack, '镇')",
                                               report.font_stack)
    finally:
        context.close()
    return report


def probe_fonts(page) -> list[dict]:
    """For elements holding Chinese text: the platform fonts Chromium drew them with (DevTools protocol)."""
    probes = page.evaluate(PROBE_JS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    families = cjk_families()
    for i, probe in enumerate(probes):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f'[data-cjk-probe="{i}"]'})["nodeId"]
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        probe["fonts"] = [(f["familyName"], f["glyphCount"]) for f in used]
        probe["outside_cjk"] = glyphs_outside_cjk(used, probe["text"], families)
    cdp.detach()
    return probes


def problems_of(report: PageReport, viewport: tuple[int, int], min_toc: int = 0) -> list[str]:
    """Every check's failure as a line (empty = the page passes)."""
    found = []
    if report.blocked:
        found.append(f"requests to outside the file: {report.blocked}")
    if report.failed_requests:
        found.append(f"failed requests: {report.failed_requests}")
    if report.console_errors:
        found.append(f"console errors: {report.console_errors}")
    if report.undecoded_images:
        found.append(f"images not decoded: {report.undecoded_images}")
    if report.broken_anchors:
        found.append(f"anchors without a target: {report.broken_anchors}")
    if report.toc_anchors < min_toc:
        found.append(f"only {report.toc_anchors} table-of-contents anchors, expected at least {min_toc}")
    if report.scroll_width > viewport[0] + 1:
        found.append(f"page scrolls sideways at {viewport[0]} px: scrollWidth {report.scroll_width}; "
                     f"sticking out: {report.overflowing}")
    if report.font_probes is not None and report.font_probes:
        bad = [p for p in report.font_probes if p["outside_cjk"] > 0]
        if bad:
            found.append(f"Chinese text drawn without a CJK font: {bad[:5]}")
        if not 0.9 <= report.han_width_em <= 1.1:
            found.append(f"Han characters measure {report.han_width_em:.2f} em wide, not full width")
        if not report.fonts_check:
            found.append(f"document.fonts.check fails for the body's font stack {report.font_stack!r}")
    return found


# --- hand-written pages: the harness must pass a good page and catch each defect of a bad one --------------


def tiny_png(width: int = 4, height: int = 3) -> str:
    """A valid RGB PNG as a data: URI, built here so the good page needs nothing outside the test."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xb3\x26\x1e" * width for _ in range(height))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


PAGE_HEAD = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;padding:0 12px}
.scroll{overflow-x:auto}</style>{extra_head}</head><body>"""

GOOD_PAGE = PAGE_HEAD.replace("{extra_head}", "") + """
<header class="cover"><div class="cover-title">XX镇工作月报</div><div class="cover-month">2018年8月</div></header>
<nav class="toc"><a href="#overview">总体情况</a> <a href="#party">党建</a> <a href="#%E7%BB%8F%E6%B5%8E">经济</a></nav>
<main>
<h2 id="overview">总体情况</h2><p>全镇固定资产投资完成3.2亿元，占年度目标的68.1%。</p>
<h2 id="party">党建</h2><p>干部到村民情恳谈1450次。</p><img alt="图表" src="{png}">
<h2 id="经济">经济</h2>
<div class="scroll"><table><tr><th>村（社区）</th>""" + "<th>很长很长的表头</th>" * 20 + """</tr></table></div>
</main></body></html>"""

BAD_PAGE = PAGE_HEAD.replace("{extra_head}", '<script src="https://cdn.example.invalid/require.js"></script>'
                             '<link rel="stylesheet" href="http://fonts.example.invalid/x.css">') + """
<nav class="toc"><a href="#overview">总体情况</a> <a href="#missing">不存在的节</a></nav>
<h2 id="overview">总体情况</h2><p>正文</p>
<img alt="坏图" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAE=">
<img alt="外链图" src="https://img.example.invalid/a.png">
<div style="width:1200px">一行很宽的内容</div>
<script>console.error('渲染出错');</script>
</body></html>"""


def test_glyph_accounting_flags_han_drawn_by_a_latin_font():
    families = {"Noto Sans CJK SC"}
    text = "全镇2018年"  # 4 Han characters, 4 digits
    assert glyphs_outside_cjk([{"familyName": "Noto Sans CJK SC", "glyphCount": 8}], text, families) == 0
    assert glyphs_outside_cjk([{"familyName": "DejaVu Sans", "glyphCount": 4},
                               {"familyName": "Noto Sans CJK SC", "glyphCount": 4}], text, families) == 0
    assert glyphs_outside_cjk([{"familyName": "DejaVu Sans", "glyphCount": 8}], text, families) == 4
    assert glyphs_outside_cjk([{"familyName": "Liberation Sans", "glyphCount": 6},
                               {"familyName": "Droid Sans Fallback", "glyphCount": 2}], text, set()) == 2


def test_harness_passes_a_good_hand_written_page(browser, tmp_path):
    page = tmp_path / "good.html"
    page.write_text(GOOD_PAGE.replace("{png}", tiny_png()), encoding="utf-8")
    for viewport in (DESKTOP, PHONE):
        report = inspect_page(browser, page, viewport)
        assert problems_of(report, viewport, min_toc=3) == []
        assert len(report.images) == 1 and report.images[0]["naturalWidth"] == 4
        assert len(report.anchors) == 3 and report.toc_anchors == 3
        assert report.font_probes, "no Chinese text was probed"


def test_harness_catches_every_defect_of_a_bad_hand_written_page(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    report = inspect_page(browser, page, PHONE)
    assert any("cdn.example.invalid" in url for url in report.blocked)
    assert any("fonts.example.invalid" in url for url in report.blocked)
    assert any("img.example.invalid" in url for url in report.blocked)
    assert report.failed_requests  # the aborted ones
    assert any("渲染出错" in e for e in report.console_errors)
    assert len(report.undecoded_images) == 2
    assert report.broken_anchors == ["#missing"]
    assert report.scroll_width > PHONE[0] + 1 and report.overflowing
    found = "\n".join(problems_of(report, PHONE, min_toc=5))
    for words in ("outside the file", "failed requests", "console errors", "images not decoded",
                  "anchors without a target", "table-of-contents anchors", "scrolls sideways"):
        assert words in found


# --- the real report ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    return good_render(tmp_path_factory) / "sample" / SAMPLE_MONTH / "report.html"


@pytest.mark.parametrize(("name", "viewport"), [("desktop-1280", DESKTOP), ("phone-390", PHONE)])
def test_the_sample_report_in_chromium(browser, report_html, name, viewport):
    shot = OUTPUT_DIR / f"report-{name}.png"
    shot.unlink(missing_ok=True)
    report = inspect_page(browser, report_html, viewport, screenshot=shot)
    assert problems_of(report, viewport, min_toc=5) == []
    assert report.images, "the report has no images at all"
    assert len(report.font_probes) >= 10, "too little Chinese text found to judge the font"
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert re.search(r"CJK|YaHei|PingFang|Han Sans|Hei", report.font_stack), report.font_stack


def test_the_index_page_in_chromium(browser, report_html):
    from urllib.parse import unquote, urlparse

    index = report_html.parents[2] / "index.html"
    for viewport in (DESKTOP, PHONE):
        assert problems_of(inspect_page(browser, index, viewport), viewport) == []
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        page.goto(index.resolve().as_uri())
        links = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    finally:
        context.close()
    files = [Path(unquote(urlparse(u).path)) for u in links]
    assert report_html.resolve() in files
    assert all(f.is_file() for f in files), [f for f in files if not f.is_file()]


# --- phone and paper -------------------------------------------------------------------------------------

FIRST_ROW_JS = """
(cls) => {
  // The first row of the first stacked table holding a cell of class ``cls``: where its cells are drawn.
  const cell = document.querySelector(`table.stacked td.${cls}`);
  if (!cell) return null;
  const row = cell.closest('tr');
  row.scrollIntoView({block: 'start'});
  const rect = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  let sideways = window.scrollX;
  for (let p = row; p; p = p.parentElement) sideways += p.scrollLeft || 0;
  const cells = {};
  for (const td of row.querySelectorAll('td')) {
    const id = Array.from(td.classList).find(c => c.startsWith('c-'));
    cells[id] = rect(td);
  }
  return {cells, sideways, viewport: {width: window.innerWidth, height: window.innerHeight}};
}
"""


def visible_without_scrolling(box: dict, viewport: dict) -> bool:
    return (box["width"] > 0 and box["left"] >= 0 and box["right"] <= viewport["width"]
            and box["top"] >= 0 and box["bottom"] <= viewport["height"])


def phone_page(browser, path: Path):
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, device_scale_factor=1,
                                  offline=True)
    page = context.new_page()
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return context, page


def test_phone_shows_completion_and_status_of_the_first_key_figure_first(browser, report_html):
    context, page = phone_page(browser, report_html)
    try:
        key = page.evaluate(FIRST_ROW_JS, "c-completion_pct")
        attention = page.evaluate(FIRST_ROW_JS, "c-detail")
    finally:
        context.close()
    assert key is not None, "no stacked key-figure table in the report"
    assert key["sideways"] == 0
    for cls in ("c-name", "c-completion_pct", "c-status"):
        assert visible_without_scrolling(key["cells"][cls], key["viewport"]), (cls, key["cells"][cls])
    assert attention is not None and attention["sideways"] == 0
    assert visible_without_scrolling(attention["cells"]["c-detail"], attention["viewport"]), attention["cells"]


CHART_SCALE_JS = """
() => Array.from(document.querySelectorAll('.jp-RenderedImage img, .jp-RenderedSVG img')).map(img => ({
  src: (img.getAttribute('src') || '').slice(0, 22), natural: img.naturalWidth,
  shown: img.getBoundingClientRect().width}))
"""


def test_phone_charts_draw_their_smallest_text_at_least_9_px(browser, report_html):
    """Raster charts: the smallest font the chart style uses (pt at the figure's dpi) times the displayed scale."""
    from helpers.report import style

    smallest_px = min(style.SMALL_FONT_SIZE, style.FONT_SIZE, style.TITLE_FONT_SIZE) * style.DPI / 72
    context, page = phone_page(browser, report_html)
    try:
        charts = page.evaluate(CHART_SCALE_JS)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
    finally:
        context.close()
    assert charts and width <= PHONE[0] + 1
    assert all(c["src"].startswith("data:image/png") for c in charts), "SVG charts: measure their text elements"
    too_small = [c for c in charts if smallest_px * c["shown"] / c["natural"] < 9]
    assert too_small == []


def pdf_tool(name: str) -> str:
    """A poppler tool (poppler-utils); skipped without it, except under CI where its absence is a failure."""
    found = shutil.which(name)
    if found is None:
        reason = f"{name} is not installed: apt-get install poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} — CI must run the print test")
        pytest.skip(reason)
    return found


def test_missing_pdf_tools_skip_locally_and_fail_under_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install poppler-utils"):
        pdf_tool("pdftotext")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the print test"):
        pdf_tool("pdftotext")


def page_fullness(png: Path, top_mm: float = 18, bottom_mm: float = 20) -> float:
    """How far down the printable area of a page image anything is drawn (0 = empty, 1 = to the bottom)."""
    from PIL import Image

    image = Image.open(png).convert("L")
    width, height = image.size
    top, bottom = top_mm / 297 * height, height - bottom_mm / 297 * height
    inked = [y for y in range(int(top), int(bottom)) if image.crop((0, y, width, y + 1)).getextrema()[0] < 200]
    return (max(inked) - top) / (bottom - top) if inked else 0.0


def test_page_fullness_measures_a_drawn_page(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (210, 297), "white")
    ImageDraw.Draw(image).rectangle((20, 30, 190, 100), fill="black")
    image.save(tmp_path / "p.png")
    assert page_fullness(tmp_path / "p.png") == pytest.approx((100 - 18) / (297 - 38), abs=0.01)
    Image.new("RGB", (210, 297), "white").save(tmp_path / "empty.png")
    assert page_fullness(tmp_path / "empty.png") == 0.0


def test_printed_report_has_page_numbers_and_no_mostly_empty_pages(browser, report_html, tmp_path):
    pdftotext, pdftoppm = pdf_tool("pdftotext"), pdf_tool("pdftoppm")
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        page.goto(report_html.resolve().as_uri(), wait_until="load")
        page.pdf(path=str(tmp_path / "report.pdf"), format="A4", prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 5
    for number, page_text in enumerate(pages[1:], start=2):  # the cover carries no number
        assert re.fullmatch(rf"—\s*{number}\s*—", page_text.strip().splitlines()[-1].strip()), (number, page_text[-80:])
    subprocess.run([pdftoppm, "-png", "-r", "20", str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True)
    fullness = [page_fullness(p) for p in sorted(tmp_path.glob("page-*.png"))]
    assert len(fullness) == len(pages)
    assert sum(f < 1 / 3 for f in fullness) <= 1, fullness
