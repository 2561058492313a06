"""The job, stage after stage (README: Architecture): source → records → analysis → pages
and feeds (`run`, `render`), then the site (`build`), then the sinks (`publish`, `notify`)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from generator.analysis import (
    Analyzer,
    analysis_key,
    analyze,
    make_analyzer,
    needs_work,
    open_llm_session,
)
from generator.config import Config, GitRepoConfig, RepoConfig
from generator.days import (
    MISSING_DAYS,
    DayRange,
    check_range,
    failed_day,
    fetch_day,
    keep_published,
    pending_days,
    stale_warnings,
)
from generator.errors import ConfigError, SourceExhausted, SourceUnavailable
from generator.files import remove_temporary
from generator.localdays import day_window, today
from generator.lock import archive_lock
from generator.models import TIERS, DayRecord
from generator.notify import Delivery, build_notices, check_targets, deliver
from generator.progress import Progress
from generator.publish import publish
from generator.recordcache import Check, RecordCache
from generator.records import load_record, read_record, record_path, store_record
from generator.releases import ReleaseUpdate, open_refs, update_releases
from generator.render.archive import record_files
from generator.render.incremental import RenderResult, render_docs
from generator.render.settings import SiteSettings
from generator.site.build import BuiltSite, check_site_dir
from generator.site.refresh import refresh_site
from generator.site.search import SearchIndex
from generator.sources import ReadsAhead, Source, SourceContext, open_source
from generator.text import TIER_EMOJI

if TYPE_CHECKING:
    from generator.analysis.llm import LlmSession, LlmStats

__all__ = [
    "BuildSummary",
    "DayRange",
    "RunSummary",
    "build",
    "pending_days",
    "reanalyze_stale",
    "render",
    "run",
]


@dataclass
class RunSummary:
    days: set[date] = field(default_factory=set)
    commits: int = 0
    tiers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
    records_written: int = 0
    pages_written: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    llm: LlmStats | None = None
    """Requests and tokens, when an LLM analyzer ran."""
    seconds: float = 0.0
    api_requests: int | None = None
    """Requests sent to the GitHub API, retries included; None when GitHub was not used."""
    published: list[str] = field(default_factory=list)
    """Issues opened or edited (`owner/name#number`)."""
    notified: list[str] = field(default_factory=list)
    """Messages delivered (`target: key`)."""

    def line(self) -> str:
        tiers = _tier_line(self.tiers)
        failed = f", {len(self.failures)} failed" if self.failures else ""
        posted = f", {len(self.published)} reports posted" if self.published else ""
        posted += f", {len(self.notified)} messages sent" if self.notified else ""
        api = f", {self.api_requests} GitHub API requests" if self.api_requests is not None else ""
        llm = f"; {self.llm.line()}" if self.llm else ""
        return (
            f"Done: {len(self.days)} days, {self.commits} commits ({tiers}), "
            f"{self.records_written} records and {self.pages_written} pages changed"
            f"{failed}{posted}{api} in {self.seconds:.1f} s{llm}"
        )


def run(
    config: Config,
    requested: DayRange = MISSING_DAYS,
    only_repo: str | None = None,
    progress: Progress | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    reanalyze: bool = False,
) -> RunSummary:
    """Fetch, analyse and store every requested repository-day, then re-render the pages.
    `reanalyze` analyses the requested days' commits again even where a current analysis
    exists (an LLM is asked again)."""
    started = time.monotonic()
    repos = [config.repo(only_repo)] if only_repo else list(config.repos)
    current = today(config.tz, now())
    check_range(requested, current)
    _check_publish_token(config)
    check_targets(config.notify, os.environ)  # a missing secret is a config error, now
    session = open_llm_session(config)  # a missing key is a config error, before any write
    summary = RunSummary(llm=session.stats if session else None)
    context = SourceContext(config, now())
    sources: dict[str, Source] = {}
    try:
        sources = open_sources(repos, context, summary)  # validates before any write
        job = _Run(config, summary, progress or Progress.quiet(), now, reanalyze, context)
        job.repos = {name: _RepoRun.make(config, name, s, session) for name, s in sources.items()}
        plan = [
            (repo, day)
            for repo in repos
            if repo.name in sources
            for day in pending_days(
                config, repo, requested, current - timedelta(days=1), job.repos[repo.name].records
            )
        ]
        for name, source in sources.items():
            if isinstance(source, ReadsAhead):
                source.expect([day_window(day, config.tz) for r, day in plan if r.name == name])
        job.run(plan)
    finally:
        _stop_reading_ahead(sources)
        if session is not None:
            session.close()
    summary.warnings[:0] = context.warnings
    summary.api_requests = context.api_requests
    summary.seconds = time.monotonic() - started
    return summary


def open_sources(
    repos: list[RepoConfig], context: SourceContext, summary: RunSummary
) -> dict[str, Source]:
    """Each repository's source, opened. A mistake in the config stops the run before
    anything is written; an upstream that cannot be reached now fails that repository
    alone (nothing is recorded for it, so the next run tries its days again)."""
    sources = {}
    for repo in repos:
        try:
            sources[repo.name] = open_source(repo, context)
        except SourceUnavailable as exc:
            summary.failures.append(str(exc))
    return sources


def _check_publish_token(config: Config) -> None:
    target = config.publish.github_issue
    variable = config.github.token_env
    if target and not os.environ.get(variable):
        raise ConfigError(
            f"publish.github_issue posts to {target.repo} and needs a token: set ${variable} "
            "(github.token_env names the variable), or remove publish"
        )


@dataclass(frozen=True)
class _RepoRun:
    """One repository's part of a run: its source, analyzer and record summaries."""

    source: Source
    analyzer: Analyzer
    records: RecordCache

    @classmethod
    def make(
        cls, config: Config, name: str, source: Source, session: LlmSession | None
    ) -> _RepoRun:
        analyzer = make_analyzer(config, config.repo(name), source, session)
        return cls(source, analyzer, record_cache(config, name, analyzer))


def record_cache(config: Config, repo: str, analyzer: Analyzer) -> RecordCache:
    """The summaries of a repository's records, judged by `analyzer`."""
    key = analysis_key(config, config.repo(repo), analyzer)
    check = Check(key, lambda record: needs_work(record, analyzer))
    return RecordCache.open(config.cache_dir, config.data_dir, repo, check)


def _store(
    config: Config, records: RecordCache, record: DayRecord, previous: DayRecord | None
) -> bool:
    """Write the record unless only `fetched_at` changed; note what it now holds."""
    text = store_record(config.data_dir, record, previous)
    records.note(record, text)
    return text is not None


def _stop_reading_ahead(sources: dict[str, Source]) -> None:
    """End the sources' read-ahead threads (they still answer): rendering may fork."""
    for source in sources.values():
        if isinstance(source, ReadsAhead):
            source.close()


@dataclass
class _Run:
    """What one `run` works with: the config, its clock and options, each repository's
    source and analyzer, and the summary it fills in."""

    config: Config
    summary: RunSummary
    progress: Progress
    now: Callable[[], datetime]
    reanalyze: bool
    context: SourceContext
    repos: dict[str, _RepoRun] = field(default_factory=dict)

    def run(self, plan: list[tuple[RepoConfig, date]]) -> None:
        """Record every planned repository-day, then render, then publish."""
        config, summary = self.config, self.summary
        with archive_lock(config.data_dir):
            remove_temporary(config.data_dir, config.docs_dir)
            self.progress.start(len(plan))
            stopped: set[str] = set()
            for repo, day in plan:
                if repo.name in stopped:
                    self.progress.step(f"{day} {repo.name}: skipped, left for the next run")
                elif not self.record_day(repo, day):
                    stopped.add(repo.name)  # the source can answer nothing more this run
            self.progress.finish()
            sources = {name: r.source for name, r in self.repos.items()}
            _stop_reading_ahead(sources)
            summary.warnings += stale_warnings(config, plan, sources, self.now())
            for name, repo_run in self.repos.items():
                done = {day for repo, day in plan if repo.name == name}
                summary.records_written += reanalyze_stale(
                    config, name, repo_run.analyzer, done, repo_run.records
                )
                repo_run.records.save()
            for name, repo_run in self.repos.items():
                if name in stopped:
                    continue  # its source can answer nothing more this run
                update = write_releases(config, config.repo(name), repo_run)
                summary.records_written += len(update.written)
                summary.warnings += update.warnings
            summary.records_written += _week_overviews(config, self.repos)
            written = {name: repo_run.records for name, repo_run in self.repos.items()}
            rendered = _render_docs(config, records=written)
            summary.pages_written = rendered.changed
            # -- the sinks: after the records and pages, so a failure here loses nothing --
            days = [(r.name, day) for r, day in plan]
            if config.publish.github_issue:
                result = publish(config, days, self.context.api())
                summary.published += result.posted
                summary.warnings += result.failures
            if config.notify:
                delivery = notify(config, rendered, days, self.now)
                summary.notified += delivery.sent
                summary.warnings += delivery.warnings

    def record_day(self, repo: RepoConfig, day: date) -> bool:
        """Fetch, analyse and store one repository-day; False when its source is exhausted."""
        config, summary = self.config, self.summary
        # -- reading: one repository-day from its source, analysed --
        window = day_window(day, config.tz)
        repo_run = self.repos[repo.name]
        previous = load_record(config.data_dir, repo.name, day)
        try:
            record = fetch_day(repo_run.source, repo, window, config, self.now(), previous)
        except SourceUnavailable as exc:
            summary.failures.append(str(exc))
            self.progress.step(f"{day} {repo.name}: failed: {exc}")
            if previous is None:
                failed = failed_day(repo, window, config, self.now(), exc)
                summary.records_written += _store(config, repo_run.records, failed, None)
            return not isinstance(exc, SourceExhausted)
        record = analyze(record, repo_run.analyzer, previous, force=self.reanalyze)
        record = keep_published(record, previous)
        if summary.llm is not None:
            summary.llm.cache_hits += _kept(record, previous)
        # -- writing: the record, atomically; unchanged records are left alone --
        summary.records_written += _store(config, repo_run.records, record, previous)
        _count(summary, record)
        self.progress.step(_day_line(record))
        return True


def _week_overviews(config: Config, repos: dict[str, _RepoRun]) -> int:
    """With an LLM writing day overviews, each complete week's too (`analysis.weekly`)."""
    if config.analyzer != "llm" or config.llm is None or not config.llm.overview:
        return 0
    from generator.analysis.llm import LlmAnalyzer  # not loaded for the rules analyzer
    from generator.analysis.weekly import write_week_overviews

    written = 0
    for name, repo_run in repos.items():
        if not isinstance(repo_run.analyzer, LlmAnalyzer):
            continue
        summaries = repo_run.records.summaries()
        digests = {day: known.digest for day, known in summaries.items() if known.complete}
        load = partial(record_files(config.data_dir), name)
        written += write_week_overviews(config.data_dir, repo_run.analyzer, name, digests, load)
    return written


def write_releases(config: Config, repo: RepoConfig, repo_run: _RepoRun) -> ReleaseUpdate:
    """The release records the repository lacks, for releases tagged since the archive's
    first day (README: Releases); failures are warnings."""
    days = repo_run.records.summaries()
    refs = open_refs(repo_run.source) if repo.releases is not None and days else None
    if refs is None:
        return ReleaseUpdate()
    return update_releases(refs, repo, config.data_dir, min(days), config.tz)


def notify(
    config: Config,
    rendered: RenderResult,
    covered: list[tuple[str, date]],
    now: Callable[[], datetime],
) -> Delivery:
    """Send each `notify:` target the complete days' messages it has not had (`covered`:
    the run's repository-days, where a new target starts). Failures are warnings."""
    load = record_files(config.data_dir)
    notices = build_notices(
        config, rendered.summary, rendered.watches, covered, load, rendered.history
    )
    return deliver(config.notify, notices, config.data_dir, os.environ, now, covered=covered)


def render(config: Config, full: bool = True) -> int:
    """Bring docs/ up to date with the records: every page (`full`), or the pages and feeds
    the records changed since the last render affect (every page the first time). Returns
    how many files changed."""
    with archive_lock(config.data_dir):
        remove_temporary(config.data_dir, config.docs_dir)
        return _render_docs(config, full).changed


def _render_docs(
    config: Config, full: bool = False, records: Mapping[str, RecordCache] | None = None
) -> RenderResult:
    """`render`, for a caller that holds the archive lock."""
    settings = SiteSettings.from_config(config)
    docs, cache = config.docs_dir, config.cache_dir
    return render_docs(config.data_dir, docs, cache, settings, full, records)


@dataclass(frozen=True)
class BuildSummary:
    pages_changed: int
    site: BuiltSite
    search: SearchIndex
    mode: str = "full"
    """How the site was built: `full`, `dirty` (the pages changed since) or `unchanged`."""

    def line(self) -> str:
        built = {"full": "built", "dirty": "updated", "unchanged": "unchanged"}[self.mode]
        return (
            f"Done: {self.pages_changed} pages changed, site {built} in {self.site.site_dir} "
            f"in {self.site.seconds:.1f} s, {self.search.line()}"
        )


def build(config: Config, site_dir: Path | None = None) -> BuildSummary:
    """Render what the records changed, then build the site into `site_dir` (default: the
    config's `site_dir`). Holds the archive lock, so no run rewrites pages under MkDocs."""
    origin = f"--site-dir {site_dir}" if site_dir else f"site_dir {config.site_dir}"
    clones = [repo.path for repo in config.repos if isinstance(repo, GitRepoConfig)]
    keep = [config.data_dir, config.mirror_dir, config.cache_dir, *clones]
    target = check_site_dir(site_dir or config.site_dir, config.docs_dir, keep, origin)
    with archive_lock(config.data_dir):
        remove_temporary(config.data_dir, config.docs_dir)
        # -- pages: those the records changed; then the site and its search index, as far
        # as the pages changed since the last build (all of it, the first time) --
        rendered = _render_docs(config)
        settings = SiteSettings.from_config(config)
        refresh = refresh_site(
            settings, config.docs_dir, target, config.cache_dir, rendered.state, rendered.summary
        )
    return BuildSummary(rendered.changed, refresh.site, refresh.search, refresh.mode)


def reanalyze_stale(
    config: Config,
    repo: str,
    analyzer: Analyzer,
    skip: Collection[date] = (),
    records: RecordCache | None = None,
) -> int:
    """Re-analyse recorded days whose analyses are not what the analyzer would make now.

    Switching `language`, changing the importance settings, a new version of the rules,
    or LLM analyses that fell back to the rules then reach the whole archive without
    fetching anything: analysis needs only the recorded facts (and, for an LLM, the diff).
    Days this run just analysed are skipped: what failed there is retried next run.
    A record whose file is unchanged since it was found to need nothing under the same
    analysis key is not read at all (`records`, the summaries: recordcache.py).
    """
    records = records or record_cache(config, repo, analyzer)
    changed = 0
    for day, known in records.summaries().items():
        if day in skip or records.is_current(known):
            continue
        record = read_record(record_path(config.data_dir, repo, day))
        if needs_work(record, analyzer):
            changed += _store(config, records, analyze(record, analyzer), record)
        else:
            records.note(record, None)
    return changed


def _kept(record: DayRecord, previous: DayRecord | None) -> int:
    """Commits whose recorded analysis was kept as it was: no analyzer was asked."""
    before = {c.sha: c.analysis for c in previous.commits} if previous else {}
    return sum(1 for c in record.commits if c.analysis and before.get(c.sha) == c.analysis)


def _count(summary: RunSummary, record: DayRecord) -> None:
    summary.days.add(record.day)
    summary.commits += len(record.commits)
    for tier, count in record.tier_counts().items():
        summary.tiers[tier] += count


def _day_line(record: DayRecord) -> str:
    state = "" if record.complete else " (day not over yet)"
    tiers = _tier_line(record.tier_counts())
    return f"{record.day} {record.repo}: {len(record.commits)} commits ({tiers}){state}"


def _tier_line(counts: dict[str, int]) -> str:
    return " ".join(f"{TIER_EMOJI[tier]}{counts[tier]}" for tier in TIERS)
