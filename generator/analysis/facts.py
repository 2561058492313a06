"""What the rules analyzer knows of a commit, gathered in one pass over its files, and what
its rules (`rules.py`) and sentences (`phrases.py`) ask about it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from generator.analysis.paths import ARG_FILE, DEPENDENCY_FILE, SECURITY_PATH, file_kind, module_of
from generator.analysis.subjects import SECURITY_WORDS, Subject
from generator.models import ChangeType, Commit, FileChange, FileKind


@dataclass(frozen=True)
class Facts:
    commit: Commit
    subject: Subject
    kinds: dict[FileKind, list[FileChange]]
    lines: dict[FileKind, int]
    modules: tuple[tuple[str, int, int, int], ...]
    """Every module as (name, changed lines, additions, deletions), most changed first."""
    critical: tuple[tuple[str, str], ...]
    """(glob, path) for each file that matches a critical path glob."""
    change_type: ChangeType = "chore"

    def paths(self, kind: FileKind) -> list[str]:
        return [f.path for f in self.kinds.get(kind, ())]

    @property
    def runtime(self) -> bool:
        """Code, build or generated files changed: what ships changes."""
        return any(self.kinds.get(k) for k in ("code", "build", "generated"))

    @property
    def only(self) -> FileKind | None:
        return next(iter(self.kinds)) if len(self.kinds) == 1 else None

    @cached_property
    def dependency_files(self) -> list[str]:
        paths = [*self.paths("build"), *self.paths("generated")]
        return sorted(p for p in paths if DEPENDENCY_FILE.fullmatch(basename(p)))

    @cached_property
    def arg_files(self) -> list[str]:
        """Argument parsers that gain lines; fixes touching a parser rarely add options."""
        if self.change_type in ("fix", "revert"):
            return []
        named = [c for c in self.kinds.get("code", ()) if ARG_FILE.fullmatch(basename(c.path))]
        return [c.path for c in named if c.additions > c.deletions]

    @cached_property
    def security_words(self) -> list[str]:
        words = SECURITY_WORDS.findall(f"{self.commit.subject}\n{self.commit.body}")
        return sorted({w.lower() for w in words})

    @cached_property
    def security_paths(self) -> list[str]:
        return sorted(c.path for c in self.commit.files if SECURITY_PATH.search(c.path.lower()))

    @cached_property
    def security_code(self) -> list[str]:
        """Code (not CI or docs) under auth, crypto or permission paths."""
        return [p for p in self.security_paths if file_kind(p) == "code"]

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Every file, most changed first."""
        return by_size(self.commit.files)

    @cached_property
    def code_files(self) -> tuple[str, ...]:
        return by_size(self.kinds.get("code", ()))

    @cached_property
    def code_modules(self) -> list[str]:
        """Modules of the code files, most changed file first."""
        return list(dict.fromkeys(module_of(p) for p in self.code_files))

    @cached_property
    def binary_files(self) -> list[str]:
        return sorted(c.path for c in self.commit.files if c.binary)

    @cached_property
    def moves(self) -> list[tuple[str, str]]:
        return sorted((c.old_path, c.path) for c in self.commit.files if c.old_path)


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1].lower()


def by_size(files: Iterable[FileChange]) -> tuple[str, ...]:
    """Most changed first, ties broken by path."""
    return tuple(x.path for x in sorted(files, key=lambda x: (-x.changed_lines, x.path)))
