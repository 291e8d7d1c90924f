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
    return indicator_progress(tw, month).set_index("indicator")


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
    pd.testing.assert_frame_equal(indicator_progress(a, month), indicator_progress(b, month))
    for indicator in ("output", "firms", "accidents"):
        pd.testing.assert_frame_equal(village_indicator_ytd(a, indicator, month),
                                      village_indicator_ytd(b, indicator, month))
        pd.testing.assert_frame_equal(monthly_series(a, indicator, 2018), monthly_series(b, indicator, 2018))


# --- villages and township -------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(rows=monthly_rows(("output", "firms"), VILLAGES, months=YEAR_2018), month=st.sampled_from(YEAR_2018))
def test_village_figures_add_up_to_the_township_figure(rows, month):
    tw = make_township(indicators=INDICATORS, monthly=rows)
    frame = progress(tw, month)
    for indicator, kind in (("output", "flow"), ("firms", "stock")):
        village_total = village_indicator_ytd(tw, indicator, month)["value"].sum()
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


@st.composite
def township_with_gaps(draw):
    """Rows for 2018 with random months left out per indicator, targets for each, and a report month."""
    rows = []
    for ind in ("output", "firms", "accidents", "hotline"):
        months = draw(st.lists(st.sampled_from(YEAR_2018), unique=True, max_size=12))
        rows += [(m, None, ind, draw(st.integers(min_value=0, max_value=100))) for m in sorted(months)]
    assume(rows)
    month = draw(st.sampled_from(sorted({r[0] for r in rows})))
    return rows, month


@HEAVY_SETTINGS
@given(case=township_with_gaps())
def test_no_text_claims_a_month_without_data(case):
    from helpers.report.narrative import narrative
    from helpers.report.tables import key_figure_view

    rows, month = case
    tw = make_township(indicators=REPORTED, monthly=rows, validate=True,
                       targets=[(2018, "output", 600), (2018, "firms", 50), (2018, "accidents", 3),
                                (2018, "hotline", 90)])
    has = {(i, m) for m, _, i, _ in rows}
    view = key_figure_view(key_figures(tw, month), pd.Period(month, "M")).set_index("indicator")
    for indicator, row in view.iterrows():
        kind = row["kind"]
        mine = sorted(m for i, m in has if i == indicator and m <= month)
        if not mine:
            assert row["as_of"] == "未报" and row["status"] == "未报", (indicator, row["as_of"])
            continue
        through = mine[-1]
        assert row["as_of"].startswith(f"截至{int(through[5:])}月底"), (indicator, row["as_of"])
        assert (through == month) == ("未报" not in row["as_of"]) or kind == "stock", (indicator, row["as_of"])
        if kind == "flow" and through != month:
            assert math.isnan(row["mom_pct"]) and math.isnan(row["pace_needed"])
    # the prose: a sentence that names an indicator not reported this month says so
    names = {i[0]: i[2] for i in REPORTED}
    text = "\n".join(s.text for s in narrative(tw, month))
    for sentence in re.split(r"[。；\n]", text):
        for indicator, name in names.items():
            if name not in sentence:
                continue
            for n in AS_OF.findall(sentence):
                claimed = f"{month[:4]}-{int(n):02d}"
                assert (indicator, claimed) in has or "未报" in sentence or indicator == "firms", sentence
