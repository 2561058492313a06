"""scripts/sync-mirrors against a local 'remote': clone once, then follow the branch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gitrepo import GitRepo

ROOT = Path(__file__).resolve().parent.parent


def sync(config: Path, base: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIGEST_GIT_BASE": base.as_uri()}
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts/sync-mirrors"), str(config)],
        capture_output=True,
        text=True,
        env=env,
    )


def test_clone_then_fetch_follows_force_pushes(tmp_path):
    upstream = GitRepo.init(tmp_path / "remote" / "o" / "r")
    first = upstream.commit("one", {"a": "1\n"}, committed="2026-03-01T10:00:00+08:00")
    config = tmp_path / "digest.yml"
    config.write_text(
        "site_url: https://e.org/\nrepos:\n  - name: o/r\n    path: mirrors/o/r\n",
        encoding="utf-8",
    )
    result = sync(config, tmp_path / "remote")
    assert result.returncode == 0, result.stderr
    mirror = tmp_path / "mirrors/o/r"
    head = lambda: subprocess.run(  # noqa: E731
        ["git", "-C", str(mirror), "rev-parse", "refs/heads/main"], capture_output=True, text=True
    ).stdout.strip()
    assert head() == first
    upstream.git("reset", "--hard", first)
    rewritten = upstream.commit("two", {"a": "2\n"}, committed="2026-03-02T10:00:00+08:00")
    result = sync(config, tmp_path / "remote")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "fetch o/r (main)"
    assert head() == rewritten


def test_unknown_repository_is_one_line(tmp_path):
    config = tmp_path / "digest.yml"
    config.write_text("repos:\n  - name: o/missing\n    path: m\n", encoding="utf-8")
    result = sync(config, tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: git clone failed: ")
    assert len(result.stderr.strip().splitlines()) == 1
