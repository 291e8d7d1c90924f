"""The notebook views: Chinese headers, formatted numbers, escaped text, empty states."""

from __future__ import annotations

from html import escape

import pandas as pd
import pytest
from matplotlib.figure import Figure
from report_text import shown
from sample_raw import SAMPLE

from helpers.analysis.rules import RuleResult
from helpers.data.periods import as_month
from helpers.data.report_profile.reading import default_profile
from helpers.report import notebook as nb
from helpers.report.tables import display_table, fmt_pct, fmt_smart
from tests.builders import make_township

AREAS = default_profile().area_names


def ctx_of(tw, month="2018-08"):
    return nb.Context(tw, pd.Period(month, "M"))


def test_key_figure_table_has_chinese_headers_and_formatted_numbers(sample):
    html = nb.key_figure_table(ctx_of(sample)).to_html()
    for header in ("指标", "年度目标", "完成率", "序时进度", "状态", "今后每月需完成"):
        assert f">{header}<" in html
    assert "3,300" in html and "81.2%" in html  # 藤椒 2680 / 3300
    assert "超序时" in html and "滞后" in html


def test_formatters():
    assert fmt_smart(36800.0) == "36,800"
    assert fmt_smart(54.7) == "54.7"
    assert fmt_smart(float("nan")) == "—"
    assert fmt_pct(66.6667) == "66.7%"


def test_text_from_data_is_escaped():
    frame = pd.DataFrame({"name": ["<script>alert(1)</script>"]})
    html = display_table(frame, {"name": ("名称", "text")}).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_body_cells_carry_their_column_id_and_stacked_tables_their_header_label():
    frame = pd.DataFrame({"name": ["甲村"], "status": ["滞后"]})
    columns = {"name": ('名称"<x>', "text"), "status": ("状态", "text")}
    html = display_table(frame, columns).to_html()
    assert 'class="data row0 col0 c-name"' in html and 'class="data row0 col1 c-status"' in html
    assert "data-label" not in html  # headers may be names from the data: none of them in an attribute
    assert 'class="stacked"' not in html
    stacked = display_table(frame, columns, stacked=True).to_html()
    assert 'data-label="状态">滞后</td>' in stacked and 'class="stacked"' in stacked
    assert 'data-label="名称&#34;&lt;x&gt;"' in stacked  # even so, a header cannot break out of the attribute


def test_key_tables_stack_on_a_phone(sample):
    ctx = ctx_of(sample)
    for html in (nb.key_figure_table(ctx).to_html(), nb.attention_table(ctx).to_html()):
        assert '<table id="T_' in html and 'class="stacked"' in html
    assert 'class="data row0 col2 c-detail"' in nb.attention_table(ctx, "party").to_html()


def test_views_on_the_sample_return_displayable_objects(sample):
    ctx = ctx_of(sample)
    assert isinstance(nb.visits_heatmap(ctx), Figure)
    assert all(isinstance(f, Figure) for f in nb.cumulative_figures(ctx, "economy"))
    assert len(nb.cumulative_figures(ctx, "economy")) == 5  # flow indicators with a target, better=higher
    assert len(nb.ranking_figures(ctx, "economy")) == 2  # pepper, collective income (visits excluded)
    html = nb.project_table(ctx, "livelihood").to_html()
    assert "逾期、停滞" in html and "万福村村道硬化工程" in html
    assert "住房安全" in nb.unmet_standards_table(ctx).to_html()
    assert "未落实" in nb.rules_table(ctx).to_html()


def test_views_on_an_empty_township_say_so_instead_of_failing():
    tw = make_township()
    assert tw.projects.empty and tw.rectifications.empty and tw.petitions.empty and tw.monthly.empty
    assert "visits" not in set(tw.indicators["indicator"])
    ctx = ctx_of(tw)
    for view, message in ((nb.project_table(ctx, "economy"), "本领域没有项目。"),
                          (nb.rectification_figure(ctx, "safety"), "本领域没有整改任务。"),
                          (nb.visits_heatmap(ctx), "数据中没有visits指标。"),
                          (nb.bottom_villages_table(ctx, "party"), "本领域没有村级排名指标。"),
                          (nb.petition_village_table(ctx), "今年以来没有信访案件。"),
                          (nb.completion_figure(ctx), "本领域没有设定年度目标的指标。"),
                          (nb.key_figure_table(ctx), "本领域没有设定年度目标的指标。")):
        assert isinstance(view, nb.Empty)  # left out of the report's sections, shown as a note in JupyterLab
        assert view.data == f'<p class="report-empty">{message}</p>'


# --- completion chart: one bar per indicator measured against 序时, at its completion ----------------------

OUTPUT = ("output", "economy", "产值", "万元", "flow", "higher")
SALES = ("sales", "economy", "销售额", "万元", "flow", "higher")
FIRMS = ("firms", "economy", "企业", "家", "stock", "higher")
ACCIDENTS = ("accidents", "economy", "安全事故", "起", "flow", "lower")


def bars(fig) -> tuple[str, list[str], list[float], list[float]]:
    """Title, bar labels (top to bottom), bar lengths and the x of the dashed 序时 line of a completion chart."""
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    return (ax.get_title(loc="left") or ax.get_title(), labels, [b.get_width() for b in ax.patches],
            [float(line.get_xdata()[0]) for line in ax.lines])


def test_completion_figure_has_a_bar_per_plain_indicator_reported_this_month():
    output = {f"2018-{m:02d}": 90 + m for m in range(1, 9)}
    sales = {f"2018-{m:02d}": 40 for m in range(1, 8)}  # 未报 in August: its 序时 would be July's, left out
    firms = {"2017-12": 10, "2018-05": 12, "2018-08": 14}
    accidents = {"2018-03": 1}  # a ceiling has no completion
    targets = {"output": 1200, "sales": 500, "firms": 20, "accidents": 5}
    monthly = [(m, None, ind, v) for ind, rows in (("output", output), ("sales", sales), ("firms", firms),
                                                  ("accidents", accidents)) for m, v in rows.items()]
    tw = make_township(indicators=[OUTPUT, SALES, FIRMS, ACCIDENTS], monthly=monthly,
                       targets=[(2018, k, v) for k, v in targets.items()])
    title, labels, widths, lines = bars(nb.completion_figure(ctx_of(tw, "2018-08"), "economy"))
    assert title == f"{AREAS['economy']}指标完成率与序时进度（%）"
    assert labels == ["产值", "企业"]
    start = firms["2017-12"]  # a stock counts the change since December against the change asked
    assert widths == pytest.approx([sum(output.values()) / targets["output"] * 100,
                                    (firms["2018-08"] - start) / (targets["firms"] - start) * 100])
    assert lines == pytest.approx([8 / 12 * 100])
    assert bars(nb.completion_figure(ctx_of(tw, "2018-08")))[0] == "主要指标完成率与序时进度（%）"
    one = make_township(indicators=[OUTPUT], monthly=[(m, None, "output", v) for m, v in output.items()],
                        targets=[(2018, "output", 1200)])
    view = nb.completion_figure(ctx_of(one, "2018-08"), "economy")
    assert isinstance(view, nb.Empty)
    assert view.data == '<p class="report-empty">本领域按序时进度计算完成率的指标不足两项，见关键指标表。</p>'


def test_completion_figure_of_the_sample_economy_from_the_files(sample):
    names = {r["indicator"]: r for r in SAMPLE.rows("indicators")}
    targets = {r["indicator"]: float(r["target"]) for r in SAMPLE.rows("targets") if r["year"] == "2018"}
    shown_ids = [i for i, r in names.items() if r["area"] == "economy" and i in targets and r["better"] == "higher"]
    expected = []
    for i in shown_ids:
        if names[i]["kind"] == "flow":
            expected.append(SAMPLE.flow_ytd(i, "2018-08") / targets[i] * 100)
        else:  # a stock: the change since December against the change the target asks for
            start = SAMPLE.stock_level(i, "2017-12")
            expected.append((SAMPLE.stock_level(i, "2018-08") - start) / (targets[i] - start) * 100)
    title, labels, widths, lines = bars(nb.completion_figure(ctx_of(sample), "economy"))
    assert labels == [names[i]["name"] for i in shown_ids]
    assert widths == pytest.approx(expected)
    assert lines == pytest.approx([8 / 12 * 100])


# --- an area's rule checks in one sentence ----------------------------------------------------------------


def rule_result(name: str, passed: bool, applicable: bool = True, breaches: int = 0) -> RuleResult:
    return RuleResult("r", "party", name, passed, applicable, "", pd.DataFrame({"x": range(breaches)}))


@pytest.mark.parametrize(("results", "expected"), [
    ([rule_result("甲规则", True), rule_result("乙规则", False, breaches=2), rule_result("丙规则", False, False)],
     "本领域规则检查3项，落实1项、未落实1项（“乙规则”），1项本期尚不适用，详见概况“规则检查一览”，未落实明细见文末附表。"),
    ([rule_result("甲规则", True), rule_result("乙规则", True)],
     "本领域规则检查2项，均已落实，详见概况“规则检查一览”。"),
    ([rule_result("甲规则", True)], "本领域规则检查1项，已落实，详见概况“规则检查一览”。"),
    ([rule_result("甲规则", True), rule_result("乙规则", True), rule_result("丙规则", False, False)],
     "本领域规则检查3项，落实2项，1项本期尚不适用，详见概况“规则检查一览”。"),
    ([rule_result("“双过半”", False), rule_result("乙规则", False)],  # quoted names are not quoted twice
     "本领域规则检查2项，未落实2项（“双过半”、“乙规则”），详见概况“规则检查一览”。"),
    ([rule_result("甲规则", False, False)], "本领域规则检查1项，1项本期尚不适用，详见概况“规则检查一览”。"),
], ids=["mixed", "all-kept", "one-kept", "kept-and-not-yet", "all-broken", "not-yet"])
def test_rules_sentence_counts_kept_broken_and_not_yet_applicable(results, expected):
    assert nb.rules_sentence(results).data == note_html(expected)


@pytest.mark.parametrize("month", ["2018-02", "2018-08"])
def test_rules_sentence_of_the_sample_party_area(sample, month):
    """The party area has the visits and the quarterly rule; visits fail once a village fell short (files)."""
    names = [sample.report.rule(i).name for i in ("visits", "party_quarterly")]
    assert [r.name for r in sample.report.rules if r.area == "party"] == names
    if SAMPLE.visits_short(month):
        expected = (f"本领域规则检查2项，落实1项、未落实1项（“{names[0]}”），详见概况“规则检查一览”，"
                    "未落实明细见文末附表。")
    else:
        expected = "本领域规则检查2项，均已落实，详见概况“规则检查一览”。"
    assert nb.rules_table(ctx_of(sample, month), "party").data == note_html(expected)


# --- the 附表 of each rule, every sample month, worked out from the sample's files --------------------------

SAMPLE_MONTHS = [f"2018-{m:02d}" for m in range(1, 9)]
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def span(month: str) -> str:
    """The year to date as the rule summaries write it: 2018年1月, 2018年1—8月."""
    m = int(month[5:])
    return f"{month[:4]}年1月" if m == 1 else f"{month[:4]}年1—{m}月"


def month_end(month: str) -> pd.Timestamp:
    return pd.Period(month, "M").end_time.normalize()


def visits_expected(tw, month: str) -> tuple[str, list[list[str]]]:
    """The note, or the breach rows (village, month, visits, minimum), of the visits rule from monthly.csv."""
    minimum = tw.report.rule("visits").params["minimum"]
    done: dict[tuple[str, str], float] = {}
    for r in SAMPLE.rows("monthly"):
        if r["indicator"] == "visits" and r["village"] and f"{month[:4]}-01" <= r["month"] <= month:
            done[r["village"], r["month"]] = done.get((r["village"], r["month"]), 0.0) + float(r["value"])
    short = SAMPLE.visits_short(month, int(minimum))
    rows = [[v, m, f"{done.get((v, m), 0):g}", f"{minimum:g}"] for v, m in short]
    villages = len(SAMPLE.rows("villages"))
    return f"{span(month)}，{villages}个村（社区）每月民情恳谈均不少于{minimum:g}次", rows


def quarterly_expected(tw, month: str) -> str:
    """The party rule's note: ended quarters hold every type of event, the current one what it has so far."""
    types = list(tw.report.rule("party_quarterly").params["types"])
    held: dict[int, set[str]] = {}
    for r in SAMPLE.rows("events"):
        if r["area"] == "party" and r["type"] in types and f"{month[:4]}-01" <= r["date"][:7] <= month:
            held.setdefault((int(r["date"][5:7]) - 1) // 3, set()).add(r["type"])
    now = (int(month[5:]) - 1) // 3
    ended = [q for q in range(now + 1) if (q + 1) * 3 <= int(month[5:])]
    assert all(held.get(q) == set(types) for q in ended), "the sample holds every type in every ended quarter"
    parts = [f"{'、'.join(QUARTERS[q] for q in ended)}均开展了{'、'.join(types)}"] if ended else []
    if now not in ended:
        so_far = [t for t in types if t in held.get(now, set())]
        parts.append(f"{QUARTERS[now]}进行中，" + (f"已开展{'、'.join(so_far)}" if so_far else "尚未开展"))
    return f"{month[:4]}年" + "；".join(parts)


def double_half_expected(tw, month: str) -> str | None:
    """The 双过半 note from the June sums of monthly.csv (None before June: not judged yet)."""
    params = tw.report.rule("double_half").params
    if int(month[5:]) < params["month"]:
        return None
    names = {r["indicator"]: r["name"] for r in SAMPLE.rows("indicators")}
    june = f"{month[:4]}-{params['month']:02d}"
    shares = [(names[i], SAMPLE.flow_ytd(i, june) / SAMPLE.target(i) * 100) for i in params["indicators"]]
    assert all(share >= params["share"] for _, share in shares), "the sample reaches half of every target"
    listed = "、".join(f"{name}{share:.1f}%" for name, share in shares)
    return f"截至{june[:4]}年{params['month']}月底，{listed}，均实现“{params['label']}”"


def adobe_expected(tw, month: str) -> str | None:
    """The half-monthly 土坯房 notice note from events.csv (None before the first notice)."""
    params = tw.report.rule("adobe_notice").params
    days = sorted(pd.Timestamp(r["date"]) for r in SAMPLE.rows("events")
                  if r["type"] in params["types"] and params["title_contains"] in r["title"])
    days = [d for d in days if d <= month_end(month)]
    if not days:
        return None
    first = max(days[0], pd.Timestamp(f"{month[:4]}-01-01"))
    halves = [(p, h) for p in pd.period_range(first.to_period("M"), month, freq="M") for h in (0, 1)
              if not (p == first.to_period("M") and h == 0 and first.day > 15)]
    assert all(any(d.to_period("M") == p and (d.day > 15) == bool(h) for d in days) for p, h in halves)
    since = f"自{first.year}年{first.month}月{'下半月' if first.day > 15 else '上半月'}起"
    return f"{since}每半月均有{params['subject']}{'、'.join(params['types'])}，共{len(days)}次"


def petition_expected(tw, month: str) -> str:
    levels = tw.report.rule("zero_petition").params["levels"]
    cases = [r for r in SAMPLE.rows("petitions") if f"{month[:4]}-01" <= r["month"] <= month]
    assert not any(r["level"] in levels for r in cases), "no case of the sample reached 省 or 京"
    return f"{span(month)}共有信访案件{len(cases)}件，无到省、进京上访，实现“零到省”“零进京”"


def refuse_expected(tw, month: str) -> str:
    params = tw.report.rule("daily_refuse").params
    runs = {(r["title"], r["date"]) for r in SAMPLE.rows("events")
            if r["type"] == params["type"] and f"{month[:4]}-01-01" <= r["date"] <= str(month_end(month).date())}
    stations = {title for title, _ in runs}
    first, last = pd.Timestamp(min(d for _, d in runs)), month_end(month)
    calendar = [str(d.date()) for d in pd.date_range(first, last, freq="D")]
    assert all((s, d) in runs for s in stations for d in calendar), "every site of the sample has a run every day"
    return (f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日，"
            f"{len(stations)}个{params['sites_label']}每日均有{params['type']}")


def note_html(text: str) -> str:
    return f'<p class="report-note">{escape(text)}</p>'


NOT_YET = '<p class="report-empty">本期不适用。</p>'


@pytest.mark.parametrize("month", SAMPLE_MONTHS)
def test_rule_breach_views_of_every_sample_month_say_what_the_files_give(sample, month):
    ctx = ctx_of(sample, month)
    visits_note, visits_rows = visits_expected(sample, month)
    if visits_rows:
        view = nb.rule_breaches(ctx, "visits")
        assert isinstance(view, nb.Appendix)
        assert view.title == f"{AREAS['party']}：{sample.report.rule('visits').name}未落实明细"
        headers, body, _ = shown(view.content)
        assert headers == ["村（社区）", "月份", "实际", "要求"]
        assert body == visits_rows
    else:
        assert nb.rule_breaches(ctx, "visits").data == note_html(visits_note)
    assert nb.rule_breaches(ctx, "party_quarterly").data == note_html(quarterly_expected(sample, month))
    for rule, expected in (("double_half", double_half_expected(sample, month)),
                           ("adobe_notice", adobe_expected(sample, month))):
        view = nb.rule_breaches(ctx, rule)
        assert isinstance(view, nb.Empty)
        assert view.data == (NOT_YET if expected is None else note_html(expected)), rule
    assert nb.rule_breaches(ctx, "zero_petition").data == note_html(petition_expected(sample, month))
    assert nb.rule_breaches(ctx, "daily_refuse").data == note_html(refuse_expected(sample, month))


def test_the_planted_visits_breaches_reach_the_august_appendix(sample):
    """The sample's 民情恳谈 breaches as the files have them: fewer visits than the minimum, month by month."""
    _, rows = visits_expected(sample, "2018-08")
    assert len(rows) == len(SAMPLE.visits_short("2018-08")) > 0
    assert all(float(value) < float(required) for _v, _m, value, required in rows)
    html_text = nb.rule_breaches(ctx_of(sample, "2018-08"), "visits").to_html()
    assert all(village in html_text for village, *_ in rows)


def test_ceiling_indicators_read_the_right_way_round(sample):
    html = nb.key_figure_table(ctx_of(sample)).to_html()
    assert "安全生产事故（上限）" in html
    assert "+16.7" not in html and "-16.7" not in html  # a ceiling has no completion and no gap to 序时
    assert "在控制量内" in html  # 1 accident against the 1.33 allowed by August


def test_stocks_have_no_monthly_pace_and_flows_round_up_counts(sample):
    from helpers.analysis.progress import key_figures
    from helpers.report.tables import key_figure_view

    view = key_figure_view(key_figures(sample, as_month("2018-08"))).set_index("indicator")
    assert pd.isna(view.loc["above_scale_firms", "pace_needed"])  # a stock
    assert view.loc["party_members_developed", "pace_needed"] == 4  # 3.5 people a month → 4
    assert view.loc["river_cleanup_km", "pace_needed"] == 1.325  # kilometres are not rounded up
