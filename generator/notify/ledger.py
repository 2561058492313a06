"""What was delivered where: `data/notified.json`, kept with the records (and committed
with them), so a run on a fresh machine knows what each target already has.

    {"targets": {"team-moe": {
        "start": {"sgl-project/sglang": "2026-02-10"},
        "sent": {"day/sgl-project/sglang/2026-02-10": "2026-02-11T00:05:12+00:00"}}}}

`start` is, per repository, the first day a run with the target configured covered (at
most a week before that run's last day): a new target gets the days from then on, not
the whole archive. A key in `sent` is never
sent to that target again; a failed delivery is not written, so the next run sends it.
No secret is written here: targets are named by their `name`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from generator.files import write_atomic

LEDGER_FILE = "notified.json"
BACKLOG_DAYS = 7
"""Days back a new target starts at most, from the newest day its first run covered."""


@dataclass
class Ledger:
    path: Path
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, data_dir: Path) -> Ledger:
        path = data_dir / LEDGER_FILE
        try:
            whole = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            whole = {}
        except (OSError, ValueError):
            # Unreadable: better to send a day twice than never again; say nothing here,
            # the next save writes a good file.
            whole = {}
        targets = whole.get("targets", {}) if isinstance(whole, dict) else {}
        return cls(path, targets if isinstance(targets, dict) else {})

    def _target(self, name: str) -> dict[str, Any]:
        entry = self.targets.setdefault(name, {})
        entry.setdefault("start", {})
        entry.setdefault("sent", {})
        return entry

    def start(self, target: str, repo: str) -> date | None:
        value = self.targets.get(target, {}).get("start", {}).get(repo)
        return date.fromisoformat(value) if value else None

    def begin(self, target: str, repo: str, days: list[date]) -> None:
        """A run covered `days` of `repo`: a target new to the repository starts at the
        earliest of them, but at most a week before the latest (a backfill of a year is
        not a year of messages). A started target keeps its start: a later backfill of
        older days is not sent either."""
        if days and self.start(target, repo) is None:
            first = max(min(days), max(days) - timedelta(days=BACKLOG_DAYS - 1))
            self._target(target)["start"][repo] = first.isoformat()

    def covers(self, target: str, repo: str, until: date) -> bool:
        """Whether a notice of `repo` ending on `until` is the target's to get."""
        start = self.start(target, repo)
        return start is not None and until >= start

    def delivered(self, target: str, key: str) -> bool:
        return key in self.targets.get(target, {}).get("sent", {})

    def record(self, target: str, key: str, when: datetime) -> None:
        self._target(target)["sent"][key] = when.isoformat(timespec="seconds")

    def save(self) -> None:
        text = json.dumps({"targets": self.targets}, indent=2, sort_keys=True, ensure_ascii=False)
        write_atomic(self.path, text + "\n")
