"""Figures that stay true on real data (issue 11), read from reports rendered by the real command line.

One ``python -m helpers render`` of a copy of the sample reshaped the way real townships' data look: a month
not yet reported, a year last year with a month missing (its 同比 must say which months it compares), a rate
(12345热线办结率), a ceiling of 0, a ceiling above the amount allowed so far, and levels whose target is at or
below the start of the year. Every expected figure is computed here from the rows written, and the key figures
read back from report.html, report.docx and summary.xlsx must agree.

A second render takes the sample typed the way people type it (full-width digits, 2018-3, 02018, invisible
characters in names and ids, Mac line ends, "44,680"): its report must be the sample's, word for word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest_proof import SAMPLE_MONTH, copy_sample, good_render, run_render
from docx import Document
from openpyxl import load_workbook
from test_edge_townships import visible_text
from test_key_figure_outputs import docx_rows, xlsx_rows

from tests.builders import read_rows, write_rows

pytestmark = pytest.mark.e2e

FAI, PRIVATE = "fixed_asset_investment", "private_investment"
UNREPORTED = ("2018-08", FAI)  # the report month's investment not yet in
LAST_YEAR_GAP = ("2017-03", PRIVATE)  # last year's March never entered
NEW_INDICATORS = [  # indicator, area, name, unit, kind, better; then (month, value) rows and the 2018 target
    (("fire_incidents", "safety", "火灾事故", "起", "flow", "lower"),
     [(f"2018-0{m}", v) for m, v in zip(range(1, 9), (0, 0, 1, 0, 0, 1, 0, 0), strict=True)], 2),
    (("hotline_rate", "safety", "12345热线办结率", "%", "rate", "higher"),
     [("2017-12", 97), *[(f"2018-0{m}", v) for m, v in zip(range(1, 9), (96, 96.5, 97, 96, 95, 96, 96, 95.5),
                                                              strict=True)]], 98),
    (("fire_stations", "safety", "微型消防站", "个", "stock", "higher"), [("2017-12", 12), ("2018-08", 11)], 10),
    (("shelters", "safety", "应急避难场所", "处", "stock", "higher"), [("2017-12", 6), ("2018-08", 6)], 6),
    (("volunteers", "safety", "应急志愿者", "人", "stock", "higher"), [("2017-12", 1200), ("2018-08", 900)], 1000),
]
CEILING_ZERO = "safety_accidents"  # one accident in May 2018; its 2018 ceiling set to 0


def reshape(folder: Path) -> None:
    monthly = read_rows(folder / "monthly.csv")
    body = [r for r in monthly[1:] if (r[0], r[2]) not in (UNREPORTED, LAST_YEAR_GAP)]
    assert len(body) == len(monthly) - 3, "exactly the two township rows are dropped"
    targets = read_rows(folder / "targets.csv")
    targets = [[y, i, "0" if (y, i) == ("2018", CEILING_ZERO) else t] for y, i, t in targets]
    indicators = read_rows(folder / "indicators.csv")
    for (ind, *rest), rows, target in NEW_INDICATORS:
        indicators.append([ind, *rest, ""])
        body += [[m, "", ind, str(v)] for m, v in rows]
        targets.append(["2018", ind, str(target)])
    write_rows(folder / "monthly.csv", [monthly[0], *body])
    write_rows(folder / "targets.csv", targets)
    write_rows(folder / "indicators.csv", indicators)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(report folder, visible text of report.html, monthly rows of the data) of one render of the reshaped copy."""
    base = tmp_path_factory.mktemp("figures")
    folder = copy_sample(base / "data")
    reshape(folder)
    result = run_render("--data-dir", str(base / "data"), "--township", "sample", "--month", SAMPLE_MONTH,
                        "--out", str(base / "out"), "--jobs", "2")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    report = base / "out" / "sample" / SAMPLE_MONTH
    return report, visible_text(report / "report.html"), read_rows(folder / "monthly.csv")[1:]


def key_figures_html(report: Path) -> dict[str, dict[str, str]]:
    """The overview key-figure table of report.html (the one with a 领域 column), by indicator name."""
    import lxml.html

    page = lxml.html.fromstring((report / "report.html").read_text(encoding="utf-8"))
    for table in page.xpath("//table"):
        headers = [th.text_content().strip() for th in table.xpath("./thead/tr[last()]/th")]
        if headers[:2] == ["领域", "指标"]:
            rows = [dict(zip(headers, (td.text_content().strip() for td in tr.xpath("./th|./td")), strict=True))
                    for tr in table.xpath("./tbody/tr")]
            return {r["指标"]: r for r in rows}
    raise AssertionError("no key-figure overview in report.html")


def sentences(text: str, *words: str) -> list[str]:
    return [s for s in re.split(r"[。；\n]", text) if all(w in s for w in words)]


def total(rows, indicator: str, first: str, last: str, skip: tuple[str, ...] = ()) -> float:
    """Sum of the township rows of ``indicator`` from month ``first`` to ``last`` (``skip`` months left out)."""
    return sum(float(v) for m, vil, i, v in rows if i == indicator and not vil and first <= m <= last
               and m[5:] not in skip)


def signed_pct(now: float, before: float) -> str:
    from helpers.report.tables import fmt_signed_pct

    return fmt_signed_pct((now / before - 1) * 100)


# --- a month not yet reported is not 0 -------------------------------------------------------------------


def test_an_unreported_month_is_named_and_not_counted(rendered):
    report, text, rows = rendered
    fai = key_figures_html(report)["固定资产投资"]
    ytd = total(rows, FAI, "2018-01", "2018-07")
    assert fai["数据截至"] == "截至7月底（8月未报）"
    assert fai["累计/现值"] == f"{ytd:,.0f}"
    assert fai["序时进度"] == "58.3%"  # 7/12: the pace of the months it has
    assert fai["环比"] == "—" and fai["今后每月需完成"] == "—"  # not −100.0%, not computed from a missing month
    assert fai["同比"] == signed_pct(ytd, total(rows, FAI, "2017-01", "2017-07"))  # Jan–Jul against Jan–Jul
    assert "-100.0%" not in text
    assert not sentences(text, "截至8月底", "固定资产投资完成")
    [said] = sentences(text, "固定资产投资完成")
    assert f"固定资产投资完成{ytd / 10_000:.2f}亿元（数据截至7月底，8月未报）" in said
    assert not sentences(text, "本月（8月）", "固定资产投资")


def months_of(rows, indicator: str, year: str, last: str) -> set[int]:
    """The months (1..12) of ``year`` up to month ``last`` that have a township row of ``indicator``."""
    return {int(m[5:]) for m, vil, i, _ in rows if i == indicator and not vil and m[:4] == year and m[5:] <= last}


def month_spans(months: set[int]) -> str:
    """1, 2, 4, 5, 6 → "1—2月、4—6月" (a run of months as a range, a single month alone)."""
    runs: list[list[int]] = []
    for k in sorted(months):
        if runs and k == runs[-1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return "、".join(f"{r[0]}—{r[-1]}月" if len(r) > 1 else f"{r[0]}月" for r in runs)


def test_year_on_year_compares_only_the_months_both_years_have(rendered):
    report, text, rows = rendered
    private = key_figures_html(report)["民间投资"]
    this_year, last_year = months_of(rows, PRIVATE, "2018", "08"), months_of(rows, PRIVATE, "2017", "08")
    assert this_year - last_year == {3}  # the reshaping left last year's March out
    assert private["同比"] == signed_pct(total(rows, PRIVATE, "2018-01", "2018-08", skip=("03",)),
                                       total(rows, PRIVATE, "2017-01", "2017-08"))
    assert not sentences(text, "民间投资完成", "比上年同期")  # the prose does not claim a full-year comparison
    # the key figures say next to the 同比 which months it compares and which last year lacks
    note = f"按{month_spans(this_year & last_year)}计，去年{month_spans(this_year - last_year)}未报"
    assert note == "按1—2月、4—8月计，去年3月未报"
    assert private["同比说明"] == note
    word = {r["指标"]: r for r in docx_rows(Document(str(report / "report.docx")))}
    assert word["民间投资"]["同比"] == f"{private['同比']}（{note}）"
    ws = load_workbook(report / "summary.xlsx")["总览"]
    headers = [c.value for c in ws[2]]
    [excel] = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[headers.index("指标")] == "民间投资"]
    assert excel[headers.index("同比说明")] == note and headers.index("同比说明") == headers.index("同比") + 1
    # 固定资产投资 stops at July this year: Jan–Jul against Jan–Jul, which its 数据截至 already says
    assert key_figures_html(report)["固定资产投资"]["同比说明"] == ""


# --- kinds of indicator: a rate, ceilings, levels to keep -----------------------------------------------


def test_a_rate_is_compared_with_its_target_in_points(rendered):
    report, text, _ = rendered
    rate = key_figures_html(report)["12345热线办结率"]
    assert (rate["累计/现值"], rate["完成率"], rate["序时进度"], rate["快于序时（百分点）"]) == ("95.5", "—", "—", "—")
    assert rate["状态"] == "未达标"
    assert sentences(text, "12345热线办结率为95.5%", "比目标98%低2.5个百分点")
    assert sentences(text, "12345热线办结率还需提高2.5个百分点")
    for said in sentences(text, "12345热线办结率"):
        assert "序时" not in said and "完成年度目标" not in said and "2.5%" not in said, said
        assert "进度滞后" not in said, said  # a rate has no pace to lag behind


def test_a_ceiling_of_zero_is_worded_as_a_ceiling(rendered):
    report, text, _ = rendered
    row = key_figures_html(report)["安全生产事故（上限）"]
    assert (row["年度目标"], row["完成率"], row["快于序时（百分点）"], row["状态"]) == ("0", "—", "—", "超出年度上限")
    assert sentences(text, "全年控制在0起以内，已发生1起")
    for said in sentences(text, "安全生产事故"):
        assert not re.search(r"(超出|超过)(年度控制目标|全年上限|年度上限)0起", said), said
        assert "进度滞后" not in said and "超序时" not in said, said


def test_a_ceiling_above_the_amount_allowed_so_far_is_not_ahead(rendered):
    report, text, _ = rendered
    row = key_figures_html(report)["火灾事故（上限）"]
    assert (row["完成率"], row["快于序时（百分点）"], row["状态"]) == ("—", "—", "超出序时控制量")
    assert sentences(text, "火灾事故", "全年控制在2起以内，已超出按序时应控制的1.3起")
    for said in sentences(text, "火灾事故"):
        assert "超序时" not in said and "进度滞后" not in said and "完成率" not in said, said
        assert "超出全年上限2起" not in said, said  # 3 against a ceiling of 2 is not "2 over"


def test_levels_whose_target_is_at_or_below_the_start_are_worded_against_the_target(rendered):
    report, text, _ = rendered
    figures = key_figures_html(report)
    assert sentences(text, "微型消防站达到11个，已达到年度目标10个")
    assert sentences(text, "应急避难场所达到6处，已达到年度目标6处")
    for name in ("微型消防站", "应急避难场所"):
        assert figures[name]["状态"] == "已达标", figures[name]
    short = figures["应急志愿者"]
    assert short["状态"] == "未达标" and short["快于序时（百分点）"] == "—", short
    assert sentences(text, "应急志愿者达到900人", "低于年度目标1000人")
    for said in sentences(text, "应急志愿者"):
        assert "序时" not in said, said  # a level to keep is not approached month by month
    for row in figures.values():
        assert not row["完成率"].startswith("-"), row


# --- one view behind the three outputs ----------------------------------------------------------------------


def test_html_word_and_excel_of_the_render_agree(rendered):
    from helpers.report.document import KEY_FIGURE_KEYS
    from helpers.report.tables import KEY_FIGURE_COLUMNS

    report, _, _ = rendered
    html = list(key_figures_html(report).values())
    word = docx_rows(Document(str(report / "report.docx")))
    excel = xlsx_rows(load_workbook(report / "summary.xlsx"))
    assert len(html) == len(word) == len(excel) > 15
    shown = [KEY_FIGURE_COLUMNS[k][0] for k in KEY_FIGURE_KEYS]
    as_of, yoy_note = KEY_FIGURE_COLUMNS["as_of"][0], "同比说明"
    for h, w, x in zip(html, word, excel, strict=True):
        expected = {k: h[k] for k in shown}
        if "未报" in h[as_of]:  # Word has no 数据截至 column: the figure cell says it
            expected["累计/现值"] += f"（{h[as_of]}）"
        if h[yoy_note]:  # nor a 同比说明 column: the 同比 cell says it
            expected["同比"] += f"（{h[yoy_note]}）"
        assert w == expected, (h, w)
        assert {k: x[k] for k in [*shown, as_of]} == {k: h[k] for k in [*shown, as_of]}, (h, x)
        assert (x[yoy_note] if x[yoy_note] != "—" else "") == h[yoy_note], (h, x)
    assert any(h[yoy_note] for h in html)


# --- input typed the way people type it gives the very same report -------------------------------------------

FULL_WIDTH = str.maketrans("0123456789-.", "０１２３４５６７８９－．")
GENERATED = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}")  # the footer's time of generation


def as_typed(folder: Path) -> None:
    def rewrite(file: str, change) -> None:
        rows = read_rows(folder / file)
        header = rows[0]
        out = [change(dict(zip(header, r, strict=True))) for r in rows[1:]]
        write_rows(folder / file, [header, *([r[c] for c in header] for r in out)])

    def monthly(r):
        if r["month"].startswith("2018"):  # what a Chinese input method types
            r["value"], r["month"] = r["value"].translate(FULL_WIDTH), r["month"].translate(FULL_WIDTH)
        if r["month"][-2:] in ("03", "０３"):
            r["month"] = r["month"][:5] + r["month"][6:]  # 2018-3
        if r["village"] == "高龙村":
            r["village"] = "\u00a0高龙村\u200b"  # pasted from a web page or a chat
        return r

    def households(r):
        r["members"] = r["members"].translate(FULL_WIDTH)  # crashed the render once
        r["household_id"] = "\u200b" + r["household_id"] + "\u200d"
        return r

    rewrite("monthly.csv", monthly)
    rewrite("households.csv", households)
    rewrite("targets.csv", lambda r: {**r, "year": "0" + r["year"] if r["year"] == "2018" else r["year"]})
    for name in ("villages.csv", "monthly.csv"):  # Excel for Mac: CR-only line ends
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(text.replace("\n", "\r").encode("utf-8"))
    profile = (folder / "township.yaml").read_text(encoding="utf-8")
    assert "population: 44680\n" in profile
    (folder / "township.yaml").write_text(profile.replace("population: 44680", 'population: "44,680"'),
                                          encoding="utf-8")


def test_input_typed_as_people_type_it_gives_the_samples_report_word_for_word(tmp_path, tmp_path_factory):
    good = good_render(tmp_path_factory) / "sample" / SAMPLE_MONTH
    as_typed(copy_sample(tmp_path / "data"))
    result = run_render("--data-dir", str(tmp_path / "data"), "--township", "sample", "--month", SAMPLE_MONTH,
                        "--out", str(tmp_path / "out"), "--jobs", "2")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    typed = tmp_path / "out" / "sample" / SAMPLE_MONTH
    text, expected = (GENERATED.sub("", visible_text(r / "report.html")) for r in (typed, good))
    assert "36,800" in text and "32个村（社区），总人口44680人" in text  # 固定资产投资 not 31,400; not 33 villages
    assert text == expected
    assert docx_rows(Document(str(typed / "report.docx"))) == docx_rows(Document(str(good / "report.docx")))
    assert xlsx_rows(load_workbook(typed / "summary.xlsx")) == xlsx_rows(load_workbook(good / "summary.xlsx"))
