"""`source: mirror` against real remotes: a local bare repository over file://, and the
GitHub host of the local API server for the credentials."""

from __future__ import annotations

import base64
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import generator.sources.mirror as mirror_module
from generator.config import Config, parse_config
from generator.errors import ConfigError
from generator.pipeline import DayRange, build, run
from generator.records import load_record

from github_server import GitHubServer
from gitrepo import GitRepo, run_git

TOKEN = "ghp_" + "M1rror" * 7


def at(text: str) -> Any:
    moment = datetime.fromisoformat(text)
    return lambda: moment


def mirror_config(tmp_path: Path, url: str, **github: Any) -> Config:
    return parse_config(
        {
            "site_url": "https://example.org/d/",
            "github": {"request_interval": 0, **github},
            "repos": [{"name": "o/r", "source": "mirror", "url": url, "pull_requests": "subject"}],
        },
        base=tmp_path,
    )


@pytest.fixture
def upstream(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "upstream")
    repo.git("config", "uploadpack.allowFilter", "true")  # as GitHub allows partial clones
    repo.commit("feat: one (#1)", {"a.py": "1\n"}, committed="2026-03-01T10:00:00+08:00")
    repo.commit("fix: two", {"a.py": "2\n"}, committed="2026-03-02T10:00:00+08:00")
    return repo


def complete(config: Config, *days: str) -> list[bool]:
    return [load_record(config.data_dir, "o/r", date.fromisoformat(d)).complete for d in days]


def test_a_mirror_is_cloned_once_then_fetched_once_per_run(tmp_path, upstream, monkeypatch):
    config = mirror_config(tmp_path, upstream.path.as_uri())
    calls: list[list[str]] = []
    real_run = mirror_module._run

    def spy(cwd: Path, args: list[str], *rest: Any, **kwargs: Any) -> bytes:
        calls.append(args)
        return real_run(cwd, args, *rest, **kwargs)

    monkeypatch.setattr(mirror_module, "_run", spy)
    first = run(
        config, DayRange(date(2026, 3, 1), date(2026, 3, 2)), now=at("2026-03-03T09:00:00+08:00")
    )

    assert first.failures == [] and first.warnings == []
    mirror = tmp_path / "mirrors/o/r.git"
    assert run_git(mirror, "rev-parse", "--is-bare-repository") == "true"
    assert run_git(mirror, "config", "remote.origin.partialclonefilter") == "blob:none"
    assert [c[0] for c in calls] == ["clone", "fetch"]  # the branch, then the tags (releases)
    assert complete(config, "2026-03-01", "2026-03-02") == [True, True]
    assert load_record(config.data_dir, "o/r", date(2026, 3, 1)).commits[0].files[0].additions == 1

    upstream.commit("feat: three", {"b.py": "3\n"}, committed="2026-03-03T10:00:00+08:00")
    upstream.commit("feat: four", {"b.py": "4\n"}, committed="2026-03-04T10:00:00+08:00")
    calls.clear()
    second = run(config, DayRange(), now=at("2026-03-05T09:00:00+08:00"))

    assert [c[0] for c in calls] == ["remote", "fetch"]  # one fetch for the two days
    assert second.failures == [] and second.warnings == []
    assert complete(config, "2026-03-03", "2026-03-04") == [True, True]
    record = load_record(config.data_dir, "o/r", date(2026, 3, 3))
    assert [c.subject for c in record.commits] == ["feat: three"]


def test_a_remote_gone_leaves_mirrored_days_readable_and_later_days_open(tmp_path, upstream):
    config = mirror_config(tmp_path, upstream.path.as_uri())
    run(config, DayRange(date(2026, 3, 1), date(2026, 3, 2)), now=at("2026-03-02T12:00:00+08:00"))
    upstream.commit("feat: three", {"b.py": "3\n"}, committed="2026-03-02T18:00:00+08:00")
    moved = upstream.path.rename(tmp_path / "moved")

    gone = run(
        config, DayRange(date(2026, 3, 1), date(2026, 3, 3)), now=at("2026-03-04T12:00:00+08:00")
    )

    assert gone.failures == []
    fetch_failed, stale = gone.warnings
    assert fetch_failed.startswith(f"Repository 'o/r': fetching {upstream.path.as_uri()} failed: ")
    assert fetch_failed.endswith(
        "; reading the history mirrored up to 2026-03-02 12:00 (Asia/Shanghai)"
    )
    assert stale.startswith("Repository 'o/r': the clone was last updated 2026-03-02 12:00")
    assert f"(check that {upstream.path.as_uri()} can be fetched)" in stale
    assert complete(config, "2026-03-01", "2026-03-02", "2026-03-03") == [True, False, False]

    moved.rename(upstream.path)
    back = run(config, DayRange(), now=at("2026-03-04T12:00:00+08:00"))
    assert back.warnings == []
    assert complete(config, "2026-03-01", "2026-03-02", "2026-03-03") == [True, True, True]
    subjects = [c.subject for c in load_record(config.data_dir, "o/r", date(2026, 3, 2)).commits]
    assert subjects == ["feat: three", "fix: two"]


def test_a_mirror_that_cannot_be_cloned_fails_its_repository_alone(tmp_path):
    missing = (tmp_path / "nowhere").as_uri()
    config = mirror_config(tmp_path, missing)
    summary = run(
        config, DayRange(date(2026, 3, 1), date(2026, 3, 1)), now=at("2026-03-03T09:00:00+08:00")
    )
    [failure] = summary.failures
    assert failure.startswith(
        f"Repository 'o/r': cannot clone {missing} into {tmp_path / 'mirrors/o/r.git'}: fatal: "
    )
    assert load_record(config.data_dir, "o/r", date(2026, 3, 1)) is None
    assert not (tmp_path / "mirrors/o/r.git").exists()
    assert not (tmp_path / "mirrors/o/r.git.partial").exists()


def test_the_token_reaches_the_github_host_as_a_header_and_nowhere_else(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with GitHubServer() as server:
        url = f"{server.web_url}/o/r.git"
        config = mirror_config(tmp_path, url, api_url=server.api_url)
        summary = run(config, DayRange(date(2026, 3, 1), date(2026, 3, 1)),
                      now=at("2026-03-03T09:00:00+08:00"))  # fmt: skip
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert server.git_requests and {r.authorization for r in server.git_requests} == {
        f"Basic {basic}"
    }
    [failure] = summary.failures  # the server refuses git: the clone fails, in one line
    assert failure.startswith(f"Repository 'o/r': cannot clone {url} into ")
    assert TOKEN not in failure and basic not in failure
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(basic.encode() not in p.read_bytes() for p in leftovers)
    # Another host never gets it.
    assert mirror_module._credentials("https://elsewhere.org/o/r.git", server.web_url, TOKEN) == {}


def test_a_force_push_upstream_is_followed(tmp_path, upstream):
    config = mirror_config(tmp_path, upstream.path.as_uri())
    run(config, DayRange(date(2026, 3, 2), date(2026, 3, 2)), now=at("2026-03-03T09:00:00+08:00"))
    upstream.git("reset", "-q", "--hard", "HEAD~1")
    upstream.commit("fix: two, again", {"a.py": "3\n"}, committed="2026-03-02T11:00:00+08:00")
    shutil.rmtree(tmp_path / "docs")
    run(config, DayRange(date(2026, 3, 2), date(2026, 3, 2)), now=at("2026-03-03T10:00:00+08:00"))
    record = load_record(config.data_dir, "o/r", date(2026, 3, 2))
    assert [(c.subject, c.dropped_at is not None) for c in record.commits] == [
        ("fix: two, again", False),
        ("fix: two", True),
    ]


def test_a_site_build_never_empties_the_mirrors(tmp_path, upstream):
    config = mirror_config(tmp_path, upstream.path.as_uri())
    with pytest.raises(ConfigError, match=r"holds .*mirrors, and a build empties its folder"):
        build(config, tmp_path / "mirrors")
