"""A feed → its files: RSS 2.0 and Atom (feedgen), and JSON Feed 1.1.

feedgen (pinned, with the lxml that serialises it) builds the two XML formats:
element order, namespaces and escaping by a library that readers have parsed
for a decade, where a hand-written writer would repeat its rules. It fits with
three precautions, each taken here and nowhere else:

- it reads the clock for any date not given (a feed's `updated` and
  `lastBuildDate`, an entry's `updated`), so every date is set, from the records:
  a feed's is its newest item's, an empty feed's the Unix epoch;
- it adds entries in front unless told to append, and takes the channel's RSS
  `<link>` from the last link given, so the alternate link is given last;
- lxml refuses characters XML 1.0 cannot carry (NUL, most controls, lone
  surrogates, U+FFFE/U+FFFF) instead of dropping them, so every string passes
  `xml_text` first and a hostile commit message cannot stop a render.

Descriptions and contents are HTML that this project built (`feeds`), escaped
once more in the XML as any text is: a reader unescapes them to that HTML.
JSON Feed has no library worth a dependency: it is `json.dumps` of a dict. All three are
written without indentation, which feed readers do not need and which was a tenth of the
site's feeds.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from generator.render import links
from generator.render.subscriptions import FeedRef
from generator.text import TIER_EMOJI, one_line

LANGUAGES = {"zh": "zh-CN", "en": "en"}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""An empty feed's date: Atom requires one, and the clock may not give it."""

# Everything outside XML 1.0's Char production: C0 controls but tab, LF and CR,
# surrogates (only lone ones can exist in a str), U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """Any string bound for a feed: line ends normalised, non-XML characters dropped."""
    return _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def high_list(commits: Iterable[tuple[str, str]]) -> str | None:
    """An item's list of high-tier commits, each (its page's URL, its subject), as escaped
    HTML; None when there are none."""
    items = [
        f'<li>{TIER_EMOJI["high"]} <a href="{html.escape(url, quote=True)}">'
        f"{html.escape(one_line(subject), quote=True)}</a></li>"
        for url, subject in commits
    ]
    return "<ul>" + "".join(items) + "</ul>" if items else None


@dataclass(frozen=True)
class Entry:
    url: str
    """Absolute: the page the item is about, and its permanent id."""
    title: str
    published: datetime
    html: str
    """The item's content: HTML built from escaped parts."""
    categories: tuple[str, ...] = ()
    author: str = ""


@dataclass(frozen=True)
class Feed:
    ref: FeedRef
    description: str
    home: str
    """Absolute URL of the page the feed follows."""
    publisher: str
    """The site's name: Atom's feed author."""
    language: str
    entries: tuple[Entry, ...]

    @property
    def updated(self) -> datetime:
        return max((entry.published for entry in self.entries), default=EPOCH)

    def url(self, site_url: str, kind: links.FeedFormat) -> str:
        return links.absolute(site_url, self.ref.file(kind))


def rss(feed: Feed, site_url: str) -> str:
    generator = _generator(feed, feed.url(site_url, "rss"))
    generator.load_extension("dc", atom=False, rss=True)
    generator.description(xml_text(feed.description))
    for entry in feed.entries:
        item = _entry(generator, entry)
        item.guid(entry.url, permalink=True)
        item.description(xml_text(entry.html))
        if entry.author:
            item.dc.dc_creator(xml_text(entry.author))
    return generator.rss_str(pretty=False).decode("utf-8") + "\n"


def atom(feed: Feed, site_url: str) -> str:
    generator = _generator(feed, feed.url(site_url, "atom"))
    generator.subtitle(xml_text(feed.description))
    generator.author(name=xml_text(feed.publisher))  # Atom wants an author: the site is one
    for entry in feed.entries:
        item = _entry(generator, entry)
        item.content(xml_text(entry.html), type="html")
        if entry.author:
            item.author(name=xml_text(entry.author))
    return generator.atom_str(pretty=False).decode("utf-8") + "\n"


def json_feed(feed: Feed, site_url: str) -> str:
    items = []
    for entry in feed.entries:
        item: dict[str, object] = {
            "id": entry.url,
            "url": entry.url,
            "title": xml_text(entry.title),
            "content_html": xml_text(entry.html),
            "date_published": entry.published.isoformat(),
        }
        if entry.author:
            item["authors"] = [{"name": xml_text(entry.author)}]
        if entry.categories:
            item["tags"] = [xml_text(c) for c in entry.categories]
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": xml_text(feed.ref.title),
        "home_page_url": feed.home,
        "feed_url": feed.url(site_url, "json"),
        "description": xml_text(feed.description),
        "language": LANGUAGES.get(feed.language, feed.language),
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


WRITERS = {"rss": rss, "atom": atom, "json": json_feed}


def _generator(feed: Feed, self_url: str) -> FeedGenerator:
    generator = FeedGenerator()
    generator.id(self_url)
    generator.title(xml_text(feed.ref.title))
    generator.link(href=self_url, rel="self")
    generator.link(href=feed.home, rel="alternate")  # last: RSS's <link> is the last one given
    generator.language(LANGUAGES.get(feed.language, feed.language))
    generator.generator("commit-digest")
    generator.updated(feed.updated)  # also RSS's lastBuildDate
    return generator


def _entry(generator: FeedGenerator, entry: Entry) -> FeedEntry:
    item = generator.add_entry(order="append")
    item.id(entry.url)
    item.title(xml_text(entry.title))
    item.link(href=entry.url)
    item.published(entry.published)
    item.updated(entry.published)
    for category in entry.categories:
        item.category(term=xml_text(category))
    return item
