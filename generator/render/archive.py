"""All records of the archive, loaded once and indexed the way pages need them.

Besides the full lists, the index answers what one page needs on its own (a
day's neighbours, a commit's neighbours), so any single page can be rendered
without rendering the others.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from generator.models import Commit, DayRecord
from generator.records import iter_records


@dataclass(frozen=True)
class CommitRef:
    """A commit with where it lives: its repository and local day."""

    repo: str
    day: date
    commit: Commit


@dataclass(frozen=True)
class Archive:
    repos: tuple[str, ...]
    """The configured repositories, in config order."""
    records: dict[str, tuple[DayRecord, ...]]
    """Per repository, oldest day first."""
    timeline: dict[str, tuple[CommitRef, ...]] = field(default_factory=dict)
    """Per repository, every commit newest first: the order of 'previous/next commit'."""

    @classmethod
    def load(cls, data_dir: Path, repos: Sequence[str]) -> Archive:
        return cls.from_records(repos, (r for name in repos for r in iter_records(data_dir, name)))

    @classmethod
    def from_records(cls, repos: Sequence[str], records: Iterable[DayRecord]) -> Archive:
        by_repo: dict[str, list[DayRecord]] = {name: [] for name in repos}
        for record in records:
            if record.repo in by_repo:
                by_repo[record.repo].append(record)
        days = {name: tuple(sorted(found, key=lambda r: r.day)) for name, found in by_repo.items()}
        timeline = {
            name: tuple(
                CommitRef(name, record.day, commit)
                for record in reversed(records)
                for commit in record.commits
            )
            for name, records in days.items()
        }
        return cls(tuple(repos), days, timeline)

    def days(self) -> list[date]:
        """Days that get a page: those on which any repository has a record with commits
        (or a failed or unfinished fetch, which the page must admit). Oldest first."""
        return list(self._days)

    def newest_complete_day(self) -> date | None:
        """The newest day some repository has finished recording: where "the last year" and
        "the last 30 days" end. Pages never ask the clock, so this stands in for "today"."""
        return self._newest_complete

    def settled(self, day: date) -> bool:
        """Whether every record of the day is complete: its report will not change any more
        unless the inputs do, so a feed may announce it."""
        return all(record.complete for record in self.records_on(day))

    def day_total(self, day: date) -> int:
        """Commits of all repositories on the day."""
        return sum(len(record.commits) for record in self.records_on(day))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month with a day page, oldest first."""
        return sorted({(day.year, day.month) for day in self._days})

    def days_in_month(self, year: int, month: int) -> list[date]:
        """The month's days that have a page, oldest first."""
        start = bisect.bisect_left(self._days, date(year, month, 1))
        end = bisect.bisect_left(self._days, _next_month(year, month))
        return list(self._days[start:end])

    def records_on(self, day: date) -> list[DayRecord]:
        """The day's records in config order (repositories without one are skipped)."""
        return [
            record for repo in self.repos if (record := self._by_day.get((repo, day))) is not None
        ]

    def day_neighbours(self, day: date) -> tuple[date | None, date | None]:
        """The previous and the next day that have a page."""
        days = self._days
        index = bisect.bisect_left(days, day)
        after = index + 1 if index < len(days) and days[index] == day else index
        return days[index - 1] if index else None, days[after] if after < len(days) else None

    def commit(self, repo: str, sha: str) -> CommitRef:
        """A recorded commit by its full sha; KeyError if the archive has none."""
        return self.timeline[repo][self._position[repo, sha]]

    def commit_neighbours(self, ref: CommitRef) -> tuple[CommitRef | None, CommitRef | None]:
        """The older and the newer commit of the same repository."""
        refs, index = self.timeline[ref.repo], self._position[ref.repo, ref.commit.sha]
        older = refs[index + 1] if index + 1 < len(refs) else None
        return older, refs[index - 1] if index else None

    @cached_property
    def _days(self) -> tuple[date, ...]:
        found = {
            record.day
            for days in self.records.values()
            for record in days
            if record.commits or not record.complete
        }
        return tuple(sorted(found))

    @cached_property
    def _newest_complete(self) -> date | None:
        complete = [r.day for days in self.records.values() for r in days if r.complete]
        return max(complete, default=None)

    @cached_property
    def _by_day(self) -> dict[tuple[str, date], DayRecord]:
        return {(name, r.day): r for name, days in self.records.items() for r in days}

    @cached_property
    def _position(self) -> dict[tuple[str, str], int]:
        positions: dict[tuple[str, str], int] = {}
        for name, refs in self.timeline.items():
            for index, ref in enumerate(refs):
                positions.setdefault((name, ref.commit.sha), index)
        return positions


def _next_month(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def finished(record: DayRecord) -> bool:
    """Whether the record's day had ended when it was fetched. An open day's record is
    redone by the next run; a finished one's commits are final even if the record is not
    complete (a failed fetch, a clone behind), so pages may summarise them and feeds
    announce them."""
    return record.status != "open"
