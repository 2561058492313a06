"""Record summaries (the cache_dir, .digest-cache): a run reads only the records that changed or
need work, and gives exactly the records it gave when it read them all.

Real repositories and the real pipeline; `now` is fixed, so no test reads the clock.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from generator import recordcache
from generator.analysis import make_analyzer
from generator.config import Config, load_config
from generator.errors import RecordCorrupt
from generator.pipeline import DayRange, pending_days, reanalyze_stale, run
from generator.recordcache import cache_file
from generator.records import read_record, record_days, record_path, store_record

from factory import snapshot
from gitrepo import GitRepo
from sglang_repo import build_sglang_repo

NOW = datetime(2026, 2, 20, 4, 0, tzinfo=UTC)
FIRST, LAST = date(2026, 2, 9), date(2026, 2, 15)
DAYS = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
OLD = 1_700_000_000_000_000_000  # 2023: a record time long before any summary was saved


def project(folder: Path, clone: Path, *, language: str = "zh", extra: str = "") -> Config:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "digest.yml").write_text(
        f"site_url: https://example.org/d/\ntimezone: Asia/Shanghai\nlanguage: {language}\n"
        f"start: {FIRST}\nrepos:\n  - name: o/r\n    branch: main\n    path: {clone}\n{extra}",
        encoding="utf-8",
    )
    return load_config(folder / "digest.yml")


def records(config: Config) -> dict[date, dict]:
    """Every record of o/r without `fetched_at` (the one field a re-fetch may change)."""
    out = {}
    for day in record_days(config.data_dir, "o/r"):
        data = json.loads(record_path(config.data_dir, "o/r", day).read_text(encoding="utf-8"))
        data.pop("fetched_at")
        out[day] = data
    return out


def age(config: Config) -> None:
    """Give every record an old time, as a checkout long ago would, and let a run take the
    new times into the summaries: from then on they are trusted by size and time."""
    for day in record_days(config.data_dir, "o/r"):
        os.utime(record_path(config.data_dir, "o/r", day), ns=(OLD, OLD))
    run(config, now=lambda: NOW)


@pytest.fixture
def odd(tmp_path: Path) -> GitRepo:
    """A history with a merge, a rename, a clock skewed back across days and empty days."""
    repo = GitRepo.init(tmp_path / "clone")
    lines = "".join(f"line {n}\n" for n in range(30))
    repo.commit("chore: base", {"src/a.py": lines}, committed="2026-02-08T12:00:00+08:00")
    repo.commit("feat: one (#1)", {"src/b.py": "b\n"}, committed="2026-02-09T10:00:00+08:00")
    repo.checkout("topic", create=True)
    repo.commit("fix: on topic", {"src/c.py": "c\n" * 60}, committed="2026-02-10T09:00:00+08:00")
    repo.checkout("main")
    repo.commit(
        "refactor: move a",
        rename={"src/a.py": "lib/a.py"},
        files={"lib/a.py": lines.replace("line 2\n", "two\n")},
        committed="2026-02-10T10:00:00+08:00",
    )
    repo.merge("topic", "Merge topic (#2)", committed="2026-02-11T12:00:00+08:00")
    repo.commit("docs: skewed back", {"README.md": "r\n"}, committed="2026-02-09T20:00:00+08:00")
    repo.commit("perf: kernel (#3)", {"csrc/k.cu": "k\n" * 9}, committed="2026-02-13T08:00:00Z")
    return repo


# -- the same records as reading every record, and as reading day by day -------------------


def day_by_day(config: Config) -> None:
    for day in DAYS:  # one window per run: each day read with processes of its own
        run(config, DayRange(day, day), now=lambda: NOW)


@pytest.mark.parametrize("history", ["odd", "sglang"])
def test_a_backfill_records_what_a_day_by_day_run_records(history, odd, tmp_path):
    clone = odd.path if history == "odd" else build_sglang_repo(tmp_path / "sglang").path
    whole, single = project(tmp_path / "whole", clone), project(tmp_path / "single", clone)
    run(whole, DayRange(FIRST, LAST), now=lambda: NOW)
    day_by_day(single)
    assert records(whole) == records(single)
    assert sum(len(r["commits"]) for r in records(whole).values()) == (
        6 if history == "odd" else 142
    )


def test_after_a_force_push_both_ways_keep_the_same_records(odd, tmp_path):
    whole, single = project(tmp_path / "whole", odd.path), project(tmp_path / "single", odd.path)
    run(whole, DayRange(FIRST, LAST), now=lambda: NOW)
    day_by_day(single)
    odd.git("reset", "-q", "--hard", "HEAD~2")
    odd.commit("feat: replaces two (#4)", {"n.py": "n\n"}, committed="2026-02-12T09:00:00+08:00")
    run(whole, DayRange(FIRST, LAST), now=lambda: NOW)
    day_by_day(single)
    after = records(whole)
    assert after == records(single)
    dropped = [c["subject"] for r in after.values() for c in r["commits"] if "dropped_at" in c]
    assert sorted(dropped) == ["docs: skewed back", "perf: kernel (#3)"]


# -- re-runs ---------------------------------------------------------------------------


def test_a_re_run_writes_nothing(odd, tmp_path):
    config = project(tmp_path / "p", odd.path)
    run(config, now=lambda: NOW)  # from `start` to yesterday
    for requested in (DayRange(), DayRange(LAST, LAST), DayRange(), DayRange(FIRST, LAST)):
        before = snapshot(config.data_dir, config.docs_dir)
        summary = run(config, requested, now=lambda: NOW)
        assert summary.records_written == summary.pages_written == 0
        assert snapshot(config.data_dir, config.docs_dir) == before
        age(config)  # and once more with the records' times in the summaries


def test_the_record_side_reads_no_record_it_has_a_summary_of(odd, tmp_path):
    config = project(tmp_path / "p", odd.path)
    run(config, now=lambda: NOW)
    age(config)
    repo, yesterday = config.repo("o/r"), LAST + timedelta(days=4)
    analyzer = make_analyzer(config, repo, None, None)
    assert pending_days(config, repo, DayRange(), yesterday) == []
    # A record that changes without changing its size or time is not seen: which days
    # are complete, and which need analysing, come from the summaries, not the file.
    path = record_path(config.data_dir, "o/r", DAYS[2])
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"complete": true', b'"complete": fals'))
    os.utime(path, ns=(OLD, OLD))
    assert pending_days(config, repo, DayRange(), yesterday) == []
    assert reanalyze_stale(config, "o/r", analyzer) == 0
    # Its time changes (any edit, a checkout): it is read again, and found corrupt.
    path.touch()
    assert pending_days(config, repo, DayRange(), yesterday) == [DAYS[2]]
    with pytest.raises(RecordCorrupt):
        reanalyze_stale(config, "o/r", analyzer)


def test_a_record_edited_behind_the_cache_is_noticed(odd, tmp_path):
    config = project(tmp_path / "p", odd.path)
    run(config, now=lambda: NOW)
    age(config)
    path = record_path(config.data_dir, "o/r", DAYS[2])
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"complete": true', '"complete": false'), encoding="utf-8")
    summary = run(config, now=lambda: NOW)  # the day is incomplete now: fetched again
    assert summary.days == {DAYS[2]} and summary.records_written == 1
    assert json.loads(path.read_text(encoding="utf-8"))["complete"] is True
    newest = max(record_days(config.data_dir, "o/r"))
    record_path(config.data_dir, "o/r", newest).unlink()  # the newest one deleted: fetched again
    assert run(config, now=lambda: NOW).days == {newest}


@pytest.mark.parametrize("damage", ["deleted", "garbage", "cut short", "another version"])
def test_a_lost_or_damaged_cache_is_rebuilt_the_same(odd, tmp_path, damage):
    config = project(tmp_path / "p", odd.path)
    run(config, now=lambda: NOW)
    age(config)
    cache = cache_file(config.cache_dir, "o/r")
    good = cache.read_bytes()
    assert cache.is_relative_to(config.cache_dir)
    if damage == "deleted":
        shutil.rmtree(config.cache_dir)
    elif damage == "garbage":
        cache.write_bytes(b"\x00\xff not json")
    elif damage == "cut short":
        cache.write_bytes(good[: len(good) // 2])
    else:
        cache.write_bytes(good.replace(b'"version":2', b'"version":99'))
    before = snapshot(config.data_dir)
    summary = run(config, now=lambda: NOW)
    assert summary.days == set() and summary.records_written == 0
    assert snapshot(config.data_dir) == before
    assert cache.read_bytes() == good


# -- configuration changes -------------------------------------------------------------


def test_a_language_change_re_analyses_the_whole_archive_with_a_warm_cache(odd, tmp_path):
    config = project(tmp_path / "p", odd.path)
    run(config, now=lambda: NOW)
    age(config)
    english = project(tmp_path / "p", odd.path, language="en")
    summary = run(english, now=lambda: NOW)
    analysed = [c for r in records(english).values() for c in r["commits"]]
    assert summary.records_written == 4  # every day with commits
    assert len(analysed) == 6 and {c["analysis"]["language"] for c in analysed} == {"en"}
    assert run(english, now=lambda: NOW).records_written == 0
    back = project(tmp_path / "p", odd.path)
    assert run(back, now=lambda: NOW).records_written == 4


def test_critical_paths_re_analyse_the_repository_with_a_warm_cache(odd, tmp_path):
    config = project(tmp_path / "p", odd.path)
    run(config, now=lambda: NOW)
    age(config)
    critical = project(tmp_path / "p", odd.path, extra="    critical_paths: [csrc/**]\n")
    assert run(critical, now=lambda: NOW).records_written == 4  # each record's settings hash
    kernel = [c for r in records(critical).values() for c in r["commits"] if "csrc" in str(c)]
    assert [p["factor"] for p in kernel[0]["analysis"]["score_parts"]][-1] == "critical_path"
    assert run(critical, now=lambda: NOW).records_written == 0


def test_a_run_hands_the_records_it_wrote_to_its_render_up_to_a_limit(odd, tmp_path, monkeypatch):
    """A run's render takes the records the run just wrote from memory (test_pipeline checks
    that its pages are those a render from the files gives); the newest `HANDED` only."""
    config = project(tmp_path / "p", odd.path)
    run(config, now=lambda: NOW)
    monkeypatch.setattr(recordcache, "HANDED", 2)
    cache = recordcache.RecordCache.open(config.cache_dir, config.data_dir, "o/r")
    days = record_days(config.data_dir, "o/r")
    written = {}
    for n, day in enumerate(days):
        record = read_record(record_path(config.data_dir, "o/r", day))
        record = record.model_copy(update={"fetched_at": NOW + timedelta(minutes=n + 1)})
        text = store_record(config.data_dir, record, None)
        assert text is not None
        cache.note(record, text)
        written[day] = record
    assert len(days) > 2
    assert [cache.take(day) for day in days[:-2]] == [None] * (len(days) - 2)
    assert [cache.take(day) for day in days[-2:]] == [written[day] for day in days[-2:]]
    assert cache.take(days[-1]) is None  # handed out once
