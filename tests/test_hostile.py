"""Hostile and odd commit input through the whole job cannot break the site.

Real git repositories carry the corpus in tests/fixtures/hostile_corpus.json
(messages, author names, file paths), the real pipeline reads and renders them,
a real `mkdocs build --strict` builds the site, and every page is read the way a
browser parses it (html5lib, whole document, `<head>` included). A second site
holds odd shapes: 5,000 files in one commit, a 50 MB diff, a binary-only commit,
a quiet repository and a day of 500 commits. Generated subjects and author names
(hypothesis) go through the pipeline and Python-Markdown without a site build.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import html5lib
import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.config import Config, load_config
from generator.models import TIERS, Commit
from generator.pipeline import DayRange, run
from generator.records import load_record
from generator.render import links
from generator.render.i18n import Labels
from generator.render.pages import MAX_FILES_LISTED
from generator.sources.git import split_message
from generator.text import clean, one_line

from gitrepo import GitRepo, git_date, run_git_bytes
from sitebuild import NS, build_site, parse, search_fragments, text_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = json.loads((FIXTURES / "hostile_corpus.json").read_text(encoding="utf-8"))
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 2, 10)
AFTER = datetime(2026, 2, 20, tzinfo=UTC)
REPO = "evil/repo"
EXTENSIONS = ["toc", "tables", "attr_list"]

# What the pages may contain besides the theme's own chrome (taken from 404.html).
CONTENT_TAGS = {
    *(f"h{n}" for n in range(1, 7)),
    *("p", "a", "span", "code", "pre", "ul", "ol", "li", "strong", "em", "hr", "br"),
    *("table", "thead", "tbody", "tr", "th", "td", "blockquote"),
}
NEVER_FROM_INPUT = {"b", "img", "iframe", "object", "embed", "base", "details", "abbr"}
# Blocks the generator writes itself (subscribe lines with a copy button, SVG charts): no
# commit text reaches them, only the site's address, labels, dates and counts. Their
# elements are allowed inside them only, and every attribute check below still applies.
GENERATED_BLOCKS = {"cd-subscribe", "cd-chart"}
GENERATED_TAGS = {"div", "p", "strong", "a", "code", "button"} | {
    f"svg:{tag}" for tag in ("svg", "g", "rect", "line", "text", "title", "a")
}
SVG = "{http://www.w3.org/2000/svg}"
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset"}


# -- helpers ------------------------------------------------------------------------


def write_config(folder: Path, repos: dict[str, Path], language: str = "zh") -> tuple[Config, Path]:
    lines = [
        "site_url: https://example.org/digest/",
        "timezone: Asia/Shanghai",
        f"language: {language}",
        "repos:",
    ]
    for name, path in repos.items():
        lines += [f"  - name: {name}", "    branch: main", f"    path: {path}"]
    config_file = folder / "digest.yml"
    config_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(config_file), config_file


def tag_of(element) -> str:
    return str(element.tag).replace(NS, "").replace(SVG, "svg:")


def generated_blocks(doc) -> set:
    """The elements of the generator's own blocks, the blocks included."""
    found = set()
    for block in doc.iter():
        if isinstance(block.tag, str) and GENERATED_BLOCKS & set(block.get("class", "").split()):
            found |= set(block.iter())
    return found


def injected(doc, chrome: set[str], content=None) -> list[str]:
    """Elements and attributes of a parsed page that commit text could have introduced.

    Inside the page's content (`<article>`, or `content`) only the elements Markdown
    makes are allowed; outside it, only those the theme puts on every page (`chrome`).
    """
    content = article(doc) if content is None else content
    inside = set(content.iter()) if content is not None else set()
    generated = generated_blocks(content) if content is not None else set()
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        tag = tag_of(el)
        allowed = CONTENT_TAGS | {"nav"} if el in inside and el is not content else chrome
        if el in generated:
            allowed = GENERATED_TAGS
        if tag not in allowed or tag in NEVER_FROM_INPUT:
            found.append(f"<{tag}>")
        if tag in {"script", "style"} and re.search(r"PWN|alert|evil", el.text or ""):
            found.append(f"<{tag}> {(el.text or '')[:80]!r}")
        for name, value in el.attrib.items():
            name = str(name).replace(NS, "")
            plain = re.sub(r"[\x00-\x20]", "", str(value)).lower()
            if name.startswith("on") or name in {"data-toc-label", "markdown"}:
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRS and plain.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"<{tag} {name}={value!r}>")
            if "evil.example" in plain or ("pwn" in plain and name not in {"id", "href"}):
                found.append(f"<{tag} {name}={value!r}>")
            if name == "href" and "pwn" in plain and not plain.startswith("#"):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def head_signature(doc) -> set[tuple]:
    """What the `<head>` holds: each element with the attributes that say what it is."""
    kinds = ("name", "rel", "http-equiv", "property", "charset")
    return {
        (tag_of(el), tuple(sorted(el.attrib)), tuple(el.get(k) for k in kinds))
        for el in doc.find(f"{NS}head")
        if isinstance(el.tag, str)
    }


def article(doc):
    return doc.find(f".//{NS}article")


def heading_text(element) -> str:
    """A heading's text, without a permalink mark (`a.headerlink`) should the theme add one:
    a subject that is itself `¶` stays `¶`."""
    parts = [element.text or ""]
    for child in element:
        if "headerlink" not in (child.get("class") or ""):
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def file_table(doc) -> tuple[set[str], list[list[str]]]:
    """A commit page's file table: its folders (a row with a folder and no counts above the
    folder's files) and a row per file."""
    folders, files = set(), []
    for tr in doc.iterfind(f".//{NS}tbody/{NS}tr"):
        cells = [text_of(td) for td in tr]
        if cells[1:] == ["", ""] and tr[0].find(f"{NS}code") is not None:
            folders.add(cells[0])
        else:
            files.append(cells)
    return folders, files


def tables_keep_their_columns(doc) -> list[str]:
    """Every row of every table has as many cells as its header row."""
    broken = []
    for table in doc.iter(f"{NS}table"):
        rows = list(table.iter(f"{NS}tr"))
        width = len(rows[0])
        broken += [text_of(tr)[:80] for tr in rows[1:] if len(tr) != width]
    return broken


def day_rows(doc) -> dict[str, list]:
    """The day tables' rows by the 12-digit sha of the commit page they link."""
    rows = {}
    for tr in doc.iter(f"{NS}tr"):
        cells = tr.findall(f"{NS}td")
        found = cells[2].find(f"{NS}a") if len(cells) == 3 else None
        href = found.get("href", "") if found is not None else ""
        sha = re.search(r"/([0-9a-f]{12})(?:/|\.md)", href)
        if sha:
            rows[sha.group(1)] = cells
    return rows


def shown_subject(subject: str, sha: str) -> str:
    """What pages show for a subject: it, or the short sha when nothing printable is left."""
    return one_line(subject) or sha[:12]


def shown_author(name: str, email: str) -> str:
    """What pages show for an author: the name, or the email when the name is empty."""
    return one_line(name) or one_line(email)


def shown_body(body: str) -> str:
    """The text of the indented code block holding a commit's message body."""
    lines = clean(body).expandtabs(4).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


def git_field(repo: GitRepo, sha: str, placeholder: str) -> str:
    out = run_git_bytes(repo.path, "show", "-s", f"--format={placeholder}", sha)
    return out.decode("utf-8", "replace").removesuffix("\n")


def corpus_files(n: int, entry: dict) -> dict[str, str]:
    paths = entry.get("paths") or ([] if entry.get("allow_empty") else [f"plain/{entry['id']}"])
    return {path: f"{entry['id']} {n}\n" for path in paths}


def corpus_message(entry: dict) -> tuple[str, bytes | None]:
    if "bytes" in entry:
        return "", bytes.fromhex(entry["bytes"])
    subject = entry["message"] if "message" in entry else entry["repeat"][0] * entry["repeat"][1]
    body = entry.get("body", "")
    if "repeat_body" in entry:
        body = entry["repeat_body"][0] * entry["repeat_body"][1]
    return subject + (f"\n\n{body}" if body else ""), None


# -- the hostile corpus site -----------------------------------------------------------


def build_corpus_repo(path: Path) -> tuple[GitRepo, list[dict]]:
    """One commit per corpus entry on DAY; returns each commit with what git stored."""
    repo = GitRepo.init(path)
    repo.commit("root", files={"README.md": "root\n"}, committed="2026-02-01T09:00:00+08:00")
    authors = CORPUS["authors"]
    made = []
    for n, entry in enumerate(CORPUS["commits"]):
        when = datetime(2026, 2, 10, 9, 0, tzinfo=SHANGHAI) + timedelta(minutes=n)
        if "author" in entry:
            author = (entry["author"], entry.get("email", f"a{n}@example.org"))
        else:
            author = (authors[n % len(authors)], f"a{n}@example.org")
        message, raw = corpus_message(entry)
        files = corpus_files(n, entry)
        sha = repo.commit(
            message,
            files=files,
            committed=when,
            author=author,
            message_bytes=raw,
            encoding=entry.get("encoding"),
            allow_empty=entry.get("allow_empty", False),
        )
        made.append(
            {
                "entry": entry,
                "sha": sha,
                "paths": sorted(files),
                "subject": entry.get("expect_subject", None),
                "git_subject": git_field(repo, sha, "%s"),
                "git_body": git_field(repo, sha, "%b"),
                "author": git_field(repo, sha, "%an"),
                "email": git_field(repo, sha, "%ae"),
            }
        )
        if made[-1]["subject"] is None:
            made[-1]["subject"] = made[-1]["git_subject"]
    return repo, made


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    started = time.monotonic()
    _, made = build_corpus_repo(tmp / "clone")
    config, _ = write_config(tmp, {REPO: tmp / "clone"})
    made_at = time.monotonic()
    summary = run(config, DayRange(DAY, DAY), now=lambda: AFTER)
    ran_at = time.monotonic()
    result = build_site(config, tmp / "site")
    built_at = time.monotonic()
    print(
        f"\n[corpus] {len(made)} commits: git {made_at - started:.1f} s, "
        f"pipeline {ran_at - made_at:.1f} s, mkdocs {built_at - ran_at:.1f} s"
    )
    record = load_record(config.data_dir, REPO, DAY)
    assert record is not None
    commits = {c.sha: c for c in record.commits}
    return {
        "site": tmp / "site",
        "made": made,
        "summary": summary,
        "result": result,
        "commits": commits,
    }


@pytest.fixture(scope="module")
def chrome(corpus_site) -> tuple[set[str], set[tuple]]:
    """The theme's own elements and `<head>`, from the page no commit text reaches."""
    page = parse(corpus_site["site"] / "404.html")
    head = head_signature(page) | {
        ("link", ("href", "rel"), (None, rel, None, None, None))
        for rel in ("canonical", "prev", "next")
    }
    head.add(("meta", ("content", "name"), ("description", None, None, None, None)))
    # Commit and day pages ask the site's script to add the theme's settings (its #__config).
    head.add(("script", ("data-config", "src"), (None, None, None, None, None)))
    return {tag_of(el) for el in page.iter() if isinstance(el.tag, str)}, head


def by_case(corpus_site, case: str) -> dict:
    return next(m for m in corpus_site["made"] if m["entry"]["id"] == case)


def commit_doc(site: Path, sha: str):
    return parse(site / f"commits/{REPO}/{sha[:12]}/index.html")


def test_corpus_is_big_enough():
    assert len(CORPUS["commits"]) >= 60
    assert len({e["id"] for e in CORPUS["commits"]}) == len(CORPUS["commits"])
    assert sum(len(e.get("paths", ())) for e in CORPUS["commits"]) >= 20


def test_git_commit_refuses_a_nul_byte_in_a_message(tmp_path):
    repo = GitRepo.init(tmp_path / "r")
    with pytest.raises(AssertionError, match="NUL byte in commit log message not allowed"):
        repo.commit("nul\x00byte", allow_empty=True)


def test_every_corpus_commit_is_recorded_as_git_stored_it(corpus_site):
    summary, commits = corpus_site["summary"], corpus_site["commits"]
    assert summary.failures == []
    assert summary.commits == len(corpus_site["made"]) == len(commits)
    for made in corpus_site["made"]:
        case, commit = made["entry"]["id"], commits[made["sha"]]
        assert commit.subject == made["subject"], case
        if "bytes" not in made["entry"]:
            assert commit.body == made["git_body"].rstrip(), case
        assert commit.author.name == made["author"], case
        assert sorted(f.path for f in commit.files) == made["paths"], case


def test_git_shows_bytes_messages_otherwise(corpus_site):
    """Where git is no oracle: %s stops at a NUL; `git commit` calls U+FFFE/U+FFFF/U+10FFFF
    invalid UTF-8 and stores the message re-encoded as if it were Latin-1."""
    shown = {m["entry"]["id"]: m["git_subject"] for m in corpus_site["made"]}
    assert shown["nul"] == "nul"
    assert shown["noncharacters"].startswith("non\u00ef\u00bf\u00be")
    assert (
        corpus_site["commits"][by_case(corpus_site, "nul")["sha"]].subject
        == "nul\x00 byte <b>x</b>"
    )


def test_a_line_of_unicode_spaces_does_not_end_the_subject(corpus_site):
    made = by_case(corpus_site, "ideographic-space-line")
    assert made["git_subject"] == "subject line \u3000 second paragraph?"
    assert corpus_site["commits"][made["sha"]].subject == made["git_subject"]


def test_strict_build_passes_without_warnings(corpus_site):
    result = corpus_site["result"]
    assert "WARNING" not in result.log, result.log


def test_the_checks_see_injected_markup(chrome):
    """The checks below are not vacuous: a page with each kind of injection fails them."""
    tags, head = chrome
    page = html5lib.parse(
        "<html><head><title>t</title><meta http-equiv=refresh content=0></head><body>"
        "<article><p>x<b>y</b><img src=x onerror=alert(1)><a href=' javascript:x'>a</a></p>"
        "<h4 id=a onclick=x>h</h4><span data-toc-label=x></span>"
        "<table><tr><th>1</th><th>2</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>"
        "</article><script>alert('PWN')</script></body></html>"
    )
    assert injected(page, tags) == [
        "<b>",
        "<img>",
        "<img onerror='alert(1)'>",
        "<a href=' javascript:x'>",
        "<h4 onclick='x'>",
        "<span data-toc-label='x'>",
        "<script> \"alert('PWN')\"",
    ]
    assert tables_keep_their_columns(page) == ["123"]
    # Inside the generator's own blocks the same checks hold, and nothing but their elements.
    block = html5lib.parse(
        '<html><body><article><div class="cd-chart"><svg><rect onclick="x"/>'
        '<a href="javascript:x"><title>t</title></a></svg><img src=x><b>b</b></div>'
        "<p>x<button>b</button></p></article></body></html>"
    )
    assert injected(block, tags) == [
        "<svg:rect onclick='x'>",
        "<svg:a href='javascript:x'>",
        "<img>",
        "<b>",
        "<button>",
    ]
    assert head_signature(page) - head == {
        ("meta", ("content", "http-equiv"), (None, None, "refresh", None, None))
    }


def test_no_page_carries_markup_from_commit_text(corpus_site, chrome):
    tags, head = chrome
    pages = sorted(corpus_site["site"].rglob("*.html"))
    assert len(pages) >= len(corpus_site["made"]) + 4
    found = {}
    for page in pages:
        doc = parse(page)
        problems = injected(doc, tags) + tables_keep_their_columns(doc)
        problems += [f"<head> {extra}" for extra in head_signature(doc) - head]
        problems += [] if len(doc.findall(f"{NS}head/{NS}title")) == 1 else ["<title> count"]
        if problems:
            found[str(page.relative_to(corpus_site["site"]))] = problems
    assert found == {}


def test_day_table_has_three_columns_and_shows_the_text(corpus_site):
    doc = parse(corpus_site["site"] / "daily/2026/02/10/index.html")
    rows = day_rows(doc)
    assert len(rows) == len(corpus_site["made"])
    for made in corpus_site["made"]:
        cells = rows[made["sha"][:12]]
        assert len(cells) == 3, made["entry"]["id"]
        author = shown_author(made["author"], made["email"])
        assert text_of(cells[1]) == author, made["entry"]["id"]
        subject = corpus_site["commits"][made["sha"]].subject
        assert text_of(cells[2]) == shown_subject(subject, made["sha"]), made["entry"]["id"]
        link = cells[2].find(f"{NS}a")
        assert link.get("href") == f"../../../../commits/{REPO}/{made['sha'][:12]}/"


def test_day_headings_keep_their_id(corpus_site):
    doc = parse(corpus_site["site"] / "daily/2026/02/10/index.html")
    headings = {h.get("id"): h for h in article(doc).iter(f"{NS}h4")}
    toc = [a.get("href") for a in doc.iterfind(f".//{NS}*[@data-md-component='toc']//{NS}a")]
    for made in corpus_site["made"]:
        anchor = f"evil-repo-{made['sha'][:12]}"
        heading = headings[anchor]
        assert set(heading.keys()) == {"id"}, made["entry"]["id"]
        subject = shown_subject(corpus_site["commits"][made["sha"]].subject, made["sha"])
        assert heading_text(heading) == subject, made["entry"]["id"]
        # The table of contents lists the repository and its tiers, not each commit.
        assert f"#{anchor}" not in toc
    assert toc[0] == "#evilrepo" and len(toc) <= 1 + len(TIERS)


def test_commit_pages_show_subject_author_body_and_files_as_text(corpus_site):
    labels = Labels("zh")
    commits = corpus_site["commits"]
    for made in corpus_site["made"]:
        case, sha, commit = made["entry"]["id"], made["sha"], commits[made["sha"]]
        doc = commit_doc(corpus_site["site"], sha)
        shown = shown_subject(commit.subject, sha)
        assert text_of(doc.find(f"{NS}head/{NS}title")).startswith(shown), case
        # No description: its title says more (overrides/main.html).
        assert doc.find(f"{NS}head/{NS}meta[@name='description']") is None, case
        assert heading_text(article(doc).find(f".//{NS}h1")) == shown, case
        facts = {
            text_of(li.find(f"{NS}strong")).rstrip(":"): text_of(li).split(": ", 1)[1]
            for li in article(doc).iterfind(f"{NS}ul/{NS}li")
            if li.find(f"{NS}strong") is not None
        }
        assert facts[labels("author")] == one_line(made["author"] or made["email"]), case
        pre = article(doc).find(f".//{NS}pre")
        if commit.body.strip():
            assert text_of(pre) == shown_body(commit.body), case
        else:
            assert pre is None, case
        modules, rows = file_table(article(doc))
        files = sorted(row[0] for row in rows)
        expected = sorted(one_line(p.rsplit("/", 1)[-1]) for p in made["paths"])
        assert files == expected, case
        assert modules == {
            one_line(p.rsplit("/", 1)[0]) if "/" in p else "/" for p in made["paths"]
        }


def test_the_search_index_holds_every_commit_as_the_page_shows_it(corpus_site):
    site = corpus_site["site"]
    fragments = {f["url"]: f for f in search_fragments(site)}
    for made in corpus_site["made"]:
        fragment = fragments[f"/commits/{REPO}/{made['sha'][:12]}/"]
        shown = heading_text(article(commit_doc(site, made["sha"])).find(f".//{NS}h1"))
        # Text, as the page shows it; the search box prints it as text (test_search_browser).
        assert " ".join(fragment["meta"]["title"].split()) == " ".join(shown.split()), made


def test_a_subject_with_noncharacters_keeps_its_front_matter(corpus_site):
    made = by_case(corpus_site, "noncharacters-raw")
    doc = commit_doc(corpus_site["site"], made["sha"])
    assert doc.find(f"{NS}head/{NS}title").text.startswith(one_line(made["subject"])[:20])
    assert heading_text(article(doc).find(f".//{NS}h1")) == one_line(made["subject"])
    assert "description:" not in text_of(article(doc))


def test_every_day_table_link_has_visible_text(corpus_site):
    rows = day_rows(parse(corpus_site["site"] / "daily/2026/02/10/index.html"))
    blank = [
        m["entry"]["id"] for m in corpus_site["made"] if not text_of(rows[m["sha"][:12]][2]).strip()
    ]
    assert blank == []


def test_a_subject_of_dropped_characters_still_titles_its_page(corpus_site):
    made = by_case(corpus_site, "controls-only")
    doc = commit_doc(corpus_site["site"], made["sha"])
    assert heading_text(article(doc).find(f".//{NS}h1"))
    assert not text_of(doc.find(f"{NS}head/{NS}title")).startswith("Commit Digest")


# -- odd shapes ------------------------------------------------------------------------

ODD, QUIET = "odd/shapes", "odd/quiet"
BIG_DAY, BUSY_DAY = date(2026, 2, 11), date(2026, 2, 12)
MANY_FILES = 5_000
BIG_LINES = 1 << 20  # 1,048,576 lines of 50 bytes: 50 MiB
BUSY_COMMITS = 500


def fast_import_commit(message: str, when: datetime, files: dict[str, bytes]) -> bytes:
    data = message.encode()
    stamp = git_date(when)[1:].encode()
    out = [
        b"commit refs/heads/main\n",
        b"author A U Thor <author@example.com> " + stamp + b"\n",
        b"committer C O Mitter <committer@example.com> " + stamp + b"\n",
        b"data %d\n" % len(data) + data + b"\n",
    ]
    for path, content in files.items():
        out.append(b"M 100644 inline " + path.encode() + b"\ndata %d\n" % len(content))
        out += [content, b"\n"]
    return b"".join(out)


def at(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI) + timedelta(minutes=minute)


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("odd")
    timings: dict[str, float] = {}
    started = time.monotonic()
    shapes = GitRepo.init(tmp / "shapes", bare=True)
    big = b"".join(b"%049d\n" % n for n in range(BIG_LINES))
    many = {f"many/d{n % 50:02d}/f{n:04d}.txt": b"x\n" for n in range(MANY_FILES)}
    binary = {"bin/blob.bin": bytes(range(256)) * 8, "bin/pixel.png": b"\x89PNG\r\n\x1a\n\0\0"}
    stream = [
        fast_import_commit("root", datetime(2026, 2, 1, tzinfo=UTC), {"README.md": b"hi\n"}),
        fast_import_commit("feat: touch 5000 files", at(BIG_DAY, 0), many),
        fast_import_commit("chore: binary only", at(BIG_DAY, 1), binary),
        fast_import_commit("data: a 50 MB file", at(BIG_DAY, 2), {"big/huge.txt": big}),
    ]
    kinds = ["feat", "fix", "docs", "test", "chore"]
    stream += [
        fast_import_commit(
            f"{kinds[n % 5]}: busy change {n} (#{n + 1})",
            at(BUSY_DAY, 0) + timedelta(seconds=n),
            {f"busy/f{n % 7}.txt": b"%d\n" % n},
        )
        for n in range(BUSY_COMMITS)
    ]
    shapes.fast_import(b"".join(stream))
    del big, stream
    quiet = GitRepo.init(tmp / "quiet")
    quiet.commit("only commit, before the window", files={"a": "a\n"}, committed=at(DAY, 0))
    config, _ = write_config(tmp, {ODD: tmp / "shapes", QUIET: tmp / "quiet"}, "en")
    timings["git"] = time.monotonic() - started
    mark = time.monotonic()
    big_summary = run(config, DayRange(BIG_DAY, BIG_DAY), now=lambda: AFTER)
    timings["pipeline, big day (5000 files, binary, 50 MB)"] = time.monotonic() - mark
    mark = time.monotonic()
    busy_summary = run(config, DayRange(BUSY_DAY, BUSY_DAY), now=lambda: AFTER)
    timings["pipeline + render, 500-commit day"] = time.monotonic() - mark
    mark = time.monotonic()
    result = build_site(config, tmp / "site")
    timings["mkdocs build"] = time.monotonic() - mark
    print("\n[odd] " + ", ".join(f"{k}: {v:.1f} s" for k, v in timings.items()))
    return {
        "config": config,
        "site": tmp / "site",
        "result": result,
        "summaries": (big_summary, busy_summary),
        "timings": timings,
        "big": load_record(config.data_dir, ODD, BIG_DAY),
        "busy": load_record(config.data_dir, ODD, BUSY_DAY),
    }


def by_subject(record, prefix: str) -> Commit:
    return next(c for c in record.commits if c.subject.startswith(prefix))


def test_odd_shapes_build_strictly(odd_site):
    result = odd_site["result"]
    assert [s.failures for s in odd_site["summaries"]] == [[], []]
    assert [s.commits for s in odd_site["summaries"]] == [3, BUSY_COMMITS]
    assert "WARNING" not in result.log, result.log


def test_a_commit_of_5000_files_lists_the_cap_and_counts_the_rest(odd_site):
    commit = by_subject(odd_site["big"], "feat: touch")
    assert len(commit.files) == MANY_FILES
    page = odd_site["site"] / f"commits/{ODD}/{commit.sha[:12]}/index.html"
    size = page.stat().st_size
    print(f"\n[odd] 5000-file commit page: {size:,} bytes")
    assert size < 120_000
    doc = parse(page)
    _, rows = file_table(article(doc))
    assert len(rows) == MAX_FILES_LISTED
    assert tables_keep_their_columns(article(doc)) == []
    text = text_of(article(doc))
    assert f"Files changed ({MANY_FILES})" in text
    assert f"{MANY_FILES - MAX_FILES_LISTED} more files not listed." in text


def test_binary_only_commit_shows_no_line_counts(odd_site):
    commit = by_subject(odd_site["big"], "chore: binary")
    assert [(f.path, f.binary, f.additions) for f in commit.files] == [
        ("bin/blob.bin", True, 0),
        ("bin/pixel.png", True, 0),
    ]
    doc = parse(odd_site["site"] / f"commits/{ODD}/{commit.sha[:12]}/index.html")
    assert file_table(article(doc)) == (
        {"bin"},
        [["blob.bin", "binary", "binary"], ["pixel.png", "binary", "binary"]],
    )


def test_a_50_mb_diff_is_counted(odd_site):
    commit = by_subject(odd_site["big"], "data: a 50 MB")
    assert [(f.path, f.additions, f.deletions) for f in commit.files] == [
        ("big/huge.txt", BIG_LINES, 0)
    ]
    doc = parse(odd_site["site"] / f"commits/{ODD}/{commit.sha[:12]}/index.html")
    assert file_table(article(doc)) == ({"big"}, [["huge.txt", str(BIG_LINES), "0"]])


def test_a_day_of_500_commits_lists_every_one(odd_site):
    record = odd_site["busy"]
    assert len(record.commits) == BUSY_COMMITS
    page = odd_site["site"] / "daily/2026/02/12/index.html"
    print(f"\n[odd] 500-commit day page: {page.stat().st_size:,} bytes")
    doc = parse(page)
    rows = day_rows(doc)
    assert len(rows) == BUSY_COMMITS
    assert all(len(cells) == 3 for cells in rows.values())
    shown = {sha: text_of(cells[2]) for sha, cells in rows.items()}
    assert shown == {c.sha[:12]: c.subject for c in record.commits}
    tiers = Counter(c.analysis.tier for c in record.commits if c.analysis)
    stats = Labels("en")("stats", total=BUSY_COMMITS, **{t: tiers[t] for t in TIERS})
    quotes = [text_of(q).strip() for q in article(doc).iter(f"{NS}blockquote")]
    assert stats in quotes
    for commit in record.commits:
        assert (odd_site["site"] / f"commits/{ODD}/{commit.sha[:12]}/index.html").is_file()


def test_a_repository_quiet_on_the_day_says_so(odd_site):
    record = load_record(odd_site["config"].data_dir, QUIET, BIG_DAY)
    assert record is not None and record.complete and record.commits == ()
    doc = parse(odd_site["site"] / "daily/2026/02/11/index.html")
    headings = [heading_text(h) for h in article(doc).iter(f"{NS}h2")]
    assert headings == [ODD, QUIET]
    assert "No commits this day." in [text_of(p) for p in article(doc).iter(f"{NS}p")]


def test_a_brand_new_repository_without_commits_is_an_empty_history(tmp_path):
    """A repository created but never pushed to has no branch yet: its days are recorded
    as complete and empty, and the other repositories of the config are not held up."""
    GitRepo.init(tmp_path / "empty")
    good = GitRepo.init(tmp_path / "good")
    good.commit("a commit on the day", files={"a": "a\n"}, committed=at(DAY, 0))
    repos = {"old/good": tmp_path / "good", "new/empty": tmp_path / "empty"}
    config, _ = write_config(tmp_path, repos)
    summary = run(config, DayRange(DAY, DAY), now=lambda: AFTER)
    assert summary.failures == [] and summary.commits == 1
    empty = load_record(config.data_dir, "new/empty", DAY)
    assert empty is not None and empty.complete and empty.commits == ()


# -- generated subjects and author names -----------------------------------------------

HOSTILE_BITS = [
    *"<>&|[](){}#!*_`\\~^=-+.:;\"'\n\t\r\x00\x1b\x85\u2028\u202e\u2066\ufeff",
    "<script>",
    "javascript:",
    "{{ x }}",
    "{% if %}",
    "{#",
    "{: onclick=x }",
    "!!! note",
    '--8<-- "x"',
    "<!--",
    "]]>",
    "&amp;",
    "1. ",
    "- ",
    "# ",
    "```",
    "    ",
    "|---|",
    "🔥",
    "עברית",
]
CHARACTERS = st.characters(exclude_categories=["Cs"])
TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE_BITS), st.text(CHARACTERS)), max_size=8).map(
    "".join
)
# A git ident cannot hold '<', '>' or a newline (they end the name); NUL ends the header.
NAME = TEXT.map(lambda s: re.sub(r"[<>\n\x00]", "", s))


def front_matter(md_text: str) -> tuple[str, dict]:
    """The page's Markdown and front matter, split as MkDocs splits them."""
    assert md_text.startswith("---\n")
    body, meta = get_data(md_text)
    assert meta, md_text[:300]
    return body, meta


def to_html(md_text: str):
    body, meta = front_matter(md_text)
    converter = markdown.Markdown(extensions=EXTENSIONS)
    return html5lib.parse(converter.convert(body)), meta


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(st.tuples(TEXT, NAME), min_size=1, max_size=8))
@example([("plain", "Ann"), ("", ""), ("\u202e\x01", "x"), ("a\n\nbody | x", "<b>")])
@example([("¶", "")])  # a subject that is a permalink mark (found by Hypothesis)
def test_generated_subjects_and_authors_render_literally(commits):
    commits = [(message, re.sub(r"[<>\n\x00]", "", name)) for message, name in commits]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        repo = GitRepo.init(tmp / "clone")
        shas = []
        for n, (message, name) in enumerate(commits):
            when = datetime(2026, 2, 10, 9, 0, tzinfo=SHANGHAI) + timedelta(minutes=n)
            shas.append(
                repo.commit(
                    message_bytes=message.encode(),
                    author=(name, "gen@example.org"),
                    committed=when,
                    allow_empty=True,
                )
            )
        config, _ = write_config(tmp, {REPO: tmp / "clone"})
        summary = run(config, DayRange(DAY, DAY), now=lambda: AFTER)
        assert summary.failures == [] and summary.commits == len(commits)

        day_md = (config.docs_dir / links.day_page(DAY)).read_text("utf-8")
        doc, meta = to_html(day_md)
        assert injected(doc, {"html", "head", "body"}, doc.find(f"{NS}body")) == []
        assert tables_keep_their_columns(doc) == []
        rows = day_rows(doc)
        assert len(rows) == len(commits)
        for sha, (message, name) in zip(shas, commits, strict=True):
            subject, body = split_message(message)
            cells = rows[sha[:12]]
            assert len(cells) == 3
            assert text_of(cells[1]) == shown_author(name, "gen@example.org")
            assert text_of(cells[2]) == shown_subject(subject, sha)

            page_md = (config.docs_dir / links.commit_page(REPO, sha)).read_text("utf-8")
            page, meta = to_html(page_md)
            assert injected(page, {"html", "head", "body"}, page.find(f"{NS}body")) == []
            shown = shown_subject(subject, sha)
            assert meta["title"] == html.escape(shown, quote=True)
            h1 = page.find(f".//{NS}h1")
            assert heading_text(h1) == shown
            pre = page.find(f".//{NS}pre")
            assert text_of(pre) == shown_body(body) if body.strip() else pre is None


def path_component(text: str) -> str:
    return re.sub(r"[/\x00]", "", text)


# A path component is any bytes but '/' and NUL; git refuses '.', '..' and '.git'
# (and, to protect other file systems, lookalikes such as 'git~1'), so none has "git".
COMPONENT = TEXT.map(path_component).filter(
    lambda c: c not in {"", ".", ".."} and "git" not in c.lower() and len(c.encode()) < 200
)
PATH = st.lists(COMPONENT, min_size=1, max_size=3).map("/".join)


def without_prefix_clashes(paths: list[str]) -> list[str]:
    """Paths that can exist together: none is a folder of another."""
    kept: list[str] = []
    for path in paths:
        clash = any(k.startswith(path + "/") or path.startswith(k + "/") for k in kept)
        if path not in kept and not clash:
            kept.append(path)
    return kept


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(PATH, min_size=1, max_size=6).map(without_prefix_clashes))
@example(["<b>x</b>/a|b.py", "{{ x }}/` `.md", "new\nline/\u202e.txt", "1. x/- y"])
def test_generated_paths_render_literally(paths):
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        repo = GitRepo.init(tmp / "clone")
        sha = repo.commit("paths", files=dict.fromkeys(paths, "x\n"), committed=at(DAY, 0))
        config, _ = write_config(tmp, {REPO: tmp / "clone"})
        assert run(config, DayRange(DAY, DAY), now=lambda: AFTER).failures == []

        page, _ = to_html((config.docs_dir / links.commit_page(REPO, sha)).read_text("utf-8"))
        assert injected(page, {"html", "head", "body"}, page.find(f"{NS}body")) == []
        assert tables_keep_their_columns(page) == []
        modules, rows = file_table(page)
        assert sorted(rows) == sorted([one_line(p.rsplit("/", 1)[-1]), "1", "0"] for p in paths)
        assert modules == {one_line(p.rsplit("/", 1)[0]) if "/" in p else "/" for p in paths}
