"""The week's overview an LLM writes for a repository's weekly report, and where it is kept.

With `analyzer: llm` (and `llm.overview`), each complete week (a complete record for each
of its seven local days) gets a paragraph written from the days' overviews and the week's
high-tier commits' summaries. It is kept beside the records, one file per week,
`data/<owner>/<repo>/weeks/<YYYY>-W<ww>.json`: an `Overview` plus the hashes of the seven
record files it was written from. While those hashes and the analyzer are the same the
overview is kept without reading a record, so a daily run asks for the one week it
completes; a week whose records changed is asked again. A failed request leaves the
week without one (the report shows its factual summary) and the next run asks again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path

from generator.analysis.llm import LlmAnalyzer
from generator.analysis.weekfiles import Week, complete_weeks, week_file
from generator.files import write_atomic
from generator.models import TIERS, DayRecord, Overview
from generator.text import clean

WEEK_COMMITS = 30
"""High-tier commits at most a week's prompt names (the days' overviews come first)."""


def write_week_overviews(
    data_dir: Path,
    analyzer: LlmAnalyzer,
    repo: str,
    digests: Mapping[date, str],
    load: Callable[[date], DayRecord],
) -> int:
    """Ask for the overview of each complete week of `repo` (`digests`: each complete
    day's record file hash) that has none written from these records; returns how many
    files it wrote."""
    written = 0
    for week in complete_weeks(sorted(digests)):
        days = [date.fromisocalendar(week[0], week[1], n) for n in range(1, 8)]
        sources = [digests[d] for d in days]
        path = week_file(data_dir, repo, week)
        if _kept(path, analyzer, sources):
            continue
        overview = _ask(analyzer, repo, week, [load(d) for d in days])
        if overview is not None:
            whole = {"sources": sources, "overview": overview.model_dump(mode="json")}
            write_atomic(path, json.dumps(whole, ensure_ascii=False, indent=1) + "\n")
            written += 1
    return written


def _kept(path: Path, analyzer: LlmAnalyzer, sources: list[str]) -> bool:
    try:
        raw = json.loads(path.read_bytes())
        overview = raw["overview"]
        return bool(
            raw["sources"] == sources
            and overview["analyzer"] == analyzer.name
            and overview["language"] == analyzer.language
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _ask(analyzer: LlmAnalyzer, repo: str, week: Week, records: list[DayRecord]) -> Overview | None:
    commits = [c for r in records for c in r.commits if not (c.analysis and c.analysis.ignored)]
    if not commits:
        return None
    high = sorted(commits, key=lambda c: TIERS.index(c.tier))[:WEEK_COMMITS]
    prompt = analyzer.session.prompt(
        "week",
        repo=repo,
        start=(records[0].day).isoformat(),
        end=(records[0].day + timedelta(days=6)).isoformat(),
        count=len(commits),
        days=[
            {"day": r.day.isoformat(), "overview": clean(r.overview.text)}
            for r in records
            if r.overview
        ],
        commits=[
            {
                "tier": c.tier,
                "subject": clean(c.subject),
                "summary": clean(c.analysis.summary if c.analysis else "")[:300],
            }
            for c in high
        ],
    )
    return analyzer.ask_overview(prompt)
