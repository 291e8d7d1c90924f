"""The county roll-up for the reader: its summary paragraph, tables, links to the townships' reports, workbook.

Facts come from :mod:`helpers.analysis.county`; this module only words and displays them. The notebook
``notebooks/county.ipynb`` calls these functions; ``write_county_workbook`` writes ``county.xlsx``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd
from IPython.display import HTML

from helpers.analysis.attention import AttentionItem
from helpers.analysis.county import NOT_REPORTED, CountyFacts, county_facts, latest_month
from helpers.analysis.progress import AHEAD, BEHIND, ON_PACE
from helpers.config import DATA_DIR, OUTPUTS_DIR
from helpers.data.county import load_county
from helpers.data.periods import as_month, month_label
from helpers.data.report_profile.reading import default_profile
from helpers.report import style
from helpers.report.prose.attention import attention_row
from helpers.report.tables import display_table
from helpers.report.wording import as_of, join_names, pct

TOWNSHIP_REPORT = "report.html"


@dataclass(frozen=True)
class CountyContext:
    """The county's facts and the outputs folder its township reports are in (for the links)."""

    facts: CountyFacts
    out_dir: Path


def county_context(county: str, month: str = "", data_dir: str = "", out_dir: str = "") -> CountyContext:
    """Load and validate every township of ``county``; an empty month means the county's latest month."""
    style.apply()
    townships = load_county(Path(data_dir) if data_dir else DATA_DIR, county)
    facts = county_facts(county, townships, as_month(month) if month else latest_month(townships))
    return CountyContext(facts, Path(out_dir) if out_dir else OUTPUTS_DIR)


def report_href(township: str, month: pd.Period) -> str:
    """From ``outputs/<county>/<month>/county.html`` to ``outputs/<township>/<month>/report.html``."""
    return f"../../{township}/{month}/{TOWNSHIP_REPORT}"


def report_links(facts: CountyFacts, out_dir: Path) -> pd.DataFrame:
    """Per township: its report's relative link for the month, or None (未报, or not rendered yet), and a note."""
    rows = []
    for m in facts.members.itertuples():
        href, note = None, ""
        if not m.reported:
            note = NOT_REPORTED if m.last_month is None else f"{NOT_REPORTED}（数据截至{month_label(m.last_month)}）"
        elif (Path(out_dir) / m.township / str(facts.month) / TOWNSHIP_REPORT).is_file():
            href, note = report_href(m.township, facts.month), f"{m.township_name}{month_label(facts.month)}工作月报"
        else:
            note = "报告尚未生成"
        rows.append({"township": m.township, "township_name": m.township_name, "href": href, "note": note})
    return pd.DataFrame(rows, columns=["township", "township_name", "href", "note"])


# --- wording -------------------------------------------------------------------------------------------


def _best_and_worst(rows: pd.DataFrame) -> str | None:
    ranked = rows[rows["ranked"]]
    if len(ranked) < 2:
        return None
    first = ranked[ranked["rank"] == ranked["rank"].min()]
    if len(first) == len(ranked):
        return None  # every township level: nobody is first
    name, lower = str(rows["name"].iloc[0]), rows["better"].iloc[0] == "lower"
    what = "用量最少" if lower else "完成率最高"
    text = f"{name}{what}的是{join_names(first['township_name'])}（{pct(first['completion_pct'].iloc[0])}）"
    bottom = ranked[ranked["bottom"]]
    if len(bottom):
        text += f"，末位为{join_names(bottom['township_name'])}"
    return text


def summary_paragraph(facts: CountyFacts) -> str:
    """The roll-up's opening paragraph, every clause from the facts (as in the township reports' register)."""
    members = facts.members
    reported = members[members["reported"]]
    county, when = facts.county, as_of(facts.month, with_year=True)
    parts = [f"{when}，全县{len(members)}个乡镇中{len(reported)}个报送了本月数据"]
    if facts.not_reported:
        parts[-1] += f"，{join_names(facts.not_reported)}{NOT_REPORTED}"
    sentences = ["，".join(parts) + "。"]
    ranked = facts.comparison[facts.comparison["ranked"]] if len(facts.comparison) else facts.comparison
    if len(ranked):
        n = ranked["indicator"].nunique()
        counts = ranked["status"].value_counts()
        sentences.append(f"各乡镇共同设有年度目标的指标{n}项，合计{int(counts.get(AHEAD, 0))}项次超序时、"
                         f"{int(counts.get(ON_PACE, 0))}项次达序时、{int(counts.get(BEHIND, 0))}项次滞后。")
        lagging = reported[reported[BEHIND] > 0]
        if len(lagging):
            most = lagging[lagging[BEHIND] == lagging[BEHIND].max()]
            sentences.append(f"滞后指标最多的是{join_names(most['township_name'])}（{int(most[BEHIND].iloc[0])}项）。")
        clauses = [c for c in (_best_and_worst(rows) for _, rows in ranked.groupby("indicator", sort=False)) if c]
        if clauses:
            sentences.append("；".join(clauses[:4]) + "。")
    breaches, overdue = int(reported["breaches"].sum()), int(reported["overdue"].sum())
    if breaches or overdue:
        sentences.append(f"{county}各乡镇本月规则未落实{breaches}项次、逾期事项{overdue}项，详见下文清单。")
    else:
        sentences.append("各乡镇本月没有规则未落实或逾期事项。")
    return "".join(sentences)


# --- what the notebook displays --------------------------------------------------------------------


def prose(ctx: CountyContext) -> HTML:
    return HTML(f'<p class="report-prose">{html.escape(summary_paragraph(ctx.facts))}</p>')


def members_view(facts: CountyFacts) -> pd.DataFrame:
    view = facts.members.copy()
    view["state"] = ["已报" if r else NOT_REPORTED for r in view["reported"]]
    view["last_month"] = [month_label(m) if m is not None else "—" for m in view["last_month"]]
    return view


MEMBER_TABLE = {
    "township_name": ("乡镇", "text"), "villages": ("村（社区）", "int"), "state": ("本月数据", "text"),
    "last_month": ("数据截至", "text"), "with_target": ("有目标指标", "int"), AHEAD: (AHEAD, "int"),
    ON_PACE: (ON_PACE, "int"), BEHIND: (BEHIND, "int"), "breaches": ("规则未落实", "int"),
    "overdue": ("逾期事项", "int"),
}
COMPARISON_TABLE = {
    "rank": ("排名", "int"), "township_name": ("乡镇", "text"), "ytd": ("累计/现值", "number"),
    "target": ("年度目标", "number"), "completion_pct": ("完成率", "pct"), "time_pct": ("序时进度", "pct"),
    "status": ("状态", "text"), "bottom_label": ("末位", "text"),
}


def members_table(ctx: CountyContext):
    """Each township: villages, whether it reported the month, status counts, breaches and overdue items."""
    return display_table(members_view(ctx.facts), MEMBER_TABLE, status_columns=(), stacked=True,
                         caption="未报：该乡镇本月没有报送月度数据，不参加排名。")


def links_list(ctx: CountyContext) -> HTML:
    """A link to each township's report of the month (relative, so the outputs folder can be moved whole)."""
    items = []
    for r in report_links(ctx.facts, ctx.out_dir).itertuples():
        name = html.escape(r.township_name)
        if isinstance(r.href, str):
            href = html.escape(quote(r.href), quote=True)
            items.append(f'<li><a href="{href}">{name}</a>：{html.escape(r.note)}</li>')
        else:
            items.append(f"<li>{name}：{html.escape(r.note)}</li>")
    return HTML('<ul class="county-links">' + "".join(items) + "</ul>")


def comparison_view(facts: CountyFacts) -> pd.DataFrame:
    view = facts.comparison.copy()
    view["bottom_label"] = ["末位" if b else "" for b in view["bottom"]]
    view["status"] = view["status"].where(view["ranked"], "无目标")
    return view


def comparison_tables(ctx: CountyContext) -> list:
    """One table per shared indicator: the townships best first, completion, 序时进度 status, rank, 末位."""
    view = comparison_view(ctx.facts)
    tables = []
    for _, rows in view.groupby("indicator", sort=False):
        first = rows.iloc[0]
        lower = first["better"] == "lower"
        caption = f"{first['name']}（{first['unit']}）"
        caption += "：上限指标，完成率为已用上限的比例，越低越好" if lower else ""
        tables.append(display_table(rows, COMPARISON_TABLE, caption=caption, stacked=True))
    return tables or [HTML('<p class="report-empty">各乡镇没有共同的、设有年度目标的指标。</p>')]


def bottom_view(facts: CountyFacts) -> pd.DataFrame:
    rows = []
    for _, group in facts.comparison.groupby("indicator", sort=False):
        bottom = group[group["bottom"]]
        if len(bottom):
            rows.append({"name": group["name"].iloc[0], "unit": group["unit"].iloc[0],
                         "townships": join_names(bottom["township_name"]), "ranked": int(group["ranked"].sum())})
    return pd.DataFrame(rows, columns=["name", "unit", "townships", "ranked"])


def bottom_table(ctx: CountyContext):
    view = bottom_view(ctx.facts)
    if view.empty:
        return HTML('<p class="report-empty">本月没有末位乡镇。</p>')
    return display_table(view, {"name": ("指标", "text"), "unit": ("单位", "text"), "ranked": ("参加排名", "int"),
                                "townships": ("末位乡镇", "text")}, caption="末位：排名后3位（并列的一并列出）。")


def items_view(facts: CountyFacts) -> pd.DataFrame:
    rows = []
    names = default_profile().area_names  # the townships' own areas, where not the default ones, show their id
    for r in facts.items.itertuples():
        worded = attention_row(AttentionItem(r.area, r.kind, r.source, r.record))
        rows.append({"township_name": r.township_name, "area_name": names.get(r.area, r.area), **worded})
    return pd.DataFrame(rows, columns=["township_name", "area_name", "kind", "item", "detail"])


def items_table(ctx: CountyContext):
    """Rule breaches and overdue items, township by township."""
    view = items_view(ctx.facts)
    if view.empty:
        return HTML('<p class="report-empty">各乡镇本月没有规则未落实或逾期事项。</p>')
    return display_table(view, {"township_name": ("乡镇", "text"), "area_name": ("领域", "text"),
                                "kind": ("类别", "text"), "item": ("事项", "text"), "detail": ("情况", "text")},
                         stacked=True)


# --- county.xlsx ---------------------------------------------------------------------------------------


def _sheet(frame: pd.DataFrame, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    present = [c for c in columns if c in frame.columns]
    out = frame[present].copy()
    out.columns = [columns[c][0] for c in present]
    return out


def write_county_workbook(facts: CountyFacts, path: Path) -> Path:
    """``county.xlsx``: the townships, the comparison per indicator, the 末位 and the problem list."""
    comparison = comparison_view(facts)
    comparison_columns = {"name": ("指标", "text"), "unit": ("单位", "text"), **COMPARISON_TABLE}
    sheets = {
        "各乡镇": _sheet(members_view(facts), MEMBER_TABLE),
        "指标对比": _sheet(comparison, comparison_columns),
        "末位乡镇": _sheet(bottom_view(facts), {"name": ("指标", "text"), "unit": ("单位", "text"),
                                             "ranked": ("参加排名", "int"), "townships": ("末位乡镇", "text")}),
        "问题清单": _sheet(items_view(facts), {"township_name": ("乡镇", "text"), "area_name": ("领域", "text"),
                                            "kind": ("类别", "text"), "item": ("事项", "text"),
                                            "detail": ("情况", "text")}),
    }
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            writer.sheets[name].freeze_panes = "A2"
    return Path(path)
