"""A planted token never shows up in anything a run writes or prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gitrepo import GitRepo

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "ghp_PLANTEDplantedPLANTED0123456789abcdef"
KEY = "sk-PLANTEDkeyPLANTEDkey0123456789"


def everything_written(folder: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts
    )


def test_tokens_in_the_environment_never_leak(tmp_path):
    repo = GitRepo.init(tmp_path / "clone")
    repo.commit("feat: x", {"a.py": "1\n"}, committed="2026-03-02T10:00:00+08:00")
    (tmp_path / "digest.yml").write_text(
        "site_url: https://e.org/\nrepos:\n  - name: o/r\n    path: clone\n"
        "  - name: o/missing\n    path: mirrors/o/missing\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DIGEST_NOW": "2026-03-05T12:00:00+08:00",
        "GITHUB_TOKEN": TOKEN,
        "OPENAI_API_KEY": KEY,
        "DIGEST_GIT_BASE": (tmp_path / "nowhere").as_uri(),
        "NO_MKDOCS_2_WARNING": "1",
    }
    sync = subprocess.run(
        [sys.executable, str(ROOT / "scripts/sync-mirrors"), "digest.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert sync.returncode == 1
    (tmp_path / "mirrors/o/missing").mkdir(parents=True)
    run = subprocess.run(
        [sys.executable, "-m", "generator", "-v", "run", "--date", "2026-03-02", "--repo", "o/r"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    failing = subprocess.run(
        [sys.executable, "-m", "generator", "-v", "run", "--date", "2026-03-02"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert failing.returncode == 2 and "Traceback" in failing.stderr
    printed = "".join(p.stdout + p.stderr for p in (sync, run, failing))
    written = everything_written(tmp_path)
    assert (tmp_path / "docs/daily/2026/03/02.md").exists()
    for secret in (TOKEN, KEY):
        assert secret not in printed
        assert secret.encode() not in written
