"""Watch pages, `watches/<name>.md`, and what other pages show of the watches.

A watch page says what the watch follows, counts its commits per tier over the last 30
days (up to the archive's newest complete day, like every period of the site), and lists
its newest commits by day, newest first: the last `SPAN_DAYS` days, whole days until
`MOST` commits, then how many older ones there are. So the page stays the size of a day
page however old the archive and however broad the watch; the older commits are in the
day pages and in search. The index (`watches.WatchIndex`) says which records hold the
watch's commits; only the records listed are read.
"""

from __future__ import annotations

from datetime import date

from generator.config import Watch
from generator.render import activity, links
from generator.render.archive import CommitRef
from generator.render.contexts import WatchDayView, WatchEntry, WatchLink, WatchPage
from generator.render.facets import tier_label
from generator.render.mdtext import Md, code, inline, link
from generator.render.pages import PageBuilder, front
from generator.render.subscriptions import alternates
from generator.render.watches import Hit, WatchIndex, newest_days

MOST = 200
"""Commits a watch page lists at most (in whole days: a day is never cut)."""
SPAN_DAYS = 60
"""Days back from its newest commit a watch page lists at most."""


class WatchPages:
    """Builds watch pages and the home page's list of watches."""

    def __init__(self, pages: PageBuilder, index: WatchIndex) -> None:
        self.pages = pages
        self.index = index
        self.archive = pages.archive
        self.settings = pages.settings
        self.labels = pages.labels

    # -- a watch's page ------------------------------------------------------------

    def watch_page(self, name: str) -> WatchPage:
        watch = self.settings.watch(name)
        page = links.watch_page(name)
        shown, older = newest_days(self.index.days(name), MOST, SPAN_DAYS)
        several = len(watch.repos or self.settings.repos) > 1  # then each entry names its repo
        days = tuple(self._day(page, found.repo, found.day, found.hits, several) for found in shown)
        merged: list[WatchDayView] = []
        for view in days:  # one heading per day, its repositories in config order
            if merged and merged[-1].day == view.day:
                last = merged[-1]
                merged[-1] = WatchDayView(
                    last.day, last.link, last.note, last.entries + view.entries
                )
            else:
                merged.append(view)
        period, stats = self._recent(name)
        offered = [self.pages.feeds.watch(watch)]
        description = self.labels("watch_description", title=watch.heading)
        return WatchPage(
            front=front(watch.heading, description),
            feeds=alternates(offered),
            title=watch.heading,
            subscribe=self.pages.subscribe(page, offered),
            follows=self._follows(watch, page),
            period=period,
            stats=stats,
            days=tuple(merged),
            older=self.labels("watch_older", total=older) if older else None,
        )

    def _day(
        self, page: str, repo: str, day: date, hits: tuple[Hit, ...], several: bool
    ) -> WatchDayView:
        wanted = {sha for sha, _ in hits}
        record = self.archive.record(repo, day)
        entries = tuple(
            self._entry(page, CommitRef(repo, day, c), several)
            for c in record.commits
            if c.short_sha in wanted
        )
        note = None if self.archive.summary.finished(day) else self.labels("day_open")
        return WatchDayView(day, self.pages.day_link(page, day), note, entries)

    def _entry(self, page: str, ref: CommitRef, several: bool) -> WatchEntry:
        view = self.pages.commit_view(ref, page)
        badge = self.pages.tier_badge(ref.commit.tier)
        return WatchEntry(badge, view.page_link, ref.repo if several else None, view.author)

    def _recent(self, name: str) -> tuple[str | None, str | None]:
        end = self.archive.newest_complete_day()
        if end is None:
            return None, None
        start = activity.recent_start(end)
        counts = self.index.counts(name, start, end)
        period = self.labels("period", start=start.isoformat(), end=end.isoformat())
        return period, self.labels("watch_stats", total=sum(counts.values()), **counts)

    def _follows(self, watch: Watch, page: str) -> tuple[tuple[str, Md | str], ...]:
        labels = self.labels
        repos = watch.repos or self.settings.repo_names
        rows: list[tuple[str, Md | str]] = [
            (
                labels("repository"),
                Md(", ".join(link(r, links.relative(page, links.repo_page(r))) for r in repos)),
            )
        ]
        for key, values in (("paths", watch.paths), ("keywords", watch.keywords)):
            if values:
                rows.append((labels(f"watch_{key}"), Md(", ".join(code(v) for v in values))))
        for key, values in (("labels", watch.labels), ("authors", watch.authors)):
            if values:
                rows.append((labels(f"watch_{key}"), Md(", ".join(inline(v) for v in values))))
        if watch.interfaces:
            rows.append((labels("watch_interfaces"), labels("watch_interfaces_all")))
        tier = watch.min_tier
        rows.append((labels("watch_min_tier"), tier_label(tier, labels)))
        return tuple(rows)

    # -- what other pages show -----------------------------------------------------

    def home_list(self, page: str) -> tuple[WatchLink, ...]:
        """Each watch, linked, with its commits of the last 30 days."""
        end = self.archive.newest_complete_day()
        found = []
        for watch in self.settings.watches:
            target = link(watch.heading, links.relative(page, links.watch_page(watch.name)))
            counts = None
            if end is not None:
                tiers = self.index.counts(watch.name, activity.recent_start(end), end)
                counts = self.labels("watch_recent_count", total=sum(tiers.values()), **tiers)
            found.append(WatchLink(target, counts))
        return tuple(found)
