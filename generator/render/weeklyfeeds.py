"""The weekly feeds: `feeds/<owner>/<repo>/weekly.*` (one item per complete week of the
repository, the newest `WEEKS`) and `feeds/weekly.*` (every repository's, newest week
first, then in config order). An item is the week report's stats line, its factual
summary and its high-tier commits, linked to the report; it exists once the week is
complete (`weekly.complete_weeks`), so no item ever changes after it appears unless the
records do."""

from __future__ import annotations

import html
from datetime import timedelta

from generator.localdays import day_window
from generator.render import links
from generator.render.feedformats import Entry, Feed, high_list
from generator.render.historypages import HistoryPages
from generator.render.i18n import Labels
from generator.render.settings import SiteSettings
from generator.render.subscriptions import FeedRef
from generator.render.weekly import Week, week_name
from generator.text import one_line

WEEKS = 12


def weekly_refs(settings: SiteSettings) -> list[FeedRef]:
    """The weekly feeds: every repository's, then each repository's."""
    labels = Labels(settings.language)
    name = settings.site_name
    label = labels("feed_weekly")
    found = [FeedRef(links.weekly_feed_stem(), f"{name} · {label}", label)]
    for repo in settings.repo_names:
        label = labels("feed_repo_weekly", repo=repo)
        found.append(FeedRef(links.weekly_feed_stem(repo), f"{name} · {label}", label))
    return found


def weekly_ref(settings: SiteSettings, repo: str) -> FeedRef:
    """The repository's weekly feed."""
    return weekly_refs(settings)[1 + settings.repo_names.index(repo)]


def weekly_feeds(history: HistoryPages, settings: SiteSettings) -> list[Feed]:
    labels = Labels(settings.language)
    refs = weekly_refs(settings)
    per_repo = {
        repo: [(week, _entry(history, settings, repo, week)) for week in _newest(history, repo)]
        for repo in settings.repo_names
    }
    order = {repo: n for n, repo in enumerate(settings.repo_names)}
    every = sorted(
        ((week, repo, entry) for repo, found in per_repo.items() for week, entry in found),
        key=lambda item: (-item[0][0], -item[0][1], order[item[1]]),
    )
    feeds = [
        _feed(refs[0], labels("weekly_feed_description"), settings.site_url, settings,
              [entry for _, _, entry in every[:WEEKS]])
    ]  # fmt: skip
    for ref, repo in zip(refs[1:], settings.repo_names, strict=True):
        home = links.absolute(settings.site_url, links.repo_page(repo))
        description = labels("repo_weekly_feed_description", repo=repo)
        feeds.append(_feed(ref, description, home, settings, [e for _, e in per_repo[repo]]))
    return feeds


def _newest(history: HistoryPages, repo: str) -> list[Week]:
    return list(reversed(history.weekly.weeks(repo)[-WEEKS:]))


def _feed(
    ref: FeedRef, description: str, home: str, settings: SiteSettings, entries: list[Entry]
) -> Feed:
    return Feed(
        ref=ref,
        description=description,
        home=home,
        publisher=settings.site_name,
        language=settings.language,
        entries=tuple(entries),
    )


def _entry(history: HistoryPages, settings: SiteSettings, repo: str, week: Week) -> Entry:
    labels = Labels(settings.language)
    weekly = history.weekly
    facts = weekly.facts(repo, week)
    counts = facts.counts()
    stats = labels("weekly_stats", total=sum(counts.values()), **counts)
    parts = [_p(stats), _p(weekly.summary_text(facts))]
    high = high_list(
        (_url(settings, links.commit_page(repo, e.sha)), e.subject)
        for e in facts.entries
        if e.tier == "high"
    )
    if high:
        parts.append(high)
    end = facts.start + timedelta(days=6)
    return Entry(
        url=_url(settings, links.weekly_page(repo, *week)),
        title=labels("weekly_item_title", repo=repo, week=week_name(week)),
        published=day_window(end, settings.tz).end,
        html="\n".join(parts),
        categories=(repo,),
    )


def _url(settings: SiteSettings, page: str) -> str:
    return links.absolute(settings.site_url, page)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _p(text: str) -> str:
    return "<p>" + _e(one_line(text)) + "</p>"
