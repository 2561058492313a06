"""A realistic large git repository, generated: `python bench/synthrepo.py OUT --commits 50000`.

    python bench/synthrepo.py OUT --commits 50000 --start 2024-01-01 --seed 1 [--per-day 30]
    python bench/synthrepo.py OUT --verify     # compare `git log --numstat -M` with the plan

OUT becomes a bare repository (branch main) holding one squash-merge-like linear history:

* days: about `--per-day` commits a day on average, fewer at weekends (the two real
  weeks in the fixtures: Saturday ~0.7, Sunday ~0.5 of a weekday) and around new year,
  scattered day to day (gamma-Poisson); committer times through the local day in
  Asia/Shanghai by the real hour profile, written with the real mix of UTC offsets
  (GitHub merges at +0800 and -0800 mostly);
* commits: each copies one of 387 real sglang commits (tests/fixtures): its file list,
  per-file line counts (scattered ±35%), kind of subject, body and author, with a new
  pull-request number, ~15% of subjects in Chinese (synthdata.py);
* files: the real module tree (about 1,200 paths, median 300 lines) seeded in a root
  commit dated a week before `--start`; as history goes on, new files appear next to
  the ones a commit touches, files are renamed, deleted and split: a file that would
  grow past MAX_LINES lines gets the new lines in a new file beside it.

Contents are made up so that git counts exactly the planned lines (synthtree.py). The
plan is written next to the history (OUT/synthrepo-commits.jsonl.gz): `--verify` checks
it against `git log --numstat -M`, `--stats` compares its shapes with the real commits.
Everything is streamed into one `git fast-import` and memory stays bounded. The same
seed gives the same history, byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

import synthstats
from synthdata import FileShape, Messages, Template, load_shapes
from synthtree import Tree, folder_of

TZ = ZoneInfo("Asia/Shanghai")
BRANCH = "main"
PLAN = "synthrepo-commits.jsonl.gz"
META = "synthrepo.json"
WEEKDAY = (1.0, 1.0, 1.0, 1.0, 1.0, 0.72, 0.52)
DAY_SHAPE = 8.0
"""Gamma shape of a day's expected count: day-to-day scatter of about ±35%."""


def git_env() -> dict[str, str]:
    """The user's and the system's git configuration hidden, so the result is the same
    on every machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
    return env


@dataclass
class Summary:
    path: str
    seed: int
    start: str
    per_day: float
    commits: int = 0
    days: int = 0
    first_day: str = ""
    last_day: str = ""
    files: int = 0
    lines: int = 0
    stream_bytes: int = 0
    seconds: float = 0.0
    repo_bytes: int = 0
    per_year: dict[str, int] = field(default_factory=dict)


# -- calendar --------------------------------------------------------------------


def _poisson(mean: float, rng: random.Random) -> int:
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _holiday(day: date) -> bool:
    return (day.month, day.day) >= (12, 24) or (day.month, day.day) <= (1, 1)


def day_times(
    start: date, per_day: float, hours: tuple[int, ...], rng: random.Random
) -> Iterator[tuple[date, list[int]]]:
    """Each day from `start`: the unix times of its commits, oldest first."""
    scale = per_day * len(WEEKDAY) / sum(WEEKDAY)
    day = start
    while True:
        mean = scale * WEEKDAY[day.weekday()] * (0.5 if _holiday(day) else 1.0)
        count = min(_poisson(rng.gammavariate(DAY_SHAPE, mean / DAY_SHAPE), rng), 86_400)
        seconds: set[int] = set()
        while len(seconds) < count:
            hour = rng.choices(range(24), [n + 1 for n in hours])[0]  # no hour is empty
            seconds.add(hour * 3600 + rng.randrange(3600))
        midnight = int(datetime(day.year, day.month, day.day, tzinfo=TZ).timestamp())
        yield day, [midnight + s for s in sorted(seconds)]
        day += timedelta(days=1)


# -- history ---------------------------------------------------------------------


class FastImport:
    """A `git fast-import` process fed as the history is made: nothing is held back."""

    def __init__(self, repo: Path) -> None:
        # fast-import would try each blob as a delta of the blob before it, another file:
        # wasted work (half its time) that also makes the pack larger. Without those
        # attempts and at zlib level 1 it takes a third of the time.
        command = ["git", "-c", "core.compression=1", "fast-import", "--quiet", "--done"]
        self.proc = subprocess.Popen(
            [*command, "--date-format=raw", "--big-file-threshold=1k"],
            cwd=repo,
            env=git_env(),
            stdin=subprocess.PIPE,
            bufsize=1 << 20,
        )
        assert self.proc.stdin is not None
        self.stream = self.proc.stdin
        self.written = 0

    def write(self, data: bytes) -> None:
        self.stream.write(data)
        self.written += len(data)

    def commit(
        self,
        message: str,
        author: bytes,
        committer: bytes,
        files: Iterable[tuple[str, bytes | None]],
    ) -> None:
        text = message.encode()
        head = b"commit refs/heads/%s\nauthor %s\ncommitter %s\n"
        self.write(head % (BRANCH.encode(), author, committer))
        self.write(b"data %d\n%s\n" % (len(text), text))
        for path, content in files:
            name = path.encode()
            if b"\n" in name or name.startswith(b'"'):
                raise ValueError(f"{path!r} would need quoting in a fast-import stream")
            if content is None:
                self.write(b"D %s\n" % name)
            else:
                self.write(b"M 100644 inline %s\ndata %d\n" % (name, len(content)))
                self.write(content)
                self.write(b"\n")
        self.write(b"\n")

    def close(self) -> None:
        self.write(b"done\n")
        self.stream.close()
        if self.proc.wait() != 0:
            raise RuntimeError(f"git fast-import failed with exit code {self.proc.returncode}")


def _ident(name: str, email: str, when: int, offset: str) -> bytes:
    return f"{name} <{email}> {when} {offset}".encode()


def generate(out: Path, commits: int, start: date, seed: int = 1, per_day: float = 30.0) -> Summary:
    """Write a bare repository at `out` (new or empty) with `commits` commits from `start`."""
    began = time.perf_counter()
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty; give a new folder")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["git", "init", "-q", "--bare", "-b", BRANCH, str(out)], check=True, env=git_env()
    )
    rng = random.Random(seed)
    shapes = load_shapes()
    messages, tree = Messages(shapes, rng), Tree(rng)
    summary = Summary(path=str(out), seed=seed, start=start.isoformat(), per_day=per_day)
    importer = FastImport(out)
    # mtime=0: the same seed gives the same bytes, here too.
    raw = gzip.GzipFile(out / PLAN, "wb", compresslevel=1, mtime=0)
    with raw, io.TextIOWrapper(raw, encoding="utf-8") as plan:
        _write_root(importer, tree, shapes.templates, start)
        index = 0
        for day, times in day_times(start, per_day, shapes.hours, rng):
            if index >= commits:
                break
            for when in times[: commits - index]:
                index += 1
                template = rng.choice(shapes.templates)
                files = _varied(template, tree, rng)
                main = max(files, key=lambda f: f.additions + f.deletions).path
                message = messages.message(template, main)
                person = messages.author(template)
                author_offset, committer_offset = messages.offsets(template)
                written: list[tuple[str, bytes | None]] = []
                changes = tree.commit(files, index, written)
                importer.commit(
                    message,
                    _ident(person.name, person.email, when, author_offset),
                    _ident("GitHub", "noreply@github.com", when, committer_offset),
                    written,
                )
                subject = message.split("\n")[0]
                plan.write(json.dumps([when, subject, [c.row() for c in changes]]))
                plan.write("\n")
                year = str(day.year)
                summary.per_year[year] = summary.per_year.get(year, 0) + 1
            summary.days += 1
            summary.first_day = summary.first_day or day.isoformat()
            summary.last_day = day.isoformat()
        summary.commits = index
    importer.close()
    summary.files = len(tree.files) + len(tree.binaries)
    summary.lines = tree.total_lines()
    summary.stream_bytes = importer.written
    summary.seconds = round(time.perf_counter() - began, 1)
    objects = (out / "objects").rglob("*")
    summary.repo_bytes = sum(p.stat().st_size for p in objects if p.is_file())
    (out / META).write_text(json.dumps(asdict(summary), indent=1) + "\n", encoding="utf-8")
    return summary


def _write_root(
    importer: FastImport, tree: Tree, templates: tuple[Template, ...], start: date
) -> None:
    """The module tree before the first day, a week before `start`: every real path
    except those that only ever appear as the new name of a rename."""
    paths = {f.path for t in templates for f in t.files if not f.binary}
    paths |= {f.old_path for t in templates for f in t.files if f.old_path}
    paths -= {f.path for t in templates for f in t.files if f.old_path}
    when = int(datetime(start.year, start.month, start.day, 10, tzinfo=TZ).timestamp())
    when -= 7 * 86_400
    who = _ident("sglang history", "history@example.com", when, "+0800")
    importer.commit("Import the module tree\n", who, who, tree.seed(sorted(paths)))


def _varied(template: Template, tree: Tree, rng: random.Random) -> list[FileShape]:
    """The template's files, now and then one fewer or one more next to them."""
    files = list(template.files)
    if len(files) > 1 and rng.random() < 0.1:
        files.pop(rng.randrange(len(files)))
    if rng.random() < 0.15:
        near = tree.folders.get(folder_of(rng.choice(files).path))
        if near:
            path = rng.choice(list(near))
            files.append(FileShape(path, None, rng.randint(1, 20), rng.randint(0, 10), False))
    return files


# -- checking --------------------------------------------------------------------


def verify(repo: Path) -> int:
    """Compare every commit's `git log --numstat -M` with the plan; the commits checked."""
    command = ["git", "log", "--reverse", "-z", "--numstat", "-M", "--format=%x01%ct %s", BRANCH]
    with (
        subprocess.Popen(command, cwd=repo, env=git_env(), stdout=subprocess.PIPE) as log,
        gzip.open(repo / PLAN, "rt", encoding="utf-8") as plan,
    ):
        assert log.stdout is not None
        entries = _log_entries(log.stdout)
        next(entries)  # the root commit: the module tree, not part of the plan
        checked = 0
        for number, (entry, line) in enumerate(zip(entries, plan, strict=True), start=1):
            when, subject, rows = json.loads(line)
            got_subject, got = _parse_log_entry(entry)
            want = sorted(tuple(r) for r in rows)
            if got_subject != f"{when} {subject}" or sorted(got) != want:
                raise SystemExit(
                    f"commit {number} ({got_subject!r}) differs from the plan:\n"
                    f"  git:  {sorted(got)}\n  plan: {want}"
                )
            checked += 1
    if log.returncode != 0:
        raise SystemExit(f"git log failed with exit code {log.returncode}")
    return checked


def _log_entries(stream: IO[bytes]) -> Iterator[bytes]:
    """One commit's bytes at a time: each starts with the \\x01 of its format."""
    pending = b""
    while chunk := stream.read(1 << 20):
        *whole, pending = (pending + chunk).split(b"\x01")
        yield from (entry for entry in whole if entry)
    if pending:
        yield pending


def _parse_log_entry(entry: bytes) -> tuple[str, list[tuple]]:
    head, _, rest = entry.partition(b"\0")
    fields = rest.lstrip(b"\n").split(b"\0")
    rows: list[tuple] = []
    i = 0
    while i < len(fields):
        field_ = fields[i]
        i += 1
        if not field_:
            continue
        added, deleted, path = field_.split(b"\t", 2)
        old = None
        if not path:
            old, path = fields[i].decode(), fields[i + 1]
            i += 2
        binary = added == b"-"
        rows.append(
            (path.decode(), old, 0 if binary else int(added), 0 if binary else int(deleted), binary)
        )
    return head.decode(), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="new folder for the bare repository")
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-day", type=float, default=30.0, help="mean commits a day")
    parser.add_argument(
        "--verify", action="store_true", help="check git's counts against the plan afterwards"
    )
    parser.add_argument(
        "--stats", action="store_true", help="compare the history's shapes with the real ones"
    )
    args = parser.parse_args(argv)
    if not ((args.verify or args.stats) and (args.out / PLAN).exists()):
        summary = generate(args.out, args.commits, args.start, args.seed, args.per_day)
        print(describe(summary))
    if args.verify:
        began = time.perf_counter()
        checked = verify(args.out)
        print(f"verified: {checked:,} commits match the plan ({time.perf_counter() - began:.1f} s)")
    if args.stats:
        print(synthstats.compare(args.out / PLAN, load_shapes()))
    return 0


def describe(summary: Summary) -> str:
    years = ", ".join(f"{y}: {n:,}" for y, n in sorted(summary.per_year.items()))
    return (
        f"{summary.path}: {summary.commits:,} commits over {summary.days:,} days "
        f"({summary.first_day}..{summary.last_day}; {years}), {summary.files:,} files, "
        f"{summary.lines:,} lines at the tip; {summary.stream_bytes / 2**20:,.0f} MiB streamed "
        f"in {summary.seconds:.1f} s; repository {summary.repo_bytes / 2**20:,.0f} MiB"
    )


if __name__ == "__main__":
    sys.exit(main())
