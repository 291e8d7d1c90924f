"""The 本月 paragraph that opens each area, the forecast wording ("有望" only when it reaches), small counts."""

from __future__ import annotations

import pytest
from builders import make_township
from sample_raw import MINI, SAMPLE

from helpers.config import DATA_DIR
from helpers.data.periods import as_month
from helpers.data.township import load_township
from helpers.report.prose import facts as prose_facts
from helpers.report.prose import narrative
from helpers.report.wording import change, count

PEPPER = ("pepper_planting_mu", "economy", "藤椒栽植面积", "亩", "flow", "higher")
FIRMS = ("above_scale_firms", "economy", "限上商贸企业", "户", "stock", "higher")


def paragraphs(tw, month: str, area: str) -> tuple[str, ...]:
    return narrative.area_section(prose_facts.report_facts(tw, as_month(month)), area).paragraphs


def month_figures(raw, indicator: str, month: str) -> tuple[float, float | None, float | None]:
    """This month's amount, last month's and the same month last year's (None where not reported)."""
    year, mm = int(month[:4]), int(month[5:])
    this_year = raw.monthly(indicator, month)
    prev = f"{year}-{mm - 1:02d}"
    last_year = raw.monthly(indicator, f"{year - 1}-{mm:02d}").get(f"{year - 1}-{mm:02d}")
    return this_year[month], this_year.get(prev), last_year


def expected_clause(name, unit, this, prev, last_year, better="higher") -> str:
    if this == 0:  # nothing this month: said as a report says it, not "0人，与上月持平"
        if better == "lower":
            return f"未发生{name}"
        return f"{name}无新增" + (f"（上月{count(prev, unit)}）" if prev else "")
    text = name + count(this, unit)
    if prev is not None:
        text += "，与上月持平" if change(this - prev, unit) == "持平" else f"，比上月{change(this - prev, unit)}"
    if last_year:
        yoy = change((this - last_year) / last_year * 100)
        text += "，与上年同月持平" if yoy == "持平" else f"，比上年同月{yoy}"
    return text


@pytest.mark.parametrize(("raw", "township", "month"), [(SAMPLE, "sample", "2018-08"), (MINI, "mini", "2020-04")])
def test_economy_opens_with_the_month_against_last_month_and_last_year(raw, township, month):
    tw = load_township(raw.folder.parent, township) if township == "mini" else load_township(DATA_DIR, township)
    targets = {r["indicator"] for r in raw.rows("targets") if r["year"] == month[:4]}
    flows = [r for r in raw.rows("indicators") if r["area"] == "economy" and r["kind"] == "flow"]
    reported = [r for r in flows if month in raw.monthly(r["indicator"], month)]

    def telling(r):
        this, prev, _ = month_figures(raw, r["indicator"], month)
        move = abs(this - prev) / abs(prev) if prev else -1
        return (r["indicator"] not in targets, -move)

    chosen = sorted(reported, key=telling)[:3]
    first = paragraphs(tw, month, "economy")[0]
    assert first.startswith(f"本月（{int(month[5:])}月），")
    for r in chosen:
        figures = month_figures(raw, r["indicator"], month)
        assert expected_clause(r["name"], r["unit"], *figures, r["better"]) in first
    for r in flows:
        if r not in chosen:
            assert r["name"] + count(raw.monthly(r["indicator"], month).get(month, -1), r["unit"]) not in first


def test_sample_month_paragraph_says_yoy_where_last_year_has_data(sample):
    first = paragraphs(sample, "2018-08", "economy")[0]
    this, prev, last_year = month_figures(SAMPLE, "fixed_asset_investment", "2018-08")
    assert last_year  # the sample holds 2017
    assert f"比上年同月{change((this - last_year) / last_year * 100)}" in first
    assert "藤椒栽植面积" in first and "藤椒栽植面积" + count(this, "亩") + "，比上年同月" not in first


def test_month_paragraph_skips_an_unreported_month():
    tw = load_township(MINI.folder.parent, "mini")
    first = paragraphs(tw, "2020-04", "party")[0]
    assert "2020-04" not in MINI.monthly("party_members_developed", "2020-04")
    assert first.startswith("本月（4月），") and "发展党员" not in first


def test_month_paragraph_holds_the_months_highlights_once(sample):
    august = [r["text"] for r in SAMPLE.rows("highlights") if r["month"] == "2018-08" and r["area"] == "party"]
    assert august
    text = "".join(paragraphs(sample, "2018-08", "party"))
    first = paragraphs(sample, "2018-08", "party")[0]
    for line in august:
        assert line in first and text.count(line) == 1


def pepper_township(recent: int):
    amounts = [900] * 5 + [recent] * 3  # 4500 by May, then the recent pace
    rows = [(f"2018-{m + 1:02d}", None, "pepper_planting_mu", v) for m, v in enumerate(amounts)]
    return make_township(indicators=[PEPPER], monthly=rows, targets=[(2018, "pepper_planting_mu", 6000)]), amounts


@pytest.mark.parametrize("recent", [100, 400])
def test_youwang_only_when_the_forecast_reaches_the_target(recent):
    tw, amounts = pepper_township(recent)
    text = "".join(paragraphs(tw, "2018-08", "economy"))
    end = sum(amounts) + recent * 4
    assert sum(amounts) / 6000 * 100 > 8 / 12 * 100  # ahead of 序时进度 either way
    if end >= 6000:
        assert "有望顺利完成全年栽植计划" in text
    else:
        assert "有望" not in text
        assert f"但按近三个月进度，全年可完成{end / 6000 * 100:.1f}%，需加快栽植进度" in text


def test_sample_pepper_no_longer_promises(sample):
    text = "".join(paragraphs(sample, "2018-08", "economy"))
    months = SAMPLE.monthly("pepper_planting_mu", "2018-08")
    pace = (months["2018-06"] + months["2018-07"] + months["2018-08"]) / 3
    share = (sum(months.values()) + pace * 4) / SAMPLE.target("pepper_planting_mu") * 100
    assert f"按近三个月进度，全年可完成{share:.1f}%" in text and "有望顺利完成全年栽植计划" not in text


def test_money_from_one_yi_is_in_yi_yuan(sample):
    text = "".join(paragraphs(sample, "2018-08", "economy"))
    ytd = SAMPLE.flow_ytd("fixed_asset_investment", "2018-08")
    assert ytd >= 10_000
    assert f"固定资产投资完成{ytd / 10_000:.2f}亿元" in text and f"{ytd:g}万元" not in text


def test_a_few_firms_are_worded_in_counts():
    rows = [("2017-12", None, "above_scale_firms", 5), ("2018-08", None, "above_scale_firms", 5)]
    tw = make_township(indicators=[FIRMS], monthly=rows, targets=[(2018, "above_scale_firms", 7)])
    section = narrative.problems_section(prose_facts.report_facts(tw, as_month("2018-08")), "economy")
    text = "".join(section.paragraphs)
    assert "限上商贸企业进度滞后，尚未新增，年内须新增2户" in text and "0.0%" not in text


def test_year_to_date_says_the_same_period_last_year(sample):
    text = "".join(paragraphs(sample, "2018-08", "economy"))
    for indicator in ("fixed_asset_investment", "private_investment", "retail_sales"):
        now, before = SAMPLE.monthly(indicator, "2018-08"), SAMPLE.monthly(indicator, "2017-08")
        assert len(now) == len(before) == 8  # the same months both years
        growth = (sum(now.values()) - sum(before.values())) / sum(before.values()) * 100
        name = next(r["name"] for r in SAMPLE.rows("indicators") if r["indicator"] == indicator)
        ytd = sum(now.values())
        assert f"{name}完成{ytd / 10_000:.2f}亿元，比上年同期{change(growth)}" in text
        pace = (now["2018-06"] + now["2018-07"] + now["2018-08"]) / 3
        assert ytd + pace * 4 >= SAMPLE.target(indicator)  # each reaches its target at the recent pace
    assert "以上指标均有望完成全年目标" in text


def test_a_result_that_already_says_yi_is_not_prefixed_again():
    tw = load_township(MINI.folder.parent, "mini")
    results = {r["result"] for r in MINI.rows("rectifications") if r["result"]}
    assert any(r.startswith("已") for r in results)  # the fixture holds such a result (已取缔)
    text = "".join(paragraphs(tw, "2020-04", "safety"))
    assert "已做到已" not in text
    for r in results:
        if r.startswith("已"):
            assert r in text


def test_a_month_with_nothing_says_so_in_words(sample):
    """发展党员 0 in August (and July) and no 安全生产事故 in August: "无新增", "未发生", never "0人，与上月持平"."""
    for area, code in (("party", "party_members_developed"), ("safety", "safety_accidents")):
        row = next(r for r in SAMPLE.rows("indicators") if r["indicator"] == code)
        this, prev, last_year = month_figures(SAMPLE, code, "2018-08")
        assert this == 0
        first = paragraphs(sample, "2018-08", area)[0]
        assert expected_clause(row["name"], row["unit"], this, prev, last_year, row["better"]) in first
        assert f"{row['name']}0" not in first


def test_the_months_events_are_worded_with_their_verbs(sample):
    from helpers.report.wording import event_phrase, event_phrases

    assert event_phrase("会议", 2, "次") == "召开会议2次"
    assert event_phrase("宣传", 3000, "份") == "发放宣传资料3000份"
    assert event_phrase("立案", 1, "人") == "立案查处1人"
    assert event_phrase("座谈", 1, "次") == "开展座谈1次"  # a township's own type
    assert event_phrases([("培训", 1, "次"), ("检查", 2, "次"), ("宣传", 30, "份"), ("抽查", 1, "次")]) == \
        "开展培训1次、检查2次、发放宣传资料30份、开展抽查1次"
    first = paragraphs(sample, "2018-08", "safety")[0]
    assert "召开会议" in first and "开展会议" not in first and "开展宣传" not in first
