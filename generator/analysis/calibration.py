"""Labelled commits and how well an analyzer's tiers agree with their labels.

The labels are the tiers the original daily reports gave real commits (`shared/data/` has
3,457 of sgl-project/sglang and 780 of ai-dynamo/dynamo, `tests/fixtures/` a week of each).
Each entry holds the full message, the files with their line counts as `git log --numstat -M`
prints them (renames as `dir/{old => new}/f.py`, `null` counts for binary files) and the tier.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.models import TIERS, Commit, FileChange, Person, Tier

RENAME_BRACES = re.compile(r"^(?P<head>.*?)\{(?P<old>[^{}]*) => (?P<new>[^{}]*)\}(?P<tail>.*)$")


@dataclass(frozen=True)
class Labelled:
    day: str
    commit: Commit
    tier: Tier


def split_rename(path: str) -> tuple[str, str | None]:
    """`a/{b => c}/d.py` → (`a/c/d.py`, `a/b/d.py`); `old => new` → (`new`, `old`)."""
    if match := RENAME_BRACES.match(path):
        head, tail = match["head"], match["tail"]
        new = (head + match["new"] + tail).replace("//", "/")
        old = (head + match["old"] + tail).replace("//", "/")
        return new, old
    if " => " in path:
        old, new = path.split(" => ", 1)
        return new, old
    return path, None


def from_entry(entry: dict) -> Labelled:
    subject, _, body = entry["message"].partition("\n")
    files = []
    for f in entry["files"]:
        path, old = split_rename(f["path"])
        binary = f["additions"] is None
        added, deleted = f["additions"] or 0, f["deletions"] or 0
        files.append(
            FileChange(path=path, old_path=old, additions=added, deletions=deleted, binary=binary)
        )
    when = datetime.fromisoformat(entry["time_local"].replace(" ", "T") + "+08:00")
    person = Person(name=entry["author"], email="")
    commit = Commit(
        sha=entry["sha"],
        parents=(),
        author=person,
        committer=person,
        authored_at=when,
        committed_at=when,
        subject=subject,
        body=body.strip("\n"),
        files=tuple(files),
    )
    return Labelled(day=entry["day"], commit=commit, tier=entry["tier"])


def load_labelled(path: Path) -> list[Labelled]:
    """A labelled data set, `.json` or `.json.gz`, with `{"commits": [...]}`."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [from_entry(e) for e in json.load(f)["commits"]]


@dataclass(frozen=True)
class Agreement:
    """How often predicted tiers equal the labels, and where they differ."""

    confusion: Counter[tuple[Tier, Tier]]
    """(label, predicted) → commits."""

    @property
    def total(self) -> int:
        return self.confusion.total()

    @property
    def exact(self) -> float:
        return sum(n for (a, b), n in self.confusion.items() if a == b) / max(self.total, 1)

    @property
    def within_one(self) -> float:
        far = self.confusion[("high", "low")] + self.confusion[("low", "high")]
        return 1 - far / max(self.total, 1)

    def table(self) -> str:
        """The confusion matrix as Markdown: rows are the labels, columns the predictions."""
        lines = ["| label ↓ / predicted → | " + " | ".join(TIERS) + " |", "|---|--:|--:|--:|"]
        for label in TIERS:
            row = " | ".join(str(self.confusion[(label, p)]) for p in TIERS)
            lines.append(f"| {label} | {row} |")
        return "\n".join(lines)


def agreement(labelled: Iterable[Labelled], predict: Callable[[Commit], Tier]) -> Agreement:
    return Agreement(Counter((item.tier, predict(item.commit)) for item in labelled))
