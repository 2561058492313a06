"""Bring site/ and its search index up to date with docs/, redoing only what changed.

After `render.incremental` has rendered the pages the records changed, a build that
finds the site folder built from the same inputs and the same lineage of docs/
(`site.buildstate`):

- deletes from the site the pages renders deleted since;
- runs MkDocs `--dirty`, which rebuilds the pages whose Markdown is newer than their
  HTML: exactly those rendered since (unchanged pages are never rewritten), while
  the others keep their HTML, which depends on nothing but their own page, the
  theme and the config;
- re-indexes the search parts whose pages' HTML changed, keeping the others.

With nothing rendered since, it does nothing. Otherwise, it builds from scratch.
Both ways give the same files: the dirty path is checked against a clean build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.localdays import day_window
from generator.render.rendered import RenderState
from generator.render.settings import SiteSettings
from generator.render.summary import ArchiveSummary
from generator.site.build import BuiltSite, build_site, file_clock, is_site
from generator.site.buildstate import SiteState, site_fingerprint
from generator.site.mkdocs_yml import THEME_CONFIG, THEME_DIR, write_site_config
from generator.site.search import SearchIndex, html_file, index_site, search_plan


@dataclass(frozen=True)
class SiteRefresh:
    site: BuiltSite
    search: SearchIndex
    mode: str
    """`full` (from scratch), `dirty` (the pages rendered since) or `unchanged`."""


def refresh_site(
    settings: SiteSettings,
    docs_dir: Path,
    site_dir: Path,
    cache_dir: Path,
    rendered: RenderState,
    summary: ArchiveSummary,
) -> SiteRefresh:
    """Build what changed since the last build into `site_dir`, then index it."""
    engine_config = write_site_config(settings, docs_dir, site_dir)
    wanted = site_fingerprint(engine_config, THEME_CONFIG, THEME_DIR)
    previous = SiteState.load(cache_dir, site_dir)
    same = (
        previous is not None
        and (previous.fingerprint, previous.site_dir) == (wanted, str(site_dir))
        and previous.generation == rendered.generation
        and previous.revision <= rendered.revision
        and is_site(site_dir)
    )
    if previous is not None and same and previous.revision == rendered.revision:
        mode = "unchanged"
        site = BuiltSite(site_dir, engine_config, 0.0, "")
    elif previous is not None and same:
        mode = "dirty"
        for page in rendered.removed_since(previous.revision):
            _remove_built(site_dir, page)
        # Squeezed: the pages written since the last complete build, which includes those
        # of a build that stopped before squeezing them.
        since = previous.squeezed or None
        epoch = _epoch(summary, settings)
        site = build_site(settings, docs_dir, site_dir, True, epoch, written_since=since)
    else:
        mode = "full"
        SiteState.forget(cache_dir, site_dir)  # a build that stops halfway is redone from scratch
        site = build_site(settings, docs_dir, site_dir, epoch=_epoch(summary, settings))
    known = previous.parts if previous is not None and same else None
    search = index_site(site_dir, search_plan(summary, settings), known)
    state = SiteState(wanted, str(site_dir), rendered.generation, rendered.revision)
    state.parts = search.signatures
    state.squeezed = previous.squeezed if mode == "unchanged" and previous else file_clock(site_dir)
    state.save(cache_dir)
    return SiteRefresh(site, search, mode)


def _epoch(summary: ArchiveSummary, settings: SiteSettings) -> int:
    """The end of the archive's newest complete day (seconds), or 0: the date a build
    gives its pages in the sitemap, from the records rather than the clock."""
    day = summary.newest_complete_day()
    return int(day_window(day, settings.tz).end.timestamp()) if day else 0


def _remove_built(site_dir: Path, page: str) -> None:
    """Delete the built file of a page (or a copied file, such as a feed) and the folders it
    leaves empty."""
    built = site_dir / (html_file(page) if page.endswith(".md") else page)
    built.unlink(missing_ok=True)
    folder = built.parent
    while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
