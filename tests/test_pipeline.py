"""The whole job on a real repository rebuilt from five days of sgl-project/sglang."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import RunLocked
from generator.lock import archive_lock
from generator.pipeline import DayRange, render, run
from generator.records import load_record

from factory import snapshot
from sglang_repo import build_sglang_repo, load_fixture
from sitebuild import NS, build_site, parse, text_of

SINCE, UNTIL = date(2026, 2, 10), date(2026, 2, 14)
AFTER = datetime(2026, 2, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def sglang(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sglang")
    build_sglang_repo(tmp / "clone")
    config_file = tmp / "digest.yml"
    config_file.write_text(
        "site_url: https://example.org/digest/\ntimezone: Asia/Shanghai\nlanguage: zh\n"
        "repos:\n  - name: sgl-project/sglang\n    branch: main\n    path: clone\n",
        encoding="utf-8",
    )
    config = load_config(config_file)
    summary = run(config, DayRange(SINCE, UNTIL), now=lambda: AFTER)
    result = build_site(config, tmp / "site")
    return config, config_file, summary, result, tmp


def test_summary_counts_every_commit(sglang):
    _, _, summary, _, _ = sglang
    assert summary.commits == 142
    assert len(summary.days) == 5
    assert sum(summary.tiers.values()) == 142
    assert summary.failures == []
    assert summary.line().startswith("Done: 5 days, 142 commits (🔴")


def test_records_are_complete_and_hold_every_commit(sglang):
    config, *_ = sglang
    for day in load_fixture()["days"]:
        record = load_record(config.data_dir, "sgl-project/sglang", date.fromisoformat(day["date"]))
        assert record is not None and record.complete
        assert [c.subject for c in record.commits] == [c["subject"] for c in day["commits"]]
        assert all(c.analysis and c.analysis.analyzer == "rules@3" for c in record.commits)


def test_strict_mkdocs_build_passes(sglang):
    *_, result, _ = sglang
    assert "WARNING -" not in result.log, result.log


@pytest.mark.parametrize("day", [d["date"] for d in load_fixture()["days"]])
def test_day_table_lists_exactly_the_days_commits(sglang, day):
    *_, tmp = sglang
    expected = next(d for d in load_fixture()["days"] if d["date"] == day)["commits"]
    doc = parse(tmp / "site" / "daily" / day.replace("-", "/") / "index.html")
    table = doc.find(f".//{NS}article//{NS}table")
    rows = [[text_of(td) for td in tr.findall(f"{NS}td")] for tr in table.iter(f"{NS}tr")][1:]
    # The time of day only: the date is the page's.
    assert rows == [[c["time_local"][11:], c["author_name"], c["subject"]] for c in expected]
    stats = text_of(doc.find(f".//{NS}article//{NS}blockquote")).strip()
    assert stats.startswith(f"本日共 {len(expected)} 个提交 | 🔴高 ")


def test_every_commit_page_links_back_to_its_row(sglang):
    *_, tmp = sglang
    day_doc = parse(tmp / "site/daily/2026/02/12/index.html")
    ids = {el.get("id") for el in day_doc.iter() if el.get("id")}
    links = [a.get("href") for a in day_doc.findall(f".//{NS}article//{NS}table//{NS}a")]
    assert len(links) == 39
    for href in links:
        page = (tmp / "site/daily/2026/02/12" / href).resolve() / "index.html"
        doc = parse(page)
        back = [
            a.get("href")
            for a in doc.iter(f"{NS}a")
            if "daily/2026/02/12/#" in (a.get("href") or "")
        ]
        assert len(back) == 1
        assert back[0].split("#")[1] in ids


def test_second_run_changes_no_file(sglang):
    config, *_ = sglang
    before = snapshot(config.data_dir, config.docs_dir)
    summary = run(config, DayRange(SINCE, UNTIL), now=lambda: AFTER)
    assert summary.records_written == 0 and summary.pages_written == 0
    assert snapshot(config.data_dir, config.docs_dir) == before


GENERATED = ["daily", "commits", "repos", "archive", "index.md", "archive.md"]


def generated_pages(docs: Path) -> dict[Path, bytes]:
    files = [p for name in GENERATED for p in [docs / name, *(docs / name).rglob("*.md")]]
    return {p.relative_to(docs): p.read_bytes() for p in files if p.is_file()}


def test_render_after_deleting_docs_gives_the_same_pages(sglang):
    config, *_ = sglang
    before = generated_pages(config.docs_dir)
    for name in GENERATED:
        target = config.docs_dir / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    render(config)
    assert generated_pages(config.docs_dir) == before
    assert len(before) == 142 + 5 + 1 + 1 + 2  # commits, days, repository, month, home+archive


def test_a_second_run_at_once_stops_with_a_clear_line(sglang):
    config, *_ = sglang
    with archive_lock(config.data_dir), pytest.raises(RunLocked, match="wait for it to finish"):
        run(config, DayRange(SINCE, SINCE), now=lambda: AFTER)
