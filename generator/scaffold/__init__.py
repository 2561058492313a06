"""`commit-digest init`: a new archive's files, written into an empty folder.

An archive holds its config (`digest.yml`), its records (`data/`, made by the first run)
and a workflow that installs this tool at the version that wrote it and runs it every
night; the code, the theme and the templates stay in the installed package. The files
come from Jinja templates (`templates/`) with `{@ … @}` for values, since GitHub's
`${{ … }}` and the shell's `${#…}` fill the workflow. Every value is checked before it is
written (a repository name, an IANA timezone, an http(s) URL), and the config written is
loaded back through the config's own validation, so `run` and `build` work in the folder
at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
import tzlocal
import yaml

from generator import __version__
from generator.config import parse_config
from generator.config.base import http_base_url, owner_slash_name
from generator.errors import ConfigError

DEFAULT_SITE_URL = "https://example.github.io/digest/"
ACTION_REPOSITORY = "commit-digest/commit-digest"
"""Where the GitHub Action lives, unless the release that built this package says so."""

# The actions the workflows use, pinned to full commit SHAs (with the tag they were): the
# same pins as this project's own workflows (tests/test_package.py compares them).
ACTIONS = {
    "checkout": ("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "setup_python": (
        "actions/setup-python",
        "5fda3b95a4ea91299a34e894583c3862153e4b97",
        "v7.0.0",
    ),
    "cache_restore": (
        "actions/cache/restore",
        "27d5ce7f107fe9357f9df03efb73ab90386fccae",
        "v5.0.5",
    ),
    "cache_save": ("actions/cache/save", "27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "upload_pages": (
        "actions/upload-pages-artifact",
        "fc324d3547104276b827a68afc52ff2a11cc49c9",
        "v5.0.0",
    ),
    "deploy_pages": (
        "actions/deploy-pages",
        "cd2ce8fcbc39b97be8ca5fce6e763baed58fa128",
        "v5.0.0",
    ),
}

WORKFLOW = Path(".github/workflows/digest.yml")
FILES = {
    Path("digest.yml"): "digest.yml.j2",
    WORKFLOW: "workflow.yml.j2",
    Path(".gitignore"): "gitignore.j2",
    Path("README.md"): "README.md.j2",
}


@dataclass(frozen=True)
class Release:
    """The commit of this project a released package was built from, which `init --action`
    pins the action to (the release workflow writes `release.json` before building)."""

    repository: str
    commit: str

    @classmethod
    def of_package(cls) -> Release | None:
        try:
            raw = json.loads(resources.files(__name__).joinpath("release.json").read_text())
            return cls(owner_slash_name(raw["repository"]), _commit(raw["commit"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class Options:
    repos: tuple[str, ...]
    timezone: str
    site_url: str = DEFAULT_SITE_URL
    action: bool = False
    """A workflow that uses the GitHub Action rather than installing and running the tool."""
    version: str = __version__
    release: Release | None = None


def default_timezone() -> str:
    """The machine's IANA timezone (UTC when it cannot be told)."""
    try:
        name = tzlocal.get_localzone_name()
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return "UTC"
    return name or "UTC"


def archive_files(options: Options) -> dict[Path, str]:
    """Each file of a new archive (a path relative to its folder) and its text."""
    _check(options)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(__name__, "templates"),
        variable_start_string="{@",
        variable_end_string="@}",
        comment_start_string="{@#",
        comment_end_string="#@}",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    # Values go into YAML as JSON strings (valid YAML scalars, whatever they hold).
    env.filters["q"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    action = None
    if options.action:
        release = options.release
        action = (
            f"{release.repository}@{release.commit} # v{options.version}"
            if release
            else f"{ACTION_REPOSITORY}@v{options.version}"
        )
    context = {
        "repos": options.repos,
        "timezone": options.timezone,
        "site_url": options.site_url,
        "version": options.version,
        "action": action,
        "project": options.release.repository if options.release else ACTION_REPOSITORY,
        "uses": {key: f"{name}@{sha} # {tag}" for key, (name, sha, tag) in ACTIONS.items()},
    }
    templates = {**FILES, WORKFLOW: "workflow-action.yml.j2" if action else "workflow.yml.j2"}
    files = {path: env.get_template(name).render(context) for path, name in templates.items()}
    # What `run` will load: a mistake here is ours, caught before anything is written.
    parse_config(yaml.safe_load(files[Path("digest.yml")]), base=Path("."))
    return files


def init_archive(folder: Path, options: Options, force: bool = False) -> list[Path]:
    """Write a new archive's files into `folder` (made if missing), which must be empty
    (a `.git` folder aside); with `force`, only the files it lacks. Returns the files
    written."""
    files = archive_files(options)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: not a folder; name a new or empty folder for the archive")
    # A repository just made with `git init` (nothing but .git) counts as empty.
    if folder.is_dir() and any(p.name != ".git" for p in folder.iterdir()) and not force:
        raise ConfigError(
            f"{folder.resolve()} is not empty; init writes a new archive into an empty folder "
            "(--force writes only the files it lacks)"
        )
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Created only if missing ("x"), with the usual permissions of a checked-in file.
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        written.append(path)
    return written


def _check(options: Options) -> None:
    if not options.repos:
        raise ConfigError("init: name the repositories to follow, e.g. --repo owner/name")
    for repo in options.repos:
        try:
            owner_slash_name(repo)
        except ValueError as exc:
            raise ConfigError(f"--repo {exc}") from None
    if len(set(options.repos)) != len(options.repos):
        raise ConfigError("--repo: a repository is named twice")
    try:
        ZoneInfo(options.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"--timezone {options.timezone!r} is not an IANA timezone; use e.g. Asia/Shanghai"
        ) from None
    try:
        http_base_url(options.site_url)
    except ValueError as exc:
        raise ConfigError(f"--site-url {exc}") from None


def _commit(value: str) -> str:
    if len(value) != 40 or any(c not in "0123456789abcdef" for c in value):
        raise ValueError(f"{value!r} is not a commit SHA")
    return value
