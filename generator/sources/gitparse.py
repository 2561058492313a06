"""Parsing git's plumbing output exactly: `cat-file --batch` objects, `diff-tree -z
--numstat` file lists, and commit objects (headers, identities, dates, message).

Subject and body follow git's own `%s`/`%b`: the subject is the first paragraph
of the message with its lines joined by one space (so a wrapped first line reads
as one), the body is everything after the blank line that ends it, with blank
lines around it removed.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from generator.interfaces import FileRevision
from generator.models import Commit, FileChange, Person

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_batch(out: bytes) -> dict[str, bytes]:
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


Revisions = dict[str, tuple[FileRevision, ...]]
"""Each commit's files with their blob ids, for the interface extractor."""


def parse_numstat(out: bytes) -> dict[str, tuple[FileChange, ...]]:
    """`diff-tree --stdin -z --numstat`: a `<sha>\\0` header, then per file
    `add\\tdel\\tpath\\0`, or `add\\tdel\\t\\0old\\0new\\0` for a rename;
    `-\\t-\\t` marks a binary file. Commits without changes print nothing."""
    return parse_diff_tree(out)[0]


def parse_diff_tree(out: bytes) -> tuple[dict[str, tuple[FileChange, ...]], Revisions]:
    """The same with `--raw` too: each commit's raw entries come before its numstat ones."""
    fields = out.split(b"\0")
    result: dict[str, list[FileChange]] = {}
    revisions: dict[str, list[FileRevision]] = {}
    current: list[FileChange] = []
    raw: list[FileRevision] = []
    i = 0
    while i < len(fields):
        field = fields[i]
        if field.startswith(b":"):
            revision, i = parse_raw(fields, i)
            if revision is not None:
                raw.append(revision)
            continue
        i += 1
        if b"\t" not in field:
            if field:  # a commit header; a trailing empty field ends the output
                current = result.setdefault(field.decode(), [])
                raw = revisions.setdefault(field.decode(), [])
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
    files = {sha: tuple(changes) for sha, changes in result.items()}
    return files, {sha: tuple(found) for sha, found in revisions.items() if found}


RAW_MODES = frozenset({b"160000", b"120000"})
"""Submodules and symlinks: they hold no declarations."""


def parse_raw(fields: list[bytes], i: int) -> tuple[FileRevision | None, int]:
    """One `--raw -z` entry starting at `fields[i]` (`:<mode> <mode> <old> <new> <status>`,
    then one path, or two for a rename or copy): the revision, and where the next field is.
    None for an entry that cannot declare (a submodule, a symlink)."""
    old_mode, new_mode, old, new, status = fields[i][1:].split(b" ")
    if status[:1] in (b"R", b"C"):
        old_path, path = fields[i + 1].decode("utf-8", "replace"), fields[i + 2]
        i += 3
    else:
        old_path, path = None, fields[i + 1]
        i += 2
    if old_mode in RAW_MODES or new_mode in RAW_MODES:
        return None, i
    name = path.decode("utf-8", "replace")
    if status[:1] == b"C":  # a copy is a new file: all it declares is added
        return FileRevision(name, None, new.decode()), i
    return FileRevision(name, old.decode(), new.decode(), old_path), i


def _text(raw: bytes, encoding: str = "utf-8") -> str:
    return raw.decode(encoding, "replace")


@dataclass(frozen=True)
class RawCommit:
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
    def parse(cls, sha: str, raw: bytes) -> RawCommit:
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


@lru_cache(maxsize=64)
def _codec(name: bytes) -> str:
    """The Python codec for an `encoding` header; UTF-8 when absent or unknown. Cached:
    the codec registry remembers no name it does not know, such as the absent one."""
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
