"""Analyzers turn a commit's facts into an `Analysis`: tier, type, summary, scope, advice."""

from __future__ import annotations

from typing import Protocol

from generator.models import Analysis, Commit


class Analyzer(Protocol):
    name: str
    """Stored in each analysis, e.g. `rules@1`; a record made by the same name is reused."""

    def analyze(self, commit: Commit) -> Analysis: ...
