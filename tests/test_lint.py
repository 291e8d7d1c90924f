"""ruff keeps the code to one style (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from helpers.config import ROOT


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "helpers", "tests", "benchmarks",
                             "data/generate_sample.py", "data/generate_qingshi.py"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
