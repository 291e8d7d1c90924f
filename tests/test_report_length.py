"""The sample's August report is about as long as the hand-written one, and nothing it must say is lost.

Through the real render of the sample month (the session's shared good render): the areas' generated prose
(工作进展, 存在问题, 下步打算) at most 2.2 times the reference report's Chinese characters (counted here from the
reference file), at most 16 charts in the body, long lists in the collapsed 附表 at the end, every figure
tests/test_sample_reference.py checks still in the body, and no sentence formula repeated more than three times
in one area.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
import sample_raw as raw
from conftest_proof import SAMPLE_MONTH, good_render, skip_or_fail
from report_text import visible_lines

from helpers.config import ROOT
from helpers.report.wording import approx, count, money_from_wan

pytestmark = pytest.mark.e2e

REFERENCE = ROOT.parent / "shared" / "reference" / "000_e01ac459bc9313ae.txt"
PROSE_LIMIT = 2.2
"""The areas' prose at most this many times the reference report's length."""
CHART_LIMIT = 16
FORMULA_LIMIT = 3
CJK = re.compile(r"[\u4e00-\u9fff]")


def cjk_count(text: str) -> int:
    return len(CJK.findall(text))


class _Parts(HTMLParser):
    """In document order: ("h1", text) for each level-1 heading, ("prose", text) for each narrative block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self.divs: list[bool] = []
        self.prose_depth: int | None = None
        self.buffer: list[str] = []
        self.heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            narrative = "narrative" in (dict(attrs).get("class") or "").split()
            self.divs.append(narrative)
            if narrative and self.prose_depth is None:
                self.prose_depth, self.buffer = len(self.divs), []
        elif tag == "h1":
            self.heading = []

    def handle_endtag(self, tag):
        if tag == "div" and self.divs:
            if self.prose_depth == len(self.divs):
                self.items.append(("prose", "".join(self.buffer)))
                self.prose_depth = None
            self.divs.pop()
        elif tag == "h1" and self.heading is not None:
            self.items.append(("h1", "".join(self.heading).strip()))
            self.heading = None

    def handle_data(self, data):
        if self.heading is not None:
            self.heading.append(data)
        if self.prose_depth is not None:
            self.buffer.append(data)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    return (good_render(tmp_path_factory) / "sample" / SAMPLE_MONTH / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def body(page) -> str:
    """The report's body: the main part up to the 附表."""
    main = page.split('<main class="report-body">', 1)[1].split("</main>", 1)[0]
    return main.split('<details class="report-appendix">', 1)[0]


@pytest.fixture(scope="module")
def area_prose(body) -> dict[str, str]:
    """Each area's generated prose (工作进展 + 存在问题 + 下步打算), by the area's heading."""
    parser = _Parts()
    parser.feed(body)
    prose: dict[str, str] = {}
    current = None
    for kind, text in parser.items:
        if kind == "h1":
            current = text if re.match(r"^[一二三四五六七八九十]+、", text) else None
        elif current is not None:
            prose[current] = prose.get(current, "") + text
    return prose


def test_the_areas_prose_is_at_most_2_2_times_the_reference(area_prose):
    if not REFERENCE.is_file():
        skip_or_fail(f"the reference report is not at {REFERENCE}")
    reference = cjk_count(REFERENCE.read_text(encoding="utf-8"))
    assert reference > 1000  # the whole reference report was read
    assert len(area_prose) == 4  # the sample's four areas
    generated = sum(cjk_count(t) for t in area_prose.values())
    assert generated <= PROSE_LIMIT * reference, (generated, reference)


def test_at_most_16_charts_in_the_body(body, page):
    assert 0 < body.count("<img") <= CHART_LIMIT
    assert page.count("<img") == body.count("<img")  # the 附表 holds lists, not charts


def test_long_lists_are_in_the_collapsed_appendix(page, body):
    tail = page.split('<main class="report-body">', 1)[1].split("</main>", 1)[0][len(body):]
    summaries = re.findall(r"<summary>(.*?)</summary>", tail)
    assert summaries and tail.count("<details") == len(summaries)
    # the poor households by village: one row per village with registered households, not in the body
    villages = {h["village"] for h in raw.rows("households")}
    assert any("建档立卡贫困户分布" in s for s in summaries)
    assert "建档立卡贫困户分布（按户数排序）见文末附表（" + f"{len(villages)}行）" in "".join(visible_lines(body))
    assert all(v in tail for v in villages)
    # the months the 民情恳谈 rule missed are listed once in the body (the overview's rule table)
    short = raw.visits_short(SAMPLE_MONTH)
    assert short
    text = "".join(visible_lines(body))
    village, month = short[0]
    assert text.count(f"{village}{int(month[5:])}月") == 1


def figures_of_the_reference() -> list[str]:
    """The reference report's figures as the body must carry them, from the sample's files."""
    m = SAMPLE_MONTH
    p = raw.info()
    villages = raw.rows("villages")
    h = raw.households(m)
    poor = [v for v in villages if v["poor_village"] == "是"]
    projects = {r["name"]: r for r in raw.rows("projects")}
    invest = {n: f"总投资{money_from_wan(float(r['investment_wan']), suffix='万')}" for n, r in projects.items()}
    by_villages = {r["villages"]: n for n, r in projects.items()}
    rect = {c: raw.rectifications(c, m) for c in ("养殖户", "汽修", "砖厂", "搅拌站")}
    slaughter = sum(raw.rectifications(r["category"], m)["closed"]
                    for r in {r["category"]: r for r in raw.rows("rectifications") if "屠" in r["category"]}.values())
    rivers = [r["name"].replace("河道集中整治", "") for r in projects.values() if r["category"] == "河道整治"]
    return [
        f"距县城{p['distance_to_county_km']}公里", f"幅员面积{p['area_km2']}平方公里",
        f"场镇面积{p['town_area_km2']}平方公里", f"总人口{p['population']}人",
        f"辖{len({v['branch'] for v in villages})}个党总支", f"{len(villages)}个村（社区）",
        count(raw.target("pepper_planting_mu"), "亩"),
        *(invest[by_villages[k]] for k in ("高龙村、拦江村、万福村", "碧波村、山花村")),
        invest[next(n for n in projects if "千亿斤" in n)],
        f"零售商家{count(raw.stock_level('retail_shops', m), '户')}",
        f"服装加工企业{count(raw.stock_level('garment_firms', m), '家')}",
        f"餐饮企业{count(raw.stock_level('restaurants', m), '家')}",
        f"限上商贸企业{count(raw.stock_level('above_scale_firms', m), '户')}",
        f"培育{count(raw.target('above_scale_firms') - raw.stock_level('above_scale_firms', m), '户')}",
        "双过半", "与广东永成鞋业有限公司达成框架协议",
        f"贫困村{len(poor)}个", f"建档立卡贫困户{h['households']}户{h['people']}人",
        f"脱贫{h['exited_before']}户{h['exited_before_people']}人", f"{h['planned']}户{h['planned_people']}人",
        f"{raw.events(m, 'livelihood', '检查', '全覆盖')}次全覆盖检查",
        approx(raw.flow_ytd("adobe_demolished", m), "户"), "半月一通报",
        f"{count(raw.stock_level('integrity_supervisors', m), '名')}廉政监督员",
        f"{raw.events(m, 'party', '立案')}名干部", "不少于8次", "一部署、一督查、一总结、一通报",
        f"培训{raw.events(m, 'safety', '培训')}次", f"宣传资料{count(raw.events(m, 'safety', '宣传'), '份')}",
        f"演练{raw.events(m, 'safety', '演练')}次", f"大检查{raw.events(m, 'safety', '检查', '大检查')}次",
        f"抽查{raw.events(m, 'safety', '抽查')}次", f"党委会{raw.events(m, 'safety', '会议', '党委会')}次",
        f"专题会议{raw.events(m, 'safety', '会议', '专题会议')}次",
        f"镇村干部大会{raw.events(m, 'safety', '会议', '镇村干部大会')}次", "“零到省”“零进京”",
        f"资金{count(raw.flow_ytd('env_funds_wan', m), '万元')}",
        "、".join(rivers) + f"集中整治{count(raw.flow_ytd('river_cleanup_km', m), '公里')}",
        f"{rect['养殖户']['closed']}家养殖户", "粪污零直排", f"{slaughter}家非定点屠宰场",
        f"{rect['汽修']['open']}家汽修", f"{rect['砖厂']['open']}个砖厂", f"{rect['搅拌站']['open']}个搅拌站",
        "每日一清运", "污水处理厂", "征地", "垃圾压缩中转站",
    ]


def test_every_figure_the_reference_report_gives_is_still_in_the_body(body):
    text = "".join(visible_lines(body))
    missing = [f for f in figures_of_the_reference() if f not in text]
    assert not missing


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|[^：]{1,12}方面：)")


def formulas(text: str, names: list[str]) -> Counter:
    """Each clause of ``text`` with its numbers and the data's names blanked: the sentence pattern."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "X")
    clauses = [ORDINAL.sub("", c.strip()) for c in re.split(r"[；。]", text)]
    patterns = [re.sub(r"X(?:、X)+", "X", NUMBER.sub("#", c)) for c in clauses]
    return Counter(p for p in patterns if len(p) > 6)


def data_names() -> list[str]:
    names = [r["name"] for r in raw.rows("indicators")] + [r["name"] for r in raw.rows("projects")]
    names += [r["village"] for r in raw.rows("villages")] + [r["category"] for r in raw.rows("rectifications")]
    return [n for n in names if n]


def test_no_sentence_formula_more_than_three_times_in_an_area(area_prose):
    names = data_names()
    for heading, text in area_prose.items():
        worst = formulas(text, names).most_common(1)
        assert not worst or worst[0][1] <= FORMULA_LIMIT, (heading, worst)
        assert len(re.findall(r"还差[^；。]*每月需", text)) <= FORMULA_LIMIT, heading


def test_the_formula_check_would_catch_the_old_plans():
    """The old 下步打算: one "还差…每月需完成…" item per indicator (the check above is not vacuous)."""
    old = "；".join(f"{o}是指标{n}距年度目标{n}0万元还差{n}万元，今后4个月每月需完成{n}万元"
                   for o, n in zip("一二三四", "1234", strict=True))
    names = [f"指标{n}" for n in "1234"]
    assert formulas(old, names).most_common(1)[0][1] == 4
