"""Records → the feeds under docs/, each in RSS 2.0, Atom and JSON Feed 1.1.

- `feed.*`: one item per finished day report, the newest 30;
- `feeds/high.*`: one item per high-importance commit of every repository;
- `feeds/<owner>/<repo>.*`: one item per commit of the repository;
- `feeds/<owner>/<repo>/high.*`: its high-importance commits;
- `feeds/watches/<name>.*`: one item per commit a watch follows;
- `feeds/weekly.*` and `feeds/<owner>/<repo>/weekly.*`: one item per complete week report
  (`render.weeklyfeeds`).

Commits a noise rule matched (`ignore:`) are in no feed.

A commit feed covers at least the last 7 days of its repositories, however many
commits that is, and at least the newest 50 commits: a reader polling once a day
misses nothing on a busy day.

Feeds carry only what will not change. A day still open (its record was fetched
before the day ended) gives no item and its commits none either; a day report
waits until every repository's record of the day is complete, since readers
identify an item by its id (the page's URL) and would never show the finished
report after an unfinished one. So no item is ever dated after its record was
fetched. Like the pages, a pure function of the records: no clock, fixed order,
byte-identical files for the same records.

Items' contents are HTML built here from escaped parts: paragraphs with the
tier, the change type and the summary, links to the page, GitHub, the pull
request and the day report, and a day's overview when the record has one.
A commit's item has its tier, change type and topics as categories (RSS and Atom
`category`, JSON Feed `tags`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from generator.analysis.scoreline import score_line
from generator.config import Watch
from generator.files import OutputTree
from generator.localdays import day_window
from generator.models import Commit, DayRecord
from generator.render import Rendered, links
from generator.render.archive import Archive, CommitRef
from generator.render.feedformats import WRITERS, Entry, Feed, high_list
from generator.render.history import module_maps
from generator.render.historypages import HistoryPages
from generator.render.i18n import Labels
from generator.render.interfaces import interface_html
from generator.render.links import FEED_FORMATS
from generator.render.settings import SiteSettings
from generator.render.subscriptions import FeedRef, Feeds
from generator.render.weeklyfeeds import weekly_feeds
from generator.text import TIER_EMOJI, clean, one_line, pr_number

FEED_DAYS = 30
RECENT_DAYS = 7
MIN_COMMITS = 50


def render_feeds(archive: Archive, settings: SiteSettings, out: OutputTree) -> None:
    """Write every feed in every format; remove feeds of repositories no longer configured."""
    for feed in FeedBuilder(archive, settings).every_feed():
        for rendered in feed_files(feed, settings.site_url):
            out.write(*rendered)
    for suffix, _ in FEED_FORMATS.values():
        out.remove_stale([links.FEEDS_FOLDER], suffix=suffix)


def feed_files(feed: Feed, site_url: str) -> list[Rendered]:
    return [Rendered(feed.ref.file(kind), WRITERS[kind](feed, site_url)) for kind in FEED_FORMATS]


class FeedBuilder:
    """Builds each feed's items from the archive."""

    def __init__(self, archive: Archive, settings: SiteSettings) -> None:
        self.archive = archive
        self.settings = settings
        self.labels = Labels(settings.language)
        self.refs = Feeds(settings)
        self.slugs = {repo.name: repo.slug for repo in settings.repos}

    def every_feed(self) -> list[Feed]:
        repos = self.settings.repo_names
        return [
            self.site_feed(),
            self.high_feed(),
            *(self.repo_feed(name) for name in repos),
            *(self.repo_high_feed(name) for name in repos),
            *(self.watch_feed(watch) for watch in self.settings.watches),
            *self.weekly_feeds(),
        ]

    def weekly_feeds(self) -> list[Feed]:
        """Every repository's weekly reports, and each one's (`render.weeklyfeeds`)."""
        index = self.archive.history(module_maps(self.settings))
        return weekly_feeds(HistoryPages(index, self.archive, self.labels), self.settings)

    # -- the feeds -----------------------------------------------------------------------

    def site_feed(self) -> Feed:
        """One item per finished day report, newest first."""
        days = [day for day in self.archive.days() if self.archive.settled(day)]
        entries = [self._day_entry(day) for day in reversed(days[-FEED_DAYS:])]
        return self._feed(self.refs.site(), "feed_description", self.settings.site_url, entries)

    def high_feed(self) -> Feed:
        names = self.settings.repo_names
        summary = self.archive.summary
        newest = [
            day
            for name in names
            if (day := next((s.day for s in summary.newest_first(name, True) if s.tiers[0]), None))
        ]
        since = max(newest) - timedelta(days=RECENT_DAYS - 1) if newest else date.max
        refs = sorted(
            (ref for name in names for ref in self._high_candidates(name, since)),
            key=lambda ref: ref.commit.committed_at,
            reverse=True,
        )
        entries = [self._commit_entry(ref, with_repo=len(names) > 1) for ref in _recent(refs)]
        return self._feed(
            self.refs.high(), "high_feed_description", self.settings.site_url, entries
        )

    def repo_feed(self, repo: str) -> Feed:
        heard = (r for r in self.archive.commits(repo, finished=True) if not _noise(r.commit))
        refs = _recent(heard)
        entries = [self._commit_entry(ref) for ref in refs]
        home = links.absolute(self.settings.site_url, links.repo_page(repo))
        return self._feed(self.refs.repo(repo), "repo_feed_description", home, entries, repo)

    def repo_high_feed(self, repo: str) -> Feed:
        refs = _recent(self.archive.commits(repo, finished=True, high=True))
        entries = [self._commit_entry(ref) for ref in refs]
        home = links.absolute(self.settings.site_url, links.repo_page(repo))
        ref = self.refs.repo_high(repo)
        return self._feed(ref, "repo_high_feed_description", home, entries, repo)

    def watch_feed(self, watch: Watch) -> Feed:
        """The watch's commits of finished days, as many as a repository feed has."""
        refs = sorted(
            _recent(self._watched(watch.name)),
            key=lambda ref: ref.commit.committed_at,
            reverse=True,
        )
        several = len(watch.repos or self.settings.repos) > 1
        entries = [self._commit_entry(ref, with_repo=several) for ref in refs]
        home = links.absolute(self.settings.site_url, links.watch_page(watch.name))
        ref = self.refs.watch(watch)
        return self._feed(ref, "watch_feed_description", home, entries, title=watch.heading)

    def _watched(self, name: str) -> Iterator[CommitRef]:
        """The watch's commits of finished days, newest day first, each record read once."""
        index = self.archive.watch_index(self.settings.watches)
        summary = self.archive.summary
        for found in index.days(name):
            known = summary.get(found.repo, found.day)
            if known is None or not known.finished:
                continue
            wanted = {sha for sha, _ in found.hits}
            for commit in self.archive.record(found.repo, found.day).commits:
                if commit.short_sha in wanted:
                    yield CommitRef(found.repo, found.day, commit)

    def _feed(
        self,
        ref: FeedRef,
        description: str,
        home: str,
        entries: list[Entry],
        repo: str = "",
        title: str = "",
    ) -> Feed:
        return Feed(
            ref=ref,
            description=self.labels(description, repo=repo, title=title),
            home=home,
            publisher=self.settings.site_name,
            language=self.settings.language,
            entries=tuple(entries),
        )

    def _high_candidates(self, repo: str, since: date) -> list[CommitRef]:
        """The repository's high-tier commits of finished days that could be among the high
        feed's items, newest first: all those from `since` (7 days before the newest such
        commit of any repository), and at least the repository's newest 50, in whole days
        (so no commit left out is newer than one taken)."""
        found: list[CommitRef] = []
        for ref in self.archive.commits(repo, finished=True, high=True):
            if ref.day < since and len(found) >= MIN_COMMITS and ref.day != found[-1].day:
                break
            found.append(ref)
        return found

    # -- items -----------------------------------------------------------------------------

    def _day_entry(self, day: date) -> Entry:
        records = self.archive.records_on(day)
        return Entry(
            url=self._url(links.day_page(day)),
            title=self.labels("day_title", date=day.isoformat()),
            published=day_window(day, self.settings.tz).end,
            html="\n".join(self._day_html(record) for record in records),
            categories=tuple(record.repo for record in records),
        )

    def _day_html(self, record: DayRecord) -> str:
        """A repository's part of a day item: its name, stats line, notice, overview and the
        subjects of its high-tier commits."""
        repo_url = self._url(links.repo_page(record.repo))
        stats = self.labels("stats", total=len(record.commits), **record.tier_counts())
        parts = [f'<h3><a href="{_e(repo_url)}">{_e(record.repo)}</a></h3>', _p(stats)]
        if notice := self.labels.status(record):
            parts.append(f"<p><em>{_e(one_line(notice))}</em></p>")
        if record.overview:
            parts.append(_p(record.overview.text))
        high = high_list(
            (self._commit_url(record.repo, c.sha), c.title)
            for c in record.commits
            if c.tier == "high"
        )
        if high:
            parts.append(high)
        return "\n".join(parts)

    def _commit_entry(self, ref: CommitRef, with_repo: bool = False) -> Entry:
        commit, analysis, tier = ref.commit, ref.commit.analysis, ref.commit.tier
        labels = self.labels
        categories = [ref.repo] if with_repo else []
        head = [f"<strong>{TIER_EMOJI[tier]} {_e(labels.tier(tier))}</strong>"]
        if analysis:
            categories += [f"{TIER_EMOJI[tier]} {labels.tier(tier)}"]
            categories += [labels.change_type(analysis.change_type), *analysis.topics]
            head.append(_e(labels.change_type(analysis.change_type)))
        head += [_e(ref.repo), f"<code>{commit.sha[:12]}</code>"]
        parts = ["<p>" + " · ".join(head) + "</p>"]
        if commit.dropped_at:
            categories.append(labels("dropped"))
            parts.append(f"<p><em>{_e(labels('dropped'))}</em></p>")
        if analysis:
            parts.append(_p(analysis.summary))
            if analysis.score is not None:
                parts.append(_p(score_line(analysis.score, analysis.score_parts, labels.language)))
        if interfaces := interface_html(commit.interface_changes, labels):
            parts.append(interfaces)
            categories.append(labels("interface_changes"))
        anchor = links.anchor(self.slugs[ref.repo], commit.sha)
        targets = [(labels("view_commit"), links.github_commit(ref.repo, commit.sha))]
        if number := pr_number(commit.subject):
            targets.append((f"#{number}", links.github_pull(ref.repo, number)))
        day_url = self._url(links.day_page(ref.day)) + "#" + anchor
        targets.append((f"{labels('day_page')} {ref.day.isoformat()}", day_url))
        parts.append(
            "<p>"
            + " · ".join(f'<a href="{_e(url)}">{_e(text)}</a>' for text, url in targets)
            + "</p>"
        )
        title = f"{TIER_EMOJI[tier]} {one_line(commit.title)}"
        if with_repo:
            title = f"{TIER_EMOJI[tier]} {ref.repo}: {one_line(commit.title)}"
        return Entry(
            url=self._commit_url(ref.repo, commit.sha),
            title=title,
            published=commit.committed_at.astimezone(self.settings.tz),
            html="\n".join(parts),
            categories=tuple(categories),
            author=one_line(commit.author.name),
        )

    def _url(self, page: str) -> str:
        return links.absolute(self.settings.site_url, page)

    def _commit_url(self, repo: str, sha: str) -> str:
        return self._url(links.commit_page(repo, sha))


def _recent(refs: Iterable[CommitRef]) -> list[CommitRef]:
    """Of commits newest first: those of the last 7 days up to the newest one's day, and
    never fewer than the newest 50. Reads `refs` only as far as that."""
    taken: list[CommitRef] = []
    for ref in refs:
        since = taken[0].day - timedelta(days=RECENT_DAYS - 1) if taken else ref.day
        if ref.day < since and len(taken) >= MIN_COMMITS:
            break
        taken.append(ref)
    return taken


def _noise(commit: Commit) -> bool:
    """A commit a noise rule matched: in the day report, in no feed."""
    return commit.analysis is not None and commit.analysis.ignored is not None


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _p(text: str) -> str:
    """Plain text as one HTML paragraph, its line breaks kept."""
    lines = [_e(line) for line in clean(text).strip().split("\n")]
    return "<p>" + "<br>".join(lines) + "</p>"
