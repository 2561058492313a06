"""Topics on the pages, in the feeds and in the search index, from a real repository through
the real pipeline and a real MkDocs and Pagefind build.

A commit page shows its topics as chips under the badges (each a value of the search's
`topic` filter), its entry on the day page the same chips; Pagefind indexes the chips' text
but not their label; the feeds carry the topics as categories. A glossary entry from the
config is text wherever it shows, however hostile.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import html5lib
import markdown
import pytest

from generator.config import load_config
from generator.pipeline import run
from generator.records import load_record
from generator.render.i18n import Labels
from generator.render.topics import TopicChips
from generator.site.search import MANIFEST

from gitrepo import GitRepo
from sitebuild import NS, build_site, parse, search_fragments, text_of

AFTER = datetime(2026, 3, 3, tzinfo=UTC)
REPO = "o/r"
HOSTILE_ZH = "<script>window.pwned='topic'</script>&amp;"
EXTENSIONS = ["toc", "tables", "attr_list"]  # mkdocs.yml's
HOSTILE_TERM = '<img src=x onerror="window.pwned=1"> [x](javascript:alert(1)) {{ 7*7 }}'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("topics-site")
    repo = GitRepo.init(folder / "clone")
    repo.commit(
        "[Quant] Add FP8 block-wise GEMM kernels for MoE (#101)",
        {"python/pkg/layers/quantization/fp8.py": "x = 1\n" * 30},
        committed="2026-03-02T10:00:00+08:00",
    )
    repo.commit(
        "Fix the evilword parser",
        {"python/pkg/parser.py": "y = 2\n"},
        committed="2026-03-02T11:00:00+08:00",
    )
    repo.commit("Tidy up", {"notes.txt": "z\n"}, committed="2026-03-02T12:00:00+08:00")
    config = {
        "site_url": "https://example.org/d/",
        "language": "zh",
        "repos": [{"name": REPO, "branch": "main", "path": "clone"}],
        "glossary": [{"term": HOSTILE_TERM, "zh": HOSTILE_ZH, "variants": ["evilword"]}],
    }
    (folder / "digest.yml").write_text(json.dumps(config), encoding="utf-8")
    config = load_config(folder / "digest.yml")
    run(config, now=lambda: AFTER)
    site = build_site(config, folder / "site").site_dir
    record = load_record(config.data_dir, REPO, AFTER.date().replace(day=2))
    shas = {c.subject.split()[0]: c.sha for c in record.commits}
    return config, site, shas


def parse_fragment(html: str):
    return html5lib.parse(html)


def commit_html(site: Path, sha: str):
    return parse(site / f"commits/{REPO}/{sha[:12]}/index.html")


def topic_line(element):
    return next(
        (p for p in element.iter(f"{NS}p") if "cd-topics" in (p.get("class") or "").split()),
        None,
    )


def chips(line) -> list[str]:
    return [text_of(span) for span in line.iter(f"{NS}span")]


def test_a_commit_page_shows_its_topics_under_the_badges(built):
    _, site, shas = built
    article = commit_html(site, shas["[Quant]"]).find(f".//{NS}article")
    paragraphs = list(article.iter(f"{NS}p"))
    line = topic_line(article)
    badges = paragraphs[paragraphs.index(line) - 1]
    assert "cd-tier-" in (badges.find(f"{NS}span").get("class") or "")
    assert text_of(line.find(f"{NS}strong")) == "主题"
    assert chips(line) == ["量化", "矩阵乘", "算子", "混合专家"]
    assert {span.get("data-pagefind-filter") for span in line.iter(f"{NS}span")} == {"topic"}
    # A commit without topics has no line.
    assert topic_line(commit_html(site, shas["Tidy"]).find(f".//{NS}article")) is None


def test_a_day_page_entry_shows_the_same_chips(built):
    _, site, shas = built
    day = parse(site / "daily/2026/03/02/index.html")
    article = day.find(f".//{NS}article")
    lines = [p for p in article.iter(f"{NS}p") if "cd-topics" in (p.get("class") or "")]
    assert [chips(line) for line in lines] == [[HOSTILE_ZH], ["量化", "矩阵乘", "算子", "混合专家"]]
    # Plain chips there: a day page is no value of the topic filter.
    assert not [s for line in lines for s in line.iter(f"{NS}span") if s.attrib]
    # Each under its commit's heading.
    headings = [h for h in article.iter(f"{NS}h4")]
    assert [h.get("id", "").split("-")[-1] for h in headings] == [
        shas["Tidy"][:12], shas["Fix"][:12], shas["[Quant]"][:12]
    ]  # fmt: skip


def test_a_hostile_glossary_entry_is_text_on_every_page(built):
    _, site, shas = built
    for path in [
        site / f"commits/{REPO}/{shas['Fix'][:12]}/index.html",
        site / "daily/2026/03/02/index.html",
    ]:
        html = path.read_text(encoding="utf-8")
        assert "window.pwned" not in "".join(text_of(s) for s in parse(path).iter(f"{NS}script"))
        assert not list(parse(path).find(f".//{NS}article").iter(f"{NS}img"))
        assert "&lt;script&gt;window.pwned='topic'&lt;/script&gt;&amp;amp;" in html
    line = topic_line(commit_html(site, shas["Fix"]).find(f".//{NS}article"))
    assert chips(line) == [HOSTILE_ZH]
    manifest = json.loads((site / "pagefind" / MANIFEST).read_text(encoding="utf-8"))
    assert HOSTILE_ZH in manifest["filters"]["topic"]


def test_an_english_archive_shows_a_hostile_term_as_text():
    line = TopicChips(Labels("en")).line([HOSTILE_TERM], commit_page=True)
    html = markdown.markdown(f"para\n\n{line}\n\nafter", extensions=EXTENSIONS)
    doc = parse_fragment(html)
    (chip,) = [s for s in doc.iter(f"{NS}span")]
    assert text_of(chip) == HOSTILE_TERM
    assert [el.tag.replace(NS, "") for el in doc.iter() if isinstance(el.tag, str)] == [
        "html", "head", "body", "p", "p", "strong", "span", "p"
    ]  # fmt: skip


def test_search_indexes_the_chips_and_offers_the_topic_filter(built):
    _, site, shas = built
    fragments = {f["url"]: f for f in search_fragments(site)}
    quant = fragments[f"/commits/{REPO}/{shas['[Quant]'][:12]}/"]
    assert quant["filters"]["topic"] == ["量化", "矩阵乘", "算子", "混合专家"]
    assert "量化" in quant["content"].replace("\u200b", "")
    assert "主题" not in quant["content"].replace("\u200b", "")  # the label is not searched
    day = fragments["/daily/2026/03/02/"]
    assert "topic" not in day["filters"] and "量化" in day["content"].replace("\u200b", "")
    manifest = json.loads((site / "pagefind" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["filters"]["topic"] == ["混合专家", "矩阵乘", "算子", "量化", HOSTILE_ZH]
    assert manifest["text"]["topic"] == "主题"
    # Another Chinese name of a topic in the archive is searched as the topic's name.
    assert manifest["synonyms"]["内核"] == "算子"
    assert manifest["synonyms"]["反量化"] == "量化"
    assert "推测解码" not in manifest["synonyms"]  # no commit has 投机解码


def test_feeds_carry_the_topics_as_categories(built):
    config, _, shas = built
    feed = json.loads((config.docs_dir / f"feeds/{REPO}.json").read_text(encoding="utf-8"))
    tags = {item["id"].rsplit("/", 2)[-2]: item.get("tags", []) for item in feed["items"]}
    assert tags[shas["[Quant]"][:12]][2:] == ["量化", "矩阵乘", "算子", "混合专家"]
    rss = (config.docs_dir / f"feeds/{REPO}.xml").read_text(encoding="utf-8")
    assert "<category>量化</category>" in rss
    assert "&lt;script&gt;window.pwned" in rss and "<script>" not in rss
