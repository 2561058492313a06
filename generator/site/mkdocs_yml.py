"""The MkDocs config a build uses: the checked-in theme config plus what digest.yml decides.

The project's `mkdocs.yml` holds everything that is the same for every archive
(theme, features, Markdown extensions, plugins, validation); `overrides/`
holds the theme templates and the stylesheet, which the theme copies into
every site, so no docs folder needs a copy of them. What differs per archive
(site name and URL, language, the docs and site folders, the navigation) the
generator writes into a small config that `INHERIT`s the checked-in one.
MkDocs and Zensical both read `INHERIT`; paths are written relative to the
generated file, since Zensical rejects absolute docs and site folders.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ConfigError
from generator.files import write_atomic
from generator.render import links
from generator.render.i18n import Labels
from generator.render.settings import SiteSettings
from generator.site.search import box_labels, search_texts

PROJECT = Path(__file__).resolve().parents[2]
THEME_CONFIG = PROJECT / "mkdocs.yml"
THEME_DIR = PROJECT / "overrides"
GENERATED_NAME = "mkdocs.generated.yml"


def generated_path(docs_dir: Path) -> Path:
    """Where a build writes its MkDocs config: beside the docs folder (MkDocs refuses a
    config inside it), so the folders it names are below it, as Zensical requires."""
    return docs_dir.resolve().parent / GENERATED_NAME


def navigation(settings: SiteSettings) -> list[dict[str, Any]]:
    """The few pages every page's navigation lists (home, the archive, each repository and
    each watch); days and commits are reached by links."""
    labels = Labels(settings.language)
    repos = [{name: links.repo_page(name)} for name in settings.repo_names]
    nav: list[dict[str, Any]] = [
        {labels("home_title"): links.HOME_PAGE},
        {labels("archive"): links.ARCHIVE_PAGE},
        {labels("repository"): repos},
    ]
    if settings.watches:
        watches = [{w.heading: links.watch_page(w.name)} for w in settings.watches]
        nav.append({labels("watches"): watches})
    return nav


def site_config(settings: SiteSettings, docs_dir: Path, site_dir: Path, at: Path) -> dict:
    """The generated config for a file at `at`, as a mapping."""

    def relative(path: Path) -> str:
        return os.path.relpath(path.resolve(), at.parent)

    return {
        "INHERIT": relative(THEME_CONFIG),
        "site_name": settings.site_name,
        "site_url": settings.site_url,
        "docs_dir": relative(docs_dir),
        "site_dir": relative(site_dir),
        "theme": {
            "language": settings.language,
            "custom_dir": relative(THEME_DIR),
            "palette": palette(settings),
        },
        "nav": navigation(settings),
        # What the search box says if its labels (`search.search_texts`) cannot be loaded,
        # and the names of its controls, which every page's header carries.
        "extra": {
            "digest_search": {
                "failed": search_texts(settings)["failed"],
                "labels": box_labels(settings),
            }
        },
    }


def palette(settings: SiteSettings) -> list[dict[str, Any]]:
    """Light and dark, as the reader's system prefers, with a toggle in the header (named in
    the site's language, hence here and not in mkdocs.yml)."""
    labels = Labels(settings.language)
    return [
        {
            "media": "(prefers-color-scheme: light)",
            "scheme": "default",
            "toggle": {"icon": "material/brightness-7", "name": labels("dark_mode")},
        },
        {
            "media": "(prefers-color-scheme: dark)",
            "scheme": "slate",
            "toggle": {"icon": "material/brightness-4", "name": labels("light_mode")},
        },
    ]


def write_site_config(settings: SiteSettings, docs_dir: Path, site_dir: Path) -> Path:
    """Write the generated config (unchanged files are left alone); returns its path."""
    if not THEME_CONFIG.is_file() or not THEME_DIR.is_dir():
        raise ConfigError(
            f"the site theme ({THEME_CONFIG.name}, {THEME_DIR.name}/) is missing from {PROJECT}; "
            "install commit-digest from its folder with `pip install -e .`"
        )
    path = generated_path(docs_dir)
    config = site_config(settings, docs_dir, site_dir, path)
    header = (
        "# Written by `python -m generator build`, which rewrites it on every build: edit\n"
        f"# digest.yml or {THEME_CONFIG.name} instead. `mkdocs build -f {path.name}` builds the\n"
        "# same site (and so would `zensical build -f`).\n"
    )
    write_atomic(path, header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path
