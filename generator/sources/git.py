"""Commits from a local clone, read with git's plumbing commands.

Selection: every commit reachable from the branch whose committer date is in the
window, in `git rev-list` default order (newest first), merges included, files
diffed against the first parent. Plumbing output is parsed exactly (`-z`,
length-prefixed objects), so no path or message can break the parser, and no
porcelain configuration of the user (log.*, diff.*, colour) changes the result.

Subject and body follow git's own `%s`/`%b`: the subject is the first paragraph
of the message with its lines joined by one space (so a wrapped first line reads
as one), the body is everything after the blank line that ends it, with blank
lines around it removed.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import GitRepoConfig
from generator.errors import ConfigError, SourceUnavailable
from generator.models import Commit, FileChange, Person
from generator.redact import redact
from generator.sources import cut_diff
from generator.sources.pulls import PullRequests
from generator.windows import Window

if TYPE_CHECKING:
    from generator.sources import SourceContext

# Variables that would point git at another repository than the one asked for
# (they are set, for instance, when the digest runs inside a git hook).
_LOCATION_VARS = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_NAMESPACE"}
_LOCATION_VARS |= {"GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES"}
_SHA = re.compile(r"[0-9a-f]{4,64}")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _GitFailed(Exception):
    def __init__(self, stderr: bytes) -> None:
        lines = stderr.decode("utf-8", "replace").strip().splitlines()
        super().__init__(lines[0] if lines else "git failed without a message")


def _git_env(ceiling: Path | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LOCATION_VARS}
    env["LC_ALL"] = "C"  # stable, untranslated messages
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for a password
    if ceiling is not None:
        env["GIT_CEILING_DIRECTORIES"] = str(ceiling)
    env.update(extra or {})
    return env


def _run(
    cwd: Path,
    args: list[str],
    stdin: bytes | None = None,
    ceiling: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> bytes:
    """Run git without a shell; return stdout, raise _GitFailed on a non-zero exit."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=_git_env(ceiling, env),
            check=False,
        )
    except FileNotFoundError:
        raise SourceUnavailable("git is not installed or not on PATH") from None
    if done.returncode != 0:
        raise _GitFailed(done.stderr)
    return done.stdout


class GitSource:
    """One repository's branch in a local clone (bare or with a work tree)."""

    def __init__(
        self,
        repo: GitRepoConfig,
        tip: str | None,
        shallow_file: Path | None,
        synced_at: datetime | None = None,
        *,
        pulls: PullRequests | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.repo = repo
        self.pulls = pulls or PullRequests(repo.name, "subject")
        self.env = dict(env or {})
        """Extra environment for every git call (a mirror's fetch credentials: a partial
        clone fetches missing file contents on demand)."""
        self.path = repo.path.resolve()
        self.tip = tip
        """The branch resolved once, so every day of one run sees the same history;
        None for a repository that has no commits at all yet."""
        self.synced_at = synced_at
        """When the clone last took its remote's history (None: it has no remote, so
        it is the upstream itself and always current). A day that ends after this
        may still gain commits upstream, so it is never recorded complete."""
        self._shallow_file = shallow_file
        self._history: list[tuple[int, str]] | None = None
        self._boundary: int | None = None
        """Committer time of the newest shallow-boundary commit, in a shallow clone."""

    @classmethod
    def open(
        cls,
        repo: GitRepoConfig,
        context: SourceContext | None = None,
        *,
        env: Mapping[str, str] | None = None,
    ) -> GitSource:
        """Check that `repo.path` is a repository with the branch; resolve the branch."""
        path, label = repo.path.resolve(), f"Repository '{repo.name}'"
        if not path.exists():
            raise ConfigError(
                f"{label}: {repo.path} does not exist; clone {repo.name} there or fix repos[].path"
            )
        not_repo = ConfigError(
            f"{label}: {repo.path} is not a git repository; clone it there or fix repos[].path"
        )
        if not path.is_dir():
            raise not_repo
        pulls = context.pull_requests(repo) if context else None
        options = {"pulls": pulls, "env": env}
        try:
            # The ceiling stops git from finding an enclosing repository instead.
            out = _run(
                path,
                ["rev-parse", "--is-shallow-repository", "--git-path", "shallow"],
                ceiling=path.parent,
            )
        except _GitFailed as exc:
            if "not a git repository" in str(exc):
                raise not_repo from None
            raise ConfigError(f"{label}: git cannot read {repo.path}: {exc}") from None
        shallow, shallow_path = out.decode("utf-8", "replace").splitlines()[:2]
        tip = _resolve_branch(path, repo.branch)
        synced_at = _last_sync(path)
        if tip is None and not _run(path, ["for-each-ref", "--count=1"]).strip():
            # A repository created but never pushed to: its history is empty, which
            # is a fact to record (empty days), not a mistake in the config.
            return cls(repo, None, None, synced_at, **options)
        if tip is None:
            raise ConfigError(
                f"{label}: branch '{repo.branch}' not found in {repo.path}; check repos[].branch"
            )
        shallow_file = path / shallow_path if shallow == "true" else None
        return cls(repo, tip, shallow_file, synced_at, **options)

    def stale_hint(self) -> str:
        """How to bring this clone up to date, for the one-line warning a stale clone gets."""
        return f"git -C {self.repo.path} fetch"

    def commits(
        self, window: Window, known: Mapping[str, Commit] | None = None
    ) -> Iterator[Commit]:
        history = self._reachable()
        self._check_shallow(window)
        start, end = window.start.timestamp(), window.end.timestamp()
        # Filtered here rather than with --since/--until: git stops walking at
        # the first too-old commit, which drops commits behind a skewed clock.
        shas = [sha for stamp, sha in history if start <= stamp < end]
        if not shas:
            return
        objects = _parse_batch(self._git(["cat-file", "--batch"], "\n".join(shas).encode() + b"\n"))
        missing = [sha for sha in shas if sha not in objects]
        if missing:
            raise SourceUnavailable(
                f"Repository '{self.repo.name}': commit {missing[0]} is missing; "
                f"run git fsck in {self.repo.path}"
            )
        raws = [_RawCommit.parse(sha, objects[sha]) for sha in shas]
        files = self._file_changes(raws)
        for raw in raws:
            commit = raw.to_commit(files.get(raw.sha, ()))
            pull = self.pulls.find(commit, (known or {}).get(raw.sha))
            yield commit.model_copy(update={"pull_request": pull}) if pull else commit

    def patch(self, sha: str, max_bytes: int = 200_000, redact_secrets: bool = True) -> str:
        """The unified diff against the first parent, cut at a line end near `max_bytes`.

        This is how a diff leaves the source (to an LLM): secret-looking strings are
        replaced unless the caller explicitly asks for the raw text."""
        text = self._patch(sha, max_bytes)
        return redact(text)[0] if redact_secrets else text

    def _patch(self, sha: str, max_bytes: int) -> str:
        if not _SHA.fullmatch(sha):
            raise ValueError(f"not a commit id: {sha!r}")
        ids = self._git(["rev-list", "--parents", "-n", "1", sha, "--"]).split()
        base = [ids[1].decode()] if len(ids) > 1 else ["--root"]
        args = ["diff-tree", "-p", "-M", "-r", "--no-commit-id", "--no-color", *base, sha]
        return cut_diff(self._git_head(args, max_bytes), max_bytes)

    # -- git plumbing --------------------------------------------------------

    def _git(self, args: list[str], stdin: bytes | None = None) -> bytes:
        try:
            return _run(self.path, args, stdin, env=self.env)
        except _GitFailed as exc:
            raise SourceUnavailable(
                f"Repository '{self.repo.name}': git {args[0]} failed: {exc}"
            ) from None

    def _git_head(self, args: list[str], limit: int) -> bytes:
        """The first `limit`+1 bytes of a command's output, without reading the rest."""
        with subprocess.Popen(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=self.path,
            env=_git_env(extra=self.env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            data = proc.stdout.read(limit + 1)
            if len(data) > limit:
                proc.kill()  # a huge diff: the rest is not wanted
                return data
            stderr = proc.stderr.read()
        if proc.returncode != 0:
            raise SourceUnavailable(
                f"Repository '{self.repo.name}': git {args[0]} failed: {_GitFailed(stderr)}"
            )
        return data

    def _reachable(self) -> list[tuple[int, str]]:
        """(committer time, sha) of every commit reachable from the tip, walked once."""
        if self._history is None and self.tip is None:
            self._history = []
        if self._history is None:
            out = self._git(["rev-list", "--timestamp", self.tip, "--"]).decode()
            self._history = [(int(s), sha) for s, sha in (ln.split() for ln in out.splitlines())]
            if self._shallow_file is not None and self._shallow_file.exists():
                boundary = set(self._shallow_file.read_text().split())
                cut = [stamp for stamp, sha in self._history if sha in boundary]
                self._boundary = max(cut, default=None)
        return self._history

    def _check_shallow(self, window: Window) -> None:
        # A shallow clone lacks the history behind its boundary: a day before
        # it would look empty, so it is an error, never an empty day.
        if self._boundary is not None and window.start.timestamp() < self._boundary:
            raise SourceUnavailable(
                f"Repository '{self.repo.name}': clone at {self.repo.path} is shallow "
                f"({len(self._history or ())} commits); fetch with --unshallow"
            )

    def _file_changes(self, raws: list[_RawCommit]) -> dict[str, tuple[FileChange, ...]]:
        # One diff-tree for the whole window: each stdin line names a commit and
        # the parent to diff against (the first one); a root has none (--root).
        lines = "".join(f"{r.sha} {r.parents[0]}\n" if r.parents else f"{r.sha}\n" for r in raws)
        out = self._git(
            ["diff-tree", "--stdin", "-z", "-r", "-M", "--numstat", "--root"], lines.encode()
        )
        return _parse_numstat(out)


def _resolve_branch(path: Path, branch: str) -> str | None:
    """The commit the branch names: the remote-tracking branch wins over a local one,
    since a clone that is only ever fetched keeps its local branch stale."""
    for ref in (f"refs/remotes/origin/{branch}", f"refs/heads/{branch}", branch):
        try:
            out = _run(
                path, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"]
            )
        except _GitFailed:
            continue
        return out.decode().strip()
    return None


def _last_sync(path: Path) -> datetime | None:
    """When git last wrote this clone's refs from a remote; None when it has no remote.

    `git fetch` always rewrites FETCH_HEAD; `git clone` writes packed-refs and the
    remote's HEAD reflog, and a fetch that moves a remote-tracking branch writes its
    reflog. The newest of those is the last moment the clone is known to match its
    remote. A repository without remotes is where commits are made: always current.
    """
    if not _run(path, ["remote"]).strip():
        return None
    git_dir = Path(_run(path, ["rev-parse", "--absolute-git-dir"]).decode().strip())
    candidates = [git_dir / "FETCH_HEAD", git_dir / "packed-refs"]
    candidates += (git_dir / "logs/refs/remotes").rglob("*")
    candidates += (git_dir / "refs/remotes").rglob("*")
    stamps = [p.stat().st_mtime for p in candidates if p.is_file()]
    # A remote that was never fetched gives nothing: the clone is as old as its history.
    return datetime.fromtimestamp(max(stamps, default=0), UTC)


def _parse_batch(out: bytes) -> dict[str, bytes]:
    """Objects from `git cat-file --batch`: `<sha> <type> <size>\\n<bytes>\\n` each."""
    objects, pos = {}, 0
    while pos < len(out):
        eol = out.index(b"\n", pos)
        header = out[pos:eol].decode().split()
        if len(header) != 3:  # `<sha> missing`: the caller reports it
            pos = eol + 1
            continue
        size = int(header[2])
        objects[header[0]] = out[eol + 1 : eol + 1 + size]
        pos = eol + 1 + size + 1
    return objects


def _parse_numstat(out: bytes) -> dict[str, tuple[FileChange, ...]]:
    """`diff-tree --stdin -z --numstat`: a `<sha>\\0` header, then per file
    `add\\tdel\\tpath\\0`, or `add\\tdel\\t\\0old\\0new\\0` for a rename;
    `-\\t-\\t` marks a binary file. Commits without changes print nothing."""
    fields = out.split(b"\0")
    result: dict[str, list[FileChange]] = {}
    current: list[FileChange] = []
    i = 0
    while i < len(fields):
        field = fields[i]
        i += 1
        if b"\t" not in field:
            if field:  # a commit header; a trailing empty field ends the output
                current = result.setdefault(field.decode(), [])
            continue
        added, deleted, path = field.split(b"\t", 2)
        old = None
        if not path:  # rename: old and new paths follow as their own fields
            old, path = fields[i], fields[i + 1]
            i += 2
        binary = added == b"-"
        current.append(
            FileChange(
                path=_text(path),
                old_path=None if old is None else _text(old),
                additions=0 if binary else int(added),
                deletions=0 if binary else int(deleted),
                binary=binary,
            )
        )
    return {sha: tuple(changes) for sha, changes in result.items()}


def _text(raw: bytes, encoding: str = "utf-8") -> str:
    return raw.decode(encoding, "replace")


@dataclass(frozen=True)
class _RawCommit:
    """A commit object's headers and message, parsed from its raw bytes."""

    sha: str
    headers: dict[bytes, list[bytes]]
    message: bytes

    @property
    def parents(self) -> tuple[str, ...]:
        return tuple(p.decode() for p in self.headers.get(b"parent", []))

    @property
    def encoding(self) -> str:
        return _codec(self.headers.get(b"encoding", [b""])[0])

    @classmethod
    def parse(cls, sha: str, raw: bytes) -> _RawCommit:
        head, _, message = raw.partition(b"\n\n")
        headers: dict[bytes, list[bytes]] = {}
        for line in head.split(b"\n"):
            if line.startswith(b" "):
                continue  # continuation of a multi-line header (gpgsig, mergetag)
            key, _, value = line.partition(b" ")
            headers.setdefault(key, []).append(value)
        return cls(sha, headers, message)

    def ident(self, key: bytes) -> tuple[Person, datetime]:
        line = self.headers.get(key, [b""])[0]
        # As git reads it: name up to the first '<', email up to the next '>',
        # then `<unix time> <+hhmm>` after the last '>'.
        lt = line.find(b"<")
        gt = line.find(b">", lt + 1) if lt >= 0 else -1
        if gt < 0:
            return Person(name=_text(line.strip(), self.encoding), email=""), _EPOCH
        name, email = line[:lt].strip(), line[lt + 1 : gt].strip()
        person = Person(name=_text(name, self.encoding), email=_text(email, self.encoding))
        return person, _timestamp(line[line.rfind(b">") + 1 :].split())

    def to_commit(self, files: tuple[FileChange, ...]) -> Commit:
        author, authored_at = self.ident(b"author")
        committer, committed_at = self.ident(b"committer")
        subject, body = split_message(_text(self.message, self.encoding))
        return Commit(
            sha=self.sha,
            parents=self.parents,
            author=author,
            committer=committer,
            authored_at=authored_at,
            committed_at=committed_at,
            subject=subject,
            body=body,
            files=files,
        )


def _codec(name: bytes) -> str:
    """The Python codec for an `encoding` header; UTF-8 when absent or unknown."""
    try:
        return codecs.lookup(name.decode("ascii", "replace").strip()).name
    except LookupError:
        return "utf-8"


def _timestamp(parts: list[bytes]) -> datetime:
    """`<unix time> <+hhmm>` as a datetime in the commit's own offset, not converted."""
    try:
        moment = datetime.fromtimestamp(int(parts[0]), UTC)
    except (IndexError, ValueError, OverflowError, OSError):
        return _EPOCH  # a malformed date must not stop the whole day
    try:
        zone = parts[1]
        sign = -1 if zone.startswith(b"-") else 1
        offset = timedelta(hours=int(zone[-4:-2]), minutes=int(zone[-2:]))
        return moment.astimezone(timezone(sign * offset))
    except (IndexError, ValueError):
        return moment  # an offset git accepted but no clock has: keep the instant


def _blank(line: str) -> bool:
    # git's notion of a blank line is ASCII whitespace only; str.strip() would also
    # treat U+3000 or U+00A0 as blank and end the subject where git does not.
    return not line.strip(" \t\n\r\f\v")


def split_message(message: str) -> tuple[str, str]:
    """git's `%s` and `%b`: the first paragraph joined by spaces, then the rest."""
    lines = message.split("\n")
    while lines and _blank(lines[0]):
        lines.pop(0)
    subject: list[str] = []
    while lines and not _blank(lines[0]):
        subject.append(lines.pop(0).rstrip(" \t\r\f\v"))
    while lines and _blank(lines[0]):
        lines.pop(0)
    return " ".join(subject), "\n".join(lines).rstrip()
