"""Watch pages and feeds in a built site, read as readers read them: the page (what it
follows, its last 30 days, its commits by day), its feeds with feedparser and the JSON Feed
schema, the links from home, the navigation, commit and day pages; noise in none of it
but shown, with its rule, where the report lists it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest

from generator.config import Config, load_config
from generator.models import Commit, FileChange
from generator.pipeline import render

from factory import at, make_commit, make_record, store
from sitebuild import NS, build_site, parse, read_feed, read_json_feed, text_of

SGLANG, WIDGETS = "sgl-project/sglang", "acme/widgets"
LAST = date(2026, 2, 20)
DAYS = [LAST - timedelta(days=n) for n in range(0, 70, 3)]  # newest first, 70 days back
OPEN = LAST + timedelta(days=1)
MOE = "python/sglang/srt/layers/moe"
TIERS = ["high", "medium", "low"]
CONFIG = f"""site_url: https://example.org/digest/
language: LANGUAGE
repos:
  - {{name: {SGLANG}, path: .}}
  - {{name: {WIDGETS}, path: .}}
watches:
  - name: moe
    title: MoE kernels
    repos: [{SGLANG}]
    paths: ["{MOE}/**"]
  - name: sched
    keywords: [scheduler]
    min_tier: medium
"""


def moe_file(name: str) -> tuple[FileChange, ...]:
    return (FileChange(path=f"{MOE}/{name}.py", additions=5, deletions=1),)


def noise(commit: Commit) -> Commit:
    assert commit.analysis is not None
    analysis = commit.analysis.model_copy(update={"tier": "low", "ignored": "paths docs/**"})
    return commit.model_copy(update={"analysis": analysis})


@dataclass(frozen=True)
class Archive:
    config: Config
    moe: list[tuple[date, Commit]]
    """The moe watch's commits, newest first (finished days)."""
    sched: list[tuple[str, date, Commit]]
    ignored: Commit
    open_moe: Commit


def make_archive(folder: Path, language: str = "zh") -> Archive:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "digest.yml").write_text(CONFIG.replace("LANGUAGE", language), encoding="utf-8")
    config = load_config(folder / "digest.yml")
    moe, sched = [], []
    ignored = None
    for n, day in enumerate(DAYS):
        kernel = make_commit(
            f"tune moe kernel {n}", at(day, 15), TIERS[n % 3], files=moe_file(f"k{n}")
        )
        other = make_commit(f"unrelated {n}", at(day, 12), "high")
        commits = [kernel, other]
        if n == 2:
            ignored = noise(make_commit("[Auto Sync] moe", at(day, 9), files=moe_file("sync")))
            commits.append(ignored)
        store(config, make_record(SGLANG, day, commits))
        moe.append((day, kernel))
        if n % 2 == 0:
            fix = make_commit(f"fix the scheduler {n}", at(day, 10), TIERS[n % 3])
            store(config, make_record(WIDGETS, day, [fix]))
            if fix.tier != "low":
                sched.append((WIDGETS, day, fix))
    open_moe = make_commit("moe kernel of an open day", at(OPEN, 9), "high", files=moe_file("o"))
    unfinished = make_record(SGLANG, OPEN, [open_moe], complete=False)
    store(config, unfinished.model_copy(update={"fetched_at": unfinished.window_start}))
    assert ignored is not None
    return Archive(config, moe, sched, ignored, open_moe)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Archive, Path]:
    folder = tmp_path_factory.mktemp("watch-site")
    archive = make_archive(folder)
    site = build_site(archive.config, folder / "site").site_dir
    return archive, site


def page(site: Path, path: str):
    return parse(site / path / "index.html")


def article(document):
    return document.find(f".//{NS}article")


def test_the_watch_page_says_what_it_follows_and_counts_its_last_30_days(built):
    archive, site = built
    doc = article(page(site, "watches/moe"))
    assert text_of(doc.find(f"{NS}h1")) == "MoE kernels"
    follows = [text_of(li) for li in doc.find(f"{NS}ul").findall(f"{NS}li")]
    assert follows == [
        f"仓库: {SGLANG}",
        f"路径: {MOE}/**",
        "最低重要度: 🟢 低",
    ]
    recent = [c for day, c in archive.moe if day > LAST - timedelta(days=30)]
    counts = [sum(1 for c in recent if c.tier == t) for t in TIERS]
    stats = f"共 {len(recent)} 个提交 | 🔴高 {counts[0]} | 🟡中 {counts[1]} | 🟢低 {counts[2]}"
    assert f"2026-01-22 至 {LAST} · {stats}" in text_of(doc)


def test_the_watch_page_lists_its_commits_by_day_newest_first_within_its_bounds(built):
    archive, site = built
    doc = article(page(site, "watches/moe"))
    days = [text_of(h) for h in doc.findall(f"{NS}h3")]
    shown = [d for d, _ in archive.moe if d > LAST - timedelta(days=60)]
    assert days == [f"{OPEN} (进行中)", *(d.isoformat() for d in shown)]
    links = [a.get("href") for a in doc.iter(f"{NS}a")]
    wanted = [archive.open_moe] + [c for d, c in archive.moe if d in shown]
    listed = [h for h in links if h and h.startswith("../../commits/")]
    assert listed == [f"../../commits/{SGLANG}/{c.sha[:12]}/" for c in wanted]
    assert archive.ignored.sha[:12] not in str(links)  # noise: in no watch
    older = len(archive.moe) - len(shown)
    assert f"另有 {older} 个更早的提交未列出" in text_of(doc)


def test_a_watch_over_every_repository_names_each_commits_repository(built):
    archive, site = built
    doc = article(page(site, "watches/sched"))
    items = [text_of(li) for li in doc.iter(f"{NS}li") if "fix the scheduler" in text_of(li)]
    newest = archive.sched[0][1]
    assert len(items) == sum(1 for _, day, _ in archive.sched if (newest - day).days < 60)
    assert all(f" · {WIDGETS} · " in item for item in items)


def test_watch_feeds_hold_its_commits_of_finished_days_newest_first(built):
    archive, site = built
    rss = read_feed(site / "feeds/watches/moe.xml")
    atom = read_feed(site / "feeds/watches/moe.atom", "atom10")
    json_feed = read_json_feed(site / "feeds/watches/moe.json")
    assert rss.feed.title == "Commit Digest · MoE kernels"
    expected = [
        f"https://example.org/digest/commits/{SGLANG}/{c.sha[:12]}/" for _, c in archive.moe
    ]
    recent = expected[: max(50, 3)]  # fewer than 50 commits: every one of them
    assert [e.link for e in rss.entries] == recent
    assert [e.link for e in atom.entries] == recent
    assert [i["url"] for i in json_feed["items"]] == recent
    everything = (site / "feeds/watches/moe.xml").read_text(encoding="utf-8")
    assert archive.open_moe.sha[:12] not in everything
    assert archive.ignored.sha[:12] not in everything


def test_noise_is_in_no_feed_of_its_repository(built):
    archive, site = built
    for name in ("feeds/sgl-project/sglang.xml", "feeds/high.xml", "feed.xml"):
        assert archive.ignored.sha[:12] not in (site / name).read_text(encoding="utf-8")


def test_home_the_navigation_and_commit_pages_lead_to_watch_pages(built):
    archive, site = built
    home = article(page(site, ""))
    entries = [li for li in home.iter(f"{NS}li") if "最近 30 天" in text_of(li)]
    assert [li.find(f"{NS}a").get("href") for li in entries] == ["watches/moe/", "watches/sched/"]
    navs = page(site, "").iter(f"{NS}nav")
    assert "watches/moe/" in [a.get("href") for nav in navs for a in nav.iter(f"{NS}a")]
    _, kernel = archive.moe[0]
    commit = article(page(site, f"commits/{SGLANG}/{kernel.sha[:12]}"))
    facts = {text_of(li).split(":")[0]: li for li in commit.iter(f"{NS}li")}
    assert facts["关注"].find(f".//{NS}a").get("href") == "../../../../watches/moe/"
    unrelated = article(page(site, f"commits/{SGLANG}/{archive.moe[1][1].sha[:12]}"))
    assert "MoE kernels" in text_of(unrelated)


def test_day_pages_mark_each_commits_watches_and_show_noise_with_its_rule(built):
    archive, site = built
    day = DAYS[2]
    doc = article(page(site, f"daily/{day:%Y/%m/%d}"))
    lines = [text_of(p) for p in doc.iter(f"{NS}p")]
    kernel = next(c for d, c in archive.moe if d == day)
    marked = [line for line in lines if "关注：moe" in line]
    assert len(marked) == 1 and kernel.sha[:7] in marked[0]
    assert any("噪声规则忽略：paths docs/**" in line for line in lines)
    commit = article(page(site, f"commits/{SGLANG}/{archive.ignored.sha[:12]}"))
    assert "噪声规则忽略：paths docs/**" in text_of(commit)


def test_english_pages_say_the_same(tmp_path):
    archive = make_archive(tmp_path / "en", "en")
    render(archive.config)
    docs = archive.config.docs_dir
    watch = (docs / "watches/moe.md").read_text(encoding="utf-8")
    assert "## What it follows" in watch and "- **Lowest tier**: 🟢 Low" in watch
    assert "older commits are not listed" in watch
    day = (docs / f"daily/{DAYS[2]:%Y/%m/%d}.md").read_text(encoding="utf-8")
    assert "Watches: [moe](../../../watches/moe.md)" in day
    assert "Ignored by a noise rule: `paths docs/**`" in day
    commit = (docs / f"commits/{SGLANG}/{archive.ignored.sha[:12]}.md").read_text("utf-8")
    assert "Ignored by a noise rule: `paths docs/**`" in commit
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert "## Watches" in home and "[MoE kernels](watches/moe.md)" in home


def test_a_watch_removed_from_the_config_takes_its_page_and_feeds_along(tmp_path):
    archive = make_archive(tmp_path / "p")
    render(archive.config)
    docs = archive.config.docs_dir
    assert (docs / "watches/sched.md").is_file() and (docs / "feeds/watches/sched.json").is_file()
    config = archive.config.model_copy(update={"watches": archive.config.watches[:1]})
    render(config, full=False)
    assert not (docs / "watches/sched.md").exists()
    assert not (docs / "feeds/watches/sched.json").exists()
    assert "watches/sched.md" not in (docs / "index.md").read_text(encoding="utf-8")
    assert feedparser.parse((docs / "feeds/watches/moe.xml").read_bytes()).entries
