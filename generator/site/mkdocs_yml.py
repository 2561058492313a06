"""The MkDocs config a build uses: the package's theme config plus what digest.yml decides.

The package's `site/theme/mkdocs.yml` holds everything that is the same for every
archive (theme, features, Markdown extensions, plugins, validation); `site/theme/overrides/`
holds the theme templates and the stylesheet, which the theme copies into every site, so
no docs folder needs a copy of them. Both ship in the wheel and are read from the
installed package, never from a source checkout. What differs per archive
(site name and URL, language, the docs and site folders, the navigation) the
generator writes into a small config that `INHERIT`s the checked-in one.
MkDocs and Zensical both read `INHERIT`; paths are written relative to the
generated file, since Zensical rejects absolute docs and site folders.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ConfigError
from generator.files import write_atomic
from generator.render import links
from generator.render.i18n import Labels
from generator.render.settings import SiteSettings
from generator.site.sitescript import palette, write_site_script

# A package installed from a wheel or in place is a folder on disk, which MkDocs needs
# (it reads the theme's files by path).
THEME = Path(str(resources.files("generator.site").joinpath("theme")))
THEME_CONFIG = THEME / "mkdocs.yml"
THEME_DIR = THEME / "overrides"
SITE_SCRIPT_HELPERS = THEME / "digest-site.js"
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
    }


def write_site_config(settings: SiteSettings, docs_dir: Path, site_dir: Path) -> Path:
    """Write the generated config (unchanged files are left alone); returns its path."""
    if not THEME_CONFIG.is_file() or not THEME_DIR.is_dir():
        raise ConfigError(
            f"the site theme ({THEME_CONFIG.name}, {THEME_DIR.name}/) is missing from {THEME}; "
            "reinstall commit-digest (`pip install --force-reinstall commit-digest`)"
        )
    path = generated_path(docs_dir)
    config = site_config(settings, docs_dir, site_dir, path)
    header = (
        "# Written by `python -m generator build`, which rewrites it on every build: edit\n"
        "# digest.yml instead (the theme's config it INHERITs ships with commit-digest).\n"
        f"# `mkdocs build -f {path.name}` builds the same site (so would `zensical build -f`).\n"
    )
    write_atomic(path, header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    write_site_script(settings, docs_dir, THEME_CONFIG, SITE_SCRIPT_HELPERS)
    return path
