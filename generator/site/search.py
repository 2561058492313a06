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
  re-indexes one or two parts and leaves the past as it is: a part is indexed again
  only when the built files of its pages changed (their sizes and times, which a
  rebuild of a page changes; `part_signature`), or when its bundle is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import SiteBuildFailed
from generator.files import write_atomic
from generator.fingerprint import fingerprint
from generator.models import TIERS
from generator.render import links
from generator.render.facets import tier_label
from generator.render.i18n import Labels
from generator.render.settings import SiteSettings
from generator.render.summary import ArchiveSummary
from generator.render.topics import in_glossary_order, search_synonyms
from generator.text import CHANGE_TYPE_LABELS

INDEX_FOLDER = "pagefind"
MANIFEST = "digest-search.json"
ENTRY = "pagefind-entry.json"
"""What every bundle Pagefind completed has."""
EXCLUDED = (
    ".headerlink, .cd-nav, .cd-subscribe, .cd-score, .cd-analyzer, .cd-topics strong, .cd-meta, "
    ".cd-commit > ul:first-of-type strong, .cd-commit th, "
    ".cd-day table, a[href*='watches/']"
)
"""Inside the indexed article but not what readers search: the `¶` after each heading, the
links to the neighbouring commits or days (they name other commits), the feed links, a
commit's line of date, time, repository and GitHub link, its score line, which analyzer
wrote its analysis, the label of its topics (the topics themselves are: `render.topics`),
the labels of its facts (SHA, author…; the values are) and its tables' headings. A day
page's table: each of its commits is below it, with its analysis, under a heading the
search box points to. The links to the watches that follow a commit: a watch's name is
the team's word, not the commit's."""
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
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
"""Pagefind's script, its worker and its WebAssembly: the header's box loads them from the
newest part only, and merges the older parts' indexes into it, which load none of theirs
(155 KB a part)."""


@dataclass
class SearchPlan:
    """Which built pages go into which part of the index, the filter values, and what the
    search box says."""

    parts: dict[str, list[str]] = field(default_factory=dict)
    """Part id (`YYYY-MM`) → the pages' HTML files, relative to the site folder."""
    filters: dict[str, list[str]] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    """A topic's other name → its name, for the box to search by (`render.topics`)."""
    text: dict[str, str] = field(default_factory=dict)
    """The box's labels in the site's language (`search_texts`)."""

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
    indexed: int = 0
    """Parts indexed by this build (the others were kept as they were)."""
    signatures: dict[str, str] = field(default_factory=dict)
    """Each part's `part_signature`."""

    def line(self) -> str:
        parts = "1 part" if self.parts == 1 else f"{self.parts} parts"
        return (
            f"search index of {self.pages} pages in {parts} ({self.indexed} indexed) "
            f"in {self.seconds:.1f} s"
        )


def html_file(page: str) -> str:
    """The file MkDocs builds a page into (directory URLs): `a/b.md` → `a/b/index.html`."""
    return "index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html"


def search_plan(summary: ArchiveSummary, settings: SiteSettings) -> SearchPlan:
    """The commit and day pages of the archive, by part (newest first), with what the
    filters offer: the values the pages carry (`render.facets`)."""
    labels = Labels(settings.language)
    parts: dict[str, list[str]] = {}
    for record in summary:
        for sha in record.shas:
            page = html_file(links.commit_page(record.repo, sha))
            parts.setdefault(f"{record.day:%Y-%m}", []).append(page)
    for day in summary.days():
        parts.setdefault(f"{day:%Y-%m}", []).append(html_file(links.day_page(day)))
    plan = SearchPlan({part: parts[part] for part in sorted(parts, reverse=True)})
    plan.text = search_texts(settings)
    rated = {tier for record in summary for tier in record.rated}
    topics = {topic for record in summary for topic in record.topics}
    plan.synonyms = search_synonyms(topics, settings)
    kinds = {kind for record in summary for kind in record.kinds}
    plan.filters = {
        "repo": [
            name
            for name in settings.repo_names
            if any(summary.has_page(record.day) for record in summary.of(name))
        ],
        "tier": [tier_label(tier, labels) for tier in TIERS if tier in rated],
        "change_type": [
            labels.change_type(kind)
            for kind in CHANGE_TYPE_LABELS[settings.language]
            if kind in kinds
        ],
        "topic": in_glossary_order(topics, settings),
        "year": sorted({f"{day:%Y}" for day in summary.days()}, reverse=True),
    }
    return plan


def search_texts(settings: SiteSettings) -> dict[str, str]:
    """What the header's search box says (assets/digest-search.js), in the site's language;
    `{...}` placeholders and `#` (a count) are filled in by its script. They reach the box with
    the list of parts, so no page carries them."""
    labels = Labels(settings.language)
    return {
        "filters": labels("search_filters"),
        "any": labels("search_any"),
        "repo": labels("repository"),
        "tier": labels("importance"),
        "change_type": labels("change_type"),
        "topic": labels("topics"),
        "year": labels("year"),
        "sort": labels("search_sort"),
        "newest": labels("search_newest"),
        "relevance": labels("search_relevance"),
        "input": labels("search_placeholder"),
        "open": labels("search_open"),
        "reset": labels("search_reset"),
        "loading": labels("search_loading"),
        "placeholder": labels("search_prompt"),
        "none": labels("search_none"),
        "one": labels("search_one"),
        "other": labels("search_other"),
        "more": labels("search_more"),
        "as_topics": labels("search_as_topics", topics="{topics}"),
        "older": labels("search_older", month="{month}"),
        "searched": labels("search_searched", first="{first}", last="{last}"),
        "failed": labels("search_failed", error="{error}"),
    }


BOX_LABELS = ("input", "reset", "filters", "repo", "tier", "change_type", "topic", "year", "sort")
"""The labels the search box's controls are named by from the moment its script builds it,
before the part list arrives: they come with the site's settings (`site.sitescript`)."""


def part_signature(site_dir: Path, pages: list[str]) -> str:
    """What a part was indexed from: its pages' built files, with their sizes and times (a
    page MkDocs built again has a new time)."""
    stats = []
    for page in sorted(pages):
        try:
            stat = (site_dir / page).stat()
        except FileNotFoundError:
            raise SiteBuildFailed(f"search: {page} was not built; the site is incomplete") from None
        stats.append(f"{page} {stat.st_size} {stat.st_mtime_ns}")
    return fingerprint(*stats)


def index_site(
    site_dir: Path,
    plan: SearchPlan,
    previous: dict[str, str] | None = None,
    window: int | None = None,
) -> SearchIndex:
    """Index the parts of `plan` into `site_dir/pagefind/` whose pages changed since the
    `previous` signatures (all of them without), remove parts of nothing, and write the
    manifest (with `window`, by default QUERY_PAGES)."""
    started = time.monotonic()
    out = site_dir / INDEX_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.glob(".*"):  # a build killed while indexing
        shutil.rmtree(leftover, ignore_errors=True)
    signatures = {part: part_signature(site_dir, pages) for part, pages in plan.parts.items()}
    known = previous or {}
    newest = next(iter(plan.parts), None)
    todo = [
        part
        for part in plan.parts
        if known.get(part) != signatures[part]
        or not (out / part / ENTRY).is_file()
        or (part == newest and not (out / part / RUNTIME[0]).is_file())
    ]
    stage = out / ".stage"
    peak = 0
    try:
        for part in todo:
            folder, fresh = stage / part, out / f".new-{part}"
            _stage(site_dir, plan.parts[part], folder)
            peak = max(peak, run_pagefind(folder, fresh))
            shutil.rmtree(folder)
            for pattern in UNUSED:
                for unused in fresh.glob(pattern):
                    unused.unlink()
            _replace(fresh, out / part)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    for child in out.iterdir():
        if child.is_dir() and not child.name.startswith(".") and child.name not in plan.parts:
            shutil.rmtree(child)
        elif child.is_dir() and child.name in plan.parts and child.name != newest:
            for pattern in RUNTIME:
                for runtime in child.glob(pattern):
                    runtime.unlink()
    write_atomic(out / MANIFEST, manifest(plan, window or QUERY_PAGES))
    sizes = [len(pages) for pages in plan.parts.values()]
    return SearchIndex(
        out,
        sum(sizes),
        len(sizes),
        max(sizes, default=0),
        time.monotonic() - started,
        peak,
        len(todo),
        signatures,
    )


def _replace(fresh: Path, part: Path) -> None:
    """Put a newly made bundle in the place of the part's old one."""
    old = part.with_name(f".old-{part.name}")
    if part.exists():
        part.rename(old)
    fresh.rename(part)
    shutil.rmtree(old, ignore_errors=True)


def manifest(plan: SearchPlan, window: int) -> str:
    """What the header's script reads first: the parts, newest first, how many pages one
    step of a query searches, and the filters."""
    parts = [
        {"id": part, "year": part[:4], "pages": len(pages)} for part, pages in plan.parts.items()
    ]
    found = {
        "window": window,
        "parts": parts,
        "filters": plan.filters,
        "synonyms": plan.synonyms,
        "text": plan.text,
    }
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
    if process.returncode != 0 or not (output / ENTRY).is_file():
        last = next(reversed(output_text.strip().splitlines()), f"exit code {process.returncode}")
        raise SiteBuildFailed(f"search: Pagefind failed on {site.name}: {last}")
    return usage.ru_maxrss
