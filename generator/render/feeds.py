"""Records → RSS 2.0 feeds under docs/: the site's day reports and each repository's commits.

A pure function of the records, like the pages: no "now" (a channel's
lastBuildDate is its newest item's date), a fixed order and a fixed
serialisation, so the same records always give byte-identical files.

Every element is built with ElementTree and every string passes through
`_text` on its way in: escaping is by construction, and characters XML 1.0
cannot carry (NUL, most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
dropped, so a hostile commit message cannot make a feed unparsable.

Titles are plain text, as RSS 2.0 defines them. Descriptions are read as HTML
by feed readers (RSS 2.0 has no way to say "plain text"), so the plain text
is HTML-escaped once more before it goes in: a reader shows exactly the text,
and `<script>` in a commit message stays five characters, never an element.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from generator.files import OutputTree
from generator.models import DayRecord
from generator.render import Rendered, links
from generator.render.archive import Archive, CommitRef
from generator.render.i18n import TIER_EMOJI, Labels
from generator.render.mdtext import clean, one_line
from generator.render.settings import SiteSettings
from generator.windows import day_window

FEED_DAYS = 30
FEED_COMMITS = 50
LANGUAGES = {"zh": "zh-CN", "en": "en"}
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"

# Everything outside XML 1.0's Char production: C0 controls but tab, LF and CR,
# surrogates (only lone ones can exist in a str), U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def page_url(site_url: str, page: str) -> str:
    """The absolute URL MkDocs gives a page with directory URLs: `daily/2026/02/10.md` →
    `{site_url}daily/2026/02/10/`; `index.md` → `{site_url}`."""
    stem = page.removesuffix(".md")
    if stem == "index":
        return site_url
    return f"{site_url}{stem.removesuffix('/index')}/"


def render_feeds(archive: Archive, settings: SiteSettings, out: OutputTree) -> None:
    """Write `feed.xml` and `feeds/<owner>/<repo>.xml`; remove feeds of repositories no
    longer configured."""
    out.write(*site_feed(archive, settings))
    for name in settings.repo_names:
        out.write(*repo_feed(archive, settings, name))
    out.remove_stale([links.FEEDS_FOLDER], suffix=".xml")


# -- the feeds -------------------------------------------------------------------------


def site_feed(archive: Archive, settings: SiteSettings) -> Rendered:
    """One item per day page, newest first."""
    labels = Labels(settings.language)
    items = []
    for day in archive.days()[::-1][:FEED_DAYS]:
        records = archive.records_on(day)
        items.append(
            Item(
                title=labels("day_title", date=day.isoformat()),
                url=page_url(settings.site_url, links.day_page(day)),
                published=day_window(day, settings.tz).end,
                description=_day_summary(records, labels),
                categories=tuple(record.repo for record in records),
            )
        )
    return Rendered(
        links.SITE_FEED,
        _feed(
            settings,
            title=settings.site_name,
            description=labels("feed_description"),
            self_url=settings.site_url + links.SITE_FEED,
            link=settings.site_url,
            items=items,
        ),
    )


def repo_feed(archive: Archive, settings: SiteSettings, repo: str) -> Rendered:
    """One item per commit of the repository, newest first."""
    labels = Labels(settings.language)
    refs = archive.timeline.get(repo, ())[:FEED_COMMITS]
    return Rendered(
        links.repo_feed(repo),
        _feed(
            settings,
            title=f"{settings.site_name} · {repo}",
            description=labels("repo_feed_description", repo=repo),
            self_url=settings.site_url + links.repo_feed(repo),
            link=page_url(settings.site_url, links.repo_page(repo)),
            items=[_commit_item(ref, settings, labels) for ref in refs],
        ),
    )


def _commit_item(ref: CommitRef, settings: SiteSettings, labels: Labels) -> Item:
    commit, analysis = ref.commit, ref.commit.analysis
    tier = commit.tier
    categories = []
    if analysis:
        categories.append(f"{TIER_EMOJI[tier]} {labels.tier(tier)}")
        categories.append(labels.change_type(analysis.change_type))
    if commit.dropped_at:
        categories.append(labels("dropped"))
    return Item(
        title=f"{TIER_EMOJI[tier]} {_line(commit.title)}",
        url=page_url(settings.site_url, links.commit_page(ref.repo, commit.sha)),
        published=commit.committed_at.astimezone(settings.tz),
        description=_text(clean(analysis.summary).strip()) if analysis else "",
        categories=tuple(categories),
        creator=_line(commit.author.name),
    )


def _day_summary(records: list[DayRecord], labels: Labels) -> str:
    """Per repository: its name and stats line, a notice if the day is not complete, and
    the subjects of its high-tier commits."""
    blocks = []
    for record in records:
        stats = labels("stats", total=len(record.commits), **record.tier_counts())
        lines = [f"{record.repo}: {stats}"]
        if notice := labels.status(record):
            lines.append(_line(notice))
        if record.overview:
            lines.append(_line(record.overview.text))
        lines.extend(
            f"{TIER_EMOJI['high']} {_line(commit.title)}"
            for commit in record.commits
            if commit.tier == "high"
        )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# -- XML -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One feed item, in plain text; `_feed` makes the XML."""

    title: str
    url: str
    """Absolute; also the item's permalink guid."""
    published: datetime
    description: str = ""
    categories: tuple[str, ...] = ()
    creator: str = ""


def _text(value: str) -> str:
    """Any string bound for the XML: line ends normalised, non-XML characters dropped."""
    return _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _line(value: str) -> str:
    """Untrusted text on one line, as the pages show it, and as XML can carry it."""
    return _text(one_line(value))


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """How every element but the constant <rss> is made: each text and attribute value goes
    through `_text`, and ElementTree escapes it when serialising."""
    element = ET.SubElement(parent, tag, {name: _text(v) for name, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _html(text: str) -> str:
    """Plain text as the HTML that a reader renders back to exactly that text."""
    return html.escape(_text(text), quote=False)


def _date(when: datetime) -> str:
    """RFC 822 with a numeric zone; English day and month names whatever the locale."""
    return format_datetime(when)


def _feed(
    settings: SiteSettings,
    title: str,
    description: str,
    self_url: str,
    link: str,
    items: list[Item],
) -> str:
    # Prefixed names are written as they are, declared on <rss>: no global namespace registry.
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM, "xmlns:dc": DC})
    channel = _add(rss, "channel")
    _add(channel, "title", _line(title))
    _add(channel, "link", link)
    _add(channel, "description", _html(description))
    _add(channel, "language", LANGUAGES[settings.language])
    _add(channel, "generator", "commit-digest")
    if items:
        _add(channel, "lastBuildDate", _date(max(item.published for item in items)))
    _add(channel, "atom:link", href=self_url, rel="self", type="application/rss+xml")
    for entry in items:
        item = _add(channel, "item")
        _add(item, "title", entry.title)
        _add(item, "link", entry.url)
        _add(item, "guid", entry.url, isPermaLink="true")
        _add(item, "pubDate", _date(entry.published))
        if entry.creator:
            _add(item, "dc:creator", entry.creator)
        for category in entry.categories:
            _add(item, "category", category)
        if entry.description:
            _add(item, "description", _html(entry.description))
    ET.indent(rss, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"
