"""What a run has to say: the notices of complete repository-days the targets have not had.

One `day` notice per complete repository-day with commits (for `what: day` targets, and
for `what: high` ones, which take its high tier), and one `watch` notice per watch and
repository-day on which the watch follows commits (for the targets the watch names).
Days still open, failed fetches and days before a target's start are never notified.

The archive is not read to find them: the record summaries say which days are complete
and have commits (and high-tier ones), the watch index which days a watch has commits
on, the ledger what each target already has and where it starts. Only the records of
days some target still lacks are read, so a re-run reads none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from generator.config import Config, Watch
from generator.models import TIERS, Commit, DayRecord
from generator.notify.ledger import Ledger
from generator.notify.message import Notice, NoticeCommit, day_key, watch_key
from generator.render import links
from generator.render.i18n import Labels
from generator.render.summary import ArchiveSummary
from generator.render.watches import WatchIndex, matches


def build_notices(
    config: Config,
    summary: ArchiveSummary,
    index: WatchIndex | None,
    covered: Iterable[tuple[str, date]],
    load: Callable[[str, date], DayRecord],
) -> list[Notice]:
    """The notices some target of `config.notify` has not had yet. `covered` is the run's
    (repository, day) pairs: where a target new to a repository starts (as `deliver`
    decides it); `load` reads a record the summary lists."""
    targets = config.notify
    if not targets:
        return []
    ledger = Ledger.load(config.data_dir)  # read only: `deliver` records the starts
    days: dict[str, list[date]] = {}
    for repo, day in covered:
        days.setdefault(repo, []).append(day)
    for target in targets:
        for repo, repo_days in days.items():
            ledger.begin(target.name, repo, repo_days)
    notices: list[Notice] = []
    for repo in summary.repos:
        starts = [s for t in targets if (s := ledger.start(t.name, repo)) is not None]
        if not starts:
            continue
        for known in summary.of(repo):
            if known.day < min(starts) or not known.complete or not known.shas:
                continue
            due = _due(config, ledger, index, repo, known.day, has_high=known.tiers[0] > 0)
            if due.day or due.watches:
                notices += _notices(config, load(repo, known.day), due)
    return notices


@dataclass
class _Due:
    day: bool = False
    """The day's report (for `day` or `high` targets)."""
    watches: list[Watch] = field(default_factory=list)


def _due(
    config: Config,
    ledger: Ledger,
    index: WatchIndex | None,
    repo: str,
    day: date,
    has_high: bool,
) -> _Due:
    """Which notices of the repository-day some target covering it still lacks."""
    due = _Due()

    def lacks(target: str, key: str) -> bool:
        start = ledger.start(target, repo)
        return start is not None and day >= start and not ledger.delivered(target, key)

    for target in config.notify:
        if target.what == "day" and lacks(target.name, day_key(repo, day)):
            due.day = True
        high_key = "high/" + day_key(repo, day).removeprefix("day/")
        if target.what == "high" and has_high and lacks(target.name, high_key):
            due.day = True
    for watch in config.watches:
        if not watch.notify or index is None or not index.on(watch.name, repo, day):
            continue
        key = watch_key(watch.name, repo, day)
        if any(lacks(name, key) for name in watch.notify):
            due.watches.append(watch)
    return due


def _notices(config: Config, record: DayRecord, due: _Due) -> list[Notice]:
    found = []
    if due.day:
        found.append(day_notice(config, record))
    for watch in due.watches:
        if notice := watch_notice(config, watch, record):
            found.append(notice)
    return found


def day_notice(config: Config, record: DayRecord) -> Notice:
    """The repository-day's report: every commit but noise listed, the counts of all."""
    heard = [c for c in record.commits if not _noise(c)]
    return Notice(
        key=day_key(record.repo, record.day),
        kind="day",
        language=config.language,
        repo=record.repo,
        day=record.day,
        page_url=links.absolute(config.site_url, links.day_page(record.day)),
        counts=record.tier_counts(),
        commits=tuple(notice_commit(config, record.repo, c) for c in heard),
        ignored=len(record.commits) - len(heard),
    )


def watch_notice(config: Config, watch: Watch, record: DayRecord) -> Notice | None:
    """The watch's part of the repository-day, addressed to the targets it names; None
    when it follows none of the day's commits."""
    commits = [c for c in record.commits if matches(watch, record.repo, c)]
    if not commits:
        return None
    return Notice(
        key=watch_key(watch.name, record.repo, record.day),
        kind="watch",
        language=config.language,
        repo=record.repo,
        day=record.day,
        page_url=links.absolute(config.site_url, links.watch_page(watch.name)),
        counts={t: sum(1 for c in commits if c.tier == t) for t in TIERS},
        commits=tuple(notice_commit(config, record.repo, c) for c in commits),
        watch=watch.name,
        title=watch.title,
        to=watch.notify,
    )


def notice_commit(config: Config, repo: str, commit: Commit) -> NoticeCommit:
    labels = Labels(config.language)
    analysis = commit.analysis
    return NoticeCommit(
        sha=commit.sha,
        subject=commit.title,
        author=commit.author_label,
        tier=commit.tier,
        change_type=labels.change_type(analysis.change_type) if analysis else "",
        summary=analysis.summary if analysis else "",
        page_url=links.absolute(config.site_url, links.commit_page(repo, commit.sha)),
        github_url=links.github_commit(repo, commit.sha),
        interface_changes=commit.interface_changes or (),
    )


def _noise(commit: Commit) -> bool:
    return commit.analysis is not None and commit.analysis.ignored is not None
