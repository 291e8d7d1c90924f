"""The notebook views: Chinese headers, formatted numbers, escaped text, empty states."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from helpers.report import notebook as nb
from helpers.report.tables import display_table, fmt_pct, fmt_smart
from tests.builders import make_township


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
    ctx = ctx_of(make_township())
    for view in (nb.project_table(ctx, "economy"), nb.rectification_figure(ctx, "safety"),
                 nb.visits_heatmap(ctx), nb.bottom_villages_table(ctx, "party"),
                 nb.petition_village_table(ctx)):
        assert isinstance(view, HTML)


def test_rule_breach_tables_render_for_every_sample_month(sample):
    for month in [f"2018-{m:02d}" for m in range(1, 9)]:
        ctx = ctx_of(sample, month)
        for rule in ("visits", "party_quarterly", "double_half", "adobe_notice", "zero_petition", "daily_refuse"):
            view = nb.rule_breaches(ctx, rule)
            html = view.to_html() if hasattr(view, "to_html") else view.data
            assert html
    html = nb.rule_breaches(ctx_of(sample, "2018-08"), "visits").to_html()
    assert "石桥村" in html and "新街社区" in html


def test_ceiling_indicators_read_the_right_way_round(sample):
    html = nb.key_figure_table(ctx_of(sample)).to_html()
    assert "安全生产事故（上限）" in html
    assert "+16.7" not in html and "-16.7" not in html  # a ceiling has no completion and no gap to 序时
    assert "在控制量内" in html  # 1 accident against the 1.33 allowed by August


def test_stocks_have_no_monthly_pace_and_flows_round_up_counts(sample):
    from helpers.analysis.progress import key_figures
    from helpers.report.tables import key_figure_view

    view = key_figure_view(key_figures(sample, "2018-08")).set_index("indicator")
    assert pd.isna(view.loc["above_scale_firms", "pace_needed"])  # a stock
    assert view.loc["party_members_developed", "pace_needed"] == 4  # 3.5 people a month → 4
    assert view.loc["river_cleanup_km", "pace_needed"] == 1.325  # kilometres are not rounded up
