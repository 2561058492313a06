"""The typed context each page template receives: a template can use nothing else.

Plain `str` fields hold untrusted text and are escaped when printed; `Md`
fields were built from escaped parts by `generator.render.pages`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.models import Analysis
from generator.render.mdtext import Md


@dataclass(frozen=True)
class CommitView:
    """A commit as a page that links to it shows it."""

    anchor: Md
    time: str
    author: str
    """The author's name; Md linking it to the GitHub profile when the login is known."""
    subject: str
    heading_attrs: Md
    """attr_list of the commit's heading in a day page: its id and a short TOC label."""
    page_link: Md
    github_link: Md
    pr_link: Md | None
    """`#1234 title` linked to the pull request, then its labels, each linked."""
    short_sha: Md
    tier: str
    badges: Md
    dropped: Md | None
    """A badge when the commit is no longer on the branch."""
    analysis: Analysis | None


@dataclass(frozen=True)
class TierSection:
    title: str
    tier: str
    commits: tuple[CommitView, ...]


@dataclass(frozen=True)
class RepoDay:
    name: str
    repo_link: Md
    notice: str | None
    overview: str | None
    """What mattered most that day, when an LLM wrote it (plain text, escaped on print)."""
    rows: tuple[CommitView, ...]
    stats: str
    sections: tuple[TierSection, ...]


@dataclass(frozen=True)
class DayPage:
    front: dict[str, Md]
    tags: tuple[Md, ...]
    """The day's repositories, for the tags index."""
    title: str
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


@dataclass(frozen=True)
class RepoPage:
    front: dict[str, Md]
    name: str
    github_link: Md
    days: tuple[tuple[Md, int, int, int, int], ...]
    latest_high: tuple[tuple[str, CommitView], ...]


@dataclass(frozen=True)
class HomePage:
    front: dict[str, Md]
    archive_links: Md
    latest: tuple[tuple[Md, Md, str], ...]
    recent: tuple[tuple[Md, str], ...]


@dataclass(frozen=True)
class ArchivePage:
    front: dict[str, Md]
    months: tuple[tuple[str, tuple[tuple[Md, str], ...]], ...]
