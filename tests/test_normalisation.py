"""Input that looks valid: normalised before validation (full-width digits, invisible characters, short months).

Through the real command line (``python -m helpers validate`` on an edited copy of the sample), then the
figures loaded from the edited copy are compared with those of the untouched sample: normalised input must
give the very same figures, not a month read as missing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest_proof import SAMPLE_MONTH, cli_env, copy_sample

from helpers.analysis.progress import indicator_progress
from helpers.config import ROOT
from helpers.data.periods import as_month
from helpers.data.township import load_township
from tests.builders import read_rows, write_rows

pytestmark = pytest.mark.e2e

FULL_WIDTH = str.maketrans("0123456789-.,", "０１２３４５６７８９－．，")


def validate(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", "validate", "--data-dir", str(data_dir),
                           "--township", "sample", "--month", SAMPLE_MONTH], cwd=ROOT, env=cli_env(),
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def rewrite(folder: Path, file: str, change) -> None:
    """Apply ``change(header, row) -> row`` to every data row of ``file``."""
    rows = read_rows(folder / file)
    write_rows(folder / file, [rows[0]] + [change(rows[0], r) for r in rows[1:]])


def test_full_width_and_invisible_input_gives_the_same_figures(tmp_path, sample):
    data_dir = tmp_path / "data"
    folder = copy_sample(data_dir)

    def monthly(header, row):
        row = list(row)
        m, v, val = header.index("month"), header.index("village"), header.index("value")
        if row[m].startswith("2018"):
            row[val] = row[val].translate(FULL_WIDTH)  # what a Chinese input method types
            row[m] = row[m].translate(FULL_WIDTH)
        if row[v] == "高龙村":
            row[v] = "\u00a0高龙村\u200b"  # pasted from a web page or a chat
        if row[m].endswith("-09") or row[m].endswith("-03"):
            row[m] = row[m][:5] + row[m][6:]  # 2017-03 typed as 2017-3
        return row

    def households(header, row):
        row = list(row)
        row[header.index("members")] = row[header.index("members")].translate(FULL_WIDTH)
        row[header.index("household_id")] = "\u200b" + row[header.index("household_id")] + "\u200d"
        return row

    rewrite(folder, "monthly.csv", monthly)
    rewrite(folder, "households.csv", households)
    rewrite(folder, "targets.csv", lambda h, r: [("0" + r[0]) if r[0] == "2018" else r[0], *r[1:]])
    result = validate(data_dir)
    assert result.returncode == 0, result.stderr
    loaded = load_township(data_dir, "sample")
    assert sorted(loaded.monthly["village"].dropna().unique()) == sorted(sample.monthly["village"].dropna().unique())
    pd.testing.assert_frame_equal(loaded.monthly, sample.monthly)
    pd.testing.assert_frame_equal(loaded.households, sample.households)
    pd.testing.assert_frame_equal(loaded.targets, sample.targets)
    pd.testing.assert_frame_equal(indicator_progress(loaded, as_month(SAMPLE_MONTH)),
                                  indicator_progress(sample, as_month(SAMPLE_MONTH)))
