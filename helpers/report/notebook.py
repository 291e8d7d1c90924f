"""What the notebooks call, in one namespace: ``from helpers.report import notebook as nb``.

``nb.context(...)`` loads the township and month once per run; every view takes that context and returns
something ``display()`` shows. The views live by role in :mod:`helpers.report.views` (overview, rule checks,
indicators, projects, poverty, petitions, rectifications, events, prose); the section types of
:mod:`helpers.report.sections` call them through this namespace too.
"""

from helpers.report.views.blocks import APPENDIX_KEY, Appendix, Empty, empty, note
from helpers.report.views.context import Context, context
from helpers.report.views.events import EVENT_TYPE_ORDER, event_table
from helpers.report.views.indicators import (
    bottom_villages_table,
    branch_tables,
    cumulative_figures,
    ranking_figures,
    trend_figures,
    visits_heatmap,
)
from helpers.report.views.overview import (
    attention_table,
    completion_figure,
    info_table,
    key_figure_table,
    other_indicator_table,
)
from helpers.report.views.petitions import petition_figure, petition_village_table
from helpers.report.views.poverty import poverty_table, poverty_village_table, unmet_standards_table
from helpers.report.views.projects import project_figure, project_table
from helpers.report.views.prose import focus, problems_and_plans, prose
from helpers.report.views.rectifications import open_rectifications_table, rectification_figure
from helpers.report.views.rule_checks import rule_breaches, rules_sentence, rules_table

__all__ = [
    "APPENDIX_KEY",
    "EVENT_TYPE_ORDER",
    "Appendix",
    "Context",
    "Empty",
    "attention_table",
    "bottom_villages_table",
    "branch_tables",
    "completion_figure",
    "context",
    "cumulative_figures",
    "empty",
    "event_table",
    "focus",
    "key_figure_table",
    "note",
    "open_rectifications_table",
    "other_indicator_table",
    "petition_figure",
    "petition_village_table",
    "poverty_table",
    "poverty_village_table",
    "problems_and_plans",
    "info_table",
    "project_figure",
    "project_table",
    "prose",
    "ranking_figures",
    "rectification_figure",
    "rule_breaches",
    "rules_sentence",
    "rules_table",
    "trend_figures",
    "unmet_standards_table",
    "visits_heatmap",
]
