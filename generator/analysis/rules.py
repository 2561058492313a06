"""The deterministic analyzer: tier, change type, scope and advice from a commit's facts alone.

It reads only the subject, the body and each file's path and line counts (no patches), so
every conclusion is a rule over those facts. The rules live in the tables below, each with
the reason it exists. Same commit in, same analysis out, byte for byte: every list is sorted
with ties broken by name, and every list in the text is cut to five with "and N more".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from generator.analysis import phrases
from generator.analysis.importance import (
    Importance,
    critical_fingerprint,
    declared_type,
    score_parts,
    scored_alike,
    tier_of,
)
from generator.analysis.paths import (
    ARG_FILE,
    DEPENDENCY_FILE,
    KERNEL_PATH,
    SECURITY_PATH,
    Kind,
    file_kind,
    glob_regex,
    module_of,
)
from generator.analysis.phrases import Language
from generator.models import Analysis, ChangeType, Commit, FileChange, Insight, InsightKind, Tier

TOP = 5
"""How many modules, key files and list items an analysis names."""

# ---- Subjects: conventional prefixes, bracket tags, keywords.

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


# ---- Facts: one linear pass over the files, then what the rules ask about them.


@dataclass(frozen=True)
class Facts:
    commit: Commit
    subject: Subject
    kinds: dict[Kind, list[FileChange]]
    lines: dict[Kind, int]
    modules: tuple[tuple[str, int, int, int], ...]
    """Every module as (name, changed lines, additions, deletions), most changed first."""
    critical: tuple[tuple[str, str], ...]
    """(glob, path) for each file that matches a critical path glob."""
    change_type: ChangeType = "chore"

    def paths(self, kind: Kind) -> list[str]:
        return [f.path for f in self.kinds.get(kind, ())]

    @property
    def runtime(self) -> bool:
        """Code, build or generated files changed: what ships changes."""
        return any(self.kinds.get(k) for k in ("code", "build", "generated"))

    @property
    def only(self) -> Kind | None:
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


def gather(commit: Commit, critical: tuple[tuple[str, re.Pattern[str]], ...]) -> Facts:
    kinds: dict[Kind, list[FileChange]] = {}
    lines: dict[Kind, int] = {}
    modules: dict[str, list[int]] = {}
    hits: set[tuple[str, str]] = set()
    for change in commit.files:
        kind = file_kind(change.path)
        kinds.setdefault(kind, []).append(change)
        lines[kind] = lines.get(kind, 0) + change.changed_lines
        m = modules.setdefault(module_of(change.path), [0, 0, 0])
        m[:] = m[0] + change.changed_lines, m[1] + change.additions, m[2] + change.deletions
        paths = [p for p in (change.path, change.old_path) if p]
        hits.update((g, change.path) for g, rx in critical if any(rx.fullmatch(p) for p in paths))
    ranked = sorted(((m, a, b, c) for m, (a, b, c) in modules.items()), key=lambda m: (-m[1], m[0]))
    subject = parse_subject(commit.subject, commit.body)
    facts = Facts(commit, subject, kinds, lines, tuple(ranked), tuple(sorted(hits)))
    return dataclasses.replace(facts, change_type=change_type(facts))


KIND_TYPES: dict[Kind, ChangeType] = {"docs": "docs", "test": "test", "ci": "ci", "build": "build"}


def change_type(f: Facts) -> ChangeType:
    """Strongest signal first: a declared type (unless it is a revert), keywords, paths."""
    if f.subject.declared and not REVERT.match(f.subject.gist):
        return f.subject.declared  # The author classified the commit.
    for rule in KEYWORDS:
        if rule is PATHS and f.kinds and f.kinds.keys() <= KIND_TYPES.keys():
            # Only docs, tests, CI or build files: the biggest group names the change.
            top = max(KIND_TYPES, key=lambda k: (f.lines.get(k, 0), len(f.kinds.get(k, ()))))
            return KIND_TYPES[top]
        if rule and rule[1].search(f.subject.gist):
            return rule[0]
    if "code" not in f.kinds:
        return "chore"
    # No words to go by: new code is most often a feature, net removal a restructuring.
    return "feature" if f.commit.additions >= f.commit.deletions else "refactor"


# ---- Signals: facts a reader should weigh. The score alone decides the tier; a signal adds
# one risk and, from the tier it names upwards, one recommendation, so a low-tier commit is
# not told to schedule reviews its tier says it does not need.

LARGE_LINES = 500
LARGE_FILES = 30
NEW_FILE = 20
NEW_DIR = 100
RANK: dict[Tier, int] = {"low": 0, "medium": 1, "high": 2}

# name: (does it apply, lowest tier that gets the recommendation). Most serious first.
SIGNALS: dict[str, tuple[Callable[[Facts], bool], Tier]] = {
    "critical": (lambda f: bool(f.critical), "low"),  # The repository's owners asked for it.
    "breaking": (lambda f: f.subject.breaking, "low"),  # The author says callers must change.
    "revert": (lambda f: f.change_type == "revert" and f.runtime, "low"),  # Shipped code goes.
    "security": (lambda f: bool(f.security_words), "low"),  # The author says it is security.
    "deps": (lambda f: bool(f.dependency_files), "medium"),  # Every environment is affected.
    "cli": (lambda f: f.runtime and bool(f.subject.flags or f.arg_files), "medium"),
    # Too big to review in one sitting: the likeliest source of regressions.
    "large": (
        lambda f: (
            f.lines.get("code", 0) >= LARGE_LINES or len(f.kinds.get("code", ())) >= LARGE_FILES
        ),
        "medium",
    ),
    # Net removal of code or build files: behaviour somebody used may be gone.
    "deletions": (
        lambda f: f.runtime and f.commit.deletions > max(200, 2 * f.commit.additions),
        "medium",
    ),
    # Nothing shows it works. Most commits change no test, so only a high-tier one is told
    # to add some, and a low-tier tweak is not worth the line at all.
    "untested": (lambda f: "code" in f.kinds and "test" not in f.kinds, "high"),
    "renames": (lambda f: bool(f.moves), "medium"),  # Imports and links may use old paths.
    "binary": (lambda f: bool(f.binary_files), "medium"),  # No line diff to review.
    "merge": (lambda f: f.commit.is_merge, "low"),  # The stats are against the first parent.
    "ci_only": (lambda f: f.only == "ci", "medium"),  # Pipelines change, the product does not.
    "docs_only": (lambda f: f.only == "docs", "medium"),  # No runtime effect.
    "tests_only": (lambda f: f.only == "test", "medium"),  # No runtime effect.
}
# Risks a low-tier commit is not worth: the tier already says the change is small.
NOT_FOR_LOW = frozenset({"untested", "large"})


def signals(f: Facts, tier: Tier) -> tuple[list[str], list[str]]:
    """(risks, recommendations) by signal name, most serious first."""
    found = [n for n, (test, _) in SIGNALS.items() if test(f)]
    risks = [n for n in found if tier != "low" or n not in NOT_FOR_LOW]
    advice = [n for n in risks if RANK[tier] >= RANK[SIGNALS[n][1]]]
    return risks, advice


def is_new_dir(files: list[FileChange]) -> bool:
    big = all(not c.deletions and c.additions >= NEW_FILE for c in files)
    return len(files) > 1 and big and sum(c.additions for c in files) >= NEW_DIR


def is_removed_dir(files: list[FileChange]) -> bool:
    gone = not any(c.additions for c in files)
    return len(files) > 1 and gone and sum(c.deletions for c in files) >= NEW_DIR


def insights(f: Facts) -> list[tuple[InsightKind, str, dict[str, object]]]:
    """(kind, phrase, fields) for each real signal; most commits have none or one."""
    found: list[tuple[InsightKind, str, dict[str, object]]] = []
    # Whole directories of new or deleted code, or files moving between modules, reshape
    # the codebase rather than one function. Without patches "new" is a guess: a directory
    # of several files that all only gain lines, none of them a small edit.
    dirs: dict[str, list[FileChange]] = {}
    for c in f.kinds.get("code", ()):
        dirs.setdefault(c.path.rpartition("/")[0] or "/", []).append(c)
    new = [d for d, cs in sorted(dirs.items()) if is_new_dir(cs)]
    gone = [d for d, cs in sorted(dirs.items()) if is_removed_dir(cs)]
    if new:
        found.append(("architecture", "new_modules", {"modules": new}))
    if gone:
        found.append(("architecture", "removed_modules", {"modules": gone}))
    moves = sorted({(module_of(a), module_of(b)) for a, b in f.moves})
    if moves := [f"{a} → {b}" for a, b in moves if a != b]:
        found.append(("architecture", "moves", {"moves": moves}))
    # A declared performance goal or kernel code: numbers, not the diff, tell the story.
    kernels = [p for p in f.code_files if KERNEL_PATH.search(p.lower())]
    if f.change_type == "performance":
        found.append(("performance", "perf_type", {"modules": [m[0] for m in f.modules]}))
    elif kernels:
        found.append(("performance", "kernels", {"files": kernels}))
    # Security words in the message, or code in auth/crypto/permission paths.
    if what := [*f.security_words, *f.security_code]:
        found.append(("security", "security", {"what": what}))
    return found


class RulesAnalyzer:
    """Tier from the importance score, text from the facts; same commit in, same analysis out."""

    name = "rules@2"

    def __init__(
        self,
        language: Literal["zh", "en"],
        critical_paths: tuple[str, ...] = (),
        importance: Importance | None = None,
    ) -> None:
        if language not in ("zh", "en"):
            raise ValueError(f"language must be 'zh' or 'en', not {language!r}")
        self.language: Language = language
        globs = sorted({g.strip() for g in critical_paths if g.strip()})
        self.critical = tuple((g, glob_regex(g)) for g in globs)
        self.importance = importance or Importance()
        self.settings = critical_fingerprint(globs)

    def analyze(self, commit: Commit) -> Analysis:
        f = gather(commit, self.critical)
        declared = declared_type(commit.subject, DECLARED_TYPES)
        parts = score_parts(commit, self.importance, declared, f.subject.breaking, bool(f.critical))
        score = sum(p.points for p in parts)
        tier = tier_of(score, self.importance.thresholds)
        risks, advice = signals(f, tier)
        lang = self.language
        return Analysis(
            tier=tier,
            change_type=f.change_type,
            summary=phrases.summary(f, lang),
            modules=tuple(m[0] for m in f.modules[:TOP]),
            key_files=f.files[:TOP],
            insights=tuple(
                Insight(kind=kind, text=phrases.say(phrases.INSIGHTS, name, lang, **fields))
                for kind, name, fields in insights(f)
            ),
            risks=tuple(phrases.advice(phrases.RISKS, name, f, lang) for name in risks),
            recommendations=tuple(
                phrases.advice(phrases.RECOMMENDATIONS, name, f, lang) for name in advice
            ),
            analyzer=self.name,
            language=lang,
            score=score,
            score_parts=parts,
            settings=self.settings,
        )

    def is_current(self, analysis: Analysis) -> bool:
        """Whether `analyze` would now give this analysis: the same version and language made
        it, and the current weights and critical paths give it the same score and tier."""
        return (
            analysis.analyzer == self.name
            and analysis.language == self.language
            and self.scores_alike(analysis)
        )

    def scores_alike(self, analysis: Analysis) -> bool:
        """The score part of `is_current`, for analyzers that reuse this one's tier."""
        return analysis.settings == self.settings and scored_alike(
            analysis.score, analysis.score_parts, analysis.tier, self.importance
        )
