"""Validation of the raw tables against the data contract, reporting every problem at once.

pandera does the checking: each table's schema is built from ``helpers.data.schema``, run
lazily so that it collects every failing cell, and its failure cases are translated
into :class:`~helpers.exceptions.Problem` rows (file, row, column, value, Chinese reason).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pandera.pandas as pa

from helpers.data.normalise import hidden_characters, normalise_info, normalise_tables, plain_number, visible
from helpers.data.reading.raw_tables import RawTable
from helpers.data.report_profile.model import KINDS, ReportProfile
from helpers.data.report_profile.reading import default_profile
from helpers.data.schema import (
    INFO_FIELDS,
    REF_AREA,
    REF_HIGHLIGHT_AREA,
    REF_INDICATOR,
    REF_PROJECT,
    REF_VILLAGE,
    REF_VILLAGES,
    TABLES,
    Col,
    Table,
)
from helpers.exceptions import Problem

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
INT_RE = re.compile(r"^[+-]?\d+$")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
EXPONENT_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$")
TABLES_WITH_ROWS = ("villages", "indicators", "monthly")


def area_id(value: str, allowed: dict[str, str]) -> str | None:
    """An area given as its id or its Chinese name, normalised to the id."""
    if value in allowed:
        return value
    return next((k for k, zh in allowed.items() if zh == value), None)


def parse_month(text: str) -> tuple[int, int] | None:
    m = MONTH_RE.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2999:
        return None
    return int(m.group(1)), int(m.group(2))


def parse_date(text: str) -> dt.date | None:
    m = DATE_RE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_number(text: str) -> float | None:
    """A plain decimal number (after normalisation: no separators, no exponent, no ``_``), else None."""
    text = plain_number(str(text).strip())
    return float(text) if NUMBER_RE.match(text) else None


UNDERSCORE = "数字中不能有下划线“_”"
AMBIGUOUS_COMMA = "逗号用法不明确：千分位逗号应每三位一组（如 44,680），小数点请用“.”"
EXPONENT = "不接受科学计数法，请写成普通数字"
NUMBER_REASONS = (UNDERSCORE, AMBIGUOUS_COMMA, EXPONENT)


def number_reason(text: str) -> str | None:
    """Why a cell that looks like a number is not a plain one (None when there is no special reason)."""
    if "_" in text and NUMBER_RE.match(text.replace("_", "")):
        return UNDERSCORE
    if "," in text and NUMBER_RE.match(text.replace(",", "")):
        return AMBIGUOUS_COMMA
    if EXPONENT_RE.match(text):
        return EXPONENT
    return None


def month_key(text: str) -> str:
    """A month text normalised to zero-padded YYYY-MM (for comparisons between columns)."""
    ym = parse_month(text)
    return f"{ym[0]:04d}-{ym[1]:02d}" if ym else ""


def element_checks(col: Col, refs: dict[str, set[str]]) -> list[pa.Check]:
    """The cell checks for one column; an empty optional cell passes them all."""
    def check(fn, reason: str) -> pa.Check:
        return pa.Check(lambda v: v == "" or bool(fn(v)), element_wise=True, error=reason)

    checks: list[pa.Check] = []
    if col.required:
        checks.append(pa.Check(lambda v: v != "", element_wise=True, error="必填项为空"))
    kind = col.kind
    if kind in ("int", "number"):
        for reason in NUMBER_REASONS:
            checks.append(check(lambda v, r=reason: number_reason(v) != r, reason))
    if kind == "int":
        checks.append(check(lambda v: number_reason(v) or INT_RE.match(v), "不是整数"))
    elif kind == "number":
        checks.append(check(lambda v: number_reason(v) or parse_number(v) is not None, "不是数字"))
    if kind in ("int", "number") and col.nonneg:
        checks.append(check(lambda v: (parse_number(v) or 0) >= 0, "不能为负数"))
    if kind == "month":
        checks.append(check(lambda v: MONTH_RE.match(v), "月份格式应为 YYYY-MM"))
        checks.append(check(lambda v: not MONTH_RE.match(v) or parse_month(v), "不存在的月份"))
    if kind == "date":
        checks.append(check(lambda v: DATE_RE.match(v), "日期格式应为 YYYY-MM-DD"))
        checks.append(check(lambda v: not DATE_RE.match(v) or parse_date(v), "不存在的日期"))
    if kind in ("choice", "bool"):
        choices = refs.get("choices", {}).get(col.id, col.allowed)
        allowed = set(choices)
        extend = f"（{col.note}）" if "report.yaml 的 choices." in col.note else ""  # event types, stages
        checks.append(check(lambda v: v in allowed, "取值应为 " + " / ".join(choices) + extend))
    areas, source = refs.get("areas"), refs.get("report_source", "")
    if kind == REF_AREA and areas is not None:
        checks.append(check(lambda v: area_id(v, areas),
                            f"未知的工作领域（{source} 的 areas 中没有；应为 {area_choices(areas)}）"))
    if kind == REF_HIGHLIGHT_AREA and areas is not None:
        with_overview = {"overview": "总体", **areas}
        checks.append(check(lambda v: area_id(v, with_overview),
                            f"未知的工作领域（{source} 的 areas 中没有；应为 {area_choices(with_overview)}）"))
    if col.max_chars:
        checks.append(check(lambda v: "\n" not in v and "\r" not in v, "应为一行文字（单位或人员名称）"))
        checks.append(check(lambda v: len(v) <= col.max_chars, f"过长（不超过 {col.max_chars} 个字）"))
        checks.append(check(lambda v: not NUMBER_RE.match(v), "应为单位或人员名称，不是数字"))
    if kind == REF_VILLAGE:
        checks.append(check(lambda v: v in refs["village"], "未知的村（社区）（不在 villages.csv 中）"))
    if kind == REF_VILLAGES:
        checks.append(check(lambda v: all(x.strip() in refs["village"] for x in v.split("、")),
                            "含有未知的村（社区）（不在 villages.csv 中）"))
    if kind == REF_INDICATOR:
        checks.append(check(lambda v: v in refs["indicator"], "未知的指标代码（不在 indicators.csv 中）"))
    if kind == REF_PROJECT:
        checks.append(check(lambda v: v in refs["project"], "未知的项目编号（不在 projects.csv 中）"))
    return checks


def row_checks(table: Table, context: dict) -> list[tuple[tuple[str, ...], pa.Check]]:
    """Checks across the columns of a row, with the columns each needs.

    Each check is named ``column|reason`` so that its failure points at one column.
    """
    def num(s: pd.Series) -> pd.Series:
        return pd.to_numeric(s.map(lambda v: parse_number(v) if parse_number(v) is not None else ""),
                             errors="coerce")

    def months(s: pd.Series) -> pd.Series:
        return s.map(month_key)

    def later(a: str, b: str):
        """Fails where column a holds a month before column b (both filled in)."""
        return lambda d: ~((months(d[a]) != "") & (months(d[b]) != "") & (months(d[a]) < months(d[b])))

    checks: list[tuple[tuple[str, ...], pa.Check]] = []
    if table.name == "households":
        checks.append((("members",), pa.Check(lambda d: ~(num(d["members"]) < 1), name="members|每户人口数至少为 1")))
        last = context.get("last_month", "")
        if last:
            checks.append((("exited",), pa.Check(lambda d: ~(months(d["exited"]) > last),
                                                 name=f"exited|脱贫月份晚于数据的最后月份 {last}")))
    if table.name == "rectifications":
        checks.append((("closed", "issued"), pa.Check(later("closed", "issued"), name="closed|完成月份早于下达月份")))
        checks.append((("due", "issued"), pa.Check(later("due", "issued"), name="due|整改期限早于下达月份")))
    if table.name == "project_progress":
        checks.append((("progress_pct",), pa.Check(lambda d: ~(num(d["progress_pct"]) > 100),
                                                   name="progress_pct|进度应在 0–100 之间")))
    if table.name == "projects":
        checks.append((("due", "start"), pa.Check(later("due", "start"), name="due|计划完成月份早于开工月份")))
    return checks


def table_schema(table: Table, refs: dict, context: dict, present: set[str]) -> pa.DataFrameSchema:
    """The pandera schema of one table; checks that need a missing column are left out."""
    choices = refs.get("choices_by_table", {}).get(table.name, {})
    columns = {c.id: pa.Column(None, checks=element_checks(c, {**refs, "choices": choices}), nullable=True,
                               required=not c.optional_column)
               for c in table.columns}
    checks = [chk for needs, chk in row_checks(table, context) if set(needs) <= present]
    unique = list(table.key) if table.key and set(table.key) <= present else None
    return pa.DataFrameSchema(columns, checks=checks, unique=unique, strict=False)


def failure_problems(raw: RawTable, cases: pd.DataFrame) -> list[Problem]:
    """Translate pandera's failure cases into problems, one per cell (duplicates: one per row)."""
    table = raw.table
    zh = {c.id: c.zh for c in table.columns}
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = case.column if isinstance(case.column, str) else None
        if check == "column_in_dataframe":
            col = str(case.failure_case)
            problems.append(Problem(raw.source, 1, f"{col}（{zh.get(col, '')}）", None, "缺少列"))
            continue
        index = case.index
        if index is None or (isinstance(index, float) and index != index):
            continue
        row = raw.line(int(index))
        if check == "multiple_fields_uniqueness":
            key = ("dup", row)
            if key in seen:
                continue
            seen.add(key)
            written = "，".join(raw.written(index, k) for k in table.key)
            problems.append(Problem(raw.source, row, "、".join(f"{k}（{zh.get(k, '')}）" for k in table.key),
                                    visible(written), f"重复的键（{ '、'.join(table.key) } 与其他行相同）"
                                    + hidden_note(written)))
            continue
        if "|" in check:  # a row check, reported once against its own column
            target, reason = check.split("|", 1)
            if column != target:
                continue
        else:
            reason = check
        key = (row, column, reason)
        if key in seen:
            continue
        seen.add(key)
        written = raw.written(index, column) if column else str(case.failure_case)
        problems.append(Problem(raw.source, row, f"{column}（{zh.get(column, '')}）", visible(written),
                                reason + hidden_note(str(case.failure_case))))
    return problems


def hidden_note(text: str) -> str:
    """A note naming the invisible characters of ``text`` (empty when it has none)."""
    found = hidden_characters(text)
    return f"（含不可见字符 {'、'.join(found)}，已在比较前去除首尾空白和零宽字符）" if found else ""


def info_value_problem(kind: str, value: object) -> str | None:
    """Why a township.yaml value does not have its field's type (None when it does)."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "text" and isinstance(value, list | dict | bool):
        return "应为一行文字，不是列表或映射"
    if kind in ("number", "int"):
        if not is_number or value != value or value in (float("inf"), float("-inf")):
            return "不是数字"
        if value < 0:
            return "不能为负数"
        if kind == "int" and not float(value).is_integer():
            return "不是整数"
    if kind == "mapping" and not isinstance(value, dict):
        return "应为“年度: 金额”的映射"
    return None


def validate_info(info: dict | None) -> list[Problem]:
    """Every field of township.yaml present where required and of its type (what the notebooks rely on)."""
    if info is None:
        return []
    normalise_info(info, {fid: kind for fid, _desc, kind, _required in INFO_FIELDS})
    problems: list[Problem] = []
    for fid, desc, kind, required in INFO_FIELDS:
        value = info.get(fid)
        if value is None or value == "":
            if required:
                problems.append(Problem("township.yaml", None, fid, None, f"缺少字段（{desc}）"))
            continue
        reason = info_value_problem(kind, value)
        if reason:
            reason += f"（{desc}）" if kind == "text" else ""
            problems.append(Problem("township.yaml", None, fid, str(value), reason))
        elif kind == "mapping":
            for year, amount in value.items():
                if not (isinstance(year, int) and not isinstance(year, bool) and 1900 <= year <= 2999):
                    problems.append(Problem("township.yaml", None, fid, str(year), "年度应为四位数字（如 2018）"))
                amount_reason = info_value_problem("number", amount)
                if amount_reason:
                    problems.append(Problem("township.yaml", None, fid, str(amount), f"{year} 年的金额{amount_reason}"))
        elif kind == "text" and "\n" in str(value).strip():
            problems.append(Problem("township.yaml", None, fid, str(value), f"应为一行文字（{desc}）"))
        if fid == "kind" and str(value) not in KINDS:
            problems.append(Problem("township.yaml", None, fid, str(value), "取值应为 " + " / ".join(KINDS)))
    return problems


def rate_problems(tables: dict[str, RawTable]) -> list[Problem]:
    """A rate (a percentage) cannot be summed over villages: its rows must be whole-township ones."""
    indicators, monthly = tables.get("indicators"), tables.get("monthly")
    if indicators is None or monthly is None or not {"indicator", "kind"} <= set(indicators.frame.columns):
        return []
    if not {"indicator", "village"} <= set(monthly.frame.columns):
        return []
    rates = set(indicators.frame.loc[indicators.frame["kind"] == "rate", "indicator"])
    rows = monthly.frame[monthly.frame["indicator"].isin(rates) & (monthly.frame["village"] != "")]
    return [Problem(monthly.source, monthly.line(i), "village（村（社区））", visible(monthly.written(i, "village")),
                    "比率类指标（kind = rate）不能按村相加，只能填全镇数（村留空）") for i in rows.index]


def area_choices(areas: dict[str, str]) -> str:
    """"party（党建） / economy（富民强镇）": the ids with the short names a table may use instead."""
    return " / ".join(f"{a}（{short}）" if short != a else a for a, short in areas.items())


def key_set(raw: RawTable | None, column: str) -> set[str]:
    """The non-empty values of one column of a raw table."""
    if raw is None or column not in raw.frame.columns:
        return set()
    return set(raw.frame[column]) - {""}


def validate_tables(tables: dict[str, RawTable], info: dict | None,
                    report: ReportProfile | None = ...) -> list[Problem]:
    """Every problem in township.yaml (``info``) and the tables (missing tables are reported by the reader).

    Areas and the extended choice lists come from ``report`` (default: the bundled profile); ``None`` (a
    report.yaml with problems of its own) skips the area checks rather than report every row. The tables are
    normalised in place first (:mod:`helpers.data.normalise`), so keys, duplicates and references are
    compared in their plain form and the loader types the normalised cells.
    """
    if report is ...:
        report = default_profile()
    normalise_tables(tables)
    refs = {
        "village": key_set(tables.get("villages"), "village"),
        "indicator": key_set(tables.get("indicators"), "indicator"),
        "project": key_set(tables.get("projects"), "project_id"),
        "areas": report.area_names if report is not None else None,
        "report_source": report.source if report is not None else "",
    }
    if report is not None:
        refs["choices_by_table"] = {"events": {"type": report.event_types},
                                    "project_progress": {"stage": report.project_stages}}
    monthly = tables.get("monthly")
    last = max({month_key(m) for m in key_set(monthly, "month")} - {""}, default="")
    context = {"last_month": last}
    problems = validate_info(info)
    for table in TABLES:
        raw = tables.get(table.name)
        if raw is None:
            continue
        if raw.frame.empty and table.name in TABLES_WITH_ROWS:
            problems.append(Problem(raw.source, None, None, None, "只有表头，没有数据行"))
        try:
            schema = table_schema(table, refs, context, set(raw.frame.columns))
            schema.validate(raw.frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            found = failure_problems(raw, exc.failure_cases)
            order = {c.id: i for i, c in enumerate(table.columns)}
            problems += sorted(found, key=lambda p: (p.row or 0, order.get((p.column or "").split("（")[0], -1)))
    return problems + rate_problems(tables)


def month_problem(month: str, months_with_data: list[str]) -> Problem | None:
    """The requested report month must be one that the monthly table holds."""
    if not parse_month(month):
        return Problem("monthly.csv", None, "month（月份）", month, "所请求的月份格式应为 YYYY-MM")
    month = month_key(month)
    if not months_with_data:
        return Problem("monthly.csv", None, "month（月份）", month, "没有任何月度数据")
    if month in months_with_data:
        return None
    first, last = min(months_with_data), max(months_with_data)
    if month > last:
        reason = f"所请求的月份晚于数据中最后的月份 {last}"
    elif month < first:
        reason = f"所请求的月份早于数据中最早的月份 {first}"
    else:
        reason = "所请求的月份没有数据"
    return Problem("monthly.csv", None, "month（月份）", month, reason)
