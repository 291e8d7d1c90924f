"""Display tables: Chinese column headers, formatted numbers, status colours (pandas Styler)."""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from helpers.data.periods import month_label

MISSING = "—"
STYLER_TEMPLATES = Path(__file__).resolve().parent / "templates" / "styler"


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _half_up(value, places: int) -> Decimal:
    """Round half up like the prose (helpers.report.wording), so a table and a sentence never disagree."""
    exact = Decimal(repr(float(value))).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)  # -63.74999999999999
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # is -63.75, shown -63.8


def fmt_number(value, decimals: int = 0) -> str:
    """Thousands separators, fixed decimals, a dash for missing values."""
    return MISSING if _missing(value) else f"{_half_up(value, decimals):,.{decimals}f}"


def fmt_smart(value) -> str:
    """Whole numbers without decimals, others with up to two."""
    if _missing(value):
        return MISSING
    text = f"{_half_up(value, 2):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_pct(value) -> str:
    return MISSING if _missing(value) else f"{_half_up(value, 1)}%"


def fmt_pp(value) -> str:
    return MISSING if _missing(value) else f"{_half_up(value, 1):+}"


def fmt_signed_pct(value) -> str:
    return MISSING if _missing(value) else f"{_half_up(value, 1):+}%"


def fmt_bool(value) -> str:
    return "是" if bool(value) else ""


def fmt_month(value) -> str:
    """'2018年3月'."""
    if _missing(value):
        return MISSING
    return month_label(value)


def fmt_list(value) -> str:
    if isinstance(value, list | tuple):
        return "、".join(value) if value else MISSING
    return MISSING if _missing(value) or value == "" else str(value)


FORMATS: dict[str, Callable] = {
    "number": fmt_smart,
    "int": lambda v: fmt_number(v, 0),
    "pct": fmt_pct,
    "pp": fmt_pp,
    "signed_pct": fmt_signed_pct,
    "bool": fmt_bool,
    "month": fmt_month,
    "list": fmt_list,
    "text": lambda v: v,
}


def escaped(formatter: Callable) -> Callable[[object], str]:
    """``formatter`` whose result is HTML-escaped text, whatever the value's type."""
    return lambda value: html.escape(str(formatter(value)))


def status_css(value) -> str:
    from helpers.report.style import STATUS_COLORS  # matplotlib; not needed by the Excel summary

    color = STATUS_COLORS.get(value) if isinstance(value, str) else None
    return f"color: {color}; font-weight: 600" if color else ""


LEGIBLE_STYLES = (
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: 700; padding: 4px 0;"},
    {"selector": "th", "props": "text-align: center; white-space: nowrap; padding: 6px 8px;"},
    {"selector": "td", "props": "padding: 6px 8px; word-break: keep-all;"},
)
"""Inline in every table, so it reads the same in JupyterLab as in the report (whose CSS says the same): captions
above and left, headers on one line, short Chinese labels not broken character by character."""


@cache
def labelled_styler() -> type[Styler]:
    """A Styler whose HTML labels each body cell with its column header (``data-label``)."""
    return Styler.from_custom_template(str(STYLER_TEMPLATES), html_table="labelled_table.tpl")


def display_table(
    df: pd.DataFrame,
    columns: dict[str, tuple[str, str]],
    *,
    caption: str | None = None,
    status_columns: tuple[str, ...] = ("status", "state"),
    stacked: bool = False,
) -> Styler:
    """A Styler showing ``columns`` (id -> (Chinese header, format kind)) in order, index hidden.

    Text from data is HTML-escaped after formatting (so lists and other non-strings are escaped too),
    and so are the column headers and the caption, which may hold names from the data. Each body cell
    carries its column id as a class (``c-<id>``); ``stacked`` tables become one card per row on a phone
    (report.css), the name, completion and status first, each cell labelled by its header (``data-label``).
    Only stacked tables carry that label: their headers are fixed words, while other tables' headers may be
    names from the data, which stay out of attribute values.
    """
    present = [c for c in columns if c in df.columns]
    view = df[present].copy()
    formats = {columns[c][0]: escaped(FORMATS[columns[c][1]]) for c in present}
    view.columns = [columns[c][0] for c in present]
    styler_class = labelled_styler() if stacked else Styler
    styler = styler_class(view).format(formats, na_rep=MISSING).format_index(escape="html", axis=1)
    styler = styler.hide(axis="index").set_table_styles(list(LEGIBLE_STYLES), overwrite=False)
    classes = pd.DataFrame([[f"c-{c}" for c in present]] * len(view), index=view.index, columns=view.columns)
    styler = styler.set_td_classes(classes)
    if stacked:
        styler = styler.set_table_attributes('class="stacked"')
    for c in status_columns:
        if c in present:
            styler = styler.map(status_css, subset=[columns[c][0]])
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler


def as_of_label(through, reported: bool, month: pd.Period | None = None) -> str:
    """Through which month a figure runs: "截至8月底", "截至7月底（8月未报）", or "未报" without a figure."""
    from helpers.report.wording import as_of, month_name

    if _missing(through):
        return "未报"
    # a level last reported in an earlier year says which year (截至12月底 in a January report reads as this one)
    label = as_of(through, with_year=True) if month is not None and through.year != month.year else as_of(through)
    if reported:
        return label
    since = "起" if month is not None and month > through + 1 else ""
    return f"{label}（{month_name(through + 1)}{since}未报）"


def yoy_note(through, ytd_months, yoy_months) -> str:
    """Which months a flow's 同比 compares, when they are not January to the month its figure runs through.

    "按1—7月计，去年8月未报" (last year lacks a month this year has), "按1—3月、5—8月计，今年4月未报" (this
    year lacks one); "" when 同比 compares January..``through`` of both years (数据截至 already says that).
    """
    from helpers.chinese_text import month_spans

    if _missing(through) or not yoy_months:
        return ""
    expected = tuple(range(1, through.month + 1))
    if tuple(yoy_months) == expected:
        return ""
    missing = [("今年", set(expected) - set(ytd_months)), ("去年", set(ytd_months) - set(yoy_months))]
    why = "，".join(f"{year}{month_spans(months)}未报" for year, months in missing if months)
    return f"按{month_spans(yoy_months)}计，{why}"


def key_figure_view(frame: pd.DataFrame, month: pd.Period | None = None) -> pd.DataFrame:
    """Key figures as a reader should see them: the one view behind the HTML tables, the Word copy and summary.xlsx.

    - ``as_of`` says through which month each figure runs ("截至9月底（10月未报）"; "未报" without a figure).
    - A ceiling (better = lower, no 完成率) is named so ("安全生产事故（上限）"); its status says whether it is
      within the amount allowed so far. A rate has no 完成率 and no 序时.
    - ``status`` is "未报" for an indicator with no figure this year.
    - ``pace_needed`` is an amount per month for flows, rounded up where the unit counts things;
      a stock has no monthly pace (its prose says how much it must still grow).
    - A stock that did not move since the previous month has no 环比 (a "+0.0%" says nothing).
    - ``yoy_note`` says which months a 同比 compares when one year lacks some of them ("按1—7月计，去年8月未报");
      the column is there only when a row has such a note, so a table where both years are complete is unchanged.
    """
    from helpers.report.wording import needed_amount

    view = frame.copy()
    ceiling = view["allowed"].notna() if "allowed" in view else view["better"] == "lower"
    view["name"] = view["name"].where(~ceiling, view["name"].astype(str) + "（上限）")
    if "through" in view:
        reported = view["reported"] if "reported" in view else pd.Series(True, index=view.index)
        view["as_of"] = [as_of_label(t, bool(r), month) for t, r in zip(view["through"], reported, strict=True)]
        view["status"] = view["status"].where(view["status"].notna() | view["ytd"].notna(), "未报")
    view["mom_pct"] = unmoved_stock_mom(view)
    pace = [needed_amount(v, u) if k == "flow" else None
            for v, u, k in zip(view["pace_needed"], view["unit"], view["kind"], strict=True)]
    view["pace_needed"] = pd.Series(pace, index=view.index, dtype="float64")
    if {"through", "ytd_months", "yoy_months", "yoy_pct"} <= set(view.columns):
        notes = pd.Series([yoy_note(t, s, c) if not _missing(y) else ""
                           for t, s, c, y in zip(view["through"], view["ytd_months"], view["yoy_months"],
                                                 view["yoy_pct"], strict=True)], index=view.index, dtype=object)
        if notes.astype(bool).any():
            view.insert(view.columns.get_loc("yoy_pct") + 1, "yoy_note", notes)
    return view


def unmoved_stock_mom(frame: pd.DataFrame) -> pd.Series:
    """``mom_pct`` with the stocks (levels) that did not move since the previous month left blank."""
    if "mom_pct" not in frame:
        return pd.Series(float("nan"), index=frame.index)
    if "mom_change" in frame:
        change = frame["mom_change"]
    elif {"this_month", "prev_month"} <= set(frame.columns):
        change = frame["this_month"] - frame["prev_month"]
    else:
        return frame["mom_pct"]
    unmoved = (frame["kind"].astype(str) == "stock") & (change == 0)
    return frame["mom_pct"].where(~unmoved)


KEY_FIGURE_COLUMNS = {
    "name": ("指标", "text"),
    "unit": ("单位", "text"),
    "as_of": ("数据截至", "text"),
    "ytd": ("累计/现值", "number"),
    "target": ("年度目标", "number"),
    "completion_pct": ("完成率", "pct"),
    "time_pct": ("序时进度", "pct"),
    "diff_pp": ("快于序时（百分点）", "pp"),
    "status": ("状态", "text"),
    "mom_pct": ("环比", "signed_pct"),
    "yoy_pct": ("同比", "signed_pct"),
    "yoy_note": ("同比说明", "text"),
    "pace_needed": ("今后每月需完成", "number"),
}
