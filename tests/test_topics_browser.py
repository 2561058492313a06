"""Issue 20's acceptance: a reader searches a topic in the archive's language and finds the
commits about it written in the other language, in the header's search box in Chromium.

Two archives, each from a real git history made here and built by the real pipeline (rules
analyzer, MkDocs, Pagefind): a Chinese one of English subjects, where `量化` and `投机解码`
find exactly the commits about quantization and speculative decoding, and an English one of
Chinese subjects, where `quantization` finds `修复量化内核的bug`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.config import load_config
from generator.pipeline import build, run
from generator.site.serve import SiteServer, serving

from browser import chromium, guarded_page, require_browser, search_site
from gitrepo import GitRepo

require_browser()

RESULTS = ".md-search-result__item"
AFTER = datetime(2026, 3, 3, tzinfo=UTC)
ENGLISH = {
    "fp8": "[Quant] Add FP8 block-wise GEMM kernels (#101)",
    "awq": "Support AWQ checkpoints for MoE layers (#102)",
    "eagle": "[Spec] Fix EAGLE3 draft model accept length (#103)",
    "mtp": "Enable MTP for DeepSeek V3 (#104)",
    "quantity": "Fix the quantity check in the sampler (#105)",
    "steps": "Count decode steps in the scheduler (#106)",
    "docs": "docs: explain the cache options (#107)",
}
"""A week's commits: two about quantization (one names it only by a method, AWQ), two about
speculative decoding (by its methods, EAGLE and MTP), and three about neither whose words
come close (`quantity`, `steps`, `spec`-less decoding)."""
CHINESE = {
    "quant": "修复量化内核的bug",
    "sched": "优化调度器的性能",
    "docs": "更新部署文档",
}


def make_site(folder: Path, subjects: dict[str, str], language: str) -> Path:
    repo = GitRepo.init(folder / "clone")
    for n, subject in enumerate(subjects.values()):
        repo.commit(
            subject,
            {f"python/pkg/mod{n}.py": f"x = {n}\n" * (n + 1)},
            committed=f"2026-03-02T{9 + n:02d}:00:00+08:00",
        )
    config = {
        "site_url": "https://example.org/d/",
        "language": language,
        "repos": [{"name": "o/r", "branch": "main", "path": "clone"}],
    }
    (folder / "digest.yml").write_text(json.dumps(config), encoding="utf-8")
    config = load_config(folder / "digest.yml")
    run(config, now=lambda: AFTER)
    return build(config).site.site_dir


def serve(site_dir: Path) -> Iterator[SiteServer]:
    with serving(site_dir, "https://example.org/d/") as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def zh_server(tmp_path_factory) -> Iterator[SiteServer]:
    yield from serve(make_site(tmp_path_factory.mktemp("zh"), ENGLISH, "zh"))


@pytest.fixture(scope="module")
def en_server(tmp_path_factory) -> Iterator[SiteServer]:
    yield from serve(make_site(tmp_path_factory.mktemp("en"), CHINESE, "en"))


def search(page, server: SiteServer, query: str) -> tuple[set[str], list[str], str]:
    """Type `query` into the box: the commit subjects found, the other results' titles
    (day pages), and the box's count line."""
    search_site(page, server.url, query)
    links = page.locator(f"{RESULTS} a")
    commits, others = set(), []
    for n in range(links.count()):
        title = links.nth(n).locator("h1").inner_text()
        (commits.add if "/commits/" in links.nth(n).get_attribute("href") else others.append)(title)
    return commits, others, page.locator(".md-search-result__meta").inner_text()


def test_a_chinese_topic_finds_the_english_commits_about_it_and_no_others(browser, zh_server):
    with guarded_page(browser, zh_server.url) as page:
        commits, days, _ = search(page, zh_server, "量化")
        assert commits == {ENGLISH["fp8"], ENGLISH["awq"]}
        assert days == ["每日更新报告（2026-03-02）"]
        commits, days, _ = search(page, zh_server, "投机解码")
        assert commits == {ENGLISH["eagle"], ENGLISH["mtp"]}
        assert days == ["每日更新报告（2026-03-02）"]
        # Another Chinese name of the topic is searched as the name its chips show.
        commits, _, line = search(page, zh_server, "推测解码")
        assert commits == {ENGLISH["eagle"], ENGLISH["mtp"]}
        assert line.endswith("按主题搜索：投机解码")


def test_the_topic_filter_lists_a_topics_commits(browser, zh_server):
    with guarded_page(browser, zh_server.url) as page:
        search(page, zh_server, "fix")
        select = page.locator("select[name=topic]")
        assert select.get_attribute("aria-label") == "主题"
        offered = select.locator("option").all_inner_texts()
        assert offered[0] == "主题: 全部" and {"量化", "投机解码"} <= set(offered)
        page.locator(".md-search__input").fill("")
        select.select_option("量化")
        page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length === 2")
        titles = page.locator(f"{RESULTS} h1").all_inner_texts()
        assert titles == [ENGLISH["awq"], ENGLISH["fp8"]]  # newest first


def test_an_english_topic_finds_a_chinese_commit(browser, en_server):
    with guarded_page(browser, en_server.url) as page:
        commits, days, _ = search(page, en_server, "quantization")
        assert commits == {CHINESE["quant"]}
        assert days == ["Daily report (2026-03-02)"]
        commits, _, _ = search(page, en_server, "scheduler")
        assert commits == {CHINESE["sched"]}
