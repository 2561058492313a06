"""What a reader sees: the built site in a real headless Chromium, served over HTTP.

Needs Debian's Chromium (/usr/bin/chromium) and the playwright package, driven
with that executable (Playwright's own browser download is not used). CI sets
DIGEST_REQUIRE_BROWSER=1, so a missing browser fails there instead of skipping.

The site is built from a config in a folder of its own, with its own data and
docs folders, as a user's would be, and served by `generator build --serve`'s
server. Every page a test opens may request nothing but that server: any other
request is refused and fails the test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from urllib.parse import urljoin

import pytest

from generator.config import load_config
from generator.pipeline import DayRange, build, run
from generator.site.serve import open_server

from browser import Page, chromium, guarded_page, require_browser
from gitrepo import GitRepo
from sglang_repo import build_sglang_repo

require_browser()

SINCE, UNTIL = date(2026, 2, 10), date(2026, 2, 14)
AFTER = datetime(2026, 2, 20, tzinfo=UTC)
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
        "  - name: evil/repo\n    path: ../evil\n",
        encoding="utf-8",
    )
    config = load_config(config_file)
    run(config, DayRange(SINCE, UNTIL), now=lambda: AFTER)
    built = build(config).site
    assert built.site_dir == project / "site"
    assert not (project / "pages" / "assets").exists()  # nothing copied into the docs
    server = open_server(built.site_dir, config.site_url, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.url
    server.shutdown()
    server.server_close()


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
    for path in ["", "archive/", "tags/", "repos/sgl-project/sglang/"]:
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
    badge = page.locator(".cd-tier-high").first
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 236, 234)"
    assert badge.evaluate("e => getComputedStyle(e).borderRadius") != "0px"
