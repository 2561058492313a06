"""A release record: what changed between a release and the one before it, stored as
JSON in `data/<owner>/<repo>/releases/<tag>.json` (README: Releases).

Like a day record it holds facts only, read once from the source: the commits of
`previous..tag`, which of them the followed branch has (the same commit, or the one a
cherry-pick was made from), the interface changes between the declaring files at the two
tags and the most-changed modules. Tiers are not in it: the release page counts them from
the day records, so a re-analysis reaches the release pages too.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, ValidationError

from generator.errors import RecordCorrupt
from generator.files import write_atomic
from generator.models import InterfaceChange

FORMAT = 1
Match = Literal["sha", "trailer", "patch-id", "subject"]


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReleaseCommit(_Fact):
    sha: str
    subject: str
    committed: datetime
    branch_sha: str | None = None
    """The followed branch's commit that this one is: itself, or the commit a cherry-pick
    on the release branch was made from; None for a commit only the release branch has."""
    branch_committed: datetime | None = None
    """That commit's committer date: the day whose record holds it."""
    match: Match | None = None
    """How `branch_sha` was found: the same sha, the `(cherry picked from commit …)` line,
    the same patch (`git patch-id`) or the same subject."""

    @property
    def branch_only(self) -> bool:
        return self.branch_sha is None


class ModuleChange(_Fact):
    name: str
    """As the analysis names modules: a file's folder, three levels deep."""
    files: int
    lines: int


class Ref(_Fact):
    name: str
    """The tag, branch or sha as asked for (a date as `YYYY-MM-DD`)."""
    sha: str
    date: datetime


class ReleaseRecord(_Fact):
    """What changed from `previous` to `release`."""

    format: int = FORMAT
    repo: str
    release: Ref
    previous: Ref
    commits: tuple[ReleaseCommit, ...]
    """`git rev-list previous..release`, newest first."""
    interface_changes: tuple[InterfaceChange, ...] = ()
    """Between the declaring files at the two refs (dependencies: kind `dependency`)."""
    interface_notes: tuple[str, ...] = ()
    """Declaring files that could not be read at one of the two refs."""
    modules: tuple[ModuleChange, ...] = ()
    """The most-changed modules, most lines first."""
    rules: str = ""
    """A hash of the repository's `interfaces:` rules the changes were found with: a record
    made under other rules is made again."""

    @property
    def tag(self) -> str:
        return self.release.name


def releases_dir(data_dir: Path, repo: str) -> Path:
    owner, name = repo.split("/")
    return data_dir / owner / name / "releases"


def release_path(data_dir: Path, repo: str, tag: str) -> Path:
    """The record's file: the tag's name with `/` and other unsafe characters escaped."""
    return releases_dir(data_dir, repo) / f"{quote(tag, safe='')}.json"


def dump(record: ReleaseRecord) -> str:
    data = record.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def store_release(data_dir: Path, record: ReleaseRecord) -> bool:
    """Write the record atomically unless the file already holds it; whether it wrote."""
    return write_atomic(release_path(data_dir, record.repo, record.tag), dump(record))


def read_release(path: Path) -> ReleaseRecord:
    try:
        return ReleaseRecord.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RecordCorrupt(f"{path}: not a release record ({first})") from None


def load_releases(data_dir: Path, repo: str) -> list[ReleaseRecord]:
    """The repository's release records that can be read (a damaged one is skipped: the
    next run writes it again), in no particular order."""
    folder = releases_dir(data_dir, repo)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            record = read_release(path)
        except RecordCorrupt:
            continue
        if record.format == FORMAT and record.repo == repo:
            found.append(record)
    return found
