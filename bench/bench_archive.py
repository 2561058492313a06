"""Benchmark: a synthetic sglang-like archive → records → pages → `mkdocs build --strict`.

Run on demand, not a test: `/work/venv/bin/python bench/bench_archive.py --commits 3000`.
Prints timings, the build's peak memory and the built site's sizes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.analysis.rules import RulesAnalyzer
from generator.config import Config, load_config
from generator.localdays import day_window
from generator.models import Commit, DayRecord, FileChange, Person
from generator.pipeline import render
from generator.records import store_record
from generator.render.settings import SiteSettings
from generator.site.build import mkdocs_command, mkdocs_environment
from generator.site.mkdocs_yml import write_site_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "sglang-2026-02-10_2026-02-14.json"
TZ = ZoneInfo("Asia/Shanghai")
REPO = "sgl-project/sglang"
FIRST_DAY = date(2025, 6, 1)
GNU_TIME = Path("/usr/bin/time")


def fixture_commits() -> list[dict[str, Any]]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [c for day in data["days"] for c in day["commits"]]


def synthetic_days(n: int, seed: int = 1) -> list[tuple[date, list[Commit]]]:
    """`n` commits, 20–50 a day, cycling through the fixture; each day newest first."""
    templates, rng = fixture_commits(), random.Random(seed)
    days: list[tuple[date, list[Commit]]] = []
    index, parent = 0, hashlib.sha1(b"root").hexdigest()
    while index < n:
        day = FIRST_DAY + timedelta(days=len(days))
        count = min(rng.randint(20, 50), n - index)
        seconds = sorted(rng.sample(range(86_400), count))
        commits = []
        for second in seconds:
            t = templates[index % len(templates)]
            sha = hashlib.sha1(f"bench-{index}".encode()).hexdigest()
            when = datetime(day.year, day.month, day.day, tzinfo=TZ) + timedelta(seconds=second)
            commits.append(
                Commit(
                    sha=sha,
                    parents=(parent,),
                    author=Person(name=t["author_name"], email=t["author_email"]),
                    committer=Person(name=t["committer_name"], email=t["committer_email"]),
                    authored_at=when - timedelta(minutes=rng.randint(0, 600)),
                    committed_at=when,
                    subject=t["subject"],
                    files=tuple(
                        FileChange(
                            path=f["path"],
                            additions=f["additions"] or 0,
                            deletions=f["deletions"] or 0,
                            old_path=f.get("old_path"),
                            binary=f.get("binary", False),
                        )
                        for f in t["files"]
                    ),
                )
            )
            index, parent = index + 1, sha
        days.append((day, commits[::-1]))
    return days


def write_config(base: Path, language: str, repos: Sequence[str] = (REPO,)) -> Path:
    path = base / "digest.yml"
    listed = "".join(f"  - name: {name}\n    path: .\n" for name in repos)
    path.write_text(
        f"site_url: https://example.org/digest/\nlanguage: {language}\nrepos:\n{listed}",
        encoding="utf-8",
    )
    return path


def store_day(config: Config, day: date, commits: Sequence[Commit], repo: str = REPO) -> None:
    """One complete record, fetched an hour after the day ended."""
    window = day_window(day, TZ)
    record = DayRecord(
        repo=repo,
        branch="main",
        timezone="Asia/Shanghai",
        complete=True,
        day=day,
        window_start=window.start,
        window_end=window.end,
        fetched_at=window.end + timedelta(hours=1),
        commits=tuple(commits),
    )
    store_record(config.data_dir, record, None)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run `command`; (wall seconds, peak RSS in KiB, its output). Exits if it fails."""
    handle, name = tempfile.mkstemp(suffix=".time")
    os.close(handle)
    report = Path(name)
    if GNU_TIME.exists():
        command = [str(GNU_TIME), "-v", "-o", str(report), *command]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command} failed:\n{done.stdout}\n{done.stderr}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for line in report.read_text().splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.rsplit(":", 1)[1])
    report.unlink()
    return wall, rss, done.stdout + done.stderr


def build_site(config: Config, site: Path) -> tuple[float, int]:
    """The MkDocs build `generator build` runs; (wall seconds, peak RSS in KiB)."""
    engine_config = write_site_config(SiteSettings.from_config(config), config.docs_dir, site)
    wall, rss, _ = timed(mkdocs_command(engine_config), mkdocs_environment())
    return wall, rss


def sizes(paths: list[Path]) -> str:
    """min / median / max bytes."""
    if not paths:
        return "-"
    values = sorted(p.stat().st_size for p in paths)
    return f"{values[0]:,} / {int(statistics.median(values)):,} / {values[-1]:,}"


def run(base: Path, n: int, language: str) -> list[tuple[str, str]]:
    config_file = write_config(base, language)
    config = load_config(config_file)
    days, analyzer = synthetic_days(n), RulesAnalyzer(config.language)
    start = time.perf_counter()
    analysed = [
        (d, [c.model_copy(update={"analysis": analyzer.analyze(c)}) for c in cs]) for d, cs in days
    ]
    analysis = time.perf_counter() - start
    start = time.perf_counter()
    for day, commits in analysed:
        store_day(config, day, commits)
    writing = time.perf_counter() - start
    data_bytes = sum(p.stat().st_size for p in config.data_dir.rglob("*.json"))
    rows = [
        ("commits / days", f"{n:,} / {len(days)} ({n / len(days):.1f} a day)"),
        ("analysis (rules)", f"{analysis:.2f} s ({analysis / n * 1e3:.2f} ms a commit)"),
        ("record writing", f"{writing:.2f} s ({data_bytes / 1e6:.1f} MB of JSON)"),
    ]
    months = len({(day.year, day.month) for day, _ in days})
    pages = len(days) + n + months + 3  # days, commits, months, the repository, home, archive
    for label in ("render, first", "render, unchanged"):
        start = time.perf_counter()
        changed = render(config)
        took = time.perf_counter() - start
        rows.append((label, f"{took:.2f} s ({pages:,} pages, {changed:,} files written)"))
    site = base / "site"
    wall, rss = build_site(config, site)
    rows.append(("mkdocs build --strict", f"{wall:.1f} s, peak RSS {rss / 1024:.0f} MiB"))
    du = subprocess.run(["du", "-sk", str(site)], capture_output=True, text=True).stdout.split()[0]
    html = list(site.rglob("*.html"))
    apparent = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    rows += [
        ("site size (du / apparent)", f"{int(du) / 1024:.1f} MiB / {apparent / 2**20:.1f} MiB"),
        ("HTML files", f"{len(html):,}"),
        ("commit page HTML min/med/max", sizes(list((site / "commits").rglob("index.html")))),
        ("day page HTML min/med/max", sizes(list((site / "daily").rglob("index.html")))),
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=600, help="number of commits (600)")
    parser.add_argument("--keep", type=Path, help="build into this new or empty folder, keep it")
    parser.add_argument("--language", choices=("zh", "en"), default="zh")
    args = parser.parse_args()
    if args.commits < 1:
        parser.error("--commits must be at least 1")
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: folder is not empty")
        args.keep.mkdir(parents=True, exist_ok=True)
        rows = run(args.keep.resolve(), args.commits, args.language)
    else:
        with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp:
            rows = run(Path(tmp), args.commits, args.language)
    print(f"\ncommit-digest archive benchmark, language {args.language}, {os.cpu_count()} cores")
    width = max(len(k) for k, _ in rows)
    print(f"| {'measure'.ljust(width)} | result |\n|{'-' * (width + 2)}|--------|")
    for key, value in rows:
        print(f"| {key.ljust(width)} | {value} |")


if __name__ == "__main__":
    main()
