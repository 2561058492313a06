"""Commits from the GitHub REST API, through PyGithub: the facts a clone would give.

For one day: `GET /repos/{o}/{r}/commits?sha=<tip>&since=&until=` (the window in UTC,
every page, newest first as git log lists them), then for each commit not recorded
before its detail (`GET .../commits/{sha}`, files 300 a page, every page) and, when
`pull_requests: api`, the pull request that merged it. The branch is resolved once per
run, so every day of a run sees the same history, as with a clone.

What the API cannot say as git does is said the same way: dates are the same instants
(GitHub gives them in UTC, a clone in the committer's offset), the message is split
into subject and body by git's rules, a binary file is one GitHub lists without a patch
or line counts, and a commit of more than 3,000 files (where GitHub stops listing) is
marked `files_truncated`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from generator.config import RepoConfig
from generator.errors import NotFound, SourceUnavailable
from generator.localdays import Window
from generator.models import Commit, FileChange, Person
from generator.redact import redact
from generator.sources import SourceContext, cut_diff
from generator.sources.apideclared import ApiDeclared
from generator.sources.git import split_message
from generator.sources.pulls import PullRequests

if TYPE_CHECKING:
    from github.Commit import Commit as GitHubCommit
    from github.File import File
    from github.GitAuthor import GitAuthor
    from github.NamedUser import NamedUser
    from github.Repository import Repository

    from generator.github_api import GitHubAPI

FILES_PER_PAGE = 300
FILE_LIMIT = 3000
"""GitHub lists at most this many files of one commit."""
EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
TEXT_WITHOUT_PATCH = {"renamed", "copied", "changed", "unchanged"}
"""Statuses whose files have no patch or line counts without being binary: a pure rename,
a copy, a change of mode."""


class GitHubSource:
    synced_at = None
    """The API is the upstream itself: always current."""

    def __init__(
        self, repo: RepoConfig, api: GitHubAPI, remote: Repository, tip: str, pulls: PullRequests
    ) -> None:
        self.repo = repo
        self.api = api
        self.remote = remote
        self.tip = tip
        self.pulls = pulls
        self.label = f"Repository '{repo.name}'"
        self._files: dict[str, list[File]] = {}
        """The files of the commits read for the last day, for `patch()` without a request."""
        self.declared = ApiDeclared(repo.interfaces, self._contents)

    @classmethod
    def open(cls, repo: RepoConfig, context: SourceContext) -> GitHubSource:
        """Resolve the branch (one request); a missing repository or branch is one line."""
        api = context.api()
        remote = api.client.get_repo(repo.name)  # lazy: no request
        label, where = f"Repository '{repo.name}'", api.settings.api_url
        try:
            branch = api.call(label, lambda: remote.get_branch(repo.branch))
        except NotFound as exc:
            if exc.reason.lower() == "branch not found":
                message = f"branch '{repo.branch}' not found on {where}; check repos[].branch"
            else:
                access = "" if api.authenticated else " (a private one needs a token)"
                message = f"not found on {where}; check repos[].name{access}"
            raise SourceUnavailable(f"{label}: {message}") from None
        return cls(repo, api, remote, branch.commit.sha, context.pull_requests(repo))

    def stale_hint(self) -> str:
        return "nothing to update: the API is read live"

    def commits(
        self, window: Window, known: Mapping[str, Commit] | None = None
    ) -> Iterator[Commit]:
        known = known or {}
        since = window.start.astimezone(UTC)
        # `until` is inclusive and counts whole seconds: the last second of the window.
        until = window.end.astimezone(UTC) - timedelta(seconds=1)
        listed = self.api.call(
            self.label,
            lambda: list(self.remote.get_commits(sha=self.tip, since=since, until=until)),
        )
        self._files = {}
        commits = []
        for item in listed:
            if not window.contains(item.commit.committer.date):
                continue
            if item.sha in known:
                previous = known[item.sha]
                commits.append(previous.model_copy(update={"analysis": None, "dropped_at": None}))
                continue
            commit = self._read(item.sha)
            pull = self.pulls.find(commit)
            commits.append(commit.model_copy(update={"pull_request": pull}) if pull else commit)
        yield from commits

    def patch(self, sha: str, max_bytes: int = 200_000, redact_secrets: bool = True) -> str:
        """The diff GitHub shows for the commit, as `git diff-tree -p` would print it."""
        files = self._files.get(sha)
        if files is None:
            files = self._detail(sha)[1]
        text = cut_diff(_unified_diff(files).encode("utf-8"), max_bytes)
        return redact(text)[0] if redact_secrets else text

    def _read(self, sha: str) -> Commit:
        detail, files = self._detail(sha)
        self._files[sha] = files
        parent = detail.parents[0].sha if detail.parents else None
        found = self.declared.changes(sha, parent, files)
        return from_github(detail, files).model_copy(
            update={"interface_changes": found.changes, "interface_notes": found.notes}
        )

    def _contents(self, path: str, ref: str) -> bytes | None:
        """A file at a revision (`GET .../contents/{path}?ref=`); None when GitHub gives
        no contents (a file over its 1 MB limit, or none at that path)."""
        what = f"{self.label}: commit {ref[:12]}"
        try:
            found = self.api.call(what, lambda: self.remote.get_contents(path, ref=ref))
        except NotFound:
            return None
        if isinstance(found, list) or found.encoding != "base64":
            return None
        return found.decoded_content

    def _detail(self, sha: str) -> tuple[GitHubCommit, list[File]]:
        def fetch() -> tuple[GitHubCommit, list[File]]:
            detail = self.remote.get_commit(sha, commit_files_per_page=FILES_PER_PAGE).complete()
            return detail, list(detail.files)

        return self.api.call(f"{self.label}: commit {sha[:12]}", fetch)


def from_github(detail: GitHubCommit, files: list[File]) -> Commit:
    """A commit's facts from its API detail, equal to what the git source reads."""
    data = detail.commit
    subject, body = split_message(data.message)
    return Commit(
        sha=detail.sha,
        parents=tuple(p.sha for p in detail.parents),
        author=_person(data.author, detail.author),
        committer=_person(data.committer, detail.committer),
        authored_at=data.author.date,
        committed_at=data.committer.date,
        subject=subject,
        body=body,
        files=tuple(_file_change(f) for f in files),
        files_truncated=len(files) >= FILE_LIMIT,
    )


def _person(git: GitAuthor, account: NamedUser | None) -> Person:
    return Person(name=git.name, email=git.email, login=account.login if account else None)


def _file_change(item: File) -> FileChange:
    binary = (
        item.patch is None
        and item.additions == 0
        and item.deletions == 0
        and item.status not in TEXT_WITHOUT_PATCH
        and item.sha != EMPTY_BLOB
    )
    return FileChange(
        path=item.filename,
        old_path=item.previous_filename if item.status == "renamed" else None,
        additions=item.additions,
        deletions=item.deletions,
        binary=binary,
    )


def _unified_diff(files: list[File]) -> str:
    parts = []
    for item in files:
        old = item.previous_filename or item.filename
        parts.append(f"diff --git a/{old} b/{item.filename}\n")
        before = "/dev/null" if item.status == "added" else f"a/{old}"
        after = "/dev/null" if item.status == "removed" else f"b/{item.filename}"
        if item.patch is None:
            if _file_change(item).binary:
                parts.append(f"Binary files {before} and {after} differ\n")
            continue
        parts.append(f"--- {before}\n+++ {after}\n")
        parts.append(item.patch if item.patch.endswith("\n") else item.patch + "\n")
    return "".join(parts)
