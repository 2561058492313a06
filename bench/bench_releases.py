"""Release report benchmark: one release of a real history, compared tag to tag.

    python bench/bench_releases.py [--repo PATH] [--from v0.5.17] [--to v0.5.18] [--repeat 2]
    python bench/bench_releases.py --site DIR --since 2026-08-08 --until 2026-08-18 [--shots DIR]

Times `generator.releases.compare_refs` (what `run` does once per new tag and `report`
does on every call) between two tags of a clone or mirror, and prints what the release
page shows: the commits of `from..to`, how many the followed branch has, the cherry-picks
matched, the interface changes per file kind, and the options and environment variables
of sglang's `ServerArgs` (`python/sglang/srt/server_args.py`) and `Envs`
(`python/sglang/srt/environ.py`) added / removed / default changed (the issue's table).

With `--site DIR` it then makes a zh archive of the days `--since`..`--until` in DIR
(`run` with the rules analyzer over the clone, which also writes the release records of
the tags of those days, then `build`), and with `--shots DIR` screenshots the `--to`
release page at desktop (1280 px) and phone (390 px) widths with Chromium. Timings on a
shared machine are noisy: the fastest of `--repeat` runs counts. It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.config import load_config
from generator.pipeline import DayRange, build, run
from generator.releases import compare_refs, resolve
from generator.releases.gitrefs import GitRefs
from generator.site.serve import open_server

MIRROR = Path("/work/.mirror/bytedance-iaas+sglang/repo")
NAME = "sgl-project/sglang"
TZ = ZoneInfo("Asia/Shanghai")
ARGS_FILE = "python/sglang/srt/server_args.py"
ENVS_FILE = "python/sglang/srt/environ.py"
CHROMIUM = "/usr/bin/chromium"


def tip(repo: Path, branch: str) -> str:
    out = subprocess.run(
        ["git", "rev-parse", branch], cwd=repo, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def measure(args: argparse.Namespace) -> None:
    refs = GitRefs(args.repo, tip(args.repo, args.branch))
    times = []
    record = None
    for _ in range(args.repeat):
        started = time.monotonic()
        old, new = resolve(refs, args.old, TZ), resolve(refs, args.new, TZ)
        record = compare_refs(refs, NAME, old, new)
        times.append(time.monotonic() - started)
    assert record is not None
    load, python = os.getloadavg()[0], sys.version.split()[0]
    print(f"Machine: {os.cpu_count()} cores, load {load:.1f}; Python {python}")
    print(f"\n{args.old} → {args.new} in {args.repo}\n")
    print(f"- compare_refs: {min(times):.1f} s (runs: {', '.join(f'{t:.1f}' for t in times)})")
    commits = record.commits
    matched = Counter(c.match or "branch only" for c in commits)
    print(
        f"- commits: {len(commits)}; on {args.branch}: {matched['sha']}; "
        + ", ".join(f"{how}: {n}" for how, n in sorted(matched.items()) if how != "sha")
    )
    by_kind = Counter((c.kind, c.change) for c in record.interface_changes)
    files = len({c.file for c in record.interface_changes})
    notes = len(record.interface_notes)
    print(f"- interface changes: {len(record.interface_changes)} in {files} files; notes: {notes}")
    for kind in ("option", "env", "dependency"):
        row = " / ".join(str(by_kind[kind, ch]) for ch in ("added", "removed", "default"))
        print(f"  - {kind}: {row} (added / removed / default)")
    for label, path, kind in (("ServerArgs", ARGS_FILE, "option"), ("Envs", ENVS_FILE, "env")):
        found = Counter(
            c.change for c in record.interface_changes if c.file == path and c.kind == kind
        )
        row = " / ".join(str(found[ch]) for ch in ("added", "removed", "default"))
        print(f"- {label} ({path}): {row}")
    print(f"- most-changed modules: {', '.join(m.name for m in record.modules[:3])}")


def make_site(args: argparse.Namespace) -> Path:
    folder = args.site
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "digest.yml").write_text(
        f"site_url: https://example.org/digest/\nlanguage: zh\nstart: {args.since}\n"
        f"repos:\n  - name: {NAME}\n    path: {args.repo}\n    branch: {args.branch}\n"
        "    pull_requests: subject\n",
        encoding="utf-8",
    )
    config = load_config(folder / "digest.yml")
    after = datetime.combine(args.until + timedelta(days=2), datetime.min.time(), TZ)
    started = time.monotonic()
    summary = run(config, DayRange(args.since, args.until), now=lambda: after.astimezone(UTC))
    print(
        f"\nrun {args.since}..{args.until}: {summary.line()} ({time.monotonic() - started:.1f} s)"
    )
    for warning in summary.warnings:
        print(f"  warning: {warning}")
    started = time.monotonic()
    built = build(config)
    print(f"build: {built.line()} ({time.monotonic() - started:.1f} s)")
    page = config.site_dir / "releases" / NAME / args.new / "index.html"
    print(f"release page: {page} ({page.stat().st_size / 1024:.1f} KB)")
    return config.site_dir


def screenshots(site_dir: Path, tag: str, shots: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots.mkdir(parents=True, exist_ok=True)
    server = open_server(site_dir, "https://example.org/digest/", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"{server.url}releases/{NAME}/{tag}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for name, width, height in (("desktop", 1280, 900), ("phone", 390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(url)
                page.wait_for_load_state("load")
                path = shots / f"release-{tag}-{name}.png"
                page.screenshot(path=str(path), full_page=False)
                page.mouse.wheel(0, 1400)
                page.wait_for_timeout(300)
                page.screenshot(path=str(shots / f"release-{tag}-{name}-tables.png"))
                print(f"screenshot: {path}")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=MIRROR)
    parser.add_argument("--branch", default="main")
    parser.add_argument("--from", dest="old", default="v0.5.17")
    parser.add_argument("--to", dest="new", default="v0.5.18")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--since", type=date.fromisoformat, default=date(2026, 8, 8))
    parser.add_argument("--until", type=date.fromisoformat, default=date(2026, 8, 18))
    parser.add_argument("--shots", type=Path)
    args = parser.parse_args()
    measure(args)
    if args.site:
        site_dir = make_site(args)
        if args.shots:
            screenshots(site_dir, args.new, args.shots)


if __name__ == "__main__":
    main()
