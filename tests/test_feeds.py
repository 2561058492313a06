"""RSS feeds of a generated archive, read the way a feed reader reads them (feedparser),
checked against the raw XML and against a real `mkdocs build --strict` of the same archive."""

from __future__ import annotations

import html
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

import feedparser
import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import Config, load_config
from generator.files import OutputTree
from generator.models import Commit, DayRecord
from generator.pipeline import render
from generator.render.archive import Archive
from generator.render.feeds import render_feeds
from generator.render.i18n import TIER_EMOJI
from generator.render.mdtext import clean, one_line
from generator.render.settings import SiteSettings

from factory import at, make_commit, make_record, store
from sitebuild import NS, build_site, parse

SITE_URL = "https://example.org/digest/"
SITE_NAME = 'R&D "Digest" <feeds>'
EVIL_DAY, FAILED_DAY = date(2026, 2, 10), date(2026, 2, 11)
WIDGET_DAYS = [date(2026, 1, 5) + timedelta(days=n) for n in range(33)]  # Jan 5 .. Feb 6
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
    return Archive.load(config.data_dir, [repo.name for repo in config.repos])


def read_feed(path: Path):
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    return feed


def raw_items(path: Path) -> list[ET.Element]:
    items = ET.fromstring(path.read_bytes()).findall("channel/item")
    for item in items:
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true" and guid.text == item.findtext("link")
    return items


def shown_html(fragment: str) -> tuple[list[str], str]:
    """What a browser makes of an HTML fragment: its elements and its text."""
    root = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    return [el.tag for el in root.iter() if el is not root], "".join(root.itertext())


def title_of(commit: Commit) -> str:
    tier = commit.analysis.tier if commit.analysis else "low"
    return f"{TIER_EMOJI[tier]} {one_line(commit.subject) or commit.sha[:12]}"


def page_exists(site: Path, url: str) -> bool:
    assert url.startswith(SITE_URL), url
    return (site / url.removeprefix(SITE_URL) / "index.html").is_file()


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
        store(config, make_record("acme/widgets", day, commits))
        widgets.extend(commits)
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


def test_site_feed_lists_the_newest_30_day_pages_newest_first(built):
    feed = read_feed(built.config.docs_dir / "feed.xml")
    days = [FAILED_DAY, EVIL_DAY, *reversed(WIDGET_DAYS)][:30]
    assert [e.title for e in feed.entries] == [f"每日更新报告（{d}）" for d in days]
    assert [e.link for e in feed.entries] == [f"{SITE_URL}daily/{d:%Y/%m/%d}/" for d in days]
    for entry in feed.entries:
        assert entry.id == entry.link
        assert page_exists(built.site, entry.link), entry.link
    # pubDate: the end of the local day, i.e. the next Shanghai midnight.
    assert feed.entries[0].published == "Thu, 12 Feb 2026 00:00:00 +0800"
    assert feed.entries[-1].published == "Sun, 11 Jan 2026 00:00:00 +0800"
    assert feed.feed.updated == feed.entries[0].published
    assert feed.feed.title == SITE_NAME
    assert feed.feed.link == SITE_URL
    assert feed.feed.language == "zh-CN"
    assert feed.feed.subtitle == "所关注仓库每日提交的分析报告"


def test_day_description_is_plain_text_stats_and_high_subjects(built):
    path = built.config.docs_dir / "feed.xml"
    feed, raw = read_feed(path), raw_items(path)
    stats = "本日共 {} 个提交 | 🔴高 {} | 🟡中 {} | 🟢低 {}"
    expected = {
        FAILED_DAY: "evil/repo: "
        + stats.format(0, 0, 0, 0)
        + "\n获取失败，下次运行将重试：git fetch failed: <boom> &",
        EVIL_DAY: "\n".join(
            ["evil/repo: " + stats.format(7, 6, 0, 1)]
            + [f"🔴 {one_line(s)}" for s in HOSTILE_SUBJECTS]
        ),
        WIDGET_DAYS[-1]: f"acme/widgets: {stats.format(2, 1, 0, 1)}\n"
        f"🔴 feat: widget of {WIDGET_DAYS[-1]}",
    }
    for index, day in enumerate(expected):
        # The XML carries HTML (readers render a description as HTML) whose text is the
        # plain text: no element, `<script>` as five characters plus the rest.
        assert html.unescape(raw[index].findtext("description")) == expected[day]
        elements, text = shown_html(feed.entries[index].summary)
        assert elements == [] and text == expected[day]
        assert feed.entries[index].tags[0].term in {"evil/repo", "acme/widgets"}


# -- repository feeds ------------------------------------------------------------------


def test_repo_feed_lists_the_newest_50_commits_newest_first(built):
    feed = read_feed(built.config.docs_dir / "feeds/acme/widgets.xml")
    newest = built.widgets[:50]
    assert len(feed.entries) == 50
    assert [e.title for e in feed.entries] == [title_of(c) for c in newest]
    assert [parsedate_to_datetime(e.published) for e in feed.entries] == [
        c.committed_at for c in newest
    ]
    assert [e.link for e in feed.entries] == [
        f"{SITE_URL}commits/acme/widgets/{c.sha[:12]}/" for c in newest
    ]
    for entry in feed.entries:
        assert entry.id == entry.link
        assert page_exists(built.site, entry.link), entry.link
    assert feed.feed.title == f"{SITE_NAME} · acme/widgets"
    assert feed.feed.updated == feed.entries[0].published


def test_repo_feed_shows_hostile_commit_text_as_text(built):
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
        if commit.analysis is None:
            assert "summary" not in entry and item.find("description") is None
            assert "author" not in entry and "tags" not in entry
            continue
        summary = one_line(commit.analysis.summary)
        assert html.unescape(item.findtext("description")) == summary
        elements, text = shown_html(entry.summary)
        assert elements == [] and text == summary
        assert entry.author == 'Eve <b onmouseover="x">|</b> &amp;'
        assert [t.term for t in entry.tags] == ["🔴 高", "问题修复"]


def page_url(site_url: str, page: str) -> str:
    """The URL of a built page: `daily/2026/02/10/index.html` → `{site_url}daily/2026/02/10/`."""
    return site_url + page.removesuffix("index.html")


def test_feeds_are_in_the_built_site_and_every_page_advertises_them(built):
    docs, site = built.config.docs_dir, built.site
    for name in ["feed.xml", "feeds/acme/widgets.xml", "feeds/evil/repo.xml"]:
        assert (site / name).read_bytes() == (docs / name).read_bytes()
    for page, extra in [
        ("index.html", None),
        ("daily/2026/02/10/index.html", None),
        ("repos/evil/repo/index.html", "evil/repo"),
    ]:
        head = parse(site / page).find(f"{NS}head")
        # Relative links, resolved as a feed reader resolves them against the page's URL:
        # a copy of the site served elsewhere must not send readers to the published host.
        alternates = [
            (link.get("title"), urljoin(page_url(SITE_URL, page), link.get("href")))
            for link in head.iter(f"{NS}link")
            if link.get("rel") == "alternate" and link.get("type") == "application/rss+xml"
        ]
        expected = [(SITE_NAME, f"{SITE_URL}feed.xml")]
        if extra:
            expected.append((f"{SITE_NAME} · {extra}", f"{SITE_URL}feeds/{extra}.xml"))
        assert alternates == expected, page
        for _, url in alternates:
            assert (site / url.removeprefix(SITE_URL)).is_file()


def test_same_records_give_byte_identical_feeds(built, tmp_path):
    docs = built.config.docs_dir
    names = ["feed.xml", "feeds/acme/widgets.xml", "feeds/evil/repo.xml"]
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


def test_days_added_later_appear_in_date_order(tmp_path):
    config = load_config(config_file(tmp_path, repos=("acme/widgets",)))
    d1, d2, d3, d4 = (date(2026, 3, n) for n in (1, 2, 3, 4))
    commit = {d: make_commit(f"feat: {d}", at(d, 12)) for d in (d1, d2, d3, d4)}
    store(config, make_record("acme/widgets", d1, [commit[d1]]))
    store(config, make_record("acme/widgets", d3, [commit[d3]]))
    render(config)

    def shown() -> tuple[list[str], list[str]]:
        site = read_feed(config.docs_dir / "feed.xml")
        repo = read_feed(config.docs_dir / "feeds/acme/widgets.xml")
        return [e.link[-11:-1] for e in site.entries], [e.title for e in repo.entries]

    assert shown() == (["2026/03/03", "2026/03/01"], ["🟡 feat: 2026-03-03", "🟡 feat: 2026-03-01"])
    store(config, make_record("acme/widgets", d4, [commit[d4]]))  # the next day
    store(config, make_record("acme/widgets", d2, [commit[d2]]))  # a missed day, filled
    render(config)
    days, titles = shown()
    assert days == ["2026/03/04", "2026/03/03", "2026/03/02", "2026/03/01"]
    assert titles == [f"🟡 feat: {d}" for d in (d4, d3, d2, d1)]


def test_english_feed_labels_and_empty_archive(tmp_path):
    config = load_config(config_file(tmp_path, language="en", repos=("acme/widgets",)))
    render(config)
    feed = read_feed(config.docs_dir / "feed.xml")
    assert feed.entries == [] and "updated" not in feed.feed
    assert feed.feed.language == "en"
    repo = read_feed(config.docs_dir / "feeds/acme/widgets.xml")
    assert repo.feed.subtitle == "Commits of acme/widgets, analysed"
    day = date(2026, 3, 1)
    store(config, make_record("acme/widgets", day, [make_commit("x", at(day, 1), language="en")]))
    render(config)
    assert read_feed(config.docs_dir / "feed.xml").entries[0].title == "Daily report (2026-03-01)"


def test_feed_of_a_repository_no_longer_configured_is_removed(tmp_path):
    config = load_config(config_file(tmp_path, repos=("acme/widgets",)))
    stale = config.docs_dir / "feeds/gone/away.xml"
    stale.parent.mkdir(parents=True)
    stale.write_text("<rss/>", encoding="utf-8")
    render(config)
    assert not stale.exists()
    assert (config.docs_dir / "feeds/acme/widgets.xml").is_file()


# -- text XML cannot carry ---------------------------------------------------------------


def in_memory(config: Config, records: list[DayRecord]) -> Archive:
    """An archive straight from records, for text that a record file could not even hold."""
    return Archive.from_records([repo.name for repo in config.repos], records)


HOSTILE_CHARS = ["\x00", "\x08", "\x0b", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff", "\r"]
HOSTILE_CHARS += ["\x85", "\u2028", "\u202e", "]]>", "&", "<", "\t", "\n", "😀", "ש"]


@settings(max_examples=60, deadline=None)
@given(
    subject=st.lists(st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARS))).map("".join),
    author=st.lists(st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARS))).map("".join),
)
def test_any_text_gives_a_well_formed_feed_showing_it(tmp_path_factory, subject, author):
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
    with tempfile.TemporaryDirectory() as docs:
        render_feeds(
            in_memory(config, [make_record("acme/widgets", day, [commit])]),
            SiteSettings.from_config(config),
            OutputTree(Path(docs)),
        )
        for name in ["feed.xml", "feeds/acme/widgets.xml"]:
            data = (Path(docs) / name).read_bytes()
            data.decode("utf-8")
            ET.fromstring(data)  # well-formed XML 1.0
        item = raw_items(Path(docs) / "feeds/acme/widgets.xml")[0]
        visible = "".join(ch for ch in one_line(subject) if is_xml_char(ch)) or commit.sha[:12]
        assert item.findtext("title") == f"🔴 {visible}"
        creator = item.findtext("{http://purl.org/dc/elements/1.1/}creator")
        assert creator == ("".join(ch for ch in one_line(author) if is_xml_char(ch)) or None)
        summary = "".join(ch for ch in clean(commit.analysis.summary).strip() if is_xml_char(ch))
        assert html.unescape(item.findtext("description")) == summary
    shutil.rmtree(folder)
