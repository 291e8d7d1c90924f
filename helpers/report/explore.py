"""What ``notebooks/explore.ipynb`` calls: the analyst's own questions as tables, a chart, a table to Excel.

Excel goes under ``outputs/``, never into ``data/``. Tables are plain DataFrames with Chinese headers (numbers
stay numbers, so one line of pandas can sort, filter or plot them); Jupyter shows them as HTML tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from helpers.analysis import explore
from helpers.analysis.progress import indicator_progress, indicator_row
from helpers.analysis.villages import village_level_indicators
from helpers.chinese_text import date_text
from helpers.config import DATA_DIR, OUTPUTS_DIR
from helpers.data.periods import as_quarter, month_label
from helpers.files import replacing
from helpers.report import style
from helpers.report.charts.villages import village_and_township_chart
from helpers.report.summary import _cell_value
from helpers.report.views.context import Context

SAFE_NAME = re.compile(r"^[^/\\:*?\"<>|\x00-\x1f]{1,80}$")
EXPLORE_FOLDER = "explore"


@dataclass(frozen=True)
class Choice:
    """What the examples look at: the parameters as given, blanks filled from the data."""

    indicator: str
    village: str
    quarter: pd.Period
    lagging: str
    compare: str

    def describe(self, ctx: Context) -> str:
        names = dict(zip(ctx.township.indicators["indicator"], ctx.township.indicators["name"], strict=True))
        return (f"指标：{names[self.indicator]}（{self.indicator}）；村（社区）：{self.village}；"
                f"季度：{self.quarter.year}年第{self.quarter.quarter}季度；"
                f"追查的指标：{names[self.lagging]}（{self.lagging}）；"
                f"今年与去年对比：{names[self.compare]}（{self.compare}）")


def choose(ctx: Context, indicator: str = "", village: str = "", quarter: str = "", lagging: str = "",
           compare: str = "") -> Choice:
    """Check the parameters and fill the blanks from the data.

    Blanks: the first village-level indicator, the bottom village on it, the report month's quarter, the first
    lagging village-level indicator (else ``indicator``), and for this year against last the first indicator
    that has last year's figures (else ``indicator``). Unknown ids raise a ValueError in Chinese that lists what
    is available.
    """
    tw, m = ctx.township, ctx.month
    by_village = village_level_indicators(tw, m)
    if not by_village:
        raise ValueError(f"{tw.name}没有分村数据的指标，无法做分村分析")
    indicator = explore.check_village_level(tw, indicator) if indicator else by_village[0]
    if village:
        explore.check_village(tw, village)
    else:
        behind = explore.villages_behind(tw, indicator, m, ctx.settings)
        village = str(behind["village"].iloc[0]) if len(behind) else str(tw.villages["village"].iloc[0])
    lags = explore.lagging_indicators(tw, m, ctx.settings, village_level=True)
    lagging = explore.check_village_level(tw, lagging) if lagging else (lags[0] if lags else indicator)
    if compare:
        indicator_row(tw, compare)
    else:
        progress = indicator_progress(tw, m, ctx.settings)
        with_last_year = list(progress.loc[progress["last_year_ytd"].notna(), "indicator"])
        compare = with_last_year[0] if with_last_year else indicator
    return Choice(indicator, village, as_quarter(quarter) if quarter else m.asfreq("Q"), lagging, compare)


def indicators(ctx: Context) -> pd.DataFrame:
    """Every indicator with its id (what the parameters take), whether it has village rows, and its status."""
    progress = indicator_progress(ctx.township, ctx.month, ctx.settings)
    by_village = set(village_level_indicators(ctx.township, ctx.month))
    return pd.DataFrame({
        "指标代码": progress["indicator"],
        "指标": progress["name"],
        "领域": progress["area"].astype(str).map(lambda a: ctx.township.areas.get(a, a)),
        "单位": progress["unit"],
        "分村数据": progress["indicator"].map(lambda i: "是" if i in by_village else ""),
        "累计/现值": progress["ytd"],
        "状态": progress["status"].fillna(""),
    })


def _unit(ctx: Context, indicator: str) -> tuple[str, str]:
    row = indicator_row(ctx.township, indicator)
    return str(row["name"]), str(row["unit"])


def village_against_township(ctx: Context, indicator: str, village: str) -> pd.DataFrame:
    """The village's months of ``indicator`` beside the township's, this year to the report month."""
    frame = explore.village_against_township(ctx.township, indicator, village, ctx.month)
    name, unit = _unit(ctx, indicator)
    return pd.DataFrame({
        "月份": frame["month"].map(month_label),
        f"{village}（{unit}）": frame["village"].round(2),
        f"全镇（{unit}）": frame["township"].round(2),
        "占全镇（%）": frame["share_pct"].round(1),
    })


def village_against_township_chart(ctx: Context, indicator: str, village: str) -> Figure:
    """The same months as a chart: the township's bars, the village's line."""
    frame = explore.village_against_township(ctx.township, indicator, village, ctx.month)
    name, unit = _unit(ctx, indicator)
    return village_and_township_chart(frame, name, unit, village, ctx.month.year)


def villages_behind(ctx: Context, indicator: str) -> pd.DataFrame:
    """The villages behind a township figure, worst first, 末位 marked."""
    frame = explore.villages_behind(ctx.township, indicator, ctx.month, ctx.settings)
    name, unit = _unit(ctx, indicator)
    return pd.DataFrame({
        "村（社区）": frame["village"],
        "党总支": frame["branch"],
        f"{name}（{unit}）": frame["value"].round(2),
        "占各村合计（%）": frame["share_pct"].round(1),
        "每千人": frame["per_capita"].round(2),
        "名次": frame["rank"],
        "末位": frame["bottom"].map(lambda b: "末位" if b else ""),
    })


def year_against_last(ctx: Context, indicator: str) -> pd.DataFrame:
    """This year's months against last year's, and the year so far against the same months last year."""
    frame = explore.year_against_last(ctx.township, indicator, ctx.month)
    name, unit = _unit(ctx, indicator)
    stock = str(indicator_row(ctx.township, indicator)["kind"]) == "stock"
    total = "月末水平" if stock else "累计"
    return pd.DataFrame({
        "月份": frame["month"].map(lambda m: f"{m.month}月"),
        f"{ctx.month.year}年（{unit}）": frame["this_year"].round(2),
        f"{ctx.month.year - 1}年（{unit}）": frame["last_year"].round(2),
        "增减": frame["change"].round(2),
        "增减（%）": frame["change_pct"].round(1),
        f"{ctx.month.year}年{total}": frame["this_year_total"].round(2),
        f"{ctx.month.year - 1}年{total}": frame["last_year_total"].round(2),
        f"{total}同比（%）": frame["total_change_pct"].round(1),
    })


def _when(row: pd.Series) -> str:
    """The breach's period in words, from whichever period columns the rule's rows carry."""
    if "quarter" in row and pd.notna(row["quarter"]):
        return f"{row['quarter'].year}年第{row['quarter'].quarter}季度"
    if "date" in row and pd.notna(row["date"]):
        return date_text(row["date"])
    if "month" in row and pd.notna(row["month"]):
        return month_label(row["month"]) + (str(row["half"]) if "half" in row else "")
    return ""


DETAIL_SKIP = {"quarter", "date", "month", "half", "start", "end", "ended"}
"""Period columns: shown once in 时间, not again in 情况."""


def _detail(row: pd.Series, labels: dict[str, str]) -> str:
    """The row's other columns as "名称：值", named as the rule's kind names them in a sentence."""
    parts = []
    for column, value in row.items():
        if column in DETAIL_SKIP or value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
            continue
        shown = style.format_number(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        parts.append(f"{labels.get(column, column)}：{shown}")
    return "；".join(parts)


def quarter_breaches(ctx: Context, quarter: pd.Period | str) -> pd.DataFrame:
    """One row per breach of a rule within the quarter: area, rule, when, what (empty when every rule held)."""
    rows = []
    for result in explore.quarter_breaches(ctx.township, as_quarter(quarter), ctx.settings):
        for _, row in result.breaches.iterrows():
            rows.append({"领域": ctx.township.areas.get(result.area, result.area), "规则": result.name,
                         "时间": _when(row), "情况": _detail(row, result.labels)})
    return pd.DataFrame(rows, columns=["领域", "规则", "时间", "情况"])


def quarter_rules(ctx: Context, quarter: pd.Period | str) -> pd.DataFrame:
    """Each rule in the quarter: 落实 / 未落实 (with the number of breaches) / 不适用."""
    rows = []
    for r in explore.quarter_breaches(ctx.township, as_quarter(quarter), ctx.settings):
        result = "不适用" if not r.applicable else ("落实" if r.passed else "未落实")
        rows.append({"领域": ctx.township.areas.get(r.area, r.area), "规则": r.name, "结果": result,
                     "未落实（条）": len(r.breaches) if r.applicable else None})
    return pd.DataFrame(rows, columns=["领域", "规则", "结果", "未落实（条）"]).astype({"未落实（条）": "Int64"})


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def save_excel(ctx: Context, table: pd.DataFrame, name: str, out_dir: Path | str = "") -> Path:
    """Write ``table`` to ``<out_dir>/<township>/explore/<name>.xlsx`` (``out_dir`` empty: ``outputs/``).

    The file is written beside and then moved into place, so an existing good file is never left half-written.
    Refused with a ValueError in Chinese: a name that is not a plain file name, or a target inside the data
    folder (data is read-only input). Text that could be taken for a formula is neutralised as in summary.xlsx.
    """
    from openpyxl import Workbook

    stem = name.removesuffix(".xlsx")
    if not SAFE_NAME.match(stem) or stem in (".", ".."):
        raise ValueError(f"文件名不合法：{name}（只写文件名，不含路径和 \\ / : * ? \" < > |）")
    folder = Path(out_dir or OUTPUTS_DIR) / ctx.township.id / EXPLORE_FOLDER
    for data in {DATA_DIR, ctx.township.source.parent}:
        if _inside(folder, Path(data)):
            raise ValueError(f"不能写入数据目录：{folder}（数据只读，请写到 outputs/ 下）")
    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "_", stem)[:31]
    ws.append([_cell_value(str(c)) for c in table.columns])
    for row in table.itertuples(index=False):
        ws.append([_cell_value(str(v) if isinstance(v, pd.Period) else v) for v in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    target = folder / f"{stem}.xlsx"
    with replacing(target, ".xlsx") as tmp:
        wb.save(tmp)
    return target
