"""What the notebooks call: one context per run and display-ready tables (notebooks hold no logic)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.config import DATA_DIR, SETTINGS, Settings
from helpers.data import Township, load_township
from helpers.periods import as_month


@dataclass(frozen=True)
class Context:
    """The loaded township and the report month a notebook works on."""

    township: Township
    month: pd.Period
    settings: Settings = SETTINGS


def context(township: str = "sample", month: str = "", data_dir: str = "") -> Context:
    """Load and validate the township; an empty month means the latest month with data."""
    tw = load_township(Path(data_dir) if data_dir else DATA_DIR, township, month or None)
    return Context(tw, as_month(month) if month else tw.last_month)


def profile_table(ctx: Context) -> pd.DataFrame:
    """The township profile as a two-column table."""
    p = ctx.township.profile
    rows = [("乡镇", p.get("name")), ("所属县", p.get("county")), ("距县城", f"{p.get('distance_to_county_km')}公里"),
            ("幅员面积", f"{p.get('area_km2')}平方公里"), ("场镇面积", f"{p.get('town_area_km2')}平方公里"),
            ("村（社区）", f"{len(ctx.township.villages)}个"), ("总人口", f"{p.get('population')}人")]
    return pd.DataFrame(rows, columns=["项目", "内容"]).set_index("项目")


def area_table(ctx: Context, area: str) -> pd.DataFrame:
    """Placeholder view until the analysis helpers land: the area's indicators."""
    ind = ctx.township.indicators
    return ind[ind["area"] == area][["name", "unit"]].rename(columns={"name": "指标", "unit": "单位"})
