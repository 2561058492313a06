"""Record files of older formats, read forward into the current one.

A record file is `DayRecord` serialised; its `format` key (absent in format 1) says which
shape it has. Reading one of an older format applies, in order, each release's step from
one format to the next (`MIGRATIONS`) to the parsed JSON before it is validated, so a new
version reads every archive an older one wrote; the file itself is rewritten in the
current format the next time its day is stored. A step must carry every field forward:
validation forbids unknown fields, so a field a step forgot is an error naming it, never
a field silently dropped. A file of a higher format than this version knows stops the run
(`NewerRecord`): an older commit-digest never rewrites what a newer one recorded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator import __version__
from generator.errors import NewerRecord, RecordCorrupt
from generator.models import RECORD_FORMAT, DayRecord

Raw = dict[str, Any]
Step = Callable[[Raw], Raw]

MIGRATIONS: Mapping[int, Step] = {}
"""Format n → the function that turns a format-n record (parsed JSON) into format n + 1."""


def record_format(raw: Raw) -> int:
    """The format a parsed record file declares (1 when it declares none)."""
    version = raw.get("format", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"format: {version!r} is not a record format")
    return version


def migrate(raw: Raw, to: int = RECORD_FORMAT, steps: Mapping[int, Step] = MIGRATIONS) -> Raw:
    """`raw` brought from its format up to format `to`, one step at a time."""
    version = record_format(raw)
    while version < to:
        if version not in steps:
            raise ValueError(f"no migration from record format {version} to {version + 1}")
        raw = {**steps[version](dict(raw)), "format": version + 1}
        version += 1
    return raw


def parse_record(data: bytes, path: Path) -> DayRecord:
    """A record file's bytes as the current `DayRecord`, migrated when older."""
    try:
        # The usual case, in one pass: a file of the current format.
        record = DayRecord.model_validate_json(data)
        if record.format == RECORD_FORMAT:
            return record
    except ValidationError as exc:
        first_error = exc
    else:
        first_error = None
    try:
        raw = json.loads(data)
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        version = record_format(raw)
    except ValueError as exc:
        raise _corrupt(path, str(exc)) from None
    if version > RECORD_FORMAT:
        raise NewerRecord(
            f"{path}: written by a newer commit-digest (record format {version}; this one, "
            f"{__version__}, reads up to {RECORD_FORMAT}); upgrade commit-digest"
        )
    if version == RECORD_FORMAT and first_error is not None:
        raise _invalid(path, first_error)
    try:
        return DayRecord.model_validate(migrate(raw))
    except ValidationError as exc:
        raise _invalid(path, exc) from None
    except ValueError as exc:
        raise _corrupt(path, str(exc)) from None


def _invalid(path: Path, exc: ValidationError) -> RecordCorrupt:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return _corrupt(path, f"{where}: {first['msg']}")


def _corrupt(path: Path, why: str) -> RecordCorrupt:
    return RecordCorrupt(
        f"{path}: not a valid day record ({why}); "
        "restore it from git or delete it and re-run that day"
    )
