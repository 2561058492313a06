"""The deterministic analyzer: tier, change type, scope and advice from a commit's facts alone.

It reads only the subject, the body and each file's path and line counts (no patches), so
every conclusion is a rule over those facts. The rules live in the tables below, each with
the reason it exists. Same commit in, same analysis out, byte for byte: every list is sorted
with ties broken by name, and every list in the text is cut to five with "and N more".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from generator.analysis import phrases
from generator.analysis.facts import Facts
from generator.analysis.ignore import ignored_by, rules_fingerprint
from generator.analysis.importance import (
    critical_fingerprint,
    score_parts,
    scored_alike,
    scored_type,
    tier_of,
)
from generator.analysis.labels import label_type
from generator.analysis.paths import KERNEL_PATH, file_kind, module_of
from generator.analysis.subjects import (
    KEYWORDS,
    PATHS,
    REVERT,
    parse_subject,
)
from generator.analysis.topics import Glossary, commit_topics, load_glossary
from generator.config.importance import Importance
from generator.config.repos import IgnoreRules
from generator.globs import glob_regex
from generator.models import (
    Analysis,
    ChangeType,
    Commit,
    FileChange,
    FileKind,
    Insight,
    InsightKind,
    Tier,
)
from generator.text import Language

TOP = 5
"""How many modules, key files and list items an analysis names."""

# ---- Facts: one linear pass over the files (`facts.py`), then what the rules ask about them.


def gather(commit: Commit, critical: tuple[tuple[str, re.Pattern[str]], ...]) -> Facts:
    kinds: dict[FileKind, list[FileChange]] = {}
    lines: dict[FileKind, int] = {}
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


KIND_TYPES: dict[FileKind, ChangeType] = {
    "docs": "docs",
    "test": "test",
    "ci": "ci",
    "build": "build",
}


def change_type(f: Facts) -> ChangeType:
    """Strongest signal first: a declared type (unless it is a revert), keywords, paths."""
    if f.subject.declared and not REVERT.match(f.subject.gist):
        return f.subject.declared  # The author classified the commit.
    if (labelled := label_type(f.commit)) and not REVERT.match(f.subject.gist):
        return labelled  # Or the project did, labelling its pull request (issue 10).
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

    name = "rules@3"
    concurrency = 1
    fallback = None

    def __init__(
        self,
        language: Language,
        critical_paths: tuple[str, ...] = (),
        importance: Importance | None = None,
        glossary: Glossary | None = None,
        repo: str = "",
        ignore: IgnoreRules | None = None,
    ) -> None:
        """`glossary` (default: the shipped one) gives each commit its topics; `repo`
        (`owner/name`) is left out of them, like any topic every commit would have."""
        if language not in ("zh", "en"):
            raise ValueError(f"language must be 'zh' or 'en', not {language!r}")
        self.language: Language = language
        globs = sorted({g.strip() for g in critical_paths if g.strip()})
        self.critical = tuple((g, glob_regex(g)) for g in globs)
        self.importance = importance or Importance()
        self.ignore = ignore or IgnoreRules()
        # The noise rules' hash follows the critical paths' after a `+`, only when there are
        # rules: the settings of a repository without them stay what they always were.
        noise = f"+{rules_fingerprint(self.ignore)}" if self.ignore else ""
        self.settings = critical_fingerprint(globs, self.name) + noise
        self.glossary = glossary or load_glossary()
        self.repo = repo
        self._topics: dict[tuple[str, int], tuple[str, ...]] = {}
        """A commit's topics by its sha: a run asks twice, analysing it and checking the
        record it wrote (`analysis._current`)."""

    def analyze(self, commit: Commit) -> Analysis:
        f = gather(commit, self.critical)
        declared = scored_type(commit.subject) or label_type(commit)  # labels: issue 10
        parts = score_parts(commit, self.importance, declared, f.subject.breaking, bool(f.critical))
        score = sum(p.points for p in parts)
        ignored = ignored_by(self.ignore, commit) if self.ignore else None
        tier = "low" if ignored else tier_of(score, self.importance.thresholds)
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
            topics=self.topics(commit),
            ignored=ignored,
        )

    def topics(self, commit: Commit) -> tuple[str, ...]:
        """The commit's topics in the analyzer's language: facts of the commit and the
        glossary, so every analyzer's analysis carries these (`analysis.analyze`)."""
        key = (commit.sha, len(commit.files))
        found = self._topics.get(key)
        if found is None:
            found = self._topics[key] = commit_topics(
                commit, self.language, self.glossary, self.repo
            )
        return found

    def is_current(self, analysis: Analysis) -> bool:
        """Whether `analyze` would now give this analysis: the same version and language made
        it, and the current weights and critical paths give it the same score and tier."""
        return (
            analysis.analyzer == self.name
            and analysis.language == self.language
            and self.scores_alike(analysis)
        )

    def scores_alike(self, analysis: Analysis) -> bool:
        """The score part of `is_current`, for analyzers that reuse this one's tier. The same
        settings mean the same noise rules, so a commit ignored then is ignored now: low,
        whatever its score."""
        tier = analysis.tier
        if analysis.ignored is not None:
            if tier != "low" or analysis.score is None:
                return False
            tier = tier_of(analysis.score, self.importance.thresholds)
        return analysis.settings == self.settings and scored_alike(
            analysis.score, analysis.score_parts, tier, self.importance
        )

    def same_noise_rules(self, analysis: Analysis) -> bool:
        """Whether the analysis was made under the current noise rules (the part of its
        settings after `+`), whatever the critical paths were."""
        mine = self.settings.partition("+")[2]
        return (analysis.settings or "").partition("+")[2] == mine
