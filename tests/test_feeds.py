"""Feeds of a generated archive, read the way feed readers read them: RSS and Atom with
feedparser, JSON Feed against the JSON Feed 1.1 schema; checked against the raw files and
against a real `mkdocs build --strict` of the same archive."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import Config, load_config
from generator.files import OutputTree
from generator.models import Commit, DayRecord, Overview
from generator.pipeline import render
from generator.render.archive import Archive
from generator.render.feeds import render_feeds
from generator.render.settings import SiteSettings
from generator.text import TIER_EMOJI, clean, one_line

from factory import archive_in_memory, at, load_archive, make_commit, make_record, store
from sitebuild import NS, build_site, parse, read_feed, read_json_feed

SITE_URL = "https://example.org/digest/"
SITE_NAME = 'R&D "Digest" <feeds>'
EVIL_DAY, FAILED_DAY = date(2026, 2, 10), date(2026, 2, 11)
WIDGET_DAYS = [date(2026, 1, 5) + timedelta(days=n) for n in range(33)]  # Jan 5 .. Feb 6
OPEN_DAY = WIDGET_DAYS[-1] + timedelta(days=1)  # Feb 7: fetched before it ended
OVERVIEW = "Widgets grew <b>bold</b> & co.\nSecond line."
LONG_SUBJECT = "long " + "x" * 9_995
HOSTILE_SUBJECTS = [
    "<script>alert('subject')</script> (#1)",
    'Fix A & B ]]> <![CDATA[ x ]]> <img src=x onerror="alert(1)"> -->',
    "nul\x00 bell\x07 esc\x1b vt\x0b ff\x0c del\x7f c1\x85 end",
    "emoji 🚀🔥 👩‍💻 and RTL: إصلاح الخطأ בדיקה \u202egnp.exe",
    LONG_SUBJECT,
    # RSS titles are plain text, but a reader may guess that this one is HTML: it holds a
    # closing tag of a harmless element and an entity. feedparser then sanitises it.
    '<b onclick="alert(1)">bold</b> &amp; <img src=x onerror="alert(2)">',
]
AMBIGUOUS = len(HOSTILE_SUBJECTS) - 1
HOSTILE_AUTHOR = 'Eve <b onmouseover="x">|</b> &amp;\x00\x1f'
# Code points XML 1.0 allows (its Char production), written out independently of the code.
XML_CHAR_RANGES = [(0x9, 0x9), (0xA, 0xA), (0xD, 0xD), (0x20, 0xD7FF), (0xE000, 0xFFFD)]
# What the feeds' HTML may hold: nothing a commit message could add.
ITEM_TAGS = {"h3", "p", "ul", "li", "a", "strong", "em", "code", "br"}
STEMS = ["feed", "feeds/high", "feeds/acme/widgets", "feeds/acme/widgets/high"]
STEMS += ["feeds/evil/repo", "feeds/evil/repo/high"]


def is_xml_char(ch: str) -> bool:
    code = ord(ch)
    return code >= 0x10000 or any(lo <= code <= hi for lo, hi in XML_CHAR_RANGES)


def config_file(folder: Path, language: str = "zh", repos: tuple[str, ...] = ()) -> Path:
    clone = folder / "clone"
    clone.mkdir(exist_ok=True)
    listed = "".join(f"  - name: {name}\n    path: {clone}\n" for name in repos)
    path = folder / "digest.yml"
    path.write_text(
        f"site_url: {SITE_URL}\nsite_name: '{SITE_NAME}'\nlanguage: {language}\nrepos:\n{listed}",
        encoding="utf-8",
    )
    return path


def archive_of(config: Config) -> Archive:
    return load_archive(config.data_dir, [repo.name for repo in config.repos])


def raw_items(path: Path) -> list[ET.Element]:
    items = ET.fromstring(path.read_bytes()).findall("channel/item")
    for item in items:
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true" and guid.text == item.findtext("link")
    return items


def shown_html(fragment: str):
    """What a browser makes of an HTML fragment."""
    return html5lib.parseFragment(fragment, namespaceHTMLElements=False)


def elements(fragment: str) -> set[str]:
    root = shown_html(fragment)
    return {el.tag for el in root.iter() if el is not root}


def text(element) -> str:
    return "".join(element.itertext())


def title_of(commit: Commit) -> str:
    tier = commit.analysis.tier if commit.analysis else "low"
    return f"{TIER_EMOJI[tier]} {one_line(commit.subject) or commit.sha[:12]}"


def page_exists(site: Path, url: str) -> bool:
    assert url.startswith(SITE_URL), url
    return (site / url.removeprefix(SITE_URL) / "index.html").is_file()


def commit_url(repo: str, commit: Commit) -> str:
    return f"{SITE_URL}commits/{repo}/{commit.sha[:12]}/"


@dataclass(frozen=True)
class Built:
    config: Config
    site: Path
    evil: list[Commit]
    widgets: list[Commit]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("feeds")
    path = config_file(tmp, repos=("acme/widgets", "evil/repo"))
    config = load_config(path)
    widgets = []
    for day in WIDGET_DAYS:
        commits = [
            make_commit(f"feat: widget of {day}", at(day, 15), tier="high"),
            make_commit(f"fix: widget of {day}", at(day, 9), tier="low"),
        ]
        record = make_record("acme/widgets", day, commits)
        if day == WIDGET_DAYS[-1]:
            overview = Overview(text=OVERVIEW, analyzer="llm:m@1", language="zh", input_hash="h")
            record = record.model_copy(update={"overview": overview})
        store(config, record)
        widgets.extend(commits)
    unfinished = make_record(
        "acme/widgets", OPEN_DAY, [make_commit("feat: unfinished", at(OPEN_DAY, 8), "high")]
    )
    opened = {"complete": False, "fetched_at": unfinished.window_start}
    store(config, unfinished.model_copy(update=opened))
    evil = [
        make_commit(subject, at(EVIL_DAY, 20 - n), tier="high", author=HOSTILE_AUTHOR)
        for n, subject in enumerate(HOSTILE_SUBJECTS)
    ]
    bare = make_commit("chore: no analysis", at(EVIL_DAY, 8), author="")
    evil.append(bare.model_copy(update={"analysis": None}))
    failed = make_record("evil/repo", FAILED_DAY, [], complete=False)
    store(
        config,
        make_record("evil/repo", EVIL_DAY, evil),
        failed.model_copy(update={"error": "git fetch failed: <boom> &\x00"}),
    )
    render(config)
    result = build_site(config, tmp / "site")
    assert "WARNING -" not in result.log, result.log
    widgets.sort(key=lambda c: c.committed_at, reverse=True)
    return Built(config, tmp / "site", evil, widgets)


# -- the site feed ---------------------------------------------------------------------


def test_site_feed_lists_the_newest_30_finished_day_reports_newest_first(built):
    feed = read_feed(built.config.docs_dir / "feed.xml")
    days = [EVIL_DAY, *reversed(WIDGET_DAYS)][:30]  # neither the failed nor the open day
    assert [e.title for e in feed.entries] == [f"每日更新报告（{d}）" for d in days]
    assert [e.link for e in feed.entries] == [f"{SITE_URL}daily/{d:%Y/%m/%d}/" for d in days]
    for entry in feed.entries:
        assert entry.id == entry.link
        assert page_exists(built.site, entry.link), entry.link
    # pubDate: the end of the local day, i.e. the next Shanghai midnight.
    assert feed.entries[0].published == "Wed, 11 Feb 2026 00:00:00 +0800"
    assert (
        feed.entries[-1].published == f"{days[-1] + timedelta(days=1):%a, %d %b %Y} 00:00:00 +0800"
    )
    assert feed.feed.updated == feed.entries[0].published
    assert feed.feed.title == SITE_NAME
    assert feed.feed.link == SITE_URL
    assert feed.feed.language == "zh-CN"
    assert feed.feed.subtitle == "所关注仓库每日提交的分析报告"


def test_no_item_for_a_day_still_open_or_unfinished_and_none_dated_after_its_fetch(built):
    archive = archive_of(built.config)
    fetched = {(s.repo, s.day): archive.record(s.repo, s.day).fetched_at for s in archive.summary}
    newest_fetch = max(fetched.values())
    for stem in STEMS:
        path = built.config.docs_dir / f"{stem}.xml"
        feed = read_feed(path)
        links = [e.link for e in feed.entries]
        assert f"{SITE_URL}daily/2026/02/07/" not in links  # open: the day is not over
        assert f"{SITE_URL}daily/2026/02/11/" not in links  # failed: its report will change
        assert "unfinished" not in path.read_text(encoding="utf-8")
        for entry in feed.entries:
            published = parsedate_to_datetime(entry.published)
            assert published <= newest_fetch
            if "/daily/" in entry.link:
                day = date.fromisoformat(entry.link[-11:-1].replace("/", "-"))
                assert all(published <= when for (_, d), when in fetched.items() if d == day)
            else:
                repo = entry.link.removeprefix(f"{SITE_URL}commits/").rsplit("/", 2)[0]
                local = published.astimezone(archive_settings(built).tz).date()
                assert published <= fetched[repo, local]


def archive_settings(built: Built) -> SiteSettings:
    return SiteSettings.from_config(built.config)


def test_day_items_are_html_with_stats_overview_and_high_subjects(built):
    path = built.config.docs_dir / "feed.xml"
    feed, raw = read_feed(path), raw_items(path)
    stats = "本日共 {} 个提交 | 🔴高 {} | 🟡中 {} | 🟢低 {}"
    # The hostile day: the repository, its stats and each high subject as a link to its page.
    root = shown_html(raw[0].findtext("description"))
    assert elements(raw[0].findtext("description")) <= ITEM_TAGS
    heading = root.find("h3")
    assert text(heading) == "evil/repo"
    assert heading.find("a").get("href") == f"{SITE_URL}repos/evil/repo/"
    assert text(root.find("p")) == stats.format(7, 6, 0, 1)
    items = root.findall("ul/li")
    assert [text(li) for li in items] == [f"🔴 {one_line(s)}" for s in HOSTILE_SUBJECTS]
    for li, commit in zip(items, built.evil, strict=False):
        href = li.find("a").get("href")
        assert href == commit_url("evil/repo", commit) and page_exists(built.site, href)
    assert feed.entries[0].tags[0].term == "evil/repo"
    # The day with an overview: it follows the stats, line breaks kept, its markup as text.
    last = next(i for i, e in enumerate(feed.entries) if e.link.endswith("/2026/02/06/"))
    root = shown_html(raw[last].findtext("description"))
    paragraphs = root.findall("p")
    assert text(paragraphs[0]) == stats.format(2, 1, 0, 1)
    assert text(paragraphs[1]) == OVERVIEW.replace("\n", "")
    assert [el.tag for el in paragraphs[1]] == ["br"]
    # What a reader shows is the same HTML, sanitised by feedparser without loss.
    assert elements(feed.entries[last].summary) <= ITEM_TAGS


# -- commit feeds ----------------------------------------------------------------------


def test_repo_feed_lists_at_least_the_newest_50_commits_newest_first(built):
    feed = read_feed(built.config.docs_dir / "feeds/acme/widgets.xml")
    newest = built.widgets[:50]  # 7 days hold only 14: the newest 50 it is
    assert [e.title for e in feed.entries] == [title_of(c) for c in newest]
    assert [parsedate_to_datetime(e.published) for e in feed.entries] == [
        c.committed_at for c in newest
    ]
    assert [e.link for e in feed.entries] == [commit_url("acme/widgets", c) for c in newest]
    for entry in feed.entries:
        assert entry.id == entry.link
        assert page_exists(built.site, entry.link), entry.link
    assert feed.feed.title == f"{SITE_NAME} · acme/widgets"
    assert feed.feed.link == f"{SITE_URL}repos/acme/widgets/"
    assert feed.feed.updated == feed.entries[0].published


def test_a_busy_repository_feed_covers_its_last_7_days_whatever_the_count(tmp_path):
    config = load_config(config_file(tmp_path, repos=("acme/busy",)))
    days = [date(2026, 3, 1) + timedelta(days=n) for n in range(12)]
    records = [
        make_record(
            "acme/busy",
            day,
            [make_commit(f"c{n} {day}", at(day, 23, 59) - timedelta(minutes=n)) for n in range(67)],
        )
        for day in days
    ]
    render_feeds(
        in_memory(config, records), SiteSettings.from_config(config), OutputTree(tmp_path / "d")
    )
    feed = read_feed(tmp_path / "d/feeds/acme/busy.xml")
    shown = {parsedate_to_datetime(e.published).date() for e in feed.entries}
    assert len(feed.entries) == 7 * 67
    assert shown == set(days[-7:])


def test_commit_items_are_html_and_show_hostile_text_as_text(built):
    path = built.config.docs_dir / "feeds/evil/repo.xml"
    feed, raw = read_feed(path), raw_items(path)
    plain = [i for i in range(len(built.evil)) if i != AMBIGUOUS]
    assert [feed.entries[i].title for i in plain] == [title_of(built.evil[i]) for i in plain]
    assert feed.entries[0].title == "🔴 <script>alert('subject')</script> (#1)"
    assert feed.entries[2].title == "🔴 nul bell esc vt ff del c1 end"
    assert feed.entries[3].title == "🔴 emoji 🚀🔥 👩‍💻 and RTL: إصلاح الخطأ בדיקה gnp.exe"
    assert feed.entries[4].title == f"🔴 {LONG_SUBJECT}" and len(LONG_SUBJECT) == 10_000
    # The guessed-HTML title: the XML still says exactly the text; what the reader made of
    # it is sanitised markup, nothing that runs.
    guessed = feed.entries[AMBIGUOUS].title_detail
    assert guessed.type == "text/html"
    assert guessed.value == '🔴 <b>bold</b> &amp; <img src="x" />'
    for entry, item, commit in zip(feed.entries, raw, built.evil, strict=True):
        assert item.findtext("title") == title_of(commit)
        assert page_exists(built.site, entry.link), entry.link
        description = item.findtext("description")
        assert elements(description) <= ITEM_TAGS
        paragraphs = [text(p) for p in shown_html(description).findall("p")]
        links = {text(a): a.get("href") for a in shown_html(description).iter("a")}
        assert links["查看提交"] == f"https://github.com/evil/repo/commit/{commit.sha}"
        day = f"{SITE_URL}daily/2026/02/10/#evil-repo-{commit.sha[:12]}"
        assert links["日报 2026-02-10"] == day
        if commit.analysis is None:
            assert paragraphs[0] == f"🟢 低 · evil/repo · {commit.sha[:12]}"
            assert "author" not in entry and "tags" not in entry
            continue
        assert paragraphs[0] == f"🔴 高 · 问题修复 · evil/repo · {commit.sha[:12]}"
        assert paragraphs[1] == clean(commit.analysis.summary).replace("\n", "")
        assert entry.author == 'Eve <b onmouseover="x">|</b> &amp;'
        assert [t.term for t in entry.tags] == ["🔴 高", "问题修复"]
    assert {text(a): a.get("href") for a in shown_html(raw[0].findtext("description")).iter("a")}[
        "#1"
    ] == "https://github.com/evil/repo/pull/1"


def test_high_feeds_hold_the_high_commits_of_every_repository_newest_first(built):
    feed = read_feed(built.config.docs_dir / "feeds/high.xml")
    widgets = [c for c in built.widgets if c.tier == "high"]
    high = [c for c in built.evil if c.analysis] + widgets
    repos = {c.sha: "evil/repo" for c in built.evil} | {c.sha: "acme/widgets" for c in widgets}
    expected = sorted(high, key=lambda c: c.committed_at, reverse=True)[:50]
    assert [e.link for e in feed.entries] == [commit_url(repos[c.sha], c) for c in expected]
    # Several repositories: the title says which one.
    assert feed.entries[0].title == f"🔴 evil/repo: {HOSTILE_SUBJECTS[0]}"
    assert feed.feed.title == f"{SITE_NAME} · 高重要度变更"
    mine = read_feed(built.config.docs_dir / "feeds/acme/widgets/high.xml")
    assert [e.title for e in mine.entries] == [title_of(c) for c in widgets]
    assert mine.feed.link == f"{SITE_URL}repos/acme/widgets/"


def test_atom_and_json_feed_carry_the_same_items_as_rss(built):
    docs = built.config.docs_dir
    for stem in STEMS:
        rss = read_feed(docs / f"{stem}.xml")
        raw = raw_items(docs / f"{stem}.xml")
        atom = read_feed(docs / f"{stem}.atom", "atom10")
        document = read_json_feed(docs / f"{stem}.json")
        assert document["feed_url"] == f"{SITE_URL}{stem}.json"
        assert atom.feed.title == rss.feed.title == document["title"]
        assert [link.href for link in atom.feed.links if link.rel == "self"] == [
            f"{SITE_URL}{stem}.atom"
        ]
        assert atom.feed.link == rss.feed.link == document["home_page_url"]
        json_items = document["items"]
        assert len(atom.entries) == len(rss.entries) == len(json_items), stem
        for r, a, j, item in zip(rss.entries, atom.entries, json_items, raw, strict=True):
            assert a.id == r.id == j["id"] == j["url"]
            assert a.title == j["title"] == item.findtext("title")
            when = parsedate_to_datetime(r.published)
            assert datetime.fromisoformat(a.published) == when
            assert datetime.fromisoformat(j["date_published"]) == when
            assert a.content[0].type == "text/html"
            assert j["content_html"] == item.findtext("description")
        if rss.entries:
            assert datetime.fromisoformat(atom.feed.updated) == parsedate_to_datetime(
                rss.feed.updated
            )


def page_url(site_url: str, page: str) -> str:
    """The URL of a built page: `daily/2026/02/10/index.html` → `{site_url}daily/2026/02/10/`."""
    return site_url + page.removesuffix("index.html")


def test_feeds_are_in_the_built_site_and_pages_advertise_theirs(built):
    docs, site = built.config.docs_dir, built.site
    for stem in STEMS:
        for suffix in (".xml", ".atom", ".json"):
            assert (site / f"{stem}{suffix}").read_bytes() == (
                docs / f"{stem}{suffix}"
            ).read_bytes()
    # The site feed on every page but commit pages (tens of thousands of them, and readers
    # subscribe from the others), a repository's own on its page: no more, since the theme
    # fetches a sitemap.xml next to each (the high-tier feeds are in the subscribe blocks).
    site_feed = [(SITE_NAME, f"{SITE_URL}feed.xml")]
    for page, expected in [
        ("index.html", site_feed),
        ("daily/2026/02/10/index.html", site_feed),
        ("commits/evil/repo/" + built.evil[0].sha[:12] + "/index.html", []),
        (
            "repos/evil/repo/index.html",
            [*site_feed, (f"{SITE_NAME} · evil/repo", f"{SITE_URL}feeds/evil/repo.xml")],
        ),
    ]:
        head = parse(site / page).find(f"{NS}head")
        # Relative links, resolved as a feed reader resolves them against the page's URL:
        # a copy of the site served elsewhere must not send readers to the published host.
        alternates = [
            (link.get("title"), urljoin(page_url(SITE_URL, page), link.get("href")))
            for link in head.iter(f"{NS}link")
            if link.get("rel") == "alternate" and link.get("type") == "application/rss+xml"
        ]
        assert alternates == expected, page
        for _, url in alternates:
            assert (site / url.removeprefix(SITE_URL)).is_file()


def test_same_records_give_byte_identical_feeds(built, tmp_path):
    docs = built.config.docs_dir
    names = [f"{stem}{suffix}" for stem in STEMS for suffix in (".xml", ".atom", ".json")]
    before = {name: (docs / name).read_bytes() for name in names}
    again = OutputTree(docs)
    render_feeds(archive_of(built.config), SiteSettings.from_config(built.config), again)
    assert again.changed == 0
    elsewhere = built.config.model_copy(update={"docs_dir": tmp_path / "docs"})
    render_feeds(
        archive_of(elsewhere), SiteSettings.from_config(elsewhere), OutputTree(elsewhere.docs_dir)
    )
    assert {name: (tmp_path / "docs" / name).read_bytes() for name in names} == before


# -- feeds as the archive grows ---------------------------------------------------------


def test_days_added_later_appear_in_date_order_and_items_keep_their_ids(tmp_path):
    config = load_config(config_file(tmp_path, repos=("acme/widgets",)))
    d1, d2, d3, d4 = (date(2026, 3, n) for n in (1, 2, 3, 4))
    commit = {d: make_commit(f"feat: {d}", at(d, 12)) for d in (d1, d2, d3, d4)}
    store(config, make_record("acme/widgets", d1, [commit[d1]]))
    store(config, make_record("acme/widgets", d3, [commit[d3]]))
    today = make_record("acme/widgets", d4, [commit[d4]])
    opened = {"complete": False, "fetched_at": today.window_start}
    store(config, today.model_copy(update=opened))  # fetched before the day ended
    render(config)

    def shown() -> tuple[list[str], list[str], list[str]]:
        site = read_feed(config.docs_dir / "feed.xml")
        repo = read_feed(config.docs_dir / "feeds/acme/widgets.xml")
        ids = [e.id for e in site.entries + repo.entries]
        return [e.link[-11:-1] for e in site.entries], [e.title for e in repo.entries], ids

    days, titles, ids = shown()
    assert (days, titles) == (
        ["2026/03/03", "2026/03/01"],
        ["🟡 feat: 2026-03-03", "🟡 feat: 2026-03-01"],
    )
    store(config, today)  # the next run finishes the day
    store(config, make_record("acme/widgets", d2, [commit[d2]]))  # a missed day, filled
    render(config)
    days, titles, later = shown()
    assert days == ["2026/03/04", "2026/03/03", "2026/03/02", "2026/03/01"]
    assert titles == [f"🟡 feat: {d}" for d in (d4, d3, d2, d1)]
    assert set(ids) <= set(later)  # an item never changes its id
    assert f"{SITE_URL}daily/2026/03/04/" in later  # the finished day, first seen now


def test_english_feed_labels_and_empty_archive(tmp_path):
    config = load_config(config_file(tmp_path, language="en", repos=("acme/widgets",)))
    render(config)
    feed = read_feed(config.docs_dir / "feed.xml")
    # No item yet: the date is the Unix epoch, not the time of the render.
    assert feed.entries == [] and feed.feed.updated == "Thu, 01 Jan 1970 00:00:00 +0000"
    assert feed.feed.language == "en"
    assert read_json_feed(config.docs_dir / "feed.json")["items"] == []
    repo = read_feed(config.docs_dir / "feeds/acme/widgets.xml")
    assert repo.feed.subtitle == "Commits of acme/widgets, analysed"
    day = date(2026, 3, 1)
    store(config, make_record("acme/widgets", day, [make_commit("x", at(day, 1), language="en")]))
    render(config)
    assert read_feed(config.docs_dir / "feed.xml").entries[0].title == "Daily report (2026-03-01)"
    high = read_feed(config.docs_dir / "feeds/high.atom", "atom10")
    assert high.feed.title == f"{SITE_NAME} · High-importance commits"


def test_feeds_of_a_repository_no_longer_configured_are_removed(tmp_path):
    config = load_config(config_file(tmp_path, repos=("acme/widgets",)))
    stale = [config.docs_dir / f"feeds/gone/away{suffix}" for suffix in (".xml", ".atom", ".json")]
    stale.append(config.docs_dir / "feeds/gone/away/high.json")
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}", encoding="utf-8")
    render(config)
    assert not any(path.exists() for path in stale)
    assert (config.docs_dir / "feeds/acme/widgets.xml").is_file()
    assert (config.docs_dir / "feeds/acme/widgets/high.json").is_file()


# -- text XML cannot carry ---------------------------------------------------------------


def in_memory(config: Config, records: list[DayRecord]) -> Archive:
    """An archive straight from records, for text that a record file could not even hold."""
    return archive_in_memory([repo.name for repo in config.repos], records)


HOSTILE_CHARS = ["\x00", "\x08", "\x0b", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff", "\r"]
HOSTILE_CHARS += ["\x85", "\u2028", "\u202e", "]]>", "&", "<", "\t", "\n", "😀", "ש"]


@settings(max_examples=60, deadline=None)
@given(
    subject=st.lists(st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARS))).map("".join),
    author=st.lists(st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARS))).map("".join),
)
def test_any_text_gives_well_formed_feeds_showing_it(tmp_path_factory, subject, author):
    folder = tmp_path_factory.mktemp("any")
    config = load_config(config_file(folder, repos=("acme/widgets",)))
    day = date(2026, 3, 1)
    # A record file could not hold a lone surrogate: the commit is made in memory.
    made = make_commit("placeholder", at(day, 12), tier="high")
    commit = made.model_copy(
        update={
            "subject": subject,
            "author": made.author.model_copy(update={"name": author}),
            "analysis": made.analysis.model_copy(update={"summary": f"summary of {subject}"}),
        }
    )
    visible = "".join(ch for ch in one_line(subject) if is_xml_char(ch)) or commit.sha[:12]
    creator = "".join(ch for ch in one_line(author) if is_xml_char(ch))
    summary = "".join(ch for ch in clean(commit.analysis.summary).strip() if is_xml_char(ch))
    with tempfile.TemporaryDirectory() as docs:
        render_feeds(
            in_memory(config, [make_record("acme/widgets", day, [commit])]),
            SiteSettings.from_config(config),
            OutputTree(Path(docs)),
        )
        for stem in ["feed", "feeds/high", "feeds/acme/widgets", "feeds/acme/widgets/high"]:
            for suffix in (".xml", ".atom"):
                data = (Path(docs) / f"{stem}{suffix}").read_bytes()
                data.decode("utf-8")
                ET.fromstring(data)  # well-formed XML 1.0
            read_json_feed(Path(docs) / f"{stem}.json")
        item = raw_items(Path(docs) / "feeds/acme/widgets.xml")[0]
        assert item.findtext("title") == f"🔴 {visible}"
        dc = item.findtext("{http://purl.org/dc/elements/1.1/}creator")
        assert dc == (creator or None)
        shown = [text(p) for p in shown_html(item.findtext("description")).findall("p")]
        assert shown[1] == summary.replace("\n", "")
        entry = json.loads((Path(docs) / "feeds/acme/widgets.json").read_text("utf-8"))["items"][0]
        assert entry["title"] == f"🔴 {visible}"
        assert entry.get("authors", [{}])[0].get("name", "") == creator
    shutil.rmtree(folder)
