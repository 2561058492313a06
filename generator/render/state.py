"""What docs/ was last rendered from, kept beside the pages: how a run finds what changed.

`docs/.digest/rendered.json` lists every record the pages were rendered from:
its file's size, modification time and content hash, and its summary
(`render.summary`). A run compares data/ with it: a file whose size and time
are as listed is unchanged; one whose content hash is as listed too (a fresh
checkout sets new times); any other is read, summarised, and its pages are
rendered again. The dot-folder is skipped by MkDocs and Zensical, and the
workflow's cache carries it with docs/.

It is a cache: the records in data/ are the truth. A missing, unreadable or
foreign state (another version of the generator, other site settings) means
every page is rendered once more and the state is made anew, never a wrong page.
A time within a few seconds of the scan is not trusted (a file written again in
the same clock tick keeps its time and perhaps its size): such a file is hashed
again next time.

`generation` names the lineage of the rendered pages (a new one whenever the
state is made anew) and `revision` counts the renders that changed a file; a
site build remembers both, and so knows whether docs/ moved on since. `removed`
lists the pages that renders deleted, by revision, so the build deletes them from
the site too.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from generator.files import write_atomic
from generator.models import TIERS, DayRecord
from generator.records import read_record, record_days, record_path
from generator.render.summary import RecordSummary, summarize

STATE_FOLDER = ".digest"
"""In docs/: a dot-folder, which MkDocs and Zensical do not build."""
RENDERED = "rendered.json"
FORMAT = 1
UNTRUSTED_NS = 3_000_000_000
"""A file modified this close to a scan may change again within the same clock tick."""

Key = tuple[str, date]
STATUSES = ("complete", "failed", "open", "behind")


@dataclass(frozen=True)
class Entry:
    summary: RecordSummary
    digest: str
    """Hash of the record file's bytes."""
    size: int | None = None
    mtime_ns: int | None = None
    """The file's size and time when they can be trusted to tell a change; else None."""


@dataclass
class RenderState:
    fingerprint: str
    """Code, templates and site settings the pages were rendered with."""
    generation: str
    revision: int = 0
    removed: list[tuple[int, str]] = field(default_factory=list)
    """(revision, page) of each page a render deleted, page relative to docs/."""
    entries: dict[Key, Entry] = field(default_factory=dict)

    @classmethod
    def new(cls, fingerprint: str) -> RenderState:
        return cls(fingerprint, secrets.token_hex(8))

    @classmethod
    def load(cls, docs_dir: Path) -> RenderState | None:
        """The state beside the pages, or None when there is none that can be read."""
        try:
            raw = json.loads((docs_dir / STATE_FOLDER / RENDERED).read_bytes())
            if raw["format"] != FORMAT:
                return None
            entries = {}
            for repo, rows in raw["records"].items():
                for row in rows:
                    entry = _entry(repo, row)
                    entries[repo, entry.summary.day] = entry
            removed = [(int(rev), str(page)) for rev, page in raw["removed"]]
            return cls(raw["fingerprint"], raw["generation"], raw["revision"], removed, entries)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def save(self, docs_dir: Path) -> None:
        records: dict[str, list[list]] = {}
        for (repo, _), entry in sorted(self.entries.items()):
            records.setdefault(repo, []).append(_row(entry))
        whole = {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "generation": self.generation,
            "revision": self.revision,
            "removed": self.removed,
            "records": records,
        }
        text = json.dumps(whole, ensure_ascii=False, separators=(",", ":"))
        write_atomic(docs_dir / STATE_FOLDER / RENDERED, text + "\n")

    def removed_since(self, revision: int) -> list[str]:
        """Pages deleted by renders after `revision`."""
        return [page for rev, page in self.removed if rev > revision]


def _row(entry: Entry) -> list:
    s = entry.summary
    return [
        s.day.isoformat(),
        entry.digest,
        entry.size,
        entry.mtime_ns,
        s.status,
        *s.tiers,
        " ".join(s.shas),
        " ".join(s.kinds),
        " ".join(s.rated),
    ]


def _entry(repo: str, row: list) -> Entry:
    day, digest, size, mtime, status, high, medium, low, shas, kinds, rated = row
    if status not in STATUSES or any(tier not in TIERS for tier in rated.split()):
        raise ValueError(f"not a record summary: {row!r}")
    summary = RecordSummary(
        repo=repo,
        day=date.fromisoformat(day),
        status=status,
        tiers=(int(high), int(medium), int(low)),
        shas=tuple(shas.split()),
        kinds=tuple(kinds.split()),
        rated=tuple(rated.split()),
    )
    return Entry(summary, str(digest), size, mtime)


@dataclass
class Scan:
    """The records in data/ compared with what the pages were rendered from."""

    entries: dict[Key, Entry]
    changed: set[Key]
    """Records added, changed or gone since."""
    read: dict[Key, DayRecord]
    """The changed records, as read to summarise them (when asked to keep them)."""
    hashed: int = 0
    """Files read whose content turned out unchanged."""


def scan_records(
    data_dir: Path, repos: Sequence[str], previous: dict[Key, Entry], keep: bool = True
) -> Scan:
    """Compare every record file of `repos` with `previous`; `keep` the changed records read."""
    started = time.time_ns()
    scan = Scan({}, set(), {})
    for repo in repos:
        for day in record_days(data_dir, repo):
            key, path = (repo, day), record_path(data_dir, repo, day)
            stat = path.stat()
            known = previous.get(key)
            if known and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                scan.entries[key] = known
                continue
            data = path.read_bytes()
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            trusted = stat.st_mtime_ns < started - UNTRUSTED_NS
            size, mtime = (stat.st_size, stat.st_mtime_ns) if trusted else (None, None)
            if known and known.digest == digest:
                scan.entries[key] = replace(known, size=size, mtime_ns=mtime)
                scan.hashed += 1
                continue
            record = _parse(path, data)
            scan.entries[key] = Entry(summarize(record), digest, size, mtime)
            scan.changed.add(key)
            if keep:
                scan.read[key] = record
    scan.changed |= previous.keys() - scan.entries.keys()
    return scan


def _parse(path: Path, data: bytes) -> DayRecord:
    try:
        return DayRecord.model_validate_json(data)
    except ValidationError:
        return read_record(path)  # raises the error a corrupt record gets everywhere
