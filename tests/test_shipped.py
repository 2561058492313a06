"""The config that ships in the repository builds a real site on a fresh clone, offline,
whatever the day: here on a day without commits, as a newcomer often meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from sitebuild import NS, parse, text_of

ROOT = Path(__file__).resolve().parent.parent


def test_fresh_clone_builds_a_site_on_a_day_without_commits(tmp_path):
    clone = tmp_path / "commit-digest"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    tz = ZoneInfo(yaml.safe_load((clone / "digest.yml").read_text())["timezone"])
    newest = subprocess.run(
        ["git", "-C", str(clone), "log", "-1", "--format=%cI"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    last_day = datetime.fromisoformat(newest).astimezone(tz).date()
    # The next morning: today has no commits yet and yesterday is the newest day with some.
    morning = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tz)
    env = {**os.environ, "DIGEST_NOW": (morning + timedelta(hours=9)).isoformat()}

    result = subprocess.run(
        [sys.executable, "-m", "generator", "run", "--until", "today"],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Done: ")
    commits = int(result.stdout.split(" commits")[0].rsplit(" ", 1)[1])
    assert commits > 0
    build = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
    )
    assert build.returncode == 0, build.stderr
    assert build.stdout.startswith(f"Done: 0 pages changed, site built in {clone / 'site'} in ")
    commit_pages = sorted((clone / "site/commits").rglob("index.html"))
    assert len(commit_pages) == commits
    newest_page = clone / f"site/daily/{last_day:%Y/%m/%d}/index.html"
    table = parse(newest_page).find(f".//{NS}article//{NS}table")
    assert table is not None and len(table.findall(f".//{NS}tbody/{NS}tr")) >= 1
    home = parse(clone / "site/index.html")
    assert any("daily/" in (a.get("href") or "") for a in home.iter(f"{NS}a"))
    assert text_of(home.find(f".//{NS}title")) == "Commit Digest"
