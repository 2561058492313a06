"""What a commit's message says of other commits, and which module each of its files is in.

A revert names what it reverts either by sha (`This reverts commit <sha>.`, what `git
revert` writes) or, squash-merged on GitHub, only by subject: `Revert "<subject>"`, the
quoted text being the reverted commit's subject with or without its `(#1234)`, and the
revert's own `(#5678)` after it. A follow-up names an earlier pull request or commit after
a word that says so: `Fixes #1234`, `Follow-up to #1234`, `Reland #1234`, `reland of
<sha>`; a reland may also quote the subject it brings back (`Reland "<subject>"`).

These are facts of the message alone; which archived commit each one means is decided
over the whole archive (`history.relations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from generator.analysis.paths import module_of
from generator.models import Commit
from generator.text import one_line

FollowKind = Literal["fix", "follow-up", "reland"]

_REVERT_SHA = re.compile(r"This reverts commit ([0-9a-f]{7,40})\b")
_TRAILING_PR = re.compile(r"\s*\(#\d+\)\s*$")
# The quote may be followed by words (`Revert "…" to fix CI`), or cut by GitHub with `…`
# and no closing quote when the subject was long.
_REVERT_SUBJECT = re.compile(r'^Revert "(.+)"(?:\s.*)?$|^Revert "(.+…)$')
_RELAND_SUBJECT = re.compile(r'^Re-?land(?:ed)?:?\s+"(.+)"$', re.IGNORECASE)
_WORDS: dict[str, FollowKind] = {
    "fix": "fix",
    "fixes": "fix",
    "fixed": "fix",
    "follow-up": "follow-up",
    "followup": "follow-up",
    "follow up": "follow-up",
    "reland": "reland",
    "relands": "reland",
    "re-land": "reland",
}
_FOLLOW = re.compile(
    r"\b(fix(?:es|ed)?|follow[- ]?up|re-?lands?)\b:?(?:\s+(?:to|of|for|on))?\s+"
    r"(?:https://github\.com/[\w.-]+/[\w.-]+/(?:pull|commit)/)?"
    r"(#?)(\d+|[0-9a-f]{7,40})\b",
    re.IGNORECASE,
)
_HEX = re.compile(r"[0-9a-f]{7,40}")


@dataclass(frozen=True)
class References:
    """What one commit's message says of others."""

    revert_shas: tuple[str, ...] = ()
    """Shas (or their prefixes) after `This reverts commit`."""
    revert_subject: str | None = None
    """The quoted subject of a `Revert "…"` subject, the revert's own `(#N)` cut off; it
    ends with `…` where GitHub cut a long one."""
    reland_subject: str | None = None
    """The quoted subject of a `Reland "…"` subject."""
    follows: tuple[tuple[FollowKind, str], ...] = ()
    """(kind, `#1234` or a sha prefix), in the order the message names them."""


def references(commit: Commit) -> References:
    subject = one_line(commit.subject).strip()
    bare = _TRAILING_PR.sub("", subject)
    revert = _REVERT_SUBJECT.match(bare)
    reland = _RELAND_SUBJECT.match(bare)
    texts = [subject, commit.body]
    if commit.pull_request:
        texts += [commit.pull_request.title, commit.pull_request.body]
    own = {f"#{commit.pull_request.number}"} if commit.pull_request else set()
    follows: list[tuple[FollowKind, str]] = []
    for text in texts:
        for match in _FOLLOW.finditer(text):
            word, hash_, target = match.groups()
            kind = _WORDS[re.sub(r"\s+", " ", word.lower()).replace("lands", "land")]
            if hash_ or target.isdigit():
                ref = f"#{int(target)}" if hash_ or "/pull/" in match.group() else None
            else:
                ref = target.lower() if _HEX.fullmatch(target.lower()) else None
            if ref and ref not in own and (kind, ref) not in follows:
                follows.append((kind, ref))
    return References(
        revert_shas=tuple(dict.fromkeys(m.lower() for m in _REVERT_SHA.findall(commit.body))),
        revert_subject=(revert.group(1) or revert.group(2)) if revert else None,
        reland_subject=reland.group(1) if reland else None,
        follows=tuple(follows),
    )


def bare_subject(subject: str) -> str:
    """A subject without its trailing `(#1234)`: what a revert's quote may leave out."""
    return _TRAILING_PR.sub("", one_line(subject).strip())


# -- modules -----------------------------------------------------------------------------


MODULES_PER_COMMIT = 3
"""A commit is listed on the pages of its three most changed modules (on the sglang year, a
commit in 30 modules was on 30 pages: 16,078 entries, 14,357 with five, 12,220 with three;
half of its commits are in one module)."""


@dataclass(frozen=True)
class ModuleMap:
    """A file's module: the analyzer's (`paths.module_of`) unless a `modules:` prefix of the
    repository covers it, the longest one winning."""

    overrides: tuple[tuple[str, int], ...] = ()

    def module(self, path: str) -> str:
        folders = path.split("/")[:-1]
        best: tuple[str, int] | None = None
        for prefix, depth in self.overrides:
            parts = prefix.split("/")
            longer = best is None or len(parts) > best[0].count("/") + 1
            if folders[: len(parts)] == parts and longer:
                best = (prefix, depth)
        if best is None:
            return module_of(path)
        keep = len(best[0].split("/")) + best[1]
        return "/".join(folders[:keep])

    def modules(self, commit: Commit) -> tuple[str, ...]:
        """The commit's modules, most changed lines first (then by name), at most
        `MODULES_PER_COMMIT`: a sweeping change belongs to the modules it changes most, and
        its page links each module whose page lists it."""
        lines: dict[str, int] = {}
        for change in commit.files:
            name = self.module(change.path)
            lines[name] = lines.get(name, 0) + change.changed_lines
        return tuple(sorted(lines, key=lambda m: (-lines[m], m)))[:MODULES_PER_COMMIT]
