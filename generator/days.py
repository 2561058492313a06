"""Which days a run fetches, and how a fetched day becomes a record.

A day is one repository's local day: `[midnight, next midnight)` in the configured
timezone. It is complete once it has ended and its source has caught up with the
upstream past its end; otherwise the next run fetches it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from generator.config import Config, RepoConfig
from generator.errors import ConfigError
from generator.localdays import Window, day_window, days_between
from generator.models import Commit, DayRecord
from generator.recordcache import RecordCache
from generator.sources import Source

FIRST_RUN_DAYS = 7


@dataclass(frozen=True)
class DayRange:
    """What the user asked for: explicit bounds, or None for 'whatever is missing'."""

    since: date | None = None
    until: date | None = None


MISSING_DAYS = DayRange()
"""No bounds: every day after the last complete one, and earlier incomplete ones."""


def pending_days(
    config: Config,
    repo: RepoConfig,
    requested: DayRange,
    yesterday: date,
    records: RecordCache | None = None,
) -> list[date]:
    """The days to (re)fetch: explicit bounds, else every day after the last complete
    record up to yesterday, plus any earlier day whose record is incomplete. Whether a
    record is complete comes from its summary (`records`), read again only if it changed."""
    if requested.since and requested.until:
        return days_between(requested.since, requested.until)
    records = records or RecordCache.open(config.cache_dir, config.data_dir, repo.name)
    summaries = records.summaries()
    incomplete = [d for d, s in summaries.items() if not s.complete]
    complete = [d for d, s in summaries.items() if s.complete]
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
    complete = now >= window.end and caught_up(source, window)
    return make_record(repo, window, config, now, complete=complete, commits=commits)


def caught_up(source: Source, window: Window) -> bool:
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
            and not caught_up(source, window)
        ]
        if behind and source.synced_at is not None:
            when = f"{source.synced_at.astimezone(config.tz):%Y-%m-%d %H:%M}"
            warnings.append(
                f"Repository '{name}': the clone was last updated {when} ({config.timezone}), "
                f"so {len(behind)} ended day(s) from {min(behind)} stay incomplete; "
                f"update it ({source.stale_hint()}) and the next run completes them"
            )
    return warnings


def failed_day(
    repo: RepoConfig, window: Window, config: Config, now: datetime, exc: Exception
) -> DayRecord:
    """A placeholder that says the day is not done, so the next run retries it."""
    return make_record(repo, window, config, now, complete=False, error=str(exc))


def make_record(
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


def check_range(requested: DayRange, current: date) -> None:
    if requested.since and requested.until and requested.since > requested.until:
        raise ConfigError(f"--since {requested.since} is after --until {requested.until}")
    for bound in (requested.since, requested.until):
        if bound and bound > current:
            raise ConfigError(
                f"{bound} is in the future; the latest day to fetch is today ({current})"
            )
