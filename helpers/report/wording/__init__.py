"""Wording in Chinese report conventions, and the prose templates' vocabulary.

Numbers (:mod:`.numbers`: counts, round figures, money, percentages, changes), periods (:mod:`.periods`),
ordinals and lists (:mod:`.lists`), events (:mod:`.events`) and record states (:mod:`.states`). Every name
in ``__all__`` that is callable becomes a global and a filter of the prose templates
(:func:`helpers.report.prose.templates.environment`): this namespace is the templates' vocabulary.
"""

from helpers.report.wording.events import EVENT_UNITS, EVENT_VERBS, event_phrase, event_phrases, event_unit
from helpers.report.wording.lists import (
    chinese_numeral,
    item_ordinal,
    join_names,
    section_ordinal,
    subsection_ordinal,
)
from helpers.report.wording.numbers import (
    MISSING,
    WHOLE_UNITS,
    about,
    approx,
    change,
    completion_phrase,
    count,
    count_progress,
    is_small_count,
    money_from_wan,
    money_units,
    money_wan,
    needed_amount,
    number,
    pct,
    pp,
    rate_gap,
    vs_time_progress,
)
from helpers.report.wording.periods import (
    as_of,
    half_year,
    month_label,
    month_name,
    since_year_start,
    year_to_date_span,
)

__all__ = [
    "EVENT_UNITS",
    "EVENT_VERBS",
    "event_unit",
    "event_phrase",
    "event_phrases",
    "WHOLE_UNITS",
    "needed_amount",
    "MISSING",
    "approx",
    "about",
    "as_of",
    "change",
    "chinese_numeral",
    "completion_phrase",
    "count",
    "count_progress",
    "half_year",
    "is_small_count",
    "item_ordinal",
    "join_names",
    "money_from_wan",
    "money_units",
    "money_wan",
    "month_label",
    "month_name",
    "number",
    "pct",
    "pp",
    "rate_gap",
    "section_ordinal",
    "since_year_start",
    "subsection_ordinal",
    "vs_time_progress",
    "year_to_date_span",
]
"""The templates' vocabulary."""
