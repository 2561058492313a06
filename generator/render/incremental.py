"""Render what the records changed: the stage `run`, `render` and `build` call (`render_docs`).

The records' summaries (`recordcache`) are compared with what docs/ was last rendered
from (`render.rendered`). Without a usable state (the first run, a new version of the
generator, other site settings) every page is rendered; `render` does so on
request. Otherwise only the pages a changed record shows are:

- its day's page, and when the day gains or loses its page, the neighbouring days'
  pages (their previous/next links);
- the pages of its commits, and of the commits next to them across days: the newest
  commit of the repository's record before it and the oldest of the one after;
- every repository page, month page, watch page, home and the archive, and every
  feed. They are read from the summary and the few recent records they list, never
  from the whole archive (a watch's commits from `watches.WatchIndex`).
- the module pages, their month pages, module lists and weekly reports whose inputs moved
  (each planned with a hash of what it shows, from `history.HistoryIndex`), and the
  commit and day pages whose reverts, follow-ups or reverted marks moved
  (`historypages.HistoryPages.plan`): a revert recorded today re-renders the page of
  the commit it reverts.

Either way the result is byte for byte what rendering everything gives; pages of
commits, days or months that are gone are deleted. Unchanged files are not rewritten, and
the written ones are synced to disk once, before the state records them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.analysis.weekfiles import read_week_overviews
from generator.files import OutputTree
from generator.fingerprint import code_fingerprint, fingerprint
from generator.models import DayRecord
from generator.recordcache import RecordCache
from generator.render import links
from generator.render.archive import Archive, CommitRef, Loader, record_files
from generator.render.feeds import render_feeds
from generator.render.history import HistoryIndex, module_maps
from generator.render.historypages import COMMIT_MARK, Planned
from generator.render.pageset import GENERATED_FOLDERS, Pages
from generator.render.releasepages import render_releases
from generator.render.releases import ReleaseSet
from generator.render.releasetiers import TierIndex
from generator.render.rendered import Key, RenderState
from generator.render.settings import SiteSettings
from generator.render.summary import ArchiveSummary
from generator.render.watches import WatchIndex
from generator.render.workers import render_days, worker_count

WEEK_TEXTS = "mark/week-overviews"
"""The history index's record of the week overviews the pages show."""


@dataclass(frozen=True)
class RenderResult:
    changed: int
    """Files written or deleted."""
    state: RenderState
    summary: ArchiveSummary
    watches: WatchIndex | None = None
    """Which commits each watch follows (None without watches): what notifications need."""
    history: HistoryIndex | None = None
    """Module pages', reverts' and weeks' index: what weekly notifications need."""


def render_fingerprint(settings: SiteSettings) -> str:
    return fingerprint(code_fingerprint(), repr(settings))


def render_docs(
    data_dir: Path,
    docs_dir: Path,
    cache_dir: Path,
    settings: SiteSettings,
    full: bool = False,
    records: Mapping[str, RecordCache] | None = None,
) -> RenderResult:
    """Bring docs/ up to date with data/: the pages the changed records affect, or with
    `full` (or without a usable state) every page. The caller holds the archive lock.
    `records` are a run's summaries, holding the records it just wrote: those are taken
    from memory rather than read back from their files."""
    repos = settings.repo_names
    wanted = render_fingerprint(settings)
    previous = RenderState.load(cache_dir, docs_dir)
    usable = previous is not None and previous.fingerprint == wanted
    state = previous if previous is not None and usable else RenderState.new(wanted)
    given = records or {}
    caches = {
        repo: given.get(repo) or RecordCache.open(cache_dir, data_dir, repo) for repo in repos
    }
    now = {
        (repo, day): known
        for repo, cache in caches.items()
        for day, known in cache.summaries().items()
    }
    for cache in caches.values():
        cache.save()
    shown = {key: known.digest for key, known in now.items()}
    changed = {
        key
        for key in shown.keys() | state.records.keys()
        if shown.get(key) != state.records.get(key)
    }
    summary = ArchiveSummary(repos, (known.record for known in now.values()))
    archive = Archive(summary, _reading(data_dir, caches))
    index = None
    if settings.watches:
        # Before any page: watch pages, feeds and home read it. It reads the records that
        # changed since it was saved (each once: the archive keeps them for the pages).
        index = WatchIndex.load(cache_dir, docs_dir, settings.watches, repos)
        index.update(shown, archive.record)
        archive.use_watch_index(index)
        index.save()
    # Release pages count the archived commits' tiers: the index follows the records first.
    releases = ReleaseSet.load(data_dir, repos, TierIndex.load(cache_dir, docs_dir))
    releases.tiers.update(shown, archive.record)
    archive.releases = releases
    releases_now = releases.digest()
    # Read like the watch index; what its pages were rendered from is saved only once
    # they are written.
    history = HistoryIndex.load(cache_dir, docs_dir, module_maps(settings))
    history.update(shown, archive.record)
    history.week_texts = {
        (repo, week): overview.text
        for repo in repos
        for week, overview in read_week_overviews(data_dir, repo).items()
    }
    archive.use_history(history)
    # The week overviews are files of their own: one written alone still re-renders.
    weeks = fingerprint(repr(sorted(history.week_texts.items())))
    everything = full or not usable or history.fresh
    unchanged = not changed and releases_now == releases.tiers.rendered
    if not everything and unchanged and history.pages.get(WEEK_TEXTS) == weeks:
        history.save()
        releases.tiers.save()
        return RenderResult(0, state, summary, index, history)
    out = OutputTree(docs_dir)
    render_releases(releases, settings, out)  # before the feeds and pages prune their folders
    pages = Pages(archive, settings)
    plan = pages.history_plan()
    if everything:
        render_pages(archive, settings, out, worker_count(), plan)
    else:
        render_changes(archive, changed, settings, out)
        render_history_changes(pages, plan, history.pages, out)
    render_feeds(archive, settings, out)
    out.sync()
    history.pages = {p.path: p.digest for p in plan} | {WEEK_TEXTS: weeks}
    history.changed = True
    written = out.changed + len(out.removed)
    if written:
        state.revision += 1
        state.removed += [(state.revision, page) for page in out.removed]
    state.records = shown
    state.save(cache_dir, docs_dir)
    history.save()
    releases.tiers.mark_rendered(releases_now)
    releases.tiers.save()
    return RenderResult(written, state, summary, index, history)


def render_pages(
    archive: Archive,
    settings: SiteSettings,
    out: OutputTree,
    workers: int = 1,
    plan: list[Planned] | None = None,
) -> int:
    """Write every page of the archive into `out` (the days' pages on up to `workers`
    processes); remove pages of nothing, and pages that earlier versions wrote and this
    one does not. Returns how many processes rendered the days."""
    pages = Pages(archive, settings)
    planned = pages.history_plan() if plan is None else plan
    used = render_days(pages, archive.days(), out, workers, planned)
    for page in pages.index_pages():
        out.write(*page)
    out.remove_stale(GENERATED_FOLDERS)
    for retired in links.RETIRED_PAGES:
        out.remove(retired)
    return used


def render_changes(
    archive: Archive, changed: Iterable[Key], settings: SiteSettings, out: OutputTree
) -> None:
    """Write the pages that the `changed` records affect, and delete the pages of what is
    gone. What the pages showed before is read off docs/ itself: whether a day's page is
    there, which commit pages a repository's folder holds."""
    after = archive.summary
    days: set[date] = set()
    records: set[Key] = set()
    edges: set[tuple[str, date, bool]] = set()
    gone: list[str] = []
    for repo, day in sorted(changed):
        page = links.day_page(day)
        if after.has_page(day):
            days.add(day)
        if (out.root / page).is_file() != after.has_page(day):
            days.update(d for d in after.day_neighbours(day) if d is not None)
            if not after.has_page(day):
                gone.append(page)
                if (day.year, day.month) not in after.months():
                    gone.append(links.month_page(day.year, day.month))
        new = after.get(repo, day)
        if new and new.shas:
            records.add((repo, day))
        if (older := after.before(repo, day)) is not None:
            edges.add((repo, older.day, True))
        if (newer := after.after(repo, day)) is not None:
            edges.add((repo, newer.day, False))
    for repo in sorted({repo for repo, _ in changed}):
        gone += _commit_pages_of_nothing(archive, repo, out.root)
    pages = Pages(archive, settings)
    for day in sorted(days):
        out.write(*pages.day(day))
    for repo, day in sorted(records):
        for commit in archive.record(repo, day).commits:
            out.write(*pages.commit_at(CommitRef(repo, day, commit)))
    neighbours = {}
    for repo, day, newest in sorted(edges):
        if (repo, day) not in records:
            commit = archive.record(repo, day).commits[0 if newest else -1]
            neighbours[repo, commit.sha] = CommitRef(repo, day, commit)
    for ref in neighbours.values():
        out.write(*pages.commit_at(ref))
    for page in pages.index_pages():
        out.write(*page)
    for page in gone:
        out.remove(page)


def render_history_changes(
    pages: Pages, plan: list[Planned], before: dict[str, str], out: OutputTree
) -> None:
    """Write the module pages, month pages, module lists and weekly reports whose inputs
    moved since `before` (and delete those no longer planned); re-render the commit and
    day pages whose marks (reverts, follow-ups) moved."""
    archive = pages.archive
    now = {p.path: p for p in plan}
    marks: set[tuple[str, ...]] = set()
    for planned in plan:
        if before.get(planned.path) == planned.digest:
            continue
        if planned.kind.endswith("_mark"):
            marks.add(tuple(str(a) for a in planned.args))
        else:
            out.write(*pages.planned(planned))
    for path in sorted(before.keys() - now.keys() - {WEEK_TEXTS}):
        if path.startswith(COMMIT_MARK + "/"):
            owner, name, sha = path.removeprefix(COMMIT_MARK + "/").split("/")
            marks.add((f"{owner}/{name}", sha))
        elif path.startswith("mark/day/"):
            marks.add((path.removeprefix("mark/day/"),))
        else:
            out.remove(path)
    for mark in sorted(marks):
        if len(mark) == 2:
            target = links.commit_page(*mark)
            if not _written(out, target) and _recorded(archive, *mark):
                out.write(*pages.commit(*mark))
            continue
        day = date.fromisoformat(mark[0])
        if archive.summary.has_page(day) and not _written(out, links.day_page(day)):
            out.write(*pages.day(day))


def _recorded(archive: Archive, repo: str, sha: str) -> bool:
    try:
        archive.commit(repo, sha)
    except KeyError:  # its record is gone
        return False
    return True


def _written(out: OutputTree, page: str) -> bool:
    """Whether this render wrote the page already (the records' changes do first)."""
    return Path(os.path.normpath(out.root / page)) in out.written


def _commit_pages_of_nothing(archive: Archive, repo: str, docs_dir: Path) -> list[str]:
    """The commit pages in the repository's folder whose commit no record holds now."""
    folder = docs_dir / links.commit_page(repo, "x").rsplit("/", 1)[0]
    if not folder.is_dir():
        return []
    kept = {sha for summary in archive.summary.of(repo) for sha in summary.shas}
    return [
        links.commit_page(repo, name.removesuffix(".md"))
        for name in sorted(os.listdir(folder))
        if name.endswith(".md") and name.removesuffix(".md") not in kept
    ]


def _reading(data_dir: Path, caches: dict[str, RecordCache]) -> Loader:
    """Records from their files, except those just read to summarise them (handed over
    once: the archive keeps what it reads)."""
    from_files = record_files(data_dir)

    def load(repo: str, day: date) -> DayRecord:
        return caches[repo].take(day) or from_files(repo, day)

    return load
