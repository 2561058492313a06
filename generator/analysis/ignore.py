"""The noise rules of a repository (`ignore:`): which rule, if any, makes a commit noise.

Bots' dependency bumps, automatic syncs and documentation-only commits fill a busy day
without telling an engineer anything. The report keeps them (it lists every commit) but
rates them low with the rule as the reason, and nothing is spent or sent on them.
"""

from __future__ import annotations

import hashlib
import json

from generator.config.repos import IgnoreRules
from generator.models import Commit


def ignored_by(rules: IgnoreRules, commit: Commit) -> str | None:
    """The first rule that matches, as pages show it (`author dependabot[bot]`,
    `subject ^\\[Auto Sync\\]`, `paths docs/**`); None when none does. Authors are checked
    first, then subjects, then paths; a commit without files is never noise by its paths."""
    people = {commit.author.name.casefold(), commit.author.email.casefold()}
    if commit.author.login:
        people.add(commit.author.login.casefold())
    for author in rules.authors:
        if author.casefold() in people:
            return f"author {author}"
    for text, pattern in rules.subject_patterns:
        if pattern.search(commit.subject):
            return f"subject {text}"
    if rules.paths and commit.files:
        used: list[str] = []
        for change in commit.files:
            paths = [p for p in (change.path, change.old_path) if p]
            found = next(
                (g for g, rx in rules.path_patterns if all(rx.fullmatch(p) for p in paths)), None
            )
            if found is None:
                return None
            if found not in used:
                used.append(found)
        return "paths " + ", ".join(g for g in rules.paths if g in used)
    return None


def rules_fingerprint(rules: IgnoreRules) -> str:
    """A short hash of the rules: part of an analysis' `settings`, so a change of them
    re-rates the recorded commits (without a request)."""
    text = json.dumps(rules.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]
