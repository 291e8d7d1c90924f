"""petition_level_ceiling: a street's 信访不出区, and the bundled profile's 零到省、零进京."""

from __future__ import annotations

from builders import default_rule, make_township, only_rule

zero_petition_rule = default_rule("zero_petition")


CEILING_RULE = """
kind: petition_level_ceiling
name: 信访矛盾不出区
area: work
levels: [市, 省, 京]
"""


def test_petition_level_ceiling_with_levels_of_a_street():
    cases = [("X1", "2018-01", "甲村", "街道", "已化解", "物业"), ("X2", "2018-02", None, "区", "化解中", "噪声")]
    kept = only_rule(CEILING_RULE, petitions=cases)
    assert kept.passed
    assert kept.summary == "2018年1—3月共有信访案件2件，无到市、到省、进京上访，实现“零到市”“零到省”“零进京”"
    breached = only_rule(CEILING_RULE, petitions=[*cases, ("X3", "2018-03", None, "市", "化解中", "房屋")])
    assert not breached.passed and breached.breaches["case_id"].tolist() == ["X3"]
    assert breached.summary == "2018年1—3月出现到市1件：全镇3月（X3）"  # no village: the township as a whole


# 零到省、零进京 -----------------------------------------------------------------------------------

def test_zero_petition_holds_below_the_province_and_breaks_on_a_case_to_the_province():
    cases = [("X1", "2017-06", "甲村", "京", "已化解", "旧案"), ("X2", "2018-02", "乙村", "市", "已化解", "征地")]
    assert zero_petition_rule(make_township(petitions=cases), "2018-03").passed
    cases.append(("X3", "2018-03", "甲村", "省", "化解中", "拆迁"))
    result = zero_petition_rule(make_township(petitions=cases), "2018-03")
    assert not result.passed
    assert result.breaches["case_id"].tolist() == ["X3"]
    assert "到省1件" in result.summary
