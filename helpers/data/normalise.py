"""One normalisation step between reading and validation, the same for CSV and workbook tables.

What people really type is brought to the contract's plain form before keys and duplicates are
checked: full-width digits and signs (what Chinese input methods type) become ASCII (Unicode NFKC) in
numbers and codes, invisible characters (zero-width space and joiners, BOM, word joiner, direction
marks) are removed from every cell, months and dates are zero-padded (``2018-8`` → ``2018-08``),
whole numbers lose their leading zeros (``02018`` → ``2018``) and unambiguous thousands separators
(``44,680``). Anything still not a plain number is left as it is, for the validation to refuse with
the reason. Names (villages, branches, free text) are not NFKC-folded: their full-width brackets are
part of the name.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from helpers.data.schema import REF_VILLAGE, REF_VILLAGES, Col, Table

INVISIBLE = {
    "\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符", "\u2060": "零宽不换行符",
    "\ufeff": "BOM", "\u200e": "从左到右标记", "\u200f": "从右到左标记", "\u00ad": "软连字符",
    "\u00a0": "不换行空格", "\u3000": "全角空格", "\u202f": "窄不换行空格",
}
"""Characters a reader cannot see (or cannot tell from a space), with their Chinese names for messages."""
REMOVED = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u00ad]")
"""Removed wherever they stand: they never belong in a name, a code or a number."""

CODE_KINDS = ("int", "number", "month", "date", "choice", "bool")
"""Column kinds folded with NFKC (besides codes: keys and references other than village names)."""
GROUPED = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+)(\.\d+)?$")
WHOLE = re.compile(r"^([+-]?)(\d+)$")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def visible(text: str) -> str:
    """``text`` with each invisible character shown as ``<U+200B 零宽空格>`` (for messages)."""
    return "".join(f"<U+{ord(ch):04X} {INVISIBLE[ch]}>" if ch in INVISIBLE else ch for ch in str(text))


def hidden_characters(text: str) -> list[str]:
    """The invisible characters in ``text``, as ``U+200B`` codes, in order of appearance, once each."""
    return list(dict.fromkeys(f"U+{ord(ch):04X}" for ch in str(text) if ch in INVISIBLE))


def is_code(table: Table, col: Col) -> bool:
    """Numbers, months, choices and ids are codes (NFKC-folded); village names and free text are not."""
    if col.kind in (REF_VILLAGE, REF_VILLAGES) or col.id == "village":
        return False
    return col.kind in CODE_KINDS or col.kind.startswith("ref_") or (col.id in table.key and col.kind == "text")


def plain_number(text: str) -> str:
    """Drop thousands separators where they are unambiguous (``44,680``), leading zeros of whole numbers."""
    grouped = GROUPED.match(text)
    if grouped:
        text = grouped.group(1) + grouped.group(2).replace(",", "") + (grouped.group(3) or "")
    whole = WHOLE.match(text)
    if whole:
        return whole.group(1).replace("+", "") + str(int(whole.group(2)))
    return text


def padded_month(text: str) -> str:
    m = MONTH.match(text)
    return f"{m.group(1)}-{int(m.group(2)):02d}" if m else text


def padded_date(text: str) -> str:
    m = DATE.match(text)
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else text


def normalise_cell(table: Table, col: Col, text: str) -> str:
    """One cell in the contract's plain form (unchanged where it cannot be made plain)."""
    text = REMOVED.sub("", text)
    if is_code(table, col):
        text = unicodedata.normalize("NFKC", text)
    text = text.strip()
    if col.kind in ("int", "number"):
        return plain_number(text)
    if col.kind == "month":
        return padded_month(text)
    if col.kind == "date":
        return padded_date(text)
    return text


def normalise_frame(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a raw table's frame (strings, columns named by id) with every cell normalised."""
    out = frame.copy()
    for col in table.columns:
        if col.id in out.columns:
            out[col.id] = [normalise_cell(table, col, str(v)) for v in out[col.id]]
    return out


def normalise_tables(tables: dict) -> None:
    """Normalise every RawTable of ``tables`` in place, once: ``original`` keeps the cells as written."""
    for raw in tables.values():
        if raw is not None and raw.original is None:
            raw.original = raw.frame
            raw.frame = normalise_frame(raw.table, raw.frame)


def info_number(value: object) -> object:
    """A township.yaml number typed as text (``"44,680"``, ``"３１"``) as a number; anything else unchanged."""
    if isinstance(value, str):
        text = plain_number(unicodedata.normalize("NFKC", REMOVED.sub("", value)).strip())
        if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            number = float(text)
            return int(number) if number.is_integer() else number
    return value


def normalise_info(info: dict | None, kinds: dict[str, str]) -> None:
    """Normalise township.yaml's fields in place: numbers written as text become numbers, text is stripped."""
    if not info:
        return
    for key, value in list(info.items()):
        kind = kinds.get(key)
        if kind in ("int", "number"):
            info[key] = info_number(value)
        elif kind == "text" and isinstance(value, str):
            info[key] = REMOVED.sub("", value).strip()
        elif kind == "mapping" and isinstance(value, dict):
            info[key] = {info_number(k): info_number(v) for k, v in value.items()}
