"""Scale benchmark: an archive of N commits from backfill to a deployable site, then a day more.

    python bench/bench_scale.py --commits 5000 20000 50000 [--work DIR] [--no-browser]
    python bench/bench_scale.py --repo PATH --branch main [--since A --until B]

On repositories made by synthrepo.py (generated once into `--work`, reused after) or on
a real clone, over its days but the last (Asia/Shanghai, rules analyzer, `language: zh`),
it measures what the issue's targets are about, each command in its own process with
its wall time and the peak resident memory of its largest process (GNU time, or wait4):

1. backfill: `run --since A --until B` into a fresh data/ and docs/, beside one
   `git log --numstat -M` over the same days (the faster of two);
2. full build, as after a cache miss: docs/ and site/ deleted, `render` (every page)
   then `build` (MkDocs from scratch, every search index part);
3. daily update with the previous build restored: every record file touched (a fresh
   checkout gives them new times), `run` (records the last day and renders what it
   changed), `build` (MkDocs `--dirty`, the changed month's index part);
4. a re-run of that complete day: `run --date L`, then `build`; both should do nothing;
5. the site: its size (the bytes of its files, what GitHub Pages counts), its files,
   commit and day page sizes;
6. the first query, in headless Chromium over the site served gzipped as GitHub Pages
   serves it (`bench_search.first_queries`): the bytes it transfers.

It prints Markdown tables with the machine they ran on, and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench_backfill import (
    Job,
    Measured,
    add_job_options,
    branch_ref,
    fresh,
    machine,
    make_jobs,
    measure,
    midnight,
    time_git_log,
    write_config,
)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
BUILD_LINE = re.compile(
    r"Done: (\d+) pages changed, site (\w+) in .+ in ([\d.]+) s, search index of (\d+) pages "
    r"in (\d+) parts? \((\d+) indexed\) in ([\d.]+) s"
)
RUN_LINE = re.compile(r"(\d+) records and (\d+) pages changed")


@dataclass
class Step:
    measured: Measured
    line: str = ""

    @property
    def seconds(self) -> float:
        return self.measured.seconds

    @property
    def peak_mib(self) -> float:
        return self.measured.peak_kib / 1024


@dataclass
class Result:
    label: str
    commits: int
    days: int
    git_log: Measured
    backfill: Step
    render: Step
    build: Step
    daily_run: Step
    daily_build: Step
    rerun: Step
    rebuild: Step
    site_bytes: int = 0
    site_files: int = 0
    commit_pages: list[int] = field(default_factory=list)
    day_pages: list[int] = field(default_factory=list)
    watch_pages: list[int] = field(default_factory=list)
    queries: list[tuple] = field(default_factory=list)


def env_at(day: date) -> dict[str, str]:
    """This checkout's generator, its clock the morning after `day` (that day is over)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env["DIGEST_NOW"] = (midnight(day + timedelta(days=1)) + timedelta(hours=6)).isoformat()
    return env


def generator(folder: Path, day: date, *args: str) -> Step:
    command = [sys.executable, "-m", "generator", args[0], "--config", str(folder / "digest.yml")]
    command += list(args[1:])
    measured = measure(command, folder, env_at(day), folder / f"{args[0]}.log")
    done = [ln for ln in measured.output.splitlines() if ln.startswith("Done")]
    return Step(measured, done[-1] if done else "")


def touch_records(data: Path) -> None:
    """What a fresh checkout does to the records: new modification times, same bytes."""
    for path in data.rglob("*.json"):
        os.utime(path)


def page_sizes(site: Path, folder: str) -> list[int]:
    return sorted(p.stat().st_size for p in (site / folder).rglob("index.html"))


def scale(job: Job, work: Path, args: argparse.Namespace) -> Result:
    last = job.until
    before = last - timedelta(days=1)
    folder = fresh(work / f"scale-{job.label.replace(' ', '-')}")
    write_config(folder, job, args)
    ref = branch_ref(job.repo, job.branch)
    print(f"  git log {job.since}..{before}", flush=True)
    log_time, commits = time_git_log(job.repo, ref, job.since, before, 1)
    print(f"  backfill ({commits:,} commits)", flush=True)
    backfill = generator(folder, before, "run", "--since", str(job.since), "--until", str(before))
    print(f"  full build ({backfill.line})", flush=True)
    shutil.rmtree(folder / "docs")
    shutil.rmtree(folder / "site", ignore_errors=True)
    render = generator(folder, before, "render")
    build = generator(folder, before, "build")
    print(f"  daily update ({build.line})", flush=True)
    touch_records(folder / "data")
    daily_run = generator(folder, last, "run")
    daily_build = generator(folder, last, "build")
    print(f"  re-run ({daily_run.line} / {daily_build.line})", flush=True)
    rerun = generator(folder, last, "run", "--date", str(last))
    rebuild = generator(folder, last, "build")
    site = folder / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    result = Result(
        job.label,
        commits,
        (before - job.since).days + 1,
        log_time,
        backfill,
        render,
        build,
        daily_run,
        daily_build,
        rerun,
        rebuild,
        sum(p.stat().st_size for p in files),
        len(files),
        page_sizes(site, "commits"),
        page_sizes(site, "daily"),
        page_sizes(site, "watches") if (site / "watches").is_dir() else [],
    )
    if args.browser and CHROMIUM.exists():
        from bench_search import first_queries

        print("  first queries", flush=True)
        result.queries = first_queries(site)
    if not args.keep:
        shutil.rmtree(folder)
    return result


# -- report ---------------------------------------------------------------------------


def parts(step: Step) -> tuple[float, float, int]:
    """(MkDocs seconds, index seconds, parts indexed) from a build's summary line."""
    match = BUILD_LINE.search(step.line)
    if not match:
        return 0.0, 0.0, 0
    return float(match.group(3)), float(match.group(7)), int(match.group(6))


def kib(n: float) -> str:
    return f"{n / 1024:,.1f} KiB"


def sizes(values: list[int]) -> str:
    if not values:
        return "-"
    median = int(statistics.median(values))
    return f"{values[0]:,} / {median:,} / {values[-1]:,} B"


def table(results: list[Result]) -> str:
    head = "| | " + " | ".join(f"{r.commits:,} commits ({r.days:,} days)" for r in results)
    lines = [head + " | target |", "|---|" + "--:|" * len(results) + "---|"]

    def row(label: str, cells: list[str], target: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    row(
        "`git log --numstat -M` over the same days", [f"{r.git_log.seconds:.1f} s" for r in results]
    )
    row(
        "backfill `run` (ratio to git log); peak",
        [
            f"{r.backfill.seconds:.1f} s (**{r.backfill.seconds / r.git_log.seconds:.1f}×**); "
            f"{r.backfill.peak_mib:,.0f} MiB"
            for r in results
        ],
        "≤ 2× git log",
    )
    full = []
    for r in results:
        mkdocs, index, _ = parts(r.build)
        total = r.render.seconds + r.build.seconds
        peak = max(r.render.peak_mib, r.build.peak_mib)
        full.append(
            f"**{total:.0f} s**: render {r.render.seconds:.0f} + MkDocs {mkdocs:.0f} + "
            f"index {index:.0f} (+ {r.build.seconds - mkdocs - index:.0f}); {peak:,.0f} MiB"
        )
    row("full build (cache miss): render + MkDocs + index; peak", full, "< 10 min, ≤ 4 GB")
    daily = []
    for r in results:
        mkdocs, index, indexed = parts(r.daily_build)
        total = r.daily_run.seconds + r.daily_build.seconds
        peak = max(r.daily_run.peak_mib, r.daily_build.peak_mib)
        daily.append(
            f"**{total:.1f} s**: run {r.daily_run.seconds:.1f} + build "
            f"{r.daily_build.seconds:.1f} (MkDocs {mkdocs:.1f}, index {index:.1f}: {indexed} "
            f"part{'s' if indexed != 1 else ''}); {peak:,.0f} MiB"
        )
    row("daily update, previous build restored: run + build; peak", daily, "< 60 s, ≤ 1 GB")
    row(
        "re-run of the complete day: run + build",
        [
            f"**{r.rerun.seconds + r.rebuild.seconds:.1f} s**: {r.rerun.seconds:.1f} + "
            f"{r.rebuild.seconds:.1f} ({_nothing(r)})"
            for r in results
        ],
        "< 2 s, nothing written",
    )
    row(
        "site: bytes of its files / files",
        [f"{r.site_bytes / 2**20:,.0f} MiB / {r.site_files:,}" for r in results],
        "≤ 500 MB",
    )
    row("commit page HTML min / median / max", [sizes(r.commit_pages) for r in results], "≤ 10 KB")
    row("day page HTML min / median / max", [sizes(r.day_pages) for r in results])
    if any(r.watch_pages for r in results):
        row("watch page HTML min / median / max", [sizes(r.watch_pages) for r in results])
    row(
        "site bytes per commit",
        [f"{r.site_bytes / max(r.commits, 1) / 1000:,.1f} KB" for r in results],
        "≤ 10 KB",
    )
    for n, query in enumerate(results[0].queries if results else []):
        cells = []
        for r in results:
            if n < len(r.queries):
                _, _, sent, requests, found = r.queries[n]
                cells.append(f"{kib(sum(sent.values()))} ({requests} requests, {found:,} found)")
            else:
                cells.append("-")
        row(f"first query `{query[0]}`: transfer", cells, "< 250 KB")
    return "\n".join(lines)


def _nothing(r: Result) -> str:
    run = RUN_LINE.search(r.rerun.line)
    build = BUILD_LINE.search(r.rebuild.line)
    wrote = (run.group(1), run.group(2)) if run else ("?", "?")
    mode = build.group(2) if build else "?"
    return f"{wrote[0]} records, {wrote[1]} pages written; site {mode}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_job_options(parser, [5000, 20000, 50000])
    parser.add_argument("--work", type=Path, help="keep generated repositories here (reused)")
    parser.add_argument("--keep", action="store_true", help="keep each archive and site")
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for job in make_jobs(args, work):
        print(f"{job.label}: {job.since}..{job.until}", flush=True)
        results.append(scale(job, work, args))
    print()
    print(machine())
    print()
    print(table(results))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
