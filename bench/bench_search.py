"""Benchmark: Pagefind over a synthetic archive, and what a reader's first query downloads.

Run on demand, not a test:
`.venv/bin/python bench/bench_search.py --commits 5000 50000 [--repos 1] [--compare]`.
For each size it builds bench_archive.py's synthetic sglang archive (records → pages →
`mkdocs build`), then indexes it the way `generator build` does (one part a month), and
prints the index time, Pagefind's peak memory, the index size, and the bytes a first query
transfers in headless Chromium (served gzipped, as GitHub Pages serves text). `--compare`
also measures the alternatives: every part merged at the first query, and one index of
the whole archive.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_archive import build_site, store_day, synthetic_days, write_config

from generator.analysis.rules import RulesAnalyzer
from generator.config import Config, load_config
from generator.files import write_atomic
from generator.pipeline import render
from generator.recordcache import summarize
from generator.records import iter_records
from generator.render.settings import SiteSettings
from generator.render.summary import ArchiveSummary
from generator.site.search import (
    MANIFEST,
    QUERY_PAGES,
    SearchPlan,
    index_site,
    manifest,
    search_plan,
)
from generator.site.serve import serving

CHROMIUM = Path("/usr/bin/chromium")
QUERIES = ["fused_moe", "修复", "#18613", "deepgemm"]
"""An identifier, a Chinese word on most pages, a PR number, a word of a few pages."""


def make_archive(base: Path, commits: int, repos: int, language: str) -> Config:
    """`commits` synthetic commits spread over `repos` repositories (the same days)."""
    names = ["sgl-project/sglang", *(f"bench/repo{n}" for n in range(1, repos))]
    config = load_config(write_config(base, language, names))
    analyzer = RulesAnalyzer(config.language)
    for n, name in enumerate(names):
        share = commits // repos + (1 if n < commits % repos else 0)
        for day, found in synthetic_days(share, seed=n + 1):
            analysed = [c.model_copy(update={"analysis": analyzer.analyze(c)}) for c in found]
            store_day(config, day, analysed, repo=name)
    return config


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


KINDS = [
    ("runtime", ("pagefind.js", "pagefind-worker.js", ".pagefind")),
    ("lists", ("digest-search.json", "pagefind-entry.json", ".pf_meta")),
    ("index", (".pf_index", ".pf_filter")),
    ("results", (".pf_fragment",)),
]
"""What a query downloads: Pagefind's script and WebAssembly; the part list, each part's
entry and metadata; the index chunks the words need; the shown results' fragments."""


def kind_of(path: str) -> str:
    path = path.split("?", 1)[0]
    return next((kind for kind, ends in KINDS if path.endswith(ends)), "other")


def first_queries(site: Path) -> list[tuple[str, int, dict[str, int], int, int]]:
    """Per query, in a fresh browser tab: (query, bytes of pagefind/ the page view loaded,
    bytes the first query transferred by kind, its requests, the results it found)."""
    from playwright.sync_api import sync_playwright

    meta = "document.querySelector('.md-search-result__meta').textContent"
    rows = []
    with (
        serving(site, "https://example.org/digest/", record=True) as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"]
        )
        for query in QUERIES:
            page = browser.new_context().new_page()
            server.sent.clear()
            page.goto(server.url)
            page.wait_for_load_state("networkidle")
            viewed = sum(n for path, n in server.sent if "/pagefind/" in path)
            server.sent.clear()
            page.locator(".md-search__input").click()
            page.keyboard.type(query)
            page.wait_for_function(f"/\\d|没有|No /.test({meta})", timeout=120_000)
            page.wait_for_load_state("networkidle")
            found = page.locator(".md-search-result__meta").inner_text()
            results = int(next((w for w in found.replace("个", " ").split() if w.isdigit()), 0))
            sent: dict[str, int] = {}
            for path, size in server.sent:
                sent[kind_of(path)] = sent.get(kind_of(path), 0) + size
            rows.append((query, viewed, sent, len(server.sent), results))
            page.context.close()
        browser.close()
    return rows


def timed_index(site: Path, plan: SearchPlan) -> tuple[float, int, int, int]:
    """(seconds, peak RSS KiB, index bytes, index files) of one indexing."""
    start = time.perf_counter()
    index = index_site(site, plan)
    seconds = time.perf_counter() - start
    return (seconds, index.peak_rss_kib, *folder_size(site / "pagefind"))


def one_index(plan: SearchPlan) -> SearchPlan:
    pages = [page for part in plan.parts.values() for page in part]
    return SearchPlan({next(iter(plan.parts)): pages}, plan.filters)


def run(
    base: Path, commits: int, repos: int, language: str, windows: list[int], compare: bool
) -> list[tuple]:
    config = make_archive(base, commits, repos, language)
    render(config)
    site = base / "site"
    wall, rss = build_site(config, site)
    print(f"  mkdocs build: {wall:.0f} s, peak RSS {rss / 1024:.0f} MiB", flush=True)
    names = [repo.name for repo in config.repos]
    summary = ArchiveSummary(
        names, (summarize(r) for name in names for r in iter_records(config.data_dir, name))
    )
    plan = search_plan(summary, SiteSettings.from_config(config))
    parts = [len(pages) for pages in plan.parts.values()]
    browser = CHROMIUM.exists()
    rows = []
    indexed = timed_index(site, plan)
    print(f"  indexed in {indexed[0]:.1f} s", flush=True)
    steps = [*windows, *([10**9] if compare else [])]
    for window in steps:
        write_atomic(site / "pagefind" / MANIFEST, manifest(plan, window))
        name = (
            f"one part a month, a query step searches {window:,} pages"
            if window < 10**9
            else "one part a month, every part merged at the first query"
        )
        rows.append((name, plan.pages, parts, *indexed, first_queries(site) if browser else []))
    if compare:
        single = timed_index(site, one_index(plan))
        print(f"  one index: indexed in {single[0]:.1f} s", flush=True)
        rows.append(("one index", plan.pages, [plan.pages], *single, first_queries(site)))
    return rows


def report(commits: int, rows: list[tuple]) -> None:
    for name, pages, parts, seconds, peak, size, files, queries in rows:
        print(f"\n**{commits:,} commits, {name}**\n")
        print("| measure | result |\n|---|---|")
        print(f"| pages indexed | {pages:,} |")
        print(
            f"| parts / pages in a part (min / median / max) | {len(parts)} / {min(parts):,} / "
            f"{int(statistics.median(parts)):,} / {max(parts):,} |"
            if len(parts) > 1
            else "| parts | 1 |"
        )
        print(f"| index time | {seconds:.1f} s |")
        print(f"| peak RSS of one Pagefind run | {peak / 1024:.0f} MiB |")
        print(f"| index size / files | {size / 2**20:.1f} MiB / {files:,} |")
        for query, viewed, sent, requests, results in queries:
            kinds = ", ".join(f"{kind} {sent.get(kind, 0) / 1024:.0f}" for kind, _ in KINDS)
            print(
                f"| first query `{query}`: KiB / requests / results found "
                f"| **{sum(sent.values()) / 1024:.0f}** ({kinds}) / {requests} / {results:,}"
                f"{'' if viewed == 0 else f' (the page view loaded {viewed} B of the index!)'} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--repos", type=int, default=1, help="spread commits over N repos (1)")
    parser.add_argument("--language", choices=("zh", "en"), default="zh")
    parser.add_argument(
        "--window", type=int, nargs="+", default=[QUERY_PAGES], help="pages a query step searches"
    )
    parser.add_argument("--compare", action="store_true", help="also merged and one-index")
    parser.add_argument("--keep", type=Path, help="build under this new or empty folder")
    args = parser.parse_args()
    for commits in args.commits:
        print(f"{commits:,} commits over {args.repos} repositories", flush=True)
        if args.keep:
            base = args.keep.resolve() / str(commits)
            base.mkdir(parents=True)
            rows = run(base, commits, args.repos, args.language, args.window, args.compare)
        else:
            with tempfile.TemporaryDirectory(prefix="digest-search-") as tmp:
                rows = run(Path(tmp), commits, args.repos, args.language, args.window, args.compare)
        report(commits, rows)
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(
        f"\nMachine: {cpu} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
        f"language {args.language}",
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
