"""The pull request that brought each commit to the branch, for every kind of source.

`api` asks GitHub (`GET /repos/{owner}/{repo}/commits/{sha}/pulls`): number, title, URL,
labels and the start of the description. `subject` takes the number a squash merge writes
at the end of the subject, `(#1234)`, and knows nothing else. `off` looks for nothing.
A commit an earlier run already recorded keeps the pull request found then: it costs no
request, and the record, not the network, is what pages are made from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from generator.errors import NotFound
from generator.models import PR_BODY_LIMIT, Commit, PullRequest
from generator.text import pr_number

if TYPE_CHECKING:
    from github.PullRequest import PullRequest as GitHubPull

    from generator.github_api import GitHubAPI

Mode = Literal["api", "subject", "off"]


class PullRequests:
    def __init__(
        self,
        repo: str,
        mode: Mode,
        api: GitHubAPI | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        if mode == "api" and api is None:
            raise ValueError("pull_requests: api needs a GitHub client")
        self.repo = repo
        self.mode = mode
        self.api = api
        self.warnings = warnings if warnings is not None else []

    def find(self, commit: Commit, known: Commit | None = None) -> PullRequest | None:
        if self.mode == "off":
            return None
        recorded = known.pull_request if known else None
        if recorded and (self.mode == "subject" or recorded.url is not None):
            return recorded
        if self.mode == "api":
            try:
                return self._ask(commit.sha)
            except NotFound as exc:
                if exc.reason.lower() == "not found":
                    # Not a repository GitHub has (a local one, or a private one without
                    # access): the subjects' numbers are all there is, for the whole run.
                    self.mode = "subject"
                    self.warnings.append(
                        f"Repository '{self.repo}': not found on GitHub, so pull requests "
                        "come from the subjects' (#123) only; set pull_requests: subject"
                    )
                # else: a commit GitHub does not have (not pushed yet): no pull request
        number = pr_number(commit.subject)
        return PullRequest(number=number) if number else None

    def _ask(self, sha: str) -> PullRequest | None:
        assert self.api is not None
        repo = self.api.client.get_repo(self.repo)  # lazy: no request
        pulls = self.api.call(
            f"Repository '{self.repo}': pull requests of {sha[:12]}",
            lambda: list(repo.get_commit(sha).get_pulls()),
        )
        merged = [p for p in pulls if p.merged_at is not None]
        # The one whose merge made this very commit (a squash or merge commit) first; a
        # rebase-merged commit belongs to its merged PR. An open PR that merely contains
        # the commit did not bring it to the branch.
        merged.sort(key=lambda p: p.merge_commit_sha != sha)
        return from_github(merged[0]) if merged else None


def from_github(pull: GitHubPull) -> PullRequest:
    return PullRequest(
        number=pull.number,
        title=pull.title or "",
        url=pull.html_url,
        labels=tuple(label.name for label in pull.labels),
        body=(pull.body or "")[:PR_BODY_LIMIT],
    )
