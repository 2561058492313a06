"""The typed context each page template receives: a template can use nothing else.

Plain `str` fields hold untrusted text and are escaped when printed; `Md`
fields were built from escaped parts by `generator.render.pages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from generator.models import Analysis
from generator.render.interfaces import InterfaceBlock
from generator.render.mdtext import Md

if TYPE_CHECKING:
    from generator.render.historyviews import CommitHistory


@dataclass(frozen=True)
class CommitView:
    """A commit as a page that links to it shows it."""

    anchor: Md
    clock: str
    """Local time of day only (`HH:MM:SS`), for a page that is about one day."""
    author: str
    """The author's name; Md linking it to the GitHub profile when the login is known."""
    subject: str
    title: Md
    """The subject (or the short sha, when it is empty) as Markdown text."""
    heading_attrs: Md
    """attr_list of the commit's heading in a day page: its id."""
    page_link: Md
    """The title, linked to the commit's page from the page that shows the view."""
    github_link: Md
    pr_link: Md | None
    """`#1234 title` linked to the pull request, then its labels, each linked."""
    sha_link: Md
    """Its short sha, linked to the commit on GitHub (day pages)."""
    tier: str
    badges: Md
    """Its tier and change type (a commit page's first line)."""
    type_badge: Md
    """Its change type alone: a day page lists it under its tier's heading."""
    dropped: Md | None
    """A badge when the commit is no longer on the branch."""
    analysis: Analysis | None
    topics: Md | None = None
    """Its topics, a line of chips (`render.topics`)."""
    watches: Md | None = None
    """Links to the watches that follow it, on the pages that mark them (day pages)."""
    ignored: Md | None = None
    """The noise rule that matched it, when one did."""
    reverted: Md | None = None
    """A mark when a later commit reverted it (on day pages)."""


class Row(Protocol):
    tier: str


R = TypeVar("R", bound=Row)


@dataclass(frozen=True)
class TierSection(Generic[R]):
    """One tier of a day report: the day page's and the posted issue's (`pages.tier_sections`)."""

    title: str
    tier: str
    commits: tuple[R, ...]


@dataclass(frozen=True)
class RepoDay:
    name: str
    repo_link: Md
    notice: str | None
    overview: str | None
    """What mattered most that day, when an LLM wrote it (plain text, escaped on print)."""
    rows: tuple[CommitView, ...]
    stats: str
    sections: tuple[TierSection[CommitView], ...]
    interfaces: InterfaceBlock | None = None
    """The day's interface changes, each linked to its commit."""


Feeds = list[dict[str, Md]]
"""Front matter for the theme's `<link rel="alternate">` tags (`subscriptions.alternates`)."""


@dataclass(frozen=True)
class DayPage:
    front: dict[str, Md]
    title: str
    subscribe: Md
    nav: Md
    repos: tuple[RepoDay, ...]


@dataclass(frozen=True)
class FileGroup:
    module: str
    files: tuple[tuple[Md, int | str, int | str], ...]


@dataclass(frozen=True)
class CommitPage:
    front: dict[str, Md]
    subject: str
    badges: Md
    dropped_note: str | None
    facts: tuple[tuple[str, Md | str], ...]
    when: Md
    """Its date (linked to its day), time, repository and GitHub link, on one line."""
    nav: Md
    merge: bool
    body: Md | None
    analysis: Analysis | None
    file_count: int
    file_groups: tuple[FileGroup, ...]
    files_omitted: int
    files_truncated: bool
    """The source listed only part of the files (GitHub stops at 3,000)."""
    score: str | None = None
    """`score 10 = fix 6 + 340 lines 2 + 3 files 2`, in the page's language."""
    topics: Md | None = None
    """Its topics, a line of chips that are also the search's `topic` filter values."""
    ignored: Md | None = None
    """The noise rule that matched it (`Ignored by a noise rule: author dependabot[bot]`)."""
    history: CommitHistory | None = None
    """Its modules, reverts and follow-ups (`render.historyviews`)."""
    interfaces: InterfaceBlock | None = None
    """What it changed in the repository's options, variables and dependencies."""


Counted = tuple[Md, int, int]
"""A module or file, how many commits changed it and how many lines."""
MonthLinks = tuple[tuple[str, tuple[tuple[Md, int], ...]], ...]
"""Per year, newest first: each month's link and its commits."""


@dataclass(frozen=True)
class RepoPage:
    front: dict[str, Md]
    feeds: Feeds
    name: str
    github_link: Md
    subscribe: Md
    weekly: Md | None
    """Commits per week by tier (SVG); None before the repository has a complete day."""
    period: str | None
    """The last 30 days the module and file tables cover."""
    modules: tuple[Counted, ...]
    files: tuple[Counted, ...]
    days: tuple[tuple[Md, int, int, int, int], ...]
    latest_high: tuple[tuple[str, CommitView], ...]
    months: MonthLinks
    reverted_high: tuple[Md, ...] = ()
    """Its high-tier commits that stand reverted, newest first (`render.historyviews`)."""
    weeks: tuple[Md, ...] = ()
    """Links to its newest weekly reports."""
    modules_link: Md | None = None
    """Its modules' list."""
    releases: tuple[Md, ...] = ()
    """Newest first (render.releases)."""


@dataclass(frozen=True)
class RepoSummary:
    """A repository on the home page: its latest finished day and its latest high commits."""

    name: str
    repo_link: Md
    day_link: Md | None
    stats: str | None
    overview: str | None
    high: tuple[tuple[str, CommitView], ...]
    latest_release: Md | None = None


@dataclass(frozen=True)
class HomePage:
    front: dict[str, Md]
    subscribe: Md
    heat_map: Md | None
    """Commits per day over the last year (SVG); None before any day is complete."""
    repos: tuple[RepoSummary, ...]
    recent: tuple[tuple[Md, str], ...]
    archive_link: Md
    watches: tuple[WatchLink, ...] = ()


@dataclass(frozen=True)
class ArchivePage:
    front: dict[str, Md]
    years: tuple[tuple[str, tuple[tuple[Md, str, int], ...]], ...]
    """Per year, newest first: each month's link, its commits and its number of days."""


@dataclass(frozen=True)
class MonthPage:
    front: dict[str, Md]
    title: str
    nav: Md
    archive_link: Md
    days: tuple[tuple[Md, int, int, int, int, str], ...]
    """Newest first: the day's link, commits, per tier, and a note when the day is open."""


@dataclass(frozen=True)
class WatchLink:
    """A watch on the home page: its page, and its commits of the last 30 days."""

    link: Md
    counts: str | None


@dataclass(frozen=True)
class WatchEntry:
    """One commit on a watch page."""

    badge: Md
    link: Md
    repo: str | None
    """Its repository, when the watch follows several."""
    author: str


@dataclass(frozen=True)
class WatchDayView:
    day: date
    link: Md
    note: str | None
    """When the day is still open."""
    entries: tuple[WatchEntry, ...]


@dataclass(frozen=True)
class WatchPage:
    front: dict[str, Md]
    feeds: Feeds
    title: str
    subscribe: Md
    follows: tuple[tuple[str, Md | str], ...]
    """What it matches: repositories, paths, keywords, labels, authors, interfaces, tier."""
    period: str | None
    """The last 30 days the counts cover; None before any day is complete."""
    stats: str | None
    days: tuple[WatchDayView, ...]
    """Newest first."""
    older: str | None
    """How many older commits the page leaves out."""
