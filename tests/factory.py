"""Hand-built records for page tests: real model objects, no git needed."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.models import Analysis, Commit, DayRecord, FileChange, Person
from generator.records import write_record
from generator.windows import day_window

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
