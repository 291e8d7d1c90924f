"""helpers.data.workbook: the data-entry template, a township written into it, and import back to CSV."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from helpers.cli import EXIT_INVALID, EXIT_OK, main
from helpers.config import DATA_DIR
from helpers.data.schema import INFO_FIELDS, TABLES, Col
from helpers.data.township import load_township
from helpers.data.workbook.columns import cell_value, display_width
from helpers.data.workbook.importing import BACKUP_DIR, import_workbook
from helpers.data.workbook.notes_sheet import NOTES_SHEET
from helpers.data.workbook.terms import INFO_LABELS, INFO_SHEET, SHEET_NAMES, sheet_header
from helpers.data.workbook.writing import write_template, write_workbook
from helpers.exceptions import DataValidationError
from tests.builders import tree_hash


def assert_same_tables(a, b) -> None:
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(a, table.name), getattr(b, table.name), obj=table.name)


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory) -> Path:
    """The sample township written into the template layout."""
    path = tmp_path_factory.mktemp("book") / "sample.xlsx"
    write_workbook(DATA_DIR / "sample", path)
    return path


def test_template_has_every_sheet_with_chinese_headers(tmp_path, capsys):
    path = tmp_path / "录入模板.xlsx"
    assert main(["template", str(path)]) == EXIT_OK
    assert "录入模板.xlsx" in capsys.readouterr().out
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [NOTES_SHEET, INFO_SHEET, *(SHEET_NAMES[t.name] for t in TABLES)]
    assert book.active.title == "月度数据"
    assert [c.value for c in book["月度数据"][1]] == ["月份", "村（社区）", "指标", "数值"]  # a name or a code
    for table in TABLES:
        sheet = book[SHEET_NAMES[table.name]]
        assert [c.value for c in sheet[1]] == [sheet_header(c) for c in table.columns]
        assert sheet.max_row == 3  # two example rows, marked
        assert all(sheet.cell(row=r, column=1).comment.text.startswith("示例") for r in (2, 3))
        assert sheet.freeze_panes == "A2"
        for i, col in enumerate(table.columns, start=1):
            assert sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width >= display_width(col.zh)
            assert col.id in sheet.cell(row=1, column=i).comment.text
    profile = book[INFO_SHEET]
    assert [c.value for c in profile[1]][:2] == ["项目", "内容"]
    assert [r[0] for r in profile.iter_rows(min_row=2, values_only=True)][:2] == ["乡镇名称", "所属县"]


def test_template_notes_explain_every_column(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    rows = list(openpyxl.load_workbook(path)[NOTES_SHEET].iter_rows(min_row=3, values_only=True))
    documented = {(r[0], r[1]): r for r in rows}
    for table in TABLES:
        for col in table.columns:
            sheet, col_id, zh, kind, required, allowed, note, example = documented[(SHEET_NAMES[table.name], col.id)]
            assert zh == sheet_header(col) and kind
            assert required == ("是" if col.required else "否")
            for value in col.allowed:
                assert value in allowed
    for fid, *_ in INFO_FIELDS:
        assert (INFO_SHEET, fid) in documented


def test_template_dropdowns_and_text_format(tmp_path):
    book = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    rules = {str(dv.sqref): dv for dv in book["建档立卡户"].data_validations.dataValidation}
    assert rules["G2:G1048576"].formula1 == '"是,否"'  # housing_safe
    assert rules["B2:B1048576"].formula1.startswith("'村（社区）'!$A$2")  # village from the villages sheet
    assert all(dv.showErrorMessage and dv.errorTitle and "下拉" in dv.error for dv in rules.values())
    events = {str(dv.sqref): dv.formula1 for dv in book["工作事项"].data_validations.dataValidation}
    assert "清运" in events["C2:C1048576"] and "党建" in events["B2:B1048576"]
    monthly = {str(dv.sqref): dv for dv in book["月度数据"].data_validations.dataValidation}
    assert monthly["C2:C1048576"].formula1 == "'指标'!$C$2:$C$1048576"  # indicators by name
    assert monthly["C2:C1048576"].showErrorMessage
    indicators = {str(dv.sqref): dv.formula1 for dv in book["指标"].data_validations.dataValidation}
    assert indicators["E2:E1048576"] == '"流量,存量,比率"' and indicators["F2:F1048576"] == '"越高越好,越低越好"'
    assert book["月度数据"].column_dimensions["A"].number_format == "@"  # months typed later stay text
    assert book["月度数据"].column_dimensions["D"].number_format != "@"  # values stay numbers


def test_template_header_is_protected_without_password_and_the_rest_is_editable(tmp_path):
    book = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    sheet = book["月度数据"]
    assert sheet.protection.sheet and not sheet.protection.password
    assert not sheet.protection.insertRows and not sheet.protection.deleteRows  # allowed
    assert sheet["A1"].protection.locked and not sheet["A2"].protection.locked
    assert not sheet.column_dimensions["A"].protection.locked  # rows typed later stay editable
    assert sheet.freeze_panes == "A2"


def test_blank_template_examples_are_skipped_on_import(tmp_path, capsys):
    """Only the two example rows and the township sheet filled: the examples do not arrive."""
    path = tmp_path / "t.xlsx"
    assert main(["template", str(path)]) == EXIT_OK
    book = openpyxl.load_workbook(path)
    for row in book[INFO_SHEET].iter_rows(min_row=2, max_row=8):
        row[1].value = {"乡镇名称": "测试乡", "所属县": "某县"}.get(row[0].value, 1)
    sheet = book["村（社区）"]
    sheet.append(["甲村", "第一党总支", "村", 300, "否", None])
    book["指标"].append(["visits", "党建", "民情恳谈", "次", "流量", "越高越好"])
    book["月度数据"].append(["2020-01", "甲村", "民情恳谈", 9])
    book.save(path)
    capsys.readouterr()
    assert main(["import", str(path), "--township", "t", "--data-dir", str(tmp_path / "d")]) == EXIT_OK
    assert "跳过了 22 行“示例”行" in capsys.readouterr().out
    township = load_township(tmp_path / "d", "t")
    assert list(township.villages["village"]) == ["甲村"]
    assert list(township.monthly["indicator"]) == ["visits"]
    assert list(township.indicators["kind"]) == ["flow"] and list(township.indicators["better"]) == ["higher"]


def test_a_changed_example_row_is_refused(tmp_path, capsys):
    path = write_template(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    book["月度数据"]["D2"] = 150  # the clerk typed over the example
    book.save(path)
    assert main(["import", str(path), "--township", "t", "--data-dir", str(tmp_path / "d")]) == EXIT_INVALID
    assert "工作簿 t.xlsx，工作表“月度数据”，第 2 行：这一行标着“示例”" in capsys.readouterr().err


def test_sample_written_and_imported_round_trips(sample, sample_book, tmp_path, capsys):
    data_dir = tmp_path / "data"
    code = main(["import", str(sample_book), "--township", "镇副本", "--data-dir", str(data_dir)])
    assert code == EXIT_OK, capsys.readouterr().err
    assert "镇副本" in capsys.readouterr().out
    assert sorted(p.name for p in (data_dir / "镇副本").iterdir()) == sorted(
        [t.file for t in TABLES] + ["township.yaml"])
    back = load_township(data_dir, "镇副本")
    assert back.info == sample.info
    assert_same_tables(sample, back)
    header = (data_dir / "镇副本" / "monthly.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "month,village,indicator,value"  # English ids, UTF-8
    assert not list(data_dir.glob(".import-*"))


@pytest.mark.e2e
def test_loaded_township_written_and_imported_round_trips(sample, tmp_path):
    path = write_workbook(sample, tmp_path / "typed.xlsx")
    assert_same_tables(sample, load_township(import_workbook(path, tmp_path / "data", "t").parent, "t"))


def test_month_and_date_cells_are_text(sample_book):
    book = openpyxl.load_workbook(sample_book)
    month = book["月度数据"]["A2"]
    assert (month.value, month.data_type, month.number_format) == ("2017-01", "s", "@")
    assert book["工作事项"]["A2"].data_type == "s"
    assert book["月度数据"]["D2"].data_type == "n"
    assert isinstance(book["村（社区）"]["D2"].value, int)
    profile = {r[0]: r[1] for r in book[INFO_SHEET].iter_rows(min_row=2, values_only=True)}
    assert profile["乡镇名称"] == "XX镇"
    assert yaml.safe_load(profile["脱贫收入标准（元/人）"]) == {2016: 3100, 2017: 3300, 2018: 3600}


def test_text_starting_with_equals_stays_text(tmp_path):
    frames = {"highlights": pd.DataFrame({"month": ["2018-08"], "area": ["party"], "text": ["=SUM(A1)"]})}
    book = openpyxl.load_workbook(write_workbook(frames, tmp_path / "x.xlsx"))
    cell = book["工作亮点"]["C2"]
    assert (cell.value, cell.data_type) == ("=SUM(A1)", "s")


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("int", "1,459", 1459),
    ("number", "73.04", 73.04),
    ("number", 3300.0, 3300),
    ("number", "约100", "约100"),
    ("month", "2018-8", "2018-08"),
    ("month", pd.Period("2018-08", freq="M"), "2018-08"),
    ("date", pd.Timestamp("2018-03-15"), "2018-03-15"),
    ("bool", True, "是"),
    ("ref_villages", ["高龙村", "拦江村"], "高龙村、拦江村"),
    ("ref_villages", [], None),
    ("text", "", None),
    ("text", pd.NA, None),
    ("int", pd.NA, None),
])
def test_cell_value(kind, value, expected):
    assert cell_value(Col("x", "x", kind), value) == expected


def corrupt(book_path: Path, out: Path) -> Path:
    book = openpyxl.load_workbook(book_path)
    book["月度数据"]["D3"] = "很多"
    book["建档立卡户"]["C2"] = 0
    book.save(out)
    return out


@pytest.mark.e2e
def test_import_of_invalid_workbook_writes_nothing(sample_book, sample_copy, tmp_path, capsys):
    bad = corrupt(sample_book, tmp_path / "bad.xlsx")
    before = tree_hash(sample_copy)
    for township in ("sample", "new"):  # over existing data and into a new folder
        code = main(["import", str(bad), "--township", township, "--data-dir", str(sample_copy)])
        assert code == EXIT_INVALID
        err = capsys.readouterr().err
        assert "工作簿 bad.xlsx，工作表“月度数据”，第 3 行，“数值”列，值 “很多”：不是数字" in err
        assert "工作簿 bad.xlsx，工作表“建档立卡户”，第 2 行，“人口数”列" in err
        assert ".csv" not in err
        assert tree_hash(sample_copy) == before


@pytest.mark.e2e
def test_import_into_a_missing_data_dir_writes_nothing_when_invalid(sample_book, tmp_path, capsys):
    bad = corrupt(sample_book, tmp_path / "bad.xlsx")
    assert main(["import", str(bad), "--township", "x", "--data-dir", str(tmp_path / "nowhere")]) == EXIT_INVALID
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.e2e
def test_import_profile_problems_name_the_sheet(sample_book, tmp_path):
    book = openpyxl.load_workbook(sample_book)
    for row in book[INFO_SHEET].iter_rows(min_row=2):
        if row[0].value == "总人口":
            row[1].value = "很多人"
    book.save(tmp_path / "p.xlsx")
    with pytest.raises(DataValidationError) as caught:
        import_workbook(tmp_path / "p.xlsx", tmp_path / "data", "x")
    (problem,) = caught.value.problems
    assert (problem.file, problem.sheet, problem.row) == ("p.xlsx", INFO_SHEET, 8)
    assert str(problem) == "工作簿 p.xlsx，工作表“乡镇概况”，第 8 行，值 “很多人”：“总人口”：不是数字"


@pytest.mark.parametrize("township", ["../escape", "a/b", ".backup"])
def test_import_rejects_a_township_name_that_is_a_path(sample_book, tmp_path, capsys, township):
    code = main(["import", str(sample_book), "--township", township, "--data-dir", str(tmp_path / "data")])
    assert code == EXIT_INVALID
    assert "乡镇名称" in capsys.readouterr().err
    assert not (tmp_path / "data").exists() and not (tmp_path / "escape").exists()


def test_import_of_a_missing_workbook(tmp_path, capsys):
    assert main(["import", str(tmp_path / "none.xlsx"), "--township", "x", "--data-dir", str(tmp_path)]) == 2
    assert "工作簿文件不存在" in capsys.readouterr().err


@pytest.mark.e2e
def test_import_over_existing_data_keeps_a_timestamped_backup(sample_book, sample_copy, tmp_path):
    folder = sample_copy / "sample"
    old_monthly = (folder / "monthly.csv").read_bytes()
    old_villages = (folder / "villages.csv").read_bytes()
    book = openpyxl.load_workbook(sample_book)
    book["月度数据"]["D2"] = 2500
    book.save(tmp_path / "new.xlsx")

    assert import_workbook(tmp_path / "new.xlsx", sample_copy, "sample") == folder
    (backup,) = (folder / BACKUP_DIR).iterdir()
    assert re.fullmatch(r"\d{8}-\d{6}", backup.name)
    assert (backup / "monthly.csv").read_bytes() == old_monthly
    assert not (backup / "township.yaml").exists()  # the same profile: the township's own file is kept
    assert load_township(sample_copy, "sample").monthly.loc[0, "value"] == 2500
    assert (folder / "villages.csv").read_bytes() == old_villages  # same content: rewritten identically
    assert not (backup / "villages.csv").exists()

    book["月度数据"]["D2"] = 2600  # a second import in the same second gets its own backup
    book.save(tmp_path / "newer.xlsx")
    import_workbook(tmp_path / "newer.xlsx", sample_copy, "sample")
    backups = sorted((folder / BACKUP_DIR).iterdir())
    assert len(backups) == 2
    assert b"2500" in (backups[1] / "monthly.csv").read_bytes()
    assert not list(sample_copy.glob(".import-*"))


def test_backup_is_ignored_by_git():
    gitignore = (DATA_DIR.parent / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "data/*/.backup/" in gitignore


@pytest.mark.e2e
def test_import_without_profile_sheet_keeps_existing_profile(sample_book, sample_copy, tmp_path):
    book = openpyxl.load_workbook(sample_book)
    del book[INFO_SHEET]
    book.save(tmp_path / "np.xlsx")
    old_profile = (sample_copy / "sample" / "township.yaml").read_bytes()
    import_workbook(tmp_path / "np.xlsx", sample_copy, "sample")
    assert (sample_copy / "sample" / "township.yaml").read_bytes() == old_profile
    with pytest.raises(DataValidationError, match="缺少工作表“乡镇概况”"):
        import_workbook(tmp_path / "np.xlsx", sample_copy, "new")
    assert not (sample_copy / "new").exists()


def test_filled_template_imports(tmp_path):
    """A user types rows into the blank template, months as Excel dates, numbers as text."""
    path = write_workbook({}, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    profile = {"name": "测试乡", "county": "某县", "distance_to_county_km": "12", "area_km2": 30.5,
               "town_area_km2": 1, "population": 8000, "poverty_line_yuan": "2020：4000"}
    labels = {INFO_LABELS.get(f, f): f for f, *_ in INFO_FIELDS}
    for row in book[INFO_SHEET].iter_rows(min_row=2):
        row[1].value = profile.get(labels[row[0].value])
    book["村（社区）"].append(["甲村", "第一党总支", "村", 3000, "是", 2020])
    book["村（社区）"].append(["乙社区", "第一党总支", "社区", 5000, "否", None])
    book["指标"].append(["visits", "党建", "民情恳谈", "次", "flow", "higher"])  # English choices still read
    book["月度数据"].append([dt.datetime(2020, 1, 1), "甲村", "visits", 9])
    book["月度数据"].append(["2020-01", "乙社区", "visits", "8"])
    book.save(path)
    folder = import_workbook(path, tmp_path / "data", "测试乡")
    township = load_township(folder.parent, "测试乡")
    assert township.info["distance_to_county_km"] == 12
    assert township.info["poverty_line_yuan"] == {2020: 4000}
    assert list(township.monthly["value"]) == [9.0, 8.0]
    assert (folder / "monthly.csv").read_text(encoding="utf-8").splitlines()[1] == "2020-01,甲村,visits,9"
    assert list(township.indicators["area"]) == ["party"]


def test_the_monthly_value_header_says_not_cumulative(tmp_path):
    book = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    assert "不是 1 月以来的累计数" in book["月度数据"]["D1"].comment.text
    assert "不是累计数" in book[NOTES_SHEET]["A1"].value


CONTRACT_WORDS = re.compile(r"\b(flow|stock|rate|higher|lower|economy|safety|party|livelihood|overview)\b")
"""The contract's English values, which the sheets show in Chinese."""


def dropdown_values(sheet) -> dict[int, list[str]]:
    """Column number -> the values of its in-cell list (closed lists only)."""
    found: dict[int, list[str]] = {}
    for dv in sheet.data_validations.dataValidation:
        if dv.formula1 and dv.formula1.startswith('"'):
            col = openpyxl.utils.cell.coordinate_from_string(str(dv.sqref).split(":")[0])[0]
            found[openpyxl.utils.column_index_from_string(col)] = dv.formula1.strip('"').split(",")
    return found


def notes_match_the_sheets(book) -> None:
    """Every 说明 row of a column says what that column of its sheet shows: header, values, example."""
    rows = list(book[NOTES_SHEET].iter_rows(min_row=3, values_only=True))
    documented = {(r[0], r[1]): r for r in rows if r[1]}
    villages = {str(r[0]) for r in book[SHEET_NAMES["villages"]].iter_rows(min_row=2, values_only=True)}
    for table in TABLES:
        sheet = book[SHEET_NAMES[table.name]]
        lists = dropdown_values(sheet)
        for i, col in enumerate(table.columns, start=1):
            _sheet, _id, zh, _kind, _req, allowed, note, example = documented[(sheet.title, col.id)]
            where = f"{sheet.title}.{col.id}"
            assert zh == sheet.cell(row=1, column=i).value, where
            shown = {str(c) for (c,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i, values_only=True)
                     if c is not None}
            if shown and example is not None:
                assert example in shown, (where, example)
            for value in lists.get(i, []):
                assert value in (allowed or ""), (where, value, allowed)
            if i in lists and example is not None:
                assert example in lists[i], (where, example)
            if col.kind == "ref_village" and example is not None:
                assert example in villages, (where, example)
            if col.id != "indicator" or table.name != "indicators":
                assert not CONTRACT_WORDS.search(str(example or "")), (where, example)
            assert not CONTRACT_WORDS.search(str(note or "").replace("report.yaml", "")), (where, note)


def test_template_notes_sheet_says_what_the_sheets_show(tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    assert main(["template", str(path)]) == EXIT_OK
    book = openpyxl.load_workbook(path)
    notes_match_the_sheets(book)
    documented = {(r[0], r[1]): r for r in book[NOTES_SHEET].iter_rows(min_row=3, values_only=True)}
    assert documented[("月度数据", "indicator")][2] == "指标"
    assert documented[("月度数据", "indicator")][7] == "藤椒栽植面积"
    assert documented[("指标", "kind")][7] == "流量" and documented[("指标", "better")][7] == "越高越好"
    assert documented[("指标", "area")][7] == "富民强镇"


@pytest.mark.parametrize("township", ["sample", "qingshi"])
def test_exported_notes_sheet_says_what_the_sheets_show(tmp_path, capsys, township):
    path = tmp_path / f"{township}.xlsx"
    assert main(["export", "--township", township, "--data-dir", str(DATA_DIR), str(path)]) == EXIT_OK
    book = openpyxl.load_workbook(path)
    notes_match_the_sheets(book)
    report = yaml.safe_load((DATA_DIR / township / "report.yaml").read_text(encoding="utf-8")) \
        if (DATA_DIR / township / "report.yaml").exists() else None
    allowed = {(r[0], r[1]): r[5] for r in book[NOTES_SHEET].iter_rows(min_row=3, values_only=True)}
    areas = allowed[("指标", "area")]
    if report is not None:
        for area in report["areas"]:
            assert area["short"] in areas
        assert "富民强镇" not in areas
    else:
        assert "富民强镇" in areas


def entered_per_village(book) -> tuple[set[str], set[str]]:
    """Indicators the 月度数据 sheet has village rows for, and those it has only whole-township rows for."""
    rows = list(book[SHEET_NAMES["monthly"]].iter_rows(min_row=2, values_only=True))
    by_village = {str(r[2]) for r in rows if r[1] is not None}
    return by_village, {str(r[2]) for r in rows if r[1] is None} - by_village


def says_per_village_or_whole(book) -> None:
    by_village, whole = entered_per_village(book)
    assert by_village and whole
    ws = book[SHEET_NAMES["indicators"]]
    seen = set()
    for row in ws.iter_rows(min_row=2):
        name = row[2]
        if name.value in by_village:
            assert name.comment is not None and "按村" in name.comment.text, name.value
            seen.add(name.value)
        elif name.value in whole:
            assert name.comment is not None and "全镇" in name.comment.text and "按村" not in name.comment.text
            seen.add(name.value)
    assert seen == by_village | whole
    notes = {(r[0], r[1]): r for r in book[NOTES_SHEET].iter_rows(min_row=3, values_only=True)}
    line = notes[("月度数据", "village")][6]
    per_village, _, rest = line.partition("按村")[2].partition("全镇")
    assert all(n in per_village for n in by_village) and all(n not in per_village for n in whole), line
    assert all(n in rest for n in whole), line
    assert "按村" in book[NOTES_SHEET]["A1"].value


def test_template_says_which_indicators_are_entered_per_village(tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    assert main(["template", str(path)]) == EXIT_OK
    book = openpyxl.load_workbook(path)
    assert entered_per_village(book) == ({"藤椒栽植面积"}, {"安全生产事故"})  # the examples show both cases
    says_per_village_or_whole(book)


@pytest.mark.parametrize("township", ["sample", "qingshi"])
def test_export_says_which_indicators_are_entered_per_village(tmp_path, capsys, township):
    path = tmp_path / f"{township}.xlsx"
    assert main(["export", "--township", township, "--data-dir", str(DATA_DIR), str(path)]) == EXIT_OK
    says_per_village_or_whole(openpyxl.load_workbook(path))
