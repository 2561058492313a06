"""Issue 22's acceptance for interface changes: a real git history made here (a dataclass
of options, an environment class, a dependency bump), recorded by `run` from the clone and
built by `build` (MkDocs, Pagefind); the commit page's section with its breaking mark, the
day page's block, the feed, and in Chromium a search for a variable's name.

Screenshots of a commit page with interface changes, at desktop and phone widths, are
saved in tests/artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import feedparser
import pytest

from generator.config import load_config
from generator.pipeline import build, run
from generator.publish.github_issue import issue_body
from generator.records import load_record
from generator.render.mdtext import inline
from generator.site.serve import SiteServer, serving

from browser import chromium, guarded_page, require_browser, search_site
from gitrepo import GitRepo

require_browser()

AFTER = datetime(2026, 3, 4, tzinfo=UTC)
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}

SERVER_ARGS = """from dataclasses import dataclass
from typing import Annotated, Optional


@dataclass
class ServerArgs:
    model_path: Annotated[str, "The model's path."] = ""
    tp_size: Annotated[int, "Tensor parallelism."] = 1
    disable_radix_cache: bool = False

    def url(self) -> str:
        return self.model_path
"""
ENVIRON = """class Envs:
    SGLANG_LOG_LEVEL = EnvStr("info")
"""
PYPROJECT = '[project]\nname = "pkg"\ndependencies = ["torch==2.8.0", "numpy"]\n'
SUBJECTS = {
    "seed": "Initial server arguments",
    "env": "Support ModelScope downloads (#11)",
    "args": "Remove the radix cache switch, two GPUs by default (#12)",
    "deps": "Bump torch to 2.9.1 (#13)",
    "cli": "Add the --enable-lora flag to the launcher (#15)",
    "tests": "Test the server arguments (#14)",
}


def make_history(clone: Path) -> dict[str, str]:
    repo = GitRepo.init(clone)
    shas = {}
    shas["seed"] = repo.commit(
        SUBJECTS["seed"],
        {
            "python/pkg/server_args.py": SERVER_ARGS,
            "python/pkg/environ.py": ENVIRON,
            "python/pyproject.toml": PYPROJECT,
        },
        committed="2026-03-01T10:00:00+08:00",
    )
    environ = ENVIRON + "    SGLANG_USE_MODELSCOPE = EnvBool(False)\n"
    shas["env"] = repo.commit(
        SUBJECTS["env"],
        {"python/pkg/environ.py": environ},
        committed="2026-03-02T09:00:00+08:00",
    )
    args = SERVER_ARGS.replace("    disable_radix_cache: bool = False\n", "")
    args = args.replace('"Tensor parallelism."] = 1', '"Tensor parallelism."] = 2')
    args = args.replace("    def url", "    enable_lora: bool = False\n\n    def url")
    shas["args"] = repo.commit(
        SUBJECTS["args"], {"python/pkg/server_args.py": args}, committed="2026-03-02T10:00:00+08:00"
    )
    shas["deps"] = repo.commit(
        SUBJECTS["deps"],
        {"python/pyproject.toml": PYPROJECT.replace("2.8.0", "2.9.1")},
        committed="2026-03-02T11:00:00+08:00",
    )
    launcher = "import argparse\n\nparser = argparse.ArgumentParser()\n"
    launcher += 'parser.add_argument("--enable-lora", action="store_true")\n'
    shas["cli"] = repo.commit(
        SUBJECTS["cli"], {"python/pkg/launch.py": launcher}, committed="2026-03-02T11:30:00+08:00"
    )
    shas["tests"] = repo.commit(
        SUBJECTS["tests"],
        {"test/srt/test_args.py": SERVER_ARGS.replace("= 1", "= 8")},
        committed="2026-03-02T12:00:00+08:00",
    )
    return shas


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[Path, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("interfaces")
    shas = make_history(folder / "clone")
    config = {
        "site_url": "https://example.org/d/",
        "language": "zh",
        "repos": [{"name": "o/r", "branch": "main", "path": "clone"}],
    }
    (folder / "digest.yml").write_text(json.dumps(config), encoding="utf-8")
    loaded = load_config(folder / "digest.yml")
    run(loaded, now=lambda: AFTER)
    build(loaded)
    yield folder, shas


@pytest.fixture(scope="module")
def server(site) -> Iterator[SiteServer]:
    with serving(site[0] / "site", "https://example.org/d/") as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def record(folder: Path, day: str) -> dict:
    return json.loads((folder / "data/o/r" / f"{day.replace('-', '/')}.json").read_text())


def test_each_commit_records_what_it_changed_and_tests_change_nothing(site):
    folder, shas = site
    commits = {c["sha"]: c for c in record(folder, "2026-03-02")["commits"]}
    changes = {
        key: [
            (c["kind"], c["name"], c["change"], c["old"], c["new"])
            for c in commits[sha]["interface_changes"]
        ]
        for key, sha in shas.items()
        if key != "seed"
    }
    assert changes == {
        "env": [("env", "SGLANG_USE_MODELSCOPE", "added", None, "EnvBool(False)")],
        "args": [
            ("option", "disable_radix_cache", "removed", "False", None),
            ("option", "enable_lora", "added", None, "False"),
            ("option", "tp_size", "default", "1", "2"),
        ],
        "deps": [("dependency", "torch", "default", "==2.8.0", "==2.9.1")],
        "cli": [("option", "--enable-lora", "added", None, None)],
        "tests": [],
    }
    assert all(c["interface_notes"] == [] for c in commits.values())
    assert commits[shas["args"]]["interface_changes"][0]["file"] == "python/pkg/server_args.py"


def test_the_commit_page_shows_the_table_under_the_badges_with_breaking_marks(site):
    folder, shas = site
    page = (folder / "docs/commits/o/r" / f"{shas['args'][:12]}.md").read_text()
    lines = page.splitlines()
    start = lines.index("**接口变更**")
    assert lines[start - 2].startswith('<span class="cd-tier-')  # right under the badges
    assert lines[start + 2 : start + 7] == [
        "| 类别 | 名称 | 变更 | 旧值 → 新值 |",
        "|---|---|---|---|",
        "| 选项 | `disable_radix_cache` | 删除 **⚠️ 不兼容** | `False` |",
        "| 选项 | `enable_lora` | 新增 | `False` |",
        "| 选项 | `tp_size` | 默认值变更 **⚠️ 不兼容** | `1` → `2` |",
    ]
    tests_page = (folder / "docs/commits/o/r" / f"{shas['tests'][:12]}.md").read_text()
    assert "接口变更" not in tests_page


def test_the_day_page_has_one_block_above_the_tiers_each_change_linked(site):
    folder, shas = site
    day = (folder / "docs/daily/2026/03/02.md").read_text()
    block = day[day.index("**接口变更（6）**") : day.index("\n### ")]

    def to(key: str) -> str:  # the subject as Markdown text, linked to the commit's page
        return f"[{inline(SUBJECTS[key])}](../../../commits/o/r/{shas[key][:12]}.md)"

    assert block.splitlines()[2:8] == [
        f"- 选项 `--enable-lora` 新增 · {to('cli')}",
        f"- 依赖 `torch` 默认值变更 `==2.8.0` → `==2.9.1` **⚠️ 不兼容** · {to('deps')}",
        f"- 选项 `disable_radix_cache` 删除 `False` **⚠️ 不兼容** · {to('args')}",
        f"- 选项 `tp_size` 默认值变更 `1` → `2` **⚠️ 不兼容** · {to('args')}",
        f"- 选项 `enable_lora` 新增 `False` · {to('args')}",
        f"- 环境变量 `SGLANG_USE_MODELSCOPE` 新增 `EnvBool(False)` · {to('env')}",
    ]
    assert day.index("**接口变更（6）**") < day.index("\n### ")  # above the tier sections


def test_the_github_issue_report_carries_the_same_block(site):
    folder, shas = site
    config = load_config(folder / "digest.yml")
    body = issue_body(load_record(config.data_dir, "o/r", date(2026, 3, 2)), config)
    url = f"https://example.org/d/commits/o/r/{shas['env'][:12]}/"
    assert "**接口变更（6）**" in body
    assert (
        f"- 环境变量 `SGLANG_USE_MODELSCOPE` 新增 `EnvBool(False)` · "
        f"[{inline(SUBJECTS['env'])}]({url})"
    ).replace("#", "#\u2060") in body
    assert body.index("**接口变更（6）**") < body.index("\n## ")


def test_the_feed_item_lists_the_changes(site):
    folder, _ = site
    feed = feedparser.parse((folder / "site/feeds/o/r.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title.endswith(SUBJECTS["env"]))
    assert "<code>SGLANG_USE_MODELSCOPE</code> 新增" in entry.summary
    assert "接口变更" in [t.term for t in entry.tags]


def search(page, server: SiteServer, query: str) -> list[str]:
    search_site(page, server.url, query)
    links = page.locator(".md-search-result__item a")
    return [
        links.nth(n).locator("h1").inner_text()
        for n in range(links.count())
        if "/commits/" in (links.nth(n).get_attribute("href") or "")
    ]


def test_searching_a_variables_name_finds_the_commit_that_added_it(browser, server):
    with guarded_page(browser, server.url) as page:
        assert search(page, server, "SGLANG_USE_MODELSCOPE") == [SUBJECTS["env"]]
        assert SUBJECTS["args"] in search(page, server, "enable_lora")
        assert search(page, server, "--enable-lora")[0] == SUBJECTS["cli"]


def test_screenshots_of_a_commit_page_with_interface_changes(browser, server, site):
    _, shas = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        with guarded_page(browser, server.url, viewport=size) as page:
            page.goto(f"{server.url}commits/o/r/{shas['args'][:12]}/")
            table = page.locator("article table").first
            assert "不兼容" in table.inner_text()
            assert table.is_visible()
            # The interface table reads left to right; the file table's counts are aligned
            # right (the stylesheet, through the theme's wrapping of each table).
            align = "e => getComputedStyle(e).textAlign"
            assert {table.locator("td").nth(n).evaluate(align) for n in range(4)} <= {
                "left", "start"
            }  # fmt: skip
            files = page.locator("article table").last
            assert files.locator("tbody tr").last.locator("td").nth(1).evaluate(align) == "right"
            page.screenshot(path=str(SCREENSHOTS / f"interfaces-commit-{name}.png"))
    with guarded_page(browser, server.url) as page:
        page.goto(f"{server.url}daily/2026/03/02/")
        page.screenshot(path=str(SCREENSHOTS / "interfaces-day-desktop.png"))
