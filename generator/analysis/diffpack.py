"""A commit's diff cut to a token budget, keeping what says most about the change.

Files are taken in the order a reviewer reads them: source code (most changed
first), then build and other files, CI, tests and docs. Generated, vendored and
lock files are named, never shown: their diff is long and says little. When the
whole diff does not fit, hunks that only delete lines go first (a removed block
is summarised by its line count), then whole files, which are listed by name so
the model knows they exist. A 131-file commit or a 3 MB diff is packed like any
other: the budget decides how much of it is shown, never whether.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from generator.analysis.paths import file_kind

# Kinds in the order their diffs are worth reading.
READING_ORDER = {"code": 0, "build": 1, "other": 2, "ci": 3, "test": 4, "docs": 5}
LOCK_FILE = re.compile(
    r"(^|/)(poetry\.lock|uv\.lock|pipfile\.lock|cargo\.lock|go\.sum|package-lock\.json"
    r"|yarn\.lock|pnpm-lock\.yaml|gemfile\.lock|composer\.lock|[^/]+\.lock)$"
)
VENDORED = re.compile(r"(^|/)(vendor|vendored|third_party|thirdparty|node_modules|3rdparty)/")
GENERATED = re.compile(
    r"(^|/)(generated|gen|__generated__)/|_pb2(_grpc)?\.pyi?$|\.pb\.(go|cc|h)$|\.min\.(js|css)$"
    r"|\.generated\.\w+$|\.snap$|\.ipynb$"
)
HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", re.M)


def name_only(path: str) -> bool:
    """Generated, vendored and lock files: listed by name, their diff never sent."""
    lower = path.lower()
    return bool(LOCK_FILE.search(lower) or VENDORED.search(lower) or GENERATED.search(lower))


@dataclass
class FileDiff:
    path: str
    header: str
    hunks: list[str] = field(default_factory=list)

    @property
    def order(self) -> tuple[int, int]:
        changed = sum(h.count("\n+") + h.count("\n-") for h in self.hunks)
        return READING_ORDER.get(file_kind(self.path), 2), -changed


@dataclass(frozen=True)
class PackedDiff:
    text: str
    shown: tuple[str, ...]
    """Files whose diff is in `text`, all of it or some hunks."""
    partial: tuple[str, ...]
    """Files of which only some hunks fit."""
    left_out: tuple[str, ...]
    """Files whose diff did not fit, or that are only ever named."""
    tokens: int


def split_patch(patch: str) -> list[FileDiff]:
    """A unified diff (`git diff-tree -p`) split into files and hunks."""
    files: list[FileDiff] = []
    for chunk in re.split(r"(?m)^(?=diff --git )", patch):
        if not chunk.strip():
            continue
        first = HUNK.search(chunk)
        header = chunk[: first.start()] if first else chunk
        body = chunk[first.start() :] if first else ""
        hunks = [h for h in re.split(r"(?m)^(?=@@ )", body) if h]
        files.append(FileDiff(_path_of(header), header, hunks))
    return files


def _path_of(header: str) -> str:
    for prefix in ("+++ b/", "rename to ", "copy to "):
        for line in header.splitlines():
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
    first = header.splitlines()[0] if header else ""
    match = re.match(r'diff --git "?a/.*?"? "?b/(.*?)"?$', first)
    return match.group(1) if match else first


def deletion_only(hunk: str) -> bool:
    lines = hunk.split("\n")[1:]
    return any(ln.startswith("-") for ln in lines) and not any(ln.startswith("+") for ln in lines)


def _summarise(hunk: str) -> str:
    head = hunk.split("\n", 1)[0]
    removed = sum(1 for ln in hunk.split("\n")[1:] if ln.startswith("-"))
    return f"{head}\n[{removed} deleted lines not shown]\n"


def _head(hunk: str, room: int, count: Callable[[str], int]) -> str:
    """The hunk's first lines that fit in `room` tokens, with a note of how many did not;
    empty when not even its header and a few lines fit."""
    lines = hunk.rstrip("\n").split("\n")
    if room < 40 or len(lines) < 4:
        return ""
    per_line = max(count(hunk) / len(lines), 1.0)
    keep = int(room / per_line * 0.9)
    while keep >= 3:
        text = "\n".join(lines[:keep]) + f"\n[{len(lines) - keep} more lines not shown]\n"
        if count(text) <= room:
            return text
        keep = int(keep * 0.8)
    return ""


def pack(patch: str, budget: int, count: Callable[[str], int]) -> PackedDiff:
    """The most telling part of `patch` that fits in `budget` tokens."""
    files = split_patch(patch)
    named = [f.path for f in files if name_only(f.path)]
    files = sorted((f for f in files if not name_only(f.path)), key=lambda f: f.order)
    whole = "".join(f.header + "".join(f.hunks) for f in files)
    tokens = count(whole) if whole else 0
    if tokens <= budget:
        return PackedDiff(whole, tuple(f.path for f in files), (), tuple(named), tokens)
    return _greedy(files, named, budget, count)


def _greedy(
    files: Sequence[FileDiff], named: list[str], budget: int, count: Callable[[str], int]
) -> PackedDiff:
    parts: list[str] = []
    shown: list[str] = []
    partial: list[str] = []
    left_out = list(named)
    used = 0
    for diff in files:
        # Deletion-only hunks are the first to go: their line count is kept.
        hunks = [_summarise(h) if deletion_only(h) else h for h in diff.hunks]
        cost = count(diff.header)
        if used + cost > budget:
            left_out.append(diff.path)
            continue
        taken = []
        for hunk in hunks:
            hunk_cost = count(hunk)
            if used + cost + hunk_cost > budget:
                # A hunk too long for what is left: its first lines still tell a lot.
                hunk = _head(hunk, budget - used - cost, count)
                hunk_cost = count(hunk) if hunk else 0
            if hunk:
                taken.append(hunk)
                cost += hunk_cost
        if hunks and not taken:
            left_out.append(diff.path)
            continue
        parts.append(diff.header + "".join(taken))
        used += cost
        shown.append(diff.path)
        if taken != diff.hunks:
            partial.append(diff.path)
    return PackedDiff("".join(parts), tuple(shown), tuple(partial), tuple(left_out), used)
