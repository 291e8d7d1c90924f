"""Mistakes a new user makes writing a township from data/README.md alone (issue 10's "tried as a user would").

``tests/fixtures/lihua`` is the third township written that way in the audit of issues 10 and 14: 梨花乡, a 乡
with 6 villages under 2 党委, three areas of its own, a per-village minimum and a level-threshold rule. Each
test breaks one thing the way the audit did and checks that the message alone says what to change, through
``python -m helpers`` on a copy under tmp_path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from helpers.cli import EXIT_INVALID, EXIT_OK, main
from helpers.data.schema import TABLES_BY_NAME
from helpers.data.workbook.terms import SHEET_NAMES
from helpers.report.wording import EVENT_UNITS

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "lihua"


@pytest.fixture()
def lihua(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "data" / "lihua")
    return tmp_path / "data"


def cli(capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().err


def validate(capsys, data_dir: Path) -> tuple[int, list[str]]:
    code, err = cli(capsys, "validate", "--data-dir", str(data_dir), "--township", "lihua")
    return code, [line.strip() for line in err.splitlines() if line.strip()[:1].isdigit()]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_fixture_township_is_valid(lihua, capsys):
    assert validate(capsys, lihua) == (EXIT_OK, [])


def test_an_area_missing_its_short_name_is_one_problem_not_one_per_data_row(lihua, capsys):
    edit(lihua / "lihua" / "report.yaml", "    short: 平安乡村\n", "")
    code, problems = validate(capsys, lihua)
    assert code == EXIT_INVALID
    assert len(problems) == 1, problems
    assert "areas[2].short" in problems[0] and "缺少此项" in problems[0]


def problem_of_one_more_event(lihua, capsys, line: str) -> str:
    """The one problem ``validate`` finds once ``line`` is added to the township's events.csv."""
    with (lihua / "lihua" / "events.csv").open("a", encoding="utf-8") as f:
        f.write(line + "\n")
    code, problems = validate(capsys, lihua)
    assert code == EXIT_INVALID
    assert len(problems) == 1, problems
    return problems[0]


def test_an_unknown_area_lists_the_ids_with_their_short_names(lihua, capsys):
    problem = problem_of_one_more_event(lihua, capsys, "2024-05-30,平安,宣传,禁毒宣传,1")
    assert "“平安”" in problem
    assert "build（党建引领） / orchard（梨果产业） / peace（平安乡村）" in problem, problem


def test_an_event_type_outside_the_list_says_where_to_add_one(lihua, capsys):
    problem = problem_of_one_more_event(lihua, capsys, "2024-05-30,peace,走访,节前走访,1")
    assert "“走访”" in problem and "调解" in problem
    assert "report.yaml 的 choices.event_types" in problem, problem


def test_an_unknown_rule_id_lists_the_rules_there_are(lihua, capsys):
    edit(lihua / "lihua" / "report.yaml", "rule_breaches: {rule: visits}", "rule_breaches: {rule: visit}")
    code, problems = validate(capsys, lihua)
    assert code == EXIT_INVALID
    assert len(problems) == 1, problems
    assert "“visit”" in problems[0] and "visits、mediation" in problems[0], problems[0]


@pytest.mark.parametrize("heading", ["一、强化党建引领", "1. 强化党建引领", "（一）强化党建引领"])
def test_a_heading_with_its_own_number_is_refused(lihua, capsys, heading):
    edit(lihua / "lihua" / "report.yaml", "heading: 强化党建引领", f"heading: {heading}")
    code, problems = validate(capsys, lihua)
    assert code == EXIT_INVALID
    assert len(problems) == 1, problems
    assert "areas[0].heading" in problems[0] and "不带序号" in problems[0], problems[0]


def test_an_unknown_indicator_name_in_a_workbook_is_called_a_name_or_code(lihua, capsys, tmp_path):
    book_path = tmp_path / "五月.xlsx"
    code, err = cli(capsys, "export", "--township", "lihua", "--data-dir", str(lihua), str(book_path))
    assert code == EXIT_OK, err
    book = openpyxl.load_workbook(book_path)
    book[SHEET_NAMES["monthly"]].append(["2024-05", "梨花村", "入户走访", 6])  # a clerk's short name
    book.save(book_path)
    code, err = cli(capsys, "import", str(book_path), "--township", "lihua", "--data-dir", str(lihua),
                    "--month", "2024-05")
    assert code == EXIT_INVALID
    problems = [x for x in err.splitlines() if x.strip()[:1].isdigit()]
    assert len(problems) == 1, err
    line = problems[0]
    assert "“入户走访”" in line
    assert "工作表“月度数据”" in line and "“指标”列" in line
    assert "指标名称或指标代码" in line and "未知的指标代码" not in line, line


@pytest.mark.parametrize("month", [None, "2024-05"])
def test_export_then_import_keeps_a_township_with_its_own_report_yaml(lihua, capsys, tmp_path, month):
    """The workbook's rows are checked against the township's areas and event types, not the bundled ones."""
    book_path = tmp_path / "梨花乡.xlsx"
    code, err = cli(capsys, "export", "--township", "lihua", "--data-dir", str(lihua), str(book_path))
    assert code == EXIT_OK, err
    book = openpyxl.load_workbook(book_path)
    # a clerk picks the area from the dropdown: the township's own short names are offered there
    sheet = book[SHEET_NAMES["events"]]
    offered = [dv.formula1 for dv in sheet.data_validations.dataValidation if "B2" in str(dv.sqref)]
    assert offered and all(short in offered[0] for short in ("党建引领", "梨果产业", "平安乡村")), offered
    sheet.append(["2024-05-28", "平安乡村", "调解", "凤岭村宅基地纠纷调解", None])
    book.save(book_path)
    argv = ["import", str(book_path), "--township", "lihua", "--data-dir", str(lihua)]
    code, err = cli(capsys, *argv, *(["--month", month] if month else []))
    assert code == EXIT_OK, err
    assert validate(capsys, lihua) == (EXIT_OK, [])
    events = (lihua / "lihua" / "events.csv").read_text(encoding="utf-8")
    assert "凤岭村宅基地纠纷调解" in events and "peace,调解,柳溪村土地纠纷调解" in events


def test_the_contract_says_what_an_events_quantity_counts():
    """宣传 3 reads "发放宣传资料3份": the audit's user meant three campaigns. The contract names each unit."""
    note = TABLES_BY_NAME["events"].col("quantity").note
    for event_type, unit in EVENT_UNITS.items():
        assert f"{event_type} 填" in note and unit in note, (event_type, unit, note)
