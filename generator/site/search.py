"""The built site → its search index: Pagefind over the commit and day pages, one part a month.

Pagefind (`pagefind[extended]`, whose wheel carries the binary; only the extended
build segments Chinese) reads each page's `<html lang>`, indexes the article of
commit and day pages (`data-pagefind-body`, with filters and the sort key from
their front matter, see `generator.render.facets`), and writes a bundle the
browser searches by fetching only the chunks a query needs.

The index is split into parts, one per local month, each a bundle of its own
under `pagefind/<YYYY-MM>/`, listed newest first in `pagefind/digest-search.json`
with the values of every filter. Why:

- a page view loads nothing of the index, and a first query loads Pagefind's
  script and the newest parts only (the header's script searches older parts
  when the reader asks for more), so what a query costs does not grow with the
  archive; one index of the whole archive makes every reader download its
  metadata, which grows by about 9 bytes a page (450 KB at 50,000 pages);
- Pagefind's memory grows with the pages of one index; a month of even a large
  archive is a few thousand pages;
- a day changes the pages of its month (and its neighbours'), so a daily update
  can re-index one or two parts and leave the past as it is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import SiteBuildFailed
from generator.files import write_atomic
from generator.models import TIERS
from generator.render import links
from generator.render.archive import Archive
from generator.render.facets import Facets, commit_facets, day_facets, tier_label
from generator.render.i18n import CHANGE_TYPE_LABELS, Labels
from generator.render.settings import SiteSettings

INDEX_FOLDER = "pagefind"
MANIFEST = "digest-search.json"
EXCLUDED = ".headerlink, .cd-nav, .cd-subscribe"
"""Inside the indexed article but not what readers search: the `¶` after each heading, the
links to the neighbouring commits or days (they name other commits), the feed links."""
QUERY_PAGES = 2000
"""How many pages' worth of parts one step of a query searches (newest first, at least one
part). Each part costs a query its metadata (about 9 bytes a page) and an index chunk per
word (10-30 KB); at 2,000 pages a first query stays near 200 KB (bench/bench_search.py),
whatever the archive's size."""
UNUSED = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)
"""Pagefind's own search interfaces, which the site does not use (the header's box is ours)."""


@dataclass
class SearchPlan:
    """Which built pages go into which part of the index, and the filter values."""

    parts: dict[str, list[str]] = field(default_factory=dict)
    """Part id (`YYYY-MM`) → the pages' HTML files, relative to the site folder."""
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return sum(len(pages) for pages in self.parts.values())


@dataclass(frozen=True)
class SearchIndex:
    folder: Path
    pages: int
    parts: int
    largest_part: int
    """Pages in the largest part."""
    seconds: float
    peak_rss_kib: int
    """The largest resident size of one Pagefind run."""

    def line(self) -> str:
        parts = "1 part" if self.parts == 1 else f"{self.parts} parts"
        return f"search index of {self.pages} pages in {parts} in {self.seconds:.1f} s"


def html_file(page: str) -> str:
    """The file MkDocs builds a page into (directory URLs): `a/b.md` → `a/b/index.html`."""
    return "index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html"


def search_plan(archive: Archive, settings: SiteSettings) -> SearchPlan:
    """The commit and day pages of the archive, by part, with what the filters offer."""
    labels = Labels(settings.language)
    pages: dict[str, Facets] = {}
    for name in archive.repos:
        for ref in archive.timeline.get(name, ()):
            page = html_file(links.commit_page(name, ref.commit.sha))
            pages[page] = commit_facets(name, ref.day, ref.commit, labels)
    for day in archive.days():
        repos = tuple(record.repo for record in archive.records_on(day))
        pages[html_file(links.day_page(day))] = day_facets(day, repos, settings.tz)
    plan = SearchPlan()
    for page, facets in sorted(pages.items(), key=lambda item: item[1].part, reverse=True):
        plan.parts.setdefault(facets.part, []).append(page)
    found = list(pages.values())
    plan.filters = {
        "repo": [name for name in settings.repo_names if any(name in f.repos for f in found)],
        "tier": _present([tier_label(tier, labels) for tier in TIERS], (f.tier for f in found)),
        "change_type": _present(
            [labels.change_type(kind) for kind in CHANGE_TYPE_LABELS[settings.language]],
            (f.change_type for f in found),
        ),
        "year": sorted({f"{f.day:%Y}" for f in found}, reverse=True),
    }
    return plan


def _present(ordered: list[str], found: Iterable[str | None]) -> list[str]:
    seen = set(found)
    return [value for value in ordered if value in seen]


def index_site(site_dir: Path, plan: SearchPlan, window: int | None = None) -> SearchIndex:
    """Index every part of `plan` into `site_dir/pagefind/`, then write the manifest (with
    `window`, by default QUERY_PAGES)."""
    started = time.monotonic()
    out = site_dir / INDEX_FOLDER
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    stage = out / ".stage"
    peak = 0
    try:
        for part, pages in plan.parts.items():
            folder = stage / part
            _stage(site_dir, pages, folder)
            peak = max(peak, run_pagefind(folder, out / part))
            shutil.rmtree(folder)
            for pattern in UNUSED:
                for unused in (out / part).glob(pattern):
                    unused.unlink()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    write_atomic(out / MANIFEST, manifest(plan, window or QUERY_PAGES))
    sizes = [len(pages) for pages in plan.parts.values()]
    return SearchIndex(
        out, sum(sizes), len(sizes), max(sizes, default=0), time.monotonic() - started, peak
    )


def manifest(plan: SearchPlan, window: int) -> str:
    """What the header's script reads first: the parts, newest first, how many pages one
    step of a query searches, and the filters."""
    parts = [
        {"id": part, "year": part[:4], "pages": len(pages)} for part, pages in plan.parts.items()
    ]
    found = {"window": window, "parts": parts, "filters": plan.filters}
    return json.dumps(found, ensure_ascii=False, indent=1)


def _stage(site_dir: Path, pages: list[str], folder: Path) -> None:
    """The part's pages at their paths under `folder` (hard links, so nothing is copied),
    for Pagefind to index as a site of its own: its result URLs are these paths."""
    for page in pages:
        source, target = site_dir / page, folder / page
        if not source.is_file():
            raise SiteBuildFailed(f"search: {page} was not built; the site is incomplete")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def pagefind_executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SiteBuildFailed(
            "search: Pagefind's extended build is not installed; "
            "install commit-digest with `pip install -e .` (it brings pagefind[extended])"
        ) from None
    return get_executable()


def run_pagefind(site: Path, output: Path) -> int:
    """Index the HTML under `site` into the bundle `output`; returns the run's peak RSS (KiB).

    Run in `site` with no PAGEFIND_ variables, so no config file or environment of the
    user's changes what is indexed."""
    command = [
        str(pagefind_executable()),
        "--site",
        str(site),
        "--output-path",
        str(output),
        "--exclude-selectors",
        EXCLUDED,
        "--quiet",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=site, env=env, stdout=log, stderr=log)
        # wait4, not wait: it also gives this one process's peak memory.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output_text = log.read().decode("utf-8", "replace")
    if process.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        last = next(reversed(output_text.strip().splitlines()), f"exit code {process.returncode}")
        raise SiteBuildFailed(f"search: Pagefind failed on {site.name}: {last}")
    return usage.ru_maxrss
