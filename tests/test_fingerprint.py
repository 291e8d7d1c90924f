"""Incremental-render fingerprints: what counts as an input, what changes the digest."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.pipeline import fingerprint as fp


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def township(tmp_path) -> Path:
    folder = tmp_path / "data" / "t"
    write(folder / "township.yaml", "name: 测试镇\n")
    write(folder / "monthly.csv", "month,village,indicator,value\n2018-01,,a,1\n")
    return folder


def test_files_under_skips_hidden_bytecode_and_caches(tmp_path):
    write(tmp_path / "a.py", "x")
    write(tmp_path / "sub" / "b.j2", "x")
    write(tmp_path / ".backup" / "old.csv", "x")
    write(tmp_path / "__pycache__" / "a.cpython-311.pyc", "x")
    write(tmp_path / "c.pyc", "x")
    write(tmp_path / ".hidden", "x")
    assert [p.relative_to(tmp_path).as_posix() for p in fp.files_under(tmp_path)] == ["a.py", "sub/b.j2"]


def test_data_digest_changes_with_content_and_names_but_not_backups(township):
    before = fp.data_digest(township)
    assert fp.data_digest(township) == before
    write(township / ".backup" / "monthly.csv", "an older copy")
    assert fp.data_digest(township) == before
    write(township / "monthly.csv", "month,village,indicator,value\n2018-01,,a,2\n")
    changed = fp.data_digest(township)
    assert changed != before
    (township / "monthly.csv").rename(township / "monthly2.csv")
    assert fp.data_digest(township) != changed


def test_notebooks_digest_depends_on_order_and_bytes(tmp_path):
    a, b = write(tmp_path / "00_a.ipynb", "{}"), write(tmp_path / "10_b.ipynb", "{ }")
    assert fp.notebooks_digest([a, b]) != fp.notebooks_digest([b, a])
    before = fp.notebooks_digest([a, b])
    write(b, '{"cells": []}')
    assert fp.notebooks_digest([a, b]) != before


def test_source_digest_covers_templates(tmp_path):
    write(tmp_path / "helpers" / "x.py", "1")
    tpl = write(tmp_path / "helpers" / "templates" / "t" / "index.html.j2", "a")
    before = fp.source_digest(tmp_path / "helpers")
    write(tpl, "b")
    assert fp.source_digest(tmp_path / "helpers") != before


def test_requirement_names_parses_pins_extras_markers_and_comments(tmp_path):
    req = write(tmp_path / "requirements.txt",
                "# runtime\npandas==3.1.1\n-r other.txt\nrequests[socks]>=2 ; python_version>'3'\n\n"
                "nb-format~=5  # trailing\n--index-url x\n")
    assert fp.requirement_names(req) == ["pandas", "requests", "nb-format"]
    assert fp.requirement_names(tmp_path / "missing.txt") == []


def test_package_versions_reports_python_and_missing_packages():
    versions = fp.package_versions(["pandas", "no-such-package-xyz"])
    assert versions["python"].count(".") == 2
    assert versions["pandas"][0].isdigit()
    assert versions["no-such-package-xyz"] == "-"


def test_project_requirements_are_all_read():
    names = fp.requirement_names()
    assert {"pandas", "papermill", "nbconvert", "openpyxl"} <= set(names)


def shared(**changes) -> fp.SharedDigests:
    base = {"notebooks": "n", "source": "s", "packages": "p"}
    return fp.SharedDigests(**{**base, **changes})


@pytest.mark.parametrize("change", [
    {"data": "d2"}, {"notebooks": "n2"}, {"source": "s2"}, {"packages": "p2"},
    {"parameters": {"township": "t", "month": "2018-07", "data_dir": "/d"}},
])
def test_every_input_changes_the_fingerprint(change):
    params = {"township": "t", "month": "2018-08", "data_dir": "/d"}
    base = fp.month_fingerprint("d", shared(), params)
    data = change.get("data", "d")
    other_shared = shared(**{k: v for k, v in change.items() if k in ("notebooks", "source", "packages")})
    other = fp.month_fingerprint(data, other_shared, change.get("parameters", params))
    assert other.digest != base.digest
    assert other.changed_parts({"parts": dict(base.parts)}) == [next(iter(change))]


def test_stored_record_round_trip_and_is_current(tmp_path):
    f = fp.month_fingerprint("d", shared(), {"township": "t", "month": "2018-08", "data_dir": "/d"})
    assert not fp.is_current(tmp_path, f)
    fp.write_stored(tmp_path, f, {"township_name": "测试镇", "generated_at": "2018-09-01T08:00:00"})
    assert not fp.is_current(tmp_path, f), "a fingerprint without its report.html is not a report"
    (tmp_path / "report.html").write_text("<html></html>", encoding="utf-8")
    assert fp.is_current(tmp_path, f)
    record = fp.read_stored(tmp_path)
    assert record["report"]["township_name"] == "测试镇"
    assert f.changed_parts(record) == []
    other = fp.month_fingerprint("d2", shared(), {"township": "t", "month": "2018-08", "data_dir": "/d"})
    assert not fp.is_current(tmp_path, other)


def test_unreadable_record_is_not_current(tmp_path):
    (tmp_path / fp.FINGERPRINT_FILE).write_text("{not json", encoding="utf-8")
    (tmp_path / "report.html").write_text("x", encoding="utf-8")
    assert fp.read_stored(tmp_path) is None
    assert not fp.is_current(tmp_path, fp.Fingerprint("x", {}))
