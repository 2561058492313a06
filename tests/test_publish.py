"""The day's report posted as a GitHub issue, against the local GitHub API server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from generator.config import Config, parse_config
from generator.errors import ConfigError
from generator.models import PullRequest
from generator.pipeline import DayRange, run
from generator.publish import publish
from generator.publish.github_issue import BODY_LIMIT, issue_body
from generator.publish.ledger import STATE_FILE

from factory import at, github_api, make_commit, make_record, store
from github_server import GitHubServer
from sglang_repo import build_sglang_repo

TOKEN = "ghp_" + "Pub1ish" * 6
DIGEST = "my-org/digest"
DAY = date(2026, 2, 11)
AFTER = datetime(2026, 2, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def sglang_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sglang_repo(tmp_path_factory.mktemp("pub") / "sglang").path


@pytest.fixture
def server(sglang_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubServer]:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with GitHubServer(token=TOKEN) as github:
        github.add_repo("sgl-project/sglang", sglang_path)
        github.add_repo(DIGEST, sglang_path)  # any repository: only its issues are used
        yield github


def digest_config(tmp_path: Path, server: GitHubServer, **overrides: Any) -> Config:
    raw: dict[str, Any] = {
        "site_url": "https://example.org/d/",
        "github": {"api_url": server.api_url, "request_interval": 0},
        "repos": [{"name": "sgl-project/sglang", "source": "github"}],
        "publish": {"github_issue": {"repo": DIGEST, "labels": ["digest"]}},
        **overrides,
    }
    return parse_config(raw, base=tmp_path)


def writes(server: GitHubServer) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.requests if r.method != "GET"]


def test_a_complete_day_is_posted_once_and_edited_when_its_report_changes(tmp_path, server):
    config = digest_config(tmp_path, server)
    first = run(config, DayRange(DAY, DAY), now=lambda: AFTER)

    assert first.published == [f"{DIGEST}#1"] and first.warnings == []
    [issue] = server.issues[DIGEST]
    assert issue.title == "sgl-project/sglang 每日更新报告 2026-02-11"
    assert issue.labels == ["digest"]
    assert issue.body.startswith("<!-- commit-digest:sgl-project/sglang:2026-02-11 -->\n")
    assert "(https://example.org/d/daily/2026/02/11/)" in issue.body
    rows = [line for line in issue.body.splitlines() if line.startswith("| 2026-02-1")]
    assert len(rows) == 18
    assert rows[0].startswith("| 2026-02-11 23:19:40 | Vedant V Jhaveri | [add support to enable")
    assert re.search(r"\]\(https://example\.org/d/commits/sgl-project/sglang/[0-9a-f]{12}/\) \|$",
                     rows[0])  # fmt: skip
    assert "> 本日共 18 个提交 \\| 🔴高 " in issue.body
    assert (tmp_path / "data" / STATE_FILE).exists()

    server.requests.clear()
    again = run(config, DayRange(DAY, DAY), now=lambda: AFTER)
    assert again.published == [] and writes(server) == []
    assert not server.api_calls("/issues")  # the state knows the report is posted as it is

    english = digest_config(tmp_path, server, language="en")
    changed = run(english, DayRange(DAY, DAY), now=lambda: AFTER)
    assert changed.published == [f"{DIGEST}#1"]
    assert writes(server) == [f"PATCH /repos/{DIGEST}/issues/1"]
    [issue] = server.issues[DIGEST]
    assert issue.title == "sgl-project/sglang daily report 2026-02-11"
    assert "> 18 commits \\| 🔴 high " in issue.body

    # Without the state (a fresh machine), the marker still finds the issue.
    (tmp_path / "data" / STATE_FILE).unlink()
    server.requests.clear()
    assert run(english, DayRange(DAY, DAY), now=lambda: AFTER).published == [f"{DIGEST}#1"]
    assert writes(server) == [] and len(server.issues[DIGEST]) == 1


def test_an_unfinished_day_is_not_posted_until_a_run_completes_it(tmp_path, server):
    config = digest_config(tmp_path, server)
    during = datetime(2026, 2, 11, 12, 0, tzinfo=UTC)
    assert run(config, DayRange(DAY, DAY), now=lambda: during).published == []
    assert server.issues[DIGEST] == []
    # The next scheduled run redoes the open day (and the week before it) and posts them.
    later = run(config, DayRange(), now=lambda: AFTER)
    assert later.published == [f"{DIGEST}#{n}" for n in (1, 2, 3)]
    titles = [i.title[-10:] for i in server.issues[DIGEST]]
    assert titles == ["2026-02-11", "2026-02-13", "2026-02-14"]  # days without commits: none


def test_a_failed_post_loses_nothing_and_the_next_run_posts_it(tmp_path, server):
    config = digest_config(tmp_path, server)
    server.fail(f"/repos/{DIGEST}/issues$", method="POST", status=502, message="Bad Gateway")
    failed = run(config, DayRange(DAY, DAY), now=lambda: AFTER)

    assert failed.failures == [] and failed.published == []
    assert failed.warnings == [
        f"Publishing sgl-project/sglang 2026-02-11 to {DIGEST}: GitHub answered 502: "
        "Bad Gateway; the next run posts it again"
    ]
    assert len(server.api_calls("/issues$")) == 1  # a POST that may have worked is not repeated
    assert (tmp_path / "docs/daily/2026/02/11.md").exists()
    assert (tmp_path / "data/sgl-project/sglang/2026/02/11.json").exists()

    # The next run is asked for another day; the 11th is still due, and goes out first.
    next_day = date(2026, 2, 12)
    later = run(config, DayRange(next_day, next_day), now=lambda: AFTER)
    assert later.published == [f"{DIGEST}#1", f"{DIGEST}#2"] and later.warnings == []
    assert [i.title[-10:] for i in server.issues[DIGEST]] == ["2026-02-11", "2026-02-12"]


def test_publishing_needs_a_token(tmp_path, server, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    with pytest.raises(ConfigError) as caught:
        run(digest_config(tmp_path, server), DayRange(DAY, DAY), now=lambda: AFTER)
    assert str(caught.value) == (
        f"publish.github_issue posts to {DIGEST} and needs a token: set $GITHUB_TOKEN "
        "(github.token_env names the variable), or remove publish"
    )
    assert not (tmp_path / "data").exists()


# -- the body ------------------------------------------------------------------------


def body_config(tmp_path: Path, server: GitHubServer) -> Config:
    return digest_config(tmp_path, server, repos=[{"name": "o/r", "source": "github"}])


def wordy(commit: Any, words: int) -> Any:
    analysis = commit.analysis.model_copy(update={"recommendations": ("advice " * words,)})
    return commit.model_copy(update={"analysis": analysis})


def test_an_oversized_report_keeps_the_table_and_the_high_tier(tmp_path, server):
    config = body_config(tmp_path, server)
    high = make_commit("feat: the big one", at(DAY, 9), tier="high")
    medium = [wordy(make_commit(f"fix: {n}", at(DAY, 10, n), tier="medium"), 300)
              for n in range(40)]  # fmt: skip
    record = make_record("o/r", DAY, [*medium, high])  # 40 × 2,100 characters of advice

    body = issue_body(record, config)

    assert len(body) <= BODY_LIMIT
    assert body.count("\n| 2026-02-11 ") == 41  # the whole table
    assert "## 🔴 高重要度变更 (1)" not in body and "## 🔴 高重要度变更 \\(1\\)" in body
    assert "## 🟡" not in body
    assert "完整报告见[归档页面](https://example.org/d/daily/2026/02/11/)。" in body

    # When even the high tier is too long, the table alone is posted.
    huge = make_record("o/r", DAY, [wordy(high, 20_000), *medium])
    alone = issue_body(huge, config)
    assert len(alone) <= BODY_LIMIT and "## 🔴" not in alone
    assert alone.count("\n| 2026-02-11 ") == 41

    store(config, record)
    result = publish(config, [("o/r", DAY)], github_api(config.github))
    assert result.failures == [] and result.posted == [f"{DIGEST}#1"]
    assert server.issues[DIGEST][0].body == body  # GitHub took it (it refuses > 65,536)


def test_hostile_text_stays_text_and_pings_nobody(tmp_path, server):
    config = body_config(tmp_path, server)
    hostile = "<script>alert(1)</script> | @octocat fixes #123 GH-7 https://evil.example ~~x~~"
    pull = PullRequest(number=9, title="@org/team <img src=x>", labels=("bug|x",))
    commit = make_commit(hostile, at(DAY, 10), author="@alice <b>")
    record = make_record("o/r", DAY, [commit.model_copy(update={"pull_request": pull})])
    body = issue_body(record, config)

    assert "<script>" not in body and "<img" not in body and "<b>" not in body
    assert "&lt;script&gt;" in body
    for reference in ("@octocat", "@alice", "@org", "#123", "#9", "GH-7", "https://evil"):
        assert reference not in body, reference
    assert "@\u2060octocat" in body and "#\u2060123" in body and "https:\u2060//evil" in body
    [row] = [line for line in body.splitlines() if line.startswith("| 2026-02-11")]
    assert len(re.findall(r"(?<!\\)\|", row)) == 4  # three cells, every other | escaped
    assert "&#126;&#126;x&#126;&#126;" in body
