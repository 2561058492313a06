"""Which files can declare a repository's interface, judged by their path alone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from generator.analysis.paths import file_kind
from generator.globs import glob_regex
from generator.interfaces.resolve import Rule

Language = Literal["python", "rust", "pyproject", "requirements", "cargo", "package.json"]

NOT_INTERFACE = frozenset({"test", "docs", "ci", "generated"})
"""What analysis/paths.py calls tests (benchmarks included), docs, CI and generated files
are not the project's interface: their fields and flags would drown the real ones."""
EXAMPLE_DIRS = frozenset({"example", "examples"})
REQUIREMENTS = re.compile(r"requirements[\w.-]*\.(txt|in)")


def language(path: str) -> Language | None:
    """How a file declares, by its name: None for files that declare nothing we read."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith(".py"):
        return "python"
    if name.endswith(".rs"):
        return "rust"
    if name == "pyproject.toml":
        return "pyproject"
    if REQUIREMENTS.fullmatch(name):
        return "requirements"
    if name == "cargo.toml":
        return "cargo"
    if name == "package.json":
        return "package.json"
    return None


def rules_for(path: str, rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """The repository's own rules whose paths match `path`."""
    return tuple(r for r in rules if any(glob_regex(g).fullmatch(path) for g in r.paths))


def candidate(path: str, rules: Sequence[Rule] = ()) -> bool:
    """Whether `path` can declare an interface: a Python, Rust or dependency file outside
    tests, benchmarks, examples, docs, CI and generated code, or a Python file a rule names
    (a rule reaches even into those)."""
    kind = language(path)
    if kind is None:
        return False
    if kind == "python" and rules_for(path, rules):
        return True
    dirs = path.lower().split("/")[:-1]
    return file_kind(path) not in NOT_INTERFACE and not EXAMPLE_DIRS.intersection(dirs)
