"""Where each page lives and how pages and GitHub link to each other. Paths are permanent."""

from __future__ import annotations

import posixpath
import re
from datetime import date
from urllib.parse import quote

PR_NUMBER = re.compile(r"\(#(\d+)\)\s*$")
TOC_TITLE_LIMIT = 60


def day_page(day: date) -> str:
    return f"daily/{day:%Y}/{day:%m}/{day:%d}.md"


def commit_page(repo: str, sha: str) -> str:
    return f"commits/{repo}/{sha[:12]}.md"


def repo_page(repo: str) -> str:
    return f"repos/{repo}.md"


HOME_PAGE = "index.md"
ARCHIVE_PAGE = "archive.md"
TAGS_PAGE = "tags.md"
SITE_FEED = "feed.xml"
FEEDS_FOLDER = "feeds"


def repo_feed(repo: str) -> str:
    """Where a repository's feed lives, relative to docs/ (and to the site root)."""
    return f"{FEEDS_FOLDER}/{repo}.xml"


def relative(source: str, target: str, anchor: str = "") -> str:
    """A link from page `source` to page `target`, both relative to docs/."""
    path = posixpath.relpath(target, posixpath.dirname(source) or ".")
    return f"{path}#{anchor}" if anchor else path


def anchor(repo_slug: str, sha: str) -> str:
    """The id of a commit's row in its day page; unique even if two repos share a commit."""
    return f"{repo_slug}-{sha[:12]}"


def github_commit(repo: str, sha: str) -> str:
    return f"https://github.com/{repo}/commit/{sha}"


def github_pull(repo: str, number: int) -> str:
    return f"https://github.com/{repo}/pull/{number}"


def github_label(repo: str, label: str) -> str:
    return f"https://github.com/{repo}/labels/{quote(label, safe='')}"


def github_profile(login: str) -> str:
    return f"https://github.com/{quote(login, safe='')}"


def pr_number(subject: str) -> int | None:
    """The PR a squash-merged subject names, as GitHub writes it: `... (#1234)`."""
    match = PR_NUMBER.search(subject)
    return int(match.group(1)) if match else None


def toc_title(subject: str) -> str:
    """The subject if it is short, else its first 57 characters and '...'."""
    if len(subject) <= TOC_TITLE_LIMIT:
        return subject
    return subject[: TOC_TITLE_LIMIT - 3] + "..."
