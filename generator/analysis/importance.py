"""The importance score: a few points per fact, summed, cut into high / medium / low.

The original daily reports rated commits with a fixed additive score, and readers learnt to
trust its tiers. This is that kind of score, calibrated with one set of weights on two
projects, 3,457 commits of sgl-project/sglang (Python) and 780 of ai-dynamo/dynamo (Rust and
Python); `bench/bench_importance.py` prints the agreement. Points for the type a conventional
prefix declares, for the lines changed, for how many files (and, if configured, top-level
modules), for what kind of file most of them are, a bonus for the repository's critical paths
and for a breaking-change marker. Every part is recorded on the analysis, so a page can show
exactly why a commit got its tier: `score 10 = fix 5 + 340 lines 3 + 3 files 2`.

Each weight is in `digest.yml` under `importance:` (`Importance` below); the defaults are the
calibrated values.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from generator.analysis.paths import KINDS, Kind, file_kind
from generator.analysis.subjects import PREFIX, declared_type
from generator.models import CHANGE_TYPES, ChangeType, Commit, ScorePart, Tier
from generator.render.i18n import CHANGE_TYPE_LABELS, Language

# ---- Settings: `importance:` in digest.yml.

DEFAULT_CHANGE_TYPE: dict[ChangeType, int] = {
    "feature": 8,  # A declared feature is news for everyone following the project: high alone.
    "fix": 5,  # A declared fix is medium alone, high once it is more than a small tweak.
    "performance": 4,
    "refactor": 2,  # A declared restructuring is high only when it is large or wide.
    "test": 0,
    "build": -2,  # Declared upkeep is low unless it is large: over 100 lines in 6+ files.
    "revert": 0,
    "ci": -2,
    "docs": -2,
    "chore": -3,
}
DEFAULT_FILE_KIND: dict[Kind, int] = {
    "code": 0,
    "test": 0,
    "other": -1,
    "ci": -1,
    "build": -1,
    "generated": -1,
    "docs": -2,
}
# Lines changed (added + deleted) → points; the largest band reached counts.
DEFAULT_SIZE: dict[int, int] = {51: 2, 101: 3, 501: 4}


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Settings):
    medium: int = 2
    """A score of at least this is medium."""
    high: int = 7
    """A score of at least this is high."""

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.medium >= self.high:
            raise ValueError(f"medium ({self.medium}) must be below high ({self.high})")
        return self


class Scope(_Settings):
    files: dict[int, int] = Field(default_factory=lambda: {3: 2, 6: 3})
    """Files changed → points: the largest band reached counts (`3: 2` = 3 or more files, 2)."""
    modules: dict[int, int] = Field(default_factory=dict)
    """Top-level directories touched → points, as for files; none by default (the reports'
    tiers did not depend on it)."""

    @field_validator("files", "modules", mode="before")
    @classmethod
    def _sorted_bands(cls, value: object, info: ValidationInfo) -> dict[int, int]:
        return _bands(value, "files" if info.field_name == "files" else "directories")


class Importance(_Settings):
    """How a commit's tier is computed. Omitted keys keep their defaults."""

    change_type: dict[ChangeType, int] = Field(default_factory=lambda: dict(DEFAULT_CHANGE_TYPE))
    """Points for the type the subject's conventional prefix declares (`fix:`, `feat(x)!:`)."""
    size: dict[int, int] = Field(default_factory=lambda: dict(DEFAULT_SIZE))
    """Lines changed (added + deleted) → points: the largest band reached counts."""
    scope: Scope = Scope()
    file_kind: dict[Kind, int] = Field(default_factory=lambda: dict(DEFAULT_FILE_KIND))
    """Points for the kind most of the files are: code, test, docs, ci, build, generated, other."""
    critical_path: int = 3
    """Bonus when a file matches one of the repository's `critical_paths`."""
    breaking: int = 7
    """Bonus for a breaking-change marker (`feat!:`, `BREAKING CHANGE:` in the body)."""
    thresholds: Thresholds = Thresholds()

    @field_validator("change_type", mode="before")
    @classmethod
    def _known_types(cls, value: object) -> object:
        return _merge(value, DEFAULT_CHANGE_TYPE, "change type")

    @field_validator("file_kind", mode="before")
    @classmethod
    def _known_kinds(cls, value: object) -> object:
        return _merge(value, DEFAULT_FILE_KIND, "file kind")

    @field_validator("size", mode="before")
    @classmethod
    def _sorted_bands(cls, value: object) -> dict[int, int]:
        return _bands(value, "lines")


def _merge(value: object, defaults: dict[str, int], what: str) -> object:
    if not isinstance(value, dict):
        return value  # pydantic reports the wrong type
    unknown = sorted(str(k) for k in value if k not in defaults)
    if unknown:
        raise ValueError(
            f"unknown {what} {', '.join(map(repr, unknown))}; use {', '.join(defaults)}"
        )
    return {**defaults, **value}


def _bands(value: object, unit: str) -> dict[int, int]:
    """`{51: 2, 501: 4}`: at least 51 {unit} earn 2 points, at least 501 earn 4."""
    if not isinstance(value, dict):
        raise ValueError(f"must map a number of {unit} to points, e.g. {{3: 2, 6: 3}}")
    bands = {}
    for at, points in value.items():
        if isinstance(at, bool) or not str(at).isdigit() or int(at) < 1:
            raise ValueError(f"{at!r} is not a number of {unit} (a whole number of at least 1)")
        if isinstance(points, bool) or not isinstance(points, int):
            raise ValueError(f"the points for {at} {unit} must be a whole number, not {points!r}")
        bands[int(at)] = points
    return dict(sorted(bands.items()))


# ---- The score.

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


def majority_kind(commit: Commit) -> Kind | None:
    """What most files are; ties go to the kind with more changed lines, then to `KINDS` order."""
    files: Counter[Kind] = Counter()
    lines: Counter[Kind] = Counter()
    for change in commit.files:
        kind = file_kind(change.path)
        files[kind] += 1
        lines[kind] += change.changed_lines
    if not files:
        return None
    return min(files, key=lambda k: (-files[k], -lines[k], KINDS.index(k)))


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
    return None


def scored_alike(
    score: int | None, parts: Iterable[ScorePart], tier: Tier, settings: Importance
) -> bool:
    """Whether `settings` give the same parts, score and tier: re-scoring needs no commit, so a
    change of weights re-analyses only the records whose score or tier it changes."""
    parts = tuple(parts)
    if score is None or any(p.factor == "modules" for p in parts) != bool(settings.scope.modules):
        return False
    if any(current_points(p, settings) != p.points for p in parts):
        return False
    return score == sum(p.points for p in parts) and tier == tier_of(score, settings.thresholds)


def tier_of(score: int, thresholds: Thresholds) -> Tier:
    if score >= thresholds.high:
        return "high"
    return "medium" if score >= thresholds.medium else "low"


# ---- The score line: `score 10 = fix 5 + 340 lines 3 + 3 files 2`, in the reader's language.

KIND_LABELS: dict[Language, dict[str, str]] = {
    "zh": {
        "code": "以代码为主",
        "test": "以测试为主",
        "docs": "以文档为主",
        "ci": "以持续集成配置为主",
        "build": "以构建文件为主",
        "generated": "以生成文件为主",
        "other": "以其他文件为主",
    },
    "en": {
        "code": "mostly code",
        "test": "mostly tests",
        "docs": "mostly docs",
        "ci": "mostly CI",
        "build": "mostly build files",
        "generated": "mostly generated files",
        "other": "mostly other files",
    },
}
FACTOR_LABELS: dict[Language, dict[str, str]] = {
    "zh": {
        "score": "得分 {score}",
        "none": "得分 {score}：{files} 个文件、{lines} 行，均不计分",
        "breaking": "破坏性变更",
        "size": "{value} 行",
        "files": "{value} 个文件",
        "modules": "{value} 个顶层目录",
        "critical_path": "关键路径",
    },
    "en": {
        "score": "score {score}",
        "none": "score {score}: {lines} lines in {files} file{s} earn no points",
        "breaking": "breaking change",
        "size": "{value} lines",
        "files": "{value} file{s}",
        "modules": "{value} top-level director{ies}",
        "critical_path": "critical path",
    },
}


def part_label(part: ScorePart, language: Language) -> str:
    if part.factor == "change_type":
        label = CHANGE_TYPE_LABELS[language][part.value]
        return label if label.isupper() else label.lower()  # mid-line: `fix 5`, `CI −2`
    if part.factor == "file_kind":
        return KIND_LABELS[language][part.value]
    one = part.value == "1"
    return FACTOR_LABELS[language][part.factor].format(
        value=part.value, s="" if one else "s", ies="y" if one else "ies"
    )


def score_line(score: int, parts: Iterable[ScorePart], language: Language) -> str:
    """One short line a reader understands at a glance; parts worth 0 points are left out."""
    labels = FACTOR_LABELS[language]
    parts = tuple(parts)
    total = signed(score)
    counted = [p for p in parts if p.points]
    if not counted:
        facts = {p.factor: p.value for p in parts}
        files = facts.get("files", "0")
        lines = facts.get("size", "0")
        if files == "0":
            return labels["score"].format(score=total)
        return labels["none"].format(
            score=total, files=files, lines=lines, s="" if files == "1" else "s"
        )
    first, *rest = counted
    terms = [f"{part_label(first, language)} {signed(first.points)}"]
    for part in rest:
        terms.append(
            f"{'−' if part.points < 0 else '+'} {part_label(part, language)} {abs(part.points)}"
        )
    return labels["score"].format(score=total) + " = " + " ".join(terms)


def signed(number: int) -> str:
    """With a real minus sign, as the rest of the line uses."""
    return f"−{-number}" if number < 0 else str(number)


assert set(DEFAULT_CHANGE_TYPE) == set(CHANGE_TYPES) and set(DEFAULT_FILE_KIND) == set(KINDS)
