"""The pages that lead to the others: home, each repository, the archive and its months.

They summarise finished days only. A day still open (its record was fetched
before the day ended) has a page of its own, but home does not lead with it,
the year's charts end before it and feeds leave it out, so no summary shows
"0 commits" for a day that is not over. Periods end at the archive's newest
complete day, never at the clock, so the same records give the same pages.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from itertools import islice

from generator.models import TIERS
from generator.render import activity, charts, links
from generator.render.archive import CommitRef
from generator.render.contexts import ArchivePage, HomePage, MonthPage, RepoPage, RepoSummary
from generator.render.mdtext import Md, code, link
from generator.render.pages import PageBuilder, front, nav
from generator.render.subscriptions import alternates

RECENT_RECORDS = 30
"""Day rows on a repository page."""
LATEST_HIGH = 20
HOME_HIGH = 5
HOME_RECENT_DAYS = 14


class IndexBuilder:
    """Builds the contexts of home, repository, archive and month pages."""

    def __init__(self, pages: PageBuilder) -> None:
        self.pages = pages
        self.archive = pages.archive
        self.settings = pages.settings
        self.labels = pages.labels
        self.feeds = pages.feeds

    # -- home ----------------------------------------------------------------------

    def home_page(self) -> HomePage:
        page = links.HOME_PAGE
        end = self.archive.newest_complete_day()
        heat_map = None
        if end is not None:
            counts = activity.commits_per_day(self.archive, activity.year_start(end), end)
            heat_map = charts.heat_map(counts, end, lambda d: self._day_href(page, d), self.labels)
        recent = tuple(
            (self.pages.day_link(page, day), self._day_total(day))
            for day in reversed(self._finished_days[-HOME_RECENT_DAYS:])
        )
        offered = [self.feeds.site(), self.feeds.high()]
        title = self.settings.site_name
        archive_link = link(self.labels("all_days"), links.ARCHIVE_PAGE)
        return HomePage(
            front=front(title, title),
            subscribe=self.pages.subscribe(page, offered),
            heat_map=heat_map,
            repos=tuple(self._repo_summary(repo.name, page) for repo in self.settings.repos),
            recent=recent,
            archive_link=archive_link,
        )

    def _repo_summary(self, name: str, page: str) -> RepoSummary:
        last = next(self.archive.summary.newest_first(name, finished=True), None)
        repo_link = link(name, links.relative(page, links.repo_page(name)))
        high = tuple(
            (ref.day.isoformat(), self.pages.commit_view(ref, page))
            for ref in self._high(name, HOME_HIGH)
        )
        if last is None:
            return RepoSummary(name, repo_link, None, None, None, high)
        stats = self.labels("stats", total=last.commits, **last.tier_counts())
        overview = self.archive.record(name, last.day).overview
        return RepoSummary(
            name,
            repo_link,
            self.pages.day_link(page, last.day),
            stats,
            overview.text if overview else None,
            high,
        )

    # -- repository pages ------------------------------------------------------------

    def repo_page(self, name: str) -> RepoPage:
        page = links.repo_page(name)
        summary = self.archive.summary
        days = tuple(
            (self.pages.day_link(page, r.day), r.commits, *r.tiers)
            for r in reversed(summary.of(name)[-RECENT_RECORDS:])
            if summary.has_page(r.day)
        )
        latest_high = tuple(
            (ref.day.isoformat(), self.pages.commit_view(ref, page))
            for ref in self._high(name, LATEST_HIGH)
        )
        end = self._repo_end(name)
        weekly, period, modules, files = None, None, (), ()
        if end is not None:
            weekly = charts.weekly_bars(
                activity.weeks_by_tier(self.archive, name, end), self.labels
            )
            recent = activity.recent_commits(self.archive, name, end)
            start = activity.recent_start(end)
            period = self.labels("period", start=start.isoformat(), end=end.isoformat())
            modules = tuple(_row(b) for b in activity.busiest_modules(recent))
            files = tuple(_row(b) for b in activity.most_changed_files(recent))
        months = self._month_links(page, activity.months_of(self.archive, name))
        offered = [self.feeds.repo(name), self.feeds.repo_high(name)]
        github = link("github.com/" + name, f"https://github.com/{name}")
        return RepoPage(
            front=front(name, self.labels("repo_description", repo=name)),
            feeds=alternates(offered[:1]),
            name=name,
            github_link=github,
            subscribe=self.pages.subscribe(page, offered),
            weekly=weekly,
            period=period,
            modules=modules,
            files=files,
            days=days,
            latest_high=latest_high,
            months=months,
        )

    def _repo_end(self, name: str) -> date | None:
        complete = [r.day for r in self.archive.summary.of(name) if r.complete]
        return complete[-1] if complete else None

    def _month_links(
        self, page: str, months: list[tuple[int, int, int]]
    ) -> tuple[tuple[str, tuple[tuple[Md, int], ...]], ...]:
        years: dict[str, list[tuple[Md, int]]] = {}
        for year, month, total in months:
            target = links.month_page(year, month)
            entry = (link(f"{year}-{month:02d}", links.relative(page, target)), total)
            years.setdefault(str(year), []).append(entry)
        return tuple((year, tuple(entries)) for year, entries in years.items())

    # -- archive ---------------------------------------------------------------------

    def archive_page(self) -> ArchivePage:
        page = links.ARCHIVE_PAGE
        years: dict[str, list[tuple[Md, str, int]]] = {}
        for year, month in reversed(self.archive.months()):
            days = self.archive.days_in_month(year, month)
            total = sum(self.archive.day_total(day) for day in days)
            target = links.relative(page, links.month_page(year, month))
            entry = (
                link(f"{year}-{month:02d}", target),
                self.labels("commit_count", total=total),
                len(days),
            )
            years.setdefault(str(year), []).append(entry)
        title = self.labels("archive")
        return ArchivePage(
            front=front(title, self.labels("archive_intro")),
            years=tuple((year, tuple(months)) for year, months in years.items()),
        )

    def month_page(self, year: int, month: int) -> MonthPage:
        page = links.month_page(year, month)
        months = self.archive.months()
        index = months.index((year, month))
        around = [
            months[index - 1] if index else None,
            months[index + 1] if index + 1 < len(months) else None,
        ]
        previous, following = (
            link(f"{m[0]}-{m[1]:02d}", links.relative(page, links.month_page(*m))) if m else None
            for m in around
        )
        neighbours = nav(
            Md(f"← {previous}") if previous else None, Md(f"{following} →") if following else None
        )
        rows = []
        summary = self.archive.summary
        for day in reversed(self.archive.days_in_month(year, month)):
            records = summary.on(day)
            counts = [sum(r.tiers[n] for r in records) for n in range(len(TIERS))]
            note = "" if summary.finished(day) else self.labels("day_open")
            rows.append((self.pages.day_link(page, day), sum(counts), *counts, note))
        title = self.labels("month_title", month=f"{year}-{month:02d}")
        archive = link(self.labels("archive"), links.relative(page, links.ARCHIVE_PAGE))
        return MonthPage(
            front=front(title, title),
            title=title,
            nav=neighbours,
            archive_link=archive,
            days=tuple(rows),
        )

    # -- shared ------------------------------------------------------------------------

    def _high(self, name: str, count: int) -> list[CommitRef]:
        """The repository's newest `count` high-tier commits of finished days."""
        return list(islice(self.archive.commits(name, finished=True, high=True), count))

    def _day_total(self, day: date) -> str:
        return self.labels("commit_count", total=self.archive.day_total(day))

    def _day_href(self, page: str, day: date) -> str | None:
        return links.href(page, links.day_page(day)) if self.archive.summary.has_page(day) else None

    @cached_property
    def _finished_days(self) -> list[date]:
        """Day pages no record of which is still open, oldest first."""
        return [day for day in self.archive.days() if self.archive.summary.finished(day)]


def _row(busy: activity.Busy) -> tuple[Md, int, int]:
    return code(busy.name), busy.commits, busy.lines
