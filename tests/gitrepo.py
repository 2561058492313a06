"""Real git repositories for tests, built with chosen dates, people, files and messages.

    repo = GitRepo.init(tmp_path / "r")
    sha = repo.commit("feat: x (#12)", files={"a.py": "print(1)\\n"},
                      committed="2026-02-10T23:59:59+08:00")

Every git call runs without a shell, with the user's and the system's git
configuration hidden, so a developer's `~/.gitconfig` (signing, hooks, default
branch) cannot change what a test builds. Dates keep their own UTC offset:
`"2026-02-10T23:59:59+08:00"` is stored as `<unix time> +0800`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

Ident = tuple[str, str]
When = str | datetime

DEFAULT_AUTHOR: Ident = ("A U Thor", "author@example.com")
DEFAULT_COMMITTER: Ident = ("C O Mitter", "committer@example.com")
_FIRST_DEFAULT_TIME = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
_LOCATION_VARS = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CEILING_DIRECTORIES"}


def git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every helper git call runs in."""
    env = {k: v for k, v in os.environ.items() if k not in _LOCATION_VARS}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        LC_ALL="C",
    )
    env.update(extra or {})
    return env


def to_datetime(when: When) -> datetime:
    moment = datetime.fromisoformat(when) if isinstance(when, str) else when
    if moment.tzinfo is None:
        raise ValueError(f"{when!r} has no UTC offset; write e.g. 2026-02-10T23:59:59+08:00")
    return moment


def git_date(when: When) -> str:
    """git's internal date format, `@<unix time> <+hhmm>`, keeping the given offset."""
    moment = to_datetime(when)
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"@{int(moment.timestamp())} {sign}{hours:02d}{mins:02d}"


def run_git_bytes(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None, stdin: bytes | None = None
) -> bytes:
    """Run git without a shell; return its exact stdout, fail the test on an error."""
    done = subprocess.run(
        ["git", *args], cwd=cwd, input=stdin, capture_output=True, env=git_env(env), check=False
    )
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {err}")
    return done.stdout


def run_git(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None, stdin: bytes | None = None
) -> str:
    return run_git_bytes(cwd, *args, env=env, stdin=stdin).decode("utf-8", "replace").strip()


@dataclass
class GitRepo:
    path: Path
    bare: bool = False
    _clock: datetime = field(default=_FIRST_DEFAULT_TIME, repr=False)

    @classmethod
    def init(cls, path: Path, branch: str = "main", *, bare: bool = False) -> GitRepo:
        path.mkdir(parents=True, exist_ok=True)
        run_git(path, "init", "-q", "-b", branch, *(["--bare"] if bare else []))
        repo = cls(path, bare=bare)
        repo.git("config", "user.name", DEFAULT_AUTHOR[0])
        repo.git("config", "user.email", DEFAULT_AUTHOR[1])
        repo.git("config", "commit.gpgsign", "false")
        return repo

    def git(
        self, *args: str, env: Mapping[str, str] | None = None, stdin: bytes | None = None
    ) -> str:
        """Run git in the repository; return its stripped stdout, fail the test on error."""
        return run_git(self.path, *args, env=env, stdin=stdin)

    def commit(
        self,
        message: str = "change",
        files: Mapping[str, str | bytes] | None = None,
        *,
        committed: When | None = None,
        authored: When | None = None,
        author: Ident = DEFAULT_AUTHOR,
        committer: Ident = DEFAULT_COMMITTER,
        delete: Iterable[str] = (),
        rename: Mapping[str, str] | None = None,
        binary: Mapping[str, bytes] | None = None,
        allow_empty: bool = False,
        message_bytes: bytes | None = None,
        encoding: str | None = None,
    ) -> str:
        """Commit on the checked-out branch and return the new sha.

        `rename` ({old: new}) runs first, so `files` may then change a renamed file;
        `files` and `binary` write contents (str as UTF-8, bytes as given);
        `delete` removes paths. `committed` defaults to one minute after the
        previous default; `authored` defaults to `committed`. `message_bytes`
        stores exact bytes (e.g. invalid UTF-8); `encoding` (an iconv name such
        as "ISO-8859-1") encodes `message` with it and writes git's `encoding` header.
        """
        for old, new in (rename or {}).items():
            (self.path / new).parent.mkdir(parents=True, exist_ok=True)
            self.git("mv", "--", old, new)
        for name, content in {**(files or {}), **(binary or {})}.items():
            self.write(name, content)
        for name in delete:
            self.git("rm", "-q", "--", name)
        self.git("add", "-A")
        people = self._people(author, committer, authored, committed)
        if message_bytes is not None:
            # `git commit` would "fix" invalid UTF-8 (it re-encodes it as Latin-1),
            # so exact bytes go in as a hand-written commit object.
            self._write_commit(message_bytes, people, encoding, allow_empty)
            return self.head
        raw = message.encode(encoding or "utf-8")
        config = ["-c", f"i18n.commitEncoding={encoding}"] if encoding else []
        self.git(
            *config,
            "commit",
            "-q",
            "--no-verify",
            "--cleanup=verbatim",
            "-F",
            "-",
            *(["--allow-empty"] if allow_empty else []),
            env=people,
            stdin=raw if raw.endswith(b"\n") else raw + b"\n",
        )
        return self.head

    def merge(
        self,
        other: str,
        message: str | None = None,
        *,
        committed: When | None = None,
        authored: When | None = None,
        author: Ident = DEFAULT_AUTHOR,
        committer: Ident = DEFAULT_COMMITTER,
    ) -> str:
        """A real merge commit (`--no-ff`) of `other` into the checked-out branch."""
        self.git(
            "merge",
            "-q",
            "--no-ff",
            "--no-verify",
            "-m",
            message or f"Merge branch '{other}'",
            other,
            env=self._people(author, committer, authored, committed),
        )
        return self.head

    def raw_commit(self, rev: str = "HEAD") -> bytes:
        """The commit object's exact bytes (headers and message), as git stores them."""
        return run_git_bytes(self.path, "cat-file", "commit", rev)

    def branch(self, name: str, start: str = "HEAD") -> None:
        self.git("branch", name, start)

    def checkout(self, name: str, *, create: bool = False) -> None:
        self.git("checkout", "-q", *(["-b"] if create else []), name)

    def tag(self, name: str, rev: str = "HEAD") -> None:
        self.git("tag", name, rev)

    def rev_parse(self, rev: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", f"{rev}^{{commit}}")

    @property
    def head(self) -> str:
        return self.rev_parse("HEAD")

    def clone(self, dest: Path, *, bare: bool = False, depth: int | None = None) -> GitRepo:
        """Clone this repository; with `depth`, a shallow clone (over file://, since a
        plain local-path clone ignores --depth)."""
        source = self.path.resolve().as_uri() if depth else str(self.path)
        args = ["clone", "-q", *(["--bare"] if bare else [])]
        args += [f"--depth={depth}"] if depth else []
        run_git(dest.parent, *args, source, str(dest))
        return GitRepo(dest, bare=bare)

    def fast_import(self, stream: bytes) -> None:
        """Load a `git fast-import` stream (raw dates) and check out the result."""
        self.git("fast-import", "--quiet", "--date-format=raw", stdin=stream)
        if not self.bare:
            self.git("reset", "-q", "--hard")

    def loosen(self) -> None:
        """Every object as a loose file of its own (repacked, then unpacked), so that a test
        can take one away."""
        self.git("repack", "-a", "-d", "-q")
        packs = self.path / ".git/objects/pack"
        for pack in list(packs.glob("*.pack")):
            data = pack.read_bytes()
            for path in packs.glob(pack.stem + ".*"):
                path.unlink()
            self.git("unpack-objects", "-q", stdin=data)

    def object_file(self, sha: str) -> Path:
        """A loose object's file (`loosen` first)."""
        return self.path / ".git/objects" / sha[:2] / sha[2:]

    def write(self, name: str, content: str | bytes) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)

    def _write_commit(
        self, message: bytes, people: Mapping[str, str], encoding: str | None, allow_empty: bool
    ) -> None:
        tree = self.git("write-tree")
        parents = self.git("rev-parse", "--verify", "-q", "HEAD^{commit}") if self._born else ""
        if not allow_empty and parents and tree == self.git("rev-parse", "HEAD^{tree}"):
            raise AssertionError("nothing to commit; pass allow_empty=True")
        lines = [f"tree {tree}"] + [f"parent {p}" for p in parents.split()]
        for role in ("AUTHOR", "COMMITTER"):
            name, email = people[f"GIT_{role}_NAME"], people[f"GIT_{role}_EMAIL"]
            lines.append(f"{role.lower()} {name} <{email}> {people[f'GIT_{role}_DATE'][1:]}")
        lines += [f"encoding {encoding}"] if encoding else []
        raw = "\n".join(lines).encode() + b"\n\n" + message
        sha = self.git("hash-object", "-t", "commit", "-w", "--stdin", stdin=raw)
        self.git("update-ref", "HEAD", sha)

    @property
    def _born(self) -> bool:
        """Whether the checked-out branch has a commit yet."""
        done = subprocess.run(
            ["git", "rev-parse", "--verify", "-q", "HEAD"],
            cwd=self.path,
            env=git_env(),
            capture_output=True,
            check=False,
        )
        return done.returncode == 0

    def _people(
        self, author: Ident, committer: Ident, authored: When | None, committed: When | None
    ) -> dict[str, str]:
        if committed is None:
            self._clock += timedelta(minutes=1)
            committed = self._clock
        return {
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": git_date(authored if authored is not None else committed),
            "GIT_COMMITTER_NAME": committer[0],
            "GIT_COMMITTER_EMAIL": committer[1],
            "GIT_COMMITTER_DATE": git_date(committed),
        }
