"""A backfill extracts interface changes in a process of its own (sources/declared.py):
the records it writes equal those of the same days read one by one."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from generator.config import load_config
from generator.pipeline import DayRange, run
from generator.records import load_record
from generator.sources.git import WORKER_DAYS

from gitrepo import GitRepo

FIRST = date(2026, 1, 1)
DAYS = WORKER_DAYS + 2
AFTER = datetime(2026, 3, 1, tzinfo=UTC)


def history(path):
    repo = GitRepo.init(path)
    envs = "class Envs:\n"
    for n in range(DAYS):
        envs += f"    SGLANG_KNOB_{n} = EnvInt({n})\n"
        if n % 5 == 4:  # now and then one goes away
            envs = envs.replace(f"    SGLANG_KNOB_{n - 2} = EnvInt({n - 2})\n", "")
        if n == 10:  # a day whose file does not parse, mended the next day
            repo.commit("broken", {"pkg/environ.py": envs + "    X = (\n"},
                        committed=f"{FIRST + timedelta(days=n)}T09:00:00+08:00")  # fmt: skip
        repo.commit(
            f"knob {n}",
            {"pkg/environ.py": envs, "pkg/other.py": f"x = {n}\n"},
            committed=f"{FIRST + timedelta(days=n)}T10:00:00+08:00",
        )
    return repo


def project(folder, clone):
    config = {
        "site_url": "https://example.org/d/",
        "repos": [{"name": "o/r", "branch": "main", "path": str(clone)}],
    }
    (folder / "digest.yml").write_text(json.dumps(config), encoding="utf-8")
    return load_config(folder / "digest.yml")


def interfaces(config, day):
    record = load_record(config.data_dir, "o/r", day)
    return [(c.subject, c.interface_changes, c.interface_notes) for c in record.commits]


def test_a_backfill_and_day_by_day_runs_record_the_same_changes(tmp_path):
    history(tmp_path / "clone")
    (tmp_path / "all").mkdir()
    (tmp_path / "each").mkdir()
    whole = project(tmp_path / "all", tmp_path / "clone")
    last = FIRST + timedelta(days=DAYS - 1)
    run(whole, DayRange(FIRST, last), now=lambda: AFTER)
    single = project(tmp_path / "each", tmp_path / "clone")
    days = [FIRST + timedelta(days=n) for n in range(DAYS)]
    for day in days:
        run(single, DayRange(day, day), now=lambda: AFTER)
    assert [interfaces(whole, d) for d in days] == [interfaces(single, d) for d in days]

    (knob,) = interfaces(whole, FIRST + timedelta(days=9))
    assert [(c.name, c.change) for c in knob[1]] == [
        ("SGLANG_KNOB_7", "removed"),
        ("SGLANG_KNOB_9", "added"),
    ]
    mended, broken = interfaces(whole, FIRST + timedelta(days=10))
    assert broken[0] == "broken" and broken[1] == () and len(broken[2]) == 1
    assert mended[1] == () and mended[2] == (
        "pkg/environ.py: not read at the parent (line 11: '(' was never closed); "
        "its interface changes are left out",
    )


def test_a_commit_git_cannot_diff_fails_its_days_alone_in_a_backfill(tmp_path):
    """Without the tree of day 20's commit, `diff-tree` dies on it and on day 21's (its
    parent's tree): a backfill fails those two days, as day-by-day runs do, and still
    extracts the other days that the worker lists in the same request."""
    repo = history(tmp_path / "clone")
    sha = repo.git("log", "-1", "--format=%H", "--grep=^knob 20$")
    repo.loosen()
    repo.object_file(repo.git("rev-parse", f"{sha}^{{tree}}")).unlink()
    (tmp_path / "all").mkdir()
    (tmp_path / "each").mkdir()
    whole = project(tmp_path / "all", tmp_path / "clone")
    days = [FIRST + timedelta(days=n) for n in range(DAYS)]
    run(whole, DayRange(days[0], days[-1]), now=lambda: AFTER)
    single = project(tmp_path / "each", tmp_path / "clone")
    for day in days:
        run(single, DayRange(day, day), now=lambda: AFTER)

    def failed(config):
        return [d for d in days if load_record(config.data_dir, "o/r", d).status == "failed"]

    assert failed(whole) == failed(single) == [days[20], days[21]]
    assert [interfaces(whole, d) for d in days] == [interfaces(single, d) for d in days]
    (knob,) = interfaces(whole, days[19])  # the same request as day 20's, extracted
    assert [(c.name, c.change) for c in knob[1]] == [
        ("SGLANG_KNOB_17", "removed"),
        ("SGLANG_KNOB_19", "added"),
    ]
