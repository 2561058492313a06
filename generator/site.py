"""MkDocs hook: the site takes its name, URL, language and navigation from digest.yml.

Listed under `hooks:` in mkdocs.yml, so `mkdocs build` and `mkdocs serve`
need no second copy of those settings. The config file is `digest.yml` next
to mkdocs.yml, or the one named by DIGEST_CONFIG.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from generator.config import DEFAULT_CONFIG, Config, load_config
from generator.errors import ConfigError
from generator.render import links
from generator.render.i18n import Labels


def digest_config(mkdocs_config: MkDocsConfig) -> Config:
    base = Path(mkdocs_config.config_file_path).parent
    path = Path(os.environ.get("DIGEST_CONFIG", base / DEFAULT_CONFIG))
    try:
        return load_config(path)
    except ConfigError as exc:
        raise PluginError(str(exc)) from None


def navigation(config: Config) -> list[Any]:
    labels = Labels(config.language)
    repos = [{repo.name: links.repo_page(repo.name)} for repo in config.repos]
    return [
        {labels("home_title"): links.HOME_PAGE},
        {labels("archive"): links.ARCHIVE_PAGE},
        {labels("repository"): repos},
        {labels("tags"): links.TAGS_PAGE},
    ]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    digest = digest_config(config)
    config.site_url = digest.site_url
    config.site_name = digest.site_name
    config.docs_dir = str(digest.docs_dir)
    config.theme["language"] = digest.language
    config.nav = navigation(digest)
    return config
