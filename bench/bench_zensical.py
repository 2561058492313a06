"""Benchmark: the same archive built by MkDocs (as `generator build` does) and by Zensical.

Run on demand when Zensical is installed; it is not a dependency of the project, so
install it apart, e.g.:

    python3 -m venv /tmp/zensical && /tmp/zensical/bin/pip install zensical
    .venv/bin/python bench/bench_zensical.py --zensical /tmp/zensical/bin/zensical

It builds the synthetic sglang-like archive of bench_archive.py plus one day of the
hostile commits of tests/fixtures/hostile_corpus.json, renders it, builds it with
`mkdocs build --strict` from the generated config, then with `zensical build` from a
copy of that config that differs only in its site folder, and reports what differs:
pages one engine made and the other did not, pages whose main content (the article:
elements, ids, links, classes, text) or table of contents differs, differences in
<head> (title, feeds, stylesheet), anything commit text could have injected, and what
each engine warned about. It asserts nothing and is not part of the tests.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import posixpath
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import html5lib
import yaml
from bench_archive import FIXTURE, REPO, TZ, store_day, synthetic_days, timed, write_config

from generator.analysis.rules import RulesAnalyzer
from generator.config import Config, load_config
from generator.models import Commit, FileChange, Person
from generator.pipeline import build
from generator.render.settings import SiteSettings
from generator.site.mkdocs_yml import generated_path, site_config

CORPUS = FIXTURE.parent / "hostile_corpus.json"
HOSTILE_REPO = "evil/repo"
HOSTILE_DAY = date(2025, 6, 3)
NS = "{http://www.w3.org/1999/xhtml}"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXAMPLES = 5
# What commit text must never become in a page's content.
NEVER = {"script", "img", "iframe", "svg", "object", "embed", "b", "details", "style"}


# -- the archive ---------------------------------------------------------------------


def hostile_commits() -> list[Commit]:
    """The corpus entries that are plain messages, as commits of one day, newest first."""
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    authors = corpus["authors"]
    entries = [e for e in corpus["commits"] if "message" in e]
    commits = []
    for n, entry in enumerate(entries):
        subject, _, rest = entry["message"].partition("\n")
        body = "\n\n".join(part for part in (rest.strip("\n"), entry.get("body", "")) if part)
        when = datetime(2025, 6, 3, tzinfo=TZ) + timedelta(minutes=10 * n)
        name = entry.get("author") or authors[n % len(authors)]
        person = Person(name=name, email="eve@example.org")
        commits.append(
            Commit(
                sha=hashlib.sha1(f"hostile-{n}".encode()).hexdigest(),
                parents=(hashlib.sha1(f"hostile-{n + 1}".encode()).hexdigest(),),
                author=person,
                committer=person,
                authored_at=when,
                committed_at=when,
                subject=subject,
                body=body,
                files=tuple(
                    FileChange(path=path, additions=1, deletions=0)
                    for path in entry.get("paths", ["x.py"])
                ),
            )
        )
    return commits[::-1]


def make_archive(base: Path, commits: int, language: str) -> Config:
    config = load_config(write_config(base, language, (REPO, HOSTILE_REPO)))
    analyzer = RulesAnalyzer(config.language)

    def analysed(found: list[Commit]) -> list[Commit]:
        return [c.model_copy(update={"analysis": analyzer.analyze(c)}) for c in found]

    for day, found in synthetic_days(commits):
        store_day(config, day, analysed(found))
    store_day(config, HOSTILE_DAY, analysed(hostile_commits()), repo=HOSTILE_REPO)
    return config


# -- the builds ------------------------------------------------------------------------


def zensical_build(zensical: Path, config: Config, site: Path) -> tuple[float, int, str]:
    """`zensical build` of the generated config with only its site folder changed."""
    generated = generated_path(config.docs_dir)
    copy = generated.with_name("mkdocs.zensical.yml")
    settings = SiteSettings.from_config(config)
    copy.write_text(
        yaml.safe_dump(site_config(settings, config.docs_dir, site, copy), allow_unicode=True),
        encoding="utf-8",
    )
    return timed([str(zensical), "build", "--clean", "-f", str(copy)])


def warnings_of(log: str) -> list[str]:
    """Each warning or error an engine printed, on one line, with the place it names."""
    found: list[str] = []
    for line in ANSI.sub("", log).splitlines():
        text = line.strip()
        if re.match(r"^(WARNING|ERROR)\b|^(Warning|Error):", text):
            found.append(" ".join(text.split()))
        elif found and (place := re.search(r"╭─\[ ?(.+?) ?\]", text)):
            found[-1] += f" ({place.group(1)})"
    return found


# -- reading the sites -----------------------------------------------------------------


def pages_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def parse(path: Path) -> Any:
    return html5lib.parse(path.read_bytes(), transport_encoding="utf-8")


def tag(element: Any) -> str:
    return str(element.tag).replace(NS, "")


def squeeze(text: str | None) -> str:
    return " ".join((text or "").split())


def outline(element: Any) -> Iterator[str]:
    """An element as lines: each descendant's tag with its id, href and class, and text."""
    if element is None:
        return
    for child in element.iter():
        if tag(child) == "a" and child.get("id") == "__skip":
            continue  # Zensical's skip-link target, not content
        attrs = " ".join(f"{k}={child.get(k)!r}" for k in ("id", "href", "class") if child.get(k))
        yield f"<{tag(child)}{' ' + attrs if attrs else ''}>"
        for text in (child.text, child.tail):
            if squeeze(text):
                yield squeeze(text)


def article(doc: Any) -> Any:
    return doc.find(f".//{NS}article")


def toc(doc: Any) -> list[str]:
    """The page's table of contents: each entry's link and label."""
    for nav in doc.iter(f"{NS}nav"):
        if "md-nav--secondary" in (nav.get("class") or ""):
            return [f"{a.get('href')} {squeeze(''.join(a.itertext()))}" for a in nav.iter(f"{NS}a")]
    return []


def head(doc: Any, page: str) -> dict[str, Any]:
    root = doc.find(f"{NS}head")
    links = list(root.iter(f"{NS}link"))
    folder = posixpath.dirname(page)
    return {
        "title": squeeze("".join(root.find(f"{NS}title").itertext())),
        "feeds": sorted(
            (link.get("title"), posixpath.normpath(posixpath.join(folder, link.get("href"))))
            for link in links
            if link.get("type") == "application/rss+xml"
        ),
        "digest.css": any("digest.css" in (link.get("href") or "") for link in links),
        "external": sorted(
            url
            for el in root.iter()
            for url in (el.get("href"), el.get("src"))
            if url
            and url.startswith(("http:", "https:", "//"))
            and tag(el) in {"link", "script"}
            and (el.get("rel") or "") not in {"canonical", "alternate"}
        ),
    }


def injected(doc: Any) -> list[str]:
    found = []
    for el in article(doc).iter() if article(doc) is not None else ():
        if tag(el) in NEVER:
            found.append(f"<{tag(el)}>")
        for name, value in el.attrib.items():
            if str(name).startswith("on") or "javascript:" in str(value).lower():
                found.append(f"{tag(el)}[{name}]")
    return found


def differences(a: list[str], b: list[str], most: int = 4) -> str:
    """The first changed lines, `-` MkDocs's and `+` Zensical's."""
    changed = [
        line[:100]
        for line in difflib.unified_diff(a, b, n=0, lineterm="")
        if line[:1] in "-+" and not line.startswith(("---", "+++"))
    ]
    more = f" … ({len(changed)} lines)" if len(changed) > most else ""
    return " ".join(changed[:most]) + more


# -- the report ------------------------------------------------------------------------


def section(page: str) -> str:
    return page.split("/", 1)[0] if "/" in page else page


def compare(mkdocs_site: Path, zensical_site: Path) -> dict[str, Any]:
    mk, zs = pages_of(mkdocs_site), pages_of(zensical_site)
    report: dict[str, Any] = {
        "only mkdocs": sorted(mk - zs),
        "only zensical": sorted(zs - mk),
        "content": Counter(),
        "order only": Counter(),
        "toc": Counter(),
        "head": Counter(),
        "examples": [],
        "injected": Counter(),
        "compared": Counter(),
    }
    for page in sorted(mk & zs):
        a, b = parse(mkdocs_site / page), parse(zensical_site / page)
        where = section(page)
        report["compared"][where] += 1
        for engine, doc in (("mkdocs", a), ("zensical", b)):
            for found in injected(doc):
                report["injected"][f"{engine} {found}"] += 1
        content = list(outline(article(a))), list(outline(article(b)))
        if content[0] != content[1]:
            report["content"][where] += 1
            report["order only"][where] += sorted(content[0]) == sorted(content[1])
            if report["content"][where] == 1:
                report["examples"].append(f"{page}: {differences(*content)}")
        if toc(a) != toc(b):
            report["toc"][where] += 1
            if report["toc"][where] == 1:
                report["examples"].append(f"{page} (toc): {differences(toc(a), toc(b))}")
        heads = head(a, page), head(b, page)
        for key in heads[0]:
            if heads[0][key] != heads[1][key]:
                report["head"][key] += 1
                if report["head"][key] == 1:
                    report["examples"].append(
                        f"{page} <head> {key}: {heads[0][key]!r} vs {heads[1][key]!r}"
                    )
    return report


def other_files(mkdocs_site: Path, zensical_site: Path) -> list[tuple[str, str, str]]:
    rows = []
    for name in ["feed.xml", "sitemap.xml", "search/search_index.json", "search.json"]:
        a, b = mkdocs_site / name, zensical_site / name
        same = a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes()
        rows.append(
            (
                name,
                f"{a.stat().st_size:,} B" if a.is_file() else "absent",
                f"{b.stat().st_size:,} B" + (" (identical)" if same else "")
                if b.is_file()
                else "absent",
            )
        )
    return rows


def version(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[-1] if done.returncode == 0 else "?"


def table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def run(base: Path, zensical: Path, commits: int, language: str) -> str:
    config = make_archive(base, commits, language)
    built = build(config).site
    mk_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # MkDocs: the only child yet
    mk_log = built.log
    z_site = base / "site-zensical"
    z_wall, z_rss, z_log = zensical_build(zensical, config, z_site)
    mk_warnings, z_warnings = warnings_of(mk_log), warnings_of(z_log)
    report = compare(built.site_dir, z_site)
    mk_pages, z_pages = pages_of(built.site_dir), pages_of(z_site)
    out = [
        f"Archive: {commits:,} synthetic sglang commits + {len(hostile_commits())} hostile "
        f"commits ({HOSTILE_REPO}, {HOSTILE_DAY}), language {language}; "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{version([sys.executable, '-m', 'mkdocs', '--version']).split(' from ')[0]}, "
        f"zensical {version([str(zensical), '--version'])}.",
        "",
        table(
            ("engine", "build", "HTML pages", "warnings"),
            [
                (
                    "mkdocs --strict",
                    f"{built.seconds:.1f} s, peak RSS {mk_rss / 1024:.0f} MiB",
                    f"{len(mk_pages):,}",
                    len(mk_warnings),
                ),
                (
                    "zensical",
                    f"{z_wall:.1f} s, peak RSS {z_rss / 1024:.0f} MiB",
                    f"{len(z_pages):,}",
                    len(z_warnings),
                ),
            ],
        ),
        "",
        f"Pages only MkDocs made: {len(report['only mkdocs'])} {report['only mkdocs'][:EXAMPLES]}",
        f"Pages only Zensical made: {len(report['only zensical'])} "
        f"{report['only zensical'][:EXAMPLES]}",
        "",
        table(
            ("pages", "compared", "main content differs", "of which order only", "toc differs"),
            [
                (
                    name,
                    count,
                    report["content"][name],
                    report["order only"][name],
                    report["toc"][name],
                )
                for name, count in sorted(report["compared"].items())
            ],
        ),
        "",
        "<head> differences (pages): "
        + (", ".join(f"{k} {v}" for k, v in report["head"].items()) or "none"),
        "Injected elements in the content: "
        + (", ".join(f"{k} ×{v}" for k, v in report["injected"].items()) or "none"),
        "",
        table(("file", "mkdocs", "zensical"), other_files(built.site_dir, z_site)),
    ]
    if report["examples"]:
        out += ["", "First differences:", *(f"- {e}" for e in report["examples"])]
    for engine, found in (("MkDocs", mk_warnings), ("Zensical", z_warnings)):
        kinds = Counter(re.sub(r" \(.*\)$", "", w) for w in found)
        out += ["", f"{engine} warnings: {len(found)}"]
        out += [f"- {n} × {kind}" for kind, n in kinds.most_common(10)]
        out += [f"  e.g. {w}" for w in found[:3]]
    return "\n".join(out)


def find_zensical(given: Path | None) -> Path | None:
    if given:
        return given if given.is_file() else None
    beside = Path(sys.executable).with_name("zensical")
    found = shutil.which("zensical")
    return beside if beside.is_file() else Path(found) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zensical", type=Path, help="the zensical executable")
    parser.add_argument("--commits", type=int, default=600, help="synthetic commits (600)")
    parser.add_argument("--language", choices=("zh", "en"), default="zh")
    parser.add_argument("--keep", type=Path, help="build into this new or empty folder, keep it")
    args = parser.parse_args()
    zensical = find_zensical(args.zensical)
    if zensical is None:
        sys.exit("zensical is not installed: pip install zensical (apart), then pass --zensical")
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: folder is not empty")
        args.keep.mkdir(parents=True, exist_ok=True)
        print(run(args.keep.resolve(), zensical, args.commits, args.language))
    else:
        with tempfile.TemporaryDirectory(prefix="digest-zensical-") as tmp:
            print(run(Path(tmp), zensical, args.commits, args.language))


if __name__ == "__main__":
    main()
