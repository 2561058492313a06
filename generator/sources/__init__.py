"""Where commits come from. Each source yields `Commit`s of one repository's local day."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from generator.models import Commit
from generator.windows import Window


class Source(Protocol):
    def commits(self, window: Window) -> Iterator[Commit]:
        """Every commit reachable from the branch whose committer date is in `window`,
        newest first (git log order), with files diffed against the first parent."""
        ...
