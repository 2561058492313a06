"""Build a generated archive the way `python -m generator build` does, and read it as a browser
does."""

from __future__ import annotations

import gzip
import json
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


def search_fragments(site: Path) -> list[dict]:
    """What Pagefind stored of each indexed page (its URL, text, title and metadata): the
    fragment files of every part of the site's index, unpacked as its script unpacks them."""
    found = []
    for path in sorted((site / "pagefind").glob("*/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        found.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return found
