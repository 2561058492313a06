"""Release reports end to end, over a real git history made here: a dataclass of options,
an environment class and a pinned dependency on `main`; a release branch with two tags and
a cherry-pick from `main`; `run` and `build`, then what a reader checks: the release page
(counts, the interface table, the cherry-pick and the branch-only commit), the links from
home and the repository page, the releases feed, and the `report` command (JSON with exact
values, Markdown, a date ref, an unknown ref)."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime

import feedparser
import pytest

from generator.cli import main
from generator.config import Config, load_config
from generator.config.releases import ReleaseRules
from generator.errors import ConfigError
from generator.models import DayRecord
from generator.pipeline import DayRange, build, render, run
from generator.records import record_path
from generator.releases import load_releases, release_tags
from generator.releases.gitrefs import GitRefs

from factory import write_record
from gitrepo import GitRepo
from release_history import REPO, make_history
from sitebuild import parse, text_of

AFTER = datetime.fromisoformat("2026-02-08T09:00:00+08:00")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[GitRepo, dict[str, str]]:
    return make_history(tmp_path_factory.mktemp("engine") / "engine")


@pytest.fixture(scope="module")
def archive(history, tmp_path_factory) -> Config:
    repo, _ = history
    folder = tmp_path_factory.mktemp("site")
    (folder / "digest.yml").write_text(
        "site_url: https://example.org/digest/\nlanguage: en\nstart: 2026-02-02\n"
        f"repos:\n  - name: {REPO}\n    path: {repo.path}\n"
        "    critical_paths: ['pkg/core/**']\n",
        encoding="utf-8",
    )
    config = load_config(folder / "digest.yml")
    summary = run(config, DayRange(date(2026, 2, 2), date(2026, 2, 7)), now=lambda: AFTER)
    assert not summary.failures, summary.failures
    assert not summary.warnings, summary.warnings
    build(config)
    return config


def test_release_tags_are_versions_in_order_without_prereleases(history):
    repo, _ = history
    tags = GitRefs(repo.path, repo.rev_parse("main")).tags()
    assert [t.name for t in release_tags(tags, ReleaseRules())] == ["v0.1.0", "v0.2.0", "v0.2.1"]
    with_rc = ReleaseRules(prereleases=True)
    assert [t.name for t in release_tags(tags, with_rc)][-2:] == ["v0.2.1rc1", "v0.2.1"]
    assert release_tags(tags, ReleaseRules(tags="release-*")) == []


def test_releases_config_defaults_off_and_mistakes(make_config):
    entry = {"name": REPO, "path": "."}
    assert make_config(repos=[entry]).repos[0].releases == ReleaseRules()
    assert make_config(repos=[{**entry, "releases": False}]).repos[0].releases is None
    assert make_config(repos=[{**entry, "releases": "off"}]).repos[0].releases is None
    custom = make_config(repos=[{**entry, "releases": {"tags": "rel-*", "prereleases": True}}])
    assert custom.repos[0].releases == ReleaseRules(tags="rel-*", prereleases=True)
    with pytest.raises(ConfigError) as caught:
        make_config(repos=[{**entry, "releases": {"tag": "v*"}}])
    assert "releases.tag" in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        make_config(repos=[{**entry, "releases": {"tags": "v *"}}])
    assert "is not a tag glob" in str(caught.value)


def test_each_release_has_a_record_of_its_commits_and_interface_changes(archive, history):
    _, shas = history
    records = {r.tag: r for r in load_releases(archive.data_dir, REPO)}
    assert set(records) == {"v0.2.0", "v0.2.1"}  # v0.1.0 has no release before it
    v020, v021 = records["v0.2.0"], records["v0.2.1"]
    assert [c.sha for c in v020.commits] == [shas["bump0"], shas["crash"], shas["tracing"]]
    assert {(c.kind, c.name, c.change) for c in v020.interface_changes} == {
        ("option", "enable_tracing", "added"),
        ("env", "APP_TRACE", "added"),
    }
    picked, bump = {c.sha: c for c in v021.commits}[shas["picked"]], v021.commits[0]
    assert (picked.branch_sha, picked.match) == (shas["port"], "patch-id")
    assert bump.sha == shas["bump1"] and bump.branch_only
    assert [(c.kind, c.name, c.change, c.old, c.new) for c in v021.interface_changes] == [
        ("option", "old_flag", "removed", "False", None),
        ("option", "port", "default", "30000", "8000"),
        ("dependency", "torch", "default", "==2.1.0", "==2.2.0"),
    ]


def test_a_second_run_rewrites_no_release_record(archive):
    folder = archive.data_dir / "acme" / "engine" / "releases"
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    summary = run(archive, DayRange(date(2026, 2, 7), date(2026, 2, 7)), now=lambda: AFTER)
    assert summary.records_written == 0
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def page_text(archive: Config, path: str) -> str:
    return text_of(parse(archive.site_dir / path / "index.html"))


def test_the_release_page_shows_counts_interfaces_picks_and_branch_only_commits(archive, history):
    _, shas = history
    text = page_text(archive, "releases/acme/engine/v0.2.1")
    assert "acme/engine v0.2.1 release report" in text
    assert "v0.2.0 (2026-02-04) → v0.2.1 (2026-02-05)" in text
    assert "2 commits, 1 in the archive:" in text
    assert "option: 0 added, 1 removed, 1 defaults changed" in text
    assert "old_flag" in text and "30000 → 8000" in text
    assert text.count("⚠️ breaking for users") == 3  # two options and the torch pin
    assert "version changed" in text and "==2.1.0 → ==2.2.0" in text
    assert f"picked from {shas['port'][:10]} (by its patch)" in text
    assert "Commits only on the release branch" in text and "chore: release v0.2.1" in text
    html = (archive.site_dir / "releases/acme/engine/v0.2.1/index.html").read_text("utf-8")
    assert f"../../../../commits/acme/engine/{shas['port'][:12]}/" in html
    assert f"https://github.com/acme/engine/commit/{shas['bump1']}" in html


def test_the_high_commits_of_a_release_link_to_their_pages(archive, history):
    _, shas = history
    text = page_text(archive, "releases/acme/engine/v0.2.0")
    assert "3 commits, 2 in the archive: 🔴 high 2 | 🟡 medium 0 | 🟢 low 0" in text
    assert "scheduler crash when the batch is empty" in text
    html = (archive.site_dir / "releases/acme/engine/v0.2.0/index.html").read_text("utf-8")
    assert f"commits/acme/engine/{shas['crash'][:12]}/" in html
    assert "→ v0.2.1" in text or "v0.2.1 →" in text  # the next release


def test_home_and_repository_pages_link_the_latest_release(archive):
    home = (archive.site_dir / "index.html").read_text("utf-8")
    assert 'href="releases/acme/engine/v0.2.1/"' in home
    repo = page_text(archive, "repos/acme/engine")
    assert "Releases of acme/engine RSS · Atom · JSON Feed" in repo
    assert "Latest release: v0.2.1 · 2026-02-05 · 2 commits · 2 interface changes" in repo
    assert "v0.2.0 · 2026-02-04 · 3 commits" in repo


def test_the_releases_feed_lists_each_release(archive):
    feed = feedparser.parse((archive.site_dir / "feeds/acme/engine/releases.xml").read_bytes())
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == [
        "acme/engine v0.2.1 release report",
        "acme/engine v0.2.0 release report",
    ]
    assert feed.entries[0].link == "https://example.org/digest/releases/acme/engine/v0.2.1/"
    atom = feedparser.parse((archive.site_dir / "feeds/acme/engine/releases.atom").read_bytes())
    assert atom.bozo == 0 and len(atom.entries) == 2
    document = json.loads((archive.site_dir / "feeds/acme/engine/releases.json").read_text())
    assert len(document["items"]) == 2


def test_re_rendering_needs_no_git_and_changes_nothing(archive, history, tmp_path):
    docs = archive.docs_dir
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    moved = tmp_path / "moved"
    history[0].path.rename(moved)
    try:
        render(archive, full=True)
    finally:
        moved.rename(history[0].path)
    assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before


def report(archive: Config, *args: str, capsys) -> tuple[int, str, str]:
    config_file = archive.data_dir.parent / "digest.yml"
    code = main(["report", "--config", str(config_file), "--repo", REPO, *args], now=lambda: AFTER)
    out, err = capsys.readouterr()
    return code, out, err


def test_report_json_between_two_tags(archive, capsys):
    code, out, _ = report(
        archive, "--from", "v0.2.0", "--to", "v0.2.1", "--format", "json", capsys=capsys
    )
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "repo",
        "from",
        "to",
        "commits",
        "tiers",
        "interface_changes",
        "dependencies",
        "high",
    ]
    assert data["repo"] == REPO and (data["from"], data["to"]) == ("v0.2.0", "v0.2.1")
    assert data["commits"] == 2
    # The pick's source, archived: a removed option and two changed defaults make it high.
    assert data["tiers"] == {"high": 1, "medium": 0, "low": 0}
    assert [h["subject"] for h in data["high"]] == [
        "fix: serve on port 8000, drop old_flag, torch 2.2 (#4)"
    ]
    assert data["interface_changes"] == [
        {
            "kind": "option",
            "name": "old_flag",
            "change": "removed",
            "file": "pkg/server_args.py",
            "old": "False",
            "new": None,
        },
        {
            "kind": "option",
            "name": "port",
            "change": "default",
            "file": "pkg/server_args.py",
            "old": "30000",
            "new": "8000",
        },
    ]
    assert data["dependencies"] == [
        {
            "kind": "dependency",
            "name": "torch",
            "change": "default",
            "file": "pyproject.toml",
            "old": "==2.1.0",
            "new": "==2.2.0",
        },
    ]


def test_report_json_from_a_tag_to_a_date(archive, history, capsys):
    _, shas = history
    code, out, _ = report(
        archive, "--from", "v0.1.0", "--to", "2026-02-04", "--format", "json", capsys=capsys
    )
    assert code == 0
    data = json.loads(out)
    assert (data["to"], data["commits"]) == ("2026-02-04", 2)  # tracing, crash: main at day's end
    assert data["tiers"] == {"high": 2, "medium": 0, "low": 0}
    assert data["high"] == [
        {"sha": shas["crash"], "subject": "fix: scheduler crash when the batch is empty (#3)"},
        {"sha": shas["tracing"], "subject": "feat: request tracing (#2)"},
    ]


def test_report_markdown_is_the_release_page(archive, capsys):
    code, out, _ = report(archive, "--from", "v0.2.0", "--to", "v0.2.1", capsys=capsys)
    assert code == 0
    assert out.startswith("# acme/engine v0.2.1 release report\n")
    assert "| `port` | **default changed** ⚠️ breaking for users | `30000` → `8000` |" in out
    assert "https://example.org/digest/commits/acme/engine/" in out  # absolute links


def test_report_on_an_unknown_ref_is_one_line_and_exit_code_2(archive, capsys):
    code, out, err = report(archive, "--from", "v9.9.9", "--to", "v0.2.1", capsys=capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "v9.9.9" in err


def test_incremental_renders_of_releases_are_full_renders(archive, tmp_path):
    """A day re-analysed (the release counts change), a release record gone, then back
    alone: each render after a run gives what rendering everything from nothing gives."""
    shutil.copytree(archive.data_dir, tmp_path / "data")
    configs = []
    for docs in ("docs", "fresh"):
        (tmp_path / f"{docs}.yml").write_text(
            f"site_url: https://example.org/digest/\nlanguage: en\ndocs_dir: {docs}\n"
            f"repos:\n  - {{name: {REPO}, path: .}}\n",
            encoding="utf-8",
        )
        configs.append(load_config(tmp_path / f"{docs}.yml"))
    config, fresh = configs

    def same_as_full() -> int:
        changed = render(config, full=False)
        shutil.rmtree(fresh.docs_dir, ignore_errors=True)
        render(fresh)
        ours = {
            p.relative_to(config.docs_dir): p.read_bytes()
            for p in config.docs_dir.rglob("*")
            if p.is_file()
        }
        theirs = {
            p.relative_to(fresh.docs_dir): p.read_bytes()
            for p in fresh.docs_dir.rglob("*")
            if p.is_file()
        }
        assert sorted(ours) == sorted(theirs)
        assert [p for p in ours if ours[p] != theirs[p]] == []
        return changed

    same_as_full()
    page = config.docs_dir / "releases/acme/engine/v0.2.0.md"
    assert "high 2 \\| 🟡 medium 0" in page.read_text("utf-8")
    day = record_path(config.data_dir, REPO, date(2026, 2, 4))
    record = DayRecord.model_validate_json(day.read_bytes())
    lowered = [
        c.model_copy(update={"analysis": c.analysis.model_copy(update={"tier": "low"})})
        for c in record.commits
    ]
    write_record(config.data_dir, record.model_copy(update={"commits": tuple(lowered)}))
    assert same_as_full() > 0
    assert "high 1 \\| 🟡 medium 0 \\| 🟢 low 1" in page.read_text("utf-8")
    kept = (config.data_dir / "acme/engine/releases/v0.2.1.json").read_bytes()
    (config.data_dir / "acme/engine/releases/v0.2.1.json").unlink()
    assert same_as_full() > 0
    assert not (config.docs_dir / "releases/acme/engine/v0.2.1.md").exists()
    (config.data_dir / "acme/engine/releases/v0.2.1.json").write_bytes(kept)
    assert same_as_full() > 0  # a release record alone makes the render write
    assert (config.docs_dir / "releases/acme/engine/v0.2.1.md").is_file()
    assert same_as_full() == 0
