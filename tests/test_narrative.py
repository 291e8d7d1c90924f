"""The generated prose: the reference report's figures and claims, data-chosen sentences, escaping, templates."""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest
from builders import make_township

from helpers.analysis.events import count_events
from helpers.analysis.villages import village_indicator_ytd
from helpers.config import AREA_HEADINGS, AREAS
from helpers.report import narrative
from helpers.report.narrative import (
    Highlights,
    narrative_html,
    problems_and_plans_html,
    report_facts,
    split_paragraphs,
)
from helpers.report.wording import approx, count

REFERENCE_MONTH = "2018-08"

# Every figure and claim of the reference report, as the generated prose should read it.
REFERENCE_PHRASES = [
    # opening
    "XX镇地处XX中段", "距县城31公里", "幅员面积73.04平方公里", "场镇面积1.8平方公里", "辖4个党总支",
    "32个村（社区）", "总人口44680人", "今年以来，镇党委认真落实县委重大决策部署，进一步明确了“四个一”的工作思路",
    # 一、党建
    "一、夯实基础，突出党建第一保障", "上半年，我镇党建工作出现严重错误",
    "一是转观念，明职责，全面落实党建责任制", "修订完善了《党委运行规则》",
    "每季度“一部署、一督查、一总结、一通报”的工作落实和督查机制",
    "二是抓班子，带队伍，筑牢战斗堡垒", "《推行七个一线工作法实施方案》",
    "明确干部到村开展民情恳谈每月不少于8次",
    "三是严党纪，树正气", "积极配合县委第二轮巡察", "聘请31名廉政监督员", "立案查处5名干部违纪违规问题",
    # 二、富民强镇
    "二、富民强镇，突出发展第一要务", "一是藤椒产业快速启动", "将藤椒作为全镇主导发展产业", "3300亩栽植计划",
    "二是农业基础设施持续改善", "总投资666万的高龙村、拦江村、万福村移民后扶连片项目即将完工",
    "总投资570万的碧波村、山花村移民后扶连片项目正加紧推进",
    "争取总投资2250万的千亿斤高标准农田建设项目，规划设计正紧锣密鼓进行",
    "三是场镇商贸持续活跃", "现有零售商家123户、服装加工企业5家、餐饮企业54家",
    "其中限上商贸企业5户，年内力争培育2户",
    "四是项目工作扎实推进", "固定资产投资、民间投资、社会消费品零售总额均实现“双过半”",
    "与广东永成鞋业有限公司达成框架协议", "另有1个项目正加紧跟踪",
    # 三、改善民生
    "三、改善民生，突出乡村振兴第一目标", "我镇有贫困村8个", "建档立卡贫困户1234户3635人",
    "已摘帽贫困村1个", "脱贫654户2115人", "今年须完成1个贫困村摘帽、109户288人脱贫的任务",
    "对照户脱贫、村摘帽标准", "组织开展5次全覆盖检查", "研究制定了我镇土坯房改建操作细则",
    "半月一通报的方式督促推进", "全镇已拆除土坯房570余户",
    # 四、安全稳定生态
    "四、守住底线，突出安全稳定生态第一责任", "一是守住安全底线", "截至8月底",
    "举办安全知识和法规宣传培训6次", "发放宣传资料2万份", "组织安全演练2次、安全生产大检查7次、不定期抽查20次",
    "二是守住稳定底线", "开门接访、下村走访", "实现了辖区内上访人员“零到省”“零进京”",
    "三是守住生态底线", "组织召开党委会5次、专题会议10次、镇村干部大会4次", "统筹资金140万元",
    "对茂隆河、郪江河集中整治54.7公里", "对50家养殖户落实了整改措施、期限及责任人，已做到粪污零直排",
    "关停拆除了1家非定点屠宰场", "对7家汽修、2个砖厂、1个搅拌站落实了限期整改措施",
    "对镇内4个垃圾中转站和垃圾房（池）垃圾进行了全面清除，并做到每日一清运",
    "污水处理厂项目已进入征地程序", "垃圾压缩中转站项目规划选址",
]


def prose(tw, month) -> str:
    return "\n".join(s.text for s in narrative.narrative(tw, month))


@pytest.fixture(scope="module")
def august(sample):
    return prose(sample, REFERENCE_MONTH)


@pytest.fixture(scope="module")
def may(sample):
    return prose(sample, "2018-05")


@pytest.mark.parametrize("phrase", REFERENCE_PHRASES)
def test_reference_report_figures_and_claims(august, phrase):
    assert phrase in august


def test_areas_in_report_order_under_their_headings(sample):
    sections = narrative.narrative(sample, REFERENCE_MONTH)
    assert [s.key for s in sections] == ["opening", *AREAS]
    assert [s.heading for s in sections[1:]] == [f"{n}、{AREA_HEADINGS[a]}" for n, a in zip("一二三四", AREAS,
                                                                                             strict=True)]
    assert sections[0].heading == ""


def test_no_blanks_or_missing_values_in_the_prose(august, may):
    for text in (august, may):
        for bad in ("None", "nan", "—", "，，", "。。", "，。", "{{", "}}", "{%"):
            assert bad not in text


def test_numbers_follow_the_data_in_another_month(sample, august, may):
    adobe_may = village_indicator_ytd(sample, "adobe_demolished", "2018-05")["value"].sum()
    trainings_may = count_events(sample, "2018-05", "safety", "培训")
    leaflets_may = count_events(sample, "2018-05", "safety", "宣传")
    assert f"全镇已拆除土坯房{approx(adobe_may, '户')}" in may
    assert f"宣传培训{count(trainings_may, '次')}" in may
    assert f"发放宣传资料{count(leaflets_may, '份')}" in may
    assert "截至5月底" in may
    # and they differ from August's
    assert (approx(adobe_may, "户"), trainings_may) == ("300余户", 4)
    assert "570余户" not in may and "培训6次" not in may
    assert "300余户" not in august and "培训4次" not in august


def test_sentences_are_chosen_by_the_data_in_another_month(may):
    # In May the 666万 project was 58% done: being pushed, not about to finish.
    assert "总投资666万的高龙村、拦江村、万福村移民后扶连片项目正加紧推进（形象进度58%）" in may
    assert "即将完工" not in may
    # 双过半 is judged at the end of June; the July framework agreement had not happened yet.
    assert "双过半" not in may and "框架协议" not in may
    assert "有1个项目正加紧跟踪" in may and "另有" not in may
    # Adobe demolition was behind time progress in May, ahead in August.
    assert "全镇已拆除土坯房300余户，完成年度目标的38.6%，低于序时进度3.0个百分点" in may


def test_lagging_indicator_says_it_is_behind(august):
    assert "发展党员10人，完成年度目标的41.7%，低于序时进度25.0个百分点" in august
    assert "村级集体经济收入累计176万元，完成年度目标的55.0%，低于序时进度11.7个百分点" in august
    assert "全镇已拆除土坯房570余户，完成年度目标的71.6%，高于序时进度5.0个百分点" in august


@pytest.mark.parametrize(("value", "expected"), [
    (10, "产值累计10万元，完成年度目标的8.3%，低于序时进度41.7个百分点"),
    (70, "产值累计70万元，完成年度目标的58.3%，高于序时进度8.3个百分点"),
    (150, "产值累计150万元，已完成年度目标120万元，超额完成，完成率125.0%"),
])
def test_small_township_indicator_against_time_progress(value, expected):
    tw = make_township(monthly=[("2018-06", None, "output", value)], targets=[(2018, "output", 120)])
    economy = narrative_html(tw, "2018-06", "economy")
    assert expected in economy


def test_rule_kept_or_breached_changes_the_sentence():
    kept = make_township(monthly=[("2018-05", None, "output", 1)],
                         petitions=[("X1", "2018-03", "甲村", "县", "已化解", "土地")])
    breached = make_township(monthly=[("2018-05", None, "output", 1)],
                             petitions=[("X1", "2018-03", "甲村", "省", "化解中", "土地")])
    assert "实现了辖区内上访人员“零到省”“零进京”" in narrative_html(kept, "2018-05", "safety")
    text = narrative_html(breached, "2018-05", "safety")
    assert "零到省”“零进京”" in text and "实现了" not in text
    assert "仍发生到省上访1件，未实现“零到省”“零进京”" in text


def test_item_ordinals_skip_items_without_facts():
    # Only petitions: the safety area's 稳定 item becomes 一是 (it is 二是 in the sample).
    tw = make_township(monthly=[("2018-05", None, "output", 1)],
                       petitions=[("X1", "2018-03", "甲村", "县", "已化解", "土地")])
    facts = report_facts(tw, "2018-05")
    safety = narrative.area_section(facts, "safety")
    assert safety.paragraphs[0].startswith("一是守住稳定底线。")
    assert "二是" not in "".join(safety.paragraphs)


def test_township_with_empty_tables_leaves_sentences_out():
    tw = make_township(monthly=[("2018-03", None, "output", 10)])
    sections = narrative.narrative(tw, "2018-03")
    text = "\n".join(s.text for s in sections)
    assert sections[0].paragraphs == ("测试镇距县城10公里，幅员面积50平方公里，场镇面积1平方公里。"
                                      "辖2个党总支，3个村（社区），总人口6000人。",)
    by_key = {s.key: s for s in sections}
    assert by_key["economy"].paragraphs == ()  # no projects, no targets, no highlights: nothing to say
    assert by_key["safety"].paragraphs == ()  # no events, no petition records: no 零到省 claim
    assert by_key["party"].paragraphs == ()  # no party events: no claim of a quarterly mechanism
    for bad in ("总投资", "零到省", "None", "nan", "—", "，，", "。。", "，。"):
        assert bad not in text


def test_township_without_any_data_gives_no_prose():
    tw = make_township(villages=[], indicators=[], profile={"name": "空镇"})
    sections = narrative.narrative(tw, "2018-03")
    assert all(s.paragraphs == () for s in sections)


def with_highlight(tw, month: str, area: str, text: str):
    """A copy of ``tw`` with one more highlight (typed like the loader's), leaving ``tw`` untouched."""
    extra = make_township(highlights=[(month, area, text)]).highlights
    return dataclasses.replace(tw, highlights=pd.concat([tw.highlights, extra], ignore_index=True))


def test_highlight_html_is_escaped(sample):
    tw = with_highlight(sample, REFERENCE_MONTH, "economy", "<script>alert(1)</script>与某公司签订投资协议")
    html = narrative_html(tw, REFERENCE_MONTH, "economy")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;与某公司签订投资协议" in html
    assert html.count("<p>") == len(narrative.area_section(report_facts(tw, REFERENCE_MONTH), "economy").paragraphs)


def test_narrative_html_of_overview_and_whole_report(sample):
    overview = narrative_html(sample, REFERENCE_MONTH, "overview")
    assert "距县城31公里" in overview and "<h3>" not in overview
    whole = narrative_html(sample, REFERENCE_MONTH)
    assert whole.count("<h3>") == 4 and "一、夯实基础，突出党建第一保障" in whole


def test_problems_and_plans_of_an_area(sample):
    html = problems_and_plans_html(sample, REFERENCE_MONTH, "party")
    assert "<h3>存在问题</h3>" in html and "<h3>下步打算</h3>" in html
    assert "一是发展党员进度滞后，完成41.7%，低于序时进度25.0个百分点" in html
    assert "发展党员距年度目标24人还差14人，今后4个月每月需完成4人" in html
    assert "督促2个巡察反馈问题按期完成整改" in html


def test_problems_and_plans_of_the_whole_report(sample):
    html = problems_and_plans_html(sample, REFERENCE_MONTH)
    for name in AREAS.values():
        assert f"{name}方面：" in html
    assert "万福村村道硬化工程逾期未完成" in html
    assert "督促1家逾期未完成整改的汽修限期整改到位" in html
    assert "确保109户288人如期脱贫、1个贫困村摘帽" in html


def test_problems_say_so_when_there_are_none():
    tw = make_township(monthly=[("2018-03", None, "output", 10)], targets=[(2018, "output", 20)])
    html = problems_and_plans_html(tw, "2018-03", "economy")
    assert "截至3月底，本领域未发现指标滞后、事项逾期、项目停滞或制度未落实的问题。" in html


def test_editing_a_template_changes_the_next_render(tmp_path, monkeypatch):
    prose_dir = tmp_path / "prose"
    shutil.copytree(narrative.PROSE_DIR, prose_dir)
    monkeypatch.setattr(narrative, "PROSE_DIR", prose_dir)
    tw = make_township(monthly=[("2018-03", None, "output", 10)])
    before_hash = narrative.templates_fingerprint()
    assert "（本段为测试）" not in narrative_html(tw, "2018-03", "overview")
    opening = prose_dir / "opening.j2"
    opening.write_text(opening.read_text(encoding="utf-8") + "\n（本段为测试）\n", encoding="utf-8")
    assert "（本段为测试）" in narrative_html(tw, "2018-03", "overview")
    assert narrative.templates_fingerprint() != before_hash


def test_templates_produce_plain_text_not_escaped_html():
    tw = make_township(highlights=[("2018-03", "overview", "A&B “四个一”")], monthly=[("2018-03", None, "output", 1)])
    opening = narrative.opening_section(report_facts(tw, "2018-03"))
    assert "A&B “四个一”" in opening.paragraphs[-1]


def test_blank_template_lines_separate_paragraphs_and_other_breaks_do_not():
    rendered = f"一是甲\n乙。\n\n\n{narrative.PARAGRAPH}\n  \n二是丙，。\n{narrative.PARAGRAPH}\n\n"
    assert split_paragraphs(rendered) == ("一是甲乙。", "二是丙。")


def test_highlights_go_to_the_first_slot_whose_keyword_they_hold():
    hl = Highlights(["藤椒产业起步", "签订框架协议", "其他工作"])
    placed = hl.assign(lead=[], pepper=["藤椒"], invest=["协议", "藤椒"])
    assert placed == {"lead": ["其他工作"], "pepper": ["藤椒产业起步"], "invest": ["签订框架协议"]}
    assert hl.assign(a=["x"], b=["y"]) == {"a": [], "b": ["藤椒产业起步", "签订框架协议", "其他工作"]}


def test_unknown_area_is_an_error(sample):
    with pytest.raises(ValueError, match="未知工作领域"):
        problems_and_plans_html(sample, REFERENCE_MONTH, "culture")
