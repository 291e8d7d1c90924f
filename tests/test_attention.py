"""The attention list gathers lagging, overdue, stalled and breached items."""

from __future__ import annotations

import pytest
from sample_raw import SAMPLE

from helpers.data.periods import as_month
from helpers.report.prose.attention import attention_list
from tests.builders import make_township


def test_sample_august_names_the_planted_problems(sample):
    frame = attention_list(sample, as_month("2018-08"))
    items = set(zip(frame["kind"].astype(str), frame["item"], strict=False))
    assert ("滞后", "村级集体经济收入") in items
    assert ("滞后", "发展党员") in items
    assert ("逾期", "万福村村道硬化工程") in items  # overdue and stalled: one row that says both
    assert ("停滞", "万福村村道硬化工程") not in items
    road = frame[frame["item"] == "万福村村道硬化工程"].iloc[0]["detail"]
    assert road == "计划2018年6月完成，目前在建，进度40%，且已连续3个月没有进展（停留在40%）"
    assert any(kind == "逾期" and "汽修" in item for kind, item in items)
    assert any(kind == "未落实" and "民情恳谈" in item for kind, item in items)
    # Areas come in report order.
    order = list(frame["area"].astype(str))
    ranks = [["party", "economy", "livelihood", "safety"].index(a) for a in order]
    assert ranks == sorted(ranks)


def test_items_that_are_fine_are_not_listed(sample):
    frame = attention_list(sample, as_month("2018-08"))
    items = set(zip(frame["kind"].astype(str), frame["item"], strict=False))
    assert ("滞后", "藤椒栽植面积") not in items  # ahead of time progress (its forecast is another matter)
    assert "安全生产事故" not in set(frame["item"])  # better=lower, under its ceiling


def test_lagging_detail_gives_completion_and_needed_pace():
    tw = make_township(
        monthly=[(f"2018-0{m}", None, "output", 10) for m in range(1, 7)],
        targets=[(2018, "output", 240)],
    )
    frame = attention_list(tw, as_month("2018-06"))
    row = frame[frame["item"] == "产值"].iloc[0]
    assert row["kind"] == "滞后"
    assert "25.0%" in row["detail"] and "低于序时进度25.0个百分点" in row["detail"]
    assert "今后每月需完成30万元" in row["detail"]


def test_a_township_without_data_has_nothing_to_attend_to():
    frame = attention_list(make_township(), as_month("2018-06"))
    # Nothing lags, nothing is overdue, and a rule whose records the township does not keep (no party
    # events at all) is not applicable rather than breached.
    assert frame.empty
    assert list(frame.columns) == ["area", "area_name", "kind", "item", "detail", "owner", "due", "lead"]


def test_needed_amounts_of_things_counted_whole_are_rounded_up(sample):
    frame = attention_list(sample, as_month("2018-08"))
    firms = frame[frame["item"] == "限上商贸企业"].iloc[0]["detail"]
    added = SAMPLE.stock_level("above_scale_firms", "2018-08") - SAMPLE.stock_level("above_scale_firms", "2017-12")
    need = SAMPLE.target("above_scale_firms") - SAMPLE.stock_level("above_scale_firms", "2018-08")
    assert added == 0 and need <= 10  # a few firms, none added yet: worded in counts, not 完成0.0%
    assert firms.startswith(f"尚未新增，年内须新增{need:g}户") and "0.5户" not in firms
    assert "%" not in firms.split("，按近三个月")[0]
    members = frame[frame["item"] == "发展党员"].iloc[0]["detail"]
    assert "今后每月需完成4人" in members  # 14 still needed over 4 months = 3.5 → 4


def test_a_ceiling_indicator_over_its_pace_is_lagging_with_the_ceiling_named():
    tw = make_township(monthly=[("2018-03", None, "accidents", 3), ("2018-06", None, "accidents", 0)],
                       targets=[(2018, "accidents", 4)])
    frame = attention_list(tw, as_month("2018-06"))
    row = frame[frame["item"] == "安全事故"].iloc[0]
    assert row["kind"] == "滞后"
    assert row["detail"] == "今年以来已发生3起，超过按序时进度应控制的2起（全年上限4起）"


def test_a_target_on_pace_now_but_short_at_the_recent_pace_is_at_risk(sample):
    frame = attention_list(sample, as_month("2018-08"))
    pepper = frame[frame["item"] == "藤椒栽植面积"]
    assert list(pepper["kind"].astype(str)) == ["难完成"]  # 超序时 today, short by the forecast
    months = SAMPLE.monthly("pepper_planting_mu", "2018-08")
    pace = (months["2018-06"] + months["2018-07"] + months["2018-08"]) / 3
    share = (sum(months.values()) + pace * 4) / SAMPLE.target("pepper_planting_mu") * 100
    detail = pepper.iloc[0]["detail"]
    assert f"按近三个月进度（月均{pace:.1f}亩）全年只能完成{share:.1f}%" in detail


@pytest.mark.parametrize(("recent", "at_risk"), [(10, True), (40, False)])
def test_at_risk_only_when_the_forecast_falls_short(recent, at_risk):
    # Ahead of 序时进度 after a strong start; the last three months decide the forecast.
    amounts = [60, 60, 60] + [recent] * 3
    tw = make_township(monthly=[(f"2018-0{m + 1}", None, "output", v) for m, v in enumerate(amounts)],
                       targets=[(2018, "output", 400)])
    frame = attention_list(tw, as_month("2018-06"))
    assert sum(amounts) / 400 * 100 > 50  # ahead of time progress
    kinds = list(frame.loc[frame["item"] == "产值", "kind"].astype(str))
    assert kinds == (["难完成"] if at_risk else [])
    assert (sum(amounts) + recent * 6 < 400) is at_risk


def test_a_stock_ahead_of_pace_is_not_called_at_risk_for_a_quiet_quarter(sample):
    """廉政监督员 31 of 32, 30 points ahead: a level that did not move for three months is not 难完成.

    A level grows in steps (one more 监督员, one more firm), so a pace over three months says little; the
    at-risk judgement is for flows, whose monthly amounts make a pace.
    """
    frame = attention_list(sample, as_month("2018-08"))
    kinds = sample.indicators.set_index("name")["kind"].astype(str)
    risky = frame.loc[frame["kind"].astype(str) == "难完成", "item"]
    assert "廉政监督员" not in set(risky)
    assert set(kinds[list(risky)]) == {"flow"}


def test_the_notebook_attention_table_names_ceilings_and_rates_as_the_prose_does():
    """类别 is the prose's wording for a ceiling or a rate (超出年度上限, 未达到目标); 滞后 stays for a flow."""
    import lxml.html
    import pandas as pd

    from helpers.report.notebook import Context, attention_table

    indicators = [("output", "economy", "产值", "万元", "flow", "higher"),
                  ("accidents", "safety", "安全事故", "起", "flow", "lower"),
                  ("hotline", "safety", "12345热线办结率", "%", "rate", "higher")]
    tw = make_township(indicators=indicators,
                       monthly=[*[(f"2018-0{m}", None, "output", 10) for m in range(1, 7)],
                                ("2018-03", None, "accidents", 2), ("2018-06", None, "hotline", 95)],
                       targets=[(2018, "output", 240), (2018, "accidents", 1), (2018, "hotline", 98)])
    table = lxml.html.fromstring(attention_table(Context(tw, pd.Period("2018-06", "M"))).to_html()).xpath("//table")[0]
    headers = [th.text_content().strip() for th in table.xpath("./thead/tr[last()]/th")]
    rows = [dict(zip(headers, (td.text_content().strip() for td in tr.xpath("./th|./td")), strict=True))
            for tr in table.xpath("./tbody/tr")]
    category = {r["事项"]: r["类别"] for r in rows}
    leads = attention_list(tw, as_month("2018-06")).set_index("item")["lead"]
    assert category == {"产值": "滞后", "安全事故": leads["安全事故"], "12345热线办结率": leads["12345热线办结率"]}
    assert (category["安全事故"], category["12345热线办结率"]) == ("超出年度上限", "未达到目标")
