"""Commits from a local clone, read with git's plumbing commands.

Selection: every commit reachable from the branch whose committer date is in the
window, in `git rev-list` default order (newest first), merges included, files
diffed against the first parent. Plumbing output is parsed exactly (`-z`,
length-prefixed objects; gitparse.py), so no path or message can break the parser,
and no porcelain configuration of the user (log.*, diff.*, colour) changes the result.

The history is walked once per run (`rev-list`), and indexed by committer time, so
finding a day's commits costs a bisection, not a scan. A day is read with one
`cat-file --batch` and one `diff-tree --stdin`; when the pipeline says which days it
will ask for (`expect`), one long-lived pair reads them all, ahead, on a thread
(gitbatch.py). Both ways run the same code on the same output, so they give the same
commits.
"""

from __future__ import annotations

import os
import re
import subprocess
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import GitRepoConfig
from generator.errors import ConfigError, SourceUnavailable
from generator.interfaces import CommitInterfaces
from generator.localdays import Window
from generator.models import Commit, FileChange
from generator.redact import redact
from generator.sources import cut_diff
from generator.sources.declared import Declared, DeclaredWorker
from generator.sources.gitbatch import DayPrefetcher, ProcessFailed, cat_file, diff_tree
from generator.sources.gitparse import (
    RawCommit,
    parse_batch,
    parse_diff_tree,
    split_message,
)
from generator.sources.pulls import PullRequests

if TYPE_CHECKING:
    from generator.sources import SourceContext

__all__ = ["GitSource", "split_message"]

# Variables that would point git at another repository than the one asked for
# (they are set, for instance, when the digest runs inside a git hook).
_LOCATION_VARS = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_NAMESPACE"}
_LOCATION_VARS |= {"GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES"}
_SHA = re.compile(r"[0-9a-f]{4,64}")
_NUMSTAT = ["-z", "-r", "-M", "--raw", "--numstat", "--root"]
"""How `diff-tree --stdin` lists a commit's files: renames found, exact paths, blob ids
(`--raw`: what the interface extractor reads)."""

Pending = Callable[[], dict[str, CommitInterfaces]]
"""A day's interface changes by sha, once extracted (call it once)."""
DayRead = tuple[list[RawCommit], dict[str, tuple[FileChange, ...]], Pending]
"""A day's commit objects (in rev-list order), each one's files and interface changes."""
WORKER_DAYS = 30
"""Days read ahead from which the interface changes are extracted in a process of their
own (a backfill); fewer are extracted in this one."""


class _GitFailed(ProcessFailed):
    """A git command exited non-zero; the message is its stderr's first line."""


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
        self._by_time: tuple[list[int], list[int]] = ([], [])
        """Committer times sorted, and the history position of each: a window's commits
        are found by bisection, then put back in rev-list order."""
        self._boundary: int | None = None
        """Committer time of the newest shallow-boundary commit, in a shallow clone."""
        self._expected: list[Window] = []
        self._ahead: DayPrefetcher[Window, list[RawCommit]] | None = None
        self._worker: DeclaredWorker | None = None
        label = f"Repository '{repo.name}'"
        self.declared = Declared(self.path, _git_env(extra=self.env), repo.interfaces, label)
        """What the commits change in the repository's interface, with its caches."""

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

    def expect(self, windows: Sequence[Window]) -> None:
        """The windows the run will ask for, in that order: read them ahead, through one
        long-lived `cat-file` and `diff-tree`, from the first `commits()` call on."""
        self.close()
        self._expected = list(windows) if len(windows) > 1 else []

    def close(self) -> None:
        """Stop reading ahead and end the long-lived git processes, if any."""
        self._end_ahead()
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.close()
        self.declared.close()

    def _end_ahead(self) -> None:
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.close()

    def commits(
        self, window: Window, known: Mapping[str, Commit] | None = None
    ) -> Iterator[Commit]:
        raws, files, pending = self._day(window)
        interfaces = pending()
        for raw in raws:
            found = interfaces[raw.sha]
            commit = raw.to_commit(files.get(raw.sha, ())).model_copy(
                update={"interface_changes": found.changes, "interface_notes": found.notes}
            )
            pull = self.pulls.find(commit, (known or {}).get(raw.sha))
            yield commit.model_copy(update={"pull_request": pull}) if pull else commit

    def _day(self, window: Window) -> DayRead:
        if self._expected and self._expected[0] == window:
            expected, self._expected = self._expected, []
            self._reachable()  # fails here, as the day would, if the history cannot be read
            self._ahead = self._read_ahead(expected)
        if self._ahead is not None:
            day = self._ahead.take(window)
            if day is None or self._ahead.done:
                # The last planned day, or one out of order, or git died: day by day from
                # here, and the long-lived processes end now (the interface worker once
                # this day's changes are taken: at close()).
                self._end_ahead()
            if day is not None:
                return day  # type: ignore[return-value]
        raws, request = self._objects(window, lambda r: self._git(["cat-file", "--batch"], r))
        answer = self._git(["diff-tree", "--stdin", *_NUMSTAT], request) if request else b""
        return self._files(raws, answer)

    def _read_ahead(self, windows: list[Window]) -> DayPrefetcher[Window, list[RawCommit]]:
        env = _git_env(extra=self.env)
        if len(windows) >= WORKER_DAYS:
            if self._worker is not None:
                self._worker.close()
            label, days = f"Repository '{self.repo.name}'", [self._select(w) for w in windows]
            self._worker = DeclaredWorker(self.path, env, self.repo.interfaces, label, days)
        # With a worker, which lists the files' blob ids itself, line counts are enough.
        listing = [a for a in _NUMSTAT if a != "--raw"] if self._worker else _NUMSTAT
        cat, diff = cat_file(self.path, env), diff_tree(self.path, env, listing)

        def ask_cat(request: bytes) -> bytes:
            try:
                return cat.ask(request)
            except ProcessFailed as exc:
                raise self._failed("cat-file", exc) from None

        try:
            return DayPrefetcher(
                windows,
                lambda window: self._objects(window, ask_cat),
                self._files_ahead,
                cat,
                diff,
            )
        except FileNotFoundError:
            raise SourceUnavailable("git is not installed or not on PATH") from None

    def _files(self, raws: list[RawCommit], answer: bytes) -> DayRead:
        """The day's files and interface changes from `diff-tree`'s answer."""
        files, revisions = parse_diff_tree(answer)
        found = self.declared.changes([raw.sha for raw in raws], revisions)
        return raws, files, lambda: found

    def _files_ahead(self, raws: list[RawCommit], answer: bytes) -> DayRead:
        """The same on the thread that reads ahead: the interface worker, when there is
        one, is handed the day; else this thread alone uses the extractor until the
        reading ahead ends."""
        if self._worker is None or not raws:
            return self._files(raws, answer)
        files, _ = parse_diff_tree(answer)
        return raws, files, self._worker.pending([raw.sha for raw in raws])

    def _failed(self, command: str, exc: Exception) -> SourceUnavailable:
        return SourceUnavailable(f"Repository '{self.repo.name}': git {command} failed: {exc}")

    def _objects(
        self, window: Window, cat_file: Callable[[bytes], bytes]
    ) -> tuple[list[RawCommit], bytes]:
        """The window's commit objects, and the `diff-tree --stdin` request for their files:
        each line names a commit and the parent to diff against (the first one; a root
        has none: --root)."""
        self._reachable()
        self._check_shallow(window)
        shas = self._select(window)
        if not shas:
            return [], b""
        objects = parse_batch(cat_file("".join(f"{sha}\n" for sha in shas).encode()))
        missing = [sha for sha in shas if sha not in objects]
        if missing:
            raise SourceUnavailable(
                f"Repository '{self.repo.name}': commit {missing[0]} is missing; "
                f"run git fsck in {self.repo.path}"
            )
        raws = [RawCommit.parse(sha, objects[sha]) for sha in shas]
        lines = "".join(f"{r.sha} {r.parents[0]}\n" if r.parents else f"{r.sha}\n" for r in raws)
        return raws, lines.encode()

    def _select(self, window: Window) -> list[str]:
        """The window's shas in rev-list order. Filtered here rather than with
        --since/--until: git stops walking at the first too-old commit, which drops
        commits behind a skewed clock."""
        history = self._reachable()
        stamps, positions = self._by_time
        low = bisect_left(stamps, window.start.timestamp())
        high = bisect_left(stamps, window.end.timestamp())
        return [history[i][1] for i in sorted(positions[low:high])]

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
            history = [(int(s), sha) for s, sha in (ln.split() for ln in out.splitlines())]
            order = sorted(range(len(history)), key=lambda i: history[i][0])
            self._by_time = ([history[i][0] for i in order], order)
            if self._shallow_file is not None and self._shallow_file.exists():
                boundary = set(self._shallow_file.read_text().split())
                cut = [stamp for stamp, sha in history if sha in boundary]
                self._boundary = max(cut, default=None)
            self._history = history
        return self._history

    def _check_shallow(self, window: Window) -> None:
        # A shallow clone lacks the history behind its boundary: a day before
        # it would look empty, so it is an error, never an empty day.
        if self._boundary is not None and window.start.timestamp() < self._boundary:
            raise SourceUnavailable(
                f"Repository '{self.repo.name}': clone at {self.repo.path} is shallow "
                f"({len(self._history or ())} commits); fetch with --unshallow"
            )


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
