"""`python -m generator run` with GitHub-backed sources, end to end: real processes, a real
sglang day served by the local GitHub API server, the records and pages they write."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import load_config
from generator.pipeline import DayRange, run
from generator.records import load_record

from github_server import GitHubServer
from gitrepo import run_git
from sglang_repo import build_sglang_repo, load_fixture

TOKEN = "ghp_" + "Run" * 12
SGLANG = "sgl-project/sglang"
DAY = "2026-02-11"  # 18 commits
NOW = "2026-02-12T01:30:00+08:00"  # the scheduled run after it


@pytest.fixture(scope="module")
def sglang_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_sglang_repo(tmp_path_factory.mktemp("run") / "sglang").path
    run_git(path, "config", "uploadpack.allowFilter", "true")  # mirrored as GitHub serves it
    return path


@pytest.fixture
def server(sglang_path: Path) -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as github:
        github.add_repo(SGLANG, sglang_path)
        yield github


def project(folder: Path, server: GitHubServer, repos: list[dict[str, Any]]) -> Path:
    folder.mkdir(exist_ok=True)
    config = {
        "site_url": "https://example.org/d/",
        "github": {"api_url": server.api_url, "request_interval": 0},
        # The request counts below are a day's; release reports add a request for the
        # tags per run (tests/test_releases_github.py).
        "repos": [{"releases": False, **repo} for repo in repos],
    }
    (folder / "digest.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder


def cli(folder: Path, *args: str, now: str = NOW) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "DIGEST_NOW": now, "GITHUB_TOKEN": TOKEN},
    )


def table(page: Path) -> list[str]:
    """The day table's rows (each starts with the commit's time of day)."""
    rows = page.read_text(encoding="utf-8").splitlines()
    return [line for line in rows if re.match(r"\| \d\d:\d\d:\d\d \|", line)]


def test_a_real_day_through_the_api_gives_the_table_a_clone_gives(tmp_path, server, sglang_path):
    api = project(tmp_path / "api", server, [{"name": SGLANG, "source": "github"}])
    clone = project(tmp_path / "clone", server, [{"name": SGLANG, "path": str(sglang_path)}])

    result = cli(api, "run", "--date", DAY)
    assert result.returncode == 0, result.stderr
    # The branch, one page of the day's commits, each commit's detail and pull requests,
    # and the contents of declaring files their patches do not settle.
    contents = sum("/contents/" in r.path for r in server.requests)
    assert len(server.requests) - contents == 1 + 1 + 2 * 18
    assert cli(clone, "run", "--date", DAY).returncode == 0  # (asks GitHub for its PRs too)
    assert re.fullmatch(
        r"Done: 1 days, 18 commits \(🔴\d+ 🟡\d+ 🟢\d+\), 1 records and \d+ pages changed, "
        rf"{38 + contents} GitHub API requests in \d+\.\d s\n",
        result.stdout,
    )
    page = api / "docs/daily/2026/02/11.md"
    assert table(page) == table(clone / "docs/daily/2026/02/11.md")
    expected = next(d for d in load_fixture()["days"] if d["date"] == DAY)["commits"]
    cells = [re.match(r"\| (.*?) \| (.*?) \| \[(.*?)\]\(", row) for row in table(page)]
    # The day table shows the time of day; the date is the page's.
    shown = [(c[1], c[2]) for c in cells]
    assert shown == [(e["time_local"][11:], e["author_name"]) for e in expected]
    assert len(cells) == len(expected) == 18

    server.requests.clear()
    again = cli(api, "run", "--date", DAY)
    assert again.returncode == 0, again.stderr
    assert ", 0 records and 0 pages changed, 2 GitHub API requests in " in again.stdout
    assert [r.path.split("?")[0] for r in server.requests] == [
        f"/repos/{SGLANG}/branches/main",
        f"/repos/{SGLANG}/commits",
    ]


def test_an_exhausted_rate_limit_leaves_the_rest_for_the_next_run(tmp_path, server):
    folder = project(tmp_path, server, [{"name": SGLANG, "source": "github"}])
    server.remaining = 20  # the first day needs 48, the second 38
    server.reset = int(datetime(2030, 1, 1, tzinfo=UTC).timestamp())

    stopped = cli(folder, "run", "--since", "2026-02-10", "--until", DAY)

    assert stopped.returncode == 1
    assert "Traceback" not in stopped.stderr
    assert stopped.stderr.splitlines()[1:] == [
        f"[2/2] {DAY} {SGLANG}: skipped, left for the next run",
        f"Failed: Repository '{SGLANG}': commit {_sha_in(stopped.stderr)}: GitHub API rate limit "
        "used up (0 of 5000 requests left, resets at 2030-01-01 00:00 UTC); stopped, the next "
        "run completes what is missing",
    ]
    record = _record(folder, "2026-02-10")
    assert (
        record["complete"] is False and record["commits"] == [] and "rate limit" in record["error"]
    )
    assert not (folder / "data" / SGLANG / "2026/02/11.json").exists()

    server.remaining = 5000
    resumed = cli(folder, "run")
    assert resumed.returncode == 0, resumed.stderr
    assert (
        _record(folder, "2026-02-10")["complete"]
        and len(_record(folder, "2026-02-10")["commits"]) == 23
    )
    assert _record(folder, DAY)["complete"] and len(_record(folder, DAY)["commits"]) == 18


def test_a_missing_repository_fails_alone(tmp_path, server, sglang_path):
    folder = project(
        tmp_path,
        server,
        [{"name": "nobody/nothing", "source": "github"}, {"name": "o/r", "path": str(sglang_path)}],
    )
    result = cli(folder, "run", "--date", DAY)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"Failed: Repository 'nobody/nothing': not found on {server.api_url}; check repos[].name"
    )
    assert _record(folder, DAY, "o/r")["complete"]
    assert not (folder / "data/nobody").exists()


def test_github_mirror_and_git_record_the_same_day_but_for_what_only_github_knows(
    tmp_path, server, sglang_path, monkeypatch
):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    server.logins["noreply@github.com"] = "web-flow"
    folder = project(
        tmp_path,
        server,
        [
            {"name": SGLANG, "source": "github"},
            {"name": "mirror/sglang", "source": "mirror", "url": sglang_path.as_uri(),
             "pull_requests": "subject"},
            {"name": "clone/sglang", "path": str(sglang_path), "pull_requests": "subject"},
        ],
    )  # fmt: skip
    config = load_config(folder / "digest.yml")
    day = date.fromisoformat(DAY)
    summary = run(config, DayRange(day, day), now=lambda: datetime.fromisoformat(NOW))
    assert summary.failures == [] and summary.warnings == []

    api, mirror, clone = (load_record(config.data_dir, r.name, day) for r in config.repos)
    assert len(api.commits) == len(mirror.commits) == len(clone.commits) == 18
    assert mirror == clone.model_copy(update={"repo": "mirror/sglang"})
    only_github = {"author": {"login"}, "committer": {"login"}, "pull_request": True}
    for a, c in zip(api.commits, clone.commits, strict=True):
        assert a.model_dump(exclude=only_github) == c.model_dump(exclude=only_github)
        assert a.committer.login == "web-flow" and c.committer.login is None
    assert api.model_dump(exclude={"repo", "commits"}) == clone.model_dump(
        exclude={"repo", "commits"}
    )


def _record(folder: Path, day: str, repo: str = SGLANG) -> dict[str, Any]:
    return json.loads((folder / "data" / repo / f"{day.replace('-', '/')}.json").read_text())


def _sha_in(text: str) -> str:
    return re.search(r"commit ([0-9a-f]{12}): GitHub API rate limit", text)[1]
