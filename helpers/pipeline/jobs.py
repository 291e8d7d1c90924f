"""What a render works on and what it did: one township-month (MonthJob) and the summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class MonthJob:
    """One township-month to render and where everything about it lives."""

    township: str
    month: str
    data_dir: Path
    out_dir: Path
    notebooks: tuple[Path, ...]

    @property
    def period(self) -> pd.Period:
        """The month as a Period, what the report functions take (``month`` stays text: folders, parameters)."""
        from helpers.data.periods import as_month  # pandas only where a report is written, not at render start

        return as_month(self.month)

    @property
    def key(self) -> str:
        return f"{self.township}/{self.month}"

    @property
    def township_dir(self) -> Path:
        return self.out_dir / self.township

    @property
    def report_dir(self) -> Path:
        return self.township_dir / self.month

    @property
    def report_path(self) -> Path:
        return self.report_dir / "report.html"

    @property
    def failed_dir(self) -> Path:
        return self.township_dir / f"{self.month}.failed"

    @property
    def lock_path(self) -> Path:
        return self.township_dir / f".{self.month}.lock"

    @property
    def parameters(self) -> dict[str, str]:
        return {"township": self.township, "month": self.month, "data_dir": str(self.data_dir)}


@dataclass(frozen=True)
class RenderSummary:
    """What a render did: months as ``township/YYYY-MM``, report paths, error messages (Chinese)."""

    rendered: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    reports: tuple[Path, ...] = ()
    errors: tuple[str, ...] = ()
    notebooks_executed: int = 0

    @property
    def line(self) -> str:
        return f"已生成 {len(self.rendered)}，未变化跳过 {len(self.skipped)}，失败 {len(self.failed)}"

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0
