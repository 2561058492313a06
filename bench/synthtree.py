"""The files of a synthetic history: paths, contents and what git will count.

Every line of a text file is unique in the repository (file, commit, index) and has the
same width, so a commit that drops `deletions` lines from the top of a file and appends
`additions` at its end is counted by git as exactly that; a rename keeps over 60% of the
file, so `-M` pairs the two paths. A file is kept as runs of lines (commit, first index,
count); its bytes live in a cache of bounded size and are rebuilt from the runs when
evicted, so memory does not grow with the history.
"""

from __future__ import annotations

import math
import random
import re
from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import dataclass

from synthdata import FileShape

LINE = b"    v%06x_%06x_%05x = f(v, dim=1)\n"
"""One line of a text file. About as long as a line of real code, so git reads as many
bytes as it would there."""
WIDTH = len(LINE % (0, 0, 0))
MAX_LINES = 3000
"""A file never grows past this: new lines that would go beyond go to a new file."""
MIN_RENAME_LINES = 10
SEED_MEDIAN_LINES = 300
NEW_FILE_SHARE = 0.3
"""Of the files a commit adds lines to without deleting any, how many are new files."""
NEW_FOLDER_SHARE = 0.05
CACHE_BYTES = 256 << 20
BINARY_MAGIC = b"\x89PNG\r\n\x1a\n\0"
WORD = re.compile(r"[A-Za-z0-9]+")
WORDS = ("utils", "v2", "kernel", "config", "impl", "base", "fused", "triton", "npu")
WORDS += ("amd", "cache", "runner", "backend", "spec", "moe", "attn", "io", "common")


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


class File:
    __slots__ = ("alive", "chunks", "fid", "lines", "path")

    def __init__(self, fid: int, path: str) -> None:
        self.fid, self.path, self.lines, self.alive = fid, path, 0, True
        self.chunks: deque[tuple[int, int, int]] = deque()
        """Runs of lines, top to bottom: (commit, first index, count)."""


def folder_of(path: str) -> str:
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
        folder = folder_of(path)
        while folder:
            if folder in self.files or folder in self.binaries:
                return False
            folder = folder_of(folder)
        return True

    def _count_under(self, path: str, step: int) -> None:
        folder = folder_of(path)
        while folder:
            left = self.under.get(folder, 0) + step
            if left:
                self.under[folder] = left
            else:
                del self.under[folder]
            folder = folder_of(folder)

    def _add(self, path: str) -> File:
        file = File(self.next_fid, path)
        self.next_fid += 1
        self._place(file, path)
        return file

    def _place(self, file: File, path: str) -> None:
        file.path = path
        self.files[path] = file
        self.folders.setdefault(folder_of(path), {})[path] = None
        self._count_under(path, 1)

    def _remove(self, file: File) -> None:
        del self.files[file.path]
        siblings = self.folders[folder_of(file.path)]
        del siblings[file.path]
        if not siblings:
            del self.folders[folder_of(file.path)]
        self._count_under(file.path, -1)

    def _new_path(self, like: str, split_of: File | None = None) -> str:
        """A free path next to `like`: `<stem>_2.py` for a split, else a name made of the
        words of its neighbours (now and then in a new sub-folder)."""
        folder, name = folder_of(like), like.rpartition("/")[2]
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
        folder = folder_of(file.path if file is not None and file.alive else path)
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
