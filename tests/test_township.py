"""helpers.data.township: every accepted way of writing a township loads to the same typed tables."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers.config import DATA_DIR
from helpers.data.report_profile.reading import default_profile
from helpers.data.schema import INFO_FIELDS, TABLES, TABLES_BY_NAME
from helpers.data.township import Township, load_township
from helpers.data.workbook.terms import SHEET_NAMES
from helpers.data.workbook.writing import write_workbook
from helpers.exceptions import DataValidationError

AREAS = default_profile().area_names
"""The bundled default profile's areas (the sample's and the fixture's)."""
HIGHLIGHT_AREAS = default_profile().highlight_areas



def assert_same_township(a: Township, b: Township) -> None:
    assert a.info == b.info
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(a, table.name), getattr(b, table.name), obj=table.name)


def copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "sample"
    shutil.copytree(DATA_DIR / "sample", folder)
    return folder


def rewrite(folder: Path, transform, encoding: str = "utf-8") -> None:
    """Rewrite every CSV of a folder: ``transform(table, rows) -> rows``, then encode."""
    for table in TABLES:
        path = folder / table.file
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        with path.open("w", encoding=encoding, newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows(transform(table, rows))


def chinese_header(table, rows):
    return [[table.col(h).zh for h in rows[0]], *rows[1:]]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig"])
def test_encodings_load_identically(sample, tmp_path, encoding):
    folder = copy_sample(tmp_path)
    rewrite(folder, lambda table, rows: rows, encoding=encoding)
    profile = folder / "township.yaml"
    profile.write_bytes(profile.read_text(encoding="utf-8").encode(encoding))
    raw = (folder / "villages.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    if encoding != "utf-8-sig":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    assert_same_township(sample, load_township(folder.parent, "sample"))


def test_chinese_headers_load_identically(sample, tmp_path):
    folder = copy_sample(tmp_path)
    rewrite(folder, chinese_header, encoding="gb18030")
    assert (folder / "households.csv").read_bytes().startswith("户编号".encode("gb18030"))
    assert_same_township(sample, load_township(folder.parent, "sample"))


def test_header_variants_column_order_and_extra_columns(sample, tmp_path):
    """Half-width brackets, upper-case ids, columns in another order and a note column are all accepted."""
    def shuffle(table, rows):
        header = [table.col(h).zh.replace("（", "(").replace("）", ")") if i % 2 else h.upper()
                  for i, h in enumerate(rows[0])]
        order = list(range(len(header)))
        random.Random(table.name).shuffle(order)
        return [[*(row[i] for i in order), "备注" if n == 0 else "随便写"]
                for n, row in enumerate([header, *rows[1:]])]

    folder = copy_sample(tmp_path)
    rewrite(folder, shuffle)
    assert_same_township(sample, load_township(folder.parent, "sample"))


def test_dtypes(sample):
    assert isinstance(sample.monthly["month"].dtype, pd.PeriodDtype)
    assert sample.monthly["month"].dtype == pd.PeriodDtype("M")
    for table in TABLES:
        frame = getattr(sample, table.name)
        assert list(frame.columns) == [c.id for c in table.columns]
        for col in table.columns:
            dtype = frame[col.id].dtype
            if col.kind == "month":
                assert dtype == pd.PeriodDtype("M"), (table.name, col.id)
            elif col.kind == "date":
                assert pd.api.types.is_datetime64_dtype(dtype), (table.name, col.id)
            elif col.kind == "bool":
                assert pd.api.types.is_bool_dtype(dtype), (table.name, col.id)
            elif col.kind == "int":
                assert dtype == "Int64", (table.name, col.id)
            elif col.kind == "number":
                assert dtype == "float64", (table.name, col.id)
            elif col.kind in ("choice", "ref_area", "ref_highlight_area"):
                assert isinstance(dtype, pd.CategoricalDtype), (table.name, col.id)
    assert list(sample.indicators["area"].cat.categories) == list(AREAS)
    assert list(sample.highlights["area"].cat.categories) == list(HIGHLIGHT_AREAS)
    assert set(sample.villages["poor_village"]) == {True, False}
    assert sample.monthly["village"].isna().any()  # township-wide rows: empty village is missing, not ""
    assert sample.events["quantity"].notna().all()  # an empty quantity counts 1
    assert all(isinstance(v, list) for v in sample.projects["villages"])


def test_values_are_converted_not_guessed(tmp_path):
    folder = copy_sample(tmp_path)
    path = folder / "monthly.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    header, first = text[0], text[1].split(",")
    text[1] = ",".join([first[0].replace("-0", "-"), first[1], first[2], '"1,234.5"'])  # 2017-1 and 1,234.5
    path.write_text("\n".join([header, *text[1:]]) + "\n", encoding="utf-8")
    township = load_township(folder.parent, "sample")
    row = township.monthly.iloc[0]
    assert row["month"] == pd.Period("2017-01", freq="M")
    assert row["value"] == 1234.5


def test_township_properties(sample):
    assert sample.name == "XX镇"
    assert sample.months[0] == pd.Period("2017-01", freq="M")
    assert sample.last_month == pd.Period("2018-08", freq="M")
    assert sample.months == sorted(set(sample.monthly["month"]))
    assert len(sample.households) == 1234
    assert sample.info["poverty_line_yuan"][2018] == 3600


@pytest.fixture(scope="module")
def sample_xlsx(tmp_path_factory) -> Path:
    """The sample township written once as a workbook (tests copy it before changing it)."""
    return write_workbook(DATA_DIR / "sample", tmp_path_factory.mktemp("xlsx") / "sample.xlsx")


@pytest.fixture()
def workbook_folder(sample_xlsx, tmp_path) -> Path:
    """A township folder holding nothing but the sample's workbook."""
    folder = tmp_path / "books" / "sample"
    folder.mkdir(parents=True)
    shutil.copy(sample_xlsx, folder / "乡镇数据.xlsx")
    return folder


def test_workbook_folder_loads_identically(sample, workbook_folder):
    folder = workbook_folder
    assert [p.name for p in folder.iterdir()] == ["乡镇数据.xlsx"]
    assert_same_township(sample, load_township(folder.parent, "sample"))


@pytest.mark.e2e
def test_workbook_with_excel_dates_and_numbers_loads_identically(sample, workbook_folder):
    """What Excel does to typed cells: 2018-08 becomes a date, 1459 a float, 2018-03-15 a datetime."""
    folder = workbook_folder
    path = folder / "乡镇数据.xlsx"
    book = openpyxl.load_workbook(path)
    for sheet_name, kinds in (("monthly", "month"), ("events", "date"), ("rectifications", "month")):
        sheet = book[SHEET_NAMES[sheet_name]]
        table = TABLES_BY_NAME[sheet_name]
        for i, col in enumerate(table.columns, start=1):
            if col.kind != kinds:
                continue
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                if cell.value:
                    year, month, *day = (int(x) for x in str(cell.value).split("-"))
                    cell.value = dt.datetime(year, month, day[0] if day else 1)
    for (cell,) in book["村（社区）"].iter_rows(min_row=2, min_col=4, max_col=4):
        cell.value = float(cell.value)
    book.save(path)
    assert_same_township(sample, load_township(folder.parent, "sample"))


@pytest.mark.e2e
def test_workbook_without_profile_sheet_uses_township_yaml(sample, workbook_folder):
    folder = workbook_folder
    path = folder / "乡镇数据.xlsx"
    book = openpyxl.load_workbook(path)
    del book["乡镇概况"]
    book.save(path)
    with pytest.raises(DataValidationError, match="township.yaml"):
        load_township(folder.parent, "sample")
    shutil.copy(DATA_DIR / "sample" / "township.yaml", folder)
    assert_same_township(sample, load_township(folder.parent, "sample"))


@pytest.mark.e2e
def test_workbook_missing_sheet_is_reported(workbook_folder):
    folder = workbook_folder
    path = folder / "乡镇数据.xlsx"
    book = openpyxl.load_workbook(path)
    del book["信访"]
    book["月度数据"]["D2"] = "abc"
    book.save(path)
    with pytest.raises(DataValidationError) as caught:
        load_township(folder.parent, "sample")
    messages = [str(p) for p in caught.value.problems]
    assert any("乡镇数据.xlsx" in m and "缺少工作表“信访”" in m for m in messages)
    assert any("乡镇数据.xlsx 的工作表“月度数据”，第 2 行，列 value（数值），值 “abc”" in m for m in messages)


def test_csv_files_take_precedence_over_a_stray_workbook(sample, tmp_path):
    folder = copy_sample(tmp_path)
    (folder / "草稿.xlsx").write_bytes(b"not a workbook")
    assert_same_township(sample, load_township(folder.parent, "sample"))


def test_load_with_month(sample_copy):
    assert load_township(sample_copy, "sample", month="2018-08").last_month == pd.Period("2018-08", freq="M")
    with pytest.raises(DataValidationError, match="2019-01"):
        load_township(sample_copy, "sample", month="2019-01")


@pytest.mark.parametrize("name", ["../sample", "..", "a/b", ".hidden", "", "/etc"])
def test_township_name_must_be_a_plain_folder_name(sample_copy, name):
    with pytest.raises(DataValidationError, match="乡镇名称"):
        load_township(sample_copy, name)


def test_missing_township_folder(sample_copy):
    with pytest.raises(DataValidationError, match="乡镇数据目录不存在"):
        load_township(sample_copy, "nowhere")


def test_undecodable_file_is_reported(sample_copy):
    (sample_copy / "sample" / "villages.csv").write_bytes(b"\xff\xfe\x00v\x00i\x81\x30")
    with pytest.raises(DataValidationError, match="无法识别文件编码"):
        load_township(sample_copy, "sample")


def test_ragged_row_is_reported(sample_copy):
    path = sample_copy / "sample" / "petitions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",多余"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_township(sample_copy, "sample")
    assert any(p.file == "petitions.csv" and p.row == 3 and "字段数" in p.reason for p in caught.value.problems)


def readme_sections() -> dict[str, str]:
    """data/README.md split at its ``### `file``` headings: file name -> the text of its section."""
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    return {part.split("`", 1)[0]: part for part in text.split("\n### `")[1:]}


def test_data_dictionary_documents_every_column():
    sections = readme_sections()
    assert sorted(sections) == sorted(t.file for t in TABLES)
    for table in TABLES:
        rows = [line for line in sections[table.file].splitlines() if line.startswith("| `")]
        documented = {line.split("`")[1]: line for line in rows}
        assert list(documented) == [c.id for c in table.columns], table.name
        for col in table.columns:
            cells = [c.strip() for c in documented[col.id].strip("|").split("|")]
            assert cells[1] == col.zh, (table.name, col.id)
            assert cells[3] == ("是" if col.required else "否"), (table.name, col.id)
            for value in col.allowed:
                assert value in cells[4], (table.name, col.id, value)
        example = sections[table.file].split("```csv\n", 1)[1].split("```", 1)[0].splitlines()
        assert example[0] == ",".join(c.id for c in table.columns)
        assert next(csv.reader(example[1:2])) == [c.example for c in table.columns]


def test_data_dictionary_documents_the_profile():
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for fid, desc, _kind, _required in INFO_FIELDS:
        assert f"| `{fid}` | {desc} |" in text
