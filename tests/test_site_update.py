"""`generator build` after a run redoes only what the run changed, and gives the site a build
from nothing gives: real MkDocs builds (`--dirty` after the first) and real Pagefind runs,
every file of the site compared byte for byte with a clean build of the same records in a
folder of its own."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.errors import SiteBuildFailed
from generator.pipeline import BuildSummary, build, render
from generator.records import record_path
from generator.render.settings import SiteSettings
from generator.site import build as site_build
from generator.site.build import mkdocs_command
from generator.site.mkdocs_yml import write_site_config

from factory import at, make_commit, make_record, store
from sitebuild import index_content, stable_files

REPOS = ("acme/engine", "acme/docs")
DAYS = [date(2026, 1, 27) + timedelta(days=n) for n in range(10)]  # Jan 27 .. Feb 5


def config_at(folder: Path, name: str) -> Config:
    (folder / "clone").mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yml"
    listed = "".join(f"  - name: {repo}\n    path: clone\n" for repo in REPOS)
    path.write_text(
        f"site_url: https://example.org/digest/\ndata_dir: data\ndocs_dir: {name}-docs\n"
        f"site_dir: {name}-site\nrepos:\n{listed}",
        encoding="utf-8",
    )
    return load_config(path)


def day_records(day: date) -> list:
    engine = [
        make_commit(f"feat: engine {day} #{n}", at(day, 18 - 4 * n), ("high", "medium", "low")[n])
        for n in range(3)
    ]
    docs = [make_commit(f"docs: guide {day}", at(day, 9), "low")] if day.day % 2 else []
    return [make_record(REPOS[0], day, engine), make_record(REPOS[1], day, docs)]


def mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*")}


def clean_build(tmp: Path) -> Path:
    """A build of the same records from nothing: no pages, no site, no state."""
    fresh = config_at(tmp, "fresh")
    shutil.rmtree(fresh.docs_dir, ignore_errors=True)
    shutil.rmtree(fresh.site_dir, ignore_errors=True)
    assert build(fresh).mode == "full"
    return fresh.site_dir


def assert_same_site(ours: Path, tmp: Path) -> None:
    """Byte for byte, but for the few search index files whose bytes Pagefind varies from run
    to run (two clean builds differ there too): those hold the same index."""
    theirs = clean_build(tmp)
    mine, clean = stable_files(ours), stable_files(theirs)
    assert sorted(mine) == sorted(clean)
    assert [path for path in mine if mine[path] != clean[path]] == []
    assert index_content(ours) == index_content(theirs)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Config, Path, BuildSummary]:
    tmp = tmp_path_factory.mktemp("update")
    config = config_at(tmp, "digest")
    for day in DAYS:
        store(config, *day_records(day))
    first = build(config)
    return config, tmp, first


def test_the_first_build_is_a_full_one(project):
    _, _, first = project
    assert first.mode == "full"
    assert (first.search.parts, first.search.indexed) == (2, 2)


def test_a_new_day_rebuilds_its_pages_and_reindexes_its_month_only(project):
    config, tmp, _ = project
    january = config.site_dir / "pagefind/2026-01/pagefind-entry.json"
    kept = january.stat().st_mtime_ns
    new_day = DAYS[-1] + timedelta(days=1)
    store(config, *day_records(new_day))
    update = build(config)
    assert update.mode == "dirty" and update.line().startswith("Done: ")
    assert (update.search.parts, update.search.indexed) == (2, 1)
    assert january.stat().st_mtime_ns == kept
    assert (config.site_dir / f"daily/{new_day:%Y/%m/%d}/index.html").is_file()
    assert_same_site(config.site_dir, tmp)


def test_nothing_changed_nothing_is_built_or_indexed(project):
    config, _, _ = project
    build(config)
    before = mtimes(config.site_dir)
    again = build(config)
    assert (again.mode, again.pages_changed, again.search.indexed) == ("unchanged", 0, 0)
    assert mtimes(config.site_dir) == before


def test_pages_of_a_deleted_record_leave_the_site(project):
    config, tmp, _ = project
    gone = DAYS[3]  # Jan 30: engine only (acme/docs has nothing on even days)
    record_path(config.data_dir, REPOS[0], gone).unlink()
    record_path(config.data_dir, REPOS[1], gone).unlink()
    update = build(config)
    assert update.mode == "dirty"
    assert not (config.site_dir / f"daily/{gone:%Y/%m/%d}").exists()
    manifest = json.loads((config.site_dir / "pagefind/digest-search.json").read_text("utf-8"))
    # Day pages, engine commits, docs commits (odd days): Feb 1-6, then Jan 27-31 less the 30th.
    assert [part["pages"] for part in manifest["parts"]] == [6 + 6 * 3 + 3, 4 + 4 * 3 + 3]
    assert_same_site(config.site_dir, tmp)


def test_a_build_killed_after_mkdocs_is_completed_by_the_next(project, monkeypatch):
    """MkDocs wrote the new day's pages, then the build died before squeezing them and
    before saving its state: the next build's MkDocs finds those pages up to date, and
    they are squeezed all the same."""
    config, tmp, _ = project
    monkeypatch.setattr(site_build, "SQUEEZE_MARGIN_NS", 0)  # no slack to hide a miss
    store(config, *day_records(DAYS[-1] + timedelta(days=2)))
    render(config, full=False)
    engine_config = write_site_config(
        SiteSettings.from_config(config), config.docs_dir, config.site_dir
    )
    subprocess.run(mkdocs_command(engine_config, dirty=True), check=True, capture_output=True)
    page = config.site_dir / f"daily/{DAYS[-1] + timedelta(days=2):%Y/%m/%d}/index.html"
    assert "\n\n" in page.read_text(encoding="utf-8")  # as MkDocs writes it
    update = build(config)
    assert update.mode == "dirty"
    assert "\n\n" not in page.read_text(encoding="utf-8")
    assert_same_site(config.site_dir, tmp)


def test_a_dirty_build_still_fails_on_any_other_warning(project):
    config, _, _ = project
    notes = config.docs_dir / "notes.md"
    notes.write_text("# Notes\n\n[gone](gone.md)\n", encoding="utf-8")
    store(config, *day_records(DAYS[-1] + timedelta(days=5)))
    try:
        with pytest.raises(SiteBuildFailed, match='not included in the "nav" configuration'):
            build(config)
    finally:
        notes.unlink()
    assert build(config).mode == "dirty"


def test_new_site_settings_build_from_nothing(project):
    config, _, _ = project
    path = config.docs_dir.parent / "digest.yml"
    path.write_text(path.read_text("utf-8").replace("site_url:", "site_name: Renamed\nsite_url:"))
    renamed = load_config(path)
    assert build(renamed).mode == "full"
    assert "Renamed" in (renamed.site_dir / "index.html").read_text(encoding="utf-8")
