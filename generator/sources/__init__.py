"""Where commits come from. Each source yields `Commit`s of one repository's local day.

`open_source` is the one place that turns a repository entry of the config into its
source: a local clone (`git`), a mirror the generator keeps (`mirror`) or the GitHub
REST API (`github`). A new kind of source is one module and one config class.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from generator.config import Config, GitHubRepoConfig, RepoConfig
from generator.localdays import Window
from generator.models import Commit
from generator.sources.pulls import PullRequests

if TYPE_CHECKING:
    from generator.github_api import GitHubAPI


class Source(Protocol):
    synced_at: datetime | None
    """When the source last matched the upstream repository; None when it is the
    upstream (or reads it live). A day ending after this is never recorded complete:
    commits may still arrive for it."""

    def stale_hint(self) -> str:
        """The command that brings the source up to date, for the stale-source warning."""
        ...

    def commits(
        self, window: Window, known: Mapping[str, Commit] | None = None
    ) -> Iterator[Commit]:
        """Every commit reachable from the branch whose committer date is in `window`,
        newest first (git log order), with files diffed against the first parent.

        `known` holds commits an earlier run recorded, by sha: a source may take their
        facts and pull requests from there instead of asking the network again."""
        ...

    def patch(self, sha: str, max_bytes: int = 200_000, redact_secrets: bool = True) -> str:
        """The commit's unified diff against its first parent, cut near `max_bytes`, with
        secret-looking strings redacted unless `redact_secrets` is False: the only way a
        diff leaves a source."""
        ...


@runtime_checkable
class ReadsAhead(Protocol):
    """A source that can read many days faster when told them in advance (a clone: one
    pair of long-lived git processes for the run instead of a pair per day). Optional:
    a source without it is asked day by day, which gives the same commits."""

    def expect(self, windows: Sequence[Window]) -> None:
        """The windows `commits()` will be asked for, in that order. Asking for another
        window, or in another order, still works, only without reading ahead."""
        ...

    def close(self) -> None:
        """End whatever reading ahead started; the source still answers afterwards."""
        ...


@dataclass
class SourceContext:
    """What the sources of one run share: the config, the clock, one GitHub client."""

    config: Config
    now: datetime
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    warnings: list[str] = field(default_factory=list)
    _api: GitHubAPI | None = None

    @property
    def token(self) -> str | None:
        return self.environ.get(self.config.github.token_env) or None

    def api(self) -> GitHubAPI:
        """The run's GitHub client, made on first use (a run without GitHub makes none)."""
        if self._api is None:
            from generator.github_api import GitHubAPI

            self._api = GitHubAPI(self.config.github, self.token)
            if warning := self._api.no_token_warning():
                self.warnings.append(warning)
        return self._api

    @property
    def api_requests(self) -> int | None:
        """Requests the run sent to GitHub; None when it made no GitHub client."""
        return self._api.requests if self._api else None

    def pull_requests(self, repo: RepoConfig) -> PullRequests:
        mode = repo.pull_requests
        if mode is None:
            mode = "api" if isinstance(repo, GitHubRepoConfig) or self.token else "subject"
        api = self.api() if mode == "api" else None
        return PullRequests(repo.name, mode, api, self.warnings)


def cut_diff(data: bytes, max_bytes: int) -> str:
    """A diff cut at the last whole line within `max_bytes` (a single huge line is cut where
    the limit falls), with a note saying so; uncut when it fits."""
    if len(data) <= max_bytes:
        return data.decode("utf-8", "replace")
    kept = data[: data.rfind(b"\n", 0, max_bytes) + 1] or data[:max_bytes] + b"\n"
    return kept.decode("utf-8", "replace") + f"[diff truncated at {max_bytes} bytes]\n"


def open_source(repo: RepoConfig, context: SourceContext) -> Source:
    """The source of a repository entry, opened: checked, resolved, fetched if it is kept.

    A mistake in the entry raises ConfigError; an upstream that cannot be reached now
    raises SourceUnavailable (that repository fails, the others go on)."""
    return _openers()[repo.source](repo, context)  # type: ignore[attr-defined]


def _openers() -> dict[str, Callable[[RepoConfig, SourceContext], Source]]:
    from generator.sources.git import GitSource
    from generator.sources.github import GitHubSource
    from generator.sources.mirror import MirrorSource

    return {"git": GitSource.open, "mirror": MirrorSource.open, "github": GitHubSource.open}
