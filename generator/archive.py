"""All records of the archive, loaded once and indexed the way pages need them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from generator.config import Config
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
    config: Config
    records: dict[str, tuple[DayRecord, ...]]
    """Per repository, oldest day first."""
    timeline: dict[str, tuple[CommitRef, ...]] = field(default_factory=dict)
    """Per repository, every commit newest first: the order of 'previous/next commit'."""

    @classmethod
    def load(cls, config: Config) -> Archive:
        records = {
            repo.name: tuple(iter_records(config.data_dir, repo.name)) for repo in config.repos
        }
        timeline = {
            name: tuple(
                CommitRef(name, record.day, commit)
                for record in reversed(days)
                for commit in record.commits
            )
            for name, days in records.items()
        }
        return cls(config, records, timeline)

    def days(self) -> list[date]:
        """Days that get a page: those on which any repository has a record with commits
        (or a failed or unfinished fetch, which the page must admit)."""
        found = {
            record.day
            for days in self.records.values()
            for record in days
            if record.commits or not record.complete
        }
        return sorted(found)

    def records_on(self, day: date) -> list[DayRecord]:
        """The day's records in config order (repositories without one are skipped)."""
        return [
            record
            for repo in self.config.repos
            if (record := self._by_day.get((repo.name, day))) is not None
        ]

    @cached_property
    def _by_day(self) -> dict[tuple[str, date], DayRecord]:
        return {(name, r.day): r for name, days in self.records.items() for r in days}
