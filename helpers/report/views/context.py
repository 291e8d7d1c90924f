"""The context of one notebook run: the loaded township, the report month, the analysis settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.config import DATA_DIR, SETTINGS, Settings
from helpers.data.periods import as_month, month_label
from helpers.data.township import Township, load_township_cached
from helpers.report import style


@dataclass(frozen=True)
class Context:
    """The loaded township and the report month a notebook works on."""

    township: Township
    month: pd.Period
    settings: Settings = SETTINGS

    @property
    def label(self) -> str:
        return f"{self.township.name} {month_label(self.month)}"


def context(township: str = "sample", month: str = "", data_dir: str = "") -> Context:
    """Load and validate the township; an empty month means the latest month with data."""
    style.apply()
    tw = load_township_cached(Path(data_dir) if data_dir else DATA_DIR, township, month or None)
    return Context(tw, as_month(month) if month else tw.last_month)
