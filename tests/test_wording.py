"""Tables of figures and the words the report writes for them."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.chinese_text import month_spans
from helpers.data.periods import as_month
from helpers.report import wording as w

MISSING_VALUES = [None, float("nan"), np.nan, pd.NA, np.float64("nan"), float("inf"), -math.inf, Decimal("NaN")]


@pytest.mark.parametrize(
    ("n", "unit", "expected"),
    [
        (1234, "户", "1234户"),
        (3635, "人", "3635人"),
        (6, "次", "6次"),
        (5, "家", "5家"),
        (32, "个", "32个"),
        (54.7, "公里", "54.7公里"),
        (73.04, "平方公里", "73.04平方公里"),
        (3300, "亩", "3300亩"),
        (3300.0, "亩", "3300亩"),
        (0, "户", "0户"),
        (-3, "户", "-3户"),
        (2.675, "公里", "2.68公里"),  # half up on the decimal text, not on the binary float
        (0.005, "公里", "0.01公里"),
        (0.1 + 0.2, "公里", "0.3公里"),
        (1.15 * 100, "户", "115户"),  # 114.99999999999999: float noise is cleaned
        (9_999, "人", "9999人"),
        (10_000, "人", "1万人"),
        (10_050, "人", "10050人"),  # 1.005万 is not exact to two decimals: written in full
        (20_000, "份", "2万份"),
        (12_300, "人", "1.23万人"),
        (44_680, "人", "44680人"),  # the reference's 总人口44680人
        (-20_000, "元", "-2万元"),
        (12_000, "万元", "1.2亿元"),  # an amount in 万元 from 1亿 on is written in 亿元, two decimals
        (36_800, "万元", "3.68亿元"),
        (36_849, "万", "3.68亿"),
        (9_999, "万元", "9999万元"),  # below 1亿 it stays in 万元 (never converted to 万万)
        (10_000, "万元", "1亿元"),  # exactly 1亿 is already 亿元
        (-10_000, "万元", "-1亿元"),
        (9_999.996, "万元", "1亿元"),  # rounds to 10000.00万元 at two decimals: written in the next tier
        (9_999.994, "万元", "9999.99万元"),
        (np.int64(1234), "户", "1234户"),
        (np.float32(54.7), "公里", "54.7公里"),
        (Decimal("8.50"), "亩", "8.5亩"),
        (Fraction(1, 4), "亩", "0.25亩"),
        (1234, "", "1234"),
    ],
)
def test_count(n, unit, expected):
    assert w.count(n, unit) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (9_999, "9999人"),
        (10_000, "1万人"),
        (10_050, "1.01万人"),  # 1.005 half up, not to even
        (44_680, "4.47万人"),
        (44_650, "4.47万人"),
        (44_640, "4.46万人"),
    ],
)
def test_count_rounded_to_wan(n, expected):
    assert w.count(n, "人", round_wan=True) == expected


@pytest.mark.parametrize(
    ("n", "places", "expected"),
    [(13.625, 2, "13.63"), (13.625, 0, "14"), (13.5, 0, "14"), (12.5, 0, "13"), (-0.004, 2, "0")],
)
def test_number_places(n, places, expected):
    assert w.number(n, places=places) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (573, "570余户"),
        (570, "570户"),
        (1234, "1200余户"),
        (1200, "1200户"),
        (1299, "1200余户"),
        (999, "990余户"),
        (1000, "1000户"),
        (57, "50余户"),
        (15, "10余户"),
        (10, "10户"),
        (9, "9户"),
        (0, "0户"),
        (9_999, "9900余户"),
        (10_000, "1万户"),
        (10_050, "1万余户"),
        (20_000, "2万户"),
        (44_680, "4.4万余户"),
        (12_000, "1.2万户"),
        (570.0, "570户"),
        (573.5, "570余户"),
        (570.0000000001, "570户"),  # float noise does not earn a 余
        (None, "—"),
    ],
)
def test_approx(n, expected):
    assert w.approx(n, "户") == expected


@pytest.mark.parametrize(("n", "expected"), [(573, "573户"), (20_000, "2万户"), (None, "—")])
def test_approx_switched_off_is_exact(n, expected):
    assert w.approx(n, "户", approximate=False) == expected


def test_approx_rejects_negative():
    with pytest.raises(ValueError, match="非负"):
        w.approx(-573, "户")


@given(st.integers(min_value=10, max_value=9_999))
def test_approx_is_a_round_floor_of_the_count(n):
    text = w.approx(n, "户")
    figure = int(text.removesuffix("户").removesuffix("余"))
    step = 10 if n < 1000 else 100
    assert figure <= n < figure + step
    assert figure % step == 0
    assert text.endswith("余户") == (figure != n)


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (6_660_000, "666万元"),
        (22_500_000, "2250万元"),
        (5_700_000, "570万元"),
        (1_400_000, "140万元"),
        (85_000, "8.5万元"),
        (123_600, "12.36万元"),
        (123_650, "12.37万元"),  # half up
        (6_664_999, "666万元"),
        (6_665_000, "667万元"),
        (120_000_000, "1.2亿元"),
        (100_000_000, "1亿元"),
        (125_000_000, "1.25亿元"),  # two decimals of 亿
        (125_050_000, "1.25亿元"),  # 1.2505 half up at two decimals
        (368_000_000, "3.68亿元"),
        (99_994_999, "9999万元"),
        (99_995_000, "1亿元"),  # rounds up into the next tier
        (999_950, "100万元"),
        (10_000, "1万元"),
        (9_999, "9999元"),
        (9_999.5, "1万元"),
        (8_500, "8500元"),
        (0, "0元"),
        (-85_000, "-8.5万元"),
    ],
)
def test_money_wan(yuan, expected):
    assert w.money_wan(yuan) == expected


@pytest.mark.parametrize(
    ("wan", "expected"),
    [
        (666, "666万元"),
        (2250, "2250万元"),
        (570.4, "570万元"),
        (140, "140万元"),
        (8.5, "8.5万元"),
        (12_000, "1.2亿元"),
        (0.85, "8500元"),
        (0.1 + 0.2, "3000元"),
    ],
)
def test_money_from_wan(wan, expected):
    assert w.money_from_wan(wan) == expected


@pytest.mark.parametrize(("wan", "expected"), [(666, "666万"), (2250, "2250万"), (12_000, "1.2亿"), (0.85, "8500元")])
def test_money_without_yuan(wan, expected):
    assert w.money_from_wan(wan, suffix="万") == expected
    assert w.money_wan(wan * 10_000, suffix="万") == expected


def test_money_rejects_unknown_suffix():
    with pytest.raises(ValueError, match="万元"):
        w.money_wan(10_000, suffix="元")


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (200 / 3, "66.7%"),
        (50, "50.0%"),
        (0, "0.0%"),
        (0.05, "0.1%"),
        (0.04, "0.0%"),
        (-0.04, "0.0%"),
        (0.15, "0.2%"),
        (0.25, "0.3%"),
        (112.5, "112.5%"),
        (-4, "-4.0%"),
        (99.95, "100.0%"),
    ],
)
def test_pct(x, expected):
    assert w.pct(x) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [(3.2, "3.2个百分点"), (3.25, "3.3个百分点"), (-3.21, "-3.2个百分点"), (0, "0.0个百分点")],
)
def test_pp(x, expected):
    assert w.pp(x) == expected


@pytest.mark.parametrize(
    ("diff", "expected"),
    [
        (4.8, "高于序时进度4.8个百分点"),
        (-10.3, "低于序时进度10.3个百分点"),
        (0, "与序时进度持平"),
        (0.04, "与序时进度持平"),
        (-0.0499, "与序时进度持平"),
        (0.05, "高于序时进度0.1个百分点"),
        (-0.05, "低于序时进度0.1个百分点"),
        (200 / 3 - 800 / 12, "与序时进度持平"),
        (None, "—"),
    ],
)
def test_vs_time_progress(diff, expected):
    assert w.vs_time_progress(diff) == expected


@pytest.mark.parametrize(
    ("completion", "expected"),
    [
        (0, "完成率为0"),
        (200 / 3, "完成率66.7%"),
        (100, "全面完成"),
        (100.0, "全面完成"),
        ((0.7 + 0.1) * 100 / (0.1 + 0.7), "全面完成"),  # 100.00000000000001: float noise
        (sum([0.1] * 10) * 100, "全面完成"),  # 99.99999999999999: float noise
        (112.5, "超额完成，完成率112.5%"),
        (100.04, "超额完成，完成率100.1%"),  # never "超额完成，完成率100.0%"
        (99.96, "完成率99.9%"),  # never "完成率100.0%" for an unfinished target
        (99.94, "完成率99.9%"),
        (0.04, "完成率不足0.1%"),
        (0.05, "完成率0.1%"),
        (-5, "完成率为负（-5.0%）"),
        (float("nan"), "—"),
    ],
)
def test_completion_phrase(completion, expected):
    assert w.completion_phrase(completion) == expected


@pytest.mark.parametrize(
    ("x", "unit", "expected"),
    [
        (12.3, "%", "增长12.3%"),
        (-4, "%", "下降4.0%"),
        (0, "%", "持平"),
        (0.04, "%", "持平"),
        (-0.05, "%", "下降0.1%"),
        (3.2, "个百分点", "提高3.2个百分点"),
        (-3.2, "个百分点", "下降3.2个百分点"),
        (5, "户", "增加5户"),
        (-3, "户", "减少3户"),
        (0, "户", "持平"),
        (8.5, "万元", "增加8.5万元"),
        (-20_000, "份", "减少2万份"),
        (math.inf, "%", "—"),  # a change from zero
        (None, "户", "—"),
    ],
)
def test_change(x, unit, expected):
    assert w.change(x, unit) == expected


@pytest.mark.parametrize(
    "fn",
    [
        w.count,
        w.number,
        w.approx,
        w.money_wan,
        w.money_from_wan,
        w.pct,
        w.pp,
        w.vs_time_progress,
        w.completion_phrase,
        w.change,
    ],
)
@pytest.mark.parametrize("value", MISSING_VALUES)
def test_missing_values_read_as_a_dash(fn, value):
    assert fn(value) == w.MISSING


@pytest.mark.parametrize("value", ["573", True, [1]])
def test_non_numbers_are_refused(value):
    with pytest.raises(TypeError):
        w.count(value, "户")


def test_since_year_start():
    assert w.since_year_start() == "今年以来"


@pytest.mark.parametrize(
    ("month", "name", "as_of", "half", "ytd"),
    [
        (8, "8月", "截至8月底", "下半年", "1—8月"),
        (as_month("2018-08"), "8月", "截至8月底", "下半年", "1—8月"),
        (pd.Period("2018-06", freq="M"), "6月", "截至6月底", "上半年", "上半年"),
        (1, "1月", "截至1月底", "上半年", "1月"),
        (2, "2月", "截至2月底", "上半年", "1—2月"),
        (3, "3月", "截至3月底", "上半年", "一季度"),
        (7, "7月", "截至7月底", "下半年", "1—7月"),
        (9, "9月", "截至9月底", "下半年", "前三季度"),
        (12, "12月", "截至12月底", "下半年", "全年"),
    ],
)
def test_period_words(month, name, as_of, half, ytd):
    assert w.month_name(month) == name
    assert w.as_of(month) == as_of
    assert w.half_year(month) == half
    assert w.year_to_date_span(month) == ytd


@pytest.mark.parametrize(("months", "text"), [
    ((1, 2, 3, 4, 5, 6, 7), "1—7月"), ((8,), "8月"), ((1, 2, 4, 5, 6, 7, 8), "1—2月、4—8月"),
    ((3, 1, 9, 2), "1—3月、9月"), ((), ""), ((4, 4), "4月"),
])
def test_month_spans(months, text):
    assert month_spans(months) == text


def test_as_of_with_year_reuses_month_label():
    assert w.as_of(as_month("2018-08"), with_year=True) == "截至2018年8月底"
    assert w.month_label(as_month("2018-08")) == "2018年8月"
    with pytest.raises(ValueError):
        w.as_of(8, with_year=True)


@pytest.mark.parametrize("month", [0, 13, -1])
def test_impossible_months_are_refused(month):
    with pytest.raises(ValueError):
        w.month_name(month)


@pytest.mark.parametrize(
    ("n", "numeral"),
    [
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (30, "三十"),
        (99, "九十九"),
        (np.int64(4), "四"),
    ],
)
def test_chinese_numeral(n, numeral):
    assert w.chinese_numeral(n) == numeral


@pytest.mark.parametrize("n", [0, 100, -1, 1.5, True, "3"])
def test_chinese_numeral_range(n):
    with pytest.raises(ValueError):
        w.chinese_numeral(n)


@pytest.mark.parametrize(
    ("n", "section", "subsection", "item"),
    [
        (1, "一、", "（一）", "一是"),
        (4, "四、", "（四）", "四是"),
        (11, "十一、", "（十一）", "十一是"),
        (12, "十二、", "（十二）", "十二是"),
    ],
)
def test_ordinals(n, section, subsection, item):
    assert w.section_ordinal(n) == section
    assert w.subsection_ordinal(n) == subsection
    assert w.item_ordinal(n) == item


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["高龙村", "拦江村", "万福村"], "高龙村、拦江村、万福村"),
        (("碧波村", "山花村"), "碧波村、山花村"),
        (pd.Series(["碧波村", None, "山花村", float("nan"), " ", "碧波村"]), "碧波村、山花村"),
        ("高龙村", "高龙村"),
        ([], ""),
        (None, ""),
    ],
)
def test_join_names(names, expected):
    assert w.join_names(names) == expected


def test_reference_report_figures():
    """The figures of the reference August report, worded from their raw values."""
    assert w.count(44_680, "人") == "44680人"
    assert w.count(73.04, "平方公里") == "73.04平方公里"
    assert w.count(1.8, "平方公里") == "1.8平方公里"
    assert w.count(1234, "户") + w.count(3635, "人") == "1234户3635人"
    assert w.money_from_wan(666, suffix="万") == "666万"
    assert w.money_from_wan(2250, suffix="万") == "2250万"
    assert w.money_from_wan(140) == "140万元"
    assert w.count(20_000, "份") == "2万份"
    assert w.approx(573, "户") == "570余户"
    assert w.count(54.7, "公里") == "54.7公里"
    assert w.as_of(8) == "截至8月底"
    assert w.section_ordinal(4) + "守住底线" == "四、守住底线"


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (0.5, "户", 1.0), (3.5, "人", 4.0), (4.0, "人", 4.0), (4.0000000001, "人", 4.0), (0.25, "名", 1.0),
    (3800.0, "万元", 3800.0), (2.5, "公里", 2.5), (None, "户", None), (float("nan"), "户", None),
    # compound counts are whole too; large amounts in whole units, middling ones to one decimal, rounded up
    (192.3333, "家次", 193.0), (5.5, "人次", 6.0), (5727.6667, "万元", 5728.0), (30.3333, "亩", 30.4),
    (1.3333, "公里", 1.3333),
])
def test_needed_amount_rounds_up_counts_of_things_only(value, unit, expected):
    assert w.needed_amount(value, unit) == expected


def test_rate_gap_is_in_percentage_points():
    from helpers.report.wording import rate_gap

    assert rate_gap(95.5, 98, "%") == "比目标98%低2.5个百分点"
    assert rate_gap(98.2, 98, "%") == "达到目标98%"
    assert rate_gap(2.5, 2, "%", "lower") == "比目标2%高0.5个百分点"
    assert rate_gap(1.5, 2, "%", "lower") == "控制在目标2%以内"
    assert rate_gap(None, 2, "%") == "—"
