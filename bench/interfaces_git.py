"""What bench_interfaces.py needs from git, done the way the git source does it: one
long-lived `diff-tree --stdin -z -r -M --raw --numstat` for the commits' files (with
blob ids), one long-lived `cat-file --batch` for the blobs."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.interfaces import FileRevision  # noqa: E402
from generator.sources.gitbatch import GitProcess, ProcessFailed, cat_file, diff_tree  # noqa: E402
from generator.sources.gitparse import parse_batch  # noqa: E402

UTC8 = timezone(timedelta(hours=8))
RAW_ARGS = ["-z", "-r", "-M", "--raw", "--numstat", "--root"]
"""The git source's `diff-tree` arguments today are `-z -r -M --numstat --root`: `--raw`
is what it must add to get each file's blob ids."""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"git {' '.join(args)} in {repo}: {done.stderr.strip()}")
    return done.stdout


def midnight(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC8)


def commits(repo: Path, ref: str, since: str, until: str) -> list[tuple[str, str | None]]:
    """(sha, first parent) of the commits reachable from `ref` whose committer date
    falls in [since, until) at UTC+8, oldest first (the order a backfill records them)."""
    low, high = midnight(since).timestamp(), midnight(until).timestamp()
    found = []
    for line in git(repo, "rev-list", "--timestamp", "--parents", ref, "--").splitlines():
        stamp, sha, *parents = line.split()
        if low <= int(stamp) < high:
            found.append((int(stamp), sha, parents[0] if parents else None))
    return [(sha, parent) for _, sha, parent in sorted(found)]


def parse_raw(out: bytes) -> dict[str, list[FileRevision]]:
    """`diff-tree --stdin -z --raw --numstat`: per commit a `<sha>` field, its raw
    entries (`:<mode> <mode> <old> <new> <status>`, then one path, or two for a rename or
    copy), then its numstat entries (skipped here: the git source has them already)."""
    fields = out.split(b"\0")
    result: dict[str, list[FileRevision]] = {}
    current: list[FileRevision] = []
    i = 0
    while i < len(fields):
        field = fields[i]
        i += 1
        if field.startswith(b":"):
            old_mode, new_mode, old, new, status = field[1:].decode().split(" ")
            if status[0] in "RC":
                old_path, path = fields[i].decode(), fields[i + 1].decode()
                i += 2
            else:
                old_path, path = None, fields[i].decode()
                i += 1
            if "160000" in (old_mode, new_mode) or "120000" in (old_mode, new_mode):
                continue  # submodules and symlinks hold no declarations
            if status[0] == "C":  # a copy is a new file: all it declares is added
                current.append(FileRevision(path, None, new))
            else:
                current.append(FileRevision(path, old, new, old_path))
        elif b"\t" in field:
            if field.endswith(b"\t"):  # a rename's numstat: its two paths follow
                i += 2
        elif field:
            current = result.setdefault(field.decode(), [])
    return result


class Git:
    """The two long-lived processes, for one repository."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
        self.cat: GitProcess = cat_file(repo, env)
        self.diff: GitProcess = diff_tree(repo, env, RAW_ARGS)
        self.cat.start()
        self.diff.start()

    def files(self, shas: list[tuple[str, str | None]]) -> dict[str, list[FileRevision]]:
        """Each commit's files. A blob the snapshot lacks kills `diff-tree` (its numstat
        needs the content): then commit by commit, and `--raw` alone for the culprit."""
        try:
            return parse_raw(self.diff.ask(_request(shas)))
        except ProcessFailed:
            found: dict[str, list[FileRevision]] = {}
            for sha, parent in shas:
                try:
                    found.update(parse_raw(self.diff.ask(_request([(sha, parent)]))))
                except ProcessFailed:
                    base = [parent] if parent else ["--root"]
                    out = subprocess.run(
                        ["git", "diff-tree", "-z", "-r", "-M", "--raw", *base, sha],
                        cwd=self.repo,
                        capture_output=True,
                        check=True,
                    ).stdout
                    found[sha] = parse_raw(b"x\0" + out).get("x", [])
            return found

    def read(self, ids: list[str] | tuple[str, ...]) -> dict[str, bytes]:
        if not ids:
            return {}
        return parse_batch(self.cat.ask("".join(f"{i}\n" for i in ids).encode()))

    def cat_cpu(self) -> float:
        """CPU seconds `cat-file` used so far (Linux /proc)."""
        proc = self.cat._proc
        if proc is None:
            return 0.0
        try:
            stat = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.cat.close()
        self.diff.close()


def _request(shas: list[tuple[str, str | None]]) -> bytes:
    return "".join(f"{sha} {parent}\n" if parent else f"{sha}\n" for sha, parent in shas).encode()


def tree_files(repo: Path, old: str, new: str) -> list[FileRevision]:
    """The files that differ between two commits (a release: two tags), with blob ids."""
    out = subprocess.run(
        ["git", "diff-tree", "-z", "-r", "-M", "--raw", old, new],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    return parse_raw(b"x\0" + out).get("x", [])


def patches(repo: Path, sha: str, parent: str | None) -> dict[str, str]:
    """Each file's unified diff (3 lines of context, as GitHub's API gives `patch`)."""
    base = [parent] if parent else ["--root"]
    out = git(repo, "diff-tree", "-p", "-M", "-r", "--no-color", "--no-commit-id", *base, sha)
    found: dict[str, str] = {}
    for part in out.split("\ndiff --git ")[0:]:
        lines = part.split("\n")
        path = next((ln[6:] for ln in lines if ln.startswith("+++ b/")), None)
        path = path or next((ln[6:] for ln in lines if ln.startswith("--- a/")), None)
        start = next((k for k, ln in enumerate(lines) if ln.startswith("@@")), None)
        if path and start is not None:
            found[path] = "\n".join(lines[start:])
        elif path:
            found[path] = ""
    return found
