"""A real `mkdocs build --strict` of a generated archive, read as a browser parses it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.models import FileChange
from generator.text import one_line

from factory import at, make_commit, make_record, store
from sitebuild import NS, build_site, parse, text_of

DAY = date(2026, 2, 10)
HOSTILE_SUBJECTS = [
    "<script>alert('subject')</script> (#1)",
    '<img src=x onerror="alert(1)"> | pipe | in | cells',
    "[click](javascript:alert(1)) {{ jinja }} {% if %}",
    '# heading !!! note --8<-- "x" {: onclick="alert(1)" }',
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list]:
    tmp = tmp_path_factory.mktemp("site")
    clone = tmp / "clone"
    clone.mkdir()
    config_file = tmp / "digest.yml"
    config_file.write_text(
        f"site_url: https://example.org/digest/\nrepos:\n  - name: evil/repo\n    path: {clone}\n",
        encoding="utf-8",
    )
    from generator.config import load_config

    config = load_config(config_file)
    commits = [
        make_commit(
            subject,
            at(DAY, 20 - n),
            tier=("high", "medium", "low")[n % 3],
            author='Eve <b onmouseover="x">|</b>',
            files=(FileChange(path="src/<b>x</b>|y.py", additions=1, deletions=0),),
            body="line 1\n<script>alert('body')</script>\n```\n{{ x }}",
        )
        for n, subject in enumerate(HOSTILE_SUBJECTS)
    ]
    store(config, make_record("evil/repo", DAY, commits))
    result = build_site(config, tmp / "site")
    assert "WARNING -" not in result.log, result.log
    return tmp / "site", commits


def injected(doc) -> list[str]:
    """Elements or attributes that commit text could have introduced."""
    found = []
    for el in doc.iter():
        tag = str(el.tag).replace(NS, "")
        if tag in {"script"} and "alert" in (el.text or ""):
            found.append(f"<script> {el.text!r}")
        if tag == "img" and el.get("src") == "x":
            found.append("<img src=x>")
        if tag == "b":
            found.append("<b>")
        for name, value in el.attrib.items():
            if name.startswith("on") or "javascript:" in str(value):
                found.append(f"{tag}[{name}={value!r}]")
    return found


def test_day_page_shows_hostile_text_literally(built):
    site, commits = built
    doc = parse(site / "daily/2026/02/10/index.html")
    assert injected(doc) == []
    rows = doc.findall(f".//{NS}table/{NS}tbody/{NS}tr")
    assert len(rows) == len(commits)
    for row, commit in zip(rows, commits, strict=True):
        cells = row.findall(f"{NS}td")
        assert len(cells) == 3
        assert text_of(cells[1]) == one_line(commit.author.name)
        assert text_of(cells[2]) == one_line(commit.subject)


def test_commit_page_title_head_and_body_are_text(built):
    site, commits = built
    for commit in commits:
        doc = parse(site / f"commits/evil/repo/{commit.sha[:12]}/index.html")
        assert injected(doc) == []
        title = doc.find(f"{NS}head/{NS}title")
        assert text_of(title).startswith(one_line(commit.subject))
        h1 = doc.find(f".//{NS}article//{NS}h1")
        assert text_of(h1).removesuffix("¶").strip() == one_line(commit.subject)
        pre = doc.find(f".//{NS}article//{NS}pre")
        assert "<script>alert('body')</script>" in text_of(pre)


def test_commit_page_is_small(built):
    site, commits = built
    sizes = [(site / f"commits/evil/repo/{c.sha[:12]}/index.html").stat().st_size for c in commits]
    assert max(sizes) < 60_000, sizes
