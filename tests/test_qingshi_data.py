"""data/qingshi/ is what its seeded generator writes, and it loads as the second example it claims to be."""

from __future__ import annotations

import importlib.util

from helpers.config import DATA_DIR, ROOT
from helpers.data.township import load_township


def test_the_generator_reproduces_the_bundled_files(tmp_path):
    spec = importlib.util.spec_from_file_location("generate_qingshi", ROOT / "data" / "generate_qingshi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = tmp_path
    module.main()
    bundled = sorted(p.name for p in (DATA_DIR / "qingshi").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == bundled
    for name in bundled:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / "qingshi" / name).read_bytes(), name


def test_its_shape():
    tw = load_township(DATA_DIR, "qingshi")
    assert len(tw.villages) == 15 and tw.villages["branch"].nunique() == 3
    kinds = tw.villages.groupby("branch")["kind"].agg(lambda k: set(k.astype(str)))
    assert {"社区"} in list(kinds)  # a branch of 社区 only
    assert not tw.villages["poor_village"].any() and tw.households.empty
    assert len(tw.areas) == 5 and "ecology" in tw.areas
    ind = tw.indicators.set_index("indicator")
    assert ind.loc["hotline_closure_rate", "unit"] == "%" and ind.loc["safety_accidents", "better"] == "lower"
    assert {"街道", "区"} <= set(tw.petitions["level"].astype(str)) and tw.petitions["village"].isna().any()
