"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright.

Playwright's own browser download is not used. Without the browser or the package the
importing test module is skipped, except in CI (DIGEST_REQUIRE_BROWSER=1), where that is
a failure. `guarded_page` opens a tab that may request nothing but the test server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

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

try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    Page = Any  # type: ignore[assignment,misc]
    sync_playwright = None  # type: ignore[assignment]


def require_browser() -> None:
    """Skip the calling test module when the browser is missing (fail in CI)."""
    if sync_playwright is None or not CHROMIUM.exists():
        reason = "needs the playwright package and /usr/bin/chromium"
        if os.environ.get("DIGEST_REQUIRE_BROWSER"):
            raise RuntimeError(f"browser tests required but unavailable: {reason}")
        pytest.skip(reason, allow_module_level=True)


@contextmanager
def chromium() -> Iterator[Any]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def guarded_page(browser: Any, site_url: str, **context_options: Any) -> Iterator[Page]:
    """A fresh tab whose requests may go to the test server only: any other is aborted
    (tests never reach the internet) and recorded, and fails the test at its end.
    `page.requested` lists every URL the tab asked for."""
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(site_url))
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    page = context.new_page()
    page.requested = []  # type: ignore[attr-defined]
    page.outside = []  # type: ignore[attr-defined]

    def guard(route) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            page.outside.append(route.request.url)  # type: ignore[attr-defined]
            route.abort()

    def record(request) -> None:
        page.requested.append(request.url)  # type: ignore[attr-defined]
        if not request.url.startswith((origin, "data:", "blob:")):
            page.outside.append(request.url)  # type: ignore[attr-defined]

    context.route("**/*", guard)
    context.on("request", record)  # also what a worker or a redirect asks for
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    try:
        yield page
    finally:
        context.close()
    outside = sorted(set(page.outside))  # type: ignore[attr-defined]
    assert outside == [], f"requests that left {origin}: {outside}"


def search_site(page: Page, url: str, query: str) -> None:
    """Open `url`, type `query` into the header's search box, and wait until the box says
    how many pages it found (or that it found none)."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.locator(".md-search__input").click()
    page.keyboard.type(query)
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        r"e => /\d|没有|No /.test(e.textContent)", arg=meta.element_handle(), timeout=15_000
    )
