"""Repository entries, one variant per kind of source, and how GitHub is reached."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Discriminator, Field, Tag, field_validator

from generator.config.base import Strict, http_base_url, owner_slash_name
from generator.config.interfaces import InterfaceRule
from generator.config.releases import ReleaseRules, releases_value
from generator.globs import checked_glob, glob_regex

Glob = Annotated[str, AfterValidator(checked_glob)]
"""A path glob (`python/sglang/srt/layers/**`; `*` stays in a folder, `**` crosses them)."""


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{value!r} is not a regular expression: {exc}") from None
    return value


class IgnoreRules(Strict):
    """`ignore:` of a repository: the noise rules. A commit one of them matches stays in the
    day table and the counts, rated low with the rule as its reason, and is never sent to an
    LLM, a feed, a watch or a notification."""

    authors: tuple[str, ...] = ()
    """Author names, e-mails or GitHub logins (`dependabot[bot]`), ignoring case."""
    subjects: tuple[Annotated[str, AfterValidator(_regex)], ...] = ()
    """Regular expressions searched in the subject (`^\\[Auto Sync\\]`)."""
    paths: tuple[Glob, ...] = ()
    """Path globs: a commit whose every file matches one of them (`docs/**`)."""

    def __bool__(self) -> bool:
        return bool(self.authors or self.subjects or self.paths)

    @cached_property
    def subject_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((s, re.compile(s)) for s in self.subjects)

    @cached_property
    def path_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((g, glob_regex(g)) for g in self.paths)


class ModuleDepth(Strict):
    """`modules:` entry of a repository: below `prefix`, a module is the folder `depth`
    levels under it (`{prefix: python/sglang/srt/layers, depth: 2}` makes
    `python/sglang/srt/layers/moe/fused_moe_triton` one module)."""

    prefix: str
    """A folder of the repository, without leading or trailing `/`."""
    depth: int = Field(ge=0, le=8)
    """Folders below `prefix` that name a module; 0: `prefix` itself is one module."""

    @field_validator("prefix")
    @classmethod
    def _folder(cls, value: str) -> str:
        parts = value.split("/")
        if not value or any(p in ("", ".", "..") or p != p.strip() for p in parts):
            raise ValueError(f"{value!r} is not a folder path (like python/sglang/srt/layers)")
        return value


class RepoConfig(Strict):
    """What every repository entry has, whatever its source (see the variants below)."""

    name: str
    """`owner/name` as on GitHub; used for links and for the record and page paths."""
    branch: str = "main"
    """The branch whose reachable commits are reported."""
    critical_paths: tuple[Glob, ...] = ()
    """Path globs (`python/sglang/srt/layers/**`) whose changes raise a commit's tier."""
    pull_requests: Literal["api", "subject", "off"] | None = None
    """Where a commit's pull request comes from: `api` (number, title, labels and body from
    GitHub), `subject` (the number in a squash-merge subject's `(#1234)`) or `off`.
    Default: `api` for `source: github`, and for the others when a token is set."""
    interfaces: tuple[InterfaceRule, ...] = ()
    """Declarations the defaults miss (README: Interface changes)."""
    ignore: IgnoreRules = IgnoreRules()
    """The noise rules: bots, automatic syncs, files nobody reads (README: Noise rules)."""
    releases: ReleaseRules | None = ReleaseRules()
    """Which tags are releases (README: Releases); `off` for none."""
    modules: tuple[ModuleDepth, ...] = ()
    """Where a module (its page: README, Module pages) is not the analyzer's folder three
    levels deep: a depth per path prefix, the longest matching prefix winning."""

    @field_validator("modules")
    @classmethod
    def _one_depth_per_prefix(cls, value: tuple[ModuleDepth, ...]) -> tuple[ModuleDepth, ...]:
        seen = [m.prefix for m in value]
        if twice := sorted({p for p in seen if seen.count(p) > 1}):
            raise ValueError(f"prefix given twice: {', '.join(twice)}")
        return value

    @field_validator("name")
    @classmethod
    def _owner_slash_name(cls, value: str) -> str:
        return owner_slash_name(value)

    @field_validator("releases", mode="before")
    @classmethod
    def _releases_off(cls, value: object) -> object:
        return releases_value(value)

    @field_validator("branch")
    @classmethod
    def _branch_name(cls, value: str) -> str:
        if not value or value.startswith("-") or any(c.isspace() for c in value):
            raise ValueError(f"{value!r} is not a branch name")
        return value

    @property
    def slug(self) -> str:
        """A string safe for HTML ids and file names, unique per repository."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


class GitRepoConfig(RepoConfig):
    """`source: git` (the default when `path` is given): a local clone the user keeps."""

    source: Literal["git"] = "git"
    path: Path
    """A local clone, bare or with a work tree; relative paths are relative to the config file.
    Checked when a run opens it, so `render` and `build` need no clone."""


class MirrorRepoConfig(RepoConfig):
    """`source: mirror`: a bare partial clone the generator keeps under `mirror_dir`."""

    source: Literal["mirror"]
    url: str | None = None
    """Where to fetch from; default `https://github.com/<name>.git` (the Enterprise host
    when `github.api_url` names one)."""

    @field_validator("url")
    @classmethod
    def _git_url(cls, value: str | None) -> str | None:
        return None if value is None else git_url(value)


class GitHubRepoConfig(RepoConfig):
    """`source: github`: the GitHub REST API, no clone at all."""

    source: Literal["github"]


def _source_kind(entry: Any) -> str:
    """The variant a repository entry is: its `source`, or `git` (today's configs)."""
    if isinstance(entry, dict):
        return str(entry.get("source", "git"))
    return str(getattr(entry, "source", "git"))


SOURCE_KINDS = {"git": GitRepoConfig, "mirror": MirrorRepoConfig, "github": GitHubRepoConfig}
AnyRepoConfig = Annotated[
    Annotated[GitRepoConfig, Tag("git")]
    | Annotated[MirrorRepoConfig, Tag("mirror")]
    | Annotated[GitHubRepoConfig, Tag("github")],
    Discriminator(
        _source_kind,
        custom_error_type="source_kind",
        custom_error_message="must be 'git', 'mirror' or 'github'",
    ),
]


def git_url(value: str) -> str:
    """A URL git can fetch from, without credentials in it (they would end up in messages)."""
    scp = re.fullmatch(r"[\w.-]+@[\w.-]+:[^\s]+", value)  # git@github.com:owner/name.git
    parts = urlsplit(value)
    if not scp and not (parts.scheme in {"https", "http", "ssh", "git", "file"} and parts.path):
        raise ValueError(f"{value!r} is not a git URL (https://, ssh://, git@host:path or file://)")
    if parts.password or (parts.username and parts.scheme in {"https", "http"}):
        raise ValueError("must not hold credentials; the token comes from github.token_env")
    return value


class GitHubConfig(Strict):
    """How to reach GitHub (the API for `source: github`, pull requests and publishing)."""

    api_url: str = "https://api.github.com"
    """The REST API; GitHub Enterprise: `https://HOST/api/v3`."""
    token_env: str = "GITHUB_TOKEN"
    """Name of the environment variable holding the token (never the token itself)."""
    max_wait: int = Field(default=900, ge=0)
    """Seconds to wait for an exhausted rate limit to reset; longer, and the repository
    stops for this run (its unfinished days stay incomplete for the next run)."""
    request_interval: float = Field(default=0.25, ge=0)
    """Seconds between two API requests (writes wait four times as long), as GitHub asks
    of clients that make many requests."""

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return http_base_url(value)

    @field_validator("token_env")
    @classmethod
    def _variable_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError(f"{value!r} is not an environment variable name")
        return value

    @property
    def web_url(self) -> str:
        """Where repositories live for git: github.com, or the Enterprise host."""
        if self.api_url == "https://api.github.com":
            return "https://github.com"
        return self.api_url.removesuffix("/api/v3")


class GitHubIssueConfig(Strict):
    repo: str
    """`owner/name` of the repository the day's reports are posted to."""
    labels: tuple[str, ...] = ()
    """Labels the issues get (and are found by)."""

    @field_validator("repo")
    @classmethod
    def _owner_slash_name(cls, value: str) -> str:
        return owner_slash_name(value)


class PublishConfig(Strict):
    github_issue: GitHubIssueConfig | None = None
    """Post each complete repository-day's report as an issue."""
