"""Release pages, `releases/<owner>/<repo>/<tag>.md`, their feeds, and what home and
repository pages show of the releases (README: Releases).

A release page is a view of its release record (`generator.releases`: the commits of
`previous..tag`, the interface changes between the two tags, the most-changed modules)
and of the day records (the tiers of the commits the archive holds, through
`releasetiers.TierIndex`): re-rendering it needs no git. The same context, with absolute
links, is what `python -m generator report` prints.
"""

from __future__ import annotations

import hashlib
import html
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from packaging.version import Version

from generator.models import TIERS, InterfaceChange, Tier
from generator.releases import ReleaseCommit, ReleaseRecord, load_releases, version_of
from generator.render import links
from generator.render.feedformats import Entry, Feed
from generator.render.i18n import Labels
from generator.render.mdtext import Md, attr, code, inline, link
from generator.render.releasetiers import Placed, TierIndex
from generator.render.settings import SiteSettings
from generator.render.subscriptions import FeedRef, alternates, subscribe_block
from generator.text import TIER_EMOJI, cut, one_line

BREAKING = ("removed", "default")
"""Changes that can break a user's command line, environment or pins."""
VALUE_LIMIT = 80
"""Characters of a default or version shown in a table cell."""
FEED_ITEMS = 20
RELEASES_FOLDER = "releases"
Linker = Callable[[str, str], str]
"""(the page linking, the page linked) → the link's address."""


def release_page(repo: str, tag: str) -> str:
    return f"{RELEASES_FOLDER}/{repo}/{_file_name(tag)}.md"


def releases_feed_stem(repo: str) -> str:
    return f"{links.FEEDS_FOLDER}/{repo}/releases"


def _file_name(tag: str) -> str:
    # Tags may hold `/` (`release/1.0`); the page's name must stay one file name.
    return tag.replace("/", "-")


class ReleaseSet:
    """Every repository's release records, newest version first, and the archive's tiers."""

    def __init__(self, by_repo: dict[str, list[ReleaseRecord]], tiers: TierIndex) -> None:
        self.by_repo = {
            repo: sorted(found, key=_version, reverse=True) for repo, found in by_repo.items()
        }
        self.tiers = tiers

    @classmethod
    def load(cls, data_dir: Path, repos: Sequence[str], tiers: TierIndex) -> ReleaseSet:
        return cls({repo: load_releases(data_dir, repo) for repo in repos}, tiers)

    def of(self, repo: str) -> list[ReleaseRecord]:
        return self.by_repo.get(repo, [])

    def digest(self) -> str:
        """Changes whenever a release record does (what the pages show of them)."""
        h = hashlib.sha256()
        for repo in sorted(self.by_repo):
            for record in self.by_repo[repo]:
                h.update(record.model_dump_json().encode())
        return h.hexdigest()


def _version(record: ReleaseRecord) -> tuple[Version, str]:
    return version_of(record.tag) or Version("0"), record.tag


@dataclass(frozen=True)
class InterfaceRow:
    kind: str
    name: Md
    change: str
    breaking: bool
    values: Md


@dataclass(frozen=True)
class FileChanges:
    file: Md
    kind: str | None
    """The kind of every row, when they share one (the table then leaves it out)."""
    rows: tuple[InterfaceRow, ...]


@dataclass(frozen=True)
class ReleaseView:
    """The context of `release.md.j2`."""

    front: dict[str, Md] | None
    """None for the `report` command's Markdown (no front matter)."""
    feeds: list[dict[str, Md]]
    title: str
    compare: Md
    nav: Md | None
    stats: str
    subscribe: Md | None
    interface_counts: str | None
    interfaces: tuple[FileChanges, ...]
    dependencies: tuple[InterfaceRow, ...]
    notes: tuple[str, ...]
    high: tuple[Md, ...]
    modules: tuple[tuple[Md, int, int], ...]
    picked: tuple[Md, ...]
    """Release-branch commits matched to the followed branch (cherry-picks)."""
    branch_only: tuple[Md, ...]
    """Commits only the release branch has."""


@dataclass(frozen=True)
class Counts:
    total: int
    archived: int
    tiers: dict[Tier, int]
    high: tuple[ReleaseCommit, ...]


def count(record: ReleaseRecord, placed: dict[str, Placed]) -> Counts:
    """The commits per tier among those the archive holds; the high ones, newest first."""
    tiers: Counter[Tier] = Counter()
    high: list[ReleaseCommit] = []
    for commit in record.commits:
        found = placed.get(commit.branch_sha[:12]) if commit.branch_sha else None
        if found is None:
            continue
        tiers[found[1]] += 1
        if found[1] == "high":
            high.append(commit)
    archived = sum(tiers.values())
    return Counts(len(record.commits), archived, {t: tiers[t] for t in TIERS}, tuple(high))


class ReleaseViews:
    """Builds release pages' contexts, the lists other pages show, and the feeds."""

    def __init__(
        self, settings: SiteSettings, releases: ReleaseSet, linker: Linker | None = None
    ) -> None:
        self.settings = settings
        self.releases = releases
        self.labels = Labels(settings.language)
        self.linker = linker or links.relative

    def feed_ref(self, repo: str) -> FeedRef:
        label = self.labels("feed_releases", repo=repo)
        return FeedRef(releases_feed_stem(repo), f"{self.settings.site_name} · {label}", label)

    def view(self, record: ReleaseRecord, standalone: bool = False) -> ReleaseView:
        labels, repo = self.labels, record.repo
        page = release_page(repo, record.tag)
        counts = count(record, self.releases.tiers.of(repo))
        title = labels("release_title", repo=repo, tag=record.tag)
        offered = [self.feed_ref(repo)]
        changes = [c for c in record.interface_changes if c.kind != "dependency"]
        deps = [c for c in record.interface_changes if c.kind == "dependency"]
        description = labels(
            "release_description", repo=repo, tag=record.tag, previous=record.previous.name
        )
        return ReleaseView(
            front=None
            if standalone
            else {"title": Md(attr(title)), "description": Md(attr(description))},
            feeds=[] if standalone else alternates(offered),
            title=title,
            compare=self._compare(record),
            nav=None if standalone else self._nav(record, page),
            stats=labels(
                "release_stats", total=counts.total, archived=counts.archived, **counts.tiers
            ),
            subscribe=None
            if standalone
            else subscribe_block(page, self.settings.site_url, offered, labels),
            interface_counts=self._interface_counts(changes) if changes else None,
            interfaces=self._by_file(changes),
            dependencies=tuple(self._row(c) for c in deps),
            notes=record.interface_notes,
            high=tuple(self._commit_link(page, repo, c) for c in counts.high),
            modules=tuple((code(m.name), m.files, m.lines) for m in record.modules),
            picked=tuple(
                self._picked(page, repo, c) for c in record.commits if c.match not in (None, "sha")
            ),
            branch_only=tuple(self._github(repo, c) for c in record.commits if c.branch_only),
        )

    def _compare(self, record: ReleaseRecord) -> Md:
        old, new = record.previous, record.release
        url = f"https://github.com/{record.repo}/compare/{old.sha[:12]}...{new.sha[:12]}"
        github = link(self.labels("release_on_github"), url)
        return Md(f"{inline(self._compare_text(record))} · {github}")

    def _compare_text(self, record: ReleaseRecord) -> str:
        tz = self.settings.tz
        old, new = record.previous, record.release
        return self.labels(
            "release_compare",
            previous=old.name,
            previous_date=f"{old.date.astimezone(tz):%Y-%m-%d}",
            tag=new.name,
            date=f"{new.date.astimezone(tz):%Y-%m-%d}",
        )

    def _stats(self, counts: Counts) -> str:
        return self.labels(
            "release_stats", total=counts.total, archived=counts.archived, **counts.tiers
        )

    def _nav(self, record: ReleaseRecord, page: str) -> Md | None:
        found = self.releases.of(record.repo)
        index = next((i for i, r in enumerate(found) if r.tag == record.tag), None)
        if index is None:
            return None
        parts = []
        if index + 1 < len(found):
            older = found[index + 1]
            target = self.linker(page, release_page(record.repo, older.tag))
            parts.append(link(f"← {older.tag}", target))
        parts.append(link(record.repo, self.linker(page, links.repo_page(record.repo))))
        if index > 0:
            newer = found[index - 1]
            parts.append(
                link(f"{newer.tag} →", self.linker(page, release_page(record.repo, newer.tag)))
            )
        return Md(" | ".join(parts))

    def _interface_counts(self, changes: Sequence[InterfaceChange]) -> str:
        counted = Counter((c.kind, c.change) for c in changes)
        parts = []
        for kind in ("option", "env"):
            numbers = [counted[kind, change] for change in ("added", "removed", "default")]
            if any(numbers):
                parts.append(
                    self.labels(
                        "release_interface_counts",
                        kind=self.labels(f"interface.{kind}"),
                        added=numbers[0],
                        removed=numbers[1],
                        default=numbers[2],
                    )
                )
        return " · ".join(parts)

    def _by_file(self, changes: Sequence[InterfaceChange]) -> tuple[FileChanges, ...]:
        files: dict[str, list[InterfaceRow]] = {}
        for change in changes:
            files.setdefault(change.file, []).append(self._row(change))

        # The files with the most breaking changes first, those a user must read before
        # upgrading; then the most changed.
        def rank(file: str) -> tuple[int, int, str]:
            rows = files[file]
            return (-sum(r.breaking for r in rows), -len(rows), file)

        order = sorted(files, key=rank)
        found = []
        for file in order:
            rows = files[file]
            kinds = {r.kind for r in rows}
            if len(kinds) > 1:  # the name says which kind it is
                rows = [replace(r, name=Md(f"{r.name} ({inline(r.kind)})")) for r in rows]
            found.append(
                FileChanges(code(file), kinds.pop() if len(kinds) == 1 else None, tuple(rows))
            )
        return tuple(found)

    def _row(self, change: InterfaceChange) -> InterfaceRow:
        labels = self.labels
        if change.change == "added":
            values = _value(change.new)
        elif change.change == "removed":
            values = _value(change.old)
        else:
            values = Md(f"{_value(change.old)} → {_value(change.new)}")
        kind = "version" if change.kind == "dependency" and change.change == "default" else None
        return InterfaceRow(
            kind=labels(f"interface.{change.kind}"),
            name=_value(change.name),
            change=labels("release_version_changed" if kind else f"interface.{change.change}"),
            breaking=change.change in BREAKING,
            values=values,
        )

    def _commit_link(self, page: str, repo: str, commit: ReleaseCommit) -> Md:
        sha = commit.branch_sha or commit.sha
        target = self.linker(page, links.commit_page(repo, sha))
        return Md(f"{TIER_EMOJI['high']} {link(one_line(commit.subject), target)}")

    def _picked(self, page: str, repo: str, commit: ReleaseCommit) -> Md:
        assert commit.branch_sha is not None
        own = link(commit.sha[:10], links.github_commit(repo, commit.sha))
        picked = commit.branch_sha
        archived = picked[:12] in self.releases.tiers.of(repo)
        target = (
            self.linker(page, links.commit_page(repo, picked))
            if archived  # an archived commit has its page; another one only GitHub's
            else links.github_commit(repo, picked)
        )
        how = inline(self.labels(f"release_match.{commit.match}"))
        text = inline(self.labels("release_picked_from"))
        subject = inline(one_line(commit.subject))
        return Md(f"{own} {subject} · {text} {link(picked[:10], target)} ({how})")

    def _github(self, repo: str, commit: ReleaseCommit) -> Md:
        own = link(commit.sha[:10], links.github_commit(repo, commit.sha))
        return Md(f"{own} {inline(one_line(commit.subject))}")

    # -- what other pages show -------------------------------------------------------

    def entry(self, page: str, record: ReleaseRecord) -> Md:
        """A release as a list item: its page, date, commit count."""
        target = self.linker(page, release_page(record.repo, record.tag))
        when = f"{record.release.date.astimezone(self.settings.tz):%Y-%m-%d}"
        counts = self.labels("release_entry", date=when, total=len(record.commits))
        changes = sum(1 for c in record.interface_changes if c.kind != "dependency")
        extra = f" · {self.labels('release_entry_changes', total=changes)}" if changes else ""
        return Md(f"{link(record.tag, target)} · {inline(counts + extra)}")

    def latest(self, page: str, repo: str) -> Md | None:
        found = self.releases.of(repo)
        return self.entry(page, found[0]) if found else None

    def listed(self, page: str, repo: str) -> tuple[Md, ...]:
        return tuple(self.entry(page, record) for record in self.releases.of(repo))

    def feed(self, repo: str) -> Feed:
        site = self.settings.site_url
        entries = []
        for record in self.releases.of(repo)[:FEED_ITEMS]:
            counts = count(record, self.releases.tiers.of(repo))
            body = [_p(self._compare_text(record)), _p(self._stats(counts))]
            changes = [c for c in record.interface_changes if c.kind != "dependency"]
            if changes:
                body.append(_p(self._interface_counts(changes)))
            entries.append(
                Entry(
                    url=links.absolute(site, release_page(repo, record.tag)),
                    title=self.labels("release_title", repo=repo, tag=record.tag),
                    published=record.release.date.astimezone(self.settings.tz),
                    html="\n".join(body),
                    categories=(repo,),
                )
            )
        ref = self.feed_ref(repo)
        return Feed(
            ref=ref,
            description=ref.label,
            home=links.absolute(site, links.repo_page(repo)),
            publisher=self.settings.site_name,
            language=self.settings.language,
            entries=tuple(entries),
        )


def _value(text: str | None) -> Md:
    if text is None:
        return Md("–")
    shown = cut(one_line(text), VALUE_LIMIT)
    # A `|` inside a code span still ends a table cell: such a value is shown as text.
    return inline(shown) if "|" in shown else code(shown)


def _p(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"
