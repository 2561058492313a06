"""Interface changes for the commits the GitHub API yields (README: Interface changes).

A commit's detail lists its files with their patches. For a declaring file, the patch
alone often tells (`from_patch`: a file added or deleted whole, or edits no declaration
can be in); otherwise the file's contents at the commit and at its first parent are
fetched and given to the same `Extractor` the git source uses, under the name
`<commit>:<path>` in place of a blob id: the revision read as one commit's new side is
the next commit's old side, asked once, and both sources give the same answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from generator.interfaces import CommitInterfaces, Extractor, FileRevision, Rule, from_patch
from generator.interfaces.compare import sort_key
from generator.models import InterfaceChange

if TYPE_CHECKING:
    from github.File import File

Contents = Callable[[str, str], bytes | None]
"""(path, commit sha) → the file's bytes there; None when the API does not give them."""


class ApiDeclared:
    """One per GitHub source: the extractor's caches serve the whole run."""

    def __init__(self, rules: Sequence[Rule], contents: Contents) -> None:
        self.rules = tuple(rules)
        self.extractor = Extractor(rules)
        self._contents = contents

    def changes(self, sha: str, parent: str | None, files: Sequence[File]) -> CommitInterfaces:
        found: list[InterfaceChange] = []
        fetch: list[FileRevision] = []
        for item in files:
            old_path = item.previous_filename if item.status == "renamed" else None
            added = item.status in ("added", "copied") or parent is None
            removed = item.status == "removed"
            revision = FileRevision(
                item.filename,
                None if added else f"{parent}:{old_path or item.filename}",
                None if removed else f"{sha}:{item.filename}",
                old_path,
            )
            if not self.extractor.candidates([revision]):
                continue
            # No patch (GitHub leaves out a large one) is never taken for "no change".
            answer = from_patch(item.filename, item.patch, self.rules, old_path)
            if answer is None:
                fetch.append(revision)
            else:
                found += answer
        result = self.extractor.changes(fetch, self._read) if fetch else CommitInterfaces()
        changes = tuple(sorted((*found, *result.changes), key=sort_key))
        return CommitInterfaces(changes, result.notes)

    def _read(self, ids: Sequence[str]) -> dict[str, bytes]:
        """Each `<commit>:<path>` the API gives contents for; the extractor notes the rest."""
        found = {}
        for name in ids:
            ref, _, path = name.partition(":")
            data = self._contents(path, ref)
            if data is not None:
                found[name] = data
        return found
