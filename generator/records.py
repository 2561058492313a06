"""The archive's database: one JSON file per repository and day under `data/`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from generator.errors import RecordCorrupt
from generator.files import write_atomic
from generator.models import DayRecord


def record_path(data_dir: Path, repo: str, day: date) -> Path:
    return data_dir / repo / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}.json"


def dump_record(record: DayRecord) -> str:
    return record.model_dump_json(indent=2, exclude_none=True) + "\n"


def read_record(path: Path) -> DayRecord:
    try:
        return DayRecord.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RecordCorrupt(
            f"{path}: not a valid day record ({where}: {first['msg']}); "
            "restore it from git or delete it and re-run that day"
        ) from None


def load_record(data_dir: Path, repo: str, day: date) -> DayRecord | None:
    path = record_path(data_dir, repo, day)
    return read_record(path) if path.exists() else None


def store_record(data_dir: Path, record: DayRecord, existing: DayRecord | None) -> str | None:
    """Store a record, given the stored one (`existing`, None when there is none); keep the
    file when only `fetched_at` would change. Returns the text written, None when kept."""
    if existing is not None and existing.same_content(record):
        return None
    text = dump_record(record)
    written = write_atomic(record_path(data_dir, record.repo, record.day), text)
    return text if written else None


def record_days(data_dir: Path, repo: str) -> list[date]:
    """The days that have a record file for `repo`, oldest first."""
    base = data_dir / repo
    days = []
    for path in base.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9].json"):
        year, month = path.parent.parent.name, path.parent.name
        try:
            days.append(date(int(year), int(month), int(path.stem)))
        except ValueError:
            continue
    return sorted(days)


def iter_records(data_dir: Path, repo: str) -> Iterator[DayRecord]:
    for day in record_days(data_dir, repo):
        yield read_record(record_path(data_dir, repo, day))
