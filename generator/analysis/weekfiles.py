"""Where the week overviews are kept (`analysis.weekly` writes them, the render stage reads
them): `data/<owner>/<repo>/weeks/<YYYY>-W<ww>.json`, and which weeks are complete."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from generator.models import Overview

Week = tuple[int, int]
"""ISO (year, week)."""


def week_file(data_dir: Path, repo: str, week: Week) -> Path:
    return data_dir / repo / "weeks" / f"{week[0]:04d}-W{week[1]:02d}.json"


def complete_weeks(complete_days: list[date]) -> list[Week]:
    """The weeks all seven days of which are in `complete_days`, oldest first."""
    counts: dict[Week, int] = {}
    for day in complete_days:
        year, week, _ = day.isocalendar()
        counts[year, week] = counts.get((year, week), 0) + 1
    return sorted(week for week, n in counts.items() if n == 7)


def read_week_overviews(data_dir: Path, repo: str) -> dict[Week, Overview]:
    """Every week overview kept for the repository (a file that cannot be read is none)."""
    found = {}
    for path in sorted((data_dir / repo / "weeks").glob("[0-9][0-9][0-9][0-9]-W[0-9][0-9].json")):
        try:
            raw = json.loads(path.read_bytes())
            week = (int(path.stem[:4]), int(path.stem[6:]))
            found[week] = Overview.model_validate(raw["overview"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found
