"""Rendering only what a run affects gives, after every run, exactly what rendering the whole
archive gives: every page and feed compared byte for byte with a fresh render of the same
records in a folder of its own. The runs: a new day, re-analysed old days, a renamed commit
next to a day boundary, an unfinished day and its completion, a failed fetch, a commit the
branch dropped, a record deleted, a day emptied, a new month."""

from __future__ import annotations

import json
import os
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.files import OutputTree
from generator.models import Commit, DayRecord
from generator.pipeline import render
from generator.records import record_path
from generator.render import workers
from generator.render.feeds import render_feeds
from generator.render.incremental import render_pages
from generator.render.rendered import state_file
from generator.render.settings import SiteSettings

from factory import at, load_archive, make_commit, make_record, store

ENGINE, DOCS = "acme/engine", "acme/docs"
FIRST = date(2026, 1, 10)
DAYS = [FIRST + timedelta(days=n) for n in range(40)]  # Jan 10 .. Feb 18
TIERS = ["high", "medium", "low", "high", "low"]


WATCHES = (
    "watches:\n"
    f"  - {{name: engine-high, repos: [{ENGINE}], keywords: [engine change], min_tier: high}}\n"
    "  - {name: pages, title: Doc pages, keywords: ['docs: page'], paths: [docs/**]}\n"
)
"""Two watches: their pages, feeds, marks and home's list follow every run too."""


def config_at(folder: Path, docs: str = "docs", watches: bool = False) -> Config:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clone").mkdir(exist_ok=True)
    path = folder / f"{docs}.yml"
    path.write_text(
        f"site_url: https://example.org/digest/\ndata_dir: data\ndocs_dir: {docs}\nrepos:\n"
        f"  - name: {ENGINE}\n    path: clone\n  - name: {DOCS}\n    path: clone\n"
        + (WATCHES if watches else ""),
        encoding="utf-8",
    )
    return load_config(path)


def engine_day(day: date, count: int = 4) -> DayRecord:
    """Commits newest first, mostly high tier: the high feeds reach back past 7 days."""
    commits = [
        make_commit(f"engine change {day} #{n}", at(day, 20 - 3 * n), tier=TIERS[n % 5])
        for n in range(count)
    ]
    return make_record(ENGINE, day, commits)


def docs_day(day: date, rng: random.Random) -> DayRecord:
    count = rng.choice([0, 0, 1, 2])
    commits = [
        make_commit(f"docs: page {day} #{n}", at(day, 9 + n), tier="low") for n in range(count)
    ]
    return make_record(DOCS, day, commits)


def pages(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.fixture
def archive(tmp_path, request) -> tuple[Config, Config]:
    """(the config rendered run after run, one rendering the same records from nothing);
    with watches when the test asks for them (`indirect` parameter True)."""
    watches = getattr(request, "param", False)
    config, fresh = config_at(tmp_path, watches=watches), config_at(tmp_path, "fresh", watches)
    rng = random.Random(12)
    for day in DAYS:
        store(config, engine_day(day), docs_day(day, rng))
    return config, fresh


def same_as_full(config: Config, fresh: Config) -> int:
    """Render incrementally, then everything into an empty folder; compare; return how many
    files the incremental render changed."""
    changed = render(config, full=False)
    for path in fresh.docs_dir.rglob("*"):
        if path.is_file():
            path.unlink()
    render(fresh)
    ours, theirs = pages(config.docs_dir), pages(fresh.docs_dir)
    assert sorted(ours) == sorted(theirs)
    assert [p for p in ours if ours[p] != theirs[p]] == []
    return changed


def edit(config: Config, repo: str, day: date, change) -> None:
    path = record_path(config.data_dir, repo, day)
    record = DayRecord.model_validate_json(path.read_bytes())
    store(config, change(record))


def with_commits(record: DayRecord, commits: list[Commit]) -> DayRecord:
    return record.model_copy(update={"commits": tuple(commits)})


@pytest.mark.parametrize("archive", [False, True], indirect=True, ids=["plain", "watches"])
def test_every_run_renders_what_a_full_render_gives(archive):
    config, fresh = archive
    first = same_as_full(config, fresh)
    assert first > 100  # no state yet: everything
    watched = (config.docs_dir / "watches/engine-high.md", config.docs_dir / "watches/pages.md")
    assert all(page.is_file() == bool(config.watches) for page in watched)

    # The next day: its page, its commits, the day before it, home, feeds...
    new_day = DAYS[-1] + timedelta(days=1)
    store(config, engine_day(new_day), make_record(DOCS, new_day, []))
    daily = same_as_full(config, fresh)
    assert 0 < daily < first / 3

    # Old days re-analysed: tiers and summaries change on one, the oldest commit of another
    # is renamed (the commit before it, on the day before, names it as its successor).
    def reanalysed(record: DayRecord) -> DayRecord:
        commits = [
            c.model_copy(
                update={"analysis": c.analysis.model_copy(update={"tier": "low", "summary": "new"})}
            )
            for c in record.commits
        ]
        return with_commits(record, commits)

    edit(config, ENGINE, DAYS[9], reanalysed)
    edit(
        config,
        ENGINE,
        DAYS[20],
        lambda r: with_commits(
            r, [*r.commits[:-1], r.commits[-1].model_copy(update={"subject": "renamed"})]
        ),
    )
    same_as_full(config, fresh)

    # A day fetched before it ended, then completed; a failed fetch on another day.
    open_day = new_day + timedelta(days=1)
    unfinished = engine_day(open_day, 2)
    store(
        config,
        unfinished.model_copy(update={"complete": False, "fetched_at": unfinished.window_start}),
    )
    failed = make_record(DOCS, open_day, [], complete=False).model_copy(
        update={"error": "HTTP 502"}
    )
    store(config, failed)
    same_as_full(config, fresh)
    store(config, engine_day(open_day, 3))
    same_as_full(config, fresh)

    # A commit the branch no longer has; a record deleted; a day's commits all gone.
    edit(
        config,
        ENGINE,
        DAYS[30],
        lambda r: with_commits(
            r, [r.commits[0].model_copy(update={"dropped_at": r.fetched_at}), *r.commits[1:]]
        ),
    )
    record_path(config.data_dir, ENGINE, DAYS[15]).unlink()
    edit(config, ENGINE, DAYS[16], lambda r: with_commits(r, []))
    edit(config, DOCS, DAYS[16], lambda r: with_commits(r, []))
    same_as_full(config, fresh)
    assert not (config.docs_dir / "daily/2026/01/26.md").exists()

    # A new month, and a day far back before the first one.
    store(config, engine_day(date(2026, 3, 2)), engine_day(date(2025, 11, 30)))
    same_as_full(config, fresh)


def test_a_run_that_changed_no_record_writes_nothing(archive):
    config, _ = archive
    render(config, full=False)
    before = mtimes(config.docs_dir)
    state = (state_file(config.cache_dir, config.docs_dir)).read_bytes()
    assert render(config, full=False) == 0
    assert mtimes(config.docs_dir) == before
    assert (state_file(config.cache_dir, config.docs_dir)).read_bytes() == state


def test_records_a_run_does_not_show_are_never_read(archive):
    """An old record, unchanged since the last render (same size and time), is not read
    when a new day is rendered: here it is not even a record any more."""
    config, _ = archive
    old = 1_600_000_000_000_000_000
    for n, path in enumerate(sorted(config.data_dir.rglob("*.json"))):
        os.utime(path, ns=(old + n, old + n))  # files the state may trust by their times
    render(config, full=False)
    store(config, engine_day(DAYS[-1] + timedelta(days=1)))
    render(config, full=False)  # records the files' times
    path = record_path(config.data_dir, ENGINE, DAYS[2])
    stat = path.stat()
    path.write_bytes(b"x" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    store(config, engine_day(DAYS[-1] + timedelta(days=2)))
    assert render(config, full=False) > 0
    assert (config.docs_dir / "daily/2026/02/20.md").is_file()


@pytest.mark.parametrize("damage", ["missing", "garbage", "other version", "other settings"])
def test_a_missing_or_foreign_state_renders_everything_again(archive, damage):
    config, fresh = archive
    render(config, full=False)
    state = state_file(config.cache_dir, config.docs_dir)
    generation = json.loads(state.read_text(encoding="utf-8"))["generation"]
    page = config.docs_dir / "daily/2026/01/12.md"
    page.write_text("edited by hand", encoding="utf-8")
    if damage == "missing":
        state.unlink()
    elif damage == "garbage":
        state.write_text('{"format": 2, "records": [', encoding="utf-8")
    elif damage == "other version":
        raw = json.loads(state.read_text(encoding="utf-8"))
        state.write_text(json.dumps({**raw, "fingerprint": "older code"}), encoding="utf-8")
    else:
        config = config.model_copy(update={"site_name": "Renamed"})
        fresh = fresh.model_copy(update={"site_name": "Renamed"})
    assert same_as_full(config, fresh) > 0
    assert "edited by hand" not in page.read_text(encoding="utf-8")
    assert json.loads(state.read_text(encoding="utf-8"))["generation"] != generation


def test_pages_rendered_on_several_processes_are_those_one_process_renders(archive, monkeypatch):
    """A full render deals its days, module pages and weekly reports out to forked
    processes: the files are the same, and pages of nothing are still removed."""
    config, fresh = archive
    stale = config.docs_dir / "commits" / ENGINE / "000000000000.md"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("a commit that is gone\n", encoding="utf-8")
    render(fresh)

    monkeypatch.setattr(workers, "MIN_DAYS", 2)
    out = OutputTree(config.docs_dir)
    archive_ = load_archive(config.data_dir, [ENGINE, DOCS])
    settings = SiteSettings.from_config(config)
    used = render_pages(archive_, settings, out, workers=2)
    render_feeds(archive_, settings, out)
    out.sync()

    assert used == 2, "the days were not dealt out (was another thread running?)"
    assert not stale.exists()
    ours, theirs = pages(config.docs_dir), pages(fresh.docs_dir)
    assert {"modules", "weekly"} <= {p.split("/")[0] for p in ours}
    assert sorted(ours) == sorted(theirs)
    assert [p for p in ours if ours[p] != theirs[p]] == []
    assert out.changed == len(ours)
