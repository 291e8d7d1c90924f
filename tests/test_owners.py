"""Owners (责任单位) of indicators, projects and rectifications: contract, validation, facts, 存在问题, workbook."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from builders import make_township
from conftest import FIXTURE_DATA_DIR

from helpers.config import DATA_DIR
from helpers.data.periods import as_month
from helpers.data.schema import OWNER_CHARS, TABLES_BY_NAME
from helpers.data.township import load_township
from helpers.data.workbook.importing import import_workbook
from helpers.data.workbook.terms import SHEET_NAMES
from helpers.data.workbook.writing import write_workbook
from helpers.exceptions import DataValidationError
from helpers.report.prose.attention import attention_list
from helpers.report.prose.facts import report_facts
from helpers.report.prose.narrative import problems_and_plans_html, problems_section

OWNED = {"indicators": "indicator", "projects": "project_id", "rectifications": "item_id"}


def csv_owners(folder, table: str) -> dict[str, str]:
    """Key -> owner as written in the CSV file ("" for a blank cell), read here with the csv module."""
    with open(folder / f"{table}.csv", encoding="utf-8") as f:
        return {row[OWNED[table]]: row["owner"].strip() for row in csv.DictReader(f)}


def test_owner_is_an_optional_column_of_three_tables():
    for name in OWNED:
        col = TABLES_BY_NAME[name].col("owner")
        assert (col.zh, col.required, col.optional_column) == ("责任单位", False, True)


def test_sample_names_some_owners_and_leaves_others_blank():
    for table in OWNED:
        owners = csv_owners(DATA_DIR / "sample", table)
        assert any(owners.values()) and not all(owners.values()), table


def test_a_file_without_the_owner_column_still_loads(tmp_path):
    header = (FIXTURE_DATA_DIR / "mini" / "indicators.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "owner" not in header  # the mini township is written as before the column existed
    tw = load_township(FIXTURE_DATA_DIR, "mini")
    for table in OWNED:
        assert getattr(tw, table)["owner"].isna().all()


@pytest.mark.parametrize(("value", "reason"), [
    ("12345", "不是数字"), ("局" * (OWNER_CHARS + 1), "过长"), ("镇环保办\n镇安监站", "一行文字")])
def test_an_absurd_owner_is_refused_with_file_row_and_column(sample_copy, value, reason):
    path = sample_copy / "sample" / "projects.csv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("owner")
    rows[3][col] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(DataValidationError) as caught:
        load_township(sample_copy, "sample")
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("projects.csv", 4, "owner（责任单位）")
    assert reason in problem.reason


def test_a_blank_owner_is_fine(sample):
    assert sample.projects["owner"].isna().any() and sample.projects["owner"].notna().any()


def test_facts_carry_the_owners(sample):
    facts = report_facts(sample, as_month("2018-08"))
    indicators = csv_owners(DATA_DIR / "sample", "indicators")
    for key, fact in facts.indicators.items():
        assert fact.owner == (indicators[key] or None)
    projects = csv_owners(DATA_DIR / "sample", "projects")
    for p in facts.projects:
        assert p.owner == (projects[p.project_id] or None)
    rect = csv_owners(DATA_DIR / "sample", "rectifications")
    for g in facts.rectifications:
        ids = sample.rectifications.loc[(sample.rectifications["category"] == g.category)
                                        & (sample.rectifications["issued"] <= facts.month), "item_id"]
        expected = list(dict.fromkeys(rect[i] for i in ids if rect[i]))
        assert g.owner == ("、".join(expected) or None)


def test_problems_name_the_owner_where_given_and_nothing_where_not(sample):
    frame = attention_list(sample, as_month("2018-08"))
    owners = {t: csv_owners(DATA_DIR / "sample", t) for t in OWNED}
    text = problems_section(report_facts(sample, as_month("2018-08"))).text
    given = frame[frame["owner"] != ""]
    assert len(given) >= 3  # an indicator, a project and a rectification of the sample have one
    assert text.count("责任单位：") == len(given)
    for owner in given["owner"]:
        assert f"（责任单位：{owner}" in text
    for item in frame.loc[frame["owner"] == "", "item"]:  # e.g. a rule: no owner after its line
        line = text.split(item, 1)[1].split("；", 1)[0].split("。", 1)[0]
        assert "责任单位" not in line
    indicator_items = frame[frame["kind"] == "滞后"]
    names = sample.indicators.set_index("name")["indicator"]
    for r in indicator_items.itertuples():
        assert r.owner == owners["indicators"][names[r.item]]


def test_the_due_month_is_named_while_it_is_still_ahead_and_not_once_it_has_passed():
    projects = [("P1", "甲路", "economy", "交通", None, 100, "2018-01", "2018-09", "镇交通办"),
                ("P2", "乙路", "economy", "交通", None, 100, "2018-01", "2018-03", "镇建设办"),
                ("P3", "丙路", "economy", "交通", None, 100, "2018-01", "2018-09")]
    progress = [(m, p, "在建", 30, None) for m in ("2018-03", "2018-04", "2018-05") for p in ("P1", "P2", "P3")]
    tw = make_township(projects=projects, project_progress=progress)
    text = problems_section(report_facts(tw, as_month("2018-05")), "economy").text
    assert "甲路推进停滞" in text and "（责任单位：镇交通办，限9月底前）" in text
    assert "乙路逾期未完成" in text and "（责任单位：镇建设办）" in text  # past its due month: owner only
    assert text.count("责任单位") == 2  # 丙路 has none


def test_a_due_month_in_another_year_says_the_year():
    tw = make_township(projects=[("P1", "甲路", "economy", "交通", None, 100, "2018-01", "2019-03", "镇交通办")],
                       project_progress=[(m, "P1", "在建", 30, None) for m in ("2018-03", "2018-04", "2018-05")])
    assert "（责任单位：镇交通办，限2019年3月底前）" in problems_section(report_facts(tw, as_month("2018-05"))).text


def test_a_township_without_owners_names_none(tmp_path):
    tw = load_township(FIXTURE_DATA_DIR, "mini")
    assert "责任单位" not in problems_section(report_facts(tw, as_month("2020-04"))).text


@pytest.mark.e2e  # the whole sample through a workbook and back (11 s)
def test_workbook_round_trip_keeps_the_owners(sample, tmp_path):
    path = write_workbook(DATA_DIR / "sample", tmp_path / "sample.xlsx")
    book = openpyxl.load_workbook(path)
    for table in OWNED:
        header = [c.value for c in book[SHEET_NAMES[table]][1]]
        assert "责任单位" in header, table
    folder = import_workbook(path, tmp_path / "data", "copy")
    for table in OWNED:
        assert csv_owners(folder, table) == csv_owners(DATA_DIR / "sample", table)
    back = load_township(tmp_path / "data", "copy")
    for table in OWNED:
        assert getattr(back, table)["owner"].fillna("").tolist() == getattr(sample, table)["owner"].fillna("").tolist()


@pytest.mark.e2e
def test_an_owner_typed_into_the_workbook_is_imported(sample, tmp_path):
    path = write_workbook(DATA_DIR / "sample", tmp_path / "sample.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_NAMES["rectifications"]]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("责任单位") + 1, value="镇综合执法队")
    book.save(path)
    folder = import_workbook(path, tmp_path / "data", "copy")
    first = next(iter(csv_owners(folder, "rectifications").items()))
    assert first[1] == "镇综合执法队"


def test_an_owner_with_markup_is_shown_as_text():
    tw = make_township(projects=[("P1", "甲路", "economy", "交通", None, 100, "2018-01", "2018-09",
                                  '<script>alert(1)</script>')],
                       project_progress=[(m, "P1", "在建", 30, None) for m in ("2018-03", "2018-04", "2018-05")])
    html = problems_and_plans_html(tw, as_month("2018-05"), "economy")
    assert "<script>" not in html and "责任单位：&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_plans_name_each_owner_only_for_what_it_answers_for(sample):
    """A merged 下步打算 sentence names an owner with the indicators it owns.

    Never as if it answered for the others; one owner for the whole sentence reads "（X负责）".
    """
    import re

    from helpers.report.prose.narrative import plans_section

    owners = csv_owners(DATA_DIR / "sample", "indicators")
    by_name = {name: owners[code] for code, name in sample.indicators.set_index("indicator")["name"].items()}
    text = plans_section(report_facts(sample, as_month("2018-08"))).text
    grouped = re.findall(r"（([^（）]+)由([^（）、]+)负责）", text)
    assert grouped, "the sample has a merged sentence mixing owned and unowned indicators"
    for names, owner in grouped:
        for name in names.split("、"):
            assert by_name.get(name, owner) == owner, name
    for sentence in re.split(r"[；。]", text):
        if "分别还差" in sentence and "负责）" in sentence:
            listed = sentence.split("距年度目标")[0].split("是", 1)[-1].split("、")
            if any(not by_name.get(n) for n in listed):
                assert "由" in sentence.split("（")[-1]  # the owned ones by name, not a bare （X负责）
