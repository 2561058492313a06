"""The importance score: a few points per fact, summed, cut into high / medium / low.

The original daily reports rated commits with a fixed additive score, and readers learnt to
trust its tiers. This is that kind of score, calibrated with one set of weights on two
projects, 3,457 commits of sgl-project/sglang (Python) and 780 of ai-dynamo/dynamo (Rust and
Python); `bench/bench_importance.py` prints the agreement. Points for the type a conventional
prefix declares, for the lines changed, for how many files (and, if configured, top-level
modules), for what kind of file most of them are, a bonus for the repository's critical paths
and for a breaking-change marker. Every part is recorded on the analysis, so a page can show
exactly why a commit got its tier: `score 10 = fix 5 + 340 lines 3 + 3 files 2`.

Each weight is in `digest.yml` under `importance:` (`config.importance.Importance`); the
score line a page shows is `scoreline.py`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from typing import Literal

from generator.analysis.paths import file_kind
from generator.analysis.subjects import PREFIX, declared_type
from generator.config.importance import Importance, Thresholds
from generator.models import FILE_KINDS, ChangeType, Commit, FileKind, ScorePart, Tier

Factor = Literal[
    "change_type", "breaking", "size", "files", "modules", "file_kind", "critical_path"
]


# The types Conventional Commits tooling accepts as written (commitlint's conventional config:
# these eleven words, in lower case). The original reports' tiers gave points to these alone:
# `feature:`, `bugfix:` or `Fix:` declare a type the page shows, but earn nothing.
CONVENTIONAL_TYPES = frozenset(
    {"build", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test"}
)


def scored_type(subject: str) -> ChangeType | None:
    """The type the subject's conventional prefix declares, if it earns points."""
    match = PREFIX.match(subject.strip())
    return declared_type(subject) if match and match["word"] in CONVENTIONAL_TYPES else None


def majority_kind(commit: Commit) -> FileKind | None:
    """What most files are; ties go to the kind with more changed lines, then FILE_KINDS order."""
    files: Counter[FileKind] = Counter()
    lines: Counter[FileKind] = Counter()
    for change in commit.files:
        kind = file_kind(change.path)
        files[kind] += 1
        lines[kind] += change.changed_lines
    if not files:
        return None
    return min(files, key=lambda k: (-files[k], -lines[k], FILE_KINDS.index(k)))


def top_level_modules(commit: Commit) -> int:
    return len({c.path.split("/", 1)[0] if "/" in c.path else "/" for c in commit.files})


def band(bands: dict[int, int], amount: int) -> int:
    """Points of the largest band `amount` reaches; 0 below the first."""
    return next((points for at, points in reversed(bands.items()) if amount >= at), 0)


def score_parts(
    commit: Commit,
    settings: Importance,
    declared: ChangeType | None,
    breaking: bool,
    critical: bool,
) -> tuple[ScorePart, ...]:
    """Every factor that applies, with its points (zero included: size and files always are)."""
    lines = commit.additions + commit.deletions
    parts = []
    if declared:
        parts.append(("change_type", declared, settings.change_type[declared]))
    if breaking:
        parts.append(("breaking", "breaking", settings.breaking))
    parts.append(("size", str(lines), band(settings.size, lines)))
    parts.append(("files", str(len(commit.files)), band(settings.scope.files, len(commit.files))))
    if settings.scope.modules:
        modules = top_level_modules(commit)
        parts.append(("modules", str(modules), band(settings.scope.modules, modules)))
    if kind := majority_kind(commit):
        parts.append(("file_kind", kind, settings.file_kind[kind]))
    # Only with a weight: the parts of every analysis made without one stay as they were.
    for change, weight in (
        ("removed", settings.interface_removed),
        ("default", settings.interface_default),
    ):
        if weight:
            count = sum(c.change == change for c in commit.interface_changes or ())
            parts.append((f"interface_{change}", str(count), weight if count else 0))
    if critical:
        parts.append(("critical_path", "critical_path", settings.critical_path))
    return tuple(ScorePart(factor=f, value=v, points=p) for f, v, p in parts)


def critical_fingerprint(globs: Iterable[str], rules: str = "") -> str:
    """A short hash of the inputs of the score its parts do not show: which files match the
    repository's critical paths, and how the rules version (`rules@3`) reads file kinds and
    scored types from a commit. A change of either must be noticed this way; an analysis that
    only borrows the score (an LLM's) is then re-tiered without asking the LLM again."""
    text = json.dumps([sorted(globs), rules], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def current_points(part: ScorePart, settings: Importance) -> int | None:
    """What a recorded part is worth under `settings`; None when they cannot say."""
    match part.factor:
        case "change_type":
            return settings.change_type.get(part.value)  # type: ignore[call-overload]
        case "file_kind":
            return settings.file_kind.get(part.value)  # type: ignore[call-overload]
        case "size":
            return band(settings.size, int(part.value))
        case "files":
            return band(settings.scope.files, int(part.value))
        case "modules":
            return band(settings.scope.modules, int(part.value)) if settings.scope.modules else None
        case "breaking":
            return settings.breaking
        case "critical_path":
            return settings.critical_path
        case "interface_removed" | "interface_default":
            weight = getattr(settings, part.factor)
            return (weight if part.value != "0" else 0) if weight else None
    return None


def scored_alike(
    score: int | None, parts: Iterable[ScorePart], tier: Tier, settings: Importance
) -> bool:
    """Whether `settings` give the same parts, score and tier: re-scoring needs no commit, so a
    change of weights re-analyses only the records whose score or tier it changes."""
    parts = tuple(parts)
    if score is None or any(p.factor == "modules" for p in parts) != bool(settings.scope.modules):
        return False
    for factor in ("interface_removed", "interface_default"):
        if any(p.factor == factor for p in parts) != bool(getattr(settings, factor)):
            return False
    if any(current_points(p, settings) != p.points for p in parts):
        return False
    return score == sum(p.points for p in parts) and tier == tier_of(score, settings.thresholds)


def tier_of(score: int, thresholds: Thresholds) -> Tier:
    if score >= thresholds.high:
        return "high"
    return "medium" if score >= thresholds.medium else "low"
