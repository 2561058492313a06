"""Search as a reader uses it: the header's box in headless Chromium over the built site.

The site (tests/search_archive.py) is built by `generator build` with a real Pagefind index
and served by `generator build --serve`'s server, which also counts what it sends. No tab
may request anything from another host. Screenshots of the results are saved in
tests/artifacts/screenshots/ (search-*.png) to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.site import search
from generator.site.serve import SiteServer, serving

from browser import chromium, guarded_page, require_browser
from search_archive import PLANNED, SGLANG, WIDGETS, SearchSite, build_search_site

require_browser()

SUBJECT = {plan.key: plan.subject for plan in PLANNED}
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
RESULTS = ".md-search-result__item"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> SearchSite:
    return build_search_site(tmp_path_factory.mktemp("search-site"))


def serve(site_dir: Path) -> Iterator[SiteServer]:
    with serving(site_dir, "https://example.org/digest/", record=True) as server:
        yield server


@pytest.fixture(scope="module")
def server(site) -> Iterator[SiteServer]:
    yield from serve(site.site_dir)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser, server):
    with guarded_page(browser, server.url) as page:
        yield page


def open_search(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    page.locator(".md-search__input").click()


def search_for(page, query: str, count: int | None = None) -> list[str]:
    """Type `query`, wait for the results; their titles, in order."""
    page.keyboard.type(query)
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "e => /\\d|没有/.test(e.textContent)", arg=meta.element_handle(), timeout=15_000
    )
    if count is not None:
        page.wait_for_function(
            f"() => document.querySelectorAll('{RESULTS}').length === {count}", timeout=15_000
        )
    return [title.inner_text() for title in page.locator(f"{RESULTS} h1").all()]


def facts(page) -> list[str]:
    return page.locator(f"{RESULTS} .digest-search__facts").all_inner_texts()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_a_chinese_search_opens_the_newest_commit_about_it(page, server, site):
    open_search(page, server.url)
    titles = search_for(page, "量化", count=4)
    # Both quantization commits and their day pages; newest first (Feb 2026, then Dec 2025),
    # though the older commit says 量化 five times and the newer once.
    assert titles == [
        SUBJECT["fp8"],
        "每日更新报告（2026-02-10）",
        SUBJECT["fp8_first"],
        "每日更新报告（2025-12-30）",
    ]
    screenshot(page, "search-zh")
    page.locator(RESULTS).first.click()
    page.wait_for_url(f"**/{site.commit_path('fp8')}")
    assert page.locator("article h1").inner_text().rstrip("¶").strip() == SUBJECT["fp8"]


def test_an_english_search_opens_the_commit(page, server, site):
    open_search(page, server.url + "archive/")
    titles = search_for(page, "deadlock", count=2)
    assert titles == [SUBJECT["deadlock"], "每日更新报告（2026-01-20）"]
    page.locator(RESULTS).first.click()
    page.wait_for_url(f"**/{site.commit_path('deadlock')}")


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("关键路径", "deadlock"),  # a Chinese word inside a sentence, without spaces
        ("fused_moe", "fused_moe"),  # an identifier with an underscore
        ("#18851", "fp8"),  # a pull request number as GitHub writes it
        ("#18500", "deadlock"),  # one in an older month (newer months have 1 and 18 in them)
        ("sha7", "widget_scheduler"),  # a short sha, as day pages and git show it
        ("sha12", "deadlock"),  # the sha of the page's path
        ("E=256", "fused_moe"),  # part of a changed file's name
    ],
)
def test_words_identifiers_pr_numbers_and_shas_find_their_commit(page, server, site, query, key):
    sha = site.commits[key].sha
    query = {"sha7": sha[:7], "sha12": sha[:12]}.get(query, query)
    open_search(page, server.url)
    titles = search_for(page, query)
    assert titles and titles[0] == SUBJECT[key], titles


def test_a_filter_by_repository_keeps_its_results(page, server):
    open_search(page, server.url)
    titles = search_for(page, "scheduler", count=4)
    assert set(titles) >= {SUBJECT["deadlock"], SUBJECT["widget_scheduler"]}
    page.locator("select[name=repo]").select_option(WIDGETS)
    page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length === 2")
    titles = page.locator(f"{RESULTS} h1").all_inner_texts()
    assert titles == [SUBJECT["widget_scheduler"], "每日更新报告（2026-02-11）"]
    assert facts(page)[0] == f"{WIDGETS} · 2026-02-11 · 🟡 中 · 代码重构"
    # A filter alone lists that repository's pages, newest first.
    page.locator(".md-search__input").fill("")
    page.locator("select[name=repo]").select_option(SGLANG)
    page.locator("select[name=tier]").select_option("🔴 高")
    page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length === 3")
    titles = page.locator(f"{RESULTS} h1").all_inner_texts()
    assert titles == [SUBJECT["fp8"], SUBJECT["deadlock"], SUBJECT["fp8_first"]]


def test_best_match_and_year_are_choices(page, server):
    open_search(page, server.url)
    titles = search_for(page, "DeepSeek", count=4)
    assert titles[:2] == [SUBJECT["widget_scheduler"], "每日更新报告（2026-02-11）"]
    page.locator("select[name=sort]").select_option("relevance")
    page.wait_for_function(
        f"() => document.querySelector('{RESULTS} h1')?.textContent.includes('#18851')"
    )
    page.locator("select[name=sort]").select_option("newest")
    page.locator(".md-search__input").fill("量化")
    page.locator("select[name=year]").select_option("2025")
    page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length === 2")
    assert all("2025-12-30" in line for line in facts(page))


def test_a_page_view_loads_nothing_of_the_index_and_no_sitemap(page, server):
    server.sent.clear()
    page.goto(server.url + "daily/2026/02/10/")
    page.wait_for_load_state("networkidle")
    paths = [path for path, _ in server.sent]
    assert not [p for p in paths if "pagefind" in p or "sitemap" in p], paths
    # The feed links are still there for feed readers, in the HTML and in the live page.
    html = (server.site_dir / "daily/2026/02/10/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/rss+xml"' in html
    live = page.evaluate("[...document.querySelectorAll('link[rel=alternate]')].map(l => l.type)")
    assert "application/rss+xml" in live


def test_the_first_query_transfers_little(page, server):
    page.goto(server.url + f"repos/{SGLANG}/")
    page.wait_for_load_state("networkidle")
    server.sent.clear()
    page.locator(".md-search__input").click()
    search_for(page, "fused_moe", count=2)
    page.wait_for_load_state("networkidle")
    sent = dict(server.sent)
    # Pagefind's script, worker and WebAssembly (gzipped, as GitHub Pages serves them) are
    # most of it; the index itself is a few kilobytes here.
    assert sum(sent.values()) < 150_000, sent
    assert any(path.endswith("/wasm.unknown.pagefind") for path in sent)
    assert not [path for path in sent if "sitemap" in path or "search_index" in path]


def test_keyboard_opens_moves_through_and_opens_results(page, server, site):
    page.goto(server.url)
    page.wait_for_load_state("load")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    search_for(page, "fused_moe", count=2)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.locator(".md-search__input").focus()
    page.keyboard.press("Enter")  # the first result
    page.wait_for_url(f"**/{site.commit_path('fused_moe')}")


def test_commit_text_in_results_stays_text(page, server):
    open_search(page, server.url)
    titles = search_for(page, "onerror", count=2)
    assert SUBJECT["markup"] in titles
    assert page.locator(".md-search-result img, .md-search-result [onerror]").count() == 0
    assert page.evaluate("window.pwned") is None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_look_follows_the_readers_light_or_dark_scheme(browser, server, scheme):
    with guarded_page(browser, server.url, color_scheme=scheme) as page:
        open_search(page, server.url)
        search_for(page, "量化", count=4)
        colours = page.locator(".md-search__scrollwrap").evaluate(
            "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color,"
            " getComputedStyle(document.querySelector('.md-search-result h1')).color]"
        )
        background, _, title = colours
        if scheme == "light":
            assert background == "rgb(255, 255, 255)"
        else:
            assert background != "rgb(255, 255, 255)" and title != "rgba(0, 0, 0, 0.87)"
        screenshot(page, f"search-zh-{scheme}")


def test_a_phone_opens_the_search_from_the_header(browser, server):
    with guarded_page(browser, server.url, viewport={"width": 390, "height": 844}) as page:
        page.goto(server.url)
        page.locator(".md-header__button[for=__search]").click()
        page.wait_for_function(
            "document.activeElement.classList.contains('md-search__input')", timeout=5_000
        )
        titles = search_for(page, "量化", count=4)
        assert titles[0] == SUBJECT["fp8"]
        # The theme's overlay grows from the button as the search opens; while it does,
        # it reaches past the screen. Once it has settled nothing may.
        page.wait_for_function("document.documentElement.scrollWidth <= 390", timeout=5_000)
        screenshot(page, "search-zh-phone")


@pytest.fixture(scope="module")
def one_part_a_step(tmp_path_factory) -> Iterator[SiteServer]:
    """The same archive, its queries searching one month at a time."""
    saved = search.QUERY_PAGES
    search.QUERY_PAGES = 1
    try:
        built = build_search_site(tmp_path_factory.mktemp("search-steps"))
    finally:
        search.QUERY_PAGES = saved
    yield from serve(built.site_dir)


def test_older_months_are_searched_when_the_reader_asks(browser, one_part_a_step):
    server = one_part_a_step
    with guarded_page(browser, server.url) as page:
        page.goto(server.url)
        page.wait_for_load_state("networkidle")
        server.sent.clear()
        page.locator(".md-search__input").click()
        assert search_for(page, "量化", count=2) == [SUBJECT["fp8"], "每日更新报告（2026-02-10）"]
        page.wait_for_load_state("networkidle")
        asked = {path.split("/pagefind/")[1].split("/")[0] for path, _ in server.sent}
        assert asked == {"digest-search.json", "2026-02"}  # nothing of older months
        meta = page.locator(".md-search-result__meta")
        assert meta.inner_text() == "2 个符合条件的结果 · 已搜索 2026-02 至 2026-02"
        more = page.locator(".digest-search__more")
        assert more.inner_text() == "在更早的月份中搜索（2026-01 及以前）"
        more.click()  # January has no 量化
        page.wait_for_function(
            "() => document.querySelector('.digest-search__more').textContent.includes('2025-12')"
        )
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length === 4")
        assert meta.inner_text() == "4 个符合条件的结果"
        assert page.locator(f"{RESULTS} h1").all_inner_texts()[2] == SUBJECT["fp8_first"]
        assert more.is_hidden()


def test_the_light_dark_toggle_switches_the_scheme_and_remembers_it(browser, server):
    """The header's toggle (built by assets/digest-palette.js from the palette the page
    names): named in the site's language, it switches to dark, and the choice holds on the
    next page, as the theme's own toggle does."""
    with guarded_page(browser, server.url, color_scheme="light") as page:
        page.goto(server.url)
        body = page.locator("body")
        assert body.get_attribute("data-md-color-scheme") == "default"
        toggle = page.locator("form[data-md-component=palette] label:visible")
        assert toggle.count() == 1
        assert toggle.get_attribute("title") == "切换到深色模式"
        toggle.click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        assert (
            page.locator("form[data-md-component=palette] label:visible").get_attribute("title")
            == "切换到浅色模式"
        )
        commit = page.locator("a[href*='commits/']").first.get_attribute("href")
        page.goto(server.url + commit.removeprefix("./"))
        assert body.get_attribute("data-md-color-scheme") == "slate"


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Iterator[SiteServer]:
    site = build_search_site(tmp_path_factory.mktemp("search-site-en"), language="en")
    yield from serve(site.site_dir)


def test_an_english_site_searches_and_answers_in_english(browser, english):
    """The same archive with `language: en`: the box, the count, the results' facts and the
    filters speak English, and words are found as on the Chinese site."""
    with guarded_page(browser, english.url) as page:
        open_search(page, english.url)
        page.keyboard.type("scheduler")
        page.wait_for_function(
            f"() => document.querySelectorAll('{RESULTS}').length === 4", timeout=15_000
        )
        assert page.locator(".md-search__input").get_attribute("placeholder") == "Search"
        assert page.locator("select[name=sort] option").all_inner_texts() == [
            "Newest first",
            "Best match",
        ]
        assert page.locator(".md-search-result__meta").inner_text().startswith("4 matching")
        titles = page.locator(f"{RESULTS} h1").all_inner_texts()
        assert set(titles) >= {SUBJECT["deadlock"], SUBJECT["widget_scheduler"]}
        assert "Daily report (2026-02-11)" in titles
        widget = titles.index(SUBJECT["widget_scheduler"])
        assert facts(page)[widget] == f"{WIDGETS} · 2026-02-11 · 🟡 Medium · Refactor"
        page.locator("select[name=repo]").select_option(WIDGETS)
        page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length === 2")
        screenshot(page, "search-en")
