"""What a reader sees: the built site in a real headless Chromium, served over HTTP.

Needs Debian's Chromium (/usr/bin/chromium) and the playwright package, driven
with that executable (Playwright's own browser download is not used). CI sets
DIGEST_REQUIRE_BROWSER=1, so a missing browser fails there instead of skipping.

The site is built from a config in a folder of its own, with its own data and
docs folders, as a user's would be, and served by `generator build --serve`'s
server. Every page a test opens may request nothing but that server: any other
request is refused and fails the test.

Screenshots of the home, day, commit, repository and watch pages, at desktop and phone
widths, are saved in tests/artifacts/screenshots/ (ignored by git) for a person to
look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from generator.config import load_config
from generator.pipeline import DayRange, build, run
from generator.site.serve import serving

from browser import Page, chromium, guarded_page, require_browser
from gitrepo import GitRepo
from sglang_repo import build_sglang_repo

require_browser()

SINCE, UNTIL = date(2026, 2, 10), date(2026, 2, 14)
AFTER = datetime(2026, 2, 20, tzinfo=UTC)
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
HOSTILE = [
    "<script>window.pwned = 'subject'</script> (#1)",
    "<img src=x onerror=\"window.pwned = 'img'\"> | pipe",
    "[click](javascript:window.pwned='link') {{ x }}",
]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    build_sglang_repo(tmp / "sglang")
    evil = GitRepo.init(tmp / "evil")
    for n, subject in enumerate(HOSTILE):
        evil.commit(subject, {f"f{n}.py": "x\n"}, committed=f"2026-02-10T1{n}:00:00+08:00")
    project = tmp / "elsewhere"
    project.mkdir()
    config_file = project / "mine.yml"
    config_file.write_text(
        "site_url: https://example.org/digest/\ndata_dir: records\ndocs_dir: pages\nrepos:\n"
        "  - name: sgl-project/sglang\n    path: ../sglang\n"
        "  - name: evil/repo\n    path: ../evil\n"
        "watches:\n  - name: moe\n    title: MoE 内核\n    repos: [sgl-project/sglang]\n"
        "    paths: ['python/sglang/srt/layers/moe/**']\n    keywords: [moe, deepep]\n",
        encoding="utf-8",
    )
    config = load_config(config_file)
    run(config, DayRange(SINCE, UNTIL), now=lambda: AFTER)
    built = build(config).site
    assert built.site_dir == project / "site"
    # No theme file is copied into the docs, only the site's settings the build writes.
    assert [p.name for p in (project / "pages" / "assets").iterdir()] == ["digest-site.js"]
    with serving(built.site_dir, config.site_url) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser, site_url) -> Iterator[Page]:
    """A tab that may request nothing but the test server (see browser.guarded_page)."""
    with guarded_page(browser, site_url) as page:
        yield page


def test_day_page_to_commit_page_and_back_to_its_row(page, site_url):
    page.goto(site_url + "daily/2026/02/10/")
    assert page.title() == "每日更新报告（2026-02-10） - Commit Digest"
    first_table = page.locator("article table").first
    assert first_table.locator("tbody tr").count() == 23
    first_table.get_by_role("link", name="[sgl-kernel] upgrade deepgemm (#18362)").click()
    page.wait_for_url("**/commits/sgl-project/sglang/*/")
    assert page.locator("article h1").inner_text().rstrip("¶").strip() == (
        "[sgl-kernel] upgrade deepgemm (#18362)"
    )
    assert page.locator(".cd-tier-low").first.is_visible()  # 20 lines of build files
    page.locator("article").get_by_role("link", name="2026-02-10", exact=True).click()
    page.wait_for_url("**/daily/2026/02/10/#sgl-project-sglang-*")
    anchor = page.url.split("#", 1)[1]
    row = page.locator(f"[id='{anchor}']")
    assert row.count() == 1
    box = row.bounding_box()
    assert box is not None and 0 <= box["y"] <= 900


def test_no_script_from_commit_text_ever_runs(page, site_url):
    day = site_url + "daily/2026/02/10/"
    page.goto(day)
    links = page.locator("article table").nth(1).locator("tbody a")
    assert links.count() == len(HOSTILE)
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    for url in [day, *(urljoin(day, href) for href in hrefs)]:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("window.pwned") is None
        found = page.evaluate(
            "document.querySelectorAll('[onerror],[onclick],img[src=\"x\"],a[href^=javascript]')"
            ".length"
        )
        assert found == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.goto(site_url + "daily/2026/02/10/")
    text = page.locator("article").inner_text()
    assert "<script>window.pwned = 'subject'</script> (#1)" in text
    assert "[click](javascript:window.pwned='link') {{ x }}" in text


def test_search_finds_a_commit_by_what_it_changed(page, site_url):
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.keyboard.type("deepgemm")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    titles = results.all_inner_texts()
    assert any(t.startswith("[sgl-kernel] upgrade deepgemm (#18362)") for t in titles)
    assert any(t.startswith('Revert "[sgl-kernel] upgrade deepgemm" (#18562)') for t in titles)


def test_a_reader_requests_nothing_but_the_site(page, site_url):
    page.goto(site_url + "daily/2026/02/10/")
    page.locator("article table").first.get_by_role("link").first.click()
    page.wait_for_url("**/commits/**")
    for path in ["", "archive/", "archive/2026/02/", "repos/sgl-project/sglang/"]:
        page.goto(site_url + path)
        page.wait_for_load_state("load")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.keyboard.type("deepgemm")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    requested = page.requested  # type: ignore[attr-defined]
    assert any(url.endswith(".css") for url in requested)
    assert any("search" in url for url in requested)
    assert page.outside == []  # type: ignore[attr-defined]
    # The guard itself: a request to another host is refused (the fetch settles only once the
    # guard has aborted it) and recorded.
    page.evaluate("fetch('https://fonts.googleapis.com/css?family=Roboto').catch(() => null)")
    assert "https://fonts.googleapis.com/css?family=Roboto" in page.outside  # type: ignore[attr-defined]
    page.outside.clear()  # type: ignore[attr-defined]


def test_the_projects_stylesheet_is_served_and_styles_the_badges(page, site_url):
    responses: list[tuple[str, int]] = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    page.goto(site_url + "daily/2026/02/10/")
    stylesheets = [status for url, status in responses if url.endswith("/assets/digest.css")]
    assert stylesheets == [200]
    # The day lists its high tier first, each commit with its change type's badge; its page
    # has the tier's badge too.
    assert page.locator("article h4 + p .cd-type").first.is_visible()
    page.locator("article h4 a").first.click()
    badge = page.locator(".cd-tier-high").first
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 236, 234)"
    assert badge.evaluate("e => getComputedStyle(e).borderRadius") != "0px"


# -- what a reader does first: home, the latest day, a commit, subscribing ----------------


def shoot(page: Page, name: str) -> None:
    """The page's top, up to three screens: a day page of a busy repository is metres long."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    height = min(page.evaluate("document.documentElement.scrollHeight"), 3 * size["height"])
    clip = {"x": 0, "y": 0, "width": size["width"], "height": height}
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, clip=clip)


def test_home_to_the_latest_day_to_a_high_commit_and_back(page, site_url):
    page.goto(site_url)
    assert page.title() == "Commit Digest"
    shoot(page, "home-desktop")
    # Home leads with each repository's latest finished day, not with an unfinished one.
    section = page.locator("article h2", has_text="sgl-project/sglang")
    latest = section.locator("xpath=following-sibling::p[1]")
    assert latest.inner_text().startswith("最新一天: 2026-02-14 · 本日共 26 个提交")
    latest.get_by_role("link", name="2026-02-14").click()
    page.wait_for_url("**/daily/2026/02/14/")
    shoot(page, "day-desktop")
    high = page.locator("article h3", has_text="高重要度变更").first
    first_high = high.locator("xpath=following-sibling::h4[1]").locator("a:not(.headerlink)")
    subject = first_high.inner_text()
    first_high.click()
    page.wait_for_url("**/commits/sgl-project/sglang/*/")
    assert page.locator("article h1").inner_text().rstrip("¶").strip() == subject
    assert page.locator("article .cd-tier-high").first.is_visible()
    shoot(page, "commit-desktop")
    page.go_back()
    page.wait_for_url("**/daily/2026/02/14/**")
    assert page.locator("article h1").inner_text().startswith("每日更新报告（2026-02-14）")


def test_commit_neighbours_are_named_by_their_subject(page, site_url):
    page.goto(site_url + "daily/2026/02/14/")
    rows = page.locator("article table").first.locator("tbody tr")
    second = rows.nth(1).locator("a").first
    older = rows.nth(2).locator("a").first.inner_text()
    newer = rows.nth(0).locator("a").first.inner_text()
    second.click()
    page.wait_for_url("**/commits/**")
    nav = page.locator("article p", has_text="上一个提交")
    assert f"← 上一个提交：{older[:57]}" in nav.inner_text()
    assert f"下一个提交：{newer[:57]}" in nav.inner_text()
    nav.get_by_role("link").first.click()
    page.wait_for_url("**/commits/**")
    assert page.locator("article h1").inner_text().rstrip("¶").strip() == older


def test_the_subscribe_link_gives_a_feed_and_its_address_to_copy(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(site_url + "repos/sgl-project/sglang/")
        row = page.locator(".cd-subscribe").first
        assert row.is_visible() and row.inner_text().startswith("sgl-project/sglang 的全部提交")
        icon = row.evaluate("e => getComputedStyle(e, '::before').maskImage")
        assert "svg" in icon  # the RSS icon
        rss = row.get_by_role("link", name="RSS", exact=True)
        feed_url = urljoin(page.url, rss.get_attribute("href"))
        response = page.request.get(feed_url)
        assert response.status == 200
        feed = feedparser.parse(response.body())
        assert feed.bozo == 0 and feed.feed.title == "Commit Digest · sgl-project/sglang"
        assert len(feed.entries) == 142  # every commit of the last 7 days (at least 50)
        row.locator("button.cd-subscribe__copy").click()
        page.locator(".md-dialog--active").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == "https://example.org/digest/feeds/sgl-project/sglang.xml"
        assert copied == row.locator("code").inner_text()
        assert urlsplit(feed_url).path == urlsplit(copied).path
    finally:
        context.close()


def test_home_leads_to_a_watch_and_the_watch_to_its_commits(page, site_url):
    page.goto(site_url)
    watches = page.locator("article h2", has_text="关注")
    entry = watches.locator("xpath=following-sibling::ul[1]/li").first
    assert "最近 30 天" in entry.inner_text()
    entry.get_by_role("link", name="MoE 内核").click()
    page.wait_for_url("**/watches/moe/")
    assert page.locator("article h1").inner_text().strip() == "MoE 内核"
    assert page.locator("article h3").count() >= 1  # the watch's days, newest first
    first = page.locator("article h3 + ul li a[href*='commits/']").first
    subject = first.inner_text()
    first.click()
    page.wait_for_url("**/commits/sgl-project/sglang/*/")
    assert page.locator("article h1").inner_text().rstrip("¶").strip() == subject
    assert (
        page.locator("article li", has_text="关注").get_by_role("link").inner_text() == "MoE 内核"
    )


def test_the_heat_map_leads_to_a_day(page, site_url):
    page.goto(site_url)
    squares = page.locator(".cd-heatmap a")
    assert squares.count() == 5  # the five recorded days; the rest of the year had none
    # Each a link named by its date and count, as a screen reader announces it.
    day = page.locator(".cd-heatmap").get_by_role("link", name="2026-02-12 · 39 个提交")
    assert day.count() == 1
    fill = day.locator("rect").evaluate("e => getComputedStyle(e).fill")
    empty = page.locator(".cd-heatmap rect.cd-l0").first.evaluate("e => getComputedStyle(e).fill")
    assert fill != empty
    day.click()
    page.wait_for_url("**/daily/2026/02/12/")
    assert page.locator("article h1").inner_text().startswith("每日更新报告（2026-02-12）")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_page_is_wider_than_the_screen(browser, site_url, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    name = "desktop" if viewport is DESKTOP else "phone"
    try:
        page.goto(site_url + "daily/2026/02/12/")
        commit = page.locator("article table").first.locator("tbody a").first.get_attribute("href")
        for label, path in [
            ("home", ""),
            ("day", "daily/2026/02/12/"),
            ("commit", urljoin("daily/2026/02/12/", commit)),
            ("repo", "repos/sgl-project/sglang/"),
            ("watch", "watches/moe/"),
            ("archive", "archive/2026/02/"),
        ]:
            page.goto(site_url + path)
            page.wait_for_load_state("load")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], (label, width)
            if label != "archive":
                shoot(page, f"{label}-{name}")
        # The day table fits the phone: no column is cut off, the message included.
        page.goto(site_url + "daily/2026/02/12/")
        box = page.locator("article .md-typeset__scrollwrap").first
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
        times = page.locator("article table").first.locator("tbody tr td:first-child")
        assert all(len(t) == 8 for t in times.all_inner_texts())  # HH:MM:SS, no date
    finally:
        context.close()
