"""`Refs` of a local clone or mirror: git plumbing, no work tree."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from generator.errors import SourceUnavailable
from generator.releases.refs import RangeCommit, UnknownRef
from generator.releases.versions import Tag
from generator.sources.git import _git_env

PICKED = re.compile(r"\(cherry picked from commit ([0-9a-f]{40})\)")
FIELDS = "%H%x1f%ct%x1f%ae%x1f%at%x1f%s%x1f%b%x1e"


class GitRefs:
    def __init__(self, path: Path, branch_tip: str, env: dict[str, str] | None = None) -> None:
        self.path = path
        self.branch_tip = branch_tip
        self.env = env or {}

    def tags(self) -> list[Tag]:
        fields = "%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(*objecttype)"
        fields += "%00%(*objectname)%00%(creatordate:unix)"
        out = self._git("for-each-ref", f"--format={fields}", "refs/tags")
        found = []
        for line in out.splitlines():
            name, kind, sha, peeled_kind, peeled, when = line.split("\0")
            if kind == "commit" or peeled_kind == "commit":
                commit = sha if kind == "commit" else peeled
                found.append(Tag(name, commit, _unix(when)))
        return found

    def dated(self, tag: Tag) -> Tag:
        return tag  # for-each-ref gave it

    def resolve(self, ref: str) -> tuple[str, datetime]:
        if ref.startswith("-"):
            raise UnknownRef(f"{ref!r} is not a ref")
        try:
            sha = self._git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        except _Failed:
            raise UnknownRef(f"{ref!r}: no such tag, branch or commit in {self.path}") from None
        tag = self._git("for-each-ref", "--format=%(creatordate:unix)", f"refs/tags/{ref}")
        when = tag.split("\n")[0] if tag else self._git("log", "-1", "--format=%ct", sha.strip())
        return sha.strip(), _unix(when)

    def branch_at(self, moment: datetime) -> tuple[str, datetime]:
        args = ["rev-list", "-1", "--first-parent", f"--before={int(moment.timestamp())}"]
        sha = self._git(*args, self.branch_tip).strip()
        if not sha:
            raise UnknownRef(f"the branch has no commit before {moment.isoformat()}")
        return sha, _unix(self._git("log", "-1", "--format=%ct", sha))

    def between(self, old: str, new: str) -> list[RangeCommit]:
        return _commits(self._git("log", f"--format={FIELDS}", f"{old}..{new}"))

    def off_branch(self, old: str, new: str) -> set[str]:
        out = self._git("rev-list", new, f"^{old}", f"^{self.branch_tip}")
        return set(out.split())

    def branch_since(self, old: str) -> list[RangeCommit]:
        return _commits(self._git("log", f"--format={FIELDS}", self.branch_tip, f"^{old}"))

    def patch_id(self, sha: str) -> str | None:
        diff = self._git_bytes("diff-tree", "-p", "--no-commit-id", "-r", sha)
        if not diff.strip():
            return None
        out = self._git_bytes("patch-id", "--stable", stdin=diff).decode()
        return out.split()[0] if out.strip() else None

    def changed_files(self, old: str, new: str) -> list[tuple[str, str | None, int]]:
        out = self._git_bytes("diff", "--numstat", "-z", "-M", old, new)
        return _numstat(out)

    def read(self, ref: str, paths: Sequence[str]) -> dict[str, bytes]:
        if not paths:
            return {}
        request = b"".join(f"{ref}:{p}\n".encode() for p in paths)
        out = self._git_bytes("cat-file", "--batch", stdin=request)
        found: dict[str, bytes] = {}
        at = 0
        for path in paths:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                found[path] = out[at : at + size]
                at += size + 1
        return found

    def _git(self, *args: str) -> str:
        return self._git_bytes(*args).decode("utf-8", "replace")

    def _git_bytes(self, *args: str, stdin: bytes | None = None) -> bytes:
        try:
            done = subprocess.run(
                ["git", "-c", "core.quotepath=off", *args],
                cwd=self.path,
                input=stdin,
                capture_output=True,
                env=_git_env(extra=self.env),
                check=False,
            )
        except FileNotFoundError:
            raise SourceUnavailable("git is not installed or not on PATH") from None
        if done.returncode != 0:
            raise _Failed(done.stderr.decode("utf-8", "replace").strip().split("\n")[0])
        return done.stdout


class _Failed(SourceUnavailable):
    """A git command failed; the message is its stderr's first line."""


def _unix(text: str) -> datetime:
    return datetime.fromtimestamp(int(text.strip() or 0), UTC)


def _commits(out: str) -> list[RangeCommit]:
    found = []
    for item in out.split("\x1e"):
        item = item.lstrip("\n")
        if not item:
            continue
        sha, committed, email, authored, subject, body = item.split("\x1f", 5)
        picked = PICKED.search(body)
        found.append(
            RangeCommit(
                sha=sha,
                subject=subject,
                committed=_unix(committed),
                author_email=email.lower(),
                authored=_unix(authored),
                picked_from=picked.group(1) if picked else None,
            )
        )
    return found


def _numstat(out: bytes) -> list[tuple[str, str | None, int]]:
    """`git diff --numstat -z -M`: `added\\tdeleted\\tpath\\0`, or for a rename
    `added\\tdeleted\\t\\0old\\0new\\0`; binary files count `-`."""
    parts = out.split(b"\0")
    found = []
    i = 0
    while i < len(parts) and parts[i]:
        added, deleted, path = parts[i].decode("utf-8", "replace").split("\t", 2)
        lines = (int(added) if added != "-" else 0) + (int(deleted) if deleted != "-" else 0)
        if path:
            found.append((path, None, lines))
            i += 1
        else:
            old, new = parts[i + 1].decode("utf-8", "replace"), parts[i + 2].decode()
            found.append((new, old, lines))
            i += 3
    return found
