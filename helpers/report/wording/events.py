"""Events in words: 召开会议2次, 发放宣传资料3000份, 开展培训1次、检查1次."""

from __future__ import annotations

from helpers.report.wording.numbers import count

EVENT_UNITS = {"宣传": "份", "立案": "人"}
"""What an event's quantity counts, where it is not 次 (leaflets handed out, cadres whose cases were filed)."""
EVENT_VERBS = {"会议": "召开会议", "宣传": "发放宣传资料", "立案": "立案查处", "清运": "清运垃圾", "演练": "组织演练",
               "通报": "印发通报"}
"""How a report says that events of a type were held; any other type (a township's own) is 开展 + type."""


def event_unit(event_type: object) -> str:
    """What an event's quantity counts: 次 unless :data:`EVENT_UNITS` says otherwise."""
    return EVENT_UNITS.get(str(event_type), "次")


def event_phrase(event_type: str, quantity: int, unit: str = "次") -> str:
    """"召开会议2次", "发放宣传资料3000份", "开展检查1次": events of one type with their verb."""
    return EVENT_VERBS.get(event_type, f"开展{event_type}") + count(quantity, unit)


def event_phrases(events) -> str:
    """(type, quantity, unit) rows joined with 、; a run of 开展 types says 开展 once: "开展培训1次、检查1次"."""
    out, previous_default = [], False
    for event_type, quantity, unit in events:
        default = event_type not in EVENT_VERBS
        phrase = event_phrase(event_type, quantity, unit)
        out.append(phrase[2:] if default and previous_default else phrase)
        previous_default = default
    return "、".join(out)

