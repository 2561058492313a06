"""The feeds a reader can subscribe to, and how a page offers them.

One place names every feed (its files and its title), so the feeds stage that
writes them and the pages that link to them cannot disagree. A page offers its
feeds twice: `<link rel="alternate">` in `<head>` (through front matter, which
the theme template reads) for feed readers that discover them, and a visible
subscribe block for people: an RSS icon (from the stylesheet), the formats, and
the feed's address with a copy button (the theme's own clipboard support, no
script of ours).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from generator.config import Watch
from generator.render import links
from generator.render.i18n import Labels
from generator.render.links import FEED_FORMATS, FeedFormat
from generator.render.mdtext import Md, attr, code, inline, link
from generator.render.settings import SiteSettings

FORMAT_NAMES: dict[FeedFormat, str] = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@dataclass(frozen=True)
class FeedRef:
    stem: str
    """The feed's files without their suffix, relative to docs/: `feeds/<owner>/<repo>`."""
    title: str
    """As feed readers list it: the site's name and what the feed holds."""
    label: str
    """What the subscribe block calls it, inside the site."""

    def file(self, kind: FeedFormat) -> str:
        return links.feed_file(self.stem, kind)


class Feeds:
    """Every feed of the site, by what it holds."""

    def __init__(self, settings: SiteSettings) -> None:
        self.settings = settings
        self.labels = Labels(settings.language)

    def site(self) -> FeedRef:
        name = self.settings.site_name
        return FeedRef(links.SITE_FEED_STEM, name, self.labels("feed_days"))

    def high(self) -> FeedRef:
        label = self.labels("feed_high")
        return FeedRef(links.HIGH_FEED_STEM, f"{self.settings.site_name} · {label}", label)

    def repo(self, repo: str) -> FeedRef:
        label = self.labels("feed_repo", repo=repo)
        return FeedRef(links.repo_feed_stem(repo), f"{self.settings.site_name} · {repo}", label)

    def repo_high(self, repo: str) -> FeedRef:
        label = self.labels("feed_repo_high", repo=repo)
        title = f"{self.settings.site_name} · {repo} · {self.labels('feed_high')}"
        return FeedRef(links.repo_high_feed_stem(repo), title, label)

    def watch(self, watch: Watch) -> FeedRef:
        label = self.labels("feed_watch", title=watch.heading)
        title = f"{self.settings.site_name} · {watch.heading}"
        return FeedRef(links.watch_feed_stem(watch.name), title, label)

    def every_feed(self) -> list[FeedRef]:
        repos = self.settings.repo_names
        return [
            self.site(),
            self.high(),
            *(self.repo(name) for name in repos),
            *(self.repo_high(name) for name in repos),
            *(self.watch(watch) for watch in self.settings.watches),
        ]


def alternates(feeds: list[FeedRef]) -> list[dict[str, Md]]:
    """Front matter for the theme's `<link rel="alternate">` tags: the RSS file of each feed.
    Values are escaped, since the theme puts them raw into `<head>`. Pages name few: the
    theme fetches `sitemap.xml` from the folder of every alternate link it finds, a request
    (and, outside the site's root, a 404) on every page view."""
    return [
        {
            "href": Md(attr(feed.file("rss"))),
            "type": Md(attr(FEED_FORMATS["rss"][1])),
            "title": Md(attr(feed.title)),
        }
        for feed in feeds
    ]


def subscribe_block(page: str, site_url: str, feeds: list[FeedRef], labels: Labels) -> Md:
    """A paragraph per feed: its name, a link per format, and its RSS address to copy.

    Markdown links, not raw HTML ones: MkDocs leaves a relative link in raw HTML as it is
    while Zensical rewrites it as it rewrites Markdown links, so only a Markdown link means
    the same page in both. The copy button links nowhere."""
    rows = []
    for feed in feeds:
        formats = " · ".join(
            link(FORMAT_NAMES[kind], links.relative(page, feed.file(kind))) for kind in FEED_FORMATS
        )
        url = links.absolute(site_url, feed.file("rss"))
        button = (
            f'<button class="md-clipboard md-icon cd-subscribe__copy" type="button" '
            f'title="{_e(labels("copy_url"))}" data-clipboard-text="{_e(url)}"></button>'
        )
        rows.append(f"**{inline(feed.label)}** {formats} {code(url)}{button}\n{{: .cd-subscribe }}")
    return Md("\n\n".join(rows))


def _e(text: str) -> str:
    return html.escape(text, quote=True)
