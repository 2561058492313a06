"""A clone that is behind its remote never records the days it has not seen as done."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from gitrepo import GitRepo, run_git

CLONED = datetime.fromisoformat("2026-03-03T18:00:00+08:00")
NOW = "2026-03-08T12:00:00+08:00"


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "DIGEST_NOW": NOW},
    )


def day_record(root: Path, day: str) -> dict:
    return json.loads((root / f"data/o/r/{day.replace('-', '/')}.json").read_text())


def as_cloned_at(clone: Path, moment: datetime) -> None:
    """Give every file git wrote into the clone's .git the clone's moment as mtime."""
    stamp = moment.timestamp()
    for path in (clone / ".git").rglob("*"):
        os.utime(path, (stamp, stamp))


def test_a_stale_clone_leaves_later_days_open_until_it_is_fetched(tmp_path):
    upstream = GitRepo.init(tmp_path / "upstream")
    for day in ("01", "02", "03"):
        upstream.commit(
            f"feat: day {day}", {f"{day}.py": "x\n"}, committed=f"2026-03-{day}T10:00:00+08:00"
        )
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", str(upstream.path), str(clone))
    as_cloned_at(clone, CLONED)
    # Upstream moves on; the clone does not see it.
    for day in ("04", "06"):
        upstream.commit(
            f"fix: day {day}", {f"{day}.py": "y\n"}, committed=f"2026-03-{day}T10:00:00+08:00"
        )
    (tmp_path / "digest.yml").write_text(
        "site_url: https://example.org/d/\ntimezone: Asia/Shanghai\n"
        "repos:\n  - name: o/r\n    branch: main\n    path: clone\n",
        encoding="utf-8",
    )

    first = cli(tmp_path, "run", "--since", "2026-03-01")
    assert first.returncode == 0, first.stderr
    warnings = [line for line in first.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        "Warning: Repository 'o/r': the clone was last updated 2026-03-03 18:00 "
        "(Asia/Shanghai), so 5 ended day(s) from 2026-03-03 stay incomplete; "
        f"update it (git -C {clone} fetch) and the next run completes them"
    ]
    assert [day_record(tmp_path, f"2026-03-0{d}")["complete"] for d in range(1, 8)] == [
        True, True, False, False, False, False, False,
    ]  # fmt: skip
    assert day_record(tmp_path, "2026-03-04")["commits"] == []
    page = (tmp_path / "docs/daily/2026/03/04.md").read_text(encoding="utf-8")
    assert "读取时克隆尚未更新到该日结束之后" in page

    run_git(clone, "fetch", "-q")
    second = cli(tmp_path, "run")
    assert second.returncode == 0, second.stderr
    assert "Warning" not in second.stderr
    days = {d: day_record(tmp_path, f"2026-03-0{d}") for d in range(1, 8)}
    assert all(record["complete"] for record in days.values())
    assert [len(days[d]["commits"]) for d in range(1, 8)] == [1, 1, 1, 1, 0, 1, 0]
    assert days[4]["commits"][0]["subject"] == "fix: day 04"


def test_a_repository_without_a_remote_is_always_current(tmp_path):
    repo = GitRepo.init(tmp_path / "clone")
    repo.commit("feat: one", {"a.py": "x\n"}, committed="2026-03-01T10:00:00+08:00")
    (tmp_path / "digest.yml").write_text(
        "site_url: https://example.org/d/\nrepos:\n  - name: o/r\n    path: clone\n",
        encoding="utf-8",
    )
    result = cli(tmp_path, "run", "--since", "2026-03-01")
    assert result.returncode == 0 and "Warning" not in result.stderr
    assert all(day_record(tmp_path, f"2026-03-0{d}")["complete"] for d in range(1, 8))
