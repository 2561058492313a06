"""The search index `generator build` writes: Pagefind over the built commit and day pages, one
part a month, with the filters and sort key the pages carry. Real builds, real Pagefind; what
a reader does with it is in test_search_browser.py."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator.errors import SiteBuildFailed
from generator.render.settings import SiteSettings
from generator.site.mkdocs_yml import THEME_CONFIG
from generator.site.search import BOX_LABELS, SearchPlan, index_site, pagefind_executable
from generator.site.sitescript import SCRIPT, site_data

from search_archive import SGLANG, WIDGETS, SearchSite, build_search_site
from sitebuild import NS, parse, search_fragments


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> SearchSite:
    return build_search_site(tmp_path_factory.mktemp("search"))


def manifest(site: SearchSite) -> dict:
    return json.loads((site.site_dir / "pagefind/digest-search.json").read_text(encoding="utf-8"))


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_one_index_part_a_month_newest_first_each_with_its_pages(site):
    found = manifest(site)
    # Commits and day pages of each local month: Feb 3 + 2 days, Jan 2 + 2, Dec 1 + 1.
    assert found["parts"] == [
        {"id": "2026-02", "year": "2026", "pages": 5},
        {"id": "2026-01", "year": "2026", "pages": 4},
        {"id": "2025-12", "year": "2025", "pages": 2},
    ]
    for n, part in enumerate(found["parts"]):
        bundle = site.site_dir / "pagefind" / part["id"]
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        # The pages' <html lang="zh">: Chinese is segmented (the extended build's zh index).
        assert list(entry["languages"]) == ["zh"]
        assert entry["languages"]["zh"]["page_count"] == part["pages"]
        runtime = sorted(
            p.name for p in bundle.iterdir() if p.name.endswith((".js", "wasm.unknown.pagefind"))
        )
        # Pagefind's script, worker and WebAssembly load from the newest part only; the
        # older parts are merged into it (the browser tests search them).
        expected = ["pagefind-worker.js", "pagefind.js", "wasm.unknown.pagefind"] if n == 0 else []
        assert runtime == expected, part
        assert not list(bundle.glob("pagefind-*ui*")), "Pagefind's own UIs are not shipped"
    assert not (site.site_dir / "pagefind/.stage").exists()


def test_the_built_in_search_is_gone(site):
    theme = yaml.safe_load(THEME_CONFIG.read_text(encoding="utf-8"))
    assert "search" not in theme["plugins"]
    assert not (site.site_dir / "search").exists()
    html = (site.site_dir / "index.html").read_text(encoding="utf-8")
    assert "search_index" not in html and 'data-md-component="search"' not in html
    assert pagefind_executable().name == "pagefind_extended"  # the build that segments zh


def test_every_page_names_the_search_boxs_controls_in_the_sites_language(site):
    """The names a screen reader needs before the search is opened (the rest of the box's
    labels come with the part list) come with the site's settings, which every page loads in
    its head; no page carries a copy of them, nor of the box."""
    script = (site.site_dir / SCRIPT).read_text(encoding="utf-8")
    data = json.loads(script.split("var __digest = ", 1)[1].split(";\n", 1)[0])
    assert data["search"]["open"] == "查找"
    assert [data["search"][key] for key in BOX_LABELS] == [
        "搜索", "清空当前内容", "筛选", "仓库", "重要程度", "变更类型", "主题", "年份", "排序"
    ]  # fmt: skip
    assert [option["name"] for option in data["palette"]] == ["切换到深色模式", "切换到浅色模式"]
    commit = next((site.site_dir / "commits").rglob("index.html"))
    for path in (
        site.site_dir / "index.html",
        site.site_dir / "daily/2026/02/10/index.html",
        commit,
    ):
        page = parse(path)
        # The box and its button are made by the header's script (the browser tests).
        assert page.find(f".//{NS}div[@data-digest-search]") is None
        loaded = [s.get("src") for s in page.iter(f"{NS}script") if s.get("src")]
        assert any(src.endswith(SCRIPT) for src in loaded), loaded
    english = replace(SiteSettings.from_config(site.config), language="en")
    names = site_data(english, THEME_CONFIG)["search"]
    assert [names[key] for key in BOX_LABELS[:4]] == ["Search", "Clear", "Filters", "Repository"]


def test_filters_list_the_values_the_pages_carry(site):
    filters = manifest(site)["filters"]
    assert filters == {
        "repo": [SGLANG, WIDGETS],
        "tier": ["🔴 高", "🟡 中", "🟢 低"],
        "change_type": ["功能增强", "问题修复", "性能优化", "代码重构", "日常维护"],
        # In the glossary's order (by field), each once.
        "topic": [
            "调度",
            "请求中止",
            "混合专家",
            "自动调优",
            "算子",
            "Triton",
            "量化",
            "Hopper",
            "DeepSeek",
            "卡死",
            "测试",
        ],
        "year": ["2026", "2025"],
    }
    page = parse(site.site_dir / site.commit_path("fused_moe") / "index.html")
    tagged = {
        span.get("data-pagefind-filter")
        for span in page.iter(f"{NS}span")
        if span.get("data-pagefind-filter")
    }
    # The tier and change type are the badges' own text, the topics the chips'.
    assert tagged == {f"repo:{SGLANG}", "tier", "change_type", "topic"}
    fragments = {f["url"]: f for f in search_fragments(site.site_dir)}
    assert fragments["/" + site.commit_path("fused_moe")]["filters"] == {
        "repo": [SGLANG],
        "tier": ["🟡 中"],
        "change_type": ["性能优化"],
        "topic": ["混合专家", "自动调优", "Triton", "Hopper"],
    }
    chips = [
        span.text for span in page.iter(f"{NS}span") if span.get("data-pagefind-filter") == "topic"
    ]
    assert chips == ["混合专家", "自动调优", "Triton", "Hopper"]
    day = parse(site.site_dir / "daily/2026/01/20/index.html")
    sorts = [
        s.get("data-pagefind-sort") for s in day.iter(f"{NS}span") if s.get("data-pagefind-sort")
    ]
    assert sorts == ["date:2026-01-19T16:00:00Z"]  # the local day's start, in UTC


def test_front_matter_carries_the_facets(site):
    commit = front_matter(site.config.docs_dir / (site.commit_path("deadlock").rstrip("/") + ".md"))
    assert {k: commit[k] for k in ("date", "time", "repo", "tier", "change_type")} == {
        "date": "2026-01-20",
        "time": "2026-01-20T08:45:00Z",
        "repo": SGLANG,
        "tier": "🔴 高",
        "change_type": "问题修复",
    }
    day = front_matter(site.config.docs_dir / "daily/2026/02/10.md")
    assert (day["date"], day["time"], day["repos"]) == (
        "2026-02-10",
        "2026-02-09T16:00:00Z",
        [SGLANG],
    )


def test_only_the_article_of_commit_and_day_pages_is_indexed(site):
    for path in ["index.html", "archive/index.html", f"repos/{SGLANG}/index.html"]:
        assert "data-pagefind-body" not in (site.site_dir / path).read_text(encoding="utf-8")
    page = parse(site.site_dir / site.commit_path("fp8") / "index.html")
    (body,) = [el for el in page.iter() if el.get("data-pagefind-body") is not None]
    assert body.tag == f"{NS}article"
    assert body.get("class") == "md-content__inner md-typeset cd-commit"
    assert not list(body.iter(f"{NS}nav")) and not list(body.iter(f"{NS}header"))
    # Nor the links in it to the neighbouring commits (fp8 and deadlock), nor the ¶ links.
    fragments = {f["url"]: f for f in search_fragments(site.site_dir)}
    text = fragments["/" + site.commit_path("fused_moe")]["content"].replace("\u200b", "")
    assert "fused_moe" in text and "H100" in text
    assert "deadlock" not in text and "DeepSeek" not in text and "¶" not in text
    # Nor the watch that follows it ("MoE 内核", linked under its facts): the team's word.
    page_html = (site.site_dir / site.commit_path("fused_moe") / "index.html").read_text("utf-8")
    assert "MoE 内核</a>" in page_html and "MoE 内核" not in text


def test_a_page_the_site_lacks_fails_the_index_in_one_line(tmp_path):
    plan = SearchPlan({"2026-02": ["commits/nobody/nothing/0123456789ab/index.html"]}, {})
    with pytest.raises(SiteBuildFailed, match=r"^search: .*0123456789ab/index.html was not built"):
        index_site(tmp_path, plan)
    assert not (tmp_path / "pagefind/.stage").exists()
