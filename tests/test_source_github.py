"""GitHubSource through PyGithub against a real HTTP server serving real git history."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import generator.github_api as github_api
from generator.config import Config, parse_config
from generator.errors import SourceExhausted, SourceUnavailable
from generator.localdays import day_window
from generator.models import Commit, Person, PullRequest
from generator.sources import SourceContext, open_source
from generator.sources.github import GitHubSource

from github_server import GitHubServer
from gitrepo import GitRepo, git_date
from sglang_repo import build_sglang_repo

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 1, tzinfo=UTC)
TOKEN = "ghp_" + "T0ken" * 8
SGLANG = "sgl-project/sglang"


def config(
    server: GitHubServer, name: str, tmp: Path, path: Path | None = None, **repo: Any
) -> Config:
    entries = [{"name": name, "source": "github", **repo}]
    if path:
        entries.append({"name": "local/clone", "path": str(path), "pull_requests": "subject"})
    return parse_config(
        {
            "site_url": "https://example.org/d/",
            "github": {"api_url": server.api_url, "request_interval": 0},
            "repos": entries,
        },
        base=tmp,
    )


def day(source: Any, when: str, known: dict[str, Commit] | None = None) -> list[Commit]:
    return list(source.commits(day_window(date.fromisoformat(when), SHANGHAI), known))


@pytest.fixture(scope="module")
def sglang(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GitHubServer, Path]]:
    tmp = tmp_path_factory.mktemp("gh")
    repo = build_sglang_repo(tmp / "sglang")
    with GitHubServer(token=TOKEN) as server:
        server.add_repo(SGLANG, repo.path)
        yield server, tmp


def open_both(server: GitHubServer, tmp: Path, token: str | None = TOKEN, **repo: Any):
    cfg = config(server, SGLANG, tmp, path=server.repos[SGLANG], **repo)
    context = SourceContext(cfg, NOW, environ={"GITHUB_TOKEN": token} if token else {})
    return open_source(cfg.repos[0], context), open_source(cfg.repos[1], context), context


# -- the same facts as a clone ---------------------------------------------------------


def test_a_real_day_gives_the_git_sources_facts_field_by_field(sglang):
    server, tmp = sglang
    server.logins["vedantjh2@gmail.com"] = "vedantjh2"
    server.logins["noreply@github.com"] = "web-flow"
    github, git, _ = open_both(server, tmp)

    from_api, from_clone = day(github, "2026-02-11"), day(git, "2026-02-11")

    assert len(from_api) == 18
    assert [c.sha for c in from_api] == [c.sha for c in from_clone]  # same order
    for api, clone in zip(from_api, from_clone, strict=True):
        assert api.parents == clone.parents
        assert (api.author.name, api.author.email) == (clone.author.name, clone.author.email)
        assert (api.committer.name, api.committer.email) == (
            clone.committer.name,
            clone.committer.email,
        )
        # The same instants; GitHub gives them in UTC, the clone in the committer's offset.
        assert api.authored_at == clone.authored_at and api.committed_at == clone.committed_at
        assert api.committed_at.utcoffset().total_seconds() == 0
        assert (api.subject, api.body) == (clone.subject, clone.body)
        assert api.files == clone.files
        assert api.files_truncated is clone.files_truncated is False
        assert api.committer.login == "web-flow" and clone.committer.login is None
        # Nothing else differs: what only GitHub knows is the logins and pull requests.
        strip = {"author": None, "committer": None, "pull_request": None}
        assert api.model_dump(exclude=set(strip)) == clone.model_dump(exclude=set(strip))
    lora = next(c for c in from_api if c.subject.startswith("add support to enable lora"))
    assert lora.author == Person(name="Vedant V Jhaveri", email="vedantjh2@gmail.com",
                                 login="vedantjh2")  # fmt: skip


def test_the_day_is_asked_for_in_utc_with_an_inclusive_last_second(sglang):
    server, tmp = sglang
    github, _, _ = open_both(server, tmp)
    before = len(server.requests)
    day(github, "2026-02-11")
    [listing] = [
        r for r in server.requests[before:] if r.path.startswith(f"/repos/{SGLANG}/commits?")
    ]
    assert "since=2026-02-10T16%3A00%3A00Z" in listing.path
    assert "until=2026-02-11T15%3A59%3A59Z" in listing.path


def test_requests_are_counted_and_known_commits_cost_none(sglang):
    server, tmp = sglang
    github, _, context = open_both(server, tmp, pull_requests="api")
    before, counted = len(server.requests), context.api_requests
    first = day(github, "2026-02-11")
    # One listing page, then the detail and the pull requests of each of the 18 commits,
    # and the declaring files their patches do not settle, at the commit and its parent.
    contents = _contents(server, before)
    assert contents > 0
    assert len(server.requests) - before == context.api_requests - counted
    assert len(server.requests) - before - contents == 1 + 2 * 18

    before = len(server.requests)
    again = day(github, "2026-02-11", known={c.sha: c for c in first})
    assert again == first
    assert len(server.requests) - before == 1  # the listing alone


def test_a_day_of_three_pages_is_read_whole_in_git_order(tmp_path):
    repo = GitRepo.init(tmp_path / "r", bare=True)
    repo.fast_import(
        b"".join(
            many_files(
                n, f"commit {n}", f"f{n}", 1, f"2026-02-10T08:{n // 60:02}:{n % 60:02}+08:00"
            )
            for n in range(1, 231)
        )
    )
    with GitHubServer() as server:
        server.add_repo("o/r", repo.path)
        cfg = config(server, "o/r", tmp_path, path=repo.path)
        context = SourceContext(cfg, NOW, environ={})
        github, git = (open_source(r, context) for r in cfg.repos)
        recorded = day(git, "2026-02-10")
        listed = day(github, "2026-02-10", known={c.sha: c for c in recorded})
    assert len(recorded) == 230 and listed == recorded
    pages = server.api_calls(r"/commits\?")
    assert len(pages) == 3 and "page=3" in pages[-1].path
    assert len(server.requests) == 1 + 3  # the branch, three pages: no commit asked for again


def test_a_patch_is_the_diff_git_shows_without_another_request(sglang):
    server, tmp = sglang
    github, git, _ = open_both(server, tmp)
    commits = day(github, "2026-02-11")
    before = len(server.requests)
    hunks = {"index ", "new file mode", "deleted file mode", "similarity index", "rename "}

    def body(diff: str) -> list[str]:
        return [line for line in diff.splitlines() if not line.startswith(tuple(hunks))]

    for commit in commits:
        assert body(github.patch(commit.sha)) == body(git.patch(commit.sha)), commit.subject
    assert len(server.requests) == before
    cut = github.patch(commits[0].sha, max_bytes=200)
    assert cut.endswith("[diff truncated at 200 bytes]\n") and len(cut.encode()) < 240


# -- pull requests and logins ----------------------------------------------------------


def test_the_pull_request_that_merged_a_commit(tmp_path):
    repo = GitRepo.init(tmp_path / "r")
    squashed = repo.commit(
        "fix: leak (#12)", {"a.py": "1\n"}, committed="2026-02-10T10:00:00+08:00"
    )
    in_open_pr = repo.commit("wip", {"a.py": "2\n"}, committed="2026-02-10T11:00:00+08:00")
    lonely = repo.commit("direct push", {"a.py": "3\n"}, committed="2026-02-10T12:00:00+08:00")
    with GitHubServer() as server:
        server.add_repo("o/r", repo.path)
        server.add_pull(
            "o/r", squashed, 7, "an older PR that contains it", merge_commit_sha="0" * 40
        )
        server.add_pull("o/r", squashed, 12, "Fix the <leak> @here", labels=("bug", "perf"),
                        body="x" * 5000)  # fmt: skip
        server.add_pull("o/r", in_open_pr, 13, "still open", merged=False)
        cfg = config(server, "o/r", tmp_path)
        source = open_source(cfg.repos[0], SourceContext(cfg, NOW, environ={}))
        commits = {c.sha: c for c in day(source, "2026-02-10")}

    pull = commits[squashed].pull_request
    assert pull is not None
    assert (pull.number, pull.title, pull.labels) == (12, "Fix the <leak> @here", ("bug", "perf"))
    assert pull.url == f"{server.web_url}/o/r/pull/12"
    assert pull.body == "x" * 4000
    assert commits[in_open_pr].pull_request is None  # an open PR did not bring it
    assert commits[lonely].pull_request is None


@pytest.mark.parametrize(("mode", "number"), [("subject", 12), ("off", None)])
def test_pull_requests_from_the_subject_or_not_at_all_cost_no_request(tmp_path, mode, number):
    repo = GitRepo.init(tmp_path / "r")
    repo.commit("fix: leak (#12)", {"a.py": "1\n"}, committed="2026-02-10T10:00:00+08:00")
    with GitHubServer() as server:
        server.add_repo("o/r", repo.path)
        cfg = config(server, "o/r", tmp_path, pull_requests=mode)
        [commit] = day(open_source(cfg.repos[0], SourceContext(cfg, NOW, environ={})), "2026-02-10")
    assert (commit.pull_request.number if commit.pull_request else None) == number
    assert not server.api_calls("/pulls")


# -- files -----------------------------------------------------------------------------


def many_files(mark: int, message: str, folder: str, count: int, when: str) -> bytes:
    """A fast-import commit adding `count` one-line files (quicker than writing them)."""
    who = f"A U Thor <author@example.com> {git_date(when)[1:]}\n"
    head = f"commit refs/heads/main\nmark :{mark}\nauthor {who}committer {who}"
    head += f"data {len(message)}\n{message}\n" + (f"from :{mark - 1}\n" if mark > 1 else "")
    files = "".join(
        f"M 100644 inline {folder}/{n:04}.txt\ndata 2\n{n % 10}\n" for n in range(count)
    )
    return (head + files + "\n").encode()


def test_files_are_read_from_every_page_and_truncation_is_recorded(tmp_path):
    repo = GitRepo.init(tmp_path / "r", bare=True)
    repo.fast_import(
        many_files(1, "350 files", "d", 350, "2026-02-10T10:00:00+08:00")
        + many_files(2, "3001 files", "e", 3001, "2026-02-11T10:00:00+08:00")
    )
    with GitHubServer() as server:
        server.add_repo("o/r", repo.path)
        cfg = config(server, "o/r", tmp_path, pull_requests="off")
        source = open_source(cfg.repos[0], SourceContext(cfg, NOW, environ={}))
        [three_fifty] = day(source, "2026-02-10")
        assert len(server.api_calls(r"/commits/[0-9a-f]{40}\?")) == 2  # 300 + 50
        [huge] = day(source, "2026-02-11")

    assert len(three_fifty.files) == 350 and not three_fifty.files_truncated
    assert three_fifty.files[-1].path == "d/0349.txt" and three_fifty.additions == 350
    assert len(huge.files) == 3000 and huge.files_truncated  # GitHub stops at 3,000


def test_binary_renamed_and_empty_files_read_as_git_reads_them(tmp_path):
    repo = GitRepo.init(tmp_path / "r")
    lines = "".join(f"line {n}\n" for n in range(30))
    repo.commit(
        "base", {"old.py": lines, "gone.txt": "bye\n"}, committed="2026-02-09T10:00:00+08:00"
    )
    repo.commit(
        "shapes",
        {"new.py": lines.replace("line 3\n", "line three\n"), "empty.txt": ""},
        rename={"old.py": "new.py"},
        delete=["gone.txt"],
        binary={"logo.png": b"\x89PNG\r\n\x1a\n\0\0\0"},
        committed="2026-02-10T10:00:00+08:00",
    )
    with GitHubServer() as server:
        server.add_repo("o/r", repo.path)
        cfg = config(server, "o/r", tmp_path, path=repo.path, pull_requests="off")
        context = SourceContext(cfg, NOW, environ={})
        github, git = (open_source(r, context) for r in cfg.repos)
        assert day(github, "2026-02-10")[0].files == day(git, "2026-02-10")[0].files
    binary = [f.path for f in day(git, "2026-02-10")[0].files if f.binary]
    assert binary == ["logo.png"]


# -- failures --------------------------------------------------------------------------


def test_a_502_is_retried_and_counted(sglang):
    server, tmp = sglang
    github, _, context = open_both(server, tmp)
    server.fail(r"/commits\?", status=502)
    server.fail(r"/commits/[0-9a-f]{40}\?", drop=True)  # a connection dropped mid-request
    before, counted = len(server.requests), context.api_requests
    assert len(day(github, "2026-02-10")) == 23
    # The listing, its retry, each commit's detail and pull requests, one detail's retry
    # (and the declaring files' contents).
    assert len(server.requests) - before == context.api_requests - counted
    assert len(server.requests) - before - _contents(server, before) == 2 + 2 * 23 + 1


def test_a_secondary_rate_limit_waits_as_told(sglang):
    server, tmp = sglang
    github, _, _ = open_both(server, tmp)
    secondary = "You have exceeded a secondary rate limit. Please wait a few minutes."
    server.fail(r"/commits\?", status=403, headers={"Retry-After": "1"}, message=secondary)
    started = time.monotonic()
    assert len(day(github, "2026-02-10")) == 23
    assert time.monotonic() - started >= 1


def test_an_exhausted_limit_with_a_far_reset_stops_the_repository(sglang):
    server, tmp = sglang
    github, _, _ = open_both(server, tmp)
    server.remaining, server.reset = 5, int(time.time()) + 3 * 86400
    try:
        with pytest.raises(SourceExhausted) as caught:
            day(github, "2026-02-10")
    finally:
        server.remaining, server.reset = server.limit, int(time.time()) + 3600
    message = str(caught.value)
    assert message.startswith(f"Repository '{SGLANG}': commit ")
    assert "GitHub API rate limit used up (0 of 5000 requests left, resets at " in message
    assert message.endswith(" UTC); stopped, the next run completes what is missing")


def test_persistent_5xx_gives_up_after_the_retries(sglang, monkeypatch):
    server, tmp = sglang
    monkeypatch.setattr(github_api, "BACKOFF", 0)
    github, _, _ = open_both(server, tmp)
    server.fail(r"/commits\?", status=503, times=99, message="Unicorn!")
    before = len(server.requests)
    try:
        with pytest.raises(SourceUnavailable) as caught:
            day(github, "2026-02-10")
    finally:
        server.faults.clear()
    assert str(caught.value) == f"Repository '{SGLANG}': GitHub answered 503: Unicorn!"
    assert len(server.requests) - before == 1 + github_api.RETRIES


def test_a_missing_repository_or_branch_is_one_line(sglang):
    server, tmp = sglang
    for name, branch, expected in [
        ("nobody/nothing", "main", "not found on {api}; check repos[].name"),
        (SGLANG, "release", "branch 'release' not found on {api}; check repos[].branch"),
    ]:
        cfg = config(server, name, tmp, branch=branch)
        with pytest.raises(SourceUnavailable) as caught:
            open_source(cfg.repos[0], SourceContext(cfg, NOW, environ={"GITHUB_TOKEN": TOKEN}))
        assert str(caught.value) == f"Repository '{name}': " + expected.format(api=server.api_url)


def test_the_token_goes_in_a_header_and_its_absence_is_one_warning(sglang):
    server, tmp = sglang
    _, _, with_token = open_both(server, tmp)
    assert server.requests[-1].authorization == f"token {TOKEN}"
    assert with_token.warnings == []
    _, _, without = open_both(server, tmp, token=None)
    assert server.requests[-1].authorization is None
    assert without.warnings == [
        "no GitHub token in $GITHUB_TOKEN: the API allows 60 requests an hour without one; "
        "set it (github.token_env names the variable) for 5,000"
    ]
    assert isinstance(open_both(server, tmp)[0], GitHubSource)


def test_a_clone_takes_its_pull_requests_from_github_when_a_token_is_set(tmp_path):
    local = GitRepo.init(tmp_path / "clone")
    merged = local.commit("fix: leak (#12)", {"a.py": "1\n"}, committed="2026-02-10T10:00:00+08:00")
    on_github = local.clone(tmp_path / "github.git", bare=True)
    unpushed = local.commit("wip (#13)", {"a.py": "2\n"}, committed="2026-02-10T11:00:00+08:00")
    with GitHubServer(token=TOKEN) as server:
        server.add_repo("o/r", on_github.path)
        server.add_pull("o/r", merged, 12, "Fix the leak", labels=("bug",))
        cfg = parse_config(
            {
                "site_url": "https://example.org/d/",
                "github": {"api_url": server.api_url, "request_interval": 0},
                "repos": [{"name": "o/r", "path": "clone"}, {"name": "o/private", "path": "clone"}],
            },
            base=tmp_path,
        )
        context = SourceContext(cfg, NOW, environ={"GITHUB_TOKEN": TOKEN})
        known, unknown = (open_source(r, context) for r in cfg.repos)
        first = day(known, "2026-02-10")
        asked = len(server.api_calls("/pulls"))
        again = day(known, "2026-02-10", known={c.sha: c for c in first})
        asked_again = len(server.api_calls("/pulls")) - asked
        others = {c.sha: c.pull_request for c in day(unknown, "2026-02-10")}

    pulls = {c.sha: c.pull_request for c in first}
    assert pulls[merged] == PullRequest(
        number=12, title="Fix the leak", url=f"{server.web_url}/o/r/pull/12", labels=("bug",)
    )
    assert pulls[unpushed] == PullRequest(number=13)  # GitHub lacks the commit: the subject's
    assert asked == 2
    # Asked again only for the commit whose pull request GitHub did not give.
    assert again == first and asked_again == 1
    # A repository GitHub does not have: the subjects' numbers, and one warning for the run.
    assert {sha: pull.number for sha, pull in others.items() if pull} == {merged: 12, unpushed: 13}
    assert context.warnings == [
        "Repository 'o/private': not found on GitHub, so pull requests come from the subjects' "
        "(#123) only; set pull_requests: subject"
    ]


def _contents(server, since: int) -> int:
    """Requests for a file's contents at a revision made since request `since`."""
    return sum("/contents/" in r.path for r in server.requests[since:])
