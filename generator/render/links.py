"""Where each page lives and how pages and GitHub link to each other. Paths are permanent."""

from __future__ import annotations

import posixpath
from datetime import date
from functools import lru_cache
from typing import Literal
from urllib.parse import quote

TOC_TITLE_LIMIT = 60


def day_page(day: date) -> str:
    return f"daily/{day:%Y}/{day:%m}/{day:%d}.md"


def commit_page(repo: str, sha: str) -> str:
    return f"commits/{repo}/{sha[:12]}.md"


def repo_page(repo: str) -> str:
    return f"repos/{repo}.md"


def month_page(year: int, month: int) -> str:
    return f"archive/{year:04d}/{month:02d}.md"


def watch_page(name: str) -> str:
    return f"watches/{name}.md"


def module_page(repo: str, module: str) -> str:
    """`modules/<owner>/<repo>/<module path>.md`; files at the top level are the module
    `/`, whose page is `_root.md`. MkDocs skips files and folders whose name starts with a
    dot, so `.github` is written `_.github`."""
    return f"modules/{repo}/{_module_file(module)}.md"


def module_month_page(repo: str, module: str, year: int, month: int) -> str:
    return f"modules/{repo}/{_module_file(module)}/{year:04d}-{month:02d}.md"


def modules_index_page(repo: str) -> str:
    return f"modules/{repo}.md"


def weekly_page(repo: str, year: int, week: int) -> str:
    """`weekly/<owner>/<repo>/<YYYY>-W<ww>.md`: an ISO week."""
    return f"weekly/{repo}/{year:04d}-W{week:02d}.md"


def _module_file(module: str) -> str:
    if module == "/":
        return "_root"
    return "/".join("_" + part if part.startswith(".") else part for part in module.split("/"))


HOME_PAGE = "index.md"
ARCHIVE_PAGE = "archive.md"
RETIRED_PAGES = ("tags.md",)
"""Pages earlier versions wrote at the top of docs/; a render removes them."""
FEEDS_FOLDER = "feeds"

FeedFormat = Literal["rss", "atom", "json"]
FEED_FORMATS: dict[FeedFormat, tuple[str, str]] = {
    "rss": (".xml", "application/rss+xml"),
    "atom": (".atom", "application/atom+xml"),
    "json": (".json", "application/feed+json"),
}
"""Each format's file suffix and media type. The suffixes differ in their last part, so no
repository name (`o/r.atom` is one) can make two feeds claim one file."""

SITE_FEED_STEM = "feed"
HIGH_FEED_STEM = f"{FEEDS_FOLDER}/high"


def repo_feed_stem(repo: str) -> str:
    return f"{FEEDS_FOLDER}/{repo}"


def repo_high_feed_stem(repo: str) -> str:
    # One level deeper than any repository's own feed (`feeds/<owner>/<name>`), so it can
    # never be another repository's.
    return f"{FEEDS_FOLDER}/{repo}/high"


def weekly_feed_stem(repo: str | None = None) -> str:
    """`feeds/weekly` for every repository, `feeds/<owner>/<repo>/weekly` for one (a level
    below the repository's own feed, like its high feed)."""
    return f"{FEEDS_FOLDER}/{repo}/weekly" if repo else f"{FEEDS_FOLDER}/weekly"


def watch_feed_stem(name: str) -> str:
    # A repository named `watches/<name>` would share it: the config refuses that name.
    return f"{FEEDS_FOLDER}/watches/{name}"


def feed_file(stem: str, kind: FeedFormat) -> str:
    """A feed's file relative to docs/ (and to the site root): `feeds/o/r` → `feeds/o/r.xml`."""
    return stem + FEED_FORMATS[kind][0]


SITE_FEED = feed_file(SITE_FEED_STEM, "rss")


def repo_feed(repo: str) -> str:
    """Where a repository's RSS feed lives, relative to docs/ (and to the site root)."""
    return feed_file(repo_feed_stem(repo), "rss")


def relative(source: str, target: str, anchor: str = "") -> str:
    """A link from page `source` to page `target`, both relative to docs/."""
    path = _relpath(target, posixpath.dirname(source))
    return f"{path}#{anchor}" if anchor else path


def built(page: str) -> str:
    """Where a page or file is in the built site, relative to its root. MkDocs and Zensical
    both build with directory URLs: `daily/2026/02/10.md` → `daily/2026/02/10/`, `index.md`
    → ``; other files keep their path."""
    if not page.endswith(".md"):
        return page
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def href(source: str, target: str, anchor: str = "") -> str:
    """A link from page `source` to `target` (both relative to docs/) as the built site needs
    it in raw HTML, which MkDocs does not rewrite: `index.md` → `daily/2026/02/10.md` gives
    `daily/2026/02/10/`."""
    base, dest = built(source), built(target)
    path = _relpath(dest, base)
    if dest.endswith("/") or not dest:
        path = "./" if path == "." else path + "/"
    return f"{path}#{anchor}" if anchor else path


def absolute(site_url: str, target: str) -> str:
    """The absolute URL of a page or file: `daily/2026/02/10.md` → `{site_url}daily/2026/02/10/`."""
    return site_url + built(target)


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


def toc_title(subject: str) -> str:
    """The subject if it is short, else its first 57 characters and '...'."""
    if len(subject) <= TOC_TITLE_LIMIT:
        return subject
    return subject[: TOC_TITLE_LIMIT - 3] + "..."


@lru_cache(maxsize=1 << 16)
def _relpath(target: str, start: str) -> str:
    """`posixpath.relpath` for two paths relative to the same folder, without asking the
    operating system for the working directory (which relpath does, twice, for every one
    of the hundreds of thousands of links of an archive). Cached: the pages of one folder
    link to the same day, module and repository pages over and over."""
    to = [part for part in posixpath.normpath(target).split("/") if part not in ("", ".")]
    here = [part for part in posixpath.normpath(start).split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."
