"""Release records kept up to date (the `run` step after the days), and the refs a
`report` names (README: Releases)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.config import RepoConfig
from generator.errors import DigestError
from generator.releases.record import FORMAT, Ref, release_path, store_release
from generator.releases.refs import Refs
from generator.releases.report import compare_refs, rules_key
from generator.releases.versions import Tag, release_tags


@dataclass
class ReleaseUpdate:
    written: list[str] = field(default_factory=list)
    """Tags whose record was written."""
    warnings: list[str] = field(default_factory=list)


def update_releases(
    refs: Refs, repo: RepoConfig, data_dir: Path, since: date | None, tz: ZoneInfo
) -> ReleaseUpdate:
    """Write the record of every release tagged on or after `since` (the archive's first
    day; None: every release) that has no current record: a new tag, or one whose commit
    or previous release changed. A record that fails is a warning; the next run retries."""
    result = ReleaseUpdate()
    if repo.releases is None:
        return result
    try:
        tags = release_tags(refs.tags(), repo.releases)
    except DigestError as exc:
        result.warnings.append(f"Repository '{repo.name}': cannot list its tags: {exc}")
        return result
    # Newest first, so that a source that dates a tag by a request (GitHub) asks for the
    # dates of new tags only: the walk stops at the first release before `since` (a late
    # patch release of an older line is not reported; README: Releases).
    for previous, tag in reversed(list(pairwise(tags))):
        if _current(data_dir, repo, previous, tag):
            continue
        try:
            tag, previous = refs.dated(tag), refs.dated(previous)
        except DigestError as exc:  # the source stopped answering: the next run goes on
            result.warnings.append(f"Repository '{repo.name}': cannot date {tag.name}: {exc}")
            break
        if since is not None and _day(tag, tz) < since:
            break
        try:
            record = compare_refs(refs, repo.name, _ref(previous), _ref(tag), repo.interfaces)
        except Exception as exc:  # one release never fails the run: the next run retries it
            reason = str(exc).split("\n")[0] or type(exc).__name__
            result.warnings.append(f"Repository '{repo.name}': release {tag.name}: {reason}")
            continue
        if store_release(data_dir, record):
            result.written.append(tag.name)
    return result


def _ref(tag: Tag) -> Ref:
    assert tag.date is not None
    return Ref(name=tag.name, sha=tag.sha, date=tag.date)


def _day(tag: Tag, tz: ZoneInfo) -> date:
    assert tag.date is not None
    return tag.date.astimezone(tz).date()


def _current(data_dir: Path, repo: RepoConfig, previous: Tag, tag: Tag) -> bool:
    """Whether the stored record compares these two commits (read as plain JSON: a run
    checks every release's record)."""
    try:
        raw = json.loads(release_path(data_dir, repo.name, tag.name).read_bytes())
        release, before = raw["release"], raw["previous"]
        return (
            raw["format"] == FORMAT
            and raw["repo"] == repo.name
            and raw.get("rules", "") == rules_key(repo.interfaces)
            and (release["name"], release["sha"]) == (tag.name, tag.sha)
            and (before["name"], before["sha"]) == (previous.name, previous.sha)
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def resolve(refs: Refs, text: str, tz: ZoneInfo) -> Ref:
    """A tag, branch or sha; or a date `YYYY-MM-DD`: the followed branch at the end of
    that day in `tz`. Raises UnknownRef."""
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is not None:
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz)
        sha, when = refs.branch_at(end)
        return Ref(name=text, sha=sha, date=when)
    sha, when = refs.resolve(text)
    return Ref(name=text, sha=sha, date=when)
