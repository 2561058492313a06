"""`digest.yml`: one validated configuration for the whole pipeline."""

from __future__ import annotations

import difflib
import re
import types
import typing
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from generator.analysis.importance import Importance
from generator.errors import ConfigError

REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
DEFAULT_CONFIG = "digest.yml"


def owner_slash_name(value: str) -> str:
    if not REPO_NAME.match(value) or value.split("/")[1] in {".", ".."}:
        raise ValueError(f"{value!r} is not of the form owner/name")
    return value


def http_base_url(value: str) -> str:
    """An http(s) URL that paths are appended to: no trailing slash."""
    if not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.rstrip("/")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RepoConfig(_Strict):
    """What every repository entry has, whatever its source (see the variants below)."""

    name: str
    """`owner/name` as on GitHub; used for links and for the record and page paths."""
    branch: str = "main"
    """The branch whose reachable commits are reported."""
    critical_paths: tuple[str, ...] = ()
    """Path globs (`python/sglang/srt/layers/**`) whose changes raise a commit's tier."""
    pull_requests: Literal["api", "subject", "off"] | None = None
    """Where a commit's pull request comes from: `api` (number, title, labels and body from
    GitHub), `subject` (the number in a squash-merge subject's `(#1234)`) or `off`.
    Default: `api` for `source: github`, and for the others when a token is set."""

    @field_validator("name")
    @classmethod
    def _owner_slash_name(cls, value: str) -> str:
        return owner_slash_name(value)

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


class TierBudget(_Strict):
    """Output tokens the model may spend on one commit, by tier: depth follows the tier."""

    high: int = Field(1500, ge=100)
    medium: int = Field(800, ge=100)
    low: int = Field(300, ge=100)


class LlmConfig(_Strict):
    """An OpenAI-compatible chat-completions endpoint that writes the analyses."""

    base_url: str
    """The API's base URL, e.g. `https://api.deepseek.com/v1` or `http://127.0.0.1:8000/v1`."""
    model: str = Field(min_length=1)
    api_key_env: str | None = "LLM_API_KEY"
    """Name of the environment variable holding the key; null for an endpoint without one."""
    temperature: float = Field(0.2, ge=0, le=2)
    max_output_tokens: int | TierBudget = TierBudget()
    """One number for every tier, or `{high: 1500, medium: 800, low: 300}`."""
    timeout: float = Field(120, gt=0)
    """Seconds per request."""
    concurrency: int = Field(4, ge=1, le=64)
    """Requests in flight at once."""
    max_input_tokens: int = Field(24000, ge=2000)
    """Per commit: message, PR text, file list and diff are packed into this."""
    max_commits_per_run: int = Field(500, ge=0)
    """Beyond it, commits keep the rules analysis and later runs do them."""
    overview: bool = True
    """Write one paragraph per repository and day from its commits' analyses."""
    decides_tier: bool = False
    """True: the model's tier replaces the importance score's (kept beside it)."""

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return http_base_url(value)

    def output_budget(self, tier: str) -> int:
        budget = self.max_output_tokens
        return budget if isinstance(budget, int) else getattr(budget, tier)


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


class GitHubConfig(_Strict):
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


class GitHubIssueConfig(_Strict):
    repo: str
    """`owner/name` of the repository the day's reports are posted to."""
    labels: tuple[str, ...] = ()
    """Labels the issues get (and are found by)."""

    @field_validator("repo")
    @classmethod
    def _owner_slash_name(cls, value: str) -> str:
        return owner_slash_name(value)


class PublishConfig(_Strict):
    github_issue: GitHubIssueConfig | None = None
    """Post each complete repository-day's report as an issue."""


class Config(_Strict):
    site_url: str
    """Where the site is published, e.g. `https://example.github.io/digest/`."""
    site_name: str = "Commit Digest"
    timezone: str = "Asia/Shanghai"
    """IANA timezone whose local midnights bound each day."""
    language: Literal["zh", "en"] = "zh"
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
    github: GitHubConfig = GitHubConfig()
    publish: PublishConfig = PublishConfig()

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
    # Clone paths are checked when a run opens them (sources/git.py), not here: `render`
    # and `build` read only records and need no clone.
    return _resolve_paths(config, base)


def _resolve_paths(config: Config, base: Path) -> Config:
    repos = tuple(
        r.model_copy(update={"path": base / r.path}) if isinstance(r, GitRepoConfig) else r
        for r in config.repos
    )
    return config.model_copy(
        update={
            "repos": repos,
            "data_dir": base / config.data_dir,
            "docs_dir": base / config.docs_dir,
            "site_dir": base / config.site_dir,
            "mirror_dir": base / config.mirror_dir,
        }
    )


def describe_errors(model: type[BaseModel], exc: ValidationError) -> list[str]:
    """One message per mistake. A misspelt key names the key it probably meant, and the
    errors it caused (that key missing, or empty) are not reported a second time."""
    errors = exc.errors()
    hints: dict[tuple[Any, ...], str] = {}
    for error in errors:
        if error["type"] == "extra_forbidden" and isinstance(error["loc"][-1], str):
            *parent, key = error["loc"]
            _, models = _walk(model, parent)
            close = difflib.get_close_matches(key, _keys(models), n=1, cutoff=0.6)
            if close:
                hints[error["loc"]] = close[0]
            elif other := _variant_with(model, parent, key):
                hints[error["loc"]] = f"source: {other}"
    meant = {(*loc[:-1], key) for loc, key in hints.items() if not key.startswith("source: ")}
    # A list whose only entries are invalid also counts as empty: the entries' own
    # errors say what is wrong.
    broken = {tuple(e["loc"][:i]) for e in errors for i in range(1, len(e["loc"]))}
    return [
        _describe(error, _walk(model, error["loc"])[0], hints.get(error["loc"]))
        for error in errors
        if not (error["type"] in {"missing", "too_short"} and tuple(error["loc"]) in meant)
        and not (error["type"] == "too_short" and tuple(error["loc"]) in broken)
    ]


def _walk(model: type[BaseModel], loc: Any) -> tuple[list[Any], list[type[BaseModel]]]:
    """Follow an error location through the models: the location as the user wrote it
    (without the union tags pydantic inserts, such as `mirror` in `repos.0.mirror.url`),
    and the models a mapping there may be (empty when it cannot be followed)."""
    shown: list[Any] = []
    models: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            shown.append(part)  # an item of a list: the same types as the list's items
            continue
        fields = [m.model_fields[part] for m in models if part in m.model_fields]
        # A union member pydantic names in the location: a `source:` tag, or a class name.
        tagged = [m for m in models if part in (_tag(m), m.__name__)]
        if fields:
            models = _models_in(fields[0].annotation)
        elif tagged:
            models = tagged
            continue
        else:
            models = []
        shown.append(part)
    return shown, models


def _tag(model: type[BaseModel]) -> str | None:
    """The `source:` value that selects a repository variant."""
    field = model.model_fields.get("source")
    return field.default if field and isinstance(field.default, str) else _literal(field)


def _literal(field: Any) -> str | None:
    args = typing.get_args(field.annotation) if field else ()
    return args[0] if len(args) == 1 and isinstance(args[0], str) else None


def _variant_with(model: type[BaseModel], loc: list[Any], key: str) -> str | None:
    """Another repository variant that has `key`: `path` on a mirror entry is a git key."""
    _, models = _walk(model, loc)
    if len(models) != 1 or _tag(models[0]) is None:
        return None
    return next((tag for tag, m in SOURCE_KINDS.items() if key in m.model_fields), None)


def _keys(models: list[type[BaseModel]]) -> list[str]:
    return sorted({name for m in models for name in m.model_fields})


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation can hold: itself, its union members, its items."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (
        typing.Union,
        tuple,
        list,
        typing.Annotated,
    ):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


def _describe(error: Any, loc: list[Any], meant: str | None = None) -> str:
    location = ""
    for part in loc:
        location += f"[{part}]" if isinstance(part, int) else (f".{part}" if location else part)
    kind = error["type"]
    if kind == "extra_forbidden" and meant and meant.startswith("source: "):
        message = f"unknown key; it belongs to a '{meant}' entry"
    elif kind == "extra_forbidden" and meant:
        message = f"unknown key; did you mean '{meant}'?"
    elif kind == "extra_forbidden":
        message = "unknown key; check its spelling against the README's config reference"
    elif kind == "missing" and error["loc"][-2:] == ("git", "path"):
        message = "required key is missing; or set source: mirror or github (no clone needed)"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "source_kind":
        location, message = f"{location}.source", error["msg"]
    elif kind == "too_short":
        message = "needs at least one entry"
    elif kind in {"tuple_type", "list_type"}:
        message = "must be a list"
    else:
        message = re.sub(r"^Value error, ", "", error["msg"])
        if kind == "literal_error":
            message = message.replace("Input should be", "must be")
    return f"{location or '(top level)'}: {message}"
