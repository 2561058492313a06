"""A commit's place in history over a real git history built here: two ISO weeks of a
repository with a module tree (and a `modules:` depth override), a squash-merged revert
and the revert of that revert, a `git revert` of a high-tier commit, a reland naming the
pull request it brings back and a fix naming an older one. Run day by day, then the
pages read as a reader reads them: every link between a commit and what reverts, fixes
or relands it, in both directions; module pages and the commit pages that link them;
weekly reports and their feeds; and a full re-render byte for byte equal to the
incremental one."""

from __future__ import annotations

import posixpath
import re
from datetime import UTC, date, datetime
from pathlib import Path

import feedparser
import pytest

from generator.config import load_config
from generator.pipeline import DayRange, render, run
from generator.records import load_record

from gitrepo import GitRepo
from sitebuild import build_site, parse, search_fragments, text_of

REPO = "acme/engine"
MOE = "python/engine/layers/moe/fused_moe_triton"
LAYERS = "python/engine/layers"


def lines(n: int, tag: str) -> str:
    return "".join(f"{tag}_{i} = {i}\n" for i in range(n))


def build_history(path: Path) -> dict[str, str]:
    """The history: subject → sha. Committer times are Shanghai local times."""
    repo = GitRepo.init(path)
    shas: dict[str, str] = {}

    def commit(when: str, subject: str, files: dict[str, str], body: str = "") -> None:
        message = subject + ("\n\n" + body if body else "")
        shas[subject] = repo.commit(message, files, committed=f"2026-02-{when}:00+08:00")

    commit("01T09:00", "chore: start (#1)", {"README.md": "engine\n"})
    commit(
        "02T10:00",
        "feat(moe): fused MoE config for H100 (#10)",
        {f"{MOE}/configs/h100.json": '{"block": 64}\n', f"{MOE}/fused_moe.py": lines(40, "m")},
    )
    commit(
        "03T11:00",
        "fix: scheduler race (#11)",
        {"python/engine/managers/scheduler.py": lines(12, "s")},
    )
    commit(
        "04T12:00",
        "feat: speculative decoding v2 (#12)",
        {
            "python/engine/speculative/eagle.py": lines(120, "e"),
            "python/engine/speculative/utils.py": lines(60, "u"),
        },
    )
    commit(
        "05T13:00",
        'Revert "feat: speculative decoding v2 (#12)" (#13)',
        {"python/engine/speculative/eagle.py": "", "python/engine/speculative/utils.py": ""},
    )
    commit(
        "06T14:00",
        'Revert "Revert "feat: speculative decoding v2 (#12)" (#13)" (#14)',
        {
            "python/engine/speculative/eagle.py": lines(120, "e"),
            "python/engine/speculative/utils.py": lines(60, "u"),
        },
    )
    commit(
        "10T10:00",
        "feat(attention)!: new attention backend (#20)",
        {
            f"{LAYERS}/attention/backend.py": lines(400, "a"),
            f"{LAYERS}/attention/flash.py": lines(300, "f"),
            "python/engine/server_args.py": lines(30, "o"),
            "python/engine/managers/scheduler.py": lines(20, "s"),
        },
    )
    attention = shas["feat(attention)!: new attention backend (#20)"]
    commit(
        "11T11:00",
        'Revert "feat(attention)!: new attention backend (#20)"',
        {f"{LAYERS}/attention/backend.py": "", f"{LAYERS}/attention/flash.py": ""},
        body=f"This reverts commit {attention}.",
    )
    commit(
        "12T12:00",
        "Reland attention backend with the fix (#22)",
        {f"{LAYERS}/attention/backend.py": lines(401, "a")},
        body="Reland #20 with the missing guard.",
    )
    commit(
        "13T13:00",
        "fix(moe): wrong block size for H100 (#23)",
        {f"{MOE}/configs/h100.json": '{"block": 128}\n'},
        body="Fixes #10: the block size was too small.",
    )
    commit("14T14:00", "docs: weekly notes (#24)", {"docs/notes.md": "notes\n"})
    return shas  # fmt: skip


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("history")
    shas = build_history(tmp / "clone")
    config_file = tmp / "digest.yml"
    config_file.write_text(
        "site_url: https://example.org/digest/\ntimezone: Asia/Shanghai\nlanguage: zh\n"
        f"repos:\n  - name: {REPO}\n    path: clone\n"
        f"    modules: [{{prefix: {LAYERS}, depth: 2}}]\n",
        encoding="utf-8",
    )
    config = load_config(config_file)
    after = datetime(2026, 2, 20, tzinfo=UTC)
    # Day by day, as the nightly run goes: each run renders only what it affects.
    for day in range(1, 16):
        run(config, DayRange(date(2026, 2, day), date(2026, 2, day)), now=lambda: after)
    # Monday 16 is still open: its week makes no page.
    run(config, DayRange(date(2026, 2, 16), date(2026, 2, 16)),
        now=lambda: datetime(2026, 2, 16, 4, tzinfo=UTC))  # fmt: skip
    return config, shas, tmp


def page(config, relative: str) -> str:
    return (config.docs_dir / relative).read_text(encoding="utf-8")


def commit_md(config, sha: str) -> str:
    return page(config, f"commits/{REPO}/{sha[:12]}.md")


def links_of(text: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", text)


def resolves(source: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target.split("#")[0]))


def links_to(config, source: str, target: str) -> bool:
    return target in {resolves(source, t) for t in links_of(page(config, source))}


def commit_path(sha: str) -> str:
    return f"commits/{REPO}/{sha[:12]}.md"


def tier_of(config, sha: str, day: int) -> str:
    record = load_record(config.data_dir, REPO, date(2026, 2, day))
    return next(c.tier for c in record.commits if c.sha == sha)


SPEC = "feat: speculative decoding v2 (#12)"
SPEC_REVERT = 'Revert "feat: speculative decoding v2 (#12)" (#13)'
SPEC_RESTORE = 'Revert "Revert "feat: speculative decoding v2 (#12)" (#13)" (#14)'
ATTN = "feat(attention)!: new attention backend (#20)"
ATTN_REVERT = 'Revert "feat(attention)!: new attention backend (#20)"'
RELAND = "Reland attention backend with the fix (#22)"
MOE_CONFIG = "feat(moe): fused MoE config for H100 (#10)"
MOE_FIX = "fix(moe): wrong block size for H100 (#23)"


def test_a_revert_and_the_commit_it_reverts_link_each_other(archive):
    config, shas, _ = archive
    spec, revert = commit_path(shas[SPEC]), commit_path(shas[SPEC_REVERT])
    assert links_to(config, revert, spec) and links_to(config, spec, revert)
    text = commit_md(config, shas[SPEC])
    assert "已被" in text and "于 2026-02-05 回滚" in text
    assert "于 2026-02-06 恢复" in text  # the revert of the revert restored it
    assert "回滚了" in commit_md(config, shas[SPEC_REVERT])


def test_a_revert_of_the_revert_restores_the_commit(archive):
    config, shas, _ = archive
    day = page(config, "daily/2026/02/04.md")
    assert "已回滚" not in day  # restored: no mark on its row
    assert "reverted:" not in commit_md(config, shas[SPEC]).split("---")[1]
    # The first revert is what stands reverted now.
    assert "已回滚" in page(config, "daily/2026/02/05.md")
    restore = commit_path(shas[SPEC_RESTORE])
    assert links_to(config, restore, commit_path(shas[SPEC_REVERT]))


def test_a_git_revert_by_sha_marks_the_commit_on_its_page_day_row_and_repository(archive):
    config, shas, _ = archive
    attention, revert = commit_path(shas[ATTN]), commit_path(shas[ATTN_REVERT])
    text = commit_md(config, shas[ATTN])
    body = text.split("---", 2)[2]
    top = body[: body.index("**SHA**") if "**SHA**" in body else 400]
    assert "⏪ 已被" in top and "于 2026-02-11 回滚" in top  # at the top of the page
    assert 'reverted: "⏪ 已回滚"' in text  # the search result's meta
    assert links_to(config, attention, revert) and links_to(config, revert, attention)
    day = page(config, "daily/2026/02/10.md")
    row = next(line for line in day.splitlines() if shas[ATTN][:12] in line and "|" in line)
    assert "已回滚" in row
    assert tier_of(config, shas[ATTN], 10) == "high"
    repo_page = page(config, f"repos/{REPO}.md")
    reverted = repo_page.split("## 被回滚的高重要度变更")[1].split("##")[0]
    assert shas[ATTN][:12] in reverted and shas[SPEC][:12] not in reverted


def test_a_reland_and_a_fix_link_to_what_they_name_and_back(archive):
    config, shas, _ = archive
    reland, attention = commit_path(shas[RELAND]), commit_path(shas[ATTN])
    assert "重新合入了" in commit_md(config, shas[RELAND])
    assert links_to(config, reland, attention)
    followups = commit_md(config, shas[ATTN]).split("## 后续提交")[1].split("##")[0]
    assert "重新合入" in followups and shas[RELAND][:12] in followups
    fix, moe = commit_path(shas[MOE_FIX]), commit_path(shas[MOE_CONFIG])
    assert "修复了" in commit_md(config, shas[MOE_FIX]) and links_to(config, fix, moe)
    assert links_to(config, moe, fix)  # the older page learned of it a week later


def test_module_pages_list_their_commits_and_commit_pages_link_them(archive):
    config, shas, _ = archive
    moe_page = f"modules/{REPO}/{MOE}.md"
    text = page(config, moe_page)
    assert text.index(shas[MOE_FIX][:12]) < text.index(shas[MOE_CONFIG][:12])  # newest first
    assert "### 2026-02（2 个）" in text
    assert "最近 30 天：2 个提交" in text and "最近 365 天：2 个提交" in text
    assert f"`{MOE}/configs/h100.json`" in text  # most changed files
    for subject in (MOE_CONFIG, MOE_FIX):
        commit = commit_path(shas[subject])
        assert links_to(config, commit, moe_page) and links_to(config, moe_page, commit)
    # The override: layers/<two folders> is one module; elsewhere the analyzer's depth.
    assert (config.docs_dir / f"modules/{REPO}/{LAYERS}/attention.md").is_file()
    assert (config.docs_dir / f"modules/{REPO}/python/engine/speculative.md").is_file()
    assert (config.docs_dir / f"modules/{REPO}/_root.md").is_file()
    index = f"modules/{REPO}.md"
    assert links_to(config, index, moe_page) and links_to(config, f"repos/{REPO}.md", index)


def test_each_complete_week_has_a_report_and_an_open_one_none(archive):
    config, shas, _ = archive
    weekly = config.docs_dir / "weekly" / REPO
    assert sorted(p.name for p in weekly.iterdir()) == ["2026-W06.md", "2026-W07.md"]
    text = page(config, f"weekly/{REPO}/2026-W07.md")
    assert "本周共 5 个提交" in text
    assert "（上周 5 个）" in text
    assert "| [2026-02-10 周二](../../../daily/2026/02/10.md) | 1 |" in text
    assert "| 2026-02-09 周一 | 0 | 0 | 0 | 0 |" in text
    high = text.split("## 高重要度变更")[1].split("##")[0]
    assert shas[ATTN][:12] in high and "已回滚" in high
    reverts = text.split("## 回滚")[1].split("##")[0]
    assert shas[ATTN_REVERT][:12] in reverts and shas[ATTN][:12] in reverts
    modules = text.split("## 最活跃的模块")[1]
    assert f"[{LAYERS}/attention](../../../modules/{REPO}/{LAYERS}/attention.md) | 3 |" in modules
    source = f"weekly/{REPO}/2026-W07.md"
    assert links_to(config, source, f"weekly/{REPO}/2026-W06.md")
    assert links_to(config, f"weekly/{REPO}/2026-W06.md", source)
    assert links_to(config, f"repos/{REPO}.md", source)
    w06 = page(config, f"weekly/{REPO}/2026-W06.md")
    assert "本周共 5 个提交" in w06 and "2 个回滚" in w06
    assert "共 5 个提交，其中" in w06  # the week before began before the archive: not compared


def test_weekly_feeds_hold_the_complete_weeks(archive):
    config, _, _ = archive
    for stem in ("feeds/weekly", f"feeds/{REPO}/weekly"):
        feed = feedparser.parse((config.docs_dir / f"{stem}.xml").read_bytes())
        assert feed.bozo == 0
        assert [e.link for e in feed.entries] == [
            f"https://example.org/digest/weekly/{REPO}/2026-W07/",
            f"https://example.org/digest/weekly/{REPO}/2026-W06/",
        ]


def test_every_link_of_the_new_pages_resolves(archive):
    config, _, _ = archive
    docs = config.docs_dir
    for folder in ("modules", "weekly", "commits"):
        for path in sorted((docs / folder).rglob("*.md")):
            source = path.relative_to(docs).as_posix()
            for target in links_of(path.read_text(encoding="utf-8")):
                if target.startswith("https://"):
                    continue
                assert (docs / resolves(source, target)).is_file(), (source, target)


def test_a_full_render_gives_the_bytes_of_the_incremental_ones(archive):
    config, _, _ = archive
    before = {p: p.read_bytes() for p in sorted(config.docs_dir.rglob("*")) if p.is_file()}
    render(config, full=True)
    after = {p: p.read_bytes() for p in sorted(config.docs_dir.rglob("*")) if p.is_file()}
    assert sorted(after) == sorted(before)
    assert [p for p in before if before[p] != after[p]] == []


def test_the_site_builds_strictly_and_shows_the_marks(archive):
    config, shas, tmp = archive
    site = tmp / "site"
    build_site(config, site)
    html = parse(site / f"commits/{REPO}/{shas[ATTN][:12]}/index.html")
    history = next(p for p in html.iter() if "cd-history" in (p.get("class") or ""))
    assert "2026-02-11" in text_of(history)
    assert (site / f"weekly/{REPO}/2026-W07/index.html").is_file()
    assert (site / f"modules/{REPO}/{MOE}/index.html").is_file()
    # A search result shows the mark: Pagefind keeps it as the page's metadata.
    found = {f["url"]: f["meta"] for f in search_fragments(site)}
    url = next(u for u in found if shas[ATTN][:12] in u)
    assert found[url].get("reverted") == "⏪ 已回滚"
    assert not any(m.get("reverted") for u, m in found.items() if shas[SPEC][:12] in u)
