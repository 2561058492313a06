"""Release reports through the GitHub source: the release tests' history served by the
local GitHub API server (tags, the compare API page by page, trees and blobs), recorded by
`run` and compared by `report`, against what the clone gives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.config import Config, load_config
from generator.pipeline import DayRange, run
from generator.releases import githubrefs, load_releases

from github_server import GitHubServer
from gitrepo import GitRepo
from release_history import REPO, make_history

TOKEN = "ghp_" + "Rel" * 12
AFTER = datetime.fromisoformat("2026-02-08T09:00:00+08:00")
DAYS = DayRange(date(2026, 2, 2), date(2026, 2, 7))


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[GitRepo, dict[str, str]]:
    return make_history(tmp_path_factory.mktemp("engine") / "engine")


@pytest.fixture
def server(history, monkeypatch) -> Iterator[GitHubServer]:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with GitHubServer(token=TOKEN) as github:
        github.add_repo(REPO, history[0].path)
        yield github


def project(folder: Path, entry: dict, server: GitHubServer) -> Config:
    folder.mkdir()
    raw = {
        "site_url": "https://example.org/digest/",
        "language": "en",
        "start": "2026-02-02",
        "github": {"api_url": server.api_url, "request_interval": 0},
        "repos": [{"name": REPO, "pull_requests": "subject", **entry}],
    }
    (folder / "digest.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    return load_config(folder / "digest.yml")


def test_github_records_the_releases_a_clone_records(tmp_path, server, history):
    over_api = project(tmp_path / "api", {"source": "github"}, server)
    clone = project(tmp_path / "clone", {"path": str(history[0].path)}, server)
    for config in (over_api, clone):
        summary = run(config, DAYS, now=lambda: AFTER)
        assert not summary.failures and not summary.warnings, summary
    assert server.api_calls("/compare/"), "the compare API was used"
    assert server.api_calls("/git/trees/") and server.api_calls("/git/blobs/")
    api = {r.tag: r for r in load_releases(over_api.data_dir, REPO)}
    git = {r.tag: r for r in load_releases(clone.data_dir, REPO)}
    assert set(api) == set(git) == {"v0.2.0", "v0.2.1"}
    for tag in api:
        a, g = api[tag], git[tag]
        assert [c.sha for c in a.commits] == [c.sha for c in g.commits]
        assert [c.branch_sha for c in a.commits] == [c.branch_sha for c in g.commits]
        assert a.interface_changes == g.interface_changes
        assert a.modules == g.modules
        assert (a.release.sha, a.previous.sha) == (g.release.sha, g.previous.sha)
    # No patch-id through the API: the cherry-pick is found by its subject.
    picked = [c.match for c in api["v0.2.1"].commits if c.match not in (None, "sha")]
    assert picked == ["subject"]


def test_github_report_pages_through_the_compare_api(
    tmp_path, server, history, capsys, monkeypatch
):
    monkeypatch.setattr(githubrefs, "PER_PAGE", 2)  # 5 commits: three pages
    config = project(tmp_path / "api", {"source": "github"}, server)
    run(config, DAYS, now=lambda: AFTER)
    capsys.readouterr()
    args = ["report", "--config", str(tmp_path / "api" / "digest.yml"), "--repo", REPO]
    code = main(
        [*args, "--from", "v0.1.0", "--to", "v0.2.1", "--format", "json"], now=lambda: AFTER
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["commits"] == 5
    assert any("page=3&" in r.path for r in server.api_calls("/compare/"))
    assert {(c["name"], c["change"]) for c in data["interface_changes"]} == {
        ("enable_tracing", "added"),
        ("APP_TRACE", "added"),
        ("old_flag", "removed"),
        ("port", "default"),
    }
    assert [d["name"] for d in data["dependencies"]] == ["torch"]
    code = main([*args, "--from", "v0.0.9", "--to", "v0.2.1"], now=lambda: AFTER)
    _, err = capsys.readouterr()
    assert code == 2 and "v0.0.9" in err and err.count("\n") == 1
