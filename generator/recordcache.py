"""What each record file holds, remembered between runs: the one summary of the records.

A run asks which days are complete (`days.pending_days`) and which records hold analyses
that are no longer current (`pipeline.reanalyze_stale`); the render stage asks which
records changed since the pages were rendered and what the whole archive holds (days,
counts per tier, which commits exist) without reading it. Loading every record on every
run would answer all of that: 1,692 files at 50,000 commits. A summary per record file
answers it instead: its size, time and hash, what it holds (`RecordSummary`), and the
analysis key (`analysis.analysis_key`) under which nothing in it needed work. A run then
loads only the records it fetches, the ones that changed since, and the ones the analyzer
would change; a render only the records whose pages it writes.

The summaries are a cache, never a source of truth: one JSON file per repository under
`<cache_dir>/records/` (outside docs/, so that no exclusion rule stands between it and the
published site), rebuilt from data/ when missing or unreadable. A summary counts only
while its file has the size and modification time it had when summarised; else the file
is hashed, and read again only if its bytes changed (a fresh checkout gives every file a
new time, not new bytes). A file modified within `RACY_NS` before the summaries were saved
is hashed in any case, since a second write in the same clock tick would leave its time
unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from generator.errors import RecordCorrupt
from generator.files import write_atomic
from generator.models import TIERS, DayRecord, Tier
from generator.recordformat import parse_record
from generator.records import record_days, record_path

VERSION = 3
HANDED = 1024
"""Records kept for `take` at most: about three years of days (sglang's 2025 is 75 MB)."""
RACY_NS = 3_000_000_000
"""A file modified this close to when its summary was saved may change again unseen."""

Status = Literal["complete", "failed", "open", "behind"]
STATUSES: tuple[Status, ...] = ("complete", "failed", "open", "behind")


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What pages need to know of one record without reading its commits."""

    repo: str
    day: date
    status: Status
    """`DayRecord.status`."""
    tiers: tuple[int, int, int]
    """Commits per tier, high first (a commit not analysed counts as low)."""
    shas: tuple[str, ...]
    """Each commit's short sha (its page's name), in the record's order: newest first."""
    kinds: tuple[str, ...] = ()
    """The change types of the analysed commits, each once, sorted."""
    rated: tuple[Tier, ...] = ()
    """The tiers of the analysed commits, each once, high first."""
    topics: tuple[str, ...] = ()
    """The topics of the analysed commits, each once, sorted (the search's topic filter)."""

    @property
    def commits(self) -> int:
        return len(self.shas)

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    @property
    def finished(self) -> bool:
        """Whether the day had ended when the record was fetched (`archive.finished`)."""
        return self.status != "open"

    @property
    def has_page(self) -> bool:
        """A record with commits, or one that must admit a failed or unfinished fetch,
        gives its day a page."""
        return bool(self.shas) or not self.complete

    def tier_counts(self) -> dict[Tier, int]:
        return dict(zip(TIERS, self.tiers, strict=True))


def summarize(record: DayRecord) -> RecordSummary:
    analysed = [c.analysis for c in record.commits if c.analysis]
    counts = record.tier_counts()
    return RecordSummary(
        repo=record.repo,
        day=record.day,
        status=record.status,
        tiers=(counts["high"], counts["medium"], counts["low"]),
        shas=tuple(c.short_sha for c in record.commits),
        kinds=tuple(sorted({a.change_type for a in analysed})),
        rated=tuple(t for t in TIERS if any(a.tier == t for a in analysed)),
        topics=tuple(sorted({topic for a in analysed for topic in a.topics})),
    )


@dataclass(frozen=True)
class Summary:
    """One record file as last read: its size, time and hash, and what it says."""

    size: int
    mtime_ns: int
    digest: str
    record: RecordSummary
    current: str | None = None
    """The analysis key under which no commit and no overview of it needed work; None
    when unknown or when something did."""

    @property
    def complete(self) -> bool:
        return self.record.complete


def cache_file(cache_dir: Path, repo: str) -> Path:
    return cache_dir / "records" / f"{repo}.json"


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
    once even when the summaries are rebuilt from nothing. Records read to summarise them,
    or written through `note`, are handed out once by `take` (a render then need not read
    them again)."""

    def __init__(self, data_dir: Path, path: Path, repo: str, check: Check | None) -> None:
        self.data_dir, self.path, self.repo = data_dir, path, repo
        self.check = check
        self._entries: dict[date, Summary] = {}
        self._read: dict[date, DayRecord] = {}
        self._saved_ns = 0
        self._changed = False
        self._load()

    @classmethod
    def open(
        cls, cache_dir: Path, data_dir: Path, repo: str, check: Check | None = None
    ) -> RecordCache:
        return cls(data_dir, cache_file(cache_dir, repo), repo, check)

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
        digest = file_digest(data)
        if entry is None or entry.digest != digest:
            entry = self._summarise(day, data, digest)
        return self._keep(day, replace(entry, size=stat.st_size, mtime_ns=stat.st_mtime_ns))

    def is_current(self, summary: Summary) -> bool:
        """Whether the summarised record was found to need no work under the check's key."""
        return self.check is not None and summary.current == self.check.key

    def take(self, day: date) -> DayRecord | None:
        """The day's record if it was read to summarise it (once: then it is forgotten)."""
        return self._read.pop(day, None)

    # -- after a record was written (or kept) ----------------------------------------------

    def note(self, record: DayRecord, text: str | None) -> None:
        """Remember a record the run has in memory and just stored: `text` when it wrote
        the file, None when it kept it (equal but for `fetched_at`). A written record is
        also handed out by `take`: the run's render then need not read it back."""
        path = record_path(self.data_dir, self.repo, record.day)
        stat = path.stat()
        entry = self._entries.get(record.day)
        if text is not None:
            digest = file_digest(text.encode("utf-8"))
            self._hand(record.day, record)
        elif entry is not None and self._same_file(entry, stat):
            digest = entry.digest
        else:
            digest = file_digest(path.read_bytes())
        current = self.check.current(record) if self.check else None
        summary = Summary(stat.st_size, stat.st_mtime_ns, digest, summarize(record), current)
        self._keep(record.day, summary)

    def save(self) -> None:
        """Write the summaries if they changed (atomically: a cut-short cache is never read)."""
        if not self._changed:
            return
        rows = {day.isoformat(): _row(s) for day, s in sorted(self._entries.items())}
        text = json.dumps(
            {"version": VERSION, "repo": self.repo, "records": rows},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        write_atomic(self.path, text + "\n")
        self._changed = False

    # -- inside ------------------------------------------------------------------------

    def _keep(self, day: date, summary: Summary) -> Summary:
        if self._entries.get(day) != summary:
            self._entries[day] = summary
            self._changed = True
        return summary

    def _summarise(self, day: date, data: bytes, digest: str) -> Summary:
        """A record file read afresh. A corrupt one is failed (the run fetches that day
        again; a page that reads it reports the file)."""
        try:
            record = parse_record(data, record_path(self.data_dir, self.repo, day))
        except RecordCorrupt:
            broken = RecordSummary(self.repo, day, "failed", (0, 0, 0), ())
            return Summary(len(data), 0, digest, broken)
        self._hand(day, record)
        current = self.check.current(record) if self.check else None
        return Summary(len(data), 0, digest, summarize(record), current)

    def _hand(self, day: date, record: DayRecord) -> None:
        """Keep a record for `take`; past `HANDED` the oldest kept is read again instead."""
        self._read.pop(day, None)
        self._read[day] = record
        if len(self._read) > HANDED:
            del self._read[next(iter(self._read))]

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
            for day, row in raw["records"].items():
                self._entries[date.fromisoformat(day)] = _entry(self.repo, day, row)
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError):
            self._entries.clear()  # unreadable: rebuilt from the records
            self._changed = True


def _row(s: Summary) -> list[object]:
    r = s.record
    return [
        s.size,
        s.mtime_ns,
        s.digest,
        s.current,
        r.status,
        *r.tiers,
        " ".join(r.shas),
        " ".join(r.kinds),
        " ".join(r.rated),
        list(r.topics),  # names may hold spaces (`KV cache`)
    ]


def _entry(repo: str, day: str, row: list[object]) -> Summary:
    size, mtime_ns, digest, current, status, high, medium, low, shas, kinds, rated, topics = row
    tiers = str(rated).split()
    if status not in STATUSES or any(t not in TIERS for t in tiers):
        raise ValueError(f"not a record summary: {row!r}")
    if current is not None and not isinstance(current, str):
        raise ValueError("not an analysis key")
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise ValueError("not a list of topics")
    record = RecordSummary(
        repo=repo,
        day=date.fromisoformat(day),
        status=status,  # type: ignore[arg-type]
        tiers=(int(high), int(medium), int(low)),  # type: ignore[call-overload]
        shas=tuple(str(shas).split()),
        kinds=tuple(str(kinds).split()),
        rated=tuple(tiers),  # type: ignore[arg-type]
        topics=tuple(topics),
    )
    return Summary(int(size), int(mtime_ns), str(digest), record, current)  # type: ignore[call-overload]
