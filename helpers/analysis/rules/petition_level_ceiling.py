"""petition_level_ceiling: no petition case of the year reached given levels (零到省、零进京)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.petitions import petitions_ytd
from helpers.analysis.rules.base import LIST_AT_MOST, RuleKind, RuleResult, rule_result
from helpers.chinese_text import joined, year_so_far
from helpers.config import SETTINGS, Settings
from helpers.data.report_profile.model import RuleSpec
from helpers.data.report_profile.parameters import Param
from helpers.data.township import Township

PARAMS = {"levels": Param("levels", required=True)}
COLUMNS = {"case_id": "案件编号", "month": "月份", "village": "村（社区）", "level": "层级", "status": "状态",
           "topic": "事由"}
"""The cases' columns it shows, in this order."""
LEVEL_WORDS = {"京": "进京"}
"""How a petition level reads after 零: 零到省, 零进京."""


def _level_word(level: str) -> str:
    return LEVEL_WORDS.get(level, f"到{level}")


def check(tw: Township, month: pd.Period, rule: RuleSpec, settings: Settings = SETTINGS) -> RuleResult:
    """零到省、零进京: no petition case of the year so far reached any of ``levels``."""
    levels = tuple(rule.params["levels"])
    cases = petitions_ytd(tw, month)
    columns = list(COLUMNS)
    breaches = cases[cases["level"].isin(levels)][columns].reset_index(drop=True)
    if breaches.empty:
        words = "、".join(_level_word(lv) for lv in levels)
        zeros = "".join(f"“零{_level_word(lv)}”" for lv in levels)
        summary = f"{year_so_far(month)}共有信访案件{len(cases)}件，无{words}上访，实现{zeros}"
    else:
        counts = "、".join(f"{_level_word(lv)}{int((breaches['level'] == lv).sum())}件"
                          for lv in levels if (breaches["level"] == lv).any())
        whole = tw.naming.whole
        items = [f"{r.village if isinstance(r.village, str) else whole}{r.month.month}月（{r.case_id}）"
                 for r in breaches.itertuples()]
        summary = f"{year_so_far(month)}出现{counts}：{joined(items, LIST_AT_MOST)}"
    return rule_result(rule, breaches.empty, True, summary, breaches, cases[columns].reset_index(drop=True))


KIND = RuleKind(name="petition_level_ceiling", params=PARAMS, check=check, columns=COLUMNS)
