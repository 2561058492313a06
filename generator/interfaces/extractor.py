"""Interface changes commit by commit, from blobs, with what makes that cheap.

The git source calls `Extractor.changes` once per commit with the commit's files (path,
old path, old and new blob ids, from `diff-tree --raw`) and a function that reads blobs.
Each (path, blob) is read and analysed once: the new revision of a file is usually the
old revision of the next commit that touches it. A Python revision is derived from the
last revision of the same path kept in memory (chunks.py: only what changed is parsed
again); the others are read whole, they are small.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.interfaces.chunks import Engine, Node, Unparsed
from generator.interfaces.compare import FileChanges, diff, sort_key, unreadable
from generator.interfaces.dependencies import dependency_declarations
from generator.interfaces.inert import Spans, spans
from generator.interfaces.paths import candidate, language, rules_for
from generator.interfaces.python import ParseFailed, python_declarations
from generator.interfaces.resolve import Declarations, Rule, resolve
from generator.interfaces.rust import rust_declarations
from generator.models import InterfaceChange

Reader = Callable[[Sequence[str]], Mapping[str, bytes]]
"""Blob ids → their contents (`git cat-file --batch`); an id it cannot read is left out."""
BUDGET = 96 << 20
"""Bytes of file contents kept to derive later revisions from."""


@dataclass(frozen=True)
class FileRevision:
    """One file of a commit's diff against its first parent, as `diff-tree --raw` gives it."""

    path: str
    old_blob: str | None
    """None (or git's all-zero id) when the commit adds the file."""
    new_blob: str | None
    """None (or the all-zero id) when the commit deletes it."""
    old_path: str | None = None
    """The path before a rename or copy."""


@dataclass(frozen=True)
class CommitInterfaces:
    changes: tuple[InterfaceChange, ...] = ()
    """Sorted by file, kind and name."""
    notes: tuple[str, ...] = ()
    """One line per file that could not be read at one of the two revisions."""


@dataclass(slots=True)
class _Version:
    data: bytes
    root: Node | None
    """The pieces of a Python file (None: not cut, see `anchor`; read whole; not Python)."""
    declared: Declarations | None
    error: str | None = None
    anchor: _Version | None = None
    """A Python revision left uncut because it surely declares what this one (which has
    pieces) declares; later revisions are derived from the anchor."""
    spans: Spans | None = None
    """Where `root`'s pieces with facts are, once asked."""


class Extractor:
    """One per repository and run: its caches are what make a backfill cheap."""

    def __init__(self, rules: Sequence[Rule] = (), budget: int = BUDGET) -> None:
        self.rules = tuple(rules)
        self.budget = budget
        self._engine = Engine()
        self._versions: OrderedDict[tuple[str, str], _Version] = OrderedDict()
        self._latest: dict[str, str] = {}
        self._kept = 0
        self._rules: dict[str, tuple[Rule, ...]] = {}
        self._candidates: dict[str, bool] = {}
        self._holding = False

    def candidate(self, path: str) -> bool:
        found = self._candidates.get(path)
        if found is None:
            found = self._candidates[path] = candidate(path, self.rules)
        return found

    def candidates(self, files: Iterable[FileRevision]) -> list[FileRevision]:
        """The files that may declare, at their path or (renamed) at their old path."""
        return [f for f in files if self.candidate(f.path) or self.candidate(f.old_path or f.path)]

    def wanted(self, files: Iterable[FileRevision]) -> list[str]:
        """The blob ids `changes(files, ...)` will ask for: those not kept already."""
        ids: list[str] = []
        for f in self.candidates(files):
            for path, blob in ((f.old_path or f.path, f.old_blob), (f.path, f.new_blob)):
                if _present(blob) and (path, blob) not in self._versions and blob not in ids:
                    ids.append(blob)  # type: ignore[arg-type]
        return ids

    def changes(self, files: Iterable[FileRevision], read: Reader) -> CommitInterfaces:
        """The interface changes of one commit."""
        files = self.candidates(files)
        needed = self.wanted(files)
        blobs = read(needed) if needed else {}
        changes: list[InterfaceChange] = []
        notes: list[str] = []
        # The revisions `wanted` counted on as kept stay kept until every file is read: a
        # large commit (or two tags) could otherwise drop one before its turn.
        self._holding = True
        try:
            for f in files:
                result = self.file_changes(f, blobs)
                changes += result.changes
                if result.note:
                    notes.append(result.note)
        finally:
            self._holding = False
            self._trim()
        return CommitInterfaces(tuple(sorted(changes, key=sort_key)), tuple(notes))

    def file_changes(self, f: FileRevision, blobs: Mapping[str, bytes]) -> FileChanges:
        old_path = f.old_path or f.path
        old = self._version(old_path, f.old_blob, blobs, None)
        if isinstance(old, str):
            return FileChanges(note=unreadable(old_path, "old", old))
        new = self._version(f.path, f.new_blob, blobs, old)
        if isinstance(new, str):
            return FileChanges(note=unreadable(f.path, "new", new))
        before = {} if old is None else old.declared or {}
        after = {} if new is None else new.declared or {}
        if before is after:
            return FileChanges()
        return FileChanges(diff(before, after, f.path, old_path))

    def _version(
        self, path: str, blob: str | None, blobs: Mapping[str, bytes], base: _Version | None
    ) -> _Version | str | None:
        """The revision `blob` of `path`: None if absent, a reason if it cannot be read."""
        if not _present(blob) or not self.candidate(path):
            return None
        assert blob is not None
        key = (path, blob)
        version = self._versions.get(key)
        if version is None:
            data = blobs.get(blob)
            if data is None:
                return f"blob {blob} could not be read"
            version = self._read(path, data, base or self._last(path))
            self._keep(key, version)
        else:
            self._versions.move_to_end(key)
            self._latest[path] = blob
        return version.error if version.error is not None else version

    def _read(self, path: str, data: bytes, base: _Version | None) -> _Version:
        kind = language(path)
        try:
            if kind == "python":
                return self._python(path, data, base)
            if kind == "rust":
                return _Version(data, None, rust_declarations(data))
            assert kind is not None
            return _Version(data, None, dependency_declarations(kind, data))
        except ParseFailed as exc:
            return _Version(data, None, None, str(exc))

    def _python(self, path: str, data: bytes, base: _Version | None) -> _Version:
        rules = self._rules.get(path)
        if rules is None:
            rules = self._rules[path] = rules_for(path, self.rules)
        anchor = base if base is None or base.root is not None else base.anchor
        try:
            if anchor is not None and anchor.root is not None:
                assert base is not None
                if base.spans is None:
                    base.spans = spans(anchor.root)
                engine = self._engine
                where = engine.carried(anchor.root, base.spans, base.data, data, rules)
                if where is not None:
                    return _Version(data, None, anchor.declared, anchor=anchor, spans=where)
                root = engine.update(anchor.root, anchor.data, data, rules)
                if root.facts is anchor.root.facts:  # nothing it declares changed
                    return _Version(data, root, anchor.declared)
            else:
                root = self._engine.build(data, rules)
        except Unparsed:  # a syntax error, or a cut the pieces could not mend: read it whole
            return _Version(data, None, python_declarations(data, rules))
        return _Version(data, root, resolve(root.facts, rules))

    def _last(self, path: str) -> _Version | None:
        blob = self._latest.get(path)
        return None if blob is None else self._versions.get((path, blob))

    def _keep(self, key: tuple[str, str], version: _Version) -> None:
        self._versions[key] = version
        self._latest[key[0]] = key[1]
        self._kept += len(version.data)
        if not self._holding:
            self._trim()

    def _trim(self) -> None:
        while self._kept > self.budget and len(self._versions) > 1:
            (path, blob), dropped = self._versions.popitem(last=False)
            self._kept -= len(dropped.data)
            if self._latest.get(path) == blob:
                del self._latest[path]


def _present(blob: str | None) -> bool:
    return bool(blob) and blob.strip("0") != ""  # type: ignore[union-attr]
