"""Numbers in Chinese report conventions: counts, round figures, money, percentages, changes, amounts still due.

Rules shared by every function here:

- Rounding is half up (四舍五入), done on ``Decimal`` built from the shortest text of a float, so 0.05
  shows as "0.1" and 2.675 as "2.68" (never banker's rounding, never binary float surprises).
  Inputs are first cleaned to 9 decimal places, so float noise such as 0.1 + 0.2 or
  100.00000000000001 reads as the figure it stands for.
- Display functions return ``MISSING`` ("—") for a missing value: ``None``, ``pd.NA``, NaN, or an
  infinite value (e.g. a month-on-month change from zero). A value of the wrong type (text, bool)
  raises ``TypeError``; an argument outside what the function can word raises ``ValueError``.
- Counts are written without thousands separators ("1234户"). ``count`` never loses information:
  a count of 10,000 or more is written in 万 only when that is exact to two decimals ("2万份",
  "1.23万人"), else in full digits ("44680人"), as the reference report does. ``approx`` is the
  rounded form ("570余户", "4.4万余人").
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, ROUND_UP, Context, Decimal

import pandas as pd

MISSING = "—"
"""What a display function writes for a missing value."""

_CTX = Context(prec=60, rounding=ROUND_HALF_UP)
_NOISE = Decimal("1e-9")
_WAN = Decimal(10_000)
_HUNDRED = Decimal(100)


def _to_decimal(x: object) -> Decimal | None:
    """``x`` as a Decimal cleaned of float noise, or None when it is missing or infinite."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, bool) or not isinstance(x, numbers.Number | Decimal):
        raise TypeError(f"不是数值：{x!r}")
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, numbers.Integral):
        d = Decimal(int(x))
    elif isinstance(x, numbers.Rational):
        d = _CTX.divide(Decimal(x.numerator), Decimal(x.denominator))
    elif isinstance(x, numbers.Real):
        d = Decimal(str(x))  # str() is the shortest text that round-trips: 0.05 stays 0.05
    else:
        raise TypeError(f"不是实数：{x!r}")
    if not d.is_finite():
        return None
    return d.quantize(_NOISE, rounding=ROUND_HALF_UP, context=_CTX)


def _round(d: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=rounding, context=_CTX)


def _text(d: Decimal, places: int, *, strip: bool = True, rounding: str = ROUND_HALF_UP) -> str:
    """``d`` rounded to ``places`` decimals; trailing zeros dropped when ``strip``; never "-0"."""
    q = _round(d, places, rounding)
    if q == 0:
        q = abs(q)
    s = format(q, "f")
    if strip and "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


MONEY_UNITS = {"万元": "亿元", "万": "亿"}
"""Units of amounts held in 万: from 1亿 on they are written in 亿 with two decimals (36800万元 → 3.68亿元)."""


def money_units(unit: str) -> bool:
    """Whether ``unit`` is an amount of money in 万 (万元, 万), worded in 亿 from 1亿 on."""
    return unit in MONEY_UNITS


def _number_text(d: Decimal, unit: str, places: int, round_wan: bool) -> str:
    if abs(d) >= _WAN and not unit.startswith(("万", "亿", "%")):
        wan = _CTX.divide(d, _WAN)
        if round_wan or wan == _round(wan, 2):
            return _text(wan, 2) + "万"
    return _text(d, places)


def number(n: object, *, places: int = 2, round_wan: bool = False) -> str:
    """A count without its unit: ``count(n, "")``."""
    return count(n, "", places=places, round_wan=round_wan)


def count(n: object, unit: str = "", *, places: int = 2, round_wan: bool = False) -> str:
    """A quantity with its unit: "1234户", "54.7公里", "73.04平方公里", "2万份", "44680人".

    Whole numbers are written in full, fractions rounded half up to ``places`` decimals with
    trailing zeros dropped. From 10,000 on, the figure is written in 万 when that is exact to two
    decimals ("2万份", "1.23万人"); ``round_wan=True`` writes it in 万 anyway, rounded half up to
    two decimals ("4.47万人" for 44680). Units that already hold 万 or 亿 ("万元") or "%" are
    never converted to 万; an amount in 万元 (or 万) of 1亿 or more is written in 亿元 (亿) with two
    decimals, half up ("36800万元" → "3.68亿元"), as reports write money.
    """
    d = _to_decimal(n)
    if d is None:
        return MISSING
    if unit in MONEY_UNITS and abs(_round(d, 2)) >= _WAN:
        return _text(_CTX.divide(d, _WAN), 2) + MONEY_UNITS[unit]
    return _number_text(d, unit, places, round_wan) + unit


def approx(n: object, unit: str = "", *, approximate: bool = True) -> str:
    """A count the way reports give a round figure: "570余户" for 573, "1200余户" for 1234.

    The figure is rounded down to tens below 1,000 (and from 10 on), to hundreds below 10,000, and
    to tenths of 万 from 10,000 on ("4.4万余人", "1万余户"); "余" is added only when the figure
    was not already round ("570户", "2万份"). Below 10 the count is exact. With
    ``approximate=False`` (``settings.approximate_counts`` off) this is ``count(n, unit)``.

    Raises:
        ValueError: for a negative figure (a round figure with 余 only words a non-negative count).
    """
    if not approximate:
        return count(n, unit)
    d = _to_decimal(n)
    if d is None:
        return MISSING
    if d < 0:
        raise ValueError(f"约数只用于非负的数量：{n!r}")
    if d < 10:
        return count(d, unit)
    if d >= _WAN:
        wan = _CTX.divide(d, _WAN)
        shown = _round(wan, 1, ROUND_FLOOR)
        text, exact = _text(shown, 1) + "万", shown == wan
    else:
        step = Decimal(10) if d < 1000 else _HUNDRED
        shown = _CTX.divide(d, step).to_integral_value(rounding=ROUND_FLOOR) * step
        text, exact = _text(shown, 0), shown == d
    return text + ("" if exact else "余") + unit


_MONEY_UNITS = {"万元": ("万元", "亿元"), "万": ("万", "亿")}


def _money_text(yuan: Decimal, suffix: str) -> str:
    try:
        wan_unit, yi_unit = _MONEY_UNITS[suffix]
    except KeyError:
        raise ValueError(f"金额单位只能是“万元”或“万”：{suffix!r}") from None
    if abs(_round(yuan, 0)) < _WAN:
        return _text(yuan, 0) + "元"
    wan = _CTX.divide(yuan, _WAN)
    shown = _round(wan, 2)
    if abs(shown) >= _HUNDRED:
        shown = _round(wan, 0)
    if abs(shown) >= _WAN:
        return _text(_CTX.divide(wan, _WAN), 2) + yi_unit
    return _text(shown, 2) + wan_unit


def money_wan(yuan: object, *, suffix: str = "万元") -> str:
    """An amount given in 元, in 万元: "666万元", "2250万元", "8.5万元", "1.2亿元".

    Below 100万 the figure keeps up to two decimals ("8.5万元", "12.36万元"); from 100万 it is a
    whole number of 万 ("666万元"); from 1亿 it is in 亿 to two decimals ("1.2亿元", "3.68亿元", "1亿元").
    Below 1万 it is whole 元 ("8500元"). All rounding is half up, and a figure that rounds up to the
    next tier is written in that tier (99,995,000元 → "1亿元"). ``suffix="万"`` drops 元 after 万
    and 亿 as reports often do ("总投资666万").
    """
    d = _to_decimal(yuan)
    if d is None:
        return MISSING
    return _money_text(d, suffix)


def money_from_wan(wan: object, *, suffix: str = "万元") -> str:
    """An amount given in 万元 (as the data holds investments), worded like ``money_wan``."""
    d = _to_decimal(wan)
    if d is None:
        return MISSING
    return _money_text(d * _WAN, suffix)


def pct(x: object, *, places: int = 1) -> str:
    """A percentage given in percent (66.666… → "66.7%"), always with ``places`` decimals."""
    d = _to_decimal(x)
    if d is None:
        return MISSING
    return _text(d, places, strip=False) + "%"


def pp(x: object, *, places: int = 1) -> str:
    """Percentage points, sign kept: 3.21 → "3.2个百分点", -3.21 → "-3.2个百分点"."""
    d = _to_decimal(x)
    if d is None:
        return MISSING
    return _text(d, places, strip=False) + "个百分点"


def vs_time_progress(diff_pp: object) -> str:
    """Completion against 序时进度, given completion % minus time progress % in points.

    "高于序时进度4.8个百分点" / "低于序时进度10.3个百分点"; a difference that rounds to 0.0
    (under 0.05 points either way) is "与序时进度持平". This is wording only: the 超序时 / 达序时 /
    滞后 status uses the analysis tolerance (``settings.on_pace_tolerance_pp``), not this one.
    """
    d = _to_decimal(diff_pp)
    if d is None:
        return MISSING
    shown = _round(d, 1)
    if shown == 0:
        return "与序时进度持平"
    return ("高于" if shown > 0 else "低于") + "序时进度" + pp(abs(shown))


def rate_gap(value: object, target: object, unit: str = "%", better: str = "higher") -> str:
    """A rate against its target, in 个百分点 where the unit is %: "达到目标98%", "比目标98%低2.5个百分点".

    ``better = lower`` reads the target as a ceiling ("控制在目标2%以内", "比目标2%高0.5个百分点").
    """
    v, t = _to_decimal(value), _to_decimal(target)
    if v is None or t is None:
        return MISSING
    gap = _round(v - t, 1 if unit == "%" else 2)
    target_text = f"目标{count(t, unit)}"
    met = gap <= 0 if better == "lower" else gap >= 0
    if met:
        return f"控制在{target_text}以内" if better == "lower" else f"达到{target_text}"
    amount = pp(abs(gap)) if unit == "%" else count(abs(gap), unit)
    return f"比{target_text}{'高' if gap > 0 else '低'}{amount}"


def completion_phrase(completion_pct: object) -> str:
    """How far a target is done, given completion in percent.

    0 → "完成率为0"; 66.67 → "完成率66.7%"; exactly 100 → "全面完成"; 112.5 → "超额完成，完成率112.5%";
    below 0 (a stock that fell) → "完成率为负（-5.0%）". The shown figure never contradicts the
    words: just under 100 shows "99.9%" (not "100.0%"), just over shows at least "100.1%", and a
    tiny positive figure shows "不足0.1%".
    """
    d = _to_decimal(completion_pct)
    if d is None:
        return MISSING
    if d == 0:
        return "完成率为0"
    if d < 0:
        return f"完成率为负（{pct(d)}）"
    if d == _HUNDRED:
        return "全面完成"
    if d > _HUNDRED:
        return f"超额完成，完成率{_text(d, 1, strip=False, rounding=ROUND_UP)}%"
    if _round(d, 1) == 0:
        return "完成率不足0.1%"
    below_full = ROUND_DOWN if d >= Decimal("99.95") else ROUND_HALF_UP
    return f"完成率{_text(d, 1, strip=False, rounding=below_full)}%"


_CHANGE_VERBS = {"%": ("增长", "下降"), "个百分点": ("提高", "下降")}
"""Verbs for a rise and a fall by unit; any other unit is an absolute count (增加 / 减少)."""


def change(x: object, unit: str = "%") -> str:
    """A month-on-month or year-on-year change.

    ``unit="%"`` words a relative change given in percent ("增长12.3%", "下降4.0%");
    ``"个百分点"`` a change of a rate ("提高3.2个百分点"); any other unit an absolute change as a
    count ("增加5户", "减少3户", "增加8.5万元"). A change that rounds to zero is "持平".
    """
    d = _to_decimal(x)
    if d is None:
        return MISSING
    words: Callable[[Decimal], str]
    if unit == "%":
        shown, words = _round(d, 1), pct
    elif unit == "个百分点":
        shown, words = _round(d, 1), pp
    else:
        shown, words = _round(d, 2), lambda v: count(v, unit)
    if shown == 0:
        return "持平"
    rise, fall = _CHANGE_VERBS.get(unit, ("增加", "减少"))
    return (rise if shown > 0 else fall) + words(abs(shown))


WHOLE_UNITS = frozenset("户 人 名 家 个 起 次 件 项 份 所 座 村 家次 户次 人次 村次 站次".split())
"""Units counted in whole numbers: an amount still needed of 0.5户 is written 1户."""


def needed_amount(value: object, unit: str) -> float | None:
    """An amount still to be done, rounded up as a report gives it.

    To a whole number where ``unit`` counts things or the amount is 100 or more ("每月需完成5728万元", not
    5727.67万元), to one decimal from 10 (30.4亩); smaller amounts as they are.
    """
    d = _to_decimal(value)
    if d is None:
        return None
    if unit in WHOLE_UNITS or abs(d) >= 100:
        return float(math.ceil(d - _NOISE))
    if abs(d) >= 10:
        return float(math.ceil(d * 10 - _NOISE)) / 10
    return float(d)


SMALL_COUNT = 10
"""A target in a unit of :data:`WHOLE_UNITS` up to this size is worded in counts, not percentages."""


def is_small_count(unit: str, target: object) -> bool:
    """Whether a target is a few discrete things (2户, 5家): then it is worded in counts, not percentages."""
    d = _to_decimal(target)
    return d is not None and unit in WHOLE_UNITS and 0 < abs(d) <= SMALL_COUNT


def count_progress(done: object, remaining: object, unit: str, *, stock: bool = False) -> str:
    """A small discrete target in counts: "尚未新增，年内须新增2户", "已完成1人，年内还须完成2人".

    ``done`` is what the year has added so far (a stock's change since the start of the year, a flow's
    year-to-date), ``remaining`` what the target still asks for; ``stock`` picks 新增 over 完成.
    """
    verb = "新增" if stock else "完成"
    d, r = _to_decimal(done), _to_decimal(remaining)
    if d is None or r is None:
        return MISSING
    need = count(needed_amount(r, unit), unit)
    if r <= 0:
        return f"已{verb}{count(d, unit)}，完成年度目标"
    if d <= 0:
        return f"尚未{verb}，年内须{verb}{need}"
    return f"已{verb}{count(d, unit)}，年内还须{verb}{need}"


def about(n: object, unit: str = "") -> str:
    """An estimate: "约4起" (whole units rounded half up to a whole number), "约3.7公里" (one decimal)."""
    d = _to_decimal(n)
    if d is None:
        return MISSING
    return "约" + count(_round(d, 0 if unit in WHOLE_UNITS else 1), unit)
