"""What each record file holds, remembered between runs, so a run need not read them all.

Which days are complete (`pending_days`) and which records hold analyses that are no
longer current (`reanalyze_stale`) used to be answered by loading every record of the
archive on every run: 1,692 files at 50,000 commits. A summary per record file answers
both: whether it is complete, and the analysis key (`analysis.analysis_key`: analyzer,
version, language, importance settings, critical paths, LLM settings and the analysis
code itself) under which nothing in it needed work. A run then loads only the records
it fetches, the ones that changed since, and the ones the analyzer would change.

The summaries are a cache, never a source of truth: one JSON file per repository under
`<docs_dir>/.digest-cache/records/` (MkDocs ignores dot-folders; the workflow's build
cache carries docs/), rebuilt from data/ when missing or unreadable. A summary counts
only while its file has the size and modification time it had when summarised; else
the file is hashed, and read again only if its bytes changed (a fresh checkout gives
every file a new time, not new bytes). A file modified within `RACY_NS` before the
summaries were saved is hashed in any case, since a second write in the same clock
tick would leave its time unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from generator.files import write_atomic
from generator.models import DayRecord
from generator.records import record_days, record_path

CACHE_DIR = ".digest-cache"
VERSION = 1
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Summary:
    """One record file as last read: its size, time and hash, and what it says."""

    size: int
    mtime_ns: int
    digest: str
    complete: bool
    current: str | None = None
    """The analysis key under which no commit and no overview of it needed work; None
    when unknown or when something did."""


def cache_file(docs_dir: Path, repo: str) -> Path:
    return docs_dir / CACHE_DIR / "records" / f"{repo}.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Check:
    """How the run's analyzer judges a record: `needs_work(record)`, and the key of
    everything that judgement depends on besides the record (analysis.analysis_key)."""

    key: str
    needs_work: Callable[[DayRecord], bool]

    def current(self, record: DayRecord) -> str | None:
        """What a summary of `record` notes: the key if it needs no work, else None."""
        return None if self.needs_work(record) else self.key


class RecordCache:
    """The summaries of one repository's records. Callers hold the archive lock to save.

    With a `check`, each record read to summarise it is also judged, so a record is read
    once even when the summaries are rebuilt from nothing."""

    def __init__(self, data_dir: Path, path: Path, repo: str, check: Check | None) -> None:
        self.data_dir, self.path, self.repo = data_dir, path, repo
        self.check = check
        self._entries: dict[date, Summary] = {}
        self._saved_ns = 0
        self._changed = False
        self._load()

    @classmethod
    def open(
        cls, data_dir: Path, docs_dir: Path, repo: str, check: Check | None = None
    ) -> RecordCache:
        return cls(data_dir, cache_file(docs_dir, repo), repo, check)

    # -- reading -------------------------------------------------------------------------

    def summaries(self) -> dict[date, Summary]:
        """Every record file's summary, oldest day first (those that changed read again)."""
        found = {}
        for day in record_days(self.data_dir, self.repo):
            summary = self.summary(day)
            if summary is not None:
                found[day] = summary
        for day in self._entries.keys() - found.keys():
            del self._entries[day]  # its file is gone
            self._changed = True
        return found

    def summary(self, day: date) -> Summary | None:
        """The summary of the day's record file as it is now; None when there is none."""
        path = record_path(self.data_dir, self.repo, day)
        try:
            with path.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                entry = self._entries.get(day)
                if entry is not None and self._same_file(entry, stat):
                    return entry
                data = handle.read()
        except FileNotFoundError:
            return None
        digest = _digest(data)
        if entry is None or entry.digest != digest:
            entry = self._summarise(data, digest)
        return self._keep(day, replace(entry, size=stat.st_size, mtime_ns=stat.st_mtime_ns))

    def is_current(self, summary: Summary) -> bool:
        """Whether the summarised record was found to need no work under the check's key."""
        return self.check is not None and summary.current == self.check.key

    # -- after a record was written (or kept) ----------------------------------------------

    def note(self, record: DayRecord, text: str | None) -> None:
        """Remember a record the run has in memory and just stored: `text` when it wrote
        the file, None when it kept it (equal but for `fetched_at`)."""
        path = record_path(self.data_dir, self.repo, record.day)
        stat = path.stat()
        entry = self._entries.get(record.day)
        if text is not None:
            digest = _digest(text.encode("utf-8"))
        elif entry is not None and self._same_file(entry, stat):
            digest = entry.digest
        else:
            digest = _digest(path.read_bytes())
        current = self.check.current(record) if self.check else None
        summary = Summary(stat.st_size, stat.st_mtime_ns, digest, record.complete, current)
        self._keep(record.day, summary)

    def save(self) -> None:
        """Write the summaries if they changed (atomically: a cut-short cache is never read)."""
        if not self._changed:
            return
        rows = {
            day.isoformat(): [s.size, s.mtime_ns, s.digest, s.complete, s.current]
            for day, s in sorted(self._entries.items())
        }
        text = json.dumps({"version": VERSION, "repo": self.repo, "records": rows})
        write_atomic(self.path, text + "\n")
        self._changed = False

    # -- inside ------------------------------------------------------------------------

    def _keep(self, day: date, summary: Summary) -> Summary:
        if self._entries.get(day) != summary:
            self._entries[day] = summary
            self._changed = True
        return summary

    def _summarise(self, data: bytes, digest: str) -> Summary:
        """A record file read afresh. A corrupt one is not complete (the run fetches that
        day again, or reports the file when it reads it)."""
        try:
            record = DayRecord.model_validate_json(data)
        except ValidationError:
            return Summary(len(data), 0, digest, complete=False)
        current = self.check.current(record) if self.check else None
        return Summary(len(data), 0, digest, record.complete, current)

    def _same_file(self, entry: Summary, stat: os.stat_result) -> bool:
        return (
            entry.size == stat.st_size
            and entry.mtime_ns == stat.st_mtime_ns
            and entry.mtime_ns < self._saved_ns - RACY_NS
        )

    def _load(self) -> None:
        try:
            with self.path.open("rb") as handle:
                self._saved_ns = os.fstat(handle.fileno()).st_mtime_ns
                raw = json.loads(handle.read())
            if raw["version"] != VERSION or raw["repo"] != self.repo:
                raise ValueError("another version or repository")
            for day, (size, mtime_ns, digest, complete, current) in raw["records"].items():
                entry = Summary(int(size), int(mtime_ns), str(digest), complete is True, current)
                if current is not None and not isinstance(current, str):
                    raise ValueError("not an analysis key")
                self._entries[date.fromisoformat(day)] = entry
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError):
            self._entries.clear()  # unreadable: rebuilt from the records
            self._changed = True
