"""The config that ships in the repository builds a real site on a fresh clone, offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitebuild import NS, parse

ROOT = Path(__file__).resolve().parent.parent


def test_fresh_clone_builds_a_site_from_its_own_history(tmp_path):
    clone = tmp_path / "commit-digest"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "run", "--until", "today"],
        cwd=clone,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Done: ")
    commits = int(result.stdout.split(" commits")[0].rsplit(" ", 1)[1])
    assert commits > 0
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
    )
    assert build.returncode == 0, build.stderr
    day_pages = sorted((clone / "site/daily").rglob("index.html"))
    commit_pages = sorted((clone / "site/commits").rglob("index.html"))
    assert day_pages and len(commit_pages) == commits
    home = parse(clone / "site/index.html")
    assert parse(day_pages[-1]).find(f".//{NS}article//{NS}table") is not None
    assert any("daily/" in (a.get("href") or "") for a in home.iter(f"{NS}a"))
