"""Where commits come from. Each source yields `Commit`s of one repository's local day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from generator.models import Commit
from generator.windows import Window


class Source(Protocol):
    synced_at: datetime | None
    """When the source last matched the upstream repository; None when it is the
    upstream (or reads it live). A day ending after this is never recorded complete:
    commits may still arrive for it."""

    def stale_hint(self) -> str:
        """The command that brings the source up to date, for the stale-source warning."""
        ...

    def patch(self, sha: str, max_bytes: int = 200_000, redact_secrets: bool = True) -> str:
        """The commit's unified diff against its first parent, cut near `max_bytes`, with
        secret-looking strings redacted: the only way a diff leaves a source."""
        ...

    def commits(self, window: Window) -> Iterator[Commit]:
        """Every commit reachable from the branch whose committer date is in `window`,
        newest first (git log order), with files diffed against the first parent."""
        ...
