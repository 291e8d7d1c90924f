"""Shared fixtures: the bundled sample township and the small fixture township."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.config import DATA_DIR
from helpers.data.township import load_township

FIXTURE_DATA_DIR = Path(__file__).resolve().parent / "fixtures" / "data"


@pytest.fixture(scope="session")
def sample():
    """The sample township (XX镇), loaded once for the whole session; do not modify it."""
    return load_township(DATA_DIR, "sample")


@pytest.fixture()
def sample_copy(tmp_path) -> Path:
    """A writable copy of data/sample as tmp_path/data/sample; returns the data dir."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR / "sample", data_dir / "sample")
    return data_dir
