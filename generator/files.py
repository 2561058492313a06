"""Every file the pipeline writes goes through here: atomic, and inside its folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from generator.errors import OutputCollision

TEMPORARY_GLOB = ".*.tmp"
"""What `write_atomic` names its temporary files: a killed run can leave some behind."""


def write_atomic(path: Path, text: str, durable: bool = True) -> bool:
    """Write `text` to `path` via a temporary file and a rename; return False if unchanged.

    A reader (or a run killed halfway) sees either the old file or the new one,
    never a truncated mix. Unchanged files are not touched, so a re-run leaves
    mtimes, and git, quiet. `durable` syncs the file to disk before the rename, so
    that a crash of the machine cannot leave an empty file under the name either;
    a writer of many files passes False and syncs once at the end (`OutputTree`).
    """
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named to match TEMPORARY_GLOB, so the next run sweeps it if this one dies here.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def remove_temporary(*folders: Path) -> int:
    """Delete temporary files a killed run left behind; call only while holding the lock,
    when no other writer can own one. Returns how many were removed."""
    removed = 0
    for folder in folders:
        if folder.exists():
            for path in folder.rglob(TEMPORARY_GLOB):
                path.unlink(missing_ok=True)
                removed += 1
    return removed


class OutputTree:
    """Writes a set of files under one root, refusing paths outside it and double claims.

    Each file is replaced atomically (a reader sees the old or the new one), and the
    tree is synced to disk once, by `sync`, rather than file by file: thousands of
    pages would otherwise cost thousands of disk flushes. The caller records that the
    tree is complete only after `sync`, so a crash before it means rendering again.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.written: set[Path] = set()
        self.changed = 0
        self.removed: list[str] = []
        """Files deleted, relative to the root."""

    def write(self, relative: str, text: str) -> Path:
        path = self._inside(relative)
        if path in self.written:
            raise OutputCollision(f"two pages claim {path.relative_to(self.root)}")
        self.written.add(path)
        self.changed += write_atomic(path, text, durable=False)
        return path

    def remove(self, relative: str) -> bool:
        """Delete a file this run did not write; whether there was one."""
        path = self._inside(relative)
        if path in self.written or not path.is_file():
            return False
        path.unlink()
        self.removed.append(path.relative_to(self.root).as_posix())
        return True

    def remove_stale(self, folders: list[str], suffix: str = ".md") -> list[Path]:
        """Delete files under `folders` that this run did not write: pages of nothing."""
        removed = []
        for folder in folders:
            base = self.root / folder
            if not base.exists():
                continue
            for path in sorted(base.rglob(f"*{suffix}")):
                if path not in self.written:
                    path.unlink()
                    removed.append(path)
                    self.removed.append(path.relative_to(self.root).as_posix())
        return removed

    def sync(self) -> None:
        """Flush what was written to disk (one call for the whole tree)."""
        if self.changed or self.removed:
            os.sync()

    def _inside(self, relative: str) -> Path:
        # Normalised as text, not resolved: the tree holds no links, and resolving costs a
        # system call per folder of every page.
        path = Path(os.path.normpath(self.root / relative))
        if not path.is_relative_to(self.root):
            raise OutputCollision(f"refusing to write {relative!r}: it is outside {self.root}")
        return path
