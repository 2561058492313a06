"""What docs/ was last rendered from: how a render finds what changed.

`<cache_dir>/rendered/<docs>.json` (one per docs folder: two configs may share the records
and the cache, each with docs of its own) holds, for every record the pages were rendered from, the
hash of its file (`recordcache.Summary.digest`); a record whose summary now has another
hash, a new record and a record gone are what changed. What each record holds is in the
record summaries (`recordcache`), not here: this file only says which versions the pages
show.

It is a cache: the records in data/ are the truth. A missing, unreadable or foreign state
(another version of the generator, other site settings), or a docs/ folder other than the
one it describes (its home page is not the one it saved), means every page is rendered
once more and the state is made anew, never a wrong page.

`generation` names the lineage of the rendered pages (a new one whenever the state is made
anew) and `revision` counts the renders that changed a file; a site build remembers both,
and so knows whether docs/ moved on since. `removed` lists the pages that renders deleted,
by revision, so the build deletes them from the site too.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from generator.files import write_atomic
from generator.models import DayRecord
from generator.recordcache import file_digest
from generator.render import links

FORMAT = 2

Key = tuple[str, date]
T = TypeVar("T")


def follow_records(
    records: dict[Key, tuple[str, T]],
    shown: Mapping[Key, str],
    read: Callable[[str, date], DayRecord],
    derive: Callable[[DayRecord], T],
    wanted: Callable[[Key], bool] = lambda key: True,
) -> tuple[int, bool]:
    """Bring an index of what each record holds (watch hits, tiers, history entries: each
    kept with the hash of the record file it came from) up to the records as they are now
    (`shown`: each record file's hash): forget the gone ones, `derive` again from the new
    and changed ones that are `wanted`. Returns how many records it read, and whether the
    index changed."""
    read_count, changed = 0, False
    for key in records.keys() - shown.keys():
        del records[key]
        changed = True
    for key, digest in sorted(shown.items()):
        if not wanted(key):
            continue
        known = records.get(key)
        if known is not None and known[0] == digest:
            continue
        records[key] = (digest, derive(read(*key)))
        changed = True
        read_count += 1
    return read_count, changed


def records_json(
    records: Mapping[Key, tuple[str, T]], row: Callable[[T], object]
) -> dict[str, dict[str, list[object]]]:
    """Such an index as its cache file keeps it: by repository, then day, `[digest, row]`,
    `row` writing what the record holds."""
    found: dict[str, dict[str, list[object]]] = {}
    for (repo, day), (digest, value) in sorted(records.items()):
        found.setdefault(repo, {})[day.isoformat()] = [digest, row(value)]
    return found


def records_from_json(
    raw: Mapping[str, Any], value: Callable[[str, date, Any], T]
) -> dict[Key, tuple[str, T]]:
    """`records_json` read back, `value` reading a row (raising on a malformed one, which
    makes the caller start the index anew)."""
    found: dict[Key, tuple[str, T]] = {}
    for repo, days in raw.items():
        for day_text, (digest, row) in days.items():
            day = date.fromisoformat(day_text)
            found[repo, day] = (str(digest), value(repo, day, row))
    return found


@dataclass
class RenderState:
    fingerprint: str
    """Code, templates and site settings the pages were rendered with."""
    generation: str
    revision: int = 0
    removed: list[tuple[int, str]] = field(default_factory=list)
    """(revision, page) of each page a render deleted, page relative to docs/."""
    records: dict[Key, str] = field(default_factory=dict)
    """The hash of each record file the pages show."""

    @classmethod
    def new(cls, fingerprint: str) -> RenderState:
        return cls(fingerprint, secrets.token_hex(8))

    @classmethod
    def load(cls, cache_dir: Path, docs_dir: Path) -> RenderState | None:
        """The state of `docs_dir`, or None when there is none that can be read."""
        try:
            raw = json.loads(state_file(cache_dir, docs_dir).read_bytes())
            if raw["format"] != FORMAT or raw["home"] != _home(docs_dir):
                return None
            records = {
                (repo, date.fromisoformat(day)): str(digest)
                for repo, days in raw["records"].items()
                for day, digest in days.items()
            }
            removed = [(int(rev), str(page)) for rev, page in raw["removed"]]
            return cls(raw["fingerprint"], raw["generation"], raw["revision"], removed, records)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, cache_dir: Path, docs_dir: Path) -> None:
        records: dict[str, dict[str, str]] = {}
        for (repo, day), digest in sorted(self.records.items()):
            records.setdefault(repo, {})[day.isoformat()] = digest
        whole = {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "generation": self.generation,
            "revision": self.revision,
            "removed": self.removed,
            "home": _home(docs_dir),
            "records": records,
        }
        text = json.dumps(whole, ensure_ascii=False, separators=(",", ":"))
        write_atomic(state_file(cache_dir, docs_dir), text + "\n")

    def removed_since(self, revision: int) -> list[str]:
        """Pages deleted by renders after `revision`."""
        return [page for rev, page in self.removed if rev > revision]


def state_file(cache_dir: Path, docs_dir: Path) -> Path:
    """Where the state of `docs_dir` is kept: named by the folder's place."""
    return cache_dir / "rendered" / f"{place(docs_dir)}.json"


def place(folder: Path) -> str:
    """A short name for a folder's absolute path."""
    return file_digest(str(folder.resolve()).encode())[:16]


def _home(docs_dir: Path) -> str | None:
    """The home page's hash: every render writes it, so it tells this docs/ from another."""
    try:
        return file_digest((docs_dir / links.HOME_PAGE).read_bytes())
    except FileNotFoundError:
        return None
