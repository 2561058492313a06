"""Build a generated archive the way `python -m generator build` does, and read it as a browser
does."""

from __future__ import annotations

from pathlib import Path

import html5lib

from generator.config import Config
from generator.pipeline import build
from generator.site.build import BuiltSite

NS = "{http://www.w3.org/1999/xhtml}"


def build_site(config: Config, site_dir: Path) -> BuiltSite:
    """Render what changed, then a real `mkdocs build --strict` with the generated config.
    Nothing is copied into the docs folder: the build carries the project's theme assets."""
    return build(config, site_dir).site


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), transport_encoding="utf-8")


def text_of(element) -> str:
    return "".join(element.itertext())
