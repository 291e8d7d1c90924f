"""The generated prose: the reference report's figures and claims, data-chosen sentences, escaping, templates."""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest
import sample_raw as raw
from builders import make_township

from helpers.analysis.events import count_events
from helpers.analysis.villages import village_indicator_ytd
from helpers.config import SETTINGS
from helpers.data.periods import as_month
from helpers.report.prose import narrative
from helpers.report.prose import templates as prose_templates
from helpers.report.prose.context import Highlights
from helpers.report.prose.facts import report_facts
from helpers.report.prose.narrative import narrative_html, problems_and_plans_html
from helpers.report.prose.templates import split_paragraphs
from helpers.report.wording import approx, count

REFERENCE_MONTH = "2018-08"
REFERENCE_PERIOD = as_month(REFERENCE_MONTH)

# The reference report's fixed wording (template text and the highlights.csv lines the prose quotes).
TEMPLATE_PHRASES = [
    # opening
    "今年以来，镇党委认真落实县委重大决策部署，进一步明确了“四个一”的工作思路",
    # 一、党建
    "一、夯实基础，突出党建第一保障", "上半年，我镇党建工作出现严重错误",
    "一是转观念，明职责，全面落实党建责任制", "修订完善了《党委运行规则》",
    "每季度“一部署、一督查、一总结、一通报”的工作落实和督查机制",
    "二是抓班子，带队伍，筑牢战斗堡垒", "《推行七个一线工作法实施方案》",
    "三是严党纪，树正气", "积极配合县委第二轮巡察",
    # 二、富民强镇
    "二、富民强镇，突出发展第一要务", "一是藤椒产业快速启动", "将藤椒作为全镇主导发展产业",
    "二是农业基础设施持续改善", "三是场镇商贸持续活跃",
    "四是项目工作扎实推进", "固定资产投资、民间投资、社会消费品零售总额均实现“双过半”",
    "与广东永成鞋业有限公司达成框架协议",
    # 三、改善民生
    "三、改善民生，突出乡村振兴第一目标", "对照户脱贫、村摘帽标准", "研究制定了我镇土坯房改建操作细则",
    "半月一通报的方式督促推进",
    # 四、安全稳定生态
    "四、守住底线，突出安全稳定生态第一责任", "一是守住安全底线", "截至8月底",
    "二是守住稳定底线", "开门接访、下村走访", "实现了辖区内上访人员“零到省”“零进京”",
    "三是守住生态底线", "并做到每日一清运", "污水处理厂项目已进入征地程序", "垃圾压缩中转站项目规划选址",
]

REFERENCE_HEADINGS = ["一、夯实基础，突出党建第一保障", "二、富民强镇，突出发展第一要务",
                      "三、改善民生，突出乡村振兴第一目标", "四、守住底线，突出安全稳定生态第一责任"]
"""The area headings of the reference report, which the bundled default profile reproduces."""



def n(value: float) -> str:
    """A figure as the prose writes it below 10,000: 31, 73.04, 54.7."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def wan(value: float) -> str:
    """Whole ten-thousands as 万: 20000 -> 2万."""
    assert value % 10000 == 0, value
    return f"{value / 10000:.0f}万"


def _profile() -> list[str]:
    p, villages = raw.info(), raw.rows("villages")
    return [f"{p['name']}地处{p['location']}", f"距县城{n(p['distance_to_county_km'])}公里",
            f"幅员面积{n(p['area_km2'])}平方公里", f"场镇面积{n(p['town_area_km2'])}平方公里",
            f"辖{len({v['branch'] for v in villages})}个党总支", f"{len(villages)}个村（社区）",
            f"总人口{n(p['population'])}人"]


def _party() -> list[str]:
    return [f"明确干部到村开展民情恳谈每月不少于{SETTINGS.min_visits_per_village}次",
            f"聘请{n(raw.stock_level('integrity_supervisors', M))}名廉政监督员",
            f"立案查处{raw.events(M, 'party', '立案')}名干部违纪违规问题",
            f"仍有{len(raw.visits_short(M, SETTINGS.min_visits_per_village))}村次未达到要求"]


def _economy() -> list[str]:
    p1, p2, p3 = (raw.project(i) for i in ("P01", "P02", "P03"))
    tracked = [p for p in raw.rows("projects") if p["category"] == "招商引资"]
    last = {r["project_id"]: r["stage"] for r in sorted(raw.rows("project_progress"), key=lambda r: r["month"])
            if r["month"] <= M}
    return [f"{n(raw.target('pepper_planting_mu'))}亩栽植计划",
            f"总投资{p1['investment_wan']}万的{p1['name']}即将完工",
            f"总投资{p2['investment_wan']}万的{p2['name']}正加紧推进",
            f"争取总投资{p3['investment_wan']}万的千亿斤{p3['name'].removeprefix('千亿斤')}，规划设计正紧锣密鼓进行",
            f"现有零售商家{n(raw.stock_level('retail_shops', M))}户、"
            f"服装加工企业{n(raw.stock_level('garment_firms', M))}家、餐饮企业{n(raw.stock_level('restaurants', M))}家",
            f"其中限上商贸企业{n(raw.stock_level('above_scale_firms', M))}户，年内力争培育"
            f"{n(raw.target('above_scale_firms') - raw.stock_level('above_scale_firms', M))}户",
            f"另有{sum(1 for p in tracked if last.get(p['project_id']) in ('谋划', '洽谈'))}个项目正加紧跟踪"]


def _livelihood() -> list[str]:
    h, villages = raw.households(M), raw.rows("villages")
    delisted = [int(v["delisted_year"]) for v in villages if v["poor_village"] == "是" and v["delisted_year"]]
    return [f"我镇有贫困村{sum(v['poor_village'] == '是' for v in villages)}个",
            f"建档立卡贫困户{h['households']}户{h['people']}人",
            f"已摘帽贫困村{sum(y < 2018 for y in delisted)}个",
            f"脱贫{h['exited_before']}户{h['exited_before_people']}人",
            f"今年须完成{sum(y == 2018 for y in delisted)}个贫困村摘帽、"
            f"{h['planned']}户{h['planned_people']}人脱贫的任务",
            f"组织开展{raw.events(M, 'livelihood', '检查', '全覆盖')}次全覆盖检查",
            f"全镇已拆除土坯房{n(raw.flow_ytd('adobe_demolished', M) // 10 * 10)}余户"]


def _safety() -> list[str]:
    def ev(type_, title=None):
        return raw.events(M, "safety", type_, title)

    open_ = {c: raw.rectifications(c, M) for c in ("汽修", "砖厂", "搅拌站")}
    rivers = [p["name"].removesuffix("河道集中整治") for p in raw.rows("projects") if p["category"] == "河道整治"]
    stations = {r["title"] for r in raw.rows("events") if r["type"] == "清运" and r["date"][:7] <= M}
    return [f"举办安全知识和法规宣传培训{ev('培训')}次", f"发放宣传资料{wan(ev('宣传'))}份",
            f"组织安全演练{ev('演练')}次、安全生产大检查{ev('检查', '大检查')}次、不定期抽查{ev('抽查')}次",
            f"组织召开党委会{ev('会议', '党委会')}次、专题会议{ev('会议', '专题会议')}次、"
            f"镇村干部大会{ev('会议', '镇村干部大会')}次",
            f"统筹资金{n(raw.flow_ytd('env_funds_wan', M))}万元",
            f"对{'、'.join(rivers)}集中整治{n(raw.flow_ytd('river_cleanup_km', M))}公里",
            f"对{raw.rectifications('养殖户', M)['closed']}家养殖户落实了整改措施、期限及责任人，已做到粪污零直排",
            f"关停拆除了{raw.rectifications('非定点屠宰场', M)['closed']}家非定点屠宰场",
            f"对{open_['汽修']['open']}家汽修、{open_['砖厂']['open']}个砖厂、{open_['搅拌站']['open']}个搅拌站落实了限期整改措施",
            f"对镇内{len(stations)}个垃圾中转站和垃圾房（池）垃圾进行了全面清除"]


M = REFERENCE_MONTH
DERIVED_PHRASES = {"opening": _profile, "party": _party, "economy": _economy, "livelihood": _livelihood,
                   "safety": _safety}
"""The reference report's figures, each worked out here from the sample's files (tests/sample_raw.py)."""


def prose(tw, month) -> str:
    return "\n".join(s.text for s in narrative.narrative(tw, as_month(month)))


@pytest.fixture(scope="module")
def august(sample):
    return prose(sample, REFERENCE_MONTH)


@pytest.fixture(scope="module")
def may(sample):
    return prose(sample, "2018-05")


@pytest.mark.parametrize("phrase", TEMPLATE_PHRASES)
def test_reference_report_wording(august, phrase):
    assert phrase in august


@pytest.mark.parametrize("section", list(DERIVED_PHRASES))
def test_reference_report_figures_follow_from_the_files(sample, section):
    facts = report_facts(sample, REFERENCE_PERIOD)
    found = narrative.opening_section(facts) if section == "opening" else narrative.area_section(facts, section)
    text = "".join(found.paragraphs)
    missing = [phrase for phrase in DERIVED_PHRASES[section]() if phrase not in text]
    assert missing == []


def test_areas_in_report_order_under_their_headings(sample):
    sections = narrative.narrative(sample, REFERENCE_PERIOD)
    assert [s.key for s in sections] == ["opening", "party", "economy", "livelihood", "safety"]
    assert [s.heading for s in sections[1:]] == REFERENCE_HEADINGS
    assert sections[0].heading == ""


def test_no_blanks_or_missing_values_in_the_prose(august, may):
    for text in (august, may):
        for bad in ("None", "nan", "—", "，，", "。。", "，。", "{{", "}}", "{%"):
            assert bad not in text


def test_numbers_follow_the_data_in_another_month(sample, august, may):
    adobe_may = village_indicator_ytd(sample, "adobe_demolished", as_month("2018-05"))["value"].sum()
    trainings_may = count_events(sample, as_month("2018-05"), "safety", "培训")
    leaflets_may = count_events(sample, as_month("2018-05"), "safety", "宣传")
    assert f"全镇已拆除土坯房{approx(adobe_may, '户')}" in may
    assert f"宣传培训{count(trainings_may, '次')}" in may
    assert f"发放宣传资料{count(leaflets_may, '份')}" in may
    assert "截至5月底" in may
    assert (adobe_may, trainings_may, leaflets_may) == (raw.flow_ytd("adobe_demolished", "2018-05"),
                                                         raw.events("2018-05", "safety", "培训"),
                                                         raw.events("2018-05", "safety", "宣传"))
    # and they differ from August's
    adobe_aug, trainings_aug = approx(raw.flow_ytd("adobe_demolished", REFERENCE_MONTH), "户"), raw.events(
        REFERENCE_MONTH, "safety", "培训")
    assert (approx(adobe_may, "户"), trainings_may) != (adobe_aug, trainings_aug)
    assert f"拆除土坯房{adobe_aug}" not in may and f"培训{trainings_aug}次" not in may
    assert f"拆除土坯房{approx(adobe_may, '户')}" not in august and f"培训{trainings_may}次" not in august


def test_sentences_are_chosen_by_the_data_in_another_month(may):
    # In May the 666万 project was 58% done: being pushed, not about to finish.
    assert "总投资666万的高龙村、拦江村、万福村移民后扶连片项目正加紧推进（形象进度58%）" in may
    assert "即将完工" not in may
    # 双过半 is judged at the end of June; the July framework agreement had not happened yet.
    assert "双过半" not in may and "框架协议" not in may
    assert "有1个项目正加紧跟踪" in may and "另有" not in may
    # Adobe demolition was behind time progress in May, ahead in August.
    done, gap = raw.completion_and_gap("adobe_demolished", "2018-05")
    assert gap < 0
    adobe = approx(raw.flow_ytd("adobe_demolished", "2018-05"), "户")
    assert f"全镇已拆除土坯房{adobe}，完成年度目标的{done:.1f}%，{raw.versus_time(gap)}" in may


@pytest.mark.parametrize(("indicator", "lead"), [
    ("party_members_developed", "发展党员{ytd}人"),
    ("collective_income", "村级集体经济收入累计{ytd}万元"),
    ("adobe_demolished", "全镇已拆除土坯房{approx}"),
])
def test_indicator_sentence_against_time_progress(august, indicator, lead):
    ytd = raw.flow_ytd(indicator, REFERENCE_MONTH)
    done, gap = raw.completion_and_gap(indicator, REFERENCE_MONTH)
    head = lead.format(ytd=n(round(ytd, 2)), approx=approx(ytd, "户"))
    assert f"{head}，完成年度目标的{done:.1f}%，{raw.versus_time(gap)}" in august


def test_sample_lagging_and_leading_indicators(august):
    assert raw.completion_and_gap("party_members_developed", REFERENCE_MONTH)[1] < 0  # 低于: behind
    assert raw.completion_and_gap("collective_income", REFERENCE_MONTH)[1] < 0
    assert raw.completion_and_gap("adobe_demolished", REFERENCE_MONTH)[1] > 0  # 高于: ahead


@pytest.mark.parametrize(("value", "expected"), [
    (10, "产值累计10万元，完成年度目标的8.3%，低于序时进度41.7个百分点"),
    (70, "产值累计70万元，完成年度目标的58.3%，高于序时进度8.3个百分点"),
    (150, "产值累计150万元，已完成年度目标120万元，超额完成，完成率125.0%"),
])
def test_small_township_indicator_against_time_progress(value, expected):
    tw = make_township(monthly=[("2018-06", None, "output", value)], targets=[(2018, "output", 120)])
    economy = narrative_html(tw, as_month("2018-06"), "economy")
    assert expected in economy


def test_rule_kept_or_breached_changes_the_sentence():
    kept = make_township(monthly=[("2018-05", None, "output", 1)],
                         petitions=[("X1", "2018-03", "甲村", "县", "已化解", "土地")])
    breached = make_township(monthly=[("2018-05", None, "output", 1)],
                             petitions=[("X1", "2018-03", "甲村", "省", "化解中", "土地")])
    assert "实现了辖区内上访人员“零到省”“零进京”" in narrative_html(kept, as_month("2018-05"), "safety")
    text = narrative_html(breached, as_month("2018-05"), "safety")
    assert "零到省”“零进京”" in text and "实现了" not in text
    assert "仍发生到省上访1件，未实现“零到省”“零进京”" in text


def test_item_ordinals_skip_items_without_facts():
    # Only petitions: the safety area's 稳定 item becomes 一是 (it is 二是 in the sample).
    tw = make_township(monthly=[("2018-05", None, "output", 1)],
                       petitions=[("X1", "2018-03", "甲村", "县", "已化解", "土地")])
    facts = report_facts(tw, as_month("2018-05"))
    safety = narrative.area_section(facts, "safety")
    assert safety.paragraphs[0].startswith("一是守住稳定底线。")
    assert "二是" not in "".join(safety.paragraphs)


def test_township_with_empty_tables_leaves_sentences_out():
    tw = make_township(monthly=[("2018-03", None, "output", 10)])
    sections = narrative.narrative(tw, as_month("2018-03"))
    text = "\n".join(s.text for s in sections)
    assert sections[0].paragraphs == ("测试镇距县城10公里，幅员面积50平方公里，场镇面积1平方公里。"
                                      "辖2个党总支，3个村（社区），总人口6000人。",)
    by_key = {s.key: s for s in sections}
    # No projects, no targets, no highlights: only the month's amount (no earlier month, no last year to compare).
    assert by_key["economy"].paragraphs == ("本月（3月），产值10万元。",)
    assert by_key["safety"].paragraphs == ()  # no events, no petition records: no 零到省 claim
    assert by_key["party"].paragraphs == ()  # no party events: no claim of a quarterly mechanism
    for bad in ("总投资", "零到省", "None", "nan", "—", "，，", "。。", "，。"):
        assert bad not in text


def test_township_without_any_data_gives_no_prose():
    tw = make_township(villages=[], indicators=[], info={"name": "空镇"})
    sections = narrative.narrative(tw, as_month("2018-03"))
    assert all(s.paragraphs == () for s in sections)


def with_highlight(tw, month: str, area: str, text: str):
    """A copy of ``tw`` with one more highlight (typed like the loader's), leaving ``tw`` untouched."""
    extra = make_township(highlights=[(month, area, text)]).highlights
    return dataclasses.replace(tw, highlights=pd.concat([tw.highlights, extra], ignore_index=True))


def test_highlight_html_is_escaped(sample):
    tw = with_highlight(sample, REFERENCE_MONTH, "economy", "<script>alert(1)</script>与某公司签订投资协议")
    html = narrative_html(tw, REFERENCE_PERIOD, "economy")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;与某公司签订投资协议" in html
    facts = report_facts(tw, REFERENCE_PERIOD)
    assert html.count("<p>") == len(narrative.area_section(facts, "economy").paragraphs)


def test_narrative_html_of_overview_and_whole_report(sample):
    overview = narrative_html(sample, REFERENCE_PERIOD, "overview")
    assert "距县城31公里" in overview and "<h3>" not in overview
    whole = narrative_html(sample, REFERENCE_PERIOD)
    assert whole.count("<h3>") == 4 and "一、夯实基础，突出党建第一保障" in whole


def test_problems_and_plans_of_an_area(sample):
    html = problems_and_plans_html(sample, REFERENCE_PERIOD, "party")
    assert "<h3>存在问题</h3>" in html and "<h3>下步打算</h3>" in html
    done, gap = raw.completion_and_gap("party_members_developed", REFERENCE_MONTH)
    assert f"一是发展党员进度滞后，完成{done:.1f}%，{raw.versus_time(gap)}" in html
    target = raw.target("party_members_developed")
    remaining = target - raw.flow_ytd("party_members_developed", REFERENCE_MONTH)
    pace = raw.monthly_pace(remaining, 12 - 8, whole=True)  # people: a fraction of one is one more
    assert f"发展党员距年度目标{n(target)}人还差{n(remaining)}人，今后4个月每月需完成{n(pace)}人" in html
    assert f"督促{raw.rectifications('巡察反馈问题', REFERENCE_MONTH)['open']}个巡察反馈问题按期完成整改" in html


def test_problems_and_plans_of_the_whole_report(sample):
    html = problems_and_plans_html(sample, REFERENCE_PERIOD)
    for name in ("党建", "富民强镇", "改善民生", "安全稳定生态"):
        assert f"{name}方面：" in html
    assert "万福村村道硬化工程逾期未完成" in html
    garages = raw.rectifications("汽修", REFERENCE_MONTH)
    assert garages["overdue"] > 0
    assert f"督促{garages['overdue']}家逾期未完成整改的汽修限期整改到位" in html
    bricks, mixers = raw.rectifications("砖厂", REFERENCE_MONTH), raw.rectifications("搅拌站", REFERENCE_MONTH)
    # the open orders of every category are one measure, each with its count
    assert (f"督促{garages['open'] - garages['overdue']}家汽修、{bricks['open'] - bricks['overdue']}个砖厂、"
            f"{mixers['open'] - mixers['overdue']}个搅拌站按期完成整改") in html
    h = raw.households(REFERENCE_MONTH)
    delisting = sum(v["delisted_year"] == "2018" for v in raw.rows("villages") if v["poor_village"] == "是")
    assert f"确保{h['still']}户{h['still_people']}人如期脱贫、{delisting}个贫困村摘帽" in html


def test_problems_say_so_when_there_are_none():
    tw = make_township(monthly=[("2018-03", None, "output", 10)], targets=[(2018, "output", 20)])
    html = problems_and_plans_html(tw, as_month("2018-03"), "economy")
    assert "截至3月底，本领域未发现指标滞后、事项逾期、项目停滞或制度未落实的问题。" in html


def test_editing_a_template_changes_the_next_render(tmp_path, monkeypatch):
    prose_dir = tmp_path / "prose"
    shutil.copytree(prose_templates.PROSE_DIR, prose_dir)
    monkeypatch.setattr(prose_templates, "PROSE_DIR", prose_dir)
    tw = make_township(monthly=[("2018-03", None, "output", 10)])
    before_hash = prose_templates.templates_fingerprint()
    assert "（本段为测试）" not in narrative_html(tw, as_month("2018-03"), "overview")
    opening = prose_dir / "opening.j2"
    opening.write_text(opening.read_text(encoding="utf-8") + "\n（本段为测试）\n", encoding="utf-8")
    assert "（本段为测试）" in narrative_html(tw, as_month("2018-03"), "overview")
    assert prose_templates.templates_fingerprint() != before_hash


def test_templates_produce_plain_text_not_escaped_html():
    tw = make_township(highlights=[("2018-03", "overview", "A&B “四个一”")], monthly=[("2018-03", None, "output", 1)])
    opening = narrative.opening_section(report_facts(tw, as_month("2018-03")))
    assert "A&B “四个一”" in opening.paragraphs[-1]


def test_blank_template_lines_separate_paragraphs_and_other_breaks_do_not():
    rendered = f"一是甲\n乙。\n\n\n{prose_templates.PARAGRAPH}\n  \n二是丙，。\n{prose_templates.PARAGRAPH}\n\n"
    assert split_paragraphs(rendered) == ("一是甲乙。", "二是丙。")


def test_highlights_go_to_the_first_slot_whose_keyword_they_hold():
    hl = Highlights(["藤椒产业起步", "签订框架协议", "其他工作"])
    placed = hl.assign(lead=[], pepper=["藤椒"], invest=["协议", "藤椒"])
    assert placed == {"lead": ["其他工作"], "pepper": ["藤椒产业起步"], "invest": ["签订框架协议"]}
    assert hl.assign(a=["x"], b=["y"]) == {"a": [], "b": ["藤椒产业起步", "签订框架协议", "其他工作"]}


def test_unknown_area_is_an_error(sample):
    with pytest.raises(ValueError, match="未知工作领域"):
        problems_and_plans_html(sample, REFERENCE_PERIOD, "culture")
