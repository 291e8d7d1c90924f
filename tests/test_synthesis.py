"""Synthesis across indicators: focus villages, the lowest branch, key tasks, petition facts, and their wording."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import make_township
from conftest import FIXTURE_DATA_DIR

from helpers.analysis.synthesis import focus_villages, key_tasks, lowest_branches, petition_trend
from helpers.config import DATA_DIR, SETTINGS, Settings
from helpers.data.periods import as_month
from helpers.data.township import load_township
from helpers.report.prose.facts import report_facts
from helpers.report.prose.narrative import area_section, focus_section

CASES = [("sample", DATA_DIR, "2018-08"), ("mini", FIXTURE_DATA_DIR, "2020-04"), ("qingshi", DATA_DIR, "2024-09")]


def _year_to_date(tw, month: str) -> dict[str, pd.Series]:
    """Per village-level flow indicator: each reporting village's sum January..month (computed here, by hand)."""
    m = pd.Period(month, freq="M")
    mo = tw.monthly
    rows = mo[mo["village"].notna() & (mo["month"] <= m) & (mo["month"].dt.year == m.year)]
    kinds = tw.indicators.set_index("indicator")["kind"].astype(str)
    out = {}
    for indicator, group in rows.groupby("indicator", sort=False):
        assert kinds[indicator] == "flow"  # the example townships rank flows only; a stock would need its level
        out[str(indicator)] = group.groupby(group["village"].astype(str))["value"].sum()
    return out


def _expected_bottom(tw, month: str, n: int) -> dict[str, set[str]]:
    """Village -> the indicators on which it is among the n worst (ties at the cut all in, never the best)."""
    better = tw.indicators.set_index("indicator")["better"].astype(str)
    found: dict[str, set[str]] = {}
    for indicator, values in _year_to_date(tw, month).items():
        worst_first = values.sort_values(ascending=better[indicator] != "lower")
        cut = worst_first.iloc[min(n, len(worst_first)) - 1]
        best = worst_first.iloc[-1]
        for village, v in values.items():
            at_bottom = v <= cut if better[indicator] != "lower" else v >= cut
            if at_bottom and v != best:
                found.setdefault(village, set()).add(indicator)
    return found


@pytest.mark.parametrize(("name", "data_dir", "month"), CASES)
def test_focus_villages_are_those_the_data_puts_at_the_bottom_of_two_rankings_or_more(name, data_dir, month):
    tw = load_township(data_dir, name)
    expected = {v: ids for v, ids in _expected_bottom(tw, month, SETTINGS.bottom_n).items() if len(ids) >= 2}
    found = {f.village: f for f in focus_villages(tw, as_month(month))}
    by_bottom = {v: set(f.bottom) for v, f in found.items() if len(f.bottom) >= 2}
    assert by_bottom == expected
    assert expected  # each example has such villages, so the test can fail
    for f in found.values():
        assert f.rankings == len(_year_to_date(tw, month))
    counts = [len(f.bottom) for f in found.values()]
    assert counts == sorted(counts, reverse=True)


def test_sample_langjiang_is_at_the_bottom_of_all_four_rankings_and_due_for_delisting(sample):
    expected = _expected_bottom(sample, "2018-08", 3)
    rankings = len(_year_to_date(sample, "2018-08"))
    assert rankings == 4
    assert len(expected["拦江村"]) == rankings  # the issue's reading of the sample
    first = focus_villages(sample, as_month("2018-08"))[0]
    assert (first.village, len(first.bottom)) == ("拦江村", 4)
    v = sample.villages
    due = v.loc[v["poor_village"] & (v["delisted_year"] == 2018), "village"].tolist()
    assert due == ["拦江村"]
    assert [t.village for t in key_tasks(sample, as_month("2018-08"))] == due


@pytest.mark.parametrize(("name", "data_dir", "month"), CASES)
def test_lowest_branch_is_the_one_the_branch_sums_make_lowest_most_often(name, data_dir, month):
    tw = load_township(data_dir, name)
    branch = tw.villages.set_index(tw.villages["village"].astype(str))["branch"].astype(str)
    tally: dict[str, int] = {}
    for values in _year_to_date(tw, month).values():
        sums = values.groupby(values.index.map(branch)).sum().reindex(branch.unique(), fill_value=0)
        if sums.nunique() > 1:
            for b in sums.index[sums == sums.min()]:
                tally[b] = tally.get(b, 0) + 1
    most = max(tally.values())
    found = lowest_branches(tw, as_month(month))
    assert {b.branch for b in found} == {b for b, n in tally.items() if n == most}
    assert all(len(b.indicators) == most for b in found)


def test_sample_wanfu_branch_is_lowest_on_three_indicators(sample):
    (found,) = lowest_branches(sample, as_month("2018-08"))
    assert (found.branch, len(found.indicators), found.of) == ("万福片区党总支", 3, 4)


def test_a_village_breaching_two_rules_is_a_focus_village_without_any_ranking():
    report = """
areas:
  - {id: party, heading: 党建, short: 党建, sections: [prose]}
rules:
  - {id: a, kind: village_monthly_minimum, area: party, name: 甲要求, indicator: visits, minimum: 8}
  - {id: b, kind: village_monthly_minimum, area: party, name: 乙要求, indicator: calls, minimum: 2}
"""
    indicators = [("visits", "party", "走访", "次", "flow", "higher"),
                  ("calls", "party", "电话", "次", "flow", "higher")]
    monthly = [("2018-01", "甲村", "visits", 3), ("2018-01", "乙村", "visits", 9), ("2018-01", "丙社区", "visits", 9),
               ("2018-01", "甲村", "calls", 1), ("2018-01", "乙村", "calls", 2), ("2018-01", "丙社区", "calls", 1)]
    tw = make_township(indicators=indicators, monthly=monthly, report=report)
    found = {f.village: f for f in focus_villages(tw, as_month("2018-01"), Settings(bottom_n=0))}
    assert set(found) == {"甲村"}
    assert found["甲村"].rules == ("a", "b") and found["甲村"].bottom == ()
    text = focus_section(report_facts(tw, as_month("2018-01"), Settings(bottom_n=0))).paragraphs[0]
    assert "甲村有2项要求未落实（“甲要求”、“乙要求”）" in text


# --- petitions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data_dir", "month"), CASES)
def test_petition_trend_from_the_rows(name, data_dir, month):
    tw = load_township(data_dir, name)
    m = pd.Period(month, freq="M")
    rows = tw.petitions[(tw.petitions["month"].dt.year == m.year) & (tw.petitions["month"] <= m)]
    t = petition_trend(tw, as_month(month))
    assert t.total == len(rows)
    assert t.month_cases == int((rows["month"] == m).sum())
    assert sum(t.earlier) == len(rows) - t.month_cases and len(t.earlier) == m.month - 1
    levels = list(tw.petitions["level"].cat.categories)  # the data's own order of levels
    top = max(rows["level"].astype(str), key=levels.index)
    assert t.top_level == top
    at_top = rows[rows["level"].astype(str) == top]
    assert (t.top_level_cases, t.top_level_open) == (len(at_top), int((at_top["status"] == "化解中").sum()))
    assert t.open_cases == int((rows["status"] == "化解中").sum())
    topics = rows["topic"].astype(str).value_counts()
    assert t.causes[0][1] == topics.max() and t.causes[0][0] in set(topics.index[topics == topics.max()])


def test_sample_august_petitions_read_as_the_issue_says(sample):
    t = petition_trend(sample, as_month("2018-08"))
    rows = sample.petitions[sample.petitions["month"] <= pd.Period("2018-08", freq="M")]
    per_month = rows.groupby(rows["month"].astype(str)).size()
    assert t.month_cases == per_month["2018-08"] == 5
    assert set(t.earlier) == {3} and t.earlier_all_equal
    assert (t.top_level, t.top_level_cases, t.top_level_open) == ("市", 4, 1)
    assert t.causes[0] == ("工程欠款", int((rows["topic"] == "工程欠款").sum())) == ("工程欠款", 7)
    assert t.total == 26


def test_highest_level_follows_the_data_order_not_the_reference_levels():
    cases = [("Q1", "2024-01", "甲村", "街道", "已化解", "物业"), ("Q2", "2024-02", "乙村", "区", "化解中", "物业"),
             ("Q3", "2024-02", "乙村", "县", "已化解", "噪声")]
    t = petition_trend(make_township(petitions=cases), as_month("2024-02"))
    assert t.top_level == "区" and (t.top_level_cases, t.top_level_open) == (1, 1)
    assert t.causes == (("物业", 2), ("噪声", 1))
    assert t.earlier == (1,) and t.month_cases == 2


def test_no_earlier_month_in_january_and_no_cases_at_all():
    tw = make_township(petitions=[("Q1", "2024-01", "甲村", "县", "已化解", "物业")])
    t = petition_trend(tw, as_month("2024-01"))
    assert t.earlier == () and t.earlier_average is None and t.month_cases == 1
    empty = petition_trend(make_township(), as_month("2024-03"))
    assert (empty.total, empty.top_level, empty.causes) == (0, None, ())


# --- wording ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data_dir", "month"), CASES)
def test_focus_paragraph_names_each_focus_village_with_its_count_and_the_lowest_branch(name, data_dir, month):
    tw = load_township(data_dir, name)
    facts = report_facts(tw, as_month(month))
    (text,) = focus_section(facts).paragraphs
    for f in focus_villages(tw, as_month(month)):
        assert f.village in text
        n, bottom_n = len(f.bottom), SETTINGS.bottom_n
        if n:
            said = f"在全部{n}项村级排名中均居后{bottom_n}位" if n == f.rankings else f"有{n}项居后{bottom_n}位"
            assert said in text
    assert "排名中均居末位" not in text and "项居末位（" not in text  # 末位 is the last place only
    for b in lowest_branches(tw, as_month(month)):
        assert b.branch in text
    assert tw.naming.branch in text
    for task in key_tasks(tw, as_month(month)):
        assert task.village in text and "摘帽" in text


def test_qingshi_focus_paragraph_uses_its_own_branch_label():
    tw = load_township(DATA_DIR, "qingshi")
    (text,) = focus_section(report_facts(tw, as_month("2024-09"))).paragraphs
    assert "联合党委末位" in text and "党总支" not in text
    assert "摘帽" not in text  # no poor villages


def _expected_last(tw, month: str) -> dict[str, set[str]]:
    """Village -> the indicators on which it is last (the worst value; ties all last)."""
    better = tw.indicators.set_index("indicator")["better"].astype(str)
    found: dict[str, set[str]] = {}
    for indicator, values in _year_to_date(tw, month).items():
        worst = values.min() if better[indicator] != "lower" else values.max()
        for village in values[values == worst].index:
            found.setdefault(village, set()).add(indicator)
    return found


@pytest.mark.parametrize(("name", "data_dir", "month"), CASES)
def test_focus_villages_know_where_they_are_last(name, data_dir, month):
    tw = load_township(data_dir, name)
    expected = _expected_last(tw, month)
    for f in focus_villages(tw, as_month(month)):
        assert set(f.last) == expected.get(f.village, set()) & set(f.bottom)


def test_sample_focus_paragraph_reads_the_issue_findings(sample):
    (text,) = focus_section(report_facts(sample, as_month("2018-08"))).paragraphs
    names = sample.indicators.set_index("indicator")["name"]
    last = sorted(_expected_last(sample, "2018-08")["拦江村"], key=list(names.index).index)
    assert "拦江村在全部4项村级排名中均居后3位" in text
    assert f"其中{'、'.join(names[i] for i in last)}居末位" in text
    assert "又是今年计划摘帽的贫困村" in text
    assert "万福片区党总支在4项村级指标中有3项" in text


def test_nothing_to_say_gives_no_focus_paragraph():
    tw = make_township(monthly=[("2019-01", None, "output", 1)])  # 甲村's 摘帽 was 2018
    assert focus_section(report_facts(tw, as_month("2019-01"))).paragraphs == ()


def test_safety_prose_states_the_petition_trend(sample):
    text = "".join(area_section(report_facts(sample, as_month("2018-08")), "safety").paragraphs)
    t = petition_trend(sample, as_month("2018-08"))
    assert f"8月新受理{t.month_cases}件，多于此前各月（均为{t.earlier[0]}件）" in text
    assert f"到市上访{t.top_level_cases}件，其中{t.top_level_open}件仍在化解" in text
    assert "最高到" not in text
    assert f"{t.causes[0][0]}最多（{t.causes[0][1]}件）" in text
