"""What the home and repository pages count: commits per day and per week, the busiest
modules and the most-changed files of a period.

Every period ends at a day the archive names (its newest complete day), never at
"today": the same records give the same figures whenever they are rendered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from generator.analysis.paths import module_of
from generator.models import TIERS, Tier
from generator.render.archive import Archive, CommitRef

YEAR_WEEKS = 53
"""The heat map's and the weekly chart's span: 53 weeks cover any 365 days."""
RECENT_DAYS = 30
TOP = 10


def year_start(end: date) -> date:
    """The Monday that starts the 53-week span ending with the week of `end`."""
    return end - timedelta(days=end.weekday()) - timedelta(weeks=YEAR_WEEKS - 1)


def commits_per_day(archive: Archive, start: date, end: date) -> dict[date, int]:
    """Commits of all repositories on each day of [start, end] that has any."""
    counts: Counter[date] = Counter()
    for record in archive.summary:
        if start <= record.day <= end and record.commits:
            counts[record.day] += record.commits
    return dict(counts)


@dataclass(frozen=True)
class Week:
    start: date
    """Its Monday."""
    tiers: dict[Tier, int]

    @property
    def total(self) -> int:
        return sum(self.tiers.values())


def weeks_by_tier(archive: Archive, repo: str, end: date) -> list[Week]:
    """The repository's commits per tier in each of the 53 weeks up to the week of `end`."""
    first = year_start(end)
    weeks = [Week(first + timedelta(weeks=n), dict.fromkeys(TIERS, 0)) for n in range(YEAR_WEEKS)]
    for record in archive.summary.of(repo):
        if first <= record.day <= end:
            week = weeks[(record.day - first).days // 7]
            for tier, count in record.tier_counts().items():
                week.tiers[tier] += count
    return weeks


def recent_start(end: date) -> date:
    """The first of the 30 days that end with `end`."""
    return end - timedelta(days=RECENT_DAYS - 1)


def recent_commits(archive: Archive, repo: str, end: date) -> list[CommitRef]:
    """The repository's commits of the 30 days up to `end`, newest first."""
    since = recent_start(end)
    found = []
    for record in archive.summary.newest_first(repo):
        if record.day < since:
            break
        if record.day <= end:
            found += (
                CommitRef(repo, record.day, c) for c in archive.record(repo, record.day).commits
            )
    return found


@dataclass(frozen=True)
class Busy:
    """A module or a file and how much it changed in a period."""

    name: str
    commits: int
    lines: int


def busiest_modules(refs: Iterable[CommitRef], top: int = TOP) -> list[Busy]:
    """Modules (as the analysis names them: a file's folder, three levels deep) by the number
    of commits that touched them, then by lines changed."""
    return _ranked(
        ((module_of(f.path), f.changed_lines) for f in ref.commit.files) for ref in refs
    )[:top]


def most_changed_files(refs: Iterable[CommitRef], top: int = TOP) -> list[Busy]:
    """Files by the number of commits that changed them, then by lines changed."""
    return _ranked(((f.path, f.changed_lines) for f in ref.commit.files) for ref in refs)[:top]


def _ranked(per_commit: Iterable[Iterable[tuple[str, int]]]) -> list[Busy]:
    commits: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for touched in per_commit:
        seen: set[str] = set()
        for name, changed in touched:
            lines[name] += changed
            if name not in seen:
                seen.add(name)
                commits[name] += 1
    ranked = sorted(commits, key=lambda name: (-commits[name], -lines[name], name))
    return [Busy(name, commits[name], lines[name]) for name in ranked]


def months_of(archive: Archive, repo: str) -> list[tuple[int, int, int]]:
    """(year, month, commits) of every month in which the repository has a record with
    commits, newest first."""
    counts: Counter[tuple[int, int]] = Counter()
    for record in archive.summary.of(repo):
        if record.commits:
            counts[record.day.year, record.day.month] += record.commits
    return [(year, month, counts[year, month]) for year, month in sorted(counts, reverse=True)]
