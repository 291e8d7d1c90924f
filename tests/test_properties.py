"""Properties of the indicator analysis that must hold for any data, checked with hypothesis.

Each property is stated independently of the implementation (sums, carried levels and sign flips
computed here from the generated rows), on small townships built in code through the loader's own
conversion (tests/builders.py).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from builders import make_township
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers.analysis.progress import (
    OVER_PACE,
    OVER_YEAR,
    WITHIN,
    indicator_progress,
    key_figures,
    monthly_series,
)
from helpers.analysis.villages import village_indicator_ytd
from helpers.data.periods import as_month

PROPERTY_SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEAVY_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=30)
"""For properties that run the whole analysis a dozen times per example."""

FLOW = ("output", "economy", "产值", "万元", "flow", "higher")
STOCK = ("firms", "economy", "企业", "家", "stock", "higher")
LOWER = ("accidents", "safety", "安全事故", "起", "flow", "lower")
INDICATORS = [FLOW, STOCK, LOWER]
VILLAGES = ("甲村", "乙村", "丙社区")  # builders.DEFAULT_VILLAGES
MONTHS = [str(p) for p in pd.period_range("2017-01", "2018-12", freq="M")]
YEAR_2018 = [m for m in MONTHS if m.startswith("2018")]

# Values are tenths (one decimal place, as the sample's data), non-negative.
values = st.integers(min_value=0, max_value=50_000).map(lambda n: n / 10)
targets = st.integers(min_value=1, max_value=200_000).map(lambda n: n / 10)


def monthly_rows(indicators: tuple[str, ...], villages: tuple[str | None, ...], months=MONTHS, min_size=1):
    """A set of monthly.csv rows (month, village, indicator, value) with unique keys."""
    keys = st.tuples(st.sampled_from(months), st.sampled_from(villages), st.sampled_from(indicators))
    return st.dictionaries(keys, values, min_size=min_size, max_size=40).map(
        lambda d: [(m, v, i, x) for (m, v, i), x in sorted(d.items(), key=lambda kv: str(kv[0]))])


def progress(tw, month: str) -> pd.DataFrame:
    return indicator_progress(tw, as_month(month)).set_index("indicator")


def ytd_by_hand(rows, indicator: str, month: str) -> float:
    """A flow's year-to-date from the rows themselves: the sum of the month's year up to the month."""
    return sum(v for m, _, i, v in rows if i == indicator and m[:4] == month[:4] and m <= month)


# --- completion ----------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(rows=monthly_rows(("output", "accidents"), (None, *VILLAGES)), target_output=targets,
       target_accidents=targets, month=st.sampled_from(YEAR_2018))
def test_flow_completion_is_never_negative_for_non_negative_data(rows, target_output, target_accidents, month):
    tw = make_township(indicators=INDICATORS, monthly=rows,
                       targets=[(2018, "output", target_output), (2018, "accidents", target_accidents)])
    frame = progress(tw, month)
    for indicator in ("output", "accidents"):
        completion = frame.loc[indicator, "completion_pct"]
        if not math.isnan(completion):
            assert completion >= 0
            # and it is exactly year-to-date over target
            expected = ytd_by_hand(
                [r for r in rows if r[1] is None or not any(s[1] is None and s[0] == r[0] and s[2] == r[2]
                                                            for s in rows)], indicator, month)
            assert frame.loc[indicator, "ytd"] == pytest.approx(expected)


@PROPERTY_SETTINGS
@given(levels=st.lists(values, min_size=1, max_size=12), rise=st.integers(min_value=1, max_value=10_000))
def test_stock_completion_is_never_negative_while_the_level_does_not_fall(levels, rise):
    # A non-decreasing level from 2018-01 and a target above the start: the change made is never negative.
    levels = np.maximum.accumulate(levels).tolist()
    rows = [(f"2018-{i:02d}", None, "firms", v) for i, v in enumerate(levels, 1)]
    tw = make_township(indicators=INDICATORS, monthly=rows, targets=[(2018, "firms", levels[0] + rise)])
    for i in range(1, len(levels) + 1):
        completion = progress(tw, f"2018-{i:02d}").loc["firms", "completion_pct"]
        assert completion >= 0
        assert completion == pytest.approx((levels[i - 1] - levels[0]) / rise * 100)


# --- year-to-date ----------------------------------------------------------------------------------------


@HEAVY_SETTINGS
@given(rows=monthly_rows(("output",), (None,), months=MONTHS))
def test_ytd_of_a_flow_is_monotonic_over_the_months_of_a_year(rows):
    tw = make_township(indicators=INDICATORS, monthly=rows)
    last = max(m for m, *_ in rows)
    year = last[:4]
    months = [m for m in MONTHS if m[:4] == year and m <= last]
    ytds = [progress(tw, m).loc["output", "ytd"] for m in months]
    reported = [m for m, _, i, _ in rows if i == "output" and m[:4] == year]
    # no year-to-date before the first month reported (missing is not zero), then it never falls
    first = min(reported, default="9999")
    assert all(math.isnan(y) for m, y in zip(months, ytds, strict=True) if m < first), ytds
    known = [y for m, y in zip(months, ytds, strict=True) if m >= first]
    assert all(b >= a for a, b in zip(known, known[1:], strict=False)), ytds
    if reported:
        assert ytds[-1] == pytest.approx(ytd_by_hand(rows, "output", last))
    # monthly_series' cumulative path is the same running total, up to the indicator's last report
    series = monthly_series(tw, "output", int(year))
    path = series["cumulative"].iloc[: len(months)].tolist()
    until = max(reported, default="0000")
    for m, y, c in zip(months, ytds, path, strict=True):
        if m > until:
            assert math.isnan(c)
        elif not math.isnan(y):
            assert c == pytest.approx(y)


@PROPERTY_SETTINGS
@given(rows=monthly_rows(("firms",), (None,), months=MONTHS), month=st.sampled_from(MONTHS))
def test_a_stocks_ytd_is_its_last_level_carried_forward(rows, month):
    tw = make_township(indicators=INDICATORS, monthly=rows)
    data_end = max(m for m, *_ in rows)
    if month > data_end:
        month = data_end
    earlier = sorted((m, v) for m, _, _, v in rows if m <= month)
    ytd = progress(tw, month).loc["firms", "ytd"]
    if earlier:
        assert ytd == pytest.approx(earlier[-1][1])
    else:
        assert math.isnan(ytd)


# --- row order -------------------------------------------------------------------------------------------


@HEAVY_SETTINGS
@given(rows=monthly_rows(("output", "firms", "accidents"), (None, *VILLAGES)), target=targets,
       order=st.randoms(use_true_random=False), month=st.sampled_from(YEAR_2018))
def test_shuffling_the_rows_of_monthly_changes_nothing(rows, target, order, month):
    shuffled = list(rows)
    order.shuffle(shuffled)
    goals = [(2018, "output", target), (2018, "firms", target), (2018, "accidents", target)]
    a = make_township(indicators=INDICATORS, monthly=rows, targets=goals)
    b = make_township(indicators=INDICATORS, monthly=shuffled, targets=goals)
    pd.testing.assert_frame_equal(indicator_progress(a, as_month(month)), indicator_progress(b, as_month(month)))
    for indicator in ("output", "firms", "accidents"):
        pd.testing.assert_frame_equal(village_indicator_ytd(a, indicator, as_month(month)),
                                      village_indicator_ytd(b, indicator, as_month(month)))
        pd.testing.assert_frame_equal(monthly_series(a, indicator, 2018), monthly_series(b, indicator, 2018))


# --- villages and township -------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(rows=monthly_rows(("output", "firms"), VILLAGES, months=YEAR_2018), month=st.sampled_from(YEAR_2018))
def test_village_figures_add_up_to_the_township_figure(rows, month):
    tw = make_township(indicators=INDICATORS, monthly=rows)
    frame = progress(tw, month)
    for indicator, kind in (("output", "flow"), ("firms", "stock")):
        village_total = village_indicator_ytd(tw, indicator, as_month(month))["value"].sum()
        township = frame.loc[indicator, "ytd"]
        reported = [r for r in rows if r[2] == indicator and r[0] <= month]
        if not [r for r in reported if kind == "stock" or r[0][:4] == month[:4]]:
            assert math.isnan(township) and village_total == 0  # nothing reported: no figure, not 0
            continue
        assert township == pytest.approx(village_total), (indicator, month)
        if kind == "stock":  # by hand: each village's last level up to the month
            last = {}
            for _month, v, _, x in sorted(reported):
                last[v] = x
            assert township == pytest.approx(sum(last.values()))
        else:
            assert township == pytest.approx(ytd_by_hand(rows, indicator, month))


# --- status of better = lower ----------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(amounts=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12),
       target=st.integers(min_value=0, max_value=300), month=st.integers(min_value=1, max_value=12))
def test_a_ceiling_says_whether_it_is_within_the_amount_allowed_so_far(amounts, target, month):
    rows = [(f"2018-{i:02d}", None, "x", v) for i, v in enumerate(amounts, 1)]
    month = f"2018-{min(month, len(amounts)):02d}"
    lower = make_township(indicators=[("x", "safety", "事故", "起", "flow", "lower")], monthly=rows,
                          targets=[(2018, "x", target)])
    down = progress(lower, month).loc["x"]
    # a ceiling has no 完成率 and is never 超序时 / 达序时 / 滞后
    assert math.isnan(down["completion_pct"]) and math.isnan(down["diff_pp"])
    ytd = sum(amounts[: int(month[5:])])
    allowed = target * int(month[5:]) / 12
    assert down["ytd"] == ytd and down["allowed"] == pytest.approx(allowed)
    if ytd > target:
        assert down["status"] == OVER_YEAR
    elif ytd <= allowed + 1e-9:
        assert down["status"] == WITHIN
    elif ytd > allowed + target * 0.01 + 1e-9:  # beyond the ±1 pp tolerance
        assert down["status"] == OVER_PACE


# --- missing is not zero: no text claims a month that has no figure --------------------------------------

RATE = ("hotline", "safety", "12345热线办结率", "%", "rate", "higher")
REPORTED = [FLOW, STOCK, LOWER, RATE]
AS_OF = re.compile(r"截至(\d{1,2})月底")


GAP_MONTHS = ["2017-10", "2017-11", "2017-12", *YEAR_2018]
"""Late 2017 too: a stock not yet reported this year carries last year's level (and says which year)."""


@st.composite
def township_with_gaps(draw):
    """Rows for late 2017 and 2018 with random months left out per indicator, and a report month in 2018."""
    rows = []
    for ind in ("output", "firms", "accidents", "hotline"):
        months = draw(st.lists(st.sampled_from(GAP_MONTHS), unique=True, max_size=15))
        rows += [(m, None, ind, draw(st.integers(min_value=0, max_value=100))) for m in sorted(months)]
    in_2018 = sorted({r[0] for r in rows if r[0] >= "2018"})
    assume(in_2018)
    month = draw(st.sampled_from(in_2018))
    return rows, month


def gap_township(rows):
    return make_township(indicators=REPORTED, monthly=rows, validate=True,
                         targets=[(2018, "output", 600), (2018, "firms", 50), (2018, "accidents", 3),
                                  (2018, "hotline", 90)])


def as_of_text(through: str, month: str) -> str:
    """截至8月底 within the report's year; 截至2017年12月底 for a level last reported in an earlier year."""
    if through[:4] == month[:4]:
        return f"截至{int(through[5:])}月底"
    return f"截至{int(through[:4])}年{int(through[5:])}月底"


@pytest.mark.e2e  # a whole report's prose (or its three outputs) for 30 random townships
@HEAVY_SETTINGS
@given(case=township_with_gaps())
def test_no_text_claims_a_month_without_data(case):
    from helpers.report.prose.narrative import narrative
    from helpers.report.tables import key_figure_view

    rows, month = case
    tw = gap_township(rows)
    has = {(i, m) for m, _, i, _ in rows}
    view = key_figure_view(key_figures(tw, as_month(month)), pd.Period(month, "M")).set_index("indicator")
    for indicator, row in view.iterrows():
        kind = row["kind"]
        # a flow's year-to-date runs over this year's months; a level (stock, rate) is its last report
        since = month[:4] if kind == "flow" else ""
        mine = sorted(m for i, m in has if i == indicator and since <= m <= month)
        if not mine:
            assert row["as_of"] == "未报" and row["status"] == "未报", (indicator, row["as_of"])
            continue
        through = mine[-1]
        assert row["as_of"].startswith(as_of_text(through, month)), (indicator, row["as_of"])
        assert (through == month) == ("未报" not in row["as_of"]) or kind == "stock", (indicator, row["as_of"])
        if kind == "flow" and through != month:
            assert math.isnan(row["mom_pct"]) and math.isnan(row["pace_needed"])
    # the prose: a sentence that names an indicator not reported this month says so
    names = {i[0]: i[2] for i in REPORTED}
    text = "\n".join(s.text for s in narrative(tw, as_month(month)))
    for sentence in re.split(r"[。；\n]", text):
        for indicator, name in names.items():
            if name not in sentence:
                continue
            for n in AS_OF.findall(sentence):
                claimed = f"{month[:4]}-{int(n):02d}"
                assert (indicator, claimed) in has or "未报" in sentence or indicator == "firms", sentence


@pytest.mark.e2e  # a whole report's prose (or its three outputs) for 30 random townships
@HEAVY_SETTINGS
@given(case=township_with_gaps())
def test_html_word_and_excel_agree_on_every_key_figure(case, tmp_path_factory):
    """The three outputs read back as text agree, on random townships with random months left out."""
    from openpyxl import load_workbook
    from test_key_figure_outputs import html_rows, xlsx_rows

    from helpers.report.document import KEY_FIGURE_KEYS, key_figure_rows
    from helpers.report.notebook import Context, key_figure_table
    from helpers.report.summary import write_summary
    from helpers.report.tables import KEY_FIGURE_COLUMNS, MISSING

    rows, month = case
    tw = gap_township(rows)
    view = key_figure_table(Context(tw, pd.Period(month, "M")))
    assume(hasattr(view, "to_html"))  # no key figure at all: an empty-data note, no table to compare
    html = html_rows(view.to_html())
    word = key_figure_rows(tw, as_month(month))
    path = write_summary(key_figures(tw, as_month(month)), tmp_path_factory.mktemp("xlsx") / "summary.xlsx",
                         township="测试镇", month=as_month(month))
    excel = xlsx_rows(load_workbook(path))
    assert len(html) == len(word) == len(excel) > 0
    shown = [KEY_FIGURE_COLUMNS[k][0] for k in KEY_FIGURE_KEYS]
    as_of, yoy_note = KEY_FIGURE_COLUMNS["as_of"][0], KEY_FIGURE_COLUMNS["yoy_note"][0]
    reported = key_figures(tw, as_month(month))["reported"].tolist()
    for h, w, x, now in zip(html, word, excel, reported, strict=True):
        expected = [h[k] for k in shown]
        if not now:  # Word has no 数据截至 column: a figure without this month's report says so in the cell
            expected[KEY_FIGURE_KEYS.index("ytd")] += f"（{h[as_of]}）"
        if h.get(yoy_note):  # nor a 同比说明 column: a 同比 over fewer months says so in its cell
            expected[KEY_FIGURE_KEYS.index("yoy_pct")] += f"（{h[yoy_note]}）"
        assert list(w) == expected, (h, w)
        assert {k: x[k] for k in [*shown, as_of]} == {k: h[k] for k in [*shown, as_of]}, (h, x)
        excel_note = x.get(yoy_note, MISSING)  # an empty cell reads back as —; no column at all, the same
        assert ("" if excel_note == MISSING else excel_note) == h.get(yoy_note, ""), (h, x)
