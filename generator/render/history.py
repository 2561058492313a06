"""A commit's place in history: the index that module pages, reverts, follow-ups and weekly
reports are computed from.

These views span the archive: a module page lists commits of many days, a revert changes
the page of a commit recorded weeks before it, a week report counts seven days. None of
them should read every record on every run. `HistoryIndex` keeps, for every record, what
those views need of each commit (its tier, type, author, subject, pull request, modules,
biggest files, interface changes, and what its message says of other commits) with the
hash of the record file it read them from, as `watches.WatchIndex` does: a render reads
again only the records whose file changed. It is a cache in `cache_dir/history/`: a
missing or foreign one (another version of the generator, other `modules:` settings) is
rebuilt from the records.

It also remembers, for every page these views make or change, a hash of what the page
was last rendered from (`pages`): a render compares them with the hashes of now and
writes only the pages whose inputs moved, so a new day re-renders the module pages it
touches, the commit pages a new revert or follow-up points at, and the weeks it
completes, and a full render writes the same bytes.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.files import write_atomic
from generator.fingerprint import code_fingerprint, fingerprint
from generator.models import TIERS, Commit, DayRecord, Tier
from generator.render.references import (
    FollowKind,
    ModuleMap,
    References,
    bare_subject,
    references,
)
from generator.render.rendered import Key, follow_records, place, records_from_json, records_json
from generator.render.settings import SiteSettings
from generator.text import pr_number

FORMAT = 1
CUT_QUOTE = 20
"""A quote cut with `…` matches the subject it begins only when longer than this."""
FILES_KEPT = 40
"""Files kept per commit for "most changed files" (the biggest changes)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One commit as the history views see it."""

    repo: str
    sha: str
    day: date
    order: int
    """Its place in the record: 0 is the day's newest."""
    time: str
    """Committer time, ISO with offset: orders commits within a repository."""
    tier: Tier
    kind: str
    """The change type, or "" when not analysed."""
    author: str
    subject: str
    pr: int | None
    noise: bool
    modules: tuple[str, ...]
    files: tuple[tuple[str, int], ...]
    """(path, lines changed), biggest first, at most FILES_KEPT."""
    interfaces: tuple[tuple[str, str, str, str, str, str], ...]
    """(kind, name, change, file, old, new) of each recorded interface change."""
    refs: References

    @property
    def short_sha(self) -> str:
        return self.sha[:12]

    @classmethod
    def of(cls, repo: str, day: date, order: int, commit: Commit, modules: ModuleMap) -> Entry:
        analysis = commit.analysis
        files = sorted(commit.files, key=lambda f: (-f.changed_lines, f.path))[:FILES_KEPT]
        pull = commit.pull_request
        return cls(
            repo=repo,
            sha=commit.sha,
            day=day,
            order=order,
            time=commit.committed_at.isoformat(),
            tier=commit.tier,
            kind=analysis.change_type if analysis else "",
            author=commit.author_label,
            subject=commit.title,
            pr=pull.number if pull else pr_number(commit.subject),
            noise=bool(analysis and analysis.ignored),
            modules=modules.modules(commit),
            files=tuple((f.path, f.changed_lines) for f in files),
            interfaces=tuple(
                (c.kind, c.name, c.change, c.file, c.old or "", c.new or "")
                for c in commit.interface_changes or ()
            ),
            refs=references(commit),
        )

    def to_json(self) -> list[object]:
        r = self.refs
        return [
            self.sha, self.order, self.time, self.tier, self.kind, self.author, self.subject,
            self.pr, self.noise, list(self.modules), [list(f) for f in self.files],
            [list(i) for i in self.interfaces],
            [list(r.revert_shas), r.revert_subject, r.reland_subject, [list(f) for f in r.follows]],
        ]  # fmt: skip

    @classmethod
    def from_json(cls, repo: str, day: date, raw: list) -> Entry:  # type: ignore[type-arg]
        sha, order, time, tier, kind, author, subject, pr, noise, modules, files, faces, refs = raw
        shas, revert, reland, follows = refs
        return cls(
            repo, sha, day, order, time, tier, kind, author, subject, pr, noise,
            tuple(modules), tuple((str(p), int(n)) for p, n in files),
            tuple(tuple(i) for i in faces),  # type: ignore[misc]
            References(tuple(shas), revert, reland, tuple((k, t) for k, t in follows)),
        )  # fmt: skip


def entries_of(record: DayRecord, modules: ModuleMap) -> tuple[Entry, ...]:
    return tuple(
        Entry.of(record.repo, record.day, n, c, modules) for n, c in enumerate(record.commits)
    )


# -- relations between commits ------------------------------------------------------------


@dataclass(frozen=True)
class Relations:
    """What one commit's page says of the others (shas of the same repository)."""

    reverts: str | None = None
    """The commit it reverts."""
    reverted_by: tuple[str, ...] = ()
    """The commits that revert it, oldest first."""
    follows: tuple[tuple[FollowKind, str], ...] = ()
    """The earlier commits it fixes, follows up or relands."""
    followups: tuple[tuple[FollowKind, str], ...] = ()
    """The later commits that name it so, oldest first."""
    reverted: bool = False
    """Whether it stands reverted: a revert of it that is not itself reverted."""


class _Lookup:
    """The commits a message may name, as they stand when a commit is read (oldest first):
    by sha prefix (any), by pull request and by subject (the newest earlier one)."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_sha = {e.sha: e for e in entries}
        self.shas = sorted(self.by_sha)
        self.place = {e.sha: n for n, e in enumerate(entries)}
        self.by_pr: dict[int, Entry] = {}
        self.by_subject: dict[str, Entry] = {}

    def learn(self, entry: Entry) -> None:
        """After its own references are resolved: a commit never names itself."""
        if entry.pr is not None:
            self.by_pr[entry.pr] = entry
        self.by_subject[entry.subject] = entry  # the newest commit of a subject wins
        self.by_subject[bare_subject(entry.subject)] = entry

    def sha(self, prefix: str) -> Entry | None:
        n = bisect.bisect_left(self.shas, prefix)
        hits = [s for s in self.shas[n : n + 2] if s.startswith(prefix)]
        return self.by_sha[hits[0]] if len(hits) == 1 else None

    def ref(self, ref: str) -> Entry | None:
        """`#1234` (a pull request) or a sha prefix."""
        return self.by_pr.get(int(ref[1:])) if ref.startswith("#") else self.sha(ref)

    def subject(self, text: str, before: int) -> Entry | None:
        found = self.by_subject.get(text) or self.by_subject.get(bare_subject(text))
        if found is None and (number := pr_number(text)) is not None:
            found = self.by_pr.get(number)
        if found is None and text.endswith("…") and len(text) > CUT_QUOTE:
            start = text[:-1].rstrip()  # a quote GitHub cut: the newest subject it begins
            older = reversed(self.entries[:before])
            found = next((e for e in older if e.subject.startswith(start)), None)
        return found

    def older(self, other: Entry | None, entry: Entry) -> bool:
        return other is not None and self.place[other.sha] < self.place[entry.sha]


def _reverted(lookup: _Lookup, entry: Entry) -> Entry | None:
    refs = entry.refs
    target = next((t for sha in refs.revert_shas if (t := lookup.sha(sha))), None)
    if target is None and refs.revert_subject:
        target = lookup.subject(refs.revert_subject, lookup.place[entry.sha])
    return target if lookup.older(target, entry) else None


def _followed(lookup: _Lookup, entry: Entry, reverts: str | None) -> list[tuple[FollowKind, str]]:
    refs = entry.refs
    named = [(kind, lookup.ref(ref)) for kind, ref in refs.follows]
    if refs.reland_subject:
        named.append(("reland", lookup.subject(refs.reland_subject, lookup.place[entry.sha])))
    mine: list[tuple[FollowKind, str]] = []
    for kind, other in named:
        if other is None or not lookup.older(other, entry) or other.sha == reverts:
            continue  # unknown, not older, or what it reverts (said once, as a revert)
        if (kind, other.sha) not in mine:
            mine.append((kind, other.sha))
    return mine


def relations(entries: list[Entry]) -> dict[str, Relations]:
    """The relations of one repository's commits (oldest first in `entries`); commits
    without any are left out. A commit only ever points at an older one."""
    lookup = _Lookup(entries)
    reverts: dict[str, str] = {}
    follows: dict[str, list[tuple[FollowKind, str]]] = {}
    for entry in entries:
        if (target := _reverted(lookup, entry)) is not None:
            reverts[entry.sha] = target.sha
        if mine := _followed(lookup, entry, reverts.get(entry.sha)):
            follows[entry.sha] = mine
        lookup.learn(entry)
    reverted_by: dict[str, list[str]] = {}
    for revert, target_sha in reverts.items():
        reverted_by.setdefault(target_sha, []).append(revert)
    followups: dict[str, list[tuple[FollowKind, str]]] = {}
    for later, named in follows.items():
        for kind, sha in named:
            followups.setdefault(sha, []).append((kind, later))
    stands: dict[str, bool] = {}
    for entry in reversed(entries):  # newest first: a revert's own reverts are decided first
        # Reverted when one of its reverts is not itself reverted: a revert of the revert
        # restores it.
        stands[entry.sha] = any(not stands[r] for r in reverted_by.get(entry.sha, ()))
    place = lookup.place
    result: dict[str, Relations] = {}
    for entry in entries:
        sha = entry.sha
        rel = Relations(
            reverts=reverts.get(sha),
            reverted_by=tuple(sorted(reverted_by.get(sha, ()), key=place.__getitem__)),
            follows=tuple(follows.get(sha, ())),
            followups=tuple(sorted(followups.get(sha, ()), key=lambda f: place[f[1]])),
            reverted=stands[sha],
        )
        if rel != Relations():
            result[sha] = rel
    return result


# -- the index -----------------------------------------------------------------------------


@dataclass
class HistoryIndex:
    """Every record's entries, and the inputs of the pages they made; see the docstring."""

    maps: dict[str, ModuleMap]
    """Each configured repository's module map, in config order."""
    path: Path | None = None
    records: dict[Key, tuple[str, tuple[Entry, ...]]] = field(default_factory=dict)
    """(repo, day) → (the hash of the record file, its commits' entries)."""
    pages: dict[str, str] = field(default_factory=dict)
    """What each derived page (or page mark) was last rendered from, hashed."""
    week_texts: dict[tuple[str, tuple[int, int]], str] = field(default_factory=dict)
    """(repo, ISO week) → the overview an LLM wrote of it (`analysis.weekly`), read from
    data/ by every render (a file a week), not kept here."""
    changed: bool = False
    fresh: bool = False
    """Made anew: nothing is known of what the pages show."""
    _relations: dict[str, dict[str, Relations]] | None = field(default=None, repr=False)
    _shas: dict[tuple[str, str], Entry] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, cache_dir: Path, docs_dir: Path, maps: dict[str, ModuleMap]) -> HistoryIndex:
        path = cache_dir / "history" / f"{place(docs_dir)}.json"
        index = cls(maps, path)
        try:
            raw = json.loads(path.read_bytes())
            if raw["format"] != FORMAT or raw["fingerprint"] != index.fingerprint:
                raise ValueError("another version or other modules")
            index.records.update(
                records_from_json(
                    raw["records"],
                    lambda repo, day, rows: tuple(Entry.from_json(repo, day, r) for r in rows),
                )
            )
            index.pages = {str(k): str(v) for k, v in raw["pages"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            index.records.clear()
            index.pages.clear()
            index.changed = index.fresh = True
        return index

    @property
    def fingerprint(self) -> str:
        return fingerprint(code_fingerprint(), repr(sorted((r, m) for r, m in self.maps.items())))

    def update(self, shown: dict[Key, str], read: Callable[[str, date], DayRecord]) -> int:
        """Follow the records as they are now (each file's hash in `shown`)."""
        count, changed = follow_records(
            self.records,
            shown,
            read,
            lambda record: entries_of(record, self.maps[record.repo]),
            wanted=lambda key: key[0] in self.maps,
        )
        self.changed |= changed
        self._relations = self._shas = None
        return count

    def save(self) -> None:
        if not self.changed or self.path is None:
            return
        whole = {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "records": records_json(self.records, lambda entries: [e.to_json() for e in entries]),
            "pages": dict(sorted(self.pages.items())),
        }
        text = json.dumps(whole, ensure_ascii=False, separators=(",", ":"))
        write_atomic(self.path, text + "\n")
        self.changed = False

    # -- what pages ask --------------------------------------------------------------------

    def entries(self, repo: str) -> Iterator[Entry]:
        """The repository's commits, oldest first."""
        for key in sorted(k for k in self.records if k[0] == repo):
            yield from reversed(self.records[key][1])

    def newest_first(self, repo: str) -> list[Entry]:
        return list(reversed(list(self.entries(repo))))

    def on(self, repo: str, day: date) -> tuple[Entry, ...]:
        known = self.records.get((repo, day))
        return known[1] if known else ()

    def entry(self, repo: str, sha: str) -> Entry | None:
        return self._by_sha.get((repo, sha))

    def relations(self, repo: str) -> dict[str, Relations]:
        if self._relations is None:
            self._relations = {r: relations(list(self.entries(r))) for r in self.maps}
        return self._relations.get(repo, {})

    def relation(self, repo: str, sha: str) -> Relations:
        return self.relations(repo).get(sha, Relations())

    @property
    def _by_sha(self) -> dict[tuple[str, str], Entry]:
        if self._shas is None:
            self._shas = {(e.repo, e.sha): e for _, found in self.records.values() for e in found}
        return self._shas


def module_maps(settings: SiteSettings) -> dict[str, ModuleMap]:
    """Each configured repository's module map, in config order."""
    return {repo.name: ModuleMap(repo.modules) for repo in settings.repos}


def tier_counts(entries: list[Entry]) -> dict[Tier, int]:
    return {tier: sum(1 for e in entries if e.tier == tier) for tier in TIERS}
