"""Every page of the archive, one at a time: the page set the render stage writes.

`Pages` renders any single page from the archive (a day, a commit, a repository, a watch,
home, the archive or one of its months) with its template, so a caller can render only what
changed (`render.update`) or every page (`render.workers` deals the days out to cores).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import cached_property
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.render import Rendered, links
from generator.render.archive import Archive, CommitRef
from generator.render.historypages import HistoryPages, Planned
from generator.render.indexes import IndexBuilder
from generator.render.mdtext import code, finalize, inline, paragraph
from generator.render.pages import PageBuilder
from generator.render.releases import ReleaseViews
from generator.render.settings import SiteSettings
from generator.render.watchpage import WatchPages
from generator.render.weeklyfeeds import weekly_ref

GENERATED_FOLDERS = ["daily", "commits", "repos", "archive", "watches", "modules", "weekly"]
"""The folders of docs/ that rendering owns: a file there that no page claims is removed."""


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.render", "templates"),
        undefined=StrictUndefined,
        finalize=finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(code=code, paragraph=paragraph, inline=inline)
    return env


class Pages:
    """Renders any page of the archive on its own: one method per kind of page."""

    def __init__(self, archive: Archive, settings: SiteSettings) -> None:
        self.archive = archive
        self.settings = settings
        self.builder = PageBuilder(archive, settings)
        self.indexes = IndexBuilder(self.builder)
        self.env = environment()
        self.env.globals["label"] = self.builder.labels

    def day(self, day: date) -> Rendered:
        return self._render("day.md.j2", links.day_page(day), self.builder.day_page(day))

    def commit(self, repo: str, sha: str) -> Rendered:
        return self.commit_at(self.archive.commit(repo, sha))

    def commit_at(self, ref: CommitRef) -> Rendered:
        page = self.builder.commit_page(ref)
        return self._render("commit.md.j2", links.commit_page(ref.repo, ref.commit.sha), page)

    def repo(self, name: str) -> Rendered:
        path = links.repo_page(name)
        page = self.history.repo_parts(self.indexes.repo_page(name), name)
        feeds = self.builder.feeds
        offered = [feeds.repo(name), feeds.repo_high(name)]
        if (views := self.release_views) and (listed := views.listed(path, name)):
            offered.append(views.feed_ref(name))
            page = replace(page, releases=listed)
        offered.append(weekly_ref(self.settings, name))
        page = replace(page, subscribe=self.builder.subscribe(path, offered))
        return self._render("repo.md.j2", path, page)

    @cached_property
    def history(self) -> HistoryPages:
        """Module pages, weekly reports, and what repository pages list of them."""
        index = self.builder.history.index
        return HistoryPages(index, self.archive, self.builder.labels)

    def history_plan(self) -> list[Planned]:
        """Every module page, month page, modules list and weekly report with the hash of
        its inputs, and the marks (reverts, follow-ups) commit and day pages carry."""
        return self.history.plan()

    def history_pages(self, plan: list[Planned] | None = None) -> Iterator[Rendered]:
        """Every module page, month page, module list and weekly report."""
        for page in self.history_plan() if plan is None else plan:
            if not page.kind.endswith("_mark"):
                yield self.planned(page)

    def planned(self, page: Planned) -> Rendered:
        """A module page, month page, modules list or weekly report of the plan."""
        template, context = self.history.context(page)
        if page.kind == "weekly":  # its feed, offered as every page offers its own
            offered = [weekly_ref(self.settings, context.repo)]
            context = replace(context, subscribe=self.builder.subscribe(page.path, offered))
        return self._render(template, page.path, context)

    def home(self) -> Rendered:
        page = self.indexes.home_page()
        if self.settings.watches:
            page = replace(page, watches=self.watch_pages.home_list(links.HOME_PAGE))
        if views := self.release_views:
            repos = tuple(
                replace(r, latest_release=views.latest(links.HOME_PAGE, r.name)) for r in page.repos
            )
            page = replace(page, repos=repos)
        return self._render("home.md.j2", links.HOME_PAGE, page)

    @cached_property
    def release_views(self) -> ReleaseViews | None:
        releases = self.archive.releases
        return ReleaseViews(self.settings, releases) if releases else None

    def watch(self, name: str) -> Rendered:
        page = self.watch_pages.watch_page(name)
        return self._render("watch.md.j2", links.watch_page(name), page)

    @cached_property
    def watch_pages(self) -> WatchPages:
        return WatchPages(self.builder, self.archive.watch_index(self.settings.watches))

    def archive_index(self) -> Rendered:
        return self._render("archive.md.j2", links.ARCHIVE_PAGE, self.indexes.archive_page())

    def month(self, year: int, month: int) -> Rendered:
        page = self.indexes.month_page(year, month)
        return self._render("month.md.j2", links.month_page(year, month), page)

    def pages_of_day(self, day: date) -> Iterator[Rendered]:
        """A day's page, then the pages of its commits."""
        yield self.day(day)
        for record in self.archive.records_on(day):
            for commit in record.commits:
                yield self.commit_at(CommitRef(record.repo, day, commit))

    def index_pages(self) -> Iterator[Rendered]:
        """Repository pages, month pages, watch pages, home and the archive: what any change
        may touch."""
        for name in self.archive.repos:
            yield self.repo(name)
        for year, month in self.archive.months():
            yield self.month(year, month)
        for watch in self.settings.watches:
            yield self.watch(watch.name)
        yield self.home()
        yield self.archive_index()

    def _render(self, template: str, path: str, page: Any) -> Rendered:
        return Rendered(path, self.env.get_template(template).render(page=page))
