"""How a report numbers and lists things: 一、 （一） 一是, and names joined with 、."""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import pandas as pd

from helpers.chinese_text import joined

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1..99 in Chinese numerals: 1 → "一", 10 → "十", 12 → "十二", 20 → "二十", 99 → "九十九"."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= int(n) <= 99:
        raise ValueError(f"只支持1到99的整数：{n!r}")
    tens, ones = divmod(int(n), 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


def section_ordinal(n: int) -> str:
    """A section number as written before a heading: "一、", "十二、"."""
    return chinese_numeral(n) + "、"


def subsection_ordinal(n: int) -> str:
    """A second-level heading number: "（一）"."""
    return f"（{chinese_numeral(n)}）"


def item_ordinal(n: int) -> str:
    """A point inside a paragraph: "一是", "二是", …"""
    return chinese_numeral(n) + "是"


def join_names(names: Iterable[object] | str | None) -> str:
    """Names joined with 、: "高龙村、拦江村、万福村".

    Order is kept, repeats and missing or blank entries are dropped; a single text is one name;
    nothing to join gives "".
    """
    if names is None:
        return ""
    if isinstance(names, str):
        names = [names]
    seen: dict[str, None] = {}
    for name in names:
        if name is None or (not isinstance(name, str) and pd.isna(name)):
            continue
        text = str(name).strip()
        if text:
            seen.setdefault(text, None)
    return joined(list(seen))

