"""Which commits each watch follows: the matcher, and the index of its matches.

`matches(watch, repo, commit)` is the one definition of a watch (README: Watches): the
commit is in one of its repositories, of its `min_tier` or above, not noise (a noise rule
did not match it), and matches at least one of its paths, keywords, labels, authors, or
its `interfaces`. Pages, feeds and notifications all ask it.

A watch page lists the newest of its commits over the whole archive and counts the
older ones, and a notification needs to know which days a watch has commits on; neither
should read every record to find out. `WatchIndex` keeps, for every record, the short
shas and tiers of the commits each watch matches, with the hash of the record file it
read them from: a render reads again only the records whose file changed, as it renders
only their pages. It is a cache in `cache_dir/watches/`: a missing or foreign one (other
watches, another version of the generator) is rebuilt from the records.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.config import Watch
from generator.files import write_atomic
from generator.fingerprint import code_fingerprint, fingerprint
from generator.models import TIERS, Commit, DayRecord, Tier
from generator.render.rendered import Key, follow_records, place, records_from_json, records_json

RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}
FORMAT = 1

Hit = tuple[str, Tier]
"""A matched commit: its short sha (its page's name) and its tier."""


def matches(watch: Watch, repo: str, commit: Commit) -> bool:
    """Whether `watch` follows `commit` of `repo`."""
    if watch.repos and repo not in watch.repos:
        return False
    if commit.analysis is not None and commit.analysis.ignored is not None:
        return False  # noise
    if RANK[commit.tier] < RANK[watch.min_tier]:
        return False
    return _follows(watch, commit)


def _follows(watch: Watch, commit: Commit) -> bool:
    if watch.interfaces and commit.interface_changes:
        return True
    keywords, labels, authors = watch.folded
    person = commit.author
    if authors and (
        person.name.casefold() in authors
        or person.email.casefold() in authors
        or (person.login is not None and person.login.casefold() in authors)
    ):
        return True
    pull = commit.pull_request
    if labels and pull and any(label.casefold() in labels for label in pull.labels):
        return True
    if keywords:
        texts = [commit.subject.casefold(), commit.body.casefold()]
        if pull:
            texts.append(pull.title.casefold())
        if any(word in text for word in keywords for text in texts):
            return True
    if patterns := watch.path_patterns:
        for change in commit.files:
            for path in (change.path, change.old_path):
                if path and any(p.fullmatch(path) for p in patterns):
                    return True
    return False


def watches_of(watches: Sequence[Watch], repo: str, commit: Commit) -> tuple[Watch, ...]:
    """The watches that follow the commit, in config order."""
    return tuple(w for w in watches if matches(w, repo, commit))


def hits_of(watches: Sequence[Watch], record: DayRecord) -> dict[str, tuple[Hit, ...]]:
    """Per watch with any, its commits of the record, in the record's order."""
    found: dict[str, list[Hit]] = {}
    for commit in record.commits:
        for watch in watches_of(watches, record.repo, commit):
            found.setdefault(watch.name, []).append((commit.short_sha, commit.tier))
    return {name: tuple(hits) for name, hits in found.items()}


@dataclass(frozen=True)
class WatchDay:
    """A watch's commits in one repository's record."""

    repo: str
    day: date
    hits: tuple[Hit, ...]

    def counts(self) -> dict[Tier, int]:
        return {tier: sum(1 for _, t in self.hits if t == tier) for tier in TIERS}


@dataclass
class WatchIndex:
    """Every record's matches, by watch; see the module's docstring."""

    watches: tuple[Watch, ...]
    repos: tuple[str, ...]
    """In config order: a day's records are listed in it."""
    path: Path | None = None
    records: dict[Key, tuple[str, dict[str, tuple[Hit, ...]]]] = field(default_factory=dict)
    """(repo, day) → (the hash of the record file, the hits per watch)."""
    changed: bool = False

    @classmethod
    def load(
        cls, cache_dir: Path, docs_dir: Path, watches: Sequence[Watch], repos: Sequence[str]
    ) -> WatchIndex:
        """The index kept for `docs_dir`, or an empty one when none fits these watches."""
        path = cache_dir / "watches" / f"{place(docs_dir)}.json"
        index = cls(tuple(watches), tuple(repos), path)
        try:
            raw = json.loads(path.read_bytes())
            if raw["format"] != FORMAT or raw["fingerprint"] != index.fingerprint:
                raise ValueError("another version or other watches")
            index.records.update(
                records_from_json(raw["records"], lambda repo, day, hits: _hits(hits))
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            index.records.clear()
            index.changed = True
        return index

    @property
    def fingerprint(self) -> str:
        return fingerprint(code_fingerprint(), repr(self.watches))

    def update(self, shown: dict[Key, str], read: Callable[[str, date], DayRecord]) -> int:
        """Follow the records as they are now (`shown`: each record file's hash): read the
        new and changed ones, forget the gone ones. Returns how many records it read."""
        read_count, changed = follow_records(
            self.records, shown, read, lambda record: hits_of(self.watches, record)
        )
        self.changed |= changed
        return read_count

    def save(self) -> None:
        if not self.changed or self.path is None:
            return
        records = records_json(self.records, _rows)
        whole = {"format": FORMAT, "fingerprint": self.fingerprint, "records": records}
        write_atomic(self.path, json.dumps(whole, separators=(",", ":")) + "\n")
        self.changed = False

    # -- what pages and notifications ask ----------------------------------------------

    def days(self, watch: str, until: date | None = None) -> Iterator[WatchDay]:
        """The watch's commits by record, newest day first, then in config order."""
        order = {repo: i for i, repo in enumerate(self.repos)}
        keys = sorted(
            (k for k, (_, hits) in self.records.items() if hits.get(watch)),
            key=lambda k: (-k[1].toordinal(), order.get(k[0], len(order))),
        )
        for repo, day in keys:
            if until is None or day <= until:
                yield WatchDay(repo, day, self.records[repo, day][1][watch])

    def on(self, watch: str, repo: str, day: date) -> tuple[Hit, ...]:
        """The watch's commits in one record (none when it has no such record)."""
        known = self.records.get((repo, day))
        return known[1].get(watch, ()) if known else ()

    def counts(self, watch: str, start: date, end: date) -> dict[Tier, int]:
        """The watch's commits per tier from `start` to `end`, both included."""
        totals = dict.fromkeys(TIERS, 0)
        for found in self.days(watch):
            if start <= found.day <= end:
                for tier, count in found.counts().items():
                    totals[tier] += count
        return totals


def _rows(hits: dict[str, tuple[Hit, ...]]) -> dict[str, str]:
    """A record's hits as the index file keeps them: `sha:tier-letter` per hit."""
    return {
        name: " ".join(f"{sha}:{tier[0]}" for sha, tier in found) for name, found in hits.items()
    }


def _hits(rows: dict[str, str]) -> dict[str, tuple[Hit, ...]]:
    tiers = {t[0]: t for t in TIERS}
    return {
        str(name): tuple(_hit(item, tiers) for item in str(found).split())
        for name, found in rows.items()
    }


def _hit(item: str, tiers: dict[str, Tier]) -> Hit:
    sha, _, letter = item.partition(":")
    return sha, tiers[letter]


def newest_days(days: Iterable[WatchDay], most: int, span: int) -> tuple[list[WatchDay], int]:
    """Of a watch's records newest first: those of the `span` days up to the newest one,
    whole days until they hold `most` commits; and how many commits the others hold."""
    shown: list[WatchDay] = []
    taken = older = 0
    first: date | None = None
    for found in days:
        first = first or found.day
        same_day = bool(shown) and shown[-1].day == found.day  # a day is never cut
        if same_day or (taken < most and (first - found.day).days < span):
            shown.append(found)
            taken += len(found.hits)
        else:
            older += len(found.hits)
    return shown, older
