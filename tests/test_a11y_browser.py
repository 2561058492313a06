"""Every reader: the built site as assistive technology meets it, checked with axe-core.

axe-core's WCAG 2.0/2.1 A and AA rules (tests/axe.py) run in headless Chromium over one
page of every kind the built site holds (its folders say which: a kind added later is
checked as soon as the site has it), in the light and the dark scheme and at a phone's
width, and over the header's search box open and showing results. Any critical or serious
violation fails, listed by page, rule, impact and element. Beyond what axe checks: the
search box's controls are named in the site's language before the search is first opened,
and wherever the keyboard goes the focus can be seen.

The site is the search tests' archive (tests/search_archive.py): two repositories over
three months, with home, day, commit, repository, archive and month pages and a real
Pagefind index.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.site.serve import SiteServer, serving

from axe import page_kinds, report, violations
from browser import chromium, guarded_page, require_browser
from search_archive import SearchSite, build_search_site

require_browser()

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
VIEWS = {
    "light": {"color_scheme": "light", "viewport": DESKTOP},
    "dark": {"color_scheme": "dark", "viewport": DESKTOP},
    "phone-dark": {"color_scheme": "dark", "viewport": PHONE},
}
SCHEME = {"light": "default", "dark": "slate"}
TODAY = {
    "home", "daily/4", "commits/4", "repos/3", "archive/1", "archive/3", "watches/2",
    "modules/3", "modules/7", "weekly/4", "releases/4",
}  # fmt: skip
"""The kinds of page this archive has today (`axe.page_kinds`: top folder / depth)."""
RESULTS = ".md-search-result__item"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> SearchSite:
    return build_search_site(tmp_path_factory.mktemp("a11y-site"))


@pytest.fixture(scope="module")
def server(site) -> Iterator[SiteServer]:
    with serving(site.site_dir, "https://example.org/digest/", record=True) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def kinds(site_dir: Path) -> dict[str, str]:
    found = page_kinds(site_dir)
    assert set(found) >= TODAY, found  # the discovery finds what is there
    return found


def open_page(page, url: str, view: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    scheme = SCHEME[VIEWS[view]["color_scheme"]]
    assert page.locator("body").get_attribute("data-md-color-scheme") == scheme


@pytest.mark.parametrize("view", VIEWS)
def test_no_page_of_any_kind_has_a_serious_violation(browser, server, site, view):
    found = {}
    with guarded_page(browser, server.url, **VIEWS[view]) as page:
        for kind, path in kinds(site.site_dir).items():
            open_page(page, server.url + path, view)
            if bad := violations(page):
                found[f"{kind} ({path})"] = report(bad)
    assert not found, "\n".join(f"{where}:\n{lines}" for where, lines in found.items())


def open_search_with_results(page, view: str) -> None:
    if VIEWS[view]["viewport"] is PHONE:
        page.locator(".md-header__button[for=__search]").click()
    else:
        page.locator(".md-search__input").click()
    page.wait_for_function("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("量化")
    page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length === 4")


@pytest.mark.parametrize("view", VIEWS)
def test_the_search_box_open_with_results_has_no_serious_violation(browser, server, view):
    found = {}
    with guarded_page(browser, server.url, **VIEWS[view]) as page:
        for path in ("", "daily/2026/02/10/"):
            open_page(page, server.url + path, view)
            open_search_with_results(page, view)
            if bad := violations(page):
                found[path or "home"] = report(bad)
    assert not found, "\n".join(f"{where}:\n{lines}" for where, lines in found.items())


def test_the_search_box_is_named_in_the_sites_language_before_it_opens(browser, server):
    """A screen reader reaching the box finds its input, its reset button and its filters
    named, before anything of the index (the part list, which brings the rest) is loaded."""
    with guarded_page(browser, server.url) as page:
        page.goto(server.url)
        page.wait_for_load_state("networkidle")
        box = page.locator("[data-digest-search]")
        search = box.get_by_role("textbox", name="搜索")
        assert search.get_attribute("placeholder") == "搜索"
        assert box.get_by_role("button", name="清空当前内容", include_hidden=True).count() == 1
        selects = box.locator("select")
        names = [selects.nth(n).get_attribute("aria-label") for n in range(selects.count())]
        assert names == ["仓库", "重要程度", "变更类型", "主题", "年份", "排序"]
        assert box.locator(".digest-search__filters").get_attribute("aria-label") == "筛选"
        assert not [url for url in page.requested if "/pagefind/" in url]  # type: ignore[attr-defined]


FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const ring = (el) => {
    const s = getComputedStyle(el);
    return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  };
  const search = document.getElementById("__search").checked;
  const box = document.querySelector("[data-digest-search]");
  const square = e.querySelector && e.querySelector(":scope > rect");
  let shown = ring(e);
  if (e.matches(".md-option")) shown = ring(e.nextElementSibling);  // the theme's toggle
  if (square) shown = shown || getComputedStyle(square).stroke !== "none";  // a heat map day
  if (e.matches(".md-search__input")) shown = search;  // the search opens around it
  const hidden = search && !box.contains(e);  // behind the open search
  const name = e.getAttribute("aria-label") || e.textContent.trim().slice(0, 40);
  return {what: `${e.tagName.toLowerCase()}.${e.getAttribute("class")} ${name}`, shown, hidden};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_can_be_seen_wherever_the_keyboard_goes(browser, server, site, scheme):
    """Tab through a page of every kind (the search box on the way, its filters too): each
    element the focus reaches shows a ring (or the heat map's frame, or the open search),
    and none is behind the open search."""
    unseen = []
    with guarded_page(browser, server.url, color_scheme=scheme) as page:
        for kind, path in kinds(site.site_dir).items():
            page.goto(server.url + path)
            page.wait_for_load_state("load")
            seen = 0
            for _ in range(60):
                page.keyboard.press("Tab")
                focus = page.evaluate(FOCUS)
                if focus is None:
                    break  # past the last element
                seen += 1
                if not focus["shown"] or focus["hidden"]:
                    unseen.append(f"{kind}: {focus}")
            assert seen > 5, kind
    assert not unseen, "\n".join(unseen)
