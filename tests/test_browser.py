"""What a reader sees: the built site in a real headless Chromium, served over HTTP.

Needs Debian's Chromium (/usr/bin/chromium) and the playwright package, driven
with that executable (Playwright's own browser download is not used). CI sets
DIGEST_REQUIRE_BROWSER=1, so a missing browser fails there instead of skipping.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.config import load_config
from generator.pipeline import DayRange, run

from gitrepo import GitRepo
from sglang_repo import build_sglang_repo
from sitebuild import build_site

SINCE, UNTIL = date(2026, 2, 10), date(2026, 2, 14)
AFTER = datetime(2026, 2, 20, tzinfo=UTC)
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = [
    "<script>window.pwned = 'subject'</script> (#1)",
    "<img src=x onerror=\"window.pwned = 'img'\"> | pipe",
    "[click](javascript:window.pwned='link') {{ x }}",
]

try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

if sync_playwright is None or not CHROMIUM.exists():
    reason = "needs the playwright package and /usr/bin/chromium"
    if os.environ.get("DIGEST_REQUIRE_BROWSER"):
        raise RuntimeError(f"browser tests required but unavailable: {reason}")
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    build_sglang_repo(tmp / "sglang")
    evil = GitRepo.init(tmp / "evil")
    for n, subject in enumerate(HOSTILE):
        evil.commit(subject, {f"f{n}.py": "x\n"}, committed=f"2026-02-10T1{n}:00:00+08:00")
    config_file = tmp / "digest.yml"
    config_file.write_text(
        "site_url: http://127.0.0.1/\nrepos:\n"
        "  - name: sgl-project/sglang\n    path: sglang\n  - name: evil/repo\n    path: evil\n",
        encoding="utf-8",
    )
    config = load_config(config_file)
    run(config, DayRange(SINCE, UNTIL), now=lambda: AFTER)
    result = build_site(config, config_file, tmp / "site")
    assert result.returncode == 0, result.stderr
    handler = functools.partial(QuietHandler, directory=str(tmp / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


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
