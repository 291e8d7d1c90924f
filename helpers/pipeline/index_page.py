"""outputs/index.html: every report on disk with its township, month and generation time, newest first.

The page is rebuilt from the folders under ``outputs/`` each time, so it always matches what is there.
"""

from __future__ import annotations

import fcntl
import html
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from helpers.files import replacing

MONTH_DIR = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
INDEX_FILE = "index.html"
LOCK_FILE = ".index.lock"


@dataclass(frozen=True)
class ReportEntry:
    """One rendered report found on disk; ``href`` and ``summary_href`` are relative to ``outputs/``."""

    township: str
    township_name: str
    month: str
    generated_at: datetime
    href: str
    summary_href: str | None

    @property
    def month_label(self) -> str:
        year, month = self.month.split("-")
        return f"{int(year)}年{int(month)}月"


def _report_facts(report_dir: Path) -> dict:
    try:
        record = json.loads((report_dir / "fingerprint.json").read_text(encoding="utf-8"))
        return record.get("report", {}) if isinstance(record, dict) else {}
    except (OSError, ValueError):
        return {}


def _parse_time(text, fallback: datetime) -> datetime:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return fallback


def scan_reports(out_dir: Path) -> list[ReportEntry]:
    """Every ``<township>/<YYYY-MM>/report.html`` and ``<county>/<YYYY-MM>/county.html`` under ``out_dir``.

    Newest first: sorted by report month, then generation time, then township, all descending. Hidden and
    ``.failed`` folders are not reports.
    """
    entries = []
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return entries
    for township_dir in out_dir.iterdir():
        if not township_dir.is_dir() or township_dir.name.startswith("."):
            continue
        for report_dir in township_dir.iterdir():
            if not MONTH_DIR.match(report_dir.name):
                continue
            county = _county_entry(township_dir, report_dir)
            if county is not None:
                entries.append(county)
            report = report_dir / "report.html"
            if not report.is_file():
                continue
            facts = _report_facts(report_dir)
            mtime = datetime.fromtimestamp(report.stat().st_mtime)
            summary = report_dir / "summary.xlsx"
            entries.append(ReportEntry(
                township=township_dir.name,
                township_name=str(facts.get("township_name") or township_dir.name),
                month=report_dir.name,
                generated_at=_parse_time(facts.get("generated_at"), mtime),
                href=f"{township_dir.name}/{report_dir.name}/report.html",
                summary_href=f"{township_dir.name}/{report_dir.name}/summary.xlsx" if summary.is_file() else None,
            ))
    entries.sort(key=lambda e: (e.month, e.generated_at, e.township), reverse=True)
    return entries


def _county_entry(county_dir: Path, month_dir: Path) -> ReportEntry | None:
    """A county roll-up (``<county>/<YYYY-MM>/county.html``, see helpers.pipeline.county), or None."""
    page = month_dir / "county.html"
    if not page.is_file():
        return None
    try:
        record = json.loads((month_dir / "county.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    record = record if isinstance(record, dict) else {}
    workbook = month_dir / "county.xlsx"
    prefix = f"{county_dir.name}/{month_dir.name}"
    return ReportEntry(
        township=county_dir.name,
        township_name=f"{record.get('county') or county_dir.name}（县级汇总）",
        month=month_dir.name,
        generated_at=_parse_time(record.get("generated_at"), datetime.fromtimestamp(page.stat().st_mtime)),
        href=f"{prefix}/county.html",
        summary_href=f"{prefix}/county.xlsx" if workbook.is_file() else None,
    )


def _quote_href(href: str) -> str:
    from urllib.parse import quote

    return html.escape(quote(href), quote=True)


PAGE_CSS = """
body { margin: 0; font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
  "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; color: #1f2328; line-height: 1.6; }
main { max-width: 860px; margin: 0 auto; padding: 24px 16px 40px; }
h1 { font-size: 1.5rem; color: #b3261e; border-bottom: 2px solid #b3261e; padding-bottom: 8px; }
p.note { color: #5f6770; font-size: 0.9rem; }
.table-box { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
th, td { padding: 8px 10px; border-bottom: 1px solid #d8dbe0; text-align: left; white-space: nowrap; }
thead th { background: #f6f3ef; border-bottom: 2px solid #9aa0a6; }
a { color: #1f5fa8; }
@media (max-width: 640px) { main { padding: 16px 12px 32px; } th, td { padding: 6px 8px; font-size: 0.88rem; } }
"""


def index_html(entries: list[ReportEntry], built_at: datetime) -> str:
    """The index page: one self-contained HTML document (inline style, no scripts, relative links)."""
    e = html.escape
    rows = []
    for entry in entries:
        summary = (f'<a href="{_quote_href(entry.summary_href)}">Excel 汇总</a>' if entry.summary_href else "—")
        rows.append(
            "<tr>"
            f"<td>{e(entry.township_name)}</td>"
            f'<td><a href="{_quote_href(entry.href)}">{e(entry.month_label)}</a></td>'
            f"<td>{entry.generated_at:%Y-%m-%d %H:%M}</td>"
            f"<td>{summary}</td>"
            "</tr>"
        )
    body = ("\n".join(rows) if rows else '<tr><td colspan="4">还没有生成任何报告。</td></tr>')
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>工作月报目录</title>
<style>{PAGE_CSS}</style>
</head>
<body>
<main>
<h1>工作月报目录</h1>
<p class="note">共 {len(entries)} 份报告，按报告月份从新到旧排列。本页更新于 {built_at:%Y-%m-%d %H:%M}。</p>
<div class="table-box">
<table>
<thead><tr><th>乡镇</th><th>报告月份</th><th>生成时间</th><th>汇总表</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</div>
</main>
</body>
</html>
"""


def write_index(out_dir: Path, built_at: datetime | None = None) -> Path:
    """Rebuild ``out_dir/index.html`` from the reports on disk; the file is replaced in one step.

    Scanning and replacing happen under a lock (``.index.lock``, flock), so that of two writers the one
    that scans later also writes later: a writer never puts back an index older than what is on disk.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        page = index_html(scan_reports(out_dir), built_at or datetime.now())
        with replacing(out_dir / INDEX_FILE, ".html") as tmp:
            tmp.write_text(page, encoding="utf-8")
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
    return out_dir / INDEX_FILE
