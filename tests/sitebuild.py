"""Build a generated archive the way `python -m generator build` does, and read it as a browser
does."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import feedparser
import html5lib
import jsonschema

from generator.config import Config
from generator.pipeline import build
from generator.site.build import BuiltSite

NS = "{http://www.w3.org/1999/xhtml}"


def build_site(config: Config, site_dir: Path) -> BuiltSite:
    """Render what changed, then a real `mkdocs build --strict` with the generated config.
    Nothing is copied into the docs folder: the build carries the project's theme assets."""
    return build(config, site_dir).site


JSON_FEED_SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "jsonfeed-1.1.schema.json").read_text("utf-8")
)


def read_feed(path: Path, version: str = "rss20"):
    """A feed as a feed reader parses it; it must parse cleanly, in that version."""
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == version
    return feed


def read_json_feed(path: Path) -> dict:
    """A JSON Feed, valid against the 1.1 schema."""
    document = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(document, JSON_FEED_SCHEMA)
    return document


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


def _cbor(data: bytes):
    """Decode the CBOR subset Pagefind writes (integers, strings, arrays, maps)."""
    pos = 0

    def item():
        nonlocal pos
        first = data[pos]
        pos += 1
        major, value = first >> 5, first & 31
        if value >= 24:
            size = 1 << (value - 24)
            value = int.from_bytes(data[pos : pos + size], "big")
            pos += size
        if major == 0:
            return value
        if major == 1:
            return -1 - value
        if major in (2, 3):
            chunk = data[pos : pos + value]
            pos += value
            return chunk.decode() if major == 3 else chunk
        if major == 4:
            return [item() for _ in range(value)]
        if major == 5:
            return dict((item(), item()) for _ in range(value))
        raise ValueError(f"CBOR major type {major} at {pos}")

    return item()


def _pagefind_file(path: Path):
    return _cbor(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))


UNSTABLE = ("filter", ".pf_meta", "pagefind-entry.json")
"""The files of a Pagefind bundle whose bytes vary from run to run for the same pages: a
filter's values are written in hash-map order, and the other two name the filter files
by the hash of their bytes."""


def stable_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site but those Pagefind writes differently each run."""
    found = {}
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        unstable = relative.startswith("pagefind/") and any(u in relative for u in UNSTABLE)
        if path.is_file() and not unstable:
            found[relative] = path.read_bytes()
    return found


def index_content(site: Path) -> dict[str, dict]:
    """What each part of the search index holds, in an order of its own: its page count,
    the pages each filter value selects, and its metadata with the filter files' names
    replaced by their content."""
    parts = {}
    for entry_path in sorted(site.glob("pagefind/*/pagefind-entry.json")):
        bundle = entry_path.parent
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = {name: lang["page_count"] for name, lang in entry["languages"].items()}
        filters = {}
        for path in bundle.glob("filter/*.pf_filter"):
            name, values = _pagefind_file(path)
            filters[name] = {value: pages for value, pages in values}
        meta = []
        for path in bundle.glob("*.pf_meta"):
            version, chunks, fragments_, filter_files, sorts, fields = _pagefind_file(path)
            meta.append([version, chunks, fragments_, sorted(n for n, _ in filter_files), sorts])
            meta[-1].append(fields)
        parts[bundle.name] = {"pages": languages, "filters": filters, "meta": meta}
    return parts
