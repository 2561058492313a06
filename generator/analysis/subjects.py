"""What a commit's subject says: its conventional prefix, bracket tags, keywords and flags.

`parse_subject` splits a subject the way authors write them (`[diffusion] fix(x)!: gist
(#123)`); `declared_type` is the stricter reading the importance score uses: only a
conventional prefix at the very start of the subject declares a type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.models import ChangeType

# Words of a `type(scope)!:` prefix or a `[Tag]`, and the change type each declares. Other
# tags and prefixes ([AMD], [NPU], [diffusion], "model:") name the area, not the type.
DECLARED_TYPES: dict[str, ChangeType] = {
    **dict.fromkeys(["feat", "feature", "features", "new"], "feature"),
    **dict.fromkeys(["fix", "fixes", "bugfix", "bug", "hotfix"], "fix"),
    **dict.fromkeys(["perf", "performance", "optimize", "optimization", "opt"], "performance"),
    **dict.fromkeys(["refactor", "refactoring"], "refactor"),
    **dict.fromkeys(["docs", "doc", "documentation"], "docs"),
    **dict.fromkeys(["test", "tests", "ut"], "test"),
    "ci": "ci",
    **dict.fromkeys(["build", "deps", "dep", "dependencies"], "build"),
    **dict.fromkeys(["chore", "style", "misc", "minor"], "chore"),
    "revert": "revert",
}
COSMETIC = r"\b(typos?|reformat\w*|formatting|lint|whitespace|spelling)\b"
# Subject keywords, most specific first: the first that matches decides. The paths are read
# where PATHS stands: a commit whose files are all docs, all tests or all CI is that, whatever
# weaker words its subject uses ("add test case", "update guide").
PATHS = None
KEYWORDS: tuple[tuple[ChangeType, re.Pattern[str]] | None, ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) if kind else PATHS
    for kind, pattern in (
        ("revert", r"^revert\b"),  # What git writes for a revert: stronger than any prefix.
        ("chore", COSMETIC),  # "fix typo" and reformatting change nothing a user sees.
        # Repairing a defect: the most common and most specific intent.
        ("fix", r"\b(fix\w*|bugs?|crash\w*|errors?|hangs?|leaks?|regression|mismatch|wrong"
                r"|incorrect|broken|breakage|double[- ]free|deadlock)\b"),
        ("performance", r"\b(speed\s?up|optimi[sz]\w*|faster|latency|throughput|accelerat\w*)\b"),
        ("refactor", r"\b(refactor\w*|clean\s?up\w*|renam\w*|move[sd]?|migrat\w*|consolidat\w*"
                     r"|reorgani[sz]\w*|simplif\w*|centrali[sz]\w*|restructur\w*)\b"),
        ("build", r"\b(bump\w*|upgrad\w*|downgrad\w*|dependenc(y|ies))\b"),
        (None, ""),
        ("docs", r"\b(docs?|documentation|readme|guide|tutorial)\b"),
        ("test", r"\b(tests?|ut|unit[- ]?tests?|test[- ]?cases?)\b"),
        ("ci", r"\b(ci|workflows?|pipelines?|runners?)\b"),
        ("feature", r"\b(add\w*|support\w*|introduc\w*|enabl\w*|implement\w*|allow\w*|new"
                    r"|integrat\w*)\b"),
        ("chore", r"\b(update[sd]?|adjust\w*|chang\w*|tweak\w*|tun\w*)\b"),
    )
)  # fmt: skip
SECURITY_WORDS = re.compile(
    r"\b(cve-\d{4}-\d+|security|vulnerab\w*|auth|authn|authz|authenticat\w*|authori[sz]\w*"
    r"|xss|csrf|ssrf|exploit\w*|credentials?)\b",
    re.I,
)
FLAG = re.compile(r"(?<![\w-])--[A-Za-z0-9][\w-]*")
REVERT = re.compile(r"revert\b", re.IGNORECASE)
PR_SUFFIX = re.compile(r"(?:\s*\(#\d+\))+\s*$")
TAG = re.compile(r"\[([^\[\]]{1,40})\]\s*")
PREFIX = re.compile(
    r"(?P<word>[A-Za-z][\w-]{0,19})(\((?P<scope>[^()]{1,40})\))?(?P<bang>!)?:(?!//)\s*"
)
GIST_LIMIT = 160


@dataclass(frozen=True)
class Subject:
    """What the first line says, split into its conventional parts."""

    gist: str
    """The subject without tags, prefix, PR number and backticks."""
    areas: tuple[str, ...]
    declared: ChangeType | None
    """The type a conventional prefix or, failing that, a bracket tag declares."""
    breaking: bool
    flags: tuple[str, ...]


def parse_subject(subject: str, body: str) -> Subject:
    text = PR_SUFFIX.sub("", " ".join(subject.replace("`", "").split()))
    areas: list[str] = []
    tag_types: list[ChangeType] = []
    prefix_type: ChangeType | None = None
    breaking = "BREAKING CHANGE" in body or "BREAKING-CHANGE" in body
    prefixed = False
    for _ in range(2):  # Tags, a prefix, tags again: "[diffusion] fix: [NPU] ..."
        while match := TAG.match(text):
            tag, text = match.group(1).strip(), text[match.end() :]
            word = tag.lower().replace(" ", "")
            breaking |= word == "breaking"
            if word in DECLARED_TYPES:
                tag_types.append(DECLARED_TYPES[word])
            elif word != "breaking":
                areas.append(tag)
        if not prefixed and (match := PREFIX.match(text)):
            prefixed, text = True, text[match.end() :]
            prefix_type = DECLARED_TYPES.get(match["word"].lower())
            areas.extend(a for a in (None if prefix_type else match["word"], match["scope"]) if a)
            breaking |= bool(match["bang"])
    text = text.rstrip(" .。;；")
    return Subject(
        gist=text if len(text) <= GIST_LIMIT else text[: GIST_LIMIT - 1].rstrip() + "…",
        areas=tuple(dict.fromkeys(areas))[:3],
        declared=prefix_type or (tag_types[0] if tag_types else None),
        breaking=breaking,
        flags=tuple(sorted(set(FLAG.findall(subject)))),
    )


def declared_type(subject: str) -> ChangeType | None:
    """The type a conventional prefix at the very start of the subject declares, in any case
    as the Conventional Commits spec allows: `Fix: x` does, `[area] fix: x` does not (the
    original reports' tiers gave such subjects no type points)."""
    match = PREFIX.match(subject.strip())
    return DECLARED_TYPES.get(match["word"].lower()) if match else None
