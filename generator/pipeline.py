"""The job, as the design diagram draws it: source → records → analysis → pages and feeds
(`run`, `render`), then the site (`build`)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from generator.analysis import Analyzer, analyze, make_analyzer, needs_work, open_llm_session
from generator.config import Config, GitRepoConfig, RepoConfig
from generator.errors import ConfigError, DigestError, SourceExhausted, SourceUnavailable
from generator.files import OutputTree, remove_temporary
from generator.lock import archive_lock
from generator.models import TIERS, Commit, DayRecord
from generator.progress import Progress
from generator.publish import publish
from generator.records import iter_records, load_record, record_days, write_record
from generator.render.archive import Archive
from generator.render.feeds import render_feeds
from generator.render.i18n import TIER_EMOJI
from generator.render.pages import render_pages
from generator.render.settings import SiteSettings
from generator.site.build import BuiltSite, build_site, check_site_dir
from generator.sources import Source, SourceContext, open_source
from generator.windows import Window, day_window, days_between, today

if TYPE_CHECKING:
    from generator.analysis.llm import LlmStats

FIRST_RUN_DAYS = 7


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

    def line(self) -> str:
        tiers = _tier_line(self.tiers)
        failed = f", {len(self.failures)} failed" if self.failures else ""
        posted = f", {len(self.published)} reports posted" if self.published else ""
        api = f", {self.api_requests} GitHub API requests" if self.api_requests is not None else ""
        llm = f"; {self.llm.line()}" if self.llm else ""
        return (
            f"Done: {len(self.days)} days, {self.commits} commits ({tiers}), "
            f"{self.records_written} records and {self.pages_written} pages changed"
            f"{failed}{posted}{api} in {self.seconds:.1f} s{llm}"
        )


@dataclass(frozen=True)
class DayRange:
    """What the user asked for: explicit bounds, or None for 'whatever is missing'."""

    since: date | None = None
    until: date | None = None


def run(
    config: Config,
    requested: DayRange = DayRange(),
    only_repo: str | None = None,
    progress: Progress | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    reanalyze: bool = False,
) -> RunSummary:
    """Fetch, analyse and store every requested repository-day, then re-render the pages.
    `reanalyze` analyses the requested days' commits again even where a current analysis
    exists (an LLM is asked again)."""
    started = time.monotonic()
    progress = progress or Progress.quiet()
    repos = [config.repo(only_repo)] if only_repo else list(config.repos)
    current = today(config.tz, now())
    yesterday = current - timedelta(days=1)
    _check_range(requested, current)
    _check_publish_token(config)
    session = open_llm_session(config)  # a missing key is a config error, before any write
    summary = RunSummary(llm=session.stats if session else None)
    context = SourceContext(config, now())
    try:
        sources = open_sources(repos, context, summary)  # validates before any write
        plan = [
            (repo, day)
            for repo in repos
            if repo.name in sources
            for day in pending_days(config, repo, requested, yesterday)
        ]
        analyzers = {
            name: make_analyzer(config, config.repo(name), source, session)
            for name, source in sources.items()
        }
        _run_plan(config, plan, sources, analyzers, summary, progress, now, reanalyze, context)
    finally:
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


def _run_plan(
    config: Config,
    plan: list[tuple[RepoConfig, date]],
    sources: dict[str, Source],
    analyzers: dict[str, Analyzer],
    summary: RunSummary,
    progress: Progress,
    now: Callable[[], datetime],
    reanalyze: bool,
    context: SourceContext,
) -> None:
    with archive_lock(config.data_dir):
        remove_temporary(config.data_dir, config.docs_dir)
        progress.start(len(plan))
        stopped: set[str] = set()
        for repo, day in plan:
            if repo.name in stopped:
                progress.step(f"{day} {repo.name}: skipped, left for the next run")
                continue
            # -- reading: one repository-day from its source, analysed --
            window = day_window(day, config.tz)
            previous = load_record(config.data_dir, repo.name, day)
            try:
                record = fetch_day(sources[repo.name], repo, window, config, now(), previous)
            except SourceUnavailable as exc:
                summary.failures.append(str(exc))
                progress.step(f"{day} {repo.name}: failed: {exc}")
                if previous is None:
                    failed = _failed_day(repo, window, config, now(), exc)
                    summary.records_written += write_record(config.data_dir, failed)
                if isinstance(exc, SourceExhausted):
                    stopped.add(repo.name)  # the source can answer nothing more this run
                continue
            record = analyze(record, analyzers[repo.name], previous, force=reanalyze)
            record = keep_published(record, previous)
            if summary.llm is not None:
                summary.llm.cache_hits += _kept(record, previous)
            # -- writing: the record, atomically; unchanged records are left alone --
            summary.records_written += write_record(config.data_dir, record)
            _count(summary, record)
            progress.step(_day_line(record))
        progress.finish()
        summary.warnings += stale_warnings(config, plan, sources, now())
        done = {(repo.name, day) for repo, day in plan}
        for name, analyzer in analyzers.items():
            skip = {day for repo, day in done if repo == name}
            summary.records_written += reanalyze_stale(config, name, analyzer, skip)
        summary.pages_written = render_archive(config)
        # -- publishing: after the records and pages, so a failure here loses nothing --
        if config.publish.github_issue:
            result = publish(config, [(r.name, day) for r, day in plan], context.api())
            summary.published += result.posted
            summary.warnings += result.failures


def render(config: Config) -> int:
    """Re-render every page from the records alone; returns how many files changed."""
    with archive_lock(config.data_dir):
        remove_temporary(config.data_dir, config.docs_dir)
        return render_archive(config)


def render_archive(config: Config) -> int:
    """Pages and feeds of every record into docs/; returns how many files changed.
    The caller holds the archive lock."""
    archive = Archive.load(config.data_dir, [repo.name for repo in config.repos])
    settings = SiteSettings.from_config(config)
    out = OutputTree(config.docs_dir)
    render_pages(archive, settings, out)
    render_feeds(archive, settings, out)
    return out.changed


@dataclass(frozen=True)
class BuildSummary:
    pages_changed: int
    site: BuiltSite

    def line(self) -> str:
        return (
            f"Done: {self.pages_changed} pages changed, site built in {self.site.site_dir} "
            f"in {self.site.seconds:.1f} s"
        )


def build(config: Config, site_dir: Path | None = None) -> BuildSummary:
    """Render what the records changed, then build the site into `site_dir` (default: the
    config's `site_dir`). Holds the archive lock, so no run rewrites pages under MkDocs."""
    origin = f"--site-dir {site_dir}" if site_dir else f"site_dir {config.site_dir}"
    clones = [repo.path for repo in config.repos if isinstance(repo, GitRepoConfig)]
    keep = [config.data_dir, config.mirror_dir, *clones]
    target = check_site_dir(site_dir or config.site_dir, config.docs_dir, keep, origin)
    with archive_lock(config.data_dir):
        remove_temporary(config.data_dir, config.docs_dir)
        # -- pages: unchanged ones are not rewritten; then the site, from all of them --
        changed = render_archive(config)
        site = build_site(SiteSettings.from_config(config), config.docs_dir, target)
    return BuildSummary(changed, site)


def pending_days(
    config: Config, repo: RepoConfig, requested: DayRange, yesterday: date
) -> list[date]:
    """The days to (re)fetch: explicit bounds, else every day after the last complete
    record up to yesterday, plus any earlier day whose record is incomplete."""
    if requested.since and requested.until:
        return days_between(requested.since, requested.until)
    recorded = record_days(config.data_dir, repo.name)
    incomplete = [d for d in recorded if not _is_complete(config, repo, d)]
    complete = [d for d in recorded if d not in incomplete]
    if requested.since:
        first = requested.since
    elif complete:
        first = complete[-1] + timedelta(days=1)
    else:
        first = config.start or yesterday - timedelta(days=FIRST_RUN_DAYS - 1)
    last = requested.until or yesterday
    retry = [d for d in incomplete if d < first]
    return retry + days_between(first, last) if first <= last else retry


def fetch_day(
    source: Source,
    repo: RepoConfig,
    window: Window,
    config: Config,
    now: datetime,
    previous: DayRecord | None = None,
) -> DayRecord:
    """One repository-day from its source. A day is complete once its window has closed
    and the source is known to have caught up with the upstream past that moment.
    The commits `previous` (the day's record so far) holds need not be fetched again."""
    known = {c.sha: c for c in previous.commits} if previous else None
    commits = tuple(source.commits(window, known))
    complete = now >= window.end and _caught_up(source, window)
    return _record(repo, window, config, now, complete=complete, commits=commits)


def _caught_up(source: Source, window: Window) -> bool:
    return source.synced_at is None or source.synced_at >= window.end


def stale_warnings(
    config: Config, plan: list[tuple[RepoConfig, date]], sources: dict[str, Source], now: datetime
) -> list[str]:
    """One line per repository whose source is behind days this run had to leave open."""
    warnings = []
    for name, source in sources.items():
        behind = [
            day
            for repo, day in plan
            if repo.name == name
            and (window := day_window(day, config.tz)).end <= now
            and not _caught_up(source, window)
        ]
        if behind and source.synced_at is not None:
            when = f"{source.synced_at.astimezone(config.tz):%Y-%m-%d %H:%M}"
            warnings.append(
                f"Repository '{name}': the clone was last updated {when} ({config.timezone}), "
                f"so {len(behind)} ended day(s) from {min(behind)} stay incomplete; "
                f"update it ({source.stale_hint()}) and the next run completes them"
            )
    return warnings


def _failed_day(
    repo: RepoConfig, window: Window, config: Config, now: datetime, exc: Exception
) -> DayRecord:
    """A placeholder that says the day is not done, so the next run retries it."""
    return _record(repo, window, config, now, complete=False, error=str(exc))


def _record(
    repo: RepoConfig,
    window: Window,
    config: Config,
    now: datetime,
    complete: bool,
    commits: tuple[Commit, ...] = (),
    error: str | None = None,
) -> DayRecord:
    return DayRecord(
        repo=repo.name,
        branch=repo.branch,
        day=window.day,
        timezone=config.timezone,
        window_start=window.start,
        window_end=window.end,
        fetched_at=now.replace(microsecond=0),
        complete=complete,
        error=error,
        commits=commits,
    )


def reanalyze_stale(
    config: Config, repo: str, analyzer: Analyzer, skip: Collection[date] = ()
) -> int:
    """Re-analyse recorded days whose analyses are not what the analyzer would make now.

    Switching `language`, changing the importance settings, a new version of the rules,
    or LLM analyses that fell back to the rules then reach the whole archive without
    fetching anything: analysis needs only the recorded facts (and, for an LLM, the diff).
    Days this run just analysed are skipped: what failed there is retried next run.
    """
    changed = 0
    for record in iter_records(config.data_dir, repo):
        if record.day not in skip and needs_work(record, analyzer):
            changed += write_record(config.data_dir, analyze(record, analyzer))
    return changed


def _kept(record: DayRecord, previous: DayRecord | None) -> int:
    """Commits whose recorded analysis was kept as it was: no analyzer was asked."""
    before = {c.sha: c.analysis for c in previous.commits} if previous else {}
    return sum(1 for c in record.commits if c.analysis and before.get(c.sha) == c.analysis)


def keep_published(record: DayRecord, previous: DayRecord | None) -> DayRecord:
    """Add back commits an earlier fetch recorded that the branch no longer has.

    A force-push upstream must not erase what readers already saw: those commits
    stay, with `dropped_at` set the first time they were found missing.
    """
    if previous is None:
        return record
    present = {c.sha for c in record.commits}
    dropped = [
        c if c.dropped_at else c.model_copy(update={"dropped_at": record.fetched_at})
        for c in previous.commits
        if c.sha not in present
    ]
    if not dropped:
        return record
    # Newest first, as git lists them: each dropped commit goes before the first
    # commit on the branch that is older than it.
    commits = list(record.commits)
    for commit in dropped:
        index = next(
            (i for i, c in enumerate(commits) if c.committed_at < commit.committed_at),
            len(commits),
        )
        commits.insert(index, commit)
    return record.model_copy(update={"commits": tuple(commits)})


def _is_complete(config: Config, repo: RepoConfig, day: date) -> bool:
    try:
        record = load_record(config.data_dir, repo.name, day)
    except DigestError:
        return False
    return record is not None and record.complete


def _check_range(requested: DayRange, current: date) -> None:
    if requested.since and requested.until and requested.since > requested.until:
        raise ConfigError(f"--since {requested.since} is after --until {requested.until}")
    for bound in (requested.since, requested.until):
        if bound and bound > current:
            raise ConfigError(
                f"{bound} is in the future; the latest day to fetch is today ({current})"
            )


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
