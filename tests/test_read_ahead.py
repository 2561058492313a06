"""Reading a run's days ahead (one long-lived cat-file and diff-tree) gives exactly what
reading them day by day gives: the same commits, order and facts, and the same errors.

Each test reads the same days of a real repository twice: through a source told the
days in advance (`expect`), and through a fresh source asked one day at a time (a
`cat-file` and a `diff-tree` of its own per day: how every day was read before).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import generator.sources.git as git_module
from generator.config import GitRepoConfig
from generator.errors import SourceUnavailable
from generator.localdays import Window, day_window
from generator.models import Commit
from generator.sources import ReadsAhead
from generator.sources.git import GitSource

from gitrepo import GitRepo
from sglang_repo import build_sglang_repo

SHANGHAI = ZoneInfo("Asia/Shanghai")
Outcome = list[Commit] | str


def open_source(path: Path, name: str = "o/r") -> GitSource:
    return GitSource.open(GitRepoConfig(name=name, branch="main", path=path))


def windows(first: str, last: str) -> list[Window]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [day_window(start + timedelta(days=n), SHANGHAI) for n in range((end - start).days + 1)]


def read(source: GitSource, window: Window) -> Outcome:
    """The day's commits, or the error reading it gave."""
    try:
        return list(source.commits(window))
    except SourceUnavailable as exc:
        return f"SourceUnavailable: {exc}"


def day_by_day(path: Path, days: list[Window]) -> list[Outcome]:
    return [read(open_source(path), window) for window in days]


def read_ahead(
    path: Path,
    days: list[Window],
    monkeypatch: pytest.MonkeyPatch,
    order: list[int] | None = None,
    one_shot_after: int | None = None,
) -> list[Outcome]:
    """The days read by one source told them in advance, asked in `order` (default: as
    planned). Checks that no day of the plan was read with a process of its own, or none
    before the day `one_shot_after` (after which reading ahead stops)."""
    one_shot: list[str] = []
    real_run = git_module._run

    def counting_run(cwd: Path, args: list[str], *rest: object, **kwargs: object) -> bytes:
        one_shot.append(args[0])
        return real_run(cwd, args, *rest, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(git_module, "_run", counting_run)
    source = open_source(path)
    assert isinstance(source, ReadsAhead)
    source.expect(days)
    outcomes = []
    try:
        for n, i in enumerate(order or range(len(days))):
            outcomes.append(read(source, days[i]))
            if order is None and (one_shot_after is None or n < one_shot_after):
                assert "cat-file" not in one_shot and "diff-tree" not in one_shot, one_shot
    finally:
        source.close()
    monkeypatch.undo()
    return outcomes


@pytest.fixture
def odd(tmp_path: Path) -> GitRepo:
    """Merges, renames, a binary file, a root commit inside the range, a clock skewed
    back across days, an empty commit, odd paths and messages, and empty days."""
    repo = GitRepo.init(tmp_path / "odd")
    lines = "".join(f"line {n}\n" for n in range(40))
    repo.commit("root: start", {"src/old name.py": lines}, committed="2026-02-09T23:59:59+08:00")
    repo.commit(
        "feat(core): 支持 a wrapped\nsubject (#12)\n\nbody\n",
        {"src/core.py": "a\nb\n", "tab\tname.txt": "t\n", "中文/文件.md": "x\n"},
        committed="2026-02-10T00:00:00+08:00",
    )
    repo.checkout("feature", create=True)
    repo.commit("feature work", {"f.py": "1\n2\n3\n"}, committed="2026-02-10T09:00:00+08:00")
    repo.checkout("main")
    repo.commit(
        "move",
        rename={"src/old name.py": "lib/new_name.py"},
        files={"lib/new_name.py": lines.replace("line 3\n", "line three\n")},
        committed="2026-02-10T10:00:00+08:00",
    )
    repo.merge("feature", "Merge feature (#7)", committed="2026-02-11T12:00:00+08:00")
    repo.commit(
        "skewed: dated two days back",
        {"src/core.py": "a\n"},
        committed="2026-02-09T08:00:00-05:00",
    )
    repo.commit(
        "logo",
        binary={"docs/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00"},
        committed="2026-02-12T10:00:00+08:00",
    )
    repo.commit(message_bytes=b"fix: caf\xe9\n", allow_empty=True, committed="2026-02-14T01:00:00Z")
    repo.commit("empty", allow_empty=True, committed="2026-02-14T23:00:00+08:00")
    return repo


def test_odd_histories_read_the_same_ahead_and_day_by_day(odd, monkeypatch):
    days = windows("2026-02-08", "2026-02-16")
    expected = day_by_day(odd.path, days)
    assert [len(day) for day in expected] == [0, 2, 3, 1, 1, 0, 2, 0, 0]
    assert read_ahead(odd.path, days, monkeypatch) == expected


def test_five_real_days_read_the_same_ahead_and_day_by_day(tmp_path, monkeypatch):
    repo = build_sglang_repo(tmp_path / "sglang")
    days = windows("2026-02-09", "2026-02-15")
    expected = day_by_day(repo.path, days)
    assert sum(len(day) for day in expected) == 142
    assert read_ahead(repo.path, days, monkeypatch) == expected


def test_days_asked_out_of_the_planned_order_read_the_same(odd, monkeypatch):
    days = windows("2026-02-09", "2026-02-14")
    expected = day_by_day(odd.path, days)
    order = [0, 1, 3, 2, 4, 5]  # the fourth day asked third: from there on, day by day
    assert read_ahead(odd.path, days, monkeypatch, order) == [expected[i] for i in order]


def test_a_day_of_thousands_of_commits_reads_the_same(tmp_path, monkeypatch):
    # Requests and answers far larger than a pipe holds, in both directions.
    repo = GitRepo.init(tmp_path / "busy")
    stream = bytearray()
    for n in range(3000):
        stamp = 1770652800 + n * 20  # 2026-02-10 00:00 +08:00, then every 20 seconds
        message = f"fix: change {n} of many, with a longer subject to fill the pipes\n".encode()
        content = f"{n}\n".encode() * (1 + n % 7)
        stream += (
            f"commit refs/heads/main\nauthor A <a@example.com> {stamp} +0800\n"
            f"committer C <c@example.com> {stamp} +0800\ndata {len(message)}\n"
        ).encode() + message
        stream += f"M 100644 inline dir{n % 40}/file{n % 300}.py\ndata {len(content)}\n".encode()
        stream += content + b"\n"
    repo.fast_import(bytes(stream))
    days = windows("2026-02-10", "2026-02-11")
    expected = day_by_day(repo.path, days)
    assert [len(day) for day in expected] == [3000, 0]
    assert read_ahead(repo.path, days, monkeypatch) == expected


def test_a_broken_commit_fails_its_own_day_alone_both_ways(odd, monkeypatch):
    # Without the tree of the 12 February commit, diff-tree dies on that day and on the
    # next commit's (14 February: its parent's tree). Read ahead, the days after the first
    # failure are read day by day: the same as before.
    sha = odd.git("log", "-1", "--format=%H", "--grep=logo")
    odd.loosen()
    odd.object_file(odd.git("rev-parse", f"{sha}^{{tree}}")).unlink()
    days = windows("2026-02-10", "2026-02-15")
    expected = day_by_day(odd.path, days)
    failed = [i for i, day in enumerate(expected) if isinstance(day, str)]
    assert failed == [2, 4]
    assert str(expected[2]).startswith(
        "SourceUnavailable: Repository 'o/r': git diff-tree failed: "
    )
    assert read_ahead(odd.path, days, monkeypatch, one_shot_after=2) == expected


def test_a_shallow_clone_refuses_the_same_days_both_ways(odd, tmp_path, monkeypatch):
    shallow = odd.clone(tmp_path / "shallow", depth=3)
    days = windows("2026-02-10", "2026-02-16")
    expected = day_by_day(shallow.path, days)
    # Its boundary is the 12 February commit: the days before that one's end are refused.
    assert [isinstance(day, str) for day in expected] == [True] * 3 + [False] * 4
    assert "is shallow (3 commits); fetch with --unshallow" in str(expected[0])
    assert read_ahead(shallow.path, days, monkeypatch) == expected


def test_a_force_push_between_runs_reads_the_same_both_ways(odd, monkeypatch):
    days = windows("2026-02-09", "2026-02-15")
    before = read_ahead(odd.path, days, monkeypatch)
    odd.git("reset", "-q", "--hard", "HEAD~3")  # the upstream rewrote its last commits
    odd.commit("rewritten", {"new.py": "n\n"}, committed="2026-02-12T11:00:00+08:00")
    after = read_ahead(odd.path, days, monkeypatch)
    assert after == day_by_day(odd.path, days)
    assert after != before
    assert [c.subject for c in after[3]] == ["rewritten"]


def test_a_history_that_cannot_be_walked_fails_every_day_both_ways(odd):
    days = windows("2026-02-10", "2026-02-12")
    ahead, singles = open_source(odd.path), [open_source(odd.path) for _ in days]
    ahead.expect(days)
    shutil.rmtree(odd.path / ".git/objects")  # after the sources were opened
    (odd.path / ".git/objects").mkdir()
    expected = [read(source, window) for source, window in zip(singles, days, strict=True)]
    assert all(str(day).startswith("SourceUnavailable: Repository 'o/r': git rev-list failed")
               for day in expected)  # fmt: skip
    assert [read(ahead, window) for window in days] == expected
