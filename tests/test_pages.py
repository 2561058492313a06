from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from generator.models import FileChange, Person
from generator.pipeline import render
from generator.render.pages import shows_committer
from generator.render.pageset import Pages
from generator.render.settings import SiteSettings

from factory import at, load_archive, make_commit, make_record, store

D1, D2, D3 = date(2026, 2, 10), date(2026, 2, 11), date(2026, 2, 13)


@pytest.fixture
def archive(make_config, tmp_path: Path):
    clone = tmp_path / "clone"
    clone.mkdir()
    config = make_config(
        repos=[
            {"name": "sgl-project/sglang", "path": str(clone)},
            {"name": "ai-dynamo/dynamo", "path": str(clone)},
        ]
    )
    first = [
        make_commit("feat: newest (#18474)", at(D1, 21, 59, 13), tier="low"),
        make_commit("fix: middle", at(D1, 12, 0, 0), tier="high"),
        make_commit("perf: oldest", at(D1, 0, 0, 1), tier="medium"),
    ]
    store(
        config,
        make_record("sgl-project/sglang", D1, first),
        make_record("sgl-project/sglang", D2, []),
        make_record("sgl-project/sglang", D3, [make_commit("docs: later", at(D3, 9), "low")]),
        make_record("ai-dynamo/dynamo", D1, [make_commit("chore: other repo", at(D1, 8), "low")]),
    )
    render(config)
    return config, first


def page(config, relative: str) -> str:
    return (config.docs_dir / relative).read_text(encoding="utf-8")


def test_day_page_table_stats_and_sections(archive):
    config, commits = archive
    text = page(config, "daily/2026/02/10.md")
    rows = re.findall(r"^\| (\d\d:\d\d:\d\d) \| ([^|]+) \|", text, re.M)
    # The time of day only: the date is the page's (and the phone's screen is narrow).
    assert [r[0] for r in rows] == ["21:59:13", "12:00:00", "00:00:01", "08:00:00"]
    # A commit's anchor is its heading, with its analysis, where its page links.
    anchors = re.findall(r"^#### .* \{#([^}]+)\}$", text, re.M)
    assert f"sgl-project-sglang-{commits[0].sha[:12]}" in anchors
    assert "<span id=" not in text
    assert "> 本日共 3 个提交 \\| 🔴高 1 \\| 🟡中 1 \\| 🟢低 1" in text
    assert "> 本日共 1 个提交 \\| 🔴高 0 \\| 🟡中 0 \\| 🟢低 1" in text
    sections = re.findall(r"^### (.+)$", text, re.M)
    assert sections[:3] == [
        "🔴 高重要度变更 \\(1\\)",
        "🟡 中重要度变更 \\(1\\)",
        "🟢 低重要度变更 \\(1\\)",
    ]
    link = f"../../../commits/sgl-project/sglang/{commits[0].sha[:12]}.md"
    assert f"[feat: newest \\(\\#18474\\)]({link})" in text


def test_empty_days_get_no_page_and_navigation_skips_them(archive):
    config, _ = archive
    assert not (config.docs_dir / "daily/2026/02/11.md").exists()
    text = page(config, "daily/2026/02/10.md")
    assert "[后一天 →](13.md)" in text
    assert "前一天" not in text
    assert "[← 前一天](10.md)" in page(config, "daily/2026/02/13.md")


def test_commit_page_links(archive):
    config, commits = archive
    newest, middle, oldest = commits
    text = page(config, f"commits/sgl-project/sglang/{middle.sha[:12]}.md")
    assert f"[查看提交](https://github.com/sgl-project/sglang/commit/{middle.sha})" in text
    assert f"(../../../daily/2026/02/10.md#sgl-project-sglang-{middle.sha[:12]})" in text
    # Each neighbour is named by its subject, on a line of its own.
    assert f"← 上一个提交：[perf: oldest]({oldest.sha[:12]}.md)  \n" in text
    assert f"下一个提交：[feat: newest \\(\\#18474\\)]({newest.sha[:12]}.md) →\n" in text
    newest_page = page(config, f"commits/sgl-project/sglang/{newest.sha[:12]}.md")
    assert "[\\#18474](https://github.com/sgl-project/sglang/pull/18474)" in newest_page
    # Its date (linked to its day), time, repository and GitHub link: one line above its facts.
    day = f"../../../daily/2026/02/10.md#sgl-project-sglang-{newest.sha[:12]}"
    github = f"https://github.com/sgl-project/sglang/commit/{newest.sha}"
    assert (
        f"[2026-02-10]({day}) 21:59:13 \\(Asia/Shanghai\\) · "
        f"[sgl-project/sglang](../../../repos/sgl-project/sglang.md) · [查看提交]({github})\n"
        "{: .cd-meta }\n"
    ) in newest_page


def test_files_grouped_by_folder_with_counts(make_config, tmp_path):
    clone = tmp_path / "c"
    clone.mkdir()
    config = make_config(repos=[{"name": "o/r", "path": str(clone)}], language="en")
    files = (
        FileChange(path="src/a.py", additions=10, deletions=2),
        FileChange(path="src/b.py", additions=1, deletions=0, old_path="src/old_b.py"),
        FileChange(path="logo.png", additions=0, deletions=0, binary=True),
    )
    commit = make_commit("refactor", at(D1, 10), files=files, language="en")
    store(config, make_record("o/r", D1, [commit]))
    render(config)
    text = page(config, f"commits/o/r/{commit.sha[:12]}.md")
    assert "## Files changed \\(3\\)" in text
    # One table: a row for each folder, then its files.
    assert "| File | + | − |\n|---|---|---|\n| `/` | | |\n| logo.png | binary | binary |\n" in text
    assert "| `src` | | |\n| a.py | 10 | 2 |\n" in text
    assert "| b.py (renamed from src/old\\_b.py) | 1 | 0 |" in text
    assert "| logo.png | binary | binary |" in text


def test_render_is_deterministic_and_removes_stale_pages(archive):
    config, _ = archive
    docs = config.docs_dir
    before = {p: p.read_bytes() for p in docs.rglob("*.md")}
    stale = docs / "commits/sgl-project/sglang/000000000000.md"
    stale.write_text("old", encoding="utf-8")
    assert render(config) == 1  # the stale page, removed; nothing else is rewritten
    assert not stale.exists()
    assert {p: p.read_bytes() for p in docs.rglob("*.md")} == before


def test_english_labels(make_config, tmp_path):
    clone = tmp_path / "c"
    clone.mkdir()
    config = make_config(repos=[{"name": "o/r", "path": str(clone)}], language="en")
    store(config, make_record("o/r", D1, [make_commit("x", at(D1, 1), "high", language="en")]))
    render(config)
    text = page(config, "daily/2026/02/10.md")
    assert "# Daily report \\(2026-02-10\\)" in text
    assert "> 1 commit \\| 🔴 high 1 \\| 🟡 medium 0 \\| 🟢 low 0" in text
    assert not re.search(r"[\u4e00-\u9fff]", text)


def test_repository_page_lists_recent_days_and_latest_high(archive):
    config, commits = archive
    text = page(config, "repos/sgl-project/sglang.md")
    assert "[github.com/sgl-project/sglang](https://github.com/sgl-project/sglang)" in text
    rows = re.findall(
        r"^\| \[(\d{4}-\d\d-\d\d)\]\(([^)]+)\) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", text, re.M
    )
    assert rows == [
        ("2026-02-13", "../../daily/2026/02/13.md", "1", "0", "0", "1"),
        ("2026-02-10", "../../daily/2026/02/10.md", "3", "1", "1", "1"),
    ]
    high = commits[1]
    assert (
        f"- 2026-02-10 · [fix: middle](../../commits/sgl-project/sglang/{high.sha[:12]}.md)" in text
    )


def test_home_page_shows_each_repositorys_latest_day(archive):
    config, commits = archive
    text = page(config, "index.md")
    assert "[全部日报](archive.md)" in text and "tags.md" not in text
    sglang = text[text.index("## [sgl-project/sglang]") : text.index("## [ai-dynamo/dynamo]")]
    assert "**最新一天**: [2026-02-13](daily/2026/02/13.md) · 本日共 1 个提交" in sglang
    high = commits[1]
    assert f"- 2026-02-10 · [fix: middle](commits/sgl-project/sglang/{high.sha[:12]}.md)" in sglang
    assert "**最新一天**: [2026-02-10](daily/2026/02/10.md)" in text.split("## [ai-dynamo")[1]
    archive_text = page(config, "archive.md")
    assert "## 2026\n\n- [2026-02](archive/2026/02.md) · 5 个提交 · 2 天\n" in archive_text
    month = page(config, "archive/2026/02.md")
    rows = re.findall(r"^\| \[(\d{4}-\d\d-\d\d)\]\(([^)]+)\) \| (\d+) \|", month, re.M)
    assert rows == [
        ("2026-02-13", "../../daily/2026/02/13.md", "1"),
        ("2026-02-10", "../../daily/2026/02/10.md", "4"),
    ]


def test_any_page_rendered_alone_equals_the_whole_archives_render(archive):
    config, commits = archive
    loaded = load_archive(config.data_dir, [repo.name for repo in config.repos])
    pages = Pages(loaded, SiteSettings.from_config(config))
    alone = [
        pages.day(D3),
        pages.day(D1),
        *(pages.commit("sgl-project/sglang", c.sha) for c in commits),
        pages.repo("ai-dynamo/dynamo"),
        pages.home(),
        pages.archive_index(),
        pages.month(2026, 2),
    ]
    for page in alone:
        assert page.text == (config.docs_dir / page.path).read_text(encoding="utf-8"), page.path
    every_page = [
        *(page for day in pages.archive.days() for page in pages.pages_of_day(day)),
        *pages.index_pages(),
        *pages.history_pages(),
    ]
    everything = sorted(page.path for page in every_page)
    assert everything == sorted(
        p.relative_to(config.docs_dir).as_posix() for p in config.docs_dir.rglob("*.md")
    )


def test_neighbours_skip_days_without_a_page(archive):
    config, commits = archive
    loaded = load_archive(config.data_dir, [repo.name for repo in config.repos])
    assert loaded.days() == [D1, D3]
    assert loaded.day_neighbours(D1) == (None, D3)
    assert loaded.day_neighbours(D2) == (D1, D3)
    assert loaded.day_neighbours(D3) == (D1, None)
    newest, middle, oldest = (loaded.commit("sgl-project/sglang", c.sha) for c in commits)
    assert loaded.commit_neighbours(middle) == (oldest, newest)
    later = next(loaded.commits("sgl-project/sglang"))
    assert loaded.commit_neighbours(later) == (newest, None)
    assert loaded.commit_neighbours(oldest) == (None, middle)


def test_a_commit_page_names_a_committer_other_than_the_author_and_github():
    commit = make_commit("fix: x", at(date(2026, 2, 10), 10))
    author = commit.author
    github = Person(name="GitHub", email="noreply@github.com")
    web_flow = Person(name="GitHub", email="noreply@github.com", login="web-flow")
    maintainer = Person(name="Mia Maintainer", email="mia@example.org")
    assert [
        shows_committer(commit.model_copy(update={"committer": who}))
        for who in (author, github, web_flow, maintainer)
    ] == [False, False, False, True]
