"""The tier of every archived commit, by short sha: what release pages count.

A release page counts the tiers of its commits that the archive holds (the same commit on
the followed branch, or the one a cherry-pick came from) and lists the high ones. Reading
every record a release spans on every render would read the whole archive; `TierIndex`
keeps, per record, the short shas and tiers of its commits with the hash of the record file
it read them from, and a render reads again only the records whose file changed (as
`watches.WatchIndex` does for watches). It is a cache in `cache_dir/releases/`: a missing
or foreign one is rebuilt from the records.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from generator.files import write_atomic
from generator.fingerprint import code_fingerprint
from generator.models import TIERS, DayRecord, Tier
from generator.render.rendered import Key, follow_records, place, records_from_json, records_json

FORMAT = 1
Placed = tuple[date, Tier]
"""Where an archived commit is (its record's day) and its tier."""


@dataclass
class TierIndex:
    path: Path | None = None
    records: dict[Key, tuple[str, str]] = field(default_factory=dict)
    """(repo, day) → (the hash of the record file, `sha:t sha:t …` of its commits)."""
    changed: bool = False
    rendered: str = ""
    """The release records' digest (`releases.ReleaseSet.digest`) the pages were last
    rendered from: a new or changed release record alone makes a render write."""

    @classmethod
    def load(cls, cache_dir: Path, docs_dir: Path) -> TierIndex:
        path = cache_dir / "releases" / f"{place(docs_dir)}.json"
        index = cls(path)
        try:
            raw = json.loads(path.read_bytes())
            if raw["format"] != FORMAT or raw["code"] != code_fingerprint():
                raise ValueError("another version")
            index.records.update(
                records_from_json(raw["records"], lambda repo, day, rows: str(rows))
            )
            index.rendered = str(raw["rendered"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            index.records.clear()
            index.changed = True
        return index

    def update(self, shown: dict[Key, str], read: Callable[[str, date], DayRecord]) -> int:
        """Follow the records as they are now (`shown`: each record file's hash)."""
        count, changed = follow_records(self.records, shown, read, _rows)
        self.changed |= changed
        self.__dict__.pop("_by_repo", None)
        return count

    def mark_rendered(self, digest: str) -> None:
        if digest != self.rendered:
            self.rendered = digest
            self.changed = True

    def save(self) -> None:
        if not self.changed or self.path is None:
            return
        whole = {
            "format": FORMAT,
            "code": code_fingerprint(),
            "rendered": self.rendered,
            "records": records_json(self.records, lambda rows: rows),
        }
        write_atomic(self.path, json.dumps(whole, separators=(",", ":")) + "\n")
        self.changed = False

    def of(self, repo: str) -> dict[str, Placed]:
        """The repository's archived commits: short sha → (day, tier)."""
        return self._by_repo.get(repo, {})

    @cached_property
    def _by_repo(self) -> dict[str, dict[str, Placed]]:
        letters = {t[0]: t for t in TIERS}
        found: dict[str, dict[str, Placed]] = {}
        for (repo, day), (_, rows) in self.records.items():
            placed = found.setdefault(repo, {})
            for item in rows.split():
                sha, _, letter = item.partition(":")
                placed[sha] = (day, letters[letter])
        return found


def from_records(records: list[DayRecord]) -> dict[str, Placed]:
    """The same lookup made from records read directly (the `report` command)."""
    return {c.short_sha: (r.day, c.tier) for r in records for c in r.commits}


def _rows(record: DayRecord) -> str:
    """`sha:t sha:t …`: each commit's short sha and the first letter of its tier."""
    return " ".join(f"{c.short_sha}:{c.tier[0]}" for c in record.commits)
