"""outputs/index.html: built from the reports on disk, newest first, self-contained."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from helpers.pipeline.index_page import index_html, scan_reports, write_index


def make_report(out: Path, township: str, month: str, generated: str | None, name: str | None = None,
                summary: bool = True) -> Path:
    folder = out / township / month
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    if summary:
        (folder / "summary.xlsx").write_bytes(b"PK")
    if generated is not None:
        record = {"digest": "x", "parts": {}, "report": {"township": township, "township_name": name or township,
                                                         "month": month, "generated_at": generated}}
        (folder / "fingerprint.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return folder


def test_scan_orders_newest_month_first_and_ignores_what_is_not_a_report(tmp_path):
    make_report(tmp_path, "sample", "2018-07", "2018-09-01T10:00:00", "XX镇")
    make_report(tmp_path, "sample", "2018-08", "2018-09-01T09:00:00", "XX镇")
    make_report(tmp_path, "mini", "2018-08", "2018-09-01T11:00:00", "示例乡", summary=False)
    make_report(tmp_path, "sample", "2018-06.failed", "2018-09-01T09:00:00")
    make_report(tmp_path, "sample", ".2018-05.tmp-abc", "2018-09-01T09:00:00")
    make_report(tmp_path, ".hidden", "2018-08", "2018-09-01T09:00:00")
    (tmp_path / "sample" / "2018-04").mkdir()  # a month folder without report.html
    entries = scan_reports(tmp_path)
    assert [(e.township, e.month) for e in entries] == [("mini", "2018-08"), ("sample", "2018-08"),
                                                        ("sample", "2018-07")]
    assert entries[0].township_name == "示例乡" and entries[0].summary_href is None
    assert entries[1].href == "sample/2018-08/report.html"
    assert entries[1].summary_href == "sample/2018-08/summary.xlsx"
    assert entries[1].month_label == "2018年8月"
    assert entries[1].generated_at == datetime(2018, 9, 1, 9, 0)


def test_missing_fingerprint_falls_back_to_folder_name_and_file_time(tmp_path):
    make_report(tmp_path, "sample", "2018-08", None)
    (entry,) = scan_reports(tmp_path)
    assert entry.township_name == "sample"
    assert abs((datetime.now() - entry.generated_at).total_seconds()) < 120


def test_scan_of_a_missing_folder_is_empty(tmp_path):
    assert scan_reports(tmp_path / "nothing") == []


def test_page_lists_reports_with_relative_links_and_no_outside_resources(tmp_path):
    make_report(tmp_path, "sample", "2018-08", "2018-09-01T09:30:00", "XX镇")
    make_report(tmp_path, "东山<乡>", "2018-08", "2018-09-01T08:00:00", "东山<乡>")
    page = index_html(scan_reports(tmp_path), datetime(2018, 9, 2, 8, 0))
    assert "XX镇" in page and "2018年8月" in page and "2018-09-01 09:30" in page
    assert 'href="sample/2018-08/report.html"' in page
    assert "东山&lt;乡&gt;" in page and "<乡>" not in page
    assert "共 2 份报告" in page
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page)
    assert "<script" not in page and "@import" not in page
    assert page.index("XX镇") < page.index("东山&lt;乡&gt;")


def test_empty_page_says_so():
    assert "还没有生成任何报告" in index_html([], datetime(2018, 9, 1))


def test_write_index_is_rebuilt_from_disk(tmp_path):
    first = make_report(tmp_path, "sample", "2018-07", "2018-08-01T09:00:00")
    make_report(tmp_path, "sample", "2018-08", "2018-09-01T09:00:00")
    path = write_index(tmp_path)
    assert path == tmp_path / "index.html"
    assert "2018年7月" in path.read_text(encoding="utf-8")
    for f in first.iterdir():
        f.unlink()
    first.rmdir()
    text = write_index(tmp_path).read_text(encoding="utf-8")
    assert "2018年7月" not in text and "2018年8月" in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".index-")] == []


def test_write_index_waits_for_another_writer_and_then_sees_its_reports(tmp_path):
    import fcntl
    import os
    import threading

    make_report(tmp_path, "sample", "2018-07", "2018-08-01T09:00:00")
    lock = os.open(tmp_path / ".index.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)  # another writer is between its scan and its replace
    writer = threading.Thread(target=write_index, args=(tmp_path,))
    writer.start()
    writer.join(timeout=0.5)
    assert writer.is_alive(), "write_index must wait for the lock"
    make_report(tmp_path, "sample", "2018-08", "2018-09-01T09:00:00")
    fcntl.flock(lock, fcntl.LOCK_UN)
    os.close(lock)
    writer.join(timeout=10)
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "2018年7月" in text and "2018年8月" in text
