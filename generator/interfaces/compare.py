"""A file's declarations, and what changed between two revisions of it: the whole-file
reading that the cached one (extractor.py) must agree with, and the one a release
report uses between two tags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.interfaces.dependencies import dependency_declarations
from generator.interfaces.paths import candidate, language, rules_for
from generator.interfaces.python import ParseFailed, python_declarations
from generator.interfaces.resolve import Declarations, Rule
from generator.interfaces.rust import rust_declarations
from generator.models import InterfaceChange


@dataclass(frozen=True)
class FileChanges:
    """The interface changes of one file, sorted by file, kind and name; or none and a
    note when the file cannot be read at one of the two revisions."""

    changes: tuple[InterfaceChange, ...] = ()
    note: str | None = None


def declarations(path: str, text: bytes | str, rules: Sequence[Rule] = ()) -> Declarations:
    """What `text`, the content of `path`, declares; {} for a file that is no candidate.
    Raises ParseFailed when it is not valid Python, TOML or JSON."""
    kind = language(path)
    if kind is None or not candidate(path, rules):
        return {}
    data = text.encode() if isinstance(text, str) else text
    if kind == "python":
        return python_declarations(data, rules_for(path, rules))
    if kind == "rust":
        return rust_declarations(data)
    return dependency_declarations(kind, data)


def compare(
    path: str,
    old_text: bytes | str | None,
    new_text: bytes | str | None,
    rules: Sequence[Rule] = (),
    old_path: str | None = None,
) -> FileChanges:
    """The changes from `old_text` (at `old_path`, default `path`) to `new_text`; None
    for a side where the file does not exist (added, deleted)."""
    old_path = old_path or path
    sides: list[Declarations] = []
    for side, file, text in (("old", old_path, old_text), ("new", path, new_text)):
        try:
            sides.append({} if text is None else declarations(file, text, rules))
        except ParseFailed as exc:
            return FileChanges(note=unreadable(file, side, str(exc)))
    return FileChanges(diff(sides[0], sides[1], path, old_path))


def unreadable(path: str, side: str, reason: str) -> str:
    """The note a file that cannot be read leaves in the record."""
    revision = "the parent" if side == "old" else "this revision"
    return f"{path}: not read at {revision} ({reason}); its interface changes are left out"


def diff(
    old: Declarations, new: Declarations, path: str, old_path: str | None = None
) -> tuple[InterfaceChange, ...]:
    """Added, removed and changed declarations; a removed one names the file it was in."""
    changes = []
    for (kind, name), text in new.items():
        if (kind, name) not in old:
            changes.append(
                InterfaceChange(kind=kind, name=name, change="added", file=path, new=text)
            )
        elif old[(kind, name)] != text:
            changes.append(
                InterfaceChange(
                    kind=kind,
                    name=name,
                    change="default",
                    file=path,
                    old=old[(kind, name)],
                    new=text,
                )
            )
    for (kind, name), text in old.items():
        if (kind, name) not in new:
            changes.append(
                InterfaceChange(
                    kind=kind, name=name, change="removed", file=old_path or path, old=text
                )
            )
    return tuple(sorted(changes, key=sort_key))


def sort_key(change: InterfaceChange) -> tuple[str, str, str, str]:
    return (change.file, change.kind, change.name, change.change)
