"""Interface changes for the commits a clone yields (README: Interface changes).

`diff-tree --raw` (beside `--numstat`, in the same long-lived process) gives each file's
blob ids at the commit and its first parent; one more long-lived `cat-file --batch`
reads the blobs of the files that can declare, and one `Extractor` per source keeps
what it read, so a file's new revision is the old revision of the next commit that
touches it, and only the pieces a commit changed are parsed again. A day's commits are
extracted oldest first, the order in which each derives from the one before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.errors import SourceUnavailable
from generator.interfaces import CommitInterfaces, Extractor, FileRevision, Rule
from generator.sources.gitbatch import GitProcess, ProcessFailed, cat_file
from generator.sources.gitparse import parse_batch


class Declared:
    """A source's interface extraction: the extractor with its caches, and its `cat-file`."""

    def __init__(self, path: Path, env: Mapping[str, str], rules: Sequence[Rule], label: str):
        self.extractor = Extractor(rules)
        self._path, self._env, self._label = path, dict(env), label
        self._cat: GitProcess | None = None

    def changes(
        self, shas: Sequence[str], revisions: Mapping[str, Sequence[FileRevision]]
    ) -> dict[str, CommitInterfaces]:
        """Each commit's changes; `shas` newest first, as a day lists them."""
        found: dict[str, CommitInterfaces] = {}
        for sha in reversed(shas):
            files = revisions.get(sha, ())
            found[sha] = self.extractor.changes(files, self._read) if files else CommitInterfaces()
        return found

    def close(self) -> None:
        cat, self._cat = self._cat, None
        if cat is not None:
            cat.close()

    def _read(self, ids: Sequence[str]) -> dict[str, bytes]:
        if self._cat is None:
            self._cat = cat_file(self._path, self._env)
        try:
            return parse_batch(self._cat.ask("".join(f"{i}\n" for i in ids).encode()))
        except ProcessFailed as exc:
            raise SourceUnavailable(f"{self._label}: git cat-file failed: {exc}") from None
