"""What a release report needs of a repository, whatever its source: the `Refs` protocol
(a clone or mirror: gitrefs.py; the GitHub API: githubrefs.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from generator.errors import ConfigError
from generator.releases.versions import Tag


class UnknownRef(ConfigError):
    """A tag, branch, sha or date the repository does not have."""


@dataclass(frozen=True)
class RangeCommit:
    """A commit of `old..new` as the source lists it."""

    sha: str
    subject: str
    committed: datetime
    author_email: str = ""
    authored: datetime | None = None
    picked_from: str | None = None
    """The sha a `git cherry-pick -x` line names, if any."""


class Refs(Protocol):
    branch_tip: str
    """The followed branch's commit."""

    def tags(self) -> list[Tag]:
        """Every tag that points at a commit."""
        ...

    def dated(self, tag: Tag) -> Tag:
        """The tag with its date."""
        ...

    def resolve(self, ref: str) -> tuple[str, datetime]:
        """The commit a tag, branch or sha names, and its date (a tag's: see Tag.date);
        raises UnknownRef."""
        ...

    def branch_at(self, moment: datetime) -> tuple[str, datetime]:
        """The followed branch's newest commit committed before `moment`."""
        ...

    def between(self, old: str, new: str) -> list[RangeCommit]:
        """`git rev-list old..new`, newest first."""
        ...

    def off_branch(self, old: str, new: str) -> set[str]:
        """The shas of `old..new` that the followed branch does not reach."""
        ...

    def branch_since(self, old: str) -> list[RangeCommit]:
        """The followed branch's commits that `old` does not reach (cherry-picks' sources)."""
        ...

    def patch_id(self, sha: str) -> str | None:
        """A hash of the commit's diff that ignores where the lines are (`git patch-id`);
        None when the source cannot say."""
        ...

    def changed_files(self, old: str, new: str) -> list[tuple[str, str | None, int]]:
        """(path, old path when renamed, lines changed) of each file that differs."""
        ...

    def read(self, ref: str, paths: Sequence[str]) -> dict[str, bytes]:
        """The contents at `ref` of those of `paths` that exist there."""
        ...
