"""Analyzers turn a commit's facts into an `Analysis`: tier, type, summary, scope, advice."""

from __future__ import annotations

from typing import Protocol

from generator.models import Analysis, Commit


class Analyzer(Protocol):
    name: str
    """Stored in each analysis, e.g. `rules@2`."""

    def analyze(self, commit: Commit) -> Analysis: ...

    def is_current(self, analysis: Analysis) -> bool:
        """Whether a recorded analysis is what `analyze` would make now (same analyzer and
        version, language and importance settings); the pipeline re-analyses it if not."""
        ...
