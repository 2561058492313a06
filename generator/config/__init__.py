"""`digest.yml`: one validated configuration for the whole pipeline.

The sections live beside this module (repos.py: repository entries and GitHub;
llm.py: the LLM endpoint; messages.py: errors as one line each); everything is
importable from `generator.config`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from generator.config.base import DEFAULT_CONFIG, REPO_NAME, Strict, http_base_url, owner_slash_name
from generator.config.glossary import Glossary, GlossaryEntry
from generator.config.importance import Importance
from generator.config.llm import LlmConfig, TierBudget
from generator.config.messages import describe_errors
from generator.config.notify import NotifyTarget, NotifyTargets
from generator.config.repos import (
    SOURCE_KINDS,
    AnyRepoConfig,
    GitHubConfig,
    GitHubIssueConfig,
    GitHubRepoConfig,
    GitRepoConfig,
    IgnoreRules,
    MirrorRepoConfig,
    PublishConfig,
    RepoConfig,
    git_url,
)
from generator.config.watches import Watch, Watches, cross_check
from generator.errors import ConfigError
from generator.text import Language

__all__ = [
    "DEFAULT_CONFIG",
    "REPO_NAME",
    "SOURCE_KINDS",
    "AnyRepoConfig",
    "Config",
    "GitHubConfig",
    "GitHubIssueConfig",
    "GitHubRepoConfig",
    "GitRepoConfig",
    "GlossaryEntry",
    "IgnoreRules",
    "LlmConfig",
    "MirrorRepoConfig",
    "NotifyTarget",
    "PublishConfig",
    "RepoConfig",
    "TierBudget",
    "Watch",
    "describe_errors",
    "git_url",
    "http_base_url",
    "load_config",
    "owner_slash_name",
    "parse_config",
]


class Config(Strict):
    site_url: str
    """Where the site is published, e.g. `https://example.github.io/digest/`."""
    site_name: str = "Commit Digest"
    timezone: str = "Asia/Shanghai"
    """IANA timezone whose local midnights bound each day."""
    language: Language = "zh"
    """Language of every label on every page and of the analysis text."""
    repos: tuple[AnyRepoConfig, ...] = Field(min_length=1)
    analyzer: Literal["rules", "llm"] = "rules"
    """`rules` (offline, the default and the fallback) or `llm` (needs `llm:`)."""
    llm: LlmConfig | None = None
    start: date | None = None
    """First day of the archive; the first run backfills from here (default: the last 7 days)."""
    data_dir: Path = Path("data")
    """Where the records live, relative to the config file."""
    docs_dir: Path = Path("docs")
    """Where pages are rendered, relative to the config file (MkDocs' docs_dir)."""
    importance: Importance = Importance()
    """The weights and thresholds of the importance score (README: Analysis)."""
    site_dir: Path = Path("site")
    """Where `build` puts the site, relative to the config file; `build --site-dir` overrides it."""
    mirror_dir: Path = Path("mirrors")
    """Where `source: mirror` repositories are kept, relative to the config file."""
    cache_dir: Path = Path(".digest-cache")
    """What runs and builds remember to redo only what changed (summaries of the records,
    what docs/ and site/ were made from), relative to the config file. Never needed: a lost
    cache is rebuilt from the records. Not inside docs_dir, which is published."""
    github: GitHubConfig = GitHubConfig()
    publish: PublishConfig = PublishConfig()
    glossary: Glossary = ()
    """Topics added to the shipped glossary, or replacing its entries of the same term."""
    notify: NotifyTargets = ()
    """Chat groups, webhooks and mailboxes each complete day's report is sent to."""
    watches: Watches = ()
    """The commits teams follow: each watch gets a page, feeds and, if it names targets,
    messages (README: Watches)."""

    @field_validator("site_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("timezone")
    @classmethod
    def _iana_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA timezone such as Asia/Shanghai") from None
        return value

    @model_validator(mode="after")
    def _llm_settings(self) -> Config:
        if self.analyzer == "llm" and self.llm is None:
            raise ValueError("analyzer: llm needs an `llm:` section with base_url and model")
        return self

    @model_validator(mode="after")
    def _unique_repos(self) -> Config:
        names = [r.name for r in self.repos]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"repository listed twice: {', '.join(duplicates)}")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def repo(self, name: str) -> RepoConfig:
        for repo in self.repos:
            if repo.name == name:
                return repo
        known = ", ".join(r.name for r in self.repos)
        raise ConfigError(f"--repo {name!r} is not in the config (configured: {known})")


def load_config(path: Path | str = DEFAULT_CONFIG) -> Config:
    """Read and validate a config file; every mistake becomes one ConfigError line."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: config file not found; pass --config FILE or create {DEFAULT_CONFIG}"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ConfigError(f"{path}: invalid YAML{at}: {problem}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(raw).__name__}")
    return parse_config(raw, base=path.resolve().parent, origin=str(path))


def parse_config(raw: dict[str, Any], base: Path, origin: str = DEFAULT_CONFIG) -> Config:
    """Validate a config mapping, resolving relative paths against `base`."""
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{origin}: " + "; ".join(describe_errors(Config, exc))) from None
    names = [r.name for r in config.repos]
    if problems := cross_check(config.watches, names, config.notify):
        raise ConfigError(f"{origin}: " + "; ".join(problems))
    # Clone paths are checked when a run opens them (sources/git.py), not here: `render`
    # and `build` read only records and need no clone.
    return _resolve_paths(config, base)


def _resolve_paths(config: Config, base: Path) -> Config:
    repos = tuple(
        r.model_copy(update={"path": base / r.path}) if isinstance(r, GitRepoConfig) else r
        for r in config.repos
    )
    cache_dir = base / config.cache_dir
    docs_dir = base / config.docs_dir
    if cache_dir.resolve().is_relative_to(docs_dir.resolve()):
        raise ConfigError(
            f"cache_dir: {config.cache_dir} is inside docs_dir ({config.docs_dir}), whose files "
            "are published; put it beside it (the default is .digest-cache)"
        )
    return config.model_copy(
        update={
            "repos": repos,
            "data_dir": base / config.data_dir,
            "docs_dir": base / config.docs_dir,
            "site_dir": base / config.site_dir,
            "mirror_dir": base / config.mirror_dir,
            "cache_dir": base / config.cache_dir,
        }
    )
