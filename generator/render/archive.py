"""The archive as pages see it: the summary of every record, and the records themselves,
read when a page needs them.

A page asks the summary (`render.summary`) what it needs of the whole archive
(days, counts, neighbours) and reads only the records it shows: a day page its
day's records, a commit page its own record and, at a day's edge, the neighbouring
one; home, repository pages and feeds the few recent records they list. So any
single page can be rendered without the others, and a run that changed one day
reads a few dozen records, not the archive. Records read are kept in a small cache
(the last few hundred), enough for rendering day after day in order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Watch
from generator.models import Commit, DayRecord
from generator.recordcache import RecordSummary
from generator.records import read_record, record_path
from generator.render.history import HistoryIndex
from generator.render.references import ModuleMap
from generator.render.summary import ArchiveSummary
from generator.render.watches import WatchIndex

if TYPE_CHECKING:
    from generator.render.releases import ReleaseSet

Loader = Callable[[str, date], DayRecord]
"""Reads the record of a repository and day that the summary lists."""
KEPT = 512
"""Records kept in memory once read."""


@dataclass(frozen=True)
class CommitRef:
    """A commit with where it lives: its repository and local day."""

    repo: str
    day: date
    commit: Commit


class Archive:
    def __init__(self, summary: ArchiveSummary, load: Loader) -> None:
        self.summary = summary
        self.repos = summary.repos
        """The configured repositories, in config order."""
        self._load = load
        self._kept: OrderedDict[tuple[str, date], DayRecord] = OrderedDict()
        self._watch_index: WatchIndex | None = None
        self._history: HistoryIndex | None = None
        self.releases: ReleaseSet | None = None
        """The release records and the tiers they count (`render.releases`), when kept."""

    def use_watch_index(self, index: WatchIndex) -> None:
        """The index the render stage keeps (`render.watches`), up to date with the summary."""
        self._watch_index = index

    def watch_index(self, watches: tuple[Watch, ...]) -> WatchIndex:
        """Which commits each watch follows: the render stage's index, or (an archive made
        for a test, in memory) one made here by reading every record once."""
        if self._watch_index is None or self._watch_index.watches != watches:
            index = WatchIndex(watches, self.repos)
            index.update({(s.repo, s.day): "" for s in self.summary}, self.record)
            self._watch_index = index
        return self._watch_index

    def use_history(self, index: HistoryIndex) -> None:
        """The history index the render stage keeps (`render.history`), up to date."""
        self._history = index

    def history(self, maps: dict[str, ModuleMap]) -> HistoryIndex:
        """Module pages', reverts' and weeks' index: the render stage's, or (an archive made
        for a test, in memory) one made here by reading every record once."""
        if self._history is None or self._history.maps != maps:
            index = HistoryIndex(maps)
            index.update({(s.repo, s.day): "" for s in self.summary}, self.record)
            self._history = index
        return self._history

    def record(self, repo: str, day: date) -> DayRecord:
        """The record of a repository and day that the summary lists."""
        key = (repo, day)
        record = self._kept.get(key)
        if record is None:
            record = self._kept[key] = self._load(repo, day)
            if len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(key)
        return record

    # -- what the summary answers ------------------------------------------------------------

    def days(self) -> list[date]:
        """Days that get a page: those on which any repository has a record with commits
        (or a failed or unfinished fetch, which the page must admit). Oldest first."""
        return list(self.summary.days())

    def newest_complete_day(self) -> date | None:
        """The newest day some repository has finished recording: where "the last year" and
        "the last 30 days" end. Pages never ask the clock, so this stands in for "today"."""
        return self.summary.newest_complete_day()

    def settled(self, day: date) -> bool:
        """Whether every record of the day is complete: its report will not change any more
        unless the inputs do, so a feed may announce it."""
        return self.summary.settled(day)

    def day_total(self, day: date) -> int:
        """Commits of all repositories on the day."""
        return self.summary.day_total(day)

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month with a day page, oldest first."""
        return self.summary.months()

    def days_in_month(self, year: int, month: int) -> list[date]:
        """The month's days that have a page, oldest first."""
        return self.summary.days_in_month(year, month)

    def day_neighbours(self, day: date) -> tuple[date | None, date | None]:
        """The previous and the next day that have a page."""
        return self.summary.day_neighbours(day)

    # -- what needs the records --------------------------------------------------------------

    def records_on(self, day: date) -> list[DayRecord]:
        """The day's records in config order (repositories without one are skipped)."""
        return [self.record(s.repo, day) for s in self.summary.on(day)]

    def commit(self, repo: str, sha: str) -> CommitRef:
        """A recorded commit by its sha; KeyError if the archive has none."""
        day = self._commit_days[repo, sha[:12]]
        found = next(c for c in self.record(repo, day).commits if c.sha.startswith(sha))
        return CommitRef(repo, day, found)

    def commit_neighbours(self, ref: CommitRef) -> tuple[CommitRef | None, CommitRef | None]:
        """The older and the newer commit of the same repository, across days."""
        repo, day = ref.repo, ref.day
        commits = self.record(repo, day).commits
        index = next(i for i, c in enumerate(commits) if c.sha == ref.commit.sha)
        if index + 1 < len(commits):
            older: CommitRef | None = CommitRef(repo, day, commits[index + 1])
        else:
            older = self._edge(self.summary.before(repo, day), newest=True)
        if index:
            newer: CommitRef | None = CommitRef(repo, day, commits[index - 1])
        else:
            newer = self._edge(self.summary.after(repo, day), newest=False)
        return older, newer

    def commits(self, repo: str, finished: bool = False, high: bool = False) -> Iterator[CommitRef]:
        """The repository's commits newest first (of finished days, of the high tier), the
        records read one by one as the caller goes on."""
        for summary in self.summary.newest_first(repo, finished):
            if high and not summary.tiers[0]:
                continue
            for commit in self.record(repo, summary.day).commits:
                if not high or commit.tier == "high":
                    yield CommitRef(repo, summary.day, commit)

    def _edge(self, summary: RecordSummary | None, newest: bool) -> CommitRef | None:
        if summary is None:
            return None
        commits = self.record(summary.repo, summary.day).commits
        return CommitRef(summary.repo, summary.day, commits[0] if newest else commits[-1])

    @cached_property
    def _commit_days(self) -> dict[tuple[str, str], date]:
        return {(s.repo, sha): s.day for s in self.summary for sha in s.shas}


def record_files(data_dir: Path) -> Loader:
    """Reads records from their files under `data_dir`."""
    return lambda repo, day: read_record(record_path(data_dir, repo, day))


def finished(record: DayRecord) -> bool:
    """Whether the record's day had ended when it was fetched. An open day's record is
    redone by the next run; a finished one's commits are final even if the record is not
    complete (a failed fetch, a clone behind), so pages may summarise them and feeds
    announce them."""
    return record.status != "open"
