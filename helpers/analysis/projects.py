"""Projects at a month end: stage, progress, spending, and which are overdue, stalled or nearly done."""

from __future__ import annotations

import pandas as pd

from helpers.data.township import Township

DONE = "完工"
BUILDING = "在建"
NEAR_COMPLETION_PCT = 90.0
STALLED_MIN_MONTHS = 2

COLUMNS = ["project_id", "name", "area", "category", "villages", "investment_wan", "start", "due", "stage",
           "progress_pct", "spent_wan", "spent_pct", "overdue", "stalled", "stalled_months", "near_completion",
           "finished"]


def finished_stages(tw: Township) -> tuple[str, ...]:
    """完工 and the stages a township's profile adds after it (e.g. 竣工验收): the project is finished."""
    stages = list(tw.report.project_stages)
    return tuple(stages[stages.index(DONE):]) if DONE in stages else (DONE,)


def monthly_states(progress: pd.DataFrame, project_id: str, month: pd.Period) -> pd.DataFrame:
    """One project's state at every month end from its first progress row to ``month``.

    A month without a row carries the last reported state forward (nothing reported, nothing moved).
    """
    rows = progress[(progress["project_id"] == project_id) & (progress["month"] <= month)]
    if rows.empty:
        return rows[["month", "stage", "progress_pct", "spent_wan"]].iloc[0:0]
    rows = rows.sort_values("month").set_index("month")[["stage", "progress_pct", "spent_wan"]]
    grid = pd.period_range(rows.index.min(), month, freq="M")
    states = rows.reindex(grid).ffill()
    states.index.name = "month"
    return states.reset_index()


def unchanged_months(states: pd.DataFrame, finished: tuple[str, ...] = (DONE,)) -> int:
    """How many month ends in a row, up to the last one, showed the same stage and progress as the month before."""
    if states.empty or states["stage"].iloc[-1] in finished:
        return 0
    same = (states["progress_pct"].eq(states["progress_pct"].shift())
            & states["stage"].astype(object).eq(states["stage"].astype(object).shift()))
    count = 0
    for unchanged in reversed(same.tolist()):
        if not unchanged:
            break
        count += 1
    return count


def project_status(tw: Township, month: pd.Period) -> pd.DataFrame:
    """Every project's state at the end of ``month``, one row per project in projects.csv order.

    ``overdue``: the month is past ``due`` and the project is not finished (完工, or a stage the profile adds
    after it; also overdue when it never reported). ``finished``: that stage is reached.
    ``stalled``: not 完工 and the stage and progress were unchanged for ``STALLED_MIN_MONTHS`` or more
    consecutive month ends (``stalled_months`` counts them; a month without a row counts as unchanged).
    ``near_completion``: 在建 with progress of at least 90%. Projects with no progress row by then have
    no stage (not started).
    """
    finished = finished_stages(tw)
    rows = []
    for project in tw.projects.itertuples(index=False):
        states = monthly_states(tw.project_progress, project.project_id, month)
        last = states.iloc[-1] if not states.empty else None
        stage = last["stage"] if last is not None else None
        progress = float(last["progress_pct"]) if last is not None else float("nan")
        spent = float(last["spent_wan"]) if last is not None else float("nan")
        investment = project.investment_wan
        spent_pct = spent / investment * 100 if pd.notna(investment) and investment > 0 else float("nan")
        still = unchanged_months(states, finished)
        rows.append({
            "project_id": project.project_id,
            "name": project.name,
            "area": project.area,
            "category": project.category,
            "villages": list(project.villages),
            "investment_wan": investment,
            "start": project.start,
            "due": project.due,
            "stage": stage,
            "progress_pct": progress,
            "spent_wan": spent,
            "spent_pct": spent_pct,
            "overdue": bool(pd.notna(project.due) and month > project.due and stage not in finished),
            "stalled": still >= STALLED_MIN_MONTHS,
            "stalled_months": still,
            "near_completion": bool(stage == BUILDING and progress >= NEAR_COMPLETION_PCT),
            "finished": stage in finished,
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["area"] = pd.Categorical(frame["area"], categories=tw.projects["area"].cat.categories)
    frame["stage"] = pd.Categorical(frame["stage"], categories=list(tw.report.project_stages))
    for col in ("start", "due"):
        frame[col] = pd.Series(pd.PeriodIndex(frame[col], freq="M"), index=frame.index)
    frame["stalled_months"] = frame["stalled_months"].astype(int)
    return frame
