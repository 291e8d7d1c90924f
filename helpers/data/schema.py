"""The data contract: every table, its columns, Chinese headers, types, allowed values and keys.

This is the single source for the loader, the validation, the Excel template and
``data/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STAGES = ("谋划", "洽谈", "签约", "规划设计", "征地", "在建", "完工")
PETITION_LEVELS = ("镇", "乡", "街道", "县", "区", "市", "省", "京")
REFERENCE_PETITION_LEVELS = ("镇", "县", "市", "省", "京")
"""The levels every petition view shows; others (乡, 街道, 区) only where the data has them."""
PETITION_STATUSES = ("已化解", "化解中")
EVENT_TYPES = ("会议", "培训", "演练", "检查", "抽查", "部署", "督查", "总结", "通报", "立案", "宣传", "清运", "其他")
VILLAGE_KINDS = ("村", "社区")
YES_NO = ("是", "否")


@dataclass(frozen=True)
class Col:
    """One column: ``kind`` is text, int, number, month, date, bool, choice or a reference."""

    id: str
    zh: str
    kind: str = "text"
    required: bool = True
    allowed: tuple[str, ...] = ()
    nonneg: bool = False
    note: str = ""
    example: str = ""
    optional_column: bool = False
    """The column itself may be left out of the file (added to the contract later; an absent column is empty)."""
    max_chars: int = 0
    """A short one-line name (e.g. a 责任单位): at most this many characters, no line break, not a bare number."""


@dataclass(frozen=True)
class Table:
    """One CSV file (or one sheet of the workbook)."""

    name: str
    zh: str
    row_is: str
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ()
    columns_required: tuple[str, ...] = field(default=())

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def col(self, col_id: str) -> Col:
        return next(c for c in self.columns if c.id == col_id)


OWNER_CHARS = 40
"""The longest 责任单位/责任人 a row may name (a longer cell is a pasting accident, not a unit)."""


def owner_col(example: str) -> Col:
    """The optional 责任单位 (or 责任人) column of indicators, projects and rectifications."""
    return Col("owner", "责任单位", required=False, note="责任单位或责任人，可空；可整列不填", example=example,
               optional_column=True, max_chars=OWNER_CHARS)


# Reference kinds resolved by the validation against other tables.
REF_VILLAGE = "ref_village"
REF_VILLAGES = "ref_villages"  # several villages separated by 、
REF_INDICATOR = "ref_indicator"
REF_AREA = "ref_area"
REF_HIGHLIGHT_AREA = "ref_highlight_area"
REF_PROJECT = "ref_project"

TABLES: tuple[Table, ...] = (
    Table("villages", "村（社区）", "一个村或社区", (
        Col("village", "村（社区）", note="名称，全镇唯一", example="高龙村"),
        Col("branch", "党总支", example="第一党总支"),
        Col("kind", "类型", "choice", allowed=VILLAGE_KINDS, example="村"),
        Col("population", "人口", "int", nonneg=True, example="1520"),
        Col("poor_village", "贫困村", "bool", required=False, allowed=YES_NO, note="空 = 否", example="是"),
        Col("delisted_year", "摘帽年份", "int", required=False, nonneg=True,
            note="贫困村摘帽（或计划摘帽）年度，空 = 未定", example="2018"),
    ), key=("village",)),
    Table("indicators", "指标", "一个数值指标", (
        Col("indicator", "指标代码", note="英文代码，全表唯一", example="pepper_planting_mu"),
        Col("area", "工作领域", REF_AREA,
            note="report.yaml 中领域的 id 或简称（缺省为 party / economy / livelihood / safety）", example="economy"),
        Col("name", "指标名称", example="藤椒栽植面积"),
        Col("unit", "单位", example="亩"),
        Col("kind", "类型", "choice", allowed=("flow", "stock", "rate"),
            note="flow = 当月发生量；stock = 月末存量；rate = 百分比或比率（如办结率），直接与目标比较",
            example="flow"),
        Col("better", "方向", "choice", allowed=("higher", "lower"),
            note="higher = 越大越好；lower = 越小越好（目标为上限）", example="higher"),
        owner_col("镇农业服务中心"),
    ), key=("indicator",)),
    Table("targets", "年度目标", "一个指标的年度目标", (
        Col("year", "年度", "int", nonneg=True, example="2018"),
        Col("indicator", "指标代码", REF_INDICATOR, example="pepper_planting_mu"),
        Col("target", "年度目标", "number", nonneg=True,
            note="flow：全年合计；stock：年末应达到的水平", example="3300"),
    ), key=("year", "indicator")),
    Table("monthly", "月度数据", "一个指标一个月的数值", (
        Col("month", "月份", "month", example="2018-08"),
        Col("village", "村（社区）", REF_VILLAGE, required=False, note="空 = 全镇", example="高龙村"),
        Col("indicator", "指标代码", REF_INDICATOR, example="pepper_planting_mu"),
        Col("value", "数值", "number", nonneg=True, example="120"),
    ), key=("month", "village", "indicator")),
    Table("projects", "项目", "一个项目（基础设施、招商引资、环保等）", (
        Col("project_id", "项目编号", example="P01"),
        Col("name", "项目名称", example="高龙村、拦江村、万福村移民后扶连片项目"),
        Col("area", "工作领域", REF_AREA, example="economy"),
        Col("category", "类别", note="自由文本", example="农业基础设施"),
        Col("villages", "涉及村", REF_VILLAGES, required=False, note="多个村用“、”分隔", example="高龙村、拦江村"),
        Col("investment_wan", "总投资（万元）", "number", required=False, nonneg=True, example="666"),
        Col("start", "开工月份", "month", required=False, example="2018-01"),
        Col("due", "计划完成月份", "month", required=False, example="2018-09"),
        owner_col("镇农业服务中心"),
    ), key=("project_id",)),
    Table("project_progress", "项目进度", "一个项目在月末的状态", (
        Col("month", "月份", "month", example="2018-08"),
        Col("project_id", "项目编号", REF_PROJECT, example="P01"),
        Col("stage", "阶段", "choice", allowed=STAGES, note="report.yaml 的 choices.project_stages 可增加阶段",
            example="在建"),
        Col("progress_pct", "进度（%）", "number", nonneg=True, note="0–100", example="92"),
        Col("spent_wan", "已完成投资（万元）", "number", required=False, nonneg=True, example="610"),
    ), key=("month", "project_id")),
    Table("households", "建档立卡户", "一户建档立卡贫困户（只有编号，不含姓名）", (
        Col("household_id", "户编号", example="H0001"),
        Col("village", "村（社区）", REF_VILLAGE, example="高龙村"),
        Col("members", "人口数", "int", nonneg=True, note="至少 1 人", example="3"),
        Col("planned_exit_year", "计划脱贫年度", "int", nonneg=True, example="2018"),
        Col("exited", "脱贫月份", "month", required=False, note="空 = 尚未脱贫", example="2016-12"),
        Col("income_per_capita", "人均纯收入（元）", "number", nonneg=True, example="4200"),
        Col("housing_safe", "住房安全", "bool", allowed=YES_NO, example="是"),
        Col("water_safe", "饮水安全", "bool", allowed=YES_NO, example="是"),
        Col("medical_insured", "医疗保障", "bool", allowed=YES_NO, example="是"),
        Col("schooling_ok", "义务教育保障", "bool", allowed=YES_NO, example="是"),
    ), key=("household_id",)),
    Table("petitions", "信访", "一件信访案件", (
        Col("case_id", "案件编号", example="X001"),
        Col("month", "月份", "month", example="2018-05"),
        Col("village", "村（社区）", REF_VILLAGE, required=False, note="空 = 涉及全镇（乡、街道）", example="拦江村"),
        Col("level", "最高层级", "choice", allowed=PETITION_LEVELS, example="县"),
        Col("status", "状态", "choice", allowed=PETITION_STATUSES, example="已化解"),
        Col("topic", "事由", note="自由文本", example="征地补偿"),
    ), key=("case_id",)),
    Table("rectifications", "整改", "一项整改任务", (
        Col("item_id", "整改编号", example="R001"),
        Col("area", "工作领域", REF_AREA, example="safety"),
        Col("category", "类别", note="自由文本", example="养殖户"),
        Col("name", "对象", example="高龙村2号养殖场"),
        Col("village", "村（社区）", REF_VILLAGE, required=False, note="空 = 涉及全镇（乡、街道）", example="高龙村"),
        Col("issued", "下达月份", "month", example="2018-03"),
        Col("due", "整改期限", "month", example="2018-06"),
        Col("closed", "完成月份", "month", required=False, note="空 = 未完成", example="2018-05"),
        Col("result", "结果", required=False, note="自由文本", example="粪污零直排"),
        owner_col("镇环保办"),
    ), key=("item_id",)),
    Table("events", "工作事项", "一次会议、培训、检查、演练、通报、立案、宣传、清运等", (
        Col("date", "日期", "date", example="2018-03-15"),
        Col("area", "工作领域", REF_AREA, example="safety"),
        Col("type", "类型", "choice", allowed=EVENT_TYPES, note="report.yaml 的 choices.event_types 可增加类型",
            example="培训"),
        Col("title", "标题", example="安全生产法规宣传培训"),
        Col("quantity", "数量", "int", required=False, nonneg=True,
            note="空 = 1；宣传 填资料份数、立案 填人数，其他类型填次数"
                 "（报告写“发放宣传资料3000份”“立案查处1人”“召开会议2次”）",
            example="1"),
    )),
    Table("highlights", "工作亮点", "一句照录进报告的定性表述", (
        Col("month", "月份", "month", example="2018-08"),
        Col("area", "工作领域", REF_HIGHLIGHT_AREA, note="另可填 overview（总体）", example="economy"),
        Col("text", "内容", example="与广东永成鞋业有限公司达成框架协议"),
    )),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

INFO_FILE = "township.yaml"
"""The township's own facts (name, county, population …): the fields below."""

INFO_FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    ("name", "镇名（乡名、街道名）", "text", True),
    ("county", "所属县", "text", True),
    ("location", "地理位置（如“XX中段”）", "text", False),
    ("distance_to_county_km", "距县城（公里）", "number", False),
    ("area_km2", "幅员面积（平方公里）", "number", True),
    ("town_area_km2", "场镇面积（平方公里）", "number", False),
    ("population", "总人口", "int", True),
    ("poverty_line_yuan", "各年度脱贫收入标准（元/人），如 {2018: 3600}", "mapping", False),
    ("issuer", "发文机关（Word 落款），report.yaml 中写了则以其为准；"
     "缺省为“中共”+镇名+“委员会”（街道为“工作委员会”）", "text", False),
    ("addressee", "主送机关（Word 主送），report.yaml 中写了则以其为准；都不填则不写主送", "text", False),
    ("kind", "类型：镇 / 乡 / 街道，不填则按名称的最后一个字推断", "text", False),
)
"""township.yaml fields: id, Chinese description, kind, required."""
