"""What the notebooks call: one context per run, then display-ready tables, charts and text.

Every function takes the :class:`Context` and returns something ``display()`` shows: a pandas
Styler, a matplotlib Figure, a list of Figures, or IPython HTML. Notebooks hold no logic of their own.
Functions are township-agnostic: they iterate over the indicators a township has, so the same
notebook serves any township folder.

It stays one module on purpose: it is the notebooks' single import (``from helpers.report import notebook
as nb``) and :mod:`helpers.report.sections` calls its views by name through it; its parts (overview,
indicators by month and village, records, prose) are marked by comment headers.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from helpers.analysis.events import event_counts
from helpers.analysis.petitions import petition_counts, petitions_by_village
from helpers.analysis.poverty import poverty_by_village, poverty_summary, unmet_exit_standards
from helpers.analysis.progress import BEHIND, indicator_progress, key_figures, monthly_series
from helpers.analysis.projects import project_status
from helpers.analysis.rectifications import rectification_status, rectifications_by_category
from helpers.analysis.rules import rule_checks, run_rule
from helpers.analysis.villages import branch_rollup, village_level_indicators, village_month_matrix, village_ranking
from helpers.config import DATA_DIR, SETTINGS, Settings
from helpers.data.periods import as_month, month_label
from helpers.data.township import Township, load_township_cached
from helpers.report import charts, style, wording
from helpers.report.prose.attention import LEADS, attention_list
from helpers.report.tables import KEY_FIGURE_COLUMNS, display_table, key_figure_view, unmoved_stock_mom


@dataclass(frozen=True)
class Context:
    """The loaded township and the report month a notebook works on."""

    township: Township
    month: pd.Period
    settings: Settings = SETTINGS

    @property
    def label(self) -> str:
        return f"{self.township.name} {month_label(self.month)}"


def context(township: str = "sample", month: str = "", data_dir: str = "") -> Context:
    """Load and validate the township; an empty month means the latest month with data."""
    style.apply()
    tw = load_township_cached(Path(data_dir) if data_dir else DATA_DIR, township, month or None)
    return Context(tw, as_month(month) if month else tw.last_month)


def note(text: str) -> HTML:
    """A short explanatory line (text is escaped)."""
    return HTML(f'<p class="report-note">{html.escape(text)}</p>')


MIN_BARS = 2
"""A chart needs at least two bars (villages, projects, months, categories); with one, the table says it."""


class Empty(HTML):
    """A block with nothing to show: the report's sections leave it out (JupyterLab still shows the note)."""


def empty(text: str = "本期无相关数据。") -> HTML:
    return Empty(f'<p class="report-empty">{html.escape(text)}</p>')


APPENDIX_KEY = "report_appendix"
"""Output metadata key of a long list: the report's stitching moves the output to the collapsed 附表 at the end."""


class Appendix:
    """A long list (all households, all villages) shown in the report's 附表, not its body.

    ``display()`` shows the table as usual (JupyterLab shows it in place); its output carries
    ``metadata[APPENDIX_KEY] = {"title": …}``, which :class:`helpers.pipeline.preprocessors.MoveToAppendix` reads.
    """

    def __init__(self, content, title: str):
        self.content, self.title = content, title

    def to_html(self) -> str:
        return self.content._repr_html_() if hasattr(self.content, "_repr_html_") else html.escape(str(self.content))

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html(), "text/plain": self.title}, {APPENDIX_KEY: {"title": self.title}}


# --- overview -------------------------------------------------------------------------------------


def profile_table(ctx: Context):
    """The township profile with the counts that come from the tables."""
    tw, p = ctx.township, ctx.township.profile
    villages = tw.villages
    def given(key: str, unit: str) -> str | None:
        value = p.get(key)
        return None if value in (None, "") else f"{value}{unit}"

    rows = [
        ("乡镇" if tw.naming.kind != "街道" else "街道", p.get("name")),
        ("所属县", p.get("county")),
        ("距县城", given("distance_to_county_km", "公里")),
        ("幅员面积", given("area_km2", "平方公里")),
        ("场镇面积", given("town_area_km2", "平方公里")),
        (tw.naming.branch, f"{villages['branch'].nunique()}个"),
        (
            "村（社区）",
            f"{len(villages)}个（村{int((villages['kind'] == '村').sum())}个、"
            f"社区{int((villages['kind'] == '社区').sum())}个）",
        ),
        ("总人口", f"{p.get('population')}人"),
        ("报告月份", month_label(ctx.month)),
    ]
    frame = pd.DataFrame([r for r in rows if r[1] is not None], columns=["item", "value"])
    return display_table(frame, {"item": ("项目", "text"), "value": ("内容", "text")})


def key_figure_table(ctx: Context, area: str | None = None):
    """Every indicator with a target: YTD, target, completion, time progress, status, changes."""
    frame = key_figures(ctx.township, ctx.month, area, ctx.settings)
    if frame.empty:
        return empty("本领域没有设定年度目标的指标。")
    frame = key_figure_view(frame, ctx.month)
    columns = dict(KEY_FIGURE_COLUMNS)
    if area is None:
        frame = frame.assign(area_name=frame["area"].map(ctx.township.areas))
        columns = {"area_name": ("领域", "text"), **columns}
    if area is not None:  # the overview's table says once how the figures are computed
        return display_table(frame, columns, stacked=True)
    note = "完成率：流量指标为累计完成 ÷ 年度目标；存量指标（如企业户数）为年初以来的增量 ÷ 目标要求的增量。"
    if (frame["better"] == "lower").any():
        note += "标注“上限”的指标越少越好，与按序时进度应控制的量比较，不计完成率。"
    if (frame["kind"] == "rate").any():
        note += "比率类指标（如办结率）直接与目标比较，不计序时进度。"
    if not frame["reported"].all():
        note += "“未报”的月份不按0计：累计只到“数据截至”的月份，不计环比和今后每月需完成量。"
    if "yoy_note" in frame:
        note += "同比只比较两年都有数据的月份，见“同比说明”。"
    return display_table(frame, columns, caption=note, stacked=True)


def completion_figure(ctx: Context, area: str | None = None) -> Figure | HTML:
    frame = key_figures(ctx.township, ctx.month, area, ctx.settings)
    if frame.empty:
        return empty("本领域没有设定年度目标的指标。")
    frame = frame[frame["completion_pct"].notna() & frame["reported"]]  # one 序时 for every bar
    if len(frame) < MIN_BARS:  # the key-figure table beside it says the same
        return empty("本领域按序时进度计算完成率的指标不足两项，见关键指标表。")
    title = "主要指标完成率与序时进度" if area is None else f"{ctx.township.areas[area]}指标完成率与序时进度"
    return charts.completion_chart(frame, title=title)


def other_indicator_table(ctx: Context, area: str):
    """The area's indicators without a target: current figure and month-on-month change."""
    frame = indicator_progress(ctx.township, ctx.month, ctx.settings)
    frame = frame[(frame["area"] == area) & frame["target"].isna()]
    if frame.empty:
        return HTML("")  # every indicator of the area has a target: the key-figure table shows them all
    return display_table(
        frame.assign(mom_pct=unmoved_stock_mom(frame)),
        {
            "name": ("指标", "text"),
            "unit": ("单位", "text"),
            "ytd": ("累计/现值", "number"),
            "this_month": ("本月", "number"),
            "mom_pct": ("环比", "signed_pct"),
            "yoy_pct": ("同比", "signed_pct"),
        },
    )


def attention_table(ctx: Context, area: str | None = None):
    """Everything lagging, overdue, stalled or in breach (one area, or all)."""
    frame = attention_list(ctx.township, ctx.month, ctx.settings)
    if area is not None:
        frame = frame[frame["area"] == area]
    if frame.empty:
        return empty("本期没有滞后、逾期、停滞或未落实的事项。")
    columns = {"kind": ("类别", "text"), "item": ("事项", "text"), "detail": ("情况", "text")}
    if area is None:
        columns = {"area_name": ("领域", "text"), **columns}
        # a rule's result is said once, in the rule table below
        frame = frame.assign(detail=frame["detail"].where(frame["kind"].astype(str) != "未落实", "详见“规则检查一览”"))
    # a ceiling, a rate or a level to keep has no pace to lag behind: its category is the prose's wording
    kind = frame["kind"].astype(str)
    lead = frame["lead"].astype(str) if "lead" in frame else pd.Series("", index=frame.index)
    kind = kind.where(lead.isin(["", LEADS[BEHIND]]), lead)
    return display_table(frame.assign(kind=kind), columns, stacked=True)


def rules_table(ctx: Context, area: str | None = None):
    """The rule checks the report promises, each kept / not kept / not yet applicable."""
    results = [r for r in rule_checks(ctx.township, ctx.month, ctx.settings) if area is None or r.area == area]
    if not results:
        return empty("本领域没有规则检查项。")
    if area is not None:
        return rules_sentence(results)
    frame = pd.DataFrame(
        [
            {
                "area_name": ctx.township.areas.get(r.area, r.area),
                "name": r.name,
                "status": "不适用" if not r.applicable else ("落实" if r.passed else "未落实"),
                "summary": r.summary,
            }
            for r in results
        ]
    )
    columns = {"name": ("规则", "text"), "status": ("结果", "text"), "summary": ("说明", "text")}
    if area is None:
        columns = {"area_name": ("领域", "text"), **columns}
    return display_table(frame, columns)


def rules_sentence(results) -> HTML:
    """An area's rule checks in one sentence; the detail is the overview's 规则检查一览 (said once)."""
    applicable = [r for r in results if r.applicable]
    failed = [r for r in applicable if not r.passed]
    kept = len(applicable) - len(failed)
    text = f"本领域规则检查{len(results)}项"
    if kept and not failed and len(applicable) == len(results):
        text += "，均已落实" if kept > 1 else "，已落实"
    elif kept:
        text += f"，落实{kept}项"
    if failed:  # "落实0项" is not how a report says that nothing was kept
        names = "、".join(_quoted(r.name) for r in failed)
        text += ("、" if kept else "，") + f"未落实{len(failed)}项（{names}）"
    if len(applicable) < len(results):
        text += f"，{len(results) - len(applicable)}项本期尚不适用"
    text += "，详见概况“规则检查一览”"
    if any(not r.breaches.empty for r in failed):
        text += "，未落实明细见文末附表"
    return note(text + "。")


def _quoted(name: str) -> str:
    return name if "“" in name else f"“{name}”"


def rule_breaches(ctx: Context, rule_id: str):
    """The offending rows of one rule, for the 附表: the overview's rule table states the result once.

    Nothing (an :class:`Empty` note) where the rule holds or does not apply yet.
    """
    result = run_rule(ctx.township, rule_id, ctx.month, ctx.settings)
    if result is None or not result.applicable:
        return empty("本期不适用。")
    if result.breaches.empty:
        return Empty(note(result.summary).data)
    area = ctx.township.areas.get(result.area, result.area)
    return Appendix(breach_table(result), f"{area}：{result.name}未落实明细")


def breach_table(result):
    """The offending rows of a rule result as a display table."""
    frame = result.breaches.copy()
    frame = frame.drop(columns=[c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])])  # e.g. ended
    frame = frame.loc[:, frame.notna().any()]  # a bound the rule does not set (minimum or maximum)
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(frame[col]):
            frame[col] = frame[col].astype(str)
    return display_table(
        frame, {c: (BREACH_HEADERS.get(c, c), "number" if is_number(frame[c]) else "text") for c in frame.columns}
    )


def is_number(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


BREACH_HEADERS = {
    "village": "村（社区）",
    "month": "月份",
    "value": "实际",
    "required": "要求",
    "quarter": "季度",
    "missing": "缺少",
    "station": "清运点",
    "date": "日期",
    "indicator": "指标代码",
    "name": "指标",
    "ytd": "上半年完成",
    "target": "年度目标",
    "completion_pct": "完成率",
    "half": "半月",
    "level": "层级",
    "case_id": "案件编号",
    "start": "起",
    "end": "止",
    "period": "时段",
    "status": "状态",
    "topic": "事由",
    "minimum": "下限",
    "maximum": "上限",
    "notices": "次数",
}


# --- indicators by month and by village ---------------------------------------------------------


def area_indicators(ctx: Context, area: str, *, with_target: bool | None = None, kind: str | None = None) -> list[str]:
    ind = ctx.township.indicators
    ind = ind[ind["area"] == area]
    if kind:
        ind = ind[ind["kind"] == kind]
    if with_target is not None:
        year = ctx.month.year
        targeted = set(ctx.township.targets.loc[ctx.township.targets["year"] == year, "indicator"])
        ind = ind[ind["indicator"].isin(targeted) == with_target]
    return list(ind["indicator"])


def _indicator(ctx: Context, indicator: str) -> pd.Series:
    ind = ctx.township.indicators
    return ind[ind["indicator"] == indicator].iloc[0]


def cumulative_figures(ctx: Context, area: str, indicators: list[str] | None = None) -> list[Figure]:
    """Cumulative progress against the target pace, for each flow indicator with a target.

    The area's, or those of ``indicators`` among them.
    """
    figs = []
    found = area_indicators(ctx, area, with_target=True, kind="flow")
    for indicator in found if indicators is None else [i for i in indicators if i in found]:
        row = _indicator(ctx, indicator)
        if row["better"] == "lower":
            continue
        series = monthly_series(ctx.township, indicator, ctx.month.year)
        figs.append(charts.cumulative_chart(series, row["name"], row["unit"], until=ctx.month))
    return figs


def trend_figures(ctx: Context, indicators: list[str] | None = None, area: str | None = None) -> list[Figure]:
    """Monthly amounts of flow indicators, with last year's months where the data has them."""
    if indicators is None:
        indicators = area_indicators(ctx, area, kind="flow") if area else []
    figs = []
    known = set(ctx.township.indicators["indicator"])
    for indicator in indicators:
        if indicator not in known:
            continue
        row = _indicator(ctx, indicator)
        series = monthly_series(ctx.township, indicator, ctx.month.year)
        series = series[series["month"] <= ctx.month]
        if series["value"].notna().sum() < MIN_BARS:
            continue
        last = monthly_series(ctx.township, indicator, ctx.month.year - 1)
        last = last[last["month"].dt.month <= ctx.month.month]
        figs.append(
            charts.trend_chart(series, row["name"], row["unit"], last_year=None if last["value"].isna().all() else last)
        )
    return figs


def ranking_figures(ctx: Context, area: str) -> list[Figure]:
    """Village ranking bars for each village-level indicator of the area, 末位 flagged."""
    ranking = village_ranking(ctx.township, area, ctx.month, ctx.settings)
    return [
        charts.village_ranking_chart(group)
        for indicator, group in ranking.groupby("indicator", sort=False)
        if indicator not in matrix_indicators(ctx.township, area) and len(group) >= MIN_BARS
    ]


def matrix_indicators(tw: Township, area: str) -> set[str]:
    """The area's indicators its profile shows as a village × month matrix (not ranked again)."""
    return {b.params["indicator"] for s in tw.report.area(area).sections for b in s.blocks
            if b.type == "village_month_matrix"}


def bottom_villages_table(ctx: Context, area: str):
    """The villages flagged 末位 on each village-level indicator of the area."""
    ranking = village_ranking(ctx.township, area, ctx.month, ctx.settings)
    bottom = ranking[ranking["bottom"]]
    if bottom.empty:
        return empty("本领域没有村级排名指标。")
    return display_table(
        bottom,
        {
            "name": ("指标", "text"),
            "village": ("村（社区）", "text"),
            "branch": (ctx.township.naming.branch, "text"),
            "value": ("累计/现值", "number"),
            "unit": ("单位", "text"),
            "rank": ("名次", "int"),
        },
        caption=f"村级排名末{ctx.settings.bottom_n}位（并列者一并列出）",
    )


def branch_tables(ctx: Context, area: str) -> list:
    """Per 党总支 roll-ups of the area's village-level indicators."""
    out = []
    for indicator in village_level_indicators(ctx.township, ctx.month, area):
        row = _indicator(ctx, indicator)
        frame = branch_rollup(ctx.township, indicator, ctx.month)
        out.append(
            display_table(
                frame,
                {
                    "branch": (ctx.township.naming.branch, "text"),
                    "villages": ("村（社区）数", "int"),
                    "population": ("人口", "int"),
                    "value": (f"{row['name']}（{row['unit']}）", "number"),
                },
                caption=f"{row['name']}：按{ctx.township.naming.branch}汇总",
            )
        )
    return out


def visits_heatmap(ctx: Context, indicator: str = "visits", rule: str | None = "visits") -> Figure | HTML:
    """A village-level indicator per village and month.

    With a village_monthly_minimum ``rule``, the months under its minimum are highlighted.
    """
    if indicator not in set(ctx.township.indicators["indicator"]):
        return empty(f"数据中没有{indicator}指标。")
    row = _indicator(ctx, indicator)
    matrix = village_month_matrix(ctx.township, indicator, ctx.month.year, until=ctx.month)
    if matrix.empty:
        return empty()
    spec = ctx.township.report.rule(rule) if rule else None
    minimum = spec.params.get("minimum") if spec is not None else None
    title = row["name"] if minimum is None else f"{row['name']}（每村每月不少于{minimum:g}{row['unit']}）"
    return charts.village_heatmap(matrix, title, row["unit"], threshold=minimum)


# --- projects, poverty, petitions, rectifications, events ---------------------------------------

PROJECT_COLUMNS = {
    "name": ("项目", "text"),
    "category": ("类别", "text"),
    "villages": ("涉及村", "list"),
    "investment_wan": ("总投资（万元）", "number"),
    "stage": ("阶段", "text"),
    "progress_pct": ("进度", "pct"),
    "spent_wan": ("已完成投资（万元）", "number"),
    "due": ("计划完成", "month"),
    "state": ("状态", "text"),
}


def _project_state(row) -> str:
    flags = [w for w, on in (("逾期", row.overdue), (f"停滞{row.stalled_months}个月", row.stalled)) if on]
    if flags:
        return "、".join(flags)
    if row.finished:
        return "已完工" if row.stage == "完工" else f"已{row.stage}"
    return "即将完工" if row.near_completion else ("推进中" if isinstance(row.stage, str) else "未启动")


def _projects(ctx: Context, area: str | None) -> pd.DataFrame:
    frame = project_status(ctx.township, ctx.month)
    if area is not None:
        frame = frame[frame["area"] == area]
    return frame.assign(state=[_project_state(r) for r in frame.itertuples()])


def project_table(ctx: Context, area: str | None = None):
    frame = _projects(ctx, area)
    if frame.empty:
        return empty("本领域没有项目。")
    styler = display_table(frame, PROJECT_COLUMNS)
    return styler.map(
        lambda v: (
            f"color: {style.STATUS_COLORS['滞后']}; font-weight: 600"
            if isinstance(v, str) and ("逾期" in v or "停滞" in v)
            else ""
        ),
        subset=["状态"],
    )


def project_figure(ctx: Context, area: str | None = None) -> Figure | HTML:
    frame = _projects(ctx, area)
    if len(frame) < MIN_BARS:  # one project: the project table says it
        return empty("本领域项目不足两个，见项目表。")
    title = "项目推进情况" if area is None else f"{ctx.township.areas[area]}项目推进情况"
    return charts.project_progress_chart(frame, title=title)


def poverty_table(ctx: Context):
    """Registered, exited and planned households and people."""
    s = poverty_summary(ctx.township, ctx.month)
    year = ctx.month.year
    rows = [
        (
            "贫困村",
            f"{s.poor_villages}个",
            f"已摘帽{s.delisted_before_year}个，{year}年计划摘帽{s.to_delist_this_year}个",
        ),
        ("建档立卡贫困户", f"{s.households}户{s.people}人", ""),
        (f"{year}年以前已脱贫", f"{s.exited_before_year_households}户{s.exited_before_year_people}人", ""),
        (
            f"{year}年计划脱贫",
            f"{s.planned_this_year_households}户{s.planned_this_year_people}人",
            f"已脱贫{s.exited_this_year_households}户{s.exited_this_year_people}人",
        ),
        ("尚未脱贫", f"{s.remaining_households}户{s.remaining_people}人", ""),
    ]
    return display_table(
        pd.DataFrame(rows, columns=["item", "value", "note"]),
        {"item": ("项目", "text"), "value": ("数量", "text"), "note": ("说明", "text")},
    )


def poverty_village_table(ctx: Context):
    frame = poverty_by_village(ctx.township, ctx.month)
    frame = frame[frame["households"] > 0].sort_values("households", ascending=False)
    return display_table(
        frame.assign(poor=frame["poor_village"].map({True: "是", False: "否"})),
        {
            "village": ("村（社区）", "text"),
            "poor": ("贫困村", "text"),
            "delisted_year": ("摘帽（计划）年份", "text"),
            "households": ("建档立卡户", "int"),
            "people": ("人口", "int"),
            "exited_households": ("已脱贫户", "int"),
            "planned_this_year_households": (f"{ctx.month.year}年计划脱贫户", "int"),
            "planned_this_year_people": (f"{ctx.month.year}年计划脱贫人口", "int"),
        },
        caption="建档立卡贫困户分布（按户数排序）",
    )


def unmet_standards_table(ctx: Context):
    """Households planned to exit this year that still miss an exit standard, by village."""
    frame = unmet_exit_standards(ctx.township, ctx.month)
    if frame.empty:
        return note("今年计划脱贫户的“两不愁三保障”及收入标准均已达到。")
    return display_table(
        frame.sort_values(["village", "household_id"]),
        {
            "village": ("村（社区）", "text"),
            "household_id": ("户编号", "text"),
            "members": ("人口", "int"),
            "income_per_capita": ("人均纯收入（元）", "number"),
            "unmet": ("未达标准", "text"),
        },
        caption=f"{ctx.month.year}年计划脱贫、尚未达到脱贫标准的户（须逐户解决）",
    )


def petition_figure(ctx: Context) -> Figure:
    return charts.stacked_status_chart(
        petition_counts(ctx.township, ctx.month), "今年以来信访案件（按最高层级）", unit="件"
    )


def petition_village_table(ctx: Context):
    frame = petitions_by_village(ctx.township, ctx.month)
    frame = frame[frame["cases"] > 0].sort_values("cases", ascending=False)
    if frame.empty:
        return empty("今年以来没有信访案件。")
    return display_table(
        frame,
        {
            "village": ("村（社区）", "text"),
            "cases": ("案件", "int"),
            "resolved": ("已化解", "int"),
            "pending": ("化解中", "int"),
        },
        caption="今年以来信访案件分村（社区）统计",
    )


def rectification_figure(ctx: Context, area: str | None = None) -> Figure | HTML:
    frame = rectifications_by_category(ctx.township, ctx.month, area)
    if frame.empty:
        return empty("本领域没有整改任务。")
    if len(frame) < MIN_BARS:  # one category: a sentence, not a one-bar chart
        row = frame.iloc[0]
        return note(f"整改任务（{row['category']}）共{int(row['total'])}项，已完成{int(row['closed'])}项，"
                    f"未完成{int(row['open'])}项。")
    return charts.stacked_status_chart(frame, "整改任务完成情况（按类别）", unit="项")


def open_rectifications_table(ctx: Context, area: str | None = None):
    frame = rectification_status(ctx.township, ctx.month)
    if area is not None:
        frame = frame[frame["area"] == area]
    frame = frame[frame["state"] != "已完成"].sort_values(["overdue", "due"], ascending=[False, True])
    if frame.empty:
        return note("整改任务均已完成。")
    return display_table(
        frame,
        {
            "category": ("类别", "text"),
            "name": ("对象", "text"),
            "village": ("村（社区）", "text"),
            "issued": ("下达", "month"),
            "due": ("期限", "month"),
            "state": ("状态", "text"),
        },
        caption="未完成的整改任务（逾期的排在前面）",
    )


EVENT_TYPE_ORDER = (
    "部署",
    "督查",
    "总结",
    "通报",
    "会议",
    "培训",
    "检查",
    "抽查",
    "演练",
    "宣传",
    "立案",
    "清运",
    "其他",
)


def event_table(ctx: Context, area: str, types: tuple[str, ...] | None = None, caption: str | None = None):
    """Year-to-date counts of the area's meetings, trainings, inspections and the like (optionally some types)."""
    frame = event_counts(ctx.township, ctx.month, area)
    if types is not None:
        frame = frame[frame["type"].astype(str).isin(types)]
    if frame.empty:
        return empty("今年以来没有记录的相关工作事项。")
    kinds = frame["type"].astype(str)
    frame = frame.assign(
        order=kinds.map({t: i for i, t in enumerate(EVENT_TYPE_ORDER)}),
        unit=kinds.map(wording.event_unit),
    )
    return display_table(
        frame.sort_values("order"),
        {
            "type": ("类型", "text"),
            "count": ("记录条数", "int"),
            "quantity": ("数量合计", "int"),
            "unit": ("单位", "text"),
        },
        caption=caption or f"今年以来{ctx.township.areas[area]}工作事项统计",
    )


# --- prose ----------------------------------------------------------------------------------------


def prose(ctx: Context, area: str) -> HTML:
    """工作进展: the generated paragraphs of an area ('overview' for the opening paragraph)."""
    from helpers.report.prose.narrative import narrative_html

    text = narrative_html(ctx.township, ctx.month, area, ctx.settings)
    return HTML(text) if "<p>" in text else Empty(text)


def focus(ctx: Context) -> HTML:
    """重点村（社区）: the overview's synthesis across village rankings, rules and key tasks."""
    from helpers.report.prose.narrative import FOCUS, narrative_html

    text = narrative_html(ctx.township, ctx.month, FOCUS, ctx.settings)
    return HTML(text) if "<p>" in text else Empty(text)


def problems_and_plans(ctx: Context, area: str) -> HTML:
    """存在问题 and 下步打算 of an area."""
    from helpers.report.prose.narrative import problems_and_plans_html

    return HTML(problems_and_plans_html(ctx.township, ctx.month, area, ctx.settings))
