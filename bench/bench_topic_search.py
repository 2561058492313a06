"""What the search box finds for topic words on a built site, in headless Chromium.

    .venv/bin/python bench/bench_topic_search.py SITE_DIR [QUERY ...]

Serves SITE_DIR (a site `generator build` made) on 127.0.0.1, types each query into the
header's search box, opens every result ("more" until there are none) and prints how many
commit pages and day pages it found, the line the box shows, and the subjects of the commits
found. Default queries: 量化 投机解码 注意力 调度, and two other names of topics (推测解码,
内核), which the box searches as the topic's name. Compare with `bench_topics.py`, which
counts the commits whose subject or paths name the topic in English.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.site.serve import serving

CHROMIUM = Path("/usr/bin/chromium")
QUERIES = ("量化", "投机解码", "注意力", "调度", "推测解码", "内核")
RESULTS = ".md-search-result__item"


def search(page, url: str, query: str) -> tuple[str, list[tuple[str, str]]]:
    """The box's count line and every result as (link, title), "more" clicked to the end."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.locator(".md-search__input").click()
    page.keyboard.type(query)
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(r"e => /\d|没有|No /.test(e.textContent)", arg=meta.element_handle())
    more = page.locator(".digest-search__more")
    while more.is_visible():
        shown = page.locator(RESULTS).count()
        more.click()
        page.wait_for_function(
            f"n => document.querySelectorAll('{RESULTS}').length > n || "
            "document.querySelector('.digest-search__more').hidden",
            arg=shown,
        )
    links = page.locator(f"{RESULTS} a")
    found = [
        (links.nth(i).get_attribute("href") or "", links.nth(i).locator("h1").inner_text())
        for i in range(links.count())
    ]
    return meta.inner_text(), found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("queries", nargs="*", default=QUERIES)
    parser.add_argument("--list", action="store_true", help="print the commits found")
    args = parser.parse_args(argv)
    if not (args.site / "pagefind").is_dir():
        print(f"Error: {args.site} has no search index; build the site first", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    print("| query | commit pages | day pages | the box says |")
    print("|---|--:|--:|---|")
    listed = []
    with (
        serving(args.site, "https://example.org/digest/") as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"]
        )
        page = browser.new_context().new_page()
        for query in args.queries:
            line, found = search(page, server.url, query)
            commits = [(link, title) for link, title in found if "/commits/" in link]
            days = len(found) - len(commits)
            print(f"| {query} | {len(commits)} | {days} | {line} |")
            listed.append((query, commits))
        browser.close()
    if args.list:
        for query, commits in listed:
            print(f"\n{query} ({len(commits)}):")
            for _, title in commits:
                print(f"  {title[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
