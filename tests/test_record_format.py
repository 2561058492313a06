"""Record files carry their format; older ones are read forward, newer ones refused, and no
field is ever dropped on the way."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.errors import NewerRecord, RecordCorrupt
from generator.models import RECORD_FORMAT, DayRecord
from generator.recordformat import migrate, parse_record
from generator.records import dump_record, read_record, record_path, store_record

from factory import at, make_commit, make_record

DAY = date(2026, 3, 2)


def record() -> DayRecord:
    return make_record("acme/widgets", DAY, [make_commit("fix: a race", at(DAY, 9))])


def stored(tmp_path: Path, raw: dict) -> Path:
    path = record_path(tmp_path, "acme/widgets", DAY)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_a_format_1_record_has_no_key_and_reads_back_unchanged(tmp_path):
    text = dump_record(record())
    assert RECORD_FORMAT == 1 and '"format"' not in text  # files of before formats existed
    store_record(tmp_path, record(), None)
    path = record_path(tmp_path, "acme/widgets", DAY)
    assert path.read_text(encoding="utf-8") == text
    assert read_record(path) == record() and read_record(path).format == 1


def test_an_older_record_is_read_forward_with_every_field_kept(tmp_path):
    """A release that renamed `overview` to `summary` and added `tags` would ship these two
    steps; a file of format 1 then reads as format 3 with its commits intact."""
    raw = json.loads(dump_record(record()))
    raw["overview"] = {"text": "t", "analyzer": "rules@4", "language": "zh", "input_hash": "h"}

    def rename(old: dict) -> dict:
        old["summary"] = old.pop("overview")
        return old

    def tag(old: dict) -> dict:
        return {**old, "tags": []}

    new = migrate(raw, to=3, steps={1: rename, 2: tag})
    assert new["format"] == 3 and new["tags"] == [] and new["summary"] == raw["overview"]
    assert new["commits"] == raw["commits"] and new.keys() - {"summary", "tags"} == (
        raw.keys() - {"overview"} | {"format"}
    )
    with pytest.raises(ValueError, match="no migration from record format 3 to 4"):
        migrate(new, to=4, steps={1: rename, 2: tag})


def test_an_unknown_field_is_an_error_naming_it_not_dropped(tmp_path):
    raw = json.loads(dump_record(record()))
    raw["commits"][0]["reviewers"] = ["ann"]
    path = stored(tmp_path, raw)
    with pytest.raises(RecordCorrupt, match=r"commits\.0\.reviewers: Extra inputs"):
        read_record(path)


def test_a_record_of_a_newer_format_is_refused_with_one_line(tmp_path):
    raw = {**json.loads(dump_record(record())), "format": RECORD_FORMAT + 1, "tags": []}
    path = stored(tmp_path, raw)
    with pytest.raises(NewerRecord) as caught:
        read_record(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: written by a newer commit-digest")
    assert message.endswith("upgrade commit-digest") and caught.value.exit_code == 2


@pytest.mark.parametrize("text", ['{"format": 0}', '{"format": "2"}', "[]", "{"])
def test_a_bad_format_is_a_corrupt_record(tmp_path, text):
    path = record_path(tmp_path, "acme/widgets", DAY)
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordCorrupt, match="not a valid day record"):
        parse_record(path.read_bytes(), path)
