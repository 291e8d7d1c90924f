"""Generate a county of N townships for tests and benchmarks (seeded, reproducible; not bundled data).

Each township starts from the sample township's generator (``data/generate_sample.py``, run with its
own seed into its own folder) and is then made different from data alone: its own name, its own number
of villages (every table's village references follow), scaled amounts and targets (so completion and
ranks differ), some indicators missing, one township reporting 河道集中整治 in 米 instead of 公里 (so that
indicator is shared only by the townships with the same unit) and the last township a month behind
(nothing after 2018-07).

Usage: ``python benchmarks/make_county.py --townships 12 --out DIR [--seed 15] [--county 演示县]``.
Township folders are ``DIR/town01`` … (ids), each with its ``township.yaml`` naming the county.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COUNTY = "演示县"
NAMES = ("青龙镇", "白马镇", "石门乡", "金山镇", "桃源乡", "清水镇", "红岩镇", "柳溪乡", "凤鸣镇", "双桥镇",
         "高坪镇", "龙泉乡", "梨花镇", "云台乡", "永兴镇", "太和镇", "新场乡", "宝山镇", "黄龙镇", "安居乡")
SCALED_UNITS = {"万元", "亩", "公里"}
"""Amounts scaled per township; counts (次, 人, 户, 家 …) stay as the sample has them."""
OPTIONAL_INDICATORS = ("pepper_planting_mu", "collective_income", "garment_firms", "integrity_supervisors",
                       "env_funds_wan")
"""Indicators a township may lack: none of them is one a rule or the prose needs."""
UNIT_CHANGED = ("river_cleanup_km", "米", 1000)
LAST_MONTH, BEHIND_MONTH = "2018-08", "2018-07"


def _generator():
    """data/generate_sample.py as a module (its tables are written where its ``OUT`` points)."""
    spec = importlib.util.spec_from_file_location("generate_sample", ROOT / "data" / "generate_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(folder: Path, name: str) -> tuple[list[str], list[dict]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write(folder: Path, name: str, header: list[str], rows: list[dict]) -> None:
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit(folder: Path, name: str, change) -> None:
    """Rewrite a table with ``change(rows) -> rows``."""
    header, rows = read(folder, name)
    write(folder, name, header, change(rows))


def _number(text: str, factor: float) -> str:
    value = float(text) * factor
    return f"{value:.1f}" if abs(value - round(value)) > 1e-9 else str(int(round(value)))


def keep_villages(folder: Path, keep: set[str]) -> None:
    """Drop every village not in ``keep`` from every table that names villages."""
    edit(folder, "villages", lambda rows: [r for r in rows if r["village"] in keep])
    for name in ("monthly", "households", "petitions", "rectifications"):
        edit(folder, name, lambda rows: [r for r in rows if not r["village"] or r["village"] in keep])

    def projects(rows):
        for r in rows:
            r["villages"] = "、".join(v for v in r["villages"].split("、") if v and v in keep)
        return rows
    edit(folder, "projects", projects)


def scale(folder: Path, value_factor: float, target_factor: float, count_factor: float) -> None:
    """Multiply the amounts (units in SCALED_UNITS) by ``value_factor``, their targets by ``target_factor``.

    The targets of the other flows (counts such as 发展党员) are multiplied by ``count_factor``, whole.
    """
    _, indicators = read(folder, "indicators")
    scaled = {r["indicator"] for r in indicators if r["unit"] in SCALED_UNITS}
    counted = {r["indicator"] for r in indicators
               if r["indicator"] not in scaled and r["kind"] == "flow" and r["better"] == "higher"}

    def monthly(rows):
        for r in rows:
            if r["indicator"] in scaled:
                r["value"] = _number(r["value"], value_factor)
        return rows

    def targets(rows):
        for r in rows:
            if r["indicator"] in scaled:
                r["target"] = _number(r["target"], target_factor)
            elif r["indicator"] in counted:
                r["target"] = str(max(1, round(float(r["target"]) * count_factor)))
        return rows
    edit(folder, "monthly", monthly)
    edit(folder, "targets", targets)


def drop_indicators(folder: Path, dropped: set[str]) -> None:
    for name in ("indicators", "targets", "monthly"):
        edit(folder, name, lambda rows: [r for r in rows if r["indicator"] not in dropped])


def change_unit(folder: Path, indicator: str, unit: str, factor: float) -> None:
    def indicators(rows):
        for r in rows:
            if r["indicator"] == indicator:
                r["unit"] = unit
        return rows

    def values(column):
        def change(rows):
            for r in rows:
                if r["indicator"] == indicator:
                    r[column] = _number(r[column], factor)
            return rows
        return change
    edit(folder, "indicators", indicators)
    edit(folder, "monthly", values("value"))
    edit(folder, "targets", values("target"))


def end_at(folder: Path, last: str) -> None:
    """Nothing after month ``last``: the township has not reported the months after it yet."""
    for name, column in (("monthly", "month"), ("project_progress", "month"), ("petitions", "month"),
                         ("highlights", "month"), ("rectifications", "issued")):
        edit(folder, name, lambda rows, c=column: [r for r in rows if r[c][:7] <= last])
    edit(folder, "events", lambda rows: [r for r in rows if r["date"][:7] <= last])

    def clear_later(column):
        def change(rows):
            for r in rows:
                if r[column] and r[column][:7] > last:
                    r[column] = ""
            return rows
        return change
    edit(folder, "rectifications", clear_later("closed"))
    edit(folder, "households", clear_later("exited"))


def write_info(folder: Path, name: str, county: str, population: int) -> None:
    text = (folder / "township.yaml").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("name:"):
            line = f"name: {name}"
        elif line.startswith("county:"):
            line = f"county: {county}"
        elif line.startswith("population:"):
            line = f"population: {population}"
        elif line.startswith("#") and "XX镇" in line:
            line = f"# 乡镇概况（{name}，生成的演示数据）"
        lines.append(line)
    (folder / "township.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_county(out: Path, townships: int = 12, seed: int = 15, county: str = DEFAULT_COUNTY) -> list[str]:
    """Write ``townships`` township folders into ``out`` (replacing ones of the same id); their ids."""
    if not 2 <= townships <= len(NAMES):
        raise SystemExit(f"乡镇数应在 2 到 {len(NAMES)} 之间：{townships}")
    gen = _generator()
    rng = np.random.default_rng(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    counts = rng.choice(np.arange(10, len(gen.VILLAGES) + 1), size=townships, replace=False)
    ids = []
    for i in range(townships):
        tid = f"town{i + 1:02d}"
        folder = out / tid
        shutil.rmtree(folder, ignore_errors=True)
        gen.OUT, gen.rng = folder, np.random.default_rng(seed * 1000 + i)
        gen.main()
        n = int(counts[i])
        keep = set(gen.VILLAGES[: n - len(gen.COMMUNITIES)]) | set(gen.COMMUNITIES)
        keep_villages(folder, keep)
        value_factor = float(rng.uniform(0.5, 1.6))
        scale(folder, value_factor, value_factor * float(rng.uniform(0.8, 1.25)), float(rng.uniform(0.8, 1.25)))
        dropped = set(rng.choice(OPTIONAL_INDICATORS, size=i % 3, replace=False).tolist()) if i else set()
        drop_indicators(folder, dropped)
        if i == 1:
            change_unit(folder, *UNIT_CHANGED)
        if i == townships - 1:
            end_at(folder, BEHIND_MONTH)
        _, villages = read(folder, "villages")
        write_info(folder, NAMES[i], county, sum(int(v["population"]) for v in villages))
        ids.append(tid)
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成一个演示县（多个乡镇的数据），供测试和性能基准使用。")
    parser.add_argument("--townships", type=int, default=12, help="乡镇数（默认：%(default)s）")
    parser.add_argument("--out", type=Path, required=True, help="写入的数据目录（不要用 data/）")
    parser.add_argument("--seed", type=int, default=15, help="随机种子（默认：%(default)s）")
    parser.add_argument("--county", default=DEFAULT_COUNTY, help="县名（默认：%(default)s）")
    args = parser.parse_args(argv)
    ids = make_county(args.out, args.townships, args.seed, args.county)
    print(f"已生成 {args.county} 的 {len(ids)} 个乡镇：{args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
