"""Links between pages are computed as text, without the file system: they must be what
`posixpath.relpath` gives for any two pages of the archive."""

from __future__ import annotations

import posixpath
import random

from generator.render import links

FOLDERS = ["daily", "2026", "02", "commits", "acme", "engine", "repos", "archive", "feeds"]
FILES = ["index.md", "10.md", "0123456789ab.md", "feed.xml", "high.atom"]


def test_a_link_from_any_page_to_any_other_is_the_relative_path_between_them():
    rng = random.Random(7)
    for _ in range(5000):
        source = "/".join([*rng.sample(FOLDERS, rng.randint(0, 4)), rng.choice(FILES)])
        target = "/".join([*rng.sample(FOLDERS, rng.randint(0, 4)), rng.choice(FILES)])
        expected = posixpath.relpath(target, posixpath.dirname(source) or ".")
        assert links.relative(source, target) == expected, (source, target)
    assert links.relative("daily/2026/02/10.md", "commits/acme/e/0123.md", "x") == (
        "../../../commits/acme/e/0123.md#x"
    )


def test_a_raw_html_link_points_at_the_built_folder_of_a_page():
    assert links.href("index.md", "daily/2026/02/10.md") == "daily/2026/02/10/"
    assert links.href("daily/2026/02/10.md", "index.md") == "../../../../"
    assert links.href("daily/2026/02/10.md", "daily/2026/02/11.md") == "../11/"
    assert links.href("daily/2026/02/10.md", "daily/2026/02/10.md") == "./"
    assert links.href("repos/acme/engine.md", "feeds/acme/engine.xml") == (
        "../../../feeds/acme/engine.xml"
    )
