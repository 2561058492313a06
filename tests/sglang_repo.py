"""A real repository rebuilt from five days of sgl-project/sglang's history.

`tests/fixtures/sglang-2026-02-10_2026-02-14.json` records, for each day of
2026-02-10..14 in Asia/Shanghai, the commits `git log` listed then: subjects,
people, dates with their own offsets and per-file line counts. The rebuild
replays them, oldest first, with the same subjects, people and dates, and with
file contents made up so that `git diff --numstat` against the parent gives the
recorded counts exactly:

* one seed commit (before the first day) gives every path that will lose lines
  enough unique lines to lose;
* each commit then drops `deletions` lines from the top of a file and appends
  `additions` new unique lines; since every line is unique, git's diff of the
  two is exactly that many deletions and additions;
* a renamed file keeps most of its lines (padding in the seed), so git's
  rename detection pairs old and new path as it did in the real repository;
* the one binary file (recorded with null counts) gets bytes with a NUL in them.

The shas differ from the real ones (contents differ); everything a digest shows
is the same. The fixture's history is linear (each commit's only parent is the
previous one); `build_sglang_repo` checks that rather than assume it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

from gitrepo import GitRepo, git_date

FIXTURE = Path(__file__).parent / "fixtures" / "sglang-2026-02-10_2026-02-14.json"
SEED_DATE = "2026-02-01T00:00:00+08:00"
"""Well before the first recorded day, so the seed commit is never selected."""


def load_fixture() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def commits_oldest_first(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The fixture lists days oldest first and each day's commits newest first."""
    days = sorted(data["days"], key=lambda day: day["date"])
    ordered = [c for day in days for c in reversed(day["commits"])]
    for previous, commit in pairwise(ordered):
        if commit["parents"] != [previous["sha"]]:
            raise ValueError(f"{commit['sha']}: history is not linear; the rebuild assumes it is")
    return ordered


def build_sglang_repo(path: Path) -> GitRepo:
    """Rebuild the fixture's history in a new repository at `path` (branch main)."""
    commits = commits_oldest_first(load_fixture())
    repo = GitRepo.init(path, branch="main")
    repo.fast_import(_stream(commits))
    return repo


def _seed_sizes(commits: list[dict[str, Any]]) -> dict[str, int]:
    """Lines each path needs before the first day: every line it will lose, plus
    padding for a file that will be renamed (to stay over git's 50% similarity)."""
    origin: dict[str, str] = {}  # current path -> the path it had before the first day
    sizes: dict[str, int] = defaultdict(int)
    for commit in commits:
        for change in commit["files"]:
            old = change.get("old_path")
            root = origin.pop(old, old) if old else origin.get(change["path"], change["path"])
            origin[change["path"]] = root
            sizes[root] += change["deletions"] or 0
            if old:
                sizes[root] += 3 * (change["additions"] + change["deletions"]) + 20
    return {p: n for p, n in sizes.items() if n > 0}


def _stream(commits: list[dict[str, Any]]) -> bytes:
    sizes = _seed_sizes(commits)
    files = {
        p: [f"{p} seed line {k}\n".encode() for k in range(n)] for p, n in sorted(sizes.items())
    }
    seed = _commit(
        1,
        "seed: file contents before 2026-02-10\n",
        ("sglang history", "history@example.com", SEED_DATE),
        ("sglang history", "history@example.com", SEED_DATE),
        [_modify(p, b"".join(lines)) for p, lines in files.items()],
    )
    out = [seed]
    for mark, commit in enumerate(commits, start=2):
        ops = []
        for change in commit["files"]:
            path, old = change["path"], change.get("old_path")
            if change.get("binary"):
                ops.append(_modify(path, b"\x89PNG\r\n\x1a\n\0" + f"{commit['sha']}".encode()))
                continue
            lines = files.pop(old) if old else files.get(path, [])
            if old:
                ops.append(f"D {old}\n".encode())
            deleted = change["deletions"]
            if deleted > len(lines):
                raise ValueError(f"{commit['sha']}: {path} has fewer than {deleted} lines")
            added = [
                f"{path} {commit['sha'][:12]} {k}\n".encode() for k in range(change["additions"])
            ]
            files[path] = lines[deleted:] + added
            ops.append(_modify(path, b"".join(files[path])))
        author = (commit["author_name"], commit["author_email"], commit["author_date"])
        committer = (commit["committer_name"], commit["committer_email"], commit["committer_date"])
        out.append(_commit(mark, commit["subject"] + "\n", author, committer, ops))
    return b"".join(out)


def _commit(
    mark: int,
    message: str,
    author: tuple[str, str, str],
    committer: tuple[str, str, str],
    ops: list[bytes],
) -> bytes:
    def ident(role: str, who: tuple[str, str, str]) -> bytes:
        return f"{role} {who[0]} <{who[1]}> {git_date(who[2])[1:]}\n".encode()

    head = f"commit refs/heads/main\nmark :{mark}\n".encode()
    parent = f"from :{mark - 1}\n".encode() if mark > 1 else b""
    return (
        head
        + ident("author", author)
        + ident("committer", committer)
        + _data(message.encode())
        + parent
        + b"".join(ops)
        + b"\n"
    )


def _modify(path: str, content: bytes) -> bytes:
    if any(c in path for c in '"\n') or path.startswith(" "):
        raise ValueError(f"{path!r} would need quoting in a fast-import stream")
    return f"M 100644 inline {path}\n".encode() + _data(content)


def _data(content: bytes) -> bytes:
    return f"data {len(content)}\n".encode() + content + b"\n"
