"""Interface changes from a file's patch alone (the GitHub API source), when that is enough.

`from_patch` answers only what it can prove: a file the commit adds or deletes whole
(the patch holds all of it), or a patch whose every changed line cannot matter (blank
lines, comments, and for Python plain lines inside a function body, as the hunk's own
context shows). Anything else is None: the caller then fetches the file at the two
revisions and calls `compare`. None is always a correct answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.interfaces.compare import compare
from generator.interfaces.facts import READ_WORDS
from generator.interfaces.paths import candidate, language, rules_for
from generator.interfaces.pieces import triggers_for
from generator.interfaces.resolve import Rule
from generator.models import InterfaceChange

HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
OPENER = re.compile(
    r"(?:async\s+def|def|class|if|elif|else|try|except|finally|with|for|while|match|case)\b|@"
)
RUST_WORDS = ("#[", "env", "long", "default_value", "arg", "clap")

Hunk = list[tuple[str, str]]
"""(`' '`, `'-'` or `'+'`, the line without it)."""


def from_patch(
    path: str, patch: str | None, rules: Sequence[Rule] = (), old_path: str | None = None
) -> tuple[InterfaceChange, ...] | None:
    """The file's interface changes, or None when the patch is not enough to tell."""
    old_path = old_path or path
    kind = language(path)
    if not candidate(path, rules) and not candidate(old_path, rules):
        return ()
    if patch is None or kind is None or kind != language(old_path):
        return None
    if rules_for(path, rules) != rules_for(old_path, rules):
        return None
    if candidate(path, rules) != candidate(old_path, rules):
        return None
    hunks = _hunks(patch)
    if hunks is None:
        return None
    whole = _whole_file(patch, hunks)
    if whole is not None:
        old_text, new_text = whole
        result = compare(path, old_text, new_text, rules, old_path)
        return None if result.note else result.changes
    if all(_inert(kind, hunk, k, rules) for hunk in hunks for k in range(len(hunk))):
        return ()
    return None


def _hunks(patch: str) -> list[Hunk] | None:
    hunks: list[Hunk] = []
    for line in patch.split("\n"):
        if line.startswith("@@"):
            if not HUNK.match(line):
                return None
            hunks.append([])
        elif line.startswith("\\"):
            continue  # "\ No newline at end of file"
        elif hunks and line[:1] in (" ", "-", "+"):
            hunks[-1].append((line[0], line[1:]))
        elif (hunks and line == "") or (
            line.startswith(("diff ", "index ", "--- ", "+++ ")) and not hunks
        ):
            continue
        else:
            return None
    return hunks


def _whole_file(patch: str, hunks: list[Hunk]) -> tuple[str | None, str | None] | None:
    """(old, new) text when the patch adds or deletes the whole file."""
    header = HUNK.search(patch)
    if len(hunks) != 1 or header is None:
        return None
    signs = {sign for sign, _ in hunks[0]}
    text = "".join(line + "\n" for _, line in hunks[0])
    if header.group(1) == "0" and header.group(2) == "0" and signs <= {"+"}:
        return None, text
    if header.group(3) == "0" and header.group(4) == "0" and signs <= {"-"}:
        return text, None
    return None


def _inert(kind: str, hunk: Hunk, k: int, rules: Sequence[Rule]) -> bool:
    """Whether the k-th line of `hunk`, if changed, cannot change a declaration."""
    sign, line = hunk[k]
    stripped = line.strip()
    if sign == " " or not stripped:
        return True
    if kind == "python":
        return stripped.startswith("#") or _inert_python(hunk, k, rules)
    if kind == "rust":
        return stripped.startswith("//") or _inert_rust(hunk, k)
    return kind in ("pyproject", "requirements", "cargo") and stripped.startswith("#")


def _inert_python(hunk: Hunk, k: int, rules: Sequence[Rule]) -> bool:
    """A plain line (no trigger, no block opener, no triple quote) inside a function,
    as shown by the lines above it on the same side of the hunk."""
    sign, line = hunk[k]
    code = line.split("#", 1)[0].rstrip()
    classes = tuple(sorted({r.class_ for r in rules if r.class_}))
    triggers = triggers_for(classes, tuple(sorted({r.dict_ for r in rules if r.dict_})))
    if '"""' in line or "'''" in line or code.endswith((":", "\\")) or "lambda" in code:
        return False
    if READ_WORDS.search(line.encode()) or triggers.search(line.encode()):
        return False
    if OPENER.match(code.lstrip()):
        return False
    indent = _indent(line)
    if indent == 0:
        return False
    for other_sign, above in reversed(hunk[:k]):
        if other_sign not in (" ", sign) or not above.strip():
            continue
        if _indent(above) < indent:
            head = above.lstrip()
            if head.startswith(("def ", "async def ")):
                return True
            if _indent(above) == 0 or head.startswith(("class ", "@")):
                return False
            indent = _indent(above)
    return False


def _inert_rust(hunk: Hunk, k: int) -> bool:
    """A line without anything clap or environment-like, not right after an attribute."""
    sign, line = hunk[k]
    if any(word in line for word in RUST_WORDS):
        return False
    above = [text for s, text in hunk[:k] if s in (" ", sign) and text.strip()]
    if not above:
        return False
    last = above[-1].strip()
    return not (last.startswith(("#[", "///")) or last.endswith("]"))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))
