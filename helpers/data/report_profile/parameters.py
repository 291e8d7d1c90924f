"""The kinds of parameter a rule kind or section type takes in report.yaml, with one checker per kind.

A contract (:mod:`helpers.data.report_profile.registry`) names each of its parameters with a :class:`Param`: a kind of
this module's :data:`PARAM_KINDS` and whether it is required. A checker takes the value as written and
what the profile knows (:class:`Known`), and returns the value the rule or section gets, or raises
:class:`~helpers.exceptions.InvalidParameter` with the reason (in Chinese) the profile checker reports at
the parameter's line and key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from helpers.exceptions import InvalidParameter

PERIODS = {"quarter": "季度", "half_month": "半月", "month": "月"}
"""The periods of a ``period`` parameter (events each quarter, half-month or month)."""


@dataclass(frozen=True)
class Known:
    """What a profile's parameter values are checked against."""

    indicators: frozenset[str] | None
    """The indicator ids of indicators.csv; None: not checked (the bundled profile on its own)."""
    event_types: tuple[str, ...]
    """Event types of events.csv, with the profile's own choices."""
    levels: tuple[str, ...]
    """Petition levels."""
    rule_ids: tuple[str, ...]
    """Ids of the profile's rules, in its order."""


def _listed(value) -> list:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else None
    if not items:
        raise InvalidParameter("应为一个或多个值的列表，如 [a, b]")
    return items


def _indicator(value, known: Known) -> str:
    if not isinstance(value, str):
        raise InvalidParameter("应为一个指标代码")
    if known.indicators is not None and value not in known.indicators:
        raise InvalidParameter("未知的指标代码（不在 indicators.csv 中）")
    return value


def _indicators(value, known: Known) -> tuple[str, ...]:
    items = _listed(value)
    unknown = [str(i) for i in items if known.indicators is not None and str(i) not in known.indicators]
    if unknown:
        raise InvalidParameter("未知的指标代码（不在 indicators.csv 中）", "、".join(unknown))
    return tuple(str(i) for i in items)


def _among(items: list, allowed: tuple[str, ...]) -> tuple[str, ...]:
    bad = [str(i) for i in items if str(i) not in allowed]
    if bad:
        raise InvalidParameter("取值应为 " + " / ".join(allowed), "、".join(bad))
    return tuple(str(i) for i in items)


def _event_type(value, known: Known) -> str:
    return _among([value], known.event_types)[0]


def _event_types(value, known: Known) -> tuple[str, ...]:
    return _among(_listed(value), known.event_types)


def _levels(value, known: Known) -> tuple[str, ...]:
    return _among(_listed(value), known.levels)


def _number(value, known: Known) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidParameter("应为数字")
    if value < 0:
        raise InvalidParameter("不能为负数")
    return float(value)


def _month(value, known: Known) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise InvalidParameter("应为 1–12 的月份数")
    return int(value)


def _period(value, known: Known) -> str:
    if value not in PERIODS:
        raise InvalidParameter("取值应为 " + " / ".join(PERIODS))
    return str(value)


def _rule(value, known: Known) -> str:
    if value not in known.rule_ids:
        ids = "、".join(known.rule_ids) or "本文件没有规则"
        raise InvalidParameter(f"未知的规则 id（不在本文件的 rules 中；可用的 id：{ids}）")
    return str(value)


def _text(value, known: Known) -> str:
    if value is None or value == "":
        raise InvalidParameter("缺少此项", None)
    if isinstance(value, dict | list) or "\n" in str(value).strip():
        raise InvalidParameter("应为一行文字")
    return str(value).strip()


PARAM_KINDS: dict[str, Callable[[object, Known], object]] = {
    "indicator": _indicator,
    "indicators": _indicators,
    "event_type": _event_type,
    "event_types": _event_types,
    "levels": _levels,
    "number": _number,
    "month": _month,
    "period": _period,
    "rule": _rule,
    "text": _text,
}
"""Parameter kind -> its checker ``(value, known) -> value``, raising :class:`~helpers.exceptions.InvalidParameter`."""


@dataclass(frozen=True)
class Param:
    """One parameter of a rule kind or section type: its kind (a key of :data:`PARAM_KINDS`) and whether required."""

    kind: str
    required: bool = False

    def __post_init__(self):
        if self.kind not in PARAM_KINDS:
            raise ValueError(f"未知的参数种类 {self.kind!r}（可用：{'、'.join(PARAM_KINDS)}）")
