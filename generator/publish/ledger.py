"""What was posted where: `data/published.json`, kept with the records (and committed with
them), so a run on a fresh machine knows which reports are already up to date.

    {"github_issue": {"my-org/digest": {
        "start": {"sgl-project/sglang": "2026-02-10"},
        "posted": {"sgl-project/sglang": {"2026-02-10": {"number": 12, "sha256": "..."}}}}}}

`start` is the first day publishing was asked to cover for a repository: every complete
day from there on gets its issue, also one whose posting failed or whose run was killed
before it posted. `sha256` is the body last posted: an unchanged report costs no request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.files import write_atomic

STATE_FILE = "published.json"


@dataclass
class IssueLedger:
    path: Path
    target: str
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, data_dir: Path, target: str) -> IssueLedger:
        path = data_dir / STATE_FILE
        try:
            whole = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            whole = {}  # none yet, or unreadable: the issues' markers still prevent doubles
        mine = whole.get("github_issue", {}).get(target, {}) if isinstance(whole, dict) else {}
        return cls(path, target, mine if isinstance(mine, dict) else {})

    def start(self, repo: str) -> date | None:
        value = self.data.get("start", {}).get(repo)
        return date.fromisoformat(value) if value else None

    def cover(self, repo: str, day: date) -> None:
        """Publishing covers `day` and every later complete day of `repo`."""
        start = self.start(repo)
        if start is None or day < start:
            self.data.setdefault("start", {})[repo] = day.isoformat()

    def digest(self, repo: str, day: date) -> str | None:
        entry = self.data.get("posted", {}).get(repo, {}).get(day.isoformat(), {})
        return entry.get("sha256")

    def posted(self, repo: str, day: date, number: int, digest: str) -> None:
        days = self.data.setdefault("posted", {}).setdefault(repo, {})
        days[day.isoformat()] = {"number": number, "sha256": digest}

    def save(self) -> None:
        try:
            whole = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            whole = {}
        whole.setdefault("github_issue", {})[self.target] = self.data
        write_atomic(self.path, json.dumps(whole, indent=2, sort_keys=True) + "\n")
