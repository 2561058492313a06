"""Hand-built records for page tests: real model objects, no git needed."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.config import GitHubConfig
from generator.github_api import GitHubAPI
from generator.localdays import day_window
from generator.models import Analysis, Commit, DayRecord, FileChange, Person
from generator.recordcache import summarize
from generator.records import iter_records, load_record, store_record
from generator.render.archive import Archive, record_files
from generator.render.summary import ArchiveSummary

SHANGHAI = ZoneInfo("Asia/Shanghai")


def sha_of(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def make_commit(
    subject: str,
    when: datetime,
    tier: str = "medium",
    author: str = "Ann Author",
    files: tuple[FileChange, ...] = (
        FileChange(path="python/pkg/mod.py", additions=3, deletions=1),
    ),
    body: str = "",
    parents: int = 1,
    language: str = "zh",
) -> Commit:
    sha = sha_of(subject + when.isoformat())
    person = Person(name=author, email="ann@example.org")
    return Commit(
        sha=sha,
        parents=tuple(sha_of(f"{sha}{n}") for n in range(parents)),
        author=person,
        committer=Person(name="GitHub", email="noreply@github.com"),
        authored_at=when,
        committed_at=when,
        subject=subject,
        body=body,
        files=files,
        analysis=Analysis(
            tier=tier,
            change_type="fix",
            summary=f"summary of {subject}",
            modules=("python/pkg",),
            key_files=tuple(f.path for f in files[:5]),
            risks=(f"risk of {subject}",),
            recommendations=(f"advice for {subject}",),
            analyzer="test",
            language=language,
        ),
    )


def make_record(repo: str, day: date, commits: list[Commit], complete: bool = True) -> DayRecord:
    window = day_window(day, SHANGHAI)
    return DayRecord(
        repo=repo,
        branch="main",
        day=day,
        timezone="Asia/Shanghai",
        window_start=window.start,
        window_end=window.end,
        fetched_at=window.end + timedelta(hours=1),
        complete=complete,
        commits=tuple(commits),
    )


def at(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=SHANGHAI)


def store(config, *records: DayRecord) -> None:
    for record in records:
        write_record(config.data_dir, record)


def unanalysed(
    subject: str,
    files: list[tuple[str, int, int]] | tuple[FileChange, ...] = (),
    body: str = "",
    parents: tuple[str, ...] = ("0" * 40,),
) -> Commit:
    """A commit as a source gives it, before analysis: one author, a fixed time."""
    someone = Person(name="A. Author", email="a@example.org")
    when = datetime(2026, 2, 10, 12, 0, tzinfo=UTC)
    changes = tuple(
        f if isinstance(f, FileChange) else FileChange(path=f[0], additions=f[1], deletions=f[2])
        for f in files
    )
    return Commit(
        sha="f" * 40,
        parents=parents,
        author=someone,
        committer=someone,
        authored_at=when,
        committed_at=when,
        subject=subject,
        body=body,
        files=changes,
    )


def snapshot(*folders: Path) -> dict[Path, tuple[bytes, int]]:
    """Every file's bytes and mtime under `folders`, the lock file aside: what a run that
    should change nothing must leave as it was."""
    return {
        p: (p.read_bytes(), p.stat().st_mtime_ns)
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".digest.lock"
    }


def write_record(data_dir: Path, record: DayRecord) -> bool:
    """Store a record as a run would (kept when only `fetched_at` would change)."""
    existing = load_record(data_dir, record.repo, record.day)
    return store_record(data_dir, record, existing) is not None


def load_archive(data_dir: Path, repos: Sequence[str]) -> Archive:
    """Every record of `data_dir` summarised (each read once); pages read them again."""
    found = (summarize(r) for name in repos for r in iter_records(data_dir, name))
    return Archive(ArchiveSummary(repos, found), record_files(data_dir))


def archive_in_memory(repos: Sequence[str], records: Iterable[DayRecord]) -> Archive:
    held = {(r.repo, r.day): r for r in records if r.repo in repos}
    summary = ArchiveSummary(repos, map(summarize, held.values()))
    return Archive(summary, lambda repo, day: held[repo, day])


def github_api(settings: GitHubConfig, environ: Mapping[str, str] = os.environ) -> GitHubAPI:
    """The client a run makes, with the token from `environ`."""
    return GitHubAPI(settings, environ.get(settings.token_env) or None)
