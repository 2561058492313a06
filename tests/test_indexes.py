"""The pages that lead readers to the others: home (the year's heat map, each repository's
latest finished day), repository pages (the weekly chart, busiest modules and files,
months), the archive by year and month, and the subscribe blocks. Read from the rendered
Markdown; the charts are parsed as the SVG they are."""

from __future__ import annotations

import posixpath
import re
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from generator.models import FileChange
from generator.pipeline import render
from generator.render import links

from factory import at, make_commit, make_record, store

SVG = "{http://www.w3.org/2000/svg}"
FIRST, LAST = date(2025, 1, 6), date(2026, 2, 20)
OPEN_DAY = LAST + timedelta(days=1)
YEAR_START = date(2025, 2, 17)  # the Monday 52 weeks before the week of LAST (a Friday)
REPO, OTHER = "o/r", "o/other"


def commits_on(day: date) -> int:
    """How many commits o/r made on a day of the fixture: a pattern with gaps and peaks."""
    n = (day - FIRST).days
    return 0 if n % 5 == 4 else (n % 7) + (12 if n % 29 == 0 else 0)


def tier_of(n: int) -> str:
    return ("high", "medium", "low", "low")[n % 4]


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """Two repositories over 13 months, then a day still open."""
    from generator.config import load_config

    tmp = tmp_path_factory.mktemp("year")
    clone = tmp / "clone"
    clone.mkdir()
    (tmp / "digest.yml").write_text(
        "site_url: https://example.org/digest/\nrepos:\n"
        f"  - name: {REPO}\n    path: {clone}\n  - name: {OTHER}\n    path: {clone}\n",
        encoding="utf-8",
    )
    config = load_config(tmp / "digest.yml")
    day = FIRST
    while day <= LAST:
        commits = [
            make_commit(
                f"change {n} of {day}",
                at(day, 20 - n % 20, n % 60),
                tier=tier_of(n),
                files=(FileChange(path=f"src/m{n % 3}/f{n % 2}.py", additions=n, deletions=1),),
            )
            for n in range(commits_on(day))
        ]
        store(config, make_record(REPO, day, commits))
        if day.day == 1:
            store(config, make_record(OTHER, day, [make_commit(f"other {day}", at(day, 9))]))
        day += timedelta(days=1)
    unfinished = make_record(REPO, OPEN_DAY, [make_commit("fix: today", at(OPEN_DAY, 9), "high")])
    window_start = unfinished.window_start
    store(config, unfinished.model_copy(update={"complete": False, "fetched_at": window_start}))
    render(config)
    return config


def read(config, page: str) -> str:
    return (config.docs_dir / page).read_text(encoding="utf-8")


def chart(markdown: str, kind: str) -> ET.Element:
    found = re.search(rf'<div class="cd-chart {kind}"[^>]*>(.*?)</div>', markdown, re.S)
    assert found, kind
    return ET.fromstring(found.group(1))


def resolve(page: str, href: str) -> str:
    """Where a raw-HTML link of a built page leads, as a page under docs/ (directory URLs)."""
    base = links.built(page)
    target = posixpath.normpath(posixpath.join(base, href.split("#")[0]))
    return "index.md" if target == "." else target + ".md"


def heat_map_days(svg: ET.Element) -> list[tuple[ET.Element, str, ET.Element | None]]:
    """Each day of the heat map in order: its square, its tooltip and its link (None without
    one). A linked day's tooltip is its link's (which names the link), another's its square's."""
    found = []
    for element in svg.iter():
        title = element.find(f"{SVG}title")
        if element.tag == f"{SVG}a":
            found.append((element.find(f"{SVG}rect"), title.text, element))
        elif element.tag == f"{SVG}rect" and title is not None:
            found.append((element, title.text, None))
    return found


def test_heat_map_covers_the_53_weeks_up_to_the_newest_complete_day(year):
    svg = chart(read(year, "index.md"), "cd-heatmap")
    squares = heat_map_days(svg)
    days = [date.fromisoformat(tip[:10]) for _, tip, _ in squares]
    assert days == [YEAR_START + timedelta(days=n) for n in range((LAST - YEAR_START).days + 1)]
    assert OPEN_DAY not in days  # the open day is not "the last year" yet
    for (square, tip, _), day in zip(squares, days, strict=True):
        total = commits_on(day) + (1 if day.day == 1 else 0)
        assert tip == f"{day} · {total} 个提交"
        # A column per week (Monday first), a row per weekday.
        column, row = (day - YEAR_START).days // 7, day.weekday()
        assert (int(square.get("x")), int(square.get("y"))) == (24 + 12 * column, 16 + 12 * row)


def test_heat_map_colour_follows_the_count_and_each_day_links_to_its_page(year):
    markdown = read(year, "index.md")
    svg = chart(markdown, "cd-heatmap")
    parents = {child: parent for parent in svg.iter() for child in parent}
    levels: dict[int, set[int]] = {}
    linked = 0
    for square, tip, link in heat_map_days(svg):
        day = date.fromisoformat(tip[:10])
        count = int(tip.split(" · ")[1].split()[0])
        levels.setdefault(count, set()).add(int(square.get("class").removeprefix("cd-l")))
        if count:
            assert link is not None, day
            target = resolve("index.md", link.get("href"))
            assert target == links.day_page(day) and (year.docs_dir / target).is_file()
            # A screen reader is shown the link, named by its date and count.
            assert parents[link] is svg
            linked += 1
        else:
            assert link is None, day  # no page to lead to
            assert parents[square].get("aria-hidden") == "true", day  # nothing to read out
    assert levels[0] == {0}
    ordered = [levels[count] for count in sorted(levels)]
    assert all(len(found) == 1 for found in ordered)  # one colour per count
    flat = [next(iter(found)) for found in ordered]
    assert flat == sorted(flat) and flat[-1] == 4 and set(flat) == {0, 1, 2, 3, 4}
    assert linked > 250


def test_home_leads_with_finished_days_only(year):
    text = read(year, "index.md")
    mine = text[text.index(f"## [{REPO}]") : text.index(f"## [{OTHER}]")]
    assert f"**最新一天**: [{LAST}](daily/2026/02/20.md) · 本日共 {commits_on(LAST)} 个提交" in mine
    assert "fix: today" not in text and str(OPEN_DAY) not in text
    recent = text[text.index("## 最近的日报") :]
    assert re.findall(r"^- \[(\S+)\]", recent, re.M)[0] == str(LAST)
    # The open day has its page, reached from the archive, which says it is not over.
    assert (year.docs_dir / links.day_page(OPEN_DAY)).is_file()
    month = read(year, "archive/2026/02.md")
    assert f"| [{OPEN_DAY}](../../daily/2026/02/21.md) (进行中) | 1 | 1 | 0 | 0 |" in month


def test_repository_page_counts_each_week_by_tier(year):
    svg = chart(read(year, links.repo_page(REPO)), "cd-weekly")
    weeks = {}
    for group in svg.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title").text
        start = date.fromisoformat(title[:10])
        heights = {
            r.get("class").removeprefix("cd-t-"): float(r.get("height"))
            for r in group.iter(f"{SVG}rect")
        }
        weeks[start] = (title, heights)
    expected = {}
    day = YEAR_START
    while day <= LAST:
        monday = day - timedelta(days=day.weekday())
        tiers = expected.setdefault(monday, {"high": 0, "medium": 0, "low": 0})
        for n in range(commits_on(day)):
            tiers[tier_of(n)] += 1
        day += timedelta(days=1)
    assert sorted(weeks) == sorted(w for w, t in expected.items() if sum(t.values()))
    tallest = max(sum(t.values()) for t in expected.values())
    for monday, (title, heights) in weeks.items():
        tiers = expected[monday]
        assert title == (
            f"{monday} 起的一周：{sum(tiers.values())} 个提交 · "
            f"🔴 高 {tiers['high']} · 🟡 中 {tiers['medium']} · 🟢 低 {tiers['low']}"
        )
        for tier, count in tiers.items():
            assert heights.get(tier, 0) == pytest.approx(100 * count / tallest, abs=0.06)


def test_repository_page_ranks_the_last_30_days_modules_and_files(year):
    text = read(year, links.repo_page(REPO))
    since = LAST - timedelta(days=29)
    commits, lines = {}, {}
    day = since
    while day <= LAST:
        for n in range(commits_on(day)):
            path = f"src/m{n % 3}/f{n % 2}.py"
            commits[path] = commits.get(path, 0) + 1
            lines[path] = lines.get(path, 0) + n + 1
        day += timedelta(days=1)
    assert f"{since} 至 {LAST}" in text
    files = re.findall(r"^\| `(src/m\d/f\d\.py)` \| (\d+) \| (\d+) \|$", text, re.M)
    ranked = sorted(commits, key=lambda p: (-commits[p], -lines[p], p))
    assert files == [(p, str(commits[p]), str(lines[p])) for p in ranked]
    modules = re.findall(r"^\| `(src/m\d)` \| (\d+) \| (\d+) \|$", text, re.M)
    by_module = {}
    for path in commits:
        module = path.rsplit("/", 1)[0]
        c, n = by_module.get(module, (0, 0))
        by_module[module] = (c + commits[path], n + lines[path])
    assert sorted(modules) == sorted((m, str(c), str(n)) for m, (c, n) in by_module.items())


def test_repository_page_links_every_month_and_the_archive_goes_year_month_day(year):
    page = links.repo_page(REPO)
    text = read(year, page)
    months = re.findall(r"\[(\d{4}-\d\d)\]\(([^)]+)\) \((\d+)\)", text)
    assert [m for m, _, _ in months][:3] == ["2026-02", "2026-01", "2025-12"]
    assert len(months) == 14  # 2025-01 .. 2026-02, the open day's month included
    for month, href, _ in months:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
        assert target == f"archive/{month.replace('-', '/')}.md"
        assert (year.docs_dir / target).is_file()
    archive = read(year, "archive.md")
    assert archive.index("## 2026") < archive.index("## 2025")
    assert "- [2025-03](archive/2025/03.md) · " in archive
    january = read(year, "archive/2026/01.md")
    days = re.findall(r"^\| \[(2026-01-\d\d)\]", january, re.M)
    assert days == sorted(days, reverse=True) and len(days) == 31 - sum(
        1 for d in range(1, 32) if commits_on(date(2026, 1, d)) == 0 and d != 1
    )
    assert "[2025-12](../2025/12.md)" in january and "[2026-02](02.md)" in january


def test_subscribe_blocks_lead_to_the_feeds_and_commit_pages_carry_none(year):
    for page, feeds in [
        ("index.md", ["feed", "feeds/high"]),
        (links.day_page(LAST), ["feed", "feeds/high"]),
        (links.repo_page(REPO), [f"feeds/{REPO}", f"feeds/{REPO}/high"]),
    ]:
        text = read(year, page)
        lines = re.findall(r"^(\*\*.+)\n\{: \.cd-subscribe \}$", text, re.M)
        assert len(lines) == len(feeds)
        # Markdown links, which MkDocs and Zensical both resolve from the page's file.
        hrefs = [h for line in lines for h in re.findall(r"\]\(([^)]+)\)", line)]
        expected = [f"{stem}{suffix}" for stem in feeds for suffix in (".xml", ".atom", ".json")]
        folder = posixpath.dirname(page)
        assert [posixpath.normpath(posixpath.join(folder, h)) for h in hrefs] == expected
        for path in expected:
            assert (year.docs_dir / path).is_file()
        copied = [re.search(r'data-clipboard-text="([^"]+)"', line).group(1) for line in lines]
        assert copied == [f"https://example.org/digest/{stem}.xml" for stem in feeds]
        assert [re.search(r"`([^`]+)`", line).group(1) for line in lines] == copied
    commit = next((year.docs_dir / "commits" / REPO).glob("*.md")).read_text(encoding="utf-8")
    assert "cd-subscribe" not in commit and "cd-chart" not in commit and "feeds:" not in commit


def test_the_retired_tags_page_is_removed(year):
    stale = year.docs_dir / "tags.md"
    stale.write_text("---\ntitle: Tags\n---\n<!-- material/tags -->\n", encoding="utf-8")
    render(year)
    assert not stale.exists()
    assert "tags" not in read(year, links.day_page(LAST)).split("---")[1]


def test_an_archive_without_a_complete_day_has_no_charts(make_config, tmp_path: Path):
    clone = tmp_path / "c"
    clone.mkdir()
    config = make_config(repos=[{"name": REPO, "path": str(clone)}], language="en")
    today = make_record(REPO, LAST, [make_commit("x", at(LAST, 1), language="en")])
    store(config, today.model_copy(update={"complete": False, "fetched_at": today.window_start}))
    render(config)
    home = read(config, "index.md")
    assert "cd-chart" not in home and "**Latest day**" not in home
    repo = read(config, links.repo_page(REPO))
    assert "cd-chart" not in repo and "## Busiest modules" not in repo
    assert "## Every month\n\n- **2026**: [2026-02](../../archive/2026/02.md) (1)" in repo
