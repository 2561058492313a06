"""Backfill benchmark: `python -m generator run` over a range against one `git log --numstat -M`.

    python bench/bench_backfill.py --commits 5000 20000 [--work DIR] [--profile]
    python bench/bench_backfill.py --repo PATH --branch main [--since A --until B] [--profile]

On repositories made by synthrepo.py (reused from `--work` when already there) or on a
real clone (`--repo`), it times, over the same days (Asia/Shanghai):

* `git log --numstat -M` of the branch between the first and the last local midnight,
  output thrown away: the cost of reading the history once;
* `python -m generator run --since A --until B` with the rules analyzer into a fresh
  data/ and docs/, with DIGEST_NOW set after B so every day is complete. `run` renders
  every page after recording the days, as it does today; the issue's target is run <= 2x
  git log.

With `--split` it also times the record side alone: the same `run` with its rendering
left out (`pipeline._render_docs` replaced by nothing, in this benchmark only), which is
what reading git, analysing and writing the records cost.

With `--rerun` it then times `run --date <last day>` over the archive the backfill left
(whole, and with `--split` its record side): a re-run of a complete day, the fastest of
two (one more with `--repeat`).

With `--repeat N` each backfill runs N times and git log N + 1 times; the fastest
counts, and the spread is shown. CPU seconds (user + system of the process tree) are
shown beside wall time: on a shared machine they move much less. Peak RSS is the
largest process of each command's tree (GNU time, else wait4's rusage). `--profile`
runs the backfill once more under cProfile and splits it into git, analysis, records
and rendering, with the functions that take the most time. It prints Markdown tables
with the machine they ran on. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import synthrepo
import yaml

ROOT = Path(__file__).resolve().parent.parent
GNU_TIME = Path("/usr/bin/time")
LOADS: list[float] = []
"""The 1-minute load average before each timed command: other work on the machine."""
TZ = synthrepo.TZ
NAME = "sgl-project/sglang"


@dataclass
class Measured:
    seconds: float
    cpu: float
    """User plus system seconds of the whole process tree: barely moved by other work
    on the machine, unlike the wall time."""
    peak_kib: int
    output: str = ""
    spread: tuple[float, float] = (0.0, 0.0)
    """The fastest and slowest wall time when the command ran more than once."""

    def wall(self) -> str:
        low, high = self.spread
        spread = f" ({low:.1f}–{high:.1f})" if high > low * 1.05 else ""
        return f"{self.seconds:.1f} s{spread}"


def best(runs: list[Measured]) -> Measured:
    """The fastest of repeated runs, which other work on the machine slowed the least."""
    fastest = min(runs, key=lambda m: m.seconds)
    walls = [m.seconds for m in runs]
    cpu = min(m.cpu for m in runs)
    return Measured(
        fastest.seconds, cpu, fastest.peak_kib, fastest.output, (min(walls), max(walls))
    )


@dataclass(frozen=True)
class Job:
    """One repository and the days to backfill from it."""

    label: str
    repo: Path
    branch: str
    since: date
    until: date
    note: str = ""


@dataclass
class Row:
    label: str
    commits: int
    days: int
    git_log: Measured
    run: Measured
    done: str
    records: Measured | None
    """`run` without its rendering (`--split`)."""
    data_bytes: int
    docs_files: int
    docs_bytes: int
    reruns: dict[str, Measured] = field(default_factory=dict)
    """`--rerun`: the last day again, whole and (with `--split`) its record side."""


def measure(command: list[str], cwd: Path, env: dict[str, str], log: Path | None) -> Measured:
    """Wall time and the peak RSS of the command's largest process (itself or a child).

    The peak comes from GNU time when it exists, else from wait4. A child's ru_maxrss
    starts at the footprint of the process it was forked from (Linux keeps the
    high-water mark across exec), so this process stays small: repositories are
    generated in a subprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "time.txt"
        if GNU_TIME.exists():
            command = [str(GNU_TIME), "-v", "-o", str(report), *command]
        out = open(log, "wb") if log else open(os.devnull, "wb")  # noqa: SIM115
        # Pending writes (a repository just generated, a previous run's pages) would be
        # flushed during the measurement and slow down its fsyncs.
        os.sync()
        LOADS.append(os.getloadavg()[0])
        with out:
            began = time.perf_counter()
            proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - began
            proc.returncode = os.waitstatus_to_exitcode(status)
        # ru_maxrss is KiB on Linux, bytes on macOS.
        peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
        if report.exists():
            for line in report.read_text().splitlines():
                if "Maximum resident set size" in line:
                    peak = int(line.rsplit(":", 1)[1])
    text = log.read_text(encoding="utf-8", errors="replace") if log else ""
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({proc.returncode}):\n{text[-3000:]}")
    return Measured(seconds, usage.ru_utime + usage.ru_stime, peak, text)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=synthrepo.git_env(), capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"git {' '.join(args)} in {repo}: {done.stderr.strip()}")
    return done.stdout.strip()


def branch_ref(repo: Path, branch: str) -> str:
    """The ref the generator reads: the remote-tracking branch wins, as in sources/git.py."""
    for ref in (f"refs/remotes/origin/{branch}", f"refs/heads/{branch}"):
        done = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", ref],
            cwd=repo,
            env=synthrepo.git_env(),
            capture_output=True,
        )
        if done.returncode == 0:
            return ref
    sys.exit(f"{repo}: no branch {branch!r} (looked for origin/{branch} and {branch})")


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TZ)


def time_git_log(
    repo: Path, ref: str, since: date, until: date, repeat: int
) -> tuple[Measured, int]:
    """The fastest of `repeat` + 1 `git log --numstat -M` runs (the first also warms the
    page cache), and how many commits it lists."""
    window = [
        f"--since={midnight(since).isoformat()}",
        f"--until={(midnight(until + timedelta(days=1)) - timedelta(seconds=1)).isoformat()}",
    ]
    env = synthrepo.git_env()
    command = ["git", "log", "--numstat", "-M", *window, ref, "--"]
    runs = [measure(command, repo, env, None) for _ in range(repeat + 1)]
    count = int(git(repo, "rev-list", "--count", *window, ref, "--"))
    return best(runs), count


def write_config(folder: Path, job: Job, args: argparse.Namespace) -> Path:
    config = folder / "digest.yml"
    settings = {
        "site_url": "https://example.org/digest/",
        "timezone": "Asia/Shanghai",
        "language": args.language,
        "analyzer": "rules",
        "repos": [{"name": args.name, "branch": job.branch, "path": str(job.repo)}],
    }
    if getattr(args, "config_extra", None):  # watches, noise rules... beside the defaults
        settings.update(yaml.safe_load(args.config_extra.read_text(encoding="utf-8")))
    config.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")  # YAML ⊃ JSON
    return config


WITHOUT_RENDERING = (
    "import sys, types; import generator.pipeline as p; from generator.cli import main; "
    "p._render_docs = lambda config, full=False, records=None: types.SimpleNamespace(changed=0); "
    "sys.exit(main(sys.argv[1:]))"
)
"""`python -m generator` with the pages left out: the record side of a run."""


def run_command(
    config: Path, since: date, until: date, profile: Path | None, render: bool = True
) -> list[str]:
    head = [sys.executable]
    if profile is not None:
        head += ["-m", "cProfile", "-o", str(profile)]
    tail = ["run", "--config", str(config), "--since", str(since), "--until", str(until)]
    return [*head, *(["-m", "generator"] if render else ["-c", WITHOUT_RENDERING]), *tail]


def run_env(until: date) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's generator
    # The morning after the last day: every day is over, so every record is complete.
    env["DIGEST_NOW"] = (midnight(until + timedelta(days=1)) + timedelta(hours=6)).isoformat()
    return env


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def backfill(job: Job, work: Path, args: argparse.Namespace) -> Row:
    ref = branch_ref(job.repo, job.branch)
    log_time, commits = time_git_log(job.repo, ref, job.since, job.until, args.repeat)
    runs = []
    for _ in range(args.repeat):
        folder = fresh(work / f"run-{job.label}")
        config = write_config(folder, job, args)
        command = run_command(config, job.since, job.until, None)
        runs.append(measure(command, folder, run_env(job.until), folder / "run.log"))
    run = best(runs)
    done = next((ln for ln in reversed(run.output.splitlines()) if ln.startswith("Done")), "")
    _, data_bytes = tree_size(folder / "data")
    docs_files, docs_bytes = tree_size(folder / "docs")
    days = (job.until - job.since).days + 1
    reruns = {}
    if args.rerun:
        reruns["run"] = rerun(job, folder, render=True, repeat=args.repeat)
    records = None
    if args.split:
        parts = []
        for _ in range(args.repeat):
            folder = fresh(work / f"records-{job.label}")
            config = write_config(folder, job, args)
            command = run_command(config, job.since, job.until, None, render=False)
            parts.append(measure(command, folder, run_env(job.until), folder / "run.log"))
        records = best(parts)
        if args.rerun:
            reruns["record side"] = rerun(job, folder, render=False, repeat=args.repeat)
    return Row(
        job.label,
        commits,
        days,
        log_time,
        run,
        done,
        records,
        data_bytes,
        docs_files,
        docs_bytes,
        reruns,
    )


def rerun(job: Job, folder: Path, render: bool, repeat: int) -> Measured:
    """`run --date <last day>` over the archive the backfill left: a complete day again."""
    command = run_command(folder / "digest.yml", job.until, job.until, None, render=render)
    env = run_env(job.until)
    return best([measure(command, folder, env, folder / "rerun.log") for _ in range(repeat + 1)])


def profile(job: Job, work: Path, args: argparse.Namespace) -> str:
    folder = fresh(work / f"profile-{job.label}")
    config = write_config(folder, job, args)
    stats_file = folder / "run.prof"
    command = run_command(config, job.since, job.until, stats_file)
    measure(command, folder, run_env(job.until), folder / "run.log")
    return split_profile(pstats.Stats(str(stats_file)))


# -- where the time goes -------------------------------------------------------------

Key = tuple[str, int, str]


def _matches(key: Key, where: str, name: str) -> bool:
    path = key[0].replace(os.sep, "/")
    return key[2] == name and (path.endswith(where) or (where.endswith("/") and where in path))


def cumulative(stats: dict, where: str, name: str, caller: tuple[str, str] | None = None) -> float:
    """Seconds in a function and what it calls; with `caller`, only the calls from it."""
    total = 0.0
    for key, (_, _, _, cum, callers) in stats.items():
        if not _matches(key, where, name):
            continue
        if caller is None:
            total += cum
        else:
            total += sum(v[3] for k, v in callers.items() if _matches(k, *caller))
    return total


# (where, function, only the calls from (where, function)): `where` is the end of the
# file's path; "generator/" takes a name unique in the package wherever it moves.
PARTS: tuple[tuple[str, list[tuple[str, str, tuple[str, str] | None]]], ...] = (
    ("git: fetch_day (git processes, parsing, Commit objects)", [
        ("generator/", "fetch_day", None),
        ("generator/sources/git.py", "open", None),
    ]),
    ("  of which waiting on git processes", [
        ("generator/sources/git.py", "_run", None),  # a day read with processes of its own
        ("generator/sources/gitbatch.py", "_next", None),  # a day read ahead, not there yet
    ]),
    ("analysis: analyze (rules)", [
        ("generator/analysis/__init__.py", "analyze", ("generator/", "record_day")),
    ]),
    ("records: load/write per day, pending days, re-analysis check", [
        ("generator/records.py", "load_record", ("generator/", "record_day")),
        ("generator/", "_store", ("generator/", "record_day")),
        ("generator/", "pending_days", None),
        ("generator/", "reanalyze_stale", None),
        ("generator/recordcache.py", "save", None),
    ]),
    ("rendering: render_docs", [("generator/", "render_docs", None)]),
    ("  render_pages", [("generator/", "render_pages", None)]),
    ("  of which write_atomic (temporary file, fsync, rename)", [
        ("generator/files.py", "write_atomic", ("generator/files.py", "write")),
    ]),
    ("  render_feeds", [("generator/", "render_feeds", None)]),
)  # fmt: skip


def split_profile(profile: pstats.Stats, top: int = 15) -> str:
    stats = profile.stats  # type: ignore[attr-defined]
    total = profile.total_tt  # type: ignore[attr-defined]
    lines = ["| part | seconds (profiled) | share |", "|---|--:|--:|"]
    counted = 0.0
    for label, functions in PARTS:
        seconds = sum(cumulative(stats, *f) for f in functions)
        if not label.startswith(" "):
            counted += seconds
        shown = f"{seconds:.1f}" if seconds else "not found (renamed?)"
        lines.append(f"| {label} | {shown} | {100 * seconds / total:.0f}% |")
    rest = total - counted
    lines.append(f"| startup, imports, other | {rest:.1f} | {100 * rest / total:.0f}% |")
    lines.append(f"| **total** | {total:.1f} | 100% |")
    lines += ["", f"Top {top} functions by own time:", ""]
    lines += ["| function | calls | own s | cumulative s |", "|---|--:|--:|--:|"]
    ranked = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (file, line, name), (_, calls, own, cum, _) in ranked:
        where = _short(file, line)
        lines.append(f"| `{name}` {where} | {calls:,} | {own:.2f} | {cum:.2f} |")
    return "\n".join(lines)


def _short(file: str, line: int) -> str:
    if file == "~":
        return "(built-in)"
    path = file.replace(os.sep, "/")
    cut = path.find("/generator/")
    return f"{path[cut + 1 :] if cut >= 0 else Path(path).name}:{line}"


# -- report -----------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                 if ln.startswith("model name")]  # fmt: skip
        cpu = names[0] if names else cpu
    ram = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        ram = f", {kib / 2**20:.0f} GiB RAM"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    gitv = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    load = f"; load average before the timed commands {min(LOADS):.1f}–{max(LOADS):.1f}"
    return (
        f"Machine: {cores} cores ({cpu}){ram}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {gitv}; {datetime.now():%Y-%m-%d}"
        f"{load if LOADS else ''}."
    )


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def table(rows: list[Row]) -> str:
    out = [
        "| repository | commits | days | git log --numstat -M | CPU | peak RSS | `run` | CPU "
        "| peak RSS | run / git log | CPU ratio |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        log, run = r.git_log, r.run
        out.append(
            f"| {r.label} | {r.commits:,} | {r.days:,} | {log.wall()} | {log.cpu:.1f} s "
            f"| {log.peak_kib / 1024:.0f} MiB | {run.wall()} | {run.cpu:.1f} s "
            f"| {run.peak_kib / 1024:.0f} MiB | **{run.seconds / log.seconds:.1f}×** "
            f"| {run.cpu / log.cpu:.1f}× |"
        )
    split = [r for r in rows if r.records is not None]
    if split:
        out += ["", "The record side alone (`run` without rendering):", ""]
        out += [
            "| repository | git log | record side | CPU | peak RSS | record side / git log "
            "| CPU ratio |",
            "|---|--:|--:|--:|--:|--:|--:|",
        ]
        for r in split:
            rec = r.records
            assert rec is not None
            out.append(
                f"| {r.label} | {r.git_log.wall()} | {rec.wall()} | {rec.cpu:.1f} s "
                f"| {rec.peak_kib / 1024:.0f} MiB | **{rec.seconds / r.git_log.seconds:.2f}×** "
                f"| {rec.cpu / r.git_log.cpu:.2f}× |"
            )
    reruns = [r for r in rows if r.reruns]
    if reruns:
        out += ["", "A re-run of the last (complete) day, `run --date`, over that archive:", ""]
        out += ["| repository | part | wall | CPU | peak RSS | summary |"]
        out += ["|---|---|--:|--:|--:|---|"]
        for r in reruns:
            for part, m in r.reruns.items():
                done = next((ln for ln in m.output.splitlines() if ln.startswith("Done")), "")
                out.append(
                    f"| {r.label} | {part} | {m.wall()} | {m.cpu:.1f} s "
                    f"| {m.peak_kib / 1024:.0f} MiB | {done} |"
                )
    out += ["", "| repository | data/ (records) | docs/ files | docs/ size | run's summary |"]
    out.append("|---|--:|--:|--:|---|")
    for r in rows:
        out.append(
            f"| {r.label} | {mib(r.data_bytes)} | {r.docs_files:,} | {mib(r.docs_bytes)} "
            f"| {r.done} |"
        )
    return "\n".join(out)


def generated(work: Path, commits: int, args: argparse.Namespace) -> tuple[Path, dict]:
    """A synthrepo repository of `commits` commits, made once and reused from `work`."""
    repo = work / f"synth-{commits}-seed{args.seed}-{args.start}-{args.per_day:g}"
    meta_file = repo / synthrepo.META
    if not meta_file.exists():
        if repo.exists():
            shutil.rmtree(repo)  # a generation that did not finish
        options = ["--commits", str(commits), "--seed", str(args.seed)]
        options += ["--start", str(args.start), "--per-day", str(args.per_day)]
        command = [sys.executable, str(Path(__file__).with_name("synthrepo.py")), str(repo)]
        subprocess.run([*command, *options], check=True)  # prints what it made
    return repo, json.loads(meta_file.read_text(encoding="utf-8"))


def add_job_options(parser: argparse.ArgumentParser, commits: list[int]) -> None:
    """What to benchmark: generated repositories of `--commits` (by default `commits`), or a
    real clone (`--repo`), and how its pages are made (bench_scale.py takes the same)."""
    parser.add_argument("--commits", type=int, nargs="+", default=commits)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
    parser.add_argument("--per-day", type=float, default=30.0)
    parser.add_argument("--repo", type=Path, help="a real clone instead of generated ones")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--name", default=NAME, help=f"owner/name for the pages (default {NAME})")
    parser.add_argument("--since", type=date.fromisoformat)
    parser.add_argument("--until", type=date.fromisoformat)
    parser.add_argument("--language", default="zh", choices=("zh", "en"))
    parser.add_argument(
        "--config-extra",
        type=Path,
        help="a YAML mapping of top-level keys added to every digest.yml (e.g. watches:)",
    )


def make_jobs(args: argparse.Namespace, work: Path) -> list[Job]:
    """The jobs `add_job_options` asked for: the clone's 365 days up to its newest commit (or
    `--since`/`--until`), or each generated repository (made once into `work`) whole."""
    if args.repo:
        repo = args.repo.resolve()
        ref = branch_ref(repo, args.branch)
        newest = datetime.fromtimestamp(int(git(repo, "log", "-1", "--format=%ct", ref)), TZ)
        until = args.until or newest.date()
        since = args.since or until - timedelta(days=364)
        return [Job(repo.name, repo, args.branch, since, until)]
    jobs = []
    for commits in args.commits:
        repo, meta = generated(work, commits, args)
        since = args.since or date.fromisoformat(meta["first_day"])
        until = args.until or date.fromisoformat(meta["last_day"])
        note = (
            f"{meta['commits']:,} commits generated in {meta['seconds']:.0f} s, "
            f"{meta['files']:,} files at the tip, repository {mib(meta['repo_bytes'])}"
        )
        jobs.append(Job(f"synthrepo {commits:,}", repo, "main", since, until, note))
    return jobs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_job_options(parser, [5000])
    parser.add_argument("--work", type=Path, help="keep repositories and runs here (reused)")
    parser.add_argument("--profile", action="store_true", help="also profile each backfill")
    parser.add_argument(
        "--split", action="store_true", help="also time the record side (run without rendering)"
    )
    parser.add_argument(
        "--rerun", action="store_true", help="then time a re-run of the last (complete) day"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each backfill N times; the fastest counts"
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-backfill-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        jobs = make_jobs(args, work)
        rows, profiles = [], []
        for job in jobs:
            note = f" ({job.note})" if job.note else ""
            print(f"{job.label}: {job.since}..{job.until}{note}", flush=True)
            rows.append(backfill(job, work, args))
            print(table(rows[-1:]).split("\n")[2], flush=True)
            if args.profile:
                profiles.append((job.label, profile(job, work, args)))
        print()
        print(machine())
        print()
        print(table(rows))
        for label, text in profiles:
            print(f"\nProfile of `run`, {label}:\n\n{text}")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
