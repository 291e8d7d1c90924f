"""The small second township (tests/fixtures/data/mini): it validates, loads, and holds what its README says."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.cli import EXIT_OK, main
from helpers.data.report_profile.reading import default_profile
from helpers.data.schema import TABLES
from helpers.data.township import load_township
from helpers.data.workbook.importing import import_workbook
from helpers.data.workbook.writing import write_workbook

FIXTURE_DATA_DIR = Path(__file__).resolve().parent / "fixtures" / "data"
MINI = FIXTURE_DATA_DIR / "mini"

AREAS = default_profile().area_names
"""The bundled default profile's areas (the sample's and the fixture's)."""



@pytest.fixture(scope="module")
def mini():
    return load_township(FIXTURE_DATA_DIR, "mini")


def month(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


def test_validates_through_the_cli(capsys):
    assert main(["validate", "--data-dir", str(FIXTURE_DATA_DIR), "--township", "mini", "--month", "2020-04"]) == 0
    assert "数据校验通过：示例乡（mini），月度数据 2020-01 至 2020-04" in capsys.readouterr().out


def test_files_exercise_the_reader():
    monthly = (MINI / "monthly.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        monthly.decode("utf-8")
    assert "东山村" in monthly.decode("gb18030")
    assert (MINI / "villages.csv").read_text(encoding="utf-8").startswith("村（社区）,党总支,类型")
    assert (MINI / "events.csv").read_bytes().startswith(b"\xef\xbb\xbfdate,")


def test_loads_identically_from_plain_utf8_english_headers(mini, tmp_path):
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    for table in TABLES:
        raw = (folder / table.file).read_bytes()
        text = raw.decode("gb18030") if table.name == "monthly" else raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        ids = {c.zh: c.id for c in table.columns}
        rows[0] = [ids.get(h, h) for h in rows[0]]
        with (folder / table.file).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    plain = load_township(tmp_path, "mini")
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(mini, table.name), getattr(plain, table.name), obj=table.name)


def test_round_trips_through_the_workbook(mini, tmp_path):
    book = write_workbook(MINI, tmp_path / "mini.xlsx")
    back = load_township(import_workbook(book, tmp_path / "data", "mini").parent, "mini")
    assert back.info == mini.info
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(mini, table.name), getattr(back, table.name), obj=table.name)


def test_profile_and_months(mini):
    assert mini.name == "示例乡"
    assert mini.info["county"] == "示例县"
    assert mini.info["poverty_line_yuan"] == {2019: 3800, 2020: 4000}
    assert mini.months == [month(f"2020-0{m}") for m in range(1, 5)]
    assert mini.last_month == month("2020-04")


def test_villages(mini):
    v = mini.villages
    assert len(v) == 4 and v["branch"].nunique() == 2
    assert list(v.loc[v["kind"] == "社区", "village"]) == ["北街社区"]
    assert v["population"].sum() == mini.info["population"]
    assert list(v.loc[v["poor_village"], "village"]) == ["东山村", "西河村"]


def test_indicators_cover_every_area_and_kind(mini):
    ind = mini.indicators
    assert set(ind["area"]) == set(AREAS)
    assert set(ind["kind"]) == {"flow", "stock"}
    assert list(ind.loc[ind["better"] == "lower", "indicator"]) == ["safety_accidents"]
    village_level = mini.monthly.dropna(subset=["village"]).merge(ind, on="indicator")
    assert set(zip(village_level["indicator"], village_level["area"], strict=True)) == {
        ("visits", "party"), ("collective_income", "economy")}
    targeted = set(mini.targets.loc[mini.targets["year"] == 2020, "indicator"])
    assert targeted == set(ind["indicator"]) - {"visits"}


def test_monthly_figures_documented_in_the_readme(mini):
    m = mini.monthly
    ytd = m.groupby("indicator")["value"].sum()
    assert ytd["visits"] == 142
    assert ytd["collective_income"] == pytest.approx(25.5)
    assert ytd["fixed_asset_investment"] == 1800
    assert ytd["party_members_developed"] == 2
    assert ytd["safety_accidents"] == 1
    shops = m[m["indicator"] == "retail_shops"].set_index("month")["value"]
    assert month("2020-03") not in shops.index and shops[month("2020-04")] == 54
    visits = m[m["indicator"] == "visits"]
    low = visits[visits["value"] < 8]
    assert sorted(zip(low["village"], low["month"].astype(str), strict=True)) == [
        ("北街社区", "2020-04"), ("南岭村", "2020-03")]


def test_households(mini):
    h = mini.households
    assert (len(h), h["members"].sum()) == (20, 54)
    before = h[h["exited"] < month("2020-01")]
    assert (len(before), before["members"].sum()) == (9, 26)
    planned = h[h["planned_exit_year"] == 2020]
    assert (len(planned), planned["members"].sum()) == (11, 28)
    exited = planned[planned["exited"].notna()]
    assert (len(exited), exited["members"].sum()) == (2, 5)


def test_projects_petitions_rectifications(mini):
    assert list(mini.projects["project_id"]) == ["M01", "M02", "M03"]
    m01 = mini.project_progress[mini.project_progress["project_id"] == "M01"]
    assert list(m01["progress_pct"]) == [20, 40, 40, 40]
    assert mini.projects.set_index("project_id").loc["M01", "due"] == month("2020-03")
    assert not mini.petitions["level"].isin(["省", "京"]).any()
    open_items = mini.rectifications[mini.rectifications["closed"].isna()]
    assert list(open_items["item_id"]) == ["Z02", "Z03"]


def test_events(mini):
    e = mini.events
    q1 = e[(e["area"] == "party") & (e["date"] < "2020-04-01")]
    assert {"部署", "督查", "总结", "通报"} <= set(q1["type"])
    refuse = e[e["type"] == "清运"]
    assert refuse["title"].nunique() == 2
    assert refuse.groupby("title")["date"].count().to_dict() == {"场镇垃圾中转站垃圾清运": 4, "东山村垃圾房垃圾清运": 3}
    assert e.loc[e["type"] == "宣传", "quantity"].tolist() == [2000]
    assert set(mini.highlights["area"]) == {"overview", "party", "economy", "safety"}


def test_validate_with_a_month_after_the_data(capsys):
    assert main(["validate", "--data-dir", str(FIXTURE_DATA_DIR), "--township", "mini", "--month", "2020-05"]) == 2
    assert main(["validate", "--data-dir", str(FIXTURE_DATA_DIR), "--township", "mini"]) == EXIT_OK
