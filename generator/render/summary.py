"""What the pages need to know of the whole archive without reading it, indexed the way
pages ask.

Home, archive, month and repository pages, the feeds and the search index ask
which days have a page, how many commits of each tier a day or a week had,
whether a record is finished, and which commits exist; none of that needs the
commits' text. `ArchiveSummary` answers from the records' summaries (a
`recordcache.RecordSummary` each, a few bytes a commit), so a render reads only the
records whose pages it writes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import cached_property

from generator.recordcache import RecordSummary


class ArchiveSummary:
    """Every record's summary, for the configured repositories (others are left out)."""

    def __init__(self, repos: Sequence[str], summaries: Iterable[RecordSummary]) -> None:
        self.repos = tuple(repos)
        by_repo: dict[str, list[RecordSummary]] = {name: [] for name in self.repos}
        for summary in summaries:
            if summary.repo in by_repo:
                by_repo[summary.repo].append(summary)
        self._by_repo = {name: sorted(found, key=_day) for name, found in by_repo.items()}
        self._repo_days = {name: [s.day for s in found] for name, found in self._by_repo.items()}
        self._by_key = {(s.repo, s.day): s for found in self._by_repo.values() for s in found}

    def __iter__(self) -> Iterator[RecordSummary]:
        for name in self.repos:
            yield from self._by_repo[name]

    def __len__(self) -> int:
        return len(self._by_key)

    def of(self, repo: str) -> Sequence[RecordSummary]:
        """The repository's records, oldest first."""
        return self._by_repo.get(repo, [])

    def get(self, repo: str, day: date) -> RecordSummary | None:
        return self._by_key.get((repo, day))

    def on(self, day: date) -> list[RecordSummary]:
        """The day's records in config order."""
        return [s for name in self.repos if (s := self._by_key.get((name, day))) is not None]

    # -- days ---------------------------------------------------------------------------

    def days(self) -> tuple[date, ...]:
        """Days that get a page, oldest first."""
        return self._days

    def has_page(self, day: date) -> bool:
        return day in self._day_set

    def day_neighbours(self, day: date) -> tuple[date | None, date | None]:
        """The previous and the next day that have a page (`day` itself need not have one)."""
        days = self._days
        index = bisect.bisect_left(days, day)
        after = index + 1 if index < len(days) and days[index] == day else index
        return days[index - 1] if index else None, days[after] if after < len(days) else None

    def settled(self, day: date) -> bool:
        """Whether every record of the day is complete."""
        return all(s.complete for s in self.on(day))

    def finished(self, day: date) -> bool:
        """Whether no record of the day is still open."""
        return all(s.finished for s in self.on(day))

    def day_total(self, day: date) -> int:
        return sum(s.commits for s in self.on(day))

    def newest_complete_day(self) -> date | None:
        """Where "the last year" and "the last 30 days" end: pages never ask the clock."""
        return max((s.day for s in self if s.complete), default=None)

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month with a day page, oldest first."""
        return sorted({(day.year, day.month) for day in self._days})

    def days_in_month(self, year: int, month: int) -> list[date]:
        start = bisect.bisect_left(self._days, date(year, month, 1))
        end = bisect.bisect_left(self._days, _next_month(year, month))
        return list(self._days[start:end])

    # -- a repository's commits ---------------------------------------------------------

    def before(self, repo: str, day: date) -> RecordSummary | None:
        """The repository's newest record with commits before `day`."""
        found = self._by_repo.get(repo, [])
        index = bisect.bisect_left(self._repo_days.get(repo, []), day) - 1
        while index >= 0 and not found[index].shas:
            index -= 1
        return found[index] if index >= 0 else None

    def after(self, repo: str, day: date) -> RecordSummary | None:
        """The repository's oldest record with commits after `day`."""
        found = self._by_repo.get(repo, [])
        index = bisect.bisect_right(self._repo_days.get(repo, []), day)
        while index < len(found) and not found[index].shas:
            index += 1
        return found[index] if index < len(found) else None

    def newest_first(self, repo: str, finished: bool = False) -> Iterator[RecordSummary]:
        """The repository's records with commits, newest first (of finished days only)."""
        for summary in reversed(self._by_repo.get(repo, [])):
            if summary.shas and (summary.finished or not finished):
                yield summary

    @cached_property
    def _days(self) -> tuple[date, ...]:
        return tuple(sorted({s.day for s in self if s.has_page}))

    @cached_property
    def _day_set(self) -> frozenset[date]:
        return frozenset(self._days)


def _day(summary: RecordSummary) -> date:
    return summary.day


def _next_month(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
