"""`Refs` through the GitHub REST API: tags, the compare API (paginated) for the commits
between two refs, the two refs' trees for the files that differ, and the declaring
files' blobs.

A commit's facts come from its JSON (no patch-id: a cherry-pick is matched by its
`cherry picked from` line or its subject). The modules table counts the compare's files,
which GitHub cuts at 300; the interface changes do not depend on it: they come from the
trees (`git/trees/<sha>?recursive=1`), every file whose blob differs.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from github.Commit import Commit as GitHubCommit
from github.Repository import Repository

from generator.errors import NotFound
from generator.github_api import GitHubAPI
from generator.releases.gitrefs import PICKED
from generator.releases.refs import RangeCommit, UnknownRef
from generator.releases.versions import Tag

T = TypeVar("T")
PER_PAGE = 100


class GitHubRefs:
    def __init__(self, api: GitHubAPI, remote: Repository, branch_tip: str, label: str) -> None:
        self.api = api
        self.remote = remote
        self.branch_tip = branch_tip
        self.label = label
        self._trees: dict[str, dict[str, str]] = {}
        self._compared: dict[tuple[str, str], list[GitHubCommit]] = {}

    def _call(self, what: str, action: Callable[[], T]) -> T:
        return self.api.call(f"{self.label}: {what}", action)

    def tags(self) -> list[Tag]:
        found = self._call("tags", lambda: list(self.remote.get_tags()))
        return [Tag(t.name, t.commit.sha) for t in found]

    def dated(self, tag: Tag) -> Tag:
        if tag.date is not None:
            return tag
        return Tag(tag.name, tag.sha, self._commit_date(tag.sha))

    def resolve(self, ref: str) -> tuple[str, datetime]:
        try:
            commit = self._call(f"ref {ref}", lambda: self.remote.get_commit(ref).complete())
        except NotFound:
            raise UnknownRef(f"{ref!r}: no such tag, branch or commit on GitHub") from None
        return commit.sha, _utc(commit.commit.committer.date)

    def branch_at(self, moment: datetime) -> tuple[str, datetime]:
        until = moment.astimezone(UTC)
        listed = self._call(
            "commits",
            lambda: self.remote.get_commits(sha=self.branch_tip, until=until).get_page(0),
        )
        if not listed:
            raise UnknownRef(f"the branch has no commit before {moment.isoformat()}")
        return listed[0].sha, _utc(listed[0].commit.committer.date)

    def between(self, old: str, new: str) -> list[RangeCommit]:
        return [_range_commit(c) for c in reversed(self._compare_commits(old, new))]

    def off_branch(self, old: str, new: str) -> set[str]:
        ahead = {c.sha for c in self._compare_commits(self.branch_tip, new)}
        return ahead & {c.sha for c in self._compare_commits(old, new)}

    def branch_since(self, old: str) -> list[RangeCommit]:
        return [_range_commit(c) for c in reversed(self._compare_commits(old, self.branch_tip))]

    def patch_id(self, sha: str) -> str | None:
        return None

    def changed_files(self, old: str, new: str) -> list[tuple[str, str | None, int]]:
        before, after = self._tree(old), self._tree(new)
        listed = self._call("compare", lambda: self.remote.compare(old, new).files)
        counted = {f.filename: (f.previous_filename, f.changes) for f in listed}
        found = []
        for path in sorted(before.keys() | after.keys()):
            if before.get(path) != after.get(path):
                renamed, lines = counted.get(path, (None, 0))
                if renamed and renamed in before and before[renamed] == after.get(path):
                    continue
                found.append((path, renamed if renamed in before else None, lines))
        # A file renamed away shows as its new path; the old one is no change of its own.
        olds = {old_path for _, old_path, _ in found if old_path}
        return [item for item in found if item[0] not in olds or item[0] in after]

    def read(self, ref: str, paths: Sequence[str]) -> dict[str, bytes]:
        tree = self._tree(ref)
        found = {}
        for path in paths:
            if (blob := tree.get(path)) is not None:
                data = self._call(f"blob {path}", lambda b=blob: self.remote.get_git_blob(b))
                found[path] = (
                    base64.b64decode(data.content)
                    if data.encoding == "base64"
                    else (data.content.encode())
                )
        return found

    def _tree(self, ref: str) -> dict[str, str]:
        if ref not in self._trees:
            tree = self._call(f"tree {ref[:12]}", lambda: self.remote.get_git_tree(ref, True))
            self._trees[ref] = {e.path: e.sha for e in tree.tree if e.type == "blob"}
        return self._trees[ref]

    def _compare_commits(self, old: str, new: str) -> list[GitHubCommit]:
        def fetch() -> list[GitHubCommit]:
            comparison = self.remote.compare(old, new, comparison_commits_per_page=PER_PAGE)
            return list(comparison.commits)

        if (old, new) not in self._compared:
            what = f"compare {old[:12]}...{new[:12]}"
            self._compared[old, new] = self._call(what, fetch)
        return self._compared[old, new]

    def _commit_date(self, sha: str) -> datetime:
        commit = self._call(f"commit {sha[:12]}", lambda: self.remote.get_commit(sha).complete())
        return _utc(commit.commit.committer.date)


def _range_commit(item: GitHubCommit) -> RangeCommit:
    git = item.commit
    message = git.message or ""
    subject, _, body = message.partition("\n")
    picked = PICKED.search(body)
    return RangeCommit(
        sha=item.sha,
        subject=subject,
        committed=_utc(git.committer.date),
        author_email=(git.author.email or "").lower(),
        authored=_utc(git.author.date),
        picked_from=picked.group(1) if picked else None,
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
