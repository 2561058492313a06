"""`digest.yml`: one validated configuration for the whole pipeline."""

from __future__ import annotations

import difflib
import re
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from generator.analysis.importance import Importance
from generator.errors import ConfigError

REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
DEFAULT_CONFIG = "digest.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RepoConfig(_Strict):
    name: str
    """`owner/name` as on GitHub; used for links and for the record and page paths."""
    branch: str = "main"
    """The branch whose reachable commits are reported."""
    path: Path
    """A local clone, bare or with a work tree; relative paths are relative to the config file."""
    critical_paths: tuple[str, ...] = ()
    """Path globs (`python/sglang/srt/layers/**`) whose changes raise a commit's tier."""

    @field_validator("name")
    @classmethod
    def _owner_slash_name(cls, value: str) -> str:
        if not REPO_NAME.match(value) or value.split("/")[1] in {".", ".."}:
            raise ValueError(f"{value!r} is not of the form owner/name")
        return value

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
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/")

    def output_budget(self, tier: str) -> int:
        budget = self.max_output_tokens
        return budget if isinstance(budget, int) else getattr(budget, tier)


class Config(_Strict):
    site_url: str
    """Where the site is published, e.g. `https://example.github.io/digest/`."""
    site_name: str = "Commit Digest"
    timezone: str = "Asia/Shanghai"
    """IANA timezone whose local midnights bound each day."""
    language: Literal["zh", "en"] = "zh"
    """Language of every label on every page and of the analysis text."""
    repos: tuple[RepoConfig, ...] = Field(min_length=1)
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
    config = _resolve_paths(config, base)
    missing = [
        f"repos[{i}].path: {r.path} does not exist; clone {r.name} there or fix the path"
        for i, r in enumerate(config.repos)
        if not r.path.exists()
    ]
    if missing:
        raise ConfigError(f"{origin}: " + "; ".join(missing))
    return config


def _resolve_paths(config: Config, base: Path) -> Config:
    repos = tuple(r.model_copy(update={"path": base / r.path}) for r in config.repos)
    return config.model_copy(
        update={
            "repos": repos,
            "data_dir": base / config.data_dir,
            "docs_dir": base / config.docs_dir,
            "site_dir": base / config.site_dir,
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
            known = _keys_at(model, parent)
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            if close:
                hints[error["loc"]] = close[0]
    meant = {(*loc[:-1], key) for loc, key in hints.items()}
    # A list whose only entries are invalid also counts as empty: the entries' own
    # errors say what is wrong.
    broken = {tuple(e["loc"][:i]) for e in errors for i in range(1, len(e["loc"]))}
    return [
        _describe(error, hints.get(error["loc"]))
        for error in errors
        if not (error["type"] in {"missing", "too_short"} and tuple(error["loc"]) in meant)
        and not (error["type"] == "too_short" and tuple(error["loc"]) in broken)
    ]


def _keys_at(model: type[BaseModel], loc: list[Any]) -> list[str]:
    """The keys a mapping at `loc` may hold (empty when the location cannot be followed)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a list: the same type as the list's items
        models = _models_in(current)
        fields = [m.model_fields[part] for m in models if part in m.model_fields]
        if fields:
            current = fields[0].annotation
        # else: a union's tag pydantic put into the location; the models stay as they are
    return sorted({name for m in _models_in(current) for name in m.model_fields})


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


def _describe(error: Any, meant: str | None = None) -> str:
    location = ""
    for part in error["loc"]:
        location += f"[{part}]" if isinstance(part, int) else (f".{part}" if location else part)
    kind = error["type"]
    if kind == "extra_forbidden" and meant:
        message = f"unknown key; did you mean '{meant}'?"
    elif kind == "extra_forbidden":
        message = "unknown key; check its spelling against the README's config reference"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "too_short":
        message = "needs at least one entry"
    elif kind in {"tuple_type", "list_type"}:
        message = "must be a list"
    else:
        message = re.sub(r"^Value error, ", "", error["msg"])
        if kind == "literal_error":
            message = message.replace("Input should be", "must be")
    return f"{location or '(top level)'}: {message}"
