"""Pull-request labels that declare a change type, as a conventional prefix does.

Projects sort their pull requests with labels (`bug`, `performance`, `documentation`); when
the subject declares no type (`fix:`, `[Feature]`), the labels of the pull request that
brought the commit do. Labels are compared in lower case, with a `type:` / `kind/` style
prefix and `-`/`_` separators ignored, so `type: bug`, `kind/bug` and `Bug` all count.
Several labels: the type earliest in TYPE_ORDER wins, whatever order GitHub lists them in.
"""

from __future__ import annotations

import re

from generator.models import CHANGE_TYPES, ChangeType, Commit

LABEL_TYPES: dict[str, ChangeType] = {
    **dict.fromkeys(["bug", "bugfix", "fix", "regression", "crash", "hotfix"], "fix"),
    **dict.fromkeys(["enhancement", "feature", "new feature", "feat"], "feature"),
    **dict.fromkeys(["performance", "perf", "optimization", "speedup"], "performance"),
    **dict.fromkeys(["documentation", "docs", "doc"], "docs"),
    **dict.fromkeys(["refactor", "refactoring", "cleanup", "tech debt"], "refactor"),
    **dict.fromkeys(["test", "tests", "testing"], "test"),
    **dict.fromkeys(["ci", "ci/cd", "github actions"], "ci"),
    **dict.fromkeys(["dependencies", "deps", "build"], "build"),
    **dict.fromkeys(["chore", "maintenance"], "chore"),
    "revert": "revert",
}
# Which type wins when a pull request carries labels of several: every change type, most
# telling first (a revert or a fix says more about a commit than its area does).
TYPE_ORDER: tuple[ChangeType, ...] = (
    "revert",
    "fix",
    "performance",
    "feature",
    "refactor",
    "docs",
    "test",
    "ci",
    "build",
    "chore",
)
assert sorted(TYPE_ORDER) == sorted(CHANGE_TYPES)
_PREFIX = re.compile(r"^(?:type|kind|t|category)\s*[:/]\s*")


def label_type(commit: Commit) -> ChangeType | None:
    """The change type the commit's pull-request labels declare, if any."""
    pull = commit.pull_request
    found = {LABEL_TYPES.get(_normal(label)) for label in pull.labels} if pull else set()
    return next((kind for kind in TYPE_ORDER if kind in found), None)


def _normal(label: str) -> str:
    text = _PREFIX.sub("", label.strip().lower())
    if text in LABEL_TYPES:
        return text  # ci/cd
    return re.sub(r"[-_]+", " ", text.rsplit("/", 1)[-1]).strip()
