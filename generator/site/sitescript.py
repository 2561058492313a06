"""The site's script of settings, `assets/digest-site.js`: the part of every page's theme
markup that is the same on every page, written once for the site.

The header's light/dark toggle (its options and their names), the search box's labels and
the settings mkdocs-material's script reads from a page's `#__config` weighed about 500
bytes in each page, 4 MB of a year of sglang. They depend on digest.yml (the language), so
the build writes them into the docs folder beside the pages, before MkDocs copies it, with
the theme's helpers (`theme/digest-site.js`) after them: `mkdocs build` of the generated
config makes the same site.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from generator.files import write_atomic
from generator.render.i18n import Labels
from generator.render.settings import SiteSettings
from generator.site.search import BOX_LABELS, search_texts

SCRIPT = "assets/digest-site.js"
"""Where the script is, relative to the docs folder and to the built site."""


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


def site_data(settings: SiteSettings, theme_config: Path) -> dict[str, Any]:
    """What the pages' scripts read from `__digest`."""
    labels = Labels(settings.language)
    texts = search_texts(settings)
    features = (yaml.safe_load(theme_config.read_text(encoding="utf-8"))["theme"]).get(
        "features", []
    )
    return {
        "palette": [
            {
                "scheme": option["scheme"],
                "media": option["media"],
                "icon": option["toggle"]["icon"].removeprefix("material/"),
                "name": option["toggle"]["name"],
            }
            for option in palette(settings)
        ],
        "search": {key: texts[key] for key in (*BOX_LABELS, "open", "failed")},
        "config": {
            "features": features,
            "translations": {
                "clipboard.copy": labels("clipboard_copy"),
                "clipboard.copied": labels("clipboard_copied"),
            },
        },
    }


def site_script(settings: SiteSettings, theme_config: Path, helpers: Path) -> str:
    data = json.dumps(site_data(settings, theme_config), ensure_ascii=False, sort_keys=True)
    return (
        "/* Written by `python -m generator build` from digest.yml (site/sitescript.py). */\n"
        f"var __digest = {data};\n" + helpers.read_text(encoding="utf-8")
    )


def write_site_script(
    settings: SiteSettings, docs_dir: Path, theme_config: Path, helpers: Path
) -> None:
    """Write the script into the docs folder (an unchanged one is left alone)."""
    write_atomic(docs_dir / SCRIPT, site_script(settings, theme_config, helpers))
