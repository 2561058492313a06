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

Contents are made up so that git counts exactly the planned lines: every line is unique
(file, commit, index) and has the same width, a commit drops `deletions` lines from the
top of a file and appends `additions` at its end, and a rename keeps over 60% of the
file. The plan is written next to the history (OUT/synthrepo-commits.jsonl.gz) and
`--verify` checks it against `git log --numstat -M`. Everything is streamed into one
`git fast-import`; memory stays bounded (file contents are kept in a byte-limited cache
and rebuilt from their line runs when evicted). The same seed gives the same history.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import os
import random
import re
import subprocess
import sys
import time
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from synthdata import FileShape, Messages, Template, load_shapes

TZ = ZoneInfo("Asia/Shanghai")
BRANCH = "main"
PLAN = "synthrepo-commits.jsonl.gz"
META = "synthrepo.json"
LINE = b"    v%06x_%06x_%05x = f(v, dim=1)\n"
"""One line of a text file: (file, commit, index) make it unique in the repository. About
as long as a line of real code, so git reads as many bytes as it would there."""
WIDTH = len(LINE % (0, 0, 0))
MAX_LINES = 3000
MIN_RENAME_LINES = 10
SEED_MEDIAN_LINES = 300
WEEKDAY = (1.0, 1.0, 1.0, 1.0, 1.0, 0.72, 0.52)
DAY_SHAPE = 8.0
"""Gamma shape of a day's expected count: day-to-day scatter of about ±35%."""
NEW_FILE_SHARE = 0.3
"""Of the files a commit adds lines to without deleting any, how many are new files."""
NEW_FOLDER_SHARE = 0.05
CACHE_BYTES = 256 << 20
BINARY_MAGIC = b"\x89PNG\r\n\x1a\n\0"
WORD = re.compile(r"[A-Za-z0-9]+")
WORDS = ("utils", "v2", "kernel", "config", "impl", "base", "fused", "triton", "npu")
WORDS += ("amd", "cache", "runner", "backend", "spec", "moe", "attn", "io", "common")


def git_env() -> dict[str, str]:
    """The user's and the system's git configuration hidden, so the result is the same
    on every machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
    return env


@dataclass(frozen=True)
class Change:
    """One line of `git log --numstat -M` for a commit, as planned."""

    path: str
    old_path: str | None
    additions: int
    deletions: int
    binary: bool = False

    def row(self) -> list:
        return [self.path, self.old_path, self.additions, self.deletions, self.binary]


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
            hour = rng.choices(range(24), hours)[0]
            seconds.add(hour * 3600 + rng.randrange(3600))
        midnight = int(datetime(day.year, day.month, day.day, tzinfo=TZ).timestamp())
        yield day, [midnight + s for s in sorted(seconds)]
        day += timedelta(days=1)


# -- the tree --------------------------------------------------------------------


class File:
    __slots__ = ("alive", "chunks", "fid", "lines", "path")

    def __init__(self, fid: int, path: str) -> None:
        self.fid, self.path, self.lines, self.alive = fid, path, 0, True
        self.chunks: deque[tuple[int, int, int]] = deque()
        """Runs of lines, top to bottom: (commit, first index, count)."""


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def _split_name(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    return (stem, dot + ext) if stem else (name, "")


class Tree:
    """The files of the branch as history goes: paths, line runs, and which real path
    (of the templates) each file now stands for."""

    def __init__(self, rng: random.Random, cache_bytes: int = CACHE_BYTES) -> None:
        self.rng = rng
        self.files: dict[str, File] = {}
        self.binaries: set[str] = set()
        self.folders: dict[str, dict[str, None]] = {}
        """Folder → its live text files, in the order they appeared."""
        self.under: dict[str, int] = {}
        """Folder → how many live files are anywhere under it (a file may not take its name)."""
        self.lineage: dict[str, File] = {}
        self.cache: OrderedDict[int, bytes] = OrderedDict()
        self.cache_limit, self.cached = cache_bytes, 0
        self.next_fid = 1
        self.touched: set[str] = set()
        """Paths the commit being made has written or removed: none may be taken again
        (a path removed and written back in one commit would be a modification)."""

    # -- paths --

    def free(self, path: str) -> bool:
        if path in self.files or path in self.binaries or path in self.under:
            return False
        if path in self.touched:
            return False
        folder = _folder(path)
        while folder:
            if folder in self.files or folder in self.binaries:
                return False
            folder = _folder(folder)
        return True

    def _count_under(self, path: str, step: int) -> None:
        folder = _folder(path)
        while folder:
            left = self.under.get(folder, 0) + step
            if left:
                self.under[folder] = left
            else:
                del self.under[folder]
            folder = _folder(folder)

    def _add(self, path: str) -> File:
        file = File(self.next_fid, path)
        self.next_fid += 1
        self._place(file, path)
        return file

    def _place(self, file: File, path: str) -> None:
        file.path = path
        self.files[path] = file
        self.folders.setdefault(_folder(path), {})[path] = None
        self._count_under(path, 1)

    def _remove(self, file: File) -> None:
        del self.files[file.path]
        siblings = self.folders[_folder(file.path)]
        del siblings[file.path]
        if not siblings:
            del self.folders[_folder(file.path)]
        self._count_under(file.path, -1)

    def _new_path(self, like: str, split_of: File | None = None) -> str:
        """A free path next to `like`: `<stem>_2.py` for a split, else a name made of the
        words of its neighbours (now and then in a new sub-folder)."""
        folder, name = _folder(like), like.rpartition("/")[2]
        stem, ext = _split_name(name)
        if split_of is not None:
            base, _, number = stem.rpartition("_")
            first = int(number) + 1 if base and number.isdigit() else 2
            base = base if base and number.isdigit() else stem
            for n in range(first, first + 10_000):
                path = f"{folder}/{base}_{n}{ext}" if folder else f"{base}_{n}{ext}"
                if self.free(path):
                    return path
        if self.free(like):
            return like
        siblings = [p.rpartition("/")[2] for p in list(self.folders.get(folder, ()))[:50]]
        words = [w for s in siblings for w in WORD.findall(_split_name(s)[0]) if len(w) <= 12]
        words = words or list(WORDS)
        head = (WORD.findall(stem) or ["mod"])[0]
        if self.rng.random() < NEW_FOLDER_SHARE:
            folder = f"{folder}/{self.rng.choice(words + list(WORDS))}".lstrip("/")
        for n in range(10_000):
            tail = [self.rng.choice(words + list(WORDS)) for _ in range(self.rng.randint(1, 2))]
            name = "_".join([head, *tail]) + (f"_{n}" if n else "") + ext
            path = f"{folder}/{name}" if folder else name
            if self.free(path):
                return path
        raise RuntimeError(f"no free name next to {like}")

    # -- contents --

    def content(self, file: File) -> bytes:
        data = self.cache.get(file.fid)
        if data is not None:
            self.cache.move_to_end(file.fid)
            return data
        return b"".join(
            LINE % (file.fid, c, k) for c, first, n in file.chunks for k in range(first, first + n)
        )

    def edit(self, file: File, commit: int, deletions: int, additions: int) -> bytes:
        """Drop lines from the top, append new ones at the end; the new content."""
        data = self.content(file)[deletions * WIDTH :]
        data += b"".join(LINE % (file.fid, commit, k) for k in range(additions))
        left = deletions
        while left:
            c, first, n = file.chunks[0]
            if n <= left:
                file.chunks.popleft()
                left -= n
            else:
                file.chunks[0] = (c, first + left, n - left)
                left = 0
        if additions:
            file.chunks.append((commit, 0, additions))
        file.lines += additions - deletions
        self._store(file.fid, data)
        return data

    def _store(self, fid: int, data: bytes) -> None:
        old = self.cache.pop(fid, None)
        self.cached += len(data) - (len(old) if old is not None else 0)
        self.cache[fid] = data
        while self.cached > self.cache_limit:
            _, evicted = self.cache.popitem(last=False)
            self.cached -= len(evicted)

    def _drop(self, file: File) -> None:
        file.alive = False
        self._remove(file)
        evicted = self.cache.pop(file.fid, None)
        self.cached -= len(evicted) if evicted is not None else 0

    # -- one commit --

    def seed(self, paths: list[str]) -> Iterator[tuple[str, bytes]]:
        """The root commit's files: every real path, with lines to lose later."""
        for path in sorted(paths):
            if not self.free(path):
                continue
            file = self._add(path)
            size = round(math.exp(self.rng.gauss(math.log(SEED_MEDIAN_LINES), 1.0)))
            self.lineage[path] = file
            yield path, self.edit(file, 0, 0, min(max(size, 3), MAX_LINES * 2 // 3))

    def commit(
        self, shapes: list[FileShape], index: int, out: list[tuple[str, bytes | None]]
    ) -> list[Change]:
        """Apply one commit shaped like `shapes`; `out` gets (path, content or None for a
        deletion) in order. Returns what git will count."""
        self.touched = set()
        changes: list[Change] = []
        for shape in shapes:
            additions, deletions = self._jitter(shape.additions), self._jitter(shape.deletions)
            additions = min(additions, MAX_LINES)
            if shape.binary:
                change = self._binary(shape.path, index, out)
            elif shape.old_path:
                change = self._rename(shape, index, additions, deletions, out)
            else:
                change = self._modify(shape.path, index, additions, deletions, out)
            if change:
                changes.append(change)
        if not changes:  # everything it would touch is gone: a squash merge is never empty
            path = self.rng.choice(list(self.files))
            change = self._modify(path, index, self.rng.randint(1, 5), 0, out)
            assert change is not None  # lines added to a live file always change it
            changes.append(change)
        return changes

    def _jitter(self, n: int) -> int:
        return max(1, round(n * math.exp(self.rng.gauss(0, 0.35)))) if n else 0

    def _target(self, path: str) -> File | None:
        """The live file standing for a real path, else another in its folder."""
        file = self.lineage.get(path)
        if file is not None and file.alive and file.path not in self.touched:
            return file
        folder = _folder(file.path if file is not None and file.alive else path)
        candidates = [p for p in self.folders.get(folder, ()) if p not in self.touched]
        return self.files[self.rng.choice(candidates)] if candidates else None

    def _modify(
        self,
        path: str,
        index: int,
        additions: int,
        deletions: int,
        out: list[tuple[str, bytes | None]],
    ) -> Change | None:
        file = self._target(path)
        split = file is not None and file.lines - min(deletions, file.lines) + additions > MAX_LINES
        grows = not deletions and additions >= 20 and self.rng.random() < NEW_FILE_SHARE
        if file is None or split or grows:
            if not additions:
                return None
            like = file.path if file is not None else path
            new = self._add(self._new_path(like, file if split else None))
            self.lineage[path] = new
            self.touched.add(new.path)
            out.append((new.path, self.edit(new, index, 0, additions)))
            return Change(new.path, None, additions, 0)
        deletions = min(deletions, file.lines)
        self.touched.add(file.path)
        if not additions and deletions == file.lines and deletions:
            self._drop(file)
            out.append((file.path, None))
            return Change(file.path, None, 0, deletions)
        if not additions and not deletions:
            return None
        out.append((file.path, self.edit(file, index, deletions, additions)))
        return Change(file.path, None, additions, deletions)

    def _rename(
        self,
        shape: FileShape,
        index: int,
        additions: int,
        deletions: int,
        out: list[tuple[str, bytes | None]],
    ) -> Change | None:
        assert shape.old_path is not None
        source = self._target(shape.old_path)
        if source is None or source.lines < MIN_RENAME_LINES:
            return self._modify(shape.path, index, additions, deletions, out)
        # git pairs the two paths when most of the file survives: keep over 60% of it.
        deletions = min(deletions, source.lines // 3)
        additions = min(additions, (source.lines - deletions) * 2 // 3)
        old = source.path
        self.touched.add(old)  # before naming the new path, which must not be the old one
        new = self._new_path(shape.path)
        self._remove(source)
        self._place(source, new)
        if self.lineage.get(shape.old_path) is source:
            del self.lineage[shape.old_path]
        self.lineage[shape.path] = source
        self.touched.update((old, source.path))
        out.append((old, None))
        out.append((source.path, self.edit(source, index, deletions, additions)))
        return Change(source.path, old, additions, deletions)

    def _binary(self, path: str, index: int, out: list[tuple[str, bytes | None]]) -> Change | None:
        if path in self.touched or not (path in self.binaries or self.free(path)):
            path = self._new_path(path)
        if path not in self.binaries:
            self.binaries.add(path)
            self._count_under(path, 1)
        self.touched.add(path)
        out.append((path, BINARY_MAGIC + f"{path}:{index}".encode()))
        return Change(path, None, 0, 0, binary=True)

    def total_lines(self) -> int:
        return sum(f.lines for f in self.files.values())


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
                plan.write(json.dumps([message.split("\n")[0], [c.row() for c in changes]]))
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
        near = tree.folders.get(_folder(rng.choice(files).path))
        if near:
            path = rng.choice(list(near))
            files.append(FileShape(path, None, rng.randint(1, 20), rng.randint(0, 10), False))
    return files


# -- checking --------------------------------------------------------------------


def verify(repo: Path) -> int:
    """Compare every commit's `git log --numstat -M` with the plan; the commits checked."""
    command = ["git", "log", "--reverse", "-z", "--numstat", "-M", "--format=%x01%s", BRANCH]
    with (
        subprocess.Popen(command, cwd=repo, env=git_env(), stdout=subprocess.PIPE) as log,
        gzip.open(repo / PLAN, "rt", encoding="utf-8") as plan,
    ):
        assert log.stdout is not None
        entries = _log_entries(log.stdout)
        next(entries)  # the root commit: the module tree, not part of the plan
        checked = 0
        for number, (entry, line) in enumerate(zip(entries, plan, strict=True), start=1):
            subject, rows = json.loads(line)
            got_subject, got = _parse_log_entry(entry)
            want = sorted(tuple(r) for r in rows)
            if got_subject != subject or sorted(got) != want:
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
    args = parser.parse_args(argv)
    if not (args.verify and (args.out / PLAN).exists()):
        summary = generate(args.out, args.commits, args.start, args.seed, args.per_day)
        print(describe(summary))
    if args.verify:
        began = time.perf_counter()
        checked = verify(args.out)
        print(f"verified: {checked:,} commits match the plan ({time.perf_counter() - began:.1f} s)")
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
