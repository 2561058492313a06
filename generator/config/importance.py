"""`importance:` in digest.yml: the weights of the importance score (`analysis.importance`).

The defaults are the calibrated values (`bench/bench_importance.py` prints their agreement
with the original reports' tiers). Omitted keys keep their defaults; a band table given
replaces the default one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from generator.models import CHANGE_TYPES, FILE_KINDS, ChangeType, FileKind

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
DEFAULT_FILE_KIND: dict[FileKind, int] = {
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
    file_kind: dict[FileKind, int] = Field(default_factory=lambda: dict(DEFAULT_FILE_KIND))
    """Points for the kind most of the files are: code, test, docs, ci, build, generated, other."""
    critical_path: int = 3
    """Bonus when a file matches one of the repository's `critical_paths`."""
    breaking: int = 7
    """Bonus for a breaking-change marker (`feat!:`, `BREAKING CHANGE:` in the body)."""
    interface_removed: int = 2
    """Bonus when the commit removes an option, environment variable or dependency of the
    repository's interface (README: Interface changes); 0 leaves it out of the score."""
    interface_default: int = 1
    """Bonus when it changes the default of one (or a dependency's pinned version). With
    2 and 1, 97.1% of sglang's labelled commits keep their original tier (98.7% without)."""
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


assert set(DEFAULT_CHANGE_TYPE) == set(CHANGE_TYPES) and set(DEFAULT_FILE_KIND) == set(FILE_KINDS)
