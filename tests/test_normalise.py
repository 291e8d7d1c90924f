"""The normalisation step before validation: what it folds, what it leaves for the validation to refuse."""

from __future__ import annotations

import pytest

from helpers.data.normalise import hidden_characters, normalise_cell, visible
from helpers.data.schema import TABLES_BY_NAME
from helpers.data.validation import number_reason, parse_number

MONTHLY = TABLES_BY_NAME["monthly"]
VILLAGES = TABLES_BY_NAME["villages"]
TARGETS = TABLES_BY_NAME["targets"]


@pytest.mark.parametrize(("table", "column", "written", "plain"), [
    (MONTHLY, "value", "５４００", "5400"),
    (MONTHLY, "value", "－１２．５", "-12.5"),
    (MONTHLY, "value", "44,680", "44680"),
    (MONTHLY, "value", "1,234,567.5", "1234567.5"),
    (MONTHLY, "value", "7,8", "7,8"),  # ambiguous: left for the validation
    (MONTHLY, "value", "5_400", "5_400"),
    (MONTHLY, "month", "2018-8", "2018-08"),
    (MONTHLY, "month", "２０１８－０８", "2018-08"),
    (MONTHLY, "indicator", "visits\u200b", "visits"),
    (MONTHLY, "village", "\u00a0高龙村\u200b", "高龙村"),
    (TARGETS, "year", "02018", "2018"),
    (TARGETS, "year", "+2018", "2018"),
    (VILLAGES, "village", "高龙村（社区）", "高龙村（社区）"),  # names keep their full-width brackets
    (VILLAGES, "village", "高龙\u00a0村", "高龙\u00a0村"),  # a space inside a name is not ours to drop
    (TABLES_BY_NAME["events"], "date", "2018-3-5", "2018-03-05"),
])
def test_normalise_cell(table, column, written, plain):
    assert normalise_cell(table, table.col(column), written) == plain


@pytest.mark.parametrize(("text", "expected"), [
    ("5400", 5400.0), ("44,680", 44680.0), ("-0.5", -0.5), ("5_400", None), ("7,8", None), ("1e308", None),
    ("inf", None), ("nan", None), ("", None),
])
def test_parse_number_takes_plain_numbers_only(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(("text", "word"), [("5_400", "下划线"), ("7,8", "千分位"), ("1e308", "科学计数法")])
def test_number_reason_says_why(text, word):
    assert word in number_reason(text)


def test_invisible_characters_are_shown_by_name():
    assert visible("高龙村\u200b") == "高龙村<U+200B 零宽空格>"
    assert hidden_characters("a\u00a0b\u00a0\u200d") == ["U+00A0", "U+200D"]
    assert hidden_characters("高龙村") == []
